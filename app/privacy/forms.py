"""Forms of the privacy domain: the audit log's filters and the erasure's confirmation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.core.audit import AuditAction
from app.core.labels import choices


class AuditFilterForm(FlaskForm):
    """The audit log's filters; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    person = StringField(_l("Person (e-post eller id)"), validators=[Optional(), Length(max=254)])
    action = SelectField(
        _l("Åtgärd"),
        choices=[SelectChoice("", _l("Alla")),
                 *(SelectChoice(value, text) for value, text in choices(AuditAction))],
        validators=[Optional()],
    )  # fmt: skip


class EraseForm(FlaskForm):
    """The admin confirms an erasure that cannot be undone."""

    confirm = BooleanField(
        _l("Jag förstår att raderingen inte kan ångras."),
        validators=[DataRequired(_l("Bekräfta att personen ska raderas."))],
    )
