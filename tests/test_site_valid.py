"""The built site judged by tools nobody here wrote: the Nu HTML checker on every page, axe-core (WCAG 2.0 and
2.1, A and AA) on every kind of page in both colour schemes. `./dev test` installs both (tools/judges)."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import material
import pytest

from .browsing import served
from .conftest import REPO
from .judges import AXE, VNU, judge

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE_KINDS = {
    "home": "", "article": "articles/europe-advocates-security-promises/", "claim": "claims/kane-is-dan-caine/",
    "claims hub": "claims/", "listing": "browse/verdict/accurate/", "about": "about/", "methodology": "methodology/",
    "editors": "editors/", "corrections": "corrections/", "open data": "open-data/",
    "hand-written page": "data-format/", "search": "search/?q=Kellogg", "not found": "404.html",
}


@pytest.mark.slow
def test_the_nu_html_checker_finds_no_error_on_any_page(built_project):
    site = built_project / "site"
    result = subprocess.run(["java", "-jar", str(judge(VNU)), "--errors-only", "--format", "json", "--skip-non-html",
                             str(site)], capture_output=True, text=True)
    errors = json.loads(result.stderr)["messages"]
    shown = "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors[:20])
    assert errors == [], f"{len(errors)} errors over {len({m['url'] for m in errors})} pages:\n{shown}"
    assert len(list(site.rglob("*.html"))) > 150, "the checker saw the whole site"


def test_our_theme_overrides_change_only_what_they_say():
    """overrides/base.html is Material's, minus `autocomplete` on two checkboxes (invalid there) and with the page's
    article marked for Pagefind; partials/header.html is Material's with a link to our search page for its search
    box: a Material update that changes either template shows up here instead of silently running the old copy."""
    templates = Path(material.__file__).parent / "templates"
    upstream = (templates / "base.html").read_text(encoding="utf-8")
    ours = re.sub(r"\{#- Changed from Material 9.*?-#\}\n", "", (REPO / "overrides" / "base.html").read_text(encoding="utf-8"),
                  count=1, flags=re.S)
    fixed = upstream.replace(' id="__drawer" autocomplete="off">', ' id="__drawer">').replace(
        ' id="__search" autocomplete="off">', ' id="__search">').replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset"{% if page %} data-pagefind-body{% endif %}>')
    assert fixed != upstream and ours == fixed
    upstream = (templates / "partials" / "header.html").read_text(encoding="utf-8")
    ours = (REPO / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    search = re.compile(r'    \{% if "material/search" in config.plugins %\}.*?\n    \{% endif %\}\n', re.S)
    link = re.compile(r"    \{#- Our search is Pagefind's.*?</a>\n", re.S)
    assert search.search(upstream) and link.search(ours)
    assert search.sub("", upstream) == link.sub("", ours.split("\n", 1)[1])


@pytest.fixture(scope="module")
def base_url(built_project):
    with served(built_project / "site") as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_wcag_violation(browser, base_url, kind, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + PAGE_KINDS[kind])
    if kind == "search":  # with results shown
        page.wait_for_selector("#search-results li")
    page.add_script_tag(path=str(judge(AXE)))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    context.close()
    found = [f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary']}"
             for v in result["violations"]]
    assert found == [], "\n".join(found)
    assert len(result["passes"]) > 10, "axe ran its rules"
