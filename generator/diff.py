"""What changed between two git revisions, as Markdown for a pull request: everything a reader will see.

Both revisions are gathered and rendered. The claims, assessments, article metadata, verdict scale, office-holder
knowledge base and settings are compared field by field, in editors' words; then the two renderings are compared
page by page, so that a change no section names (a template, a setting) still shows in the pages it changes.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path

from . import outputs
from .build import disk_memo, gather
from .checks import prepare
from .layout import Layout
from .memo import Memo
from .model import Claim, Project
from .problems import Problems, ProblemsFound
from .views import SiteView, page_url, site_view
from .write import Content, Made, workers

_PROJECT_FILES = {path.parts[0] for path in Layout(Path(".")).inputs()}
PAGES_LISTED = 30
"""Changed pages named one by one; beyond that, counted."""


class DiffFailed(Exception):
    """A revision could not be read (not a git repository, unknown revision)."""


def diff_revisions(root: Path, old: str, new: str) -> str:
    """The summary of what changed from revision `old` to `new` of the project at `root`.

    Each revision is extracted from git into a folder of its own, and read and rendered with the project's memo, which
    files work by what it is made of, not by where the project is (`Layout.placeless`): what the new revision shares
    with the old one, or either with the last `check` or build, is read back, not made again; the files of an article
    that shows the same in both (`outputs.shown`) are made for neither; and the articles no run has checked are
    checked on every core (at 1,000 articles, with one article changed: BENCHMARKS.md)."""
    memo = disk_memo(root)
    with tempfile.TemporaryDirectory() as tmp, workers(prepare=prepare) as checkers:
        before, _ = gather(_snapshot(root, old, Path(tmp) / "old"), memo, checkers)  # its problems are not this change's
        after, problems = gather(_snapshot(root, new, Path(tmp) / "new"), memo, checkers)
        old_site, new_site = site_view(before, memo), site_view(after, memo)
        same = _shown(old_site) & _shown(new_site)
        changed = _changed_files(_rendered(old_site, memo, same, old), _rendered(new_site, memo, same, new))
    return summarise(old, new, before, after, problems, changed)


def _rendered(site: SiteView, memo: Memo, same: set[str], revision: str) -> dict[str, Content]:
    try:
        return outputs.render(site, memo, leaving=same)
    except ProblemsFound as failed:  # a mistake in one of the revision's templates
        raise DiffFailed(f"cannot render revision {revision!r}:\n{failed.problems.render()}") from None


def _shown(site: SiteView) -> set[str]:
    """What each article's files show (`outputs.shown`), but for those made with git's help, made again each time."""
    return {shown for article in site.articles if (shown := outputs.shown(site, article))}


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


def summarise(old: str, new: str, before_project: Project, project: Project, problems: Problems,
              changed: list[str]) -> str:
    """`changed`: the generated files that differ between the two revisions (`_changed_files`)."""
    before, after = _claims(before_project), _claims(project)
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
        ("Assessments changed", _keyed_changes(
            {f.article_slug: f.assessment for f in before_project.annotation_files},
            {f.article_slug: f.assessment for f in project.annotation_files})),
        ("Article metadata changed", _keyed_changes(
            {r.article.meta.slug: r.article.meta for r in before_project.reviews},
            {r.article.meta.slug: r.article.meta for r in project.reviews}, ignore=("furniture", "meta_path", "capture_path"))),
        ("Verdict scale changed", _keyed_changes({v.id: v for v in before_project.scale.verdicts},
                                                 {v.id: v for v in project.scale.verdicts})),
        ("Office holders changed", _keyed_changes({o.id: o for o in before_project.offices},
                                                  {o.id: o for o in project.offices})),
        ("Settings changed", _keyed_changes(_settings(before_project), _settings(project))),
    ]
    lines = [f"## Fact-check changes: `{old}` → `{new}`", ""]
    for title, items in sections:
        if items:
            lines += [f"### {title} ({len(items)})", "", *(f"- {item}" for item in items), ""]
    pages = [page_url(path) or "/" for path in changed if path.endswith(".md")]
    if changed:
        shown = [f"`{page}`" for page in pages[:PAGES_LISTED]]
        more = [f"{len(pages) - PAGES_LISTED} more"] if len(pages) > PAGES_LISTED else []
        files = [f"{len(changed) - len(pages)} data, feed and image files"] if len(changed) > len(pages) else []
        lines += [f"### Pages that change ({len(pages)})", "", ", ".join(shown + more + files), ""]
    else:
        lines += ["No page changes.", ""]
    errors = len(problems.errors)
    lines.append(f"`check` on `{new}`: {errors} error(s), {len(problems.items) - errors} warning(s).")
    return "\n".join(lines)


def _claims(project: Project) -> dict[str, Claim]:
    return {c.id: c for f in project.annotation_files for c in f.claims}


def _evidence_change(a: Claim, b: Claim) -> str:
    old, new = {e.url for e in a.evidence}, {e.url for e in b.evidence}
    parts = [f"+ {u}" for u in sorted(new - old)] + [f"− {u}" for u in sorted(old - new)]
    return ", ".join(parts) or "details of the same sources changed"


def _keyed_changes(before: dict, after: dict, ignore: tuple[str, ...] = ()) -> list[str]:
    """`key`: added, removed, or which of its fields changed (from → to, where short)."""
    found = [f"`{key}`: added" for key in after if key not in before]
    found += [f"`{key}`: removed" for key in before if key not in after]
    for key in (k for k in after if k in before):
        old, new = _comparable(before[key], ignore), _comparable(after[key], ignore)
        what = [f"{name}{_from_to(old.get(name), new.get(name))}" for name in new if old.get(name) != new.get(name)]
        if what:
            found.append(f"`{key}`: {', '.join(what)}")
    return found


def _comparable(value, ignore: tuple[str, ...] = ()) -> dict:
    """A record's fields as readers see them: without where they were written (origins), the digest they were
    read under (made_from) or what is ignored."""
    if isinstance(value, dict):
        return {name: _plain(v) for name, v in value.items()}
    if not is_dataclass(value):
        return {"value": value}
    return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
            if "origin" not in f.name and f.name != "made_from" and f.name not in ignore}


def _plain(value):
    if is_dataclass(value) and not isinstance(value, type):
        return tuple(_comparable(value).items())
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _from_to(old, new) -> str:
    shown = [str(v) for v in (old, new)]
    return f" ({shown[0]} → {shown[1]})" if all(len(s) <= 40 and "\n" not in s for s in shown) else ""


def _settings(project: Project) -> dict:
    layout = project.layout
    site = layout.site_settings
    return {"mkdocs.yml": {"site_name": site.name, "site_url": site.url, "repo_url": site.repository,
                           "language": site.language, "site_description": site.description,
                           "publisher": _plain(site.publisher) if site.publisher else None},
            "factcheck.yaml": {"checks": dict(layout.settings.checks),
                               "editors": _plain(layout.settings.editors)}}


def _changed_files(old: Mapping[str, Content], new: Mapping[str, Content]) -> list[str]:
    """The generated files (paths under docs/) that differ between two renderings, added or removed."""
    return [path for path in sorted(old.keys() | new.keys())
            if not (path in old and path in new and _same(old[path], new[path]))]


def _same(a, b) -> bool:
    return (isinstance(a, Made) and isinstance(b, Made)) or a == b  # a Made file's path names its content
