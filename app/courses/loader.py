"""Read and validate the course files of DESIGN §4; every problem is reported with path:line."""

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.markdown import render_markdown
from app.core.yamlfile import Checker, ContentError, LineDict, load_yaml
from app.courses.content import ConfirmedBy, RevealAnswers
from app.courses.models import Audience
from app.courses.question_types import COMMON_KEYS, QUESTION_TYPES, QuestionSpec
from app.municipalities.facts import placeholder_problems

AUDIENCES = tuple(Audience)
COURSE_KEYS = (
    {"title", "audience"},
    {"description", "version", "modules", "completion", "certificate"},
)
MODULE_KEYS = {"title"}, {"description", "lessons"}
QUIZ_KEYS = (
    {"title", "pass_mark", "questions"},
    {"description", "max_attempts", "shuffle", "draw", "reveal_answers", "groups"},
)
GROUP_KEYS = {"id", "draw"}, {"title"}
PRACTICE_KEYS = {"title", "tasks"}, {"description", "confirmed_by"}
TASK_KEYS = {"id", "text"}, {"help"}
CONFIRMERS = tuple(ConfirmedBy)
REVEAL_ANSWERS = tuple(RevealAnswers)
FRONT_MATTER_KEYS = {"title"}, {"description"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NUMBER_PREFIX = re.compile(r"^\d+-")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}
RESERVED_LESSON_SLUGS = {"quiz", "practice"}  # /courses/<course>/<module>/quiz, …/practice
QUESTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


@dataclass
class LessonSpec:
    """A lesson file, validated; `html` is filled once links are resolved."""

    slug: str
    title: str
    source: str
    position: int
    path: Path
    body_line: int
    html: str = ""


@dataclass
class QuizSpec:
    """A module's quiz.yml, validated."""

    title: str
    description: str
    pass_mark: int
    max_attempts: int | None
    shuffle: bool
    draw: int | None
    reveal_answers: str
    questions: list[QuestionSpec]
    groups: dict[str, int] | None = None


@dataclass
class TaskSpec:
    """One practice task; `help_html` is its sanitised Markdown help."""

    key: str
    text: str
    help_html: str
    position: int


@dataclass
class PracticeSpec:
    """A module's practice.yml, validated."""

    title: str
    description: str
    confirmed_by: str
    tasks: list[TaskSpec]


@dataclass
class ModuleSpec:
    """A module folder, validated."""

    slug: str
    title: str
    description: str
    position: int
    lessons: list[LessonSpec] = field(default_factory=list)
    quiz: QuizSpec | None = None
    practice: PracticeSpec | None = None


@dataclass
class CourseSpec:
    """A course folder, validated."""

    slug: str
    title: str
    description: str
    audience: str
    version: int
    follow_up_required: bool
    certificate: bool
    position: int
    modules: list[ModuleSpec] = field(default_factory=list)


def slug_of(name: str) -> str:
    """The stable slug of a file or folder: no number prefix, no extension ("01-x.md" → "x")."""
    return NUMBER_PREFIX.sub("", name.removesuffix(".md"))


def lesson_url(course: str, module: str, lesson: str) -> str:
    """The site path of a lesson; stored in rendered links between lessons."""
    return f"/courses/{course}/{module}/{lesson}"


def load_courses(root: Path) -> tuple[list[CourseSpec], list[ContentError]]:
    """Read every course under `root`; return the courses and all problems found."""
    errors: list[ContentError] = []
    root = Path(root)
    if not root.is_dir():
        return [], [ContentError(root, 0, "course folder not found")]
    course_dirs = sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
    if not course_dirs:
        errors.append(ContentError(root, 0, "no course folders (a folder with course.yml) found"))
    courses = [
        course
        for position, folder in enumerate(course_dirs, start=1)
        if (course := _read_course(folder, position, errors)) is not None
    ]
    _render_lessons(courses, root, errors)
    for folder in course_dirs:  # a course's kit/ documents: the same checks as lessons
        for path in sorted((folder / "kit").glob("*.md")):
            _read_lesson(path, 1, errors)
    return courses, errors


def _read_course(folder: Path, position: int, errors: list[ContentError]) -> CourseSpec | None:
    path = folder / "course.yml"
    check = Checker(path, errors)
    data = _read_yaml_mapping(path, check, "course.yml")
    if data is None:
        return None
    check.keys(data, *COURSE_KEYS, "course.yml")
    if not SLUG.match(folder.name):
        check.error(
            1, f"course folder name '{folder.name}' must be lowercase letters, digits and -"
        )
    audience = check.text(data, "audience", default=Audience.EMPLOYEE)
    if audience not in AUDIENCES:
        check.error(data.line_of("audience"), f"audience must be one of {', '.join(AUDIENCES)}")
    if audience == Audience.AGENT and data.get("certificate") is not True:
        # certification is the agent certificate: without one no agent could run sessions
        check.error(data.line_of("audience"), "a course for agents must have certificate: true")
    follow_up = False
    if "completion" in data:
        completion = check.mapping(data["completion"], data.line_of("completion"), "completion")
        if completion is not None:
            check.keys(completion, set(), {"follow_up_required"}, "completion")
            follow_up = check.boolean(completion, "follow_up_required")
    course = CourseSpec(
        slug=folder.name,
        title=check.text(data, "title", default="") or "",
        description=check.text(data, "description", default="") or "",
        audience=audience or Audience.EMPLOYEE,
        version=check.integer(data, "version", 1, default=1),
        follow_up_required=follow_up,
        certificate=check.boolean(data, "certificate"),
        position=position,
    )
    names = check.text_list(data, "modules")
    if names is None:
        names = sorted(p.name for p in folder.iterdir() if (p / "module.yml").is_file())
    if not names:
        check.error(data.line_of("modules"), "the course has no modules (folders with module.yml)")
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        module_dir = folder / name
        if not (module_dir / "module.yml").is_file():
            check.error(data.line_of("modules"), f"module '{name}' has no {name}/module.yml")
            continue
        module = _read_module(module_dir, index, errors)
        if module is None:
            continue
        if module.slug in seen:
            check.error(data.line_of("modules"), f"two modules have the slug '{module.slug}'")
        seen.add(module.slug)
        course.modules.append(module)
    return course


def _read_module(folder: Path, position: int, errors: list[ContentError]) -> ModuleSpec | None:
    path = folder / "module.yml"
    check = Checker(path, errors)
    data = _read_yaml_mapping(path, check, "module.yml")
    if data is None:
        return None
    check.keys(data, *MODULE_KEYS, "module.yml")
    module = ModuleSpec(
        slug=slug_of(folder.name),
        title=check.text(data, "title", default="") or "",
        description=check.text(data, "description", default="") or "",
        position=position,
    )
    if not SLUG.match(module.slug):
        check.error(
            1, f"module folder name '{folder.name}' must be lowercase letters, digits and -"
        )
    names = check.text_list(data, "lessons")
    if names is None:
        names = sorted(p.name for p in folder.glob("*.md"))
    if not names:
        check.error(data.line, "the module has no lessons (.md files)")
    for index, name in enumerate(names, start=1):
        lesson_path = folder / name
        if not name.endswith(".md") or "/" in name or not lesson_path.is_file():
            check.error(
                data.line_of("lessons"), f"lesson file '{name}' not found in {folder.name}/"
            )
            continue
        lesson = _read_lesson(lesson_path, index, errors)
        if lesson is None:
            continue
        if lesson.slug in RESERVED_LESSON_SLUGS:
            check.error(
                data.line_of("lessons"), f"'{name}': the lesson slug '{lesson.slug}' is reserved"
            )
        if any(other.slug == lesson.slug for other in module.lessons):
            check.error(data.line_of("lessons"), f"two lessons have the slug '{lesson.slug}'")
        module.lessons.append(lesson)
    quiz_path = folder / "quiz.yml"
    if quiz_path.is_file():
        module.quiz = _read_quiz(quiz_path, errors)
    practice_path = folder / "practice.yml"
    if practice_path.is_file():
        module.practice = _read_practice(practice_path, errors)
    return module


def _read_practice(path: Path, errors: list[ContentError]) -> PracticeSpec | None:
    """practice.yml: things to do in a real meeting, ticked by the learner (and a trainer)."""
    check = Checker(path, errors)
    data = _read_yaml_mapping(path, check, "practice.yml")
    if data is None:
        return None
    check.keys(data, *PRACTICE_KEYS, "practice.yml")
    confirmed_by = data.get("confirmed_by", ConfirmedBy.SELF)
    if confirmed_by not in CONFIRMERS:
        check.error(
            data.line_of("confirmed_by"),
            f"'confirmed_by' must be one of {', '.join(CONFIRMERS)}, not '{confirmed_by}'",
        )
    raw = data.get("tasks")
    if not isinstance(raw, list) or not raw:
        check.error(data.line_of("tasks"), "'tasks' must be a non-empty list")
        raw = []
    tasks: list[TaskSpec] = []
    for position, item in enumerate(raw, start=1):
        task = check.mapping(item, data.line_of("tasks"), "a task")
        if task is None:
            continue
        check.keys(task, *TASK_KEYS, "a task")
        key = check.text(task, "id", default="") or ""
        if key and not SLUG.match(key):
            check.error(
                task.line_of("id"), f"task id '{key}' must be lowercase letters, digits and -"
            )
        if any(other.key == key for other in tasks):
            check.error(task.line_of("id"), f"duplicate task id '{key}'")
        help_text = check.text(task, "help", default="") or ""
        _check_placeholders(help_text, task.line_of("help") + 1, check)
        _check_placeholders(check.text(task, "text", default="") or "", task.line_of("text"), check)
        tasks.append(
            TaskSpec(key, check.text(task, "text", default="") or "", render_markdown(help_text),
                     position)
        )  # fmt: skip
    return PracticeSpec(
        title=check.text(data, "title", default="") or "",
        description=check.text(data, "description", default="") or "",
        confirmed_by=confirmed_by if confirmed_by in CONFIRMERS else ConfirmedBy.SELF,
        tasks=tasks,
    )


def _check_placeholders(text: str, first_line: int, check: Checker) -> None:
    """Report each unknown or malformed `{{fact}}` placeholder at its line."""
    for offset, message in placeholder_problems(text):
        check.error(first_line + text.count("\n", 0, offset), message)


def read_document(path: Path) -> tuple[LessonSpec | None, list[ContentError]]:
    """A Markdown document outside a module (the kit), read and rendered like a lesson."""
    errors: list[ContentError] = []
    lesson = _read_lesson(path, 1, errors)
    if lesson is not None:
        lesson.html = render_markdown(lesson.source)
    return lesson, errors


def _read_lesson(path: Path, position: int, errors: list[ContentError]) -> LessonSpec | None:
    check = Checker(path, errors)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        check.error(1, "the lesson is not UTF-8 text")
        return None
    title, body, body_line = None, text, 1
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            check.error(1, "front matter opened with --- is never closed")
            return None
        data, error = load_yaml(path, "".join(lines[1:end]), first_line=2)
        if error:
            errors.append(error)
            return None
        meta = check.mapping(data if data is not None else LineDict(), 1, "front matter")
        if meta is None:
            return None
        meta.line = 1
        meta.key_lines = {k: v + 1 for k, v in meta.key_lines.items()}
        check.keys(meta, set(), FRONT_MATTER_KEYS[0] | FRONT_MATTER_KEYS[1], "front matter")
        title = check.text(meta, "title")
        body, body_line = "".join(lines[end + 1 :]), end + 2
    if title is None:
        heading = re.search(r"^# +(.+?)[ \t]*#*[ \t]*$", body, re.MULTILINE)
        if heading is None:
            check.error(1, "the lesson has no title: add 'title:' front matter or a '# ' heading")
            return None
        title = heading.group(1)
        body = body[: heading.start()] + body[heading.end() :]
    slug = slug_of(path.name)
    if not SLUG.match(slug):
        check.error(1, f"lesson file name '{path.name}' must be lowercase letters, digits and -")
    _check_placeholders(body, body_line, check)
    return LessonSpec(slug, title, body, position, path, body_line)


def _read_quiz(path: Path, errors: list[ContentError]) -> QuizSpec | None:
    check = Checker(path, errors)
    data = _read_yaml_mapping(path, check, "quiz.yml")
    if data is None:
        return None
    check.keys(data, *QUIZ_KEYS, "quiz.yml")
    questions: list[QuestionSpec] = []
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        check.error(data.line_of("questions"), "'questions' must be a non-empty list")
        raw = []
    for position, item in enumerate(raw, start=1):
        question = _read_question(item, position, data.line_of("questions"), check)
        if question is None:
            continue
        if any(other.key == question.key for other in questions):
            check.error(_line_of_item(item, data), f"duplicate question id '{question.key}'")
        questions.append(question)
    draw = check.integer(data, "draw", 1)
    if draw is not None and raw and draw > len(raw):
        check.error(
            data.line_of("draw"), f"'draw' is {draw} but the quiz has only {len(raw)} questions"
        )
    groups = _read_groups(data, raw, draw, check)
    reveal = data.get("reveal_answers", RevealAnswers.AFTER_PASS)
    if reveal not in REVEAL_ANSWERS:
        check.error(
            data.line_of("reveal_answers"),
            f"'reveal_answers' must be one of {', '.join(REVEAL_ANSWERS)}, not '{reveal}'",
        )
        reveal = RevealAnswers.AFTER_PASS
    return QuizSpec(
        title=check.text(data, "title", default="") or "",
        description=check.text(data, "description", default="") or "",
        pass_mark=check.integer(data, "pass_mark", 1, 100, default=100),
        max_attempts=check.integer(data, "max_attempts", 1),
        shuffle=check.boolean(data, "shuffle"),
        draw=draw,
        reveal_answers=reveal,
        questions=questions,
        groups=groups,
    )


def _read_groups(data: LineDict, raw: list, draw: int | None, check: Checker):
    """`groups`: topics each attempt draws a set number of questions from (a stratified draw).

    Every question then names its group; a group must hold more questions than it draws, and
    the quiz's `draw`, when given, is the sum of the groups' draws.
    """
    if "groups" not in data:
        for item in raw:
            if isinstance(item, LineDict) and "group" in item:
                check.error(item.line_of("group"), "'group' needs a 'groups' list in quiz.yml")
        return None
    items = data["groups"]
    if not isinstance(items, list) or not items:
        check.error(data.line_of("groups"), "'groups' must be a non-empty list")
        return None
    groups: dict[str, int] = {}
    lines: dict[str, int] = {}
    for item in items:
        group = check.mapping(item, data.line_of("groups"), "a group")
        if group is None:
            continue
        check.keys(group, *GROUP_KEYS, "a group")
        key = check.text(group, "id", default="") or ""
        if key in groups:
            check.error(group.line_of("id"), f"duplicate group id '{key}'")
        groups[key], lines[key] = check.integer(group, "draw", 1, default=1), group.line_of("id")
    counts = dict.fromkeys(groups, 0)
    for item in raw:
        if not isinstance(item, LineDict):
            continue
        group = item.get("group")
        if group is None:
            check.error(item.line_of("id"), f"question '{item.get('id')}' needs a 'group'")
        elif group not in groups:
            check.error(item.line_of("group"), f"no group '{group}' in 'groups'")
        else:
            counts[group] += 1
    for key, wanted in groups.items():
        if counts[key] < wanted:
            check.error(
                lines[key], f"group '{key}' draws {wanted} but holds only {counts[key]} question(s)"
            )
    total = sum(groups.values())
    if draw is not None and draw != total:
        check.error(data.line_of("draw"), f"'draw' is {draw} but the groups draw {total} in all")
    return groups


def _read_question(item, position: int, list_line: int, check: Checker) -> QuestionSpec | None:
    data = check.mapping(item, list_line, "a question")
    if data is None:
        return None
    type_name = data.get("type")
    question_type = QUESTION_TYPES.get(type_name) if isinstance(type_name, str) else None
    if question_type is None:
        known = ", ".join(QUESTION_TYPES)
        check.error(
            data.line_of("type"), f"question type must be one of {known}, not '{type_name}'"
        )
        return None
    check.keys(data, {"id", "type", "prompt"}, (COMMON_KEYS | question_type.keys), "a question")
    key = check.text(data, "id", default="") or ""
    if key and not QUESTION_ID.match(key):
        check.error(
            data.line_of("id"), f"question id '{key}' may hold only letters, digits, - and _"
        )
    options, answer = question_type.read(data, check)
    return QuestionSpec(
        key=key,
        type=question_type.name,
        prompt=check.text(data, "prompt", default="") or "",
        explanation=check.text(data, "explanation", default="") or "",
        position=position,
        options=options,
        answer=answer,
        group=data.get("group") if isinstance(data.get("group"), str) else None,
    )


def _line_of_item(item, parent: LineDict) -> int:
    return item.line_of("id") if isinstance(item, LineDict) else parent.line


def _read_yaml_mapping(path: Path, check: Checker, what: str) -> LineDict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        check.error(1, f"{what} is not UTF-8 text")
        return None
    data, error = load_yaml(path, text)
    if error:
        check.errors.append(error)
        return None
    return check.mapping(data, 1, what)


def _render_lessons(courses: list[CourseSpec], root: Path, errors: list[ContentError]) -> None:
    """Resolve links between lessons to site paths, then render each lesson once."""
    urls = {
        lesson.path.resolve(): lesson_url(course.slug, module.slug, lesson.slug)
        for course in courses
        for module in course.modules
        for lesson in module.lessons
    }
    for course in courses:
        for module in course.modules:
            for lesson in module.lessons:
                source = _resolve_links(
                    lesson, urls, Checker(lesson.path, errors), root / course.slug, course.slug
                )
                lesson.html = render_markdown(source)


def file_url(course: str, relative: str) -> str:
    """The site path of an image in a course folder."""
    return f"/courses/{course}/files/{relative}"


def _resolve_links(
    lesson: LessonSpec, urls: dict[Path, str], check: Checker, course_root: Path, course: str
) -> str:
    """Point relative links at lesson URLs and images at course files; report what leads nowhere."""

    def replace(match: re.Match) -> str:
        is_image, alt, target = match.group(1) == "!", match.group(2), match.group(3)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "#")):
            return match.group(0)
        path_part, _, anchor = target.partition("#")
        line = lesson.body_line + lesson.source.count("\n", 0, match.start())
        resolved = (lesson.path.parent / posixpath.normpath(path_part)).resolve()
        if is_image:
            if not alt.strip():
                check.error(line, f"image '{target}' needs alt text: ![what it shows]({target})")
            inside = resolved.is_relative_to(course_root.resolve())
            if resolved.suffix.lower() not in IMAGE_TYPES or not inside or not resolved.is_file():
                check.error(line, f"broken image '{target}': no such image in the course folder")
                return match.group(0)
            url = file_url(course, resolved.relative_to(course_root.resolve()).as_posix())
            return match.group(0).replace(target, url, 1)
        if not path_part.endswith(".md"):
            check.error(line, f"link '{target}': only links to lessons (.md) may be relative")
            return match.group(0)
        url = urls.get(resolved)
        if url is None:
            check.error(line, f"broken lesson link '{target}': no such lesson")
            return match.group(0)
        return match.group(0).replace(target, url + (f"#{anchor}" if anchor else ""), 1)

    return LINK.sub(replace, lesson.source)
