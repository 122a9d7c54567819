"""The profile page: who one is, one's password, and the API tokens one creates and revokes."""

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import services as auth_services
from app.auth import tokens
from app.auth.forms import ChangePasswordForm, ProfileForm
from app.core.i18n import LANGUAGE_COOKIE
from app.core.responses import attachment
from app.privacy import queries as privacy

bp = Blueprint("account", __name__, url_prefix="/account")


def _profile(new=None, password_form=None, profile_form=None, status=200):
    return render_template(
        "account/profile.html",
        tokens=tokens.tokens_of(current_user),
        new=new,
        password_form=password_form or ChangePasswordForm(),
        profile_form=profile_form
        or ProfileForm(name=current_user.name, locale=current_user.locale),
    ), status


@bp.post("/profile")
@login_required
def update_profile():
    """Change one's name and interface language."""
    form = ProfileForm()
    if form.validate_on_submit():
        auth_services.update_profile(current_user, form.name.data, form.locale.data)
        flash(_("Profilen är sparad."), "info")
        response = redirect(url_for(".profile"))
        response.set_cookie(LANGUAGE_COOKIE, form.locale.data, max_age=365 * 24 * 3600,
                            samesite="Lax", httponly=True)  # fmt: skip
        return response
    return _profile(profile_form=form, status=422)


@bp.get("/")
@login_required
def profile():
    """The user's profile: who they are, their password and their API tokens."""
    return _profile()


@bp.post("/password")
@login_required
def change_password():
    """Change one's password; every other session of the person ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        problems = auth_services.change_password(user, form.current.data or "", form.password.data)
        if not problems:
            auth_services.start_session(user)
            flash(_("Lösenordet är bytt. Du är utloggad på alla andra enheter."), "info")
            return redirect(url_for(".profile"))
        form.password.errors.extend(problems)
    return _profile(password_form=form, status=422)


@bp.post("/tokens")
@login_required
def create_token():
    """Create a token and show it once."""
    name = request.form.get("name", "").strip()
    if not name:
        flash(_("Ge token ett namn, till exempel vad den ska användas till."), "error")
        return redirect(url_for(".profile"))
    days = request.form.get("days", "")
    days = int(days) if days in TOKEN_LIFETIMES else None
    read_only = request.form.get("scope") == "read"
    return _profile(new=tokens.create_token(current_user, name, days=days, read_only=read_only))


TOKEN_LIFETIMES = ("30", "90", "365")  # days a token from the profile may be limited to


@bp.post("/tokens/<int(max=2147483647):token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's own tokens (someone else's is 404)."""
    if not tokens.revoke_token(current_user, token_id):
        abort(404)
    flash(_("Token är återkallad."), "info")
    return redirect(url_for(".profile"))


@bp.get("/my-data.json")
@login_required
def my_data():
    """Everything the platform holds about the person, as a JSON file to keep."""
    document = json.dumps(privacy.my_data(current_user), ensure_ascii=False, indent=2)
    return attachment(document.encode(), "mina-uppgifter.json", "application/json")
