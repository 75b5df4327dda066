"""The built site in a real browser (Debian's Chromium driven by Playwright), as readers meet it."""
from __future__ import annotations

import pytest

from .browsing import page_weight, served
from .conftest import REPO

pytestmark = pytest.mark.browser

ARTICLE = "articles/us-minimal-role-in-ukraine-guarantees/"
CLAIM = "claims/kane-is-dan-caine/"
PAGES = {"home": "", "article": ARTICLE, "claim": CLAIM}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = REPO / "screenshots"


@pytest.fixture(scope="module")
def base_url(built_project):
    with served(built_project / "site") as url:
        yield url


def open_page(browser, url, size=WIDTHS["desktop"]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    return page, requests


@pytest.mark.parametrize("name", PAGES)
def test_pages_load_nothing_from_other_hosts(browser, base_url, name):
    page, requests = open_page(browser, base_url + PAGES[name])
    page.wait_for_timeout(300)
    assert requests, "the page made no requests at all"
    assert [u for u in requests if not u.startswith(base_url) and not u.startswith("data:")] == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_screenshots_and_no_sideways_scrolling(browser, base_url, name, width):
    page, _ = open_page(browser, base_url + PAGES[name], WIDTHS[width])
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at {width} width"
    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.context.close()


FIRST_SCREEN = {
    "article": ["h1", ".takeaway", ".verdict-chart", ".problem-list li"],  # the list only where there are problems
    "claim": ["h1.claim-statement", ".claim-attribution", ".verdict-card-label .verdict-badge", ".verdict-card-summary"],
    "home": [".article-card h2", ".article-card .takeaway", ".article-card .verdict-chart"],
}


@pytest.mark.parametrize("name", FIRST_SCREEN)
def test_the_verdict_is_in_a_phones_first_screen(browser, base_url, built_project, name):
    """On every page of the kind: the conclusion (and, on articles, the first serious problem) is seen unscrolled."""
    site = built_project / "site"
    paths = {"home": [""], "article": sorted(f"articles/{p.name}/" for p in (site / "articles").iterdir() if p.is_dir()),
             "claim": sorted(f"claims/{p.name}/" for p in (site / "claims").iterdir() if p.is_dir())[::17]}[name]
    width, height = WIDTHS["phone"]
    for path in paths:
        page, _ = open_page(browser, base_url + path, WIDTHS["phone"])
        for selector in FIRST_SCREEN[name]:
            serious = page.locator(".article-text .v-inaccurate, .article-text .v-misleading").count()
            if selector == ".problem-list li" and not serious:
                continue
            box = page.locator(selector).first.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height, \
                f"{path}: {selector} is not in the first {width}x{height} screen ({box})"
        page.context.close()


def test_automated_flags_are_shown_apart_from_verdicts(browser, base_url):
    page, _ = open_page(browser, base_url + ARTICLE)
    flag = page.locator(".machine-flag").filter(has_text="Jens Stoltenberg").first
    assert flag.is_visible()
    assert "Automated check" in flag.inner_text() and "Mark Rutte" in flag.inner_text()
    assert flag.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    assert page.locator(".resolved-date", has_text="19 Aug 2025").is_visible()
    page.context.close()


def test_notes_open_from_the_keyboard(browser, base_url):
    page, _ = open_page(browser, base_url + ARTICLE)
    note = page.locator("details.claim-note").first
    assert not note.evaluate("d => d.open")
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details.claim-note > summary')"):
            break
    else:
        pytest.fail("no note summary is reachable with the Tab key")
    page.keyboard.press("Enter")
    opened = page.locator("details.claim-note[open]").first
    assert opened.locator(".claim-note-body").is_visible()
    page.context.close()


def test_verdict_leads_to_the_claim_and_back_to_the_sentence(browser, base_url):
    page, _ = open_page(browser, base_url + ARTICLE, WIDTHS["phone"])
    badge = page.locator(".article-text a.verdict-badge.v-inaccurate").first
    sentence_id = badge.evaluate("a => a.closest('.sentence').id")
    badge.click()
    page.wait_for_load_state("load")
    assert "/claims/" in page.url
    page.get_by_role("link", name="See this sentence in the article").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#{sentence_id}")
    top = page.evaluate(f"document.getElementById('{sentence_id}').getBoundingClientRect().top")
    assert 0 <= top < WIDTHS["phone"][1], "the linked sentence is scrolled into view"
    page.context.close()


def test_everything_a_reader_needs_works_with_javascript_off(browser, base_url):
    """Verdicts, notes and links are HTML: a reader with scripts blocked loses the search, nothing else."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": WIDTHS["phone"][0], "height": 844})
    page = context.new_page()
    page.goto(base_url + ARTICLE)
    assert page.locator(".takeaway").is_visible() and page.locator(".verdict-chart").is_visible()
    badge = page.locator(".article-text a.verdict-badge").first
    assert badge.is_visible()
    note = page.locator("details.claim-note").first
    note.locator("summary").click()
    assert note.locator(".claim-note-body").is_visible(), "notes open without scripts (native <details>)"
    badge.click()
    page.wait_for_load_state("load")
    assert "/claims/" in page.url
    assert page.locator(".verdict-card .verdict-badge").is_visible() and page.locator("h1.claim-statement").is_visible()
    assert page.locator("#found-a-mistake ~ * a[href^='mailto:']").count() == 1
    context.close()


def test_a_claim_page_with_everything_it_loads_weighs_at_most_300_kb(browser, base_url, built_project):
    """Issue 13: a reader's cost, measured as a browser with an empty cache downloads it (the heaviest claim pages
    of the five articles: the others load the same stylesheets and scripts). Material's own script and main
    stylesheet are 252 KB of it; with Material's whole palette stylesheet instead of the one trimmed to the site's
    colours (outputs/palette.py), the heaviest was 307 KB."""
    claims = sorted((built_project / "site/claims").glob("*/index.html"), key=lambda p: -p.stat().st_size)[:3]
    weights = {p.parent.name: page_weight(browser, f"{base_url}claims/{p.parent.name}/") for p in claims}
    assert all(weight > p.stat().st_size + 250_000 for p, weight in zip(claims, weights.values(), strict=True)), \
        "the page and the theme's script and stylesheets"
    assert max(weights.values()) <= 300_000, weights
