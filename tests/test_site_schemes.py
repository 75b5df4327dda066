"""Light and dark: the site follows the reader's system preference, a toggle overrides it, and every verdict
keeps WCAG AA contrast in both schemes; without colour, icon and label still tell the eight verdicts apart."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from generator.outputs import palette
from generator.outputs.palette import material_palette
from generator.outputs.stylesheet import AA, DARK_BACKGROUND, LIGHT_BACKGROUND, contrast

from .browsing import served
from .conftest import REPO

VERDICTS = yaml.safe_load((REPO / "verdicts.yaml").read_text(encoding="utf-8"))["verdicts"]
ARTICLE = "articles/europe-advocates-security-promises/"  # it uses all eight verdicts
SCHEMES = {"light": ("default", LIGHT_BACKGROUND), "dark": ("slate", DARK_BACKGROUND)}


def test_without_colour_icon_and_label_tell_every_verdict_apart():
    assert len({v["icon"] for v in VERDICTS}) == len({v["label"].lower() for v in VERDICTS}) == len(VERDICTS) == 8


class _Badges(HTMLParser):
    """The text of every verdict badge: (its verdict class, everything it reads)."""

    def __init__(self):
        super().__init__()
        self.badges: list[list[str]] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif "verdict-badge" in classes:
            self._depth = 1
            self.badges.append([next(c for c in classes if c.startswith("v-")), ""])

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.badges[-1][1] += data


def test_every_badge_on_the_site_shows_its_icon_and_label(built_project):
    by_class = {f"v-{v['id']}": v for v in VERDICTS}
    seen = 0
    for html in (built_project / "site").rglob("*.html"):
        parser = _Badges()
        parser.feed(html.read_text(encoding="utf-8"))
        for css_class, text in parser.badges:
            verdict = by_class[css_class]
            assert verdict["icon"] in text and verdict["label"] in text, (html, text)
            seen += 1
    assert seen > 500


def _rgb(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(scope="module")
def base_url(built_project):
    with served(built_project / "site") as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_scheme_follows_the_system_and_every_verdict_reads_at_aa(browser, base_url, scheme):
    name, background = SCHEMES[scheme]
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + ARTICLE)
    assert page.evaluate("document.body.dataset.mdColorScheme") == name
    assert _rgb(page.evaluate("getComputedStyle(document.body).backgroundColor")) == background
    colours = page.evaluate("""() => {
        const out = {};
        for (const key of document.querySelectorAll('.mark-key, .chart-key .verdict-icon, .verdict-badge')) {
            const style = getComputedStyle(key);
            out[key.className + ' ' + (key.closest('[class*="v-"]').className)] =
                [style.color, key.classList.contains('verdict-badge') ? style.backgroundColor : null];
        }
        return out;
    }""")
    context.close()
    checked = 0
    for where, (colour, fill) in colours.items():
        ratio = contrast(_rgb(colour), _rgb(fill) if fill else background)
        assert ratio >= AA, f"{scheme}: {where} reads at {ratio:.2f}:1"
        checked += 1
    assert checked >= 16


@pytest.mark.browser
def test_the_toggle_overrides_the_system_preference(browser, base_url):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(base_url + ARTICLE)
    page.locator('label[title="Switch to dark mode"]').click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.goto(base_url)  # the choice is kept from page to page
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    context.close()


PAGES = ("", ARTICLE, "claims/kane-is-dan-caine/", "claims/")
"""Material's page furniture on the home page, an article, a claim and a table (the search page's results come
later, as its index loads, so their count would depend on the moment)."""
STYLES = """names => {
    const properties = [...new Set([...getComputedStyle(document.documentElement), ...names])].sort();
    return [...document.querySelectorAll('*')].map(element => {
        const style = getComputedStyle(element);
        return [element.tagName, element.className, ...properties.map(p => style.getPropertyValue(p))].join('|');
    });
}"""
"""Every element's computed style: every property the root has (custom ones among them, in the order they were
declared, so sorted) and every custom property `names`."""


@pytest.mark.browser
def test_the_sites_palette_stylesheet_styles_every_element_as_materials_own_does(browser, base_url, built_project):
    """outputs/palette.py keeps, of Material's palette stylesheet, only the rules of the site's colours: every
    element of these pages, at a phone's and a desktop's width and in both schemes, has the same computed style
    (every property, and every custom property Material's palette sets) as with Material's whole file."""
    material = material_palette()
    assert material is not None
    ours = built_project / "site" / palette.FOLDER / material.name
    assert ours.is_file() and ours.stat().st_size < material.stat().st_size / 3, "the site's palette is the trimmed one"
    names = sorted(set(re.findall(r"(--md-[\w-]+):", material.read_text(encoding="utf-8"))))
    compared = 0
    for scheme in SCHEMES:
        for width in (390, 1280):
            styles = {}
            for source in (ours, material):
                context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
                page = context.new_page()
                page.route("**/assets/stylesheets/palette.*.min.css", _serve(source))
                styles[source] = [_styles(page, base_url + path, names) for path in PAGES]
                context.close()
            assert styles[ours] == styles[material], f"{scheme} at {width}px"
            compared += sum(len(s) for s in styles[ours])
    assert compared > 4000, "every element of the pages, in four settings"


def _styles(page, url: str, names: list[str]) -> list[str]:
    page.goto(url, wait_until="networkidle")
    return page.evaluate(STYLES, names)


def _serve(stylesheet):
    return lambda route: route.fulfill(path=str(stylesheet), content_type="text/css")
