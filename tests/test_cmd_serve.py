"""`serve`: a real preview server; editing an annotation updates the page open in the browser."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from .browsing import free_port
from .conftest import REPO
from .helpers import annotation, mini_project

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
