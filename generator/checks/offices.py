"""Office holders: a person named with an office must have held it on the article's date.

Pairs an office phrase from the knowledge base with the name beside it ("Defense Secretary Lloyd
Austin", "Daniel K. Kane, Chair of the Joint Chiefs of Staff"), then asks the knowledge base who held
the office that day. "The X administration" is checked against the president of the day, and a
rank-and-surname mention close to a known holder's name ("General Kane") gets the name suggested.
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from functools import cache

from ..model import Article, Finding, Holder, Office, Sentence
from ..segment import normalise_with_map

_NAME_PATTERN = r"[A-Z][a-zA-Z-]+(?:\s+(?:[A-Z]\.|[A-Z][a-zA-Z-]+)){0,3}"
_NAME = rf"(?P<name>{_NAME_PATTERN})"
_RANK = r"(?:(?:Retired|retired|Ret\.)\s+)?(?:General|Gen\.|Admiral|Adm\.|Lt\.\s+Gen\.|Lieutenant\s+General|Air\s+Force\s+Gen\.)\s+"
_FORMER = re.compile(r"\b(?:former|ex-|then-|previous|outgoing|late)\s*$", re.IGNORECASE)
_NAME_BEFORE = re.compile(rf"{_NAME},\s+(?:the\s+)?(?P<former>(?:former|then-|ex-)\s*)?$")
_RANKED = re.compile(rf"\b{_RANK}(?P<surname>[A-Z][a-zA-Z-]+)\b")
_ADMINISTRATION = re.compile(r"\b(?P<name>[A-Z][a-z]+)\s+administration\b")
NEAR = 0.6


def check(article: Article, day: date | None, estimated: bool, offices: tuple[Office, ...]) -> list[Finding]:
    if day is None or not offices:
        return []
    when = f"{'about ' if estimated else ''}{day.day} {day:%B %Y}{' (estimated publication date)' if estimated else ''}"
    findings: list[Finding] = []
    phrases = _phrases(offices)
    for sentence in article.sentences:
        text, where = normalise_with_map(sentence.text)
        lowered = text.lower()
        checked: list[tuple[int, int]] = []
        for called, office, pattern in phrases:
            if called.lower() not in lowered:  # most sentences name no office: skip the pattern
                continue
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in checked):
                    continue  # part of a longer office name already read ("Deputy ... Defense Secretary")
                checked.append((match.start(), match.end()))
                finding = _check_pair(sentence, text, where, match, called, office, day, when)
                if finding:
                    findings.append(finding)
        findings += _administrations(sentence, text, where, offices, day, when)
        findings += _ranked_near_names(sentence, text, where, offices, day, when, findings)
    return findings


@cache
def _phrases(offices: tuple[Office, ...]) -> list[tuple[str, Office, re.Pattern[str]]]:
    """Every way articles name an office, longest first, with its pattern: made once per knowledge base."""
    pairs = sorted(((called, office) for office in offices for called in (*office.called, *office.ambiguous)),
                   key=lambda pair: -len(pair[0]))
    return [(called, office, re.compile(rf"(?<![\w-]){re.escape(called)}(?![\w-])", re.IGNORECASE))
            for called, office in pairs]


def _check_pair(sentence, text, where, match, called, office, day, when) -> Finding | None:
    # "Defense Secretary Lloyd Austin", or in apposition "the defense secretary, Lloyd Austin,"
    after = re.match(rf"(?:\s+|,\s+(?=(?:{_RANK})?{_NAME_PATTERN}\s*(?:[,.;)]|$)))(?:{_RANK})?{_NAME}", text[match.end():])
    before = _NAME_BEFORE.search(text[:match.start()])
    former = bool(_FORMER.search(text[:match.start()])) or bool(before and before.group("former"))
    if after:
        name, span = after.group("name"), (match.start(), match.end() + after.end())
    elif before:
        name, span = before.group("name"), (before.start(), match.end())
    else:
        return None
    name = _strip_rank(name)
    person = _known(name, office.holders)
    if called in office.ambiguous and person is None:
        return None  # "President Zelensky": another country's president
    holder = office.holder_on(day)
    if former:
        return None  # "former NATO deputy secretary-general": the knowledge base checks the holder of the day
    if person is not None:
        if person.held_on(day) is not False:
            return None
        return _finding(sentence, where, span, "office-holder",
                        f"{name} was not {office.title} on {when}" + (f"; the holder was {holder.name}" if holder else ""),
                        holder.name if holder else None, (person, holder))
    if holder is None:
        return None
    if _similar(name, holder) >= NEAR:
        return _finding(sentence, where, span, "near-name",
                        f"'{name}' is close to, but not, the name of {holder.name}, {office.title} on {when}",
                        holder.name, (holder,))
    return _finding(sentence, where, span, "office-holder",
                    f"{office.title} on {when} was {holder.name}, not {name}", holder.name, (holder,))


def _administrations(sentence, text, where, offices, day, when) -> list[Finding]:
    found = []
    for office in (o for o in offices if o.administration):
        holder = office.holder_on(day)
        for match in _ADMINISTRATION.finditer(text):
            person = _known(match.group("name"), office.holders)
            if person is None or person is holder or person.held_on(day) is not False:
                continue
            found.append(_finding(sentence, where, match.span(), "administration",
                                  f"the {match.group('name')} administration was not in office on {when}"
                                  + (f"; the president was {holder.name}" if holder else ""),
                                  f"the {holder.name.split()[-1]} administration" if holder else None, (person, holder)))
    return found


def _ranked_near_names(sentence, text, where, offices, day, when, already) -> list[Finding]:
    """'General Kane' where the knowledge base knows a 'General Caine' holding office that day."""
    found = []
    flagged = {(f.start, f.end) for f in already}
    for match in _RANKED.finditer(text):
        surname = match.group("surname")
        start, end = sentence.start + where[match.start()], sentence.start + where[match.end() - 1] + 1
        if any(s <= start and end <= e for s, e in flagged):
            continue
        for office in offices:
            holder = office.holder_on(day)
            if holder is None or _known(surname, office.holders):
                continue
            surnames = {n.split()[-1] for n in holder.names}
            if max(difflib.SequenceMatcher(None, surname.lower(), s.lower()).ratio() for s in surnames) >= NEAR:
                found.append(_finding(sentence, where, match.span(), "near-name",
                                      f"'{surname}' is close to, but not, {holder.name}, {office.title} on {when}",
                                      holder.name, (holder,)))
    return found


def _strip_rank(name: str) -> str:
    return re.sub(rf"^{_RANK}", "", name + " ").strip()


def _known(name: str, holders: tuple[Holder, ...]) -> Holder | None:
    key = _key(name)
    return next((h for h in holders if key in {_key(n) for n in h.names}), None)


def _key(name: str) -> str:
    return re.sub(r"[^a-z ]", "", name.lower()).strip()


def _similar(name: str, holder: Holder) -> float:
    surname = _key(name).split()[-1] if _key(name) else ""
    return max(max(difflib.SequenceMatcher(None, _key(name), _key(n)).ratio(),
                   difflib.SequenceMatcher(None, surname, _key(n).split()[-1]).ratio()) for n in holder.names)


def _finding(sentence: Sentence, where: list[int], span: tuple[int, int], kind: str, message: str,
             suggestion: str | None, people: tuple) -> Finding:
    start = sentence.start + where[span[0]]
    end = sentence.start + where[span[1] - 1] + 1
    sources = tuple(dict.fromkeys(e for person in people if person for e in person.sources))
    return Finding(sentence.id, "offices", kind, message, suggestion, start, end, sources)
