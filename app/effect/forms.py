"""Forms of the effect domain: the quick meeting form, the import, the factors."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.effect.models import MeetingForm

FORM_CHOICES = [
    SelectChoice(MeetingForm.VIDEO_ROOM, _l("Videorum")),
    SelectChoice(MeetingForm.JABBER, _l("Jabber")),
    SelectChoice(MeetingForm.WEB, _l("Webbmöte")),
    SelectChoice(MeetingForm.PHONE, _l("Telefonmöte")),
]
# The entry's field names (services.read_entry) as this form names them.
FIELD_OF = {"date": "date", "form": "mode", "meetings": "meetings",
            "participants": "participants", "trips_avoided": "trips_avoided",
            "km_avoided": "km_avoided", "note": "note"}  # fmt: skip


class MeetingLogForm(FlaskForm):
    """A travel-free meeting in a few seconds: text fields, checked by `read_entry`."""

    municipality = SelectField(_l("Kommun"), choices=[], validate_choice=False)
    date = StringField(_l("Datum"), description=_l("ÅÅÅÅ-MM-DD"), render_kw={"type": "date"})
    mode = RadioField(_l("Mötesform"), choices=FORM_CHOICES, default=MeetingForm.VIDEO_ROOM,
                      validate_choice=False)  # fmt: skip
    meetings = StringField(
        _l("Antal möten"), default="1",
        description=_l("Fler än ett när du för in en månads statistik."),
    )  # fmt: skip
    participants = StringField(_l("Deltagare"))
    trips_avoided = StringField(
        _l("Resor som inte behövdes"),
        description=_l("Räkna varje deltagare som annars hade rest."),
    )
    km_avoided = StringField(_l("Km som inte behövde resas (frivilligt)"),
                             description=_l("Tur och retur, alla resor tillsammans. Tomt: vi "
                                            "räknar med kommunens avstånd per resa."))  # fmt: skip
    note = StringField(_l("Anteckning (frivillig)"))

    def values(self) -> dict[str, str]:
        """The fields as `read_entry` reads them."""
        return {entry: self[name].data or "" for entry, name in FIELD_OF.items()}


class ImportForm(FlaskForm):
    """The meeting-log file."""

    file = FileField(_l("Mötesstatistik (CSV)"), validators=[FileRequired(_l("Välj en fil."))])


class ImportConfirmForm(FlaskForm):
    """The previewed file, sent back to be imported (and checked again)."""

    data = HiddenField(validators=[DataRequired()])


class FactorsForm(FlaskForm):
    """The programme office's conversion factors and baseline."""

    car_share = DecimalField(_l("Andel ersatta resor som hade gjorts med bil (%)"), places=1,
                             validators=[InputRequired(), NumberRange(0, 100)])  # fmt: skip
    car_kwh_per_km = DecimalField(_l("kWh per km med bil"), places=2,
                                  validators=[InputRequired(), NumberRange(0, 10)])  # fmt: skip
    other_kwh_per_km = DecimalField(_l("kWh per personkm med buss eller tåg"), places=2,
                                    validators=[InputRequired(), NumberRange(0, 10)])  # fmt: skip
    default_trip_km = DecimalField(_l("Km per ersatt resa, tur och retur"), places=0,
                                   validators=[InputRequired(), NumberRange(0, 2000)])  # fmt: skip
    baseline_mwh = DecimalField(
        _l("Programmets baslinje, MWh per år"), places=0,
        validators=[InputRequired(), NumberRange(1, 10_000_000)],
    )  # fmt: skip


class MunicipalityEffectForm(FlaskForm):
    """A municipality's own share of the baseline and distance per trip (empty: the default)."""

    baseline_mwh = DecimalField(_l("Baslinje, MWh per år"), places=0,
                                validators=[Optional(), NumberRange(0, 10_000_000)])  # fmt: skip
    trip_km = DecimalField(_l("Km per ersatt resa, tur och retur"), places=0,
                           validators=[Optional(), NumberRange(0, 2000)])  # fmt: skip
