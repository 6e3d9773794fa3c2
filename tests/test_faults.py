"""Faults: a run killed at any moment leaves a complete clip with all its sidecars or nothing the
next run does not clean up; SIGTERM cleans up at once; a dead render worker is said within
seconds; a full disk is one line and leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from worldreel.media.orphans import clean_orphans
from worldreel.media.reader import iter_frames
from worldreel.tempfiles import abandoned

SIDECARS = {"c.scene.yaml", "c.events.json", "c.recording.npz"}
GENERATE = ["generate", "a ball drops", "--size", "64x64", "--seconds", "1", "--quiet"]


def _scratch() -> set[Path]:
    places = {Path(tempfile.gettempdir()), Path("/dev/shm")}
    return {p for place in places if place.is_dir() for p in place.glob("worldreel-*")}


def _processes_marked(mark: str) -> list[int]:
    """Processes (the run and its render workers) whose environment carries `mark`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _start(folder: Path, mark: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl"), "WR_FAULT_MARK": mark}
    return subprocess.Popen([sys.executable, "-m", "worldreel", *args, "-o",
                             str(folder / "c.mp4")], env=env, cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _gone(mark: str, within_s: float) -> bool:
    end = time.monotonic() + within_s
    while _processes_marked(mark):
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True


def _complete_or_nothing(folder: Path) -> str:
    names = {p.name for p in folder.iterdir()}
    if not names:
        return "nothing"
    assert names == {"c.mp4", *SIDECARS}, names
    assert sum(1 for _ in iter_frames(folder / "c.mp4")) == 24  # whole, never truncated
    return "clip"


@pytest.mark.slow
def test_sigkill_at_twenty_moments_leaves_a_whole_clip_or_nothing_after_the_next_start(
        tmp_path):
    before = _scratch()
    started = time.monotonic()
    probe = _start(tmp_path, "probe", *GENERATE)
    assert probe.wait(timeout=120) == 0, probe.stderr.read().decode()
    whole = time.monotonic() - started
    (tmp_path / "c.mp4").unlink()
    for path in tmp_path.iterdir():
        path.unlink()
    rng = np.random.default_rng(7)
    outcomes = []
    for moment in np.sort(rng.uniform(0.05, 1.1 * whole, 20)):
        folder = tmp_path / f"k{len(outcomes)}"
        folder.mkdir()
        mark = uuid.uuid4().hex
        run = _start(folder, mark, *GENERATE)
        time.sleep(moment)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        assert _gone(mark, within_s=5), "render workers outlived their killed parent"
        clean_orphans([folder])  # what the next run does at its start
        outcomes.append(_complete_or_nothing(folder))
        left = {p for p in _scratch() - before if abandoned(p)}
        assert not left, left
    assert "nothing" in outcomes and len(outcomes) == 20


@pytest.mark.slow
def test_sigterm_at_random_moments_cleans_up_at_once(tmp_path):
    before = _scratch()
    rng = np.random.default_rng(11)
    for n, moment in enumerate(np.sort(rng.uniform(0.05, 2.5, 10))):
        folder = tmp_path / f"t{n}"
        folder.mkdir()
        mark = uuid.uuid4().hex
        run = _start(folder, mark, *GENERATE)
        time.sleep(moment)
        run.send_signal(signal.SIGTERM)
        code = run.wait(timeout=60)
        stderr = run.stderr.read().decode()
        assert _gone(mark, within_s=5)
        if code == 0:  # it had finished
            assert _complete_or_nothing(folder) == "clip"
            continue
        if code == -signal.SIGTERM:  # before Python had even started the command
            assert not stderr and list(folder.iterdir()) == []
            continue
        assert code == 143, stderr
        assert stderr.strip().splitlines() == ["worldreel: error: terminated"], stderr
        # No next run needed: nothing, or (stopped while moving it into place) the whole clip.
        _complete_or_nothing(folder)
        # Another process's live scratch (a test beside this one) is locked, and not this run's.
        assert {p for p in _scratch() - before if abandoned(p)} == set()


def _render_scene(tmp_path: Path):
    from worldreel import pipeline
    from worldreel.physics import simulate
    from worldreel.render import plan_camera
    from worldreel.render.preview import Preview, RenderOptions

    scene = pipeline.plan("a ball drops", seconds=2, size=(64, 64)).scene
    recording = simulate(scene)
    recording = recording.with_camera(plan_camera(scene, recording))
    return scene, recording, Preview, RenderOptions


def _children() -> list[int]:
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended while we looked
            continue
    return pids


def test_a_dead_render_worker_is_said_within_seconds(tmp_path):
    from worldreel.errors import RenderError

    scene, recording, Preview, RenderOptions = _render_scene(tmp_path)
    with Preview(scene, RenderOptions(workers=2)) as preview:
        frames = preview.frames(recording)
        next(frames)
        workers = [p for p in _children() if Path(f"/proc/{p}/cmdline").read_bytes().find(
            b"multiprocessing") >= 0 and b"resource_tracker" not in
            Path(f"/proc/{p}/cmdline").read_bytes()]
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(RenderError, match="a render worker died .* try again with a smaller"):
            for _ in frames:
                pass
        assert time.monotonic() - started < 10
    assert not [p for p in _children() if p in workers]


def test_a_failure_while_workers_start_leaves_no_worker_and_no_ring(tmp_path, monkeypatch):
    from worldreel.render import preview as preview_module

    scene, _, Preview, RenderOptions = _render_scene(tmp_path)
    real_start = Preview._start

    def start_then_fail(self, backend):
        real_start(self, backend)
        for future in self.warming:
            future.result(timeout=60)  # the workers are up
        raise MemoryError("no memory for the next thing")

    monkeypatch.setattr(preview_module.Preview, "_start", start_then_fail)
    before = _scratch()
    with pytest.raises(MemoryError):
        Preview(scene, RenderOptions(workers=2))
    time.sleep(0.5)
    assert not [p for p in _children()
                if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert _scratch() - before == set()


@pytest.fixture
def small_disk(tmp_path):
    """A 48 KB file system (tmpfs): a clip does not fit (needs root)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_leaves_nothing(small_disk):
    env = {**os.environ, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}
    done = subprocess.run([sys.executable, "-m", "worldreel", "generate", "a ball drops",
                           "--size", "640x360", "--seconds", "2", "--quiet", "-o",
                           str(small_disk / "c.mp4")], env=env, capture_output=True, timeout=300)
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device; the disk is full" in lines[0], stderr
    assert list(small_disk.iterdir()) == []


def test_the_next_run_finishes_a_half_published_clip_and_says_so(tmp_path, monkeypatch):
    import worldreel.media.staging as staging
    from tests.conftest import run_cli

    real, moved = staging._move, []

    def killed_after_one(staged, final):
        if moved:
            raise KeyboardInterrupt  # the run dies between two renames
        moved.append(final)
        real(staged, final)

    monkeypatch.setattr(staging, "_move", killed_after_one)
    assert run_cli(*GENERATE, "-o", str(tmp_path / "c.mp4")).exit_code == 130
    assert not (tmp_path / "c.mp4").exists() and len(moved) == 1
    monkeypatch.setattr(staging, "_move", real)
    result = run_cli(*GENERATE, "-o", str(tmp_path / "d.mp4"))
    assert result.exit_code == 0, result.stderr
    assert (f"worldreel: warning: finished publishing {tmp_path / 'c.mp4'}, which a run killed "
            "while moving it into place had left half-published") in result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"c.mp4", *SIDECARS} | {"d.mp4", *(s.replace("c.", "d.") for s in SIDECARS)}
