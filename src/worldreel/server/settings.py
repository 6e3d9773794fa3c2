"""How a server runs: where its data lives, how many workers, and the limits it enforces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_JSON_BYTES = 4 << 20  # a Scene file is at most 2 MiB (scene.limits); JSON adds quoting
MAX_UPLOAD_BYTES = 256 << 20  # a video given to edits, extensions or characters
DEFAULT_MAX_ACTIVE_JOBS = 32  # queued + running per key (or for everyone, without keys)


@dataclass(frozen=True)
class ServerSettings:
    """Everything about a server that is not a request."""

    data_dir: Path = Path("worldreel-data")
    workers: int = 1
    cors_origins: tuple[str, ...] = ()  # CORS is off unless origins are named
    max_json_bytes: int = MAX_JSON_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_active_jobs: int = DEFAULT_MAX_ACTIVE_JOBS
    poll_after_ms: int = 500  # what the SDK's poll helper is told to wait between polls
    studio: bool = True
