"""Training sessions: list, create, edit, cancel, register, attendance, check-in, kit, reach."""

from dataclasses import dataclass, replace
from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core.access import requires
from app.core.qr import qr_svg_path
from app.core.responses import attachment
from app.core.security import configured_limit, failed, person_or_address
from app.core.time import STOCKHOLM, utcnow
from app.core.urls import external_url
from app.extensions import limiter
from app.municipalities.facts import facts_of, fill_html
from app.practice import queries as practice_queries
from app.training import access, evaluation, queries, services, timing
from app.training.calendar import session_ics
from app.training.forms import (
    MAX_PASTED_LINES,
    AddPeopleForm,
    CheckInForm,
    EvaluationForm,
    ReopenForm,
    SessionForm,
)
from app.training.kit import kit_documents
from app.training.kit_docx import DOCX, kit_document_docx
from app.training.models import AttendanceStatus, SessionKind
from app.training.pdf import attendance_sheet_pdf, kit_document_pdf

bp = Blueprint("training", __name__)
ID = "<int(max=2147483647):session_id>"


def _visible_or_404(session_id: int):
    """The session if the user may see it.

    :raise 404: missing, or another municipality's (never 403, which would confirm it exists).
    """
    return queries.get_visible(current_user, session_id) or abort(404)


def _managed_or_404(session_id: int):
    """The session if the user may manage it now (see `access.may_manage`).

    :raise 404: anyone else.
    """
    training_session = _visible_or_404(session_id)
    if not access.may_manage(current_user, training_session):
        abort(404)
    return training_session


def _open_or_back(training_session):
    """None when the session may still be changed; else a redirect saying it is closed."""
    if not timing.is_closed(training_session, utcnow()):
        return None
    flash(_("Tillfället är stängt och kan inte längre ändras."), "error")
    return redirect(url_for(".detail", session_id=training_session.id))


def _check_in_url(training_session) -> str:
    return external_url("training.check_in", code=training_session.check_in_code)


ATTENDANCE, ADD_PEOPLE = "attendance", "add-people"  # sections of the session page
REPORT = f"{ADD_PEOPLE}-report"  # the flash category of the last bulk add's report


def _back(training_session, section: str, message: str | None = None, error: bool = False):
    """Back to the section of the session page the action came from, with its message shown
    there (flash category `<section>` or `<section>-error`) and the focus on its heading."""
    if message:
        flash(message, f"{section}-error" if error else section)
    return redirect(url_for(".detail", session_id=training_session.id, _anchor=section))


def web_link(place: str) -> str | None:
    """The place when it is a web address to link to (http or https only), else None."""
    place = place.strip()
    if not place or any(char.isspace() for char in place):
        return None
    try:
        parts = urlsplit(place)
    except ValueError:
        return None
    return place if parts.scheme in ("http", "https") and parts.hostname else None


@bp.get("/sessions/")
@login_required
def index():
    """Upcoming sessions the user may join, and the user's own registrations."""
    return render_template(
        "training/index.html",
        upcoming=queries.upcoming_for(current_user, utcnow()),
        mine=queries.my_sessions(current_user),
        can_create=access.may_run_sessions(current_user),
        plans_follow_ups=access.plans_follow_ups(current_user),
        can_see_reach=access.shows_reach_link(current_user, queries.has_run_sessions(current_user)),
    )


def _details(form: SessionForm) -> services.SessionDetails:
    return services.SessionDetails(
        title=form.title.data.strip(),
        starts_at=form.local(form.starts_at),
        ends_at=form.local(form.ends_at),
        place=form.place.data.strip(),
        mode=form.mode.data,
        capacity=form.capacity.data,
        notes=(form.notes.data or "").strip(),
    )


def _form_page(form: SessionForm, training_session):
    """The session form, 422 when it holds errors."""
    return render_template(
        "training/form.html",
        form=form,
        training_session=training_session,
        window=timing.window().days,
        earliest=timing.earliest_end(utcnow()),
        plans_follow_ups=access.plans_follow_ups(current_user),
    ), 422 if form.errors else 200


def _attach(form: SessionForm, error: services.TrainingError) -> None:
    """Show a service's refusal at the form field it concerns (or the start time)."""
    getattr(form, error.field or "starts_at").errors.append(str(error))


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires(access.works_with_sessions)
def create():
    """A certified agent plans (or records afterwards) an end-user session; an admin plans a
    follow-up meeting."""
    if not access.may_run_sessions(current_user):
        flash(_("Bara certifierade mötesagenter kan skapa utbildningstillfällen. Gå klart "
                "mötesagentutbildningen och uppföljningsmötet först."), "error")  # fmt: skip
        return redirect(url_for(".index"))
    form = SessionForm()
    if form.validate_with_times():
        try:
            training_session = services.create_session(current_user, _details(form))
        except services.TrainingError as error:
            _attach(form, error)
        else:
            if training_session.recorded_after_the_fact:
                flash(_("Tillfället är registrerat i efterhand. Lägg till deltagarna och "
                        "markera närvaron."), "info")  # fmt: skip
            else:
                flash(_("Tillfället är skapat. Bjud in dina kollegor!"), "info")
            return redirect(url_for(".detail", session_id=training_session.id))
    return _form_page(form, None)


@bp.route(f"/sessions/{ID}/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    """Change a session's details (its certified agent, or an admin)."""
    training_session = _managed_or_404(session_id)
    closed = _open_or_back(training_session)
    if closed:
        return closed
    form = SessionForm(obj=None if request.method == "POST" else _form_data(training_session))
    if form.validate_with_times():
        try:
            services.update_session(training_session, _details(form))
        except services.TrainingError as error:
            _attach(form, error)
        else:
            flash(_("Ändringarna är sparade."), "info")
            return redirect(url_for(".detail", session_id=training_session.id))
    return _form_page(form, training_session)


def _form_data(training_session):
    """An object the form can read a session's values from, in local time."""
    return SimpleNamespace(
        title=training_session.title,
        starts_at=training_session.starts_at.astimezone(STOCKHOLM).replace(tzinfo=None),
        ends_at=training_session.ends_at.astimezone(STOCKHOLM).replace(tzinfo=None),
        place=training_session.place,
        mode=training_session.mode,
        capacity=training_session.capacity,
        notes=training_session.notes,
    )


@bp.post(f"/sessions/{ID}/cancel")
@login_required
def cancel(session_id: int):
    """Cancel a session; people on the list see that it is cancelled."""
    training_session = _managed_or_404(session_id)
    closed = _open_or_back(training_session)
    if closed:
        return closed
    try:
        services.cancel_session(training_session)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        flash(_("Tillfället är inställt."), "info")
    return redirect(url_for(".detail", session_id=training_session.id))


@bp.post(f"/sessions/{ID}/reopen")
@requires(access.may_reopen)
def reopen(session_id: int):
    """The programme office reopens a closed session for late recording, with a reason."""
    training_session = _visible_or_404(session_id)
    form = ReopenForm()
    if not timing.is_closed(training_session, utcnow()):
        flash(_("Tillfället är inte stängt."), "info")
    elif form.validate_on_submit():
        services.reopen_session(training_session, current_user, form.reason.data)
        flash(_("Tillfället är öppnat igen i %(days)d dagar.", days=timing.window().days), "info")
    else:
        flash(_("Skriv varför tillfället öppnas igen."), "error")
    return redirect(url_for(".detail", session_id=training_session.id))


@bp.get(f"/sessions/{ID}")
@login_required
def detail(session_id: int):
    """A session: details and registration; for its agent the list, check-in code and tools."""
    training_session = _visible_or_404(session_id)
    now = utcnow()
    practice = (
        practice_queries.trainer_practice()
        if training_session.kind == SessionKind.AGENT_FOLLOW_UP
        else None
    )
    manages = access.may_manage(current_user, training_session)
    sees_list = access.may_see_list(current_user, training_session)
    closed = timing.is_closed(training_session, now)
    people = queries.participants(training_session) if sees_list else []
    mine = (
        None if sees_list else queries.my_attendance(current_user, training_session)
    )  # the trainer is never on their own list
    search = request.args.get("q", "") if manages and not closed else ""
    report = _last_report(people) if manages else None
    return render_template(
        "training/detail.html",
        training_session=training_session,
        place_link=web_link(training_session.place),
        manages=manages,
        sees_list=sees_list,
        closed=closed,
        closes_at=timing.closes_at(training_session),
        recording_open=manages and timing.recording_open(training_session, now),
        may_reopen=access.may_reopen(current_user) and closed,
        reopen_form=ReopenForm(),
        people=people,
        mine=mine,
        agent=training_session.agent,
        search=search,
        found=queries.roster_search(training_session, search) if search else [],
        search_limit=queries.SEARCH_LIMIT,
        max_lines=MAX_PASTED_LINES,
        report=report,
        add_form=AddPeopleForm(
            data={"lines": "\n".join(report.to_fix)} if report and report.pasted else None
        ),
        qr=(
            qr_svg_path(_check_in_url(training_session))
            if manages and training_session.check_in_code and not closed
            else None
        ),
        now=now,
        started=training_session.starts_at <= now,
        can_register=access.may_join(current_user, training_session),
        practice=practice,
        practice_rows=(
            queries.practice_at_session(training_session, practice) if practice and manages else []
        ),
        evaluation=(
            evaluation.results_for_session(training_session)
            if manages and training_session.kind == SessionKind.END_USER
            else None
        ),
        evaluation_form=_evaluation_form_for(training_session, mine, now),
    )


def _evaluation_form_for(training_session, mine, now):
    """The evaluation form for an attendee who has not answered yet, once the session started."""
    if not (mine and evaluation.may_evaluate(current_user, training_session, now)):
        return None
    return EvaluationForm()


PRACTICE = "practice"  # the follow-up meeting's section where the trainer confirms practice


@bp.post(f"/sessions/{ID}/practice")
@login_required
def confirm_practice(session_id: int):
    """The trainer of a follow-up meeting confirms the practice of those present (all, or the
    ones ticked); their attended meeting then counts towards certification."""
    training_session = _managed_or_404(session_id)
    practice = practice_queries.trainer_practice()
    if training_session.kind != SessionKind.AGENT_FOLLOW_UP or practice is None:
        abort(404)
    rows = queries.practice_at_session(training_session, practice)
    if request.form.get("action") == "all":
        user_ids = [row.user.id for row in rows]
    else:
        user_ids = [row.user.id for row in rows if request.form.get(f"confirm-{row.user.id}")]
    if not user_ids:
        return _back(training_session, PRACTICE, _("Markera vems övningar du bekräftar."),
                     error=True)  # fmt: skip
    confirmed = services.confirm_practice(training_session, practice, user_ids, current_user)
    return _back(training_session, PRACTICE, ngettext(
        "Övningarna är bekräftade för %(num)d person.",
        "Övningarna är bekräftade för %(num)d personer.", confirmed))  # fmt: skip


@bp.post(f"/sessions/{ID}/evaluation")
@login_required
def evaluate(session_id: int):
    """An attendee's evaluation of the session: three ratings and a comment."""
    training_session = _visible_or_404(session_id)
    if not evaluation.may_evaluate(current_user, training_session, utcnow()):
        abort(404)
    form = EvaluationForm()
    if not form.validate_on_submit():
        field = next(field for field in form if field.errors)
        return _back(training_session, EVALUATION, f"{field.label.text}: {field.errors[0]}",
                     error=True)  # fmt: skip
    evaluation.save_evaluation(current_user, training_session, form.answers())
    return _back(training_session, EVALUATION, _("Tack för ditt svar!"))


EVALUATION = "evaluation"  # the attendee's evaluation section of the session page


@bp.post(f"/sessions/{ID}/register")
@login_required
def register(session_id: int):
    """Register for the session."""
    training_session = _visible_or_404(session_id)
    if not access.may_join(current_user, training_session):
        abort(404)
    try:
        services.register(current_user, training_session)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        _confirm(current_user, training_session, added_by=None)
        flash(_("Du är anmäld. Lägg in tillfället i din kalender med länken nedan."), "info")
    return redirect(url_for(".detail", session_id=training_session.id))


def _confirm(person, training_session, added_by) -> None:
    """The registration confirmation by e-mail, with the .ics."""
    url, host = _mail_links(training_session)
    services.confirm_registration(person, training_session, url, host, added_by)


def _mail_links(training_session) -> tuple[str, str]:
    """The session page's address and this host, for the calendar file of a confirmation."""
    url = external_url("training.detail", session_id=training_session.id)
    return url, urlsplit(url).hostname or "localhost"


@bp.post(f"/sessions/{ID}/unregister")
@login_required
def unregister(session_id: int):
    """Take back a registration."""
    training_session = _visible_or_404(session_id)
    try:
        services.unregister(current_user, training_session)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        flash(_("Din anmälan är borttagen."), "info")
    return redirect(url_for(".detail", session_id=training_session.id))


@bp.post(f"/sessions/{ID}/participants")
@login_required
def add_participants(session_id: int):
    """The agent adds colleagues at once, ticked in the search result or pasted a line each:
    registered before the start, walk-ins marked attended once it has started."""
    training_session = _managed_or_404(session_id)
    form = AddPeopleForm()
    nobody = _("Markera eller klistra in minst en person.")
    if not form.validate_on_submit():
        return _back(training_session, ADD_PEOPLE, (form.lines.errors or [nobody])[0], error=True)
    pasted = form.pasted()
    matches = queries.match_people(training_session, form.ids(), pasted)
    if not matches:
        return _back(training_session, ADD_PEOPLE, nobody, error=True)
    people = [match.person for match in matches if match.person]
    ids = list(dict.fromkeys(person.id for person in people))  # read now: adding expires them
    try:
        outcomes = services.add_people(
            current_user, training_session, people, *_mail_links(training_session)
        )
    except services.TrainingError as error:
        return _back(training_session, ADD_PEOPLE, str(error), error=True)
    problems = [match for match in matches if not match.person]
    flash(_report_data(ids, problems, outcomes, pasted=bool(pasted)), REPORT)
    return _back(training_session, ADD_PEOPLE)


MAX_REPORTED_PROBLEMS, MAX_REPORTED_TEXT = 25, 80  # the report travels in the session cookie


def _report_data(ids: list[int], problems: list, outcomes: dict[int, str], pasted: bool) -> dict:
    """The bulk add's report, small enough for the session cookie: people by id (their names
    are on the list), problem lines as typed, shortened and at most MAX_REPORTED_PROBLEMS."""
    shown = problems[:MAX_REPORTED_PROBLEMS]
    return {
        "pasted": pasted,
        "lines": [[outcomes[user_id], user_id, ""] for user_id in ids]
        + [[match.problem, None, match.text[:MAX_REPORTED_TEXT]] for match in shown],
        "more": len(problems) - len(shown),
    }


@dataclass
class AddReport:
    """The last bulk add, shown on the session page: (outcome, name or line) for each line."""

    pasted: bool
    lines: list[tuple[str, str]]
    more: int = 0

    DONE = (services.Added.REGISTERED, services.Added.ATTENDED, services.Added.MARKED,
            services.Added.ALREADY)  # fmt: skip

    @property
    def done(self) -> list[tuple[str, str]]:
        """The people now on the list."""
        return [line for line in self.lines if line[0] in self.DONE]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """The lines nobody was added for."""
        return [line for line in self.lines if line[0] not in self.DONE]

    @property
    def to_fix(self) -> list[str]:
        """The pasted lines to correct and send again."""
        return [text for outcome, text in self.problems if outcome != queries.Problem.NOT_ALLOWED]

    def count(self, *outcomes: str) -> int:
        """How many lines had one of these outcomes."""
        return sum(1 for outcome, _text in self.lines if outcome in outcomes)


def _last_report(people) -> AddReport | None:
    """The report flashed by the last bulk add, with names from the list."""
    flashed = get_flashed_messages(category_filter=[REPORT])
    if not flashed or not isinstance(flashed[-1], dict):
        return None
    names = {attendance.user_id: attendance.user.name for attendance in people}
    data = flashed[-1]
    lines = [
        (outcome, names[user_id] if user_id is not None else text)
        for outcome, user_id, text in data.get("lines", [])
        if user_id is None or user_id in names
    ]
    return AddReport(bool(data.get("pasted")), lines, int(data.get("more", 0)))


@bp.post(f"/sessions/{ID}/attendance")
@login_required
def attendance(session_id: int):
    """Mark attended / no-show for the whole list at once (or everyone attended)."""
    training_session = _managed_or_404(session_id)
    people = queries.participants(training_session)
    if request.form.get("action") == "all":
        statuses = {a.user_id: AttendanceStatus.ATTENDED for a in people}
    else:
        allowed = {AttendanceStatus.ATTENDED, AttendanceStatus.NO_SHOW}
        statuses = {
            a.user_id: request.form[f"status-{a.user_id}"]
            for a in people
            if request.form.get(f"status-{a.user_id}") in allowed
        }
    try:
        changed = services.mark_attendance(current_user, training_session, statuses)
    except services.TrainingError as error:
        return _back(training_session, ATTENDANCE, str(error), error=True)
    return _back(training_session, ATTENDANCE, ngettext("Närvaron är sparad (%(num)d ändring).",
                 "Närvaron är sparad (%(num)d ändringar).", changed))  # fmt: skip


@bp.get(f"/sessions/{ID}.ics")
@login_required
def calendar_file(session_id: int):
    """The session as a calendar event (.ics)."""
    training_session = _visible_or_404(session_id)
    url, host = _mail_links(training_session)
    data = session_ics(training_session, url, host)
    return attachment(data, f"utbildningstillfalle-{training_session.id}.ics", "text/calendar")


@bp.get(f"/sessions/{ID}/attendance-sheet.pdf")
@login_required
def attendance_sheet(session_id: int):
    """The printed attendance sheet: names A–Ö, blank rows, signatures and the check-in QR."""
    training_session = _managed_or_404(session_id)
    names = [a.user.name for a in queries.participants(training_session)]
    agent_name = training_session.agent.name if training_session.agent else _("Programkontoret")
    data = attendance_sheet_pdf(
        training_session, agent_name, names, _check_in_url(training_session)
    )
    return attachment(data, f"narvarolista-{training_session.id}.pdf", "application/pdf")


@bp.route("/checkin", methods=["GET", "POST"])
@limiter.limit(configured_limit("CHECK_IN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=failed)
@limiter.limit(
    configured_limit("CHECK_IN_PERSON_LIMIT"), methods=["POST"], key_func=person_or_address,
    deduct_when=failed,
)  # fmt: skip
@login_required
def check_in():
    """Self check-in with the code (or the QR code, which fills it in); failed attempts are
    limited per person and per address, so codes cannot be guessed."""
    form = CheckInForm(
        data={"code": request.args.get("code", "")} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            training_session = services.check_in(current_user, form.code.data)
        except services.TrainingError as error:
            form.code.errors.append(str(error))
        else:
            flash(
                _("Du är incheckad på %(title)s. Välkommen!", title=training_session.title), "info"
            )
            return redirect(url_for(".detail", session_id=training_session.id))
    status = 422 if form.errors else 200
    return render_template("training/checkin.html", form=form), status


@bp.get("/sessions/reach")
@requires(access.may_see_reach)
def reach():
    """The agent's sessions with registered, attended and trained counts, and totals."""
    now = utcnow()
    rows = queries.reach_of(current_user, now)
    totals = queries.reach_totals(current_user, now)
    return render_template(
        "training/reach.html",
        rows=rows,
        totals=totals,
        now=now,
        can_create=access.may_run_sessions(current_user),
        evaluation=evaluation.results_for_agent(current_user),
    )


@bp.get("/kit/")
@requires(access.works_with_sessions)
def kit():
    """The cascade-training kit (certified agents and admins)."""
    if not access.may_use_kit(current_user):
        return render_template("training/kit.html", documents=[], locked=True), 403
    return render_template(
        "training/kit.html",
        documents=_kit_with_facts(),
        locked=False,
        certified=access.may_run_sessions(current_user),
    )


def _kit_with_facts():
    """The kit documents filled with the user's municipality's facts."""
    values = facts_of(current_user.municipality_id)
    return [
        replace(document, html=fill_html(document.html, values))
        for document in kit_documents(current_app.config["COURSES_DIR"])
    ]


def _kit_document_or_404(slug: str):
    """The kit document with this slug, filled with the municipality's facts, for those who
    may use the kit.

    :raise 403: someone who may not use the kit yet; 404: no such document.
    """
    if not access.may_use_kit(current_user):
        abort(403)
    return next((d for d in _kit_with_facts() if d.slug == slug), None) or abort(404)


@bp.get("/kit/<slug>.pdf")
@requires(access.works_with_sessions)
def kit_pdf(slug: str):
    """One kit document as a PDF."""
    document = _kit_document_or_404(slug)
    return attachment(
        kit_document_pdf(document.title, document.html), f"{slug}.pdf", "application/pdf"
    )


@bp.get("/kit/<slug>.docx")
@requires(access.works_with_sessions)
def kit_docx(slug: str):
    """One kit document as an editable Word file, for municipalities to adapt."""
    document = _kit_document_or_404(slug)
    return attachment(kit_document_docx(document.title, document.html), f"{slug}.docx", DOCX)
