"""Every model module, imported once so that metadata and migrations see all tables."""

from app.auth import models as auth_models
from app.auth import tokens as token_models
from app.certificates import models as certificate_models
from app.core import audit as audit_models
from app.core.jobs import models as job_models
from app.courses import content as content_models
from app.courses import models as course_models
from app.effect import models as effect_models
from app.mail import models as mail_models
from app.municipalities import models as municipality_models
from app.practice import models as practice_models
from app.quizzes import models as quiz_models
from app.sso import models as sso_models
from app.training import models as training_models

__all__ = [
    "auth_models",
    "certificate_models",
    "content_models",
    "course_models",
    "effect_models",
    "job_models",
    "mail_models",
    "municipality_models",
    "practice_models",
    "audit_models",
    "quiz_models",
    "sso_models",
    "training_models",
    "token_models",
]
