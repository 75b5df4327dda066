"""The generated pages of the sample project, diffed against the committed expectation."""
from __future__ import annotations

import difflib

import yaml

from .conftest import REPO
from .golden import expected, generate


def test_generated_pages_match_the_golden_copy(tmp_path):
    actual, wanted = generate(tmp_path), expected()
    assert sorted(actual) == sorted(wanted), "set of generated files changed (refresh: python -m tests.golden --update)"
    diffs = []
    for rel in sorted(actual):
        if actual[rel] != wanted[rel]:
            diffs.extend(difflib.unified_diff(wanted[rel].splitlines(), actual[rel].splitlines(),
                                              f"expected/{rel}", f"actual/{rel}", lineterm=""))
    assert not diffs, "\n".join(diffs) + "\n(refresh deliberately: python -m tests.golden --update)"


def test_the_golden_sample_uses_every_verdict_of_the_scale():
    """So that a change to how any verdict is shown, ranked or counted shows up in the golden pages."""
    scale = yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]
    used = {c["verdict"] for c in yaml.safe_load(
        (REPO / "tests/golden/project/annotations/sample.yaml").read_text(encoding="utf-8"))["claims"]}
    assert used == {v["id"] for v in scale}
