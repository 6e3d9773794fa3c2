"""Jobs: a video job store that survives restarts (SQLite, WAL), worker processes, the runner."""

from worldreel.jobs.store import Job, JobStore, is_job_id

__all__ = ["Job", "JobStore", "is_job_id"]
