"""Atom feeds (RFC 4287): new and updated claim reviews for the whole site (feed.xml, the latest LATEST) and for
each article (feeds/articles/<slug>.xml, all of its claims), and every correction (corrections.xml).

Entries are dated by the content (a review's published, updated and correction days), never by the clock, so the
same inputs give the same feeds. Notes are rendered with markdown-it, raw HTML off, and carried as escaped HTML."""
from __future__ import annotations

import heapq
import html
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date

from ..layout import Site
from ..views import (
    CORRECTIONS_FEED,
    SITE_FEED,
    ArticleView,
    ClaimView,
    Common,
    Correction,
    SiteView,
    article_feed,
    page_url,
    shorten,
)
from ..write import Keeping
from .pages import markdown_html

OWNS = (SITE_FEED, CORRECTIONS_FEED, "feeds/")
LATEST = 50
"""Entries in the site's feed: readers poll it, so it stays small however large the archive grows."""
ATOM = "http://www.w3.org/2005/Atom"


def render(site: SiteView, keeping: Keeping) -> dict[str, bytes]:
    latest = _newest_first((c for a in site.articles for c in a.claims), LATEST)
    files = {
        SITE_FEED: _feed(site.site, SITE_FEED, f"{site.site.name}: new and updated fact-checks",
                         [_review(c, site.site) for c in latest]),
        CORRECTIONS_FEED: _feed(site.site, CORRECTIONS_FEED, f"{site.site.name}: corrections",
                                [_correction(c, site.site) for c in site.corrections]),
    }
    return files


def article(common: Common, article: ArticleView) -> dict[str, bytes]:
    """The feed of one article's reviews."""
    site, path = common.site, article_feed(article.meta.slug)
    return {path: _feed(site, path, f"{site.name}: fact-checks of “{article.meta.title}”",
                        [_review(c, site) for c in _newest_first(article.claims)], about=article)}


def _newest_first(claims: Iterable[ClaimView], limit: int | None = None) -> list[ClaimView]:
    """Published claims, the last modified first; the first `limit` of them (all when None)."""
    dated = [(day, c.id, c) for c in claims if (day := c.claim.last_change())]
    newest = heapq.nlargest(limit, dated) if limit is not None else sorted(dated, reverse=True)
    return [c for _, _, c in newest]


def _updated(claim: ClaimView) -> date:
    day = claim.claim.last_change()
    assert day is not None, "only published claims reach a feed"
    return day


def _review(claim: ClaimView, site: Site) -> ET.Element:
    entry = _entry(site.address(page_url(claim.page)), f"{claim.verdict.label}: {claim.claim.summary}",
                   _updated(claim), site.address(page_url(claim.page)), claim.claim.published)
    ET.SubElement(entry, "summary").text = f"{claim.verdict.label}: “{shorten(claim.quote, 200)}”"
    body = f"<p><strong>{claim.verdict.icon} {claim.verdict.label}</strong>: {_text(claim.claim.summary or '')}</p>"
    ET.SubElement(entry, "content", type="html").text = body + _html(claim.claim.note or "")
    return entry


def _correction(correction: Correction, site: Site) -> ET.Element:
    address = site.address(page_url(correction.page))
    subject = (f"claim “{shorten(correction.claim.quote, 80)}”" if correction.claim
               else f"our assessment of “{correction.article.meta.title}”")
    changed = correction.verdict_change
    kind = "Verdict change" if changed and not correction.note else "Correction"
    entry = _entry(f"{address}#correction-{correction.day.isoformat()}-{correction.number}",
                   f"{kind}: {subject}", correction.day, address)
    says = f"<p><strong>{_text(changed.says)}</strong></p>" if changed else ""
    ET.SubElement(entry, "content", type="html").text = says + _html(correction.note)
    return entry


def _entry(identity: str, title: str, updated: date, link: str, published: date | None = None) -> ET.Element:
    entry = ET.Element("entry")
    ET.SubElement(entry, "id").text = identity
    ET.SubElement(entry, "title").text = title
    ET.SubElement(entry, "updated").text = _instant(updated)
    if published:
        ET.SubElement(entry, "published").text = _instant(published)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=link)
    return entry


def _feed(site: Site, path: str, title: str, entries: list[ET.Element], about: ArticleView | None = None) -> bytes:
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "id").text = site.address(path)
    ET.SubElement(feed, "title").text = title
    days = [e.findtext("updated") or "" for e in entries]
    ET.SubElement(feed, "updated").text = max(days, default=_instant(date(1970, 1, 1)))  # no entry: nothing new
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=site.address(path))
    page = about.page if about else "index.md"
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=site.address(page_url(page)))
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = site.publisher_name
    ET.SubElement(author, "uri").text = site.address("")
    feed.extend(entries)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _instant(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _html(markdown: str) -> str:
    """An editor's Markdown as HTML (raw HTML off), as a plain string for ElementTree to escape once."""
    return str(markdown_html(markdown))


def _text(text: str) -> str:
    """Plain text inside the HTML of an entry's content."""
    return html.escape(text, quote=False)
