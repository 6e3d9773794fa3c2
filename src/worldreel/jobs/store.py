"""The job store: video jobs, named characters and API keys in one SQLite file that survives.

Everything lives under one data folder: `jobs.sqlite3` (write-ahead log, so readers never wait
for the writer and a process killed at any instant loses no committed row) and `videos/`, where
each completed job has one folder `videos/<id>/` that appeared by a single rename of its staging
folder (`jobs.runner`). A folder is therefore complete or absent; nothing half-written is ever
served. Every path is built from an id checked by `is_job_id`: nothing a user sends reaches the
file system. Each process opens its own store (a connection guarded by a lock, usable from any
thread of that process).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from worldreel.errors import OutputError, RequestError, WorldReelError
from worldreel.pipeline.request import Request
from worldreel.scene import Scene, scene_from_text
from worldreel.tempfiles import abandoned

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000
STAGING_PREFIX = ".staging-"  # videos/.staging-<id>-<pid>/: a job being made (jobs.runner)
TRASH_PREFIX = ".trash-"  # videos/.trash-<id>-<hex>/: a deleted job's folder, being removed
STATUSES = ("queued", "in_progress", "completed", "failed")
KINDS = ("create", "remix", "edit", "extend")
ORDERS = ("asc", "desc")
MAX_ERROR_CHARS = 1000
MAX_ATTEMPTS = 3  # a job whose worker died this many times fails instead of killing another

# The names of a completed job's published files, inside videos/<id>/.
VIDEO_FILES = {"video": "video.mp4", "thumbnail": "thumbnail.webp",
               "spritesheet": "spritesheet.jpg", "scene": "video.scene.yaml",
               "events": "video.events.json", "recording": "video.recording.npz"}

_JOB_ID = re.compile(r"^video_[0-9a-f]{32}$")
_CHAR_ID = re.compile(r"^char_[0-9a-f]{32}$")

_SCHEMA = """
CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    expires_at INTEGER,
    expires_after_s INTEGER,
    model TEXT NOT NULL,
    prompt TEXT,
    seconds TEXT NOT NULL,
    size TEXT NOT NULL,
    request TEXT NOT NULL,
    source_id TEXT,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX jobs_by_owner ON jobs (owner, created_at, seq);
CREATE INDEX jobs_by_status ON jobs (status, created_at, seq);
CREATE TABLE characters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    look TEXT NOT NULL
);
CREATE INDEX characters_by_owner ON characters (owner, created_at, seq);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL UNIQUE,
    max_seconds REAL,
    max_pixels INTEGER,
    max_concurrent INTEGER,
    created_at INTEGER NOT NULL
);
"""

_JOB_COLUMNS = ("id, owner, kind, status, progress, created_at, started_at, completed_at, "
                "expires_at, model, prompt, seconds, size, request, source_id, error_code, "
                "error_message, attempts, warnings")


def is_job_id(text: object) -> bool:
    """Whether `text` is a job id this store could have made ("video_" + 32 lowercase hex)."""
    return isinstance(text, str) and _JOB_ID.match(text) is not None


def is_character_id(text: object) -> bool:
    """Whether `text` is a character id this store could have made ("char_" + 32 hex)."""
    return isinstance(text, str) and _CHAR_ID.match(text) is not None


def new_job_id() -> str:
    return f"video_{secrets.token_hex(16)}"


def _now() -> int:
    return int(time.time())


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Job:
    """One video job, as stored. Times are unix seconds; `seconds` and `size` as the API
    reports them ("4", "1280x720"); `request` is the Request to play, as JSON data."""

    id: str
    owner: str
    kind: str
    status: str
    progress: int
    created_at: int
    started_at: int | None
    completed_at: int | None
    expires_at: int | None
    model: str
    prompt: str | None
    seconds: str
    size: str
    request: dict
    source_id: str | None
    error_code: str | None
    error_message: str | None
    attempts: int
    warnings: tuple[str, ...] = ()  # what the director said of the prompt (stand-ins, not shown)


def _job(row: tuple) -> Job:
    values = list(row)
    values[13] = json.loads(values[13])  # request
    values[18] = tuple(json.loads(values[18]))  # warnings
    return Job(*values)


class StoreError(WorldReelError):
    """The job store cannot be opened or used (a newer schema, a folder that cannot be made)."""


class JobStore:
    """Jobs, characters and API keys under `data_dir` (see the module docstring)."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.videos_dir = self.data_dir / "videos"
        self.logs_dir = self.data_dir / "logs"
        try:
            self.videos_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"--data {self.data_dir}: cannot create it ({exc.strerror}); "
                              "give a folder this user can write") from None
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.data_dir / "jobs.sqlite3", timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"--data {self.data_dir}: SQLite could not use a write-ahead log "
                             f"there (journal mode {mode}); put the data folder on a local disk")
        # FULL: a committed row survives a power cut too, not only a killed process.
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that a read inside it and
        the writes that depend on it cannot interleave with another process's."""
        with self._lock:
            if self._db.in_transaction:
                # left open by an exception raised between two statements (a worker's SIGTERM
                # arrives as one, jobs.workers): nothing of it was committed
                self._db.execute("ROLLBACK")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"--data {self.data_dir}: its job store was written by a newer "
                                 f"WorldReel (schema {version}, this one reads {SCHEMA_VERSION}); "
                                 "upgrade WorldReel or give another data folder")
            if version == 0:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
            elif version == 1:  # 2: the director's warnings kept with each job
                db.execute("ALTER TABLE jobs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def video_dir(self, job_id: str) -> Path:
        """videos/<id>/ of a checked id (ValueError otherwise: a bug in the caller)."""
        if not is_job_id(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.videos_dir / job_id

    # -- jobs -----------------------------------------------------------------------------

    def create(self, *, owner: str, kind: str, model: str, request: Request, prompt: str | None,
               seconds: str, size: str, source_id: str | None = None,
               expires_after_s: int | None = None, warnings: tuple[str, ...] = ()) -> Job:
        """A new queued job playing `request`."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if source_id is not None and not is_job_id(source_id):
            raise RequestError(f"{source_id!r} is not a video id; give one like video_<32 hex>")
        job_id = new_job_id()
        data = json.dumps(request.model_dump(mode="json"), sort_keys=True)
        with self._write() as db:
            db.execute("INSERT INTO jobs (id, owner, kind, status, created_at, expires_after_s, "
                       "model, prompt, seconds, size, request, source_id, warnings) "
                       "VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (job_id, owner, kind, _now(), expires_after_s, model, prompt, seconds,
                        size, data, source_id, json.dumps(list(warnings))))
        job = self._job(job_id)
        assert job is not None
        return job

    def _job(self, job_id: str) -> Job | None:
        rows = self._read(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, or None when there is none of that id for this owner (or the id is bad)."""
        if not is_job_id(job_id):
            return None
        job = self._job(job_id)
        return job if job is not None and job.owner == owner else None

    def list(self, owner: str, *, after: str | None = None, limit: int = 20,
             order: str = "desc") -> tuple[list[Job], bool]:
        """One page of the owner's jobs in `order` of creation, after the job `after` (an id on
        the previous page); and whether more follow."""
        if order not in ORDERS:
            raise RequestError(f"order: must be 'asc' or 'desc', not {order!r}")
        if not isinstance(limit, int) or limit < 1:
            raise RequestError(f"limit: must be a whole number of at least 1, not {limit!r}")
        where, args = "owner = ?", [owner]
        if after is not None:
            mark = self._read("SELECT created_at, seq FROM jobs WHERE id = ? AND owner = ?",
                              (after, owner)) if is_job_id(after) else []
            if not mark:
                raise RequestError(f"after: no video {after!r}; give the id of a video on the "
                                   "previous page")
            where += f" AND (created_at, seq) {'>' if order == 'asc' else '<'} (?, ?)"
            args += list(mark[0])
        direction = "ASC" if order == "asc" else "DESC"
        rows = self._read(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE {where} "
                          f"ORDER BY created_at {direction}, seq {direction} LIMIT ?",
                          (*args, limit + 1))
        return [_job(r) for r in rows[:limit]], len(rows) > limit

    def delete(self, job_id: str, owner: str) -> Job | None:
        """Remove the job and its files; the job as it was, or None when there is none. A job in
        progress is cancelled: its worker notices at its next progress report and publishes
        nothing."""
        job = self.get(job_id, owner)
        if job is None:
            return None
        with self._write() as db:
            gone = db.execute("DELETE FROM jobs WHERE id = ? AND owner = ?", (job_id, owner))
            if gone.rowcount == 0:
                return None  # deleted meanwhile by another request
        self.remove_published(job_id)
        return job

    def remove_published(self, job_id: str) -> None:
        """Take videos/<id>/ out of sight with one rename, then remove it: a reader sees the
        whole folder or none of it."""
        folder = self.video_dir(job_id)
        trash = self.videos_dir / f"{TRASH_PREFIX}{job_id}-{secrets.token_hex(4)}"
        try:
            os.rename(folder, trash)
        except FileNotFoundError:
            return
        shutil.rmtree(trash, ignore_errors=True)

    def active_count(self, owner: str) -> int:
        """How many of the owner's jobs are queued or in progress (for per-key limits)."""
        return self._read("SELECT COUNT(*) FROM jobs WHERE owner = ? AND status IN "
                          "('queued', 'in_progress')", (owner,))[0][0]

    def claim(self, worker: str) -> Job | None:
        """Take the oldest queued job for `worker` (queued -> in_progress, one more attempt);
        None when none waits. Two workers never get the same job."""
        with self._write() as db:
            row = db.execute("SELECT id FROM jobs WHERE status = 'queued' "
                             "ORDER BY created_at, seq LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute("UPDATE jobs SET status = 'in_progress', progress = 0, started_at = ?, "
                       "attempts = attempts + 1, worker = ? WHERE id = ?",
                       (_now(), worker, row[0]))
        return self._job(row[0])

    def set_progress(self, job_id: str, percent: int) -> bool:
        """Record progress of a job in progress; False when it is no longer in progress (deleted,
        or taken back by `recover`): its worker should stop."""
        percent = max(0, min(100, int(percent)))
        with self._write() as db:
            done = db.execute("UPDATE jobs SET progress = ? WHERE id = ? AND "
                              "status = 'in_progress'", (percent, job_id))
        return done.rowcount > 0

    def is_running(self, job_id: str) -> bool:
        """Whether the job is still in progress (not deleted meanwhile)."""
        return bool(self._read("SELECT 1 FROM jobs WHERE id = ? AND status = 'in_progress'",
                               (job_id,)))

    def complete(self, job_id: str) -> None:
        """Mark a job whose folder is published as completed. A job deleted meanwhile loses the
        folder just published instead."""
        now = _now()
        with self._write() as db:
            done = db.execute("UPDATE jobs SET status = 'completed', progress = 100, "
                              "completed_at = ?, expires_at = CASE WHEN expires_after_s IS NULL "
                              "THEN NULL ELSE ? + expires_after_s END, worker = NULL "
                              "WHERE id = ? AND status = 'in_progress'", (now, now, job_id))
        if done.rowcount == 0 and self._job(job_id) is None:
            self.remove_published(job_id)

    def fail(self, job_id: str, code: str, message: str) -> None:
        """Mark a job failed with an error code and a message saying what to change."""
        if len(message) > MAX_ERROR_CHARS:
            message = message[: MAX_ERROR_CHARS - 1] + "…"
        with self._write() as db:
            db.execute("UPDATE jobs SET status = 'failed', completed_at = ?, error_code = ?, "
                       "error_message = ?, worker = NULL WHERE id = ? AND "
                       "status IN ('queued', 'in_progress')", (_now(), code, message, job_id))

    def release(self, job_id: str) -> None:
        """Put a job in progress back in the queue (its worker was stopped before finishing)."""
        with self._write() as db:
            db.execute("UPDATE jobs SET status = 'queued', progress = 0, started_at = NULL, "
                       "worker = NULL WHERE id = ? AND status = 'in_progress'", (job_id,))

    def requeue_worker(self, worker: str) -> int:
        """Put back in the queue the jobs a worker that died had in progress (failed once they
        have been tried MAX_ATTEMPTS times); how many went back."""
        with self._write() as db:
            return self._requeue(db, "status = 'in_progress' AND worker = ?", (worker,))

    def _requeue(self, db: sqlite3.Connection, where: str, args: tuple) -> int:
        db.execute("UPDATE jobs SET status = 'failed', completed_at = ?, "
                   "error_code = 'internal_error', error_message = ?, worker = NULL "
                   f"WHERE {where} AND attempts >= ?",
                   (_now(), f"making this video stopped its worker {MAX_ATTEMPTS} times; "
                    "try a shorter or simpler request", *args, MAX_ATTEMPTS))
        return db.execute("UPDATE jobs SET status = 'queued', progress = 0, started_at = NULL, "
                          f"worker = NULL WHERE {where}", args).rowcount

    def recover(self) -> int:
        """At start-up, before any worker runs: put back in the queue the jobs that were in
        progress when the last run died (removing what they had written), complete those killed
        between publishing and being marked complete, and remove what deleted jobs left.
        Returns how many jobs went back in the queue."""
        self._sweep_staging()
        requeued = 0
        with self._write() as db:
            running = [r[0] for r in db.execute("SELECT id FROM jobs WHERE "
                                                "status = 'in_progress'")]
            for job_id in running:
                if self.files(job_id):  # published, then killed before complete()
                    now = _now()
                    db.execute("UPDATE jobs SET status = 'completed', progress = 100, "
                               "completed_at = ?, expires_at = CASE WHEN expires_after_s IS NULL "
                               "THEN NULL ELSE ? + expires_after_s END, worker = NULL "
                               "WHERE id = ?", (now, now, job_id))
                    continue
                requeued += self._requeue(db, "status = 'in_progress' AND id = ?", (job_id,))
            known = {r[0] for r in db.execute("SELECT id FROM jobs")}
        for entry in os.scandir(self.videos_dir):
            # A folder of a job deleted while its worker published it, or one without a video
            # (never a whole published folder): neither may be served.
            if is_job_id(entry.name) and (entry.name not in known
                                          or not self.files(entry.name)):
                self.remove_published(entry.name)
        return requeued

    def _sweep_staging(self) -> None:
        """Remove the staging and trash folders of workers that died (a live worker holds a lock
        on its staging folder, which is left alone)."""
        for entry in os.scandir(self.videos_dir):
            if entry.name.startswith((STAGING_PREFIX, TRASH_PREFIX)) and entry.is_dir(
                    follow_symlinks=False):
                if entry.name.startswith(TRASH_PREFIX) or abandoned(entry.path):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def remove_staging_of(self, pid: int) -> None:
        """Remove the staging folders of the worker process `pid`, which died."""
        for entry in os.scandir(self.videos_dir):
            if (entry.name.startswith(STAGING_PREFIX) and entry.name.endswith(f"-{pid}")
                    and abandoned(entry.path)):
                shutil.rmtree(entry.path, ignore_errors=True)

    def files(self, job_id: str) -> dict[str, Path]:
        """The published files of a job by variant ("video", "thumbnail", "spritesheet", "scene",
        "events", "recording"); empty while it is not published (or the id is bad)."""
        if not is_job_id(job_id):
            return {}
        folder = self.video_dir(job_id)
        if not (folder / VIDEO_FILES["video"]).is_file():
            return {}
        return {kind: folder / name for kind, name in VIDEO_FILES.items()
                if (folder / name).is_file()}

    def scene_of(self, job_id: str, owner: str) -> Scene | None:
        """The Scene a completed job played (from its scene sidecar), or None."""
        job = self.get(job_id, owner)
        if job is None or job.status != "completed":
            return None
        path = self.files(job_id).get("scene")
        if path is None:
            return None
        return scene_from_text(path.read_text(encoding="utf-8"), source=f"video {job_id}")

    # -- characters -----------------------------------------------------------------------

    def add_character(self, *, owner: str, name: str, look: dict) -> dict:
        """Store a named character's look for this owner."""
        char = {"id": f"char_{secrets.token_hex(16)}", "name": name, "created_at": _now(),
                "look": look}
        with self._write() as db:
            db.execute("INSERT INTO characters (id, owner, name, created_at, look) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (char["id"], owner, name, char["created_at"],
                        json.dumps(look, sort_keys=True)))
        return char

    def get_character(self, char_id: str, owner: str) -> dict | None:
        if not is_character_id(char_id):
            return None
        rows = self._read("SELECT id, name, created_at, look FROM characters "
                          "WHERE id = ? AND owner = ?", (char_id, owner))
        return _character(rows[0]) if rows else None

    def characters(self, owner: str) -> list[dict]:
        """The owner's characters, oldest first."""
        rows = self._read("SELECT id, name, created_at, look FROM characters WHERE owner = ? "
                          "ORDER BY created_at, seq", (owner,))
        return [_character(r) for r in rows]

    # -- API keys -------------------------------------------------------------------------

    def add_key(self, secret: str, *, name: str = "", max_seconds: float | None = None,
                max_pixels: int | None = None, max_concurrent: int | None = None) -> str:
        """Store an API key (only the SHA-256 of its secret) with its limits; its id."""
        if not secret:
            raise RequestError("the API key's secret is empty; give a long random string")
        key_id = f"key_{secrets.token_hex(8)}"
        try:
            with self._write() as db:
                db.execute("INSERT INTO api_keys (id, name, secret_sha256, max_seconds, "
                           "max_pixels, max_concurrent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (key_id, name, _secret_hash(secret), max_seconds, max_pixels,
                            max_concurrent, _now()))
        except sqlite3.IntegrityError:
            raise RequestError("that API key already exists; give another secret") from None
        return key_id

    def key_for(self, secret: str) -> dict | None:
        """The key whose secret this is, or None. Every stored hash is compared, in constant time
        each, so the answer takes as long whichever key (if any) matches."""
        wanted = _secret_hash(secret).encode()
        found = None
        for row in self._read("SELECT id, name, max_seconds, max_pixels, max_concurrent, "
                              "secret_sha256 FROM api_keys"):
            if hmac.compare_digest(wanted, row[5].encode()):
                found = row
        if found is None:
            return None
        return dict(zip(("id", "name", "max_seconds", "max_pixels", "max_concurrent"), found[:5]))

    def has_keys(self) -> bool:
        return bool(self._read("SELECT 1 FROM api_keys LIMIT 1"))


def _character(row: tuple) -> dict:
    return {"id": row[0], "name": row[1], "created_at": row[2], "look": json.loads(row[3])}
