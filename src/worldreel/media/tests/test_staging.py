"""A clip and its sidecars are published as one unit, and what a killed run left is cleaned up
(or finished) by the next one, while anything a live run or the user holds is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import worldreel.media.staging as staging
from worldreel.errors import OutputError
from worldreel.media.files import atomic_output, lock_name, reserve_output
from worldreel.media.orphans import clean_orphans
from worldreel.media.staging import clip_unit
from worldreel.tempfiles import held_scratch_file, scratch_folder

FILES = {"c.scene.yaml": "scene", "c.events.json": "events", "c.recording.npz": "recording",
         "c.mp4": "picture"}


def _write_unit(folder: Path, *, overwrite: bool = False):
    with clip_unit(folder / "c.mp4", overwrite=overwrite) as unit:
        for name, text in FILES.items():
            unit.file(folder / name).write_text(text)
        (unit.folder(folder / "c_aov") / "ids.json").write_text("{}")
        (folder / "stems").mkdir(exist_ok=True)
        unit.file(folder / "stems" / "mix.wav").write_text("mix")


def _names(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_a_unit_publishes_everything_and_leaves_no_staging(tmp_path):
    _write_unit(tmp_path)
    assert _names(tmp_path) == {*FILES, "c_aov", "c_aov/ids.json", "stems", "stems/mix.wav"}


def test_the_clip_is_moved_into_place_last(tmp_path, monkeypatch):
    order = []
    real = staging._move
    monkeypatch.setattr(staging, "_move", lambda a, b: (order.append(b.name), real(a, b)))
    _write_unit(tmp_path)
    assert order[-1] == "c.mp4" and len(order) == len(FILES) + 2


def test_a_failure_before_publishing_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with clip_unit(tmp_path / "c.mp4", overwrite=False) as unit:
            unit.file(tmp_path / "c.scene.yaml").write_text("scene")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_overwrite_replaces_the_aov_folder_whole(tmp_path):
    (tmp_path / "c_aov").mkdir()
    (tmp_path / "c_aov" / "old.png").write_text("old")
    _write_unit(tmp_path, overwrite=True)
    assert sorted(p.name for p in (tmp_path / "c_aov").iterdir()) == ["ids.json"]


def test_without_overwrite_a_file_that_appeared_meanwhile_is_kept(tmp_path):
    with pytest.raises(OutputError, match="appeared while this run wrote it"):
        with clip_unit(tmp_path / "c.mp4", overwrite=False) as unit:
            unit.file(tmp_path / "c.mp4").write_text("new")
            (tmp_path / "c.mp4").write_text("the user's")
    assert (tmp_path / "c.mp4").read_text() == "the user's"
    assert _names(tmp_path) == {"c.mp4"}


def test_a_run_killed_while_publishing_is_finished_by_the_next(tmp_path, monkeypatch):
    real, moved = staging._move, []

    def killed_after_two(staged, final):
        if len(moved) == 2:
            raise KeyboardInterrupt  # the process dies here, between two renames
        moved.append(final)
        real(staged, final)

    monkeypatch.setattr(staging, "_move", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        _write_unit(tmp_path)
    assert not (tmp_path / "c.mp4").exists()  # a clip is never seen without its sidecars
    monkeypatch.setattr(staging, "_move", real)
    said = clean_orphans([tmp_path])
    assert said == [f"finished publishing {tmp_path / 'c.mp4'}, which a run killed while moving "
                    "it into place had left half-published"]
    assert _names(tmp_path) == {*FILES, "c_aov", "c_aov/ids.json", "stems", "stems/mix.wav"}
    assert (tmp_path / "c.mp4").read_text() == "picture"


KILLED_CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from worldreel.media.files import atomic_output, reserve_output
    from worldreel.media.staging import clip_unit
    from worldreel.tempfiles import held_scratch_file, scratch_folder
    folder = Path(sys.argv[1])
    with reserve_output(folder / "c.mp4"), clip_unit(folder / "c.mp4", overwrite=False) as unit, \\
            atomic_output(folder / "plan.yaml") as tmp, scratch_folder("test"):
        unit.file(folder / "c.scene.yaml").write_text("scene")
        held_scratch_file("frames")
        os.kill(os.getpid(), signal.SIGKILL)
""")


def _scratch() -> set[str]:
    import tempfile

    places = [Path(tempfile.gettempdir()), Path("/dev/shm")]
    return {str(p) for place in places if place.is_dir() for p in place.glob("worldreel-*")}


def test_what_a_killed_run_left_is_removed_by_the_next(tmp_path):
    before = _scratch()
    done = subprocess.run([sys.executable, "-c", KILLED_CHILD, str(tmp_path)], timeout=60)
    assert done.returncode == -9
    left = list(tmp_path.iterdir())
    assert len(left) == 3  # its staging folder, a partial file and its reservation lock
    assert len(_scratch() - before) == 2  # its scratch folder and frame ring
    said = clean_orphans([tmp_path])
    assert said == ["removed 3 temporary files left by runs that were killed"]  # scratch: quietly
    assert list(tmp_path.iterdir()) == []
    assert _scratch() - before == set()


def test_what_live_runs_and_users_hold_is_never_taken(tmp_path):
    mine = [tmp_path / ".notes.partial", tmp_path / ".c.mp4.lock", tmp_path / "c.partial.mp4"]
    for path in mine:
        path.write_text("the user's")
    with reserve_output(tmp_path / "live.mp4"), \
            clip_unit(tmp_path / "live.mp4", overwrite=False), \
            atomic_output(tmp_path / "live.yaml"), scratch_folder("test") as scratch:
        fd, ring = held_scratch_file("frames")
        try:
            before = _names(tmp_path)
            assert clean_orphans([tmp_path]) == []
            assert _names(tmp_path) == before and scratch.exists() and ring.exists()
        finally:
            os.close(fd)
            ring.unlink()
    assert sorted(tmp_path.iterdir()) == sorted([*mine, tmp_path / "live.yaml"])


def test_a_stale_reservation_lock_is_removed(tmp_path):
    (tmp_path / lock_name("c.mp4")).write_text("12345\n")  # left unlocked by a killed run
    assert clean_orphans([tmp_path]) == ["removed 1 temporary file left by runs that were killed"]
    assert list(tmp_path.iterdir()) == []
