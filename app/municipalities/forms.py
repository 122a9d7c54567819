"""Forms of the municipalities domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional


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
