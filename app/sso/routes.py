"""Sign in with the municipality's own account: ask for the work email, go to the municipality's
provider, come back with a verified identity."""

import logging

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from joserfc.errors import JoseError

from app.auth.services import normalise_email, start_session
from app.core.security import CONTENT_SECURITY_POLICY, is_safe_redirect
from app.core.urls import external_url
from app.extensions import db, limiter
from app.sso import oidc, services
from app.sso.forms import SsoLoginForm
from app.sso.models import SsoProvider
from app.sso.services import (
    SignInProblem,
    SignInRefused,
    all_providers,
    complete_sign_in,
    provider_for_email,
)

log = logging.getLogger(__name__)
bp = Blueprint("sso", __name__)


def _init_app(state) -> None:
    """The OpenID Connect client, and `sso_offered()` for the sign-in page (in auth, below)."""
    oidc.init_app(state.app)
    state.app.jinja_env.globals["sso_offered"] = services.any_provider


bp.record_once(_init_app)

PROVIDER_KEY = "sso_provider_id"  # the provider of the sign-in under way
NEXT_KEY = "sso_next"  # where to go after it (checked before it is stored)

_ASK_COORDINATOR = _l(
    "Fråga din kommunkoordinator, som kan lägga in dig eller rätta ditt konto. Har du ett "
    "lösenord här kan du också logga in med e-postadress och lösenord."
)
_TRY_AGAIN = _l(
    "Försök igen om en stund, eller logga in med e-postadress och lösenord. Fortsätter det, "
    "fråga din kommunkoordinator."
)

# Each problem: its heading, what happened, what to do, and the status of the page.
FAILURES = {
    SignInProblem.NO_EMAIL: (
        _l("Kontot saknar e-postadress"),
        _l("Kommunens inloggning skickade ingen e-postadress för ditt konto."),
        _ASK_COORDINATOR,
        403,
    ),
    SignInProblem.EMAIL_UNVERIFIED: (
        _l("E-postadressen är inte bekräftad"),
        _l("Kommunens inloggning har inte bekräftat att e-postadressen på ditt konto är din."),
        _ASK_COORDINATOR,
        403,
    ),
    SignInProblem.FOREIGN_DOMAIN: (
        _l("E-postadressen hör inte till kommunen"),
        _l(
            "Kontot du loggade in med har en e-postadress som kommunens inloggning inte svarar för."
        ),
        _ASK_COORDINATOR,
        403,
    ),
    SignInProblem.NOT_ON_ROSTER: (
        _l("Du finns inte i kommunens personallista"),
        _l(
            "Inloggningen hos kommunen lyckades, men din e-postadress finns inte bland de "
            "medarbetare som kommunen har lagt in här."
        ),
        _ASK_COORDINATOR,
        403,
    ),
    SignInProblem.OTHER_MUNICIPALITY: (
        _l("Ditt konto hör till en annan kommun"),
        _l("Din e-postadress hör här till en annan kommun än den du loggade in hos."),
        _ASK_COORDINATOR,
        403,
    ),
    SignInProblem.DEACTIVATED: (
        _l("Ditt konto är avstängt"),
        _l("Ditt konto här är avstängt, så du kan inte logga in."),
        _l("Fråga din kommunkoordinator om du ska ha tillgång igen."),
        403,
    ),
    SignInProblem.DENIED: (
        _l("Inloggningen avbröts"),
        _l("Kommunens inloggning godkände inte inloggningen, eller så avbröt du den."),
        _TRY_AGAIN,
        400,
    ),
    SignInProblem.PROVIDER_ERROR: (
        _l("Kommunens inloggning svarade med ett fel"),
        _l("Vi kunde inte godta svaret från kommunens inloggning."),
        _TRY_AGAIN,
        400,
    ),
    SignInProblem.UNREACHABLE: (
        _l("Vi når inte kommunens inloggning"),
        _l("Kommunens inloggning svarar inte just nu."),
        _TRY_AGAIN,
        400,
    ),
    SignInProblem.EXPIRED: (
        _l("Inloggningen har gått ut"),
        _l("Inloggningen var för gammal, redan använd eller påbörjad i en annan webbläsare."),
        _l("Börja om från början."),
        400,
    ),
}


def _login_limit() -> str:
    """The configured limit on login attempts per client address."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def _callback_url() -> str:
    """Where the provider sends the person back (the public address when one is configured)."""
    return external_url("sso.callback")


def _failed(problem: SignInProblem):
    """The one failure page: what happened and what to do; nothing of the attempt is kept."""
    for key in [k for k in session if k.startswith("_state_sso_")]:
        session.pop(key)  # Authlib's state of an attempt that ended early
    session.pop(PROVIDER_KEY, None)
    session.pop(NEXT_KEY, None)
    title, message, remedy, status = FAILURES[problem]
    return render_template("sso/failed.html", title=title, message=message, remedy=remedy), status


def _form_may_go_to_providers(page: tuple[str, int]) -> Response:
    """The email page, whose form may be redirected to the providers (1 query).

    Browsers hold the redirect that answers a form to the form page's CSP `form-action`.
    """
    response = make_response(page)
    origins = sorted({oidc.origin(provider.issuer) for provider in all_providers()})
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", " ".join(["form-action 'self'", *origins])
    )
    return response


def _provider_problem(provider: SsoProvider, error: Exception) -> SignInProblem:
    """Log a failed round trip (never a token) and say which kind of failure it was."""
    if isinstance(error, MismatchingStateError):
        problem = SignInProblem.EXPIRED
    elif isinstance(error, OAuthError) and error.error == "access_denied":
        problem = SignInProblem.DENIED
    elif isinstance(error, OAuthError | JoseError):
        problem = SignInProblem.PROVIDER_ERROR
    else:
        problem = SignInProblem.UNREACHABLE
    log.warning(
        "Sign-in through the provider of %s failed (%s): %s: %s",
        provider.municipality.code,
        problem,
        type(error).__name__,
        str(error)[:200],
    )
    return problem


@bp.route("/login/sso", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Ask for the work email; its domain picks the municipality's provider to sign in at."""
    if current_user.is_authenticated:
        return redirect(url_for("start.index"))
    form = SsoLoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        provider = provider_for_email(form.email.data)
        if provider is None:
            form.email.errors.append(
                _(
                    "Din kommun har ingen inloggning med kommunens konto här. Logga in med "
                    "e-postadress och lösenord, eller fråga din kommunkoordinator."
                )
            )
        else:
            target = form.next.data
            session[PROVIDER_KEY] = provider.id
            session[NEXT_KEY] = target if is_safe_redirect(target) else ""
            client = oidc.client_for(provider)
            try:
                return client.authorize_redirect(
                    _callback_url(), login_hint=normalise_email(form.email.data)
                )
            except oidc.PROVIDER_FAILURES as error:
                return _failed(_provider_problem(provider, error))
    status = 422 if form.errors else 200
    return _form_may_go_to_providers((render_template("sso/login.html", form=form), status))


@bp.get("/login/sso/callback")
def callback():
    """Back from the provider: Authlib checks state, nonce and ID token; the roster decides."""
    provider_id = session.pop(PROVIDER_KEY, None)
    target = session.pop(NEXT_KEY, "")
    provider = db.session.get(SsoProvider, provider_id) if isinstance(provider_id, int) else None
    if provider is None:  # no sign-in under way in this browser, or the provider was removed
        return _failed(SignInProblem.EXPIRED)
    try:
        token = oidc.client_for(provider).authorize_access_token()
    except oidc.PROVIDER_FAILURES as error:
        return _failed(_provider_problem(provider, error))
    claims = token.get("userinfo")
    if not claims:  # no ID token came back, so nobody vouched for anyone
        log.warning("The provider of %s sent no ID token", provider.municipality.code)
        return _failed(SignInProblem.PROVIDER_ERROR)
    try:
        user = complete_sign_in(provider, claims)
    except SignInRefused as refused:
        return _failed(refused.reason)
    start_session(user)
    return redirect(target if is_safe_redirect(target) else url_for("start.index"))
