"""The records that flow through the pipeline.

Every record that a user wrote keeps where it came from (an `Origin`), so any
later stage can point back at the exact line of the file to blame.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layout import Layout


@dataclass(frozen=True, slots=True)
class Origin:
    """A place in a user's file: 1-based line and column."""

    path: Path
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Verdict:
    """One step of the verdict scale (verdicts.yaml)."""

    id: str
    """The name editors write in annotations, e.g. `inaccurate`."""
    label: str
    """What readers see, e.g. `Inaccurate`."""
    icon: str
    """A one-character symbol shown beside the label (never colour alone)."""
    colour: str
    """CSS colour of the mark; the text label carries the meaning too."""
    definition: str
    """One sentence, shown in the legend and on the methodology page."""
    truth: bool
    """True for a rating of truth; False for opinion, question and the like."""
    rating: int | None
    """Position on the truth scale (1 = worst); None for non-truth verdicts."""
    needs_evidence: bool
    """Whether a claim with this verdict must cite at least one source."""
    origin: Origin
    """Its entry in verdicts.yaml."""


@dataclass(frozen=True, slots=True)
class VerdictScale:
    verdicts: tuple[Verdict, ...]

    def get(self, verdict_id: str) -> Verdict | None:
        for verdict in self.verdicts:  # a loop, not next() over a generator: 0.5 -> 0.15 us, 40,000 calls a build
            if verdict.id == verdict_id:
                return verdict
        return None

    def __getitem__(self, verdict_id: str) -> Verdict:
        verdict = self.get(verdict_id)
        if verdict is None:
            raise KeyError(verdict_id)  # the check stage reports unknown verdicts before anything reads them
        return verdict

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.verdicts)

    @property
    def best_rating(self) -> int:
        """The top of the truth scale (the rating of the most favourable verdict); 0 for a scale without ratings."""
        return max((v.rating for v in self.verdicts if v.rating), default=0)

    @property
    def best(self) -> Verdict | None:
        """The verdict at the top of the truth scale (`accurate` in ours)."""
        return next((v for v in self.verdicts if v.rating and v.rating == self.best_rating), None)

    @property
    def worst(self) -> Verdict | None:
        """The verdict at the bottom of the truth scale (`inaccurate` in ours)."""
        rated = [v for v in self.verdicts if v.rating]
        return min(rated, key=lambda v: v.rating or 0) if rated else None


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    """A rule in an article's metadata saying which capture lines are not article text."""

    kind: str
    """`line` (the whole line), `line_starting` (a line beginning so), `from_line` (that line and all after)."""
    text: str
    origin: Origin
    occurrence: int | None = None
    """Only the n-th matching line (1 = first); None for every matching line."""


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """The day an article is judged by: its publication date, or else a labelled estimate."""

    day: date | None
    estimated: bool
    """True when `day` is our estimate, which every page and finding says."""


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about a captured article; None where unknown, never guessed."""

    slug: str
    title: str
    publisher: str | None
    url: str | None
    author: str | None
    published: date | None
    """None when the publication date is unknown."""
    published_estimate: date | None
    """A reasoned estimate when `published` is unknown (labelled as such wherever it is used)."""
    published_basis: str | None
    """The evidence for the estimate."""
    captured: date | None
    language: str
    capture_sha256: str
    furniture: tuple[FurnitureRule, ...]
    meta_path: Path
    capture_path: Path
    original_reporting: tuple[Evidence, ...] = ()
    """The reports the article rests on."""
    origins: Mapping[str, Origin] = field(default_factory=dict)
    """Where each field stands in meta.yaml."""
    archived_url: str | None = None
    """An archived copy of the original, where one is known."""
    made_from: str | None = None
    """A digest of the source folder's files (memo.digest), which stands for the metadata and the capture in the
    key of the article's review; None when they were read without the memo."""

    def origin(self, name: str) -> Origin:
        """The line of a field in meta.yaml (the file's start if the field is not written)."""
        return self.origins.get(name, Origin(self.meta_path))

    @property
    def date(self) -> PublicationDate:
        """The one place that decides which day the article is judged by."""
        if self.published:
            return PublicationDate(self.published, False)
        return PublicationDate(self.published_estimate, self.published_estimate is not None)


@dataclass(frozen=True, slots=True)
class Holder:
    """Someone who held an office, with the dates the sources give (None where they give none)."""

    name: str
    names: tuple[str, ...]
    """Every way of naming the person, `name` first."""
    start: date | None
    end: date | None
    """The day the term ended: the holder holds the office on days start <= d < end."""
    sources: tuple[Evidence, ...]
    origin: Origin
    """Its entry in knowledge/offices.yaml."""

    def held_on(self, day: date) -> bool | None:
        """True or False when the sources decide it, None when a missing date leaves it open."""
        if (self.start and day < self.start) or (self.end and day >= self.end):
            return False
        return True if self.start else None  # no end yet: still in office as far as the sources go


@dataclass(frozen=True, slots=True)
class Office:
    id: str
    title: str
    called: tuple[str, ...]
    ambiguous: tuple[str, ...]
    administration: bool
    holders: tuple[Holder, ...]

    def holder_on(self, day: date) -> Holder | None:
        return next((h for h in self.holders if h.held_on(day)), None)


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date expression in the text and the day it means, shown beside it on the article page."""

    start: int
    end: int
    day: date
    label: str
    """How the day is shown, e.g. `19 Aug 2025`."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem the automated checks found in a sentence: a warning for editors, not a verdict."""

    sentence_id: str
    check: str
    """`dates` or `offices`."""
    kind: str
    """What was found, e.g. `weekday-mismatch`, `office-holder`, `near-name`."""
    message: str
    suggestion: str | None
    start: int
    end: int
    sources: tuple[Evidence, ...] = ()
    """The knowledge-base sources behind the finding."""


@dataclass(frozen=True, slots=True)
class Block:
    """A run of article text told apart by line structure: a heading, a paragraph or a list item."""

    kind: str
    """`heading`, `dateline`, `paragraph` or `item`."""
    start: int
    end: int
    marker: str = ""
    """For list items: the bullet or number as captured (`•`, `1.`)."""
    indent: int = 0
    """For list items: leading spaces in the capture, which give the nesting."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article body, with character offsets into the decoded capture."""

    id: str
    """Stable id derived from the text, e.g. `s-3f2a9c1b`; also the page anchor."""
    index: int
    """Position in the article, from 0."""
    block: int
    """Index of the block it belongs to."""
    start: int
    end: int
    text: str
    """Exactly `capture[start:end]`."""
    kind: str
    """The kind of its block."""


@dataclass(frozen=True, slots=True)
class Article:
    meta: ArticleMeta
    text: str
    """The capture decoded as UTF-8, byte for byte as captured."""
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    furniture: tuple[tuple[int, int], ...]
    """Character spans of the capture that are page furniture, not article text."""

    def origin_at(self, offset: int) -> Origin:
        """The line and column of a character offset in the capture."""
        line = self.text.count("\n", 0, offset) + 1
        return Origin(self.meta.capture_path, line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)


@dataclass(frozen=True, slots=True)
class Evidence:
    url: str
    title: str
    publisher: str
    accessed: date
    published: date | None
    origin: Origin
    excerpt: str | None = None
    """The source's own words that support the note, quoted exactly."""

    @property
    def headline_known(self) -> bool:
        """False when our stored copy had no headline: the title is then a bracketed note, "(headline not ...)"."""
        return not self.title.startswith("(")


@dataclass(frozen=True, slots=True)
class Claim:
    """One annotation entry: a quoted sentence (or fragment) with the editors' verdict."""

    id: str
    """Hand-chosen, permanent: the claim page lives at claims/<id>/."""
    article_slug: str
    quote: str
    occurrence: int | None
    """Which match of the quote to use when it matches several places (1 = first); None: it must match once."""
    verdict: str
    """An id from the scale, or `unreviewed` for a stub (which has no summary, note or page)."""
    summary: str | None
    note: str | None
    """Markdown."""
    evidence: tuple[Evidence, ...]
    published: date | None
    updated: date | None
    origin: Origin
    quote_origin: Origin
    verdict_origin: Origin
    corrections: tuple[tuple[date, str], ...] = ()
    """(date, what changed and why), oldest first."""
    searched: str | None = None
    """For an unverifiable claim: what we searched, and where."""

    def changes(self) -> tuple[date, ...]:
        """The days its review was published, updated or corrected."""
        return tuple(d for d in (self.published, self.updated, *(c for c, _ in self.corrections)) if d is not None)

    def last_change(self) -> date | None:
        """The latest of those days: when the review was last modified; None before it is published. (Without
        changes(): asked of every claim by every build, for the site's feed: 1.9 -> 0.1 to 0.15 us.)"""
        latest = self.published
        if self.updated is not None and (latest is None or self.updated > latest):
            latest = self.updated
        for day, _ in self.corrections:
            if latest is None or day > latest:
                latest = day
        return latest


@dataclass(frozen=True, slots=True)
class Assessment:
    summary: str
    """Markdown: the overall assessment for readers."""
    takeaway: str | None = None
    """The conclusion in one plain sentence: first on the article page, and on the home page's card."""
    corrections: tuple[tuple[date, str], ...] = ()
    """(date, what changed and why), oldest first."""


@dataclass(frozen=True, slots=True)
class AnnotationFile:
    path: Path
    article_slug: str
    article_origin: Origin
    capture_sha256: str
    capture_sha256_origin: Origin
    reviewers: tuple[str, ...]
    """Editor ids from factcheck.yaml."""
    reviewers_origin: Origin
    assessment: Assessment
    claims: tuple[Claim, ...]
    reviewed: date | None = None
    modeline: bool = True
    """Whether the first line names the JSON Schema (editors' completion and hover help)."""
    made_from: str | None = None
    """A digest of the file's bytes and the code that read them (memo.digest): stands for it in other digests."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a claim's quote sits: one sentence, and the quote's span inside the capture."""

    claim: Claim
    sentence: Sentence
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Review:
    """An article with its annotations placed: everything the pages need to say about it."""

    article: Article
    annotations: AnnotationFile | None
    """None when the article has no annotation file, or one that could not be read (`unreadable`)."""
    anchors: tuple[Anchor, ...]
    """The published claims, in the order their sentences appear in the article."""
    pending: tuple[Anchor, ...] = ()
    """Stubs marked unreviewed: placed (so their quotes are checked) but not published."""
    findings: tuple[Finding, ...] = ()
    """What the automated checks flagged, in reading order."""
    dates: tuple[ResolvedDate, ...] = ()
    unreadable: bool = False
    """The annotation file exists but could not be read: what follows from that alone is not reported."""
    made_from: str | None = None
    """A digest of everything the review was made from (memo.digest), by which its article's files are kept
    between runs; None when git was read too (a drifted annotation file), whose history no digest covers."""

    def unreviewed(self) -> list[Sentence]:
        """The sentences no published claim covers, in reading order."""
        covered = {a.sentence.id for a in self.anchors}
        return [s for s in self.article.sentences if s.id not in covered]

    def coverage(self) -> tuple[int, int]:
        """(sentences with at least one published claim, all sentences)."""
        total = len(self.article.sentences)
        return total - len(self.unreviewed()), total

    def anchors_by_sentence(self) -> dict[str, list[Anchor]]:
        by_sentence: dict[str, list[Anchor]] = {}
        for anchor in self.anchors:
            by_sentence.setdefault(anchor.sentence.id, []).append(anchor)
        return by_sentence


@dataclass(frozen=True, slots=True)
class Event:
    """One commit's change to a claim's review, as readers saw it, from the annotations' git history."""

    day: date
    what: tuple[str, ...]
    """(`published`,), or what changed among `verdict`, `summary`, `note`, `evidence`; (`correction`,) when only a
    correction note was added."""
    verdict: str | None = None
    """The verdict id it was given (published) or changed to."""
    was: str | None = None
    """The verdict id it had before, when the verdict changed."""
    correction: str | None = None
    """The `corrections:` note the editors added with this change, if any."""
    minor: bool = False
    """Only wording fixes (a summary or note changed by a few characters): kept on record, but quiet."""


@dataclass(frozen=True, slots=True)
class History:
    """What git says of every claim: its events, oldest first, and what could not be known."""

    events: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    limit: str | None = None
    """Why the history may be incomplete (not a git repository, a shallow clone); None when it is whole."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """A digest of each claim's events (memo.digest; `history.history_at` makes both), which stands for them in
    the key of the view that shows them: a string is quicker to digest than the events (1,000 views a build)."""

    def of(self, claim_id: str) -> tuple[Event, ...]:
        return self.events.get(claim_id, ())

    def digest_of(self, claim_id: str) -> str:
        return self.digests.get(claim_id, "")


@dataclass(frozen=True, slots=True)
class Address:
    """A claim address the site has published (published.yaml): it must keep answering, as the claim's page,
    as a redirect to the claim it became, or as a page that says the claim was withdrawn."""

    id: str
    """The claim id, as published: claims/<id>/."""
    origin: Origin
    recorded: date | None = None
    """When the build first recorded it."""
    moved_to: str | None = None
    """The id the claim has now, when it was renamed."""
    withdrawn: date | None = None
    reason: str | None = None
    """Why it was withdrawn (Markdown), shown on the page left at its address."""


def resolve(register: Mapping[str, Address], claim_id: str) -> str:
    """The id an old address leads to now, following renames (a cycle leads nowhere: '')."""
    seen = set()
    while claim_id in register and (moved_to := register[claim_id].moved_to):
        if claim_id in seen:
            return ""
        seen.add(claim_id)
        claim_id = moved_to
    return claim_id



@dataclass(frozen=True, slots=True)
class Project:
    """Everything gathered and checked; nothing written yet."""

    layout: Layout
    scale: VerdictScale
    reviews: tuple[Review, ...] = ()
    offices: tuple[Office, ...] = ()
    annotation_files: tuple[AnnotationFile, ...] = ()
    """Every annotation file that could be read, including any whose article does not exist."""
    unread: frozenset[Path] = frozenset()
    """Input files that could not be read (`Problems.unread`): their errors are reported already."""
    addresses: tuple[Address, ...] = ()
    """Every claim address published so far (published.yaml)."""
    history: History = field(default_factory=History)
    """What git says of each claim's changes."""
    stale_schemas: tuple[str, ...] = ()
    """The published JSON Schemas (under schema/) that do not say what the validator and the verdict scale say."""

    def unrecorded(self) -> tuple[Claim, ...]:
        """Claims with a page whose address published.yaml does not hold yet: the build records them."""
        known = {a.id for a in self.addresses}
        return tuple(c for f in self.annotation_files for c in f.claims if c.id not in known and c.verdict != "unreviewed")

    def last_change(self) -> date | None:
        """The latest date the content gives: a review published, updated or corrected, a capture taken.
        The site's date (sitemap, feeds) is this, never the clock, so that the same inputs give the same site."""
        days = [d for f in self.annotation_files for d in (*(c for c, _ in f.assessment.corrections), *(
            day for claim in f.claims for day in claim.changes()))]
        days += [r.article.meta.captured for r in self.reviews if r.article.meta.captured]
        return max(days, default=None)
