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
from flask_login import current_user, login_user, logout_user

from app.auth.forms import LoginForm
from app.auth.services import authenticate, set_user_locale
from app.core.i18n import LANGUAGE_COOKIE
from app.core.security import is_safe_redirect
from app.extensions import limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    """The configured limit on login attempts per client address."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
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
            session.clear()  # a new session at login: nothing from before survives
            login_user(user)
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("start.index"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End the session (a POST, so CSRF protection covers it)."""
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


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
