"""The judges nobody here wrote, as `./dev test` installs them (npm ci in tools/judges): where they are, and how
a test hands them pages."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .conftest import REPO

JUDGES = REPO / "tools" / "judges"
VNU = JUDGES / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = JUDGES / "node_modules" / "axe-core" / "axe.min.js"
SDTT = JUDGES / "node_modules" / ".bin" / "sdtt"
SDTT_PAGES = JUDGES / "sdtt-pages.js"
MATCH_SELECTORS = JUDGES / "match-selectors.mjs"
"""Resolves W3C Web Annotation selectors in a text with Apache Annotator's matchers."""


def judge(path: Path) -> Path:
    assert path.exists(), f"{path.relative_to(REPO)} is missing: ./dev test installs the judges (npm ci in tools/judges)"
    return path


def structured_data(pages: Iterable[Path], presets: str) -> list[dict]:
    """structured-data-testing-tool's verdict on each page with the named presets (`Google,SocialMedia`): its
    passed, failed and warning tests and the schemas it found, run in one Node process for all the pages."""
    judge(SDTT)
    result = subprocess.run(["node", str(SDTT_PAGES), presets, *map(str, pages)], capture_output=True, text=True,
                            check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]
