"""The site's pages, laid out by the Jinja2 templates from the views: Markdown with a little raw HTML, and the
pages of claims, articles and the browsing lists in HTML (generator/html_pages.py has MkDocs take them as they are:
most of MkDocs' time went into parsing them).

Page paths are paths under docs/; links between pages are relative source paths (`doc()`), so MkDocs (or, in a
page in HTML, html_pages.py) checks them in strict mode and the site works at any base URL. Every value a template
prints is made inert (`inert_text`) unless Python marked it as Markup.
"""
from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import traceback
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..layout import Site
from ..memo import digest
from ..model import Origin
from ..problems import Problems, ProblemsFound
from ..views import (
    CLAIM_REVIEW_FEED,
    CLAIMS_CSV,
    CORRECTIONS_FEED,
    ArticleView,
    ClaimView,
    Common,
    SiteView,
    article_card,
    article_feed,
    article_page,
    claim_card,
    claim_description,
    claim_page,
    claim_report,
    claim_review,
    oembed_file,
    page_url,
    relative,
    review_list,
    snippet_text,
    text_fragment,
)
from ..write import Content, Keeping
from . import previews

OWNS = ("index.md", "about.md", "methodology.md", "editors.md", "corrections.md", "open-data.md", "articles/", "claims/",
        "browse/")

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(site: SiteView, keeping: Keeping) -> dict[str, Content]:
    """The pages about the whole site: home, about, indexes, listings, and the addresses kept for old claims.
    A listing page is made again only when one of the articles it lists has changed (or what every page shares)."""
    page = _renderer(site.common)
    made_from = {c.id: a.made_from for a in site.articles for c in a.claims}
    out: dict[str, Content] = {}
    out["index.md"] = page("index.md", "home.md.j2", articles=site.latest, total=len(site.articles),
                           article_index=site.article_indexes[0].page)
    out["about.md"] = page("about.md", "about.md.j2")
    out["methodology.md"] = page("methodology.md", "methodology.md.j2")
    out["editors.md"] = page("editors.md", "editors.md.j2", editors=site.editors)
    out["corrections.md"] = page("corrections.md", "corrections.md.j2", corrections=site.corrections,
                                 corrections_feed=CORRECTIONS_FEED)
    out["open-data.md"] = page("open-data.md", "open-data.md.j2", claims_csv=CLAIMS_CSV,
                               claim_review_feed=CLAIM_REVIEW_FEED)
    out["claims/index.md"] = page("claims/index.md", "claims_index.md.j2", articles=site.articles, lists=site.lists,
                                  article_index=site.article_indexes[0].page)
    for listing in site.listings:
        out.update(_kept(keeping, site, listing.page, [made_from[c.id] for c in listing.claims],
                         partial(page, listing.page, "listing.md.j2", listing=listing),
                         dataclasses.replace(listing, claims=()), [c.id for c in listing.claims]))
    for index in site.article_indexes:
        out.update(_kept(keeping, site, index.page, [a.made_from for a in index.articles],
                         partial(page, index.page, "articles_index.md.j2", index=index),
                         index.page, index.pages, index.total))
    for address in site.withdrawn:
        out[claim_page(address.id)] = page(claim_page(address.id), "withdrawn.md.j2", address=address)
    for redirect in site.redirects:
        out[redirect.page] = page(redirect.page, "redirect.html.j2", redirect=redirect)
    return out


def _kept(keeping: Keeping, site: SiteView, path: str, parts: list[str | None], make: Callable[[], str],
          *shown: object) -> Mapping[str, Content]:
    """The page at `path` made from some articles (`parts`: their `made_from`) and what else it `shown`s: left in
    docs/ as written, or read back, while none of them has changed (`Keeping.files`; kept in UTF-8, as written);
    made again otherwise (or when one was made with git's help)."""
    if not all(parts):
        return {path: make()}
    return keeping.files(digest(site.shared, *shown, parts), lambda: {path: make().encode("utf-8")})


def article(common: Common, article: ArticleView) -> dict[str, str]:
    """An article's page and its claims' pages."""
    page, env, site = _renderer(common), environment(common), common.site
    out = {article.page: page(article.page, "article.md.j2", article=article, structured=review_list(article, site),
                              preview=article_card(article, site), feed=article_feed(article.meta.slug))}
    for claim in article.claims:
        out[claim.page] = page(
            claim.page, "claim.md.j2", article=article, claim=claim, description=claim_description(claim),
            structured=claim_review(claim, common.scale, site), preview=claim_card(claim, site),
            address=site.address(page_url(claim.page)), snippet=snippet(env, claim, site),
            snippet_text=snippet_text(claim, site), oembed=oembed_file(claim.id), report=claim_report(claim, site),
            original=text_fragment(article.meta.url, claim.quote) if article.meta.url else None)
    return out


def _renderer(common: Common) -> Callable[..., str]:
    """Renders a page from its template, with what every page is given."""
    env = environment(common)

    def page(path: str, template: str, **context) -> str:
        return laid_out(env, template, page=path, scale=common.scale, site=common.site, site_report=common.report,
                        history_limit=common.history_limit, doc=lambda to, fragment="": doc_link(path, to, fragment),
                        **context)
    return page


def snippet(env: jinja2.Environment, claim: ClaimView, site: Site) -> Markup:
    """The claim as an e-mail-safe HTML snippet (templates/snippet.html.j2): shown on its page, embedded by oEmbed."""
    return Markup(laid_out(env, "snippet.html.j2", claim=claim, site=site,
                           address=site.address(page_url(claim.page))).strip())


def laid_out(env: jinja2.Environment, template: str, **context: Any) -> str:
    """The template rendered with `context`. A mistake in a template (its syntax, a name it is not given, a template
    it includes that is not there) is an error at its line (ProblemsFound), not a traceback."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateError as error:
        problems = Problems()
        found = f"no template '{error.name}' in templates/" if isinstance(error, jinja2.TemplateNotFound) else None
        problems.error(_place(error, env), f"template: {found or error.message or error}", _TEMPLATE_HINTS.get(
            type(error), "fix the template (its syntax is Jinja2's)"))
        raise ProblemsFound(problems) from None


_TEMPLATE_HINTS = {
    jinja2.UndefinedError: "a template is given only what generator/outputs/pages.py hands it: check the name, or "
                           "remove it (templates no longer include _notice.md.j2: the preview shows errors itself)",
    jinja2.TemplateNotFound: "check the name, or add the template",
}


def _place(error: jinja2.TemplateError, env: jinja2.Environment) -> Origin:
    """The line of the template where `error` arose: a syntax error's own, or the innermost template line its
    traceback passes (Jinja2 rewrites the frames of compiled templates to their files and lines)."""
    assert isinstance(env.loader, jinja2.FileSystemLoader)
    folder = Path(env.loader.searchpath[0])
    places: list[tuple[str | None, int | None]] = (
        [(error.filename, error.lineno)] if isinstance(error, jinja2.TemplateSyntaxError) else [])
    places += [(frame.filename, frame.lineno) for frame in reversed(traceback.extract_tb(error.__traceback__))]
    for file, line in places:
        if file and Path(file).is_relative_to(folder):
            return Origin(Path(folder.name, Path(file).relative_to(folder)), line or 1)
    return Origin(Path(folder.name))


COMPILED = Path(".cache/templates")
"""Under the project's root: the templates as Jinja2 compiled them (its bytecode cache), so that a build does not
compile them again (the 16 templates: 68 ms; read back: 2). Jinja2 compiles a template again when its source has
changed."""


def environment(common: Common) -> jinja2.Environment:
    layout = common.layout
    return make_environment(layout.at(layout.templates), common.templates, layout.at(COMPILED))


@lru_cache(maxsize=4)
def make_environment(templates: Path, version: str, compiled: Path | None = None) -> jinja2.Environment:
    """The templates' Jinja2 environment, made once per `version` of them (Common.templates, their digest), so
    that each template is compiled once however many articles it lays out; `compiled`: where they are kept
    compiled for the next process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=_Compiled(compiled) if compiled else None,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        auto_reload=False,  # made again for other templates (`version`): no stat of each template each render
    )
    env.filters.update(long_date=long_date, markdown=markdown_html, url=url_attribute, json_ld=json_ld,
                       image=previews.image, verbatim=verbatim)
    env.globals.update(article_page=article_page, claim_page=claim_page, zip=zip)
    return env


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates: it writes each whole, and takes nothing from a file of another source
    or Python. Here its folder is made when first written to, and one that cannot be read or written only makes a
    build compile the templates, as without it."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):  # Jinja2 lets some through (a file where the folder should be)
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)


def doc_link(from_page: str, to_path: str, fragment: str = "") -> Markup:
    """A link for Markdown text: the relative source path, which MkDocs checks and rewrites.

    Paths are made of slugs and sentence ids, which the loader has checked, so they are printed as they are."""
    rel = relative(to_path, posixpath.dirname(from_page))
    return Markup(rel + (f"#{fragment}" if fragment else ""))


@lru_cache(maxsize=1024)
def markdown_html(text: str) -> Markup:
    """An editor's Markdown as HTML with no blank lines (so it stays one raw HTML block in the page).

    Raw HTML in the note is shown as text, and markdown-it refuses javascript:, vbscript: and data: links.
    Remembered for the last thousand texts: a claim's note is shown on its page, its article's and in its feeds."""
    html = _markdown.render(text)
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def json_ld(data: dict) -> Markup:
    """Structured data for a `<script type="application/ld+json">`: no character in it can end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "unknown"


# Characters that mean something to HTML, to Python-Markdown (inline syntax, tables, attribute lists) or to a
# double-quoted YAML string. As numeric references they read as themselves in every one of those contexts.
_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]|"})
_BLOCK_START = re.compile(r"[#+=-]|\d+[.)]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=4096)
def inert_text(value: str) -> Markup:
    """Any text from a user's file, made safe to print anywhere in a generated page.

    The pages mix Markdown, raw HTML and front matter that the theme prints without escaping, so one rule
    serves them all: line breaks become spaces, and every character with a meaning in those languages
    (and a block marker such as `#`, `-` or `1.` at the start) becomes a numeric character reference.

    Remembered for the last few thousand values: the pages print the same ones again and again (a verdict's id,
    label and icon, the site's name, the article's headline on each claim's page), so that at 100 articles
    15,000 of the 123,000 values printed are distinct.
    """
    flat = _CONTROL.sub("", " ".join(value.splitlines())).translate(_INERT)
    if _BLOCK_START.match(flat):
        flat = f"&#{ord(flat[0])};{flat[1:]}"
    return Markup(flat)


def verbatim(text: str) -> Markup:
    """Text shown as it is, line breaks kept, in a <pre> or <textarea> (in one raw HTML block: no blank lines)."""
    return Markup("&#10;".join(inert_text(line) for line in str(text).splitlines()))


def _finalize(value):
    """Jinja's last step before output: plain strings are user text (inert); Markup was made safe by us."""
    if type(value) is str or (isinstance(value, str) and not isinstance(value, Markup)):  # the first: most, quick
        return inert_text(value)
    return value


_URL_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


def url_attribute(url: str) -> Markup:
    """An address for an href: percent-encoded outside RFC 3986's characters, then HTML-escaped."""
    return Markup.escape(quote(url, safe=_URL_SAFE))
