"""For newsletters: each claim page's copy-link button, e-mail-safe snippet, link to the quoted words in the
original, and oEmbed answer, tried in Debian's Chromium against the built site served on 127.0.0.1."""
from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from .browsing import served
from .conftest import REPO
from .sitecheck import SITE_URL, head, published

CLAIM = "claims/kane-is-dan-caine/"
ARTICLE = "articles/us-minimal-role-in-ukraine-guarantees/"
SHOTS = REPO / "screenshots"


@pytest.fixture(scope="module")
def base_url(built_project):
    with served(built_project / "site") as url:
        yield url


def watched(context, base_url):
    """A page that records console errors and uncaught exceptions, and refuses (and records) every request
    that would leave 127.0.0.1."""
    page = context.new_page()
    errors: list[str] = []
    away: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def guard(route):
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            away.append(route.request.url)
            route.abort()
    page.route("**/*", guard)
    return page, errors, away


@pytest.mark.browser
def test_a_reader_goes_from_article_to_claim_copies_its_link_and_its_snippet_and_back(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page, errors, away = watched(context, base_url)
    page.goto(base_url + ARTICLE)
    badge = page.locator(".article-text a.verdict-badge[href*='kane-is-dan-caine']").first
    sentence = badge.evaluate("a => a.closest('.sentence').id")
    badge.click()
    page.wait_for_url(base_url + CLAIM)

    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".share-bar button")).to_have_text("Copied")
    address = page.evaluate("navigator.clipboard.readText()")
    assert address == SITE_URL + CLAIM == page.locator(".share-address").get_attribute("href")

    page.get_by_role("button", name="Copy the box").click()
    expect(page.locator(".share-snippet button")).to_have_text("Copied")
    text = page.evaluate("navigator.clipboard.readText()")
    assert "chaired by General Daniel K. Kane" in text and "Inaccurate" in text and address in text
    html = page.evaluate("""async () => {
        const [item] = await navigator.clipboard.read();
        return await (await item.getType("text/html")).text();
    }""")
    assert "border-left:6px solid #b3261e" in html and address in html

    page.get_by_role("link", name="See this sentence in the article").click()
    page.wait_for_url(f"{base_url}{ARTICLE}#{sentence}")
    assert (errors, away) == ([], []), (errors, away)
    context.close()


@pytest.mark.browser
def test_without_javascript_the_link_is_plain_and_no_copy_button_shows(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + CLAIM)
    assert page.locator(".share-address").is_visible()
    assert page.locator("button.share-copy").count() == 2 and not page.locator("button.share-copy").first.is_visible()
    page.locator(".snippet-text summary").click()
    assert "Fact-check by" in page.locator(".snippet-text pre").inner_text()
    context.close()


@pytest.mark.browser
def test_the_snippet_renders_on_its_own_as_a_mail_program_shows_it(browser, base_url, built_project):
    html = unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>',
                              (built_project / "site" / CLAIM / "index.html").read_text(encoding="utf-8"), re.S)[1])
    assert not re.search(r"<(?:script|img|link|style|iframe)\b| class=|\bon\w+=", html), "inline styles only"
    assert re.findall(r'href="([^"]+)"', html) == [SITE_URL + CLAIM], "its one link is the claim's address"
    context = browser.new_context(java_script_enabled=False, viewport={"width": 640, "height": 260})
    page, errors, away = watched(context, base_url)
    page.set_content(f"<!doctype html><meta charset=utf-8><body style='margin:16px;background:#fff'>{html}")
    shown = page.locator("blockquote").inner_text()
    assert "“chaired by General Daniel K. Kane" in shown and "✗ Inaccurate" in shown and SITE_URL + CLAIM in shown
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "snippet-in-a-mail.png"))
    assert (errors, away) == ([], []), (errors, away)
    context.close()


def test_the_plain_text_snippet_says_the_same_as_the_box(built_project):
    page = (built_project / "site" / CLAIM / "index.html").read_text(encoding="utf-8")
    text = unescape(re.search(r'<details class="snippet-text">.*?<pre>(.*?)</pre>', page, re.S)[1])
    assert text.splitlines() == [
        "“chaired by General Daniel K. Kane, Chair of the Joint Chiefs of Staff”",
        "Inaccurate (✗): The meeting was led by the Joint Chiefs chairman, Gen. Dan Caine; no \"General Daniel K. "
        "Kane\" exists.",
        f"Fact-check by Fact-check reports: {SITE_URL}{CLAIM}"]


def test_the_original_link_finds_the_quoted_words_by_a_text_fragment(built_project):
    site = built_project / "site"
    for data_file in sorted((site / "data").glob("*.json")):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        capture = (site / "captures" / f"{data['slug']}.txt").read_text(encoding="utf-8")
        for claim in data["claims"]:
            page = (site / claim["url"] / "index.html").read_text(encoding="utf-8")
            link = re.search(r'<a href="([^"]+)"[^>]*>These words in the original</a>', page)
            if data["url"] == "unknown":
                assert link is None
                continue
            address, _, directive = unescape(link[1]).partition("#:~:text=")
            assert address == data["url"].split("#")[0]
            words = " ".join(capture[claim["quote"]["start"]:claim["quote"]["end"]].split())
            parts = [unquote(p) for p in directive.split(",")]
            assert all(re.fullmatch(r"[^,&-]*", p) for p in directive.split(",")), "',', '&' and '-' are encoded"
            assert (parts == [words] if len(parts) == 1 else
                    words.startswith(parts[0] + " ") and words.endswith(" " + parts[1]) and len(parts) == 2), parts


def test_every_claim_page_names_its_oembed_answer_which_embeds_its_snippet(built_project):
    site = built_project / "site"
    pages = sorted((site / "claims").glob("*/index.html"))
    answered = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]*)"', html)
        if "claim-statement" not in html:
            assert found == [], "only claim pages have an answer"  # redirects and withdrawals
            continue
        [(href, title)] = found
        answer = json.loads(published(site, href).read_text(encoding="utf-8"))
        # what the oEmbed specification (https://oembed.com, 2.3.4) requires of a `rich` answer
        assert answer["version"] == "1.0" and answer["type"] == "rich"
        assert isinstance(answer["width"], int) and isinstance(answer["height"], int) and answer["html"]
        assert answer["title"] == unescape(title)
        meta, canonical = head(page)
        assert answer["thumbnail_url"] == meta["og:image"]
        assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)
        shown = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1])
        assert answer["html"] == shown and canonical in answer["html"]
        assert urlsplit(answer["provider_url"]).netloc == urlsplit(SITE_URL).netloc
        answered += 1
    assert answered == 168
