"""The job store: jobs kept per owner, paged, claimed once, recovered after a crash; keys kept
only as hashes; ids checked before they reach the file system."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time

import pytest

from worldreel.errors import RequestError
from worldreel.jobs.store import MAX_ATTEMPTS, JobStore, is_job_id
from worldreel.pipeline.request import make_request

TINY = make_request(prompt="a ball drops", seconds=1, size="64x48", fps=8)


def _create(store: JobStore, owner: str = "", **extra):
    fields = dict(owner=owner, kind="create", model="sora-2", request=TINY, prompt="a ball drops",
                  seconds="1", size="64x48")
    return store.create(**(fields | extra))


def test_a_created_job_is_queued_and_read_back_the_same(tmp_path):
    store = JobStore(tmp_path)
    job = _create(store, "key_a", expires_after_s=3600)
    assert is_job_id(job.id) and job.status == "queued" and job.progress == 0
    assert job.attempts == 0 and job.started_at is None and job.expires_at is None
    assert job.request == TINY.model_dump(mode="json")
    assert JobStore(tmp_path).get(job.id, "key_a") == job  # another connection, same row
    assert (tmp_path / "jobs.sqlite3").is_file() and (tmp_path / "videos").is_dir()


def test_the_database_uses_a_write_ahead_log_and_a_versioned_schema(tmp_path):
    JobStore(tmp_path)
    db = sqlite3.connect(tmp_path / "jobs.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_a_first_schema_store_keeps_its_jobs_and_gains_warnings(tmp_path):
    store = JobStore(tmp_path)
    old = _create(store, "me")
    store.close()
    db = sqlite3.connect(tmp_path / "jobs.sqlite3")  # as schema 1 wrote it: no warnings column
    db.execute("ALTER TABLE jobs DROP COLUMN warnings")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store = JobStore(tmp_path)
    assert store.get(old.id, "me").warnings == ()
    said = ("stand-ins: a pot stands in for 'kettle'",)
    job = store.create(owner="me", kind="create", model="sora-2", request=TINY, prompt="p",
                       seconds="1", size="64x48", warnings=said)
    assert JobStore(tmp_path).get(job.id, "me").warnings == said


def test_a_newer_schema_is_refused_with_what_to_do(tmp_path):
    JobStore(tmp_path)
    db = sqlite3.connect(tmp_path / "jobs.sqlite3")
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    with pytest.raises(Exception, match="newer WorldReel"):
        JobStore(tmp_path)


def test_owners_never_see_each_others_jobs(tmp_path):
    store = JobStore(tmp_path)
    mine, theirs = _create(store, "me"), _create(store, "them")
    assert store.get(theirs.id, "me") is None
    assert [j.id for j in store.list("me", limit=10)[0]] == [mine.id]
    assert store.delete(theirs.id, "me") is None
    assert store.get(theirs.id, "them") is not None
    assert store.active_count("me") == 1 and store.active_count("them") == 1


def test_pages_follow_creation_order_both_ways(tmp_path):
    store = JobStore(tmp_path)
    ids = [_create(store, "k").id for _ in range(5)]  # same second: rowid breaks the tie
    page, more = store.list("k", limit=2, order="asc")
    assert [j.id for j in page] == ids[:2] and more
    page, more = store.list("k", after=ids[1], limit=2, order="asc")
    assert [j.id for j in page] == ids[2:4] and more
    page, more = store.list("k", after=ids[3], limit=2, order="asc")
    assert [j.id for j in page] == ids[4:] and not more
    page, more = store.list("k", limit=3, order="desc")
    assert [j.id for j in page] == ids[::-1][:3] and more
    page, more = store.list("k", after=ids[2], limit=3, order="desc")
    assert [j.id for j in page] == [ids[1], ids[0]] and not more


def test_bad_list_arguments_say_what_to_give(tmp_path):
    store = JobStore(tmp_path)
    with pytest.raises(RequestError, match="after"):
        store.list("k", after="video_" + "0" * 32, limit=2)
    with pytest.raises(RequestError, match="order"):
        store.list("k", limit=2, order="sideways")
    with pytest.raises(RequestError, match="limit"):
        store.list("k", limit=0)


def test_bad_ids_are_rejected_before_any_lookup_or_path(tmp_path):
    store = JobStore(tmp_path)
    for bad in ("../jobs.sqlite3", "video_" + "A" * 32, "video_123", "video_" + "0" * 32 + "/x",
                "", None, "video_" + "0" * 31 + "\n"):
        assert not is_job_id(bad)
        assert store.get(bad, "") is None
        assert store.files(bad) == {}
        assert store.delete(bad, "") is None
    with pytest.raises(ValueError):
        store.video_dir("../../etc")
    assert store.get_character("char_../x", "") is None


def test_claim_takes_the_oldest_and_counts_the_attempt(tmp_path):
    store = JobStore(tmp_path)
    first, second = _create(store), _create(store)
    job = store.claim("w1")
    assert job.id == first.id and job.status == "in_progress" and job.attempts == 1
    assert job.started_at is not None
    assert store.claim("w2").id == second.id
    assert store.claim("w3") is None


def _claim_all(data_dir: str, name: str, go, out) -> None:
    store = JobStore(data_dir)
    go.wait(60)  # both start claiming at the same moment, each store open
    got = []
    while (job := store.claim(name)) is not None:
        got.append(job.id)
        time.sleep(0.002)  # "work", as a worker does, so the other's claims interleave
    out.put(got)


def test_two_processes_claiming_at_once_never_get_the_same_job(tmp_path):
    store = JobStore(tmp_path)
    ids = {_create(store).id for _ in range(100)}
    context = multiprocessing.get_context("spawn")
    out, go = context.Queue(), context.Barrier(2)
    workers = [context.Process(target=_claim_all, args=(str(tmp_path), f"w{i}", go, out))
               for i in range(2)]
    for w in workers:
        w.start()
    claimed = [out.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(30)
    everything = claimed[0] + claimed[1]
    assert claimed[0] and claimed[1]  # they did claim side by side
    assert len(everything) == len(set(everything)) == len(ids)
    assert set(everything) == ids


def test_progress_stops_counting_once_the_job_is_deleted(tmp_path):
    store = JobStore(tmp_path)
    job = _create(store, "k")
    store.claim("w")
    assert store.set_progress(job.id, 40)
    assert store.get(job.id, "k").progress == 40
    assert store.delete(job.id, "k").id == job.id
    assert not store.set_progress(job.id, 41)
    assert store.get(job.id, "k") is None


def test_complete_and_fail_record_the_outcome(tmp_path):
    store = JobStore(tmp_path)
    a, b = _create(store, "k", expires_after_s=60), _create(store, "k")
    store.claim("w"), store.claim("w")
    (store.video_dir(a.id)).mkdir()
    (store.video_dir(a.id) / "video.mp4").write_bytes(b"mp4")
    store.complete(a.id)
    done = store.get(a.id, "k")
    assert done.status == "completed" and done.progress == 100
    assert done.expires_at == done.completed_at + 60
    store.fail(b.id, "invalid_request", "say what happens")
    failed = store.get(b.id, "k")
    assert (failed.status, failed.error_code, failed.error_message) == (
        "failed", "invalid_request", "say what happens")
    assert store.active_count("k") == 0


def test_completing_a_job_deleted_meanwhile_unpublishes_it(tmp_path):
    store = JobStore(tmp_path)
    job = _create(store, "k")
    store.claim("w")
    store.delete(job.id, "k")
    store.video_dir(job.id).mkdir()  # the worker's rename landed after the delete
    (store.video_dir(job.id) / "video.mp4").write_bytes(b"mp4")
    store.complete(job.id)
    assert not store.video_dir(job.id).exists()


def test_delete_removes_the_published_folder(tmp_path):
    store = JobStore(tmp_path)
    job = _create(store, "k")
    store.claim("w")
    store.video_dir(job.id).mkdir()
    (store.video_dir(job.id) / "video.mp4").write_bytes(b"mp4")
    store.complete(job.id)
    assert set(store.files(job.id)) == {"video"}
    store.delete(job.id, "k")
    assert os.listdir(store.videos_dir) == []


def test_recover_requeues_what_was_running_and_cleans_up_after_it(tmp_path):
    store = JobStore(tmp_path)
    running, published, waiting = _create(store), _create(store), _create(store)
    store.claim("w"), store.claim("w")
    store.set_progress(running.id, 50)
    staging = store.videos_dir / f".staging-{running.id}-12345"
    staging.mkdir()
    (staging / "video.mp4").write_bytes(b"half")
    # killed between the rename and complete(): its folder is whole
    store.video_dir(published.id).mkdir()
    (store.video_dir(published.id) / "video.mp4").write_bytes(b"whole")
    # a folder without a video is never served, and one of a deleted job is removed
    orphan = store.videos_dir / ("video_" + "f" * 32)
    orphan.mkdir()
    (orphan / "video.mp4").write_bytes(b"deleted")

    assert JobStore(tmp_path).recover() == 1
    again = store.get(running.id, "")
    assert (again.status, again.progress, again.started_at) == ("queued", 0, None)
    assert store.get(published.id, "").status == "completed"
    assert store.get(waiting.id, "").status == "queued"
    assert sorted(os.listdir(store.videos_dir)) == [published.id]
    assert store.claim("w2").id == running.id  # runs again, from the start, before the rest


def test_a_job_that_keeps_killing_its_worker_fails(tmp_path):
    store = JobStore(tmp_path)
    job = _create(store)
    for _ in range(MAX_ATTEMPTS - 1):
        store.claim("w")
        assert store.requeue_worker("w") == 1
    store.claim("w")
    assert store.recover() == 0
    failed = store.get(job.id, "")
    assert failed.status == "failed" and failed.error_code == "internal_error"


def test_keys_are_stored_as_hashes_only(tmp_path):
    store = JobStore(tmp_path)
    secret = "sk-worldreel-" + "s3cr3t" * 6
    assert not store.has_keys()
    key_id = store.add_key(secret, name="studio", max_seconds=8, max_pixels=1280 * 720,
                           max_concurrent=2)
    assert store.has_keys()
    assert store.key_for(secret) == {"id": key_id, "name": "studio", "max_seconds": 8,
                                     "max_pixels": 1280 * 720, "max_concurrent": 2}
    assert store.key_for(secret + "x") is None and store.key_for("") is None
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("jobs.sqlite3*"))
    assert secret.encode() not in raw and b"s3cr3t" not in raw
    with pytest.raises(RequestError):
        JobStore(tmp_path).add_key(secret)


def test_characters_are_kept_per_owner(tmp_path):
    store = JobStore(tmp_path)
    look = {"body": "adult", "hair": {"colour": "red"}}
    mia = store.add_character(owner="me", name="Mia", look=look)
    assert mia["id"].startswith("char_") and len(mia["id"]) == 37
    assert store.get_character(mia["id"], "me") == mia
    assert store.get_character(mia["id"], "them") is None
    assert store.characters("me") == [mia] and store.characters("them") == []


def test_a_transaction_left_open_by_an_interruption_is_rolled_back(tmp_path):
    store = JobStore(tmp_path)
    store._db.execute("BEGIN IMMEDIATE")  # as if a SIGTERM landed right after BEGIN
    store._db.execute("UPDATE jobs SET progress = 1")
    job = _create(store)  # the next write goes on, and the half-done one is gone
    other = JobStore(tmp_path)
    assert other.claim("w").id == job.id  # and the database is not left locked
