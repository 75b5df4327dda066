"""The pipeline: load (and the claims' history from git) -> segment -> anchor -> check, then render -> write.

Everything is gathered and checked before anything is written, so a broken
input never leaves a half-written site (Pelican's rule).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from . import outputs
from .anchor import anchor_articles
from .checks import check
from .history import read_history
from .load import load_addresses, load_annotations, load_layout, load_offices, load_scale, load_sources
from .model import Project
from .problems import Problem, Problems, ProblemsFound
from .progress import Progress, quiet
from .segment import segment_article
from .views import site_view
from .write import Content, WriteReport, build_site, exclusive, record_addresses, write_docs


def gather(root: Path) -> tuple[Project, Problems]:
    """Read and check everything; write nothing."""
    problems = Problems()
    layout = load_layout(root, problems)
    scale = load_scale(layout, problems)
    sources = load_sources(layout, problems)
    files = load_annotations(layout, problems)
    offices = load_offices(layout, problems)
    addresses = load_addresses(layout, problems)
    history = read_history(layout.root, [f.path for f in files])
    articles = [segment_article(meta, text, problems) for meta, text in sources]
    reviews = anchor_articles(layout, articles, files, problems)
    project = check(Project(layout, scale, tuple(reviews), offices, tuple(files), frozenset(problems.unread), addresses,
                            history), problems)
    return project, problems


def render(project: Project, notice: list[Problem] | None = None) -> dict[str, Content]:
    """Every generated file under docs/, by path. `notice`: problems to show on every page (preview)."""
    return outputs.render(site_view(project, notice))


def build(root: Path, site: Path | None, progress: Progress = quiet) -> tuple[Problems, WriteReport]:
    """Check, render docs/, and (unless `site` is None) build the site and record its new claim addresses in
    published.yaml, one build at a time per project.
    Raises ProblemsFound on errors, Busy if another build is running. `progress` hears each stage as it starts."""
    with exclusive(root):
        progress("check")
        project, problems = gather(root)
        if problems:
            raise ProblemsFound(problems)
        layout = project.layout
        progress("render")
        files = render(project)
        report = WriteReport()
        progress("write", len(files), lambda: len(report.written) + report.unchanged)
        write_docs(layout.at(layout.docs), files, outputs.OWNED, report)
        if site is not None:
            last_change = project.last_change()
            pages = sum(1 for _ in layout.at(layout.docs).rglob("*.md"))
            build_site(layout.root, site, last_change, progress, pages)
            day = last_change or date.today()
            record_addresses(layout.at(layout.published), [(c.id, c.published or day) for c in project.unrecorded()])
        progress("done")
    return problems, report
