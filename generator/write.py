"""Write the generated pages into docs/, then build site/ with MkDocs, all or nothing.

docs/ mixes hand-written pages with generated ones; this module touches only the
paths the outputs own (`outputs.OWNED`), writes a file only when its content
changed (so MkDocs' --dirty and editors' watchers see real changes only), and
removes generated files that are no longer produced. The site is built into a
temporary folder next to site/ and swapped in only when MkDocs succeeded.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


def is_owned(path: str, owned: tuple[str, ...]) -> bool:
    return any(path == g or (g.endswith("/") and path.startswith(g)) for g in owned)


def write_docs(docs: Path, files: dict[str, str], owned: tuple[str, ...]) -> WriteReport:
    """Make the owned paths of docs/ hold exactly `files`: `owned` lists files and folders (ending in /)."""
    report = WriteReport()
    for path in files:
        if not is_owned(path, owned):
            raise ValueError(f"generator tried to write {path}, which is not a generated path")
    for path, content in sorted(files.items()):
        target = docs / path
        data = content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
        report.written.append(path)
    for folder in (g for g in owned if g.endswith("/")):
        root = docs / folder
        if not root.is_dir():
            continue
        for existing in sorted(root.rglob("*"), reverse=True):
            rel = existing.relative_to(docs).as_posix()
            if existing.is_file() and rel not in files:
                existing.unlink()
                report.deleted.append(rel)
            elif existing.is_dir() and not any(existing.iterdir()):
                existing.rmdir()
    return report


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SiteBuildFailed(Exception):
    """MkDocs refused the pages (in strict mode a warning is enough); its output says why."""


def build_site(root: Path, site: Path) -> None:
    """Run `mkdocs build --strict` into a fresh folder and swap it in for `site` only on success."""
    site = site.resolve()
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        result = subprocess.run(
            # not --quiet: it hides the warnings that --strict must count
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)],
            cwd=root, capture_output=True, text=True)
        if result.returncode != 0:
            raise SiteBuildFailed((result.stdout + result.stderr).strip())
        _swap(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, site: Path) -> None:
    old = site.with_name(f".{site.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(new, site)
    shutil.rmtree(old, ignore_errors=True)
