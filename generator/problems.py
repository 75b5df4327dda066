"""Problems a user can cause, collected so that one run reports all of them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .model import Origin


@dataclass(frozen=True, slots=True)
class Problem:
    origin: Origin
    message: str
    hint: str = ""
    severity: str = "error"
    """`error` stops the build; `warning` is reported and the build goes on."""

    def format(self) -> str:
        text = f"{self.origin}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def format_github(self) -> str:
        o = self.origin
        message = self.message + (f" ({self.hint})" if self.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={o.path},line={o.line},col={o.col}::{message}"

    def as_json(self) -> dict:
        o = self.origin
        return {"path": str(o.path), "line": o.line, "col": o.col, "severity": self.severity,
                "message": self.message, "hint": self.hint}


@dataclass
class Problems:
    """Collects problems from every stage; the pipeline stops only after a stage is done."""

    items: list[Problem] = field(default_factory=list)
    unread: set[Path] = field(default_factory=set)
    """Input files (project paths) that could not be read or did not validate: their own errors are reported,
    and later stages say nothing that follows only from their absence (one mistake, one message)."""
    _error_places: set[Origin] = field(default_factory=set, repr=False)

    def error(self, origin: Origin, message: str, hint: str = "") -> None:
        self.add(Problem(origin, message, hint, "error"))

    def warning(self, origin: Origin, message: str, hint: str = "") -> None:
        self.add(Problem(origin, message, hint, "warning"))

    def add(self, problem: Problem) -> None:
        """One place, one message: after an error, what a later stage finds at the same spot follows from it."""
        if problem.origin in self._error_places:
            return
        if problem.severity == "error":
            self._error_places.add(problem.origin)
        self.items.append(problem)

    def extend(self, other: Problems) -> None:
        for problem in other.items:
            self.add(problem)
        self.unread |= other.unread

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (str(p.origin.path), p.origin.line, p.origin.col))

    def render(self, fmt: str = "text", coverage: dict | None = None) -> str:
        items = self.sorted()
        if fmt == "json":
            document: dict[str, object] = {"problems": [p.as_json() for p in items]}
            if coverage is not None:
                document["coverage"] = coverage
            return json.dumps(document, indent=2)
        if fmt == "github":
            return "\n".join(p.format_github() for p in items)
        return "\n".join(p.format() for p in items)


class ProblemsFound(Exception):
    """Raised by the pipeline when a stage found errors; carries all of them."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems
