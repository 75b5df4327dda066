"""Material's palette stylesheet with only the colours mkdocs.yml uses: every page loads it, and Material's own
carries the rules of its 21 primary and accent colours (11.9 KB, of which this site uses one: 3.1 KB). Written
under the name Material's templates link, it takes the place of Material's file (MkDocs copies a theme's file only
where docs/ has none), so a reader's first page view weighs 8.8 KB less (BENCHMARKS.md: a claim page with all it
loads).

The stylesheet is parsed (tinycss2), not matched with patterns: a rule keeps the selectors that name no colour but
the site's (`[data-md-color-primary=indigo]` where a palette's primary colour is indigo, a scheme, none at all) and
goes when none is left; everything else is kept as Material wrote it. tests/test_site_schemes.py checks in
Chromium that every element of the site's pages has the same computed style in both schemes, at a phone's and a
desktop's width, with this file as with Material's.
"""
from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import tinycss2

from ..views import SiteView
from ..write import Keeping

FOLDER = "assets/stylesheets/"
OWNS = (FOLDER,)
"""Material's own stylesheets are copied from the theme beside it: docs/ holds only this one."""

_COLOUR = re.compile(r"data-md-color-(primary|accent)=([\w-]+)")


def render(site: SiteView, keeping: Keeping) -> dict[str, str]:
    palettes = site.common.site.palettes
    source = material_palette()
    if not palettes or source is None:
        return {}  # no palette in mkdocs.yml, so Material links none; or a Material that keeps it elsewhere
    primary, accent = (tuple(sorted(set(colours))) for colours in zip(*palettes, strict=True))
    return {FOLDER + source.name: keeping.memo(trim, source.read_text(encoding="utf-8"), primary, accent)}


def material_palette() -> Path | None:
    """Material's palette stylesheet (its name carries a digest of its content, so it changes with Material)."""
    found = sorted(Path(str(files("material") / "templates" / FOLDER)).glob("palette.*.min.css"))
    return found[0] if len(found) == 1 else None


def trim(css: str, primary: tuple[str, ...], accent: tuple[str, ...]) -> str:
    """The stylesheet without the selectors that name another primary colour than `primary` or another accent
    colour than `accent`."""
    colours = {("primary", c) for c in primary} | {("accent", c) for c in accent}
    return "".join(_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), colours))


def _rules(nodes: list, colours: set[tuple[str, str]]) -> list[str]:
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [s for s in _selectors(node.prelude) if set(_COLOUR.findall(s)) <= colours]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(node.content) + "}")
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None:
            inner = _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), colours)
            if inner:
                kept.append("@media" + tinycss2.serialize(node.prelude).rstrip() + "{" + "".join(inner) + "}")
        else:
            kept.append(node.serialize())
    return kept


def _selectors(prelude: list) -> list[str]:
    """A rule's selectors, split at its top-level commas (those inside :not() or :is() are in a function's
    tokens, not here)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tinycss2.serialize(part).strip() for part in parts]
