"""The captures are evidence: byte for byte the seeds, with fingerprints recorded here and in meta.yaml."""
from __future__ import annotations

import hashlib

import pytest
import yaml

from .conftest import REPO

# Recorded when the captures were added; a capture that changes fails here even if meta.yaml is edited too.
RECORDED = {
    "us-minimal-role-in-ukraine-guarantees": ("000_2e86a490321fd165.txt", "9e43e09d08f1a23fc5b86d58661f3c0b0ec9263d587ca2d66a7c63d57cc1cd61"),
    "us-seeks-european-input-on-guarantees": ("001_b21a43eb799636a8.txt", "4e8c811cafb0349178736fd9a846e4be27030f57a69736dbf31435c236aded52"),
    "western-allies-paris-summit": ("002_65320d86e526fd43.txt", "69a0d0c4f288f4e71ab71b44e23800228741187c3c2229018ba60433a1733e90"),
    "europe-advocates-security-promises": ("003_b1cb1870d35ddea8.txt", "b030b9e5169f1de27f47dfdc294e50fc74ebd60afe07476541a2b51c1991163e"),
    "shifting-sands-us-steps-back": ("004_05fe7b93cd7db72e.txt", "4d6a92a163e14f7382573d9635a51361c157c73877b813d7f48e79d6ccfccf0a"),
}
SEEDS = REPO.parent / "shared" / "seeds"
FIELDS = {"title", "publisher", "url", "author", "published", "captured", "language", "capture_sha256"}


def test_every_source_is_recorded():
    assert sorted(p.name for p in (REPO / "sources").iterdir() if p.is_dir()) == sorted(RECORDED)


@pytest.mark.parametrize("slug", sorted(RECORDED))
def test_capture_fingerprint(slug):
    _, digest = RECORDED[slug]
    raw = (REPO / "sources" / slug / "capture.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == digest
    meta = yaml.safe_load((REPO / "sources" / slug / "meta.yaml").read_text(encoding="utf-8"))
    assert meta["capture_sha256"] == digest
    assert set(meta) >= FIELDS, f"missing metadata: {FIELDS - set(meta)}"


@pytest.mark.parametrize("slug", sorted(RECORDED))
def test_capture_is_the_seed_byte_for_byte(slug):
    if not SEEDS.is_dir():
        pytest.skip(f"no shared seeds at {SEEDS} (they sit beside the checkout on the team's machines and in CI)")
    seed, _ = RECORDED[slug]
    assert (REPO / "sources" / slug / "capture.txt").read_bytes() == (SEEDS / seed).read_bytes()


def test_records_an_editor_can_fix_carry_their_place(tmp_path):
    from generator.build import gather

    from .helpers import annotation, mini_project
    project, _ = gather(mini_project(tmp_path, annotation()))
    meta = project.reviews[0].article.meta
    assert str(meta.origin("published")) == "sources/demo/meta.yaml:5:12"
    assert str(meta.origin("url")) == "sources/demo/meta.yaml:3:6"
    assert str(project.scale["inaccurate"].origin) == "verdicts.yaml:31:5"  # "  - id: inaccurate"
    assert str(project.reviews[0].anchors[0].claim.evidence[0].origin) == "annotations/demo.yaml:14:9"  # the line "      - url: ..."
    rutte = next(h for o in project.offices for h in o.holders if h.name == "Mark Rutte")
    assert str(rutte.origin).startswith("knowledge/offices.yaml:")
    line = int(str(rutte.origin).split(":")[1])
    assert "Mark Rutte" in (REPO / "knowledge/offices.yaml").read_text(encoding="utf-8").splitlines()[line - 1]
