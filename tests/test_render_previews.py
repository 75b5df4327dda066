"""Preview images: the same card gives the same bytes; an unchanged card is never drawn again; a changed verdict
gets a new image at a new address, and the page points to it."""
from __future__ import annotations

import io
import re

from PIL import Image, ImageColor

from generator.build import build, gather, render
from generator.outputs import previews
from generator.views import Card
from generator.write import Made

from .conftest import texts
from .helpers import CLAIM, annotation, mini_project


def test_a_preview_is_a_1200_by_630_png_with_the_same_bytes_every_time(tmp_path):
    project, problems = gather(mini_project(tmp_path, annotation()))
    assert not problems
    files = render(project)
    [path] = [p for p in files if p.startswith("previews/claims/kane-is-caine-") and p.endswith(".png")]
    assert f'image: "{path}"' in texts(project)["claims/kane-is-caine.md"], "the page names its own image"
    made = files[path]
    assert isinstance(made, Made)
    image = made.make()
    assert image == render(project)[path].make()
    with Image.open(io.BytesIO(image)) as picture:
        assert (picture.format, picture.size) == ("PNG", (1200, 630))


def test_a_card_is_a_png_that_pillow_verifies_and_reads_back_as_the_picture_drawn(tmp_path, monkeypatch):
    """Cards are written by our own PNG writer (previews._png: ISA-L's deflate, which Pillow's writer cannot use).
    Pillow's reader is the judge: it verifies every chunk's checksum, and reads back the pixels and the palette of
    the picture drawn, entry for entry."""
    project, _ = gather(mini_project(tmp_path, annotation()))
    drawn, write = [], previews._png
    monkeypatch.setattr(previews, "_png", lambda picture: drawn.append(picture.copy()) or write(picture))
    for card in (Card("claims/x.md", "A claim, quoted", True, verdict=project.scale["inaccurate"], dateline="Journal",
                      site="Desk"), Card("index.md", "A desk's fact-checks", False, dateline="example.org", site="Desk")):
        data = previews.draw(card)
        with Image.open(io.BytesIO(data)) as png:
            png.verify()
        with Image.open(io.BytesIO(data)) as png:
            assert (png.format, png.mode, png.size) == ("PNG", "P", (1200, 630))
            assert png.tobytes() == drawn[-1].tobytes() and png.getpalette() == drawn[-1].getpalette()
            assert png.convert("RGB").tobytes() == drawn[-1].convert("RGB").tobytes()


def test_an_unchanged_card_is_not_drawn_again_a_changed_verdict_gets_a_new_address_and_the_sites_card_new_bytes(
        tmp_path, monkeypatch):
    root = mini_project(tmp_path, annotation())
    _, first = build(root, None)
    [old] = [p for p in first.written if p.startswith("previews/claims/")]
    drawn = []
    real = previews.draw
    monkeypatch.setattr(previews, "draw", lambda card: drawn.append(card.page) or real(card))

    _, again = build(root, None)
    assert drawn == [], "nothing is drawn again, the site's card (at a fixed address) included"
    assert [p for p in again.written if p.startswith("previews/")] == []

    (root / "annotations" / "demo.yaml").write_text(
        annotation(CLAIM.replace("verdict: inaccurate", "verdict: misleading")), encoding="utf-8")
    drawn.clear()
    _, changed = build(root, None)
    assert sorted(drawn) == ["articles/demo.md", "claims/kane-is-caine.md"]
    [new] = [p for p in changed.written if p.startswith("previews/claims/")]
    assert new != old and old in changed.deleted and not (root / "docs" / old).exists()
    assert f'image: "{new}"' in (root / "docs" / "claims" / "kane-is-caine.md").read_text(encoding="utf-8")

    site_image = root / "docs" / previews.SITE_IMAGE
    before = site_image.read_bytes()
    settings = root / "mkdocs.yml"
    described = re.sub(r"(?m)^site_description: .*$", "site_description: Another line", settings.read_text("utf-8"))
    settings.write_text(described, encoding="utf-8")
    drawn.clear()
    _, redescribed = build(root, None)
    assert drawn == ["index.md"] and previews.SITE_IMAGE in redescribed.written, "its card shows the new line"
    assert site_image.read_bytes() != before


def test_a_card_is_drawn_in_the_verdicts_colour_and_each_text_only_in_steps_between_its_ink_and_background(tmp_path):
    """Cards are drawn straight in a palette: a text blends palette entries, which is right only where its box
    holds the run of its own ink. Every pixel of a text must so be its ink, its background or a step between."""
    project, _ = gather(mini_project(tmp_path, annotation()))
    verdict = project.scale["inaccurate"]
    card = Card("claims/x.md", "Words of a claim, long enough to wrap onto a second line of the card, quoted", True,
                verdict=verdict, dateline="Journal · 1 January 2025", site="Justice desk")
    with Image.open(io.BytesIO(previews.draw(card))) as png:
        picture = png.convert("RGB")
    colour = ImageColor.getrgb(verdict.colour)
    badge_top = previews.HEIGHT - 84 - 20 - 68
    assert picture.getpixel((600, 7)) == colour, "the band at the top"
    assert picture.getpixel((previews.MARGIN + 6, badge_top + 34)) == colour, "the badge"
    left = previews.MARGIN - 8  # a letter may reach left of where its text starts (the J of "January")
    areas = {  # box: (background, ink)
        (left, 40, 600, 100): (previews.PAPER, previews.SITE_COLOUR),
        (left, previews.TEXT_TOP, previews.WIDTH - previews.MARGIN, badge_top - 24): (previews.PAPER, previews.TEXT),
        (previews.MARGIN + 20, badge_top + 8, previews.MARGIN + 200, badge_top + 60): (verdict.colour, previews.PAPER),
        (left, previews.HEIGHT - 84, 700, previews.HEIGHT - 40): (previews.PAPER, previews.QUIET),
    }
    for box, (background, ink) in areas.items():
        shown = {rgb for _, rgb in picture.crop(box).getcolors(1 << 16)}
        a, b = ImageColor.getrgb(background), ImageColor.getrgb(ink)
        assert {a, b} <= shown, f"{box}: the text and its background"
        off = [rgb for rgb in shown if not _between(rgb, a, b)]
        assert not off, f"{box}: colours that are not steps from {background} to {ink}: {off[:5]}"


def _between(rgb: tuple[int, ...], a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether `rgb` is on the way from `a` to `b` (to a unit a channel)."""
    k = max(range(3), key=lambda i: abs(b[i] - a[i]))
    t = (rgb[k] - a[k]) / (b[k] - a[k])
    return 0 <= t <= 1 and all(abs(a[i] + t * (b[i] - a[i]) - rgb[i]) <= 1.5 for i in range(3))


def test_the_main_text_drawn_from_each_words_mask_is_the_line_pillow_draws_to_the_pixel():
    """A card's main text is drawn word by word from masks kept across cards (`_Pen.words`), quicker than drawing
    each line: it must give the very pixels Pillow's own ImageDraw.text gives for the whole line, at every size."""
    lines = ["“Kane told reporters on Tuesday that the", "deployment, first agreed in 2024, would", "last",
             "well beyond March —” officials said …”", "Wij’s 1,000-strong ‘reassurance’ force (¾ of it)"]
    for size in previews.TEXT_SIZES:
        for bold in (False, True):
            font = previews._font(size, bold=bold)
            for line in lines:
                ours, pillows = previews._Pen(((previews.PAPER, previews.TEXT),)), previews._Pen(
                    ((previews.PAPER, previews.TEXT),))
                ours.words((previews.MARGIN, previews.TEXT_TOP), line, font, previews.TEXT)
                pillows.draw.text((previews.MARGIN, previews.TEXT_TOP), line, font=font,
                                  fill=pillows.run(previews.PAPER, previews.TEXT)[1])  # its box's fill is 0: paper
                assert ours.picture.tobytes() == pillows.picture.tobytes(), (size, bold, line)
                assert ours.picture.getbbox() is not None, "something was drawn"
