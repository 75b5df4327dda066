"""The site's search index (Pagefind), in parts when the site is big, so that indexing it needs a bounded memory.

Pagefind holds every word of every page it indexes, with its position, until it writes the index: about 7.5
bytes of memory for each byte of our built HTML (2.4 GB for the 1,000-article archive's 319 MB, BENCHMARKS.md).
So a big site is indexed in parts, one Pagefind run after another, each over a share of the pages of about
`PART_BYTES` of HTML: the first part's index is the one the search page loads (`FOLDER`), the others are in
folders inside it, listed in `PARTS`, and the search page merges them into each query (Pagefind's `mergeIndex`:
docs/javascripts/search.js). Results come in one list, best first; a part costs a query its own small entry,
metadata and index chunk, about 25 KB. A site smaller than one part (the five articles) is one index, as before.

A word that a part lacks costs precision: Pagefind then searches that part for the longest beginning of the word it
has ("with" for "withdrawn"; Pagefind/pagefind#780, not configurable), so a rare word's pages come first, followed
by that part's weaker matches, which one index would not have listed.

Each part is indexed from a folder of hard links to its pages, laid out as in the site, so that Pagefind gives
every page its address in the site.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

FOLDER = "pagefind"
"""The search index's folder in the site: fragments that the search page (docs/search.md) loads as a query needs."""
PARTS = "parts.json"
"""In `FOLDER`: the folders of the other parts, relative to it (`[]` when the index is one part)."""
PART_BYTES = 110_000_000
"""A part's share of the built HTML: Pagefind needs about 800 MB to index it (the generator, waiting meanwhile,
holds 150 MB more: the whole build's peak stays under 1 GiB)."""
NOT_SEARCHED = (".headerlink", ".share-bar", ".share-snippet", ".verdict-card-definition", ".claim-facts",
                ".reviewed-by", ".not-searched")
"""What pages show but search leaves out (only the page's article is indexed: overrides/base.html): heading
permalinks (¶); a claim's own address and e-mail snippet, which repeat its words as HTML source; and what every
claim page says alike (its verdict's definition, its history, who reviewed it, how to share it and report a
mistake), which made every claim a result for "mistake" or "newsletter", and was about 40 % of a claim page's
indexed words, so of Pagefind's memory (templates/claim.md.j2 marks them `.not-searched`)."""


def build(site: Path, run: Callable[[list[str]], None], parts: int | None = None) -> None:
    """Index the built `site` into its `FOLDER`, in `parts` (by default as many as its HTML needs), each by a
    Pagefind command given to `run` (which raises if it fails)."""
    sizes = pages(site)
    shares = plan(sizes, parts or max(1, -(-sum(sizes.values()) // PART_BYTES)))
    names = [f"parts/{i}/" for i in range(1, len(shares))]
    for share, output in zip(shares, ["", *names], strict=True):
        # beside the site, named after it: a staging folder's name, which write._remove_leftovers knows
        with tempfile.TemporaryDirectory(prefix=f"{site.name}-part-", dir=site.parent) as part:
            for page in share:
                _link(site / page, Path(part, page))
            run([sys.executable, "-m", "pagefind", "--site", part, "--output-path", str(site / FOLDER / output),
                 "--exclude-selectors", ", ".join(NOT_SEARCHED), "--silent"])
    (site / FOLDER / PARTS).write_text(json.dumps(names), encoding="utf-8")


def pages(site: Path) -> dict[str, int]:
    """The site's HTML pages (paths in it) with their sizes in bytes: what the parts share."""
    return {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*.html")}


def plan(sizes: dict[str, int], count: int) -> list[list[str]]:
    """The pages (paths in the site, with their sizes in bytes) each of `count` parts indexes: the biggest first,
    each to the part with the fewest bytes so far, so that the parts need about the same memory and each holds
    pages of every kind. Deterministic: the same pages give the same parts."""
    loads, shares = [0] * count, [[] for _ in range(count)]  # type: list[int], list[list[str]]
    for page in sorted(sizes, key=lambda p: (-sizes[p], p)):
        lightest = loads.index(min(loads))
        loads[lightest] += sizes[page]
        shares[lightest].append(page)
    return [sorted(share) for share in shares if share]


def _link(page: Path, into: Path) -> None:
    into.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(page, into)
    except OSError:  # a file system without hard links
        shutil.copyfile(page, into)
