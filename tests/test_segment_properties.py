"""Properties of segmentation and anchoring over generated text (hypothesis), and a fuzz run of the loader and
validator over mutated annotation and meta files (issue 8, point 6).

Text is drawn from arbitrary Unicode and from news-like pieces (sentences of the captures, abbreviations, list
markers, quotes, line breaks), so that both the odd and the likely are tried.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from syntok import segmenter

from generator.anchor import anchor_claim
from generator.build import gather
from generator.model import Article, ArticleMeta, Block, Claim, Origin
from generator.problems import Problems
from generator.segment import _QUOTES, _repair, _syntok_spans, cut_blocks, normalise, normalise_with_map, split_sentences

from .helpers import CAPTURE, META, annotation, mini_project, sha
from .test_segment import ARTICLES

PIECES = [*sorted({s.text for a in ARTICLES for s in a.sentences}),
          "U.S.", "Gen.", "Dr.", "Jane.Doe@example.com.", "https://example.org/a.b.", "1.", "2)", "a.", "b.", "•", "-", "*",
          "“", "”", "\"", "(", ")", "...", ". . .", "!", "?", "\n", "\n\n", "\r\n", " ", "\t", "N°.", "3.5", "2025."]
news_like = st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join)
any_text = st.one_of(st.text(max_size=400), news_like)
_MARKERS = re.compile(r"\s*(?:(?:[•·▪●◦‣–*⁃-]|\d{1,2}(?:\.\)|[.)])|[a-z][.)])\s*)*")


def sentences_of(text: str):
    return split_sentences(text, cut_blocks(text, []))


@given(any_text)
@example("1.) The first item 2.) The second item")
@example("a. b. 0")  # found by CI: a marker with nothing after it made an empty item
@settings(max_examples=1500, deadline=None)
def test_sentences_slice_back_and_cover_the_text_in_order(text):
    sentences = sentences_of(text)
    previous_end = 0
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text.strip(), "no empty sentence"
        assert sentence.start >= previous_end, "in order, without overlap"
        gap = text[previous_end:sentence.start]
        assert _MARKERS.fullmatch(gap), f"only space and list markers are left out: {gap!r}"
        previous_end = sentence.end
    assert _MARKERS.fullmatch(text[previous_end:]), "nothing is lost at the end"


@given(st.lists(st.sampled_from([p for p in PIECES if "\n\n" not in p]), min_size=1, max_size=8)
       .map(" ".join).map(str.strip).filter(lambda t: t and not re.search(r"\n\s*\n", t)))
@example('The Diplomatic Push ( "We are not talking about NATO membership at this moment," the diplomat said.')
@settings(max_examples=800, deadline=None)
def test_the_shortcut_past_syntok_gives_syntoks_answer(text):
    """A block (no blank line, no space at its ends) split with the shortcuts, or by syntok alone, then repaired."""
    block = Block("paragraph", 0, len(text))
    slow = [(t[0].offset, t[-1].offset + len(t[-1].value)) for p in segmenter.analyze(text) for t in p]
    assert _syntok_spans(text, block) == _repair(text, slow)


@given(st.one_of(any_text, st.text(alphabet=" \t\n\u00a0\u2009\u2003\u3000\x1c“”‘’ab", max_size=40)))
@example(" \u00a0“a”\u2009 b\n")
def test_a_normalised_text_maps_each_character_back_to_where_it_came_from(text):
    """Anchoring and the office check find words in the normalised sentence and mark them in the capture through the
    map: every character maps to one of the same kind (a space to white space), in order, and the whole is
    `normalise`'s (str.split's idea of a space, one kind of quote)."""
    normalised, where = normalise_with_map(text)
    assert normalised == normalise(text)
    assert len(where) == len(normalised) and where == sorted(set(where))
    for character, at in zip(normalised, where, strict=True):
        source = text[at]
        if character == " ":
            assert (source.translate(_QUOTES)).isspace()
        else:
            assert source.translate(_QUOTES) == character


@given(any_text, st.data())
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_quote_taken_from_a_sentence_anchors_to_that_sentence(text, data):
    sentences = [s for s in sentences_of(text) if normalise(s.text)]
    if not sentences:
        return
    sentence = data.draw(st.sampled_from(sentences))
    words = normalise(sentence.text).split(" ")
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    quote = " ".join(words[first:last + 1])
    article = Article(_meta(), text, (), tuple(sentences_of(text)), ())
    problems = Problems()
    anchor = anchor_claim(_claim(quote), article, problems)
    if anchor is not None:
        assert anchor.sentence.id == sentence.id or normalise(quote) in normalise(anchor.sentence.text)
        assert normalise(text[anchor.start:anchor.end]) == normalise(quote)
        if normalise(quote) not in "".join(normalise(s.text) for s in article.sentences if s.id != sentence.id):
            assert anchor.sentence.id == sentence.id
    else:
        (problem,) = problems.items
        assert "matches" in problem.message and sentence.id in problem.message, problem.message


def _claim(quote: str) -> Claim:
    origin = Origin(Path("annotations/demo.yaml"), 1, 1)
    return Claim("c", "demo", quote, None, "accurate", "s", "n", (), None, None, origin, origin, origin)


def _meta() -> ArticleMeta:
    return ArticleMeta(slug="demo", title="t", publisher=None, url=None, author=None, published=None,
                       published_estimate=None, published_basis=None, captured=None, language="en",
                       capture_sha256="0" * 64, furniture=(), meta_path=Path("m"), capture_path=Path("c"),
                       original_reporting=(), origins={})


# --- the loader and validator, fuzzed --------------------------------------------------------------------------

GOOD = {"annotations/demo.yaml": annotation().encode("utf-8"),
        "sources/demo/meta.yaml": META.format(sha=sha(CAPTURE)).encode("utf-8")}
SNIPPETS = [b":", b"- ", b"  ", b"\t", b"\n", b"'", b'"', b"[", b"{", b"&a ", b"*a", b"!!python/object ", b"---\n",
            b"\x00", b"\xff", b"\xef\xbb\xbf", b"#", b"? ", b"|", b">", b"yes", b"~", b"2025-13-45", b"\r\n", b"%YAML 1.1\n"]
mutation = st.tuples(st.sampled_from(["insert", "delete", "replace", "truncate"]), st.floats(0, 1),
                     st.one_of(st.sampled_from(SNIPPETS), st.binary(max_size=8)))


def mutate(data: bytes, mutations) -> bytes:
    for op, where, payload in mutations:
        at = int(where * len(data))
        if op == "insert":
            data = data[:at] + payload + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(payload) + 1:]
        elif op == "replace":
            data = data[:at] + payload + data[at + len(payload):]
        else:
            data = data[:at]
    return data


@pytest.mark.slow
@given(st.sampled_from(sorted(GOOD)), st.lists(mutation, min_size=1, max_size=4))
@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mutated_files_never_crash_the_loader_and_every_problem_is_located(fuzz_project, path, mutations):
    target = fuzz_project / path
    target.write_bytes(mutate(GOOD[path], mutations))
    try:
        _, problems = gather(fuzz_project)
    finally:
        target.write_bytes(GOOD[path])
    for problem in problems.items:
        assert (fuzz_project / problem.origin.path).exists(), problem.format()
        assert problem.origin.line >= 1 and problem.origin.col >= 1
        assert problem.message and "Traceback" not in problem.message
    messages = [p.format() for p in problems.items]
    assert len(messages) == len(set(messages)), "no message twice"


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    return mini_project(tmp_path_factory.mktemp("fuzz"), annotation())
