"""Source drift: when a capture changes, check says which annotated sentences changed, moved or vanished."""
from __future__ import annotations

from generator.build import gather

from .helpers import CAPTURE, META, annotation, git, mini_project, sha

CLAIMS = """\
  - id: headline
    quote: Allies Meet On Guarantees
    verdict: not-checkable
    summary: s
    note: n.
    published: 2026-11-22
  - id: talks-chair
    quote: chaired by General Daniel K. Kane
    verdict: opinion
    summary: s
    note: n.
    published: 2026-11-22
  - id: uk-troops
    quote: The UK offered troops.
    verdict: opinion
    summary: s
    note: n.
    published: 2026-11-22
  - id: jones
    quote: Deputy Secretary Jones spoke.
    verdict: opinion
    summary: s
    note: n.
    published: 2026-11-22
  - id: air-cover
    quote: France offered “air cover” too.
    verdict: opinion
    summary: s
    note: n.
    published: 2026-11-22
"""


def test_changed_capture_reports_each_claims_fate(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIMS))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first capture")
    # a re-capture: the headline as before; a quoted fragment's sentence reworded; one sentence gone,
    # which moves the next; a quoted sentence reworded so its quote is gone
    recaptured = CAPTURE.replace("the UK and France.", "the UK, France and Italy.").replace(
        "Deputy Secretary Jones spoke.", "").replace("France offered “air cover” too.", "France offered air cover.")
    (root / "sources/demo/capture.txt").write_text(recaptured, encoding="utf-8")
    (root / "sources/demo/meta.yaml").write_text(META.format(sha=sha(recaptured)), encoding="utf-8")
    _, problems = gather(root)
    assert [p.format() for p in problems.sorted()] == [
        "annotations/demo.yaml:3:17: error: sources/demo/capture.txt changed since these annotations were written: "
        "1 unaffected, 1 moved, 1 changed, 2 vanished\n"
        f"    hint: re-check the claims listed, then record {sha(recaptured)}",
        "annotations/demo.yaml:15:12: error: claim 'talks-chair': its sentence now reads "
        "'The talks, chaired by General Daniel K. Kane, involved the UK, France and Italy.'\n"
        "    hint: it was: 'The talks, chaired by General Daniel K. Kane, involved the UK and France.'; "
        "check the verdict still holds",
        "annotations/demo.yaml:21:12: warning: claim 'uk-troops': its sentence is unchanged but moved\n"
        "    hint: nothing to re-check; the page anchor stays the same",
        "annotations/demo.yaml:27:12: error: claim 'jones': its quote is no longer in the capture\n"
        "    hint: it was: 'Deputy Secretary Jones spoke.'",
        "annotations/demo.yaml:33:12: error: claim 'air-cover': its quote is no longer in the capture\n"
        "    hint: it was: 'France offered “air cover” too.'",
    ]
