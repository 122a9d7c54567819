"""The domains' access predicates that templates ask (menus, links), under one name each."""

from flask import Flask

from app.certificates.access import may_list as may_list_certificates
from app.core.scope import may_see_every_municipality
from app.effect.access import may_log_meetings
from app.mail.access import may_read_outbox
from app.municipalities.access import may_manage_people
from app.privacy.access import may_erase, may_read_audit_log
from app.reports.access import may_see_coverage
from app.training.access import works_with_sessions


def init_app(app: Flask) -> None:
    """Make the predicates available in every template, e.g. `may_see_coverage(current_user)`."""
    app.jinja_env.globals.update(
        works_with_sessions=works_with_sessions,
        may_list_certificates=may_list_certificates,
        may_see_coverage=may_see_coverage,
        may_manage_people=may_manage_people,
        may_see_every_municipality=may_see_every_municipality,
        may_read_outbox=may_read_outbox,
        may_erase=may_erase,
        may_read_audit_log=may_read_audit_log,
        may_log_meetings=may_log_meetings,
    )
