"""Training sessions: list, create, edit, cancel, register, attendance, check-in, kit, reach."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.core.access import roles_required
from app.core.qr import qr_svg_path
from app.core.responses import attachment
from app.core.time import STOCKHOLM, utcnow
from app.extensions import db
from app.training import queries, services
from app.training.calendar import session_ics
from app.training.forms import CheckInForm, SessionForm
from app.training.kit import kit_documents
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
    """The session if the user runs it (its agent) or is an admin.

    :raise 404: anyone else.
    """
    session = _visible_or_404(session_id)
    if not queries.can_manage(current_user, session):
        abort(404)
    return session


def _check_in_url(session) -> str:
    return url_for("training.check_in", code=session.check_in_code, _external=True)


@bp.get("/sessions/")
@login_required
def index():
    """Upcoming sessions the user may join, and the user's own registrations."""
    return render_template(
        "training/index.html",
        upcoming=queries.upcoming_for(current_user, utcnow()),
        mine=queries.my_sessions(current_user),
        can_create=current_user.role == Role.ADMIN
        or (current_user.role == Role.AGENT and queries.is_certified(current_user)),
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


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required(Role.AGENT, Role.ADMIN)
def create():
    """A certified agent plans an end-user session; an admin plans a follow-up meeting."""
    form = SessionForm()
    if current_user.role == Role.AGENT and not queries.is_certified(current_user):
        flash(_("Bara certifierade mötesagenter kan skapa utbildningstillfällen. Gå klart "
                "mötesagentutbildningen och uppföljningsmötet först."), "error")  # fmt: skip
        return redirect(url_for(".index"))
    if form.validate_with_times(utcnow(), is_new=True):
        try:
            session = services.create_session(current_user, _details(form))
        except services.TrainingError as error:
            flash(str(error), "error")
        else:
            flash(_("Tillfället är skapat. Bjud in dina kollegor!"), "info")
            return redirect(url_for(".detail", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("training/form.html", form=form, session=None), status


@bp.route(f"/sessions/{ID}/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    """Change a session's details (its agent, or an admin)."""
    session = _managed_or_404(session_id)
    form = SessionForm(obj=None if request.method == "POST" else _form_data(session))
    if form.validate_with_times(utcnow(), is_new=False):
        try:
            services.update_session(session, _details(form))
        except services.TrainingError as error:
            form.capacity.errors.append(str(error))
        else:
            flash(_("Ändringarna är sparade."), "info")
            return redirect(url_for(".detail", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("training/form.html", form=form, session=session), status


def _form_data(session):
    """An object the form can read a session's values from, in local time."""
    return SimpleNamespace(
        title=session.title,
        starts_at=session.starts_at.astimezone(STOCKHOLM).replace(tzinfo=None),
        ends_at=session.ends_at.astimezone(STOCKHOLM).replace(tzinfo=None),
        place=session.place,
        mode=session.mode,
        capacity=session.capacity,
        notes=session.notes,
    )


@bp.post(f"/sessions/{ID}/cancel")
@login_required
def cancel(session_id: int):
    """Cancel a session; people on the list see that it is cancelled."""
    session = _managed_or_404(session_id)
    services.cancel_session(session)
    flash(_("Tillfället är inställt."), "info")
    return redirect(url_for(".detail", session_id=session.id))


@bp.get(f"/sessions/{ID}")
@login_required
def detail(session_id: int):
    """A session: details and registration; for its agent the list, check-in code and tools."""
    session = _visible_or_404(session_id)
    manages = queries.can_manage(current_user, session)
    people = queries.participants(session) if manages else []
    mine = next((a for a in people if a.user_id == current_user.id), None)
    if not manages:
        mine = queries.my_attendance(current_user, session)
    search = request.args.get("q", "")
    return render_template(
        "training/detail.html",
        session=session,
        manages=manages,
        people=people,
        mine=mine,
        agent=session.agent,
        search=search,
        found=queries.roster_search(session, search) if manages and search else [],
        qr=qr_svg_path(_check_in_url(session)) if manages and session.check_in_code else None,
        check_in_url=_check_in_url(session) if session.check_in_code else None,
        now=utcnow(),
        started=session.starts_at <= utcnow(),
        can_register=_may_join(current_user, session),
    )


def _may_join(user: User, session) -> bool:
    """End-user sessions: people of the municipality; follow-up meetings: agents."""
    if session.kind == SessionKind.AGENT_FOLLOW_UP:
        return user.role == Role.AGENT
    return user.municipality_id == session.municipality_id and user.id != session.agent_id


@bp.post(f"/sessions/{ID}/register")
@login_required
def register(session_id: int):
    """Register for the session."""
    session = _visible_or_404(session_id)
    if not _may_join(current_user, session):
        abort(404)
    try:
        services.register(current_user, session)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        flash(_("Du är anmäld. Lägg in tillfället i din kalender med länken nedan."), "info")
    return redirect(url_for(".detail", session_id=session.id))


@bp.post(f"/sessions/{ID}/unregister")
@login_required
def unregister(session_id: int):
    """Take back a registration."""
    session = _visible_or_404(session_id)
    try:
        services.unregister(current_user, session)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        flash(_("Din anmälan är borttagen."), "info")
    return redirect(url_for(".detail", session_id=session.id))


def _person_for(session, user_id: str | None) -> User:
    """A person the agent may add: active and of the session's municipality (agents, for follow-up).

    :raise 404: anyone else, so other municipalities' people cannot be probed.
    """
    person = (
        db.session.get(User, int(user_id))
        if user_id and user_id.isdecimal() and len(user_id) < 10
        else None
    )
    if person is None or not person.active:
        abort(404)
    if session.kind == SessionKind.END_USER and person.municipality_id != session.municipality_id:
        abort(404)
    if session.kind == SessionKind.AGENT_FOLLOW_UP and person.role != Role.AGENT:
        abort(404)
    if person.id == session.agent_id:
        abort(404)
    return person


@bp.post(f"/sessions/{ID}/participants")
@login_required
def add_participant(session_id: int):
    """The agent adds a colleague from the roster (or a walk-in, once the session has started)."""
    session = _managed_or_404(session_id)
    person = _person_for(session, request.form.get("user_id"))
    try:
        if session.starts_at <= utcnow():
            services.add_walk_in(current_user, session, person)
            flash(_("%(name)s är tillagd och markerad som närvarande.", name=person.name), "info")
        else:
            services.register(person, session, added_by=current_user)
            flash(_("%(name)s är anmäld.", name=person.name), "info")
    except services.TrainingError as error:
        flash(str(error), "error")
    return redirect(url_for(".detail", session_id=session.id))


@bp.post(f"/sessions/{ID}/attendance")
@login_required
def attendance(session_id: int):
    """Mark attended / no-show for the whole list at once (or everyone attended)."""
    session = _managed_or_404(session_id)
    people = queries.participants(session)
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
        changed = services.mark_attendance(current_user, session, statuses)
    except services.TrainingError as error:
        flash(str(error), "error")
    else:
        flash(_("Närvaron är sparad (%(n)d ändringar).", n=changed), "info")
    return redirect(url_for(".detail", session_id=session.id) + "#attendance")


@bp.get(f"/sessions/{ID}.ics")
@login_required
def calendar_file(session_id: int):
    """The session as a calendar event (.ics)."""
    session = _visible_or_404(session_id)
    url = url_for(".detail", session_id=session.id, _external=True)
    data = session_ics(session, url, urlsplit(request.host_url).hostname or "localhost")
    return attachment(data, f"utbildningstillfalle-{session.id}.ics", "text/calendar")


@bp.get(f"/sessions/{ID}/attendance-sheet.pdf")
@login_required
def attendance_sheet(session_id: int):
    """The printed attendance sheet: names A–Ö, blank rows, signatures and the check-in QR."""
    session = _managed_or_404(session_id)
    names = [a.user.name for a in queries.participants(session)]
    agent_name = session.agent.name if session.agent else _("Programkontoret")
    data = attendance_sheet_pdf(session, agent_name, names, _check_in_url(session))
    return attachment(data, f"narvarolista-{session.id}.pdf", "application/pdf")


@bp.route("/checkin", methods=["GET", "POST"])
@login_required
def check_in():
    """Self check-in with the code (or the QR code, which fills it in)."""
    form = CheckInForm(
        data={"code": request.args.get("code", "")} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            session = services.check_in(current_user, form.code.data)
        except services.TrainingError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Du är incheckad på %(title)s. Välkommen!", title=session.title), "info")
            return redirect(url_for(".detail", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("training/checkin.html", form=form), status


@bp.get("/sessions/reach")
@roles_required(Role.AGENT)
def reach():
    """The agent's sessions with registered, attended and completed counts, and totals."""
    rows = queries.reach_of(current_user)
    totals = {
        "sessions": sum(1 for r in rows if not r.session.cancelled),
        "registered": sum(r.registered for r in rows),
        "attended": sum(r.attended for r in rows),
        "completed": sum(r.completed for r in rows),
    }
    return render_template("training/reach.html", rows=rows, totals=totals)


def _kit_allowed() -> bool:
    return current_user.role == Role.ADMIN or (
        current_user.role == Role.AGENT and queries.is_certified(current_user)
    )


@bp.get("/kit/")
@roles_required(Role.AGENT, Role.ADMIN)
def kit():
    """The cascade-training kit (certified agents and admins)."""
    if not _kit_allowed():
        return render_template("training/kit.html", documents=[], locked=True), 403
    documents = kit_documents(current_app.config["COURSES_DIR"])
    return render_template("training/kit.html", documents=documents, locked=False)


@bp.get("/kit/<slug>.pdf")
@roles_required(Role.AGENT, Role.ADMIN)
def kit_pdf(slug: str):
    """One kit document as a PDF."""
    if not _kit_allowed():
        abort(403)
    documents = {d.slug: d for d in kit_documents(current_app.config["COURSES_DIR"])}
    document = documents.get(slug) or abort(404)
    return attachment(
        kit_document_pdf(document.title, document.html), f"{slug}.pdf", "application/pdf"
    )
