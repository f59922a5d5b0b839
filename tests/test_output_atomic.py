"""Nothing lost: a failure or a SIGKILL during `generate` leaves the previous output/ byte-identical,
and two runs never interleave their writes.

The previous tree differs from what the specs generate in every way a real one can: a changed
file, a hand-edited one, a file the specs no longer produce, and a missing one.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.outguard import MARKER, MARKER_TEXT
from generator.output import OutputBusy, Staging, WriteFailed, locked, write
from generator.pipeline import Result, load, process
from tests.conftest import ROOT, SPECS
from tests.processes import children, still_running

Tree = dict[str, bytes]

# Runs `alertgen` with a pause injected from outside (no hook in the product): after PAUSE_AFTER
# files were written into the temporary tree, or right after the directory swap (PAUSE_AFTER=swap),
# it writes its pid to PAUSE_MARKER and waits until PAUSE_RELEASE exists (forever if unset).
PAUSING_ALERTGEN = """
import os, pathlib, sys, time
import generator.output as output
from generator.cli import main

after, marker = os.environ["PAUSE_AFTER"], pathlib.Path(os.environ["PAUSE_MARKER"])
release = os.environ.get("PAUSE_RELEASE")

def pause():
    marker.write_text(str(os.getpid()))
    while not (release and pathlib.Path(release).exists()):
        time.sleep(0.05)

if after == "swap":
    exchange = output._exchange
    def paused_exchange(a, b):
        done = exchange(a, b)
        pause()
        return done
    output._exchange = paused_exchange
else:
    writes, real_write = 0, pathlib.Path.write_bytes
    def write_bytes(self, data):
        global writes
        if writes == int(after):
            pause()
        writes += 1
        return real_write(self, data)
    pathlib.Path.write_bytes = write_bytes

main(sys.argv[1:], prog_name="alertgen")
"""


def snapshot(root: Path) -> Tree:
    """Every file under `root` (hidden ones too) with its bytes; directories as empty entries."""
    out: Tree = {}
    for base, _dirs, names in os.walk(root):
        rel = Path(base).relative_to(root)
        if rel != Path("."):
            out[f"{rel.as_posix()}/"] = b""
        for name in names:
            out[(rel / name).as_posix()] = (Path(base) / name).read_bytes()
    return out


def previous_tree(out: Path, files: dict[str, str]) -> tuple[Tree, int]:
    """A committed output/ that the next run must change; returns its snapshot and the files to write."""
    paths = sorted(files)
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (out / paths[0]).write_text(files[paths[0]] + "# hand edit\n")  # changed
    (out / paths[1]).unlink()  # missing
    (out / paths[-1]).write_text("an older spec wrote this\n")  # changed
    stale = out / "prometheus/rules/retired-service.rules.yml"  # no longer generated
    stale.write_text("groups: []\n")
    (out / MARKER).write_text(MARKER_TEXT)  # an earlier run wrote it
    return snapshot(out), 3


def leftovers(parent: Path, out: Path) -> list[str]:
    """Temporary or moved-away trees a run left beside `out`."""
    return sorted(
        p.name for p in parent.iterdir() if p.name.startswith((f".{out.name}.tmp-", f".{out.name}.old-"))
    )


@pytest.fixture
def files(brownie: Result) -> dict[str, str]:
    return brownie.texts


@pytest.mark.parametrize("fail_at", [0, 1, 2])
def test_a_failed_write_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    out = tmp_path / "output"
    before, writes = previous_tree(out, files)
    assert fail_at < writes
    done = 0
    real = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:
        nonlocal done
        if done == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device (injected)", str(self))
        done += 1
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError, match="injected"), locked(out):
        write(out, files)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_a_failed_swap_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)

    def refused(a: Path, b: Path) -> bool:
        raise OSError(errno.EIO, "Input/output error (injected)")

    monkeypatch.setattr("generator.output._exchange", refused)
    with pytest.raises(OSError, match="injected"), locked(out):
        write(out, files)
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_a_successful_write_replaces_everything(tmp_path: Path, files: dict[str, str]) -> None:
    out = tmp_path / "output"
    previous_tree(out, files)
    with locked(out):
        drift = write(out, files)
    assert (drift.changed, drift.removed) == (
        sorted([sorted(files)[0], sorted(files)[-1]]),
        ["prometheus/rules/retired-service.rules.yml"],
    )
    assert drift.added == [sorted(files)[1]]
    assert snapshot(out) == expected(files)
    assert leftovers(tmp_path, out) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_jobs_files_are_staged_as_they_come_and_a_failure_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """`generate` puts each service's files in the new tree as its job returns them (the run never
    holds them all); a write failing then still leaves output/ as it was and no tree beside it."""
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    model = load(SPECS, jobs=jobs)
    written: list[str] = []
    real = Path.write_bytes

    def disk_full_after_two(self: Path, data: bytes) -> int:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device (injected)", str(self))
        written.append(self.name)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_after_two)
    with pytest.raises(WriteFailed, match="injected"), locked(out), Staging(out, write=True) as staging:
        process(model, jobs=jobs, staging=staging)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []

    with locked(out), Staging(out, write=True) as staging:
        result = process(model, jobs=jobs, staging=staging)
        staging.finish()
    assert result.files == {}
    assert list(result.paths) == sorted(files)
    assert snapshot(out) == expected(files)


def expected(files: dict[str, str]) -> Tree:
    """The snapshot of a tree holding exactly `files` and alertgen's marker."""
    tree: Tree = {MARKER: MARKER_TEXT.encode()}
    for path, text in files.items():
        parts = path.split("/")
        for i in range(1, len(parts)):
            tree["/".join(parts[:i]) + "/"] = b""
        tree[path] = text.encode()
    return tree


def start_paused(tmp_path: Path, out: Path, after: str, release: Path | None = None) -> subprocess.Popen[str]:
    """`alertgen generate` that stops at `after` and waits; returns once it is paused there."""
    marker = tmp_path / f"paused-{after}"
    env = {**os.environ, "PAUSE_AFTER": after, "PAUSE_MARKER": str(marker)}
    if release is not None:
        env["PAUSE_RELEASE"] = str(release)
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING_ALERTGEN, "generate", "--specs", str(SPECS), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            stdout, stderr = proc.communicate()
            pytest.fail(f"alertgen never reached the pause point {after!r}:\n{stdout}\n{stderr}")
        time.sleep(0.05)
    return proc


def generate(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", str(SPECS), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("after", ["0", "2"])
def test_sigkill_while_writing_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str], after: str
) -> None:
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    proc = start_paused(tmp_path, out, after)
    workers = children(proc.pid)  # the jobs' pool: the fixture's service and its spanning files
    assert workers
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert still_running(workers, within=10) == []
    proc.communicate(timeout=30)  # no worker holds its output open
    assert snapshot(out) == before
    # The next run clears what the killed one left and writes the new tree.
    assert leftovers(tmp_path, out) != []
    rerun = generate(out)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(out) == expected(files)
    assert leftovers(tmp_path, out) == []


def test_ctrl_c_while_writing_says_so_and_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the jobs' pool runs:
    one line, exit 130, the pool's workers gone, output/ as it was and nothing beside it."""
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    proc = start_paused(tmp_path, out, "0")
    workers = children(proc.pid)
    assert workers
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stdout, stderr) == (130, "", "alertgen: interrupted\n")
    assert still_running(workers, within=10) == []
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


KILLED_WORKER_ALERTGEN = """
import os, signal, sys
import generator.pipeline as pipeline
from generator.cli import main

real = pipeline._part_job

def _part_job(name):
    if name is not None:  # a service's job: its process killed, as the out-of-memory killer does
        os.kill(os.getpid(), signal.SIGKILL)
    return real(name)

pipeline._part_job = _part_job
main(sys.argv[1:], prog_name="alertgen")
"""


def test_a_worker_killed_from_outside_is_one_line_and_leaves_the_previous_output(
    tmp_path: Path, files: dict[str, str]
) -> None:
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    argv = ["generate", "--specs", str(SPECS), "--out", str(out), "-j", "2"]
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER_ALERTGEN, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (7, "")
    assert done.stderr.splitlines() == [
        "alertgen: a worker process died while rendering and checking (killed from outside, e.g. by "
        "the out-of-memory killer: see dmesg); nothing written; run again, with fewer jobs (-j) to "
        "use less memory"
    ]
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_sigkill_after_the_swap_leaves_the_complete_new_output(tmp_path: Path, files: dict[str, str]) -> None:
    out = tmp_path / "output"
    previous_tree(out, files)
    proc = start_paused(tmp_path, out, "swap")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert snapshot(out) == expected(files)
    rerun = generate(out)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"{out}: unchanged ({len(files)} files)"
    assert leftovers(tmp_path, out) == []


def test_a_second_run_while_one_writes_is_refused_and_changes_nothing(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """While one run is writing, another is refused with a clear message and exit 3."""
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    release = tmp_path / "release"
    first = start_paused(tmp_path, out, "1", release)
    try:
        second = generate(out)
        assert second.returncode == 3
        assert second.stderr.splitlines()[-1] == (
            f"alertgen: another alertgen run is writing {out}; wait for it to finish and run again"
        )
        assert snapshot(out) == before
    finally:
        release.touch()
        _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert snapshot(out) == expected(files)


def test_the_lock_is_held_for_the_whole_write(tmp_path: Path) -> None:
    out = tmp_path / "output"
    with locked(out), pytest.raises(OutputBusy, match="another alertgen run is writing"), locked(out):
        pass
    with locked(out):  # released again
        pass


def test_a_run_killed_between_the_fallback_renames_is_undone_by_the_next(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """Where renameat2 is missing, output/ is moved aside, then the new tree moved in: a kill
    between the two leaves no output/; the next run, under the lock, puts the previous one back."""
    out = tmp_path / "output"
    before, _ = previous_tree(out, files)
    out.rename(tmp_path / ".output.old-4242")
    (tmp_path / ".output.tmp-4242/prometheus").mkdir(parents=True)
    with locked(out):
        assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []
