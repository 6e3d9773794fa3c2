"""Output files that are either complete or absent: checks up front, temp file, atomic rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from worldreel.errors import OutputError


def check_output_path(path: str | Path, suffixes: tuple[str, ...] = (".mp4",)) -> Path:
    """Fail early, before any work, if `path` cannot be written."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{path}: output must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name such as {path / 'clip.mp4'}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: directory {parent} does not exist; create it first")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path}: exists and is not writable")
    # Permission bits do not tell the whole story (root, read-only mounts, special file
    # systems): try to create a file there.
    try:
        fd, probe = tempfile.mkstemp(prefix=".worldreel-probe.", dir=parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in directory {parent} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)
    return path


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it is removed.

    The temporary name keeps the suffix so encoders infer the container from it.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".partial{path.suffix}",
                               dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write a whole text file or nothing."""
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
