"""Live preview: regenerate docs/ whenever a source, annotation, template or setting changes, and let
`mkdocs serve` rebuild and reload the open browser page.

An edit with errors never stops the server: the problems are printed with their places, and every page
shows them in a banner above the last version that passed the checks.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import outputs
from .build import MANIFEST, disk_memo, gather, render
from .layout import Layout
from .model import Project
from .problems import Problems
from .write import Manifest, exclusive, write_docs

POLL_SECONDS = 0.25


class Preview:
    """The generated docs/ of the project as it is on disk, falling back to the last good version."""

    def __init__(self, root: Path):
        self.layout = Layout(root)
        self.last_good: Project | None = None
        self.seen: dict[Path, tuple[int, int]] = {}
        self.memo = disk_memo(root)
        self.manifest = Manifest(self.layout.at(MANIFEST))

    def changed(self) -> bool:
        now = {}
        for name in self.layout.inputs():
            path = self.layout.at(name)
            for file in ([path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []):
                if file.is_file():
                    stat = file.stat()
                    now[file] = (stat.st_mtime_ns, stat.st_size)
        changed, self.seen = now != self.seen, now
        return changed

    def refresh(self) -> Problems:
        project, problems = gather(self.layout.root, self.memo)
        if not problems:
            self.last_good = project
        shown = self.last_good or project
        notice = problems.sorted() if problems else None
        files = render(shown, notice, self.memo)
        with exclusive(self.layout.root, wait=True):  # a build started meanwhile finishes first
            write_docs(self.layout.at(self.layout.docs), files, outputs.OWNED, manifest=self.manifest)
        if not problems:
            self.memo.forget_unused()
        return problems


def serve(root: Path, host: str, port: int) -> int:
    signal.signal(signal.SIGTERM, _stop)  # stop like Ctrl-C, so the MkDocs server is stopped too
    preview = Preview(root)
    preview.changed()
    _report(preview.refresh())
    # not strict: a preview shows what it can; --dirty rebuilds only the pages that changed
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr", f"{host}:{port}"],
                              cwd=root)
    print(f"serving http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        while server.poll() is None and not _stopping.is_set():
            time.sleep(POLL_SECONDS)
            if preview.changed():
                _report(preview.refresh())
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


_stopping = threading.Event()
"""Set by SIGTERM. The handler also raises KeyboardInterrupt to stop a regeneration midway, but an exception raised
while Python runs a finalizer (`__del__`, a weakref callback) is printed and dropped: the loop checks this too."""


def _stop(signum, frame) -> None:
    _stopping.set()
    raise KeyboardInterrupt


def _report(problems: Problems) -> None:
    stamp = time.strftime("%H:%M:%S")
    if problems.items:
        print(problems.render(), flush=True)
    state = "errors: showing the last good version" if problems else "ok"
    print(f"[{stamp}] regenerated docs/ ({state})", file=sys.stderr, flush=True)
