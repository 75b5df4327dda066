"""Link-preview images: what a link to a claim or article shows when it is pasted into a chat, a post or a
newsletter tool (Open Graph and Twitter cards, 1200×630 PNG), and one for the rest of the site.

Drawn with Pillow and the DejaVu fonts kept in generator/fonts, and written with ISA-L's deflate (`_png`), so a
card gives the same bytes every time from the same versions of the two, offline. A card's file name carries a
digest of what it shows and of how it is drawn (this module, the fonts, Pillow's version): an unchanged card is
never drawn again, and a changed one gets a new address, which no social site has cached.
"""
from __future__ import annotations

import hashlib
import posixpath
import struct
import zlib
from collections.abc import Mapping
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import PIL

from ..memo import digest
from ..views import ArticleView, Card, Common, Segment, SiteView, article_card, claim_card, site_card
from ..write import Content, Keeping, Made
from .stylesheet import ink, mix

if TYPE_CHECKING:
    from PIL import Image, ImageFont

OWNS = ("previews/",)
SITE_IMAGE = "previews/site.png"
"""The preview of every page that has no card of its own (hand-written pages among them)."""

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_SIZES = (56, 50, 44, 38)
"""The main text takes the largest size at which it fits above the verdict; at the smallest, it is cut with an ellipsis."""
TEXT_TOP = 124
PAPER, TEXT, QUIET = "#ffffff", "#1a1a1a", "#4d4d4d"
SITE_COLOUR = "#3f51b5"
"""Material's indigo, the site's primary colour: the band of cards that carry no verdict."""

_FONTS = Path(__file__).resolve().parent.parent / "fonts"
_REGULAR, _BOLD = _FONTS / "DejaVuSans.ttf", _FONTS / "DejaVuSans-Bold.ttf"
_DESIGN = hashlib.sha256(b"".join(p.read_bytes() for p in (Path(__file__), _REGULAR, _BOLD))
                         + PIL.__version__.encode()).hexdigest()


def render(site: SiteView, keeping: Keeping) -> Mapping[str, Content]:
    """The card of every page without one of its own: drawn again only when it shows something else, or cards are
    drawn differently. (Pillow is imported where a card is drawn: a build after one edit has the articles' cards
    drawn by other processes, and 20 ms of its own went into importing Pillow and drawing this card again.)"""
    card = site_card(site.site)
    return keeping.files(digest(_DESIGN, card), lambda: {SITE_IMAGE: draw(card)})


def article(common: Common, article: ArticleView) -> dict[str, Content]:
    """The cards of the article and its claims, drawn only when missing (their names change with what they show)."""
    cards = (article_card(article, common.site), *(claim_card(c, common.site) for c in article.claims))
    return {image(card): Made(partial(draw, card)) for card in cards}


def image(card: Card) -> str:
    """Where a card's image is published: beside its page's path, named by a digest of what it shows."""
    shown = [card.text, card.quoted, card.dateline, card.site]
    if card.verdict:
        shown += [card.verdict.icon, card.verdict.label, card.verdict.colour]
    shown += [(s.verdict.icon, s.verdict.label, s.verdict.colour, s.count, s.width) for s in card.segments]
    digest = hashlib.sha256((_DESIGN + repr(shown)).encode("utf-8")).hexdigest()[:16]
    return f"previews/{posixpath.splitext(card.page)[0]}-{digest}.png"


def draw(card: Card) -> bytes:
    pen = _Pen(_pairs(card))
    pen.rectangle((0, 0, WIDTH, 14), card.verdict.colour if card.verdict else SITE_COLOUR)
    pen.text((MARGIN, 52), card.site, _font(30, bold=True), SITE_COLOUR)
    bottom = HEIGHT - 84
    pen.text((MARGIN, bottom), card.dateline, _font(28), QUIET)
    if card.verdict:
        bottom = _badge(pen, f"{card.verdict.icon}  {card.verdict.label}", card.verdict.colour, bottom)
    elif card.segments:
        bottom = _chart(pen, card.segments, bottom)
    size, lines = _fit(card.text, card.quoted, WIDTH - 2 * MARGIN, bottom - 24 - TEXT_TOP)
    for i, line in enumerate(lines):
        pen.words((MARGIN, TEXT_TOP + i * _leading(size)), line, _font(size, bold=not card.quoted), TEXT)
    return _png(pen.picture)


class _Pen:
    """Draws a card straight in its palette (`_palette`): each ink on its background has a run of entries from
    the one to the other, and a text is drawn by filling its box with the first entry and blending in the last,
    so that the anti-aliased edges fall on the steps between (Pillow blends the entries' numbers as it would
    colours). Drawn in full colour and mapped onto the palette afterwards, a card took a quarter more time."""

    def __init__(self, pairs: tuple[tuple[str, str], ...]):
        from PIL import Image, ImageDraw
        self.pairs, self.steps = pairs, _steps(pairs)
        self.picture = Image.new("P", (WIDTH, HEIGHT), 0)  # the first pair's background: the paper
        self.picture.putpalette(_palette(pairs))
        self.draw = ImageDraw.Draw(self.picture)
        self.draw.fontmode = "L"  # anti-aliased: Pillow draws text in a palette with no edges otherwise

    def run(self, background: str, ink: str) -> tuple[int, int]:
        """The palette entries of `background` and `ink`: the first and last of their run."""
        first = self.pairs.index((background, ink)) * self.steps
        return first, first + self.steps - 1

    def colour(self, colour: str) -> int:
        """An entry that is `colour`: the end of the run of an ink of that colour on the paper, or of the paper
        on that colour."""
        return self.run(PAPER, colour)[1] if (PAPER, colour) in self.pairs else self.run(colour, PAPER)[0]

    def rectangle(self, box: tuple[float, float, float, float], colour: str, radius: int = 0) -> None:
        self.draw.rounded_rectangle(box, radius=radius, fill=self.colour(colour))

    def text(self, xy: tuple[int, int], text: str, font: ImageFont.FreeTypeFont, ink: str,
             background: str = PAPER, anchor: str | None = None) -> None:
        self._masks(ink, background, [_placed(xy, font.getmask2(text, "L", anchor=anchor))])

    def words(self, xy: tuple[int, int], line: str, font: ImageFont.FreeTypeFont, ink: str) -> None:
        """A line of the main text on the paper, drawn word by word from their masks (`_word`): where the line's
        words are measured (`_wrap`), and as Pillow draws the line whole, to the pixel. An archive's cards share most
        of their words: on 599 of the corpus's quotes, a card took 6.4 to 8.2 ms drawn line by line, 4.1 to 4.7 from
        these masks, 5.4 to 7.0 with none kept from card to card."""
        x, y, space = float(xy[0]), xy[1], _length(font, " ")
        placed = []
        for word in line.split(" "):
            placed.append(_placed((round(x), y), _word(font, word)))
            x += _length(font, word) + space
        self._masks(ink, PAPER, placed)

    def _masks(self, ink: str, background: str, placed: list[tuple[tuple[int, int, int, int], Any]]) -> None:
        """Blend `ink` through each mask at its box, each box first filled with the start of the ink's run. All boxes
        are filled before any is drawn: a word's box may reach into the last word's letters."""
        first, last = self.run(background, ink)
        placed = [(box, mask) for box, mask in placed if box[2] >= box[0] and box[3] >= box[1]]  # not an empty text
        for box, _ in placed:
            self.draw.rectangle(box, fill=first)
        for box, mask in placed:
            self.draw.draw.draw_bitmap(box[:2], mask, last)  # what ImageDraw.text does with the mask it makes


def _png(picture: Image.Image) -> bytes:
    """A card as a PNG file: its palette, and its rows of 8-bit entries (each after filter type 0, none) compressed by
    ISA-L's deflate at level 1 (`isal`). Pillow's writer compresses with zlib only: 2.0 ms of a card's 3.3 for 19.5 KB
    at level 3, and no less at level 1; ISA-L takes 0.14 ms for 18.4 KB (three cards, measured side by side), some
    20 s of processor at a first build's 11,000 cards. A card is fetched once by each site a link is pasted into,
    never by a page view."""
    from isal import isal_zlib
    width, height = picture.size
    pixels = memoryview(picture.tobytes())
    rows = b"\0".join([b"", *(pixels[y * width:(y + 1) * width] for y in range(height))])
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits a pixel, colour type 3: a palette
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"PLTE", bytes(picture.getpalette() or ())),
                     _chunk(b"IDAT", isal_zlib.compress(rows, 1)), _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pairs(card: Card) -> tuple[tuple[str, str], ...]:
    """Each ink the card uses, with the background it is drawn on."""
    pairs = [(PAPER, TEXT), (PAPER, QUIET), (PAPER, SITE_COLOUR)]
    if card.verdict:
        pairs += [(PAPER, card.verdict.colour), (card.verdict.colour, PAPER)]
    for segment in card.segments:
        pairs += [(PAPER, segment.verdict.colour), (PAPER, ink(segment.verdict.colour, PAPER, "#000000"))]
    return tuple(dict.fromkeys(pairs))


def _steps(pairs: tuple[tuple[str, str], ...]) -> int:
    return min(16, 256 // len(pairs))


@cache
def _palette(pairs: tuple[tuple[str, str], ...]) -> list[int]:
    """Every colour a card can hold: for each ink on its background (`pairs`), the steps between them that the
    edges of anti-aliased text take (a third of the bytes of full colour, and nothing the eye sees lost). Made once
    for each set of inks (a verdict's, an article's mix of verdicts)."""
    from PIL import ImageColor
    steps = _steps(pairs)
    colours = [ImageColor.getrgb(mix(a, b, k / (steps - 1))) for a, b in pairs for k in range(steps)]
    return [channel for rgb in colours for channel in rgb]


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont
    return ImageFont.truetype(str(_BOLD if bold else _REGULAR), size, layout_engine=ImageFont.Layout.BASIC)


def _leading(size: int) -> int:
    return round(size * 1.28)


def _fit(text: str, quoted: bool, width: int, height: int) -> tuple[int, list[str]]:
    """The size and lines of the main text: a claim's words in quotation marks, cut at the last size if need be."""
    words = " ".join(text.split()).split(" ")
    if quoted:
        words[0], words[-1] = "“" + words[0], words[-1] + "”"
    for size in TEXT_SIZES:
        font = _font(size, bold=not quoted)
        lines = _wrap(words, font, width)
        if len(lines) * _leading(size) <= height:
            return size, lines
    kept = lines[:max(1, height // _leading(size))]
    last = kept[-1]
    while font.getlength(last + " …" + ("”" if quoted else "")) > width and " " in last:
        last = last.rsplit(" ", 1)[0]
    kept[-1] = last.rstrip(",;:") + " …" + ("”" if quoted else "")
    return size, kept


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words in lines no wider than `width`. Widths add up across a space in the basic layout (no kerning pairs
    with a space in DejaVu): each word is measured once, not each line again as it grows."""
    space = _length(font, " ")
    lines: list[list[str]] = []
    used = 0.0
    for word in words:
        length = _length(font, word)
        if lines and used + space + length <= width:
            lines[-1].append(word)
            used += space + length
        else:
            lines.append([word])
            used = length
    return [" ".join(line) for line in lines]


def _placed(xy: tuple[int, int], made: tuple[Any, tuple[int, int]]) -> tuple[tuple[int, int, int, int], Any]:
    """A text's mask (`FreeTypeFont.getmask2`) and the box it covers when the text is drawn at `xy` (the pixels
    Pillow draws the text in: its `textbbox` can leave out a letter's overhang, whose edge then blended into the
    wrong run)."""
    mask, (dx, dy) = made
    x, y = xy[0] + dx, xy[1] + dy
    return (x, y, x + mask.size[0] - 1, y + mask.size[1] - 1), mask


@lru_cache(maxsize=2048)
def _word(font: ImageFont.FreeTypeFont, word: str) -> tuple[Any, tuple[int, int]]:
    """A word's mask and offset in the font (some 9 KB at the main text's sizes: 2,048 of them, 19 MB a process)."""
    return font.getmask2(word, "L")


@lru_cache(maxsize=1 << 16)
def _length(font: ImageFont.FreeTypeFont, word: str) -> float:
    """A word's width in the font: an archive's cards share most of their words, at the same few sizes."""
    return font.getlength(word)


def _badge(pen: _Pen, label: str, colour: str, bottom: int) -> int:
    """The verdict as the site shows it: icon and label in white on the verdict's colour, above `bottom`."""
    font, top = _font(40, bold=True), bottom - 20 - 68
    right = MARGIN + 2 * 28 + round(font.getlength(label))
    pen.rectangle((MARGIN, top, right, top + 68), colour, radius=12)
    pen.text((MARGIN + 28, top + 34), label, font, PAPER, background=colour, anchor="lm")
    return top


def _chart(pen: _Pen, segments: tuple[Segment, ...], bottom: int) -> int:
    """An article's verdicts above `bottom`: the chart of its page, and each verdict's icon, count and label."""
    font = _font(24, bold=True)
    rows: list[list[tuple[str, str]]] = [[]]
    for segment in segments:
        key = f"{segment.verdict.icon} {segment.count} {segment.verdict.label.lower()}"
        row = rows[-1]
        if row and sum(font.getlength(k) + KEY_GAP for k, _ in row) + font.getlength(key) > WIDTH - 2 * MARGIN:
            rows.append(row := [])
        row.append((key, segment.verdict.colour))
    top = bottom - 16 - 34 * len(rows) - 12 - 28
    x, width = float(MARGIN), WIDTH - 2 * MARGIN
    for segment in segments:
        end = x + width * segment.width / 100
        pen.rectangle((round(x), top, round(end), top + 28), segment.verdict.colour)
        x = end
    for i, row in enumerate(rows):
        x = MARGIN
        for key, colour in row:
            pen.text((round(x), top + 28 + 12 + 34 * i), key, font, ink(colour, PAPER, "#000000"))
            x += font.getlength(key) + KEY_GAP
    return top


KEY_GAP = 26
