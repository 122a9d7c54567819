"""`flask users create`: one user, with clear errors for bad input."""

import pytest

from app.auth.models import User
from app.core.audit import AuditAction, AuditEntry
from app.extensions import db


def test_create_user_with_password_can_log_in(runner, municipalities, auth):
    result = runner.invoke(args=[
        "users", "create", "Karin.Lund@Falun.se", "--name", "Karin Lund", "--role", "agent",
        "--municipality", "2080", "--password", "ett-bra-lösenord",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="karin.lund@falun.se"))
    assert (user.name, user.role, user.municipality.name) == ("Karin Lund", "agent", "Falun")
    assert auth.login("karin.lund@falun.se", "ett-bra-lösenord").status_code == 302
    # the one way to add a person: audited, and Falun's staff target follows its roster
    entry = db.session.scalar(db.select(AuditEntry).filter_by(subject_id=user.id))
    assert (entry.action, entry.actor_id, entry.details) == (
        AuditAction.PERSON_CREATED,
        None,
        {"role": "agent"},
    )
    assert user.municipality.staff_target == 1


def test_admin_needs_no_municipality(runner, municipalities):
    result = runner.invoke(
        args=["users", "create", "po@dalarna.se", "--name", "PO", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@falun.se", "--name", "X", "--role", "boss", "--municipality", "2080"], "unknown role 'boss'"),
        (["x@falun.se", "--name", "X", "--role", "agent", "--municipality", "9999"], "unknown municipality code '9999'"),
        (["x@falun.se", "--name", "X", "--role", "agent"], "needs a municipality"),
        (["inte-en-adress", "--name", "X", "--role", "agent", "--municipality", "2080"], "is not an email address"),
        (["x@falun.se", "--name", " ", "--role", "agent", "--municipality", "2080"], "name must not be empty"),
        (["DUBBEL@falun.se", "--name", "X", "--role", "agent", "--municipality", "2080"], "already exists"),
        (["x@falun.se", "--name", "Eve\u202eliA", "--role", "agent", "--municipality", "2080"], "invisible control characters"),
    ],
    ids=["unknown-role", "unknown-municipality", "no-municipality", "bad-email", "empty-name", "duplicate-email", "bidi-name"],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_the_reason(runner, create_user, args, message):
    create_user(email="dubbel@falun.se")
    before = db.session.scalar(db.select(db.func.count(User.id)))
    result = runner.invoke(args=["users", "create", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == before
