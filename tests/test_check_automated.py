"""The automated checks measured on a labelled set and on the five captures: precision and recall."""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.build import gather
from generator.checks import automated
from generator.layout import Layout
from generator.load import load_offices
from generator.model import ArticleMeta
from generator.problems import Problems
from generator.segment import segment_article

from .conftest import REPO

CASES = yaml.safe_load((REPO / "tests/fixtures/checks.yaml").read_text(encoding="utf-8"))
OFFICES = load_offices(Layout(REPO), Problems())
# What the checks should find in the captures: the known errors, and the dates that cannot be resolved.
CAPTURES = {
    "us-minimal-role-in-ukraine-guarantees": [
        ["office-holder", "Deputy U.S.\nDefense Secretary Elbridge Colby"],
        ["near-name", "General Daniel K.\nKane, Chair of the Joint Chiefs of Staff"],
        ["administration", "Biden administration"],
        ["near-name", "General Kane"],
        ["office-holder", "Defense Secretary Lloyd Austin"],
        ["office-holder", "NATO Secretary General Jens Stoltenberg"],
    ],
    "western-allies-paris-summit": [["office-holder", "President Biden"]],
    "us-seeks-european-input-on-guarantees": [],
    "europe-advocates-security-promises": [],
    "shifting-sands-us-steps-back": [],
}


def findings_for(text: str, published: str) -> list[list[str]]:
    meta = ArticleMeta("case", "t", "p", None, "a", None if published == "unknown" else date.fromisoformat(published),
                       None, None, None, "en", hashlib.sha256(text.encode()).hexdigest(), (), Path("m"), Path("c"))
    article = segment_article(meta, text, Problems())
    findings, _ = automated(article, OFFICES)
    return [[f.kind, text[f.start:f.end]] for f in findings]


def score(pairs):
    tp = fp = fn = 0
    for found, expected in pairs:
        remaining = [list(e) for e in expected]
        for item in found:
            if item in remaining:
                remaining.remove(item)
                tp += 1
            else:
                fp += 1
        fn += len(remaining)
    return tp, fp, fn


@pytest.fixture(scope="module")
def capture_findings():
    project, _ = gather(REPO)
    return {r.article.meta.slug: [[f.kind, r.article.text[f.start:f.end]] for f in r.findings] for r in project.reviews}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_labelled_case(case):
    assert findings_for(case["text"], str(case["published"])) == case["expected"]


def test_no_flag_on_a_correct_sentence_of_the_captures(capture_findings):
    for slug, found in capture_findings.items():
        assert [f for f in found if f not in CAPTURES[slug]] == [], slug


def test_precision_and_recall(capture_findings):
    pairs = [(findings_for(c["text"], str(c["published"])), c["expected"]) for c in CASES]
    pairs += [(capture_findings[slug], expected) for slug, expected in CAPTURES.items()]
    tp, fp, fn = score(pairs)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nautomated checks on {len(CASES)} labelled cases + 5 captures: "
          f"{tp} true, {fp} false positives, {fn} missed; precision {precision:.2f}, recall {recall:.2f}")
    assert precision == 1.0 and recall == 1.0


def test_check_warns_editors_where_the_machine_disagrees(tmp_path):
    from .helpers import META, annotation, mini_project, sha
    capture = "Talks In Brussels\nNATO Secretary General Jens Stoltenberg spoke. Defense Secretary Lloyd Austin listened.\n"
    claim = """\
  - id: stoltenberg-spoke
    quote: NATO Secretary General Jens Stoltenberg spoke.
    verdict: accurate
    summary: He spoke.
    note: He did.
    evidence:
      - url: https://example.org/a
        title: A
        publisher: B
        accessed: 2026-11-22
    published: 2026-11-22
"""
    root = mini_project(tmp_path, annotation(claim, sha_value=sha(capture)), capture=capture,
                        meta=META.format(sha=sha(capture)).replace("published: 2025-08-20", "published: 2025-08-21"))
    _, problems = gather(root)
    assert [p.format() for p in problems.sorted()] == [
        "annotations/demo.yaml:10:14: warning: claim 'stoltenberg-spoke' is rated accurate, but the automated check "
        "says: Jens Stoltenberg was not Secretary General of NATO on 21 August 2025; the holder was Mark Rutte\n"
        "    hint: re-check the claim, or explain in its note why the check is wrong here",
        "sources/demo/capture.txt:2:48: warning: automated check (office-holder): U.S. Secretary of Defense on "
        "21 August 2025 was Pete Hegseth, not Lloyd Austin; no editor verdict yet\n"
        "    hint: review this sentence in annotations/demo.yaml",
    ]
