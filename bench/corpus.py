"""A synthetic archive of any size, for the scale benchmark: deterministic, realistic, and a git repository.

    .venv/bin/python -m bench.corpus OUT --articles 100 [--claims-per-article 10 | --claims-per-article all]

Each article is made of sentences of the five real captures (so segmentation, anchoring and the date and office
checks meet real prose), about 40 of them in paragraphs of two to four, under a headline of its own; the same
article number always gives the same article, so a smaller archive is the start of a larger one. Its annotation
file reviews `claims_per_article` sentences (default 10: about 11 pages per article, the page count of a desk's
archive) or every sentence (`all`: about one claim page per sentence, the fully reviewed archive), with the real
annotations' mix of verdicts, notes in Markdown, evidence where the verdict needs it, and corrections.

The project is committed to git as an archive with a past: a first publication, then a round of corrections in
which some verdicts change (with a dated correction note), some claims are renamed (their old addresses redirect,
`published.yaml`) and a few are withdrawn; then, with `revisions`, as many commits as a desk makes over the years,
each rewording one claim's summary.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.layout import Layout
from generator.load import load_sources
from generator.outputs import OWNED
from generator.problems import Problems
from generator.segment import cut_blocks, normalise, segment_article, split_sentences
from generator.write import REGISTER_HEADER, is_owned

REPO = Path(__file__).resolve().parent.parent
MACHINERY = ("verdicts.yaml", "mkdocs.yml", "factcheck.yaml", "templates", "overrides", "schema", "knowledge")
"""The project's own files that every copy of it shares (with the hand-written pages under docs/)."""

# the verdicts of the real annotations, in their proportions (168 claims)
VERDICTS = {"accurate": 47, "opinion": 51, "not-checkable": 25, "unverifiable": 17, "question": 10,
            "mostly-accurate": 8, "inaccurate": 6, "misleading": 4}
NEEDS_EVIDENCE = {"accurate", "mostly-accurate", "misleading", "inaccurate"}
OUTLETS = ("The Daily Ledger", "Continental Review", "Northern Courier", "The Evening Wire", "Harbour Times",
           "Policy Dispatch", "The Morning Record", "Eastern Monitor")
WHO = ("European leaders", "Allied defence ministers", "Diplomats in Brussels", "The coalition of the willing",
       "NATO officials", "Kyiv's negotiators", "Washington", "Paris and London", "Nordic governments", "Berlin")
DO = ("weigh", "debate", "sketch", "press for", "stall on", "edge towards", "promise", "question", "revisit", "test")
WHAT = ("security guarantees for Ukraine", "a ceasefire monitoring force", "long-term military aid",
        "air defence commitments", "a reassurance force", "post-war reconstruction funds", "sanctions relief terms",
        "the shape of a peace deal", "Article 5-style protection", "US backing for Europe's plan")
WHEN = ("ahead of Paris talks", "after a weekend of calls", "as winter approaches", "before the summit",
        "amid doubts in Washington", "under pressure from Kyiv", "as talks resume", "in a late-night session")
FINDINGS = ("the reports we read agree", "two independent reports confirm this", "official records support this",
            "the record shows otherwise", "the figure cannot be traced to any report", "this is a matter of judgement",
            "the article asks this rather than states it", "no public record settles it")
SEARCHED = "The reports of the week before and after the article, in the outlets named above, for its words."
EPOCH = date(2025, 2, 1)  # the articles' days run from here over 300 days, the time of the office holders they name
FIRST_COMMIT = "2026-01-05T09:00:00+00:00"
CORRECTIONS_COMMIT = "2026-03-02T09:00:00+00:00"
CORRECTION_DAY = "2026-03-02"
REVISIONS_FROM = 1772528400
"""The first revision's time (2026-03-03 09:00 UTC, seconds since 1970); the next follow at REVISION_EVERY seconds."""
REVISION_EVERY = 1200
PULL_REQUEST_COMMIT = "2026-12-01T09:00:00+00:00"
"""After every revision (3,000 revisions end in April 2026): bench.run's pull request."""


@dataclass(frozen=True)
class Corpus:
    root: Path
    articles: int
    claims: int
    sentences: int


def make_corpus(root: Path, articles: int, claims_per_article: int | None = 10, seed: int = 1,
                revisions: int = 0) -> Corpus:
    """Write a synthetic project of `articles` articles at `root` (which must not exist) and commit its history.
    `claims_per_article`: how many sentences each annotation file reviews; None reviews every sentence.
    `revisions`: commits after the corrections, each rewording one claim summary (`_revise`)."""
    root.mkdir(parents=True)
    _copy_machinery(root, full_coverage=claims_per_article is None)
    pool, titles = sentence_pool()
    claims = sentences = 0
    register: dict[str, str] = {}
    later: list[tuple[Path, list[dict]]] = []
    for number in range(articles):
        rng = random.Random(f"{seed}:{number}")
        slug, capture, meta = _article(number, rng, pool, titles)
        folder = root / "sources" / slug
        folder.mkdir(parents=True)
        (folder / "capture.txt").write_text(capture, encoding="utf-8")
        (folder / "meta.yaml").write_text(_yaml(meta), encoding="utf-8")
        annotation, reviewed, total = _annotation(number, slug, capture, meta, rng, claims_per_article)
        path = root / "annotations" / f"{slug}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_yaml(annotation, modeline=True), encoding="utf-8")
        claims += len(reviewed)
        sentences += total
        for claim in reviewed:
            register[claim["id"]] = claim["published"]
        later.append((path, reviewed))
    (root / "published.yaml").write_text(_register(register), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    commit(root, "First publication", FIRST_COMMIT)
    _corrections(root, later, register, random.Random(f"{seed}:corrections"), claims_per_article is None)
    commit(root, "Corrections after readers' reports", CORRECTIONS_COMMIT)
    if revisions:
        _revise(root, revisions, random.Random(f"{seed}:revisions"))
    return Corpus(root, articles, claims, sentences)


def copy_machinery(dst: Path) -> None:
    """This project's machinery at `dst` (which may exist): settings, scale, templates, theme overrides, schemas,
    knowledge base and hand-written pages (every file of docs/ that no output owns); not its articles."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in MACHINERY:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, dst / name)
    for path in (REPO / "docs").rglob("*"):
        rel = path.relative_to(REPO / "docs").as_posix()
        if path.is_file() and not is_owned(rel, OWNED) and not rel.startswith("."):
            (dst / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst / "docs" / rel)


def _copy_machinery(root: Path, full_coverage: bool) -> None:
    copy_machinery(root)
    shutil.copy2(REPO / ".gitignore", root / ".gitignore")  # the archive is committed: generated files stay out
    if not full_coverage:  # ten claims of some forty sentences: the rest is not reviewed, by design
        settings = root / "factcheck.yaml"
        text = settings.read_text(encoding="utf-8").replace("coverage: error", "coverage: ignore")
        settings.write_text(text, encoding="utf-8")


def sentence_pool() -> tuple[list[str], list[str]]:
    """The sentences of the real articles' bodies (no headline, none with a line break) and their headlines."""
    problems = Problems()
    pool, titles = [], []
    for meta, text in load_sources(Layout(REPO), problems):
        article = segment_article(meta, text, problems)
        titles.append(meta.title)
        pool += [s.text for s in article.sentences[2:] if "\n" not in s.text and len(s.text) > 30]
    assert not problems, problems.render()
    return sorted(set(pool)), titles


def _article(number: int, rng: random.Random, pool: list[str], titles: list[str]) -> tuple[str, str, dict]:
    headline = f"{rng.choice(WHO)} {rng.choice(DO)} {rng.choice(WHAT)} {rng.choice(WHEN)}"
    slug = f"{number + 1:05d}-" + "-".join(re.findall(r"[a-z0-9]+", headline.lower())[:6])
    body = rng.sample(pool, 40)
    paragraphs, i = [], 0
    while i < len(body):
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(body[i:i + size]))
        i += size
    capture = "\n\n".join([headline, rng.choice(titles), *paragraphs]) + "\n"
    published = EPOCH + timedelta(days=(number * 37) % 300)
    outlet = rng.choice(OUTLETS)
    meta = {"title": headline, "publisher": outlet,
            "url": f"https://news.example.com/{published:%Y/%m}/{slug}",
            "author": "unknown", "published": published.isoformat(), "captured": (published + timedelta(days=2)).isoformat(),
            "language": "en", "capture_sha256": hashlib.sha256(capture.encode("utf-8")).hexdigest(), "furniture": []}
    return slug, capture, meta


def _annotation(number: int, slug: str, capture: str, meta: dict, rng: random.Random,
                claims_per_article: int | None) -> tuple[dict, list[dict], int]:
    sentences = split_sentences(capture, cut_blocks(capture, []))  # as the build will: no furniture
    chosen = sentences if claims_per_article is None else \
        sorted(rng.sample(sentences, min(claims_per_article, len(sentences))), key=lambda s: s.index)
    reviewed_day = date.fromisoformat(meta["captured"]) + timedelta(days=3)
    claims = []
    for n, sentence in enumerate(chosen, 1):
        verdict = rng.choices(list(VERDICTS), weights=list(VERDICTS.values()))[0]
        words = re.findall(r"[a-z0-9]+", sentence.text.lower())[:4]
        claim: dict[str, object] = {"id": f"a{number + 1:05d}-{n:02d}-" + "-".join(words), "quote": normalise(sentence.text),
                 "verdict": verdict,
                 "summary": f"{rng.choice(FINDINGS).capitalize()}: “{' '.join(sentence.text.split()[:7])}…” (claim {n} of "
                            f"article {number + 1}).",
                 "note": f"We compared this sentence with **{rng.randint(2, 5)} reports** published around "
                         f"{meta['published']}; {rng.choice(FINDINGS)}. {rng.choice(NOTES)}\n",
                 "published": reviewed_day.isoformat()}
        if verdict == "unverifiable":
            claim["searched"] = SEARCHED
        if verdict in NEEDS_EVIDENCE:
            claim["evidence"] = [_evidence(rng, number, n, k, meta) for k in range(rng.randint(1, 2))]
        claims.append(claim)
    annotation = {"article": slug, "capture_sha256": meta["capture_sha256"], "reviewers": ["review-desk"],
                  "reviewed": reviewed_day.isoformat(),
                  "assessment": {"takeaway": f"{len(claims)} sentences checked: {rng.choice(FINDINGS)}.",
                                 "summary": f"A report on {meta['title'].lower()}, checked sentence by sentence "
                                            f"against the record of {meta['published']}."},
                  "claims": claims}
    return annotation, claims, len(sentences)


NOTES = ("See the methodology for how we rate statements of this kind.",
              "The article gives no source for it; we looked for one in the reports of the day.",
              "Officials quoted by name said the same on the record.",
              "The wording is the article's own and goes beyond what the reports say.",
              "Later reports did not change the picture.")


def _evidence(rng: random.Random, number: int, n: int, k: int, meta: dict) -> dict:
    day = date.fromisoformat(meta["published"]) - timedelta(days=rng.randint(0, 5))
    return {"url": f"https://reports.example.org/{day:%Y/%m/%d}/a{number + 1}-c{n}-{k}",
            "title": f"Report {k + 1} on claim {n} of article {number + 1}", "publisher": rng.choice(OUTLETS),
            "published": day.isoformat(), "accessed": meta["captured"],
            "excerpt": "Officials confirmed the meeting and the number of countries taking part."}


def _corrections(root: Path, later: list[tuple[Path, list[dict]]], register: dict[str, str], rng: random.Random,
                 full_coverage: bool) -> None:
    """The second commit: about 3 % of claims change verdict with a correction note, 1 % are renamed, 0.5 % withdrawn
    (where every sentence is reviewed, each withdrawn claim's sentence is reviewed again, under a new claim: an
    unreviewed sentence would fail the coverage check)."""
    withdrawn: dict[str, str] = {}
    moved: dict[str, str] = {}
    for path, claims in later:
        touched = False
        for claim in list(claims):
            roll = rng.random()
            if roll < 0.03:
                if claim["verdict"] in NEEDS_EVIDENCE:
                    claim["verdict"], claim["searched"] = "unverifiable", SEARCHED
                    claim.pop("evidence")
                else:
                    claim["verdict"] = "not-checkable"
                    claim.pop("searched", None)
                claim["corrections"] = [{"date": CORRECTION_DAY,
                                         "note": "A reader showed that the report we relied on was about another "
                                                 "meeting; the verdict is changed."}]
                claim["updated"] = CORRECTION_DAY
            elif roll < 0.04:
                moved[claim["id"]] = claim["id"] = claim["id"] + "-renamed"
            elif roll < 0.045:
                withdrawn[claim["id"]] = CORRECTION_DAY
                if full_coverage:
                    claims[claims.index(claim)] = {**claim, "id": claim["id"] + "-again", "published": CORRECTION_DAY}
                else:
                    claims.remove(claim)
            else:
                continue
            touched = True
        if touched:
            annotation = _read_back(path)
            annotation["claims"] = claims
            path.write_text(_yaml(annotation, modeline=True), encoding="utf-8")
    entries: dict[str, object] = dict(register)
    for old, new in moved.items():
        entries[old] = {"moved_to": new}
    for old, day in withdrawn.items():
        entries[old] = {"withdrawn": day, "reason": "It quoted a sentence the outlet removed from its article."}
    (root / "published.yaml").write_text(_register(entries), encoding="utf-8")


def _revise(root: Path, count: int, rng: random.Random) -> None:
    """`count` commits, REVISION_EVERY seconds apart, each an editor's rewording of one claim's summary in one
    annotation file: the history a desk's repository gathers over the years. Written by `git fast-import`, which
    makes 3,000 commits in about a second (`git commit` takes about 50 ms each, in an archive of 1,000 articles)."""
    paths = sorted((root / "annotations").glob("*.yaml"))
    texts = {path: path.read_text(encoding="utf-8") for path in paths}
    parent = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                            check=True).stdout.strip()
    stream = []
    for n in range(count):
        path = rng.choice(paths)
        _, body = texts[path].split("\n", 1)  # the modeline, then JSON
        annotation = json.loads(body)
        claim = rng.choice([c for c in annotation["claims"] if c.get("summary")])
        claim["summary"] = re.sub(r" \(revision \d+\)$", "", claim["summary"]) + f" (revision {n + 1})"
        texts[path] = text = _yaml(annotation, modeline=True)
        message, data = f"Reword a summary (revision {n + 1})".encode(), text.encode()
        stream += [b"commit refs/heads/main\n",
                   b"author Synthetic desk <desk@example.org> %d +0000\n" % (REVISIONS_FROM + n * REVISION_EVERY),
                   b"committer Synthetic desk <desk@example.org> %d +0000\n" % (REVISIONS_FROM + n * REVISION_EVERY),
                   b"data %d\n%s\n" % (len(message), message),
                   *([f"from {parent}\n".encode()] if n == 0 else []),
                   f"M 100644 inline {path.relative_to(root).as_posix()}\n".encode(), b"data %d\n%s\n" % (len(data), data)]
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True, capture_output=True)
    _git(root, "reset", "-q", "--hard", "main")


def _read_back(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _register(entries: dict) -> str:
    return REGISTER_HEADER + "".join(f"  {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in entries.items())


def _yaml(data: dict, modeline: bool = False) -> str:
    """YAML as editors write it; every scalar is JSON-quoted (a YAML subset), so dates stay strings."""
    head = "# yaml-language-server: $schema=../schema/annotations.schema.json\n" if modeline else ""
    return head + json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Synthetic desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": "Synthetic desk", "GIT_COMMITTER_EMAIL": "desk@example.org"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit(root: Path, message: str, when: str) -> None:
    _git(root, "add", "-A")
    _git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message, when=when)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--claims-per-article", default="10", help="a number, or 'all' (every sentence reviewed)")
    parser.add_argument("--revisions", type=int, default=0, help="commits after the corrections, each rewording a summary")
    args = parser.parse_args()
    per = None if args.claims_per_article == "all" else int(args.claims_per_article)
    corpus = make_corpus(args.out, args.articles, per, revisions=args.revisions)
    print(f"{corpus.articles} articles, {corpus.claims} claims, {corpus.sentences} sentences in {corpus.root}")


if __name__ == "__main__":
    main()
