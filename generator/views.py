"""The view layer: what the site says about each article and claim, decided once from the checked project.

Outputs (pages, data, stylesheets...) read these views and only lay them out: the verdict of each claim is
resolved here, the article's date (published or estimated) is decided here, unknown values are None, and
every source is one `Citation`.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode, urlsplit

from .layout import Editor, Layout, Site
from .memo import Memo, digest, folder_digest
from .model import (
    Address,
    Anchor,
    ArticleMeta,
    Claim,
    Event,
    Evidence,
    Finding,
    History,
    Office,
    Project,
    PublicationDate,
    ResolvedDate,
    Review,
    Sentence,
    Verdict,
    VerdictScale,
    resolve,
)

# --- where things are published ---------------------------------------------------------------

def article_page(slug: str) -> str:
    return f"articles/{slug}.md"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def page_groups(project: Project) -> list[tuple[str, ...]]:
    """Each article's page with its claims' pages, which link to each other (the site's build gives each group to
    one MkDocs process: shards.py)."""
    return [tuple(dict.fromkeys((article_page(r.article.meta.slug), *(claim_page(a.claim.id) for a in r.anchors))))
            for r in project.reviews]


def listing_page(kind: str, key: str, number: int = 1) -> str:
    return f"browse/{kind}/{key}.md" if number == 1 else f"browse/{kind}/{key}-{number}.md"


def data_file(slug: str) -> str:
    return f"data/{slug}.json"


CLAIMS_CSV = "data/claims.csv"
CLAIM_REVIEW_FEED = "data/claim-reviews.jsonld"
SITE_FEED = "feed.xml"
CORRECTIONS_FEED = "corrections.xml"
"""At the site's root: every page links them with rel=alternate, and Material's script fetches `sitemap.xml`
beside whatever such a link points to."""


def article_feed(slug: str) -> str:
    return f"feeds/articles/{slug}.xml"


def oembed_file(claim_id: str) -> str:
    return f"oembed/claims/{claim_id}.json"


def annotation_file(slug: str) -> str:
    return f"data/annotations/{slug}.jsonld"


def capture_file(slug: str) -> str:
    return f"captures/{slug}.txt"


def relative(path: str, folder: str) -> str:
    """`path` from `folder`, both relative to the same place (docs/), as posixpath.relpath gives it, without its two
    calls to abspath, which ask the system for the working folder each: 2.4 µs a link instead of 10.7, and rendering
    every page at 200 articles makes 32,553 links (about 4 % of it: `pages.doc_link`)."""
    parts, start = posixpath.normpath(path).split("/"), posixpath.normpath(folder or ".").split("/")
    start = [] if start == ["."] else start
    common = len(posixpath.commonprefix([parts, start]))
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


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


SHORT_QUOTE = 110


def shorten(text: str, limit: int) -> str:
    """On one line (line breaks of the capture become spaces), cut at a word before `limit`, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:-–—") + "…"


# --- the views -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Citation:
    """A source as readers see it: the same form wherever a source is cited."""

    url: str
    title: str | None
    """Its headline; None when our stored copy had none."""
    publisher: str
    published: date | None
    accessed: date | None
    excerpt: str | None = None
    """The source's words that support our note, quoted exactly."""

    @classmethod
    def of(cls, evidence: Evidence) -> Citation:
        return cls(evidence.url, evidence.title if evidence.headline_known else None, evidence.publisher,
                   evidence.published, evidence.accessed, evidence.excerpt)


@dataclass(frozen=True, slots=True)
class Flag:
    """A finding of the automated checks as readers see it: apart from the verdicts, with its sources."""

    finding: Finding
    citations: tuple[Citation, ...]

    @classmethod
    def of(cls, finding: Finding) -> Flag:
        return cls(finding, tuple(dict.fromkeys(Citation.of(e) for e in finding.sources)))


@dataclass(frozen=True, slots=True)
class ReportLink:
    """A way to report an error, pre-filled with what the editors need to find the page."""

    label: str
    href: str


ISSUE_TRACKERS = ("github.com", "codeberg.org")
"""Hosts whose `/issues/new?title=&body=` opens a pre-filled issue."""


def report_links(site: Site, subject: str, page: str) -> tuple[ReportLink, ...]:
    body = f"Page: {site.address(page_url(page))}\n\nWhat I believe is wrong:\n\nMy source, if I have one:\n"
    query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    links = []
    if site.publisher and site.publisher.email:
        links.append(ReportLink(f"E-mail the editors ({site.publisher.email})", f"mailto:{site.publisher.email}?{query}"))
    if site.repository and urlsplit(site.repository).hostname in ISSUE_TRACKERS:
        links.append(ReportLink("Open an issue in our public repository",
                                f"{site.repository.rstrip('/')}/issues/new?" + urlencode({"title": subject, "body": body},
                                                                                        quote_via=quote)))
    return tuple(links)


def claim_report(claim: ClaimView, site: Site) -> tuple[ReportLink, ...]:
    """How to report an error in this check, pre-filled with its id and address."""
    return report_links(site, f"Error report: claim {claim.id}", claim.page)


@dataclass(frozen=True, slots=True)
class Mark:
    """One claim's quoted words as readers see them in its sentence: its own verdict, and its number when the
    sentence carries several claims (the number ties the words to their badge and note)."""

    claim_id: str
    verdict: Verdict
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    marks: tuple[Mark, ...] = ()
    """The claims whose quotes cover these words (several where quotes overlap)."""
    ends: tuple[Mark, ...] = ()
    """The claims whose quotes end with these words: their keys follow them."""
    resolved: str | None = None
    """When the piece ends a date expression: the day it means, shown after it."""

    @property
    def verdict(self) -> Verdict | None:
        """The one verdict its words carry; None when they are not quoted, or quoted by claims that disagree."""
        return _one_verdict(self.marks)


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a claim's public history, as readers see it."""

    day: date
    says: str
    """What happened, in a sentence: "Published: Accurate.", "Verdict changed from Accurate to Misleading."."""
    correction: str | None = None
    """The editors' correction note given with it."""
    minor: bool = False
    was: Verdict | None = None
    now: Verdict | None = None
    """For a verdict change: the verdicts before and after (None when the scale no longer has one)."""


_CHANGED = {"summary": "summary", "note": "reasoning", "evidence": "sources"}


def change(event: Event, scale: VerdictScale) -> Change:
    label = lambda verdict_id: scale[verdict_id].label if verdict_id and scale.get(verdict_id) else verdict_id  # noqa: E731
    if event.what == ("published",):
        return Change(event.day, f"Published: {label(event.verdict)}.", now=scale.get(event.verdict or ""))
    if event.minor:
        return Change(event.day, "Wording fixed.", minor=True)
    parts = [f"verdict changed from {label(event.was)} to {label(event.verdict)}"] if "verdict" in event.what else []
    revised = [_CHANGED[w] for w in event.what if w in _CHANGED]
    if revised:
        parts.append(" and ".join(revised) + " revised" if len(revised) < 3 else
                     f"{', '.join(revised[:-1])} and {revised[-1]} revised")
    joined = "; ".join(parts)
    says = joined[:1].upper() + joined[1:] + "." if parts else "Correction noted."
    return Change(event.day, says, event.correction, was=scale.get(event.was or ""),
                  now=scale.get(event.verdict or "") if event.was else None)


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as its pages show it. (How to report an error in it is made with its page, `claim_report`: a view is
    kept for every claim, and read back by every build.)"""

    claim: Claim
    verdict: Verdict
    """Resolved once, here."""
    anchor: Anchor
    page: str
    flags: tuple[Flag, ...]
    """The automated checks' findings on its sentence."""
    before: Sentence | None
    after: Sentence | None
    article: ArticleMeta | None = None
    """The article it is in (for lists that gather claims from many articles)."""
    history: tuple[Change, ...] = ()
    """Its public history from git, oldest first (minor wording fixes included, marked)."""

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def quote(self) -> str:
        """The words this claim rates, exactly as the article has them."""
        return self.sentence.text[self.anchor.start - self.sentence.start:self.anchor.end - self.sentence.start]

    @property
    def short_quote(self) -> str:
        """The quote for lists and cards: cut at a word before SHORT_QUOTE characters, with an ellipsis."""
        return shorten(self.quote, SHORT_QUOTE)

    @property
    def sentence(self) -> Sentence:
        return self.anchor.sentence

    # Made when asked, as an article's `blocks` are: only the files of the claim's own article show them (its pages,
    # data and rows of the claims table, kept while it is unchanged), and a build after one edit reads every other
    # claim's view back (at 1,000 articles, 7.24 G instructions with them kept in the view, 7.06 G without).

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """Its sentence, with the quoted words marked."""
        return pieces(self.sentence, ((self.anchor, Mark(self.id, self.verdict)),))

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(Citation.of(e) for e in self.claim.evidence)


@dataclass(frozen=True, slots=True)
class SentenceView:
    sentence: Sentence
    pieces: tuple[Piece, ...]
    claims: tuple[ClaimView, ...]
    marks: tuple[Mark, ...] = ()
    """One per claim, in the same order."""
    flags: tuple[Flag, ...] = ()

    @property
    def verdict(self) -> Verdict | None:
        """The verdict the whole sentence may be tinted with: None when its claims' verdicts differ."""
        return _one_verdict(self.marks)


def _one_verdict(marks: tuple[Mark, ...]) -> Verdict | None:
    verdicts = {m.verdict.id: m.verdict for m in marks}
    return next(iter(verdicts.values())) if len(verdicts) == 1 else None


@dataclass(frozen=True, slots=True)
class BlockView:
    kind: str
    """`heading`, `dateline`, `paragraph`, `item`, or `list` (a run of items)."""
    marker: str = ""
    sentences: tuple[SentenceView, ...] = ()
    children: tuple[BlockView, ...] = ()
    """A list's items; an item's nested list."""
    notes: tuple[tuple[ClaimView, Mark], ...] = ()
    """For top-level blocks: the claims on any sentence inside, shown after the block, with their marks."""
    flags: tuple[Flag, ...] = ()
    """For top-level blocks: the automated checks' findings on any sentence inside."""

    @property
    def ordered(self) -> bool:
        return bool(self.children) and self.children[0].marker[:1].isdigit()

    def views(self) -> list[SentenceView]:
        return [*self.sentences, *(v for child in self.children for v in child.views())]


@dataclass(frozen=True, slots=True)
class Segment:
    """One verdict's share of an article's claims, for the chart."""

    verdict: Verdict
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class ArticleView:
    review: Review
    meta: ArticleMeta
    page: str
    data: str
    """The path of its public data file."""
    capture: str
    """The path of the capture as reviewed."""
    publication: PublicationDate
    reviewers: tuple[Editor, ...]
    """Empty when nobody has reviewed it yet."""
    reviewed: date | None
    assessment: str | None
    """Markdown; None before the article is annotated."""
    takeaway: str | None
    """The conclusion in one sentence, where the editors wrote one."""
    assessment_corrections: tuple[tuple[date, str], ...]
    based_on: tuple[Citation, ...]
    claims: tuple[ClaimView, ...]
    """In reading order."""
    segments: tuple[Segment, ...]
    coverage: tuple[int, int]
    problems: tuple[ClaimView, ...]
    """The most serious problems: claims in the bottom half of the truth scale, worst first."""
    made_from: str | None = None
    """A digest of everything the view was made from besides `Common` (the review's, and its claims' history);
    None when the review has none."""

    @property
    def blocks(self) -> tuple[BlockView, ...]:
        """The article's text as its page shows it, sentence by sentence. Made when asked, not kept in the view:
        it is most of a view's objects, and only the article's page shows it, which is itself kept while the
        article is unchanged; a build after one edit reads every other article's view back (for the pages about
        the whole site) but not this (at 1,000 articles, a build after one edit took 3.3 s instead of 3.9)."""
        return tuple(block_views(self.review, self.claims))

    @property
    def capture_sha256(self) -> str:
        """Of the capture file as published (the bytes a reader downloads)."""
        return hashlib.sha256(self.review.article.text.encode("utf-8")).hexdigest()


CLAIM_REVIEWED_LIMIT = 74
"""schema.org's ClaimReview wants `claimReviewed` under 75 characters (REFERENCE 2)."""


def claim_review(claim: ClaimView, scale: VerdictScale, site: Site) -> dict | None:
    """The claim page's schema.org ClaimReview (REFERENCE 2), saying what the page says; None for verdicts that
    are not ratings of truth (opinion, question, not checkable), which must not pass for one."""
    verdict, meta = claim.verdict, claim.article
    if not verdict.truth or meta is None:
        return None
    rating: dict = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.rating:
        rating |= {"ratingValue": verdict.rating, "bestRating": scale.best_rating, "worstRating": 1}
    appearance: dict = {"@type": "NewsArticle", "headline": meta.title}
    if meta.url:
        appearance["url"] = meta.url
    if meta.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.published:
        appearance["datePublished"] = meta.published.isoformat()
    item: dict = {"@type": "Claim", "appearance": appearance}
    if meta.author or meta.publisher:
        item["author"] = ({"@type": "Person", "name": meta.author} if meta.author
                          else {"@type": "Organization", "name": meta.publisher})
    if meta.published:
        item["datePublished"] = meta.published.isoformat()
    review: dict = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": site.address(page_url(claim.page)),
        "claimReviewed": shorten(claim.quote, CLAIM_REVIEWED_LIMIT),
        "reviewRating": rating,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": site.publisher_name, **({"url": site.url} if site.url else {})},
    }
    if claim.claim.published:
        review["datePublished"] = claim.claim.published.isoformat()
    if modified := claim.claim.last_change():
        review["dateModified"] = modified.isoformat()
    return review


def review_list(article: ArticleView, site: Site) -> dict | None:
    """The article page's structured data: it points to its claims' reviews, and never repeats them."""
    reviews = [{"@type": "ListItem", "position": i + 1, "url": site.address(page_url(c.page))}
               for i, c in enumerate(c for c in article.claims if c.verdict.truth)]
    return {"@context": "https://schema.org", "@type": "ItemList", "name": "Claims reviewed",
            "itemListElement": reviews} if reviews else None


# --- link previews -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Card:
    """What a page's link-preview image shows (outputs/previews.py draws it), decided here like the page itself."""

    page: str
    """The page it previews."""
    text: str
    """A claim's quote, an article's headline, or the site's description."""
    quoted: bool
    """True for a claim's words, drawn in quotation marks."""
    verdict: Verdict | None = None
    """A claim's verdict, drawn with its icon and label."""
    segments: tuple[Segment, ...] = ()
    """An article's verdicts, drawn as its chart."""
    dateline: str = ""
    site: str = ""

    @property
    def alt(self) -> str:
        """The image's text alternative: everything it shows, in reading order."""
        text = f"“{shorten(self.text, SHORT_QUOTE)}”" if self.quoted else shorten(self.text, SHORT_QUOTE)
        said = f"{text}, {self.dateline}" if self.dateline else text
        if self.verdict:
            return f"{self.site} on {said}. Our verdict: {self.verdict.label}."
        if self.segments:
            return f"{self.site} checked {said}: " + ", ".join(f"{s.count} {s.verdict.label.lower()}"
                                                           for s in self.segments) + "."
        return f"{self.site}: {said}"


def dateline(meta: ArticleMeta) -> str:
    """Who published an article and when, in one line: `The Guardian, 2 March 2025`."""
    day = meta.date
    when = ("date unknown" if day.day is None
            else f"about {day.day:%B %Y} (estimated)" if day.estimated else f"{day.day.day} {day.day:%B %Y}")
    return f"{meta.publisher or 'Publisher unknown'}, {when}"


def claim_card(claim: ClaimView, site: Site) -> Card:
    return Card(claim.page, claim.quote, True, verdict=claim.verdict,
                dateline=dateline(claim.article) if claim.article else "", site=site.name)


def article_card(article: ArticleView, site: Site) -> Card:
    return Card(article.page, article.meta.title, False, segments=article.segments, dateline=dateline(article.meta),
                site=site.name)


def site_card(site: Site) -> Card:
    return Card("index.md", site.description or site.name, False, dateline=urlsplit(site.url).hostname or "" if site.url else "",
                site=site.name)


def text_fragment(url: str, words_quoted: str) -> str:
    """The original article's address with a URL text fragment (`#:~:text=`) that scrolls to and highlights the
    quoted words in browsers that support it (the others open the article as usual). A long quote is given by
    its first and last words, which is how the syntax finds a range."""
    words = words_quoted.split()
    wanted = [words] if len(words) <= 8 else [words[:4], words[-4:]]
    return urlsplit(url)._replace(fragment="").geturl() + "#:~:text=" + ",".join(
        quote(" ".join(w), safe="").replace("-", "%2D") for w in wanted)


def snippet_text(claim: ClaimView, site: Site) -> str:
    """The newsletter snippet as plain text: what an e-mail shows where HTML is off."""
    return (f"“{claim.short_quote}”\n{claim.verdict.label} ({claim.verdict.icon}): {claim.claim.summary}\n"
            f"Fact-check by {site.name}: {site.address(page_url(claim.page))}")


DESCRIPTION_LIMIT = 300
"""Link previews show about this much of a page's description."""


def claim_description(claim: ClaimView) -> str:
    """What a link to a claim page says under its title: the verdict, the words rated, where, and why."""
    where = f", {dateline(claim.article)}" if claim.article else ""
    return shorten(f"{claim.verdict.label}: “{claim.short_quote}”{where}. {claim.claim.summary}", DESCRIPTION_LIMIT)


LISTING_SIZE = 100
"""Claims per page of a browsing list: a list of any length is paged, never one enormous page."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a browsing list: the claims with one verdict, from one outlet, or naming one person."""

    kind: str
    """`verdict`, `outlet` or `person`."""
    name: str
    """The verdict's label, the outlet's or the person's name."""
    claims: tuple[ClaimView, ...]
    page: str
    pages: tuple[str, ...]
    """Every page of this list, in order (this one among them)."""
    total: int
    verdict: Verdict | None = None

    @property
    def number(self) -> int:
        return self.pages.index(self.page) + 1

    @property
    def title(self) -> str:
        return {"verdict": "Claims rated {}", "outlet": "Claims in {}", "person": "Claims naming {}"}[self.kind].format(
            self.name.lower() if self.kind == "verdict" else self.name)


def listings(articles: tuple[ArticleView, ...], scale: VerdictScale, offices: tuple[Office, ...]) -> tuple[Listing, ...]:
    """The browsing lists, each paged; newest articles first, and claims in reading order within an article."""
    claims = [c for a in articles for c in a.claims]
    groups: list[tuple[str, str, str, list[ClaimView], Verdict | None]] = []
    for verdict in scale.verdicts:
        rated = [c for c in claims if c.verdict.id == verdict.id]
        groups.append(("verdict", verdict.id, verdict.label, rated, verdict))
    outlets: dict[str, list[ClaimView]] = {}
    for article in articles:
        outlets.setdefault(article.meta.publisher or "Publisher unknown", []).extend(article.claims)
    groups += [("outlet", slugify(name), name, found, None) for name, found in sorted(outlets.items())]
    texts = Texts([c.sentence.text for c in claims])
    for person in sorted({h.name: h for o in offices for h in o.holders}.values(), key=lambda h: h.name):
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in person.names) + r")\b")
        naming = [claims[i] for i in texts.containing(person.names) if pattern.search(texts.texts[i])]
        groups.append(("person", slugify(person.name), person.name, naming, None))
    found, used = [], set()
    for kind, key, name, group, rated_as in groups:
        if not group:
            continue
        while (kind, key) in used:  # two names with one slug ("A.B. News", "AB News")
            key += "-x"
        used.add((kind, key))
        found += [Listing(kind, name, tuple(chunk), path, paths, len(group), rated_as)
                  for chunk, path, paths in _paged(group, kind, key)]
    return tuple(found)


class Texts:
    """Many texts, searched for words all at once: joined into one string, which Python searches at C speed. At
    1,000 articles, the people's lists look for 34 names in 10,000 sentences: searching each sentence for each name,
    making every browsing list took 56 ms; searching the whole for each name, 21."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.joined = "\0".join(texts)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))

    def containing(self, words: tuple[str, ...]) -> list[int]:
        """The indexes of the texts in which any of `words` occurs (as a substring), in order."""
        found = set()
        for word in words:
            at = self.joined.find(word)
            while at >= 0:
                found.add(bisect.bisect_right(self.starts, at) - 1)
                at = self.joined.find(word, at + 1)
        return sorted(found)


def _paged(items, kind: str, key: str) -> list[tuple]:
    """A list cut into pages of LISTING_SIZE: (its items, its path, every page's path), at least one page."""
    chunks = [items[i:i + LISTING_SIZE] for i in range(0, len(items), LISTING_SIZE)] or [items[:0]]
    paths = tuple(listing_page(kind, key, n + 1) for n in range(len(chunks)))
    return [(chunk, path, paths) for chunk, path in zip(chunks, paths, strict=True)]


@dataclass(frozen=True, slots=True)
class ArticleIndex:
    """One page of the list of every article reviewed, newest first."""

    articles: tuple[ArticleView, ...]
    page: str
    pages: tuple[str, ...]
    total: int

    @property
    def number(self) -> int:
        return self.pages.index(self.page) + 1


def article_indexes(articles: tuple[ArticleView, ...]) -> tuple[ArticleIndex, ...]:
    return tuple(ArticleIndex(chunk, path, paths, len(articles)) for chunk, path, paths in _paged(articles, "article", "all"))


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


# --- corrections ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Correction:
    """A dated correction the editors recorded: of a claim's review, or of an article's assessment."""

    day: date
    note: str
    """Markdown."""
    article: ArticleView
    claim: ClaimView | None = None
    """None for a correction of the article's assessment."""
    number: int = 1
    """Its place among its claim's (or assessment's) corrections, oldest first: with the day, a permanent id."""
    change: Change | None = None
    """The change it came with, from the claim's history: how the verdict changed, if it did."""

    @property
    def page(self) -> str:
        return self.claim.page if self.claim else self.article.page

    @property
    def verdict_change(self) -> Change | None:
        """The change it came with, when that change was of the verdict."""
        return self.change if self.change and self.change.was else None


def corrections(articles: tuple[ArticleView, ...]) -> tuple[Correction, ...]:
    """Every correction and every change of verdict on the site, newest first: the editors' notes, each with the
    change git recorded beside it, and the verdict changes that came without a note."""
    found = [Correction(day, note, a, None, i + 1) for a in articles for i, (day, note) in enumerate(a.assessment_corrections)]
    for article in articles:
        for claim in article.claims:
            noted = {c.correction: c for c in claim.history if c.correction}
            notes = claim.claim.corrections
            found += [Correction(day, note, article, claim, i + 1, noted.get(note)) for i, (day, note) in enumerate(notes)]
            found += [Correction(c.day, "", article, claim, len(notes) + i + 1, c) for i, c in
                      enumerate(c for c in claim.history if c.was and not c.correction)]
    return tuple(sorted(found, key=lambda c: (c.day, c.page, c.number), reverse=True))


# --- addresses that were published ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Redirect:
    """A renamed claim's old address: a page that sends readers, and search engines, on to the claim it became."""

    page: str
    """The old address's file under docs/ (a plain HTML page, not a Markdown one)."""
    target: str
    """The claim page it leads to."""
    url: str
    """That page's full address (its canonical address)."""

    @property
    def link(self) -> str:
        """The target's address relative to the old one, which works wherever the site is served."""
        return relative(page_url(self.target), posixpath.dirname(self.page)) + "/"


def redirects(addresses: tuple[Address, ...], site: Site) -> tuple[Redirect, ...]:
    register = {a.id: a for a in addresses}
    return tuple(Redirect(f"claims/{a.id}/index.html", claim_page(target), site.address(page_url(claim_page(target))))
                 for a in addresses if a.moved_to and (target := resolve(register, a.id)))


def withdrawals(addresses: tuple[Address, ...]) -> tuple[Address, ...]:
    """Withdrawn claims: each address keeps a page that says when and why."""
    return tuple(a for a in addresses if a.withdrawn)


@dataclass(frozen=True, slots=True)
class Common:
    """Everything an article's own files (its page, its claims' pages, its data, feed and cards) may show besides
    the article itself. Made from only this and the article, they cannot depend on other articles, so they are made
    again only when one of the two changes (outputs.render keeps them by digest)."""

    layout: Layout
    scale: VerdictScale
    history_limit: str | None = None
    """Why the claims' histories may be incomplete (History.limit)."""
    templates: str = ""
    """A digest of the templates folder."""

    @property
    def site(self) -> Site:
        return self.layout.site_settings

    @property
    def report(self) -> tuple[ReportLink, ...]:
        """How to report an error anywhere on the site."""
        return report_links(self.site, f"Error report: {self.site.name}", "index.md")


LATEST_ON_HOME = 10
"""Articles shown on the home page, newest first: a reader on a phone downloads ten cards, not the archive."""


@dataclass(frozen=True, slots=True)
class SiteView:
    common: Common
    shared: str
    """A digest of `common` (its layout `placeless`): with an article's `made_from`, what the files kept in the memo are
    filed by."""
    articles: tuple[ArticleView, ...]
    """Newest first."""
    editors: tuple[Editor, ...]
    listings: tuple[Listing, ...] = ()
    article_indexes: tuple[ArticleIndex, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    withdrawn: tuple[Address, ...] = ()
    corrections: tuple[Correction, ...] = ()

    @property
    def latest(self) -> tuple[ArticleView, ...]:
        """The articles the home page shows: the newest LATEST_ON_HOME (the article index lists them all)."""
        return self.articles[:LATEST_ON_HOME]

    def lists(self, kind: str) -> list[Listing]:
        """The first page of each browsing list of one kind."""
        return [listing for listing in self.listings if listing.kind == kind and listing.number == 1]

    @property
    def layout(self) -> Layout:
        return self.common.layout

    @property
    def scale(self) -> VerdictScale:
        return self.common.scale

    @property
    def history_limit(self) -> str | None:
        return self.common.history_limit

    @property
    def site(self) -> Site:
        return self.common.site

    @property
    def report(self) -> tuple[ReportLink, ...]:
        return self.common.report


def site_view(project: Project, memo: Memo | None = None) -> SiteView:
    """What the site says. `memo`: the views of articles whose review, claims' history and settings are unchanged."""
    memo, shared = memo or Memo(), digest(project.layout.placeless, project.scale)
    articles = tuple(sorted((_article_view(r, project, shared, memo) for r in project.reviews),
                            reverse=True, key=lambda a: (a.publication.day or date.min, a.meta.slug)))
    layout = project.layout
    common = Common(layout, project.scale, project.history.limit, folder_digest(layout.at(layout.templates)))
    return SiteView(common, digest(dataclasses.replace(common, layout=layout.placeless)), articles, layout.settings.editors,
                    listings(articles, project.scale, project.offices), article_indexes(articles),
                    redirects(project.addresses, layout.site_settings), withdrawals(project.addresses),
                    corrections(articles))


def _article_view(review: Review, project: Project, shared: str, memo: Memo) -> ArticleView:
    if review.made_from is None:
        return article_view(review, project.scale, project.layout, project.history)
    made_from = digest(review.made_from, tuple(project.history.digest_of(a.claim.id) for a in review.anchors))
    return memo.keyed(digest(shared, made_from), article_view, review, project.scale, project.layout, project.history,
                      made_from)


def article_view(review: Review, scale: VerdictScale, layout: Layout, history: History,
                 made_from: str | None = None) -> ArticleView:
    """`made_from`: a digest of the review's inputs and its claims' history, by which its files are kept."""
    meta, editors = review.article.meta, layout.settings
    claims = claim_views(review, scale, history)
    annotations = review.annotations
    return ArticleView(
        review=review, meta=meta, page=article_page(meta.slug), data=data_file(meta.slug),
        capture=capture_file(meta.slug), publication=meta.date,
        reviewers=tuple(e for r in annotations.reviewers if (e := editors.editor(r))) if annotations else (),
        reviewed=annotations.reviewed if annotations else None,
        assessment=annotations.assessment.summary if annotations else None,
        takeaway=annotations.assessment.takeaway if annotations else None,
        assessment_corrections=annotations.assessment.corrections if annotations else (),
        based_on=tuple(Citation.of(e) for e in meta.original_reporting),
        claims=claims, segments=distribution(claims, scale), coverage=review.coverage(),
        problems=serious_problems(claims, scale), made_from=made_from)


def claim_views(review: Review, scale: VerdictScale, history: History) -> tuple[ClaimView, ...]:
    sentences = review.article.sentences
    views = []
    for anchor in review.anchors:
        i = anchor.sentence.index
        views.append(ClaimView(
            claim=anchor.claim, verdict=scale[anchor.claim.verdict], anchor=anchor, page=claim_page(anchor.claim.id),
            flags=tuple(Flag.of(f) for f in review.findings if f.sentence_id == anchor.sentence.id),
            before=sentences[i - 1] if i > 0 else None, after=sentences[i + 1] if i + 1 < len(sentences) else None,
            article=review.article.meta, history=tuple(change(e, scale) for e in history.of(anchor.claim.id))))
    return tuple(views)


def pieces(sentence: Sentence, marked: tuple[tuple[Anchor, Mark], ...],
           dates: tuple[ResolvedDate, ...] = ()) -> tuple[Piece, ...]:
    """The sentence cut where quoted words and date expressions start and end; each piece knows whose quotes
    cover it and whose end with it."""
    inside = [d for d in dates if sentence.start <= d.start and d.end <= sentence.end]
    cuts = sorted({sentence.start, sentence.end, *(p for a, _ in marked for p in (a.start, a.end)),
                   *(d.end for d in inside)})
    found = []
    for lo, hi in itertools.pairwise(cuts):
        found.append(Piece(
            sentence.text[lo - sentence.start:hi - sentence.start],
            marks=tuple(m for a, m in marked if a.start <= lo and hi <= a.end),
            ends=tuple(m for a, m in marked if a.end == hi),
            resolved=next((d.label for d in inside if d.end == hi), None)))
    return tuple(found)


def sentence_views(review: Review, claims: tuple[ClaimView, ...]) -> list[tuple[int, SentenceView]]:
    by_sentence: dict[str, list[ClaimView]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.sentence.id, []).append(claim)
    views = []
    for sentence in review.article.sentences:
        on_it = tuple(by_sentence.get(sentence.id, ()))
        flags = tuple(Flag.of(f) for f in review.findings if f.sentence_id == sentence.id)
        marks = tuple(Mark(c.id, c.verdict, i + 1 if len(on_it) > 1 else None) for i, c in enumerate(on_it))
        cut = pieces(sentence, tuple(zip((c.anchor for c in on_it), marks, strict=True)), review.dates)
        views.append((sentence.block, SentenceView(sentence, cut, on_it, marks, flags)))
    return views


def block_views(review: Review, claims: tuple[ClaimView, ...]) -> list[BlockView]:
    """Top-level blocks in reading order: runs of list items become nested lists; each carries its notes."""
    by_block: dict[int, list[SentenceView]] = {}
    for block_index, view in sentence_views(review, claims):
        by_block.setdefault(block_index, []).append(view)
    flat = [(b, tuple(by_block.get(i, ()))) for i, b in enumerate(review.article.blocks)]
    return [BlockView(v.kind, v.marker, v.sentences, v.children,
                      tuple(n for s in v.views() for n in zip(s.claims, s.marks, strict=True)),
                      tuple(f for s in v.views() for f in s.flags))
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


def serious_problems(claims: tuple[ClaimView, ...], scale: VerdictScale) -> tuple[ClaimView, ...]:
    """Claims rated in the bottom half of the truth scale, worst first, then in reading order."""
    threshold = scale.best_rating // 2
    rated = [c for c in claims if c.verdict.rating and c.verdict.rating <= threshold]
    return tuple(sorted(rated, key=lambda c: (c.verdict.rating or 0, c.sentence.index)))


def distribution(claims: tuple[ClaimView, ...], scale: VerdictScale) -> tuple[Segment, ...]:
    counts = Counter(c.verdict.id for c in claims)
    total = sum(counts.values()) or 1
    segments, x = [], 0.0
    for verdict in scale.verdicts:
        if counts[verdict.id]:
            width = 100.0 * counts[verdict.id] / total
            segments.append(Segment(verdict, counts[verdict.id], round(x, 3), round(width, 3)))
            x += width
    return tuple(segments)
