"""The real project built end to end with MkDocs: what a reader and a data user find in site/."""
from __future__ import annotations

import json
import re
from html import unescape

import yaml

from generator.segment import normalise

from .conftest import REPO
from .sitecheck import broken_links, external_loads, parse

SLUGS = sorted(p.name for p in (REPO / "sources").iterdir() if p.is_dir())


def claims_of(slug):
    return yaml.safe_load((REPO / "annotations" / f"{slug}.yaml").read_text(encoding="utf-8"))["claims"]


def test_every_page_kind_is_built(built_project):
    site = built_project / "site"
    assert len(SLUGS) == 5
    for slug in SLUGS:
        assert (site / "articles" / slug / "index.html").is_file()
        assert (site / "data" / f"{slug}.json").is_file()
        for claim in claims_of(slug):
            assert (site / "claims" / claim["id"] / "index.html").is_file()
    for page in ("index.html", "methodology/index.html", "claims/index.html", "data-format/index.html"):
        assert (site / page).is_file()


def test_public_data_matches_the_capture(built_project):
    site = built_project / "site"
    for slug in SLUGS:
        data = json.loads((site / "data" / f"{slug}.json").read_text(encoding="utf-8"))
        capture = (REPO / "sources" / slug / "capture.txt").read_bytes().decode("utf-8")
        assert data["slug"] == slug and data["title"]
        assert data["sentences"], slug
        for s in data["sentences"]:
            assert capture[s["start"]:s["end"]] == s["text"]
        ids = {s["id"] for s in data["sentences"]}
        assert {c["id"] for c in data["claims"]} == {c["id"] for c in claims_of(slug)}
        for claim in data["claims"]:
            assert set(claim["sentence_ids"]) <= ids
            assert (site / claim["url"] / "index.html").is_file(), claim["url"]
            quoted = capture[claim["quote"]["start"]:claim["quote"]["end"]]
            source_claim = next(c for c in claims_of(slug) if c["id"] == claim["id"])
            assert normalise(quoted) == normalise(source_claim["quote"])


def test_article_page_marks_every_claimed_sentence_and_links_its_claim(built_project):
    site = built_project / "site"
    for slug in SLUGS:
        data = json.loads((site / "data" / f"{slug}.json").read_text(encoding="utf-8"))
        html = (site / "articles" / slug / "index.html").read_text(encoding="utf-8")
        page = parse(site / "articles" / slug / "index.html")
        assert {s["id"] for s in data["sentences"]} <= page.ids, "every sentence is addressable"
        for claim in data["claims"]:
            sid = claim["sentence_ids"][0]
            assert re.search(rf'<span class="sentence claimed (?:v-[a-z-]+|mixed)" id="{sid}">', html), claim["id"]
            assert f'href="../../claims/{claim["id"]}/"' in html


def test_claim_page_shows_verdict_context_sources_and_the_sentence_link(built_project):
    site = built_project / "site"
    html = (site / "claims" / "kane-is-dan-caine" / "index.html").read_text(encoding="utf-8")
    assert "Inaccurate" in html and "Gen. Dan Caine" in html
    assert "In context" in html and "European diplomats express concern" in html  # the next sentence
    assert "Deputy U.S." in html  # the previous sentence
    data = json.loads((site / "data" / "us-minimal-role-in-ukraine-guarantees.json").read_text(encoding="utf-8"))
    sid = next(c for c in data["claims"] if c["id"] == "kane-is-dan-caine")["sentence_ids"][0]
    assert f'href="../../articles/us-minimal-role-in-ukraine-guarantees/#{sid}"' in html
    assert "https://lordspress.co.uk/defense/pentagon-says-us-will-play-a-minimal-role-in-ukraines-security-guarantee" in html
    assert "Published</dt><dd>22 November 2026" in html


def test_generated_pages_stay_out_of_the_nav(built_project):
    home = (built_project / "site" / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('md-nav--primary'):home.index('md-sidebar--secondary')]
    assert "articles/" not in nav and "kane-is-dan-caine" not in nav
    assert "methodology/" in nav


def test_home_shows_each_article_with_a_chart_and_text_equivalent(built_project):
    home = (built_project / "site" / "index.html").read_text(encoding="utf-8")
    assert home.count('class="article-card"') == 5
    assert home.count("<svg") >= 5 and 'role="img" aria-label="Verdicts:' in home
    assert "5 inaccurate" in home and "sentences reviewed" in home


def test_no_internal_link_is_broken(built_project):
    assert broken_links(built_project / "site") == []


def test_offline_nothing_is_loaded_from_other_hosts(built_project):
    assert external_loads(built_project / "site") == []
    for html in (built_project / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "googletagmanager" not in text


def test_methodology_is_generated_from_the_scale(built_project):
    html = unescape((built_project / "site" / "methodology" / "index.html").read_text(encoding="utf-8"))
    scale = yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]
    for verdict in scale:
        assert verdict["label"] in html and verdict["definition"] in html
    for heading in ("Sourcing standard", "Corrections policy", "Reporting an error"):
        assert heading in html
    css = (built_project / "site" / "stylesheets" / "verdicts.css").read_text(encoding="utf-8")
    assert all(f".v-{v['id']} {{ --verdict-colour: {v['colour']};" in css for v in scale)


def test_every_article_page_gives_the_capture_a_reader_can_hash(built_project):
    import hashlib
    site = built_project / "site"
    for data in sorted((site / "data").glob("*.json")):
        slug = data.stem
        published = (site / "captures" / f"{slug}.txt").read_bytes()
        digest = hashlib.sha256(published).hexdigest()
        assert digest == json.loads(data.read_text(encoding="utf-8"))["capture_sha256"], "the bytes we reviewed"
        page = (site / "articles" / slug / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../../captures/{slug}.txt">{slug}.txt</a>, SHA-256 <code class="sha">{digest}</code>' in page
