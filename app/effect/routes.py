"""The effect pages: the meeting log (quick form, import, corrections), the follow-up per
municipality and in total, how we count, and the yearly report."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.access import requires
from app.core.csvfile import pack, unpack
from app.core.scope import may_see_every_municipality
from app.core.time import STOCKHOLM, utcnow
from app.core.validation import query_int
from app.effect import queries, services
from app.effect.access import may_correct, may_follow_effect, may_log_meetings, may_set_factors
from app.effect.factors import DEFAULTS, baselines, current_factors
from app.effect.forms import (
    FIELD_OF,
    FactorsForm,
    ImportConfirmForm,
    ImportForm,
    MeetingLogForm,
    MunicipalityEffectForm,
)
from app.effect.models import TravelFreeMeeting
from app.effect.report import start_report
from app.extensions import db
from app.municipalities.access import get_municipality_or_404
from app.municipalities.models import Municipality
from app.reports.queries import coverage_of

bp = Blueprint("effect", __name__, url_prefix="/effect")


def _year() -> int:
    """The year asked for (?year=, 2000–2100, else 400), else this year."""
    return query_int("year", default=queries.this_year(), minimum=2000, maximum=2100)


@bp.get("/")
@requires(may_log_meetings)
def overview():
    """All 15 with the total, the months and coverage beside meetings (programme office);
    coordinators go to their own municipality, agents to the meeting form."""
    if not may_see_every_municipality(current_user):
        if may_follow_effect(current_user):
            return redirect(url_for(".municipality", code=current_user.municipality.code))
        return redirect(url_for(".log"))
    year = _year()
    rows = queries.effect_by_municipality(year)
    return render_template(
        "effect/overview.html", year=year, years=queries.years_logged(), rows=rows,
        total=queries.totals(rows), months=queries.by_month(year),
        points=queries.coverage_beside_meetings(rows), years_rows=queries.by_year(),
    )  # fmt: skip


@bp.get("/<code>")
@requires(may_follow_effect)
def municipality(code: str):
    """One municipality's effect in the year beside its coverage, by month, and its log."""
    place = get_municipality_or_404(code)
    year = _year()
    page = queries.entries(place)
    return render_template(
        "effect/municipality.html", municipality=place, year=year, years=queries.years_logged(),
        row=queries.effect_by_municipality(year, only=place)[0],
        months=queries.by_month(year, place), coverage=coverage_of(place),
        years_rows=queries.by_year(place),
        entries=page.rows, page=page,
    )  # fmt: skip


def _municipality_choices(form: MeetingLogForm) -> None:
    places = db.session.scalars(db.select(Municipality).order_by(Municipality.name)).all()
    form.municipality.choices = [(m.code, m.name) for m in places]


def _chosen_municipality(form: MeetingLogForm) -> Municipality | None:
    """The municipality an entry is for: the programme office chooses, others log their own."""
    if not may_see_every_municipality(current_user):
        return current_user.municipality
    return db.session.scalar(db.select(Municipality).filter_by(code=form.municipality.data))


def _read(form: MeetingLogForm):
    """The form's entry, or None with the field errors set."""
    try:
        return services.read_entry(form.values())
    except services.EntryError as error:
        form[FIELD_OF[error.field]].errors = [*form[FIELD_OF[error.field]].errors,
                                              str(error.message).capitalize() + "."]  # fmt: skip
        return None


@bp.route("/log", methods=["GET", "POST"])
@requires(may_log_meetings)
def log():
    """Log a travel-free meeting in a few seconds (works on a phone, without JavaScript)."""
    form = MeetingLogForm()
    _municipality_choices(form)
    if request.method == "GET":
        form.date.data = utcnow().astimezone(STOCKHOLM).date().isoformat()
        if current_user.municipality is not None:
            form.municipality.data = current_user.municipality.code
    if form.validate_on_submit():
        place = _chosen_municipality(form)
        if place is None:
            form.municipality.errors = [_("Välj en kommun.")]
        else:
            item = _read(form)
            if item is not None:
                services.log_meeting(place, item, current_user)
                flash(_("Mötet är sparat i %(m)s mötesloggen. Tack!", m=place.name), "info")
                return redirect(url_for(".log"))
    mine = db.session.scalars(
        db.select(TravelFreeMeeting)
        .where(TravelFreeMeeting.created_by_id == current_user.id,
               TravelFreeMeeting.replaced_at.is_(None))
        .order_by(TravelFreeMeeting.created_at.desc())
        .limit(10)
    ).all()  # fmt: skip
    return render_template(
        "effect/log.html", form=form, mine=mine,
        chooses=may_see_every_municipality(current_user),
    ), 422 if form.errors else 200  # fmt: skip


def _entry_or_404(entry_id: int) -> TravelFreeMeeting:
    """A current entry the user may correct; anyone else's or a replaced one is 404."""
    entry = db.session.get(TravelFreeMeeting, entry_id)
    if entry is None or entry.replaced_at is not None or not may_correct(current_user, entry):
        abort(404)
    return entry


@bp.route("/entries/<int(max=2147483647):entry_id>", methods=["GET", "POST"])
@requires(may_log_meetings)
def correct(entry_id: int):
    """Correct an entry (the old one is kept in the history), or remove it."""
    entry = _entry_or_404(entry_id)
    form = MeetingLogForm(data={
        "date": entry.held_on.isoformat(), "mode": entry.form, "meetings": str(entry.meetings),
        "participants": str(entry.participants), "trips_avoided": str(entry.trips_avoided),
        "km_avoided": "" if entry.km_avoided is None else f"{entry.km_avoided:g}",
        "note": entry.note,
    } if request.method == "GET" else None)  # fmt: skip
    if form.validate_on_submit():
        if request.form.get("action") == "remove":
            services.correct_meeting(entry, None, current_user)
            flash(_("Mötet är borttaget ur loggen. Det finns kvar i historiken."), "info")
            return redirect(_back_from(entry))
        item = _read(form)
        if item is not None:
            services.correct_meeting(entry, item, current_user)
            flash(_("Rättelsen är sparad. Den tidigare uppgiften finns kvar i historiken."), "info")
            return redirect(_back_from(entry))
    return render_template("effect/correct.html", form=form, entry=entry), (
        422 if form.errors else 200
    )


def _back_from(entry: TravelFreeMeeting) -> str:
    if may_follow_effect(current_user):
        return url_for(".municipality", code=entry.municipality.code, _anchor="log")
    return url_for(".log")


@bp.route("/<code>/import", methods=["GET", "POST"])
@requires(may_follow_effect)
def import_file(code: str):
    """Upload the meeting platform's statistics, see what each row would do, then confirm."""
    place = get_municipality_or_404(code)
    upload, confirm = ImportForm(), ImportConfirmForm()
    any_municipality = may_see_every_municipality(current_user)
    report, data, refused = None, None, None
    if "data" in request.form and confirm.validate_on_submit():
        try:
            report = services.preview_import(unpack(confirm.data.data), place, any_municipality)
        except services.ImportRefused as error:
            refused = str(error)
        else:
            added = services.apply_import(report, current_user)
            flash(ngettext("%(num)d möte är inläst.", "%(num)d möten är inlästa.", added)
                  + " " + ngettext("%(num)d rad avvisades.", "%(num)d rader avvisades.",
                                   report.count("rejected")), "info")  # fmt: skip
            return redirect(url_for(".municipality", code=code))
    elif upload.validate_on_submit():
        raw = upload.file.data.read(services.MAX_BYTES + 1)
        try:
            report = services.preview_import(raw, place, any_municipality)
            data = pack(raw)
        except services.ImportRefused as error:
            refused = str(error)
    return render_template(
        "effect/import.html", municipality=place, upload=upload, report=report, data=data,
        refused=refused,
    ), 422 if refused or upload.errors else 200  # fmt: skip


@bp.route("/how", methods=["GET", "POST"])
@requires(may_log_meetings)
def how():
    """How we count: the factors with their sources, the baseline per municipality; the
    programme office changes them here."""
    factors = current_factors()
    form = FactorsForm(data={
        "car_share": 100 * factors.car_share, "car_kwh_per_km": factors.car_kwh_per_km,
        "other_kwh_per_km": factors.other_kwh_per_km,
        "default_trip_km": factors.default_trip_km, "baseline_mwh": factors.baseline_mwh,
    } if request.method == "GET" else None)  # fmt: skip
    if request.method == "POST":
        if not may_set_factors(current_user):
            abort(403)
        if form.validate_on_submit():
            values = {name: float(form[name].data) for name in (
                "car_share", "car_kwh_per_km", "other_kwh_per_km", "default_trip_km",
                "baseline_mwh")}  # fmt: skip
            values["car_share"] /= 100
            services.set_factors(values, current_user)
            flash(_("Faktorerna är sparade. Alla sidor räknar med dem från och med nu."), "info")
            return redirect(url_for(".how"))
    places = db.session.scalars(db.select(Municipality).order_by(Municipality.name)).all()
    return render_template(
        "effect/how.html", factors=factors, defaults=DEFAULTS, form=form,
        edits=may_set_factors(current_user), places=places,
        baselines=baselines(factors, places),
    ), 422 if form.errors else 200  # fmt: skip


@bp.post("/<code>/settings")
@requires(may_set_factors)
def municipality_settings(code: str):
    """The programme office sets a municipality's baseline and distance per trip."""
    place = get_municipality_or_404(code)
    form = MunicipalityEffectForm()
    if form.validate_on_submit():
        services.set_municipality_effect(
            place,
            float(form.baseline_mwh.data) if form.baseline_mwh.data is not None else None,
            float(form.trip_km.data) if form.trip_km.data is not None else None,
            current_user,
        )
        flash(_("Inställningarna för %(m)s är sparade.", m=place.name), "info")
    else:
        flash(_("Ange baslinje och avstånd som tal från 0, eller lämna tomt."), "error")
    return redirect(url_for(".how", _anchor=f"m-{code}"))


@bp.post("/report-<int(min=2000,max=2100):year>.<any(pdf, xlsx):kind>")
@requires(may_set_factors)
def report(year: int, kind: str):
    """Start the yearly report for the funder, as PDF or Excel (a background job)."""
    job = start_report(current_user, year, kind, back=url_for(".overview", year=year))
    return redirect(url_for("jobs.show", job_id=job.id))
