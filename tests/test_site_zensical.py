"""Forward compatibility: the same generated docs/ and mkdocs.yml build with Zensical (REFERENCE 5).

Differences we know of and accept: Zensical writes its own search index, search.json, and writes no sitemap; our
Pagefind index (pagefind/) is made by `python -m generator build` after MkDocs, so a bare Zensical build has none.
Our theme overrides (overrides/: the footer, the header's search link, and two templates fixed for the Nu checker)
are copies of Material 9 templates, which Zensical's template engine cannot render (`lang` is undefined in its
includes), so the Zensical build leaves `custom_dir` out: it has the theme's own footer. Every page and data file
MkDocs builds must also be built by Zensical, and its links must resolve.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .sitecheck import broken_links, external_loads

pytestmark = pytest.mark.slow


def _outputs(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.suffix in (".html", ".json") and p.parts[len(site.parts)] not in ("search", "assets", "pagefind")
            and p.name != "search.json"}


def test_zensical_builds_the_same_pages(built_project, tmp_path):
    work = tmp_path / "zensical"
    work.mkdir()
    config = (built_project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  custom_dir: overrides" in config
    (work / "mkdocs.yml").write_text(config.replace("\n  custom_dir: overrides", ""), encoding="utf-8")
    shutil.copytree(built_project / "docs", work / "docs")
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run([str(zensical), "build", "--strict"], cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    mkdocs_site, zensical_site = built_project / "site", work / "site"
    assert _outputs(zensical_site) == _outputs(mkdocs_site)
    assert broken_links(zensical_site) == []
    assert external_loads(zensical_site) == []
    claim = (zensical_site / "claims" / "kane-is-dan-caine" / "index.html").read_text(encoding="utf-8")
    assert "verdict-badge v-inaccurate" in claim and "Gen. Dan Caine" in claim
