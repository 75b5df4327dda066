"""Article capture -> body blocks -> sentences with stable ids and offsets.

The captures are damaged scrapes, so this works in two passes:

1. `cut_blocks` reads the line structure: blank lines, bullets, numbers and
   lines without final punctuation (headings) separate blocks; a line break
   after an abbreviation (`U.S.`, `Daniel K.`) or before a lower-case word is
   only a broken line. Page furniture named in the metadata is left out.
   A run of numbered or lettered items written on one line (`1.) first 2.) second`,
   `a. first b. second`) is cut into one block per item.
2. `split_sentences` hands each block to syntok, which splits glued sentences
   (`conclude.Deputy`) and keeps abbreviations together, with offsets; then a few
   repairs where syntok is known to be wrong (`_repair`): an initialism that ends a
   sentence (`the U.S. How about you?`), an address that ends one (`example.com. I`),
   a number abbreviation (`N°. 1026`), spaced ellipses, stray closing punctuation.
   A block with no sentence punctuation inside is one sentence without asking syntok.

Measured on the English Golden Rules (`python -m bench.segment`): 46 of 48.

Offsets are indexes into the capture decoded as UTF-8; a sentence's text is
always exactly `capture[start:end]`.
"""
from __future__ import annotations

import hashlib
import re

from .model import Article, ArticleMeta, Block, FurnitureRule, Sentence
from .problems import Problems

_TERMINAL = ".!?:;…\"”’'"
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[•·▪●◦‣–*-]|\d{1,2}[.)])[ \t]+(?=\S)")
_BROKEN_AFTER = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Dr|Mr|Mrs|Ms|St|Sen|Rep|Gov|Rev|Prof|No|vs|etc|Jr|Sr)\.)$")
_TITLE_AT_END = re.compile(r"\b(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Cmdr|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Rev|Prof|[A-Z])\.$")
_INLINE_MARKER = re.compile(r"(?:(?P<bullet>[•⁃])[ \t]?)?(?:(?P<number>\d{1,2})(?:\.\)|[.)])|(?P<letter>[a-z])[.)])[ \t]+(?=\S)")
"""An item marker inside a line: `2.)`, `2)`, `2.`, `b.`, `• 10.`, `⁃10.`."""
_STARTERS = ("I|You|He|She|It|We|They|How|What|Why|Who|When|Where|Which|Did|Do|Does|Is|Are|Was|Were|Will|Would|"
             "Can|Could|Should|The|This|That|These|Those|There|Here|But|And|So|If|Yet|Then|My|Our|Your|His|Her|Their")
_ENDS_IN_INITIALS = re.compile(rf"(?<![\w.])(?:[A-Z]\.)+(?=\s+(?:{_STARTERS})\b)")
"""`U.S.`, `I.` before a word that begins sentences, not names (`the U.S. How`, not `Albert I. Jones`)."""
_ENDS_IN_ADDRESS = re.compile(r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+?)\.(?=\s+[A-Z])")
_GLUED = re.compile(r"(?P<before>[\w%)\]\"”’])[.!?][\"”’)]?(?=[A-Z][a-z])")
"""A sentence glued to the next one after a number, a closing quote or bracket (`in 2025.The`, `“over.”The`,
`(52 to 48).Critics`); syntok cuts only `word.Word`. Not after a capital (`U.S.Defense`) or an abbreviation
(`St.Petersburg`), nor inside an address (`Jane.Doe@example.com`)."""
_NUMBER_ABBREVIATION = re.compile(r"\b(?:N[°º]|No|Nos|p|pp|vol|fig|art|para)\.$")
_SPACED_ELLIPSIS = re.compile(r"(?<!\.)\s\.\s\.\s\.$")
"""` . . .` (three spaced dots) marks words left out inside a sentence; four end one."""
_SENTENCE_PUNCTUATION = re.compile(r"[.!?…]")
_PLAIN_END = re.compile(r"(?<![\w.])[a-z]{4,}[.!?][\"”’]?(?=\s+[\"“‘]?[A-Z])")
_BRACKETS = re.compile(r"[()\[\]{}]")
_NOT_AN_END = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?=[\s-]+[a-z])|\d\.\d")
"""Full stops that syntok never takes for a sentence's end: `U.S.` before a lower-case word, `3.5`."""
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
    if block["lines"] == 1:
        items = _inline_items(text, block)
        if items:
            return items
    if kind == "paragraph" and block["lines"] == 1 and _looks_like_heading(body):
        glued = _GLUED_DATELINE.search(body)
        if glued:  # "Brussels, BelgiumWed Feb 12 2025": place and date lost their separator
            cut = start + glued.start()
            return [Block("dateline", start, cut), Block("dateline", cut, end)]
        kind = "heading"
    return [Block(kind, start, end, block["marker"], block["indent"])]


def _inline_items(text: str, block: dict) -> list[Block]:
    """A line that is a run of items in sequence (`1. a 2. b`, `a. x b. y`), one block each; else nothing."""
    line_start = text.rfind("\n", 0, block["start"]) + 1
    line = text[line_start:block["end"]]
    first = _INLINE_MARKER.match(line.lstrip())
    if not first:
        return []
    offset = line_start + len(line) - len(line.lstrip())
    markers, expected = [first], _next_in_sequence(first)
    for found in _INLINE_MARKER.finditer(line, first.end() + offset - line_start):
        if line[found.start() - 1].isspace() and _sequence_key(found) == expected:
            markers.append(found)
            expected = _next_in_sequence(found)
    if len(markers) < 2:
        return []
    blocks = []
    for i, marker in enumerate(markers):
        begin = (offset + marker.end()) if i == 0 else line_start + marker.end()
        finish = (line_start + markers[i + 1].start()) if i + 1 < len(markers) else block["end"]
        while finish > begin and text[finish - 1].isspace():
            finish -= 1
        if finish == begin:  # `a. b. 0`: a marker with nothing after it is not an item but text
            return []
        blocks.append(Block("item", begin, finish, marker.group().strip(), block["indent"]))
    return blocks


def _sequence_key(marker: re.Match) -> tuple:
    style = marker.group()[len(marker.group("bullet") or ""):].strip().lstrip("0123456789abcdefghijklmnopqrstuvwxyz")
    value = int(marker["number"]) if marker["number"] else ord(marker["letter"])
    return (marker["bullet"], style, value)


def _next_in_sequence(marker: re.Match) -> tuple:
    bullet, style, value = _sequence_key(marker)
    return (bullet, style, value + 1)


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
    spans = []
    for start, end in _plain_breaks(text, block.start, block.end):
        chunk = text[start:end]
        if not _BRACKETS.search(chunk) and not _SENTENCE_PUNCTUATION.search(_NOT_AN_END.sub("", chunk).rstrip(_TERMINAL)):
            spans.append((start, end))  # nothing inside could end a sentence: syntok would say the same, slower
            # (not with brackets: syntok may cut before an opening one, as in `Push ( "We are`)
        else:
            from syntok import segmenter  # here: after an edit to the annotations, the build segments nothing (11 ms)
            spans.extend((start + tokens[0].offset, start + tokens[-1].offset + len(tokens[-1].value))
                         for paragraph in segmenter.analyze(chunk) for tokens in paragraph)
    return _repair(text, spans)


def _plain_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block cut where a sentence surely ends (a lower-case word of four letters or more, its full stop, a
    space, a capital), outside brackets: syntok cuts there too, and the pieces are faster to split."""
    chunk = text[start:end]
    if _BRACKETS.search(chunk):
        return [(start, end)]
    pieces, begin = [], start
    for match in _PLAIN_END.finditer(chunk):
        pieces.append((begin, start + match.end()))
        begin = start + match.end() + len(chunk[match.end():]) - len(chunk[match.end():].lstrip())
    pieces.append((begin, end))
    return pieces


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """syntok's sentences, joined and cut where it is known to be wrong."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        glued_abbreviation = bool(joined) and joined[-1][1] == start and _BROKEN_AFTER.search(text[joined[-1][0]:start])
        if joined and (glued_abbreviation or _belongs_to_previous(text[joined[-1][0]:joined[-1][1]], text[start:end])):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return [part for start, end in joined for part in _cut(text, start, end)]


def _belongs_to_previous(previous: str, sentence: str) -> bool:
    return bool(
        _TITLE_AT_END.search(previous)  # "Retired Lt." + "Gen. Keith Kellogg"
        or (_NUMBER_ABBREVIATION.search(previous) and sentence[:1].isdigit())  # "N°." + "1026.253.553."
        or _SPACED_ELLIPSIS.search(previous)  # "the thing is . . ." + "I didn't mean it."
        or not any(ch.isalnum() for ch in sentence)  # "less complex. . ." + ".”"
        or sentence[:2] in ("- ", "– ", "— "))  # "LONDON (Reuters)" + "- Allies met": a dateline's dash


def _glued_end(text: str, match: re.Match) -> bool:
    """Whether a `_GLUED` match ends a sentence: not after a capital or an abbreviation, not in an address."""
    if match["before"].isupper() or _BROKEN_AFTER.search(text[:match.start() + 2]):
        return False
    at = match.start()
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    end = min((i for i in (text.find(" ", at), text.find("\n", at)) if i != -1), default=len(text))
    return "@" not in text[start:end] and "://" not in text[start:end]


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut after an initialism, an address or a glued full stop that ends a sentence inside it."""
    sentence = text[start:end]
    cuts = sorted({m.end() for pattern in (_ENDS_IN_INITIALS, _ENDS_IN_ADDRESS) for m in pattern.finditer(sentence)}
                  | {m.end() for m in _GLUED.finditer(sentence) if _glued_end(sentence, m)})
    parts, begin = [], start
    for cut in cuts:
        parts.append((begin, start + cut))
        begin = start + cut + len(sentence[cut:]) - len(sentence[cut:].lstrip())
    parts.append((begin, end))
    return parts


def normalise(text: str) -> str:
    """The normalisation under which quotes must match: one kind of quote, single spaces (as `normalise_with_map`)."""
    return " ".join(text.translate(_QUOTES).split())


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """`normalise(text)` and, for each of its characters, the index it came from in `text` (a space: that of the last
    space it stands for)."""
    translated = text.translate(_QUOTES)  # each character in its place
    normalised = " ".join(translated.split())
    if normalised == translated:  # most sentences: single spaces, none at the ends (a check of an article maps each
        return normalised, list(range(len(normalised)))  # sentence twice, and went through each character)
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(translated):
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
