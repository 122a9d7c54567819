"""Forms of the certificates domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

ANY = [("", _l("Alla"))]


def _optional_int(value):
    return int(value) if value not in (None, "") and str(value).isdigit() else None


class CertificateFilterForm(FlaskForm):
    """Filters of the certificate list; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    municipality = SelectField(_l("Kommun"), coerce=_optional_int, validators=[Optional()])
    course = SelectField(_l("Kurs"), coerce=_optional_int, validators=[Optional()])
    issued_from = DateField(_l("Utfärdat från och med"), validators=[Optional()])
    issued_to = DateField(_l("Utfärdat till och med"), validators=[Optional()])
    trainer = SelectField(
        _l("Mötesagent (utbildare)"), coerce=_optional_int, validators=[Optional()]
    )
    session = SelectField(_l("Utbildningstillfälle"), coerce=_optional_int, validators=[Optional()])

    def set_choices(self, choices: dict) -> None:
        """Fill the select fields from the viewer's data."""
        for name, key in (
            ("municipality", "municipalities"),
            ("course", "courses"),
            ("trainer", "trainers"),
            ("session", "sessions"),
        ):
            # Course titles are Swedish course content: marked so in any UI language.
            extra = {"lang": "sv"} if name == "course" else {}
            self[name].choices = ANY + [
                SelectChoice(str(value), label, render_kw=extra) for value, label in choices[key]
            ]

    def validate(self, extra_validators=None) -> bool:
        """Also check that the date range is not reversed."""
        if not super().validate(extra_validators):
            return False
        if (
            self.issued_from.data
            and self.issued_to.data
            and self.issued_from.data > self.issued_to.data
        ):
            self.issued_to.errors.append(_l("Slutdatum kan inte vara före startdatum."))
            return False
        return True


class RevokeForm(FlaskForm):
    """Revoke a certificate; the reason is kept on record."""

    reason = TextAreaField(
        _l("Skäl"),
        validators=[DataRequired(_l("Skriv varför intyget återkallas.")), Length(max=1000)],
    )


class VerifyForm(FlaskForm):
    """Type the code printed on a certificate; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verifieringskod"), validators=[DataRequired(_l("Skriv koden från intyget."))]
    )
