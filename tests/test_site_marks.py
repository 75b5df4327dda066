"""Every mark on the built site says exactly what the editors decided.

Walks every article page MkDocs built and compares each quoted fragment, its key, the sentence's tint and the
badges with the published data (site/data/*.json), then checks in Chromium that the colour a reader sees under
a fragment is its own claim's verdict colour from verdicts.yaml.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
import yaml

from .browsing import served
from .conftest import REPO

VERDICT_COLOURS = {v["id"]: v["colour"] for v in yaml.safe_load((REPO / "verdicts.yaml").read_text())["verdicts"]}


class _Marks(HTMLParser):
    """The marks, mark keys and claimed sentences of one page, with the classes and data they carry."""

    def __init__(self):
        super().__init__()
        self.marks: list[dict] = []
        self.keys: list[dict] = []
        self.sentences: list[dict] = []
        self._open: list[tuple[str, dict | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        record = None
        if tag == "mark":
            record = {"claims": a.get("data-claims", "").split(), "verdicts": a.get("data-verdicts", "").split(),
                      "classes": classes, "text": ""}
            self.marks.append(record)
        elif tag == "a" and "mark-key" in classes:
            record = {"href": a["href"], "classes": classes, "text": ""}
            self.keys.append(record)
        elif tag == "span" and "claimed" in classes:
            record = {"id": a["id"], "classes": classes, "badges": []}
            self.sentences.append(record)
        elif tag == "a" and "verdict-badge" in classes and self.sentences and self._inside("span"):
            self.sentences[-1]["badges"].append({"href": a["href"], "classes": classes})
        self._open.append((tag, record))

    def _inside(self, tag):
        return any(t == tag for t, _ in self._open)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, record in self._open:
            if record is not None and "text" in record:
                record["text"] += data


def verdict_classes(classes: set[str]) -> set[str]:
    return {c[2:] for c in classes if c.startswith("v-")}


@pytest.fixture(scope="module")
def pages(built_project):
    site = built_project / "site"
    found = []
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        parser = _Marks()
        parser.feed((site / data["page"] / "index.html").read_text(encoding="utf-8"))
        found.append((data, parser))
    assert len(found) == 5
    return found


def test_every_mark_carries_its_own_claims_verdict(pages):
    checked = 0
    for data, page in pages:
        verdict = {c["id"]: c["verdict"] for c in data["claims"]}
        for mark in page.marks:
            assert mark["claims"], f"a mark in {data['slug']} names no claim: {mark['text']!r}"
            assert mark["verdicts"] == [verdict[c] for c in mark["claims"]], mark
            colours = verdict_classes(mark["classes"])
            if len(set(mark["verdicts"])) == 1:
                assert colours == set(mark["verdicts"]), f"{mark['text']!r} shows {colours}, rated {mark['verdicts']}"
            else:
                assert colours == set() and "mark-overlap" in mark["classes"], mark
            checked += 1
    assert checked >= 168, "every published claim has at least one mark"


def test_every_key_and_badge_tells_its_claims_verdict_and_links_its_note(pages):
    for data, page in pages:
        verdict = {c["id"]: c["verdict"] for c in data["claims"]}
        assert sorted(k["href"] for k in page.keys) == sorted(f"#note-{c}" for c in verdict)
        for key in page.keys:
            claim = key["href"].removeprefix("#note-")
            assert verdict_classes(key["classes"]) == {verdict[claim]}


def test_a_sentence_is_tinted_only_when_its_claims_agree(pages):
    mixed = 0
    for data, page in pages:
        by_sentence: dict[str, list[str]] = {}
        for claim in data["claims"]:
            for sentence in claim["sentence_ids"]:
                by_sentence.setdefault(sentence, []).append(claim["verdict"])
        for sentence in page.sentences:
            verdicts = by_sentence[sentence["id"]]
            tint = verdict_classes(sentence["classes"])
            if len(set(verdicts)) == 1:
                assert tint == set(verdicts), sentence
            else:
                assert tint == set() and "mixed" in sentence["classes"], sentence
                mixed += 1
            assert [verdict_classes(b["classes"]) for b in sentence["badges"]] == [{v} for v in verdicts]
    assert mixed >= 4, "the five reviews hold four sentences whose claims disagree"


@pytest.mark.browser
def test_the_colour_under_each_fragment_is_its_verdicts_colour(browser, built_project):
    """In Chromium: the underline a reader sees, for every mark of the article with the most mixed sentences."""
    with served(built_project / "site") as base:
        page = browser.new_page()
        page.goto(base + "articles/europe-advocates-security-promises/")
        seen = page.eval_on_selector_all("mark.claim-mark", """marks => marks.map(m => ({
            verdicts: m.dataset.verdicts, colour: getComputedStyle(m).textDecorationColor}))""")
        page.close()
    assert len(seen) > 20
    for mark in seen:
        verdicts = set(mark["verdicts"].split())
        if len(verdicts) == 1:
            assert mark["colour"] == _rgb(VERDICT_COLOURS[verdicts.pop()]), mark
        else:
            assert mark["colour"] not in {_rgb(c) for c in VERDICT_COLOURS.values()}, mark


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"
