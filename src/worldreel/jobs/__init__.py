"""Jobs: a video job store that survives restarts (SQLite, WAL), worker processes, the runner.

`JobStore` keeps jobs, characters and API keys under a data folder; `Workers` runs separate
processes that claim queued jobs and play them (`run_job`), publishing each clip whole.
"""

from worldreel.jobs.runner import run_job
from worldreel.jobs.store import Job, JobStore, is_job_id
from worldreel.jobs.workers import Workers

__all__ = ["Job", "JobStore", "Workers", "is_job_id", "run_job"]
