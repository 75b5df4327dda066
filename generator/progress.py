"""How a build reports its stages: on a terminal, one line that shows the stage, its count and its rate; with
`--verbose`, one plain line per stage (for logs and tests); otherwise (CI, a pipe) nothing at all.

The build calls `progress(stage, total, count)` as each stage starts: `count`, if given, says how far the stage
has come, and the terminal display asks it a few times a second, from a thread of its own, so the stages never
pay for being watched.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

Count = Callable[[], int]


class Progress(Protocol):
    def __call__(self, stage: str, total: int | None = None, count: Count | None = None) -> None: ...


def quiet(stage: str, total: int | None = None, count: Count | None = None) -> None:
    """Says nothing: CI logs and pipes get only the problems and the summary."""


def verbose(stage: str, total: int | None = None, count: Count | None = None) -> None:
    print(f"stage: {stage}", file=sys.stderr, flush=True)


def wanted(stream: TextIO) -> bool:
    """A live display only for a person at a terminal: not in CI, not piped, not on a dumb terminal."""
    return stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def on_stderr(plain: bool = False) -> Iterator[Progress]:
    """How a command shows its stages on standard error: a line each (`plain`, `--verbose`), the live display for a
    person at a terminal, else nothing; the display's last line finished when the command is done."""
    progress: Progress = verbose if plain else Terminal() if wanted(sys.stderr) else quiet
    try:
        yield progress
    finally:
        if isinstance(progress, Terminal):
            progress.close()


_UNITS = {"write": "files", "mkdocs": "pages"}


class Terminal:
    """One line, redrawn four times a second: `mkdocs  5,120/11,004 pages  171/s  30 s`; each finished stage
    stays on a line of its own with its time."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 0.25):
        self.stream, self.interval = stream, interval
        self.lock = threading.Lock()
        self.current: tuple[str, int | None, Count | None, float] | None = None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def __call__(self, stage: str, total: int | None = None, count: Count | None = None) -> None:
        with self.lock:
            self._finish()
            self.current = None if stage == "done" else (stage, total, count, time.monotonic())
            self._draw()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        with self.lock:
            self._finish()
            self.current = None

    def _tick(self) -> None:
        while not self.stopped.wait(self.interval):
            with self.lock:
                self._draw()

    def _line(self) -> str:
        assert self.current is not None
        stage, total, count, started = self.current
        elapsed = time.monotonic() - started
        line = f"{stage:8}"
        if count is not None:
            done = count()
            unit = _UNITS.get(stage, "")
            line += f" {done:>7,}" + (f"/{total:,}" if total else "") + f" {unit}"
            if elapsed > 0.5:
                line += f"  {done / elapsed:,.0f}/s"
        return f"{line}  {elapsed:.1f} s"

    def _draw(self) -> None:
        if self.current is not None:
            self.stream.write(f"\r\x1b[K{self._line()}")
            self.stream.flush()

    def _finish(self) -> None:
        if self.current is not None:
            self.stream.write(f"\r\x1b[K{self._line()}\n")
            self.stream.flush()
