"""Static fact-check report site generator: sources + annotations -> Markdown pages -> MkDocs site."""

GC_THRESHOLD = (50_000, 20, 20)
"""The garbage collector's thresholds for a command (`python -m generator` sets them before importing the rest). A
build holds a million small objects that live until it ends (every article's review and view, made or read back
from the memo). With the default threshold (a collection every 700 allocations) its full collections walked them
again and again as they piled up: a fifth of a build after one edit at 1,000 articles. Collecting every 50,000
allocations, and the older generations twice as seldom, keeps the collector (cycles are rare here: our values are
trees of frozen dataclasses) without that cost."""
