"""Courses for tests: a small valid course tree to vary, and completions without the course."""

from pathlib import Path

from app.courses.models import CourseCompletion
from app.extensions import db

COURSE_YML = """\
title: Provkurs
audience: employee
version: 2
modules: [1-grund]
certificate: true
"""
MODULE_YML = """\
title: Grunderna
lessons: [01-forsta.md, 02-andra.md]
"""
LESSON_1 = """\
---
title: Första lektionen
---
## Mål

Läs [nästa lektion](02-andra.md) sedan.
"""
LESSON_2 = "# Andra lektionen\n\nText om videomöten.\n"
QUIZ_YML = """\
title: Kunskapstest
pass_mark: 80
shuffle: true
draw: 2
questions:
  - id: q1
    type: single
    prompt: Vad gör du först när ljudet inte fungerar?
    options:
      - {text: Kontrollerar mikrofonen, correct: true}
      - {text: Startar om rummet, feedback: Tar för lång tid.}
    explanation: Börja alltid med det enklaste.
  - {id: q2, type: true_false, prompt: Jabber fungerar på datorn., answer: true}
  - {id: q3, type: text, prompt: "Hur många kommuner deltar?", accept: ["15", "femton"]}
"""
PRACTICE_YML = """\
title: Öva i riktiga möten
confirmed_by: trainer
tasks:
  - id: ring-videorum
    text: Ring ett annat videorum
    help: |
      1. Välj rummet.
      2. Ring. Rummen hos oss: {{videorum}}
  - {id: tre-orter, text: Koppla ihop tre orter}
"""


def write_course(root: Path, files: dict[str, str]) -> Path:
    """Write a small valid course under root/prov, with `files` replacing or adding files."""
    tree = {
        "prov/course.yml": COURSE_YML,
        "prov/1-grund/module.yml": MODULE_YML,
        "prov/1-grund/01-forsta.md": LESSON_1,
        "prov/1-grund/02-andra.md": LESSON_2,
        "prov/1-grund/quiz.yml": QUIZ_YML,
        **files,
    }
    for name, text in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def complete(user, course, method="online", session=None) -> None:
    """Record the course completed by the user (online, or via the session)."""
    db.session.add(CourseCompletion(user_id=user.id, course_id=course.id, method=method,
                                    session_id=session.id if session else None))  # fmt: skip
    db.session.commit()
