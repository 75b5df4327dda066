"""Dates: find date expressions, resolve relative ones against the publication date, flag what does not add up.

Candidate phrases are found with our own patterns (dateparser's search_dates reads "may" and "We" as
dates and returns no offsets, REFERENCE 7); each phrase is then parsed with dateparser.parse, with the
article's date as RELATIVE_BASE and past or future chosen from the sentence's tense.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from ..model import Article, Finding, ResolvedDate, Sentence

_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*"
EXPLICIT = re.compile(
    rf"(?:(?P<weekday>\b{_WEEKDAY}),?\s+)?"
    rf"(?:\b(?P<month>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTHS})\.?(?:,?\s+(?P<year2>\d{{4}}))?"
    rf"|\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b")
RELATIVE = re.compile(
    r"\b(?:(?P<word>today|yesterday|tomorrow)|(?P<span>(?:last|next|this) (?:week|month))"
    r"|(?:(?P<which>last|next|this) |on )?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?: (?P<part>morning|afternoon|evening|night))?)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|set to|due to|plans? to|planned|expected to|going to|upcoming|next)\b",
                     re.IGNORECASE)
_PAST = re.compile(r"\b(?:was|were|had|did|said|met|held|convened|announced|stated|told|agreed|signed|visited|took|"
                   r"affirmed|outlined|made|chaired|spoke|called|sent|reported|confirmed)\b", re.IGNORECASE)


def label(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def check(article: Article, day: date | None, estimated: bool) -> tuple[list[Finding], list[ResolvedDate]]:
    findings: list[Finding] = []
    resolved: list[ResolvedDate] = []
    for sentence in article.sentences:
        explicit = _explicit_dates(sentence, day)
        for start, end, value, weekday in explicit:
            if not re.search(r"\d{4}", article.text[start:end]):
                resolved.append(ResolvedDate(start, end, value, label(value)))  # the year is ours: show it
            if weekday and _WEEKDAYS[value.weekday()][:3] != weekday[:3].title():
                findings.append(_finding(sentence, "weekday-mismatch", start, end,
                                         f"{value:%d %B %Y} was a {_WEEKDAYS[value.weekday()]}, not a {weekday}",
                                         f"{_WEEKDAYS[value.weekday()]}, {label(value)}"))
            if day and value > day and _PAST.search(sentence.text) and not _FUTURE.search(sentence.text):
                findings.append(_finding(sentence, "date-after-publication", start, end,
                                         f"{label(value)} is after the article's {'estimated ' if estimated else ''}"
                                         f"date ({label(day)}) but is told in the past tense", None))
            if sentence.kind == "dateline" and day and not estimated and value != day:
                findings.append(_finding(sentence, "date-contradiction", start, end,
                                         f"the dateline says {label(value)} but the recorded publication date is "
                                         f"{label(day)}", "check meta.yaml against the capture"))
        taken = [(s, e) for s, e, _, _ in explicit]
        for match in RELATIVE.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(s <= start < e or s < end <= e for s, e in taken):
                continue  # the weekday of an explicit date, checked above
            if day is None:
                findings.append(_finding(sentence, "unresolvable-date", start, end,
                                         f"'{match.group(0)}' cannot be resolved: the article's publication date is unknown",
                                         "record the publication date (or a reasoned estimate) in meta.yaml"))
                continue
            meant = _resolve(match, sentence.text, day)
            if meant is None:
                continue
            resolved.append(ResolvedDate(start, end, meant, _relative_label(match, meant, day)))
            adjacent = next(((v, s) for s, e, v, _ in explicit if 0 <= s - end <= 3 or 0 <= start - e <= 3), None)
            if adjacent and adjacent[0] != meant and not match.group("span"):
                findings.append(_finding(sentence, "date-contradiction", start, end,
                                         f"'{match.group(0)}' means {label(meant)} for an article of {label(day)}, "
                                         f"but the date beside it says {label(adjacent[0])}", None))
    return findings, resolved


_ANY_DAY = date(2000, 1, 1)
"""Without an article date only dates that give their year are read, so the base fills no part of them; a fixed
one (not today) keeps the findings independent of the day they are made."""


def _explicit_dates(sentence: Sentence, day: date | None) -> list[tuple[int, int, date, str | None]]:
    found = []
    for match in EXPLICIT.finditer(sentence.text):
        text = match.group(0)
        year = match.group("year") or match.group("year2") or match.group("iso")
        if not year and day is None:
            continue  # "Aug 19" with no year and no article date: nothing to anchor it
        parsed = _parse(text, {
            "PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": datetime.combine(day or _ANY_DAY, datetime.min.time()),
            "PREFER_DATES_FROM": "current_period", "REQUIRE_PARTS": ["day", "month"]})
        if parsed is None:
            continue
        found.append((sentence.start + match.start(), sentence.start + match.end(), parsed.date(), match.group("weekday")))
    return found


def _resolve(match: re.Match, text: str, day: date) -> date | None:
    future = bool(_FUTURE.search(text)) and match.group("which") != "last"
    phrase = match.group(0)
    base = datetime.combine(day, datetime.min.time())
    weekday = match.group("weekday")
    if weekday and not match.group("which") and weekday.title() == _WEEKDAYS[day.weekday()]:
        return day  # "on Wednesday" in an article of a Wednesday: that day
    parsed = _parse(phrase, {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if future else "past"})
    return parsed.date() if parsed else None


def prepare() -> None:
    """Have dateparser make what it makes when first used (the patterns of its language and of the time zones): the
    first article checked in a process waited 0.1 s for it (0.35 s with importing dateparser). `diff`'s checking
    workers call this as they start, while it reads both revisions. A build's do not: it checks only articles whose
    capture is new (`build.examine`), none after an edit to the annotations."""
    day = date(2025, 3, 3)
    _explicit_dates(Sentence("s-0", 0, 0, 0, 13, "March 3, 2025", "paragraph"), day)
    relative = RELATIVE.search("last Tuesday")
    assert relative is not None
    _resolve(relative, "It was said last Tuesday.", day)


def _parse(phrase: str, settings: dict) -> datetime | None:
    """dateparser.parse in English. dateparser is imported when first needed (25 ms): a build's own process, whose
    workers check the articles, does not need it."""
    import dateparser
    return dateparser.parse(phrase, languages=["en"], settings=settings)


def _relative_label(match: re.Match, value: date, day: date) -> str:
    span = (match.group("span") or "").lower()
    if span.endswith("week"):
        return {"last": f"the week before {label(day)}", "next": f"the week after {label(day)}"}.get(
            span.split()[0], f"the week of {label(day)}")
    if span.endswith("month"):
        return f"{value:%B %Y}"
    return label(value)


def _finding(sentence: Sentence, kind: str, start: int, end: int, message: str, suggestion: str | None) -> Finding:
    return Finding(sentence.id, "dates", kind, message, suggestion, start, end)
