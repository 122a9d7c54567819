"""YAML reading that remembers line numbers, and the error type of the course loader."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ContentError:
    """One problem in the course files, printed as `path:line: message`."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


MAX_INTEGER = 2**31 - 1


class LineDict(dict):
    """A YAML mapping that knows its own line and the line of each key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = 1
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping repeats a key (YAML would silently keep the last one) or has a complex key."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that builds LineDicts."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise _DuplicateKey(None, None, "a key must be a plain name", key_node.start_mark)
        if key in mapping:
            raise _DuplicateKey(None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path, text: str, first_line: int = 1) -> tuple[Any, ContentError | None]:
    """Parse YAML text; on failure return the error with its line instead of raising."""
    try:
        return yaml.load(text, Loader=_LineLoader), None  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = error.problem or error.context or "invalid YAML"
        return None, ContentError(path, line, f"invalid YAML: {problem}")
    except yaml.YAMLError as error:
        return None, ContentError(path, first_line, f"invalid YAML: {error}")


class Checker:
    """Collects errors for one file and checks keys and value types of its mappings."""

    def __init__(self, path: Path, errors: list[ContentError]):
        self.path = path
        self.errors = errors

    def error(self, line: int, message: str) -> None:
        """Record one problem."""
        self.errors.append(ContentError(self.path, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LineDict | None:
        """`value` if it is a mapping, else an error."""
        if isinstance(value, LineDict):
            return value
        self.error(line, f"{what} must be a mapping of keys to values")
        return None

    def keys(self, mapping: LineDict, required: set[str], optional: set[str], what: str) -> bool:
        """Report unknown and missing keys; True when there were none."""
        ok = True
        for key in mapping:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(
                    mapping.line_of(key), f"unknown key '{key}' in {what} (allowed: {allowed})"
                )
                ok = False
        for key in sorted(required - set(mapping)):
            self.error(mapping.line, f"{what} is missing the required key '{key}'")
            ok = False
        return ok

    def text(self, mapping: LineDict, key: str, default: str | None = None) -> str | None:
        """A non-empty string value (or the default when the key is absent)."""
        if key not in mapping:
            return default
        value = mapping[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(mapping.line_of(key), f"'{key}' must be a non-empty text")
            return default
        return value.strip()

    def boolean(self, mapping: LineDict, key: str, default: bool = False) -> bool:
        """A true/false value."""
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.error(mapping.line_of(key), f"'{key}' must be true or false")
            return default
        return value

    def integer(
        self, mapping: LineDict, key: str, low: int, high: int = MAX_INTEGER, default=None
    ) -> int | None:
        """A whole number within [low, high] (by default, what a database integer holds)."""
        if key not in mapping:
            return default
        value = mapping[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(mapping.line_of(key), f"'{key}' must be a whole number")
            return default
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}"
            self.error(mapping.line_of(key), f"'{key}' must be {bounds}, not {value}")
            return default
        return value

    def text_list(self, mapping: LineDict, key: str) -> list[str] | None:
        """A list of non-empty texts, or None when the key is absent."""
        if key not in mapping:
            return None
        value = mapping[key]
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip()
            for item in value
        ):
            self.error(mapping.line_of(key), f"'{key}' must be a list of names")
            return None
        return [str(item).strip() for item in value]
