"""Writing: only changed files, stale files removed, hand-written pages untouched, the site swapped atomically."""
from __future__ import annotations

import errno
import os
import time
from functools import partial

import pytest

from generator.outputs import OWNED
from generator.write import Drawing, Made, SiteBuildFailed, WriteReport, build_site, write_docs

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


def _drawn(path: str) -> bytes:
    """An image's bytes, naming the process that drew it."""
    return f"{path} drawn by {os.getpid()}".encode()


def _images(count: int, draw=_drawn) -> dict[str, Made]:
    return {f"previews/{i:03}.png": Made(partial(draw, f"previews/{i:03}.png")) for i in range(count)}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every image is drawn in the writing process")
def test_images_are_drawn_by_other_processes_while_the_rest_is_rendered_and_each_once(tmp_path):
    docs, images = tmp_path / "docs", _images(100)
    first = dict(list(images.items())[:40])  # the first articles' images, before the rest is rendered
    report = WriteReport()
    with Drawing(docs, OWNED) as drawing:
        drawing.add(first)
        deadline = time.monotonic() + 30
        while not all((docs / path).exists() for path in list(first)[:32]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(docs.rglob("*.png"))) >= 32, "drawn and written before the rest is rendered"
        write_docs(docs, {**images, "index.md": "home"}, OWNED, report, drawing=drawing)
    assert sorted(report.written) == sorted([*images, "index.md"])
    drawers = {(docs / path).read_bytes().split(b" by ")[1] for path in list(first)[:32]}
    assert str(os.getpid()).encode() not in drawers, "by another process"
    assert all((docs / path).read_bytes().startswith(path.encode()) for path in images)

    again = write_docs(docs, {**_images(100), "index.md": "home"}, OWNED)
    assert again.written == [] and again.unchanged == 101, "an image already there is not drawn again"


def _full_at_50(path: str) -> bytes:
    if path.endswith("050.png"):
        raise OSError(errno.ENOSPC, "No space left on device", path)
    return _drawn(path)


def test_an_image_that_cannot_be_written_stops_the_write_and_leaves_no_partial_file(tmp_path):
    docs = tmp_path / "docs"
    with pytest.raises(OSError, match="No space left"):
        write_docs(docs, {**_images(200, _full_at_50), "index.md": "home"}, OWNED)
    assert not (docs / "previews" / "050.png").exists()
    assert [p.name for p in docs.rglob("*") if ".partial" in p.name] == []
    assert not (docs / "index.md").exists(), "text is written only once every image is"


def test_what_a_killed_build_left_half_written_is_gone_after_the_next_build(tmp_path):
    """A killed build can leave a file under its temporary name (`.<name>.<random>.partial`): beside an owned file
    (docs/, docs/stylesheets/) and deep in an owned folder. The next build removes them all, and nothing else."""
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build", "--docs-only").returncode == 0
    docs = root / "docs"
    left = [docs / ".index.md.x1.partial", docs / "stylesheets" / ".verdicts.css.x2.partial",
            *(p.parent / f".{p.name}.x3.partial" for p in docs.glob("*/*/*") if p.is_file())]
    hand_written = docs / "notes" / ".draft.md.x5.partial"  # not beside an owned file, nor in an owned folder
    hand_written.parent.mkdir()
    for path in [*left, hand_written]:
        path.write_text("half", encoding="utf-8")
    assert len(left) > 4, "some in the owned folders' folders"
    assert run_generator(root, "build", "--docs-only").returncode == 0
    assert [p for p in left if p.exists()] == [] and hand_written.exists()
