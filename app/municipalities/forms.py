"""Forms of the municipalities domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.services import normalise_email
from app.core.validation import EMAIL, no_control_characters, no_control_characters_in_lines
from app.municipalities.facts import FACTS, VALUE_MAX


class RosterUploadForm(FlaskForm):
    """The roster file."""

    file = FileField(_l("Personallista (CSV)"), validators=[FileRequired(_l("Välj en fil."))])


class RosterConfirmForm(FlaskForm):
    """The previewed file, sent back to be imported (and checked again)."""

    data = HiddenField(validators=[DataRequired()])


class TargetsForm(FlaskForm):
    """The programme office's targets for a municipality; roster imports then keep them."""

    staff_target = IntegerField(
        _l("Mål: antal medarbetare att utbilda"),
        validators=[DataRequired(_l("Ange ett antal.")), NumberRange(min=1, max=100000)],
    )
    agent_target = IntegerField(
        _l("Mål: antal mötesagenter"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )


ANY = ""
TRAINED_CHOICES = [
    SelectChoice(ANY, _l("Alla")),
    SelectChoice("yes", _l("Utbildade")),
    SelectChoice("no", _l("Inte utbildade")),
]
ACTIVE_CHOICES = [
    SelectChoice(ANY, _l("Alla")),
    SelectChoice("active", _l("Aktiva")),
    SelectChoice("deactivated", _l("Avslutade")),
]


def _email_address(_form, field) -> None:
    if not EMAIL.match(normalise_email(field.data or "")):
        raise ValidationError(_l("Skriv en e-postadress, till exempel anna.berg@falun.se."))


class PeopleFilterForm(FlaskForm):
    """Search and filters of the people list; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Namn eller e-post"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Roll"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=ACTIVE_CHOICES, validators=[Optional()])
    trained = SelectField(_l("Utbildning"), choices=TRAINED_CHOICES, validators=[Optional()])

    def set_roles(self, roles: list[SelectChoice]) -> None:
        """The roles to filter by."""
        self.role.choices = [SelectChoice(ANY, _l("Alla")), *roles]


class PersonForm(FlaskForm):
    """A person's name, role and unit (the roles offered are those the viewer may give)."""

    name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Skriv personens namn.")), Length(max=200),
                    no_control_characters],
    )  # fmt: skip
    role = SelectField(_l("Roll"), validators=[DataRequired(_l("Välj en roll."))])
    unit = StringField(
        _l("Enhet (valfritt)"), validators=[Optional(), Length(max=200), no_control_characters]
    )


class NewPersonForm(PersonForm):
    """A new person: also their email and (for admins) municipality."""

    email = StringField(
        _l("E-post"),
        validators=[DataRequired(_l("Skriv personens e-postadress.")), Length(max=254),
                    _email_address],
    )  # fmt: skip
    municipality = SelectField(_l("Kommun"))


class MoveForm(FlaskForm):
    """The municipality a person moves to (the programme office's)."""

    municipality = SelectField(_l("Flytta till kommun"))


class FactsForm(FlaskForm):
    """A municipality's own facts, one text area each (fields added from `facts.FACTS`)."""


for _fact in FACTS:
    setattr(
        FactsForm,
        _fact.key.replace("-", "_"),
        TextAreaField(
            _fact.label,
            description=_fact.hint,
            validators=[
                Optional(),
                Length(max=VALUE_MAX, message=_l("Skriv högst %(max)d tecken.")),
                no_control_characters_in_lines,
            ],
        ),
    )
