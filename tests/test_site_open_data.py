"""Open data: the CSV of every claim, read by Python's csv module (RFC 4180), and the ClaimReview data feed, read by
pyld (a JSON-LD processor), say what each claim's data and page say; the Open data page lists every format and
says whether a licence is declared."""
from __future__ import annotations

import csv
import io
import json
import subprocess

import yaml
from pyld import jsonld

from .conftest import REPO
from .judges import MATCH_SELECTORS, judge
from .sitecheck import SITE_URL, published

SCALE = {v["id"]: v for v in yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]}


def test_the_csv_has_one_row_per_claim_saying_what_its_data_says(built_project):
    site = built_project / "site"
    with (site / "data" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, strict=True))
    claims = {}
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        capture = (site / "captures" / f"{data['slug']}.txt").read_text(encoding="utf-8")
        for claim in data["claims"]:
            claims[claim["id"]] = (data, claim, capture[claim["quote"]["start"]:claim["quote"]["end"]])
    assert sorted(r["claim_id"] for r in rows) == sorted(claims) and len(rows) == 168
    for row in rows:
        data, claim, quote = claims[row["claim_id"]]
        verdict = SCALE[claim["verdict"]]
        assert (row["article_slug"], row["quote"], row["verdict"], row["summary"]) == (
            data["slug"], quote, claim["verdict"], claim["summary"])
        assert row["verdict_label"] == verdict["label"] and row["rating"] == str(verdict.get("rating") or "")
        assert row["sentence_id"] == claim["sentence_ids"][0] and row["published"] == (claim["published"] or "")
        assert row["first_source_url"] == (claim["evidence"][0]["url"] if claim["evidence"] else "")
        assert row["page_url"] == SITE_URL + claim["url"] and published(site, row["page_url"] + "index.html").is_file()


def test_the_open_data_page_lists_every_format_and_says_no_licence_is_declared_yet(built_project):
    page = (built_project / "site" / "open-data" / "index.html").read_text(encoding="utf-8")
    for link in ('href="../data/claims.csv"', 'href="../feed.xml"', 'href="../corrections.xml"', 'href="../data-format/"'):
        assert link in page
    assert "has not declared a licence" in page
    csv_head = (built_project / "site" / "data" / "claims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert next(csv.reader(io.StringIO(csv_head)))[0] == "claim_id"


def _schema_org_offline(url, options=None):
    """pyld's document loader, offline: schema.org's context stands in as its vocabulary (`@vocab`), which is what
    the terms used here mean in it; nothing is fetched."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}}}


def test_the_claim_review_data_feed_is_json_ld_holding_every_claim_pages_review(built_project):
    site = built_project / "site"
    document = json.loads((site / "data" / "claim-reviews.jsonld").read_text(encoding="utf-8"))
    [feed] = jsonld.expand(document, {"documentLoader": _schema_org_offline})
    schema = "https://schema.org/"
    assert feed["@type"] == [schema + "DataFeed"]
    elements = feed[schema + "dataFeedElement"]
    assert {t for e in elements for t in e["@type"]} == {schema + "ClaimReview"}
    on_pages = {c["claim_review"]["url"]: c["claim_review"] for p in sorted((site / "data").glob("*.json"))
                for c in json.loads(p.read_text(encoding="utf-8"))["claims"] if c["claim_review"]}
    assert len(elements) == len(on_pages) == 82
    for element in elements:
        url = element[schema + "url"][0]["@value"]
        rating = element[schema + "reviewRating"][0][schema + "alternateName"][0]["@value"]
        assert rating == on_pages[url]["reviewRating"]["alternateName"]


def test_each_articles_web_annotations_anchor_where_its_claims_are_with_apache_annotator(built_project):
    """Apache Annotator's own matchers (npm @apache-annotator/selector, the W3C selectors' reference code) resolve
    both selectors of every annotation to exactly the words its claim rates, and the quote selector to one place."""
    site = built_project / "site"
    judge(MATCH_SELECTORS)
    checked = 0
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        page_file = site / "data" / "annotations" / f"{data['slug']}.jsonld"
        page = json.loads(page_file.read_text(encoding="utf-8"))
        assert page["@context"] == "http://www.w3.org/ns/anno.jsonld" and page["type"] == "AnnotationPage"
        result = subprocess.run(["node", str(MATCH_SELECTORS), str(site / "captures" / f"{data['slug']}.txt"),
                                 str(page_file)], capture_output=True, text=True, check=True)
        found = {line["id"]: line["found"] for line in map(json.loads, result.stdout.splitlines())}
        for claim in data["claims"]:
            at = [claim["quote"]["start"], claim["quote"]["end"]]
            annotation = SITE_URL + claim["url"] + "#annotation"
            assert found[annotation] == {"TextQuoteSelector": [at], "TextPositionSelector": [at]}, claim["id"]
            checked += 1
        assert {a["target"]["source"] for a in page["items"]} == {SITE_URL + f"captures/{data['slug']}.txt"}
    assert checked == 168
