"""The profile page where users create, list and revoke their API tokens."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import tokens

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
@login_required
def profile():
    """The user's profile: who they are, and their API tokens."""
    return render_template("account/profile.html", tokens=tokens.tokens_of(current_user), new=None)


@bp.post("/tokens")
@login_required
def create_token():
    """Create a token and show it once."""
    name = request.form.get("name", "").strip()
    if not name:
        flash(_("Ge token ett namn, till exempel vad den ska användas till."), "error")
        return redirect(url_for(".profile"))
    value = tokens.create_token(current_user, name)
    return render_template("account/profile.html", tokens=tokens.tokens_of(current_user), new=value)


@bp.post("/tokens/<int(max=2147483647):token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's own tokens (someone else's is 404)."""
    if not tokens.revoke_token(current_user, token_id):
        abort(404)
    flash(_("Token är återkallad."), "info")
    return redirect(url_for(".profile"))
