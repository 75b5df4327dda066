"""The check stage: what the machine finds in the articles, then every rule the gathered project must meet.

First the automated checks (`dates`, `offices`) read each sentence of an article and add findings
(`with_findings`, which the pipeline runs article by article): notes for readers and warnings for editors,
never verdicts. Then, once every article is read, each rule in CHECKS looks at the whole project. A rule is data: a
name, a function from the project to the problems it sees, and a default severity, which factcheck.yaml
may change (`checks: {coverage: error}`), as MkDocs' `validation:` does. Rules marked `fixed` guard what
the pages cannot do without (a verdict must exist to be shown), so they are always errors.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..layout import Settings
from ..model import Article, Finding, Office, Project, ResolvedDate, Review
from ..problems import Problem, Problems
from . import dates, offices, rules

SEVERITIES = ("ignore", "warning", "error")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    """How factcheck.yaml and the README name it."""
    run: Callable[[Project], Iterable[Problem]]
    severity: str
    """The default: `ignore`, `warning` or `error`."""
    about: str
    """What it asks of the project, in one line."""
    fixed: bool = False
    """Always an error: later stages cannot work without it."""


CHECKS: tuple[Check, ...] = (
    Check("sources-exist", rules.annotations_have_an_article, "error",
          "every annotation file names an article in sources/", fixed=True),
    Check("unique-claim-ids", rules.claim_ids_are_unique, "error",
          "no two claims share an id (the id is the claim page's address)", fixed=True),
    Check("known-verdicts", rules.verdicts_are_on_the_scale, "error",
          "every verdict is an id from verdicts.yaml", fixed=True),
    Check("addresses", rules.published_addresses_keep_answering, "error",
          "every claim address ever published (published.yaml) still answers: the claim, a redirect, a withdrawal",
          fixed=True),
    Check("file-names", rules.files_are_named_after_their_article, "error",
          "annotations/<slug>.yaml annotates the article <slug>"),
    Check("evidence", rules.ratings_cite_evidence, "error",
          "a verdict that needs evidence cites at least one source"),
    Check("excerpts", rules.sources_of_ratings_show_their_words, "error",
          "every source of a rating of truth quotes the words that support the note"),
    Check("searched", rules.undecided_claims_say_what_was_searched, "error",
          "a claim we could not settle says what was searched"),
    Check("reviewers", rules.reviewers_are_editors, "error",
          "every reviewer is an editor profiled in factcheck.yaml"),
    Check("annotated", rules.articles_are_annotated, "warning",
          "every article has an annotation file"),
    Check("coverage", rules.sentences_are_reviewed, "warning",
          "every sentence of an article is covered by a published claim"),
    Check("findings-reviewed", rules.flagged_sentences_have_a_verdict, "warning",
          "every sentence the automated checks flag has an editor's verdict"),
    Check("findings-agree", rules.best_ratings_agree_with_findings, "warning",
          "no claim an automated check flags is rated at the top of the truth scale"),
    Check("modeline", rules.files_name_their_schema, "warning",
          "annotation files start with the JSON Schema modeline (editors' completion and hover help)"),
    Check("schema-current", rules.published_schema_is_current, "warning",
          "schema/ says what the validator and verdicts.yaml say"),
    Check("site-settings", rules.site_settings_are_real, "warning",
          "mkdocs.yml names the publisher, its ownership and funding, and a real way to report an error"),
)


def check(project: Project, problems: Problems) -> None:
    """Every rule's problems, reported at its severity."""
    layout = project.layout
    if {layout.settings_file, layout.scale} & project.unread:
        return  # every rule's severity comes from the one, its meaning from the other: all would mislead
    chosen = severities(layout.settings, problems)
    for rule in CHECKS:
        severity = chosen[rule.name]
        if severity != "ignore":
            for problem in rule.run(project):
                problems.add(dataclasses.replace(problem, severity=severity))


def severities(settings: Settings, problems: Problems) -> dict[str, str]:
    """The severity of every check by name: its default, or what factcheck.yaml validly sets."""
    by_name = {rule.name: rule for rule in CHECKS}
    chosen = {rule.name: rule.severity for rule in CHECKS}
    for name, severity in settings.checks.items():
        origin = settings.origins[name]
        rule = by_name.get(name)
        if rule is None:
            guess = difflib.get_close_matches(name, by_name, 1)
            problems.error(origin, f"no check is called '{name}'",
                           (f"did you mean '{guess[0]}'? " if guess else "") + f"the checks: {', '.join(by_name)}")
        elif rule.fixed and severity != "error":
            problems.error(origin, f"check '{name}' is always an error: {rule.about}", "remove this line")
        else:
            chosen[name] = severity
    return chosen


def automated(article: Article, known_offices: tuple[Office, ...]) -> tuple[list[Finding], list[ResolvedDate]]:
    """What the date and office-holder checks find in one article, in reading order."""
    when = article.meta.date
    date_findings, resolved = dates.check(article, when.day, when.estimated)
    return sorted(date_findings + offices.check(article, when.day, when.estimated, known_offices),
                  key=lambda f: (f.start, f.check)), resolved


def prepare() -> None:
    """Made ready to check articles (`dates.prepare`): what a checking worker does as it starts."""
    dates.prepare()


def with_findings(review: Review, known_offices: tuple[Office, ...]) -> Review:
    """The review with what the automated checks find in its article."""
    findings, resolved = automated(review.article, known_offices)
    return dataclasses.replace(review, findings=tuple(findings), dates=tuple(resolved))
