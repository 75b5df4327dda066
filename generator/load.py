"""Read the project's files: the verdict scale, the captured sources and the annotations.

Readers only read and validate the shape of each file; they never decide what
the text means. Every problem is reported with its place, and reading goes on
so that one run finds them all. A file unchanged since the last run is not read
again: what it gave is read back from the memo, and each reader imports the
validator (schema.py, pydantic) only when it has a file to validate.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, TypeVar

from . import formats
from .layout import Editor, Layout, Publisher, Settings, Site
from .memo import Ahead, Memo, digest, stamp
from .model import (
    Address,
    AnnotationFile,
    ArticleMeta,
    Assessment,
    Claim,
    Evidence,
    FurnitureRule,
    Holder,
    Office,
    Origin,
    Verdict,
    VerdictScale,
)
from .problems import Problems
from .yamldoc import MAX_YAML_BYTES, YamlDoc, decode_text, read_yaml

if TYPE_CHECKING:
    from . import schema

T = TypeVar("T")


def load_layout(root: Path, problems: Problems, memo: Memo | None = None) -> Layout:
    """The project's layout with its settings (factcheck.yaml, or the defaults when there is none).
    mkdocs.yml is MkDocs' to read; here it is only checked to be there and readable, so that a broken one
    is one located error before anything is built, not a traceback from MkDocs after. `memo`: what an unchanged
    file gave before."""
    layout, memo = Layout(root), memo or Memo()
    layout = layout.with_site_settings(_kept_file(memo, root, layout.mkdocs, _site_settings, problems)[0] or Site())
    if not layout.at(layout.settings_file).is_file():
        return layout
    settings, _ = _kept_file(memo, root, layout.settings_file, _settings, problems)
    return layout.with_settings(settings) if settings else layout


def _settings(path: Path, shown: Path, data: bytes | None, problems: Problems) -> Settings | None:
    """factcheck.yaml's settings (`data`: its bytes, or None to read them)."""
    from . import schema
    doc = read_yaml(path, problems, shown, data=data)
    parsed = schema.validate(schema.SettingsFile, doc, problems) if doc else None
    if parsed is None or doc is None:
        return None
    origins = {name: doc.origin(("checks", name), key=True) for name in parsed.checks}
    editors = tuple(Editor(e.id, e.name, e.role, e.profile, doc.origin(("editors", i))) for i, e in enumerate(parsed.editors))
    return Settings(dict(parsed.checks), origins, editors)


def _site_settings(path: Path, shown: Path, data: bytes | None, problems: Problems) -> Site | None:
    """The site settings in mkdocs.yml: MkDocs' own keys that pages depend on, and `extra.publisher`."""
    from . import schema
    doc = read_yaml(path, problems, shown, foreign=True, data=data)
    parsed = schema.validate(schema.MkDocsFile, doc, problems) if doc else None
    if parsed is None or doc is None:
        return None
    theme = parsed.theme if isinstance(parsed.theme, schema.ThemeEntry) else schema.ThemeEntry()
    p = parsed.extra.publisher
    publisher = (Publisher(p.name, p.email, p.who_we_are, p.ownership, p.funding, p.editors_chosen, p.data_license)
                 if p else None)
    origins = {"site_url": doc.origin(("site_url",)), "repo_url": doc.origin(("repo_url",)),
               "publisher": doc.origin(("extra", "publisher")), "email": doc.origin(("extra", "publisher", "email"))}
    palettes = [theme.palette] if isinstance(theme.palette, schema.PaletteEntry) else theme.palette
    colours = (tuple((p.primary or "indigo", p.accent or "indigo") for p in palettes)  # Material's default
               if palettes is not None else None)
    return Site(parsed.site_name, parsed.site_url, parsed.repo_url, theme.language, publisher, origins,
                parsed.site_description, palettes=colours)


def load_scale(layout: Layout, problems: Problems, memo: Memo | None = None) -> VerdictScale:
    return _kept_file(memo or Memo(), layout.root, layout.scale, _scale, problems)[0]


def _scale(path: Path, shown: Path, data: bytes | None, problems: Problems) -> VerdictScale:
    from . import schema
    doc = read_yaml(path, problems, shown, data=data)
    parsed = schema.validate(schema.VerdictScaleFile, doc, problems) if doc else None
    if parsed is None or doc is None:
        return VerdictScale(())
    verdicts = tuple(
        Verdict(v.id, v.label, v.icon, v.colour, v.definition, v.truth == "yes", v.rating, v.needs_evidence == "yes",
                doc.origin(("verdicts", i)))
        for i, v in enumerate(parsed.verdicts))
    seen: set[str] = set()
    for verdict in verdicts:
        if verdict.id in seen:
            problems.error(verdict.origin, f"verdict '{verdict.id}' is defined twice")
        seen.add(verdict.id)
    return VerdictScale(verdicts)


def load_addresses(layout: Layout, problems: Problems, memo: Memo | None = None) -> tuple[Address, ...]:
    """The claim addresses published so far (none before the first build); read again only when the register
    changed (`memo`): it grows with every claim."""
    if not layout.at(layout.published).is_file():
        return ()
    return _kept_file(memo or Memo(), layout.root, layout.published, _addresses, problems, MAX_REGISTER_BYTES)[0]


MAX_REGISTER_BYTES = 50_000_000
"""The largest published.yaml read. It gains a line of about 50 bytes for every claim ever published and can be
neither split nor pruned, so the limit of other YAML files (2 MB: some 40,000 claims, a fully reviewed archive of
1,000 articles) would one day stop a desk's builds; this one holds about a million claims."""


def _addresses(path: Path, shown: Path, data: bytes | None, problems: Problems) -> tuple[Address, ...]:
    from . import schema
    doc = read_yaml(path, problems, shown, data=data, limit=MAX_REGISTER_BYTES)
    parsed = schema.validate(schema.PublishedFile, doc, problems) if doc else None
    if parsed is None or doc is None:
        return ()
    addresses = []
    for claim_id, entry in parsed.claims.items():
        origin = doc.origin(("claims", claim_id), key=True)
        if isinstance(entry, schema.MovedEntry):
            addresses.append(Address(claim_id, origin, moved_to=entry.moved_to))
        elif isinstance(entry, schema.WithdrawnEntry):
            addresses.append(Address(claim_id, origin, withdrawn=entry.withdrawn, reason=entry.reason))
        else:
            addresses.append(Address(claim_id, origin, recorded=entry))
    return tuple(addresses)


def load_offices(layout: Layout, problems: Problems, memo: Memo | None = None) -> tuple[Office, ...]:
    """The office-holder knowledge base (none if the project has no such file)."""
    if not layout.at(layout.offices).is_file():
        return ()
    return _kept_file(memo or Memo(), layout.root, layout.offices, _offices, problems)[0]


def _offices(path: Path, shown: Path, data: bytes | None, problems: Problems) -> tuple[Office, ...]:
    from . import schema
    doc = read_yaml(path, problems, shown, data=data)
    parsed = schema.validate(schema.OfficesFile, doc, problems) if doc else None
    if parsed is None or doc is None:
        return ()
    return tuple(
        Office(o.id, o.title, tuple(o.called), tuple(o.ambiguous), o.administration, tuple(
            Holder(h.name, (h.name, *h.also), h.start, h.end, _evidence(h.sources, doc, ("offices", i, "holders", j, "sources")),
                   doc.origin(("offices", i, "holders", j)))
            for j, h in enumerate(o.holders)))
        for i, o in enumerate(parsed.offices))


def stale_schemas(layout: Layout, scale: VerdictScale, memo: Memo | None = None) -> tuple[str, ...]:
    """The published JSON Schemas (schema/) that do not say what the validator and `scale` say: made again only when
    one of them has changed, since making them takes the validator (`formats`)."""
    folder = layout.at(layout.schema)
    committed = tuple((folder / name).read_text(encoding="utf-8", errors="replace") if (folder / name).is_file()
                      else None for name in formats.SCHEMA_FILES)
    return (memo or Memo())(_stale_schemas, scale, committed)


def _stale_schemas(scale: VerdictScale, committed: tuple[str | None, ...]) -> tuple[str, ...]:
    from . import schema
    made = schema.schema_files(scale)
    return tuple(name for name, text in zip(formats.SCHEMA_FILES, committed, strict=True) if text != made[name])


def _evidence(entries: list[schema.EvidenceEntry], doc: YamlDoc, at: tuple) -> tuple[Evidence, ...]:
    """The evidence entries of the list at key path `at`, each with its place."""
    return tuple(Evidence(e.url, e.title, e.publisher, e.accessed, e.published, doc.origin((*at, n)), e.excerpt)
                 for n, e in enumerate(entries))


def load_sources(layout: Layout, problems: Problems, memo: Memo | None = None) -> list[tuple[ArticleMeta, str]]:
    """Each `sources/<slug>/` folder: metadata and the capture text, checked against its fingerprint; an unchanged
    folder's result comes from `memo`. Read here, however many changed: sent to the checking processes (`_spread`),
    the 1,000 of a first build took 0.9 to 1.7 s against 0.4 to 0.9 s here (the capture goes there and back)."""
    memo = memo or Memo()
    calls = [_source_call(layout.root, layout.sources / name, problems, memo)
             for name in _names(layout.at(layout.sources), folders=True)]
    return [source for source in map(_keyed_source, _spread(memo, problems, _source_from, calls)) if source]


def _names(folder: Path, folders: bool = False, ending: str = "") -> list[str]:
    """The names in `folder` of its sub-folders (`folders`) or else its other entries ending in `ending`, sorted;
    none when it is not a folder. (os.scandir: at 1,000 articles, pathlib's iterdir and glob took 60 ms a build
    more, most of it making Paths that were turned back into strings.)"""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_dir() == folders and e.name.endswith(ending))
    except OSError:
        return []


MAX_CAPTURE_BYTES = 5_000_000
"""The largest capture read (a long news article is under 100 KB)."""


def _keyed_source(read: tuple[tuple[ArticleMeta, str] | None, str | None]) -> tuple[ArticleMeta, str] | None:
    """A source folder as `_spread` gives it, its metadata marked with the key it is filed under (`made_from`)."""
    found, key = read
    return (dataclasses.replace(found[0], made_from=key), found[1]) if found and key else found


def _source_call(root: Path, shown: Path, problems: Problems, memo: Memo) -> _Call:
    """The key and arguments of `_source_from` for the folder at `shown`, its files read only when they changed (or
    what it is when they cannot be read: None, its problems said)."""
    name = shown.name
    problem = _address_problem(name)
    if problem:
        problems.error(Origin(shown), f"'{name}' {problem}",
                       "name the folder in lower-case words joined by hyphens, e.g. sources/paris-summit-2025")
        problems.unread.add(shown)
        return None, None
    folder = f"{root}/{shown}/"
    paths = (folder + "meta.yaml", folder + "capture.txt")
    key = memo.known(paths)
    meta = capture = None  # unread when unchanged since they were last read: the key stands for them
    if key is None:
        meta_read, capture_read = _read_stamped(paths[0], MAX_YAML_BYTES), _read_stamped(paths[1], MAX_CAPTURE_BYTES)
        if meta_read is None or capture_read is None:  # what is wrong is said by reading them again, outside the memo
            return None, _unread_source(root, shown, problems)
        (meta, meta_stamp), (capture, capture_stamp) = meta_read, capture_read
        key = digest(_source_from.__qualname__, shown, meta, capture)  # not `root`: the bytes are given (`_kept_file`)
        memo.remember(paths, (meta_stamp, capture_stamp), key)
    return key, (root, shown, meta, capture)


def _unread_source(root: Path, shown: Path, problems: Problems) -> tuple[ArticleMeta, str] | None:
    """A source folder whose files could not both be read whole: what is wrong, said once."""
    meta_path, capture_path = shown / "meta.yaml", shown / "capture.txt"
    if not (root / capture_path).is_file():
        problems.error(Origin(shown), "no capture.txt in this source folder",
                       "each sources/<slug>/ holds capture.txt (the text as captured) and meta.yaml")
    elif not (root / meta_path).is_file():
        problems.error(Origin(capture_path), "no meta.yaml beside this capture",
                       "run: python -m generator add-source (see README) or copy another source's meta.yaml")
    else:
        return _source_from(root, shown, None, None, problems)
    problems.unread.add(shown)
    return None


def _kept_file(memo: Memo, root: Path, shown: Path, reader: Callable[[Path, Path, bytes | None, Problems], T],
               problems: Problems, limit: int = MAX_YAML_BYTES) -> tuple[T, str | None]:
    """What `reader` makes of the file at `shown` (under `root`), read back from `memo` while the file is unchanged,
    and the key it is filed under there (None when the file cannot be read whole: the reader, given no bytes, then
    says what is wrong)."""
    return _spread(memo, problems, reader, [_file_call(memo, root, shown, reader, problems, limit)])[0]


def _file_call(memo: Memo, root: Path, shown: Path, reader: Callable[[Path, Path, bytes | None, Problems], T],
               problems: Problems, limit: int = MAX_YAML_BYTES) -> _Call:
    """The key and arguments of `reader` for the file at `shown`, read only when it changed (or what the reader
    makes of it given no bytes, when it cannot be read whole)."""
    path = root / shown
    paths = (str(path),)
    key, data = memo.known(paths), None  # no bytes and a key: unchanged since it was last read (the key stands for them)
    if key is None:
        read = _read_stamped(paths[0], limit)
        if read is None:
            return None, reader(path, shown, None, problems)
        data, stamped = read
        # filed without `path`, where the project is: given the bytes, a reader reads nothing, and what it makes
        # names the file by `shown`; so a project copied or moved, or `diff`'s revisions, find what it kept
        key = digest(reader.__qualname__, shown, data)
        memo.remember(paths, (stamped,), key)
    return key, (path, shown, data)


_Call = tuple[str, tuple] | tuple[None, Any]
"""What a reader is to be called with: its key and arguments, or (None, what it made already)."""

SPREAD = 8
"""More annotation files than this read since the last run (a fresh clone, a pull, a new version of the generator,
whose results are not reused) are read in a build's checking processes, idle until then (`_spread`); fewer, here (an
edit)."""


def _spread(memo: Memo, problems: Problems, reader: Callable[..., T], calls: list[_Call],
            pool: Executor | None = None) -> list[tuple[T, str | None]]:
    """Each call's result (`Memo.checked_all`) and key, in order: in `pool`'s processes, when given and more than
    SPREAD files were read for the calls (their bytes are a call's last argument), those not kept, the rest read back
    here. A first build at 1,000 articles read the annotation files and sources for 8.7 s before its checking
    processes had anything to do; in them, the annotation files took 2.5 to 2.7 s, against 3.2 to 3.3 s here."""
    wanted = {i: call for i, call in enumerate(calls) if call[0] is not None}
    read = sum(1 for _, args in wanted.values() if args[-1] is not None)
    found = memo.checked_all(problems, reader, list(wanted.values()), pool if read > SPREAD else None)
    results: list[tuple[Any, str | None]] = [(made, None) for _, made in calls]
    for (i, (key, _)), result in zip(wanted.items(), found, strict=True):
        results[i] = result, key
    return results


def _read_stamped(path: str, limit: int) -> tuple[bytes, tuple] | None:
    """A regular file's bytes and its stamp (`Memo.known`), taken from the open file before it is read; None when
    it cannot be read or is larger than `limit` (the caller then reads it again to say what is wrong). Opened
    without waiting, so that a named pipe cannot hang the build."""
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            status = os.fstat(file.fileno())
            if not S_ISREG(status.st_mode) or status.st_size > limit:
                return None
            return file.read(), stamp(status)
    except OSError:
        return None


def _source_from(root: Path, shown: Path, meta: bytes | None, capture: bytes | None,
                 problems: Problems) -> tuple[ArticleMeta, str] | None:
    """A source folder from its files' bytes (None: read them)."""
    from . import schema
    meta_path, capture_path = shown / "meta.yaml", shown / "capture.txt"
    doc = read_yaml(root / meta_path, problems, meta_path, data=meta)
    parsed = schema.validate(schema.SourceMetaFile, doc, problems) if doc else None
    raw, text = _read_capture(root / capture_path, capture_path, problems, capture)
    if parsed is not None and doc is not None and raw is not None and text is not None:
        return _source(shown.name, meta_path, capture_path, parsed, doc, raw, problems), text
    problems.unread.add(shown)
    return None


def _address_problem(name: str) -> str | None:
    """Why a folder name cannot be an article's address, or None."""
    if not re.match(formats.SLUG_PATTERN, name):
        return "cannot be an article's address"
    return formats.RESERVED_MESSAGE if name in formats.RESERVED_NAMES else None


def _read_capture(path: Path, shown: Path, problems: Problems,
                  data: bytes | None = None) -> tuple[bytes | None, str | None]:
    """The capture's bytes (they are fingerprinted) and its text, or Nones after reporting why not. `data`: its
    bytes, when the caller has read them."""
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_CAPTURE_BYTES:
        problems.error(Origin(shown), f"capture is {size:,} bytes; captures are read up to {MAX_CAPTURE_BYTES:,}",
                       "capture the article's text only, not the whole page (see README, 'Limits')")
        return None, None
    raw = path.read_bytes() if data is None else data
    text = decode_text(raw, shown, problems,
                       "captures are text: capture the page again as UTF-8 text, before recording its SHA-256")
    if text is not None and not text.strip():
        problems.error(Origin(shown), "the capture is empty", "capture the article's text into it")
        return None, None
    return raw, text


def _source(slug: str, meta_path: Path, capture_path: Path, parsed: schema.SourceMetaFile, doc: YamlDoc, raw: bytes,
            problems: Problems) -> ArticleMeta:
    actual = hashlib.sha256(raw).hexdigest()
    if actual != parsed.capture_sha256:
        problems.error(doc.origin(("capture_sha256",)),
                       "capture.txt does not match its recorded SHA-256: captures are evidence and are never edited",
                       f"restore capture.txt from git; if this is a deliberate new capture, record {actual}")
    return ArticleMeta(
        slug=slug,
        title=parsed.title,
        publisher=_known(parsed.publisher),
        url=_known(parsed.url),
        author=_known(parsed.author),
        published=_date_or_none(parsed.published),
        published_estimate=parsed.published_estimate,
        published_basis=parsed.published_basis,
        captured=_date_or_none(parsed.captured),
        language=parsed.language,
        capture_sha256=parsed.capture_sha256,
        furniture=tuple(_furniture_rules(parsed, doc, problems)),
        meta_path=meta_path,
        capture_path=capture_path,
        original_reporting=_evidence(parsed.original_reporting, doc, ("original_reporting",)),
        archived_url=parsed.archived_url,
        origins={name: doc.origin((name,)) for name in sorted(parsed.model_fields_set)},
    )


def _date_or_none(value: date | str) -> date | None:
    return value if isinstance(value, date) else None


def _known(value: str) -> str | None:
    """Metadata writes "unknown" where nothing is known: never a guess."""
    return None if value == "unknown" else value


def _furniture_rules(parsed: schema.SourceMetaFile, doc: YamlDoc, problems: Problems):
    for i, entry in enumerate(parsed.furniture):
        given = [(k, v) for k, v in entry.model_dump(exclude={"occurrence"}).items() if v is not None]
        origin = doc.origin(("furniture", i))
        if len(given) != 1:
            problems.error(origin, "a furniture entry names exactly one of line, line_starting, from_line",
                           "split it into one entry per rule")
            continue
        kind, text = given[0]
        yield FurnitureRule(kind, text, origin, entry.occurrence)


def load_annotations(layout: Layout, problems: Problems, memo: Memo | None = None,
                     pool: Executor | None = None) -> list[AnnotationFile]:
    """Every annotation file that could be read and validated; an unchanged file's result comes from `memo`.
    `pool`: processes to read many changed files in (`_spread`)."""
    memo = memo or Memo()
    calls = [_file_call(memo, layout.root, layout.annotations / name, annotation_file, problems)
             for name in _names(layout.at(layout.annotations), ending=".yaml")]
    return [dataclasses.replace(found, made_from=key) if key else found
            for found, key in _spread(memo, problems, annotation_file, calls, pool) if found is not None]


EDITED = 4
"""At most this many annotation files changed since the last run are read ahead (`read_ahead`), as after an edit:
more (a fresh clone, a pull) are read with the rest (`_spread`)."""


def read_ahead(layout: Layout, memo: Memo, pool: Executor) -> None:
    """Start reading the annotation files changed since the last run that kept its work in `memo` (found by their
    stamps, `Memo.known`), when there are at most EDITED of them, in one of `pool`'s processes, before this process
    reads everything else back: `load_annotations` takes up what it made (`Memo.expect`), and this process need not
    import the validator (after one edit at 1,000 articles, 0.1 s of the build's own process, while the other cores
    were idle)."""
    names = [name for name in _names(layout.at(layout.annotations), ending=".yaml")
             if memo.known((str(layout.root / layout.annotations / name),)) is None]
    if names and len(names) <= EDITED:
        memo.expect(pool.submit(_read_annotation_files, layout.root, names))


def _read_annotation_files(root: Path, names: list[str]) -> list[tuple[str, bytes]]:
    """In another process: these annotation files read as `load_annotations` reads them, nothing read back."""
    layout, ahead = Layout(root), Ahead()
    for name in names:
        _kept_file(ahead, root, layout.annotations / name, annotation_file, Problems())
    return ahead.results


def annotation_file(path: Path, shown: Path, data: bytes | None, problems: Problems) -> AnnotationFile | None:
    """One annotation file (`data`: its bytes, or None to read them), validated."""
    from . import schema
    doc = read_yaml(path, problems, shown, data=data)
    parsed = schema.validate(schema.AnnotationFileModel, doc, problems) if doc else None
    if doc:
        _check_reviewed_claims_are_complete(doc, problems)
    if parsed is None or doc is None:
        return None
    claims = tuple(_claim(parsed.article, doc, i, entry) for i, entry in enumerate(parsed.claims))
    return AnnotationFile(
        path=shown,
        article_slug=parsed.article,
        article_origin=doc.origin(("article",)),
        capture_sha256=parsed.capture_sha256,
        capture_sha256_origin=doc.origin(("capture_sha256",)),
        reviewers=tuple(parsed.reviewers),
        reviewers_origin=doc.origin(("reviewers",)),
        assessment=Assessment(parsed.assessment.summary, parsed.assessment.takeaway,
                              tuple(sorted((c.date, c.note) for c in parsed.assessment.corrections))),
        claims=claims,
        reviewed=parsed.reviewed,
        modeline=doc.first_line == formats.MODELINE,
    )


def _check_reviewed_claims_are_complete(doc: YamlDoc, problems: Problems) -> None:
    """Keys the schema leaves optional for stubs, but that a reviewed claim must have."""
    claims = doc.data.get("claims") if isinstance(doc.data, dict) else None
    for i, entry in enumerate(claims if isinstance(claims, list) else []):
        if not isinstance(entry, dict) or entry.get("verdict") == formats.UNREVIEWED:
            continue
        for key in formats.REQUIRED_WHEN_REVIEWED:
            if entry.get(key) is None:
                problems.error(doc.origin(("claims", i)), f"missing required key '{key}'",
                               f"add '{key}:' here (claims.{i}.{key}); only a claim marked unreviewed may leave it out")


def _claim(slug: str, doc: YamlDoc, i: int, entry: schema.ClaimEntry) -> Claim:
    at = ("claims", i)
    return Claim(
        id=entry.id,
        article_slug=slug,
        quote=entry.quote,
        occurrence=entry.occurrence,
        verdict=entry.verdict,
        summary=entry.summary,
        note=entry.note,
        evidence=_evidence(entry.evidence, doc, (*at, "evidence")),
        published=entry.published,
        updated=entry.updated,
        origin=doc.origin(at),
        quote_origin=doc.origin((*at, "quote")),
        verdict_origin=doc.origin((*at, "verdict")),
        corrections=tuple(sorted((c.date, c.note) for c in entry.corrections)),
        searched=entry.searched,
    )
