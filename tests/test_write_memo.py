"""The memo (.cache/generator/): a build reads back what earlier builds made for unchanged articles, makes again
only what an edit touches, and never shows a stale page: after every kind of edit, docs/ is byte for byte what a
build without the memo writes."""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import pickle
import pickletools
import re
import shutil
import subprocess
import sys
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest

from bench.corpus import make_corpus
from generator import build as build_module
from generator import load, memo, outputs
from generator.build import MANIFEST, build, gather
from generator.layout import Layout
from generator.memo import FOLDER, Memo
from generator.serve import Preview
from generator.views import site_view
from generator.write import KEPT, Manifest, Survey, workers

from .conftest import REPO, copy_project

ARTICLE = "annotations/western-allies-paris-summit.yaml"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2025-09-01T12:00:00", "GIT_COMMITTER_DATE": "2025-09-01T12:00:00"})


def _committed_project(root: Path) -> Path:
    copy_project(root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")
    return root


def _generated(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and any(p.relative_to(docs).as_posix().startswith(o) for o in outputs.OWNED)}


def _without_memo(root: Path, scratch: Path) -> dict[str, bytes]:
    """docs/ as a build of the same project writes it with no memo at all."""
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache"))
    _, report = build(scratch, None)
    assert report.read_back == 0
    return _generated(scratch)


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    ("a claim's summary", ARTICLE, "    summary: \"", "    summary: \"Edited. "),
    ("a template", "templates/claim.md.j2", "body: html\n---\n", "body: html\n---\n<!-- template edited -->\n"),
    ("the site's name", "mkdocs.yml", "site_name: ", "site_name: Renamed "),
    ("a verdict's label", "verdicts.yaml", "label: ", "label: Relabelled "),
    ("an office holder", "knowledge/offices.yaml", "name: ", "name: Someone Else "),
]


@pytest.mark.slow
def test_after_every_kind_of_edit_a_build_with_the_memo_writes_what_one_without_it_writes(tmp_path):
    root = _committed_project(tmp_path / "project")
    build(root, None)
    for n, (what, path, old, new) in enumerate(EDITS):
        _edit(root, path, old, new)
        _, report = build(root, None)
        assert report.written, f"{what}: something shows it"
        assert _generated(root) == _without_memo(root, tmp_path / f"scratch-{n}"), f"after editing {what}"
    # a commit changes the claims' history, which their pages show
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "edits")
    build(root, None)
    assert _generated(root) == _without_memo(root, tmp_path / "scratch-commit")


def test_an_edit_makes_again_only_the_work_of_its_article(tmp_path):
    root = copy_project(tmp_path / "project")
    _, first = build(root, None)
    assert first.read_back == 0 and first.made > 0
    _, again = build(root, None)
    articles, articles_outputs = len(list((root / "sources").iterdir())), sum(1 for o in outputs.OUTPUTS if o.article)
    lists = len(list((root / "docs" / "browse").rglob("*.md")))  # the browsing lists and the articles' index
    left = articles * articles_outputs + lists + 1
    assert (again.left, again.read_back, again.made, again.written) == (left, first.made - left, 0, []), \
        "the articles' files, the pages that list them and the site's card are left in docs/ as written, not even " \
        "read back"

    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    _, edited = build(root, None)
    ids = re.findall(r"^  - id: (\S+)", (root / ARTICLE).read_text(encoding="utf-8"), re.M)
    listings = [p for p in (root / "docs" / "browse").rglob("*.md")
                if any(f"claims/{i}.md" in p.read_text(encoding="utf-8") for i in ids)]
    assert listings
    assert edited.made == 1 + 1 + 1 + articles_outputs + 1 + len(listings) + 1, \
        "its file read, its review, its view, each output's files of it, its rows of the site's claims table and " \
        "feed, the listing pages that list its claims, and the page of the articles' index that lists it"
    index_page, site_card = 1, 1
    assert edited.left == (articles - 1) * articles_outputs + lists - len(listings) - index_page + site_card
    assert edited.read_back == first.made - edited.made - edited.left
    slug, claim = "western-allies-paris-summit", "headline-finalise-and-win-us"  # the claim whose summary changed
    assert sorted(edited.written) == sorted([
        f"articles/{slug}.md", f"claims/{claim}.md", f"oembed/claims/{claim}.json", f"data/{slug}.json",
        f"data/annotations/{slug}.jsonld", f"feeds/articles/{slug}.xml",  # the article's own files, then the site's:
        "browse/outlet/publisher-unknown.md", "browse/verdict/accurate.md", "data/claims.csv", "feed.xml"])


def test_the_memo_is_read_back_by_another_process_whatever_its_hash_seed(tmp_path):
    root = copy_project(tmp_path / "project")
    runs = []
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", "--docs-only"],
                                cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        found = re.search(r"articles' work: (\d+) read back from \.cache/generator/, (\d+) left in docs/ as written, "
                          r"(\d+) done", result.stderr)
        assert found, result.stderr
        runs.append([int(n) for n in found.groups()])
    (read_back, left, made), (read_back_again, left_again, made_again) = runs
    assert (read_back, left) == (0, 0) and made > 0
    assert made_again == 0 and left_again > 0 and read_back_again + left_again == made


def test_a_project_moved_to_another_folder_finds_its_work_kept_and_writes_the_same(tmp_path):
    """The memo files work by what it is made of, not by where the project is: a clone with a copied cache, a folder
    renamed, and `diff`'s revisions (each extracted into a folder of its own) read back what was made elsewhere."""
    root = copy_project(tmp_path / "project")
    _, first = build(root, None)
    before = _generated(root)
    moved = root.rename(tmp_path / "elsewhere")
    _, again = build(moved, None)
    assert (again.made, again.written) == (0, []) and again.read_back + again.left == first.made
    assert _generated(moved) == before
    _, read = pickle.loads((moved / FOLDER / memo.READ).read_bytes())
    assert read and all(path.startswith(f"{moved}/") for paths in read for path in paths), "the files as they are now"
    _edit(moved, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    _, edited = build(moved, None)
    assert 0 < edited.made < first.made / 4, "only the edited article's work, and the lists that show it"
    assert _generated(moved) == _without_memo(moved, tmp_path / "scratch")


def _reading(monkeypatch) -> list[str]:
    """The paths of the sources, annotation files and register of addresses the loader reads from now on."""
    read: list[str] = []
    real = load._read_stamped
    monkeypatch.setattr(load, "_read_stamped", lambda path, limit: read.append(path) or real(path, limit))
    return read


def test_a_build_reads_only_the_files_changed_since_the_last_one_even_in_another_process(tmp_path, monkeypatch):
    """The last build's record of the settings, sources, annotation files and register it read (`Memo.known`: their
    size, times and inode then) spares a new process reading the unchanged ones: after one edit, it reads that file.
    A file rewritten at the same size, its modification time put back, is read again (its change time moved)."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    fresh = gather(root)[0]
    read = _reading(monkeypatch)
    unchanged, _ = gather(root, Memo(root / FOLDER))  # a new memo: what a new process knows
    assert read == []
    assert (unchanged.layout, unchanged.scale, unchanged.offices, unchanged.addresses, unchanged.stale_schemas) == (
        fresh.layout, fresh.scale, fresh.offices, fresh.addresses, fresh.stale_schemas)
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    meta = root / "sources/western-allies-paris-summit/meta.yaml"
    before = meta.stat()
    meta.write_text(meta.read_text(encoding="utf-8").replace("title: Western", "title: WESTERN"), encoding="utf-8")
    os.utime(meta, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert meta.stat().st_size == before.st_size and meta.stat().st_mtime_ns == before.st_mtime_ns
    edited, _ = gather(root, Memo(root / FOLDER))
    assert sorted(read) == sorted([str(root / ARTICLE), str(meta), str(meta.with_name("capture.txt"))])
    assert edited.reviews == gather(root)[0].reviews != unchanged.reviews
    assert any(r.article.meta.title.startswith("WESTERN") for r in edited.reviews)


def test_the_record_of_what_was_read_serves_only_the_version_that_made_it_and_its_results_may_be_gone(
        tmp_path, monkeypatch):
    """Its keys are the generator's: another version (whose keys would find the results of this one) reads every
    file again. And with the results it points to deleted, the files are read and the project is the same."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    read = _reading(monkeypatch)
    layout = Layout(root)
    settings = [layout.mkdocs, layout.settings_file, layout.scale, layout.offices, layout.published]
    files = len([*(root / "sources").glob("*/*.*"), *(root / "annotations").glob("*.yaml"), *settings])
    monkeypatch.setattr(memo, "generator_version", lambda: "another version")
    gather(root, Memo(root / FOLDER))
    assert len(read) == files
    monkeypatch.undo()
    for result in (root / FOLDER).glob("*/*.pickle"):
        result.unlink()
    assert (root / FOLDER / memo.READ).is_file()
    project, problems = gather(root, Memo(root / FOLDER))
    alone, problems_alone = gather(root)
    assert project.reviews == alone.reviews and problems.render() == problems_alone.render()


def test_the_generators_version_names_each_librarys_installed_version_as_importlib_metadata_reads_it(monkeypatch):
    """What the memo keeps is made again after a library the pages depend on is upgraded: `generator_version` reads
    their versions from the names of their metadata folders, as importlib.metadata (the judge here) finds them."""
    import importlib.metadata
    installed = memo._installed()
    for library in memo._LIBRARIES:
        assert installed[memo._normalised(library)] == importlib.metadata.version(library), library
    version = memo.generator_version()
    memo.generator_version.cache_clear()
    monkeypatch.setattr(memo, "_installed", lambda: {**installed, "jinja2": "0.0.1"})
    try:
        assert memo.generator_version() != version
    finally:
        memo.generator_version.cache_clear()


def test_the_memo_keeps_only_what_the_last_build_used(tmp_path):
    root = copy_project(tmp_path / "project")
    build(root, None)
    count = sum(1 for _ in (root / FOLDER).glob("*/*.pickle"))
    for n in range(3):
        _edit(root, ARTICLE, "    summary: \"", f"    summary: \"Edit {n}. ")
        build(root, None)
    assert sum(1 for _ in (root / FOLDER).glob("*/*.pickle")) == count
    assert not list((root / FOLDER).glob("*/.*.partial"))


def test_a_build_reads_back_what_the_last_one_used_from_its_bundle_and_writes_the_same(tmp_path):
    """The results a build used, but for the files of pages, are kept together in one file (`memo.BUNDLE`) as well
    as each in its own: after an edit, the next build finds every unchanged article's results there (their own files
    deleted here) and writes what a build without the memo writes. A damaged bundle is only slower."""
    root = copy_project(tmp_path / "project")
    _, first = build(root, None)
    manifest = Manifest(root / MANIFEST, root / "docs")
    manifest.load()
    _, bundled = pickle.loads((root / FOLDER / memo.BUNDLE).read_bytes())
    assert bundled and not bundled.keys() & manifest.made_from.keys(), "no page's files in it"
    assert len(bundled) + len(manifest.made_from) == first.made
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    _, edited = build(root, None)
    for result in (root / FOLDER).glob("*/*.pickle"):
        result.unlink()
    _edit(root, ARTICLE, "    summary: \"Edited. ", "    summary: \"Edited again. ")
    _, again = build(root, None)
    assert (again.read_back, again.made, again.left) == (edited.read_back, edited.made, edited.left)
    assert _generated(root) == _without_memo(root, tmp_path / "scratch")
    bundle = root / FOLDER / memo.BUNDLE
    bundle.write_bytes(bundle.read_bytes()[:1000])
    for result in (root / FOLDER).glob("*/*.pickle"):
        result.unlink()
    _, damaged = build(root, None)
    assert damaged.read_back == 0 and damaged.made == first.made - damaged.left
    assert _generated(root) == _without_memo(root, tmp_path / "scratch-damaged")


def test_the_bundle_is_written_again_when_a_twentieth_of_it_has_changed(tmp_path):
    """Writing it costs more than reading it: until then, the next run reads the results made since from their own
    files."""
    keys = [f"result {n}" for n in range(40)]

    def run(used: list[str]) -> tuple[int, int]:
        run = Memo(tmp_path)
        for key in used:
            run.keyed(key, str, key)
        run.forget_unused()
        stat = (tmp_path / memo.BUNDLE).stat()
        return stat.st_ino, stat.st_mtime_ns

    first = run(keys[:40])
    assert run([*keys[1:40], "new 1"]) == first, "2 of 40 changed"
    assert run([*keys[1:40], "new 1"]) == first
    assert run([*keys[2:40], "new 1", "new 2"]) != first, "4 of 40 changed: more than a twentieth"
    assert Memo(tmp_path).keyed("new 2", pytest.fail) == "new 2"


@pytest.mark.parametrize("path", ["claims/headline-finalise-and-win-us.md", "browse/verdict/accurate.md"])
def test_a_generated_file_changed_by_hand_is_restored_though_the_manifest_knew_it(tmp_path, path):
    """An article's page, or a browsing list (the site's pages made from articles are kept as theirs are)."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    page = root / "docs" / path
    text = page.read_text(encoding="utf-8")
    assert "Allies" in text
    page.write_text(text.replace("Allies", "ALLIES"), encoding="utf-8")  # same size: only the time tells
    _, report = build(root, None)
    assert report.written == [path]
    assert page.read_text(encoding="utf-8") == text


def test_an_article_file_deleted_by_hand_is_made_again_though_its_article_is_unchanged(tmp_path):
    root = copy_project(tmp_path / "project")
    build(root, None)
    docs = root / "docs"
    page, image = docs / "claims" / "headline-finalise-and-win-us.md", next((docs / "previews" / "claims").iterdir())
    before = page.read_bytes(), image.read_bytes()
    page.unlink()
    image.unlink()
    _, report = build(root, None)
    assert sorted(report.written) == sorted(p.relative_to(docs).as_posix() for p in (page, image))
    assert (page.read_bytes(), image.read_bytes()) == before


class _Answering(Executor):
    """A pool whose every job returns `answer` without running, or fails as one whose process died would."""

    def __init__(self, answer: object = None):
        self.answer = answer

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: Future = Future()
        if self.answer is None:
            future.set_exception(RuntimeError("the worker died"))
        else:
            future.set_result(self.answer)
        return future


def test_the_files_kept_in_docs_are_checked_by_another_process_or_else_by_this_one(tmp_path):
    """A build has one of its workers look through the files the last one wrote (`Manifest.survey`) while it reads
    the project: a file changed by hand is seen by it, and an article's files are left in place only when it found
    none of them changed. Without its answer (a worker that died), this process looks for itself."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    docs, claim = root / "docs", "claims/headline-finalise-and-win-us.md"
    os.utime(docs / claim, ns=(0, 0))  # by hand, after the build
    recorded = Manifest(root / MANIFEST, docs)
    recorded.load()
    key = next(key for key, paths in recorded.made_from.items() if claim in paths)
    untouched, paths = next((key, paths) for key, paths in recorded.made_from.items() if claim not in paths)
    with workers() as pool:
        for survey in (pool, _Answering()):
            manifest = Manifest(root / MANIFEST, docs)
            manifest.survey(survey, outputs.OWNED)
            assert manifest.kept(key) is None, "a file changed by hand is made again"
            assert manifest.kept(untouched) == dict.fromkeys(paths, KEPT)
        surveyed = Manifest(root / MANIFEST, docs)
        surveyed.survey(pool, outputs.OWNED)
        assert surveyed.surveyed is not None and surveyed.surveyed.result().changed == {claim}
    told = Manifest(root / MANIFEST, docs)
    told.survey(_Answering(Survey(frozenset(paths[:1]), frozenset(), frozenset(), ())), outputs.OWNED)
    assert told.kept(untouched) is None, "the survey's answer is what counts, not another look"


def test_what_no_build_makes_in_the_generated_folders_is_removed_and_the_folders_it_leaves_empty(tmp_path):
    """The files in the generated folders that the build does not make are removed, and the folders that leaves
    empty, or that were empty, up to the generated folders themselves; the files the survey saw are among what
    the build makes (`Manifest.survey`), and nothing outside them is touched."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    docs = root / "docs"
    stray, nested = docs / "claims" / "stray.md", docs / "previews" / "old" / "deeper" / "a.png"
    empty = docs / "browse" / "x" / "y"
    for path in (stray, nested):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left")
    empty.mkdir(parents=True)
    hand = docs / "notes" / "hand-written.md"
    hand.parent.mkdir()
    hand.write_text("mine", encoding="utf-8")
    before = _generated(root)
    _, report = build(root, None)
    assert sorted(report.deleted) == ["claims/stray.md", "previews/old/deeper/a.png"]
    assert not any(p.exists() for p in (stray, docs / "previews" / "old", docs / "browse" / "x"))
    assert hand.read_text(encoding="utf-8") == "mine" and (docs / "browse").is_dir()
    assert _generated(root) == {path: data for path, data in before.items() if path not in report.deleted}


def test_a_manifest_from_an_earlier_version_only_makes_the_next_build_read_the_files(tmp_path):
    root = copy_project(tmp_path / "project")
    build(root, None)
    manifest = root / MANIFEST
    manifest.write_bytes(pickle.dumps({"index.md": (0, 0, b"")}))  # its form before it listed each result's files
    _, report = build(root, None)
    assert (report.written, report.left) == ([], 0)
    _, report = build(root, None)
    assert report.written == [] and report.left > 0


def test_a_kept_result_holds_its_arguments_by_reference(tmp_path):
    """A view holds its review: on disk the review is a reference to the argument, not a second copy, and a
    later run's (equal) argument is put in its place."""
    capture = "word " * 20_000
    Memo(tmp_path).keyed("key", lambda text: (text, len(text)), capture)
    [stored] = tmp_path.glob("*/*.pickle")
    assert stored.stat().st_size < 1_000, "the 100 KB argument is not copied"
    again = "".join(["word "] * 20_000)  # equal, another object
    text, length = Memo(tmp_path).keyed("key", pytest.fail, again)
    assert text is again and length == len(capture)


def test_a_view_read_back_shares_its_review_claims_and_sentences(tmp_path):
    """An article's view, read back by a later run, holds that run's claims and sentences (the memo refers to its
    arguments' parts, two levels down: review -> annotation file -> claims), not copies of them."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    memo = Memo(root / FOLDER)
    project, _ = gather(root, memo)
    before = memo.hits
    site = site_view(project, memo)
    assert memo.hits - before == len(project.reviews) and not memo.misses, "each view was read back"
    for article in site.articles:
        claims = {id(c) for c in article.review.annotations.claims}
        sentences = {id(s) for s in article.review.article.sentences}
        assert article.claims and all(id(c.claim) in claims for c in article.claims)
        assert all(id(s) in sentences for c in article.claims for s in (c.sentence, c.before, c.after) if s)
        assert article.meta is article.review.article.meta


def test_what_the_memo_reads_back_is_equal_to_what_it_kept_of_the_same_classes_and_still_frozen(tmp_path):
    """The memo makes our objects again by their classes' makers, not their __init__ (`memo._maker`): every
    review and view read back by another process equals the one kept, object for object of the same class, and a
    field cannot be set."""
    root = copy_project(tmp_path / "project")
    project, _ = gather(root)
    site = site_view(project)
    Memo(tmp_path / "store").keyed("key", lambda: (project.reviews, site.articles))
    code = ("import pickle, sys; from generator.memo import Memo; "
            "sys.stdout.buffer.write(pickle.dumps(Memo(sys.argv[1]).keyed('key', None)))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], cwd=REPO, capture_output=True,
                            check=True)
    reviews, articles = pickle.loads(result.stdout)
    [stored] = (tmp_path / "store").glob("*/*.pickle")
    assert "_maker" in {arg for op, arg, _ in pickletools.genops(stored.read_bytes()) if "UNICODE" in op.name}
    assert reviews == project.reviews and articles == site.articles

    def classes(o, seen):  # every object of ours, by class, as pickle walks them
        values = memo._field_values(o)
        if values is not None:
            seen.append(type(o).__qualname__)
        for value in values or (o if isinstance(o, tuple) else ()):
            classes(value, seen)
        return seen
    assert classes(reviews, []) == classes(project.reviews, [])
    assert {"Review", "Claim", "Sentence", "Origin", "ArticleView", "ClaimView"} <= set(classes((reviews, articles), []))
    claim = reviews[0].anchors[0].claim
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.verdict = "false"  # type: ignore[misc]


def test_a_build_keeps_the_collector_off_what_it_reads_and_views_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    """The project and its views live until the build ends: the garbage collector is off while they are made, and
    kept off them after (gc.freeze) while the pages are rendered. The processes that check articles are forked
    before, and collect as usual; and the build leaves the collector on, with nothing set aside."""
    root = copy_project(tmp_path / "project")
    seen: dict[str, tuple] = {}
    real_gather, real_render = build_module.gather, build_module.outputs.render

    def gather(root, memo=None, pool=None):
        seen["gathering"] = (gc.isenabled(), pool.submit(gc.isenabled).result())
        return real_gather(root, memo, pool)

    def render(site, *args):
        looked_at = {id(o) for o in gc.get_objects()}  # not those set aside
        views = [site, *site.articles, *(c for a in site.articles for c in a.claims)]
        seen["rendering"] = (gc.isenabled(), sum(id(o) in looked_at for o in views))
        return real_render(site, *args)
    monkeypatch.setattr(build_module, "gather", gather)
    monkeypatch.setattr(build_module.outputs, "render", render)
    build(root, None)
    assert seen["gathering"] == (False, True), "off here, on in the worker"
    assert seen["rendering"] == (True, 0), "on again, and off the views"
    assert gc.isenabled() and gc.get_freeze_count() == 0


class _Watched(Executor):
    """Hears when work is sent to the pool and when its result is first waited for."""

    def __init__(self, pool: Executor, heard):
        self.pool, self.heard = pool, heard

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.heard("sent")
        return _Waited(self.pool.submit(fn, *args, **kwargs), self.heard)


class _Waited(Future):
    def __init__(self, future: Future, heard):
        super().__init__()
        self.future, self.heard = future, heard

    def result(self, timeout=None):
        self.heard("waited")
        return self.future.result(timeout)


class _Counted(_Watched):
    """Counts the work sent to the pool."""

    def __init__(self, pool: Executor):
        super().__init__(pool, self._hear)
        self.sent = 0

    def _hear(self, what: str) -> None:
        self.sent += what == "sent"


def test_articles_checked_in_other_processes_are_as_checked_here_and_hold_this_process_files(tmp_path):
    """A build checks the articles no earlier run has checked in its worker processes (`Memo.checked_all`): the
    reviews and problems are those one process makes, each holds this process's annotation file (not a copy)
    and its claims (as a review made here does: the memo refers to its arguments' parts), and each is kept, so
    that the next run sends none, and a run without workers (the live preview, `check` before) reads them back,
    and the other way round."""
    root = copy_project(tmp_path / "project")
    alone, problems_alone = gather(root)
    with workers() as pool:
        first, second, third = _Counted(pool), _Counted(pool), _Counted(pool)
        shared, problems_shared = gather(root, Memo(root / FOLDER), first)
        again, problems_again = gather(root, Memo(root / FOLDER), second)
        here, problems_here = gather(root, Memo(root / FOLDER))
        shutil.rmtree(root / FOLDER)
        gather(root, Memo(root / FOLDER))
        back, problems_back = gather(root, Memo(root / FOLDER), third)
    assert first.sent == len(alone.reviews) > 1 and second.sent == third.sent == 0
    assert shared.reviews == alone.reviews == again.reviews == here.reviews == back.reviews
    assert (problems_shared.render() == problems_alone.render() == problems_again.render() == problems_here.render()
            == problems_back.render())
    assert problems_alone.items, "the five articles' automated checks report something: it is reported again"
    for project in (alone, shared, here, back):
        files = {f.article_slug: f for f in project.annotation_files}
        assert all(r.annotations is files[r.article.meta.slug] for r in project.reviews if r.annotations)
        claims = {id(c) for f in files.values() for c in f.claims}
        assert all(id(a.claim) in claims for r in project.reviews for a in (*r.anchors, *r.pending))


class _Readers(Executor):
    """Names the function of each call sent to the pool (of `memo._made_elsewhere`, what it is given: its path, then
    the function and its arguments)."""

    def __init__(self, pool: Executor):
        self.pool, self.sent = pool, []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.sent.append(args[1][0].__name__ if fn is memo._made_elsewhere else fn.__name__)
        return self.pool.submit(fn, *args, **kwargs)


def test_many_files_read_since_the_last_run_are_read_in_the_checking_processes_as_they_are_read_here(tmp_path):
    """A first build (a fresh clone, a new version of the generator) reads the annotation files in its checking
    processes, idle until then (`load._spread`; the sources are quicker to read here): the project and the problems
    are those one process finds, a file that cannot be read whole and a folder with a wrong name among them; an
    edit's few files are read ahead of the rest."""
    root = make_corpus(tmp_path / "desk", load.SPREAD + 2).root
    annotations = sorted((root / "annotations").glob("*.yaml"))
    _edit(root, annotations[0].relative_to(root).as_posix(), '"verdict": "', '"verdict": "unheard-of-')
    _edit(root, annotations[1].relative_to(root).as_posix(), "\n ]\n}\n", "\n ]\n]\n")  # YAML syntax
    (root / "annotations" / "huge.yaml").write_bytes(b"#" * (load.MAX_YAML_BYTES + 1))
    (root / "sources" / "Not_A_Slug").mkdir()
    alone, problems_alone = gather(root)
    said = " ".join(p.message for p in problems_alone.items)
    assert all(w in said for w in ("unheard-of", "YAML syntax", "is read up to", "'Not_A_Slug'")), "each is found"
    with workers() as pool:
        readers = _Readers(pool)
        spread, problems_spread = gather(root, Memo(), readers)
        sent = {name: readers.sent.count(name) for name in set(readers.sent)}
        assert sent["annotation_file"] == len(annotations) and "_source_from" not in sent
        assert spread == alone and problems_spread.render() == problems_alone.render()
        assert problems_spread.unread == problems_alone.unread

        memo = Memo(root / FOLDER)
        gather(root, memo, pool)
        memo.forget_unused()  # as a build ends: what it read is kept for the next
        _edit(root, annotations[2].relative_to(root).as_posix(), '"summary": "', '"summary": "Edited. ')
        readers = _Readers(pool)
        gather(root, Memo(root / FOLDER), readers)
        assert readers.sent == ["_read_annotation_files"], "an edit's file is read ahead of the rest (load.read_ahead)"


def test_a_stored_check_that_cannot_be_read_back_is_made_again_in_this_process(tmp_path):
    """The workers get only what is not stored (they start before the rest is read back); what is stored but cannot
    be read (damaged, say) is checked here, with the same result."""
    root = copy_project(tmp_path / "project")
    alone, problems_alone = gather(root)
    gather(root, Memo(root / FOLDER))
    for stored in (root / FOLDER).glob("*/*.pickle"):
        stored.write_bytes(b"damaged")
    with workers() as pool:
        counted = _Counted(pool)
        again, problems_again = gather(root, Memo(root / FOLDER), counted)
    assert counted.sent == 0
    assert again.reviews == alone.reviews and problems_again.render() == problems_alone.render()


def test_after_one_edit_its_file_is_read_elsewhere_first_and_taken_up_once_the_rest_is_read_back(tmp_path, monkeypatch):
    """The edited annotation file is sent to a checking process before anything is read back (`load.read_ahead`), and
    read and validated there while the build reads the bundle; the build waits for it only when it first asks for
    it, and takes up what was made: it reads nothing of it itself, and the project is the one a build alone makes."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    store, heard, made_here = Memo(root / FOLDER), [], []
    reporting = memo._reporting

    def heard_making(function, *args):
        made_here.append(function.__name__)
        return reporting(function, *args)

    monkeypatch.setattr(memo, "_reporting", heard_making)
    with workers() as pool:
        project, problems = gather(root, store, _Watched(pool, lambda what: heard.append((what, store.bundled))))
    assert [what for what, _ in heard] == ["sent", "waited"], "one head start, waited for once"
    (_, sent), (_, waited) = heard
    assert sent is None and waited is not None, "sent before the bundle is read, waited for after"
    assert "annotation_file" not in made_here and "review" in made_here, "read there; its claims placed here"
    monkeypatch.undo()
    alone, problems_alone = gather(root)
    assert project == alone and problems.render() == problems_alone.render()


def test_only_a_few_annotation_files_changed_since_the_last_run_are_read_ahead(tmp_path):
    """`load.read_ahead` finds them by their stamps, at most EDITED of them: a fresh clone, or many files pulled, is
    read with the rest (`load._spread`)."""
    root = copy_project(tmp_path / "project")
    build(root, None)
    layout, sent = Layout(root), []

    def ahead() -> list[str]:
        sent.clear()
        with workers() as pool:
            load.read_ahead(layout, Memo(root / FOLDER), _Names(pool))
        return sent[:]

    class _Names:  # what is sent, by its files' names
        def __init__(self, pool):
            self.pool = pool

        def submit(self, fn, root, names):
            sent.extend(names)
            return self.pool.submit(fn, root, names)

    assert ahead() == []
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    assert ahead() == [Path(ARTICLE).name]
    for path in sorted((root / "annotations").glob("*.yaml"))[:load.EDITED + 1]:
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert ahead() == []


_prepared = False


def _prepare() -> None:
    global _prepared
    _prepared = True


def _is_prepared(_: object) -> bool:
    return _prepared


def test_each_worker_is_prepared_before_its_first_task_while_the_build_goes_on():
    """`diff`'s checking workers make dateparser ready as they start (`checks.prepare`), while it reads both
    revisions: `workers(prepare=...)` runs it in each process before any task, and not in the one that asked."""
    with workers(prepare=_prepare) as pool:
        assert all(pool.map(_is_prepared, range(8)))
    assert not _prepared


def test_a_build_leaves_the_libraries_of_checking_and_drawing_to_its_other_processes(tmp_path):
    """dateparser and syntok are imported only where articles are examined, Pillow where cards are drawn: a build's
    own process, whose workers do both, never imports the first two, and after an edit to the annotations none of
    them, nor the validator (the edited file is read ahead in a checking process)."""
    root = copy_project(tmp_path / "project")
    code = ("import json, sys; from pathlib import Path; from generator.build import build; build(Path(sys.argv[1]), "
            "None); print(json.dumps(sorted(m for m in ('dateparser', 'syntok', 'PIL.Image', 'pydantic') "
            "if m in sys.modules)))")

    def imported() -> list[str]:
        result = subprocess.run([sys.executable, "-c", code, str(root)], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])

    assert imported() == ["PIL.Image", "pydantic"], "the first build validates every file, and draws the site's card"
    assert (root / "docs/claims/headline-finalise-and-win-us.md").is_file()
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    assert imported() == []


def test_a_build_imports_the_validator_only_to_validate_a_changed_file_itself(tmp_path):
    """pydantic (schema.py) is imported to validate a file that changed since the last build, and only then: a build
    with nothing changed reads every file's result back, the published schemas' check included (at 1,000 articles,
    importing it was 0.13 s of a build); an annotation file edited since is read in a checking process, ahead of
    the rest (`load.read_ahead`)."""
    root = copy_project(tmp_path / "project")
    code = ("import sys; from pathlib import Path; from generator.build import build; build(Path(sys.argv[1]), None); "
            "print('pydantic' in sys.modules)")

    def imported() -> str:
        result = subprocess.run([sys.executable, "-c", code, str(root)], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()[-1]

    assert imported() == "True"  # the first build validates every file
    assert imported() == "False"
    (root / "schema/offices.schema.json").write_text("{}\n", encoding="utf-8")
    assert imported() == "True"  # the published schemas are made again to be compared
    assert imported() == "False"
    _edit(root, ARTICLE, "    summary: \"", "    summary: \"Edited. ")
    assert imported() == "False"  # an edited annotation file is read in a checking process (load.read_ahead)
    _edit(root, "verdicts.yaml", "definition: ", "definition: Edited. ")
    assert imported() == "True"


@pytest.mark.slow
def test_the_preview_keeping_its_work_in_memory_writes_after_every_kind_of_edit_what_a_build_without_it_writes(
        tmp_path):
    """The preview trusts a source or annotation file unchanged while its size, time and inode are (Memo.known)."""
    root = _committed_project(tmp_path / "project")
    preview = Preview(root)
    preview.refresh()
    source = "sources/" + Path(ARTICLE).stem + "/meta.yaml"
    for n, (what, path, old, new) in enumerate([*EDITS, ("a source's title", source, "title: ", "title: Retitled ")]):
        _edit(root, path, old, new)
        problems, report = preview.refresh()
        assert not problems and report.written, f"{what}: something shows it"
        assert _generated(root) == _without_memo(root, tmp_path / f"scratch-{n}"), f"after editing {what}"
