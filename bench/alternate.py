"""Benchmark: one edit's `build --docs-only` by two versions of the generator, side by side, alternating.

On a shared machine whose speed changes from hour to hour, only figures measured in the same minutes compare. Each
version builds its own copy of an archive (a change to the generator remakes everything, so one archive cannot
serve both): each is brought up to its version by one build first, then, round after round, one claim summary is
edited in each (bench.run's edit) and each builds it as its own process, the order swapped every round. With
`--commit`, each edit is committed before the build: the build is the first after a commit.

    git worktree add /tmp/before <commit>
    cp -a /tmp/archive/archive /tmp/archive-before    # an archive kept by bench.run --keep
    .venv/bin/python -m bench.alternate /tmp/before /tmp/archive-before . /tmp/archive/archive --rounds 16

Prints, for each version, the median wall-clock time (the fastest in brackets), the median processor time of the
build with its workers, and every time; the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .run import edit_one_summary


def build_seconds(code: Path, root: Path) -> tuple[float, float]:
    """`python -m generator build --docs-only` on `root` with the generator in `code`: wall-clock and processor time
    (the build's and its workers')."""
    before, start = os.times(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", "--docs-only"], cwd=code,
                   env={**os.environ, "PYTHONPATH": str(code)}, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def alternate(versions: list[tuple[Path, Path]], rounds: int, commit: bool = False) -> list[list[tuple[float, float]]]:
    """For each (code, archive), the times of `rounds` builds after an edit (`commit`: a committed edit), the order
    swapped every round."""
    for code, root in versions:
        build_seconds(code, root)  # docs/ and the memo made by this version
    times: list[list[tuple[float, float]]] = [[] for _ in versions]
    for n in range(rounds):
        order = range(len(versions)) if n % 2 == 0 else reversed(range(len(versions)))
        for i in order:
            code, root = versions[i]
            edit_one_summary(root, f"side by side {time.time_ns()}")
            if commit:
                subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-qam", f"Round {n + 1}"], cwd=root,
                               check=True)
            times[i].append(build_seconds(code, root))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("code_a", type=Path, help="a checkout of the generator")
    parser.add_argument("archive_a", type=Path, help="the archive it builds")
    parser.add_argument("code_b", type=Path)
    parser.add_argument("archive_b", type=Path, help="a copy of the same archive")
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--commit", action="store_true", help="commit each edit before the build")
    args = parser.parse_args(argv)
    versions = [(args.code_a.resolve(), args.archive_a.resolve()), (args.code_b.resolve(), args.archive_b.resolve())]
    report = []
    for (code, _), times in zip(versions, alternate(versions, args.rounds, args.commit), strict=True):
        walls, processor = [w for w, _ in times], [p for _, p in times]
        report.append({"code": str(code), "wall_s": round(statistics.median(walls), 3),
                       "fastest_s": round(min(walls), 3), "processor_s": round(statistics.median(processor), 3),
                       "each_s": [round(w, 3) for w in walls]})
        print(f"{code}: {statistics.median(walls):.3f} s ({min(walls):.3f}), processor "
              f"{statistics.median(processor):.3f} s; each: {' '.join(f'{w:.2f}' for w in walls)}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
