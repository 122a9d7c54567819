"""Question types: one class per type, registered by name, so a new type is one class."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.yamlfile import Checker, LineDict

COMMON_KEYS = {"id", "type", "prompt", "explanation", "group"}


@dataclass
class OptionSpec:
    """An option as read from quiz.yml."""

    key: str
    text: str
    correct: bool
    feedback: str
    position: int


@dataclass
class QuestionSpec:
    """A question as read from quiz.yml, ready to sync."""

    key: str
    type: str
    prompt: str
    explanation: str
    position: int
    options: list[OptionSpec] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=dict)
    group: str | None = None


class InvalidAnswer(DomainError, ValueError):
    """The submitted answer cannot belong to this question (tampering or a stale form)."""


MAX_TEXT_ANSWER = 500


class QuestionType(ABC):
    """Base class: the keys a type accepts, how its YAML is validated, parsed and graded."""

    name: ClassVar[str]
    keys: ClassVar[set[str]] = set()
    # How the attempt form shows it: "radio", "checkbox" (options) or "text" (an input).
    widget: ClassVar[str] = "radio"
    hint: ClassVar[str | None] = None

    def label(self, option) -> str:
        """The text shown for an option."""
        return option.text

    def describe(self, answer: Any, options: list) -> str:
        """The learner's answer in words, for the result page."""
        chosen = answer if isinstance(answer, list) else []
        return "; ".join(self.label(option) for option in options if option.id in chosen)

    def describe_correct(self, options: list, key: dict[str, Any]) -> str:
        """The right answer in words, for the result page."""
        return "; ".join(self.label(option) for option in options if option.correct)

    def parse(self, values: list[str], option_ids: list[int]) -> Any:
        """The learner's answer from form values: one option id, or None when unanswered.

        :raise InvalidAnswer: more than one value, or an option not offered for this question.
        """
        if not values or values == [""]:
            return None
        if len(values) > 1:
            raise InvalidAnswer("only one option may be chosen")
        return [_offered_option(values[0], option_ids)]

    def grade(self, answer: Any, correct_option_ids: set[int], key: dict[str, Any]) -> bool:
        """True when the answer is exactly the correct option."""
        return answer is not None and set(answer) == correct_option_ids and len(answer) == 1

    @abstractmethod
    def read(self, data: LineDict, check: Checker) -> tuple[list[OptionSpec], dict[str, Any]]:
        """Validate the type's own keys; return its options and answer data."""


def _offered_option(value: str, option_ids: list[int]) -> int:
    if (
        not (value.isascii() and value.isdecimal() and len(value) <= 18)
        or int(value) not in option_ids
    ):
        raise InvalidAnswer(f"option {value!r} is not an option of this question")
    return int(value)


class ChoiceType(QuestionType, ABC):
    """Shared reading of an options list for single and multiple choice."""

    keys: ClassVar[set[str]] = {"options"}

    def read_options(self, data: LineDict, check: Checker) -> list[OptionSpec]:
        """Read `options`: each a mapping with text, and optional id, correct and feedback."""
        raw = data.get("options")
        if not isinstance(raw, list) or len(raw) < 2:
            check.error(data.line_of("options"), "a choice question needs at least two options")
            return []
        options: list[OptionSpec] = []
        for position, item in enumerate(raw, start=1):
            option = check.mapping(item, data.line_of("options"), "an option")
            if option is None:
                continue
            check.keys(option, {"text"}, {"id", "correct", "feedback"}, "an option")
            key = check.text(option, "id", default=f"o{position}")
            if any(existing.key == key for existing in options):
                check.error(option.line_of("id"), f"duplicate option id '{key}'")
            options.append(
                OptionSpec(
                    key=key,
                    text=check.text(option, "text", default="") or "",
                    correct=check.boolean(option, "correct"),
                    feedback=check.text(option, "feedback", default="") or "",
                    position=position,
                )
            )
        return options


class SingleChoice(ChoiceType):
    """Exactly one correct option; the learner picks one."""

    name = "single"

    def read(self, data, check):
        options = self.read_options(data, check)
        if options and sum(option.correct for option in options) != 1:
            check.error(
                data.line_of("options"),
                "a single-choice question needs exactly one option with 'correct: true'",
            )
        return options, {}


class MultipleChoice(ChoiceType):
    """One or more correct options; only the exact right set scores."""

    name = "multiple"
    widget = "checkbox"
    hint = _l("Välj alla svar som stämmer.")

    def parse(self, values: list[str], option_ids: list[int]) -> Any:
        """The chosen option ids (sorted, no repeats), or None when nothing was chosen."""
        chosen = sorted({_offered_option(value, option_ids) for value in values if value})
        return chosen or None

    def grade(self, answer, correct_option_ids, key):
        """Right only when exactly the correct set is chosen."""
        return answer is not None and set(answer) == correct_option_ids

    def read(self, data, check):
        options = self.read_options(data, check)
        if options and not any(option.correct for option in options):
            check.error(
                data.line_of("options"),
                "a multiple-choice question needs at least one option with 'correct: true'",
            )
        return options, {}


class TrueFalse(QuestionType):
    """A statement that is true or false; stored as two options so grading is uniform."""

    name = "true_false"
    keys: ClassVar[set[str]] = {"answer"}

    def read(self, data, check):
        if not isinstance(data.get("answer"), bool):
            check.error(
                data.line_of("answer"),
                "a true_false question needs 'answer: true' or 'answer: false'",
            )
            return [], {}
        answer = data["answer"]
        options = [
            OptionSpec("true", "Sant", answer is True, "", 1),
            OptionSpec("false", "Falskt", answer is False, "", 2),
        ]
        return options, {}


def normalise_text(text: str) -> str:
    """Trim, collapse inner whitespace, ignore case and trailing punctuation or quotes:
    "  40  %." matches "40 %"."""
    return " ".join(text.split()).casefold().rstrip(TRAILING).lstrip(QUOTES).strip()


TRAILING = ".,;:!?\"'»”’ "
QUOTES = "\"'«“‘ "


class TextAnswer(QuestionType):
    """A typed answer, right when it matches an accepted text (trimmed, any case)."""

    name = "text"
    keys: ClassVar[set[str]] = {"accept"}
    widget = "text"

    def parse(self, values: list[str], option_ids: list[int]) -> Any:
        """The typed text, or None when empty."""
        if len(values) > 1:
            raise InvalidAnswer("only one text answer may be given")
        text = values[0].strip() if values else ""
        if len(text) > MAX_TEXT_ANSWER:
            raise InvalidAnswer(f"the answer is longer than {MAX_TEXT_ANSWER} characters")
        return text or None

    def describe(self, answer, options):
        """The typed text."""
        return answer or ""

    def describe_correct(self, options, key):
        """The first accepted answer."""
        return key.get("accept", [""])[0]

    def grade(self, answer, correct_option_ids, key):
        """Right when the text matches one of the accepted answers."""
        accepted = {normalise_text(text) for text in key.get("accept", [])}
        return isinstance(answer, str) and normalise_text(answer) in accepted

    def read(self, data, check):
        accepted = check.text_list(data, "accept")
        if not accepted:
            check.error(
                data.line_of("accept"), "a text question needs 'accept' with at least one answer"
            )
            return [], {}
        return [], {"accept": accepted}


QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls() for cls in (SingleChoice, MultipleChoice, TrueFalse, TextAnswer)
}
