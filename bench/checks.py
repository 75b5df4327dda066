"""Benchmark: the automated date and office-holder checks, per article.

Target (issue: automated consistency checks): both checks together under 50 ms per article on average.
Machines here are shared and noisy, so the report also gives the time of segmenting the same article
in the same run, as a ratio that does not depend on the machine's speed.

    .venv/bin/python -m bench.checks [--rounds 20]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generator.checks import automated
from generator.layout import Layout
from generator.load import load_offices, load_sources
from generator.problems import Problems
from generator.segment import segment_article

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    problems = Problems()
    offices = load_offices(Layout(ROOT), problems)
    sources = load_sources(Layout(ROOT), problems)
    articles = [segment_article(meta, text, problems) for meta, text in sources]
    automated(articles[0], offices)  # warm up: dateparser builds its language data on first use
    checks, segments = [], []
    for _ in range(args.rounds):
        for (meta, text), article in zip(sources, articles, strict=False):
            start = time.perf_counter()
            segment_article(meta, text, Problems())
            segments.append(time.perf_counter() - start)
            start = time.perf_counter()
            automated(article, offices)
            checks.append(time.perf_counter() - start)
    mean_ms = statistics.mean(checks) * 1000
    print(f"articles: {len(articles)}, rounds: {args.rounds}")
    print(f"checks per article: mean {mean_ms:.2f} ms, median {statistics.median(checks) * 1000:.2f} ms, "
          f"max {max(checks) * 1000:.2f} ms (target < {TARGET_MS:.0f} ms)")
    print(f"segmenting per article: mean {statistics.mean(segments) * 1000:.2f} ms; "
          f"checks / segmenting = {statistics.mean(checks) / statistics.mean(segments):.2f}")
    print("PASS" if mean_ms < TARGET_MS else "OVER TARGET")
    return 0 if mean_ms < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
