"""The repository automation runs commands that exist (GitHub itself is not reachable from here)."""
from __future__ import annotations

import re
import shlex

import yaml

from generator.cli import COMMANDS, _parser

from .conftest import REPO


def generator_calls(text: str) -> list[list[str]]:
    """The arguments of each `python -m generator ...` and `./dev check ...` in a shell script."""
    calls = re.findall(r"(?:python -m generator|\./dev) ([^\n>|&]+)", text)
    return [shlex.split(call) for call in calls]


def test_workflow_checks_tests_builds_and_deploys():
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert "./dev check --format github" in steps and "./dev test" in steps and "./dev site" in steps
    assert any("generator diff" in s for s in steps)
    cached = [i for i, s in enumerate(workflow["jobs"]["check"]["steps"]) if s.get("uses", "").startswith("actions/cache@")]
    assert [workflow["jobs"]["check"]["steps"][i]["with"]["path"] for i in cached] == [".cache"], \
        "the generator's work, kept from run to run"
    assert cached[0] < steps.index("./dev check --format github"), "restored before the first step that uses it"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    for call in generator_calls("\n".join(steps)):
        if call[0] in COMMANDS:  # ./dev test and ./dev site are the dev script's own
            _parser().parse_args(call)


def test_pre_commit_hooks_run_check():
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = local["repos"][0]["hooks"]
    assert hook["entry"] == "./dev check" and not hook["pass_filenames"]
    (published,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert published["entry"] == "python -m generator check"
    assert set(COMMANDS) >= {"check", "build", "new", "add-source", "schema", "diff", "serve"}
    dev = (REPO / "dev").read_text(encoding="utf-8")
    assert 'check) setup ""; shift; exec "$VENV/bin/python" -m generator check "$@"' in dev
