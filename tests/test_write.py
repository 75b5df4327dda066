"""Writing: only changed files, stale files removed, hand-written pages untouched, the site swapped atomically."""
from __future__ import annotations

import pytest

from generator.outputs import OWNED
from generator.write import SiteBuildFailed, build_site, write_docs

from .conftest import run_generator
from .helpers import annotation, mini_project


def test_writes_only_what_changed_and_removes_stale_pages(tmp_path):
    docs = tmp_path / "docs"
    (docs / "data-format.md").parent.mkdir(parents=True)
    (docs / "data-format.md").write_text("hand-written", encoding="utf-8")
    first = write_docs(docs, {"index.md": "home", "claims/a.md": "A", "claims/b.md": "B"}, OWNED)
    assert sorted(first.written) == ["claims/a.md", "claims/b.md", "index.md"]
    stamp = (docs / "claims/a.md").stat().st_mtime_ns
    second = write_docs(docs, {"index.md": "home", "claims/a.md": "A"}, OWNED)
    assert second.written == [] and second.unchanged == 2 and second.deleted == ["claims/b.md"]
    assert (docs / "claims/a.md").stat().st_mtime_ns == stamp
    assert (docs / "data-format.md").read_text(encoding="utf-8") == "hand-written"


def test_refuses_to_write_outside_the_generated_paths(tmp_path):
    with pytest.raises(ValueError, match=r"data-format\.md"):
        write_docs(tmp_path, {"data-format.md": "overwritten"}, OWNED)
    assert not (tmp_path / "data-format.md").exists()


def test_failed_mkdocs_build_keeps_the_previous_site(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build").returncode == 0
    site = root / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # a link to a page that does not exist is a warning, and --strict makes it fatal
    (root / "docs" / "data-format.md").write_text("[missing](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match=r"nowhere\.md"):
        build_site(root, site)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_cli_reports_a_failed_site_build_without_a_traceback(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "docs" / "data-format.md").write_text("[missing](nowhere.md)\n", encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 1
    assert "mkdocs build failed; the previous site is untouched" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_generated_path_is_ignored_by_git():
    """What the outputs own is rewritten on every build, so it must never be committed by mistake."""
    from .conftest import REPO
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [path for path in OWNED if f"/docs/{path}" not in ignored] == []
