"""Layout in Chromium: at 390 px nothing scrolls sideways and the header stays compact; at
1280 px the certificate list shows every column; percent signs never wrap; axe-clean."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string
from playwright.sync_api import Page, expect

from app.certificates.services import issue_certificate
from app.core.roles import Role
from app.courses.models import Course, CourseCompletion
from app.courses.services import sync_courses
from app.extensions import db
from app.training.services import create_session, register
from tests.support.browser import assert_accessible, log_in
from tests.support.quizzes import write_quiz_course
from tests.support.training import certify_agent, details, move

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NBSP_PERCENT = re.compile(r"^\d+\u00a0%$")

# The element's box lies inside the viewport and inside every ancestor that clips it (a scroll
# region): fully visible without scrolling sideways.
FULLY_VISIBLE = """el => {
    const box = el.getBoundingClientRect();
    let left = 0, right = document.documentElement.clientWidth;
    for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') {
            const clip = p.getBoundingClientRect();
            left = Math.max(left, clip.left);
            right = Math.min(right, clip.right);
        }
    }
    return box.left >= left - 0.5 && box.right <= right + 0.5;
}"""


@pytest.fixture
def certificates_in_falun(create_user):
    """Five certificates in Falun, with long names and addresses as real rosters have."""
    end_user = db.session.scalar(db.select(Course).filter_by(slug="end-user"))
    holders = [
        create_user(
            role=Role.EMPLOYEE,
            email=f"annakarin.lindqvistjohansson{number}@falun.se",
            name=f"Anna-Karin Lindqvist Johansson {number}",
        )
        for number in range(5)
    ]
    for holder in holders:
        db.session.add(CourseCompletion(user_id=holder.id, course_id=end_user.id,
                                        method="online", completed_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()
    return [issue_certificate(holder, end_user) for holder in holders]


def switch_user(page: Page, live_server: str, email: str) -> None:
    """Forget the session and log in as someone else."""
    page.context.clear_cookies()
    log_in(page, live_server, email)


def assert_fits_the_phone(page: Page, live_server: str, path: str) -> None:
    """At 390 × 844: the page loads, nothing scrolls sideways, the header takes under 15 % of
    the height, and axe finds nothing."""
    response = page.goto(f"{live_server}{path}")
    assert response and response.ok, path
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{path} scrolls sideways: {width}"
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 0.15 * PHONE["height"], f"{path}: header {header['height']} px"
    assert_accessible(page)


def test_learner_pages_fit_a_phone(page: Page, live_server, learner):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, learner.email)
    for path in (
        "/",
        "/courses/",
        "/courses/agent",
        "/courses/agent/skills/quiz",
        "/certificates/mine",
    ):
        assert_fits_the_phone(page, live_server, path)

    # The progress figure keeps its percent sign on its own line: "0 %" with a no-break space.
    for path in ("/courses/", "/courses/agent"):
        page.goto(f"{live_server}{path}")
        values = page.locator(".progress-value").all_inner_texts()
        assert values and all(NBSP_PERCENT.match(value) for value in values), values


def test_compact_header_keeps_every_link_reachable(page: Page, live_server, create_user):
    page.set_viewport_size(PHONE)
    admin = create_user(role=Role.ADMIN, email="po.layout@region.se", name="Programkontoret")
    log_in(page, live_server, admin.email)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    links = menu.get_by_role("link")
    expect(links).to_have_count(12)  # with "Resfria möten"
    # The menu is one line that scrolls sideways: the last link starts out of view ...
    assert not links.last.evaluate(FULLY_VISIBLE)
    # ... and comes into view when the keyboard reaches it.
    for _ in range(30):
        page.keyboard.press("Tab")
        if links.last.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the last menu link")
    assert links.last.evaluate(FULLY_VISIBLE)
    # What the small header does not show is still read out: the subtitle and the role.
    expect(
        page.get_by_role("link", name=re.compile("Utbildning för resfria möten"))
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Programkontoret · "))).to_be_visible()


def test_coordinator_and_admin_pages_fit_a_phone(
    page: Page, live_server, create_user, certificates_in_falun
):
    page.set_viewport_size(PHONE)
    coordinator = create_user(role=Role.COORDINATOR, email="koord.layout@falun.se")
    log_in(page, live_server, coordinator.email)
    for path in ("/", "/certificates/", "/municipalities/2080", "/reports/2080"):
        assert_fits_the_phone(page, live_server, path)
    coverage = page.locator("dl.facts dd").first.inner_text()
    assert re.search(r"\(\d+\u00a0%\)", coverage), coverage

    switch_user(page, live_server, create_user(role=Role.ADMIN, email="po.layout@region.se").email)
    for path in ("/", "/reports/", "/certificates/", "/municipalities/"):
        assert_fits_the_phone(page, live_server, path)
    page.goto(f"{live_server}/reports/")
    assert re.search(r"\(\d+\u00a0%\)", page.locator("p.lead").inner_text())


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_certificate_list_shows_the_action_column_at_1280(
    page: Page, live_server, create_user, certificates_in_falun, role
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, create_user(role=role, email=f"{role}.layout@falun.se").email)
    page.goto(f"{live_server}/certificates/")
    expect(page.get_by_role("columnheader", name="Åtgärd")).to_be_visible()
    assert page.get_by_role("columnheader", name="Åtgärd").evaluate(FULLY_VISIBLE)
    cells = page.locator("table.data tbody tr td:last-child")
    expect(cells).to_have_count(len(certificates_in_falun))
    for cell in cells.all():
        assert cell.evaluate(FULLY_VISIBLE), cell.inner_text()
    assert_accessible(page)


LONG_PROMPT = (
    "När deltagarna i Mötesagentutbildningsmaterialsamlingsdokumentet inte hör dig och länken "
    "https://video.example.se/rum/mycket-lang-adress-utan-mellanslag-som-inte-kan-brytas-alls "
    "inte fungerar, vad gör du först innan du ringer supporten och avbryter mötet för alla?"
)


def test_long_quiz_questions_stay_inside_their_box(page: Page, live_server, create_user, tmp_path):
    root = write_quiz_course(tmp_path / "courses")
    quiz_file = root / "prov/1-grund/quiz.yml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "Vad gör du först när deltagarna inte hör dig?", LONG_PROMPT
        ),
        encoding="utf-8",
    )
    sync_courses(root)
    log_in(page, live_server, create_user(role=Role.EMPLOYEE).email)
    page.goto(f"{live_server}/courses/prov/grund/quiz")
    page.get_by_role("button", name="Starta kunskapstestet").click()
    expect(page.get_by_role("group", name=re.compile("Mötesagentutbildnings"))).to_be_visible()
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for question in page.locator("fieldset.question").all():
            inside = question.evaluate(
                """fieldset => {
                    const box = fieldset.getBoundingClientRect();
                    const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
                    const legend = fieldset.querySelector('legend').getBoundingClientRect();
                    return legend.top >= box.top + border && legend.right <= box.right
                        && fieldset.scrollWidth <= fieldset.clientWidth;
                }"""
            )
            assert inside, f"{viewport['width']} px: {question.locator('legend').inner_text()}"
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    assert_accessible(page)


@pytest.mark.parametrize(("language", "text"), [("sv", "70\u00a0%"), ("en", "70%")])
def test_percent_filter_follows_the_language(app, language, text):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        assert render_template_string("{{ 70|percent }}") == text
        assert render_template_string("{{ 54.6|percent }}") == text.replace("70", "55")
        assert render_template_string("{{ none|percent }}") == "–"


def test_an_agent_marks_attendance_on_a_phone(page: Page, live_server, create_user):
    page.set_viewport_size(PHONE)
    agent = create_user(role=Role.AGENT, email="agent.layout@falun.se", name="Łukasz Ärlig")
    certify_agent(agent)
    training_session = create_session(
        agent, details(place="https://meet.falun.se/j/123456789?pwd=abcdefghijklmnopqrstuvwxyz")
    )
    for number in range(3):
        register(create_user(email=f"en.mycket.lang.adress.{number}@hemtjansten.falun.se"),
                 training_session)  # fmt: skip
    move(training_session, -timedelta(minutes=30))
    log_in(page, live_server, agent.email)
    for path in ("/", f"/sessions/{training_session.id}"):
        assert_fits_the_phone(page, live_server, path)
    radio = page.get_by_role("radio", name="Närvarande").first
    assert radio.evaluate(FULLY_VISIBLE)  # marking needs no sideways scrolling
