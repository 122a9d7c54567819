"""Every UI string in the code and templates has an English translation."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.support import ROOT

CATALOGUE = ROOT / "app/translations/en/LC_MESSAGES/messages.po"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def test_every_ui_string_is_translated_to_english():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for filename, lineno, message, *_ in extract_from_dir(
        ROOT / "app", method_map=METHODS, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"app/{filename}:{lineno}: {msgid}")
    assert missing == [], "run `make extract-messages` and translate:\n" + "\n".join(missing)
