"""Logging in for tests, and the test password's hash."""

from functools import cache

from werkzeug.security import generate_password_hash

from app.auth.models import User
from tests.support import PASSWORD

# The app's scrypt, at a cost of 2**10 rather than 2**15: each login checks the password, and
# at full cost that took a fifth of the suite's time. hash_password is tested as it is.
CHEAP_SCRYPT = "scrypt:1024:8:1"


@cache
def password_hash(password: str = PASSWORD) -> str:
    """The password's scrypt hash for test users, made once and quick to check."""
    return generate_password_hash(password, method=CHEAP_SCRYPT)


class AuthActions:
    """The one place that logs a user in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next: str = "", follow=False):
        data = {"email": email, "password": password}
        if next:
            data["next"] = next
        return self._client.post("/login", data=data, follow_redirects=follow)

    def login_as(self, user: User):
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self._client.post("/logout")
