"""A one-article project written from strings, for tests that assert exact messages."""
from __future__ import annotations

import hashlib
import os
import subprocess
import textwrap
from pathlib import Path

from generator.formats import MODELINE

from .conftest import copy_project, write_files

CAPTURE = (
    "Allies Meet On Guarantees\n"
    "The talks, chaired by General Daniel K.\nKane, involved the UK and France.Deputy Secretary Jones spoke.\n"
    "The UK offered troops. France offered “air cover” too.\n"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


META = """\
title: Allies Meet On Guarantees
publisher: Example News
url: https://example.org/allies
author: unknown
published: 2025-08-20
captured: unknown
language: en
capture_sha256: {sha}
"""

CLAIM = """\
  - id: kane-is-caine
    quote: chaired by General Daniel K. Kane
    verdict: inaccurate
    summary: The chair was Gen. Dan Caine.
    note: Gen. Dan Caine chaired the meeting.
    evidence:
      - url: https://example.org/caine
        title: Caine chairs
        publisher: Example
        accessed: 2026-11-22
    published: 2026-11-22
"""


SETTINGS = """\
checks:           # these tests look at other problems
  coverage: ignore
  excerpts: ignore
  site-settings: ignore  # the real mkdocs.yml still holds placeholder addresses
editors:
  - id: tester
    name: Test Editor
    role: Reviews test articles
    profile: Exists only in tests.
"""


def annotation(claims: str = CLAIM, sha_value: str | None = None, extra: str = "") -> str:
    return (
        f"{MODELINE}\n"
        "article: demo\n"
        f"capture_sha256: {sha_value or sha(CAPTURE)}\n"
        "reviewers: [tester]\n"
        "assessment:\n  summary: A test article.\n"
        f"{extra}"
        "claims:\n" + claims
    )


def mini_project(root: Path, annotations: str | None = None, capture: str = CAPTURE, meta: str | None = None) -> Path:
    copy_project(root, with_content=False)
    files = {
        "factcheck.yaml": SETTINGS,
        "sources/demo/capture.txt": capture.encode("utf-8"),
        "sources/demo/meta.yaml": meta if meta is not None else META.format(sha=sha(capture)),
    }
    if annotations is not None:
        files["annotations/demo.yaml"] = annotations
    write_files(root, files)
    return root


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def git(root: Path, *args: str, day: str | None = None) -> str:
    """`git ARGS` in `root` as an editor, its output; `day` (YYYY-MM-DD): the date of the commit it makes."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    if day:
        env |= {"GIT_AUTHOR_DATE": f"{day}T10:00:00Z", "GIT_COMMITTER_DATE": f"{day}T10:00:00Z"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout


class Noted:
    """Lines written down in a file, by this process or by the processes a build or preview forks from it (which a
    list in memory would not hear): what a test's stand-in for a generator function notes of its calls."""

    def __init__(self, path: Path):
        self.path = path
        path.touch()

    def add(self, *lines: str) -> None:
        with self.path.open("a", encoding="utf-8") as file:
            file.writelines(f"{line}\n" for line in lines)

    def taken(self) -> list[str]:
        """The lines noted since the last call, in order."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        self.path.write_text("", encoding="utf-8")
        return lines
