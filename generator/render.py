"""Present the checked project as pages: Markdown (with a little raw HTML), data and CSS.

Everything here is presentation of facts decided earlier. Page paths are paths
under docs/; links between pages are made relative, so the site works at any
base URL and under MkDocs and Zensical alike.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from .model import Anchor, Finding, Project, ResolvedDate, Review, Sentence, Verdict, VerdictScale

DATA_FORMAT_VERSION = 1
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def page_url(path: str) -> str:
    """The site-relative URL MkDocs gives a page: `claims/x.md` -> `claims/x/`, `index.md` -> ``."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def doc_link(from_page: str, to_path: str, fragment: str = "") -> Markup:
    """A link for Markdown text: the relative source path, which MkDocs checks and rewrites.

    Paths are made of slugs and sentence ids, which the loader has checked, so they are printed as they are."""
    rel = posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
    return Markup(rel + (f"#{fragment}" if fragment else ""))


def article_page(slug: str) -> str:
    return f"articles/{slug}.md"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def markdown_html(text: str) -> Markup:
    """An editor's Markdown as HTML with no blank lines (so it stays one raw HTML block in the page).

    Raw HTML in the note is shown as text, and markdown-it refuses javascript:, vbscript: and data: links."""
    html = _markdown.render(text)
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def source_title(evidence) -> str:
    """A source's headline, or what stands in for it when our stored copy has none."""
    return evidence.title if evidence.headline_known else f"{evidence.publisher} (no headline recorded)"


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "unknown"


# Characters that mean something to HTML, to Python-Markdown (inline syntax, tables, attribute lists) or to a
# double-quoted YAML string. As numeric references they read as themselves in every one of those contexts.
_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]|"})
_BLOCK_START = re.compile(r"[#+=-]|\d+[.)]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def inert_text(value: str) -> Markup:
    """Any text from a user's file, made safe to print anywhere in a generated page.

    The pages mix Markdown, raw HTML and front matter that the theme prints without escaping, so one rule
    serves them all: line breaks become spaces, and every character with a meaning in those languages
    (and a block marker such as `#`, `-` or `1.` at the start) becomes a numeric character reference.
    """
    flat = _CONTROL.sub("", " ".join(value.splitlines())).translate(_INERT)
    if _BLOCK_START.match(flat):
        flat = f"&#{ord(flat[0])};{flat[1:]}"
    return Markup(flat)


def _finalize(value):
    """Jinja's last step before output: plain strings are user text (inert); Markup was made safe by us."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return inert_text(value)
    return value


_URL_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


def url_attribute(url: str) -> Markup:
    """An address for an href: percent-encoded outside RFC 3986's characters, then HTML-escaped."""
    return Markup.escape(quote(url, safe=_URL_SAFE))


# --- view models: what the templates show, computed once ---------------------------------

@dataclass(frozen=True)
class Piece:
    text: str
    quoted: bool
    resolved: str | None = None
    """When the piece ends a date expression: the day it means, shown after it."""


@dataclass(frozen=True)
class SentenceView:
    sentence: Sentence
    pieces: tuple[Piece, ...]
    anchors: tuple[Anchor, ...]
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class BlockView:
    kind: str
    """`heading`, `dateline`, `paragraph`, `item`, or `list` (a run of items)."""
    marker: str = ""
    sentences: tuple[SentenceView, ...] = ()
    children: tuple["BlockView", ...] = ()
    """A list's items; an item's nested list."""
    notes: tuple[Anchor, ...] = ()
    """For top-level blocks: the claims on any sentence inside, shown after the block."""
    flags: tuple[Finding, ...] = ()
    """For top-level blocks: the automated checks' findings on any sentence inside."""

    @property
    def ordered(self) -> bool:
        return bool(self.children) and self.children[0].marker[:1].isdigit()

    def views(self) -> list[SentenceView]:
        return [*self.sentences, *(v for child in self.children for v in child.views())]


@dataclass(frozen=True)
class Segment:
    verdict: Verdict
    count: int
    x: float
    width: float


def sentence_views(review: Review) -> list[tuple[int, SentenceView]]:
    by_sentence = review.anchors_by_sentence()
    views = []
    for sentence in review.article.sentences:
        anchors = tuple(by_sentence.get(sentence.id, ()))
        findings = tuple(f for f in review.findings if f.sentence_id == sentence.id)
        views.append((sentence.block, SentenceView(sentence, pieces(sentence, anchors, review.dates), anchors, findings)))
    return views


def pieces(sentence: Sentence, anchors: tuple[Anchor, ...], dates: tuple[ResolvedDate, ...] = ()) -> tuple[Piece, ...]:
    """The sentence cut where quoted words and date expressions start and end."""
    spans = [(a.start, a.end) for a in anchors]
    inside = [d for d in dates if sentence.start <= d.start and d.end <= sentence.end]
    cuts = sorted({sentence.start, sentence.end, *(p for span in spans for p in span), *(d.end for d in inside)})
    found = []
    for lo, hi in zip(cuts, cuts[1:]):
        quoted = any(s <= lo and hi <= e for s, e in spans)
        resolved = next((d.label for d in inside if d.end == hi), None)
        found.append(Piece(sentence.text[lo - sentence.start:hi - sentence.start], quoted, resolved))
    return tuple(found)


def block_views(review: Review) -> list[BlockView]:
    """Top-level blocks in reading order: runs of list items become nested lists; each carries its notes."""
    by_block: dict[int, list[SentenceView]] = {}
    for block_index, view in sentence_views(review):
        by_block.setdefault(block_index, []).append(view)
    flat = [(b, tuple(by_block.get(i, ()))) for i, b in enumerate(review.article.blocks)]
    return [BlockView(v.kind, v.marker, v.sentences, v.children,
                      tuple(a for s in v.views() for a in s.anchors), tuple(f for s in v.views() for f in s.findings))
            for v in _nest(flat)]


def _nest(flat: list) -> list[BlockView]:
    """Items deeper than the item before them become its children; neighbouring items form a list."""
    result: list[BlockView] = []
    i = 0
    while i < len(flat):
        block, sentences = flat[i]
        if block.kind != "item":
            result.append(BlockView(block.kind, sentences=sentences))
            i += 1
            continue
        items = []
        while i < len(flat) and flat[i][0].kind == "item" and flat[i][0].indent == block.indent:
            j = i + 1
            while j < len(flat) and flat[j][0].kind == "item" and flat[j][0].indent > block.indent:
                j += 1
            items.append(BlockView("item", flat[i][0].marker, flat[i][1], tuple(_nest(flat[i + 1:j]))))
            i = j
        result.append(BlockView("list", children=tuple(items)))
    return result


def serious_problems(review: Review, scale: VerdictScale, worst: int = 2) -> list[Anchor]:
    """The claims rated at the bottom of the truth scale, worst first."""
    rated = [(scale.get(a.claim.verdict).rating, a.sentence.index, a) for a in review.anchors
             if scale.get(a.claim.verdict) and scale.get(a.claim.verdict).rating]
    return [a for rating, _, a in sorted(rated, key=lambda r: r[:2]) if rating <= worst]


def distribution(review: Review, scale: VerdictScale) -> list[Segment]:
    counts = Counter(a.claim.verdict for a in review.anchors)
    total = sum(counts.values()) or 1
    segments, x = [], 0.0
    for verdict in scale.verdicts:
        if counts[verdict.id]:
            width = 100.0 * counts[verdict.id] / total
            segments.append(Segment(verdict, counts[verdict.id], round(x, 3), round(width, 3)))
            x += width
    return segments


def article_data(review: Review) -> dict:
    """The public JSON for one article (documented in docs/data-format.md)."""
    meta = review.article.meta
    by_claim: dict[str, list[str]] = {}
    for anchor in review.anchors:
        by_claim.setdefault(anchor.claim.id, []).append(anchor.sentence.id)
    return {
        "format_version": DATA_FORMAT_VERSION,
        "slug": meta.slug,
        "title": meta.title,
        "publisher": meta.publisher,
        "url": meta.url,
        "author": meta.author,
        "published": meta.published.isoformat() if meta.published else "unknown",
        "published_estimate": meta.published_estimate.isoformat() if meta.published_estimate else None,
        "captured": meta.captured.isoformat() if meta.captured else "unknown",
        "language": meta.language,
        "capture_sha256": meta.capture_sha256,
        "page": page_url(article_page(meta.slug)),
        "sentences": [{"id": s.id, "text": s.text, "start": s.start, "end": s.end, "kind": s.kind}
                      for s in review.article.sentences],
        "findings": [{"sentence_id": f.sentence_id, "check": f.check, "kind": f.kind, "message": f.message,
                      "suggestion": f.suggestion, "start": f.start, "end": f.end,
                      "sources": [e.url for e in f.sources]} for f in review.findings],
        "dates": [{"start": d.start, "end": d.end, "date": d.day.isoformat(), "label": d.label} for d in review.dates],
        "claims": [{"id": a.claim.id, "verdict": a.claim.verdict, "summary": a.claim.summary,
                    "sentence_ids": by_claim[a.claim.id], "quote": {"start": a.start, "end": a.end},
                    "url": page_url(claim_page(a.claim.id)),
                    "published": a.claim.published.isoformat(),
                    "updated": a.claim.updated.isoformat() if a.claim.updated else None}
                   for a in review.anchors],
    }


# --- the pages ------------------------------------------------------------------------------

def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(source_title=source_title, long_date=long_date, markdown=markdown_html, url=url_attribute)
    return env


def _plain_environment(templates: Path) -> jinja2.Environment:
    """For files that are neither HTML nor Markdown (the verdict CSS), from values the schema has checked."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def render_site(project: Project, templates: Path, notice: list | None = None) -> dict[str, str]:
    """Every generated file under docs/, by path, as text. `notice`: problems to show on every page (preview)."""
    env = make_environment(templates)
    scale = project.scale
    reviews = sorted(project.reviews, reverse=True, key=lambda r: (
        r.article.meta.published or r.article.meta.published_estimate or date.min, r.article.meta.slug))
    out: dict[str, str] = {}

    def page(path: str, template: str, **context) -> None:
        out[path] = env.get_template(template).render(
            page=path, notice=notice,
            doc=lambda to, fragment="": doc_link(path, to, fragment),
            scale=scale, article_page=article_page, claim_page=claim_page, **context)

    summaries = [dict(review=r, segments=distribution(r, scale), coverage=r.coverage()) for r in reviews]
    page("index.md", "home.md.j2", articles=summaries)
    page("methodology.md", "methodology.md.j2")
    page("claims/index.md", "claims_index.md.j2", articles=summaries)
    for summary in summaries:
        review = summary["review"]
        slug = review.article.meta.slug
        page(article_page(slug), "article.md.j2", blocks=block_views(review), problems=serious_problems(review, scale),
             **summary)
        sentences = review.article.sentences
        for anchor in review.anchors:
            i = anchor.sentence.index
            page(claim_page(anchor.claim.id), "claim.md.j2", review=review, anchor=anchor,
                 verdict=scale.get(anchor.claim.verdict),
                 pieces=pieces(anchor.sentence, (anchor,)),
                 findings=[f for f in review.findings if f.sentence_id == anchor.sentence.id],
                 before=sentences[i - 1] if i > 0 else None,
                 after=sentences[i + 1] if i + 1 < len(sentences) else None)
        out[f"data/{slug}.json"] = json.dumps(article_data(review), ensure_ascii=False, indent=1) + "\n"
    out["stylesheets/verdicts.css"] = _plain_environment(templates).get_template("verdicts.css.j2").render(scale=scale)
    return out
