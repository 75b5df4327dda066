"""Work kept between runs: what a pure function returned for the same inputs, so that an edit to one annotation
file reads, checks and renders that article again and reads every other article's results back.

A result is filed under a digest of the function's name, its arguments (pickled) and the generator itself (its
code and the versions of the libraries it runs): a change to any of them is a miss, never a stale page. Only
functions whose result depends on nothing but their arguments may be kept; the problems they report are kept
with the result and reported again on a hit. The store is the project's `.cache/generator/` folder, git-ignored,
which may be deleted at any time; each run removes what it did not use, so it stays the size of one build.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
import types
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from functools import cache, partial
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, TypeVar

from .problems import Problems

FOLDER = Path(".cache/generator")
"""Under the project's root."""
READ = "read.pickle"
"""In the folder: the files the last run read, their stamps and keys (`Memo.known`), kept as the `latest` of its
name; what is filed by key is in the folder's subfolders."""
BUNDLE = "bundle.pickle"
"""In the folder: the results the last run used, all in one file but for those `keyed` apart (`Memo.bundled`)."""
_LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "dateparser", "syntok", "pillow", "markupsafe")

T = TypeVar("T")


class Memo:
    """Results by digest: kept in this process, and on disk when given a folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.kept: dict[str, Any] = {}
        self.used: set[str] = set()
        self.stored: set[str] | None = None
        """The keys on disk, once known."""
        self.hits = self.misses = self.left = 0
        """Results read back, made, and wanted but not read (`leave`)."""
        self.read: dict[tuple[str, ...], tuple[tuple, str]] = {}
        """Files read before, by this process or the last run that kept its work in `folder` (`recall`): their stamps
        then and the key made from their bytes (`known`)."""
        self.recalled = folder is None
        self.read_changed = False
        self.asked: set[tuple[str, ...]] = set()
        """The files this run asked about (`known`)."""
        self.latests: dict[str, Any] = {}
        """What was left under each name (`keep_latest`)."""
        self.bundled: set[str] | None = None
        """The keys of the results read back together from BUNDLE, once read (`_unbundle`)."""
        self.apart: set[str] = set()
        """The keys of the results kept apart from the bundle (`keyed`)."""
        self.expected: list[Future[list[tuple[str, bytes]]]] = []
        """Work done elsewhere ahead of this run's asking for it (`expect`), until it is first needed."""
        self.ahead: dict[str, bytes] = {}
        """What that work made, by key, pickled as the store keeps it, until it is asked for."""

    def __call__(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)`, or what it returned before for equal arguments."""
        return self.keyed(digest(function.__qualname__, *args), function, *args)

    def keyed(self, key: str, function: Callable[..., T], *args: Any, apart: bool = False) -> T:
        """`function(*args)` filed under `key`, which the caller made from everything the result depends on.
        On disk, an argument that the result holds (a view holds its review), or a part of one (a review
        holds its annotation file's claims: `_parts`), is kept as a reference to it, and this call's argument or
        part is put in its place when it is read back: equal, since the key is the same. `apart`: not kept in the
        bundle (`bundled`), for a result the next run will not read (an article's files, left in docs/)."""
        self.used.add(key)
        if apart:
            self.apart.add(key)
        found = self._find(key, args)
        if found is not None:
            self.hits += 1
            return found[0]
        self.misses += 1
        ahead = self._made_ahead(key, args)
        if ahead is not None:
            return ahead[0]
        result = function(*args)
        self._keep(key, result, args)
        return result

    def made(self, key: str, value: T) -> T:
        """`value`, made elsewhere (another process) by what `key` stands for: kept under it, as `keyed` keeps what
        it makes."""
        self.used.add(key)
        self.misses += 1
        self._keep(key, value, ())
        return value

    def leave(self, key: str) -> None:
        """The result filed under `key` is wanted but need not be read: what is made from it is where it goes, as it
        was (`write.Manifest.kept`). It stays in the store for a run that needs it."""
        self.used.add(key)
        self.left += 1

    def checked(self, problems: Problems, function: Callable[..., T], *args: Any, key: str | None = None) -> T:
        """`function(*args, problems)`: on a hit, the problems it reported are reported again. `key`: the
        digest of the function's name and arguments, when the caller has made it."""
        key = key or digest(function.__qualname__, *args)
        return _reported(problems, self.keyed(key, _reporting, function, *args))

    def checked_all(self, problems: Problems, function: Callable[..., T], calls: Sequence[tuple[str, tuple]],
                    pool: Executor | None = None) -> list[T]:
        """`checked` for each (key, args) of `calls`, in order; what is not kept is computed in `pool`'s
        processes, when given, each writing its result to the store. A result comes back pickled as the store
        keeps it, its arguments as references, and is read back here with this process's arguments in their
        place, as a hit would be: it holds this process's objects, not copies. The processes start on what is
        missing before the rest is read back (a new article is examined while the others are read)."""
        if pool is None:
            return [self.checked(problems, function, *args, key=key) for key, args in calls]
        calls = [(key, (function, *args)) for key, args in calls]
        made = {i: self._submit(pool, key, args) for i, (key, args) in enumerate(calls) if not self.has(key)}
        kept = {i: self.keyed(key, _reporting, *args)  # here, if what is stored cannot be read back
                for i, (key, args) in enumerate(calls) if i not in made}
        for i, future in made.items():  # the processes' results, once every other is read back
            key, args = calls[i]
            self.used.add(key)
            self.misses += 1
            kept[i] = self.kept[key] = _Unpickler(io.BytesIO(future.result()), args).load()
            if self.stored is not None:
                self.stored.add(key)
        return [_reported(problems, kept[i]) for i in range(len(calls))]

    def expect(self, work: Future[list[tuple[str, bytes]]]) -> None:
        """Results being made in another process (by a memo `Ahead` of this one) before this one asks for them: a
        result this memo does not have is looked for among them, waited for then (and what is made under keys it is
        never asked for is only lost work)."""
        self.expected.append(work)

    def _made_ahead(self, key: str, args: tuple) -> tuple[Any] | None:
        """The result made ahead under `key` (`expect`), kept and stored as if made here."""
        for work in self.expected:
            with contextlib.suppress(Exception):  # only a head start: what it did not make is made here
                self.ahead.update(work.result())
        self.expected = []
        data = self.ahead.pop(key, None)
        if data is None:
            return None
        value = self.kept[key] = _Unpickler(io.BytesIO(data), args).load()
        if self.folder is not None and _write_whole(self._path(key), data) and self.stored is not None:
            self.stored.add(key)
        return (value,)

    def _submit(self, pool: Executor, key: str, args: tuple) -> Future[bytes]:
        # the arguments as `checked` hands them to `_reporting` through `keyed`, the function first: a result refers
        # to them by place, so each way of making it reads back what the other stored
        return pool.submit(_made_elsewhere, self._path(key) if self.folder else None, args)

    def has(self, key: str) -> bool:
        """Whether a result is kept under `key` (in this process, or stored: it may still fail to be read). Every
        result the last run used is in its own file, so the bundle need not be read to know."""
        return key in self.kept or (self.folder is not None and os.path.exists(self._path(key)))

    def known(self, paths: tuple[str, ...]) -> str | None:
        """The key made from these files' bytes when they were last read, by this process or the last run in this
        folder, if none has changed since (by size, modification and change times and inode; make and rsync trust
        size and modification time alone), else None: a build after one edit need not read every source and
        annotation file again, nor the live preview after each edit. A file is stat'ed only when it was read before.
        The result filed under the key may be gone (a store emptied by hand): a function given no bytes reads the
        files."""
        if not self.recalled:
            self._recall()
        self.asked.add(paths)
        before = self.read.get(paths)
        if before is None:
            return None
        stamps = tuple(map(_stamp, paths))
        return before[1] if before[0] == stamps and None not in stamps else None

    def remember(self, paths: tuple[str, ...], stamps: tuple, key: str) -> None:
        """`key` was made from the files at `paths` as they were when stamped (`stamp`), before they were read."""
        self.read[paths] = (stamps, key)
        self.read_changed = True

    def _recall(self) -> None:
        """What the last run that kept its work here had read (`_keep_read`)."""
        self.recalled = True
        read = self.latest(READ)
        if type(read) is dict:
            for paths, before in read.items():
                self.read.setdefault(paths, before)

    def _keep_read(self) -> None:
        """Keep for the next run what this one read, of the files it asked about whose results it used (not those of
        a source deleted since, nor the old places of a project moved), when that changed."""
        read = {paths: before for paths, before in self.read.items() if paths in self.asked and before[1] in self.used}
        if self.read_changed or len(read) != len(self.read):
            self.keep_latest(READ, read)
        self.read, self.read_changed, self.asked = read, False, set()

    def latest(self, name: str) -> Any:
        """What this process, or else the last run that kept its work in `folder`, left under `name` (`keep_latest`):
        None when nothing was, or another version of the generator left it (read from the folder once a process).
        Unlike a result, it is not filed by what it was made from: the one who reads it checks that it still holds
        (`history.Reading`)."""
        if name in self.latests or self.folder is None:
            return self.latests.get(name)
        self.latests[name] = value = _read_versioned(os.path.join(self.folder, name))
        return value

    def keep_latest(self, name: str, value: Any) -> None:
        """Leave `value` under `name` for the rest of this process and the next run (`latest`), in place of what was."""
        self.latests[name] = value
        if self.folder is not None:
            _write_versioned(os.path.join(self.folder, name), value)

    def forget_unused(self) -> None:
        """Remove the results this run did not use (after a run that read every input), and keep what it read."""
        for key in set(self.kept) - self.used:
            del self.kept[key]
        self.apart &= self.kept.keys()
        if self.folder is not None:
            self._keep_read()
            if self.stored is None:  # the first time, what earlier processes left (os.scandir: a pathlib glob over
                # the 11,000 results of 1,000 articles took 21 ms, this 6)
                folders = os.scandir(self.folder) if self.folder.is_dir() else ()
                self.stored = {folder.name + name.removesuffix(".pickle") for folder in folders
                               if folder.is_dir() for name in os.listdir(folder.path) if name.endswith(".pickle")}
            for key in self.stored - self.used:
                with contextlib.suppress(OSError):  # left for the next run
                    os.unlink(self._path(key))
            self.stored &= self.used
            self._bundle()
        self.used, self.expected, self.ahead = set(), [], {}

    def _unbundle(self) -> None:
        """The results the last run used, read back together (`_bundle`)."""
        self.bundled = set()
        bundle = _read_versioned(os.path.join(self.folder, BUNDLE)) if self.folder is not None else None
        if type(bundle) is dict:
            for key, value in bundle.items():
                self.kept.setdefault(key, value)
            self.bundled = set(bundle)

    def _bundle(self) -> None:
        """Keep what this run used, but for what it kept `apart`, in one file for the next run to read back at once
        (`_unbundle`), objects shared between results written once: at 1,000 articles, reading back 4,000 results
        one file each took 1.56 s of a build after one edit, and the bundle 0.7 s and what is left of those steps
        0.3 s. Writing it takes longer (1.5 s), so it is written again only when more than a twentieth of it has
        changed: until then, the next run reads the results of the articles edited since from their own files."""
        assert self.folder is not None
        together = {key: value for key, value in self.kept.items() if key not in self.apart}
        changed = len(together.keys() ^ self.bundled) if self.bundled else len(together)
        if changed > len(together) // 20 and _write_versioned(os.path.join(self.folder, BUNDLE), together):
            self.bundled = set(together)

    def _find(self, key: str, args: tuple) -> tuple[Any] | None:
        if key in self.kept:
            return (self.kept[key],)
        if self.folder is None:
            return None
        if self.bundled is None:
            self._unbundle()
            if key in self.kept:
                return (self.kept[key],)
        try:
            with open(self._path(key), "rb") as file:
                value = _Unpickler(file, args).load()
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, IndexError):
            return None  # missing, or from another version of the generator: computed again
        self.kept[key] = value
        return (value,)

    def _keep(self, key: str, value: Any, args: tuple) -> None:
        self.kept[key] = value
        if self.folder is not None and _store(self._path(key), value, args) is not None and self.stored is not None:
            self.stored.add(key)

    def _path(self, key: str) -> str:
        """(A string: at 1,000 articles, a build after one edit looks up some 5,000 results, and pathlib's joins took
        30 ms of it.)"""
        assert self.folder is not None
        return f"{self.folder}/{key[:2]}/{key[2:]}.pickle"


class _Pickler(pickle.Pickler):
    """Pickles our dataclasses as their class and field values (what a digest is made of), not by the field-by-field
    __setstate__ that dataclasses give slotted classes, which was several times slower to read back."""

    def reducer_override(self, obj: Any) -> Any:
        values = _field_values(obj)
        return NotImplemented if values is None else (type(obj), values)


class _Referencing(_Pickler):
    """Pickles the objects among `known` and their parts (`_parts`) as references to them: the path to the first
    place each is found at (pickle's persistent ids); and our dataclasses as a call of their class's maker
    (`_maker`), quicker to read back than their __init__."""

    def __init__(self, file: Any, known: tuple):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.known = _places(known)

    def persistent_id(self, obj: Any) -> int | tuple[int, ...] | None:
        return self.known.get(id(obj))

    def reducer_override(self, obj: Any) -> Any:
        values = _field_values(obj)
        if values is not None:
            return _maker(obj.__class__), values
        cls = _made_by.get(id(obj))  # a maker itself (written once a pickle: pickle's memo refers to it after)
        return NotImplemented if cls is None else (_maker, (cls,))


def _places(known: tuple) -> dict[int, int | tuple[int, ...]]:
    """Each of `known` and their parts, by id, at its first place among them: an argument by its position, a part by
    its path (`_parts`). Those of the last arguments are kept (with the arguments, so that their ids stay theirs): an
    article's files are kept output by output, each made from the same arguments (at 1,000 articles, 6,000 stores;
    finding the places for each took 0.66 s)."""
    global _last
    ids = tuple(map(id, known))
    if _last is not None and _last[0] == ids:
        return _last[2]
    places: dict[int, int | tuple[int, ...]] = {}
    for path, o in _parts(known):
        if not isinstance(o, (bool, int, float, type(None))):
            places.setdefault(id(o), path[0] if len(path) == 1 else path)
    _last = ids, known, places
    return places


_last: tuple[tuple[int, ...], tuple, dict[int, int | tuple[int, ...]]] | None = None


class _Unpickler(pickle.Unpickler):
    """Reads back what _Referencing wrote, the references resolved to the `known` objects given now and their parts,
    each found by following its path, once a load: a view holds some 100 references to its review's parts, and
    listing every part of the review to find them made reading back 1,000 views 0.32 s instead of 0.295."""

    def __init__(self, file: Any, known: tuple):
        super().__init__(file)
        self.known = known
        self.found: dict[tuple[int, ...], Any] = {}
        self.holds: dict[tuple[int, ...], tuple] = {}
        """What the part at each path holds (`_held`), once asked: the parts referred to share their first steps."""

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is int:
            return self.known[pid]
        found = self.found.get(pid)  # a part is never None: None is not referred to
        if found is None:
            found = self.found[pid] = self._holding(pid[:-1])[pid[-1]]
        return found

    def _holding(self, path: tuple[int, ...]) -> tuple:
        held = self.holds.get(path)
        if held is None:
            held = self.holds[path] = _held(self.persistent_load(path[0] if len(path) == 1 else path))
        return held


def _parts(objects: tuple) -> list[tuple[tuple[int, ...], Any]]:
    """`objects`, then what each holds (the fields of our dataclasses, the items of tuples, and the items of a tuple
    so held), and what those hold in turn, to `_DEPTH` levels, in a fixed order, each with its path: its object's
    position, then the position of each step among what the one before holds (`_held`). Equal objects give equal
    parts at the same paths. A result kept by the memo refers to these rather than copying them (a review's anchors
    hold its annotation file's claims, an article's view its sentences): read back, it shares them with the arguments
    given then, as a result made in the same process does."""
    level: list[tuple[tuple[int, ...], Any]] = [((i,), o) for i, o in enumerate(objects)]
    found = list(level)
    for _ in range(_DEPTH):
        below = []
        for path, o in level:
            for j, held in enumerate(_held(o)):
                below.append(((*path, j), held))
                if type(held) is tuple:
                    below.extend(((*path, j, k), item) for k, item in enumerate(held))
        found += below
        level = [(path, o) for path, o in below if type(o) is not tuple]  # a tuple's items are there already
    return found


_DEPTH = 2
"""Two levels reach a review's claims and sentences (review -> annotation file -> its claims), which an article's
view would otherwise copy (at 1,000 articles, reading the views back took 0.73 s at one level)."""


def _held(o: Any) -> tuple:
    return o if type(o) is tuple else _field_values(o) or ()


def _field_values(obj: Any) -> tuple | None:
    """The values of an instance of our dataclasses, in its __init__'s order; None for anything else."""
    values = _values_of(obj.__class__)
    return None if values is None else values(obj)


@cache
def _values_of(cls: type) -> Callable[[Any], tuple] | None:
    """What gives the fields of an instance of `cls`, if it is one of our dataclasses and its __init__ takes them
    all, in order (an attrgetter: the memo asks for them of every part of every argument it refers to)."""
    if not dataclasses.is_dataclass(cls) or not cls.__module__.startswith(__package__ + "."):
        return None
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        return None
    names = [f.name for f in fields]
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


@cache
def _maker(cls: type) -> Callable[..., Any]:
    """What makes an instance of `cls`, one of our dataclasses (`_values_of`), from its field values in order, as its
    __init__ does, and quicker: each slot is set through its descriptor, where a frozen dataclass's __init__ calls
    object.__setattr__ with the field's name (made with exec, as dataclasses makes __init__: a loop over the fields
    would cost more than it saves). Making a claim: 2.8 µs by __init__, 1.4 by its maker; reading back what a build
    after one edit at 1,000 articles reads back (250,000 of our objects): 0.55 → 0.45 s. The class itself when its
    fields are not all slots, or it has a __post_init__."""
    names = [f.name for f in dataclasses.fields(cls)]
    slots: list[Any] = [getattr(cls, name, None) for name in names]
    if hasattr(cls, "__post_init__") or not all(isinstance(s, types.MemberDescriptorType) for s in slots):
        return cls
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope |= {f"set{i}": slot.__set__ for i, slot in enumerate(slots)}
    values = ", ".join(f"v{i}" for i in range(len(names)))
    sets = "".join(f"    set{i}(o, v{i})\n" for i in range(len(names)))
    exec(f"def make({values}):\n    o = new(cls)\n{sets}    return o\n", scope)
    make = scope["make"]
    make.__qualname__ = f"{cls.__qualname__} maker"
    _made_by[id(make)] = cls
    return make


_made_by: dict[int, type] = {}
"""The class each maker makes, by the maker's id (makers live as long as the process: `_maker` keeps them)."""


def _installed() -> dict[str, str]:
    """The version of each distribution installed where this process finds modules, by its normalised name, read
    from the names of their `{name}-{version}.dist-info` (or `.egg-info`) folders, the first found as imports find
    them: importlib.metadata reads the same, but importing it (and the email package it parses metadata with) was
    25 ms of every build."""
    found: dict[str, str] = {}
    for folder in sys.path:
        with contextlib.suppress(OSError):
            for entry in os.listdir(folder or "."):
                stem, dot, suffix = entry.rpartition(".")
                if dot and suffix in ("dist-info", "egg-info"):
                    name, _, version = stem.partition("-")
                    found.setdefault(_normalised(name), version)
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


class Ahead(Memo):
    """A memo for work done in another process ahead of a build (`Memo.expect`): it reads nothing back (every result
    is made), and hands each result back pickled as the store keeps it (`results`), for the build to take up under
    the same key as if it had made it."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[tuple[str, bytes]] = []

    def _keep(self, key: str, value: Any, args: tuple) -> None:
        super()._keep(key, value, args)
        self.results.append((key, _pickled(value, args)))


def _stamp(path: str) -> tuple[int, int, int, int] | None:
    try:
        return stamp(os.stat(path))
    except OSError:
        return None


def stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What `Memo.known` compares a file by: its size, modification and change times, and inode. The change time is
    the system's, set on every write: a file rewritten with the same size whose modification time is then put back
    (`touch -r`, some sync tools) still differs."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def digest(*parts: Any) -> str:
    """A digest of the generator's version and these values: equal values, equal digest.

    The values are pickled without pickle's memo (`fast`), which would otherwise write an object met twice as a
    reference to the first: the bytes would then depend on which equal values happen to be the same object."""
    hashed = hashlib.sha256(generator_version().encode())
    out = io.BytesIO()
    pickler = _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(parts)
    hashed.update(out.getbuffer())
    return hashed.hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder`: their names and bytes."""
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            hashed.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


@cache
def generator_version() -> str:
    """A digest of the generator's code, Python's version and the libraries' versions."""
    hashed = hashlib.sha256(sys.version.encode())
    versions = _installed()
    for library in _LIBRARIES:
        hashed.update(f"{library}={versions.get(_normalised(library), 'none')};".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        hashed.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def _reporting(function: Callable[..., T], *args: Any) -> tuple[T, list, set]:
    problems = Problems()
    result = function(*args, problems)
    return result, problems.items, problems.unread


def _reported(problems: Problems, kept: tuple[T, list, set]) -> T:
    """What `_reporting` kept: its problems reported again, its result returned."""
    result, items, unread = kept
    for problem in items:
        problems.add(problem)
    problems.unread |= unread
    return result


def _made_elsewhere(path: str | None, args: tuple) -> bytes:
    """In a pool's process: `_reporting(*args)` pickled as the store keeps it, and stored at `path`."""
    value = _reporting(*args)
    return _store(path, value, args) or _pickled(value, args)


def _store(path: str | None, value: Any, args: tuple) -> bytes | None:
    """Write `value` (its arguments `args` as references) at `path` whole or not at all: the bytes written, or None
    when it cannot be (no store, a full disk, a value made by a test's stand-in that pickle cannot write)."""
    if path is None:
        return None
    try:
        data = _pickled(value, args)
    except (pickle.PicklingError, AttributeError, TypeError):
        return None
    return data if _write_whole(path, data) else None


def _write_whole(path: str, data: bytes | Callable[[IO[bytes]], object]) -> bool:
    """Write `data` at `path` whole or not at all, making its folder; False when it cannot be (a full disk): a cache
    that cannot be written only makes the next run slower. `data`: bytes, or what writes them to a file."""
    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".partial")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data) if isinstance(data, bytes) else data(file)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, AttributeError, TypeError):  # a full disk; a value pickle cannot write
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


def _read_versioned(path: str) -> Any:
    """What `_write_versioned` left at `path`; None when nothing was, it is damaged, or another version of the
    generator left it."""
    try:
        with open(path, "rb") as file:
            version, value = _Unpickler(file, ()).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError,
            IndexError, KeyError):
        return None
    return value if version == generator_version() else None


def _write_versioned(path: str, value: Any) -> bool:
    """Leave `value` at `path` (as a result is kept, with the generator's version), written straight to the file:
    the bundle is 37 MB at 1,000 articles. False when it cannot be written."""
    return _write_whole(path, partial(_dump, (generator_version(), value)))


def _dump(value: Any, file: IO[bytes]) -> None:
    _Referencing(file, ()).dump(value)


def _pickled(value: Any, args: tuple) -> bytes:
    out = io.BytesIO()
    _Referencing(out, args).dump(value)
    return out.getvalue()
