"""ClaimReview on every claim page that rates truth, saying exactly what the page says (REFERENCE 2); none on the
others; article pages point to their claims' reviews instead of repeating them."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
import yaml

from .conftest import REPO
from .judges import structured_data

SCALE = {v["label"]: v for v in yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]}
BEST = max(v.get("rating") or 0 for v in SCALE.values())
VERDICT_WORDS = re.compile(r"\b(?:" + "|".join(sorted({w.lower() for label in SCALE for w in label.split()
                                                        if len(w) > 3}, key=len, reverse=True)) + r"|true|false)\b", re.I)
PUBLISHER = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))[
    "extra"]["publisher"]["name"]


def structured(html: str) -> list[dict]:
    return [json.loads(s) for s in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_every_claim_page_carries_one_claimreview_that_says_what_the_page_says(built_project):
    site = built_project / "site"
    reviewed = skipped = 0
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        for claim in data["claims"]:
            html = (site / claim["url"] / "index.html").read_text(encoding="utf-8")
            found = [s for s in structured(html) if s.get("@type") == "ClaimReview"]
            verdict = next(v for v in SCALE.values() if v["id"] == claim["verdict"])
            if verdict["truth"] != "yes":
                assert found == [] and claim["claim_review"] is None and claim["claim_review_omitted"], claim["id"]
                skipped += 1
                continue
            assert len(found) == 1, claim["id"]
            review = found[0]
            assert review == claim["claim_review"], "the page and its data say the same"
            canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]
            assert review["url"] == canonical
            assert len(review["claimReviewed"]) < 75 and not VERDICT_WORDS.search(review["claimReviewed"]), review
            shown = unescape(re.search(r'<h1[^>]*class="claim-statement"[^>]*>(.*?)<', html, re.S)[1])
            assert review["claimReviewed"].rstrip("…") in " ".join(shown.split()), "it restates the quote on the page"
            rating = review["reviewRating"]
            assert rating["alternateName"] == verdict["label"]
            badge = re.search(r'class="verdict-card-label">Our verdict: <span class="verdict-badge v-([a-z-]+)"', html)
            assert badge and badge[1] == verdict["id"], "the review's rating is the verdict the page shows"
            if verdict.get("rating"):
                assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (verdict["rating"], BEST, 1)
            else:
                assert "ratingValue" not in rating
            assert review["author"]["name"] == PUBLISHER
            appearance = review["itemReviewed"]["appearance"]
            assert appearance["headline"] == data["title"]
            if data["url"] != "unknown":
                assert appearance["url"] == data["url"]
            assert review["datePublished"] == claim["published"]
            assert review["dateModified"] >= review["datePublished"]
            reviewed += 1
    assert reviewed == 82 and skipped == 86, (reviewed, skipped)


def test_article_pages_point_to_their_claims_reviews_without_repeating_them(built_project):
    site = built_project / "site"
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        html = (site / data["page"] / "index.html").read_text(encoding="utf-8")
        [listing] = structured(html)
        assert listing["@type"] == "ItemList"
        rated = [c["claim_review"]["url"] for c in data["claims"] if c["claim_review"]]
        assert [item["url"] for item in listing["itemListElement"]] == rated


def test_the_methodology_publishes_the_number_to_verdict_mapping(built_project):
    html = unescape((built_project / "site" / "methodology" / "index.html").read_text(encoding="utf-8"))
    for verdict in SCALE.values():
        if verdict.get("rating"):
            assert re.search(rf"{verdict['label']}</span></td><td>[^<]*</td><td>rating {verdict['rating']} of {BEST}<", html)


@pytest.mark.slow
def test_structured_data_testing_tool_passes_every_claimreview_with_googles_preset(built_project, tmp_path):
    pages = [p for p in sorted((built_project / "site" / "claims").glob("*/index.html"))
             if '"@type":"ClaimReview"' in p.read_text(encoding="utf-8")]
    assert len(pages) == 82
    for verdict in structured_data(pages, "Google"):
        assert verdict["failed"] == [] and "ClaimReview" in verdict["schemas"], verdict
        assert any(test.startswith("Google > ClaimReview") for test in verdict["passed"]), verdict
    # and the judge can fail: the same page without the required claimReviewed
    html = pages[0].read_text(encoding="utf-8")
    [review] = structured(html)
    del review["claimReviewed"]
    broken = tmp_path / "broken.html"
    broken.write_text(re.sub(r'(<script type="application/ld\+json">).*?(</script>)',
                             lambda m: m[1] + json.dumps(review) + m[2], html, flags=re.S), encoding="utf-8")
    [verdict] = structured_data([broken], "Google")
    assert any("claimReviewed" in test for test in verdict["failed"]), verdict
