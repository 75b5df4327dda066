"""Command line: parse arguments, run a pipeline step, print problems, set the exit code.

Exit codes: 0 clean (warnings allowed), 1 problems in the project, 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import build, gather
from .problems import Problems, ProblemsFound
from .write import SiteBuildFailed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Fact-check report site generator.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: the current one)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate sources and annotations; write nothing")
    build_cmd = commands.add_parser("build", help="check, generate docs/ and build site/")
    build_cmd.add_argument("--docs-only", action="store_true", help="generate docs/ but do not run MkDocs")
    build_cmd.add_argument("--site-dir", type=Path, default=None, help="where to build the site (default: <root>/site)")
    for sub in (check, build_cmd):
        sub.add_argument("--format", choices=("text", "github", "json"), default="text",
                         help="how to print problems (github: Actions annotations)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / "verdicts.yaml").is_file():
        parser.error(f"{root} is not a project folder (no verdicts.yaml); pass --root")

    if args.command == "check":
        _, problems = gather(root)
        _print(problems, args.format)
        if args.format == "text":
            print(_summary(problems), file=sys.stderr)
        return 1 if problems else 0

    site = None if args.docs_only else (args.site_dir or root / "site")
    try:
        problems, report = build(root, site)
    except ProblemsFound as failed:
        _print(failed.problems, args.format)
        print(f"{_summary(failed.problems)}; nothing was written", file=sys.stderr)
        return 1
    except SiteBuildFailed as failed:
        print(f"mkdocs build failed; the previous site is untouched:\n{failed}", file=sys.stderr)
        return 1
    _print(problems, args.format)
    built = "" if site is None else f", site built in {site}"
    print(f"docs: {len(report.written)} written, {report.unchanged} unchanged, {len(report.deleted)} removed{built}",
          file=sys.stderr)
    return 0


def _print(problems: Problems, fmt: str) -> None:
    if problems.items or fmt == "json":
        print(problems.render(fmt))


def _summary(problems: Problems) -> str:
    errors = len(problems.errors)
    warnings = len(problems.items) - errors
    return f"{errors} error(s), {warnings} warning(s)"
