"""Place each claim on exactly one sentence, or say precisely why it cannot be placed.

Anchoring fails closed: a quote must match exactly once after normalisation
(`segment.normalise`: quote styles unified, runs of white space made one
space). Zero or several matches are errors; the nearest sentence is only ever
suggested in the message, never used.
"""
from __future__ import annotations

import difflib

from .formats import UNREVIEWED
from .history import capture_with_fingerprint
from .layout import Layout
from .model import Anchor, AnnotationFile, Article, Claim, Review, Sentence
from .problems import Problems
from .segment import normalise, normalise_with_map, segment_article


def anchor_article(layout: Layout | None, article: Article, annotations: AnnotationFile | None, unreadable: bool,
                   problems: Problems) -> Review:
    """An article with its annotations placed on its sentences. `unreadable`: its annotation file could not be read."""
    if annotations is None:
        return Review(article, None, (), unreadable=unreadable)
    return review_article(article, annotations, problems, _written_against(layout, article, annotations))


def _written_against(layout: Layout | None, article: Article, annotations: AnnotationFile) -> Article | None:
    """The earlier capture a drifted annotation file names, segmented like the current one (None if not drifted or lost)."""
    if annotations.capture_sha256 == article.meta.capture_sha256:
        return None
    assert layout is not None, "a drifted annotation file is read with the project's layout"
    text = capture_with_fingerprint(layout.root, article.meta.capture_path, annotations.capture_sha256)
    return segment_article(article.meta, text, Problems()) if text is not None else None


def review_article(article: Article, annotations: AnnotationFile, problems: Problems,
                   written_against: Article | None = None) -> Review:
    """Place every claim of an article. `written_against`: the earlier capture the annotations name, if it
    differs from the current one and could be found; then each claim's fate is reported (drift)."""
    drifted = annotations.capture_sha256 != article.meta.capture_sha256
    current = normalised_sentences(article)
    earlier = normalised_sentences(written_against) if written_against else None
    anchors: list[Anchor] = []
    pending: list[Anchor] = []
    fates: list[tuple[Claim, str, Anchor | None, Anchor | None]] = []
    for claim in annotations.claims:
        quiet = Problems()
        anchor = anchor_claim(claim, article, quiet if drifted else problems, current)
        if drifted:
            before = anchor_claim(claim, written_against, Problems(), earlier) if written_against else None
            fates.append((claim, _fate(before, anchor), before, anchor))
            if anchor is None and written_against is None:
                problems.extend(quiet)
        if anchor:
            (pending if claim.verdict == UNREVIEWED else anchors).append(anchor)
    if drifted:
        _report_drift(article, annotations, written_against, fates, problems)
    in_order = lambda found: tuple(sorted(found, key=lambda a: (a.sentence.index, a.start)))  # noqa: E731
    return Review(article, annotations, in_order(anchors), in_order(pending))


def _fate(before: Anchor | None, after: Anchor | None) -> str:
    if after is None:
        return "vanished"
    if before is None:
        return "placed"  # it could not be placed in the old capture, but it can now
    if before.sentence.text != after.sentence.text:
        return "changed"
    return "unaffected" if before.start == after.start else "moved"


def _report_drift(article: Article, annotations: AnnotationFile, old: Article | None,
                  fates: list[tuple[Claim, str, Anchor | None, Anchor | None]], problems: Problems) -> None:
    """Say what a change of capture did to each claim, so the editor re-checks only what it touched."""
    slug, path = article.meta.slug, article.meta.capture_path
    if old is None:
        problems.error(annotations.capture_sha256_origin,
                       f"these annotations were written against another capture of '{slug}', not found in git history",
                       f"re-check every quote against {path}, then record {article.meta.capture_sha256}")
        return
    fate_names = ("unaffected", "moved", "changed", "vanished", "placed")
    counts = {fate: sum(1 for _, f, _, _ in fates if f == fate) for fate in fate_names}
    summary = ", ".join(f"{n} {fate}" for fate, n in counts.items() if n)
    problems.error(annotations.capture_sha256_origin,
                   f"{path} changed since these annotations were written: {summary or 'no claims'}",
                   f"re-check the claims listed, then record {article.meta.capture_sha256}")
    flat = lambda text: " ".join(text.split())  # noqa: E731
    for claim, fate, before, after in fates:
        was = f"it was: {flat(before.sentence.text)!r}" if before else "it could not be placed before either"
        if fate == "changed" and after:
            problems.error(claim.quote_origin, f"claim '{claim.id}': its sentence now reads {flat(after.sentence.text)!r}",
                           f"{was}; check the verdict still holds")
        elif fate == "vanished":
            problems.error(claim.quote_origin, f"claim '{claim.id}': its quote is no longer in the capture", was)
        elif fate == "moved":
            problems.warning(claim.quote_origin, f"claim '{claim.id}': its sentence is unchanged but moved",
                             "nothing to re-check; the page anchor stays the same")


Normalised = list[tuple[Sentence, str, list[int]]]
"""Each sentence of an article with its normalised text and, per character, the index it came from."""


def normalised_sentences(article: Article) -> Normalised:
    """Normalise every sentence once, so placing many claims does not normalise the article many times."""
    return [(sentence, *normalise_with_map(sentence.text)) for sentence in article.sentences]


def anchor_claim(claim: Claim, article: Article, problems: Problems, index: Normalised | None = None) -> Anchor | None:
    """`index`: `normalised_sentences(article)`, when the caller places several claims in the same article."""
    index = normalised_sentences(article) if index is None else index
    quote = normalise(claim.quote)
    hits = []
    for sentence, norm, where in index:
        at = norm.find(quote)
        while at != -1:
            start = sentence.start + where[at]
            end = sentence.start + where[at + len(quote) - 1] + 1
            hits.append(Anchor(claim, sentence, start, end))
            at = norm.find(quote, at + 1)
    places = _places(article, hits)
    if claim.occurrence is not None:
        if claim.occurrence <= len(hits):
            return hits[claim.occurrence - 1]
        problems.error(claim.quote_origin, f"quote of claim '{claim.id}' matches {len(hits)} place(s), "
                       f"so there is no occurrence {claim.occurrence}", f"the matches: {places or 'none'}")
        return None
    if len(hits) == 1:
        return hits[0]
    if hits:
        problems.error(claim.quote_origin, f"quote of claim '{claim.id}' matches {len(hits)} places: {places}",
                       "quote more of the sentence so that it matches one place, or add 'occurrence: N' (1 = first)")
        return None
    problems.error(claim.quote_origin, f"quote of claim '{claim.id}' matches no sentence of {article.meta.capture_path}",
                   _nearest_hint(quote, index))
    return None


def _places(article: Article, hits: list[Anchor]) -> str:
    """Where a quote matches: each sentence once, with the line:column of every match in the capture."""
    by_sentence: dict[Sentence, list[str]] = {}
    for hit in hits:
        at = article.origin_at(hit.start)
        by_sentence.setdefault(hit.sentence, []).append(f"{at.line}:{at.col}")
    return "; ".join(f"{s.id} (sentence {s.index + 1}, at {', '.join(at)})" for s, at in by_sentence.items())


def _nearest_hint(quote: str, index: Normalised) -> str:
    body = " ".join(norm for _, norm, _ in index)
    if quote in body:
        return "the quote runs across a sentence boundary; quote one sentence, or a fragment of one"
    best, best_score = None, 0.0
    for sentence, norm, _ in index:
        window = _aligned_window(quote, norm)
        score = difflib.SequenceMatcher(None, quote, window, autojunk=False).ratio()
        if score > best_score:
            best, best_score = (sentence, window), score
    if best is None or best_score < 0.6:
        return "copy the sentence from the capture; quotes must match exactly (only spaces and quote styles may differ)"
    sentence, window = best
    return (f"did you mean {window!r} in {sentence.id} (sentence {sentence.index + 1})? differs: "
            f"{_difference(quote, window)}")


def _aligned_window(quote: str, text: str) -> str:
    """The stretch of `text` that lines up with `quote`, from its first to its last matching character."""
    blocks = [b for b in difflib.SequenceMatcher(None, quote, text, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return ""
    start = max(0, blocks[0].b - blocks[0].a)
    end = min(len(text), blocks[-1].b + blocks[-1].size + (len(quote) - blocks[-1].a - blocks[-1].size))
    return text[start:end]


def _difference(quote: str, found: str) -> str:
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, quote, found, autojunk=False).get_opcodes():
        if op != "equal":
            parts.append(f"{quote[a1:a2]!r} -> {found[b1:b2]!r}")
    return "; ".join(parts[:3]) or "nothing visible (check invisible characters)"
