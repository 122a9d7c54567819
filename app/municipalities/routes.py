"""Municipality pages: the admin's list of all, one municipality's people, and a person's page."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.links import LinkPurpose, link_url
from app.auth.services import send_activation_links
from app.auth.slips import activation_slips_pdf
from app.core.access import requires
from app.core.csvfile import pack, unpack
from app.core.labels import label
from app.core.responses import attachment
from app.core.roles import Role
from app.core.scope import may_see_every_municipality
from app.core.time import utcnow
from app.core.validation import known_args
from app.municipalities import queries, roster, services
from app.municipalities.access import (
    get_municipality_or_404,
    get_person_or_404,
    may_manage_people,
    may_manage_person,
    may_move_people,
    may_set_targets,
    roles_assignable_by,
)
from app.municipalities.activation import start as start_activation
from app.municipalities.facts import FACTS, fact_uses, facts_of
from app.municipalities.forms import (
    FactsForm,
    MoveForm,
    NewPersonForm,
    PeopleFilterForm,
    PersonForm,
    RosterConfirmForm,
    RosterUploadForm,
    TargetsForm,
)

bp = Blueprint("municipalities", __name__, url_prefix="/municipalities")


@bp.get("/")
@requires(may_see_every_municipality)
def index():
    """All 15 municipalities with their head counts (admins)."""
    return render_template("municipalities/index.html", overviews=queries.overview_of_all())


@bp.get("/<code>")
@requires(may_manage_people)
def people(code: str):
    """One municipality's people (its coordinator, or an admin): search, filters, 50 a page."""
    municipality = get_municipality_or_404(code)
    form = None
    if may_set_targets(current_user):
        form = TargetsForm(
            staff_target=municipality.staff_target, agent_target=municipality.agent_target
        )
    filter_form = PeopleFilterForm(request.args)
    filter_form.set_roles([SelectChoice(role.value, label(Role, role)) for role in Role])
    valid = not request.args or filter_form.validate()
    page, total = None, 0
    if valid:
        page, total = queries.people_page(municipality, _people_filter(filter_form), utcnow())
    return render_template(
        "municipalities/people.html",
        municipality=municipality,
        rows=page.rows if page else [],
        total=total,
        page=page,
        query=known_args(("q", "role", "status", "trained")),
        filter_form=filter_form,
        waiting=queries.count_waiting_for_activation(municipality, current_user),
        target_form=form,
        may_manage_person=may_manage_person,
    ), (200 if valid else 422)


def _people_filter(form: PeopleFilterForm) -> queries.PeopleFilter:
    status, trained = form.status.data, form.trained.data
    return queries.PeopleFilter(
        text=form.q.data or "",
        role=form.role.data or None,
        active={"active": True, "deactivated": False}.get(status),
        trained={"yes": True, "no": False}.get(trained),
    )


@bp.post("/<code>/targets")
@requires(may_set_targets)
def set_targets(code: str):
    """The programme office sets the staff and agent targets; roster imports then keep them."""
    municipality = get_municipality_or_404(code)
    form = TargetsForm()
    if form.validate_on_submit():
        services.set_targets(
            municipality, form.staff_target.data, form.agent_target.data, current_user
        )
        flash(_("Målen är sparade."), "info")
    else:
        flash(_("Ange målen som antal från 1."), "error")
    return redirect(url_for(".people", code=code))


@bp.post("/<code>/people/<int(max=2147483647):user_id>/active")
@requires(may_manage_people)
def toggle_active(code: str, user_id: int):
    """Deactivate someone who left (kept in history, not in the target), or bring them back."""
    municipality = get_municipality_or_404(code)
    person = get_person_or_404(user_id)
    if person.municipality_id != municipality.id:
        abort(404)
    if person.id == current_user.id:
        flash(_("Du kan inte avsluta ditt eget konto."), "error")
    elif not may_manage_person(current_user, person):
        abort(403)
    else:
        services.set_active(person, not person.active, by=current_user)
        flash(_("%(name)s är nu %(state)s.", name=person.name,
                state=_("aktiv") if person.active else _("avslutad")), "info")  # fmt: skip
    if request.form.get("back") == "person":
        return redirect(url_for(".person", user_id=user_id))
    return redirect(url_for(".people", code=code))


@bp.route("/<code>/people/new", methods=["GET", "POST"])
@requires(may_manage_people)
def new_person(code: str):
    """Add one person (coordinators: employees and agents of their own municipality)."""
    municipality = get_municipality_or_404(code)
    form = NewPersonForm()
    _offer_roles(form)
    if may_see_every_municipality(current_user):
        form.municipality.choices = [
            SelectChoice(m.code, m.name) for m in queries.all_municipalities()
        ]
        if not form.is_submitted():
            form.municipality.data = municipality.code
    else:
        del form.municipality
    if form.validate_on_submit():
        chosen = municipality
        if form.municipality is not None and form.municipality.data != municipality.code:
            chosen = get_municipality_or_404(form.municipality.data)
        try:
            person = services.create_person(
                form.name.data, form.email.data, form.role.data, form.unit.data or "", chosen,
                by=current_user,
            )  # fmt: skip
        except services.PersonError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            flash(_("%(name)s är tillagd. Skicka en aktiveringslänk eller skriv ut en lapp så att "
                    "personen kan välja lösenord.", name=person.name), "info")  # fmt: skip
            return redirect(url_for(".person", user_id=person.id))
    status = 422 if form.errors else 200
    return render_template(
        "municipalities/new_person.html", municipality=municipality, form=form
    ), status


def _offer_roles(form) -> None:
    form.role.choices = [
        SelectChoice(role.value, label(Role, role)) for role in roles_assignable_by(current_user)
    ]


def _managed_person(user_id: int):
    """The person, if the current user may manage them.

    :raise 404: someone the user may not see. :raise 403: someone they see but may not manage.
    """
    person = get_person_or_404(user_id)
    if not may_manage_person(current_user, person):
        abort(403)
    return person


@bp.route("/people/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@requires(may_manage_people)
def person(user_id: int):
    """A person's page: edit name, role and unit; activation link or slip; (de)activate; move."""
    person = _managed_person(user_id)
    form = PersonForm(obj=person)
    _offer_roles(form)
    if form.validate_on_submit():
        try:
            services.update_person(
                person, form.name.data, form.role.data, form.unit.data or "", by=current_user
            )
        except services.PersonError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            flash(_("Ändringarna är sparade."), "info")
            return redirect(url_for(".person", user_id=person.id))
    return _person_page(person, form, _move_form(person))


def _move_form(person, formdata=None):
    if not may_move_people(current_user) or person.municipality is None:
        return None
    form = MoveForm(formdata=formdata)
    form.municipality.choices = [
        SelectChoice(m.code, m.name)
        for m in queries.all_municipalities()
        if m.id != person.municipality_id
    ]
    return form


def _person_page(person, form, move_form):
    status = 422 if form.errors or (move_form and move_form.errors) else 200
    return render_template(
        "municipalities/person.html", person=person, form=form, move_form=move_form
    ), status


@bp.post("/people/<int(max=2147483647):user_id>/move")
@requires(may_move_people)
def move_person(user_id: int):
    """Move a person to another municipality (the programme office); their history stays."""
    person = _managed_person(user_id)
    move_form = _move_form(person, request.form)
    if move_form is None:
        abort(404)
    if move_form.validate_on_submit():
        target = get_municipality_or_404(move_form.municipality.data)
        try:
            services.move_person(person, target, by=current_user)
        except services.PersonError as error:
            move_form.municipality.errors = [*move_form.municipality.errors, str(error)]
        else:
            flash(_("%(name)s hör nu till %(municipality)s.", name=person.name,
                    municipality=target.name), "info")  # fmt: skip
            return redirect(url_for(".person", user_id=person.id))
    form = PersonForm(formdata=None, obj=person)
    _offer_roles(form)
    return _person_page(person, form, move_form)


@bp.post("/people/<int(max=2147483647):user_id>/activation")
@requires(may_manage_people)
def send_person_activation(user_id: int):
    """E-mail one person their activation link (only if they have not chosen a password)."""
    person = _managed_person(user_id)
    if send_activation_links([person], by=current_user):
        flash(_("En aktiveringslänk skickas till %(email)s.", email=person.email), "info")
    else:
        flash(_("%(name)s behöver ingen aktiveringslänk.", name=person.name), "error")
    return redirect(url_for(".person", user_id=person.id))


@bp.get("/people/<int(max=2147483647):user_id>/activation.pdf")
@requires(may_manage_people)
def person_slip(user_id: int):
    """One person's activation slip to print (only if they have not chosen a password)."""
    person = _managed_person(user_id)
    if not person.active or person.password_hash:
        flash(_("%(name)s behöver ingen aktiveringslänk.", name=person.name), "error")
        return redirect(url_for(".person", user_id=person.id))
    where = person.municipality.name if person.municipality else _("Programkontoret")
    data = activation_slips_pdf(
        [(person.name, person.email, link_url(person, LinkPurpose.ACTIVATE))], where
    )
    return attachment(data, f"aktiveringslank-{person.id}.pdf", "application/pdf")


@bp.route("/<code>/roster", methods=["GET", "POST"])
@requires(may_manage_people)
def roster_import(code: str):
    """Upload a roster, see what each row would do, then confirm."""
    municipality = get_municipality_or_404(code)
    upload, confirm = RosterUploadForm(), RosterConfirmForm()
    any_municipality = may_see_every_municipality(current_user)
    report, data, refused = None, None, None
    if "data" in request.form and confirm.validate_on_submit():
        raw = unpack(confirm.data.data)
        try:
            report = roster.preview(raw, municipality, any_municipality)
        except roster.RosterRefused as error:
            refused = str(error)
        else:
            if len(report.rows) > roster.IN_REQUEST:
                back = url_for(".people", code=code)
                job = roster.start_saving(current_user, municipality, confirm.data.data, back)
                return redirect(url_for("jobs.show", job_id=job.id))
            roster.apply(report, by=current_user)
            flash(roster.saved_message(report), "info")
            return redirect(url_for(".people", code=code))
    elif upload.validate_on_submit():
        raw = upload.file.data.read(roster.MAX_BYTES + 1)
        try:
            report = roster.preview(raw, municipality, any_municipality)
            data = pack(raw)
        except roster.RosterRefused as error:
            refused = str(error)
    status = 422 if refused or upload.errors else 200
    return render_template(
        "municipalities/roster.html", municipality=municipality, upload=upload,
        report=report, counts=roster.counts_in_words(report) if report else None, data=data,
        shown=roster.rows_to_show(report) if report else [],
        refused=refused,
    ), status  # fmt: skip


@bp.post("/<code>/activation/<any(send, csv, pdf):kind>")
@requires(may_manage_people)
def activation(code: str, kind: str):
    """Activation links for everyone here who has not chosen a password: e-mailed ("send"), or
    as a CSV or slips to print; a background job whose page shows how far it has come."""
    municipality = get_municipality_or_404(code)
    job = start_activation(current_user, municipality, kind,
                           back=url_for(".people", code=municipality.code))  # fmt: skip
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/facts")
@requires(may_see_every_municipality)
def facts_overview():
    """All municipalities' fact sheets at a glance: how many facts each has filled in (admins)."""
    filled = queries.facts_filled_by_municipality()
    return render_template(
        "municipalities/facts_overview.html",
        municipalities=queries.all_municipalities(),
        filled=filled,
        facts=FACTS,
    )


@bp.route("/<code>/facts", methods=["GET", "POST"])
@requires(may_manage_people)
def facts(code: str):
    """The municipality's own facts, shown to its learners in the courses and the kit: which
    are missing and where each is used (its coordinator, or an admin)."""
    municipality = get_municipality_or_404(code)
    current = facts_of(municipality.id)
    form = FactsForm(data={fact.key.replace("-", "_"): current.get(fact.key, "") for fact in FACTS})
    if form.validate_on_submit():
        values = {fact.key: form[fact.key.replace("-", "_")].data or "" for fact in FACTS}
        changed = services.save_facts(municipality, values, current_user)
        flash(
            ngettext("%(num)d uppgift är sparad.", "%(num)d uppgifter är sparade.", changed)
            if changed
            else _("Inget var ändrat."),
            "info",
        )
        return redirect(url_for(".facts", code=code))
    uses = fact_uses()  # lessons and practice (courses), then the kit (training)
    return render_template(
        "municipalities/facts.html",
        municipality=municipality,
        form=form,
        facts=[(fact, form[fact.key.replace("-", "_")]) for fact in FACTS],
        filled=set(current),
        uses=uses,
    ), 422 if form.errors else 200
