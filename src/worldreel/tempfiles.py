"""Temporary files and folders that say whether the run that made them is alive.

Each is held under an advisory lock (flock) for as long as its run uses it. The system drops the
lock when the process ends, however it ends (SIGKILL included), so a temporary found unlocked
belongs to a run that died, and the next run may remove it (`media.orphans`). Names: scratch in
the temporary folder and shared memory starts with `worldreel-`; files beside an output are hidden
and hold `.partial`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from worldreel.interrupts import uninterrupted

SCRATCH_PREFIX = "worldreel-"
SCRATCH_SUFFIX = ".scratch"  # with the prefix, what marks a name as ours to sweep
TRIES = 20  # fresh names to try when a sweep takes the lock of a name just made (see `_made`)


def hold(path: str | Path) -> int | None:
    """An open descriptor holding the exclusive lock on `path` (a file or a folder), or None when
    another process holds it. Raises OSError when `path` cannot be opened."""
    flags = os.O_RDONLY | os.O_CLOEXEC
    if os.path.isdir(path):
        flags |= os.O_DIRECTORY
    fd = os.open(path, flags)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return None
        raise
    return fd


def abandoned(path: str | Path) -> bool:
    """Whether nobody holds `path` (its run died). A path that vanished is not abandoned."""
    try:
        fd = hold(path)
    except OSError:
        return False
    if fd is None:
        return False
    os.close(fd)
    return True


def _made(make, remove) -> tuple[int, str]:
    """Make a fresh temporary with `make()` -> path and lock it. Between the two, a sweep of
    another run may find it unlocked and take it: then that name is left to the sweep and a
    fresh one is made."""
    for _ in range(TRIES):
        path = make()
        fd = hold(path)
        if fd is not None:
            return fd, path
    remove(path)
    raise OSError(errno.EBUSY, "temporary names kept being taken", path)


def held_file(prefix: str, suffix: str = "", folder: str | Path | None = None
              ) -> tuple[int, Path]:
    """A new empty file (mkstemp) and the descriptor that holds its lock; close it when done."""
    def make() -> str:
        fd, path = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        os.close(fd)
        return path

    fd, path = _made(make, os.unlink)
    return fd, Path(path)


def held_folder(prefix: str, suffix: str = "", folder: str | Path | None = None
                ) -> tuple[int, Path]:
    """A new empty folder (mkdtemp) and the descriptor that holds its lock; close it when done."""
    fd, path = _made(lambda: tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=folder),
                     os.rmdir)
    return fd, Path(path)


@contextlib.contextmanager
def scratch_folder(name: str) -> Iterator[Path]:
    """A private folder in the temporary folder for the block's work, removed when it ends."""
    fd = path = None
    try:
        with uninterrupted():  # made and known to this block, or not made
            fd, path = held_folder(f"{SCRATCH_PREFIX}{name}-", SCRATCH_SUFFIX)
        yield path
    finally:
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)
            os.close(fd)


def held_scratch_file(name: str, folder: str | Path | None = None) -> tuple[int, Path]:
    """A new scratch file `worldreel-NAME-XXXXXXXX.scratch` (in `folder`, else the temporary
    folder) and the descriptor holding its lock."""
    return held_file(f"{SCRATCH_PREFIX}{name}-", SCRATCH_SUFFIX, folder)


def is_scratch(name: str) -> bool:
    """Whether `name` is one WorldReel gives its scratch files and folders."""
    return name.startswith(SCRATCH_PREFIX) and name.endswith(SCRATCH_SUFFIX)


def shared_folder() -> str | None:
    """Where big scratch shared with worker processes goes: /dev/shm where there is one (memory,
    not disk), else None (the temporary folder)."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def scratch_places() -> list[Path]:
    """The folders scratch of any run may be in."""
    places = [Path(tempfile.gettempdir())]
    shared = shared_folder()
    if shared is not None and Path(shared) not in places:
        places.append(Path(shared))
    return places


def remove(path: str | Path) -> None:
    """Remove a file or a folder tree; gone already is fine."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
