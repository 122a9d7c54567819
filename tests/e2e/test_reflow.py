"""Reflow (WCAG 1.4.10) in Chromium: every page type, as each role, at 320 px and at 200 % zoom of
a 1280 px window, never scrolls sideways; whatever scrolls inside the page is a named region the
keyboard reaches; axe-core finds nothing. The data is long on purpose (names, addresses, links)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from app.certificates.services import issue_certificate
from app.core.roles import Role
from app.courses.models import Course, CourseCompletion
from app.effect.models import TravelFreeMeeting
from app.extensions import db
from app.municipalities.services import save_facts
from app.training.models import AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support import PASSWORD
from tests.support.browser import assert_accessible
from tests.support.training import certify_agent, details, move

pytestmark = pytest.mark.e2e

# A 1280 px desktop, 320 CSS px wide, and a 1280 × 800 window at 200 % zoom: 640 × 400 CSS px at
# twice the density.
VIEWPORTS = {
    "1280px": {"viewport": {"width": 1280, "height": 800}},
    "320px": {"viewport": {"width": 320, "height": 640}},
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
LONG_LINK = "https://meet.falun.se/j/123456789?pwd=abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
# Every element that scrolls sideways: [its description, whether it is a named, focusable region].
SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.scrollWidth > el.clientWidth + 1
                  && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .map(el => [el.tagName + '.' + el.className,
                el.closest('nav') !== null || (el.tabIndex === 0 && el.getAttribute('role') === 'region'
                && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')))])"""


@pytest.fixture
def programme(live_server, create_user):
    """Falun with long names and addresses: a learner with a certificate and a session, a
    certified agent, a coordinator and an admin; returns the people and the ids in the paths."""
    learner = create_user(
        role=Role.EMPLOYEE,
        email="annakarin.lindqvistjohansson.hemtjanstforvaltningen@falun.kommun.se",
        name="Anna-Karin Lindqvist-Johansson Hemtjänstförvaltningen",
    )
    end_user = db.session.scalar(db.select(Course).filter_by(slug="end-user"))
    db.session.add(CourseCompletion(user_id=learner.id, course_id=end_user.id, method="online",
                                    completed_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()
    certificate = issue_certificate(learner, end_user)
    agent = create_user(role=Role.AGENT, email="motesagent.socialforvaltningen@falun.kommun.se",
                        name="Kristoffer Öhrvall-Åkerlund")  # fmt: skip
    certify_agent(agent)
    training_session = create_session(
        agent,
        details(
            title="Resfria möten i vardagen för Slutanvändarutbildningsgruppen",
            place=LONG_LINK,
            mode="web",
        ),  # fmt: skip
    )
    register(learner, training_session)
    for number in range(2):
        register(create_user(email=f"en.mycket.lang.adress.{number}@hemtjansten.falun.se"),
                 training_session)  # fmt: skip
    move(training_session, -timedelta(minutes=30))
    # present, so the session page asks the learner for an evaluation
    mark_attendance(agent, training_session, {learner.id: AttendanceStatus.ATTENDED})
    for number in range(3):  # the meeting log, with a long note
        db.session.add(
            TravelFreeMeeting(
                municipality_id=learner.municipality_id,
                held_on=date.today() - timedelta(days=number),
                form="web",
                participants=4,
                trips_avoided=3,
                note="Samverkansmöte mellan socialförvaltningen och Region Dalarnas vårdcentraler",
            )
        )
    save_facts(learner.municipality, {
        "videorum": "Stadshuset plan 2 (Runn), plan 4 (Främby)\nKristinegymnasiet rum B12",
        "it-support": LONG_LINK,
    }, agent)  # fmt: skip
    return {
        "learner": learner,
        "agent": agent,
        "coordinator": create_user(role=Role.COORDINATOR, email="koordinator.reflow@falun.se"),
        "admin": create_user(role=Role.ADMIN, email="programkontoret.reflow@region.se"),
        "code": certificate.code,
        "session": training_session.id,
    }


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def open_as(browser: Browser, live_server, viewport):
    """open_as(email) -> a fresh page at the viewport, logged in as `email` (None: nobody)."""
    contexts = []

    def open_page(email: str | None) -> Page:
        contexts.append(browser.new_context(**VIEWPORTS[viewport]))
        page = contexts[-1].new_page()
        page.goto(f"{live_server}/login")
        if email:
            page.get_by_label("E-postadress").fill(email)
            page.get_by_label("Lösenord").fill(PASSWORD)
            page.get_by_role("button", name="Logga in").click()
            expect(page.locator('form[action="/logout"] button')).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_fits(page: Page) -> None:
    """The page fits the width, scrolls sideways only in named focusable regions, passes axe."""
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"
    unnamed = [name for name, region in page.evaluate(SIDEWAYS_SCROLLERS) if not region]
    assert not unnamed, f"{page.url}: scrolls without a named, focusable region: {unnamed}"
    assert_accessible(page)


def assert_reflows(page: Page, live_server: str, paths, status: int = 200) -> None:
    """Open each path (answering `status`) and check that it fits."""
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response and response.status == status, path
        assert_fits(page)


def test_public_pages_reflow(open_as, live_server, programme):
    page = open_as(None)
    assert_reflows(page, live_server, ["/", "/login", "/verify", f"/verify/{programme['code']}",
                                       "/accessibility", "/password/forgot"])  # fmt: skip
    assert_reflows(page, live_server, ["/no-such-page"], status=404)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_learner_pages_reflow(open_as, live_server, programme, language):
    learner = programme["learner"]
    learner.locale = language
    db.session.commit()
    page = open_as(learner.email)
    assert_reflows(page, live_server, [
        "/", "/courses/", "/courses/end-user", "/courses/end-user/grunder/varfor-resfritt",
        "/courses/end-user/grunder/quiz", "/courses/end-user/grunder/practice", "/attempts/",
        "/certificates/mine", "/sessions/",
        f"/sessions/{programme['session']}", "/checkin", "/account/",
    ])  # fmt: skip
    # The lesson's table scrolls inside its own region, which the keyboard reaches.
    page.goto(f"{live_server}/courses/end-user/grunder/varfor-resfritt")
    region = page.locator(".prose .table-scroll").first
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    expect(region).to_be_focused()

    # A quiz attempt, then its result.
    page.goto(f"{live_server}/courses/end-user/grunder/quiz")
    page.locator("main form button.button").first.click()
    expect(page.locator("fieldset.question").first).to_be_visible()
    assert_fits(page)
    for question in page.locator("fieldset.question").all():
        text = question.locator("input[type=text]")
        if text.count():
            text.fill("15")
        else:
            question.locator("input").first.check()
    page.locator("button[value=submit]").click()
    expect(page.locator(".notice .score")).to_be_visible()
    assert_fits(page)


def test_agent_pages_reflow(open_as, live_server, programme):
    session = programme["session"]
    assert_reflows(open_as(programme["agent"].email), live_server, [
        "/", "/sessions/reach", "/kit/", "/sessions/new", f"/sessions/{session}",
        f"/sessions/{session}/edit", "/courses/agent/skills/practice",
        "/courses/agent/skills/videorummet", "/effect/log",
    ])  # fmt: skip


def test_coordinator_pages_reflow(open_as, live_server, programme):
    assert_reflows(open_as(programme["coordinator"].email), live_server, [
        "/", "/municipalities/2080", f"/municipalities/people/{programme['learner'].id}",
        "/municipalities/2080/roster", "/municipalities/2080/people/new", "/reports/2080",
        "/certificates/", "/municipalities/2080/facts", "/effect/2080", "/effect/2080/import",
        "/effect/how",
    ])  # fmt: skip


def test_admin_pages_reflow(open_as, live_server, programme):
    assert_reflows(open_as(programme["admin"].email), live_server,
                   ["/", "/reports/", "/municipalities/", "/admin/outbox/", "/certificates/",
                    "/municipalities/facts", "/effect/", "/effect/how"])  # fmt: skip
