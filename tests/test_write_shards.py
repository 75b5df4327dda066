"""The site's pages built by several MkDocs processes at once (generator/shards.py, issue 13): the site is byte for
byte the one a single process builds, each process keeps an article with its claims, and a failure in any process
fails the build once, with each of MkDocs' reasons said once and the previous site untouched."""
from __future__ import annotations

import subprocess

import pytest

from generator.build import gather
from generator.shards import plan, processes
from generator.views import page_groups
from generator.write import SiteBuildFailed, build_site

from .conftest import copy_project, run_generator
from .helpers import annotation, mini_project


def files_of(folder):
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_two_processes_build_the_site_one_process_builds(tmp_path):
    root = copy_project(tmp_path / "project")
    assert run_generator(root, "build", "--docs-only").returncode == 0
    project, _ = gather(root)
    groups = page_groups(project)
    pages = sum(1 for _ in (root / "docs").rglob("*.md"))
    [later] = plan(groups, pages, 2)
    assert len(later) > pages / 4, "the second process has a real share of the pages"
    for count in (1, 2):
        build_site(root, tmp_path / f"site-{count}", project.last_change(), pages=pages, groups=groups,
                   processes=count)
    result = subprocess.run(["diff", "-r", str(tmp_path / "site-1"), str(tmp_path / "site-2")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:3000]
    assert any(p.name == "sitemap.xml" for p in (tmp_path / "site-2").iterdir())
    for page in later:  # built by the second process, moved into the site
        assert (tmp_path / "site-2" / page.removesuffix(".md") / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_an_article_and_its_claims_stay_in_one_process_and_the_shares_are_even():
    groups = [(f"articles/{a}.md", *(f"claims/{a}-{c}.md" for c in range(a % 7))) for a in range(60)]
    shares = plan(groups, pages=sum(map(len, groups)) + 40, count=3)
    assert shares == plan(list(reversed(groups)), pages=sum(map(len, groups)) + 40, count=3), "the same shares"
    process = {page: i for i, share in enumerate(shares, start=1) for page in share}
    assert all(len({process.get(page, 0) for page in group}) == 1 for group in groups)
    loads = [sum(map(len, groups)) + 40 - len(process), *map(len, shares)]  # the first: the rest
    assert max(loads) - min(loads) <= 6, loads
    assert processes(10) == 1


def test_a_failure_in_any_process_fails_the_build_once_and_keeps_the_previous_site(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build").returncode == 0
    site = root / "site"
    before = {p: (site / p).read_bytes() for p in files_of(site)}
    docs = root / "docs"
    (docs / "claims" / "extra.md").write_text("# Extra\n\n[missing](nowhere.md)\n", encoding="utf-8")
    (docs / "data-format.md").unlink()  # in the nav, which every process reads
    with pytest.raises(SiteBuildFailed) as failed:
        build_site(root, site, pages=20, groups=[("claims/extra.md",)], processes=2)
    said = str(failed.value)
    assert said.count("contains a link 'nowhere.md'") == 1, said
    assert said.count("A reference to 'data-format.md' is included in the 'nav' configuration") == 1, said
    assert "excluded from the built site" not in said
    assert {p: (site / p).read_bytes() for p in files_of(site)} == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_the_projects_own_mkdocs_hooks_run_in_every_process(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build", "--docs-only").returncode == 0
    (root / "hooks.py").write_text("def on_page_content(html, page, config, files):\n"
                                   "    return html + '<p>hooked</p>'\n", encoding="utf-8")
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as settings:
        settings.write("\nhooks:\n  - hooks.py\n")
    claims = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs" / "claims").glob("*.md"))
    build_site(root, root / "site", pages=20, groups=[tuple(claims)], processes=2)
    pages = sorted((root / "site").rglob("index.html"))
    # a claim's page too, which is HTML (html_pages.py's hook runs before the project's)
    assert len(pages) > len(claims) and all("<p>hooked</p>" in p.read_text(encoding="utf-8") for p in pages)
