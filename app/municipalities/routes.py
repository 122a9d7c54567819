"""Municipality pages: the admin's list of all, and one municipality's people."""

import base64

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.links import LinkPurpose, link_url
from app.auth.models import Role, User
from app.auth.services import send_activation_links
from app.auth.slips import activation_slips_pdf
from app.core.access import requires
from app.core.exports import csv_bytes
from app.core.responses import attachment
from app.extensions import db
from app.municipalities import queries, roster, services
from app.municipalities.access import (
    get_municipality_or_404,
    may_manage_people,
    may_see_every_municipality,
    may_set_targets,
)
from app.municipalities.forms import RosterConfirmForm, RosterUploadForm, TargetsForm

bp = Blueprint("municipalities", __name__, url_prefix="/municipalities")


@bp.get("/")
@requires(may_see_every_municipality)
def index():
    """All 15 municipalities with their head counts (admins)."""
    return render_template("municipalities/index.html", overviews=queries.overview_of_all())


@bp.get("/<code>")
@requires(may_manage_people)
def people(code: str):
    """One municipality's people (its coordinator, or an admin)."""
    municipality = get_municipality_or_404(code)
    form = None
    if may_set_targets(current_user):
        form = TargetsForm(
            staff_target=municipality.staff_target, agent_target=municipality.agent_target
        )
    people = queries.people_of(municipality)
    return render_template(
        "municipalities/people.html",
        municipality=municipality,
        people=people,
        waiting=sum(1 for person in people if person.active and not person.password_hash),
        target_form=form,
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
    person = db.session.get(User, user_id)
    if person is None or person.municipality_id != municipality.id or person.role == Role.ADMIN:
        abort(404)
    if person.id == current_user.id:
        flash(_("Du kan inte avsluta ditt eget konto."), "error")
    else:
        services.set_active(person, not person.active, by=current_user)
        flash(_("%(name)s är nu %(state)s.", name=person.name,
                state=_("aktiv") if person.active else _("avslutad")), "info")  # fmt: skip
    return redirect(url_for(".people", code=code))


@bp.route("/<code>/roster", methods=["GET", "POST"])
@requires(may_manage_people)
def roster_import(code: str):
    """Upload a roster, see what each row would do, then confirm."""
    municipality = get_municipality_or_404(code)
    upload, confirm = RosterUploadForm(), RosterConfirmForm()
    any_municipality = may_see_every_municipality(current_user)
    report, data, refused = None, None, None
    if "data" in request.form and confirm.validate_on_submit():
        raw = _unpack(confirm.data.data)
        try:
            report = roster.preview(raw, municipality, any_municipality)
        except roster.RosterRefused as error:
            refused = str(error)
        else:
            roster.apply(report, by=current_user)
            flash(_("Personallistan är inläst: %(c)d nya, %(u)d ändrade, %(r)d avvisade.",
                    c=report.count("created"), u=report.count("updated"),
                    r=report.count("rejected")), "info")  # fmt: skip
            return redirect(url_for(".people", code=code))
    elif upload.validate_on_submit():
        raw = upload.file.data.read(roster.MAX_BYTES + 1)
        try:
            report = roster.preview(raw, municipality, any_municipality)
            data = base64.b64encode(raw).decode()
        except roster.RosterRefused as error:
            refused = str(error)
    status = 422 if refused or upload.errors else 200
    return render_template(
        "municipalities/roster.html", municipality=municipality, upload=upload,
        report=report, data=data, refused=refused,
    ), status  # fmt: skip


def _unpack(data: str) -> bytes:
    try:
        return base64.b64decode(data.encode(), validate=True)
    except ValueError:
        return b""


@bp.post("/<code>/activation/send")
@requires(may_manage_people)
def send_activation(code: str):
    """E-mail an activation link to everyone here who has not chosen a password yet."""
    municipality = get_municipality_or_404(code)
    count = send_activation_links(queries.waiting_for_activation(municipality))
    flash(_("Aktiveringslänkar skickas till %(n)d personer.", n=count), "info")
    return redirect(url_for(".people", code=code))


@bp.get("/<code>/activation.<any(csv, pdf):kind>")
@requires(may_manage_people)
def activation_links(code: str, kind: str):
    """The activation links of those who have not chosen a password: CSV, or slips to print."""
    municipality = get_municipality_or_404(code)
    people = [
        (person.name, person.email, link_url(person, LinkPurpose.ACTIVATE))
        for person in queries.waiting_for_activation(municipality)
    ]
    name = f"aktiveringslankar-{municipality.code}"
    if kind == "csv":
        header = [_("Namn"), _("E-post"), _("Aktiveringslänk")]
        return attachment(csv_bytes(header, people), f"{name}.csv", "text/csv")
    data = activation_slips_pdf(people, municipality.name)
    return attachment(data, f"{name}.pdf", "application/pdf")
