"""The shapes of the files editors write, as pydantic models.

These classes are the one description of each format: they validate the files
and produce the published JSON Schema. Checks that need more than one file
(does the verdict exist, does the quote match the capture) live in later stages.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .formats import REQUIRED_WHEN_REVIEWED, RESERVED_MESSAGE, RESERVED_NAMES, SCHEMA_FILES, SLUG_PATTERN, UNREVIEWED
from .model import VerdictScale
from .problems import Problems
from .yamldoc import YamlDoc

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TAKEAWAY_LIMIT = 200


def _not_reserved(value: str) -> str:
    """Slugs and claim ids become folder names: the site must also build and unpack on Windows."""
    if value in RESERVED_NAMES:
        raise ValueError(RESERVED_MESSAGE)
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80), AfterValidator(_not_reserved)]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
UnknownOr = Literal["unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    described_in: ClassVar[str] = "README.md"
    """Where a person reads about this format (for error hints)."""


Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")]


# --- mkdocs.yml: the site settings (MkDocs' own keys, and ours under `extra.publisher`) ---------------------

class _Foreign(_Strict):
    """A file another tool owns: we check the keys we read and leave the rest to it."""
    model_config = ConfigDict(extra="ignore", frozen=True)
    described_in: ClassVar[str] = "README.md, 'Site settings'"


class PublisherEntry(_Strict):
    described_in: ClassVar[str] = "README.md, 'Site settings'"
    name: Text = Field(description="Who publishes the site: named in the footer, on the About page and as the author "
                       "of every review.")
    email: Email | None = Field(default=None, description="Where readers report errors.")
    who_we_are: Text | None = Field(default=None, description="Markdown for the About page: who publishes the site.")
    ownership: Text | None = Field(default=None, description="Markdown: who owns and controls the publisher.")
    funding: Text | None = Field(default=None, description="Markdown: how the work is paid for.")
    editors_chosen: Text | None = Field(default=None, description="Markdown: how editors are chosen.")
    data_license: Text | None = Field(default=None, description="Markdown: the licence of the published reviews and "
                                      "data (the Open data page), e.g. a Creative Commons licence with its link.")


class ExtraEntry(_Foreign):
    publisher: PublisherEntry | None = None
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}_[A-Z]{2}$")] | None = Field(
        default=None, description="Link previews' og:locale, language_TERRITORY, e.g. en_GB.")


class PaletteEntry(_Foreign):
    primary: Text | None = None
    accent: Text | None = None


class ThemeEntry(_Foreign):
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")] = "en"
    logo: Text | None = None
    favicon: Text | None = None
    palette: PaletteEntry | list[PaletteEntry] | None = None


class MkDocsFile(_Foreign):
    site_name: Text
    site_description: Text | None = None
    site_url: HttpUrl | None = None
    repo_url: HttpUrl | None = None
    theme: ThemeEntry | Text = Field(default_factory=ThemeEntry)
    extra: ExtraEntry = Field(default_factory=ExtraEntry)


# --- verdicts.yaml -------------------------------------------------------------

class VerdictEntry(_Strict):
    id: Slug = Field(description="The name editors write, e.g. inaccurate.")
    label: Text = Field(description="What readers see.")
    icon: Annotated[str, StringConstraints(min_length=1, max_length=2)]
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    definition: Text
    truth: Literal["yes", "no"] = Field(description='"yes" for ratings of truth, "no" for opinion, question...')
    rating: int | None = Field(default=None, ge=1, le=9)
    needs_evidence: Literal["yes", "no"]


class VerdictScaleFile(_Strict):
    described_in: ClassVar[str] = "the comments at the top of verdicts.yaml"
    verdicts: list[VerdictEntry] = Field(min_length=1)


# --- sources/<slug>/meta.yaml ------------------------------------------------------

class FurnitureEntry(_Strict):
    line: Text | None = Field(default=None, description="A whole line of the capture that is not article text.")
    line_starting: Text | None = Field(default=None, description="A line that begins with this text.")
    from_line: Text | None = Field(default=None, description="This whole line and everything after it.")
    occurrence: int | None = Field(default=None, ge=1, description="Only the n-th matching line (1 = first).")


class SourceMetaFile(_Strict):
    described_in: ClassVar[str] = "README.md, 'Adding an article'"
    title: Text
    publisher: Text
    url: HttpUrl | UnknownOr
    archived_url: HttpUrl | None = Field(
        default=None, description="An archived copy of the original (Internet Archive, archive.today...), shown to readers.")
    author: Text
    published: date | UnknownOr
    published_estimate: date | None = Field(
        default=None, description="When the date is unknown: a reasoned estimate, used by the automated checks.")
    published_basis: Text | None = Field(default=None, description="The evidence for the estimate.")
    captured: date | UnknownOr
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")]
    capture_sha256: Sha256 = Field(description="SHA-256 of capture.txt; the capture is evidence and never edited.")
    original_reporting: list[EvidenceEntry] = Field(
        default_factory=list, description="The reports the article rests on, as we found them.")
    furniture: list[FurnitureEntry] = Field(default_factory=list)


# --- knowledge/offices.yaml ------------------------------------------------------------

class HolderEntry(_Strict):
    name: Text
    also: list[Text] = Field(default_factory=list, description="Other ways articles name this person.")
    start: date | None = None
    end: date | None = Field(default=None, description="The day the term ended (the successor's first day).")
    sources: list[EvidenceEntry] = Field(min_length=1)


class OfficeEntry(_Strict):
    id: Slug
    title: Text
    called: list[Text] = Field(min_length=1, description="How articles name the office.")
    ambiguous: list[Text] = Field(default_factory=list,
                                  description="Names shared with other offices; checked only for known holders.")
    administration: bool = False
    holders: list[HolderEntry] = Field(min_length=1)


class OfficesFile(_Strict):
    described_in: ClassVar[str] = "the comments at the top of knowledge/offices.yaml"
    offices: list[OfficeEntry]


# --- published.yaml ----------------------------------------------------------------

class MovedEntry(_Strict):
    moved_to: Slug = Field(description="The claim's id now: its old address redirects there.")


class WithdrawnEntry(_Strict):
    withdrawn: date = Field(description="The day the claim was withdrawn (YYYY-MM-DD).")
    reason: Text = Field(description="Why, in a sentence or two (Markdown): the page left at its address says it.")


class PublishedFile(_Strict):
    described_in: ClassVar[str] = "the comments at the top of published.yaml"
    claims: dict[Slug, date | MovedEntry | WithdrawnEntry] = Field(
        default_factory=dict,
        description="Every claim id ever published, with the day it was recorded; a renamed claim's old id with "
                    "moved_to, a removed one's with withdrawn and reason. Never remove an entry.")


# --- annotations/<slug>.yaml -------------------------------------------------------

class EvidenceEntry(_Strict):
    url: HttpUrl = Field(description="The address exactly as the stored page answers at it.")
    title: Text
    publisher: Text
    published: date | None = None
    accessed: date
    excerpt: Text | None = Field(
        default=None, description="The words in the source that support the note, quoted exactly (a sentence or two). "
                                  "Required for every source of a rating of truth.")


HolderEntry.model_rebuild()
OfficesFile.model_rebuild()
SourceMetaFile.model_rebuild()


class CorrectionEntry(_Strict):
    date: date
    note: Text = Field(description="What changed and why.")


class ClaimEntry(_Strict):
    id: Slug = Field(description="Permanent: the claim page is claims/<id>/. Never reuse or rename.")
    quote: Text = Field(description="The sentence, or a fragment of one sentence, exactly as in the capture.")
    occurrence: int | None = Field(default=None, ge=1,
                                   description="Which match of the quote, counted from 1, when it matches several places.")
    verdict: Text = Field(description="An id from verdicts.yaml.")
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = Field(
        default=None, description="One line a reader can quote. Required unless the verdict is unreviewed.")
    note: Text | None = Field(default=None, description="Markdown: the reasoning. Required unless unreviewed.")
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    published: date | None = Field(default=None, description="Date the check was published. Required unless unreviewed.")
    updated: date | None = None
    corrections: list[CorrectionEntry] = Field(default_factory=list,
                                               description="Every change to the verdict or its meaning, dated.")
    searched: Text | None = Field(default=None, description="For an unverifiable claim: what we searched, and where.")


ClaimEntry.model_rebuild()


class AssessmentEntry(_Strict):
    summary: Text
    takeaway: Annotated[Text, StringConstraints(max_length=TAKEAWAY_LIMIT)] | None = Field(
        default=None, description=f"The conclusion in one plain sentence (at most {TAKEAWAY_LIMIT} characters), shown "
        "first on the article page and on the home page's card.")
    corrections: list[CorrectionEntry] = Field(default_factory=list,
                                               description="Every change to the assessment's meaning, dated.")


Severity = Literal["ignore", "warning", "error"]


class EditorEntry(_Strict):
    id: Slug = Field(description="How annotation files name this editor in `reviewers`.")
    name: Text = Field(description="The name or published pseudonym readers see.")
    role: Text
    profile: Text = Field(description="Markdown: who this is, how they work, what they answer for.")


class SettingsFile(_Strict):
    described_in: ClassVar[str] = "the comments in factcheck.yaml"
    editors: list[EditorEntry] = Field(default_factory=list, description="The people (or roles) who review articles.")
    checks: dict[str, Severity] = Field(
        default_factory=dict, description="How serious each check's problems are, by check name (README: checks).")


class AnnotationFileModel(_Strict):
    described_in: ClassVar[str] = "README.md, 'Writing an annotation'"
    article: Slug
    capture_sha256: Sha256
    reviewers: list[Text] = Field(min_length=1)
    reviewed: date | None = Field(default=None, description="The date of the last full review of the article.")
    assessment: AssessmentEntry
    claims: list[ClaimEntry] = Field(default_factory=list)


M = TypeVar("M", bound=_Strict)


def validate(model: type[M], doc: YamlDoc, problems: Problems) -> M | None:
    """Validate a YAML document against a model; report each error at its line."""
    if not isinstance(doc.data, dict):
        problems.error(doc.origin(), "expected a mapping of keys to values at the top of the file",
                       f"the format is described in {model.described_in}")
        problems.unread.add(doc.path)
        return None
    _report_typed_text(model, doc, problems)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        reported: set[tuple] = set()
        for error in exc.errors():
            _report(model, doc, error, problems, reported)
        problems.unread.add(doc.path)
        return None


_CHECKED_LATER = {"verdict"}
"""Text a later check reads with more knowledge: `verdict: no` is an unknown verdict, and the scale can say which
one was probably meant (checks.rules.verdicts_are_on_the_scale)."""
_READ_AS = {"int": "a number", "float": "a number", "timestamp": "a date"}


def _report_typed_text(model: type[BaseModel], doc: YamlDoc, problems: Problems) -> None:
    """Text fields written as unquoted numbers or dates: YAML 1.1 tools would change their meaning."""
    for at, tag in doc.implicit.items():
        if _expects_text(model, at) and at[-1] not in _CHECKED_LATER:
            value = _value_at(doc.data, at)
            if tag == "bool":
                problems.error(doc.origin(at), f"unquoted {value} is read as a boolean by YAML 1.1 tools and as text by others",
                               f'write "{value}" in quotes if you mean the word')
                continue
            problems.error(doc.origin(at), f"unquoted {value} is read as {_READ_AS[tag]} by YAML 1.1 tools, "
                           f"but {'.'.join(map(str, at))} is text", f'write "{value}" in quotes')


def _value_at(data, at: tuple):
    for part in at:
        data = data[part]
    return data


def _expects_text(model: type[BaseModel], at: tuple) -> bool:
    keys = [p for p in at if isinstance(p, str)]
    if not keys:
        return False
    parent = _model_at(model, tuple(keys[:-1]))
    field = parent.model_fields.get(keys[-1]) if parent else None
    if field is None:
        return False
    kinds = set(_plain_types(field.annotation))
    return str in kinds and not ({date, int} & kinds)


def _plain_types(annotation) -> list:
    """The types a field accepts, looking through Optional, unions, lists and Annotated."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _plain_types(get_args(annotation)[0])
    if origin in (list, Union, UnionType):
        return [t for arg in get_args(annotation) for t in _plain_types(arg)]
    return [annotation]


def _report(model: type[BaseModel], doc: YamlDoc, error: Mapping[str, Any], problems: Problems, reported: set[tuple]) -> None:
    """One error per place: a union (`url: <address> | unknown`) fails once per branch, the first branch says it."""
    internal = ("function-", "literal[", "date", "str", "int", "constrained-str")  # pydantic's names for union branches
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(internal)))
    if loc in reported:
        return
    reported.add(loc)
    where = ".".join(str(p) for p in loc) or "(top)"
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = ", ".join(parent.model_fields) if parent else ""
        problems.error(doc.origin(loc, key=True), f"unknown key '{loc[-1]}'", f"known keys here: {known}")
    elif kind == "missing":
        problems.error(doc.origin(loc[:-1]), f"missing required key '{loc[-1]}'",
                       f"add '{loc[-1]}:' here ({where})")
    else:
        value = error.get("input")
        shown = f" (got {value!r})" if isinstance(value, str) else ""
        problems.error(doc.origin(loc), f"{where}: {_friendly(error)}{shown}", _hint_for(loc, kind))


def _friendly(error: Mapping[str, Any]) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "string_pattern_mismatch":
        return "has the wrong form"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_type":
        return "must be text"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return msg[0].lower() + msg[1:]


_HINTS = {
    "url": "a full http:// or https:// address",
    "id": "lower-case words joined by hyphens, e.g. kane-not-chairman",
    "article": "the folder name of the article under sources/",
    "published": "a date as YYYY-MM-DD (or unknown, where the format allows it)",
    "accessed": "a date as YYYY-MM-DD",
    "captured": "a date as YYYY-MM-DD, or unknown",
    "capture_sha256": "64 lower-case hex digits: sha256sum of capture.txt",
    "verdict": "an id from verdicts.yaml",
    "note": "Markdown text that explains the verdict",
    "summary": "one line a reader can quote",
}


def _hint_for(loc: tuple, kind: str) -> str:
    if kind == "string_type":
        return "write one piece of text; quote it if it starts with [ or { or contains ': '"
    if kind == "value_error":
        return "choose another name"
    names = [p for p in loc if isinstance(p, str)]
    return _HINTS.get(names[-1], "") if names else ""


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc`."""
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation) -> object:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


# --- the published JSON Schema (draft-07, for yaml-language-server) ------------------------------

SCHEMAS: dict[str, type[BaseModel]] = dict(zip(SCHEMA_FILES, (AnnotationFileModel, SourceMetaFile, OfficesFile), strict=True))


def json_schema(model: type[BaseModel], verdicts: list[tuple[str, str, bool]] | None = None) -> dict:
    """The model as draft-07 JSON Schema; `verdicts` (id, definition, needs evidence) become an enum.

    Editors see the verdict scale in completion and hover; a verdict that needs evidence requires it.
    """
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    _text_needs_a_character(schema)
    claim = schema.get("definitions", {}).get("ClaimEntry")
    if claim and verdicts:
        claim["properties"]["verdict"] = {
            "type": "string", "enum": [v for v, _, _ in verdicts] + [UNREVIEWED],
            "description": "; ".join(f"{v}: {d}" for v, d, _ in verdicts) + f"; {UNREVIEWED}: a stub not yet reviewed"}
        claim["allOf"] = [
            {"if": {"properties": {"verdict": {"enum": [v for v, _, e in verdicts if e]}}},
             "then": {"required": ["evidence"], "properties": {"evidence": {"minItems": 1}}}},
            {"if": {"properties": {"verdict": {"not": {"const": UNREVIEWED}}}},
             "then": {"required": list(REQUIRED_WHEN_REVIEWED)}},
        ]
    return schema


def schema_files(scale: VerdictScale) -> dict[str, str]:
    """The published JSON Schemas, by file name under schema/."""
    verdicts = [(v.id, v.definition, v.needs_evidence) for v in scale.verdicts]
    return {name: json.dumps(json_schema(model, verdicts), indent=2, ensure_ascii=False) + "\n"
            for name, model in SCHEMAS.items()}


def _text_needs_a_character(node) -> None:
    """Text fields must hold more than white space (the validator strips it before checking)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("minLength") == 1 and "pattern" not in node:
            node["pattern"] = r"\S"
        for value in node.values():
            _text_needs_a_character(value)
    elif isinstance(node, list):
        for value in node:
            _text_needs_a_character(value)
