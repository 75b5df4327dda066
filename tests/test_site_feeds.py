"""Atom feeds and the corrections page: read by feedparser (a feed reader's parser, not ours), linked from every
page's head, and saying what the claim pages and their data say."""
from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape
from pathlib import Path

import feedparser
from hypothesis import given
from hypothesis import strategies as st

from generator.build import gather
from generator.model import Claim, Origin
from generator.outputs.feeds import LATEST

from .conftest import texts
from .helpers import CLAIM, annotation, mini_project
from .sitecheck import SITE_URL, published


def read(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
    return feed


def site_data(site):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "data").glob("*.json"))]


def test_the_site_feed_holds_the_latest_reviews_each_linking_its_claim_page(built_project):
    site = built_project / "site"
    feed = read(site / "feed.xml")
    claims = {SITE_URL + c["url"]: c for data in site_data(site) for c in data["claims"]}
    assert len(feed.entries) == min(LATEST, len(claims)) == 50
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True), "newest first"
    for entry in feed.entries:
        claim = claims[entry.link]
        assert entry.id == entry.link and published(site, entry.link + "index.html").is_file()
        assert entry.published[:10] == claim["published"]
        assert entry.updated[:10] == max(d for d in (claim["published"], claim["updated"],
                                                        *(c["date"] for c in claim["corrections"])) if d)
        assert claim["summary"] in entry.title
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_each_article_has_a_feed_of_all_its_checks_linked_from_its_page(built_project):
    site = built_project / "site"
    for data in site_data(site):
        feed = read(site / "feeds" / "articles" / f"{data['slug']}.xml")
        assert sorted(e.link for e in feed.entries) == sorted(SITE_URL + c["url"] for c in data["claims"])
        page = (site / data["page"] / "index.html").read_text(encoding="utf-8")
        assert f'href="../../feeds/articles/{data["slug"]}.xml"' in page


def test_every_correction_is_on_the_corrections_page_and_in_its_feed_newest_first(built_project):
    site = built_project / "site"
    expected = sorted(((c["date"], SITE_URL + claim["url"]) for data in site_data(site) for claim in data["claims"]
                       for c in claim["corrections"]), reverse=True)
    expected += [(c["date"], SITE_URL + data["page"]) for data in site_data(site) for c in data["assessment_corrections"]]
    expected.sort(key=lambda item: item[0], reverse=True)
    feed = read(site / "corrections.xml")
    assert sorted((e.updated[:10], e.link) for e in feed.entries) == sorted(expected) and len(expected) == 44
    assert [e.updated[:10] for e in feed.entries] == sorted((e.updated[:10] for e in feed.entries), reverse=True)
    page = (site / "corrections" / "index.html").read_text(encoding="utf-8")
    days = [datetime.strptime(d, "%d %B %Y").date() for d in re.findall(r'<h2 id="[^"]*">(\d{1,2} \w+ \d{4})', page)]
    assert days == sorted(days, reverse=True) and len(days) == len({d for d, _ in expected})
    assert len(re.findall(r"<li>", page.split("<h2", 1)[1])) == len(expected)
    for note in (e.content[0].value for e in feed.entries):
        assert unescape(re.sub(r"<[^>]+>", "", note)).strip()[:40] in unescape(re.sub(r"<[^>]+>", "", page))


def test_every_page_links_the_site_feeds_in_its_head(built_project):
    site = built_project / "site"
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "claim-statement" not in html and 'http-equiv="refresh"' in html:
            continue  # a moved claim's address: it sends readers on
        head = html.split("</head>")[0]
        for feed in ("feed.xml", "corrections.xml"):
            [href] = re.findall(rf'<link rel="alternate" type="application/atom\+xml" href="([^"]*{feed})"', head)
            target = site / href.lstrip("/") if href.startswith("/") else page.parent / href  # 404: from the root
            assert target.resolve() == (site / feed).resolve(), (page, href)


def test_notes_reach_feeds_as_html_without_the_editors_raw_html(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "note: Gen. Dan Caine chaired the meeting.", 'note: "<script>alert(1)</script> **bold**"')))
    project, problems = gather(root)
    assert not problems
    feed = feedparser.parse(texts(project)["feed.xml"])
    assert not feed.bozo
    [entry] = feed.entries
    assert "<strong>bold</strong>" in entry.content[0].value and "<script" not in entry.content[0].value
    assert "&lt;script&gt;" in entry.content[0].value, "the editor's markup is shown as text"


@given(st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()), st.lists(st.dates(), max_size=3))
def test_a_claims_last_change_is_the_latest_of_its_published_updated_and_correction_days(published, updated, fixes):
    """What dates it in the feeds: the latest day it was published, updated or corrected; None before any."""
    origin = Origin(Path("annotations/a.yaml"))
    claim = Claim("c", "a", "q", None, "accurate", "s", "n", (), published, updated, origin, origin, origin,
                  tuple((day, "fixed") for day in fixes))
    days = [day for day in (published, updated, *fixes) if day is not None]
    assert claim.last_change() == (max(days) if days else None)
