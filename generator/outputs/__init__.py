"""Everything the generator writes into docs/, as a list of outputs of one shape.

An output is up to two functions from the site's views to files (path under docs/ -> text, bytes, or an image made
only when missing) and the paths it owns: the writer replaces and removes only owned files, and never touches
hand-written docs. `site` makes the files about the whole site (indexes, feeds, tables), `article` the files of one
article, from that article and what every page shares (`Common`) and nothing else: so an article's files are made
again only when it or what they share changes, and the others are left in docs/ as written or read back from the
memo (`write.Keeping`), as are the site's files made from articles that have not changed. Adding an output is
adding a module and a line in OUTPUTS.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial

from ..memo import Memo, digest
from ..views import ArticleView, Common, SiteView
from ..write import Content, Keeping, Manifest, is_owned
from . import captures, data, feeds, oembed, pages, palette, previews, stylesheet


@dataclass(frozen=True, slots=True)
class Output:
    name: str
    owns: tuple[str, ...]
    """Paths under docs/ that belong to it: a file, or a folder ending in `/`."""
    site: Callable[[SiteView, Keeping], Mapping[str, Content]] | None = None
    """The files about the whole site; `Keeping` has those made from parts that may not have changed left as they
    are, or read back."""
    article: Callable[[Common, ArticleView], Mapping[str, Content]] | None = None
    """The files of one article, made from it and `Common` only: kept in the memo by the digest of the two."""


OUTPUTS: tuple[Output, ...] = (
    Output("pages", pages.OWNS, pages.render, pages.article),
    Output("data", data.OWNS, data.render, data.article),
    Output("stylesheet", stylesheet.OWNS, stylesheet.render),
    Output("palette", palette.OWNS, palette.render),
    Output("captures", captures.OWNS, article=captures.article),
    Output("previews", previews.OWNS, previews.render, previews.article),
    Output("oembed", oembed.OWNS, article=oembed.article),
    Output("feeds", feeds.OWNS, feeds.render, feeds.article),
)

OWNED: tuple[str, ...] = tuple(path for output in OUTPUTS for path in output.owns)
"""Every generated path (git-ignored); everything else under docs/ is hand-written."""


def render(site: SiteView, memo: Memo | None = None, each: Callable[[Mapping[str, Content]], None] | None = None,
           manifest: Manifest | None = None, leaving: Collection[str] = ()) -> dict[str, Content]:
    """Every generated file, by path under docs/. `memo`: the files of articles that have not changed. `each`: hears
    each output's files as soon as they are made (a build starts drawing the images while the rest is rendered).
    `manifest`: what the last run wrote; files made from unchanged results that are in docs/ as it wrote them are
    left there. `leaving`: articles whose files are not wanted, by what they show (`shown`): `diff` leaves out those
    that are the same in both revisions."""
    keeping = Keeping(memo or Memo(), manifest)
    files: dict[str, Content] = {}

    def add(output: Output, made: Mapping[str, Content]) -> None:
        stray = [path for path in made if not is_owned(path, output.owns)]
        if stray:
            raise ValueError(f"output {output.name!r} made {stray[0]}, which it does not own")
        files.update(made)
        if each:
            each(made)

    for article in site.articles:
        what = shown(site, article)
        if what in leaving:
            continue
        for output in OUTPUTS:
            if output.article and what:
                add(output, keeping.files(digest(output.name, what), partial(_encoded, output.article), site.common,
                                          article))
            elif output.article:
                add(output, _encoded(output.article, site.common, article))
    for output in OUTPUTS:
        if output.site:
            add(output, output.site(site, keeping))
    return files


def shown(site: SiteView, article: ArticleView) -> str | None:
    """A digest of all that the article's files can show (the article and `Common`), which they are kept by; None for
    a view made with git's help (a drifted annotation file), whose files are made again each time."""
    return article.made_from and digest(site.shared, article.made_from)


def _encoded(make: Callable[[Common, ArticleView], Mapping[str, Content]], common: Common,
             article: ArticleView) -> dict[str, Content]:
    """An article's files with their text in UTF-8, as write_docs writes it. A build holds every article's files
    until they are written, and the memo keeps them: a page as a str with one curly quote takes two bytes a
    character (at 100 articles, 35 MiB of text as str, 17 as UTF-8)."""
    return {path: content.encode("utf-8") if isinstance(content, str) else content
            for path, content in make(common, article).items()}
