"""The scale benchmark, as a smoke run (issue 13): a synthetic archive of ten articles built from scratch, one edit,
the live preview and what a reader downloads, measured by `bench/run.py` exactly as BENCHMARKS.md reports it.

Timings are the benchmark's business, not a test's (shared, noisy machines): this checks that every figure is
there and that the ones that do not depend on the machine hold: one edit rewrites only the files that show it, and
a search downloads fragments, not the index.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import subprocess
import sys

import pytest

from bench.corpus import make_corpus
from bench.run import edit_one_summary

from .conftest import REPO, run_generator

pytestmark = pytest.mark.slow
FIELDS = ("articles", "pages", "generator_s", "mkdocs_s", "total_s", "peak_rss_mb", "incremental_s", "files_rewritten",
          "search_bytes_per_query", "claim_page_bytes", "preview_start_s", "preview_s", "preview_regenerate_s",
          "preview_idle_cpu", "preview_error_s", "preview_fixed_s", "diff_s", "diff_pages", "committed_s")


def digest(root) -> str:
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    return hashlib.sha256(b"".join(p.relative_to(root).as_posix().encode() + p.read_bytes() for p in files)).hexdigest()


@pytest.mark.browser
def test_the_benchmark_runs_at_ten_articles_and_reports_every_figure():
    result = subprocess.run([sys.executable, "-m", "bench.run", "--articles", "10", "--revisions", "30"], cwd=REPO,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert [f for f in FIELDS if not isinstance(figures.get(f), (int, float))] == [], figures
    assert figures["articles"] == 10 and figures["pages"] > 10 * 10
    assert 0 < figures["files_rewritten"] <= 12, "one summary: its claim, article, data, feeds and card, no more"
    each = figures["incremental_each_s"]
    assert len(each) == 5 and figures["incremental_s"] == sorted(each)[2], "the median of five edits"
    assert 0 < figures["search_bytes_per_query"] <= 300_000 and figures["search_results"] > 0
    assert all(figures[f] > 0 for f in ("generator_s", "mkdocs_s", "total_s", "incremental_s", "preview_start_s",
                                        "preview_s", "preview_error_s", "preview_fixed_s", "committed_s"))
    assert len(figures["preview_each_s"]) == 3 and figures["preview_idle_cpu"] < 0.5, "the idle preview polls"
    assert 0 < figures["preview_regenerate_s"] <= max(figures["preview_each_s"]), "a part of the time the edit took"
    assert figures["preview_files_written"] == [figures["files_rewritten"]] * 3, "as `build --docs-only` rewrites"
    assert 0 < figures["diff_pages"] <= 5, "one summary: its claim's and article's pages, and the lists showing it"


def test_the_synthetic_archive_is_deterministic_and_passes_the_checks(tmp_path):
    first, second = make_corpus(tmp_path / "a", 30, revisions=20), make_corpus(tmp_path / "b", 30, revisions=20)
    assert (first.claims, first.articles) == (second.claims, 30) and digest(first.root) == digest(second.root)
    head = [subprocess.run(["git", "rev-parse", "HEAD"], cwd=c.root, capture_output=True, text=True).stdout
            for c in (first, second)]
    assert head[0] == head[1], "the same history, commit for commit"
    log = subprocess.run(["git", "log", "--format=%s"], cwd=first.root, capture_output=True, text=True).stdout
    assert log.splitlines() == [*(f"Reword a summary (revision {n})" for n in range(20, 0, -1)),
                                "Corrections after readers' reports", "First publication"]
    assert subprocess.run(["git", "status", "--porcelain"], cwd=first.root, capture_output=True, text=True).stdout == ""
    register = (first.root / "published.yaml").read_text(encoding="utf-8")
    corrected = [p for p in (first.root / "annotations").glob("*.yaml") if '"corrections"' in p.read_text(encoding="utf-8")]
    assert "moved_to" in register and "withdrawn" in register and corrected, "renamed, withdrawn and corrected claims"
    result = run_generator(first.root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fully_reviewed_archive_with_withdrawn_claims_passes_the_coverage_check(tmp_path):
    """Every sentence reviewed (`--claims-per-article all`): a withdrawn claim's sentence is reviewed again under a
    new claim, or the check would find it unreviewed (which stopped the benchmark of a fully reviewed archive)."""
    corpus = make_corpus(tmp_path / "full", 15, claims_per_article=None)
    assert corpus.claims == corpus.sentences
    assert "withdrawn" in (corpus.root / "published.yaml").read_text(encoding="utf-8")
    result = run_generator(corpus.root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_benchmarks_edits_leave_the_archive_valid_however_many_are_made(tmp_path):
    """Each edit replaces the one before: prefixed one after another, a summary outgrew its 200 characters after
    a few edits, and the preview then showed the error instead of the edit."""
    corpus = make_corpus(tmp_path / "a", 3)
    for n in range(20):
        _, words = edit_one_summary(corpus.root, f"preview {n}")
    text = "".join(p.read_text(encoding="utf-8") for p in (corpus.root / "annotations").glob("*.yaml"))
    assert text.count("Edited preview") == 1 and words == "Edited preview 19" and words in text
    result = run_generator(corpus.root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("clock", ["wall-clock", "processor"])
def test_the_step_by_step_benchmark_times_the_steps_of_a_build_after_an_edit(tmp_path, clock):
    """bench/steps.py, which BENCHMARKS.md's breakdown of one edit comes from: every step it times is reached (a
    step renamed in the generator would otherwise vanish from the list without a word), by either clock."""
    corpus = make_corpus(tmp_path / "a", 3)
    assert run_generator(corpus.root, "build", "--docs-only").returncode == 0
    result = subprocess.run([sys.executable, "-m", "bench.steps", str(corpus.root), "--edits", "2",
                             *(["--processor"] if clock == "processor" else [])], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("importing the generator: ") and f"median of 2 builds after an edit ({clock} time)" in lines[0]
    timed = {line.split(" s  ", 1)[1].split(" (")[0] for line in lines[1:]}
    assert timed >= {"the build, importing aside", "Memo.checked_all", "site_view", "write_docs", "Manifest.kept",
                     "load_annotations", "load_sources", "check", "listings", "site files: pages", "Memo._unbundle",
                     "read_ahead"}, timed


def test_the_side_by_side_benchmark_builds_each_archive_with_its_own_generator(tmp_path):
    """bench/alternate.py, which BENCHMARKS.md's side-by-side figures come from: each version of the generator
    (here the checkout and a copy of it, one comment apart) brings its own archive up to itself, then builds it
    after each of its edits, here committed first (`--commit`)."""
    other = tmp_path / "other"
    shutil.copytree(REPO / "generator", other / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "generator/__init__.py").open("a", encoding="utf-8") as init:
        init.write("# another version\n")
    archives = [make_corpus(tmp_path / name, 3).root for name in ("a", "b")]
    result = subprocess.run([sys.executable, "-m", "bench.alternate", str(REPO), str(archives[0]), str(other),
                             str(archives[1]), "--rounds", "3", "--commit"], cwd=REPO, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert [r["code"] for r in report] == [str(REPO), str(other)] and all(len(r["each_s"]) == 3 for r in report)
    version = "from generator.memo import generator_version; print(generator_version())"
    for code, root in zip((REPO, other), archives, strict=True):
        made_by = subprocess.run([sys.executable, "-c", version], cwd=code, capture_output=True, text=True).stdout.strip()
        recorded, _ = pickle.loads((root / ".cache/generator/read.pickle").read_bytes())
        assert recorded == made_by
        assert "Edited side by side " in "".join(p.read_text(encoding="utf-8") for p in (root / "docs/claims").glob("*.md"))
        log = subprocess.run(["git", "log", "--format=%s", "-3"], cwd=root, capture_output=True, text=True).stdout
        assert log.split("\n")[:3] == ["Round 3", "Round 2", "Round 1"], "each edit committed before its build"
