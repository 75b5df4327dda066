"""The README describes the code as it is: its module table names every module of the package, and no other."""
from __future__ import annotations

import re

from .conftest import REPO


def test_the_module_table_lists_every_module_of_the_package():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(generator/[\w/]+\.py)` \|", readme, flags=re.M))
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")} - {"generator/__init__.py"}
    assert sorted(modules - listed) == [], "modules missing from README's table"
    assert sorted(listed - modules) == [], "README's table names modules that do not exist"


def test_every_test_module_is_named_after_a_stage():
    stages = ("load", "segment", "anchor", "check", "render", "write", "site", "cmd", "problems", "readme")
    names = [p.stem for p in (REPO / "tests").glob("test_*.py")]
    assert [n for n in names if not n.removeprefix("test_").startswith(stages)] == []
