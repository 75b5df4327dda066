"""The check stage: rules listed as data, severities from factcheck.yaml, and no verdict id known to Python."""
from __future__ import annotations

import re

from generator.build import gather
from generator.checks import CHECKS

from .conftest import REPO, run_generator, texts
from .helpers import CAPTURE, CLAIM, SETTINGS, annotation, mini_project, sha

FLAGGED = CAPTURE + "NATO Secretary General Jens Stoltenberg spoke.\n"  # Mark Rutte held the post on 2025-08-20
FLAGGED_AND_ACCURATE = CLAIM.replace("verdict: inaccurate", "verdict: accurate").replace(
    "quote: chaired by General Daniel K. Kane", "quote: NATO Secretary General Jens Stoltenberg spoke.")


def flagged_annotation(verdict: str = "accurate") -> str:
    return annotation(FLAGGED_AND_ACCURATE.replace("verdict: accurate", f"verdict: {verdict}"), sha(FLAGGED))


def flagged_project(root):
    return mini_project(root, flagged_annotation(), capture=FLAGGED)


def rename_verdict(root, old: str, new: str) -> None:
    """Rename a verdict id in verdicts.yaml and every annotation, then refresh the schemas, as an editor would."""
    for path in [root / "verdicts.yaml", *(root / "annotations").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"((?:- id|verdict): ){re.escape(old)}$", rf"\g<1>{new}", text, flags=re.M),
                        encoding="utf-8")
    assert run_generator(root, "schema").returncode == 0


def test_every_check_and_page_follows_a_renamed_verdict(tmp_path):
    root = flagged_project(tmp_path)
    _, before = gather(root)
    assert "claim 'kane-is-caine' is rated accurate, but the automated check says: " in before.render()

    rename_verdict(root, "accurate", "correct")
    project, after = gather(root)
    shown = after.render()
    assert "claim 'kane-is-caine' is rated correct, but the automated check says: " in shown
    assert [p.severity for p in after.items] == [p.severity for p in before.items]
    page = texts(project)["claims/kane-is-caine.md"]
    assert "v-correct" in page and "v-accurate" not in page

    (root / "annotations" / "demo.yaml").write_text(flagged_annotation("yes"), encoding="utf-8")
    _, guessed = gather(root)
    assert "unknown verdict 'yes'\n    hint: did you mean 'correct'? the scale (verdicts.yaml): correct, " in guessed.render()


def test_no_python_module_names_a_verdict_of_the_scale():
    ids = re.findall(r"^  - id: (\S+)$", (REPO / "verdicts.yaml").read_text(encoding="utf-8"), flags=re.M)
    for path in (REPO / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert [i for i in ids if re.search(rf"[\"']{re.escape(i)}[\"']", text)] == [], path


def test_each_rule_has_a_unique_name_and_a_valid_default():
    names = [rule.name for rule in CHECKS]
    assert len(names) == len(set(names))
    assert all(rule.severity in ("warning", "error") for rule in CHECKS)
    assert all(rule.severity == "error" for rule in CHECKS if rule.fixed)


def test_a_check_set_to_ignore_reports_nothing(tmp_path):
    root = flagged_project(tmp_path)
    (root / "factcheck.yaml").write_text("checks:\n  coverage: ignore\n  findings-agree: ignore\n", encoding="utf-8")
    _, problems = gather(root)
    assert "automated check says" not in problems.render()
    (root / "factcheck.yaml").write_text("checks:\n  coverage: ignore\n  findings-agree: error\n", encoding="utf-8")
    _, problems = gather(root)
    assert ": error: claim 'kane-is-caine' is rated accurate, but the automated check says" in problems.render()


def test_sources_of_ratings_must_show_their_words_and_unsettled_claims_what_was_searched(tmp_path):
    unverifiable = """\
  - id: talks-unsettled
    quote: involved the UK and France
    verdict: unverifiable
    summary: We could not confirm who took part.
    note: No list of participants was published.
    published: 2026-11-22
"""
    root = mini_project(tmp_path, annotation(CLAIM + unverifiable))
    (root / "factcheck.yaml").write_text(SETTINGS.replace("  excerpts: ignore\n", ""), encoding="utf-8")
    _, problems = gather(root)
    assert [p.format() for p in problems.items] == [
        "annotations/demo.yaml:14:9: error: claim 'kane-is-caine' is rated inaccurate, but this source has no excerpt\n"
        "    hint: add 'excerpt:' with the sentence or two of the source that supports the note, copied exactly from the "
        "page at this url",
        "annotations/demo.yaml:21:14: error: claim 'talks-unsettled' is rated unverifiable but does not say what was "
        "searched\n    hint: add 'searched:' naming the queries, collections and sources you looked in"]
    fixed = CLAIM.replace("        accessed: 2026-11-22\n", "        accessed: 2026-11-22\n        excerpt: Caine chaired.\n")
    fixed += unverifiable + "    searched: The publisher's site and news reports of that week.\n"
    (root / "annotations" / "demo.yaml").write_text(annotation(fixed), encoding="utf-8")
    project, problems = gather(root)
    assert problems.items == []
    page = texts(project)["claims/kane-is-caine.md"]
    assert '<blockquote class="source-excerpt">Caine chaired.</blockquote>' in page


def test_reviewers_are_editors_with_a_profile(tmp_path):
    root = mini_project(tmp_path, annotation().replace("reviewers: [tester]", "reviewers: [tester, someone]"))
    project, problems = gather(root)
    assert [p.format() for p in problems.items] == [
        "annotations/demo.yaml:4:12: error: reviewer 'someone' is not an editor in factcheck.yaml\n"
        "    hint: name editors by id (tester), or add this one under 'editors:' with a role and a profile"]
    (root / "annotations" / "demo.yaml").write_text(annotation(), encoding="utf-8")
    project, _ = gather(root)
    pages = texts(project)
    assert '<a href="../editors.md#tester">Test Editor</a>' in pages["claims/kane-is-caine.md"]
    assert "## Test Editor { #tester }" in pages["editors.md"] and "Exists only in tests." in pages["editors.md"]


def test_the_checks_command_shows_the_severity_in_force(tmp_path):
    root = mini_project(tmp_path, annotation())
    (root / "factcheck.yaml").write_text("checks:\n  coverage: error\n  known-verdicts: warning\n", encoding="utf-8")
    result = run_generator(root, "checks")
    assert result.returncode == 1  # the setting that tries to soften a fixed check is reported
    assert "known-verdicts     error    (always)" in result.stdout
    assert "coverage           error    (set in factcheck.yaml)" in result.stdout
    assert "check 'known-verdicts' is always an error" in result.stdout
