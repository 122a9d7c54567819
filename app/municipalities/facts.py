"""Each municipality's own facts, and the `{{name}}` placeholders course files use for them.

Course Markdown, practice help and kit documents write `{{videorum}}` where a local detail
differs; the sync rejects unknown names (path:line), and a learner sees their municipality's
value, escaped, or a neutral sentence when it is not filled in. One list of facts, one syntax,
one way to fill them in.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.extensions import db
from app.municipalities.models import MunicipalityFact

# `{{ name }}`: lowercase letters, digits and hyphens, spaces inside the braces allowed.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")
# Anything that looks like an attempt at a placeholder, to report what PLACEHOLDER rejects.
BRACES = re.compile(r"\{\{[^{}\n]*\}\}|\{\{|\}\}")
VALUE_MAX = 2000


@dataclass(frozen=True)
class Fact:
    """A fact a coordinator fills in: its placeholder name, label, a hint for the form and a
    short name for the overview's column."""

    key: str
    label: str
    hint: str
    short: str


FACTS = (
    Fact(
        "videorum",
        _l("Videorum och var de finns"),
        _l("Till exempel: Stadshuset plan 3 (Storsjön), Vårdcentralen (rum 12)."),
        _l("Videorum"),
    ),
    Fact(
        "boka-videorum",
        _l("Så bokar du ett videorum"),
        _l("Till exempel: i Outlook som en resurs, eller via receptionen."),
        _l("Bokning"),
    ),
    Fact(
        "webbmotesverktyg",
        _l("Verktyget för webbmöten"),
        _l("Namnet på tjänsten som kommunen använder för webbmöten."),
        _l("Webbmöten"),
    ),
    Fact(
        "skapa-webbmote",
        _l("Så skapar du en länk till ett webbmöte"),
        _l("De steg som gäller i er kalender eller i webbmötestjänsten."),
        _l("Möteslänk"),
    ),
    Fact(
        "jabber-och-headset",
        _l("Så får du Jabber och headset"),
        _l("Vem du beställer av, och om det kostar något för enheten."),
        _l("Jabber"),
    ),
    Fact(
        "it-support",
        _l("IT-support"),
        _l("Telefonnummer, e-post eller portal, och när supporten är öppen."),
        _l("IT-support"),
    ),
    Fact(
        "dataskyddsombud",
        _l("Dataskyddsombud"),
        _l("Namn eller funktion och hur man når dataskyddsombudet."),
        _l("Dataskydd"),
    ),
    Fact(
        "kansliga-moten",
        _l("Godkänt verktyg för möten med känsliga uppgifter"),
        _l("Vilket verktyg som får användas när mötet rör personuppgifter eller sekretess."),
        _l("Känsligt"),
    ),
    Fact(
        "inspelning",
        _l("Regeln för att spela in möten"),
        _l("Om och när möten får spelas in, och vad deltagarna ska få veta först."),
        _l("Inspelning"),
    ),
    Fact(
        "rapportera-resor",
        _l("Så rapporterar du resor som ersatts"),
        _l("Var och hur en resa som blev ett resfritt möte rapporteras."),
        _l("Resor"),
    ),
)
FACT_KEYS = frozenset(fact.key for fact in FACTS)
UNFILLED = _l("Din kommun har inte fyllt i den här uppgiften ännu. Fråga din kommunkoordinator.")


def placeholder_problems(text: str) -> list[tuple[int, str]]:
    """Each unknown or malformed placeholder in `text`: (offset, message)."""
    problems = []
    for match in BRACES.finditer(text):
        placeholder = PLACEHOLDER.fullmatch(match.group(0))
        if placeholder is None:
            problems.append(
                (match.start(), f"malformed placeholder '{match.group(0)}': write {{{{name}}}}")
            )
        elif placeholder.group(1) not in FACT_KEYS:
            known = ", ".join(sorted(FACT_KEYS))
            problems.append(
                (match.start(), f"unknown fact '{placeholder.group(1)}' (known: {known})")
            )
    return problems


def placeholders_in(text: str) -> set[str]:
    """The fact names a text uses."""
    return set(PLACEHOLDER.findall(text))


def facts_of(municipality_id: int | None) -> dict[str, str]:
    """The municipality's filled-in facts by name (1 query; none for people without one)."""
    if municipality_id is None:
        return {}
    rows = db.session.execute(
        db.select(MunicipalityFact.key, MunicipalityFact.value).where(
            MunicipalityFact.municipality_id == municipality_id
        )
    ).all()
    return {key: value for key, value in rows if value.strip()}


def fill_html(html: str, values: dict[str, str]) -> Markup:
    """Sanitised HTML with each placeholder replaced by the escaped value (line breaks kept), or
    by the neutral sentence when the municipality has not filled it in."""

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1), "").strip()
        if not value:
            return f'<span class="fact fact-missing">{escape(UNFILLED)}</span>'
        lines = Markup("<br>").join(escape(line) for line in value.splitlines())
        return f'<span class="fact">{lines}</span>'

    # the HTML was sanitised at sync time and every value is escaped above
    return Markup(PLACEHOLDER.sub(replace, html))  # noqa: S704


def fill_text(text: str, values: dict[str, str]) -> str:
    """Plain text (a document or e-mail) with its placeholders filled in the same way."""
    return PLACEHOLDER.sub(
        lambda match: values.get(match.group(1), "").strip() or str(UNFILLED), text
    )


_FACT_USE_SOURCES: list[Callable[[], dict[str, list[str]]]] = []


def register_fact_uses(source: Callable[[], dict[str, list[str]]]) -> None:
    """A higher domain that fills facts into its text (lessons, the kit) tells where: `source()`
    gives {fact key: [place, ...]}. The facts page lists them without importing those domains."""
    _FACT_USE_SOURCES.append(source)


def fact_uses() -> dict[str, list[str]]:
    """Where each fact is used, from every registered source, in registration order."""
    uses: dict[str, list[str]] = {}
    for source in _FACT_USE_SOURCES:
        for key, places in source().items():
            uses.setdefault(key, []).extend(places)
    return uses
