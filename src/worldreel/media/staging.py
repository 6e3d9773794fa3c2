"""A clip and everything written with it as one unit: complete, or absent.

Every file of a clip (the MP4, its sidecars, the AOV folder, the stems) is written into one hidden
staging folder beside the clip, `.clip.mp4.XXXXXXXX.partial/`, on the same file system, so that
moving them into place is a rename. Publishing first writes a plan of the moves into the folder
(`publish.json`, itself renamed into place), then makes them with the MP4 last: a clip that can
be seen always has all its sidecars.

A run killed before the plan exists leaves a folder the next run removes; one killed while moving
leaves the plan, and the next run finishes the moves (`finish_publishing`), since everything in
the folder was complete once the plan was written. The run holds the folder's lock while it
lives (`worldreel.tempfiles`), which is how the next run knows it died.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from worldreel.errors import OutputError
from worldreel.interrupts import uninterrupted
from worldreel.tempfiles import held_folder, remove

PLAN = "publish.json"
TRASH = "replaced"  # folders replaced with --overwrite wait here until the moves are done
STAGING_SUFFIX = ".partial"


def staging_folder_name(clip: str | Path) -> str:
    """The longest name the staging folder of `clip` has (for checking names up front)."""
    return f".{Path(clip).name}.XXXXXXXX{STAGING_SUFFIX}"


class ClipUnit:
    """The staging folder of one clip: `file(final)` and `folder(final)` say where to write
    what goes to `final`; `publish()` moves it all into place, the clip last."""

    def __init__(self, clip: Path, *, overwrite: bool):
        self.clip, self.overwrite = Path(clip), overwrite
        parent = self.clip.parent if str(self.clip.parent) else Path(".")
        self.lock, self.root = held_folder(f".{self.clip.name}.", STAGING_SUFFIX, parent)
        self.moves: list[tuple[Path, Path]] = []  # (staged, final); the clip's own comes last

    def _staged(self, final: Path) -> Path:
        final = Path(final)
        if final.parent.absolute() == self.clip.parent.absolute():
            staged = self.root / final.name
        else:  # e.g. the stems folder: kept apart so names cannot clash
            staged = self.root / f"to{len(self.moves)}" / final.name
            staged.parent.mkdir()
        if any(staged == s for s, _ in self.moves):
            raise ValueError(f"{final} is already part of this clip")
        self.moves.append((staged, final))
        return staged

    def file(self, final: str | Path) -> Path:
        """Where to write the file that goes to `final`."""
        return self._staged(Path(final))

    def folder(self, final: str | Path) -> Path:
        """A new folder to fill with what goes to the folder `final` (replaced whole)."""
        staged = self._staged(Path(final))
        staged.mkdir()
        return staged

    def publish(self) -> None:
        """Move everything into place, the clip last, and remove the staging folder."""
        missing = [final for staged, final in self.moves if not staged.exists()]
        if missing:
            raise OutputError(f"{missing[0]} was never written; nothing was published")
        if not self.overwrite:
            for _, final in self.moves:
                if final.exists():
                    raise OutputError(f"{final} appeared while this run wrote it; it was left "
                                      "as it is: pass --overwrite to replace it")
        order = sorted(self.moves, key=lambda move: move[1] == self.clip)  # stable: clip last
        plan = [[str(staged.relative_to(self.root)), str(final.absolute())]
                for staged, final in order]
        tmp = self.root / f".{PLAN}"
        tmp.write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.root / PLAN)
        _make_moves(self.root, plan)
        self.close()

    def discard(self) -> None:
        """Remove everything written (nothing was published)."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.close()

    def close(self) -> None:
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


def _make_moves(root: Path, plan: list[list[str]]) -> None:
    """Make the moves in `plan` whose staged file is still there, then remove `root`. Every step
    can be made again after a crash: a move already made has no staged file left."""
    trash = root / TRASH
    for rel, final in plan:
        staged, final = root / rel, Path(final)
        if not staged.exists():
            continue  # made before a crash
        final.parent.mkdir(parents=True, exist_ok=True)
        if staged.is_dir() and final.is_dir():
            trash.mkdir(exist_ok=True)
            os.replace(final, trash / f"{len(list(trash.iterdir()))}")
        _move(staged, final)
    shutil.rmtree(root, ignore_errors=True)


def _move(staged: Path, final: Path) -> None:
    try:
        os.replace(staged, final)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # Another file system (a stems folder on another disk): copy beside the final name,
        # then rename, so the file there is never seen half-written.
        from worldreel.media.files import atomic_output  # noqa: PLC0415

        with atomic_output(final) as tmp:
            if staged.is_dir():
                tmp.unlink()
                shutil.copytree(staged, tmp)
            else:
                shutil.copyfile(staged, tmp)
        remove(staged)


def finish_publishing(root: Path) -> Path | None:
    """Finish what a run killed while publishing left in its staging folder `root` (whose lock
    the caller holds): the clip it was publishing, or None when it had not started (the folder
    is removed)."""
    plan_file = root / PLAN
    try:
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(root, ignore_errors=True)
        return None
    _make_moves(root, plan)
    return Path(plan[-1][1]) if plan else None


@contextlib.contextmanager
def clip_unit(clip: str | Path, *, overwrite: bool) -> Iterator[ClipUnit]:
    """A staging folder for `clip`: published when the block ends well, removed when it fails."""
    unit = None
    try:
        with uninterrupted():  # made and known to this block, or not made
            unit = ClipUnit(Path(clip), overwrite=overwrite)
        yield unit
    except BaseException:
        if unit is not None:
            unit.discard()
        raise
    try:
        with uninterrupted():  # renames only: microseconds, never cut in half
            unit.publish()
    except BaseException:
        if (unit.root / PLAN).exists():
            # Interrupted between two renames (Ctrl-C, SIGTERM): the rest takes microseconds,
            # so finish now rather than leave it to the next run; if even that fails (a second
            # signal, a file system error), the next run finishes it.
            with contextlib.suppress(BaseException):
                finish_publishing(unit.root)
            unit.close()
        else:
            unit.discard()
        raise
