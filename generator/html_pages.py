"""An MkDocs hook: a page whose front matter says `body: html` is HTML already, and is laid out as it is.

The generator writes its most numerous and largest pages (a claim's, an article's, a browsing list's) in HTML, each
heading with an id and the permanent link that Python-Markdown's `toc` gives it, and its internal links, as in
Markdown, to source paths (`../articles/x.md#s-1`). Python-Markdown would pass that HTML through unchanged, but
parses it first (its raw-HTML preprocessor and `md_in_html`): that was most of MkDocs' time for such a page. With
this hook MkDocs skips the conversion, and the hook does the rest of what MkDocs does with a converted page:
- each link to a source path becomes its page's (or file's) address relative to this one; a link to no file is a
  warning, which fails a strict build, as in Markdown (links to pages in the raw HTML of Markdown pages are
  rewritten too, which MkDocs leaves as they are);
- the table of contents (the theme's "On this page") and the anchors other pages may link to are read from the
  headings and ids.
Zensical rewrites such links itself.

Every MkDocs process the generator starts has this hook (write.py's `_config`, live.py); a bare `mkdocs build` has
not, and leaves these pages' links to source paths. Like shards.py, this module is loaded by MkDocs from its path,
so it imports nothing of the generator's. It runs before the project's own hooks (MkDocs' event priorities), which
see and may change a page's HTML as they would a converted page's.
"""
from __future__ import annotations

import posixpath
import re
from typing import Any

from mkdocs.plugins import event_priority, get_plugin_logger

MARK = "html"
"""The front matter's `body:` value that says the page is HTML."""

_HEADING = re.compile(r'<h([1-6])(?: class="[^"]*")? id="([^"]+)">(.*?)<a class="headerlink" ')
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]*>")
"""A tag in a heading: the table of contents lists its text (a listing's headings are links)."""
_RELATIVE = r'(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)'
"""Neither a scheme nor a leading slash: a path relative to the page."""
_SOURCE_LINK = re.compile(rf'href="({_RELATIVE}[^"#]*\.md)(#[^"]*)?"')
"""A relative link to a source page, with its fragment."""
_SOURCE_FILE_LINK = re.compile(rf'href="({_RELATIVE}[^"#]+)(#[^"]*)?"')
"""A relative link to any source file (a page, a data file, a feed), with its fragment: in a page in HTML, every
relative link is to a source path."""

_log = get_plugin_logger("html_pages")
_bodies: dict[str, str] = {}


@event_priority(-100)  # last: the project's own hooks see the page's HTML, and may change it
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.meta.get("body") != MARK:
        return markdown
    _bodies[page.file.src_uri] = markdown
    return ""  # nothing to convert


@event_priority(100)  # first: the project's own hooks see the page's HTML
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """The page's HTML with its links to source paths rewritten: all of a page in HTML's, and those a Markdown
    page has in raw HTML, which MkDocs leaves (the templates' pieces are HTML, and serve both)."""
    body = _bodies.pop(page.file.src_uri, None)
    if body is None:
        return _SOURCE_LINK.sub(lambda link: _address(link, page.file, files, False), html)
    from mkdocs.structure.toc import get_toc

    page.toc = get_toc(toc_tokens(body))  # type: ignore[arg-type]  # the dicts of its TypedDict
    page.present_anchor_ids = set(_ID.findall(body))
    return _SOURCE_FILE_LINK.sub(lambda link: _address(link, page.file, files, True), body)


def _address(link: re.Match, here: Any, files: Any, warn: bool) -> str:
    """`href="…"` with the address of the linked page or file, as MkDocs gives a Markdown link to a source path.
    `warn` of a link to no file (in a Markdown page, MkDocs leaves the links it could not resolve, and has said so)."""
    path, fragment = link[1], link[2] or ""
    target = files.get_file_from_path(posixpath.normpath(posixpath.join(posixpath.dirname(here.src_uri), path)))
    if target is None:
        if warn:
            _log.warning(f"Doc file '{here.src_uri}' contains a link '{path}', but the target is not found among "
                         "documentation files.")
        return link[0]
    return f'href="{target.url_relative_to(here)}{fragment}"'


def toc_tokens(body: str) -> list[dict[str, Any]]:
    """The headings that carry a permanent link, nested by level, as Python-Markdown's `toc` lists them."""
    top: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []  # the last heading at each level above
    for level, anchor, name in _HEADING.findall(body):
        token = {"level": int(level), "id": anchor, "name": _TAG.sub("", name), "children": []}
        while open_ and open_[-1]["level"] >= token["level"]:
            open_.pop()
        (open_[-1]["children"] if open_ else top).append(token)
        open_.append(token)
    return top
