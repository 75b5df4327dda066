"""Every change on the record: a claim's history comes from git, and a verdict change with its correction reaches
the claim page, the corrections page, the data and the feeds; without full history, the pages say so."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import feedparser
import pytest

from generator import history
from generator.build import build
from generator.history import history_at, read_history
from generator.memo import Memo, digest
from generator.model import Event

from .conftest import run_generator
from .helpers import CLAIM, Noted, annotation, git, mini_project

CORRECTED = annotation(CLAIM.replace("verdict: inaccurate", "verdict: misleading") + (
    '    updated: "2026-11-24"\n'
    "    corrections:\n"
    '      - date: "2026-11-24"\n'
    "        note: Verdict changed from inaccurate to misleading after a second reading of the record.\n"))


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
    history = read_history(root, [Path("annotations/demo.yaml")], Memo())()
    assert history.digests.keys() == history.events.keys() == {"kane-is-caine"}
    assert history.digest_of("kane-is-caine") == digest(history.of("kane-is-caine")) != digest(())


def claims_file(*claims: tuple[str, str, str]) -> str:
    """An annotation file's claims as the history reads them: (id, verdict, summary) each, with a fixed note."""
    return "claims:\n" + "".join(f"  - id: {i}\n    verdict: {v}\n    summary: {s}\n    note: Checked against the record.\n"
                                 for i, v, s in claims)


@pytest.fixture
def asked(monkeypatch, tmp_path_factory) -> Callable[[], list[str]]:
    """What gives the versions (`commit:path`) the history read from git since it was last called, in the order they
    were asked for: by this process, or by the processes a build reads it in."""
    names = Noted(tmp_path_factory.mktemp("asked") / "names")
    blobs = history._blobs

    def noted(root: Path, wanted: list[str]) -> list[str | None]:
        names.add(*wanted)
        return blobs(root, wanted)
    monkeypatch.setattr(history, "_blobs", noted)
    return names.taken


ONE = "One is right about the budget the council passed in the spring"
"""A summary long enough that a changed last character is a wording fix (`history.MINOR`)."""
# Each step: the annotation files it writes (None removes one), or a rename, or an amended commit.
STEPS = [
    {"a.yaml": claims_file(("one", "accurate", ONE + "."), ("two", "unreviewed", "Two."))},
    {"a.yaml": claims_file(("one", "accurate", ONE + "!"), ("two", "misleading", "Two misleads."))},
    {"b.yaml": claims_file(("three", "false", "Three is false."))},
    {"a.yaml": claims_file(("one", "misleading", ONE + "!"), ("two", "misleading", "Two misleads.")).replace(
        "  - id: two", "    corrections:\n      - note: Verdict changed.\n  - id: two")},
    {"a.yaml": claims_file(("one", "misleading", ONE + "!")),  # two moves to b.yaml, its summary revised
     "b.yaml": claims_file(("three", "false", "Three is false."), ("two", "misleading", "Two misleads badly."))},
    {"README.md": "No annotation file changed.\n"},
    {"b.yaml": claims_file(("three", "accurate", "Three holds after all."), ("two", "misleading", "Two misleads badly."))},
    "rename b.yaml c.yaml",
    {"d.yaml": claims_file(("four", "accurate", "Four."))},
    {"a.yaml": None},
    "amend",
]


def test_the_history_read_on_from_any_earlier_reading_is_the_history_read_from_the_start(tmp_path, asked):
    """Each commit's history read on from each earlier commit's reading equals the one read from the start, through
    wording fixes, corrections, a claim moved between files, files added, renamed and removed, a commit that changed
    no annotation file, and a rewritten commit; and reading on reads only the new versions and those they follow.
    The project is a folder of its repository, beside another holding a file of the same name."""
    root = tmp_path / "repository" / "desk"
    (root / "annotations").mkdir(parents=True)
    git(root.parent, "init", "-q", "-b", "main")
    (root.parent / "annotations").mkdir()
    (root.parent / "annotations" / "a.yaml").write_text(claims_file(("one", "false", "Not this project's.")))
    heads = []
    for n, step in enumerate(STEPS):
        day = f"2026-11-{n + 1:02d}"
        if step == "amend":
            (root / "annotations/d.yaml").write_text(claims_file(("four", "false", "Four, amended.")), encoding="utf-8")
            git(root, "commit", "-qa", "--amend", "--no-edit", day=day)
        elif isinstance(step, str):
            git(root, "mv", *(f"annotations/{name}" for name in step.split()[1:]))
            git(root, "commit", "-qm", step, day=day)
        else:
            for name, text in step.items():
                path = root / ("annotations" if name.endswith(".yaml") else "") / name
                path.unlink() if text is None else path.write_text(text, encoding="utf-8")
            git(root, "add", "-A")
            git(root, "commit", "-qm", f"step {n}", day=day)
        paths = tuple(sorted(p.relative_to(root) for p in (root / "annotations").glob("*.yaml")))
        heads.append((git(root, "rev-parse", "HEAD").strip(), paths))

    readings = [history_at(root, head, False, paths) for head, paths in heads]
    assert readings[6].history.events["two"] == (
        Event(date(2026, 11, 2), ("published",), "misleading"),
        Event(date(2026, 11, 5), ("summary",), None, None, None, False))
    assert [e.what for e in readings[6].history.of("one")] == [("published",), ("summary",), ("verdict",)]
    assert readings[6].history.of("one")[1].minor and readings[6].history.of("one")[2].correction == "Verdict changed."
    assert "one" not in readings[-1].history.events, "the history of the files given: a.yaml is gone"
    for k, (head, paths) in enumerate(heads):
        for j in range(k):
            assert history_at(root, head, False, paths, readings[j]) == readings[k], (j, k)

    asked()
    history_at(root, heads[6][0], False, heads[6][1], readings[5])
    assert asked() == [f"{heads[6][0]}:desk/annotations/b.yaml", f"{heads[4][0]}:desk/annotations/b.yaml"], \
        "the new version, and the version its claims were last seen in"
    history_at(root, heads[5][0], False, heads[5][1], readings[4])
    assert asked() == [], "a commit that changed no annotation file reads none"


def test_a_build_after_a_commit_reads_only_the_new_versions_and_shows_them(tmp_path, asked):
    """With no reading to read on from, a build reads the history in one of the processes that check the articles,
    while they do, and that process keeps its reading as this one would: the build after a commit reads on from it.
    And with what the last build read unreadable, it reads the whole history again."""
    root = repository(tmp_path)
    build(root, None)
    assert len(asked()) == 2, "the whole history: the version published, and the correction"
    (root / "annotations" / "demo.yaml").write_text(CORRECTED.replace("verdict: misleading", "verdict: accurate"),
                                                    encoding="utf-8")
    git(root, "commit", "-qam", "Correct it again", day="2026-11-27")
    build(root, None)
    assert len(said := asked()) == 2, said  # the new version, and the one before it
    page = root / "docs/claims/kane-is-caine.md"
    assert "<strong>27 November 2026</strong>: Verdict changed from Misleading to Accurate" in page.read_text(
        encoding="utf-8")
    reading = root / ".cache/generator" / history.READING
    kept = reading.stat().st_mtime_ns
    (root / "annotations" / "demo.yaml").write_text(CORRECTED, encoding="utf-8")
    build(root, None)
    assert asked() == [] and reading.stat().st_mtime_ns == kept, \
        "an edit not committed: the commit's history is read back, not read on again"
    assert read_history(root, [Path("annotations/demo.yaml")], Memo())() == \
        read_history(root, [Path("annotations/demo.yaml")], Memo(root / ".cache/generator"))(), "as read from the start"

    (root / ".cache/generator" / history.READING).write_bytes(b"damaged")
    git(root, "commit", "-q", "--allow-empty", "-m", "Nothing changed", day="2026-11-28")
    asked()
    build(root, None)
    assert len(asked()) == 3 and "27 November 2026" in page.read_text(encoding="utf-8"), "read from the start"
