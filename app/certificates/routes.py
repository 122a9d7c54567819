"""Certificates: a learner's own, the coordinator's list and print pack, public verification."""

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
from flask_login import current_user, login_required

from app.certificates import queries, services
from app.certificates.access import may_list, may_revoke, scope_of
from app.certificates.codes import display_code, normalise_code
from app.certificates.forms import CertificateFilterForm, RevokeForm, VerifyForm
from app.certificates.pdf import certificate_pdf
from app.core.access import requires
from app.core.responses import attachment
from app.core.validation import known_args
from app.extensions import limiter

bp = Blueprint("certificates", __name__)
# Certificate codes are shown grouped ("K7QM-X2RT-PA9D") wherever a template prints one.
bp.add_app_template_global(display_code)
VERIFY_LIMIT = "30 per minute"
# One budget per address for every way to check a code (form, page, API), so they do not add up.
verify_limit = limiter.shared_limit(VERIFY_LIMIT, scope="verify")
FILTER_NAMES = ("municipality", "course", "issued_from", "issued_to", "session", "trainer")


def _visible_or_404(certificate_id: int):
    """The certificate, if the user may see it.

    :raise 404: missing, or someone else's that the user may not see (never 403).
    """
    return queries.visible_certificate(current_user, certificate_id) or abort(404)


@bp.get("/certificates/mine")
@login_required
def mine():
    """The user's own certificates with download and verification links."""
    return render_template(
        "certificates/mine.html",
        certificates=queries.certificates_of(current_user),
    )


@bp.get("/certificates/<int(max=2147483647):certificate_id>.pdf")
@login_required
def download(certificate_id: int):
    """One certificate as a PDF (holder, their coordinator, or an admin)."""
    certificate = _visible_or_404(certificate_id)
    if certificate.revoked:
        abort(404)
    page = queries.CertificateRow(
        certificate,
        certificate.holder.email,
        certificate.municipality.name if certificate.municipality else None,
    )
    data = certificate_pdf(queries.page_of(page))
    return attachment(data, f"intyg-{certificate.code}.pdf", "application/pdf")


def _filters_from_request():
    """The filter form from the query string, and the filters it selects (None if invalid)."""
    form = CertificateFilterForm(request.args)
    selected = request.args.get("session", "")
    selected_session = int(selected) if selected.isdigit() and len(selected) < 10 else None
    form.set_choices(queries.filter_choices(scope_of(current_user), selected_session))
    if scope_of(current_user).municipality_id is not None:  # one municipality's list
        del form.municipality
    if request.args and not form.validate():
        return form, None
    data = form.data
    return form, queries.CertificateFilter(
        municipality_id=data.get("municipality"),
        course_id=data.get("course"),
        issued_from=data.get("issued_from"),
        issued_to=data.get("issued_to"),
        session_id=data.get("session"),
        trainer_id=data.get("trainer"),
    )


def _back_to_filters():
    """Invalid filters on a download: back to the list, where the form shows what is wrong."""
    flash(_("Kontrollera filtren."), "error")
    return redirect(url_for(".index", **known_args(FILTER_NAMES)))


@bp.get("/certificates/")
@requires(may_list)
def index():
    """The certificates of the coordinator's municipality (or any, for admins), filtered."""
    form, filters = _filters_from_request()
    page, total = queries.list_page(scope_of(current_user), filters) if filters else (None, 0)
    return render_template(
        "certificates/index.html",
        form=form,
        rows=page.rows if page else [],
        total=total,
        page=page,
        query=known_args(FILTER_NAMES),
        everywhere=scope_of(current_user).municipality_id is None,
        part_size=services.PART_SIZE,
    ), (200 if filters else 422)


@bp.post("/certificates/print-pack")
@requires(may_list)
def print_pack():
    """Start the print pack of every valid certificate in the filtered list (a background job)
    and show its progress."""
    _form, filters = _filters_from_request()
    if filters is None:
        return _back_to_filters()
    count = queries.count_valid(scope_of(current_user), filters)
    if count == 0:
        flash(_("Det finns inga giltiga intyg att skriva ut med de här filtren."), "info")
        return redirect(url_for(".index", **known_args(FILTER_NAMES)))
    back = url_for(".index", **known_args(FILTER_NAMES))
    job = services.start_print_pack(current_user, filters, count, back)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/certificates/list.csv")
@requires(may_list)
def export_csv():
    """Start the filtered list as CSV for Excel (the same selection as the print pack, with
    revoked ones) as a background job."""
    _form, filters = _filters_from_request()
    if filters is None:
        return _back_to_filters()
    back = url_for(".index", **known_args(FILTER_NAMES))
    job = services.start_list_csv(current_user, filters, back)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/certificates/<int(max=2147483647):certificate_id>/revoke", methods=["GET", "POST"])
@requires(may_list)
def revoke(certificate_id: int):
    """Revoke a certificate with a reason (the holder's coordinator, or an admin)."""
    certificate = _visible_or_404(certificate_id)
    if not may_revoke(current_user, certificate):
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        services.revoke_certificate(certificate, current_user, form.reason.data)
        flash(_("Intyget %(code)s är återkallat.", code=display_code(certificate.code)), "info")
        return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("certificates/revoke.html", certificate=certificate, form=form), status


@bp.get("/verify")
@verify_limit
def verify_form():
    """Type a code from a certificate to check it."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        code = normalise_code(form.code.data)
        if code:
            return redirect(url_for(".verify", code=code))
        form.code.errors.append(_("Koden ska vara 12 tecken, till exempel K7QM-X2RT-PA9D."))
    return render_template("certificates/verify_form.html", form=form), (
        422 if form.errors else 200
    )


@bp.get("/verify/<code>")
@verify_limit
def verify(code: str):
    """Public: is this certificate valid, revoked or unknown? Name, course and date only."""
    normalised = normalise_code(code)
    certificate = queries.by_code(normalised) if normalised else None
    status = 200 if certificate else 404
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        code=display_code(normalised) if normalised else code[:20],
    ), status
