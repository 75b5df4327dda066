"""Benchmark: where `build --docs-only` spends its time after one edit, step by step.

Edits one claim summary in a project built before (bench.run's edit), then runs `build --docs-only` in this process
with the pipeline's steps timed, and prints each step's median over the edits, largest first. No profiler: its cost
per call distorts the steps made of many small calls. A step may run inside another (the reviews are read back
inside `checked_all`, the views inside `site_view`, `listings` too; the bundle, `Memo._unbundle`, inside the first
step that reads a result back); what no step covers is mostly rendering the edited article, and reading the claims'
history back where `gather` first needs it (`read_history` only starts that).

    .venv/bin/python -m bench.run --articles 1000 --no-preview --no-browser --keep /tmp/archive
    .venv/bin/python -m bench.steps /tmp/archive/archive [--edits 3]

The generator is imported as `python -m generator` imports it, with the same garbage collector threshold.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import GC_THRESHOLD  # the package alone: the rest is timed as it is imported

STEPS = {
    "generator.build": ("read_ahead", "load_sources", "load_annotations", "load_addresses", "check", "site_view",
                        "write_docs"),
    "generator.memo:Memo": ("checked_all", "forget_unused", "_unbundle"),
    "generator.write:Manifest": ("load", "kept", "save"),
    "generator.views": ("listings", "corrections"),
}
"""The steps timed: functions by where the pipeline looks them up when it calls them (a module, or module:class)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="a project built before (bench.run --keep)")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--processor", action="store_true",
                        help="time this process's processor time, not the clock: steadier on a busy machine, but "
                             "blind to waiting, and to what the workers do meanwhile")
    args = parser.parse_args(argv)
    gc.set_threshold(*GC_THRESHOLD)  # as python -m generator
    clock = time.process_time if args.processor else time.perf_counter
    start = clock()
    from generator import outputs
    from generator.cli import main as generator

    from .run import edit_one_summary
    imported = clock() - start
    build = ["--root", str(args.root), "build", "--docs-only"]
    _quiet(generator, build)  # brings docs/ and the memo up to this code: a change to the generator remakes all
    now: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for where, names in STEPS.items():
        owner = _owner(where)
        for name in names:
            label = f"{where.partition(':')[2]}.{name}".lstrip(".")
            setattr(owner, name, _timed(getattr(owner, name), label, now, calls, clock))
    for output in outputs.OUTPUTS:
        if output.site:
            object.__setattr__(output, "site", _timed(output.site, f"site files: {output.name}", now, calls, clock))
    builds: dict[str, list[float]] = defaultdict(list)
    for n in range(args.edits):
        edit_one_summary(args.root, f"steps {n} {time.time_ns()}")
        now.clear()
        start = clock()
        _quiet(generator, build)
        now["the build, importing aside"] = clock() - start
        for name, seconds in now.items():
            builds[name].append(seconds)
    kind = "processor time" if args.processor else "wall-clock time"
    print(f"importing the generator: {imported:.3f} s; then, the median of {args.edits} builds after an edit ({kind}):")
    for name, each in sorted(builds.items(), key=lambda item: -statistics.median(item[1])):
        times = calls[name] // args.edits
        print(f"  {statistics.median(each):7.3f} s  {name}" + (f" ({times} calls a build)" if times > 1 else ""))
    return 0


def _owner(where: str) -> Any:
    module, _, attribute = where.partition(":")
    owner = importlib.import_module(module)
    return getattr(owner, attribute) if attribute else owner


def _timed(function: Callable, name: str, now: dict[str, float], calls: dict[str, int],
           clock: Callable[[], float]) -> Callable:
    def timed(*args: Any, **named: Any) -> Any:
        start = clock()
        try:
            return function(*args, **named)
        finally:
            now[name] += clock() - start
            calls[name] += 1
    return timed


def _quiet(generator: Callable[[list[str]], int], argv: list[str]) -> None:
    said = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
        try:
            code = generator(argv)
        except SystemExit as exit:  # the command line's own errors (a folder that is not a project)
            code = exit.code if isinstance(exit.code, int) else 2
    if code != 0:
        raise SystemExit(f"{said.getvalue()}build --docs-only failed ({code}) in {argv[1]}")


if __name__ == "__main__":
    raise SystemExit(main())
