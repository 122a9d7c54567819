"""The privacy notice, the audit log, and erasing a person."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import requires
from app.core.validation import known_args
from app.municipalities.access import get_person_or_404
from app.privacy import queries, services
from app.privacy.access import may_erase, may_erase_people, may_read_audit_log
from app.privacy.forms import AuditFilterForm, EraseForm
from app.privacy.labels import describe

bp = Blueprint("privacy", __name__)
bp.add_app_template_global(describe, "audit_details")


@bp.get("/privacy")
def notice():
    """The privacy notice (integritetsmeddelande): what is held, why, for how long, one's rights."""
    return render_template(
        "privacy/notice.html", retention_days=int(current_app.config["PRIVACY_RETENTION_DAYS"])
    )


@bp.get("/admin/audit")
@requires(may_read_audit_log)
def audit_log():
    """The audit log (admins): newest first, 50 a page, by person and action."""
    form = AuditFilterForm(request.args)
    valid = form.validate()
    person = None
    if valid and form.person.data:
        person = queries.person_by_email_or_id(form.person.data)
        if person is None:
            form.person.errors = [_("Ingen person har den e-postadressen eller det id:t.")]
            valid = False
    page, total = None, 0
    if valid:
        filters = queries.AuditFilter(person.id if person else None, form.action.data or None)
        page, total = queries.audit_page(filters)
    return render_template(
        "privacy/audit.html", form=form, rows=page.rows if page else [], total=total, page=page,
        person=person, query=known_args(("person", "action")),
    ), (200 if valid else 422)  # fmt: skip


@bp.route("/admin/people/<int(max=2147483647):user_id>/erase", methods=["GET", "POST"])
@requires(may_erase_people)
def erase(user_id: int):
    """Confirm, then erase a person (admins); their completions keep counting, anonymously."""
    person = get_person_or_404(user_id)
    if person.erased_at is not None:
        flash(_("Personen är redan raderad."), "info")
        return redirect(url_for("municipalities.person", user_id=person.id))
    if not may_erase(current_user, person):
        abort(403)
    form = EraseForm()
    if form.validate_on_submit():
        services.erase_person(person, by=current_user)
        flash(
            _("Personen är raderad. Genomförda utbildningar räknas som förut, utan namn."), "info"
        )
        return redirect(url_for("municipalities.person", user_id=person.id))
    status = 422 if form.errors else 200
    return render_template("privacy/erase.html", person=person, form=form), status
