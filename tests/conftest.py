"""Shared test helpers: throwaway projects built from the real templates and scale."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import copy_machinery
from generator.build import render
from generator.model import Project
from generator.outputs import previews

REPO = Path(__file__).resolve().parent.parent


def copy_project(dst: Path, with_content: bool = True) -> Path:
    """A copy of this project's machinery (and, optionally, its sources and annotations) at `dst`."""
    copy_machinery(dst)
    if with_content:
        shutil.copytree(REPO / "sources", dst / "sources")
        shutil.copytree(REPO / "annotations", dst / "annotations")
        shutil.copy2(REPO / "published.yaml", dst / "published.yaml")
    else:
        (dst / "sources").mkdir()
        (dst / "annotations").mkdir()
    return dst


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def texts(project: Project) -> dict[str, str]:
    """The generated files that are text, by path under docs/, decoded: an article's files come as UTF-8 (how a
    build holds them), the site's as str; the preview images are left out."""
    return {path: content.decode("utf-8") if isinstance(content, bytes) else content
            for path, content in render(project).items()
            if isinstance(content, str | bytes) and not path.startswith(previews.OWNS)}


def run_generator(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args],
                          cwd=REPO, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The real project, copied and built once with MkDocs: `<root>/site` is the published site."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, started once for every browser test."""
    from .browsing import chromium
    with chromium() as browser:
        yield browser
