"""The rules a gathered project must meet: each a function from the project to the problems it sees.

They are listed, with their names and default severities, in `checks.CHECKS`. A rule reports every case
with its place; the check stage decides how serious it is.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from .. import formats
from ..model import Claim, Origin, Project, Review, resolve
from ..problems import Problem

Problems = Iterator[Problem]


def annotations_have_an_article(project: Project) -> Problems:
    slugs = sorted(r.article.meta.slug for r in project.reviews)
    layout = project.layout
    for f in project.annotation_files:
        if f.article_slug not in slugs and not layout.at(layout.sources / f.article_slug).is_dir():  # else: reported
            yield Problem(f.article_origin, f"no source '{f.article_slug}' for these annotations",
                          f"known sources: {', '.join(slugs) or 'none'}")


def claim_ids_are_unique(project: Project) -> Problems:
    first: dict[str, Origin] = {}
    for claim in _claims(project):
        if claim.id in first:
            yield Problem(claim.origin, f"claim id '{claim.id}' is already used at {first[claim.id]}",
                          "claim ids are permanent addresses (claims/<id>/): choose a new, unique id")
        else:
            first[claim.id] = claim.origin


def verdicts_are_on_the_scale(project: Project) -> Problems:
    scale = project.scale
    # what a YAML 1.1 boolean was probably meant to say, in this scale's own words
    worst, best = (scale.worst.id if scale.worst else None), (scale.best.id if scale.best else None)
    yaml_words = {**dict.fromkeys(("false", "no", "off"), worst), **dict.fromkeys(("true", "yes", "on"), best)}
    for claim in _claims(project):
        if claim.verdict == formats.UNREVIEWED or scale.get(claim.verdict):
            continue
        guess = yaml_words.get(claim.verdict.lower()) or next(iter(difflib.get_close_matches(claim.verdict, scale.ids, 1)), None)
        hint = f"did you mean '{guess}'? " if guess else ""
        yield Problem(claim.verdict_origin, f"unknown verdict '{claim.verdict}'",
                      f"{hint}the scale ({project.layout.scale}): {', '.join(scale.ids)}")


def ratings_cite_evidence(project: Project) -> Problems:
    for claim in _claims(project):
        verdict = project.scale.get(claim.verdict)
        if verdict and verdict.needs_evidence and not claim.evidence:
            yield Problem(claim.verdict_origin, f"claim '{claim.id}' is rated {verdict.id} but cites no evidence",
                          "add at least one evidence entry (url, title, publisher, accessed) that supports the verdict")


def sources_of_ratings_show_their_words(project: Project) -> Problems:
    """A reader must be able to see, under each source, the words that support a rating of truth."""
    for claim in _claims(project):
        verdict = project.scale.get(claim.verdict)
        if verdict and verdict.rating:
            for evidence in claim.evidence:
                if not evidence.excerpt:
                    yield Problem(evidence.origin, f"claim '{claim.id}' is rated {verdict.id}, but this source has no excerpt",
                                  "add 'excerpt:' with the sentence or two of the source that supports the note, "
                                  "copied exactly from the page at this url")


def undecided_claims_say_what_was_searched(project: Project) -> Problems:
    """A checkable statement we could not settle (a truth verdict without a rating) says what we looked for."""
    for claim in _claims(project):
        verdict = project.scale.get(claim.verdict)
        if verdict and verdict.truth and not verdict.rating and not claim.searched:
            yield Problem(claim.verdict_origin, f"claim '{claim.id}' is rated {verdict.id} but does not say what was searched",
                          "add 'searched:' naming the queries, collections and sources you looked in")


def reviewers_are_editors(project: Project) -> Problems:
    settings = project.layout.settings
    known = ", ".join(e.id for e in settings.editors) or "none yet"
    for f in project.annotation_files:
        for name in f.reviewers:
            if settings.editor(name) is None:
                yield Problem(f.reviewers_origin, f"reviewer '{name}' is not an editor in {project.layout.settings_file}",
                              f"name editors by id ({known}), or add this one under 'editors:' with a role and a profile")


def files_are_named_after_their_article(project: Project) -> Problems:
    for f in project.annotation_files:
        if f.path.stem != f.article_slug:
            yield Problem(f.article_origin, f"file {f.path.name} annotates '{f.article_slug}'",
                          f"name the file after its article: {project.layout.annotations}/{f.article_slug}.yaml")


def articles_are_annotated(project: Project) -> Problems:
    for review in project.reviews:
        meta = review.article.meta
        if review.annotations is None and not review.unreadable:
            yield Problem(Origin(meta.capture_path), f"article '{meta.slug}' has no annotations yet",
                          f"create {_annotation_file(project, review)} (see README: writing an annotation)")


def sentences_are_reviewed(project: Project) -> Problems:
    """Sentences no published claim covers, reported once per article at the first of them."""
    for review in _readable(project):
        unreviewed = review.unreviewed()
        if not unreviewed:
            continue
        reviewed, total = review.coverage()
        first = unreviewed[0]
        yield Problem(review.article.origin_at(first.start),
                      f"{reviewed} of {total} sentences reviewed; {len(unreviewed)} unreviewed, the first: {first.id} "
                      f"{_excerpt(first.text)!r}",
                      f"annotate them in {_annotation_file(project, review)}, or set checks: {{coverage: ignore}} in "
                      f"{project.layout.settings_file}")


def flagged_sentences_have_a_verdict(project: Project) -> Problems:
    for review in _readable(project):
        by_sentence = review.anchors_by_sentence()
        for finding in review.findings:
            if finding.sentence_id not in by_sentence:
                yield Problem(review.article.origin_at(finding.start),
                              f"automated check ({finding.kind}): {finding.message}; no editor verdict yet",
                              f"review this sentence in {_annotation_file(project, review)}")


def best_ratings_agree_with_findings(project: Project) -> Problems:
    """Where the machine disagrees with a claim rated at the top of the truth scale."""
    best = project.scale.best
    for review in project.reviews:
        by_sentence = review.anchors_by_sentence()
        for finding in review.findings:
            anchors = by_sentence.get(finding.sentence_id, [])
            # the claims about the flagged words, or else about the whole sentence
            about = [a for a in anchors if a.start < finding.end and finding.start < a.end] or anchors
            if about and best and all(a.claim.verdict == best.id for a in about):
                yield Problem(about[0].claim.verdict_origin,
                              f"claim '{about[0].claim.id}' is rated {best.id}, but the automated check says: "
                              f"{finding.message}",
                              "re-check the claim, or explain in its note why the check is wrong here")


def files_name_their_schema(project: Project) -> Problems:
    for f in project.annotation_files:
        if not f.modeline:
            yield Problem(Origin(f.path), "no schema modeline on the first line: editors get no completion or hover help",
                          f"make the first line: {formats.MODELINE}")


def published_schema_is_current(project: Project) -> Problems:
    """The committed schemas must say what the validator does (verdicts.yaml feeds both): `load.stale_schemas`."""
    for name in project.stale_schemas:
        yield Problem(Origin(project.layout.schema / name), "out of date with the annotation model or verdicts.yaml",
                      "run: python -m generator schema")


_PLACEHOLDER = re.compile(r"(?:^|[@./])(?:example\.(?:org|com|net)|[^./@]+\.(?:example|test|invalid)|localhost)(?:[:/]|$)")


def site_settings_are_real(project: Project) -> Problems:
    """What readers need to know who publishes the site and to reach them (IFCN: transparency of organisation and
    funding; an open corrections policy), and no placeholder address left over from a template."""
    site, mkdocs = project.layout.site_settings, Origin(project.layout.mkdocs)
    if project.layout.mkdocs in project.unread:
        return  # its errors are reported; what it would have said is not known
    publisher = site.publisher
    if publisher is None:
        yield Problem(mkdocs, "no publisher: readers cannot see who publishes the site",
                      "add extra.publisher with at least a name and an email (README: Site settings)")
        return
    if not site.url:
        yield Problem(mkdocs, "no site_url: pages get no canonical address, the sitemap lists nothing, and the 404 "
                      "page works only at a domain's root", "add site_url: the address the site is published at")
    if not publisher.email and not site.repository:
        yield Problem(site.origins.get("publisher", mkdocs), "readers have no way to report an error",
                      "add extra.publisher.email, or repo_url (a repository that takes issues)")
    for key, value in (("site_url", site.url), ("repo_url", site.repository), ("email", publisher.email)):
        if value and _PLACEHOLDER.search(value.lower()):
            yield Problem(site.origins.get(key, mkdocs), f"{key} '{value}' is a placeholder, not a real address",
                          "set the real one before publishing: pages, previews and error reports use it")
    missing = [what for what, text in (("who owns it", publisher.ownership), ("how it is funded", publisher.funding))
               if not text]
    if missing:
        yield Problem(site.origins.get("publisher", mkdocs), f"the About page cannot say {' or '.join(missing)}",
                      "add extra.publisher.ownership and .funding (IFCN: transparency of funding and organisation)")


def published_addresses_keep_answering(project: Project) -> Problems:
    """Every claim address in published.yaml still answers: as a claim, a redirect to one, or a withdrawal."""
    layout = project.layout
    if any(path.is_relative_to(layout.annotations) for path in project.unread):
        return  # which claims exist is not known: every address would look broken
    claims = {c.id for c in _claims(project) if c.verdict != formats.UNREVIEWED}
    register = {a.id: a for a in project.addresses}
    new = sorted(claims - register.keys())
    fix = f"published addresses must keep answering; say in {layout.published} what became of the claim"
    for address in project.addresses:
        if address.id in claims and (address.moved_to or address.withdrawn):
            yield Problem(address.origin, f"claim id '{address.id}' is {'moved' if address.moved_to else 'withdrawn'} "
                          "in the register, but a claim in the annotations still has it",
                          "an old address cannot be used again: give the new claim a new id")
        elif address.moved_to and resolve(register, address.id) not in claims:
            guess = next(iter(difflib.get_close_matches(address.moved_to, sorted(claims), 1)), None)
            yield Problem(address.origin, f"claims/{address.id}/ moves to '{address.moved_to}', which is not a claim",
                          f"did you mean '{guess}'?" if guess else "name the id the claim has now")
        elif not (address.moved_to or address.withdrawn) and address.id not in claims:
            guess = next(iter(difflib.get_close_matches(address.id, new, 1, 0.3)), "<its-new-id>")
            yield Problem(address.origin, f"claims/{address.id}/ was published, and no claim has this id now",
                          f"{fix}: renamed, `{address.id}: {{moved_to: {guess}}}`; removed, "
                          f"`{address.id}: {{withdrawn: YYYY-MM-DD, reason: why}}`")


def _claims(project: Project) -> Iterator[Claim]:
    for f in project.annotation_files:
        yield from f.claims


def _annotation_file(project: Project, review: Review) -> Path:
    """Where an article's annotations are, or are to be written."""
    if review.annotations:
        return review.annotations.path
    return project.layout.annotations / f"{review.article.meta.slug}.yaml"


def _readable(project: Project) -> Iterator[Review]:
    """Reviews whose problems are the editors' to fix: not those whose annotation file could not be read."""
    return (r for r in project.reviews if not r.unreadable)


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
