"""Helpers of the fuzz suite (tests/test_fuzz.py): a sandbox in which every place a run could
write is watched, the CLI run in-process under a watchdog, and the property every run keeps.

The property: a run ends either in what it was asked to make (a clip with all its sidecars, a
Scene file, a metrics file), or in exactly one line on stderr, a non-zero status, and no new or
changed file anywhere: not in the output folder, not in the current folder, not in the temporary
folder, not in /dev/shm. Status 70 (an internal error) is always a failure: it is a bug.
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
import shlex
import shutil
import signal
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from worldreel.cli import EXIT_INTERNAL, main

SHM = Path("/dev/shm")
WATCHDOG_S = 120  # one run, however big its input; a hang becomes a failure, not a stuck CI job
CLIP_SIDECARS = (".scene.yaml", ".events.json", ".recording.npz")
SHM_GRACE_TRIES = 30  # x 0.1 s for a worker pool's semaphores to go (see Watch.new)


class Hung(BaseException):
    """Raised in the CLI by the watchdog (BaseException: the CLI turns it into status 70)."""


@dataclass
class Outcome:
    args: list[str]
    code: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        shown = [a if len(a) < 200 else f"{a[:100]}...({len(a)} chars)" for a in self.args]
        command = shlex.join(s.encode("utf-8", "backslashreplace").decode() for s in shown)
        return f"worldreel {command}\n-> exit {self.code}\nstderr:\n{self.stderr[-4000:]}"


def invoke(args: list[str]) -> Outcome:
    """The CLI in-process (as tests/conftest.run_cli), stopped by a watchdog if it hangs."""
    def hung(signum, frame):
        raise Hung(f"no result after {WATCHDOG_S} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(WATCHDOG_S)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(list(args), result.exit_code, result.stdout, result.stderr)


# --- what is on disk ------------------------------------------------------------------------------

def contents(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder under `folder`, hidden ones included: bytes (None for a folder)
    and mtime, so that a file rewritten with the same bytes is seen too."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        found[str(path)] = (data, info.st_mtime_ns)
    return found


def names(folder: Path, deep: bool = True) -> set[str]:
    if not folder.is_dir():
        return set()
    return {str(p) for p in (folder.rglob("*") if deep else folder.iterdir())}


# /dev/shm is shared with every process on the machine (other test runs, other users' renders):
# what this process makes there is told apart by a tag in the random part of its temporary names
# (tempfile's, still eight characters) and of its semaphores (multiprocessing's).
TAG = "fz_"


class TaggedNames(tempfile._RandomNameSequence):  # noqa: SLF001 - tempfile's name source
    def __next__(self) -> str:
        return TAG + super().__next__()[len(TAG):]


def tag_names(patch) -> None:
    """From now on, this process's temporary files and semaphores carry TAG (see above)."""
    patch.setattr(tempfile, "_name_sequence", TaggedNames())
    config = multiprocessing.current_process()._config  # noqa: SLF001
    patch.setitem(config, "semprefix", f"/mp-{TAG}")


def _descendants() -> set[int]:
    """This process's children, grandchildren... (render workers, speech engines)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    ours, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= more
        grew = bool(more)
    return ours - {os.getpid()}


def _ours(path: str) -> bool:
    """Whether a new entry of /dev/shm is this test's: made by this process (tagged), or held
    open by one of its children (a worker left running)."""
    name = os.path.basename(path)
    if name.startswith(f"sem.mp-{TAG}-") or f"-{TAG}" in name:
        return True
    for pid in _descendants():
        proc = Path("/proc") / str(pid)
        try:
            if any(os.readlink(fd) == path for fd in (proc / "fd").iterdir()):
                return True
            if path in (proc / "maps").read_text():
                return True
        except OSError:
            continue
    return False


@dataclass
class Sandbox:
    """Where the runs happen: `cwd` is the current folder and `tmp` the temporary folder
    (TMPDIR, tempfile.gettempdir()) during every run, both private and empty, so anything found
    in them afterwards was left by the run; `template` holds what every example's output folder
    starts with (a real clip and its sidecars, a user's files)."""

    root: Path
    cwd: Path
    tmp: Path
    template: Path
    base_scene: dict
    counter: itertools.count = field(default_factory=itertools.count)

    def folder(self) -> Path:
        folder = self.root / "examples" / str(next(self.counter))
        shutil.copytree(self.template, folder, symlinks=True)
        return folder


class Watch:
    """Everything a run could touch, before it runs."""

    def __init__(self, sandbox: Sandbox, folder: Path):
        self.sandbox, self.folder = sandbox, folder
        self.before = contents(folder)
        self.cwd = names(sandbox.cwd)
        self.tmp = names(sandbox.tmp)
        self.shm = names(SHM, deep=False)

    def new(self) -> list[str]:
        """What is there now and was not before: in the output folder, the current and the
        temporary folders, and of this test's, in /dev/shm."""
        found = sorted(set(contents(self.folder)) - set(self.before))
        found += sorted(names(self.sandbox.cwd) - self.cwd)
        found += sorted(names(self.sandbox.tmp) - self.tmp)
        left: list[str] = []
        for _ in range(SHM_GRACE_TRIES):
            left = sorted(p for p in names(SHM, deep=False) - self.shm if _ours(p))
            if not left:
                break
            # A real run's process ends and its semaphores go with it; in-process, they go when
            # the worker pool that made them is collected, once its own thread has stopped.
            gc.collect()
            time.sleep(0.1)
        return found + left

    def changed(self) -> list[str]:
        """Files that were there before and are gone or different now, and folders gone (a
        folder's own time changes with what is added to it, which new() reports)."""
        now = contents(self.folder)
        return sorted(p for p, before in self.before.items()
                      if p not in now or (now[p] != before and before[0] is not None)
                      or (before[0] is None) != (now[p][0] is None))


# --- the property ---------------------------------------------------------------------------------

def _within(path: str, allowed: list[Path]) -> bool:
    return any(path == str(a) or path.startswith(f"{a}{os.sep}") for a in allowed)


def _made_for(path: str, folders: list[Path]) -> bool:
    """A folder made on the way to one asked for (--plots a/b makes a/ too)."""
    return any(str(f).startswith(f"{path}{os.sep}") for f in folders)


def check(outcome: Outcome, watch: Watch, *, outputs: list[Path], folders: list[Path] = (),
          overwrite: bool = False, verdict_code: int | None = None) -> bool:
    """Assert the property for one run; True when it succeeded (made what it was asked).

    outputs: the files a successful run makes (they must exist after it); folders: folders whose
    contents a successful run may write (stems, AOVs, plots); overwrite: --overwrite was given;
    verdict_code: a non-zero status that still writes the outputs (eval --strict, out of sync).
    """
    context = outcome.describe()
    if outcome.code == 0 and outcome.stdout.startswith("Usage: "):  # -h or --help among them
        assert {"-h", "--help"} & set(outcome.args), context
        assert not watch.new() and not watch.changed(), context
        return False
    assert outcome.code != EXIT_INTERNAL, f"internal error (a bug):\n{context}"
    assert "Traceback (most recent call last)" not in outcome.stderr, context
    if outcome.code == 0 or outcome.code == verdict_code:
        for path in outputs:
            assert path.is_file(), f"{path} was not made\n{context}"
        allowed = [*outputs, *folders]
        stray = [p for p in watch.new() if not _within(p, allowed) and not _made_for(p, folders)]
        assert not stray, f"left behind: {stray}\n{context}"
        changed = [p for p in watch.changed() if not (overwrite and _within(p, allowed))]
        assert not changed, f"replaced or removed: {changed}\n{context}"
        if outcome.code == 0:
            return True
    assert outcome.code in (1, 2, verdict_code), context
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, f"{len(lines)} lines on stderr, not one:\n{context}"
    assert lines[0].startswith("worldreel: error: "), context
    if outcome.code != verdict_code:
        stray = watch.new()
        assert not stray, f"a failed run left: {stray}\n{context}"
        changed = watch.changed()
        assert not changed, f"a failed run replaced or removed: {changed}\n{context}"
    return False


def check_clip(clip: Path) -> None:
    """What a user gets from a successful run: an MP4 that opens, with a picture, and its
    sidecars (a Scene that loads again, the events, the recording)."""
    import av

    from worldreel.scene import load_scene

    scene_file, events_file, recording_file = clip_files(clip)[1:]
    scene = load_scene(scene_file)
    with av.open(str(clip)) as container:
        video = container.streams.video[0]
        assert (video.width, video.height) == scene.resolution, clip
    events = json.loads(events_file.read_text())
    assert events["fps"] == scene.fps, clip
    assert zipfile.is_zipfile(recording_file), clip


def clip_files(clip: Path) -> list[Path]:
    """The clip and its sidecars: clip.mp4 -> clip.scene.yaml, clip.events.json, ..."""
    base = str(clip)[: len(str(clip)) - len(clip.suffix)]
    return [clip, *(Path(f"{base}{suffix}") for suffix in CLIP_SIDECARS)]


@dataclass
class Tally:
    """How many inputs a fuzz test ran, how many of them succeeded, and how long it took."""

    name: str
    examples: int = 0
    succeeded: int = 0
    started: float = field(default_factory=time.monotonic)

    def count(self, succeeded: bool) -> None:
        self.examples += 1
        self.succeeded += bool(succeeded)

    def summary(self) -> str:
        return (f"{self.name}: {self.examples} inputs, {self.succeeded} succeeded, "
                f"{time.monotonic() - self.started:.1f} s")
