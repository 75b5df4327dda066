"""Earlier versions of project files, from git: what a drifted annotation file was written against, and the
public history of each claim (first published, then each change readers saw)."""
from __future__ import annotations

import difflib
import hashlib
import subprocess
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from .memo import Memo, digest
from .model import Event, History


def capture_with_fingerprint(root: Path, path: Path, sha256: str) -> str | None:
    """The text of `path` as it was in the newest commit where its SHA-256 was `sha256`; None if never."""
    try:
        log = subprocess.run(["git", "log", "--format=%H", "--", str(path)], cwd=root,
                             capture_output=True, text=True, check=True).stdout.split()
        for commit in log:
            raw = subprocess.run(["git", "show", f"{commit}:./{path.as_posix()}"], cwd=root,
                                 capture_output=True, check=True).stdout
            if hashlib.sha256(raw).hexdigest() == sha256:
                return raw.decode("utf-8-sig")  # as load.py reads a capture
    except (OSError, subprocess.CalledProcessError, UnicodeDecodeError):
        return None
    return None


# --- the public history of each claim -------------------------------------------------------------

MINOR = 0.97
"""A summary or note this similar to its last version (difflib's ratio) changed by a wording fix."""
_FIELDS = ("verdict", "summary", "note", "evidence")


def read_history(root: Path, paths: list[Path], memo: Memo) -> History:
    """The claims' events from the commits that changed these annotation files (paths relative to `root`);
    read again only when the commit checked out is another (`memo`)."""
    if not paths:
        return History()
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return History(limit="this folder is not a git repository, so the history of changes is not known")
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if head is None:
        return History()  # no commit yet
    shallow = _git(root, "rev-parse", "--is-shallow-repository") == "true"
    return memo(history_at, root, head, shallow, tuple(paths))


def history_at(root: Path, head: str, shallow: bool, paths: tuple[Path, ...]) -> History:
    """The history of these files up to commit `head` (`shallow`: the repository lacks the oldest commits)."""
    log = _git(root, "log", "--reverse", "--format=%x00%H %cs", "--name-only", head, "--", *map(str, paths)) or ""
    versions: list[tuple[str, date, str]] = []  # (commit, day, path), oldest first
    for chunk in log.split("\x00")[1:]:
        head, *names = chunk.strip().splitlines()
        commit, iso_day = head.split()
        versions += [(commit, date.fromisoformat(iso_day), name) for name in names if name]
    texts = _blobs(root, [f"{commit}:{name}" for commit, _, name in versions])
    events: dict[str, list[Event]] = {}
    last: dict[str, dict] = {}
    for (_, day, _), text in zip(versions, texts, strict=True):
        for claim_id, now in _claims(text).items():
            events.setdefault(claim_id, []).extend(_changes(last.get(claim_id), now, day))
            last[claim_id] = now
    limit = None
    if shallow and versions:
        limit = f"this copy of the repository is shallow: changes before {versions[0][1].isoformat()} are not known"
    return History({k: tuple(v) for k, v in events.items()}, limit,
                   {k: digest(tuple(v)) for k, v in events.items()})


def _changes(before: dict | None, now: dict, day: date) -> list[Event]:
    if now["verdict"] == "unreviewed":
        return []
    if before is None or before["verdict"] == "unreviewed":
        return [Event(day, ("published",), now["verdict"])]
    correction = next(iter(sorted(now["corrections"] - before["corrections"])), None)
    what = tuple(name for name in _FIELDS if before[name] != now[name])
    if not what:
        return [Event(day, ("correction",), correction=correction)] if correction else []
    minor = all(name in ("summary", "note") and difflib.SequenceMatcher(
        None, before[name] or "", now[name] or "").ratio() >= MINOR for name in what)
    changed = "verdict" in what
    return [Event(day, what, now["verdict"] if changed else None, before["verdict"] if changed else None,
                  correction, minor and not correction)]


_TEXT_ONLY = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
"""Everything as text, no YAML 1.1 guessing; libyaml's, where PyYAML has it, reads ten times faster."""


@cache  # a file unchanged between commits is one text, read once
def _claims(text: str | None) -> dict[str, dict]:
    """The fields readers see of each claim in one version of an annotation file (read leniently: an old
    version need not pass today's checks)."""
    try:
        data = yaml.load(text or "", Loader=_TEXT_ONLY)
    except yaml.YAMLError:
        return {}
    claims = data.get("claims") if isinstance(data, dict) else None
    found = {}
    for claim in claims if isinstance(claims, list) else ():
        if isinstance(claim, dict) and isinstance(claim.get("id"), str):
            evidence = claim["evidence"] if isinstance(claim.get("evidence"), list) else []
            corrections = claim["corrections"] if isinstance(claim.get("corrections"), list) else []
            found[claim["id"]] = {
                "verdict": claim.get("verdict"), "summary": claim.get("summary"), "note": claim.get("note"),
                "evidence": tuple(e.get("url") for e in evidence if isinstance(e, dict)),
                "corrections": frozenset(str(c.get("note")) for c in corrections if isinstance(c, dict)),
            }
    return found


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _blobs(root: Path, names: list[str]) -> list[str | None]:
    """The text of each `commit:path`, read by one `git cat-file --batch` process."""
    if not names:
        return []
    result = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(names).encode() + b"\n",
                            capture_output=True)
    out, at = result.stdout, 0
    texts: list[str | None] = []
    for _ in names:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            texts.append(None)
            at = header_end + 1
            continue
        size = int(header[2])
        texts.append(out[header_end + 1:header_end + 1 + size].decode("utf-8-sig", errors="replace"))
        at = header_end + 1 + size + 1
    return texts
