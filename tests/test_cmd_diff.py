"""`diff`: the Markdown summary a reviewer reads on an annotation pull request."""
from __future__ import annotations

import subprocess

from .conftest import run_generator
from .helpers import CLAIM, annotation, mini_project

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
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_diff_between_two_commits(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM + SECOND + THIRD))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
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
    assert result.stdout == """\
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

`check` on `HEAD`: 1 error(s), 0 warning(s).
"""


def test_diff_of_an_unknown_revision_is_a_usage_error(tmp_path):
    root = mini_project(tmp_path, annotation())
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    commit(root, "only")
    result = run_generator(root, "diff", "no-such-rev")
    assert result.returncode == 2 and result.stderr.startswith("diff: cannot read revision 'no-such-rev'")
