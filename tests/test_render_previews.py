"""Preview images: the same card gives the same bytes; an unchanged card is never drawn again; a changed verdict
gets a new image at a new address, and the page points to it."""
from __future__ import annotations

import io

from PIL import Image

from generator.build import build, gather, render
from generator.outputs import previews
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


def test_an_unchanged_card_is_not_drawn_again_and_a_changed_verdict_gets_a_new_address(tmp_path, monkeypatch):
    root = mini_project(tmp_path, annotation())
    _, first = build(root, None)
    [old] = [p for p in first.written if p.startswith("previews/claims/")]
    drawn = []
    real = previews.draw
    monkeypatch.setattr(previews, "draw", lambda card: drawn.append(card.page) or real(card))

    _, again = build(root, None)
    assert drawn == ["index.md"], "only the site's card, which has a fixed address, is drawn at each build"
    assert [p for p in again.written if p.startswith("previews/")] == []

    (root / "annotations" / "demo.yaml").write_text(
        annotation(CLAIM.replace("verdict: inaccurate", "verdict: misleading")), encoding="utf-8")
    drawn.clear()
    _, changed = build(root, None)
    assert sorted(drawn) == ["articles/demo.md", "claims/kane-is-caine.md", "index.md"]
    [new] = [p for p in changed.written if p.startswith("previews/claims/")]
    assert new != old and old in changed.deleted and not (root / "docs" / old).exists()
    assert f'image: "{new}"' in (root / "docs" / "claims" / "kane-is-caine.md").read_text(encoding="utf-8")
