"""YAML read with positions, and without YAML 1.1's silent type guesses.

Every scalar is read as text: `verdict: false` stays the word "false" (and is
reported where text is expected, since YAML 1.2 tools read it differently), `2025-08-20` stays a
string that the schema parses as a date. Duplicate keys are errors. Each value
keeps the line and column it came from, so later checks can point at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Origin
from .problems import Problems

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_1_1 = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


@dataclass
class YamlDoc:
    """A YAML file's data (dicts, lists, strings, None) and where each value stands."""

    path: Path
    data: object
    marks: dict[tuple, Origin] = field(default_factory=dict)
    key_marks: dict[tuple, Origin] = field(default_factory=dict)
    implicit: dict[tuple, str] = field(default_factory=dict)
    """Unquoted values that YAML 1.1 tools would not read as text: path -> `bool`, `int`, `float` or `timestamp`.
    The schema reports them where the format expects text (schema.validate)."""

    def origin(self, at: tuple = (), key: bool = False) -> Origin:
        """The origin of the value at `at`, or of its nearest enclosing value."""
        table = self.key_marks if key else self.marks
        for n in range(len(at), -1, -1):
            if at[:n] in table:
                return table[at[:n]]
            if key and at[:n] in self.marks:
                return self.marks[at[:n]]
        return Origin(self.path)


def read_yaml(path: Path, problems: Problems, display: Path | None = None) -> YamlDoc | None:
    """Read one YAML file; report every problem into `problems`; None if unreadable."""
    shown = display or path
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(Origin(shown), f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                       "save the file as UTF-8")
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = Origin(shown, mark.line + 1, mark.column + 1) if mark else Origin(shown)
        problems.error(origin, f"YAML syntax: {exc.problem or exc.context}",
                       "check the indentation and quoting on this line and the one before")
        return None
    doc = YamlDoc(shown, None)
    doc.data = _convert(node, (), doc, problems) if node is not None else None
    return doc


def _origin(doc: YamlDoc, node: yaml.Node) -> Origin:
    return Origin(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, at: tuple, doc: YamlDoc, problems: Problems):
    doc.marks[at] = _origin(doc, node)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.error(_origin(doc, key_node), "a key must be plain text")
                continue
            key = key_node.value
            if key in result:
                first = doc.key_marks[(*at, key)]
                problems.error(_origin(doc, key_node), f"duplicate key '{key}'",
                               f"'{key}' is already set on line {first.line}; YAML would silently keep only the last")
                continue
            doc.key_marks[(*at, key)] = _origin(doc, key_node)
            result[key] = _convert(value_node, (*at, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*at, i), doc, problems) for i, item in enumerate(node.value)]
    value = node.value
    if not getattr(node, "style", None):  # plain scalar (C loader: '', Python loader: None): where YAML 1.1 and 1.2 disagree
        if _NULL.match(value):
            return None
        tag = "bool" if _BOOL_1_1.match(value) else _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)).rsplit(":", 1)[-1]
        if tag in ("bool", "int", "float", "timestamp"):
            doc.implicit[at] = tag
    return value


_RESOLVER = yaml.resolver.Resolver()
