"""Live preview: regenerate docs/ whenever a source, annotation, template or setting changes, or a commit is made
(the claims' history), and reload the open browser page, built again.

The project's files are watched through the system's own notices (inotify, FSEvents, ReadDirectoryChangesW, by
watchdog), so that nothing is polled while nothing changes. MkDocs stays loaded (live.py) and builds a page when
the browser first asks for it, and again when its docs/ file was rewritten: the preview serves in seconds at any
size. mkdocs.yml or the theme changing makes every page stale.

An edit with errors never stops the server: the problems are printed with their places, docs/ is left as the last
version that passed the checks wrote it, and the server shows the errors at the top of every page it serves. (The
generator wrote them into every page before: at 1,000 articles, an edit with an error took 202 s to show.) Nor does a
site MkDocs cannot build (a mkdocs.yml it cannot read, a theme's template that does not compile): what MkDocs said is
shown at the top of every page, and every change after makes it try again.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext, suppress
from functools import partial
from html import escape
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2
from mkdocs.exceptions import Abort
from watchdog import events
from watchdog.observers import Observer

from . import outputs
from .build import MANIFEST, disk_memo, gather, lasting
from .history import head_log
from .layout import Layout
from .live import LiveSite
from .problems import Problem, Problems, ProblemsFound
from .progress import Progress, on_stderr, quiet
from .views import site_view
from .write import Drawing, Manifest, WriteReport, exclusive, is_owned, workers, write_docs

WAIT_SECONDS = 0.25
"""How often the loop looks up from waiting for a change (to stop when asked)."""
SETTLE_SECONDS = 0.05
"""After the first notice of a change, how long to let an editor's save finish (it can write several times)."""


class Preview:
    """The generated docs/ of the project as it is on disk, or, while an edit has errors, as the last version that
    passed the checks wrote it."""

    def __init__(self, root: Path):
        self.layout = Layout(root)
        self.passed = False
        """Whether docs/ holds a version that passed the checks (written by this preview)."""
        self.first = True
        """Whether no regeneration has run yet: the first starts processes to check and draw on every core (`refresh`);
        an edit is one article, quicker in this process than in processes started for it."""
        self.memo = disk_memo(root)
        self.manifest = Manifest(self.layout.at(MANIFEST), self.layout.at(self.layout.docs))

    def refresh(self, progress: Progress = quiet) -> tuple[Problems, WriteReport]:
        """Check the project and write its docs/; with errors, leave docs/ as the last good version wrote it (the
        server shows the errors above every page: `notice`), or, if none has passed yet, write it as it is.
        `progress` hears each stage as it starts, as a build's does (the first regeneration without `.cache/` takes
        minutes at 1,000 articles: as a build does, it checks on every core, and draws the preview images on the
        other cores while it renders; an edit is checked and drawn in this process). From the render on, it holds the
        project's lock, as images are written as soon as they are drawn: a build running then finishes first, and
        one started meanwhile is told that the project is busy."""
        first, self.first = self.first, False
        docs = self.layout.at(self.layout.docs)
        with workers() if first else nullcontext() as drawers, lasting() as held:
            progress("check")
            with workers() if first else nullcontext() as checkers, held():
                project, problems = gather(self.layout.root, self.memo, checkers)
            if problems and self.passed:
                return problems, WriteReport()
            progress("render")
            with held():
                site = site_view(project, self.memo)
            with exclusive(self.layout.root, wait=True), Drawing(docs, outputs.OWNED, self.manifest, drawers) as drawing:
                try:
                    files = outputs.render(site, self.memo, drawing.add, self.manifest)
                except ProblemsFound as failed:  # a mistake in a template: shown as the other errors are
                    problems.extend(failed.problems)
                    return problems, WriteReport()
                report = WriteReport()
                progress("write", len(files), lambda: len(report.written) + report.unchanged)
                write_docs(docs, files, outputs.OWNED, report, self.manifest, drawing)
        if not problems:
            self.passed = True
            self.memo.forget_unused()
        return problems, report


_NOTICE = """<div class="admonition failure"><p class="admonition-title">Preview out of date: the last edit has errors\
</p><p>%s Fix these, save, and it updates:</p><ul>%s</ul></div>"""
_MKDOCS_FAILED = """<div class="admonition failure"><p class="admonition-title">Preview out of date: MkDocs could not \
build %s</p><p>MkDocs says: %s</p><p>Fix <code>mkdocs.yml</code> or the theme, save, and it updates. Until then, \
pages are shown as they were last built, if they were.</p></div>"""


def notice(problems: Problems, passed: bool, failure: str | None = None) -> bytes:
    """The errors of the last edit, in HTML, for the top of every page the preview serves (none: empty). `passed`:
    whether the pages show a version that passed the checks (`Preview.passed`). `failure`: why MkDocs could not build
    the site, if it could not (`_mkdocs`)."""
    shown = ("This page shows the last version that passed the checks." if passed else
             "No version has passed the checks since the preview started: this page shows the project as it is.")
    items = "".join(f"<li><code>{escape(str(p.origin))}</code>: {escape(p.message)}"
                    f"{f' ({escape(p.hint)})' if p.hint else ''}</li>"
                    for p in problems.sorted() if p.severity == "error")
    return ((_MKDOCS_FAILED % ("the site", escape(failure)) if failure else "") +
            (_NOTICE % (shown, items) if items else "")).encode()


class Changes(events.FileSystemEventHandler):
    """The paths written, created, moved or deleted in the watched folders since they were last taken."""

    WRITES = frozenset((events.EVENT_TYPE_CREATED, events.EVENT_TYPE_DELETED, events.EVENT_TYPE_MODIFIED,
                        events.EVENT_TYPE_MOVED, events.EVENT_TYPE_CLOSED))

    def __init__(self) -> None:
        self.observer = Observer()
        self.paths: set[str] = set()
        self.lock = threading.Lock()
        self.seen = threading.Event()
        self.watched: set[Path] = set()

    def watch(self, folder: Path, recursive: bool = True) -> None:
        """Hear the changes in `folder` (a folder already watched, or none there: nothing)."""
        if folder.is_dir() and folder not in self.watched:
            self.observer.schedule(self, str(folder), recursive=recursive)
            self.watched.add(folder)

    def on_any_event(self, event: events.FileSystemEvent) -> None:
        if event.event_type in self.WRITES:
            with self.lock:
                self.paths.update(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p)
                self.seen.set()

    def take(self, timeout: float) -> set[Path]:
        """What changed, once something has (empty after `timeout` seconds without a change)."""
        if not self.seen.wait(timeout):
            return set()
        time.sleep(SETTLE_SECONDS)
        with self.lock:
            paths, self.paths = self.paths, set()
            self.seen.clear()
        return {Path(p) for p in paths}


class Server(ThreadingHTTPServer):
    """The site, each file made when it is first asked for (`LiveSite.provide`), each page with the errors of the
    last edit at the top of its content (`notice`) and a script that reloads it when the site is built again (a
    request to RELOAD answers once the site's version is newer than the page's)."""

    daemon_threads = True
    RELOAD = "/.preview/reload"

    def __init__(self, address: tuple[str, int], site: LiveSite):
        self.site, self.version, self.changed, self.notice = site, 0, threading.Condition(), b""
        super().__init__(address, partial(_Handler, directory=str(site.site_dir)))

    def reload(self, notice: bytes) -> None:
        with self.changed:
            self.notice = notice
            self.version += 1
            self.changed.notify_all()

    def newer_than(self, version: int, timeout: float = 60) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version > version, timeout)
            return self.version


_CONTENT = re.compile(rb"<article\b[^>]*>")
"""Where a page's content starts (Material's layout): the errors are its first thing."""
_BODY = re.compile(rb"<body\b[^>]*>")

_RELOADER = """<script>(function(){var seen=%d;function wait(){fetch("%s?after="+seen,{cache:"no-store"}).then(function(r)\
{return r.text()}).then(function(v){if(+v>seen)location.reload();else wait()},function(){setTimeout(wait,1000)})}wait()})();\
</script>"""


class _Handler(SimpleHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == Server.RELOAD:
            after = int((parse_qs(urlsplit(self.path).query).get("after") or ["0"])[0] or 0)
            return self._send(str(self.server.newer_than(after)).encode(), "text/plain")
        address = _address(path)
        try:
            local = self.server.site.provide(address)
            if local is None and not path.endswith("/") and self.server.site.provide(f"{address}/index.html"):
                return self._redirect(f"{path}/")  # a folder's address without its slash, as the web server will
        except Exception as error:  # MkDocs' own errors, a theme's template errors, a hook's: the page cannot be shown
            why = _why(error)
            print(f"mkdocs: {address} could not be built: {why}", file=sys.stderr, flush=True)
            failed = (_MKDOCS_FAILED % (f"<code>{escape(address)}</code>", escape(why))).encode()
            if escape(why).encode() in self.server.notice:  # the site's build failed for the same reason: said once
                failed = b""
            return self._page(None, HTTPStatus.INTERNAL_SERVER_ERROR, failed)
        if local is None:
            return self._page(self.server.site.site_dir / "404.html", HTTPStatus.NOT_FOUND)
        if local.suffix == ".html":
            return self._page(local)
        return super().do_GET()

    def do_HEAD(self) -> None:
        with suppress(Exception):  # what is wrong is said when the page itself is asked for
            self.server.site.provide(_address(urlsplit(self.path).path))
        super().do_HEAD()

    def list_directory(self, path):
        self._page(self.server.site.site_dir / "404.html", HTTPStatus.NOT_FOUND)
        return None

    def _page(self, file: Path | None, status: HTTPStatus = HTTPStatus.OK, failed: bytes = b"") -> None:
        """The page in `file` (None, or none there: a bare page that says `status`), with the errors at the top of its
        content (`failed`: why this page could not be built), and the script that reloads it."""
        with self.server.changed:
            version, notice = self.server.version, self.server.notice + failed
        try:
            html = file.read_bytes() if file is not None else None
        except OSError:
            html = None
        if html is None:
            html = f"<!doctype html><title>{status.phrase}</title><body><p>{status.phrase}.</p></body>".encode()
        at = html.rfind(b"</body>")
        at = at if at >= 0 else len(html)
        html = html[:at] + (_RELOADER % (version, Server.RELOAD)).encode() + html[at:]
        if notice:
            content = _CONTENT.search(html) or _BODY.search(html)
            at = content.end() if content else 0
            html = html[:at] + notice + html[at:]
        self._send(html, "text/html; charset=utf-8", status)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass  # a line for every request would bury the problems the preview prints


def _why(error: Exception) -> str:
    """What went wrong in a build of MkDocs, at its place in a template when it has one."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:  # MkDocs' message lacks the place
        return f"{error.filename}:{error.lineno}: {error.message}"
    return str(error) or type(error).__name__


def _address(path: str) -> str:
    """The path in the site of the file a URL's path names (a folder's: its index.html)."""
    address = unquote(path).lstrip("/")
    return f"{address}index.html" if address == "" or address.endswith("/") else address


def serve(root: Path, host: str, port: int) -> int:
    signal.signal(signal.SIGTERM, _stop)  # stop like Ctrl-C
    # watchdog 7 warns, a screenful a time, when a folder created in a watched one is found twice (as it is made, and
    # in its parent's walk), as the first regeneration of a new docs/ does: the second finding is the same watch
    warnings.filterwarnings("ignore", "Callback with id .* already exists for watch", RuntimeWarning)
    lines = _MkDocsLines()
    logging.getLogger("mkdocs").addHandler(lines)
    preview = Preview(root)
    shown: set[Problem] = set()
    layout = preview.layout
    changes = Changes()
    changes.watch(root, recursive=False)  # mkdocs.yml, verdicts.yaml and the other settings
    for place in (*layout.inputs(), layout.docs):
        changes.watch(layout.at(place))
    head = head_log(root)
    if head:
        changes.watch(head.parent, recursive=False)  # a commit: the claims' history
    changes.observer.start()  # before the first build: an edit made while it runs is not missed
    folder = Path(tempfile.mkdtemp(prefix="factcheck-preview-"))
    site = LiveSite(root, folder, f"http://{host}:{port}/", eager=lambda path: not is_owned(path, outputs.OWNED))
    server = Server((host, port), site)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        started = time.perf_counter()
        with on_stderr() as progress:  # the first regeneration can take a minute
            problems, report = preview.refresh(progress)
        _report(problems, started, report, preview.passed, shown)
        failure = _mkdocs(site.build, lines)
        theme = _theme(site, changes)
        server.reload(notice(problems, preview.passed, failure))
        serving.start()
        print(f"serving http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
        while not _stopping.is_set():
            paths = changes.take(WAIT_SECONDS)
            if not paths:
                continue
            inputs = [layout.at(p) for p in layout.inputs()]
            regenerate = head in paths or any(p.is_relative_to(i) for p in paths for i in inputs)
            rebuild = any(p == layout.at(layout.mkdocs) or (theme and p.is_relative_to(theme)) for p in paths)
            written, removed = _handwritten(paths, layout.at(layout.docs))
            if not (regenerate or rebuild or written or removed):
                continue  # the lock file, a cache: nothing the site is made from
            started = time.perf_counter()
            if regenerate:
                problems, report = preview.refresh()
                _report(problems, started, report, preview.passed, shown)
                written, removed = written + report.written, removed + report.deleted
            if rebuild or failure:  # after a failed build, any change may be its fix: the site is built again
                failure = _mkdocs(site.build, lines)
                theme = _theme(site, changes)
            elif written or removed:
                _mkdocs(partial(site.update, written, removed), lines)
            server.reload(notice(problems, preview.passed, failure))
            print(f"[{time.strftime('%H:%M:%S')}] the site shows it, {time.perf_counter() - started:.1f} s after the "
                  "change was heard", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        changes.observer.stop()
        site.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _handwritten(paths: set[Path], docs: Path) -> tuple[list[str], list[str]]:
    """The hand-written docs/ files among `paths` (the generated ones are the preview's own writes): those there
    now, and those gone."""
    found = [p.relative_to(docs).as_posix() for p in paths if p.is_relative_to(docs) and not p.name.startswith(".")]
    mine = [p for p in found if not is_owned(p, outputs.OWNED)]
    return [p for p in mine if (docs / p).is_file()], [p for p in mine if not (docs / p).exists()]


def _mkdocs(build: Callable[[], object], lines: _MkDocsLines) -> str | None:
    """A build of the preview's site: its failure is printed, and returned (the server shows it above every page and
    goes on with what it has); None when it succeeds."""
    lines.errors.clear()
    try:
        build()
    except Exception as error:  # MkDocs' own errors, a theme's template errors, a plugin's: all shown the same
        print(f"mkdocs: the preview's site could not be built: {_why(error)}", file=sys.stderr, flush=True)
        return "; ".join(lines.errors) if isinstance(error, Abort) and lines.errors else _why(error)
    return None


def _theme(site: LiveSite, changes: Changes) -> Path | None:
    """The theme folder of the site's configuration (mkdocs.yml's custom_dir), watched from now on; None when it has
    none, or MkDocs could not read its configuration."""
    theme = site.config.theme.custom_dir if site.config is not None else None
    if not theme:
        return None
    changes.watch(Path(theme))
    return Path(theme)


class _MkDocsLines(logging.Handler):
    """MkDocs' warnings (a broken link in a hand-written page), printed as MkDocs prints them. Its errors are kept
    too, until the next build: what it logs before it stops ("Aborted with a configuration error!") says why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        print(f"mkdocs: {record.levelname.lower()}: {record.getMessage()}", file=sys.stderr, flush=True)
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())


_stopping = threading.Event()
"""Set by SIGTERM. The handler also raises KeyboardInterrupt to stop a regeneration midway, but an exception raised
while Python runs a finalizer (`__del__`, a weakref callback) is printed and dropped: the loop checks this too."""


def _stop(signum, frame) -> None:
    _stopping.set()
    raise KeyboardInterrupt


def _report(problems: Problems, started: float, report: WriteReport, passed: bool, shown: set[Problem]) -> None:
    """A regeneration's line, after its errors and the warnings not printed since they last appeared (`shown`, which
    it updates): at 1,000 articles the synthetic archive has 878 warnings, some 1,750 lines that every save printed
    again, burying the line that says whether it passed."""
    seconds, stamp = time.perf_counter() - started, time.strftime("%H:%M:%S")
    warned = {p for p in problems.items if p.severity == "warning"}
    old = len(warned & shown)
    new = Problems([p for p in problems.items if p.severity == "error" or p not in shown])
    if new.items:
        print(new.render(), flush=True)
    shown.clear()
    shown.update(warned)  # a warning gone and back is printed again
    state = "ok" if not problems else "errors: showing the last good version" if passed else "errors"
    if old:
        state += f"; {old} {'warning' if old == 1 else 'warnings'} as before, not printed again"
    print(f"[{stamp}] regenerated docs/ in {seconds:.2f} s, {len(report.written)} files written ({state})",
          file=sys.stderr, flush=True)
