"""The published JSON Schema agrees with the validator; `new` and `add-source` start work correctly."""
from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import yaml

from generator.build import gather

from .conftest import REPO, run_generator
from .helpers import CAPTURE, SETTINGS, annotation, mini_project

BROKEN = REPO / "tests" / "fixtures" / "broken"
SCHEMA = json.loads((REPO / "schema" / "annotations.schema.json").read_text(encoding="utf-8"))
# Defects the schema catches too (what an editor's YAML plugin shows while typing):
SCHEMA_REJECTS = ["bad-claim-id", "boolean-verdict", "empty-note", "list-where-text-expected", "malformed-date",
                  "malformed-url", "missing-key", "non-http-url", "number-where-text-expected", "top-level-not-a-mapping",
                  "truth-verdict-without-evidence", "unknown-key", "unknown-verdict"]
# Defects only the validator can see (they need the capture, other files, or YAML 1.1's reading of the text):
VALIDATOR_ONLY = ["another-capture", "date-where-text-expected", "duplicate-claim-id", "duplicate-key",
                  "quote-across-sentences", "quote-matches-nothing", "quote-matches-one-sentence-several-times",
                  "quote-matches-several-places"]
# Defects no schema can judge, because the file is not YAML at all (the editor's YAML plugin reports them):
NOT_YAML = ["yaml-syntax"]


def yaml_1_2(text: str):
    """Read YAML as editors' YAML 1.2 tools do: true/false are booleans, dates stay text."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
    for first in "yYnNoO":  # YAML 1.2 has no yes/no/on/off booleans
        Loader.yaml_implicit_resolvers[first] = [(t, r) for t, r in Loader.yaml_implicit_resolvers.get(first, [])
                                                 if t != "tag:yaml.org,2002:bool"]
    return yaml.load(text, Loader=Loader)


def schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(yaml_1_2(text))]


def test_every_broken_fixture_is_classified():
    assert sorted(SCHEMA_REJECTS + VALIDATOR_ONLY + NOT_YAML) == sorted(p.stem for p in BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_schema_rejects_what_the_validator_rejects(name):
    assert schema_errors((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", VALIDATOR_ONLY)
def test_schema_accepts_what_only_the_validator_can_see(name):
    text = (BROKEN / f"{name}.yaml").read_text(encoding="utf-8")
    assert schema_errors(text) == []


@pytest.mark.parametrize("name", NOT_YAML)
def test_files_that_are_not_yaml_never_reach_the_schema(name):
    with pytest.raises(yaml.YAMLError):
        yaml_1_2((BROKEN / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted((REPO / "annotations").glob("*.yaml")), ids=lambda p: p.stem)
def test_schema_accepts_every_real_annotation_file(path):
    assert schema_errors(path.read_text(encoding="utf-8")) == []


REAL_FILES = [(p, "annotations") for p in sorted((REPO / "annotations").glob("*.yaml"))] + [
    (p, "source-meta") for p in sorted((REPO / "sources").glob("*/meta.yaml"))] + [
    (REPO / "knowledge" / "offices.yaml", "offices")]


@pytest.mark.parametrize("path, kind", REAL_FILES, ids=lambda v: v.parent.name if hasattr(v, "parent") else v)
def test_every_real_file_passes_its_schema_when_read_the_yaml_1_1_way(path, kind):
    """Dates are quoted, so PyYAML's safe_load (like js-yaml's default and ajv-cli) reads the text the schema
    describes, not date objects."""
    schema = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert errors == []


def test_committed_schema_is_current(tmp_path):
    root = mini_project(tmp_path, annotation())
    shutil.rmtree(root / "schema")
    assert run_generator(root, "schema").returncode == 0
    for name in ("annotations.schema.json", "source-meta.schema.json", "offices.schema.json"):
        assert (root / "schema" / name).read_text(encoding="utf-8") == (REPO / "schema" / name).read_text(encoding="utf-8")


def test_new_writes_one_unreviewed_stub_per_sentence(tmp_path):
    root = mini_project(tmp_path)
    result = run_generator(root, "new", "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "annotations" / "demo.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/annotations.schema.json\n")
    assert schema_errors(text) == []
    assert '  - id: demo-s2\n    quote: "The talks, chaired by General Daniel K. Kane, involved the UK and France."\n' \
           "    verdict: unreviewed\n" in text
    assert "reviewers: [tester]\n" in text  # the first editor of factcheck.yaml, to be replaced as needed
    (root / "factcheck.yaml").write_text(SETTINGS.replace("coverage: ignore", "coverage: error"), encoding="utf-8")
    project, problems = gather(root)
    assert [p.format() for p in problems.items] == [
        "sources/demo/capture.txt:1:1: error: 0 of 5 sentences reviewed; 5 unreviewed, the first: s-bca904cc "
        "'Allies Meet On Guarantees'\n"
        "    hint: annotate them in annotations/demo.yaml, or set checks: {coverage: ignore} in factcheck.yaml"]
    assert len(project.reviews[0].pending) == 5 and project.reviews[0].anchors == ()
    again = run_generator(root, "new", "demo")
    assert again.returncode == 1 and "already exists" in again.stdout


def test_add_source_copies_the_capture_byte_for_byte(tmp_path):
    root = mini_project(tmp_path, annotation())
    capture = tmp_path / "captured.txt"
    capture.write_bytes("A headline\n\nSome text\u00a0— here.\r\n".encode("utf-8"))
    result = run_generator(root, "add-source", str(capture), "--slug", "new-story", "--title", "A headline",
                           "--published", "2025-02-12")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "sources/new-story/capture.txt").read_bytes() == capture.read_bytes()
    meta = yaml.safe_load((root / "sources/new-story/meta.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "A headline" and meta["publisher"] == "unknown" and meta["language"] == "en"
    _, problems = gather(root)
    assert not problems, problems.render()
    again = run_generator(root, "add-source", str(capture), "--slug", "new-story")
    assert again.returncode == 1 and "captures are never replaced" in again.stdout
    assert (root / "sources/demo/capture.txt").read_text(encoding="utf-8") == CAPTURE  # untouched
