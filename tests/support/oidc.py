"""A real OpenID Connect provider for the tests (oidc-provider-mock), served on this machine."""

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)  # the mock imports authlib.jose
    from oidc_provider_mock import run_server_in_thread

TIMEOUT = 5

# The mock still calls an Authlib hook that Authlib deprecates (in its server thread).
ignore_mock_deprecation = pytest.mark.filterwarnings(
    r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning"
)


@contextmanager
def running_provider() -> Iterator[str]:
    """Start the provider on a free port of 127.0.0.1; yield its issuer URL."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def set_person(issuer: str, sub: str, **claims) -> None:
    """What the provider will say about the person `sub` when they sign in there."""
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=TIMEOUT)
    assert response.status_code == 204, response.text
