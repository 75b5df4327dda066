"""Broken and hostile project files, one defect per case in tests/fixtures/broken-projects/<case>/.

Each case is laid over the one-article project of tests/helpers.py: `files/` holds the files written over
it (bytes as they are: encodings, NUL bytes, binary data), `remove` lists files taken away, `about` says
what the case is, and `expected` holds `check`'s exact output. Every case must stop the build with
located errors and no traceback, and say nothing that follows only from the defect (no cascade).
Refresh the expected files after a deliberate change of wording: `python -m tests.test_problems_broken_projects`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import gather
from generator.load import MAX_CAPTURE_BYTES, MAX_REGISTER_BYTES
from generator.write import REGISTER_HEADER
from generator.yamldoc import MAX_YAML_BYTES

from .conftest import REPO, run_generator
from .helpers import CAPTURE, META, annotation, mini_project, sha

CORPUS = REPO / "tests" / "fixtures" / "broken-projects"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def problems_for(root: Path, case: Path) -> str:
    mini_project(root, annotation())
    if (case / "files").is_dir():
        for source in sorted((case / "files").rglob("*")):
            if source.is_file():
                target = root / source.relative_to(case / "files")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    if (case / "remove").is_file():
        for rel in (case / "remove").read_text(encoding="utf-8").split():
            (root / rel).unlink()
    _, problems = gather(root)
    return problems.render() + "\n"


@pytest.mark.parametrize("name", CASES)
def test_broken_file_is_reported_exactly(tmp_path, name):
    actual = problems_for(tmp_path / "project", CORPUS / name)
    assert actual == (CORPUS / name / "expected").read_text(encoding="utf-8")
    assert ": error: " in actual, "every case stops the build"


def test_the_corpus_covers_what_the_issue_lists():
    assert len(CASES) >= 30
    for case in CASES:
        assert (CORPUS / case / "about").read_text(encoding="utf-8").strip(), f"{case} says what it is"


def test_an_enormous_annotation_file_is_refused_before_it_is_read(tmp_path):
    root = mini_project(tmp_path, annotation())
    with (root / "annotations" / "demo.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * MAX_YAML_BYTES + "\n")
    size = (root / "annotations" / "demo.yaml").stat().st_size
    _, problems = gather(root)
    assert problems.render() == (
        f"annotations/demo.yaml:1:1: error: file is {size:,} bytes; demo.yaml is read up to {MAX_YAML_BYTES:,}\n"
        "    hint: split it, or check that this is the file you meant (see README, 'Limits')")


def test_the_register_of_published_addresses_is_read_far_beyond_the_limit_of_other_yaml_files(tmp_path):
    """published.yaml gains a line for every claim ever published and can be neither split nor pruned: a fully
    reviewed archive of 1,000 articles (41,000 claims) makes it 2.1 MB, over the 2 MB of other YAML files."""
    root = mini_project(tmp_path, annotation())
    register = root / "published.yaml"
    lines = "".join(f'  old-claim-{n:06}: {{withdrawn: "2025-01-01", reason: "An old check."}}\n' for n in range(40_000))
    register.write_text(REGISTER_HEADER + lines, encoding="utf-8")
    assert register.stat().st_size > MAX_YAML_BYTES
    project, problems = gather(root)
    assert problems.render() == "" and len(project.addresses) == 40_000
    with register.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * MAX_REGISTER_BYTES + "\n")
    _, problems = gather(root)
    assert f"published.yaml:1:1: error: file is {register.stat().st_size:,} bytes; published.yaml is read up to " \
           f"{MAX_REGISTER_BYTES:,}" in problems.render()


def test_an_enormous_capture_is_refused(tmp_path):
    capture = CAPTURE + "More text.\n" * (MAX_CAPTURE_BYTES // 11 + 1)
    root = mini_project(tmp_path, annotation(sha_value=sha(capture)), capture=capture, meta=META.format(sha=sha(capture)))
    size = len(capture.encode("utf-8"))
    _, problems = gather(root)
    assert problems.render() == (
        f"sources/demo/capture.txt:1:1: error: capture is {size:,} bytes; captures are read up to {MAX_CAPTURE_BYTES:,}\n"
        "    hint: capture the article's text only, not the whole page (see README, 'Limits')")


def test_crlf_line_ends_and_a_byte_order_mark_are_accepted_with_offsets_intact(tmp_path):
    capture = "\ufeff" + CAPTURE.replace("\n", "\r\n")
    raw = capture.encode("utf-8")
    crlf_annotation = ("\ufeff" + annotation(sha_value=sha(capture)).replace("\n", "\r\n")).encode("utf-8")
    root = mini_project(tmp_path, capture=capture, meta=META.format(sha=sha(capture)).replace("\n", "\r\n"))
    (root / "annotations" / "demo.yaml").write_bytes(crlf_annotation)
    project, problems = gather(root)
    assert not problems.items, problems.render()
    article = project.reviews[0].article
    text = raw.decode("utf-8-sig")  # offsets index the text after the byte-order mark
    assert [s.text for s in article.sentences] == [text[s.start:s.end] for s in article.sentences]
    assert article.sentences[0].text == "Allies Meet On Guarantees"
    (claim,) = project.reviews[0].anchors
    assert claim.sentence.text.startswith("The talks, chaired by General Daniel K.\r\nKane")


TEMPLATE_MISTAKES = [
    ("a name no template is given", "claim.md.j2", "body: html\n---\n", "body: html\n---\n{% if notice %}{% endif %}\n",
     "templates/claim.md.j2:12:1: error: template: 'notice' is undefined"),
    ("its syntax", "_macros.j2", "{% macro ", "{% if %}\n{% macro ",
     "templates/_macros.j2:6:1: error: template: Expected an expression, got 'end of statement block'"),
    ("a template it includes that is not there", "home.md.j2", "---\n", "---\n{% include \"_notice.md.j2\" %}\n",
     "templates/home.md.j2:3:1: error: template: no template '_notice.md.j2' in templates/"),
]


@pytest.mark.parametrize("mistake", TEMPLATE_MISTAKES, ids=[m[0] for m in TEMPLATE_MISTAKES])
def test_a_mistake_in_a_template_is_one_located_error_and_the_pages_stay_as_they_were(tmp_path, mistake):
    _, name, old, new, expected = mistake
    root = mini_project(tmp_path / "project", annotation())
    assert run_generator(root, "build", "--docs-only").returncode == 0
    docs = {p: p.read_bytes() for p in sorted((root / "docs").rglob("*")) if p.is_file()}
    template = root / "templates" / name
    text = template.read_text(encoding="utf-8")
    assert old in text
    template.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_generator(root, "build", "--docs-only")
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [expected], result.stdout + result.stderr
    assert {p: p.read_bytes() for p in sorted((root / "docs").rglob("*")) if p.is_file()} == docs


def _refresh() -> None:
    import tempfile
    for name in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            (CORPUS / name / "expected").write_text(problems_for(Path(tmp) / "project", CORPUS / name), encoding="utf-8")


if __name__ == "__main__":
    _refresh()
