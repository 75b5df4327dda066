"""What the formats of the editors' files fix that the rest of the generator needs, without their validator.

The validator (schema.py, made with pydantic) is imported only where a file is validated (load.py): a build whose
files are all as the last one read them, or `check` run again, never imports pydantic (0.13 s at each start).
"""
from __future__ import annotations

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))})
RESERVED_MESSAGE = "is a device name on Windows (con, prn, aux, nul, com1-9, lpt1-9), so it cannot be a folder's name"

UNREVIEWED = "unreviewed"
"""The verdict of a stub that `python -m generator new` writes: counted as not yet reviewed, never published."""
REQUIRED_WHEN_REVIEWED = ("summary", "note", "published")

SCHEMA_DIR = "schema"
SCHEMA_FILES = ("annotations.schema.json", "source-meta.schema.json", "offices.schema.json")
"""The published JSON Schemas (`python -m generator schema` writes them), by file name under schema/."""
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_DIR}/annotations.schema.json"
