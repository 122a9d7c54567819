"""Log in, log out, and choose the interface language."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import services
from app.auth.forms import EmailForm, LoginForm, NewPasswordForm
from app.auth.links import LinkProblem, LinkPurpose, user_for_link
from app.auth.services import authenticate, set_user_locale, sign_out, start_session
from app.core.i18n import LANGUAGE_COOKIE
from app.core.security import is_safe_redirect
from app.extensions import limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    """The configured limit on failed login attempts per client address."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    """The limits on failed attempts per account: the lockouts grow (minute, hour, day)."""
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _account_key() -> str:
    """The account an attempt names (whatever the address it comes from)."""
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    """Only failed attempts count: a classroom behind one address all signs in."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    """Show the login form; on valid credentials start a fresh session."""
    if current_user.is_authenticated:
        return redirect(url_for("start.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Fel e-postadress eller lösenord."))
        else:
            start_session(user)
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("start.index"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, next=form.next.data or ""), status


@bp.post("/logout")
def logout():
    """End every session of the person (a POST, so CSRF protection covers it)."""
    if current_user.is_authenticated:
        sign_out(current_user)
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


def _link_page(purpose: LinkPurpose, token: str, template: str):
    """Choose a password through a personal link; a used, expired or broken link says so and
    offers a new one."""
    try:
        user = user_for_link(token, purpose)
    except LinkProblem as problem:
        return render_template(
            "auth/link_problem.html", reason=problem.reason, purpose=purpose, form=EmailForm()
        ), 410 if problem.reason != "invalid" else 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        problems = services.set_password_from_link(user, form.password.data)
        if not problems:
            start_session(user)
            flash(_("Ditt lösenord är sparat. Välkommen, %(name)s!", name=user.name), "info")
            return redirect(url_for("start.index"))
        form.password.errors.extend(problems)
    status = 422 if form.errors else 200
    return render_template(template, form=form, user=user), status


@bp.route("/activate/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def activate(token: str):
    """Activate one's account by choosing a password (the link from the coordinator)."""
    return _link_page(LinkPurpose.ACTIVATE, token, "auth/activate.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def reset_password(token: str):
    """Choose a new password through the link from "Glömt lösenordet?"."""
    return _link_page(LinkPurpose.RESET, token, "auth/reset.html")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address exists."""
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("Om adressen finns hos oss har vi skickat en länk dit. Den gäller i två timmar. "
                "Hittar du inget mejl, titta i skräpposten eller fråga din kommunkoordinator."),
              "info")  # fmt: skip
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


@bp.post("/language")
def language():
    """Switch the interface language (cookie, and the user's setting when logged in)."""
    choice = request.form.get("language", "")
    target = request.form.get("next", "")
    response = redirect(target if is_safe_redirect(target) else url_for("start.index"))
    if choice in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
        if current_user.is_authenticated:
            set_user_locale(current_user, choice)
    return response
