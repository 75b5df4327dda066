"""Site settings (mkdocs.yml): one place for MkDocs and for us, checked like every other input."""
from __future__ import annotations

from .conftest import run_generator
from .helpers import SETTINGS, annotation, mini_project

PUBLISHED = """\
site_name: Test checks
site_url: https://checks.news/
repo_url: https://github.com/checks/site
theme:
  name: material
  custom_dir: overrides
  language: fr
extra:
  publisher:
    name: Checks & Co
    email: desk@checks.news
    ownership: A cooperative of its editors.
    funding: Readers' donations.
nav:
  - Home: index.md
not_in_nav: |
  /articles/
  /claims/
"""


def project(tmp_path, mkdocs: str):
    root = mini_project(tmp_path, annotation())
    (root / "factcheck.yaml").write_text(SETTINGS.replace("  site-settings: ignore", ""), encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return root


def test_complete_real_settings_give_no_warning_and_reach_the_pages(tmp_path):
    root = project(tmp_path, PUBLISHED)
    result = run_generator(root, "build")
    assert result.returncode == 0 and "warning" not in result.stdout, result.stdout + result.stderr
    claim = (root / "site/claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in claim
    assert ('href="mailto:desk@checks.news?subject=Error%20report%3A%20claim%20kane-is-caine&amp;body=Page%3A%20'
            'https%3A%2F%2Fchecks.news%2Fclaims%2Fkane-is-caine%2F') in claim
    assert 'href="https://github.com/checks/site/issues/new?title=Error%20report%3A%20claim%20kane-is-caine&amp;' in claim
    assert 'Published by <a href="../../about/">Checks &amp; Co</a>' in claim, "the footer names the publisher"
    about = (root / "site/about/index.html").read_text(encoding="utf-8")
    assert "A cooperative of its editors." in about and "Readers' donations." in about
    assert "not declared yet" not in about


def test_placeholders_and_undeclared_funding_are_warnings_at_their_line(tmp_path):
    placeholder = PUBLISHED.replace("https://checks.news/", "https://example.org/").replace(
        "desk@checks.news", "desk@site.example").replace("    funding: Readers' donations.\n", "")
    result = run_generator(project(tmp_path, placeholder), "check")
    assert result.returncode == 0
    assert "mkdocs.yml:2:11: warning: site_url 'https://example.org/' is a placeholder, not a real address" in result.stdout
    assert "mkdocs.yml:11:12: warning: email 'desk@site.example' is a placeholder" in result.stdout
    assert "mkdocs.yml:10:5: warning: the About page cannot say how it is funded" in result.stdout


def test_no_site_url_is_a_warning(tmp_path):
    result = run_generator(project(tmp_path, PUBLISHED.replace("site_url: https://checks.news/\n", "")), "check")
    assert "mkdocs.yml:1:1: warning: no site_url: pages get no canonical address" in result.stdout


def test_no_way_to_report_an_error_is_a_warning_and_the_page_says_so(tmp_path):
    silent = PUBLISHED.replace("repo_url: https://github.com/checks/site\n", "").replace("    email: desk@checks.news\n", "")
    root = project(tmp_path, silent)
    assert "warning: readers have no way to report an error" in run_generator(root, "check").stdout
    assert run_generator(root, "build").returncode == 0
    claim = (root / "site/claims/kane-is-caine/index.html").read_text(encoding="utf-8")
    assert "The publisher has not yet given an address for reports." in claim


def test_a_malformed_setting_is_one_located_error(tmp_path):
    result = run_generator(project(tmp_path, PUBLISHED.replace("desk@checks.news", "desk at checks")), "check")
    assert result.returncode == 1
    assert result.stdout.startswith("mkdocs.yml:11:12: error: extra.publisher.email: has the wrong form")
    assert result.stdout.count(": error: ") == 1


def test_the_palette_stylesheet_keeps_the_colours_mkdocs_yml_names_and_no_palette_writes_none(tmp_path):
    """outputs/palette.py: the rules of the palette's colours (Material's default, indigo, for the accent it does
    not name) and of no other; tests/test_site_schemes.py compares the styles it gives with Material's file."""
    red = PUBLISHED.replace("  language: fr\n", "  language: fr\n  palette:\n    primary: red\n")
    root = project(tmp_path / "red", red)
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    [css] = (root / "site/assets/stylesheets").glob("palette.*.min.css")
    rules = css.read_text(encoding="utf-8")
    assert "[data-md-color-primary=red]" in rules and "[data-md-color-accent=indigo]" in rules
    assert "[data-md-color-primary=indigo]" not in rules and "=teal]" not in rules and "=pink]" not in rules
    plain = project(tmp_path / "plain", PUBLISHED)
    assert run_generator(plain, "build").returncode == 0
    assert not (plain / "docs/assets/stylesheets").exists() and "stylesheets/palette." not in (
        plain / "site/index.html").read_text(encoding="utf-8"), "without a palette, Material links none"
