"""Output files that are either complete or absent: checks up front, temp file, atomic rename.

`check_outputs` is the one place that decides whether a run may write where it would: names
that fit the file system, nothing a user made replaced without --overwrite, never a file the run
reads, never another clip's sidecar. `reserve_output` keeps two runs from writing one name.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from worldreel.errors import OutputError
from worldreel.interrupts import uninterrupted
from worldreel.tempfiles import held_file

RANDOM_CHARS = 8  # what mkstemp and mkdtemp put into a temporary name
DEFAULT_NAME_MAX = 255
LOCK_SUFFIX = ".worldreel-lock"  # a name of our own, so a sweep never takes a user's file


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 60 else f"{text[:28]}...{text[-28:]}"


def temporary_name(path: str | Path) -> str:
    """The longest name `atomic_output` writes `path` under before renaming it into place."""
    path = Path(path)
    return f".{path.stem}.{'X' * RANDOM_CHARS}.partial{path.suffix}"


def lock_name(path: str | Path) -> str:
    """The name of the file that marks `path` as being written (see `reserve_output`)."""
    return f".{Path(path).name}{LOCK_SUFFIX}"


def check_names(path: str | Path, derived: Iterable[str] = ()) -> None:
    """Refuse, before any work, a path whose name (or a name derived from it: its temporary
    name, its lock, its sidecars...) the file system would refuse as too long."""
    path = Path(path)
    parent = _parent(path)
    try:
        name_max = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = DEFAULT_NAME_MAX
    try:
        path_max = os.pathconf(parent, "PC_PATH_MAX")
    except (OSError, ValueError):
        path_max = 4096
    def size(name: str) -> int:
        return len(os.fsencode(name))

    if size(path.name) > name_max:
        raise OutputError(f"{_short(path)}: the name is {size(path.name)} bytes, longer than this "
                          f"folder allows ({name_max}); choose a shorter name")
    longest = max(derived, key=size, default=path.name)
    if size(longest) > name_max:
        raise OutputError(f"{_short(path)}: WorldReel also writes {_short(Path(longest))} beside "
                          f"it, {size(longest)} bytes, longer than this folder allows "
                          f"({name_max}); choose a name at least {size(longest) - name_max} "
                          "bytes shorter")
    if size(str(parent / max([path.name, longest], key=size))) >= path_max:
        raise OutputError(f"{_short(path)}: the path is too long (at most {path_max} bytes); "
                          "choose a shorter folder or name")


def check_output_path(path: str | Path, suffixes: tuple[str, ...] = (".mp4",),
                      derived: Iterable[str] = ()) -> Path:
    """Fail early, before any work, if `path` cannot be written. `derived`: the names of the
    other files written beside it (sidecars...), which must fit the file system as well."""
    path = Path(path)
    if path.name.lower() in suffixes:  # ".mp4": a hidden file with no suffix to Python
        raise OutputError(f"{path}: needs a name before {path.name}, such as "
                          f"{path.with_name('clip' + path.name)}")
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{path}: output must end in {' or '.join(suffixes)}")
    check_names(path, [temporary_name(path), lock_name(path), *derived])
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name such as {path / 'clip.mp4'}")
    parent = _parent(path)
    if not parent.is_dir():
        raise OutputError(f"{path}: directory {parent} does not exist; create it first")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path}: exists and is not writable")
    # Permission bits do not tell the whole story (root, read-only mounts, special file
    # systems): try to create a file there.
    try:
        fd, probe = held_file(f".{path.stem}.", f".partial{path.suffix}", parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in directory {parent} ({exc.strerror})") from None
    probe.unlink()
    os.close(fd)
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False


def check_outputs(files: Iterable[str | Path], *, overwrite: bool,
                  protected: Iterable[str | Path] = (), folders: Iterable[str | Path] = (),
                  clip: str | Path | None = None) -> None:
    """The one place that decides whether a run may write `files` and `folders`, before any work.

    - a name (or the temporary name it is written under) too long for the file system: refused;
    - a file this run reads (`protected`): never replaced;
    - a sidecar of an existing clip (X.scene.yaml, X.events.json, X.recording.npz beside X.mp4):
      only ever written with that clip (`clip`), never as some other output;
    - a folder where a file goes, or a file where a folder goes: refused;
    - anything else that exists: replaced only with `overwrite`.
    """
    from worldreel.media.sidecars import clip_of_sidecar  # noqa: PLC0415 - sidecars imports us

    files = [Path(p) for p in files]
    folders = [Path(p) for p in folders]
    protected = [Path(p) for p in protected]
    for path in files:
        check_names(path, [temporary_name(path)])
    for path in folders:
        check_names(path)
    for path in files:
        owner = clip_of_sidecar(path)
        if owner is not None and (clip is None or not _same(owner, Path(clip))):
            raise OutputError(f"{path} belongs to the clip {owner} (its sidecar); it is never "
                              "replaced by another output: choose another name")
    for path in [*files, *folders]:
        if any(_same(path, p) for p in protected):
            raise OutputError(f"{path} is a file this run reads; it is never replaced: "
                              "choose another output name")
    for path in files:
        if path.is_dir():
            raise OutputError(f"{path} is a folder; choose another output name")
    for path in folders:
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path} is a file, where the folder {path.name}/ would go; "
                              "move it away or choose another output name")
    existing = [p for p in [*files, *folders] if p.exists()]
    if existing and not overwrite:
        raise OutputError(f"{existing[0]} already exists; pass --overwrite to replace it "
                          "(or choose another output name)")


_HELD: dict[str, int] = {}  # lock files this process holds, with how many reservations use them


@contextlib.contextmanager
def reserve_output(path: str | Path) -> Iterator[None]:
    """Mark `path` as being written by this run, until the block ends (however it ends).

    A second run asking for the same name fails at once with one line. The mark is a hidden
    lock file beside `path` holding an advisory lock, which the system releases when the run
    ends, even killed: a lock file left by a killed run is taken over, not obeyed. Reserving a
    name this process already holds (the CLI, then the pipeline) is allowed.
    """
    path = Path(path)
    lock = _parent(path) / lock_name(path)
    key = os.path.realpath(lock)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = None
    try:
        with uninterrupted():  # a Ctrl-C lands before the lock or after it is ours to remove
            fd = _take_lock(path, lock)
            _HELD[key] = 1
        yield
    finally:
        if fd is not None:
            del _HELD[key]
            with contextlib.suppress(OSError):
                lock.unlink()
            os.close(fd)


def _take_lock(path: Path, lock: Path) -> int:
    busy = OutputError(f"{path} is being written by another run; wait for it to finish, or "
                       "choose another output name")
    for _ in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"{path}: cannot mark it as being written ({exc.strerror})"
                              ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise busy from None
            raise
        # The run before may have removed the lock file between our open and our lock: then we
        # hold a lock on a file nobody else can see, so take the one now at that name.
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)
    raise busy


@contextlib.contextmanager
def atomic_output(path: str | Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it is removed.

    The temporary name keeps the suffix so encoders infer the container from it. Without
    `overwrite`, a file that appeared at `path` meanwhile is not replaced: OutputError.
    """
    path = Path(path)
    lock = tmp_path = None
    try:
        # Locked while it is written: one found unlocked is a dead run's (media.orphans).
        with uninterrupted():  # made and known to this block, or not made
            lock, tmp_path = held_file(f".{path.stem}.", f".partial{path.suffix}",
                                       _parent(path))
        tmp = str(tmp_path)
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        if overwrite:
            os.replace(tmp_path, path)
        else:
            _publish_new(tmp_path, path)
    except BaseException as exc:
        if tmp_path is None:
            raise
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        if isinstance(exc, OSError) and (exc.filename is None or str(exc.filename) == tmp):
            with contextlib.suppress(AttributeError, TypeError):
                exc.filename = str(path)  # say which file could not be written (disk full...)
        raise
    finally:
        if lock is not None:
            os.close(lock)


def _publish_new(tmp: Path, path: Path) -> None:
    """Rename `tmp` to `path` unless `path` exists (a hard link cannot replace a file)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(f"{path} appeared while this run wrote it; it was left as it is: "
                          "pass --overwrite to replace it") from None
    except OSError as exc:  # a file system without hard links
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV,
                             errno.EMLINK):
            raise
        if path.exists():
            raise OutputError(f"{path} appeared while this run wrote it; it was left as it is: "
                              "pass --overwrite to replace it") from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> None:
    """Write a whole text file or nothing."""
    with atomic_output(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
