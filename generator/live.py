"""MkDocs kept loaded for the live preview: the whole site built once, then only the docs/ files that changed.

`mkdocs serve --dirty`, which the preview used to run, surveys the whole site after every change (every file listed
and its times compared, the nav, the sitemap: 6 s at 1,000 articles) and polls docs/ twice a second, which at that
size keeps most of a core busy while nothing changes. The preview knows which docs/ files it wrote: this builds
those pages again with MkDocs' own page functions and copies those files, with the configuration, the list of
files, the nav and the theme kept from the first build.

MkDocs has no public call that builds one page. This uses `mkdocs.commands.build`'s `_populate_page` and
`_build_page`, which `mkdocs build` calls for each page: MkDocs is held below 2 (pyproject.toml), and 1.6.1 is
the last 1.x, so they will not move. tests/test_cmd_serve.py checks that a page built again here is byte for byte
the page a whole build makes.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page, build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page

from . import html_pages


class LiveSite:
    """The project's site built by MkDocs into `site_dir`, as served at `url`, kept up to date file by file."""

    def __init__(self, root: Path, site_dir: Path, url: str):
        self.root, self.site_dir, self.url = root, site_dir, url
        self.config: Any = None
        self.kept = _Kept()

    def build(self) -> None:
        """The whole site, with the configuration read again: at the start, and when mkdocs.yml or the theme
        changed."""
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), strict=False)
        config.site_url = self.url
        config.plugins.on_startup(command="serve", dirty=False)
        self.kept = _Kept()
        config.plugins["factcheck-html"] = html_pages  # type: ignore[assignment]  # a hook module, as MkDocs' hooks: are
        config.plugins["factcheck-live"] = self.kept  # hears the files, nav and theme as the build makes them
        self.config = config
        build(config, serve_url=self.url)

    def update(self, changed: Iterable[str], removed: Iterable[str]) -> int:
        """Build again the pages, and copy again the other files, at these docs/ paths (a new one joins the site);
        take the `removed` ones out. How many pages were built."""
        config, kept = self.config, self.kept
        files, listed = kept.files, False
        for path in removed:
            if (file := files.get_file_from_path(path)) is not None:
                files.remove(file)
                _remove(Path(file.abs_dest_path), self.site_dir)
                listed = True
        pages = []
        for path in changed:
            file = files.get_file_from_path(path)
            if file is None:
                file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                set_exclusions([file], config)
                if file.inclusion.is_excluded():
                    continue
                files.append(file)
                listed = True
            if not file.is_documentation_page():
                file.copy_file()
                continue
            if file.page is None:
                Page(None, file, config)
            pages.append(file.page)
        for page in pages:
            _populate_page(page, config, files)
        shown = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            _build_page(page, config, shown, kept.nav, kept.env, excluded=page.file.inclusion.is_excluded())
        if listed:
            _build_theme_template("sitemap.xml", kept.env, files, config, kept.nav)
        return len(pages)

    def close(self) -> None:
        if self.config is not None:
            self.config.plugins.on_shutdown()


class _Kept(BasePlugin):
    """What a whole build makes and a page's build needs again: the site's files, its nav and the theme's
    templates."""

    files: Any = None
    nav: Any = None
    env: Any = None

    def on_files(self, files, config):
        self.files = files
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        self.env = env
        return env


def _remove(target: Path, site: Path) -> None:
    """A built file, and the folders it leaves empty (a removed page's address must not list a folder)."""
    with suppress(FileNotFoundError):
        target.unlink()
    folder = target.parent
    while folder != site and folder.is_relative_to(site) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
