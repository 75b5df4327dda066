"""Command line: parse arguments, run one command, print problems, set the exit code.

Exit codes: 0 clean (warnings allowed), 1 problems in the project, 2 usage error, 130 interrupted.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .build import build, disk_memo, gather
from .checks import CHECKS, severities
from .layout import Layout
from .load import load_layout, load_scale
from .memo import FOLDER
from .problems import Problems, ProblemsFound
from .progress import Count, Progress, on_stderr
from .scaffold import add_source, new_annotations
from .write import Busy, SiteBuildFailed, workers


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    if not layout.is_project():
        parser.error(f"{layout.root} is not a project folder (no {layout.scale}); pass --root")
    try:
        return COMMANDS[args.command](layout.root, args)
    except KeyboardInterrupt:  # Ctrl-C: every command leaves whole files behind, so a word is enough
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Fact-check report site generator.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: the current one)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    check = commands.add_parser("check", help="validate sources and annotations; write nothing")
    build_cmd = commands.add_parser("build", help="check, generate docs/ and build site/")
    build_cmd.add_argument("--docs-only", action="store_true", help="generate docs/ but do not run MkDocs")
    build_cmd.add_argument("--site-dir", type=Path, default=None, help="where to build the site (default: <root>/site)")
    build_cmd.add_argument("--verbose", "-v", action="store_true", help="name each stage as it starts")
    for sub in (check, build_cmd):
        sub.add_argument("--format", choices=("text", "github", "json"), default="text",
                         help="how to print problems (github: Actions annotations)")
    new = commands.add_parser("new", help="write annotations/<slug>.yaml with one unreviewed stub per sentence")
    new.add_argument("slug")
    add = commands.add_parser("add-source", help="take a captured text (and its metadata) into sources/<slug>/")
    add.add_argument("capture", type=Path, help="the captured text, UTF-8")
    add.add_argument("--slug", required=True)
    for key in ("title", "publisher", "url", "author", "published", "captured", "language"):
        add.add_argument(f"--{key}", default="en" if key == "language" else None)
    commands.add_parser("schema", help="rewrite the JSON Schemas in schema/ (editor completion and hover help)")
    commands.add_parser("checks", help="list the checks, their default severity and what factcheck.yaml sets")
    diff = commands.add_parser("diff", help="Markdown summary of what changed in the fact-checks between two git revisions")
    diff.add_argument("old")
    diff.add_argument("new", nargs="?", default="HEAD")
    serve = commands.add_parser("serve", help="live preview: rebuild and reload the browser on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    return parser


def _check(root: Path, args) -> int:
    with workers() as pool:
        project, problems = gather(root, disk_memo(root), pool)
    _print(problems, args.format, project)
    if args.format == "text":
        for review in project.reviews:
            reviewed, total = review.coverage()
            counted = "annotations not read (error above)" if review.unreadable else \
                f"{reviewed} of {total} sentences reviewed"
            print(f"coverage: {review.article.meta.slug}: {counted}", file=sys.stderr)
        print(_summary(problems), file=sys.stderr)
    return 1 if problems else 0


@contextmanager
def _heeding_ctrl_c(progress: Progress) -> Iterator[Progress]:
    """`progress`, which stops the build at its next stage after a Ctrl-C that did not stop it at once. Python
    raises KeyboardInterrupt wherever the signal finds the build, but prints and drops it when that is a finalizer
    (a weakref callback, say of the processes that draw images): the build would go on and replace the site."""
    pressed = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        pressed.set()
        raise KeyboardInterrupt

    def unraisable(info: Any) -> None:
        if not issubclass(info.exc_type, KeyboardInterrupt):  # heard: stops the build at its next stage
            sys.__unraisablehook__(info)

    def heeded(stage: str, total: int | None = None, count: Count | None = None) -> None:
        if pressed.is_set() and stage != "done":  # at "done" the new site is in place: the build is over
            raise KeyboardInterrupt
        progress(stage, total, count)

    handler, hook = signal.signal(signal.SIGINT, interrupt), sys.unraisablehook
    sys.unraisablehook = unraisable
    try:
        yield heeded
    finally:
        signal.signal(signal.SIGINT, handler)
        sys.unraisablehook = hook


def _build(root: Path, args) -> int:
    layout = Layout(root)
    site = None if args.docs_only else (args.site_dir or layout.at(layout.site))
    with on_stderr(args.verbose) as progress:
        try:
            with _heeding_ctrl_c(progress) as heeded:
                problems, report = build(root, site, heeded)
        except ProblemsFound as failed:
            _print(failed.problems, args.format)
            print(f"{_summary(failed.problems)}; nothing was written", file=sys.stderr)
            return 1
        except SiteBuildFailed as failed:
            print(f"mkdocs build failed; the previous site is untouched:\n{failed}", file=sys.stderr)
            return 1
        except Busy as busy:
            print(f"build refused: {busy}", file=sys.stderr)
            return 1
        except OSError as failed:
            print(f"build failed: {failed.strerror or failed}{f' ({failed.filename})' if failed.filename else ''}; "
                  "the previous site is untouched, and docs/ holds only whole files (the next build completes it)",
                  file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("build interrupted; the previous site is untouched, and docs/ holds only whole files "
                  "(the next build completes it)", file=sys.stderr)
            return 130
    _print(problems, args.format)
    built = "" if site is None else f", site built in {site}"
    print(f"docs: {len(report.written)} written, {report.unchanged} unchanged, {len(report.deleted)} removed{built}; "
          f"articles' work: {report.read_back} read back from {FOLDER}/, {report.left} left in docs/ as written, "
          f"{report.made} done", file=sys.stderr)
    return 0


def _new(root: Path, args) -> int:
    problems = Problems()
    path = new_annotations(load_layout(root, problems), args.slug, problems)
    return _done(problems, f"wrote {path.relative_to(root)}: replace each stub's verdict as you review" if path else "")


def _add_source(root: Path, args) -> int:
    problems = Problems()
    meta = {k: getattr(args, k) for k in ("title", "publisher", "url", "author", "published", "captured", "language")}
    folder = add_source(Layout(root), args.capture, args.slug, meta, problems)
    message = (f"wrote {folder.relative_to(root)}/: list its page furniture in meta.yaml, then run "
               f"python -m generator new {args.slug}") if folder else ""
    return _done(problems, message)


def _schema(root: Path, args) -> int:
    from . import schema  # the validator: `formats`
    problems = Problems()
    layout = Layout(root)
    scale = load_scale(layout, problems)
    if problems:
        return _done(problems, "")
    for name, content in schema.schema_files(scale).items():
        path = layout.at(layout.schema / name)
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(root)}", file=sys.stderr)
    return 0


def _diff(root: Path, args) -> int:
    from .diff import DiffFailed, diff_revisions
    try:
        print(diff_revisions(root, args.old, args.new))
    except DiffFailed as failed:
        print(f"diff: {failed}", file=sys.stderr)
        return 2
    return 0


def _serve(root: Path, args) -> int:
    from .serve import serve
    return serve(root, args.host, args.port)


def _checks(root: Path, args) -> int:
    problems = Problems()
    settings = load_layout(root, problems).settings
    chosen = severities(settings, problems)
    for rule in CHECKS:
        set_here = rule.name in settings.checks and chosen[rule.name] == settings.checks[rule.name]
        setting = "always" if rule.fixed else ("set in factcheck.yaml" if set_here else "default")
        print(f"{rule.name:18} {chosen[rule.name]:8} ({setting}): {rule.about}")
    return _done(problems, "")


COMMANDS = {"check": _check, "build": _build, "new": _new, "add-source": _add_source, "schema": _schema,
            "checks": _checks, "diff": _diff, "serve": _serve}


def _done(problems: Problems, message: str) -> int:
    if problems.items:
        print(problems.render())
    if message and not problems:
        print(message, file=sys.stderr)
    return 1 if problems else 0


def _print(problems: Problems, fmt: str, project=None) -> None:
    if fmt == "json":
        coverage = {r.article.meta.slug: dict(zip(("reviewed", "sentences"), r.coverage(), strict=False))
                    for r in project.reviews} if project else {}
        print(problems.render(fmt, coverage))
    elif problems.items:
        print(problems.render(fmt))


def _summary(problems: Problems) -> str:
    errors = len(problems.errors)
    return f"{errors} error(s), {len(problems.items) - errors} warning(s)"
