"""The pages of claims and articles are written in HTML and laid out by MkDocs without Python-Markdown
(generator/html_pages.py, issue 13): the reader gets the page Python-Markdown would have made of it, with its table
of contents, its links are rewritten and checked as Markdown links are, and a link to no page fails the build."""
from __future__ import annotations

import posixpath
import re

import pytest

from generator.html_pages import toc_tokens
from generator.write import SiteBuildFailed, build_site

from .conftest import copy_project, run_generator
from .helpers import annotation, mini_project


def _content(page):
    """What the page says (the theme's `<article>`), whitespace between tags aside."""
    html = page.read_text(encoding="utf-8")
    inner = re.search(r'<article class="md-content__inner md-typeset"[^>]*>(.*?)</article>', html, re.S)[1]
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", inner)).strip()


def _toc(page):
    nav = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', page.read_text(encoding="utf-8"), re.S)
    return re.findall(r'<a href="(#[^"]+)" class="md-nav__link">', nav[0]) if nav else []


def _addresses(content, page, site, sources=""):
    """`content` with each relative link as the path in `site` it leads to from `page` (its address). `sources`:
    the folder of the page's source, against which a link that leads nowhere from the address is tried: Python-
    Markdown leaves links to files other than pages, in raw HTML, as the source paths they are."""
    def address(link):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link[1]))
        if sources and not (site / target).exists():
            target = posixpath.normpath(posixpath.join(sources, link[1]))
        assert (site / target).exists(), f"{page}: {link[1]} leads nowhere"
        return f'href="/{target}{link[2] or ""}"'
    return re.sub(r'href="((?![a-z]+:|#|/)[^"#]*)(#[^"]*)?"', address, content)


@pytest.mark.slow
def test_the_pages_in_html_are_what_python_markdown_makes_of_them_with_their_tables_of_contents(tmp_path):
    root = copy_project(tmp_path / "project")
    assert run_generator(root, "build", "--docs-only").returncode == 0
    build_site(root, tmp_path / "laid-out", processes=1)
    docs = root / "docs"
    pages = sorted(docs.glob("claims/*.md")) + sorted(docs.glob("articles/*.md")) + sorted(docs.glob("browse/**/*.md"))
    as_html = [p for p in pages if "\nbody: html\n" in p.read_text(encoding="utf-8")]
    assert len(as_html) > 100 and len(as_html) == len(pages) - 1  # all but the index of claims
    for page in as_html:  # the same pages, converted by Python-Markdown
        page.write_text(page.read_text(encoding="utf-8").replace("\nbody: html\n", "\n", 1), encoding="utf-8")
    build_site(root, tmp_path / "converted", processes=1)
    for page in as_html:
        source = page.relative_to(docs).as_posix()
        folder, kind = posixpath.dirname(source), source.split("/")[0]
        built = f"{source[:-3]}/index.html"
        laid_out, converted = tmp_path / "laid-out" / built, tmp_path / "converted" / built
        assert (_addresses(_content(laid_out), built, tmp_path / "laid-out")
                == _addresses(_content(converted), built, tmp_path / "converted", folder)), source
        assert _toc(converted) == []  # Python-Markdown's toc does not see headings in raw HTML...
        toc = _toc(laid_out)  # ...the hook reads them, with the ids they link to
        text = page.read_text(encoding="utf-8")
        if kind == "claims":
            assert toc[:2] == ["#our-reasoning", "#sources"] and "#in-context" in toc and toc[-1] == "#found-a-mistake"
        elif kind == "articles":
            assert toc == ["#our-assessment", "#the-article-sentence-by-sentence", "#claims-checked"]
        elif "browse/article/" not in source:  # a listing: a heading for each article it quotes, in order
            quoted = re.findall(r'href="\.\./\.\./articles/([^".]+)\.md"', text)
            assert toc == list(dict.fromkeys(f"#article-{slug}" for slug in quoted))
            assert toc and len(set(toc)) == len(toc)
        skip = {"claims": "#claim", "articles": "#article"}.get(kind, "#articles" if "browse/article/" in source else "#listing")
        assert f'<a href="{skip}" class="md-skip">' in laid_out.read_text(encoding="utf-8")
        assert not re.search(r'href="[^":]*\.md[#"]', _content(laid_out)), "every link to a source path rewritten"
    page = _content(tmp_path / "laid-out" / "claims" / "kane-is-dan-caine" / "index.html")
    assert 'In <a href="../../articles/us-minimal-role-in-ukraine-guarantees/#s-' in page
    article = _content(tmp_path / "laid-out" / "articles" / "us-minimal-role-in-ukraine-guarantees" / "index.html")
    assert '<a href="../../captures/us-minimal-role-in-ukraine-guarantees.txt">' in article
    assert '<a class="verdict-badge v-inaccurate" href="../../claims/kane-is-dan-caine/">' in article


def test_a_link_to_no_page_in_a_page_in_html_fails_the_build_as_in_markdown(tmp_path):
    root = mini_project(tmp_path, annotation())
    assert run_generator(root, "build", "--docs-only").returncode == 0
    claim = root / "docs" / "claims" / "kane-is-caine.md"
    claim.write_text(claim.read_text(encoding="utf-8") + '<p><a href="../nowhere.md#x">gone</a></p>\n',
                     encoding="utf-8")
    with pytest.raises(SiteBuildFailed) as failed:
        build_site(root, root / "site")
    assert "Doc file 'claims/kane-is-caine.md' contains a link '../nowhere.md'" in str(failed.value)
    assert not (root / "site").exists()


def test_the_table_of_contents_nests_headings_by_level():
    body = "".join(f'<h{level} id="{anchor}">{anchor}<a class="headerlink" href="#{anchor}">¶</a></h{level}>'
                   for level, anchor in [(1, "a"), (2, "b"), (3, "c"), (2, "d"), (1, "e")])
    body += '<h2 id="no-link">not listed</h2>'
    shape = [(t["id"], [(c["id"], [g["id"] for g in c["children"]]) for c in t["children"]]) for t in toc_tokens(body)]
    assert shape == [("a", [("b", ["c"]), ("d", [])]), ("e", [])]
