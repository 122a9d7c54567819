"""Names are sorted A–Ö as Swedes expect, on SQLite as on PostgreSQL."""

from app.auth.models import User
from app.core.roles import Role
from app.core.text import swedish, swedish_key
from app.extensions import db
from app.training.queries import roster_search
from app.training.services import create_session
from tests.support.training import certify_agent, details

SWEDISH_ORDER = ["adam Berg", "Émile Ek", "Eva Ek", "Zorn Zetterlund", "Åsa Öberg", "Ärla Lund",
                 "Örjan Ås"]  # fmt: skip


def test_the_database_sorts_names_in_swedish_order(create_user):
    for name in reversed(SWEDISH_ORDER):
        create_user(name=name)
    names = db.session.scalars(
        db.select(User.name).where(User.name.in_(SWEDISH_ORDER)).order_by(swedish(User.name))
    ).all()
    assert names == SWEDISH_ORDER
    assert sorted(SWEDISH_ORDER[3:] + SWEDISH_ORDER[:3], key=swedish_key) == SWEDISH_ORDER


def test_the_agents_search_lists_colleagues_a_to_o(create_user):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    for name in ["Örjan Öst", "Åsa Öst", "Anna Öst", "Ärla Öst"]:
        create_user(name=name)
    found = roster_search(create_session(agent, details()), "öst")
    assert [person.name for person in found] == ["Anna Öst", "Åsa Öst", "Ärla Öst", "Örjan Öst"]
