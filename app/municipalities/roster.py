"""Staff roster import: parse a CSV from Excel, preview each row, then upsert in one transaction
(a list of more than IN_REQUEST rows as a background job: a new municipality's 10,000 people
took 1–2.5 s to save)."""

import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func

from app.auth.models import User
from app.core.audit import AuditAction, audit
from app.core.csvfile import CsvRefused, Text, _l, read_rows, unpack
from app.core.events import agent_role_ended
from app.core.jobs import services as jobs
from app.core.jobs.models import Job
from app.core.roles import Role
from app.core.scope import may_see_every_municipality
from app.core.validation import EMAIL, has_hidden_characters
from app.extensions import db
from app.municipalities.access import may_manage_people, visible_municipality
from app.municipalities.models import Municipality

log = logging.getLogger(__name__)
MAX_BYTES = 1024 * 1024
MAX_ROWS = 20000
IN_REQUEST = 2000  # rows saved while the person waits; a longer list is saved as a job
IMPORTABLE_ROLES = {Role.EMPLOYEE, Role.AGENT, Role.COORDINATOR}
ROLE_WORDS = {
    "employee": Role.EMPLOYEE, "medarbetare": Role.EMPLOYEE, "agent": Role.AGENT,
    "mötesagent": Role.AGENT, "coordinator": Role.COORDINATOR,
    "kommunkoordinator": Role.COORDINATOR,
}  # fmt: skip
COLUMNS = {
    "email": "email", "e-post": "email", "epost": "email", "name": "name", "namn": "name",
    "role": "role", "roll": "role", "municipality": "municipality", "kommun": "municipality",
    "kommunkod": "municipality", "unit": "unit", "enhet": "unit",
}  # fmt: skip


# The required columns as a refusal names them, in the reader's language.
COLUMN_WORDS = {"email": _l("e-post"), "name": _l("namn"), "role": _l("roll")}


RosterRefused = CsvRefused  # the roster file as a whole cannot be read


@dataclass
class RosterRow:
    """One line of the file and what the import does with it."""

    number: int
    email: str
    name: str
    role: str
    municipality: str
    unit: str
    status: str = ""  # created | updated | unchanged | rejected
    reason: str | Text = ""  # lazy: rendered in the reader's language when shown


@dataclass
class RosterReport:
    """Every row's outcome, and the counts."""

    rows: list[RosterRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many rows have this status."""
        return sum(1 for row in self.rows if row.status == status)


def parse(data: bytes) -> list[RosterRow]:
    """The rows of a roster file (header `email;name;role`, optionally `municipality`, `unit`).

    :raise RosterRefused: not a CSV with those columns, or too many rows.
    """
    header, rows = read_rows(data, MAX_BYTES)
    return _rows([COLUMNS.get(cell, "") for cell in header], rows)


def _rows(header: list[str], lines: list[tuple[int, list[str]]]) -> list[RosterRow]:
    missing = {"email", "name", "role"} - set(header)
    if missing:
        words = Text(lambda: ", ".join(str(COLUMN_WORDS[key]) for key in sorted(missing)))
        raise RosterRefused(
            _l(
                "första raden ska ha kolumnerna e-post;namn;roll (och gärna kommun;enhet); "
                "saknas: %(missing)s",
                missing=words,
            )
        )
    rows = []
    for number, cells in lines:
        if len(rows) >= MAX_ROWS:
            raise RosterRefused(_l("fler än %(n)d rader", n=MAX_ROWS))
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header) if key}
        email, role = values["email"].lower(), values["role"].lower()
        extra = values.get("municipality", ""), values.get("unit", "")
        rows.append(RosterRow(number, email, values["name"], role, *extra))
    if not rows:
        raise RosterRefused(_l("filen har en rubrikrad men inga personer"))
    return rows


def preview(data: bytes, municipality: Municipality | None, any_municipality: bool) -> RosterReport:
    """What importing the file would do, row by row; writes nothing.

    `municipality` is the one rows belong to when they name none; a coordinator's import
    (`any_municipality` false) may only hold people of that municipality.

    :raise RosterRefused: the file as a whole is unusable.
    """
    rows = parse(data)
    codes = {m.code: m for m in db.session.scalars(db.select(Municipality))}
    existing = {
        user.email: user
        for user in db.session.scalars(
            db.select(User).where(User.email.in_([row.email for row in rows]))
        )
    }
    seen: set[str] = set()
    report = RosterReport()
    for row in rows:
        row.status, row.reason = _judge(row, existing, codes, municipality, any_municipality, seen)
        seen.add(row.email)
        report.rows.append(row)
    return report


# Says nothing about other municipalities.
NOT_HERE = _l("e-postadressen kan inte läsas in här")
ONLY_ADMINS = _l("bara programkontoret ger eller ändrar rollen kommunkoordinator")


def _judge(row, existing, codes, municipality, any_municipality, seen) -> tuple[str, str | Text]:
    if len(row.email) > 254 or len(row.name) > 200 or len(row.unit) > 200:
        return "rejected", _l("för lång (e-post högst 254 tecken, namn och enhet högst 200)")
    if has_hidden_characters(row.email + row.name + row.unit):
        return "rejected", _l(
            "osynliga styrtecken är inte tillåtna (till exempel tecken som vänder skrivriktningen)"
        )
    if not EMAIL.match(row.email):
        return "rejected", _l("'%(email)s' är ingen e-postadress", email=row.email)
    if row.email in seen:
        return "rejected", _l("e-postadressen finns redan tidigare i filen")
    if not row.name:
        return "rejected", _l("namnet saknas")
    role = ROLE_WORDS.get(row.role)
    if role is None:
        return "rejected", _l(
            "okänd roll '%(role)s' (medarbetare, mötesagent eller kommunkoordinator)",
            role=row.role,
        )
    row.role = role
    code = row.municipality or (municipality.code if municipality else "")
    if not code:
        return "rejected", _l("ingen kommun: lägg till en kolumn kommun eller välj kommun")
    if code not in codes:
        return "rejected", _l("okänd kommunkod '%(code)s'", code=code)
    if not any_municipality and municipality is not None and code != municipality.code:
        return "rejected", _l("hör till en annan kommun (%(code)s)", code=code)
    row.municipality = code
    user = existing.get(row.email)
    # A coordinator makes employees agents and back, nothing higher (as on the people pages).
    beyond_coordinator = not any_municipality and Role.COORDINATOR in (role, user and user.role)
    if user is None:
        return ("rejected", ONLY_ADMINS) if beyond_coordinator else ("created", "")
    if user.role == Role.ADMIN:
        return (
            "rejected",
            _l("ett administratörskonto kan inte ändras av en personallista")
            if any_municipality
            else NOT_HERE,
        )
    if user.municipality_id != codes[code].id:
        if not any_municipality:
            return "rejected", NOT_HERE
        current = next((m.code for m in codes.values() if m.id == user.municipality_id), "?")
        return "rejected", _l("redan registrerad i kommun %(code)s; flyttas inte", code=current)
    if (user.name, user.role, user.unit, user.active) == (row.name, role, row.unit, True):
        return "unchanged", ""
    if beyond_coordinator:
        return "rejected", ONLY_ADMINS
    return "updated", ""


def apply(report: RosterReport, by: User | None = None) -> None:
    """Write the created and updated rows in one transaction; then refresh staff targets.

    An agent whose row now gives another role stops being an agent: `agent_role_ended`.
    """
    codes = {m.code: m for m in db.session.scalars(db.select(Municipality))}
    emails = [row.email for row in report.rows if row.status in ("created", "updated")]
    existing = {
        u.email: u for u in db.session.scalars(db.select(User).where(User.email.in_(emails)))
    }
    touched, ended = set(), []
    for row in report.rows:
        if row.status == "created":
            db.session.add(User(email=row.email, name=row.name, role=row.role, unit=row.unit,
                                municipality_id=codes[row.municipality].id))  # fmt: skip
        elif row.status == "updated":
            user = existing[row.email]
            if user.role == Role.AGENT and row.role != Role.AGENT:
                ended.append(user)
            user.name, user.role, user.unit, user.active = row.name, row.role, row.unit, True
        if row.status in ("created", "updated", "unchanged"):
            touched.add(row.municipality)
    db.session.flush()
    for code in touched:
        set_target_from_roster(codes[code])
    for user in ended:
        agent_role_ended.send(user, by=by)
    created, updated, rejected = (report.count(s) for s in ("created", "updated", "rejected"))
    audit(by, AuditAction.ROSTER_IMPORTED, municipalities=sorted(touched), created=created,
          updated=updated, rejected=rejected)  # fmt: skip
    db.session.commit()
    log.info("Roster import: %d created, %d updated, %d rejected", created, updated, rejected)


def set_target_from_roster(municipality: Municipality) -> None:
    """Until the programme office sets it, the staff target follows the roster's size (active
    staff) upwards only: deactivating people never lowers it, so a municipality cannot raise
    its own coverage by removing untrained staff."""
    if municipality.staff_target_explicit:
        return
    size = db.session.scalar(
        db.select(func.count(User.id)).where(
            User.municipality_id == municipality.id,
            User.active.is_(True),
            User.role.in_([Role.EMPLOYEE, Role.AGENT, Role.COORDINATOR]),
        )
    )
    municipality.staff_target = max(municipality.staff_target or 0, size) or None


PREVIEW_ROWS = 200  # rows of a preview shown beside every rejected and changed one
LOOK_AT = ("rejected", "updated")  # rows a preview always shows, first


def rows_to_show(report: RosterReport) -> list[RosterRow]:
    """The preview's rows: every rejected and changed one first, then the first new and unchanged
    ones up to PREVIEW_ROWS in all (a list of 10,000 new people is read by its counts)."""
    first = [row for row in report.rows if row.status in LOOK_AT]
    others = [row for row in report.rows if row.status not in LOOK_AT]
    return first + others[: max(0, PREVIEW_ROWS - len(first))]


def counts_in_words(report: RosterReport) -> dict[str, str]:
    """The import's counts as words, singular or plural ("1 avvisad rad", "3 avvisade rader")."""
    return {
        "created": ngettext("%(num)d ny person", "%(num)d nya personer", report.count("created")),
        "updated": ngettext(
            "%(num)d ändrad person", "%(num)d ändrade personer", report.count("updated")
        ),
        "unchanged": ngettext(
            "%(num)d oförändrad person", "%(num)d oförändrade personer", report.count("unchanged")
        ),
        "rejected": ngettext(
            "%(num)d avvisad rad", "%(num)d avvisade rader", report.count("rejected")
        ),
    }


def saved_message(report: RosterReport) -> str:
    """What the person reads once the list is saved."""
    return _("Personallistan är inläst: %(created)s, %(updated)s och %(rejected)s.",
             **counts_in_words(report))  # fmt: skip


def start_saving(owner: User, municipality: Municipality, packed: str, back: str) -> Job:
    """Save a previewed list (as the confirm form carries it) in the background."""
    return jobs.start("roster_import", owner, 0, {"code": municipality.code, "data": packed}, back)


@jobs.handler("roster_import", _l("Personallista"))
def _save(job: Job, _path, _progress) -> tuple[str, str]:
    """Preview the list again, as its owner may import it now, and save it."""
    owner = job.owner
    place = visible_municipality(owner, job.params["code"])
    if place is None or not may_manage_people(owner):
        raise jobs.JobFailed(_("Du har inte längre behörighet att läsa in personallistor här."))
    try:
        report = preview(unpack(job.params["data"]), place, may_see_every_municipality(owner))
    except RosterRefused as error:
        raise jobs.JobFailed(str(error)) from error
    apply(report, by=owner)
    return "", saved_message(report)
