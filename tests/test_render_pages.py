"""Rendering helpers and what the pages say about a small article."""
from __future__ import annotations

import posixpath
import shutil

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.build import gather
from generator.outputs.pages import doc_link, inert_text, make_environment, url_attribute
from generator.views import Texts, page_url, relative

from .conftest import REPO, texts
from .helpers import CLAIM, annotation, mini_project


@pytest.mark.parametrize("source, target, fragment, expected", [
    ("index.md", "claims/x.md", "", "claims/x.md"),
    ("articles/a.md", "claims/x.md", "", "../claims/x.md"),
    ("claims/x.md", "articles/a.md", "s-1", "../articles/a.md#s-1"),
    ("claims/x.md", "claims/index.md", "", "index.md"),
    ("articles/a.md", "data/a.json", "", "../data/a.json"),
])
def test_markdown_links_are_relative_source_paths(source, target, fragment, expected):
    assert doc_link(source, target, fragment) == expected


def test_page_urls():
    assert page_url("index.md") == "" and page_url("claims/index.md") == "claims/"
    assert page_url("claims/x.md") == "claims/x/"


@pytest.mark.parametrize("text, expected", [
    ("*after* <b>[x](y)</b> #1 & 2", "&#42;after&#42; &#60;b&#62;&#91;x&#93;(y)&#60;/b&#62; #1 &#38; 2"),
    ('Pub" onmouseover="x', "Pub&#34; onmouseover=&#34;x"),
    ("{{ 7*7 }} |a|b| \\ `code` _x_", "&#123;&#123; 7&#42;7 &#125;&#125; &#124;a&#124;b&#124; &#92; &#96;code&#96; &#95;x&#95;"),
    ("# heading", "&#35; heading"), ("- item", "&#45; item"), ("+ item", "&#43; item"), ("2025. A year", "&#50;025. A year"),
    ("30 countries", "30 countries"), ("line\nbreak\r\nhere\x07", "line break here"),
])
def test_user_text_is_inert_in_html_markdown_and_front_matter(text, expected):
    assert inert_text(text) == expected


def test_addresses_are_percent_encoded_and_escaped_for_attributes():
    assert url_attribute('https://example.org/a?b=1&c="<x>') == "https://example.org/a?b=1&amp;c=%22%3Cx%3E"


def test_notes_cannot_inject_html(tmp_path):
    root = mini_project(tmp_path, annotation(CLAIM.replace(
        "note: Gen. Dan Caine chaired the meeting.", 'note: "<script>alert(1)</script> **bold**"')))
    project, problems = gather(root)
    assert not problems
    page = texts(project)["claims/kane-is-caine.md"]
    assert "<script>" not in page and "&lt;script&gt;" in page and "<strong>bold</strong>" in page


def test_fragment_quote_is_marked_inside_its_sentence(tmp_path):
    project, _ = gather(mini_project(tmp_path, annotation()))
    article = texts(project)["articles/demo.md"]
    assert ('The talks, <mark class="claim-mark v-inaccurate" data-claims="kane-is-caine" data-verdicts="inaccurate">'
            'chaired by General Daniel K. Kane</mark><a class="mark-key v-inaccurate" href="#note-kane-is-caine">') in article
    assert ('<a class="verdict-badge v-inaccurate" href="../claims/kane-is-caine.md">'
            '<span class="verdict-icon" aria-hidden="true">✗</span> Inaccurate</a>') in article


def test_article_page_links_the_original_its_archived_copy_and_the_capture_with_its_hash(tmp_path):
    from .helpers import CAPTURE, META, sha
    meta = META.format(sha=sha(CAPTURE)) + "archived_url: https://web.archive.org/web/2025/https://example.org/allies\n"
    project, problems = gather(mini_project(tmp_path, annotation(), meta=meta))
    assert not problems.errors, problems.render()
    files = texts(project)
    article = files["articles/demo.md"]
    assert '<a href="https://example.org/allies" rel="nofollow noopener">' in article
    assert '<dt>Archived copy</dt><dd><a href="https://web.archive.org/web/2025/https://example.org/allies"' in article
    assert files["captures/demo.txt"] == CAPTURE, "the capture is published exactly as reviewed"
    assert f'<a href="../captures/demo.txt">demo.txt</a>, SHA-256 <code class="sha">{sha(CAPTURE)}</code>' in article


def test_no_archived_copy_line_where_none_is_known(tmp_path):
    project, _ = gather(mini_project(tmp_path, annotation()))
    assert "Archived copy" not in texts(project)["articles/demo.md"]


def test_browsing_lists_hold_every_claim_once_per_verdict_and_outlet_and_are_paged(monkeypatch):
    from generator import views
    from generator.build import gather as gather_project

    from .conftest import REPO
    monkeypatch.setattr(views, "LISTING_SIZE", 10)
    project, _ = gather_project(REPO)
    site = views.site_view(project)
    claims = sorted(c.id for a in site.articles for c in a.claims)
    for kind in ("verdict", "outlet"):
        listed = sorted(c.id for listing in site.listings if listing.kind == kind for c in listing.claims)
        assert listed == claims, f"every claim is in exactly one {kind} list"
    for listing in site.listings:
        assert 0 < len(listing.claims) <= 10 and listing.pages[listing.number - 1] == listing.page
        if listing.kind == "verdict":
            assert {c.verdict.id for c in listing.claims} == {listing.verdict.id}
    accurate = [listing for listing in site.listings if listing.kind == "verdict" and listing.name == "Accurate"]
    assert len(accurate) == len(accurate[0].pages) > 1 and accurate[1].page == "browse/verdict/accurate-2.md"
    pages = texts(project)
    assert '<a href="accurate-2.md">2</a>' in pages["browse/verdict/accurate.md"], "the pager links the other pages"
    indexes = views.article_indexes(site.articles)
    assert [i.page for i in indexes] == ["browse/article/all.md"]  # five articles: one page
    monkeypatch.setattr(views, "LISTING_SIZE", 2)
    indexes = views.article_indexes(site.articles)
    assert [len(i.articles) for i in indexes] == [2, 2, 1] and indexes[2].page == "browse/article/all-3.md"
    trump = pages["browse/person/donald-trump.md"]
    assert "“Trump has ruled out deploying U.S. ground troops”" in trump


small_text = st.text(alphabet="ab\0", max_size=5)


@given(st.lists(small_text, max_size=6), st.lists(small_text.filter(lambda w: w and "\0" not in w), max_size=3))
def test_the_texts_containing_some_words_are_those_a_search_of_each_text_finds(texts, words):
    """The people's lists find the sentences naming someone by searching all of them joined (`Texts`): no more and
    no fewer than searching each, whatever the texts hold (empty ones, the joint's own character, a word that
    would run across two)."""
    assert Texts(texts).containing(tuple(words)) == [i for i, t in enumerate(texts) if any(w in t for w in words)]


def _compiling(monkeypatch, templates, compiled):
    """What a new process compiles to load every template (`compiled`: where Jinja2 keeps them compiled)."""
    names = []
    compile_source = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, *rest, **named: names.append(name) or compile_source(
                            env, source, name, *rest, **named))

    def compiled_now() -> list[str]:
        env = make_environment.__wrapped__(templates, "version", compiled)  # as in a new process: not the cached one
        names.clear()
        for name in env.list_templates():
            env.get_template(name)
        return sorted(names)
    return compiled_now


def test_a_template_is_compiled_once_for_every_process_until_it_changes(tmp_path, monkeypatch):
    """Jinja2 keeps the compiled templates in the project's .cache/templates/ (pages.COMPILED): the next process
    reads them back rather than compiling them, except a template whose source has changed."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    compiled_now = _compiling(monkeypatch, templates, tmp_path / ".cache" / "templates")
    every = sorted(p.name for p in templates.iterdir())
    assert compiled_now() == every and len(every) > 10
    assert compiled_now() == []
    with (templates / "about.md.j2").open("a", encoding="utf-8") as file:
        file.write("\n")
    assert compiled_now() == ["about.md.j2"]
    assert compiled_now() == []


def test_templates_that_cannot_be_kept_compiled_are_compiled_by_every_process(tmp_path, monkeypatch):
    """A cache folder that cannot be made (a file stands where it should be) is no error: each process compiles."""
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    compiled_now = _compiling(monkeypatch, REPO / "templates", tmp_path / "a-file" / "templates")
    every = sorted(p.name for p in (REPO / "templates").iterdir())
    assert compiled_now() == every and compiled_now() == every


_segments = st.lists(st.sampled_from(["claims", "articles", "a", "ab", "b.md", "index.md", "."]), max_size=4)


@given(_segments, _segments, st.booleans())
def test_a_relative_link_is_the_one_posixpath_relpath_gives(path, folder, slash):
    """`relative` is posixpath.relpath without its calls for the working folder: the same answer for any two paths
    under docs/ (segments repeated, shared in part, `.`, a trailing slash, a page at the top)."""
    to, start = "/".join(path) + ("/" if slash and path else ""), "/".join(folder)
    if posixpath.normpath(to or ".") == ".":
        return  # a link to docs/ itself: no page makes one
    assert relative(to, start) == posixpath.relpath(to, start or ".")
