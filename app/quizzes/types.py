"""Question types: one class per type, registered by name, so a new type is one class."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.courses.yamlfile import Checker, LineDict

COMMON_KEYS = {"id", "type", "prompt", "explanation"}


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


class QuestionType(ABC):
    """Base class: the keys a type accepts, and how its YAML is validated."""

    name: ClassVar[str]
    keys: ClassVar[set[str]] = set()

    @abstractmethod
    def read(self, data: LineDict, check: Checker) -> tuple[list[OptionSpec], dict[str, Any]]:
        """Validate the type's own keys; return its options and answer data."""


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


class TextAnswer(QuestionType):
    """A typed answer, right when it matches an accepted text (trimmed, any case)."""

    name = "text"
    keys: ClassVar[set[str]] = {"accept"}

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
