"""One defect per file in tests/fixtures/broken/: each must give exactly the message in its .expected file.

The fixtures are annotation files for the capture in tests/helpers.py, copied into a one-article
project as annotations/demo.yaml; the .expected file holds `check`'s text output for it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import gather

from .conftest import REPO
from .helpers import mini_project

BROKEN = REPO / "tests" / "fixtures" / "broken"
CASES = sorted(p.stem for p in BROKEN.glob("*.yaml"))


def problems_for(root: Path, fixture: Path) -> str:
    mini_project(root)
    shutil.copy2(fixture, root / "annotations" / "demo.yaml")
    _, problems = gather(root)
    return problems.render() + "\n"


@pytest.mark.parametrize("name", CASES)
def test_broken_annotation_is_reported_exactly(tmp_path, name):
    expected = (BROKEN / f"{name}.expected").read_text(encoding="utf-8")
    actual = problems_for(tmp_path, BROKEN / f"{name}.yaml")
    assert actual == expected
    assert ": error: " in actual, "every fixture holds a defect that stops the build"
