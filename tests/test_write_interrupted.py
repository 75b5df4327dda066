"""A build killed at any stage, two builds at once, a full disk, a read-only site folder: the previous site stays
whole, docs/ holds only whole files, and the next build succeeds (issue 8, point 3).

The builds run as real processes on a copy of the real project; `build --verbose` names each stage as it starts,
and the tests kill the process there (and, in the long MkDocs stage, again later on).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from generator import write

from .conftest import REPO, copy_project, run_generator

pytestmark = pytest.mark.slow
# where each build is killed: a stage as it starts, and seconds after that
KILL_POINTS = [("check", 0.0), ("render", 0.0), ("write", 0.0), ("write", 0.02), ("mkdocs", 0.0), ("mkdocs", 0.7),
               ("done", 0.0)]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.is_dir() else {}


def start_build(root: Path) -> subprocess.Popen:
    """The build, with a temporary folder of its own beside `root` (`temporary`)."""
    temporary(root).mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "build", "--verbose"],
                            cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "TMPDIR": str(temporary(root))})


def temporary(root: Path) -> Path:
    """The system's temporary folder for the builds of `root`: a killed build must leave nothing there either, where
    no later build would look."""
    return root.with_name(f"{root.name}-tmp")


def kill_at(root: Path, stage: str, delay: float, signum: int) -> tuple[int, str]:
    process = start_build(root)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.strip() == f"stage: {stage}":
            time.sleep(delay)
            process.send_signal(signum)
            break
    try:
        _, rest = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"killed at {stage}+{delay}s, the build left a process holding its error output "
                             f"open: {survivors(root)}") from None
    left = still_there(lambda: survivors(root))  # the system kills the build's helpers as it dies, not at once
    assert not left, f"killed at {stage}+{delay}s, the build left processes behind: {left}"
    return process.returncode, "".join(seen) + rest


def still_there(find: Callable[[], list]) -> list:
    """What `find` finds after up to 10 s of waiting for it to find nothing."""
    deadline = time.monotonic() + 10
    while (found := find()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def survivors(root: Path) -> list[int]:
    """The processes still running with `root` in their command line."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(root).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:  # ended meanwhile
            continue
    return found


@pytest.fixture
def edited_project(tmp_path) -> tuple[Path, dict, dict]:
    """A built copy of the project, then an edit that changes pages: (root, old docs, old site)."""
    root = copy_project(tmp_path / "project")
    assert run_generator(root, "build").returncode == 0
    old_docs, old_site = tree(root / "docs"), tree(root / "site")
    path = root / "annotations" / "western-allies-paris-summit.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('summary: "Allies met', 'summary: "Edited: allies met', 1), encoding="utf-8")
    return root, old_docs, old_site


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_build_killed_in_any_stage_leaves_whole_files_and_the_next_build_succeeds(edited_project, signum):
    root, old_docs, old_site = edited_project
    states = []
    for stage, delay in KILL_POINTS:
        code, stderr = kill_at(root, stage, delay, signum)
        assert "Traceback" not in stderr, stderr
        if signum == signal.SIGINT and "stage: done" not in stderr:  # else the build ended before the signal came
            assert code == 130 and "build interrupted; the previous site is untouched" in stderr, stderr
        states.append((stage, delay, tree(root / "docs"), tree(root / "site")))
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr
    new_docs, new_site = tree(root / "docs"), tree(root / "site")
    assert new_site != old_site and new_docs != old_docs, "the edit must change pages, or the test proves nothing"
    for stage, delay, docs, site in states:
        assert site in (old_site, new_site), f"killed at {stage}+{delay}s: the site is neither the old nor the new one"
        for path, digest in docs.items():
            if path.endswith(".partial"):  # a temporary name, never renamed into place: MkDocs skips dot-files,
                continue  # and the next build removes it (checked below)
            assert digest in (old_docs.get(path), new_docs.get(path)), f"killed at {stage}+{delay}s: {path} is not whole"
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site-")]
    leftovers += [p.as_posix() for p in (root / "docs").rglob("*.partial")]
    leftovers += [p.as_posix() for p in temporary(root).iterdir()]
    assert leftovers == []


def test_two_builds_at_once_one_refuses_clearly_and_the_other_completes(edited_project):
    root, _, _ = edited_project
    first = start_build(root)
    assert first.stderr is not None
    assert first.stderr.readline().strip() == "stage: check"
    second = run_generator(root, "build")
    rest = first.stderr.read()
    assert first.wait(timeout=120) == 0, rest
    assert second.returncode == 1
    assert second.stderr.startswith(f"build refused: another build is running in {root} (process {first.pid})")
    assert (root / "site" / "index.html").is_file()
    assert run_generator(root, "build").returncode == 0, "the lock is released when its holder ends"


def test_the_lock_of_a_killed_build_does_not_block_the_next(edited_project):
    root, _, _ = edited_project
    for _ in range(5):  # killed as it starts its checking processes: none of them is left behind (kill_at)
        code, _ = kill_at(root, "check", 0.0, signal.SIGKILL)
        assert code == -signal.SIGKILL
    assert run_generator(root, "build").returncode == 0


@pytest.mark.parametrize("alive", [True, False], ids=["build alive", "build gone"])
def test_a_process_the_build_starts_ends_if_the_build_died_before_it_could_ask_to_die_with_it(alive):
    """The system kills the build's helpers with it only if they asked while it lived (Linux's PR_SET_PDEATHSIG):
    a helper whose build was killed as it started would otherwise wait on the build's pipes for ever."""
    child = os.fork()
    if child == 0:
        try:  # `build` is the parent's pid, as the helper is handed it, or another (the build gone, adopted by init)
            write._killed_with_the_build(os.getppid() if alive else -1)
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == (0 if alive else 1)


def test_a_ctrl_c_between_the_forks_of_the_workers_stops_them_all(monkeypatch):
    """Ctrl-C came just after a build forked its first worker: the pool had no thread yet to end its workers, so
    the one forked stayed waiting for work, and the build waited for it as it exited (it hung in CI). Now the
    interrupt is raised once every worker is started, and none outlives the pool."""
    spawn = ProcessPoolExecutor._spawn_process

    def spawn_then_interrupt(pool: ProcessPoolExecutor) -> None:
        spawn(pool)
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(ProcessPoolExecutor, "_spawn_process", spawn_then_interrupt)
    # Ctrl-C handled by Python's default handler, whatever the tests before left: once, in a fresh-clone run of the
    # whole suite (6 December), it went unheard, never when run alone; should it happen again, the message says
    # what handled it and whether the signal was blocked
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), write.workers():
            pytest.fail(f"the Ctrl-C went unheard (handler {signal.getsignal(signal.SIGINT)!r}, before the test "
                        f"{previous!r}; blocked: {signal.pthread_sigmask(signal.SIG_BLOCK, [])})")
        assert not still_there(multiprocessing.active_children)
    finally:  # had one been left, this process would wait for it as it exits
        signal.signal(signal.SIGINT, previous)
        for worker in multiprocessing.active_children():
            worker.kill()
            worker.join()


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system of its own (tmpfs), for the site: root only, as in CI."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def previous_site(folder: Path) -> dict[str, str]:
    (folder / "site").mkdir()
    (folder / "site" / "index.html").write_text("<!doctype html><title>previous</title>", encoding="utf-8")
    return tree(folder / "site")


def test_a_full_disk_gives_a_clear_error_and_keeps_the_previous_site(tmp_path, small_disk):
    root = copy_project(tmp_path / "project")
    before = previous_site(small_disk)
    result = run_generator(root, "build", "--site-dir", str(small_disk / "site"))
    assert result.returncode == 1
    assert result.stderr.startswith("build failed: MkDocs could not write the site: No space left on device"), result.stderr
    assert "Traceback" not in result.stderr
    assert tree(small_disk / "site") == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"], "the staging folder is removed"


def test_a_read_only_site_folder_gives_a_clear_error_and_keeps_the_previous_site(tmp_path, small_disk):
    root = copy_project(tmp_path / "project")
    before = previous_site(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_generator(root, "build", "--site-dir", str(small_disk / "site"))
    assert result.returncode == 1
    assert result.stderr.startswith("build failed: Read-only file system"), result.stderr
    assert tree(small_disk / "site") == before


def test_built_files_are_world_readable(built_project):
    site = built_project / "site"
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    modes = {oct(p.stat().st_mode & 0o777) for p in (built_project / "docs").rglob("*") if p.is_file()}
    modes |= {oct(p.stat().st_mode & 0o777) for p in site.rglob("*") if p.is_file()}
    assert modes == {"0o644"}


def test_a_site_caught_between_the_two_renames_of_the_fallback_swap_comes_back(tmp_path):
    """Where the system has no atomic exchange, the swap is two renames; killed between them, site/ is missing
    and the old site waits under .site-old: the next build puts it back before it starts."""
    from generator.write import _remove_leftovers
    old = tmp_path / ".site-old"
    old.mkdir()
    (old / "index.html").write_text("previous", encoding="utf-8")
    (tmp_path / ".site-new-abc").mkdir()
    _remove_leftovers(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_ctrl_c_that_python_drops_in_a_finalizer_stops_the_build_at_its_next_stage(capsys):
    """Python prints and drops a KeyboardInterrupt raised in a finalizer (seen in a weakref callback of the image
    drawing processes, one build in six killed in the write stage): the build must stop all the same, and quietly."""
    from generator.cli import _heeding_ctrl_c

    class Finalized:
        def __del__(self):
            signal.raise_signal(signal.SIGINT)  # the handler runs here, inside the finalizer

    stages: list[str] = []
    before = signal.getsignal(signal.SIGINT)
    with _heeding_ctrl_c(lambda stage, total=None, count=None: stages.append(stage)) as heeded:
        heeded("write")
        Finalized()  # dies at once
        with pytest.raises(KeyboardInterrupt):
            heeded("mkdocs")
    assert stages == ["write"], "no stage after the Ctrl-C"
    assert "Traceback" not in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is before
