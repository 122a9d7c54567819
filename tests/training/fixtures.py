"""Training fixtures: a certified agent, and that agent's end-user session."""

import pytest

from app.core.roles import Role
from app.training.services import create_session
from tests.support.training import certify_agent, details


@pytest.fixture
def certified_agent(create_user):
    agent = create_user(role=Role.AGENT, name="Łukasz Ärlig", email="lukasz@falun.se")
    certify_agent(agent)
    return agent


@pytest.fixture
def end_user_session(certified_agent):
    return create_session(certified_agent, details(capacity=3))
