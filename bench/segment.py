"""Sentence splitting: the English Golden Rules score and the speed, in sentences per second.

    .venv/bin/python -m bench.segment

Each Golden Rules case is segmented as a one-line capture would be (`segment.cut_blocks`, then
`segment.split_sentences`). A list item's marker ("1.", "•") is not part of our sentence (the page shows it as the
list's marker), so a sentence is read with any text between it and the previous one ("1. The first item"). The
speed is measured on the five real captures, repeated. The last line printed is one JSON object.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from generator.segment import cut_blocks, split_sentences

REPO = Path(__file__).resolve().parent.parent
GOLDEN_RULES = REPO / "tests" / "fixtures" / "golden-rules-en.yaml"


def sentences_as_read(text: str) -> list[str]:
    """The sentences of `text`, each with the markers before it, stripped."""
    sentences = split_sentences(text, cut_blocks(text, []))
    read, previous_end = [], 0
    for sentence in sentences:
        read.append(text[previous_end:sentence.end].strip())
        previous_end = sentence.end
    return read


def golden_rules() -> tuple[int, list[tuple[str, list[str], list[str]]]]:
    """(cases passed, [(text, expected, got)] for each failure)."""
    cases = yaml.safe_load(GOLDEN_RULES.read_text(encoding="utf-8"))
    failures = [(c["text"], c["sentences"], got) for c in cases if (got := sentences_as_read(c["text"])) != c["sentences"]]
    return len(cases) - len(failures), failures


def speed(seconds: float = 2.0) -> float:
    """Sentences per second over the real captures, segmented again and again for about `seconds`."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "sources").glob("*/capture.txt"))]
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            count += len(split_sentences(text, cut_blocks(text, [])))
    return count / (time.perf_counter() - start)


def main() -> None:
    passed, failures = golden_rules()
    for text, expected, got in failures:
        print(f"FAIL {text!r}\n  expected {expected}\n  got      {got}")
    rate = speed()
    print(f"Golden Rules (English): {passed} of {passed + len(failures)}; {rate:,.0f} sentences per second")
    print(json.dumps({"golden_rules_passed": passed, "golden_rules_cases": passed + len(failures),
                      "failing": [t for t, _, _ in failures], "sentences_per_second": round(rate)}))


if __name__ == "__main__":
    main()
