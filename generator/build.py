"""The pipeline: load (and the claims' history from git) -> segment -> anchor -> check, then render -> write.

Everything is gathered and checked before anything is written, so a broken
input never leaves a half-written site (Pelican's rule).
"""
from __future__ import annotations

import ctypes
import dataclasses
import gc
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import date
from pathlib import Path

from . import outputs
from .anchor import anchor_article
from .checks import check, with_findings
from .history import read_history
from .layout import Layout
from .load import (
    load_addresses,
    load_annotations,
    load_layout,
    load_offices,
    load_scale,
    load_sources,
    read_ahead,
    stale_schemas,
)
from .memo import FOLDER, Memo, digest
from .model import AnnotationFile, ArticleMeta, Office, Project, Review
from .problems import Problems, ProblemsFound
from .progress import Progress, quiet
from .segment import segment_article
from .views import page_groups, site_view
from .write import Content, Drawing, Manifest, WriteReport, build_site, exclusive, record_addresses, workers, write_docs


def gather(root: Path, memo: Memo | None = None, pool: Executor | None = None) -> tuple[Project, Problems]:
    """Read and check everything; write nothing. `memo`: what earlier runs found in unchanged articles. `pool`:
    processes to examine the articles not examined before in (`write.workers`), and to read changed annotation files
    in: many with the rest, or an edit's few ahead of it (`load.read_ahead`)."""
    memo = memo or Memo()
    if pool is not None:
        read_ahead(Layout(root), memo, pool)
    problems = Problems()
    layout = load_layout(root, problems, memo)
    scale = load_scale(layout, problems, memo)
    files = load_annotations(layout, problems, memo, pool)
    history = read_history(layout.root, [f.path for f in files], memo, pool)  # read while the rest is read and checked
    sources = load_sources(layout, problems, memo)
    offices = load_offices(layout, problems, memo)
    addresses = load_addresses(layout, problems, memo)
    schemas = stale_schemas(layout, scale, memo)
    by_slug = {f.article_slug: f for f in files}
    unreadable = {path.stem for path in problems.unread if path.parent == layout.annotations}
    known = digest(offices)
    examining = [_examine_call(meta, text, offices, known) for meta, text in sources]
    examined = [dataclasses.replace(result, made_from=key) for (key, _), result in
                zip(examining, memo.checked_all(problems, examine, examining, pool), strict=True)]
    drifted: dict[int, Review] = {}
    calls: dict[int, tuple[str, tuple]] = {}
    for i, article in enumerate(examined):
        meta, annotations = article.article.meta, by_slug.get(article.article.meta.slug)
        if annotations is not None and (annotations.capture_sha256 != meta.capture_sha256 or not annotations.made_from):
            drifted[i] = review(article, annotations, False, problems, layout)  # reads git
            continue
        calls[i] = _review_call(article, annotations, meta.slug in unreadable)
    found = dict(zip(calls, memo.checked_all(problems, review, list(calls.values())), strict=True))
    reviews = [drifted[i] if i in drifted else dataclasses.replace(found[i], made_from=calls[i][0])
               for i in range(len(sources))]
    project = Project(layout, scale, tuple(reviews), offices, tuple(files), frozenset(problems.unread), addresses,
                      history(), schemas)
    check(project, problems)
    return project, problems


def _examine_call(meta: ArticleMeta, text: str, offices: tuple[Office, ...], known: str) -> tuple[str, tuple]:
    """The key and arguments of an article's `examine` (`known`: the digest of `offices`)."""
    # the source folder and the offices stand in the key for their digests, which are quicker to pickle
    return digest(examine.__qualname__, meta.made_from or (meta, text), known), (meta, text, offices)


def _review_call(examined: Review, annotations: AnnotationFile | None, unreadable: bool) -> tuple[str, tuple]:
    """The key and arguments of an article's `review`."""
    key = digest(review.__qualname__, examined.made_from, annotations.made_from if annotations else None, unreadable)
    return key, (examined, annotations, unreadable)


def examine(meta: ArticleMeta, text: str, offices: tuple[Office, ...], problems: Problems) -> Review:
    """An article on its own: segmented, with what the automated checks find in it (`review` places its claims).
    It depends on the capture and the office-holders alone, so an edit to the annotations reads it back: the
    checks took 2.8 ms an article, and the first check in a process 0.2 s more (dateparser making its patterns)."""
    return with_findings(Review(segment_article(meta, text, problems), None, ()), offices)


def review(examined: Review, annotations: AnnotationFile | None, unreadable: bool, problems: Problems,
           layout: Layout | None = None) -> Review:
    """An examined article with its claims placed on its sentences (0.4 ms an article: done in the build's own
    process, which has the examined article). Depends on its arguments only, except for a drifted annotation file,
    whose earlier capture is read from git (`layout`)."""
    placed = anchor_article(layout, examined.article, annotations, unreadable, problems)
    return dataclasses.replace(placed, findings=examined.findings, dates=examined.dates)


def render(project: Project) -> dict[str, Content]:
    """Every generated file under docs/, by path, made from the project alone. (A build and the preview render
    through their memo and the manifest of docs/: `generate`, `serve.Preview`.)"""
    return outputs.render(site_view(project))


MANIFEST = FOLDER / "written.pickle"
"""What the last run wrote into docs/ (write_docs' manifest)."""


def disk_memo(root: Path) -> Memo:
    """What earlier runs in this project found and made, kept in its .cache/ folder."""
    return Memo(root / FOLDER)


def build(root: Path, site: Path | None, progress: Progress = quiet) -> tuple[Problems, WriteReport]:
    """Check, render docs/, and (unless `site` is None) build the site and record its new claim addresses in
    published.yaml, one build at a time per project.
    Raises ProblemsFound on errors, Busy if another build is running. `progress` hears each stage as it starts."""
    with exclusive(root):
        project, problems, report = generate(root, progress)
        if site is not None:
            layout, last_change, groups = project.layout, project.last_change(), page_groups(project)
            day = last_change or date.today()
            new = [(c.id, c.published or day) for c in project.unrecorded()]
            del project  # MkDocs and Pagefind run while we wait: what we hold adds to the build's peak
            _give_back_memory()
            pages = sum(1 for _ in layout.at(layout.docs).rglob("*.md"))
            build_site(layout.root, site, last_change, progress, pages, groups)
            record_addresses(layout.at(layout.published), new)
        progress("done")
    return problems, report


def generate(root: Path, progress: Progress = quiet) -> tuple[Project, Problems, WriteReport]:
    """Check, then render and write docs/: the articles not checked before are checked on every core, and the
    images drawn on the other cores as soon as they are rendered (by processes started first, while this one is
    small). The checking processes end with the check: what they took stays out of the rest of the build.
    Raises ProblemsFound on errors."""
    with workers() as drawers, lasting() as held:
        progress("check")
        layout = Layout(root)  # its folders: the settings are read with the rest
        memo, docs = disk_memo(root), layout.at(layout.docs)
        manifest = Manifest(layout.at(MANIFEST), docs)
        manifest.survey(drawers, outputs.OWNED)  # idle until the images are drawn
        with workers() as checkers, held():
            project, problems = gather(root, memo, checkers)
        if problems:
            raise ProblemsFound(problems)
        with held():
            site = site_view(project, memo)
        with Drawing(docs, outputs.OWNED, manifest, drawers) as drawing:
            progress("render")
            files = outputs.render(site, memo, drawing.add, manifest)
            memo.forget_unused()
            report = WriteReport(read_back=memo.hits, left=memo.left, made=memo.misses)
            progress("write", len(files), lambda: len(report.written) + report.unchanged)
            write_docs(docs, files, outputs.OWNED, report, manifest, drawing)
    return project, problems, report


@contextmanager
def lasting() -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """For one run of the pipeline: what it gives (`held`) keeps the garbage collector off what is made inside, the
    project and its views, which live until the run ends and hold no cycles (trees of frozen dataclasses: at 1,000
    articles, some 500 of a million objects are cyclic garbage). The collector walked them again and again: after one
    edit, 8 collections, 0.13 s of the build. Inside `held()` it does not run; after, what was made is set aside
    (gc.freeze) until the run ends, and then handed back to it. Processes forked inside `held()` would start with the
    collector off: fork them before."""
    @contextmanager
    def held() -> Iterator[None]:
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            gc.enable()
    try:
        yield held
    finally:
        gc.unfreeze()


def _give_back_memory() -> None:
    """Return freed memory to the system (glibc keeps it for the process otherwise): at 1,000 articles, 640 MB
    held while MkDocs and Pagefind run becomes 154 MB."""
    gc.collect()
    with suppress(OSError, AttributeError):  # not glibc: kept, as before
        ctypes.CDLL("libc.so.6").malloc_trim(0)
