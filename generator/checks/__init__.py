"""Automated consistency checks: each module looks at an article's sentences and returns findings.

Findings are warnings for editors and notes for readers, never verdicts: they are shown apart from
the editors' work, with their reasoning and sources.
"""
from __future__ import annotations

from datetime import date

from ..model import Article, Finding, Office, ResolvedDate
from . import dates, offices


def article_date(article: Article) -> tuple[date | None, bool]:
    """The day the checks judge the article by, and whether it is an estimate."""
    meta = article.meta
    if meta.published:
        return meta.published, False
    return meta.published_estimate, meta.published_estimate is not None


def run_checks(article: Article, known_offices: tuple[Office, ...]) -> tuple[list[Finding], list[ResolvedDate]]:
    day, estimated = article_date(article)
    date_findings, resolved = dates.check(article, day, estimated)
    return sorted(date_findings + offices.check(article, day, estimated, known_offices),
                  key=lambda f: (f.start, f.check)), resolved
