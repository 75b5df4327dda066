"""The verdict colours as CSS custom properties, one class per verdict of the scale, in both colour schemes.

`--verdict-colour` fills badges and charts (white text on it); `--verdict-ink` draws text, icons and underlines
on the page: the same colour, mixed towards black (light scheme) or white (dark scheme) only as far as it takes
to keep WCAG AA contrast (4.5:1) on the page's background.
"""
from __future__ import annotations

from ..views import SiteView
from ..write import Keeping

OWNS = ("stylesheets/verdicts.css",)

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2129"
"""Material's `slate` page background, hsl(232, 15%, 14%), as Chromium renders it (tests/test_site_schemes.py)."""
AA = 4.5


def render(site: SiteView, keeping: Keeping) -> dict[str, str]:
    lines = ["/* Generated from verdicts.yaml by python -m generator: do not edit. */"]
    lines += [f".v-{v.id} {{ --verdict-colour: {v.colour}; --verdict-ink: {ink(v.colour, LIGHT_BACKGROUND, '#000000')}; }}"
              for v in site.scale.verdicts]
    lines += [f'[data-md-color-scheme="slate"] .v-{v.id} {{ --verdict-ink: {ink(v.colour, DARK_BACKGROUND, "#ffffff")}; }}'
              for v in site.scale.verdicts]
    return {OWNS[0]: "\n".join(lines) + "\n"}


def ink(colour: str, background: str, towards: str) -> str:
    """The colour mixed towards black or white, in steps of 5 %, until it reads at AA contrast on `background`."""
    for step in range(21):
        mixed = mix(colour, towards, step / 20)
        if contrast(mixed, background) >= AA:
            return mixed
    return towards


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _channels(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


def mix(colour: str, other: str, share: float) -> str:
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(_channels(colour), _channels(other), strict=True))


def _luminance(colour: str) -> float:
    c = [x / 255 for x in _channels(colour)]
    r, g, b = (x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
