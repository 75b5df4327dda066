"""Problems across files and commands: all reported in one run, exit codes and formats, nothing written.

One-defect cases with their exact messages live in tests/fixtures/broken (test_problems_broken_annotations.py).
"""
from __future__ import annotations

import json
import subprocess
import sys

from generator.build import gather

from .conftest import REPO, run_generator, write_files
from .helpers import CAPTURE, CLAIM, META, SETTINGS, annotation, mini_project, sha


def problems_of(root):
    _, problems = gather(root)
    return [p.format() for p in problems.sorted()]


def test_clean_project_has_no_problems(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert problems_of(root) == []


def test_missing_key_and_bad_url_reported_together(tmp_path):
    claims = CLAIM.replace("    note: Gen. Dan Caine chaired the meeting.\n", "").replace(
        "https://example.org/caine", "ftp://example.org/caine")
    root = mini_project(tmp_path, annotation(claims))
    assert problems_of(root) == [
        "annotations/demo.yaml:8:5: error: missing required key 'note'\n"
        "    hint: add 'note:' here (claims.0.note); only a claim marked unreviewed may leave it out",
        "annotations/demo.yaml:13:14: error: claims.0.evidence.0.url: has the wrong form (got 'ftp://example.org/caine')\n"
        "    hint: a full http:// or https:// address",
    ]


def test_occurrence_picks_one_of_several_matches(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "    quote: chaired by General Daniel K. Kane", "    quote: offered\n    occurrence: 2")))
    project, problems = gather(root)
    assert not problems.items
    (anchor,) = project.reviews[0].anchors
    assert anchor.sentence.text == "France offered “air cover” too."


def test_claim_ids_are_unique_across_files(tmp_path):
    root = mini_project(tmp_path, annotation())
    other = CAPTURE.replace("Allies", "Partners")
    write_files(root, {"sources/other/capture.txt": other,
                       "sources/other/meta.yaml": META.format(sha=sha(other)),
                       "annotations/other.yaml": annotation(sha_value=sha(other)).replace("article: demo", "article: other")})
    assert problems_of(root) == [
        "annotations/other.yaml:8:5: error: claim id 'kane-is-caine' is already used at annotations/demo.yaml:8:5\n"
        "    hint: claim ids are permanent addresses (claims/<id>/): choose a new, unique id",
    ]


def test_quote_normalisation_accepts_other_quote_styles_and_spaces(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "chaired by General Daniel K. Kane", "'France offered   \"air cover\" too.'")))
    assert problems_of(root) == []


def test_edited_capture_is_refused(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "sources/demo/capture.txt").write_text(CAPTURE + "An added line.\n", encoding="utf-8")
    actual = sha(CAPTURE + "An added line.\n")
    assert problems_of(root) == [
        "sources/demo/meta.yaml:8:17: error: capture.txt does not match its recorded SHA-256: captures are "
        "evidence and are never edited\n"
        f"    hint: restore capture.txt from git; if this is a deliberate new capture, record {actual}",
    ]


def test_furniture_rule_that_matches_nothing(tmp_path):
    meta = META.format(sha=sha(CAPTURE)) + "furniture:\n  - line: Skip to content\n"
    root = mini_project(tmp_path, annotation(), meta=meta)
    assert problems_of(root) == [
        "sources/demo/meta.yaml:10:5: error: furniture line 'Skip to content' matches no line of the capture\n"
        "    hint: copy the line exactly as it stands in capture.txt (spaces at the ends do not matter)",
    ]


def test_check_command_exit_codes_and_formats(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("verdict: inaccurate", "verdict: wrong")))
    text = run_generator(root, "check")
    assert text.returncode == 1
    assert "annotations/demo.yaml:10:14: error: unknown verdict 'wrong'" in text.stdout
    assert "1 error(s), 0 warning(s)" in text.stderr
    github = run_generator(root, "check", "--format", "github")
    assert github.stdout.startswith("::error file=annotations/demo.yaml,line=10,col=14::unknown verdict 'wrong'")
    as_json = json.loads(run_generator(root, "check", "--format", "json").stdout)
    assert as_json["problems"][0]["line"] == 10
    assert run_generator(root, "check", "--format", "xml").returncode == 2
    (root / "annotations/demo.yaml").write_text(annotation(), encoding="utf-8")
    assert run_generator(root, "check").returncode == 0


def test_a_command_ends_its_process_itself_with_its_output_whole_and_the_exit_hooks_run(tmp_path):
    """`python -m generator` ends with os._exit, skipping the freeing of what it held: what it printed into pipes
    larger than their buffers, its exit code and the hooks registered to run at exit must all survive that."""
    claims = "".join(CLAIM.replace("id: kane-is-caine", f"id: kane-is-caine-{i}").replace("verdict: inaccurate",
                                                                                            "verdict: wrong")
                     for i in range(400))
    root = mini_project(tmp_path, annotation(claims))
    hooked = ("import atexit, runpy, sys; atexit.register(lambda: print('hook ran', file=sys.stderr)); "
              f"sys.argv = ['generator', '--root', {str(root)!r}, 'check', '--format', 'json']; "
              "runpy.run_module('generator', run_name='__main__', alter_sys=True)")
    result = subprocess.run([sys.executable, "-c", hooked], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert len(result.stdout) > 65_536  # more than a pipe holds: written out before the process ended
    problems = json.loads(result.stdout)["problems"]
    assert sum(p["message"] == "unknown verdict 'wrong'" for p in problems) == 400
    assert result.stderr.endswith("hook ran\n")


def test_an_unreadable_annotation_file_is_one_error_and_its_coverage_is_not_counted(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "factcheck.yaml").write_text(SETTINGS.replace("coverage: ignore", "coverage: warning"), encoding="utf-8")
    (root / "annotations/demo.yaml").write_text(annotation().replace("  - id:", "   - id:", 1), encoding="utf-8")
    result = run_generator(root, "check")
    assert result.stdout.count(": error: ") == 1 and ": warning: " not in result.stdout
    assert "coverage: demo: annotations not read (error above)" in result.stderr
    assert "1 error(s), 0 warning(s)" in result.stderr


def test_build_with_errors_writes_nothing_and_keeps_the_old_site(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build").returncode == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    docs_before = {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    (root / "annotations/demo.yaml").write_text(annotation(CLAIM.replace("verdict: inaccurate", "verdict: wrong")))
    result = run_generator(root, "build")
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()} == docs_before




def test_coverage_setting_decides_between_warning_and_error(tmp_path):
    root = mini_project(tmp_path, annotation())
    for level, expected_exit in (("warning", 0), ("error", 1)):
        (root / "factcheck.yaml").write_text(SETTINGS.replace("coverage: ignore", f"coverage: {level}"), encoding="utf-8")
        result = run_generator(root, "check")
        assert result.returncode == expected_exit
        assert result.stdout.startswith(
            f"sources/demo/capture.txt:1:1: {level}: 1 of 5 sentences reviewed; 4 unreviewed, the first: s-bca904cc "
            "'Allies Meet On Guarantees'\n")
    (root / "factcheck.yaml").write_text("checks:\n  coverage: sometimes\n", encoding="utf-8")
    assert "factcheck.yaml:2:13: error: checks.coverage: input should be 'ignore', 'warning' or 'error'" in \
        run_generator(root, "check").stdout


def test_settings_name_only_known_checks_and_cannot_soften_the_fixed_ones(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "factcheck.yaml").write_text("checks:\n  coverag: error\n  known-verdicts: warning\n", encoding="utf-8")
    output = run_generator(root, "check").stdout
    assert "factcheck.yaml:2:3: error: no check is called 'coverag'\n    hint: did you mean 'coverage'? the checks: " in output
    assert ("factcheck.yaml:3:3: error: check 'known-verdicts' is always an error: every verdict is an id from "
            "verdicts.yaml\n    hint: remove this line") in output
