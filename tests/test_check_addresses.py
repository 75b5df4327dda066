"""Addresses that never break: every claim address a build publishes is recorded in published.yaml; a renamed
claim's old address redirects to the new one, a removed claim's says it was withdrawn, when and why; `check`
refuses a change that would leave a published address answering nothing."""
from __future__ import annotations

import re

import pytest

from .browsing import served
from .conftest import run_generator
from .helpers import CLAIM, annotation, mini_project

RENAMED = annotation(CLAIM.replace("id: kane-is-caine", "id: chair-was-caine"))


def published(tmp_path):
    """A one-claim project whose claim page has been published once."""
    root = mini_project(tmp_path, annotation())
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def register(root) -> str:
    return (root / "published.yaml").read_text(encoding="utf-8")


def test_each_build_records_the_new_claim_addresses_once(tmp_path):
    root = published(tmp_path)
    assert register(root).endswith('claims:\n  kane-is-caine: "2026-11-22"\n')
    assert run_generator(root, "build").returncode == 0
    assert register(root).count("kane-is-caine") == 1


def test_a_rename_without_a_redirect_is_refused_and_the_site_is_kept(tmp_path):
    root = published(tmp_path)
    before = (root / "site/claims/kane-is-caine/index.html").read_bytes()
    (root / "annotations/demo.yaml").write_text(RENAMED, encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 1
    assert ("published.yaml:6:3: error: claims/kane-is-caine/ was published, and no claim has this id now\n"
            "    hint: published addresses must keep answering; say in published.yaml what became of the claim: "
            "renamed, `kane-is-caine: {moved_to: chair-was-caine}`; removed, "
            "`kane-is-caine: {withdrawn: YYYY-MM-DD, reason: why}`") in result.stdout
    assert (root / "site/claims/kane-is-caine/index.html").read_bytes() == before
    assert "chair-was-caine" not in register(root), "nothing is recorded from a refused build"


@pytest.mark.browser
def test_a_renamed_claims_old_address_leads_to_the_new_one(tmp_path, browser):
    root = published(tmp_path)
    (root / "annotations/demo.yaml").write_text(RENAMED, encoding="utf-8")
    (root / "published.yaml").write_text(register(root).replace(
        'kane-is-caine: "2026-11-22"', "kane-is-caine: {moved_to: chair-was-caine}"), encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert register(root).endswith('  chair-was-caine: "2026-11-22"\n')
    old = (root / "site/claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://factcheck.example.org/claims/chair-was-caine/">' in old
    assert '<meta http-equiv="refresh" content="0; url=../chair-was-caine/">' in old
    with served(root / "site") as base:
        page = browser.new_page()
        page.goto(base + "claims/kane-is-caine/")
        page.wait_for_url(base + "claims/chair-was-caine/")
        assert "chaired by General Daniel K. Kane" in page.locator("h1").inner_text()
        page.close()


def test_a_removed_claim_leaves_a_page_that_says_it_was_withdrawn_when_and_why(tmp_path):
    root = published(tmp_path)
    (root / "annotations/demo.yaml").write_text(annotation(CLAIM.replace("id: kane-is-caine", "id: other")
                                                           .replace("verdict: inaccurate", "verdict: unreviewed")
                                                           .split("    summary:")[0] + "\n"), encoding="utf-8")
    (root / "published.yaml").write_text(register(root).replace(
        'kane-is-caine: "2026-11-22"', "kane-is-caine: {withdrawn: 2026-11-23, reason: It rated a misquotation.}"),
        encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (root / "site/claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert "We withdrew this fact-check on 23 November 2026." in html and "It rated a misquotation." in html
    assert "ClaimReview" not in html


@pytest.mark.parametrize("claims, entry, message", [
    (RENAMED, "kane-is-caine: {moved_to: chair-was-cain}",
     "published.yaml:6:3: error: claims/kane-is-caine/ moves to 'chair-was-cain', which is not a claim\n"
     "    hint: did you mean 'chair-was-caine'?"),
    (annotation(), "kane-is-caine: {withdrawn: 2026-11-23, reason: Gone.}",
     "published.yaml:6:3: error: claim id 'kane-is-caine' is withdrawn in the register, but a claim in the "
     "annotations still has it\n    hint: an old address cannot be used again: give the new claim a new id"),
    (annotation(), "kane-is-caine: soon", "published.yaml:6:18: error: "),
])
def test_register_mistakes_are_located(tmp_path, claims, entry, message):
    root = published(tmp_path)
    (root / "annotations/demo.yaml").write_text(claims, encoding="utf-8")
    (root / "published.yaml").write_text(register(root).replace('kane-is-caine: "2026-11-22"', entry), encoding="utf-8")
    result = run_generator(root, "check")
    assert result.returncode == 1 and message in result.stdout, result.stdout
    assert len(re.findall(r": error: ", result.stdout)) == 1, result.stdout


def test_a_claim_renamed_twice_leads_from_its_first_address_to_its_last(tmp_path):
    root = published(tmp_path)
    (root / "annotations/demo.yaml").write_text(RENAMED, encoding="utf-8")
    (root / "published.yaml").write_text(register(root).replace(
        'kane-is-caine: "2026-11-22"', "kane-is-caine: {moved_to: kane}\n  kane: {moved_to: chair-was-caine}"),
        encoding="utf-8")
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    for old in ("kane-is-caine", "kane"):
        html = (root / f"site/claims/{old}/index.html").read_text(encoding="utf-8")
        assert 'content="0; url=../chair-was-caine/"' in html
