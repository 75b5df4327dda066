"""Where everything lives and how the project is set up: one object, built once from the project folder.

Paths are relative to `root` (that is how messages show them); `layout.at(path)` is the real place.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import Origin


@dataclass(frozen=True, slots=True)
class Editor:
    """Someone who reviews articles, named on every review they signed and profiled on the editors page."""

    id: str
    name: str
    role: str
    profile: str
    """Markdown."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes the site, from mkdocs.yml (`extra.publisher`): the About page, the footer, error reports."""

    name: str
    email: str | None = None
    who_we_are: str | None = None
    """Markdown, like the three below."""
    ownership: str | None = None
    funding: str | None = None
    editors_chosen: str | None = None
    data_license: str | None = None
    """Markdown: the licence of the reviews and data, on the Open data page; None while undeclared."""


@dataclass(frozen=True, slots=True)
class Site:
    """The site's settings, read from mkdocs.yml, where MkDocs reads them too: one place for both."""

    name: str = "Fact-check reports"
    url: str | None = None
    """site_url: the published address; None while it is not known (pages then link relatively)."""
    repository: str | None = None
    language: str = "en"
    publisher: Publisher | None = None
    origins: Mapping[str, Origin] = field(default_factory=dict)
    """Where each setting is written in mkdocs.yml (`site_url`, `repo_url`, `publisher`, `email`), for messages."""
    description: str | None = None
    """site_description: what the site is, in a sentence (the home page's and the site's link preview)."""
    palettes: tuple[tuple[str, str], ...] | None = None
    """The primary and accent colours of each of the theme's palettes (Material's default, indigo, where one names
    none); None when mkdocs.yml sets no palette."""

    @property
    def publisher_name(self) -> str:
        """Who signs the reviews: the publisher, or the site itself while no publisher is set."""
        return self.publisher.name if self.publisher else self.name

    def address(self, path: str) -> str:
        """A page's full address where the site's address is known, else its path from the site's root."""
        return (self.url.rstrip("/") + "/" if self.url else "/") + path


@dataclass(frozen=True, slots=True)
class Settings:
    """factcheck.yaml, validated."""

    checks: Mapping[str, str] = field(default_factory=dict)
    """Severity chosen for a check by name (`ignore`, `warning` or `error`); the others keep their default."""
    origins: Mapping[str, Origin] = field(default_factory=dict)
    """Where each check is named in factcheck.yaml."""
    editors: tuple[Editor, ...] = ()

    def editor(self, editor_id: str) -> Editor | None:
        return next((e for e in self.editors if e.id == editor_id), None)


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path
    """The project folder (absolute)."""
    settings: Settings = field(default_factory=Settings)
    site_settings: Site = field(default_factory=Site)
    scale: Path = Path("verdicts.yaml")
    settings_file: Path = Path("factcheck.yaml")
    mkdocs: Path = Path("mkdocs.yml")
    offices: Path = Path("knowledge/offices.yaml")
    published: Path = Path("published.yaml")
    """The register of published claim addresses: the build adds to it, editors say what became of old ones."""
    sources: Path = Path("sources")
    annotations: Path = Path("annotations")
    templates: Path = Path("templates")
    schema: Path = Path("schema")
    docs: Path = Path("docs")
    """MkDocs' docs_dir: hand-written pages beside the generated ones."""
    site: Path = Path("site")
    """Where the built site goes (`build --site-dir` may put it anywhere)."""

    def at(self, path: Path) -> Path:
        """The real place of a project path."""
        return self.root / path

    @property
    def placeless(self) -> Layout:
        """This layout without its root: what the memo files the work made with it under. Nothing the generator
        makes depends on where the project is (a test builds it in two folders), so a project copied or moved, or
        `diff`'s revisions, each in a folder of its own, find the same work."""
        return replace(self, root=Path())

    def with_settings(self, settings: Settings) -> Layout:
        return replace(self, settings=settings)

    def with_site_settings(self, site: Site) -> Layout:
        return replace(self, site_settings=site)

    def with_site(self, site: Path) -> Layout:
        return replace(self, site=site)

    def inputs(self) -> tuple[Path, ...]:
        """Every file and folder the pipeline reads: what the preview watches and `diff` compares."""
        return (self.scale, self.settings_file, self.mkdocs, self.offices, self.published, self.sources, self.annotations,
                self.templates, self.schema)

    def is_project(self) -> bool:
        return self.at(self.scale).is_file()
