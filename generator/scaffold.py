"""Start new work: take a captured text into sources/, and write the stub annotation file for an article."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from . import formats
from .layout import Layout
from .load import load_sources
from .model import Origin
from .problems import Problems
from .segment import normalise, segment_article
from .yamldoc import decode_text

_SLUG = re.compile(formats.SLUG_PATTERN)


def add_source(layout: Layout, capture: Path, slug: str, meta: dict[str, str | None], problems: Problems) -> Path | None:
    """Copy a captured text into sources/<slug>/ byte for byte and write its meta.yaml ("unknown" where not given)."""
    root = layout.root
    folder = layout.at(layout.sources / slug)
    if not _SLUG.match(slug):
        problems.error(Origin(Path(slug)), f"'{slug}' is not a usable slug", "lower-case words joined by hyphens")
    if folder.exists():
        problems.error(Origin(folder.relative_to(root)), "this source already exists; captures are never replaced",
                       "choose another slug for a new capture")
    raw = capture.read_bytes() if capture.is_file() else None
    if raw is None:
        problems.error(Origin(capture), "no such file")
    else:
        decode_text(raw, capture, problems, "captures are UTF-8 text: convert it with iconv first")
    if problems or raw is None:
        return None
    folder.mkdir(parents=True)
    (folder / "capture.txt").write_bytes(raw)
    lines = ["# Metadata of the capture beside this file. \"unknown\" where unknown: never guessed."]
    for key in ("title", "publisher", "url", "author", "published", "captured", "language"):
        lines.append(f"{key}: {json.dumps(meta.get(key) or 'unknown', ensure_ascii=False)}")
    lines.append(f"capture_sha256: {hashlib.sha256(raw).hexdigest()}")
    lines.append("furniture: []   # capture lines that are not the article: see README, 'Adding an article'")
    (folder / "meta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def new_annotations(layout: Layout, slug: str, problems: Problems) -> Path | None:
    """annotations/<slug>.yaml with one unreviewed stub per sentence, each quoting its sentence."""
    target = layout.at(layout.annotations / f"{slug}.yaml")
    if target.exists():
        problems.error(Origin(target.relative_to(layout.root)), "an annotation file already exists for this article",
                       "edit it; `new` never overwrites an editor's work")
        return None
    sources = {meta.slug: (meta, text) for meta, text in load_sources(layout, problems)}
    if slug not in sources:
        problems.error(Origin(layout.sources / slug), f"no source '{slug}'",
                       f"known sources: {', '.join(sorted(sources)) or 'none'}")
        return None
    meta, text = sources[slug]
    article = segment_article(meta, text, problems)
    if problems:
        return None
    reviewer = layout.settings.editors[0].id if layout.settings.editors else "your-editor-id-from-factcheck-yaml"
    lines = [formats.MODELINE, f"article: {slug}", f"capture_sha256: {meta.capture_sha256}",
             f"reviewers: [{reviewer}]", "assessment:", "  summary: >-", "    To be written.", "claims:"]
    for n, sentence in enumerate(article.sentences, 1):
        lines += [f"  - id: {slug}-s{n}",
                  f"    quote: {json.dumps(normalise(sentence.text), ensure_ascii=False)}",
                  f"    verdict: {formats.UNREVIEWED}"]
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
