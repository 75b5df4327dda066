"""Earlier versions of a project file, from git: what a drifted annotation file was written against."""
from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


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
