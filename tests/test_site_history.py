"""Every change on the record: a claim's history comes from git, and a verdict change with its correction reaches
the claim page, the corrections page, the data and the feeds; without full history, the pages say so."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import feedparser

from generator.build import build
from generator.history import read_history
from generator.memo import Memo, digest

from .conftest import run_generator
from .helpers import CLAIM, annotation, mini_project

CORRECTED = annotation(CLAIM.replace("verdict: inaccurate", "verdict: misleading") + (
    '    updated: "2026-11-24"\n'
    "    corrections:\n"
    '      - date: "2026-11-24"\n'
    "        note: Verdict changed from inaccurate to misleading after a second reading of the record.\n"))


def git(root, *args, day=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    if day:
        env |= {"GIT_AUTHOR_DATE": f"{day}T10:00:00Z", "GIT_COMMITTER_DATE": f"{day}T10:00:00Z"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout


def repository(tmp_path):
    """A one-claim project whose claim was published on 22 November, then corrected on 24 November."""
    root = mini_project(tmp_path / "project", annotation())
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Publish", day="2026-11-22")
    (root / "annotations" / "demo.yaml").write_text(CORRECTED, encoding="utf-8")
    git(root, "commit", "-qam", "Correct the verdict", day="2026-11-24")
    return root


def built(root):
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_a_committed_verdict_change_and_its_correction_reach_every_page_and_feed(tmp_path):
    site = built(repository(tmp_path))
    claim = (site / "claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    history = claim.split('id="history"')[1].split("</ul>")[0]
    assert "<strong>22 November 2026</strong>: Published: Inaccurate." in history
    assert ("<strong>24 November 2026</strong>: Verdict changed from Inaccurate to Misleading; summary revised"
            not in history)  # only the verdict and the correction changed
    assert "<strong>24 November 2026</strong>: Verdict changed from Inaccurate to Misleading. (see the correction above)" \
        in history
    assert "after a second reading of the record" in claim.split('id="corrections-and-updates"')[1]

    corrections = (site / "corrections/index.html").read_text(encoding="utf-8")
    assert "<strong>Verdict changed from Inaccurate to Misleading.</strong> Verdict changed from inaccurate" in corrections

    [data] = [json.loads(p.read_text(encoding="utf-8")) for p in (site / "data").glob("*.json")]
    assert [(h["date"], h["was"], h["verdict"]) for h in data["claims"][0]["history"]] == [
        ("2026-11-22", None, "inaccurate"), ("2026-11-24", "inaccurate", "misleading")]
    assert data["history_limit"] is None

    reviews = feedparser.parse((site / "feed.xml").read_bytes())
    [review] = reviews.entries
    assert not reviews.bozo and review.updated.startswith("2026-11-24") and review.title.startswith("Misleading:")
    fixes = feedparser.parse((site / "corrections.xml").read_bytes())
    [fix] = fixes.entries
    assert not fixes.bozo and fix.updated.startswith("2026-11-24")
    assert "Verdict changed from Inaccurate to Misleading." in fix.content[0].value
    assert "after a second reading of the record" in fix.content[0].value


def test_a_wording_fix_stays_quiet(tmp_path):
    root = repository(tmp_path)
    (root / "annotations" / "demo.yaml").write_text(
        CORRECTED.replace("Gen. Dan Caine chaired the meeting.", "Gen. Dan Caine chaired the meeting"), encoding="utf-8")
    git(root, "commit", "-qam", "Typo", day="2026-11-25")
    claim = (built(root) / "claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert "25 November 2026" not in claim and "Also 1 wording fix that changed no meaning." in claim


def test_without_git_or_in_a_shallow_clone_the_history_says_what_it_cannot_know(tmp_path):
    loose = mini_project(tmp_path / "loose", CORRECTED)
    claim = (built(loose) / "claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert "this folder is not a git repository, so the history of changes is not known" in claim

    origin = repository(tmp_path)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "shallow")], check=True)
    claim = (built(tmp_path / "shallow") / "claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert "this copy of the repository is shallow: changes before 2026-11-24 are not known" in claim
    assert "<strong>24 November 2026</strong>: Published: Misleading." in claim, "what it does know, it shows"


def test_a_claims_history_rewritten_in_git_reaches_its_page_though_its_annotation_file_is_unchanged(tmp_path):
    """The memo keeps an article's view by its review and its claims' history (`History.digests`): the same file
    with another history (the correction's commit redated) is shown again, not read back."""
    root = repository(tmp_path)
    build(root, None)
    page = root / "docs/claims/kane-is-caine.md"
    assert "24 November 2026" in page.read_text(encoding="utf-8")
    git(root, "commit", "-q", "--amend", "--no-edit", "--date=2026-11-26T10:00:00Z",
        day="2026-11-26")
    _, report = build(root, None)
    assert "26 November 2026" in page.read_text(encoding="utf-8") and report.read_back > 0


def test_each_claims_events_have_a_digest_that_changes_with_them(tmp_path):
    root = repository(tmp_path)
    history = read_history(root, [Path("annotations/demo.yaml")], Memo())
    assert history.digests.keys() == history.events.keys() == {"kane-is-caine"}
    assert history.digest_of("kane-is-caine") == digest(history.of("kane-is-caine")) != digest(())
