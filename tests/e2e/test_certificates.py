"""Certificate pages in Chromium: a learner's list, the coordinator's list, verification; axe-clean."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from app.certificates.codes import display_code
from app.certificates.services import issue_certificate
from app.core.roles import Role
from app.courses.models import Course, CourseCompletion
from app.extensions import db
from tests.support.browser import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_certificate_pages_are_usable_and_accessible(page: Page, live_server, create_user):
    holder = create_user(role=Role.EMPLOYEE, email="karin.e2e@falun.se", name="Karin Öberg")
    course = db.session.scalar(db.select(Course).filter_by(slug="end-user"))
    db.session.add(CourseCompletion(user_id=holder.id, course_id=course.id, method="online",
                                    completed_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()
    certificate = issue_certificate(holder, course)

    log_in(page, live_server, holder.email)
    page.get_by_role("link", name="Mina intyg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina intyg")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner intyget (PDF)").click()
    assert download.value.suggested_filename == f"intyg-{certificate.code}.pdf"

    page.get_by_role("link", name="Verifieringssidan").click()
    expect(page.get_by_text("Intyget är giltigt.")).to_be_visible()
    expect(page.get_by_text("Karin Öberg", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/verify")
    page.get_by_label("Verifieringskod").fill(display_code(certificate.code).lower())
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_text("Intyget är giltigt.")).to_be_visible()
    page.goto(f"{live_server}/verify")
    page.get_by_role("button", name="Kontrollera").click()
    assert_accessible(page)

    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server, create_user(role=Role.COORDINATOR, email="koord.e2e@falun.se").email)
    page.get_by_role("link", name="Intyg", exact=True).click()
    expect(page.get_by_role("cell", name="Slutanvändarutbildning")).to_be_visible()
    assert_accessible(page)
    # The print pack is made in the background: a progress page, then the download.
    page.get_by_role("button", name="Skriv ut alla som PDF (utskriftspaket)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utskriftspaket med intyg")
    expect(page.get_by_role("status")).to_have_text("Klart: filen kan laddas ner.")
    assert_accessible(page)
    stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Ladda ner intyg-utskriftspaket-{stamp}.pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Tillbaka").click()
    page.get_by_role("link", name="Återkalla Karin Öberg").click()
    page.get_by_role("button", name="Återkalla intyget").click()
    expect(page.get_by_text("Skriv varför intyget återkallas.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Utfärdat till fel person")
    page.get_by_role("button", name="Återkalla intyget").click()
    expect(page.get_by_text("Återkallat", exact=True)).to_be_visible()
