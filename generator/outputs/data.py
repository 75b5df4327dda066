"""The public JSON of each article (documented in docs/data-format.md)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date

from ..memo import digest
from ..views import CLAIM_REVIEW_FEED, CLAIMS_CSV, ArticleView, Common, SiteView, annotation_file, claim_review, page_url
from ..write import Keeping

FORMAT_VERSION = 1
OWNS = ("data/",)
CSV_COLUMNS = ("claim_id", "article_slug", "article_title", "article_url", "publisher", "sentence_id", "quote",
               "verdict", "verdict_label", "rating", "best_rating", "summary", "published", "updated",
               "first_source_url", "page_url")


def render(site: SiteView, keeping: Keeping) -> dict[str, bytes]:
    """Every claim of the site in one table and in one feed of ClaimReviews, made of each article's part (kept in
    the memo, already written out in UTF-8: at a thousand articles, serializing ten thousand reviews again was a
    second, and the 11 MB of the two files as text took 0.04 s to decode and encode again)."""
    memo = keeping.memo
    parts = [memo.keyed(digest(site.shared, a.made_from, "rows and reviews"), _claims, site.common, a) if a.made_from
             else _claims(site.common, a) for a in site.articles]
    return {CLAIMS_CSV: _csv_lines([CSV_COLUMNS]).encode("utf-8") + b"".join(rows for rows, _, _ in parts),
            CLAIM_REVIEW_FEED: claim_review_feed(site, [r for _, reviews, _ in parts for r in reviews],
                                                 max((day for _, _, days in parts for day in days), default=""))}


def _claims(common: Common, article: ArticleView) -> tuple[bytes, list[bytes], list[str]]:
    """The article's rows of the claims table (RFC 4180), and its ClaimReviews (JSON, one line each) with the
    days they were last changed, the rows and reviews in UTF-8."""
    meta, site, scale = article.meta, common.site, common.scale
    rows = _csv_lines([c.id, meta.slug, meta.title, meta.url or "", meta.publisher or "", c.sentence.id, c.quote,
                       c.verdict.id, c.verdict.label, c.verdict.rating or "",
                       scale.best_rating if c.verdict.rating else "", c.claim.summary or "",
                       _day(c.claim.published, ""), _day(c.claim.updated, ""),
                       c.citations[0].url if c.citations else "", site.address(page_url(c.page))]
                      for c in article.claims)
    reviews = [{k: v for k, v in review.items() if k != "@context"}  # the feed's context covers them
               for c in article.claims if (review := claim_review(c, scale, site))]
    return (rows.encode("utf-8"),
            [json.dumps(r, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8") for r in reviews],
            [r.get("dateModified") or r.get("datePublished") or "" for r in reviews])


def _csv_lines(rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def claim_review_feed(site: SiteView, reviews: list[bytes], modified: str) -> bytes:
    """Every ClaimReview of the site (JSON texts in UTF-8) in one schema.org DataFeed, one review a line: what
    fact-check aggregators ingest in bulk."""
    head = {"@context": "https://schema.org", "@type": "DataFeed", "name": f"{site.site.name}: every claim review",
            "url": site.site.address(CLAIM_REVIEW_FEED), **({"dateModified": modified} if modified else {})}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": [\n'
    return opening.encode("utf-8") + b",\n".join(reviews) + b"\n]}\n"


def article(common: Common, article: ArticleView) -> dict[str, str]:
    """The article's data and its claims as Web Annotations."""
    return {article.data: json.dumps(article_data(article, common), ensure_ascii=False, indent=1) + "\n",
            annotation_file(article.meta.slug): json.dumps(web_annotations(article, common), ensure_ascii=False,
                                                           indent=1) + "\n"}


CONTEXT = 32
"""Characters of the capture kept before and after a quote (TextQuoteSelector's prefix and suffix)."""


def web_annotations(article: ArticleView, site: Common) -> dict:
    """The article's claims as W3C Web Annotations (an AnnotationPage) on the capture as published: each quote
    located twice, by its words with their context (TextQuoteSelector) and by its offsets (TextPositionSelector),
    as annotation tools such as Hypothesis anchor them."""
    text = article.review.article.text
    items = []
    for c in article.claims:
        start, end = c.anchor.start, c.anchor.end
        address = site.site.address(page_url(c.page))
        items.append({
            "id": address + "#annotation", "type": "Annotation", "motivation": "assessing",
            "creator": {"type": "Organization", "name": site.site.publisher_name},
            **({"created": c.claim.published.isoformat()} if c.claim.published else {}),
            **({"modified": modified.isoformat()} if (modified := c.claim.last_change()) else {}),
            "body": [{"type": "TextualBody", "purpose": "assessing", "format": "text/plain", "language": "en",
                      "value": f"{c.verdict.label}: {c.claim.summary or ''}"},
                     {"type": "TextualBody", "purpose": "tagging", "value": c.verdict.label},
                     {"id": address, "type": "Text", "format": "text/html", "purpose": "describing"}],
            "target": {"source": site.site.address(article.capture), "type": "Text", "format": "text/plain",
                       "selector": [{"type": "TextQuoteSelector", "exact": text[start:end],
                                     "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]},
                                    {"type": "TextPositionSelector", "start": start, "end": end}]},
        })
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": site.site.address(annotation_file(article.meta.slug)),
            "type": "AnnotationPage", "items": items}


def _day(value: date | None, unknown: str | None = "unknown") -> str | None:
    return value.isoformat() if value else unknown


def article_data(article: ArticleView, site: Common) -> dict:
    meta, review = article.meta, article.review
    by_claim: dict[str, list[str]] = {}
    for claim in article.claims:
        by_claim.setdefault(claim.id, []).append(claim.sentence.id)
    return {
        "format_version": FORMAT_VERSION,
        "slug": meta.slug,
        "title": meta.title,
        "publisher": meta.publisher or "unknown",
        "url": meta.url or "unknown",
        "author": meta.author or "unknown",
        "published": _day(meta.published),
        "published_estimate": _day(meta.published_estimate, None),
        "captured": _day(meta.captured),
        "language": meta.language,
        "capture_sha256": meta.capture_sha256,
        "page": page_url(article.page),
        "sentences": [{"id": s.id, "text": s.text, "start": s.start, "end": s.end, "kind": s.kind}
                      for s in review.article.sentences],
        "findings": [{"sentence_id": f.sentence_id, "check": f.check, "kind": f.kind, "message": f.message,
                      "suggestion": f.suggestion, "start": f.start, "end": f.end,
                      "sources": [e.url for e in f.sources]} for f in review.findings],
        "dates": [{"start": d.start, "end": d.end, "date": d.day.isoformat(), "label": d.label} for d in review.dates],
        "reviewers": [e.name for e in article.reviewers],
        "assessment_corrections": [{"date": d.isoformat(), "note": n} for d, n in article.assessment_corrections],
        "claims": [{"id": c.id, "verdict": c.verdict.id, "summary": c.claim.summary,
                    "sentence_ids": by_claim[c.id], "quote": {"start": c.anchor.start, "end": c.anchor.end},
                    "url": page_url(c.page),
                    "published": _day(c.claim.published, None),
                    "updated": _day(c.claim.updated, None),
                    "evidence": [{"url": e.url, "title": e.title, "publisher": e.publisher,
                                  "published": _day(e.published, None), "accessed": _day(e.accessed, None),
                                  "excerpt": e.excerpt} for e in c.citations],
                    "searched": c.claim.searched,
                    "claim_review": claim_review(c, site.scale, site.site),
                    "claim_review_omitted": None if c.verdict.truth else
                    f"{c.verdict.label} is not a rating of truth: no ClaimReview is published for it",
                    "corrections": [{"date": d.isoformat(), "note": n} for d, n in c.claim.corrections],
                    "history": [{"date": h.day.isoformat(), "change": h.says, "was": h.was.id if h.was else None,
                                 "verdict": h.now.id if h.now else None, "correction": h.correction, "minor": h.minor}
                                for h in c.history]}
                   for c in article.claims],
        "history_limit": site.history_limit,
    }
