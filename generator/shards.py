"""The site's pages built by several MkDocs processes at once, one a core: MkDocs renders one page at a time,
and at a desk's size it is most of a build (BENCHMARKS.md).

Every process runs `mkdocs build` on the whole of docs/ with this file as a hook (MkDocs' `hooks:`), and builds
its share of the pages only: the others are marked excluded, so MkDocs still knows them (a link to one resolves
as in one build) but renders nothing of them. An article's page and its claims' pages go to the same process, so
the links between them are checked, anchors included, as in one build. The first process builds the rest (the
hand-written pages, the listings, the theme's and the static files) and writes the sitemap of every page; the
others' pages are then moved into its folder. The site is byte for byte the one a single process builds
(tests/test_write_shards.py).

This module is imported twice: by the generator, for `plan`; and by MkDocs, from its path, for the
hook functions at the end, which is why it imports nothing of the generator's.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PLAN = "FACTCHECK_MKDOCS_SHARD"
"""The environment variable that names a process's share, a JSON file: `{"builds": [pages]}` for a later process
(nothing else), or `{"skips": [pages]}` for the first (everything else)."""

PAGES_PER_PROCESS = 60
"""Below this many pages for each process, starting another MkDocs (about a second) costs more than it saves."""
MAX_PROCESSES = 8
"""However many cores: each process holds the list of every file of the site (BENCHMARKS.md: the memory)."""


def processes(pages: int) -> int:
    """How many MkDocs processes build `pages` pages: one a core this process may use, while each has enough to
    do."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES, pages // PAGES_PER_PROCESS))


def plan(groups: Sequence[Sequence[str]], pages: int, count: int) -> list[list[str]]:
    """The pages (docs/ paths) each process after the first builds: whole groups (an article's page and its
    claims'), each given to the process with the fewest pages so far, the first counting the `pages` that are in
    no group. Deterministic: the same groups give the same shares."""
    grouped = sum(len(g) for g in groups)
    loads = [max(0, pages - grouped)] + [0] * (count - 1)
    shares: list[list[str]] = [[] for _ in range(count)]
    for group in sorted(groups, key=lambda g: (-len(g), g[0])):
        lightest = loads.index(min(loads))
        loads[lightest] += len(group)
        shares[lightest] += group
    return shares[1:]


# --- the hook, inside each MkDocs process --------------------------------------------------------------------

_state: dict[str, Any] = {}


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import InclusionLevel

    share = json.loads(Path(os.environ[PLAN]).read_text(encoding="utf-8"))
    if "builds" in share:
        builds = set(share["builds"])
        skipped = [f for f in files if f.src_uri not in builds]
    else:
        skips = set(share["skips"])
        skipped = [f for f in files if f.src_uri in skips]
    _state.update(files=files, skipped=[(f, f.inclusion) for f in skipped], first="skips" in share)
    for file in skipped:
        file.inclusion = InclusionLevel.EXCLUDED
    for logger in ("mkdocs.structure.pages", "mkdocs.structure.nav"):
        logging.getLogger(logger).addFilter(_not_about_the_other_shares)
    return files


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    _state["nav"] = nav
    return nav


def on_env(env: Any, config: Any, files: Any) -> Any:
    _state["env"] = env
    return env


def on_post_build(config: Any) -> None:
    """The first process writes the sitemap again, now with the pages the others build (the same entries, in the
    same order, as one process writes)."""
    if not _state.get("first"):
        return
    from mkdocs.commands.build import _build_theme_template
    from mkdocs.structure.pages import Page

    for file, inclusion in _state["skipped"]:
        file.inclusion = inclusion
        if file.is_documentation_page() and file.page is None:
            Page(None, file, config)
    _build_theme_template("sitemap.xml", _state["env"], _state["files"], config, _state["nav"])


def _not_about_the_other_shares(record: logging.LogRecord) -> bool:
    """MkDocs notes every link (and nav entry) to a page excluded from the build: here, every page another process
    builds."""
    return "excluded from the built site" not in record.getMessage()
