"""Write the generated pages into docs/, then build site/ with MkDocs, all or nothing.

docs/ mixes hand-written pages with generated ones; this module touches only the
paths the outputs own (`outputs.OWNED`), writes a file only when its content
changed (so MkDocs' --dirty and editors' watchers see real changes only), and
removes generated files that are no longer produced. The site is built into a
temporary folder next to site/ and swapped in only when MkDocs succeeded.

Interrupted at any moment (even by SIGKILL), a build leaves every file whole: each
docs/ file is written under a temporary name and renamed, and the new site takes
the old one's place in one atomic exchange (`renameat2`, where the system has it).
What a killed build leaves behind (temporary files, a staging folder) the next
one removes. One build at a time per project: `exclusive()` holds a lock that the
system releases when its holder dies, so a killed build never blocks the next.
Everything written is world-readable (0644 files, 0755 folders): a web server
running as another user must be able to serve it.
"""
from __future__ import annotations

import calendar
import ctypes
import errno
import fcntl
import hashlib
import json
import multiprocessing
import os
import pickle
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from . import search_index, shards
from .memo import Memo
from .progress import Progress, quiet

LOCK = ".factcheck.lock"
"""In the project folder: held by the build (or the preview's regeneration) that is writing."""
_PARTIAL = ".partial"


class Busy(Exception):
    """Another build holds the project's lock."""


@contextmanager
def exclusive(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold the project's build lock. Without `wait`, raise Busy if another process holds it."""
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise Busy(f"another build is running in {root} (process {holder}); "
                       "wait for it to finish, or stop it and build again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    read_back: int = 0
    """Results of earlier runs the build read back from the memo (an unchanged article's review and files)..."""
    left: int = 0
    """...those it did not need to read, their files being in docs/ as the last run wrote them (`Manifest.kept`)..."""
    made: int = 0
    """...and those it had to make."""


@dataclass(frozen=True, slots=True)
class Made:
    """A file that costs something to make (an image): made only when missing. Its path names its content (a
    digest of everything it shows), so a file already at that path is right, and is not made again."""

    make: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class Kept:
    """A file docs/ holds as the last run wrote it, from the same result (`Manifest.kept`): left as it is."""


KEPT = Kept()

Content = str | bytes | Made | Kept
"""A generated file: text (written as UTF-8), bytes, bytes made only when the file is missing, or the file as it is."""


def is_owned(path: str, owned: tuple[str, ...]) -> bool:
    return path in owned or path.startswith(_folders(owned))


@lru_cache(maxsize=16)
def _folders(owned: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(g for g in owned if g.endswith("/"))


@dataclass(frozen=True, slots=True)
class Keeping:
    """Where the files made from a result that may not have changed since the last run come from (`files`): the
    `memo`, and the `manifest` of what the last run wrote into docs/ (None: not known)."""

    memo: Memo
    manifest: Manifest | None = None

    def files(self, key: str, make: Callable[..., Mapping[str, Content]], *args: Any) -> Mapping[str, Content]:
        """The files `make(*args)` makes, filed under `key` (which stands for everything they show): left in docs/
        when they are there as the last run wrote them, and then not even read (a build after one edit at 1,000
        articles leaves 6,000 sets of an article's files, and 220 of the 229 listing pages); else read back from the
        memo; else made."""
        kept = self.manifest.kept(key) if self.manifest else None
        if kept is not None:
            self.memo.leave(key)
            return kept
        made = self.memo.keyed(key, make, *args, apart=True)
        if self.manifest:
            self.manifest.record(key, list(made))
        return made


class Manifest:
    """What write_docs wrote into `docs`: each file's size, modification time and digest, kept in a file so that
    the next run need not read a file to know it unchanged (as rsync and make trust a file's size and time); the
    paths of the files made from each result the memo keeps, by its key, so that the next run need not even read
    back a result whose files are all as written (`kept`); and, in this process, the text each was written from,
    so that a page the memo hands back again (the same object) is known unchanged without encoding it (the
    preview's loop)."""

    def __init__(self, path: Path, docs: Path):
        self.path = path
        self.folder = os.path.join(docs, "")
        """`docs` as a string ending in a separator, to which a path under it is added (at 1,000 articles,
        os.path.join for each of the 36,000 files `kept` looks at took 20 ms)."""
        self.stamps: dict[str, Stamp] | None = None
        self.made_from: dict[str, tuple[str, ...]] = {}
        """The last run's: the paths of the files made from each result, by the result's key in the memo."""
        self.making: dict[str, tuple[str, ...]] = {}
        """This run's, as it renders (`kept`, `record`)."""
        self.texts: dict[str, Content] = {}
        self.surveyed: Future[Survey] | None = None
        """What another process found in docs/ (`survey`)."""

    def load(self) -> dict[str, Stamp]:
        if self.stamps is None:
            self.stamps, self.made_from = _recorded(self.path)
        return self.stamps

    def survey(self, pool: Executor, owned: tuple[str, ...]) -> None:
        """Have one of `pool`'s processes look through docs/ while this one reads and checks the project (`Survey`):
        at 1,000 articles, stat-ing the 36,000 files the last run made took 0.1 s of a build after one edit, and
        listing the owned folders 0.04 s more. Its answer is as of the moment it looked, as a stat is: a file
        changed later is written again by the next run, and one put there later is removed by it."""
        self.surveyed = pool.submit(_survey, self.path, self.folder, _folders(owned))

    def surveyed_files(self) -> Survey | None:
        """The survey's answer; None when there was none, or it failed (then this process looks for itself)."""
        if self.surveyed is not None:
            try:
                return self.surveyed.result()
            except Exception:  # a worker that died, or could not read
                self.surveyed = None
        return None

    def kept(self, key: str) -> dict[str, Content] | None:
        """The files made from the result filed under `key`, each as KEPT, when the last run wrote them and docs/
        holds every one as written (by its size and time; an image, whose path names its content and which has no
        stamp, by being there); else None, and the result is needed."""
        stamps = self.load()
        paths = self.made_from.get(key)
        if paths is None:
            return None
        survey = self.surveyed_files()
        if survey is not None and not survey.changed.isdisjoint(paths):
            return None
        if survey is None and _changed_among(self.folder, paths, stamps):
            return None
        self.record(key, paths)
        return dict.fromkeys(paths, KEPT)

    def record(self, key: str, paths: Sequence[str]) -> None:
        """This run makes the files at `paths` from the result filed under `key`."""
        self.making[key] = tuple(paths)

    def save(self, stamps: dict[str, Stamp], texts: dict[str, Content]) -> None:
        self.stamps, self.texts = stamps, texts
        self.made_from, self.making = self.making, {}
        with suppress(OSError):  # without it, the next run reads the files once more
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.path, pickle.dumps((stamps, self.made_from), protocol=pickle.HIGHEST_PROTOCOL))


def _recorded(path: Path) -> tuple[dict[str, Stamp], dict[str, tuple[str, ...]]]:
    """A manifest file's stamps and paths by result (both empty when it is missing or damaged: every file is then
    read once more)."""
    try:
        loaded = pickle.loads(path.read_bytes())
        return loaded if type(loaded) is tuple else ({}, {})  # else an older form
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return {}, {}


@dataclass(frozen=True, slots=True)
class Survey:
    """What a worker found in docs/ (`Manifest.survey`), by the record of the last run (`Manifest`): what changed in
    docs/ since, so that this process need not look (nor receive a list of every file)."""

    changed: frozenset[str]
    """The files made from the memo's results that are missing, or whose size or time differ from their record
    (`Manifest.kept`)."""
    missing: frozenset[str]
    """The files recorded in the owned folders that are not there..."""
    unrecorded: frozenset[str]
    """...those there that are not recorded..."""
    empty: tuple[str, ...]
    """...and the folders under them holding nothing (write_docs removes what this run does not make)."""


def _survey(manifest: Path, folder: str, owned: tuple[str, ...]) -> Survey:
    """In a worker: what `Survey` says of `folder` (docs/, ending in a separator) and its `owned` folders, by the
    record of the run that wrote `manifest`."""
    stamps, made_from = _recorded(manifest)
    listed, empty = _listing(folder, owned)
    there, recorded = set(listed), {path for path in _paths(stamps, made_from) if path.startswith(owned)}
    changed = frozenset(path for paths in made_from.values() for path in _changed_among(folder, paths, stamps))
    return Survey(changed, frozenset(recorded - there), frozenset(there - recorded), tuple(empty))


def _paths(stamps: dict[str, Stamp], made_from: dict[str, tuple[str, ...]]) -> set[str]:
    """Every file a manifest records."""
    return set(stamps).union(*made_from.values())


def _listing(folder: str, owned: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The files in the `owned` folders under `folder` (ending in a separator), as paths from it, and the folders
    under them that hold nothing, deepest first."""
    files: list[str] = []
    empty: list[str] = []
    for top in owned:
        for place, folders, names in os.walk(folder + top, topdown=False):
            under = os.path.relpath(place, folder).replace(os.sep, "/")
            files += (f"{under}/{name}" for name in names)
            if not names and not folders and place.rstrip("/") != (folder + top).rstrip("/"):
                empty.append(under)
    return files, empty


def _changed_among(folder: str, paths: Sequence[str], stamps: dict[str, Stamp]) -> list[str]:
    """Those of `paths` missing from `folder`, or whose size or time differ from their stamp (an image, whose path
    names its content and which has no stamp, by being there)."""
    changed = []
    for path in paths:
        found, stamp = _size_and_time(folder + path), stamps.get(path)
        if found is None or (stamp is not None and stamp[:2] != found):
            changed.append(path)
    return changed


def write_docs(docs: Path, files: dict[str, Content], owned: tuple[str, ...], report: WriteReport | None = None,
               manifest: Manifest | None = None, drawing: Drawing | None = None) -> WriteReport:
    """Make the owned paths of docs/ hold exactly `files`: `owned` lists files and folders (ending in /).
    `report`: filled in as the files are written (a progress display reads it meanwhile). `manifest`: what the
    last run wrote, updated with what this one writes. `drawing`: started on some of the files already."""
    report = report or WriteReport()
    owned_files, folders = set(owned), _folders(owned)
    stray = next((path for path in files if path not in owned_files and not path.startswith(folders)), None)
    if stray is not None:
        raise ValueError(f"generator tried to write {stray}, which is not a generated path")
    with ExitStack() as stack:
        if drawing is None:
            drawing = stack.enter_context(Drawing(docs, owned, manifest))
        drawing.add(files)
        made = drawing.finish(report)
    known = manifest.load() if manifest else {}
    texts = manifest.texts if manifest else {}
    # the files left as the last run wrote them (after one edit at 1,000 articles, 36,000 of 36,200): in one pass
    kept = [path for path, content in files.items() if isinstance(content, Kept)]
    now = {path: known[path] for path in kept if path in known}  # else an image: no stamp
    report.unchanged += len(kept)
    others = sorted((path, content) for path, content in files.items() if not isinstance(content, Kept))
    for path, content in others:
        if isinstance(content, Made):
            if path not in made:  # its path names its content: a file already there is right
                report.unchanged += 1
            continue
        target = os.path.join(docs, path)
        if texts.get(path) is content and (stamp := known.get(path)) and stamp[:2] == _size_and_time(target):
            now[path] = stamp
            report.unchanged += 1
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.blake2b(data, digest_size=16).digest()
        found = _size_and_time(target)
        if found is not None and _holds(target, data, digest, found, known.get(path)):
            now[path] = (*found, digest)
            report.unchanged += 1
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _atomic_write(Path(target), data)
        stat = os.stat(target)
        now[path] = (stat.st_size, stat.st_mtime_ns, digest)
        report.written.append(path)
    survey = manifest.surveyed_files() if manifest else None
    if manifest and survey:  # what is there: what the last run recorded, as the survey found it
        there = _paths(known, manifest.made_from).difference(files) - survey.missing
        stale, empty = [*there, *survey.unrecorded.difference(files)], survey.empty
    else:
        listed, found_empty = _listing(os.path.join(docs, ""), folders)
        stale, empty = list(set(listed).difference(files)), tuple(found_empty)
    _remove(docs, sorted((path for path in stale if path.startswith(folders)), reverse=True), empty, folders, report)
    if manifest is not None:
        manifest.save(now, files)
    return report


def _remove(docs: Path, stale: list[str], empty: Sequence[str], folders: tuple[str, ...], report: WriteReport) -> None:
    """Remove the `stale` files from docs/, then the folders left empty by it or `empty` before, up to the owned
    `folders` (each ending in /), which stay."""
    for path in stale:
        with suppress(FileNotFoundError):  # else gone since it was seen
            os.unlink(os.path.join(docs, path))
            report.deleted.append(path)
    tops = {folder.rstrip("/") for folder in folders}
    emptied = {posixpath.dirname(path) for path in stale}.union(empty)
    for folder in sorted(emptied, key=lambda f: -f.count("/")):  # the deepest first: a parent may empty in turn
        while folder and folder not in tops:
            try:
                os.rmdir(os.path.join(docs, folder))
            except OSError:  # not empty, or gone
                break
            folder = posixpath.dirname(folder)


Stamp = tuple[int, int, bytes]
"""A file's size, modification time (ns) and content digest, as the last run wrote or read it."""


def _holds(target: str, data: bytes, digest: bytes, found: tuple[int, int], known: Stamp | None) -> bool:
    """Whether the file (`found`: its size and time) holds `data`: by its stamp when its size and time are the ones
    recorded, else by reading it."""
    if known is not None and known[:2] == found:
        return known[2] == digest
    if found[0] != len(data):
        return False
    with open(target, "rb") as file:
        return file.read() == data


def _size_and_time(target: str) -> tuple[int, int] | None:
    """The file's size and modification time (ns); None when it is not there."""
    try:
        stat = os.stat(target)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@contextmanager
def workers(prepare: Callable[[], None] | None = None) -> Iterator[ProcessPoolExecutor]:
    """A process for each core, started at once, forked while this process is small, to check the articles no
    earlier run has checked (`Memo.checked_all`) or to draw the images (`Drawing`). Forked later, in the middle of
    a build, each would keep its own copy of what the build held by then (at 1,000 articles the build's peak was
    1,059 MiB so, 980 MiB forked at the start: BENCHMARKS.md). A pool that checked keeps what checking took
    (at 1,000 articles, 6 MiB a process): a build draws with another one (a peak of 1,013 MiB instead of 1,026).
    `prepare`: what each process does as it starts, before its first task, while this one goes on."""
    pool = ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_in_a_worker, initargs=(os.getpid(), prepare))
    try:
        with _interrupts_deferred():  # amid the forks, the workers would be left without the thread that ends them
            pool.submit(os.getpid)  # forks them now
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _in_a_worker(build: int, prepare: Callable[[], None] | None) -> None:
    """In a worker of the process `build`: below the build that feeds it (the render, while it draws); deaf to
    Ctrl-C, which the build hears and stops it; killed with the build (Linux), which would otherwise leave it
    waiting, holding the build's lock and its error output. Then `prepare`d for its tasks."""
    os.nice(10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _killed_with_the_build(build)
    if prepare is not None:
        prepare()


class Drawing:
    """The first step of write_docs: making the `Made` files missing from docs/ (preview images), each written by
    the process that makes it. A build hands it the files as they are rendered (`add`) and its `workers()`
    (`pool`): the other cores draw while this one renders the rest (11,000 images in a first build at 1,000
    articles). `finish` waits for the last. Under `_PER_WORKER` files are made in this process; more, without a
    pool, start one. A file made from the very object this process wrote last time (`manifest.texts`) is not
    looked for on disk. What a killed build left half-written is cleared first (`manifest`: None, or not yet read
    in this process)."""

    def __init__(self, docs: Path, owned: tuple[str, ...], manifest: Manifest | None = None,
                 pool: ProcessPoolExecutor | None = None):
        if manifest is None or manifest.stamps is None:  # once a process: only a killed one leaves them
            _remove_partial_files(docs, owned)
        self.docs, self.texts = docs, manifest.texts if manifest else {}
        self.waiting: dict[str, Callable[[], bytes]] = {}
        self.drawn: list[Future[list[str]]] = []
        self.paths: set[str] = set()
        self.pool, self.own = pool, ExitStack()

    def __enter__(self) -> Drawing:
        return self

    def __exit__(self, *_: object) -> None:
        for future in self.drawn:  # after a failed render or write, nothing more is drawn
            future.cancel()
        self.own.close()

    def add(self, files: Mapping[str, Content]) -> None:
        for path, content in files.items():
            if (isinstance(content, Made) and path not in self.paths and self.texts.get(path) is not content
                    and not os.path.isfile(os.path.join(self.docs, path))):
                self.waiting[path] = content.make
                self.paths.add(path)
        if len(self.waiting) >= _PER_WORKER:
            self._send()

    def finish(self, report: WriteReport) -> set[str]:
        """Wait for every file to be written (the paths returned); `report` hears of each batch as it is."""
        if self.drawn and self.waiting:
            self._send()
        report.written.extend(_draw(self.docs, self.waiting))
        self.waiting = {}
        for future in self.drawn:
            report.written.extend(future.result())
        return self.paths

    def _send(self) -> None:
        if self.pool is None:
            self.pool = self.own.enter_context(workers())
        self.drawn.append(self.pool.submit(_draw, self.docs, self.waiting))
        self.waiting = {}


def _draw(docs: Path, makes: dict[str, Callable[[], bytes]]) -> list[str]:
    for path, make in makes.items():
        target = Path(docs, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, make())
    return list(makes)


_PER_WORKER = 32
"""Files sent to a process at a time: fewer, and sending them costs more than it saves."""


def _remove_partial_files(docs: Path, owned: tuple[str, ...]) -> None:
    """What a killed build left half-written beside the owned files (never renamed into place, so never read).
    In the owned folders, write_docs removes them with every other file it did not make: not looked for here
    (at 1,000 articles, looking through the folders' 36,000 files took 30 ms of each build)."""
    for folder in {(docs / g).parent for g in owned if not g.endswith("/")}:
        for leftover in folder.glob(".*" + _PARTIAL) if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=_PARTIAL)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


REGISTER_HEADER = """\
# The claim addresses this site has published. A published address must keep answering (README: Addresses
# that never break): `python -m generator build` adds every new claim here with the day it was recorded;
# commit this file with your annotations. Never remove an entry: when a claim is renamed, replace its date
# with `{moved_to: <new-id>}`; when it is removed, with `{withdrawn: YYYY-MM-DD, reason: why}`.
claims:
"""


def record_addresses(register: Path, new: list[tuple[str, date]]) -> None:
    """Add newly published claim ids, with the day, at the end of the register (created with its header)."""
    if not new:
        return
    text = register.read_text(encoding="utf-8") if register.is_file() else REGISTER_HEADER
    text += ("" if text.endswith("\n") else "\n") + "".join(f'  {claim_id}: "{day.isoformat()}"\n' for claim_id, day in new)
    _atomic_write(register, text.encode("utf-8"))


class SiteBuildFailed(Exception):
    """MkDocs refused the pages (in strict mode a warning is enough); its output says why."""


_SYSTEM_ERROR = re.compile(r"(?:OSError|PermissionError): \[Errno (\d+)\] ([^\n]*)")


def build_site(root: Path, site: Path, day: date | None = None, progress: Progress = quiet,
               pages: int | None = None, groups: Sequence[Sequence[str]] = (), processes: int | None = None,
               search_parts: int | None = None) -> None:
    """Run `mkdocs build --strict` into a fresh folder, index it for search (Pagefind: search_index.py), and
    swap it in for `site` only when both succeeded. `progress` hears "mkdocs" (with how many of the `pages` are
    built so far) and "search" as they start.
    `day`: the site's date, which MkDocs writes into the sitemap (as SOURCE_DATE_EPOCH, unless the environment
    sets one), so that the site's bytes do not depend on the day it is built.
    `processes`: how many MkDocs processes share the pages (shards.py; by default one a core when there are
    enough `pages`); `groups`: the docs/ pages that one process must build together (an article's and its claims');
    `search_parts`: in how many parts the search index is made (by default as many as the site's size needs).
    Raises SiteBuildFailed (MkDocs' reasons) or OSError (the folder cannot be written: full, read-only)."""
    env = dict(os.environ)
    if day is not None:
        env.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(day.timetuple())))
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(site)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    count = processes or shards.processes(pages or 0)
    shares = shards.plan(groups, pages or 0, count) if count > 1 else []
    # the later processes' folders beside it, under a name _remove_leftovers knows
    folders = [staging] + [Path(tempfile.mkdtemp(prefix=f"{staging.name}-", dir=site.parent)) for _ in shares]
    try:
        for folder in folders:
            os.chmod(folder, 0o755)
        progress("mkdocs", pages, lambda: sum(1 for f in folders for _ in f.rglob("index.html")))
        _mkdocs(root, env, folders, shares)
        progress("search")
        search_index.build(staging, lambda command: _run_or_fail(command, root, env, "Pagefind could not index the site"),
                           search_parts)
        _swap(staging, site)
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _mkdocs(root: Path, env: dict[str, str], folders: list[Path], shares: list[list[str]]) -> None:
    """MkDocs into `folders[0]`: alone, or with a process for each of the `shares` (into the other folders),
    whose pages are then moved into the first folder."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "-"]  # not --quiet: it hides what --strict counts
    if not shares:
        results = _run_all([([*command, "--site-dir", str(folders[0])], env, _config(root, HTML_PAGES))], root)
    else:
        skipped, given = [page for share in shares for page in share], _config(root, HTML_PAGES, Path(shards.__file__))
        # beside the site folders, under a name _remove_leftovers knows: a build killed here leaves them for the next
        with tempfile.TemporaryDirectory(prefix=f"{folders[0].name}-plans-", dir=folders[0].parent) as plans:
            runs: list[Run] = []
            for i, (folder, share) in enumerate(zip(folders, [{"skips": skipped}, *({"builds": s} for s in shares)],
                                                    strict=True)):
                plan = Path(plans, f"{i}.json")
                plan.write_text(json.dumps(share), encoding="utf-8")
                runs.append(([*command, "--site-dir", str(folder)], env | {shards.PLAN: str(plan)}, given))
            results = _run_all(runs, root)
    output = "\n".join(dict.fromkeys(line for _, out in results for line in out.splitlines()))  # each said once
    if any(code != 0 for code, _ in results):
        system = _SYSTEM_ERROR.search(output)
        if system:  # not MkDocs' judgement of the pages: the disk refused (full, read-only, permissions)
            raise OSError(int(system[1]), f"MkDocs could not write the site: {system[2]}")
        raise SiteBuildFailed(output)
    for folder in folders[1:]:
        _move_into(folder, folders[0])


HTML_PAGES = Path(__file__).with_name("html_pages.py")
"""The hook that lays out the pages written in HTML, by its path: MkDocs loads it. Importing it here imported
MkDocs' plugins into every command (importing the command line took 0.215 s with them, 0.206 s without)."""


def _config(root: Path, *hooks: Path) -> str:
    """The configuration an MkDocs process reads (on its standard input): the project's mkdocs.yml, with these
    hooks after the project's own (a list in the inheriting file replaces the inherited one)."""
    from mkdocs.utils.yaml import yaml_load  # MkDocs' reader: its tags, its INHERIT

    with open(root / "mkdocs.yml", "rb") as file:
        own = yaml_load(file).get("hooks") or []
    return json.dumps({"INHERIT": "mkdocs.yml", "hooks": [*own, *(str(h.resolve()) for h in hooks)]})


def _move_into(source: Path, target: Path) -> None:
    """Move what `source` holds into `target`, folder by folder; a file `target` has already (the theme's files,
    which every process writes) stays as it is there."""
    for entry in os.scandir(source):
        there = target / entry.name
        if not there.exists():
            os.replace(entry.path, there)
        elif entry.is_dir(follow_symlinks=False) and there.is_dir():
            _move_into(Path(entry.path), there)


Run = tuple[list[str], dict[str, str], str | None]
"""A child to run: its command, its environment, and what it reads on its standard input (None: nothing)."""


def _run_all(runs: list[Run], root: Path) -> list[tuple[int, str]]:
    """Run children at once, which die with us; their exit codes and outputs, once all have finished."""
    with ExitStack() as stack:
        children = []
        for command, env, given in runs:
            output = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            with _interrupts_deferred():
                child = subprocess.Popen(command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT,
                                         stdin=subprocess.PIPE if given is not None else subprocess.DEVNULL,
                                         text=True, preexec_fn=partial(_killed_with_the_build, os.getpid()))
                stack.callback(_stop, child)
            children.append((child, output))
            if given is not None:
                assert child.stdin is not None
                with child.stdin:
                    child.stdin.write(given)
        results = []
        for child, output in children:
            child.wait()
            output.seek(0)
            results.append((child.returncode, output.read().strip()))
        return results


def _stop(child: subprocess.Popen) -> None:
    """A child still running when we stop waiting (interrupted) is killed."""
    if child.poll() is None:
        child.kill()
        child.wait()


def _run_or_fail(command: list[str], root: Path, env: dict[str, str], failure: str) -> None:
    """Run a stage of the site build as a child that dies with us; SiteBuildFailed with its output if it fails."""
    [(returncode, output)] = _run_all([(command, env, None)], root)
    if returncode != 0:
        raise SiteBuildFailed(f"{failure}:\n{output}")


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """A Ctrl-C during the block raised as it ends, by whatever handles Ctrl-C then. Python raises
    KeyboardInterrupt wherever the signal finds this process, and amid a fork that loses a process or the interrupt
    itself: a pool's workers forked before the thread that ends them would be left waiting, and the build waiting
    for them as it exits (a build killed at the start of checking hung so); in Python's fork handlers it is printed
    as ignored and dropped. Recorded by a handler of its own, not blocked: the system may hand the signal to any
    thread. Only the main thread hears signals; elsewhere the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = threading.Event()
    handler = signal.signal(signal.SIGINT, lambda signum, frame: pressed.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        if pressed.is_set():
            signal.raise_signal(signal.SIGINT)


def _killed_with_the_build(build: int) -> None:
    """In a process the build (the process `build`) started, a worker or MkDocs: the system kills it when the build
    dies (Linux; elsewhere, nothing), so that MkDocs does not write on into a staging folder the next build
    removes. A build killed while this process was starting, before it asked, is already gone: the system would
    not, so it ends here (a build killed at the start of checking left its workers waiting on its pipes, and the
    test that killed it with them)."""
    with suppress(AttributeError):  # not Linux: no such call
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != build:
            os._exit(1)


_PR_SET_PDEATHSIG = 1


def _remove_leftovers(site: Path) -> None:
    """Staging folders of builds that were killed before they could clean up."""
    for leftover in site.parent.glob(f".{site.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = site.with_name(f".{site.name}-old")
    if old.exists() and not site.exists():
        os.replace(old, site)  # killed between the two renames of the fallback swap: the old site comes back
    shutil.rmtree(old, ignore_errors=True)


def _swap(new: Path, site: Path) -> None:
    """Put `new` in the place of `site` atomically; afterwards `new` holds the old site (deleted by the caller)."""
    if site.exists() and _exchange(new, site):
        return
    old = site.with_name(f".{site.name}-old")  # no atomic exchange here: two renames, repaired by _remove_leftovers
    if site.exists():
        os.replace(site, old)
    os.replace(new, site)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
