"""`diff`: the Markdown summary a reviewer reads on an annotation pull request."""
from __future__ import annotations

import re

from bench.corpus import make_corpus
from bench.run import edit_one_summary
from generator import diff, outputs
from generator.build import gather, render

from .conftest import run_generator
from .helpers import CLAIM, annotation, git, mini_project

SECOND = CLAIM.replace("id: kane-is-caine", "id: uk-troops").replace(
    "chaired by General Daniel K. Kane", "The UK offered troops.").replace("verdict: inaccurate", "verdict: accurate")
THIRD = """\
  - id: jones-spoke
    quote: Deputy Secretary Jones spoke.
    verdict: opinion
    summary: An aside.
    note: Not checkable.
    published: 2026-11-22
"""


def commit(root, message):
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def test_diff_between_two_commits(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM + SECOND + THIRD))
    git(root, "init", "-q")
    commit(root, "first review")
    changed = (CLAIM.replace("verdict: inaccurate", "verdict: misleading")
               .replace("note: Gen. Dan Caine chaired the meeting.", "note: Gen. Dan Caine chaired it.")
               .replace("https://example.org/caine", "https://example.org/caine-2")
               + SECOND.replace("The UK offered troops.", "The UK offered tanks.")
               + THIRD.replace("jones-spoke", "jones-aside").replace("verdict: opinion", "verdict: unreviewed"))
    (root / "annotations/demo.yaml").write_text(annotation(changed), encoding="utf-8")
    commit(root, "second review")
    result = run_generator(root, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    # how many other files change depends on how many outputs there are: counted, not listed
    assert re.sub(r"\b\d+ data, feed", "N data, feed", result.stdout) == """\
## Fact-check changes: `HEAD~1` → `HEAD`

### Claims added (1)

- `jones-aside` (demo): unreviewed: An aside.

### Claims removed (1)

- `jones-spoke` (demo): was ❝ Opinion

### Verdicts changed (1)

- `kane-is-caine`: ✗ Inaccurate → ! Misleading

### Summaries or notes changed (1)

- `kane-is-caine`: note

### Evidence changed (1)

- `kane-is-caine`: + https://example.org/caine-2, − https://example.org/caine

### Anchors broken (1)

- `uk-troops` at annotations/demo.yaml:20:12: the quote no longer matches one sentence

### Pages that change (12)

`articles/demo/`, `browse/article/all/`, `browse/outlet/example-news/`, `browse/verdict/accurate/`, \
`browse/verdict/inaccurate/`, `browse/verdict/misleading/`, `browse/verdict/opinion/`, `claims/`, `claims/jones-spoke/`, \
`claims/kane-is-caine/`, `claims/uk-troops/`, `/`, N data, feed and image files

`check` on `HEAD`: 1 error(s), 0 warning(s).
"""


def test_diff_names_every_change_a_reader_sees_even_when_no_claim_changed(tmp_path):
    root = mini_project(tmp_path, annotation())
    git(root, "init", "-q")
    commit(root, "first review")
    meta = root / "sources/demo/meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("publisher: Example News", "publisher: Example Daily")
                    .replace("url: https://example.org/allies", "url: https://example.org/allies-2"), encoding="utf-8")
    (root / "annotations/demo.yaml").write_text(annotation().replace("A test article.", "A rewritten assessment."),
                                                encoding="utf-8")
    for name, old, new in (("verdicts.yaml", "label: Inaccurate", "label: Wrong"),
                           ("mkdocs.yml", "site_name: Fact-check reports", "site_name: Checks"),
                           ("templates/methodology.md.j2", "## Corrections policy", "## How we correct")):
        (root / name).write_text((root / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    commit(root, "everything but the claims")
    result = run_generator(root, "diff", "HEAD~1")
    assert result.returncode == 0, result.stderr
    for section in ("### Assessments changed (1)\n\n- `demo`: summary (A test article. → A rewritten assessment.)\n",
                    "### Article metadata changed (1)\n\n- `demo`: publisher (Example News → Example Daily), "
                    "url (https://example.org/allies → https://example.org/allies-2)\n",
                    "### Verdict scale changed (1)\n\n- `inaccurate`: label (Inaccurate → Wrong)\n",
                    "### Settings changed (1)\n\n- `mkdocs.yml`: site_name (Fact-check reports → Checks)\n"):
        assert section in result.stdout, result.stdout
    assert "No changes to claims" not in result.stdout
    pages = result.stdout.split("### Pages that change")[1]
    for page in ("`articles/demo/`", "`claims/kane-is-caine/`", "`methodology/`", "`browse/verdict/inaccurate/`"):
        assert page in pages


def test_diff_of_an_unknown_revision_is_a_usage_error(tmp_path):
    root = mini_project(tmp_path, annotation())
    git(root, "init", "-q")
    commit(root, "only")
    result = run_generator(root, "diff", "no-such-rev")
    assert result.returncode == 2 and result.stderr.startswith("diff: cannot read revision 'no-such-rev'")


def reference(root, old, new, folder) -> str:
    """The summary as `diff` made it before it shared its work between the two revisions: each revision extracted
    into its own folder, checked and rendered from nothing, and every file compared."""
    before, _ = gather(diff._snapshot(root, old, folder / "old"))
    after, problems = gather(diff._snapshot(root, new, folder / "new"))
    return diff.summarise(old, new, before, after, problems, diff._changed_files(render(before), render(after)))


def test_diff_of_an_archive_says_what_checking_and_rendering_each_revision_from_nothing_says(tmp_path):
    corpus = make_corpus(tmp_path / "desk", 8)  # two commits: the first publication, then corrections to many articles
    edit_one_summary(corpus.root, "by a reviewer")
    commit(corpus.root, "one summary")  # a pull request's usual size
    template = corpus.root / "templates/methodology.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("## Corrections policy", "## How we correct"),
                        encoding="utf-8")
    commit(corpus.root, "a template")  # each revision is rendered with its own templates
    for old, new in (("HEAD~2", "HEAD~1"), ("HEAD~1", "HEAD"), ("HEAD~3", "HEAD"), ("HEAD", "HEAD~3")):
        result = run_generator(corpus.root, "diff", old, new)
        assert result.returncode == 0, result.stderr
        assert result.stdout == reference(corpus.root, old, new, tmp_path / old) + "\n"
    assert "### Pages that change (4)" in run_generator(corpus.root, "diff", "HEAD~2", "HEAD~1").stdout
    assert "### Pages that change (1)\n\n`methodology/`\n" in run_generator(corpus.root, "diff", "HEAD~1").stdout
    corrected = run_generator(corpus.root, "diff", "HEAD~3").stdout
    assert corrected.count("`articles/") > 1, "the corrections change several articles, each compared"


def test_diff_renders_only_the_articles_that_differ_between_the_revisions(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "desk", 6)
    claim, _ = edit_one_summary(corpus.root, "by a reviewer")
    commit(corpus.root, "one summary")
    rendered: list[dict] = []

    def recorded(*args, **kwargs):
        rendered.append(outputs_render(*args, **kwargs))
        return rendered[-1]

    outputs_render = outputs.render
    monkeypatch.setattr(outputs, "render", recorded)
    summary = diff.diff_revisions(corpus.root, "HEAD~1", "HEAD")
    assert f"`claims/{claim}/`" in summary
    assert len(rendered) == 2, "each revision once"
    for files in rendered:
        articles = [path for path in files if path.startswith("articles/")]
        claims = {path for path in files if path.startswith("claims/") and path != "claims/index.md"}
        assert len(articles) == 1 and f"claims/{claim}.md" in claims, "the edited article's files"
        assert len(claims) < 15, "and no other article's claims"
