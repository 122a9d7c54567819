"""Forms of the auth domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.validation import no_control_characters


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(_l("Fyll i din e-postadress.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[DataRequired(_l("Fyll i ditt lösenord.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Logga in"))


class EmailForm(FlaskForm):
    """An email address: for a new activation link or a password reset."""

    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(_l("Fyll i din e-postadress.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class NewPasswordForm(FlaskForm):
    """Choose a password (activation or reset); the rule is checked by the service."""

    password = PasswordField(
        _l("Nytt lösenord"),
        validators=[DataRequired(_l("Skriv ett lösenord."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Samma lösenord igen"),
        validators=[
            DataRequired(_l("Skriv lösenordet en gång till.")),
            EqualTo("password", _l("Lösenorden är inte lika.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    """The current password, then the new one twice."""

    current = PasswordField(
        _l("Nuvarande lösenord"), render_kw={"autocomplete": "current-password"}
    )


class ProfileForm(FlaskForm):
    """One's own name and interface language."""

    name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Skriv ditt namn.")), Length(max=200), no_control_characters],
        render_kw={"autocomplete": "name"},
    )  # fmt: skip
    locale = SelectField(
        _l("Språk"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]
    )
