"""Golden pages: the generated docs/ of a small sample project, kept under tests/golden/expected.

The test compares; only this command rewrites the expected pages, so every change
to generated output shows up as a reviewable diff:

    .venv/bin/python -m tests.golden --update
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from generator.build import gather

from .conftest import REPO, copy_project, texts

GOLDEN = REPO / "tests" / "golden"
EXPECTED = GOLDEN / "expected"


def generate(workdir: Path) -> dict[str, str]:
    """The generated text files (the preview images have tests of their own)."""
    root = copy_project(workdir / "project", with_content=False)
    for folder in ("sources", "annotations"):
        shutil.rmtree(root / folder)
        shutil.copytree(GOLDEN / "project" / folder, root / folder)
    shutil.copy2(GOLDEN / "project" / "factcheck.yaml", root / "factcheck.yaml")
    project, problems = gather(root)
    if problems:
        raise SystemExit(problems.render())
    return texts(project)


def expected() -> dict[str, str]:
    return {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(EXPECTED.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="rewrite tests/golden/expected from the current code")
    args = parser.parse_args(argv)
    if not args.update:
        parser.print_help()
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        pages = generate(Path(tmp))
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for rel, content in pages.items():
        (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
        (EXPECTED / rel).write_text(content, encoding="utf-8")
    print(f"wrote {len(pages)} files under {EXPECTED.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
