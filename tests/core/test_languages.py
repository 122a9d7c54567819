"""Each UI language is whole: the English pages hold no Swedish interface text (course content is
marked lang="sv") and the Swedish pages no English, for every role's main pages."""

import re
from html.parser import HTMLParser

import pytest

from app.core.roles import Role
from app.extensions import db
from app.municipalities.services import DALARNA
from app.training.services import create_session, register
from tests.support.training import certify_agent, details

PROGRAMME = "Vi möts resfritt"  # the programme's name, the same in both languages
MUNICIPALITIES = [name for _, name, *_ in DALARNA]  # proper names, the same in both languages
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
ENGLISH_WORDS = re.compile(r"\b(the|and|your|with|sign in|sign out|training session)\b", re.I)
SKIPPED = {"script", "style", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class InterfaceText(HTMLParser):
    """The visible text of a page, leaving out elements in another language than the page's."""

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang, self.stack, self.parts = page_lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        foreign = tag in SKIPPED or (lang is not None and lang != self.page_lang and tag != "html")
        self.stack.append(foreign or (self.stack[-1] if self.stack else False))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def interface_text(html: str, lang: str) -> str:
    """The page's interface text, without the programme's and the municipalities' names."""
    parser = InterfaceText(lang)
    parser.feed(html)
    text = " ".join(parser.parts).replace(PROGRAMME, "")
    for name in MUNICIPALITIES:
        text = text.replace(name, "")
    return " ".join(text.split())


PAGES = {
    Role.EMPLOYEE: ["/", "/courses/", "/courses/end-user", "/sessions/", "/certificates/mine",
                    "/attempts/", "/account/", "/privacy"],
    Role.AGENT: ["/", "/courses/agent", "/sessions/reach", "/kit/", "/sessions/new",
                 "/courses/agent/skills/practice", "/effect/log"],
    Role.COORDINATOR: ["/", "/municipalities/2080", "/reports/2080", "/certificates/",
                       "/municipalities/2080/facts", "/effect/2080", "/effect/2080/import"],
    Role.ADMIN: ["/", "/reports/", "/municipalities/", "/admin/outbox/", "/admin/audit",
                 "/effect/", "/effect/how", "/municipalities/facts"],
}  # fmt: skip


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("locale", ["en", "sv"])
def test_each_page_speaks_one_language(client, auth, create_user, synced_courses, role, locale):
    # ASCII names in Falun, so that only interface text can hold Swedish letters.
    person = create_user(role=role, name="Sam Smith", email=f"sam.{role}@falun.se")
    if role == Role.AGENT:
        certify_agent(person)
        register(create_user(name="Kim Berg"), create_session(person, details(title="Meet")))
    person.locale = locale
    db.session.commit()
    auth.login_as(person)
    for path in PAGES[role]:
        response = client.get(path)
        assert response.status_code == 200, path
        text = interface_text(response.get_data(as_text=True), locale)
        if locale == "en":
            found = SWEDISH_LETTERS.search(text)
            assert not found, (path, text[max(0, found.start() - 120) : found.end() + 40])
        else:
            found = ENGLISH_WORDS.search(text)
            assert not found, (path, text[max(0, found.start() - 120) : found.end() + 40])
