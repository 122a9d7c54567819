"""The JSON API for tests."""


def bearer(token: str) -> dict:
    """The Authorization header for a bearer token."""
    return {"Authorization": f"Bearer {token}"}
