"""Search at any size (issue 13): Pagefind's index, split into fragments, on a search page of our own, offline.

Material's search plugin made every page view download the whole index (433 KB for five articles, tens of
megabytes at a thousand). Pagefind indexes the built site (`write.build_site`), and a query loads only the
fragments it needs. These tests search the built five-article site in Chromium, with every request that would leave
127.0.0.1 refused.
"""
from __future__ import annotations

import json
import re

import pytest
import yaml

from generator.search_index import FOLDER, PARTS, plan
from generator.search_index import pages as pages_of
from generator.write import build_site

from .browsing import search, served
from .conftest import REPO
from .test_site_share import watched

pytestmark = pytest.mark.browser
BEFORE = json.loads((REPO / "tests" / "fixtures" / "search-material.json").read_text(encoding="utf-8"))
QUERY_BYTES = 300_000
"""What one search may download (issue 13): the search program and the index fragments of its first results."""


@pytest.fixture(scope="module")
def base_url(built_project):
    with served(built_project / "site") as url:
        yield url


def words(text: str, count: int) -> list[str]:
    """The `count` longest words of `text`, in order: distinctive words, as a reader remembers them."""
    found = re.findall(r"[A-Za-z]{5,}", text)
    longest = sorted(set(found), key=lambda w: (-len(w), w))[:count]
    return [w for w in dict.fromkeys(found) if w in longest]


def test_a_reader_finds_a_claim_by_words_of_its_quote_and_of_our_note(browser, built_project, base_url):
    claims = yaml.safe_load((built_project / "annotations" / "europe-advocates-security-promises.yaml").read_text("utf-8"))
    claim = next(c for c in claims["claims"] if c["id"] == "kellogg-just-noise")
    query = " ".join(words(claim["quote"], 2) + words(claim["note"], 1))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page, errors, away = watched(context, base_url)
    page.goto(f"{base_url}search/")
    page.get_by_label("Words of a claim, a verdict, a note or a name").fill(query)
    result = page.locator(f"#search-results a[href$='claims/{claim['id']}/']")
    result.wait_for()
    assert f"for: {query}" in page.inner_text("#search-status")
    assert page.url == f"{base_url}search/?q={query.replace(' ', '+')}", "the address follows the query"
    result.click()
    page.wait_for_url(f"{base_url}claims/{claim['id']}/")
    page.go_back()
    page.locator("#search-results a").first.wait_for()
    assert page.input_value("#search-query") == query, "back from a result, the search is still there"
    assert errors == [] and away == []
    context.close()


def test_pagefind_finds_every_page_materials_search_found(browser, base_url):
    for query, before in BEFORE["queries"].items():
        pages, _ = search(browser, base_url, query)
        assert [p for p in before if p not in pages] == [], query
        assert len(pages) == len(set(pages)), "one result per page"


def test_one_search_downloads_only_what_it_needs(browser, base_url, built_project):
    index = sum(p.stat().st_size for p in (built_project / "site" / "pagefind").rglob("*") if p.is_file())
    _, fetched = search(browser, base_url, "Hegseth")
    assert 0 < fetched <= QUERY_BYTES, fetched
    assert fetched < index / 4, "a query loads fragments, not the whole index"



def test_an_index_in_parts_finds_what_one_index_finds(browser, base_url, built_project, tmp_path_factory):
    """A big site's index is made in parts, to bound the memory Pagefind needs (search_index.py); the search page
    merges them, and finds every page one index finds, each once."""
    site = tmp_path_factory.mktemp("parts") / "site"
    build_site(built_project, site, search_parts=3)
    parts = json.loads((site / FOLDER / PARTS).read_text(encoding="utf-8"))
    assert parts == ["parts/1/", "parts/2/"]
    assert json.loads((built_project / "site" / FOLDER / PARTS).read_text(encoding="utf-8")) == [], "one part"
    found: set[str] = set()
    with served(site) as in_parts:
        for query in [*BEFORE["queries"], "Budapest", "guarantees"]:  # words the site has (search_index.py)
            whole, _ = search(browser, base_url, query)
            pages, _ = search(browser, in_parts, query)
            assert sorted(pages) == sorted(whole) and len(pages) == len(set(pages)), query
            found.update(pages)
    shares = plan(pages_of(site), 3)
    for share in shares:  # each part's pages were found: every part was searched
        assert found & {page.removesuffix("index.html") for page in share}


def test_the_parts_share_the_pages_evenly_and_the_same_way_every_time():
    sizes = {f"claims/{i}/index.html": 1000 + i % 7 * 300 for i in range(300)} | {"browse/a/index.html": 90_000}
    shares = plan(sizes, 4)
    assert shares == plan(dict(reversed(sizes.items())), 4), "the same parts"
    assert sorted(p for share in shares for p in share) == sorted(sizes), "every page once"
    loads = [sum(sizes[p] for p in share) for share in shares]
    assert max(loads) - min(loads) <= 2_200, loads
    assert plan(sizes, 1) == [sorted(sizes)]


def test_a_page_view_downloads_no_index_and_no_list_of_the_archive(browser, base_url):
    """What grows with the archive is fetched only by a search: not by viewing a page (Material's search plugin sent
    its whole index; its language switcher fetches sitemap.xml for every rel=alternate link, so ours are in
    <noscript>)."""
    context = browser.new_context()
    page, errors, away = watched(context, base_url)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.removeprefix(base_url)))
    for path in ("", "claims/kane-is-dan-caine/", "articles/us-minimal-role-in-ukraine-guarantees/", "search/"):
        page.goto(base_url + path, wait_until="networkidle")
    grows = [url for url in fetched if "sitemap" in url or "search_index" in url
             or url.startswith(("pagefind/index/", "pagefind/fragment/"))]
    assert grows == [] and errors == [] and away == []
    context.close()
