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
    edited_articles,
    load_addresses,
    load_annotations,
    load_layout,
    load_offices,
    load_scale,
    load_sources,
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
    processes to review the other articles in (`write.workers`), and to read many changed annotation files in."""
    memo = memo or Memo()
    if pool is not None:
        _start_edited(root, memo, pool)
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
    drifted: dict[int, Review] = {}
    calls: dict[int, tuple[str, tuple]] = {}
    known = digest(offices)
    for i, (meta, text) in enumerate(sources):
        annotations = by_slug.get(meta.slug)
        if annotations is not None and (annotations.capture_sha256 != meta.capture_sha256 or not annotations.made_from):
            drifted[i] = review(meta, text, annotations, False, offices, problems, layout)  # reads git
            continue
        calls[i] = _review_call(meta, text, annotations, meta.slug in unreadable, offices, known)
    found = dict(zip(calls, memo.checked_all(problems, review, list(calls.values()), pool), strict=True))
    reviews = [drifted[i] if i in drifted else dataclasses.replace(found[i], made_from=calls[i][0])
               for i in range(len(sources))]
    project = Project(layout, scale, tuple(reviews), offices, tuple(files), frozenset(problems.unread), addresses,
                      history(), schemas)
    check(project, problems)
    return project, problems


def _review_call(meta: ArticleMeta, text: str, annotations: AnnotationFile | None, unreadable: bool,
                 offices: tuple[Office, ...], known: str) -> tuple[str, tuple]:
    """The key and arguments of an article's `review` (`known`: the digest of `offices`)."""
    # the source folder, the annotation file and the offices stand in the key for their digests, which are quicker
    # to pickle
    key = digest(review.__qualname__, meta.made_from or (meta, text), annotations.made_from if annotations else None,
                 unreadable, known)
    return key, (meta, text, annotations, unreadable, offices)


EDITED = 4
"""At most this many articles edited since the last run are started ahead (`_start_edited`), as an edit has: a build
with more changed (a fresh clone, a pull of many files) sends them with the rest, in `Memo.checked_all`."""


def _start_edited(root: Path, memo: Memo, pool: Executor) -> None:
    """Start checking the articles edited since the last run on the other cores, before this process reads
    everything else back (after one edit at 1,000 articles, 0.7 s of reading the bundle and more, during which the
    check used to wait to be started). They are read here as a new process reads them, nothing read back, and the
    build reads them again with the rest; what is started is taken up by `Memo.checked_all` under the same keys."""
    layout = Layout(root)
    edited = edited_articles(layout, memo, EDITED)
    if edited:
        offices = load_offices(layout, Problems(), Memo())
        known = digest(offices)
        memo.start(review, [_review_call(meta, text, annotations, False, offices, known)
                            for meta, text, annotations in edited
                            if annotations.capture_sha256 == meta.capture_sha256], pool)


def review(meta: ArticleMeta, text: str, annotations: AnnotationFile | None, unreadable: bool,
           offices: tuple[Office, ...], problems: Problems, layout: Layout | None = None) -> Review:
    """One article: segment -> anchor its claims -> the automated checks. Depends on its arguments only, except
    for a drifted annotation file, whose earlier capture is read from git (`layout`)."""
    article = segment_article(meta, text, problems)
    placed = anchor_article(layout, article, annotations, unreadable, problems)
    return with_findings(placed, offices)


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
