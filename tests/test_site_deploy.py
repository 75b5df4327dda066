"""Deployable anywhere: the site built for a project path (`https://<user>.github.io/<repo>/`) and served there,
as GitHub Pages serves it (a missing address answers with 404.html), loads every asset on the 404 page and on a
claim page; canonical links and the sitemap name every page under the site's address."""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import copy_project, run_generator

SITE_URL = "https://desk.github.io/fact-checks/"
PREFIX = "/fact-checks/"


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX only; anything missing answers 404 with 404.html, as GitHub Pages does."""

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served_under_a_project_path(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def project_path_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("deploy"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://factcheck.example.org/", SITE_URL),
                      encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


pytestmark = pytest.mark.slow


def test_every_page_is_in_the_sitemap_with_its_canonical_address(project_path_site):
    pages = sorted(p for p in project_path_site.rglob("index.html"))
    listed = {loc.text for loc in ElementTree.parse(project_path_site / "sitemap.xml").iter()
              if loc.tag.endswith("loc")}
    for page in pages:
        address = SITE_URL + page.parent.relative_to(project_path_site).as_posix().removeprefix(".") + "/"
        address = address.replace(SITE_URL + "/", SITE_URL)
        assert address in listed, address
        assert f'<link rel="canonical" href="{address}">' in page.read_text(encoding="utf-8")
    assert len(listed) == len(pages) > 150


@pytest.mark.browser
@pytest.mark.parametrize("path, status", [("no/such/claim/", 404), ("claims/kane-is-dan-caine/", 200)])
def test_a_page_served_under_a_project_path_loads_all_it_needs(browser, project_path_site, path, status):
    with served_under_a_project_path(project_path_site) as base:
        page = browser.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != base + path
                else None)
        page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
        response = page.goto(base + path, wait_until="networkidle")
        assert response and response.status == status
        assert failed == []
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", \
            "the theme's stylesheet applies"
        home = page.locator("a.md-header__button.md-logo").get_attribute("href")
        page.click("a.md-header__button.md-logo")
        page.wait_for_load_state("load")
        assert page.url == base, f"the logo ({home}) leads to the site's home under its project path"
        page.close()
