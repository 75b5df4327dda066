"""The pipeline: load -> segment -> anchor -> render -> write.

Everything is gathered and checked before anything is written, so a broken
input never leaves a half-written site (Pelican's rule).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .anchor import review_article
from .checks import run_checks
from .history import capture_with_fingerprint
from .load import (ANNOTATIONS_DIR, SETTINGS_FILE, load_annotations, load_offices, load_scale, load_settings,
                   load_sources)
from .model import AnnotationFile, Article, Assessment, Origin, Project, Review, VerdictScale
from .problems import Problems, ProblemsFound
from .render import render_site
from .scaffold import check_schema_files
from .segment import segment_article
from .write import WriteReport, build_site, write_docs


def gather(root: Path) -> tuple[Project, Problems]:
    """Read and check everything; write nothing."""
    problems = Problems()
    settings = load_settings(root, problems)
    scale = load_scale(root, problems)
    sources = load_sources(root, problems)
    annotation_files = load_annotations(root, problems)
    articles = [segment_article(meta, text, problems) for meta, text in sources]
    written = {p.stem for p in (root / ANNOTATIONS_DIR).glob("*.yaml")}
    reviews = review_articles(root, articles, annotation_files, written, scale, problems)
    offices = load_offices(root, problems)
    reviews = [with_findings(review, offices) for review in reviews]
    check_findings_against_verdicts(reviews, problems)
    check_coverage(reviews, settings.unreviewed_sentences, problems)
    check_schema_files(root, scale, problems)
    return Project(root, scale, tuple(reviews), offices), problems


def build(root: Path, site: Path | None) -> tuple[Problems, WriteReport]:
    """Check, render docs/, and (unless `site` is None) build the site. Raises ProblemsFound on errors."""
    project, problems = gather(root)
    if problems:
        raise ProblemsFound(problems)
    report = write_docs(root / "docs", render_site(project, root / "templates"))
    if site is not None:
        build_site(root, site)
    return problems, report


def review_articles(root: Path, articles: list[Article], files: list[AnnotationFile], written: set[str],
                    scale: VerdictScale, problems: Problems) -> list[Review]:
    """Anchor each article's annotations; `written` names the annotation files present, valid or not."""
    by_slug = {f.article_slug: f for f in files}
    slugs = {a.meta.slug for a in articles}
    for f in files:
        if f.article_slug not in slugs:
            problems.error(f.article_origin, f"no source '{f.article_slug}' for these annotations",
                           f"known sources: {', '.join(sorted(slugs)) or 'none'}")
    _check_claim_ids_unique(files, problems)
    reviews = []
    for article in articles:
        annotations = by_slug.get(article.meta.slug)
        if annotations is None:
            if article.meta.slug not in written:  # an invalid file was reported already
                problems.warning(Origin(article.meta.capture_path),
                                 f"article '{article.meta.slug}' has no annotations yet",
                                 f"create annotations/{article.meta.slug}.yaml (see README: writing an annotation)")
            annotations = _unreviewed(article)
        reviews.append(review_article(article, annotations, scale, problems, _written_against(root, article, annotations)))
    return reviews


def _check_claim_ids_unique(files: list[AnnotationFile], problems: Problems) -> None:
    first: dict[str, Origin] = {}
    for f in files:
        for claim in f.claims:
            if claim.id in first:
                problems.error(claim.origin, f"claim id '{claim.id}' is already used at {first[claim.id]}",
                               "claim ids are permanent addresses (claims/<id>/): choose a new, unique id")
            else:
                first[claim.id] = claim.origin


def _unreviewed(article: Article) -> AnnotationFile:
    origin = Origin(article.meta.capture_path)
    return AnnotationFile(Path(f"{ANNOTATIONS_DIR}/{article.meta.slug}.yaml"), article.meta.slug, origin,
                          article.meta.capture_sha256, origin, ("nobody yet",), Assessment("Not reviewed yet."), ())


def check_coverage(reviews: list[Review], level: str, problems: Problems) -> None:
    """Report sentences that no published claim covers, at the first of them in the capture."""
    if level == "ignore":
        return
    report = problems.error if level == "error" else problems.warning
    for review in reviews:
        open_ = review.unreviewed()
        if not open_:
            continue
        reviewed, total = review.coverage()
        first = open_[0]
        report(text_origin(review.article.meta.capture_path, review.article.text, first.start),
               f"{reviewed} of {total} sentences reviewed; {len(open_)} unreviewed, the first: {first.id} "
               f"{_excerpt(first.text)!r}",
               f"annotate them in {review.annotations.path}, or set unreviewed_sentences in {SETTINGS_FILE}")


def text_origin(path: Path, text: str, offset: int) -> Origin:
    """The line and column of a character offset in a text file."""
    line = text.count("\n", 0, offset) + 1
    return Origin(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _written_against(root: Path, article: Article, annotations: AnnotationFile) -> Article | None:
    """The earlier capture a drifted annotation file names, segmented like the current one (None if not drifted or lost)."""
    if annotations.capture_sha256 == article.meta.capture_sha256:
        return None
    text = capture_with_fingerprint(root, article.meta.capture_path, annotations.capture_sha256)
    return segment_article(article.meta, text, Problems()) if text is not None else None


def with_findings(review: Review, offices) -> Review:
    findings, dates = run_checks(review.article, offices)
    return dataclasses.replace(review, findings=tuple(findings), dates=tuple(dates))


def check_findings_against_verdicts(reviews: list[Review], problems: Problems) -> None:
    """Tell editors where the machine disagrees with them, or sees something they have not rated."""
    for review in reviews:
        by_sentence = review.anchors_by_sentence()
        for finding in review.findings:
            anchors = by_sentence.get(finding.sentence_id, [])
            if not anchors:
                problems.warning(text_origin(review.article.meta.capture_path, review.article.text, finding.start),
                                 f"automated check ({finding.kind}): {finding.message}; no editor verdict yet",
                                 f"review this sentence in {review.annotations.path}")
                continue
            # the claims about the flagged words, or else about the whole sentence
            about = [a for a in anchors if a.start < finding.end and finding.start < a.end] or anchors
            if all(a.claim.verdict == "accurate" for a in about):
                problems.warning(about[0].claim.verdict_origin,
                                 f"claim '{about[0].claim.id}' is rated accurate, but the automated check says: "
                                 f"{finding.message}",
                                 "re-check the claim, or explain in its note why the check is wrong here")
