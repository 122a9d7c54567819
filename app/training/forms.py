"""Forms of the training domain."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.labels import choices
from app.core.time import STOCKHOLM
from app.core.validation import no_control_characters, no_control_characters_in_lines
from app.training.models import SessionMode


def _mode_choices() -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in choices(SessionMode)]


class SessionForm(FlaskForm):
    """Create or edit a session; times are Swedish local time."""

    title = StringField(
        _l("Rubrik"),
        validators=[DataRequired(_l("Skriv en rubrik.")), Length(max=200), no_control_characters],
    )
    starts_at = DateTimeLocalField(
        _l("Börjar"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Ange när tillfället börjar (datum och tid)."))],
    )
    ends_at = DateTimeLocalField(
        _l("Slutar"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Ange när tillfället slutar (datum och tid)."))],
    )
    mode = SelectField(_l("Form"), choices=_mode_choices)
    place = StringField(
        _l("Plats eller möteslänk"),
        validators=[
            DataRequired(_l("Skriv var tillfället hålls eller länken till mötet.")),
            Length(max=500),
            no_control_characters,
        ],
    )
    capacity = IntegerField(
        _l("Antal platser"),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message=_l("Ange ett antal från 1.")),
        ],
    )
    notes = TextAreaField(
        _l("Anteckningar till deltagarna"),
        validators=[Optional(), Length(max=2000), no_control_characters_in_lines],
    )

    def local(self, field) -> datetime:
        """A field's naive local time as an aware Stockholm time."""
        return field.data.replace(tzinfo=STOCKHOLM)

    def validate_with_times(self) -> bool:
        """Field checks plus: real Swedish times and the end after the start.

        How far back a session may lie is a rule of the service (`training.timing`).
        """
        if not self.validate_on_submit():
            return False
        for field in (self.starts_at, self.ends_at):
            if not 2000 <= field.data.year <= 2100:
                field.errors.append(_l("Ange ett datum mellan år 2000 och 2100."))
                return False
            there_and_back = self.local(field).astimezone(UTC).astimezone(STOCKHOLM)
            if there_and_back.replace(tzinfo=None) != field.data:
                field.errors.append(_l("Den tiden finns inte (sommartid börjar). Välj en annan."))
                return False
        if self.local(self.ends_at).astimezone(UTC) <= self.local(self.starts_at).astimezone(UTC):
            self.ends_at.errors.append(_l("Slutet måste vara efter starten."))
            return False
        return True


class CheckInForm(FlaskForm):
    """The check-in code shown by the agent."""

    code = StringField(
        _l("Incheckningskod"),
        validators=[DataRequired(_l("Skriv koden som mötesagenten visar.")), Length(max=20)],
    )


class ReopenForm(FlaskForm):
    """The programme office's reason for reopening a closed session."""

    reason = StringField(
        _l("Varför öppnas tillfället igen?"),
        validators=[
            DataRequired(_l("Skriv varför tillfället öppnas igen.")),
            Length(max=500),
            no_control_characters,
        ],
    )


MAX_PASTED_LINES = 100
MAX_ID = 2**31 - 1


class AddPeopleForm(FlaskForm):
    """Colleagues to put on a session's list: ticked in a search result, or pasted a line each."""

    user_id = SelectMultipleField(coerce=int, validate_choice=False)
    lines = TextAreaField(
        _l("Klistra in namn eller e-postadresser, en per rad"),
        validators=[Optional(), Length(max=MAX_PASTED_LINES * 300)],
        render_kw={"rows": 8},
    )

    def validate_lines(self, field) -> None:
        """At most MAX_PASTED_LINES lines at a time."""
        if len(self.pasted()) > MAX_PASTED_LINES:
            raise ValidationError(_l("Klistra in högst %(n)d rader åt gången.", n=MAX_PASTED_LINES))

    def ids(self) -> list[int]:
        """The ticked people's ids, each once."""
        return list(dict.fromkeys(i for i in self.user_id.data or [] if 0 < i <= MAX_ID))

    def pasted(self) -> list[str]:
        """The pasted lines that hold something, trimmed, each once."""
        lines = (line.strip() for line in (self.lines.data or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


RATINGS = [SelectChoice(str(n), str(n)) for n in range(1, 6)]
RATING_MESSAGE = _l("Välj ett svar från 1 till 5.")


class RatingField(RadioField):
    """A rating 1–5 as radio buttons; anything else gets the same plain message."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("choices", RATINGS)
        kwargs.setdefault("validators", [InputRequired(RATING_MESSAGE)])
        super().__init__(label, **kwargs)

    def pre_validate(self, form) -> None:
        """Refuse a value that is not one of the five ratings."""
        if self.data not in {choice.value for choice in RATINGS}:
            raise ValidationError(RATING_MESSAGE)


class EvaluationForm(FlaskForm):
    """An attendee's evaluation: three statements rated 1 (disagree) to 5 (agree), a comment."""

    useful = RatingField(_l("Utbildningen var till nytta för mitt arbete"))
    clear = RatingField(_l("Mötesagenten förklarade tydligt"))
    confident = RatingField(_l("Jag känner mig säker på att delta i ett resfritt möte"))
    comment = TextAreaField(_l("Något du vill lägga till? (frivilligt)"),
                            validators=[Optional(), Length(max=1000),
                                        no_control_characters_in_lines])  # fmt: skip

    def answers(self) -> dict:
        """The validated answers as the model's fields."""
        return {
            "useful": int(self.useful.data), "clear": int(self.clear.data),
            "confident": int(self.confident.data), "comment": (self.comment.data or "").strip(),
        }  # fmt: skip
