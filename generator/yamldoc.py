"""YAML read with positions, and without YAML 1.1's silent type guesses or its dangerous corners.

Every scalar is read as text: `verdict: false` stays the word "false" (and is
reported where text is expected, since YAML 1.2 tools read it differently), `2025-08-20` stays a
string that the schema parses as a date. Duplicate keys are errors. Each value
keeps the line and column it came from, so later checks can point at it.

The document is built from the parser's events in one loop, with no recursion and no
expansion of aliases, so a hostile file cannot exhaust the stack or the memory:
aliases (`*name`), tags (`!!python/object`), nesting deeper than MAX_DEPTH and files
larger than a limit are each one located error. Text is decoded once (`decode_text`,
shared with the captures): UTF-8, a byte-order mark allowed, no control characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import events as ev

from .model import Origin
from .problems import Problems

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_1_1 = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_NOT_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML (and so our text files) cannot hold: control characters, lone surrogates, U+FFFE/U+FFFF."""

MAX_YAML_BYTES = 2_000_000
"""The largest YAML file read (the biggest real annotation file is about 30 KB)."""
MAX_DEPTH = 40
"""The deepest nesting read (the formats need 5 levels)."""


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
    first_line: str = ""

    def origin(self, at: tuple = (), key: bool = False) -> Origin:
        """The origin of the value at `at`, or of its nearest enclosing value."""
        table = self.key_marks if key else self.marks
        for n in range(len(at), -1, -1):
            if at[:n] in table:
                return table[at[:n]]
            if key and at[:n] in self.marks:
                return self.marks[at[:n]]
        return Origin(self.path)


def decode_text(raw: bytes, shown: Path, problems: Problems, hint: str) -> str | None:
    """The text of a file's bytes: UTF-8 without control characters (a leading byte-order mark is dropped).
    Reports the first offending byte by line and column; None if there is one."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _place(raw[:exc.start].decode("utf-8", "replace"))
        problems.error(Origin(shown, line, col), f"not UTF-8 text: byte 0x{raw[exc.start]:02x} ({exc.reason})", hint)
        return None
    bad = _NOT_TEXT.search(text)
    if bad:
        line, col = _place(text[:bad.start()])
        what = "a NUL byte" if bad.group() == "\0" else f"the control character U+{ord(bad.group()):04X}"
        problems.error(Origin(shown, line, col), f"{what} where text is expected: is this a binary file?", hint)
        return None
    return text


def _place(before: str) -> tuple[int, int]:
    """1-based line and column of the character after `before`."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def read_yaml(path: Path, problems: Problems, display: Path | None = None, foreign: bool = False,
              data: bytes | None = None, limit: int = MAX_YAML_BYTES) -> YamlDoc | None:
    """Read one YAML file; report every problem into `problems`; None if unreadable (and then it is in
    `problems.unread`). `foreign`: a file of another tool's format (mkdocs.yml), whose tags are that tool's business.
    `data`: the file's bytes, when the caller has read them; `limit`: the largest file read, in bytes."""
    shown = display or path
    doc = _read_yaml(path, shown, problems, foreign, data, limit)
    if doc is None:
        problems.unread.add(shown)
    return doc


def _read_yaml(path: Path, shown: Path, problems: Problems, foreign: bool, data: bytes | None,
               limit: int) -> YamlDoc | None:
    if data is None and not path.is_file():
        problems.error(Origin(shown), f"{shown.name} is missing", f"restore it from git: git checkout -- {shown}")
        return None
    size = len(data) if data is not None else path.stat().st_size
    if size > limit:
        problems.error(Origin(shown), f"file is {size:,} bytes; {shown.name} is read up to {limit:,}",
                       "split it, or check that this is the file you meant (see README, 'Limits')")
        return None
    text = decode_text(path.read_bytes() if data is None else data, shown, problems, "save the file as UTF-8 text")
    if text is None:
        return None
    if not text.strip():
        problems.error(Origin(shown), "the file is empty", "restore it from git, or delete it if it is not needed")
        return None
    doc = YamlDoc(shown, None, first_line=text.split("\n", 1)[0].rstrip("\r"))
    try:
        ok = _Builder(doc, problems, foreign).run(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = Origin(shown, mark.line + 1, mark.column + 1) if mark else Origin(shown)
        problems.error(origin, f"YAML syntax: {exc.problem or exc.context}",
                       "check the indentation and quoting on this line and the one before")
        return None
    return doc if ok else None


class _Builder:
    """Builds a YamlDoc's data from parser events with an explicit stack (no recursion)."""

    def __init__(self, doc: YamlDoc, problems: Problems, foreign: bool):
        self.doc, self.problems, self.foreign = doc, problems, foreign
        self.ok = True
        self.aliases: list[ev.AliasEvent] = []

    def error(self, event: ev.Event, message: str, hint: str = "", fatal: bool = True) -> None:
        self.problems.error(self._origin(event), message, hint)
        self.ok = self.ok and not fatal

    def _origin(self, event: ev.Event) -> Origin:
        mark = event.start_mark
        return Origin(self.doc.path, mark.line + 1, mark.column + 1) if mark else Origin(self.doc.path)

    def run(self, stream) -> bool:
        # a frame: [container, its path (None inside a key), the key awaiting its value (mappings)]
        stack: list[list] = []
        documents = 0
        skip_depth = 0  # > 0 while inside a part that is reported and left out (too deep)
        for event in stream:
            if skip_depth:
                skip_depth += isinstance(event, ev.CollectionStartEvent) - isinstance(event, ev.CollectionEndEvent)
                if skip_depth == 0:
                    self._attach(stack, None, event, stack[-1][1] if stack else ())
                continue
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    self.error(event, "a second YAML document ('---') in one file", "one file holds one document")
                continue
            if not isinstance(event, ev.NodeEvent | ev.CollectionEndEvent):
                continue
            if isinstance(event, ev.CollectionEndEvent):
                container, at, *_ = stack.pop()
                self._attach(stack, container, event, at)
                continue
            at = self._child_path(stack)
            if isinstance(event, ev.AliasEvent):
                self.aliases.append(event)
                self._attach(stack, None, event, at)
                continue
            self._check_tag(event)
            if at is not None:
                self.doc.marks[at] = self._origin(event)
            if isinstance(event, ev.ScalarEvent):
                self._attach(stack, self._scalar(event, at), event, at)
            elif len(stack) >= MAX_DEPTH:
                self.error(event, f"nested more than {MAX_DEPTH} levels deep", "these files need only a few levels")
                skip_depth = 1
            else:
                stack.append([{} if isinstance(event, ev.MappingStartEvent) else [], at, None])
        if self.aliases and not self.foreign:
            more = f" (and {len(self.aliases) - 1} more in this file)" if len(self.aliases) > 1 else ""
            self.error(self.aliases[0], f"YAML alias *{self.aliases[0].anchor} is not allowed here{more}",
                       "write each value out in full: aliases make a file hard to review and can expand without limit")
        return self.ok

    @staticmethod
    def _child_path(stack: list[list]) -> tuple | None:
        """Where the next value goes; None for a key (keys are not values) or inside a key."""
        if not stack:
            return ()
        container, at, key = stack[-1]
        if at is None:
            return None
        if isinstance(container, list):
            return (*at, len(container))
        return None if key is None else (*at, key)

    def _attach(self, stack: list[list], value, event: ev.Event, at: tuple | None) -> None:
        if not stack:
            self.doc.data = value
            return
        frame = stack[-1]
        container, parent_at, key = frame
        if isinstance(container, list):
            container.append(value)
        elif key is None:  # this value is a key
            if not isinstance(value, str) or isinstance(event, ev.CollectionEndEvent):
                self.error(event, "a key must be plain text", fatal=False)
                frame[2] = _IGNORED
            elif value in container and parent_at is not None:
                first = self.doc.key_marks[(*parent_at, value)]
                self.error(event, f"duplicate key '{value}'",
                           f"'{value}' is already set on line {first.line}; YAML would silently keep only the last", fatal=False)
                frame[2] = _IGNORED
            else:
                if parent_at is not None:
                    self.doc.key_marks[(*parent_at, value)] = self._origin(event)
                frame[2] = value
        else:
            if key is not _IGNORED:
                container[key] = value
            frame[2] = None

    def _scalar(self, event: ev.ScalarEvent, at: tuple | None) -> str | None:
        value = event.value
        if not event.style:  # plain scalar (C parser: '', Python parser: None): where YAML 1.1 and 1.2 disagree
            if _NULL.match(value):
                return None
            tag = "bool" if _BOOL_1_1.match(value) else _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
            tag = tag.rsplit(":", 1)[-1]
            if tag in ("bool", "int", "float", "timestamp") and at is not None:
                self.doc.implicit[at] = tag
        return value

    def _check_tag(self, event: ev.NodeEvent) -> None:
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not self.foreign:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.error(event, f"YAML tag {shown} is not allowed here",
                       "these files hold only text, lists and mappings: remove the tag", fatal=False)


_IGNORED = object()
_RESOLVER = yaml.resolver.Resolver()
