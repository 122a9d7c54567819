"""Each municipality's own facts: filled in by its coordinator, shown to its learners in the
lessons, practice and kit (escaped, or a neutral sentence), never raw placeholders."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from app.core.audit import AuditAction, AuditEntry
from app.core.roles import Role
from app.extensions import db
from app.municipalities.facts import FACTS, UNFILLED, fill_html, fill_text, placeholder_problems
from app.municipalities.models import MunicipalityFact
from app.municipalities.services import save_facts
from tests.support.progress import attempt, course_of, read
from tests.support.training import do_practice

MISSING = str(UNFILLED)


def test_a_filled_fact_is_escaped_and_keeps_its_lines_and_a_missing_one_is_a_sentence(app):
    html = "<p>Rum: {{videorum}}</p><p>Support: {{ it-support }}</p>"
    filled = fill_html(html, {"videorum": 'Stadshuset <script>alert("x")</script>\nSkolan'})
    assert "<script>" not in filled
    assert "Stadshuset &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>Skolan" in filled
    assert f'<span class="fact fact-missing">{MISSING}</span>' in filled
    assert "{{" not in filled
    assert fill_text("Ring {{it-support}}.", {"it-support": "  "}) == f"Ring {MISSING}."


def test_placeholder_problems_name_unknown_and_malformed_ones():
    problems = placeholder_problems("A {{videorum}} B {{rummet}} C {{ Video rum }} D }}")
    assert [message.split(" ")[0] for _, message in problems] == [
        "unknown",
        "malformed",
        "malformed",
    ]
    assert problems[0][0] == len("A {{videorum}} B ")


def test_a_learner_reads_their_own_municipalitys_facts(client, auth, create_user, synced_courses):
    coordinator = create_user(role=Role.COORDINATOR)
    save_facts(coordinator.municipality, {"videorum": "Stadshuset plan 2 (Runn)"}, coordinator)
    falun, mora = (
        create_user(role=Role.AGENT),
        create_user(role=Role.AGENT, municipality_code="2062"),
    )
    auth.login_as(falun)
    page = client.get("/courses/agent/skills/videorummet").get_data(as_text=True)
    assert "Stadshuset plan 2 (Runn)" in page and "{{" not in page
    auth.logout()
    auth.login_as(mora)
    page = client.get("/courses/agent/skills/videorummet").get_data(as_text=True)
    assert "Stadshuset plan 2 (Runn)" not in page and MISSING in page and "{{" not in page


def test_the_coordinator_fills_in_the_facts_and_sees_where_they_are_used(
    client, auth, create_user, synced_courses
):
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    page = client.get("/municipalities/2080/facts").get_data(as_text=True)
    assert f"{len(FACTS)} uppgifter saknas" in page
    assert "Används på" in page and "Mötesagentutbildning › Del 1" in page
    assert "Utbildningspaket ›" in page
    response = client.post("/municipalities/2080/facts", data={
        "videorum": "Stadshuset plan 2", "it_support": "023-83 000", "inspelning": ""})  # fmt: skip
    assert response.status_code == 302
    stored = dict(db.session.execute(db.select(MunicipalityFact.key, MunicipalityFact.value)).all())
    assert stored == {"videorum": "Stadshuset plan 2", "it-support": "023-83 000"}
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action=AuditAction.FACTS_UPDATED))
    assert sorted(entry.details["facts"]) == ["it-support", "videorum"]
    page = client.get("/municipalities/2080/facts").get_data(as_text=True)
    assert f"{len(FACTS) - 2} uppgifter saknas" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("x" * 2001, "Skriv högst 2000 tecken."), ("Ring\u202e000", "osynliga")],
)
def test_a_bad_fact_is_refused_with_a_field_error_and_nothing_saved(
    client, auth, create_user, value, message
):
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post(
        "/municipalities/2080/facts", data={"videorum": "Ok", "it_support": value}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "Ok</textarea>" in response.get_data(as_text=True), "what was typed stays"
    assert db.session.scalar(db.select(MunicipalityFact)) is None


def test_only_the_own_coordinator_and_admins_edit_a_municipalitys_facts(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR, municipality_code="2062"))
    assert client.get("/municipalities/2080/facts").status_code == 404
    assert client.post("/municipalities/2080/facts", data={"videorum": "x"}).status_code == 404
    assert client.get("/municipalities/facts").status_code == 403
    auth.logout()
    auth.login_as(create_user(role=Role.AGENT))
    assert client.get("/municipalities/2080/facts").status_code == 403
    assert db.session.scalar(db.select(MunicipalityFact)) is None


def test_admins_see_all_fifteen_at_a_glance(client, auth, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    save_facts(coordinator.municipality, {fact.key: "Ifyllt" for fact in FACTS}, coordinator)
    auth.login_as(create_user(role=Role.ADMIN))
    page = client.get("/municipalities/facts").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert len(rows) == 15
    falun = next(row for row in rows if "Falun" in row)
    assert f'<td class="num">{len(FACTS)}</td>' in falun
    assert falun.count(">ja<") == len(FACTS) and "saknas" not in falun
    mora = next(row for row in rows if "Mora" in row)
    assert '<td class="num">0</td>' in mora and mora.count("saknas") == len(FACTS)


def test_the_kit_opens_after_part_one_and_downloads_with_the_facts(
    client, auth, create_user, synced_courses
):
    agent = create_user(role=Role.AGENT)
    save_facts(agent.municipality, {"it-support": "IT-support Falun 023-83 000"}, agent)
    auth.login_as(agent)
    assert client.get("/kit/").status_code == 403
    course = course_of("agent")
    read(agent, course, module_position=1)
    attempt(agent, course, 1)
    do_practice(agent, course)
    page = client.get("/kit/").get_data(as_text=True)
    assert "Öva på materialet nu" in page and "IT-support Falun 023-83 000" in page
    assert "{{" not in page
    pdf = client.get("/kit/vanliga-fragor.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "IT-support Falun 023-83 000" in " ".join(text.split()) and "{{" not in text
    word = docx.Document(io.BytesIO(client.get("/kit/vanliga-fragor.docx").data))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "IT-support Falun 023-83 000" in text and "{{" not in text and MISSING in text
    assert client.get("/sessions/new").status_code != 200, "not certified: no sessions yet"
