"""MkDocs kept loaded for the live preview: each page built when it is first asked for, and again after it changes.

`mkdocs serve` builds the whole site before it serves a page: at 1,000 articles (11,000 pages) the preview took a
minute to start, on one core (67 s on a slow day). With `--dirty`, which the preview used to run, it also surveys the
whole site after every change (every file listed and its times compared, the nav, the sitemap: 6 s at 1,000
articles) and polls docs/ twice a second, which at that size keeps most of a core busy while nothing changes.

So this makes, at the start, only what every page's build needs and what no request names: the configuration, the
list of files, the nav, the theme's templates and the site-wide files (the sitemap, the 404 page). A page is built,
and a file copied, when the browser first asks for it (`provide`): a few milliseconds. An edit makes the docs/ files
it rewrote stale (`update`), made again when next asked for. The hand-written pages (`eager`) are built at once, at
the start and whenever they change, so that what MkDocs says of them (a link to no page) is printed straight away;
the generated pages' links are the generator's to check (html_pages.py warns of one to no file as it builds it).
What a whole build does and this does not: check the anchors of the links between pages (`mkdocs build`, and
`python -m generator build`, which is strict, still do).

MkDocs has no public call that builds one page. This uses `mkdocs.commands.build`'s `get_files`, `get_navigation`,
`_populate_page`, `_build_page` and `_build_theme_template`, which `mkdocs build` calls in this order: MkDocs is held
below 2 (pyproject.toml), and 1.6.1 is the last 1.x, so they will not move. tests/test_cmd_serve.py checks that
every file the preview makes is byte for byte the file MkDocs' own whole build makes.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
    get_files,
    get_navigation,
)
from mkdocs.config import load_config
from mkdocs.structure.files import File, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page

from . import html_pages


def preview_config(root: Path, site_dir: Path, url: str) -> Any:
    """MkDocs' configuration of the project as the preview builds it: into `site_dir`, served at `url`, not strict
    (a warning is printed, not fatal), with the hook for pages in HTML."""
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False)
    config.site_url = url
    config.plugins["factcheck-html"] = html_pages  # type: ignore[assignment]  # a hook module, as MkDocs' hooks: are
    config.plugins.on_startup(command="serve", dirty=False)
    return config


class LiveSite:
    """The project's site built by MkDocs into `site_dir`, as served at `url`, a file at a time, each made when it
    is asked for. `eager`: the docs/ paths of the pages built at once (the hand-written ones)."""

    def __init__(self, root: Path, site_dir: Path, url: str, eager: Callable[[str], bool] = lambda path: False):
        self.root, self.site_dir, self.url, self.eager = root, site_dir, url, eager
        self.config: Any = None
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.pages: list[File] = []
        """The documentation pages, as a page's build is given them."""
        self.by_address: dict[str, File] = {}
        """The site's files by their path in the site (`File.dest_uri`)."""
        self.current: set[str] = set()
        """The paths in the site of the files made from their sources as they are now."""
        self.lock = threading.Lock()
        """Held while MkDocs works: the server asks for pages from its threads, the preview's loop edits the site."""

    def build(self) -> None:
        """The site ready to serve, with the configuration read again: at the start, and when mkdocs.yml or the theme
        changed. What `mkdocs build` does before it builds the pages, and after. If it fails, the site goes on from
        what it had, each file made again when asked for."""
        with self.lock:
            config = preview_config(self.root, self.site_dir, self.url)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            utils.clean_directory(config.site_dir)
            self.current = set()
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
            self.config, self.files, self.nav = config, files, nav
            self._listed()  # each page made, read when it is built (the sitemap lists them)
            env = self.env = config.plugins.on_env(env, config=config, files=files)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
            self.current = {p.relative_to(self.site_dir).as_posix() for p in self.site_dir.rglob("*") if p.is_file()}
            self._make([file for file in self.pages if self.eager(file.src_uri)])
            config.plugins.on_post_build(config=config)

    def provide(self, address: str) -> Path | None:
        """The file at `address` in the site (a path in it, as `claims/x/index.html`), built or copied first if it is
        not up to date; None if the site has no such file."""
        with self.lock:
            if address not in self.current:
                file = self.by_address.get(address)
                if file is None:
                    return None
                self._make([file])
            return self.site_dir / address

    def update(self, changed: Iterable[str], removed: Iterable[str]) -> int:
        """The docs/ files at these paths were written (a new one joins the site) or `removed` (it leaves it): each
        is made again when next asked for, a hand-written page at once. How many pages were built now."""
        with self.lock:
            config, files, listed, stale = self.config, self.files, False, []
            for path in removed:
                if (file := files.get_file_from_path(path)) is not None:
                    files.remove(file)
                    self.current.discard(file.dest_uri)
                    _remove(Path(file.abs_dest_path), self.site_dir)
                    listed = True
            for path in changed:
                file = files.get_file_from_path(path)
                if file is None:
                    file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                    set_exclusions([file], config)
                    if file.inclusion.is_excluded():
                        continue
                    files.append(file)
                    listed = True
                self.current.discard(file.dest_uri)
                stale.append(file)
            if listed:
                self._listed()
                _build_theme_template("sitemap.xml", self.env, files, config, self.nav)
            return self._make([file for file in stale if file.is_documentation_page() and self.eager(file.src_uri)])

    def _listed(self) -> None:
        """The site's list of files changed: what is kept of it, again, and a page for each new documentation file."""
        self.pages = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in self.pages:
            if file.page is None:
                Page(None, file, self.config)
        self.by_address = {file.dest_uri: file for file in self.files if InclusionLevel.is_in_serve(file.inclusion)}

    def _make(self, chosen: list[File]) -> int:
        """Build these pages and copy these other files into the site, as `mkdocs build` does: each page is read
        (and converted) before any is laid out. How many pages."""
        config, pages = self.config, []
        for file in chosen:
            if file.is_documentation_page():
                assert file.page is not None  # made when the file was listed (`_listed`)
                pages.append(file.page)
            else:
                file.copy_file()
                self.current.add(file.dest_uri)
        for page in pages:
            _populate_page(page, config, self.files)
        for page in pages:
            _build_page(page, config, self.pages, self.nav, self.env, excluded=page.file.inclusion.is_excluded())
            self.current.add(page.file.dest_uri)
        return len(pages)

    def close(self) -> None:
        if self.config is not None:
            self.config.plugins.on_shutdown()


def _remove(target: Path, site: Path) -> None:
    """A built file, and the folders it leaves empty (a removed page's address must not list a folder)."""
    with suppress(FileNotFoundError):
        target.unlink()
    folder = target.parent
    while folder != site and folder.is_relative_to(site) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
