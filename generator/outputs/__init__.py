"""Everything the generator writes into docs/, as a list of outputs of one shape.

An output is a function from the site's views to files (path under docs/ -> text, bytes, or an image made only
when missing) and the paths it owns: the writer replaces and removes only owned files, and never touches
hand-written docs. Adding an output is adding a module and a line in OUTPUTS.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..views import SiteView
from ..write import Content, is_owned
from . import captures, data, feeds, oembed, pages, previews, stylesheet


@dataclass(frozen=True, slots=True)
class Output:
    name: str
    render: Callable[[SiteView], Mapping[str, Content]]
    owns: tuple[str, ...]
    """Paths under docs/ that belong to it: a file, or a folder ending in `/`."""


OUTPUTS: tuple[Output, ...] = (
    Output("pages", pages.render, pages.OWNS),
    Output("data", data.render, data.OWNS),
    Output("stylesheet", stylesheet.render, stylesheet.OWNS),
    Output("captures", captures.render, captures.OWNS),
    Output("previews", previews.render, previews.OWNS),
    Output("oembed", oembed.render, oembed.OWNS),
    Output("feeds", feeds.render, feeds.OWNS),
)

OWNED: tuple[str, ...] = tuple(path for output in OUTPUTS for path in output.owns)
"""Every generated path (git-ignored); everything else under docs/ is hand-written."""


def render(site: SiteView) -> dict[str, Content]:
    """Every generated file, by path under docs/."""
    files: dict[str, Content] = {}
    for output in OUTPUTS:
        made = output.render(site)
        stray = [path for path in made if not is_owned(path, output.owns)]
        if stray:
            raise ValueError(f"output {output.name!r} made {stray[0]}, which it does not own")
        files.update(made)
    return files
