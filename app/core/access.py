"""The decorator that lets through only the users a named access predicate admits.

The predicates themselves live beside their domain (`app/<domain>/access.py`), so who may do
what reads in one screen per domain.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def requires(predicate: Callable) -> Callable:
    """Let logged-in users for whom `predicate(user)` holds through; others get 403.

    :raise 403: the predicate refuses the user.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
