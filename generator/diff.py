"""What changed in the fact-checks between two git revisions, as Markdown for a pull request."""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .build import gather
from .layout import Layout
from .load import load_annotations
from .model import Claim, Project
from .problems import Problems

_PROJECT_FILES = {path.parts[0] for path in Layout(Path(".")).inputs()}


class DiffFailed(Exception):
    """A revision could not be read (not a git repository, unknown revision)."""


def diff_revisions(root: Path, old: str, new: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        before = _snapshot(root, old, Path(tmp) / "old")
        after = _snapshot(root, new, Path(tmp) / "new")
        return summarise(old, new, _claims(before), _claims(after), *gather(after))


def _snapshot(root: Path, revision: str, target: Path) -> Path:
    """The project files as they were at `revision`, in `target`."""
    result = subprocess.run(["git", "archive", "--format=tar", f"{revision}:./"], cwd=root, capture_output=True)
    if result.returncode != 0:
        raise DiffFailed(f"cannot read revision {revision!r}: {result.stderr.decode(errors='replace').strip()}")
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        members = [m for m in archive.getmembers() if m.name.split("/")[0] in _PROJECT_FILES]
        archive.extractall(target, members=members, filter="data")
    return target


def _claims(root: Path) -> dict[str, Claim]:
    return {c.id: c for f in load_annotations(Layout(root), Problems()) for c in f.claims}


def summarise(old: str, new: str, before: dict[str, Claim], after: dict[str, Claim],
              project: Project, problems: Problems) -> str:
    labels = {v.id: f"{v.icon} {v.label}" for v in project.scale.verdicts}
    label = lambda verdict: labels.get(verdict, verdict)  # noqa: E731
    placed = {a.claim.id for r in project.reviews for a in (*r.anchors, *r.pending)}
    added = [after[i] for i in after if i not in before]
    removed = [before[i] for i in before if i not in after]
    kept = [(before[i], after[i]) for i in after if i in before]
    sections = [
        ("Claims added", [f"`{c.id}` ({c.article_slug}): {label(c.verdict)}: {c.summary or '(no summary yet)'}"
                          for c in added]),
        ("Claims removed", [f"`{c.id}` ({c.article_slug}): was {label(c.verdict)}" for c in removed]),
        ("Verdicts changed", [f"`{b.id}`: {label(a.verdict)} → {label(b.verdict)}" for a, b in kept
                              if a.verdict != b.verdict]),
        ("Summaries or notes changed", [f"`{b.id}`: {', '.join(what)}" for a, b in kept
                                        if (what := [k for k in ("summary", "note") if getattr(a, k) != getattr(b, k)])]),
        ("Evidence changed", [f"`{b.id}`: {_evidence_change(a, b)}" for a, b in kept if a.evidence != b.evidence]),
        ("Anchors broken", [f"`{c.id}` at {c.quote_origin}: the quote no longer matches one sentence"
                            for c in after.values() if c.id not in placed]),
    ]
    lines = [f"## Fact-check changes: `{old}` → `{new}`", ""]
    for title, items in sections:
        if items:
            lines += [f"### {title} ({len(items)})", "", *(f"- {item}" for item in items), ""]
    if not any(items for _, items in sections):
        lines += ["No changes to claims.", ""]
    errors = len(problems.errors)
    lines.append(f"`check` on `{new}`: {errors} error(s), {len(problems.items) - errors} warning(s).")
    return "\n".join(lines)


def _evidence_change(a: Claim, b: Claim) -> str:
    old, new = {e.url for e in a.evidence}, {e.url for e in b.evidence}
    parts = [f"+ {u}" for u in sorted(new - old)] + [f"− {u}" for u in sorted(old - new)]
    return ", ".join(parts) or "details of the same sources changed"
