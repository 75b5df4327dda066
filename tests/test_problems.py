"""Every problem an editor can cause: exact message, exact place, all in one run, nothing written."""
from __future__ import annotations

import json

from generator.build import gather

from .conftest import run_generator
from .helpers import CAPTURE, CLAIM, annotation, mini_project, sha


def problems_of(root):
    _, problems = gather(root)
    return [p.format() for p in problems.sorted()]


def test_clean_project_has_no_problems(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert problems_of(root) == []


def test_yaml_boolean_verdict_is_caught_with_a_suggestion(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("verdict: inaccurate", "verdict: false")))
    assert problems_of(root) == [
        "annotations/demo.yaml:9:14: error: unquoted false is read as a boolean by YAML 1.1 tools and as text by others\n"
        '    hint: write "false" in quotes if you mean the word',
        "annotations/demo.yaml:9:14: error: unknown verdict 'false'\n"
        "    hint: did you mean 'inaccurate'? the scale (verdicts.yaml): accurate, mostly-accurate, misleading, "
        "inaccurate, unverifiable, opinion, question, not-checkable",
    ]


def test_duplicate_key(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("    summary:", "    verdict: accurate\n    summary:")))
    assert problems_of(root) == [
        "annotations/demo.yaml:10:5: error: duplicate key 'verdict'\n"
        "    hint: 'verdict' is already set on line 9; YAML would silently keep only the last",
    ]


def test_unknown_key(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("    summary:", "    sumary: typo\n    summary:")))
    assert problems_of(root) == [
        "annotations/demo.yaml:10:5: error: unknown key 'sumary'\n"
        "    hint: known keys here: id, quote, verdict, summary, note, evidence, published, updated",
    ]


def test_missing_key_and_bad_url_reported_together(tmp_path):
    claims = CLAIM.replace("    note: Gen. Dan Caine chaired the meeting.\n", "").replace(
        "https://example.org/caine", "ftp://example.org/caine")
    root = mini_project(tmp_path, annotation(claims))
    assert problems_of(root) == [
        "annotations/demo.yaml:7:5: error: missing required key 'note'\n"
        "    hint: add 'note:' here (claims.0.note)",
        "annotations/demo.yaml:12:14: error: claims.0.evidence.0.url: has the wrong form (got 'ftp://example.org/caine')\n"
        "    hint: a full http:// or https:// address",
    ]


def test_quote_matching_nothing_suggests_the_nearest_sentence(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("General Daniel K. Kane", "General Daniel K Kane")))
    assert problems_of(root) == [
        "annotations/demo.yaml:8:12: error: quote of claim 'kane-is-caine' matches no sentence of sources/demo/capture.txt\n"
        "    hint: did you mean 'chaired by General Daniel K. Kane' in "
        f"{_sid('The talks, chaired by General Daniel K.')} (sentence 2)? differs: '' -> '.'",
    ]


def test_quote_matching_several_places_asks_for_more(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace("chaired by General Daniel K. Kane", "offered")))
    (message,) = problems_of(root)
    assert message.startswith("annotations/demo.yaml:8:12: error: quote of claim 'kane-is-caine' matches 2 places: ")
    assert message.endswith("hint: quote more of the sentence, so that the quote matches exactly one place")


def test_quote_across_two_sentences(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "chaired by General Daniel K. Kane", "France. Deputy Secretary")))
    # normalised body joins sentences with a space, so the glued "France.Deputy" is quoted with one
    assert problems_of(root) == [
        "annotations/demo.yaml:8:12: error: quote of claim 'kane-is-caine' matches no sentence of sources/demo/capture.txt\n"
        "    hint: the quote runs across a sentence boundary; quote one sentence, or a fragment of one",
    ]


def test_quote_normalisation_accepts_other_quote_styles_and_spaces(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "chaired by General Daniel K. Kane", "'France offered   \"air cover\" too.'")))
    assert problems_of(root) == []


def test_truth_verdict_without_evidence(tmp_path):
    claims = CLAIM.split("    evidence:")[0] + "    published: 2026-11-22\n"
    root = mini_project(tmp_path, annotation(claims))
    assert problems_of(root) == [
        "annotations/demo.yaml:9:14: error: claim 'kane-is-caine' is rated inaccurate but cites no evidence\n"
        "    hint: add at least one evidence entry (url, title, publisher, accessed) that supports the verdict",
    ]


def test_duplicate_claim_id(tmp_path):
    second = CLAIM.replace("chaired by General Daniel K. Kane", "The UK offered troops.")
    root = mini_project(tmp_path, annotation(CLAIM + second))
    assert problems_of(root) == [
        "annotations/demo.yaml:18:5: error: claim id 'kane-is-caine' is already used at annotations/demo.yaml:7:5\n"
        "    hint: claim ids are permanent addresses (claims/<id>/): choose a new, unique id",
    ]


def test_edited_capture_is_refused(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "sources/demo/capture.txt").write_text(CAPTURE + "An added line.\n", encoding="utf-8")
    actual = sha(CAPTURE + "An added line.\n")
    assert problems_of(root) == [
        "sources/demo/meta.yaml:8:17: error: capture.txt does not match its recorded SHA-256: captures are "
        "evidence and are never edited\n"
        f"    hint: restore capture.txt from git; if this is a deliberate new capture, record {actual}",
    ]


def test_annotations_written_against_another_capture(tmp_path):
    root = mini_project(tmp_path, annotation(sha_value="0" * 64))
    assert problems_of(root) == [
        "annotations/demo.yaml:2:17: error: these annotations were written against another capture of 'demo'\n"
        f"    hint: re-check every quote against sources/demo/capture.txt, then record {sha(CAPTURE)}",
    ]


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    root = mini_project(tmp_path, annotation().replace("reviewers: [Tester]", "reviewers: [Tester"))
    (message,) = problems_of(root)
    assert message == ("annotations/demo.yaml:4:11: error: YAML syntax: did not find expected ',' or ']'\n"
                       "    hint: check the indentation and quoting on this line and the one before")


def test_furniture_rule_that_matches_nothing(tmp_path):
    from .helpers import META
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
    assert "annotations/demo.yaml:9:14: error: unknown verdict 'wrong'" in text.stdout
    assert "1 error(s), 0 warning(s)" in text.stderr
    github = run_generator(root, "check", "--format", "github")
    assert github.stdout.startswith("::error file=annotations/demo.yaml,line=9,col=14::unknown verdict 'wrong'")
    as_json = json.loads(run_generator(root, "check", "--format", "json").stdout)
    assert as_json["problems"][0]["line"] == 9
    assert run_generator(root, "check", "--format", "xml").returncode == 2
    (root / "annotations/demo.yaml").write_text(annotation(), encoding="utf-8")
    assert run_generator(root, "check").returncode == 0


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


def _sid(text):
    from generator.segment import sentence_id
    return sentence_id(text + "\nKane, involved the UK and France.")
