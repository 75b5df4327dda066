"""Reading a built site the way a browser would: its pages, links, anchors and loaded resources."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import yaml

from .conftest import REPO

SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
"""The address the real project is published at (its pages' canonical addresses start with it)."""
_LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for (t, attr) in _LOADS:
            if tag == t and attrs.get(attr) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.loads.append(attrs[attr])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def external_loads(site: Path) -> list[str]:
    """Every resource a page or stylesheet would fetch from another host."""
    found = []
    for html in pages(site):
        for url in parse(html).loads:
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                found.append(f"{html.relative_to(site)}: {url}")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in _CSS_URL.findall(text) + _CSS_IMPORT.findall(text):
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                found.append(f"{css.relative_to(site)}: {url}")
    return found


def broken_links(site: Path) -> list[str]:
    """Internal links (and #anchors) that lead nowhere, as `page: href`."""
    parsed = {p: parse(p) for p in pages(site)}
    broken = []
    for page, info in parsed.items():
        if page.name == "404.html" and page.parent == site:
            continue  # served for any missing path, so its links are root-absolute by design
        base = "file://" + str(page)
        for href in info.links:
            if urlparse(href).scheme in ("http", "https", "mailto") or href.startswith("//"):
                continue
            target_url, fragment = urldefrag(urljoin(base, href))
            target = Path(unquote(urlparse(target_url).path))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no #{fragment})")
    return broken


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content") or "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]


def head(page: Path) -> tuple[dict[str, str], str | None]:
    """A page's preview tags (each must appear once) and its canonical address."""
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    repeated = [name for name, values in parser.meta.items() if len(values) > 1]
    assert not repeated, f"{page}: {repeated} given twice"
    return {name: values[0] for name, values in parser.meta.items()}, parser.canonical


def published(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):]
