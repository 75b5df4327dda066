"""Link previews: every page carries Open Graph and Twitter tags with a 1200×630 image and its text alternative;
a claim's preview names the claim and the verdict; structured-data-testing-tool's SocialMedia preset passes."""
from __future__ import annotations

import json
from collections import Counter
from html import unescape

import pytest
import yaml
from PIL import Image

from .conftest import REPO
from .judges import structured_data
from .sitecheck import head, published

SETTINGS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
LABELS = {v["id"]: v["label"] for v in yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]}


def test_every_page_has_a_preview_with_an_image_and_its_text_alternative(built_project):
    site = built_project / "site"
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")  # no address of its own to share
    images = Counter()
    for page in pages:
        meta, canonical = head(page)
        for tag in ("og:title", "og:description", "og:image:alt", "twitter:title", "twitter:description"):
            assert meta.get(tag, "").strip(), f"{page}: no {tag}"
        assert meta["og:url"] == canonical, page
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:image"] == meta["twitter:image"] and meta["og:image:alt"] == meta["twitter:image:alt"]
        assert meta["og:site_name"] == SETTINGS["site_name"] and meta["og:locale"] == SETTINGS["extra"]["locale"]
        image = published(site, meta["og:image"])
        images[image] += 1
        with Image.open(image) as picture:
            assert (picture.format, picture.size) == ("PNG", (1200, 630)), image
            assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    claims = len(list((site / "claims").glob("*/index.html")))
    articles = len(list((site / "articles").glob("*/index.html")))
    own = [image for image, count in images.items() if count == 1]
    assert len(own) == claims + articles == 173, "each claim and article page has an image of its own"
    assert images[site / "previews" / "site.png"] == len(pages) - len(own), "the others show the site's card"


def test_a_claims_preview_names_the_claim_the_verdict_and_where_it_was_said(built_project):
    site = built_project / "site"
    descriptions = Counter()
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        capture = (site / "captures" / f"{data['slug']}.txt").read_text(encoding="utf-8")
        for claim in data["claims"]:
            meta, _ = head(site / claim["url"] / "index.html")
            description, alt = unescape(meta["og:description"]), unescape(meta["og:image:alt"])
            label = LABELS[claim["verdict"]]
            opening = " ".join(capture[claim["quote"]["start"]:claim["quote"]["end"]].split()[:4])
            assert description.startswith(f"{label}: “{opening}"), description
            outlet = data["publisher"] if data["publisher"] != "unknown" else "Publisher unknown"
            assert f"”, {outlet}, " in description, description
            assert opening in alt and alt.endswith(f"Our verdict: {label}."), alt
            assert f"/previews/claims/{claim['id']}-" in meta["og:image"]
            descriptions[description] += 1
    assert descriptions and max(descriptions.values()) == 1, "no two claims share a preview text"


@pytest.mark.slow
def test_structured_data_testing_tool_passes_the_social_media_preset_on_every_page(built_project):
    site = built_project / "site"
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")  # no address of its own to share
    verdicts = structured_data(pages, "SocialMedia")
    assert len(verdicts) == len(pages) > 170
    for verdict in verdicts:
        assert verdict["failed"] == [], verdict
        assert {"Facebook > must have image alt text", "Twitter > must have image alt text"} <= set(verdict["passed"])
    # no Twitter account of ours to name: the only warnings left
    assert {w for v in verdicts for w in v["warnings"]} == {
        "Twitter > should have account username", "Twitter > should have username of content creator"}
