"""What runs that died left behind, cleaned up at the next start.

A run killed (SIGKILL, a power cut of the process, the OOM killer) cannot clean up after itself.
Everything it leaves is recognisable by name and by an advisory lock nobody holds any more
(`worldreel.tempfiles`): staging folders and partial files beside outputs, stale reservation
locks, frame rings and recordings in shared memory, scratch folders in the temporary folder.
Anything still locked belongs to a live run and is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from worldreel.media.staging import STAGING_SUFFIX, finish_publishing
from worldreel.media.files import LOCK_SUFFIX
from worldreel.tempfiles import abandoned, hold, is_scratch, remove, scratch_places

# `.NAME.XXXXXXXX.partial[.suffix]`: mkstemp's and mkdtemp's eight random characters, so a
# user's own hidden file is not taken for ours.
_PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial(\.[A-Za-z0-9]+)?$")


def _partial(name: str) -> bool:
    """A hidden name WorldReel writes an output under before renaming it into place."""
    return _PARTIAL.match(name) is not None


def clean_orphans(folders: Iterable[str | Path] = ()) -> list[str]:
    """Remove what dead runs left in `folders` (output folders) and in the scratch places, and
    finish publishing a clip whose run was killed in the middle of it. Returns one line per
    clip finished and one summing up what was removed from `folders`, for the user."""
    said, removed = [], 0
    seen: set[Path] = set()
    outputs = [Path(f) for f in folders]
    for folder in [*outputs, *scratch_places()]:
        try:
            key = folder.resolve()
            if key in seen or not folder.is_dir():
                continue
            seen.add(key)
            entries = list(os.scandir(folder))
        except OSError:
            continue
        # Only what was removed from the user's folders is worth a line; scratch is not theirs.
        before = removed
        for entry in entries:
            path = Path(entry.path)
            if is_scratch(entry.name) or _partial(entry.name):
                if entry.name.endswith(STAGING_SUFFIX) and entry.is_dir(follow_symlinks=False):
                    clip = _finish(path)
                    if clip is not None:
                        said.append(f"finished publishing {clip}, which a run killed while "
                                    "moving it into place had left half-published")
                    elif not path.exists():
                        removed += 1
                elif abandoned(path):
                    remove(path)
                    removed += 1
            elif entry.name.startswith(".") and entry.name.endswith(LOCK_SUFFIX):
                removed += _stale_lock(path)
        if folder not in outputs:
            removed = before
    if removed:
        said.append(f"removed {removed} temporary file{'s' * (removed != 1)} left by runs that "
                    "were killed")
    return said


def _finish(root: Path) -> Path | None:
    """Finish or remove a staging folder whose run died; None when it is alive or had not
    started publishing."""
    try:
        fd = hold(root)
    except OSError:
        return None
    if fd is None:
        return None
    try:
        return finish_publishing(root)
    finally:
        os.close(fd)


def _stale_lock(path: Path) -> int:
    """Remove a reservation lock file nobody holds (its run was killed): 1, else 0. A run taking
    it meanwhile sees the file replaced and takes the new one (`media.files.reserve_output`)."""
    try:
        fd = hold(path)
    except OSError:
        return 0
    if fd is None:
        return 0
    try:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    finally:
        os.close(fd)
    return 1
