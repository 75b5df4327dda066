"""Two builds from the same inputs, in two folders, on two different days (faketime), give byte-identical docs/ and
site/ (issue 8, point 4). The site's date comes from the content (`Project.last_change`), not the clock."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from generator.build import gather

from .conftest import REPO, copy_project

pytestmark = pytest.mark.slow


def build_at(root, when: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(["faketime", when, sys.executable, "-m", "generator", "--root", str(root), "build"],
                            cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def test_two_builds_in_two_folders_on_two_days_are_identical(tmp_path):
    if shutil.which("faketime") is None:
        pytest.fail("faketime is missing: ./dev test installs it (Debian package faketime)")
    first, second = copy_project(tmp_path / "one"), copy_project(tmp_path / "elsewhere" / "two")
    for path in sorted((second / "annotations").iterdir()):  # listing order and times must not matter either
        path.touch()
    build_at(first, "2027-01-05 10:00:00")
    build_at(second, "2031-06-01 23:59:59")
    result = subprocess.run(["diff", "-r", str(first / "docs"), str(second / "docs")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:3000]
    result = subprocess.run(["diff", "-r", str(first / "site"), str(second / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:3000]
    # the one date MkDocs writes (the sitemap archive's header) is the content's, not either day's
    stamp = int.from_bytes((first / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    project, _ = gather(first)
    assert datetime.fromtimestamp(stamp, UTC).date() == project.last_change()
