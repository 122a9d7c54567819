"""The profile page's API tokens: created and shown once, listed, limited, revoked."""

from app.auth.tokens import ApiToken
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_profile_tokens_create_list_revoke(client, auth, create_user, municipalities):
    user = create_user(role=Role.COORDINATOR)
    auth.login_as(user)
    html = client.post("/account/tokens", data={"name": "Kommunens LRS"}).get_data(as_text=True)
    token = html.split('<code class="token">')[1].split("</code>")[0]
    assert client.get("/api/v1/coverage", headers=bearer(token)).status_code == 200
    assert "Kommunens LRS" in client.get("/account/").get_data(as_text=True)
    row = db.session.scalar(db.select(ApiToken))
    other = create_user(role=Role.COORDINATOR)
    auth.logout()
    auth.login_as(other)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    auth.logout()
    auth.login_as(user)
    client.post(f"/account/tokens/{row.id}/revoke")
    auth.logout()
    assert client.get("/api/v1/coverage", headers=bearer(token)).status_code == 401


def test_a_profile_token_may_expire_and_only_read(client, auth, create_user, municipalities):
    auth.login_as(create_user(role=Role.COORDINATOR))
    client.post("/account/tokens", data={"name": "LRS", "days": "30", "scope": "read"})
    client.post("/account/tokens", data={"name": "Rapport", "days": "7000"})  # not offered
    limited, open_ended = db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)).all()
    assert limited.scope == "read" and 29 <= (limited.expires_at - utcnow()).days <= 30
    assert open_ended.scope == "write" and open_ended.expires_at is None
    page = client.get("/account/").get_data(as_text=True)
    assert "bara läsa" in page and "tills vidare" in page
