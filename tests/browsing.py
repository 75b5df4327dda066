"""A built site served on 127.0.0.1 and Debian's Chromium driven by Playwright (REFERENCE 9)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Request, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # ./dev test sets it
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server started as another process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The folder served over HTTP on a free local port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: ./dev test installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def page_weight(browser: Browser, url: str) -> int:
    """What a page with everything it loads weighs, before compression, in a fresh browser (an empty cache)."""
    context = browser.new_context()
    requests: list[Request] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    weight = sum(request.sizes()["responseBodySize"] for request in requests)
    context.close()
    return weight


def search(browser: Browser, base: str, query: str) -> tuple[list[str], int]:
    """Type one query on the site's search page, in a fresh browser: (every result page, as a path under `base`,
    in order; the bytes the search fetched for its first screen of results: the search program and the index
    fragments under pagefind/, not the page itself)."""
    context = browser.new_context()
    fetched: list[Request] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: fetched.append(request) if "/pagefind/" in request.url else None)
    page.goto(f"{base}search/", wait_until="networkidle")
    page.fill("#search-query", query)
    page.wait_for_function("(s => s && !s.startsWith('Searching'))(document.querySelector('#search-status').textContent)")
    first_screen = sum(request.sizes()["responseBodySize"] for request in fetched)
    while page.is_visible("#search-more"):
        count = page.locator("#search-results li").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('#search-results li').length > {count}")
    links = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
    context.close()
    return [link.removeprefix(base).split("#")[0] for link in links], first_screen
