"""oEmbed (https://oembed.com): one JSON answer per claim page, found through the page's discovery link, so that
a publishing tool that embeds by URL (a newsletter editor, a CMS, a chat) shows a card: the claim, our verdict
and the link, as the e-mail-safe snippet (no script, no external image), with the preview image as thumbnail."""
from __future__ import annotations

import json

from ..views import ArticleView, Common, claim_card, oembed_file
from . import previews
from .pages import environment, snippet

OWNS = ("oembed/",)

WIDTH, HEIGHT = 600, 220
"""The snippet's width (its max-width) and about its height: `rich` answers must give both."""


def article(common: Common, article: ArticleView) -> dict[str, str]:
    """The answer for each claim of the article."""
    env, site = environment(common), common.site
    files = {}
    for claim in article.claims:
        answer = {
            "version": "1.0", "type": "rich",
            "title": f"{claim.verdict.label}: {claim.claim.summary}",
            "provider_name": site.name, "provider_url": site.address(""),
            "author_name": site.publisher_name,
            "author_url": site.address(""),
            "cache_age": 86400,
            "thumbnail_url": site.address(previews.image(claim_card(claim, site))),
            "thumbnail_width": previews.WIDTH, "thumbnail_height": previews.HEIGHT,
            "html": str(snippet(env, claim, site)), "width": WIDTH, "height": HEIGHT,
        }
        files[oembed_file(claim.id)] = json.dumps(answer, ensure_ascii=False, indent=1) + "\n"
    return files
