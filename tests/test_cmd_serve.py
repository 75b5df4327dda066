"""`serve`: a real preview server; editing an annotation updates the page open in the browser."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.live import LiveSite
from generator.serve import Preview

from .browsing import free_port
from .conftest import REPO
from .helpers import CLAIM, annotation, mini_project

URL = "http://127.0.0.1:8000/"

pytestmark = pytest.mark.browser


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def test_edits_reach_the_open_page_and_errors_do_not_stop_the_server(tmp_path, browser):
    root = mini_project(tmp_path, annotation())
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/claims/kane-is-caine/"
        wait_for(url)
        page = browser.new_page()
        page.goto(url)
        assert "The chair was Gen. Dan Caine." in page.inner_text("article")
        path = root / "annotations" / "demo.yaml"

        started = time.monotonic()
        path.write_text(annotation().replace("The chair was Gen. Dan Caine.", "Edited while open."), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Edited while open.')", timeout=20_000)
        print(f"edit reached the open page in {time.monotonic() - started:.2f} s")

        path.write_text(annotation().replace("verdict: inaccurate", "verdict: wrong"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('the last edit has errors')", timeout=20_000)
        assert "unknown verdict 'wrong'" in page.inner_text("article")
        assert server.poll() is None, "the server stopped on an invalid edit"
        page.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "annotations/demo.yaml:10:14: error: unknown verdict 'wrong'" in output


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_preview_builds_again_only_the_changed_pages_and_its_site_is_what_a_whole_build_makes(tmp_path):
    root = mini_project(tmp_path / "project", annotation())
    preview = Preview(root)
    problems, _ = preview.refresh()
    assert not problems
    live = LiveSite(root, tmp_path / "live", URL)
    live.build()
    pages = sum(1 for _ in (tmp_path / "live").rglob("index.html"))
    demo = root / "annotations" / "demo.yaml"
    troops = CLAIM.replace("kane-is-caine", "uk-offered-troops").replace(
        "chaired by General Daniel K. Kane", "The UK offered troops")
    edits = {
        "a summary": annotation().replace("The chair was Gen. Dan Caine.", "Edited in the preview."),
        "a claim added": annotation(CLAIM + troops),
        "a claim removed": annotation(troops),
    }
    for n, (edit, text) in enumerate(edits.items()):
        demo.write_text(text, encoding="utf-8")
        problems, report = preview.refresh()
        assert not problems, problems.render()
        built = live.update(report.written, report.deleted)
        assert 0 < built < pages, edit
        whole = LiveSite(root, tmp_path / f"whole-{n}", URL)
        whole.build()
        assert site_files(tmp_path / "live") == site_files(tmp_path / f"whole-{n}"), edit
    assert (tmp_path / "live" / "claims" / "uk-offered-troops" / "index.html").is_file()
    assert not (tmp_path / "live" / "claims" / "kane-is-caine").exists()
