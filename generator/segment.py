"""Article capture -> body blocks -> sentences with stable ids and offsets.

The captures are damaged scrapes, so this works in two passes:

1. `cut_blocks` reads the line structure: blank lines, bullets, numbers and
   lines without final punctuation (headings) separate blocks; a line break
   after an abbreviation (`U.S.`, `Daniel K.`) or before a lower-case word is
   only a broken line. Page furniture named in the metadata is left out.
2. `split_sentences` hands each block to syntok, which splits glued sentences
   (`conclude.Deputy`) and keeps abbreviations together, with offsets.

Offsets are indexes into the capture decoded as UTF-8; a sentence's text is
always exactly `capture[start:end]`.
"""
from __future__ import annotations

import hashlib
import re

from syntok import segmenter

from .model import Article, ArticleMeta, Block, FurnitureRule, Sentence
from .problems import Problems

_TERMINAL = ".!?:;…\"”’'"
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[•·▪●◦‣–-]|\d{1,2}[.)])[ \t]+(?=\S)")
_BROKEN_AFTER = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Dr|Mr|Mrs|Ms|St|Sen|Rep|Gov|Rev|Prof|No|vs|etc|Jr|Sr)\.)$")
_TITLE_AT_END = re.compile(r"\b(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Cmdr|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Rev|Prof|[A-Z])\.$")
_GLUED_DATELINE = re.compile(
    r"(?<=[a-z])(?=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2},? \d{4}$)")


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of each line's content (without its line break)."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        spans.append((start, start + len(content)))
        start += len(line)
    return spans


def find_furniture(text: str, rules: tuple[FurnitureRule, ...], problems: Problems) -> list[tuple[int, int]]:
    """Spans of the lines the metadata names as page furniture; a rule that matches nothing is an error."""
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    for rule in rules:
        hits = [i for i, (s, e) in enumerate(lines) if _rule_matches(rule, text[s:e].strip())]
        if not hits:
            problems.error(rule.origin, f"furniture {rule.kind} {rule.text!r} matches no line of the capture",
                           "copy the line exactly as it stands in capture.txt (spaces at the ends do not matter)")
            continue
        if rule.occurrence is not None:
            if rule.occurrence > len(hits):
                problems.error(rule.origin, f"furniture {rule.kind} {rule.text!r} matches {len(hits)} line(s), "
                               f"so there is no occurrence {rule.occurrence}", "count the matching lines again")
                continue
            hits = [hits[rule.occurrence - 1]]
        if rule.kind == "from_line":
            hits = list(range(hits[0], len(lines)))
        spans.extend(lines[i] for i in hits)
    return sorted(set(spans))


def _rule_matches(rule: FurnitureRule, line: str) -> bool:
    if rule.kind == "line_starting":
        return line.startswith(rule.text)
    return line == rule.text


def cut_blocks(text: str, furniture: list[tuple[int, int]]) -> list[Block]:
    """Group the body's lines into headings, paragraphs and list items."""
    skip = set(furniture)
    blocks: list[Block] = []
    current: dict | None = None
    previous_line = ""

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.extend(_finish(text, current))
            current = None

    for start, end in _lines(text):
        line = text[start:end]
        if (start, end) in skip or not line.strip():
            close()
            continue
        item = _ITEM.match(line)
        stripped = line.strip()
        continues = (
            current is not None and not item
            and (stripped[0].islower() or _BROKEN_AFTER.search(previous_line.rstrip()) is not None
                 or (current["kind"] == "item" and not previous_line.rstrip().endswith(tuple(_TERMINAL))))
        )
        if continues and current is not None:
            current["end"] = start + len(line.rstrip())
        else:
            close()
            lead = item.end() if item else len(line) - len(line.lstrip())
            current = {
                "kind": "item" if item else "paragraph",
                "start": start + lead,
                "end": start + len(line.rstrip()),
                "marker": item["marker"] if item else "",
                "indent": len(item["indent"].expandtabs(4)) if item else 0,
                "lines": 0,
            }
        current["lines"] += 1
        previous_line = line
    close()
    return blocks


def _finish(text: str, block: dict) -> list[Block]:
    """Name a finished block: a one-line paragraph without final punctuation is a heading."""
    start, end, kind = block["start"], block["end"], block["kind"]
    body = text[start:end]
    if kind == "paragraph" and block["lines"] == 1 and _looks_like_heading(body):
        glued = _GLUED_DATELINE.search(body)
        if glued:  # "Brussels, BelgiumWed Feb 12 2025": place and date lost their separator
            cut = start + glued.start()
            return [Block("dateline", start, cut), Block("dateline", cut, end)]
        kind = "heading"
    return [Block(kind, start, end, block["marker"], block["indent"])]


def _looks_like_heading(line: str) -> bool:
    """No final punctuation, or a short title-case line ending in ? or : ("What Do They Really Mean?")."""
    if not line.endswith(tuple(_TERMINAL)):
        return True
    words = [w for w in line.split() if len(w) > 3]
    return line.endswith(("?", ":")) and len(line.split()) <= 12 and bool(words) and all(w[0].isupper() for w in words)


def split_sentences(text: str, blocks: list[Block]) -> list[Sentence]:
    sentences: list[Sentence] = []
    seen: dict[str, int] = {}
    for block_index, block in enumerate(blocks):
        for start, end in _syntok_spans(text, block):
            sentence_text = text[start:end]
            base = sentence_id(sentence_text)
            seen[base] = seen.get(base, 0) + 1
            sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            sentences.append(Sentence(sid, len(sentences), block_index, start, end, sentence_text, block.kind))
    return sentences


def _syntok_spans(text: str, block: Block) -> list[tuple[int, int]]:
    if block.kind in ("heading", "dateline"):
        return [(block.start, block.end)]
    chunk = text[block.start:block.end]
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(chunk):
        for tokens in paragraph:
            start = block.start + tokens[0].offset
            end = block.start + tokens[-1].offset + len(tokens[-1].value)
            if spans and _TITLE_AT_END.search(text[spans[-1][0]:spans[-1][1]]):
                spans[-1] = (spans[-1][0], end)  # "Retired Lt." + "Gen. Keith Kellogg": one sentence
            else:
                spans.append((start, end))
    return spans


def normalise(text: str) -> str:
    """The normalisation under which quotes must match: one kind of quote, single spaces."""
    return normalise_with_map(text)[0]


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """`normalise(text)` and, for each of its characters, the index it came from in `text`."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def sentence_id(text: str) -> str:
    """A stable id from the normalised text: unchanged when other sentences change."""
    return "s-" + hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:8]


def segment_article(meta: ArticleMeta, text: str, problems: Problems) -> Article:
    """The article body of a capture: furniture set aside, blocks cut, sentences split."""
    furniture = find_furniture(text, meta.furniture, problems)
    blocks = cut_blocks(text, furniture)
    return Article(meta, text, tuple(blocks), tuple(split_sentences(text, blocks)), tuple(furniture))
