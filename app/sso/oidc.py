"""The Authlib client that talks to a municipality's provider. Discovery, PKCE, state, nonce and
the ID token's signature and claims are Authlib's work; this module builds one client per
provider row and names what can go wrong on the way."""

import hashlib
import hmac
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

from app.sso.models import SsoProvider

EXTENSION = "sso_oauth"
SCOPE = "openid email profile"
TIMEOUT_SECONDS = 10  # a provider that does not answer must not hold a worker for long

# What talking to a provider, or checking its answer, may raise: an OAuth error (including a bad
# state), a rejected ID token, a network failure, or an answer that is not the JSON expected.
PROVIDER_FAILURES = (
    AuthlibBaseError,
    JoseError,
    requests.RequestException,
    ValueError,
    KeyError,
    TypeError,
    RuntimeError,
)


def init_app(app: Flask) -> None:
    """Give the app its own registry of provider clients (clients cache discovery and keys)."""
    app.extensions[EXTENSION] = OAuth(app)


def discovery_url(issuer: str) -> str:
    """Where the provider publishes its OpenID configuration."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def origin(url: str) -> str:
    """The scheme, host and port of a URL, as a Content-Security-Policy source."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _client_name(provider: SsoProvider) -> str:
    """A name that changes with the provider's settings, so a changed row gets a fresh client.

    Keyed with the app's secret: the name ends up in the (readable) session cookie.
    """
    key = current_app.secret_key
    key_bytes = key if isinstance(key, bytes) else str(key).encode()
    settings = "\n".join(
        (str(provider.id), provider.issuer, provider.client_id, provider.client_secret)
    )
    digest = hmac.new(key_bytes, settings.encode(), hashlib.sha256).hexdigest()[:16]
    return f"sso_{provider.id}_{digest}"


def client_for(provider: SsoProvider) -> FlaskOAuth2App:
    """The Authlib client for the provider, registered from its row at first use."""
    oauth: OAuth = current_app.extensions[EXTENSION]
    name = _client_name(provider)
    client = oauth.create_client(name)
    if client is None:
        client = oauth.register(
            name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=discovery_url(provider.issuer),
            client_kwargs={
                "scope": SCOPE,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
    return client
