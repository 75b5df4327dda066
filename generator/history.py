"""Earlier versions of project files, from git: what a drifted annotation file was written against, and the
public history of each claim (first published, then each change readers saw)."""
from __future__ import annotations

import difflib
import hashlib
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
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


def read_history(root: Path, paths: list[Path], memo: Memo, pool: Executor | None = None) -> Callable[[], History]:
    """The claims' events from the commits that changed these annotation files (paths relative to `root`), when
    called: read again only when the commit checked out is another (`memo`), and then only from where the last
    reading stopped, when what it read is still the start of the history (`Reading`). Read from the start (no
    reading kept: a fresh clone, a new version of the generator) by one of `pool`'s processes, when given, while this
    one goes on: a build checks its articles meanwhile (at 1,000 articles and 3,000 commits, 3 s sooner), and that
    process leaves its reading in the memo's folder for the next run. Read on in this process, after a commit, git
    listing the versions meanwhile (at 3,000 commits, 1.1 s of git's; a process of the pool, sharing a core with
    the checking of the edited article, took longer than this one waits for it)."""
    if not paths:
        return History
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return partial(History, limit="this folder is not a git repository, so the history of changes is not known")
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if head is None:
        return History  # no commit yet
    shallow = _git(root, "rev-parse", "--is-shallow-repository") == "true"
    files = tuple(paths)
    key = digest(history_at.__qualname__, root, head, shallow, files)
    if memo.has(key):
        return partial(memo.keyed, key, _read_on, memo, root, head, shallow, files)
    if pool is not None and memo.folder is not None and memo.latest(READING) is None:
        history = pool.submit(_read_on, Memo(memo.folder), root, head, shallow, files)  # its reading kept by the worker
        return lambda: memo.made(key, history.result())
    lister = ThreadPoolExecutor(1)
    versions = lister.submit(_versions, root, head, files)
    lister.shutdown(wait=False)  # its thread ends with its one task
    return lambda: memo.made(key, _read_on(memo, root, head, shallow, files, versions.result()))


def _read_on(memo: Memo, root: Path, head: str, shallow: bool, paths: tuple[Path, ...],
             versions: list[tuple[str, date, str]] | None = None) -> History:
    reading = history_at(root, head, shallow, paths, memo.latest(READING), versions)
    memo.keep_latest(READING, reading)
    return reading.history


READING = "history.pickle"
"""Where the memo keeps the last `Reading` (`Memo.latest`)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How far the history was read, and what it said: the versions of the annotation files read, oldest first, and
    where each claim was last seen among them. A new commit is read on from it, not from the start: at 1,000 articles
    and 3,000 commits, reading every version took 10.4 s on a slow day (git's answers 2.8 s, reading the YAML 7.2)."""

    versions: tuple[tuple[str, date, str], ...]
    """(commit, day, path) of each version, in the order git lists them."""
    seen: Mapping[str, int]
    """The version each claim was last seen in, by claim id: its fields there are what a new version is compared to."""
    history: History


def history_at(root: Path, head: str, shallow: bool, paths: tuple[Path, ...], earlier: Reading | None = None,
               versions: list[tuple[str, date, str]] | None = None) -> Reading:
    """The history of these files up to commit `head` (`shallow`: the repository lacks the oldest commits). When git
    lists the versions `earlier` read first, in the same order, it is read on from there: the same steps over the
    same versions, so the same history as read from the start (a rewritten history, or files that left the list,
    are read from the start). `versions`: what `_versions` gives, when listed already."""
    versions = _versions(root, head, paths) if versions is None else versions
    start, seen, events, digests = 0, {}, {}, {}
    if earlier is not None and tuple(versions[:len(earlier.versions)]) == earlier.versions:
        start, seen = len(earlier.versions), dict(earlier.seen)
        events, digests = dict(earlier.history.events), dict(earlier.history.digests)
    new = [_claims(text) for text in _blobs(root, [f"{commit}:{name}" for commit, _, name in versions[start:]])]
    # each claim of the new versions as it was last seen before them
    before = sorted({seen[claim_id] for claims in new for claim_id in claims if claim_id in seen})
    found = dict(zip(before, map(_claims, _blobs(root, [f"{versions[i][0]}:{versions[i][2]}" for i in before])),
                     strict=True))
    last = {claim_id: found[i].get(claim_id) for claim_id, i in seen.items() if i in found}
    if None in last.values():  # a version read before that git no longer gives as it did
        return history_at(root, head, shallow, paths, versions=versions)
    changed = set()
    for i, claims in enumerate(new, start):
        for claim_id, now in claims.items():
            events[claim_id] = events.get(claim_id, ()) + tuple(_changes(last.get(claim_id), now, versions[i][1]))
            last[claim_id], seen[claim_id] = now, i
            changed.add(claim_id)
    digests |= {claim_id: digest(events[claim_id]) for claim_id in changed}
    limit = None
    if shallow and versions:
        limit = f"this copy of the repository is shallow: changes before {versions[0][1].isoformat()} are not known"
    return Reading(tuple(versions), seen, History(events, limit, digests))


def _versions(root: Path, head: str, paths: tuple[Path, ...]) -> list[tuple[str, date, str]]:
    """(commit, day, path) of each version of these files up to `head`, oldest first, as `git log --reverse` lists
    them; the path as git names it, from the top of the repository. Git is asked about the folders the files are in,
    and its answer sifted: asked about a thousand files by name, it matched each commit's changes against every
    name (at 1,000 articles and 3,000 commits, 82.7 s; about their folder, 1.0 s)."""
    prefix = _git(root, "rev-parse", "--show-prefix") or ""
    wanted = {prefix + path.as_posix() for path in paths}
    folders = sorted({path.parent.as_posix() for path in paths})
    log = _git(root, "log", "--reverse", "--format=%x00%H %cs", "--name-only", head, "--", *folders) or ""
    versions = []
    for chunk in log.split("\x00")[1:]:
        first, *names = chunk.strip().splitlines()
        commit, iso_day = first.split()
        versions += [(commit, date.fromisoformat(iso_day), name) for name in names if name in wanted]
    return versions


def head_log(root: Path) -> Path | None:
    """The file git adds a line to whenever the commit checked out changes (a commit, a checkout, a pull, a reset):
    the reflog of HEAD, which the preview watches to show a new commit's history. None outside a repository, and
    where there is none (no commit yet, reflogs turned off)."""
    folder = _git(root, "rev-parse", "--absolute-git-dir")
    path = Path(folder) / "logs" / "HEAD" if folder else None
    return path if path and path.is_file() else None


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


def _claims(text: str | None) -> dict[str, dict]:
    """The fields readers see of each claim in one version of an annotation file (read leniently: an old
    version need not pass today's checks). Not kept: each version is read once, and at 1,000 articles and 3,000
    commits, keeping what the 4,366 versions hold took 43 MiB, for as long as the process lived (a preview, a build
    while MkDocs runs)."""
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
