"""The verdict colours as CSS custom properties, one class per verdict of the scale."""
from __future__ import annotations

from ..views import SiteView

OWNS = ("stylesheets/verdicts.css",)


def render(site: SiteView) -> dict[str, str]:
    lines = ["/* Generated from verdicts.yaml by python -m generator: do not edit. */"]
    lines += [f".v-{v.id} {{ --verdict-colour: {v.colour}; }}" for v in site.scale.verdicts]
    return {OWNS[0]: "\n".join(lines) + "\n"}
