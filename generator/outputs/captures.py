"""The captures as reviewed: each article's text exactly as captured, so that a reader can check every quote
against the text we checked (and its SHA-256, which the article page shows)."""
from __future__ import annotations

from ..views import ArticleView, Common

OWNS = ("captures/",)


def article(common: Common, article: ArticleView) -> dict[str, str]:
    return {article.capture: article.review.article.text}
