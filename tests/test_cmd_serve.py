"""`serve`: a real preview server; editing an annotation updates the page open in the browser."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from mkdocs.commands.build import build

from generator import build as build_module
from generator import outputs
from generator.live import LiveSite, preview_config
from generator.serve import Preview
from generator.write import is_owned

from .browsing import free_port
from .conftest import REPO
from .helpers import CLAIM, Noted, annotation, git, mini_project

URL = "http://127.0.0.1:8000/"

pytestmark = pytest.mark.browser


class Served:
    """A `python -m generator serve` of a project: the claim page's address, the process, and once it has stopped,
    what it printed."""

    def __init__(self, root: Path, terminal: int | None = None):
        """`terminal`: a pseudo-terminal's end to print to, as a person's terminal (else a pipe)."""
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/claims/kane-is-caine/"
        if terminal is None:
            streams: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
        else:
            at_terminal = {key: value for key, value in os.environ.items() if key != "CI"} | {"TERM": "xterm"}
            streams = {"stdout": terminal, "stderr": terminal, "env": at_terminal}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)], cwd=REPO, **streams)
        self.output = ""

    def running(self) -> bool:
        return self.process.poll() is None


@contextmanager
def serving(root: Path) -> Iterator[Served]:
    served = Served(root)
    try:
        yield served
    finally:
        served.process.terminate()
        served.output = served.process.communicate(timeout=20)[0]


def test_edits_reach_the_open_page_and_errors_do_not_stop_the_server(tmp_path, browser):
    root = mini_project(tmp_path, annotation())
    with serving(root) as served:
        url = served.url
        wait_until(url, lambda status, body: status == 200, 60)
        page = browser.new_page()
        page.goto(url)
        assert "The chair was Gen. Dan Caine." in page.inner_text("article")
        path = root / "annotations" / "demo.yaml"

        started = time.monotonic()
        path.write_text(annotation().replace("The chair was Gen. Dan Caine.", "Edited while open."), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Edited while open.')", timeout=20_000)
        print(f"edit reached the open page in {time.monotonic() - started:.2f} s")

        edited = annotation().replace("The chair was Gen. Dan Caine.", "Edited while open.")
        path.write_text(edited.replace("verdict: inaccurate", "verdict: <b>wrong</b>"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('the last edit has errors')", timeout=20_000)
        shown = page.inner_text("article")
        assert "unknown verdict '<b>wrong</b>'" in shown, "the error, its markup shown as text"
        assert "Edited while open." in shown and shown.index("the last edit has errors") < shown.index("Edited while")
        assert served.running(), "the server stopped on an invalid edit"
        page.goto(url.replace("claims/kane-is-caine/", "search/"))  # a hand-written page says it too
        assert "the last edit has errors" in page.inner_text("article")

        path.write_text(annotation(), encoding="utf-8")
        page.wait_for_function("!document.body.innerText.includes('the last edit has errors')", timeout=20_000)
        page.goto(url)
        assert "The chair was Gen. Dan Caine." in page.inner_text("article")

        template = root / "templates" / "claim.md.j2"
        layout = template.read_text(encoding="utf-8")
        template.write_text(layout.replace("body: html\n---\n", "body: html\n---\n{{ nope }}\n", 1), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('the last edit has errors')", timeout=20_000)
        assert "templates/claim.md.j2:12:1: template: 'nope' is undefined" in page.inner_text("article")
        template.write_text(layout, encoding="utf-8")
        page.wait_for_function("!document.body.innerText.includes('the last edit has errors')", timeout=20_000)
        assert served.running(), "the server stopped on a mistake in a template"
        page.close()
    output = served.output
    assert "annotations/demo.yaml:10:14: error: unknown verdict '<b>wrong</b>'" in output


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:  # not serving yet
        return 0, ""


def wait_until(url: str, test, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if test(status, body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer as expected in {seconds} s; last: {status} {body[:300]}")


def test_a_commit_reaches_the_claims_history_on_the_page(tmp_path):
    """The history comes from commits: a commit, which changes no file of the project, is heard (git's reflog of
    HEAD) and the claim page shows what it changed."""
    root = mini_project(tmp_path, annotation())
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Publish", day="2026-11-22")
    with serving(root) as served:
        wait_until(served.url, lambda status, body: "Published: Inaccurate." in body, 60)
        path = root / "annotations" / "demo.yaml"
        path.write_text(annotation(CLAIM.replace("verdict: inaccurate", "verdict: misleading")), encoding="utf-8")
        wait_until(served.url, lambda status, body: "Misleading" in body)
        assert "24 November 2026" not in fetch(served.url)[1], "not committed yet: no change on the record"
        git(root, "commit", "-qam", "Correct the verdict", day="2026-11-24")
        body = wait_until(served.url, lambda status, body: "24 November 2026" in body)
    assert "<strong>24 November 2026</strong>: Verdict changed from Inaccurate to Misleading." in body
    assert served.output.count("regenerated docs/") == 3, served.output


def test_a_warning_is_printed_when_it_appears_not_again_at_every_save(tmp_path):
    modeline = "# yaml-language-server: $schema=../schema/annotations.schema.json\n"
    assert annotation().startswith(modeline)
    root = mini_project(tmp_path, annotation().removeprefix(modeline))  # warned: the file names no schema
    with serving(root) as served:
        url = served.url
        wait_until(url, lambda status, body: status == 200, 60)
        path = root / "annotations" / "demo.yaml"
        for summary, text in (("Saved once.", annotation().removeprefix(modeline)),
                              ("Saved twice.", annotation().removeprefix(modeline)),
                              ("Fixed.", annotation()), ("Back.", annotation().removeprefix(modeline))):
            path.write_text(text.replace("The chair was Gen. Dan Caine.", summary), encoding="utf-8")
            wait_until(url, lambda status, body, summary=summary: summary in body)
    output = served.output
    warned = "annotations/demo.yaml:1:1: warning:"
    lines = [line.split("] ", 1)[1] for line in output.splitlines() if "] regenerated docs/" in line]
    assert output.count(warned) == 2, output  # at the start, and when it came back
    assert "\x1b[K" not in output, "piped: no progress display"
    assert [line.split("(", 1)[1] for line in lines] == [
        "ok)", "ok; 1 warning as before, not printed again)", "ok; 1 warning as before, not printed again)", "ok)",
        "ok)"], output


def test_on_a_terminal_the_first_regeneration_shows_its_stages(tmp_path):
    """A minute at 1,000 articles without .cache/: the stages show as a build's do (piped, nothing: the test above)."""
    root = mini_project(tmp_path, annotation())
    primary, secondary = pty.openpty()
    process = Served(root, terminal=secondary).process
    os.close(secondary)
    shown = b""
    try:
        deadline = time.monotonic() + 60
        while b"serving http" not in shown and time.monotonic() < deadline:
            if select.select([primary], [], [], 1)[0]:
                shown += os.read(primary, 65536)
    finally:
        process.terminate()
        process.wait(timeout=20)
        os.close(primary)
    lines = [line.rsplit(b"\r\x1b[K", 1)[-1].decode() for line in shown.split(b"\n")]  # each as last drawn
    stages = [line.split()[0] for line in lines if re.fullmatch(r"\w+ .*\d+\.\d s\r?", line)]
    assert stages == ["check", "render", "write"], shown
    assert any(re.match(r"write +\d+/\d+ files", line) for line in lines), shown
    assert lines.index(next(line for line in lines if line.startswith("write"))) < lines.index(
        next(line for line in lines if "regenerated docs/" in line)), shown


def test_a_site_mkdocs_cannot_build_says_why_on_every_page_until_it_is_fixed(tmp_path):
    root = mini_project(tmp_path, annotation())
    settings = root / "mkdocs.yml"
    good = settings.read_text(encoding="utf-8")
    assert "\nplugins: []\n" in good
    settings.write_text(good.replace("\nplugins: []\n", "\nplugins: [<b>nope</b>]\n"), encoding="utf-8")
    with serving(root) as served:
        url = served.url
        body = wait_until(url, lambda status, body: status == 404)  # MkDocs never started: no page to build
        assert "MkDocs could not build the site" in body
        assert "MkDocs says: Config value &#x27;plugins&#x27;: The &quot;&lt;b&gt;nope&lt;/b&gt;&quot; plugin is not " \
               "installed" in body, "why, its markup shown as text"

        settings.write_text(good, encoding="utf-8")  # fixed: the site is built, then the notice is gone
        body = wait_until(url, lambda status, body: status == 200 and "MkDocs could not" not in body)
        assert "The chair was Gen. Dan Caine." in body

        # the theme folder MkDocs did not know at the start is watched once it does
        theme = root / "overrides" / "main.html"
        theme.write_text(theme.read_text(encoding="utf-8").replace(
            "{% block extrahead %}", "{% block extrahead %}<meta name=theme-edited content=yes>", 1), encoding="utf-8")
        layout = wait_until(url, lambda status, body: "theme-edited" in body) and theme.read_text(encoding="utf-8")

        theme.write_text(layout + "{% if %}\n", encoding="utf-8")  # a theme template that does not compile
        body = wait_until(url, lambda status, body: status == 500)
        line = len(layout.splitlines()) + 1
        assert body.count(f"MkDocs says: {theme}:{line}: Expected an expression") == 1, body  # where, and once
        theme.write_text(layout, encoding="utf-8")
        body = wait_until(url, lambda status, body: status == 200 and "could not build" not in body)
        assert "theme-edited" in body
        assert served.running()
    output = served.output
    assert "mkdocs: error: Config value 'plugins': The \"<b>nope</b>\" plugin is not installed" in output
    assert "Warning" not in output, output  # watchdog's, when the first regeneration makes docs/ folders


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def whole_build(root: Path, folder: Path) -> dict[str, bytes]:
    """The site as MkDocs' own whole build makes it, configured as the preview's."""
    build(preview_config(root, folder, URL), serve_url=URL)
    return site_files(folder)


def provide_all(live: LiveSite, addresses: list[str]) -> dict[str, bytes]:
    for address in addresses:
        assert live.provide(address) == live.site_dir / address, address
    return site_files(live.site_dir)


def test_the_preview_builds_a_page_when_asked_and_each_file_is_what_a_whole_build_makes(tmp_path):
    root = mini_project(tmp_path / "project", annotation())
    preview = Preview(root)
    problems, _ = preview.refresh()
    assert not problems
    handwritten = [p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")
                   if not is_owned(p.relative_to(root / "docs").as_posix(), outputs.OWNED)]
    live = LiveSite(root, tmp_path / "live", URL, eager=lambda path: path in handwritten)
    live.build()
    whole = whole_build(root, tmp_path / "whole")
    started = site_files(live.site_dir)
    # at the start: the site-wide files and the hand-written pages, nothing else
    assert sorted(handwritten) == ["data-format.md", "search.md"]
    assert {"404.html", "sitemap.xml", "data-format/index.html", "search/index.html"} <= set(started) < set(whole)
    assert {"claims/kane-is-caine/index.html", "stylesheets/verdicts.css"} & set(started) == set()
    assert {"claims/kane-is-caine/index.html", "stylesheets/verdicts.css"} <= set(whole)
    assert all(started[address] == whole[address] for address in started)
    assert provide_all(live, list(whole)) == whole
    asked = live.provide("claims/kane-is-caine/index.html")
    assert asked is not None
    made = asked.stat().st_mtime_ns
    assert live.provide("claims/kane-is-caine/index.html") == asked and asked.stat().st_mtime_ns == made, "built again"
    assert live.provide("claims/no-such-claim/index.html") is None
    assert live.provide("../project/mkdocs.yml") is None

    demo = root / "annotations" / "demo.yaml"
    troops = CLAIM.replace("kane-is-caine", "uk-offered-troops").replace(
        "chaired by General Daniel K. Kane", "The UK offered troops")
    edits = {
        "a summary": annotation().replace("The chair was Gen. Dan Caine.", "Edited in the preview."),
        "a claim added": annotation(CLAIM + troops),
        "a claim removed": annotation(troops),
    }
    for n, (edit, text) in enumerate(edits.items()):
        demo.write_text(text, encoding="utf-8")
        problems, report = preview.refresh()
        assert not problems, problems.render()
        assert live.update(report.written, report.deleted) == 0, edit  # no hand-written page changed
        whole = whole_build(root, tmp_path / f"whole-{n}")
        assert provide_all(live, list(whole)) == whole, edit
    assert (tmp_path / "live" / "claims" / "uk-offered-troops" / "index.html").is_file()
    assert not (tmp_path / "live" / "claims" / "kane-is-caine").exists()
    assert live.provide("claims/kane-is-caine/index.html") is None

    (root / "docs" / "search.md").write_text("# Search\n\nEdited by hand, [home](index.md).\n", encoding="utf-8")
    assert live.update(["search.md"], []) == 1  # built at once: what MkDocs says of it is printed straight away
    assert "Edited by hand" in (tmp_path / "live" / "search" / "index.html").read_text(encoding="utf-8")


def test_the_first_regeneration_examines_on_every_core_and_an_edit_to_the_annotations_examines_nothing(
        tmp_path, monkeypatch):
    """The first regeneration examines every article no run has examined (a minute at 1,000 articles without
    .cache/): in processes of their own, on every core, as a build does, and places their claims in the preview's own
    process. An edit to the annotations examines nothing again: its claims are placed here."""
    root = mini_project(tmp_path / "project", annotation())
    done_by = Noted(tmp_path / "done-by")
    monkeypatch.setenv(_DONE_BY, str(done_by.path))
    monkeypatch.setattr(build_module, "examine", _noting_examine)
    monkeypatch.setattr(build_module, "review", _noting_review)
    preview, here = Preview(root), str(os.getpid())
    assert not preview.refresh()[0]
    first = [line.split() for line in done_by.taken()]
    assert {what for what, _ in first} == {"examine", "review"}, first
    assert all((pid == here) == (what == "review") for what, pid in first), first
    (root / "annotations" / "demo.yaml").write_text(
        annotation().replace("The chair was Gen. Dan Caine.", "Edited in the preview."), encoding="utf-8")
    assert not preview.refresh()[0]
    assert done_by.taken() == [f"review {here}"]


_DONE_BY = "FACTCHECK_TEST_DONE_BY"
"""Where `_noting_examine` and `_noting_review` note the process they ran in (inherited by the processes a build or
preview forks)."""
_examine, _review = build_module.examine, build_module.review


def _noting_examine(*args):
    """build.examine, noting which process it ran in: a function of this module, which the processes that examine
    the articles find by name, as they find build.examine."""
    Noted(Path(os.environ[_DONE_BY])).add(f"examine {os.getpid()}")
    return _examine(*args)


def _noting_review(*args):
    """build.review, noting which process it ran in."""
    Noted(Path(os.environ[_DONE_BY])).add(f"review {os.getpid()}")
    return _review(*args)
