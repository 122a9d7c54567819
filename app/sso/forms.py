"""Forms of signing in with the municipality's own accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Length, Regexp

from app.core.validation import EMAIL


class SsoLoginForm(FlaskForm):
    """The work email, whose domain picks the municipality's provider."""

    email = EmailField(
        _l("E-postadress på jobbet"),
        validators=[
            DataRequired(_l("Fyll i din e-postadress.")),
            Length(max=254),
            Regexp(EMAIL, message=_l("Skriv hela e-postadressen, till exempel namn@kommun.se.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "username"},
    )
    next = HiddenField()
