"""Patterns that check what people type."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def no_control_characters(_form, field) -> None:
    """A WTForms validator: refuse line breaks and other control characters in a one-line field.

    :raise ValidationError: the field holds one.
    """
    if any(ord(char) < 32 or ord(char) == 127 for char in field.data or ""):
        raise ValidationError(_l("Använd inte styrtecken."))
