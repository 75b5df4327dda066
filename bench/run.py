"""The scale benchmark: build a synthetic archive from scratch, edit it once, and measure what readers download.

    .venv/bin/python -m bench.run --articles 1000 [--claims-per-article all] [--revisions 3000] [--no-preview] [--keep DIR]

Steps, each in its own process, as an editor would run them:
1. `bench.corpus` writes an archive of N articles (a git repository, with `--revisions` commits after its first
   two; not timed).
2. `python -m generator build --verbose` from scratch: its stage lines time the generator (start to `stage: mkdocs`)
   and MkDocs (to `stage: done`); the peak memory is the largest sum of the process tree's resident memory
   (Pss, sampled: MkDocs runs one process a core) or of its largest process (wait4), whichever is larger.
3. One claim summary is edited; `build --docs-only` regenerates docs/ (`files_rewritten`); five times, one edit
   after another (`incremental_each_s`, the first after the build from scratch; `incremental_s`, their median: one
   sample moved by half a second on a busy machine). The disk is synced first (as it would have settled before an
   editor's next edit), so that the edit is not timed against the writing out of the gigabytes the build just wrote.
4. `python -m generator serve` is started on the built archive and timed until it serves its home page
   (`preview_start_s`); the same kind of edit is made, and the served claim page is polled until it shows it
   (`preview_s`); then an edit with an error, until the page shows the error (`preview_error_s`), and its fix
   (`preview_fixed_s`).
5. Chromium (Debian's, through Playwright) opens a claim page with an empty cache (`claim_page_bytes`: every
   response body, uncompressed as served) and runs one search (`search_bytes_per_query`: what the search fetches).
6. The edits are committed, as one pull request would be (one claim summary changed), and `python -m generator diff
   HEAD~1`, which the pull-request check runs, is timed (`diff_s`; `diff_pages`: the pages it says change); then
   `build --docs-only`, the first build after the commit, which reads the claims' history on from the last commit
   read (`committed_s`).

Human-readable lines go first; the last line is one JSON object. Figures are seconds, megabytes and bytes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generator.shards import processes
from tests.browsing import chromium, free_port, page_weight, search, served

from .corpus import PULL_REQUEST_COMMIT, commit, make_corpus, sentence_pool

PYTHON = sys.executable
SEARCH_QUERY = "Hegseth"
"""A name in many of the real sentences the synthetic articles are made of: a search with many results."""


EDITS = 5
"""Edits timed one after another (`incremental_s` is their median)."""


def timed_build(root: Path, *args: str) -> dict:
    """Run `python -m generator build --verbose ARGS` and time its stages (seconds from the process start)."""
    start = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-m", "generator", "--root", str(root), "build", "--verbose", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stages, lines, tree = {}, [], TreeMemory(process.pid)
    for line in process.stderr:
        lines.append(line)
        if line.startswith("stage: "):
            tree.stage = line.split(": ", 1)[1].strip()
            stages[tree.stage] = time.perf_counter() - start
    tree.stop()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"the build failed:\n{''.join(lines[-40:])}")
    written = re.search(r"docs: (\d+) written", "".join(lines))
    return {"stages": stages, "total_s": total, "peak_rss_mb": max(usage.ru_maxrss / 1024, *tree.peaks.values()),
            "peak_by_stage_mb": {stage: round(mb) for stage, mb in tree.peaks.items()},
            "files_rewritten": int(written[1]) if written else None}


def durations(stages: dict[str, float]) -> dict[str, float]:
    """How long each stage took, from the times (since the start) at which each began; `start` is Python's start
    and the imports, until the first stage."""
    starts = sorted(stages.items(), key=lambda item: item[1])
    ends = [t for _, t in starts[1:]]
    return {"start": round(starts[0][1], 2)} | {name: round(end - began, 2)
                                                for (name, began), end in zip(starts, ends, strict=False)}


class TreeMemory:
    """The largest sum of the memory of a process and its descendants in each stage, sampled four times a second
    from /proc while it runs. Each counts its proportional share (Pss) of the pages it shares: the workers that
    draw the preview cards are forks of the generator, and their resident sizes would count its memory thrice."""

    def __init__(self, pid: int):
        self.pid, self.stage, self.peaks = pid, "start", {"start": 0.0}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()

    def _sample(self) -> None:
        while not self.stopped.wait(0.25):
            children: dict[int, list[int]] = {}
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # ended meanwhile
                children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
            tree, kib = [self.pid], 0
            while tree:
                pid = tree.pop()
                tree += children.get(pid, [])
                try:
                    pss = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
                except OSError:
                    continue  # ended meanwhile
                kib += int(pss[1]) if pss else 0
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), kib / 1024)


def edited_file(root: Path) -> Path:
    """The annotation file the benchmark edits: the middle article's."""
    files = sorted((root / "annotations").glob("*.yaml"))
    return files[len(files) // 2]


def edit_one_summary(root: Path, marker: str) -> tuple[str, str]:
    """Change the first claim summary of the middle article (`edited_file`); (claim id, the new words). The words
    replace an earlier edit's, so a summary stays within its length however many edits are made."""
    path = edited_file(root)
    text = path.read_text(encoding="utf-8")
    claim = re.search(r'"id": "([^"]+)"', text)
    assert claim is not None, path
    words = f"Edited {marker}"
    at = text.index('"summary": "', claim.end()) + len('"summary": "')
    earlier = re.match(r"Edited [^:]*: ", text[at:])
    rest = text[at + (earlier.end() if earlier else 0):]
    path.write_text(text[:at] + f"{words}: " + rest, encoding="utf-8")
    return claim[1], words


def preview_seconds(root: Path, marker: str, edits: int = 3, timeout: float = 900) -> dict:
    """Start the live preview and time it until it serves its home page (`preview_start_s`); measure the processor
    time it takes while nothing changes (`preview_idle_cpu`: seconds a second); then make `edits` edits one after
    another and time each until the claim page shows it (`preview_s`: the median), and the generator's part of it,
    as the preview prints it (`preview_regenerate_s`: the median; `preview_files_written`: by each)."""
    port, started = free_port(), time.perf_counter()
    server = subprocess.Popen([PYTHON, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    regenerated = _regenerations(server)
    try:
        home = f"http://127.0.0.1:{port}/"
        _wait_for(lambda: _fetch(home) is not None, timeout, "the preview never served its home page")
        start_s = time.perf_counter() - started
        time.sleep(2)  # let the first build settle, so the edit is the only change
        os.sync()
        used, start = _cpu_seconds(server.pid), time.perf_counter()
        time.sleep(5)
        idle = (_cpu_seconds(server.pid) - used) / (time.perf_counter() - start)
        seconds, generator = [], []
        for n in range(edits):
            before = len(regenerated)
            claim_id, words = edit_one_summary(root, f"{marker} {n + 1}")
            start = time.perf_counter()
            page = f"{home}claims/{claim_id}/"
            _wait_for(lambda: words in (_fetch(page) or ""), timeout, "the preview never showed the edit")  # noqa: B023
            seconds.append(time.perf_counter() - start)
            _wait_for(lambda: len(regenerated) > before, 10, "the preview never said it regenerated docs/")  # noqa: B023
            generator.append(regenerated[before])
            time.sleep(1)
        error_s = error_seconds(root, page, timeout)
        return {"preview_start_s": round(start_s, 2), "preview_s": round(statistics.median(seconds), 2),
                "preview_each_s": [round(s, 2) for s in seconds],
                "preview_regenerate_s": statistics.median(s for s, _ in generator),
                "preview_files_written": [files for _, files in generator], "preview_idle_cpu": round(idle, 3),
                **error_s}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print("the preview did not stop within 30 s of SIGTERM: killed", file=sys.stderr)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def error_seconds(root: Path, page: str, timeout: float) -> dict:
    """An edit with an error (an unknown verdict in the edited article's file), timed until the served claim page
    shows the errors (`preview_error_s`), then its fix, until the page no longer does (`preview_fixed_s`)."""
    path = edited_file(root)
    good = path.read_text(encoding="utf-8")
    shown = "the last edit has errors"
    try:
        path.write_text(re.sub(r'"verdict": "[^"]+"', '"verdict": "no-such-verdict"', good, count=1), encoding="utf-8")
        start = time.perf_counter()
        _wait_for(lambda: shown in (_fetch(page) or ""), timeout, "the preview never showed the error")
        error_s = time.perf_counter() - start
        time.sleep(1)
    finally:
        path.write_text(good, encoding="utf-8")
    start = time.perf_counter()
    _wait_for(lambda: shown not in (_fetch(page) or shown), timeout, "the preview never showed the fix")
    return {"preview_error_s": round(error_s, 2), "preview_fixed_s": round(time.perf_counter() - start, 2)}


def _regenerations(server: subprocess.Popen) -> list[tuple[float, int]]:
    """The preview's regenerations of docs/ as it reports them on its standard error: (seconds, files written),
    appended as they are printed (by a thread, which also keeps the pipe from filling)."""
    found: list[tuple[float, int]] = []

    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            if match := re.search(r"regenerated docs/ in ([\d.]+) s, (\d+) files written", line):
                found.append((float(match[1]), int(match[2])))

    threading.Thread(target=read, daemon=True).start()
    return found


def _cpu_seconds(pid: int) -> float:
    """The processor time a process has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait_for(condition, timeout: float, failure: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(failure)
        time.sleep(0.05)


def reader_costs(site: Path) -> dict:
    """A claim page with everything it loads, and one search, in Chromium with an empty cache."""
    claim = sorted((site / "claims").glob("*/index.html"))[0].parent.name
    with served(site) as base, chromium() as browser:
        page_bytes = page_weight(browser, f"{base}claims/{claim}/")
        results, search_bytes = search(browser, base, SEARCH_QUERY)
    return {"claim_page_bytes": page_bytes, "search_bytes_per_query": search_bytes, "search_query": SEARCH_QUERY,
            "search_results": len(results)}


STOCK_CONFIG = """site_name: Stock
theme:
  name: material
  font: false
plugins: []
nav:
  - Home: index.md
not_in_nav: |
  /p/
"""


def stock_mkdocs_seconds(folder: Path, pages: int) -> float:
    """`mkdocs build` of as many plain pages (a heading and three paragraphs of the captures' prose) with stock
    Material, out of the nav as ours are: what MkDocs and the theme cost a page before anything of ours."""
    prose = sentence_pool()[0]
    (folder / "docs" / "p").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    (folder / "docs" / "index.md").write_text("# Stock\n", encoding="utf-8")
    for n in range(pages - 1):
        paragraphs = ["# Page {n}"] + [" ".join(prose[(n + k * 5 + i) % len(prose)] for i in range(5)) for k in range(3)]
        (folder / "docs" / "p" / f"{n}.md").write_text("\n\n".join(paragraphs).format(n=n) + "\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([PYTHON, "-m", "mkdocs", "build", "-q"], cwd=folder, check=True, capture_output=True)
    return time.perf_counter() - start


def diff_seconds(root: Path) -> dict:
    """Commit the edits made so far (each to the same claim summary) as one pull request, and time `diff HEAD~1` on
    it (`diff_s`), with the number of pages it says change (`diff_pages`)."""
    commit(root, "One edited summary", PULL_REQUEST_COMMIT)
    start = time.perf_counter()
    result = subprocess.run([PYTHON, "-m", "generator", "--root", str(root), "diff", "HEAD~1"], capture_output=True,
                            text=True)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-3000:]
    pages = re.search(r"^### Pages that change \((\d+)\)$", result.stdout, re.MULTILINE)
    return {"diff_s": round(seconds, 2), "diff_pages": int(pages[1]) if pages else 0}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--claims-per-article", default="10", help="a number, or 'all' (every sentence reviewed)")
    parser.add_argument("--revisions", type=int, default=0,
                        help="commits in the archive's history after its corrections, each rewording one summary")
    parser.add_argument("--no-preview", action="store_true", help="skip the live-preview measure")
    parser.add_argument("--no-browser", action="store_true", help="skip what readers download (needs Chromium)")
    parser.add_argument("--stock", action="store_true",
                        help="also build as many plain pages with stock Material (MkDocs' own cost a page)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    per = None if args.claims_per_article == "all" else int(args.claims_per_article)
    work = args.keep or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    root = work / "archive"
    if root.exists():
        shutil.rmtree(root)
    try:
        started = time.perf_counter()
        corpus = make_corpus(root, args.articles, per, revisions=args.revisions)
        print(f"corpus: {corpus.articles} articles, {corpus.claims} claims, {corpus.sentences} sentences "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        cold = timed_build(root)
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        stages = cold["stages"]
        generator_s, mkdocs_s = stages["mkdocs"], stages["search"] - stages["mkdocs"]
        search_s = stages["done"] - stages["search"]
        print(f"build: {pages} pages, generator {generator_s:.1f} s, MkDocs {mkdocs_s:.1f} s "
              f"({1000 * mkdocs_s / pages:.1f} ms a page), search index {search_s:.1f} s, total {cold['total_s']:.1f} s, "
              f"peak {cold['peak_rss_mb']:.0f} MB (by stage: {cold['peak_by_stage_mb']})", file=sys.stderr)
        edits = []
        for n in range(EDITS):
            os.sync()  # the build's gigabytes written out first: an editor's next edit finds the disk settled
            edit_one_summary(root, f"edit {n + 1}")
            edits.append(timed_build(root, "--docs-only"))
        each = [round(e["total_s"], 2) for e in edits]
        print(f"one edit: {edits[-1]['files_rewritten']} files rewritten in {statistics.median(each):.2f} s (the "
              f"median of {each})", file=sys.stderr)
        result = {"articles": corpus.articles, "claims": corpus.claims, "pages": pages,
                  "generator_s": round(generator_s, 2), "mkdocs_s": round(mkdocs_s, 2), "search_index_s": round(search_s, 2),
                  "total_s": round(cold["total_s"], 2), "generator_share": round(generator_s / cold["total_s"], 3),
                  "mkdocs_ms_per_page": round(1000 * mkdocs_s / pages, 2), "mkdocs_processes": processes(pages),
                  "peak_rss_mb": round(max(cold["peak_rss_mb"], *(e["peak_rss_mb"] for e in edits))),
                  "peak_by_stage_mb": cold["peak_by_stage_mb"], "seconds_by_stage": durations(stages),
                  "incremental_s": statistics.median(each), "incremental_each_s": each,
                  "files_rewritten": edits[-1]["files_rewritten"]}
        if args.stock:
            stock = stock_mkdocs_seconds(work / "stock", pages)
            result |= {"stock_mkdocs_s": round(stock, 2), "stock_ms_per_page": round(1000 * stock / pages, 2),
                       "mkdocs_vs_stock": round(mkdocs_s / stock, 2)}
            print(f"stock Material, {pages} plain pages: {stock:.1f} s ({1000 * stock / pages:.1f} ms a page); "
                  f"ours cost {mkdocs_s / stock:.1f} times as much", file=sys.stderr)
        if not args.no_browser:
            result |= reader_costs(root / "site")
            print(f"readers: a claim page loads {result['claim_page_bytes'] / 1024:.0f} KB; one search "
                  f"('{result['search_query']}', {result['search_results']} pages) fetches "
                  f"{result['search_bytes_per_query'] / 1024:.0f} KB", file=sys.stderr)
        if not args.no_preview:
            result |= preview_seconds(root, "in preview")
            print(f"live preview: serves {result['preview_start_s']:.1f} s after it starts; an edit shows after "
                  f"{result['preview_s']:.1f} s (median of "
                  f"{result['preview_each_s']}), docs/ regenerated in {result['preview_regenerate_s']:.2f} s "
                  f"({result['preview_files_written']} files written); idle, it uses "
                  f"{result['preview_idle_cpu']:.2f} s of processor a second", file=sys.stderr)
            print(f"live preview: an edit with an error shows it after {result['preview_error_s']:.1f} s, its fix after "
                  f"{result['preview_fixed_s']:.1f} s", file=sys.stderr)
        result |= diff_seconds(root)
        result["committed_s"] = round(timed_build(root, "--docs-only")["total_s"], 2)
        print(f"pull request: `diff HEAD~1` of one edited summary took {result['diff_s']:.1f} s "
              f"({result['diff_pages']} pages change); the first `build --docs-only` after its commit "
              f"{result['committed_s']:.2f} s", file=sys.stderr)
        print(json.dumps(result))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
