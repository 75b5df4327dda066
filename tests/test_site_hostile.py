"""Hostile content is inert: markup, script, event attributes, unsafe links, Markdown and template syntax in
every field a user writes (tests/fixtures/hostile) reach readers as the text they are, and nothing runs.

The fixture's payloads all set `window.__pwned`; a real browser loads every built page and proves it stays unset.
"""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .browsing import served
from .conftest import REPO, copy_project, run_generator

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile"), with_content=False)
    for path in HOSTILE.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(HOSTILE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


class _Markup(HTMLParser):
    """What in a page could run or lead somewhere unsafe."""

    def __init__(self):
        super().__init__()
        self.handlers: list[str] = []
        self.unsafe_links: list[str] = []
        self.scripts: list[str] = []
        self.data: list[str] = []
        """Structured data (JSON-LD): never run, but it must stay one JSON document."""
        self._in_script = self._in_data = False

    def handle_starttag(self, tag, attrs):
        self._in_data = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        self._in_script = tag == "script" and not self._in_data
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and \
                    value.strip().lower().startswith(UNSAFE_SCHEMES):
                self.unsafe_links.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = self._in_data = False

    def handle_data(self, data):
        if self._in_script and "__pwned" in data:
            self.scripts.append(data)
        if self._in_data:
            self.data.append(data)


def test_no_page_carries_a_handler_an_unsafe_link_or_a_payload_script(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        found = _Markup()
        found.feed(page.read_text(encoding="utf-8"))
        assert (found.handlers, found.unsafe_links, found.scripts) == ([], [], []), page
        for data in found.data:  # a payload in a quote stays a string inside the JSON, and cannot end the script
            assert "<" not in data and isinstance(json.loads(data), dict), page


def test_template_syntax_is_never_evaluated(hostile_site):
    article = (hostile_site / "articles" / "hostile" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]*>", " ", re.sub(r"<svg.*?</svg>", "", article, flags=re.S))  # what a reader reads
    assert "49" not in text.replace("#49", "")  # {{ 7*7 }} stays as written
    claim = (hostile_site / "claims" / "img-in-sentence" / "index.html").read_text(encoding="utf-8")
    assert "{% for x in range(3) %}{{ x }}{% endfor %}" in claim and "012" not in claim


@pytest.mark.browser
def test_nothing_runs_in_a_browser_and_every_payload_reads_as_text(browser, hostile_site):
    with served(hostile_site) as base:
        for html in sorted(hostile_site.rglob("index.html")):
            if html.parent.name == "404":
                continue
            path = html.parent.relative_to(hostile_site).as_posix()
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.goto(base + ("" if path == "." else f"{path}/"), wait_until="load")
            for element in page.query_selector_all("article *, header *"):  # hover what a reader could
                element.dispatch_event("mouseover")
                element.dispatch_event("focus")
            page.wait_for_timeout(100)
            assert page.evaluate("window.__pwned") is None, f"a payload ran on {path}"
            assert dialogs == [], path
            if path == "articles/hostile":
                headline = "<script>window.__pwned=1</script> Headline <svg onload=window.__pwned=1> {{ 7*7 }}"
                assert page.title().startswith(headline)
                assert page.inner_text("article h1").startswith(headline)
                description = page.eval_on_selector("meta[name=description]", "m => m.content")
                assert 'Pub" onmouseover="window.__pwned=1" x="[a](javascript:window.__pwned=1)' in description
                # the article's words as a reader reads them: folded details open, verdict keys and badges aside
                page.evaluate("""document.querySelectorAll('details').forEach(d => d.open = true);
                                 document.querySelectorAll('.mark-key, .verdict-badge').forEach(e => e.remove())""")
                text = page.inner_text("article")
                for literal in ("The talks were *after* the summit and [click](javascript:window.__pwned=1) was posted.",
                                "# x is not a heading in the article.", "|a|b| is not a table either.",
                                "{{ 7*7 }} and {% if true %}yes{% endif %} are not templates.",
                                "+ Plus signs do not start lists.", "2025. That year was eventful.",
                                "<b onclick=window.__pwned=1>Author</b> *star*"):
                    assert literal in text
                assert page.locator("article table, article h1 + h1, article hr").count() == 0
            page.close()


@pytest.mark.parametrize("folder", [".hidden", "Upper", "a](javascript:x)", "CON x", "under_score"])
def test_a_source_folder_that_is_not_a_slug_is_refused(tmp_path, folder):
    from generator.build import gather

    from .helpers import mini_project
    root = mini_project(tmp_path)
    target = root / "sources" / folder
    target.mkdir()
    _, problems = gather(root)
    shown = target.relative_to(root)
    assert f"{shown}:1:1: error: '{target.name}' cannot be an article's address" in problems.render()


@pytest.mark.browser
def test_markup_in_the_pages_stays_text_in_search_results(browser, hostile_site):
    """The hostile fixture's payloads are in its pages' words: found by a search, they must not run."""
    with served(hostile_site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}search/?q=script")
        page.locator("#search-results li").first.wait_for()
        assert page.locator("#search-results script, #search-results img, #search-results svg").count() == 0
        assert page.evaluate("window.__pwned === undefined")
        context.close()
