"""Bounded load on loopback: 100 concurrent status polls and 10 concurrent creates against 2
workers. No errors but the 429s the limits call for, and no job lost."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from worldreel.server.tests.load import run_load  # noqa: E402
from worldreel.server.tests.serving import serving  # noqa: E402

pytestmark = pytest.mark.slow


def test_polls_and_creates_at_once_lose_nothing(tmp_path):
    data = tmp_path / "data"
    secret = subprocess.run(
        [sys.executable, "-m", "worldreel", "key", "add", "--data", str(data), "--max-jobs", "6"],
        check=True, capture_output=True, text=True).stdout.strip()
    with serving(data, workers=2) as server:
        result = run_load(server.api, polls=100, creates=10,
                          headers={"Authorization": f"Bearer {secret}"})
    assert result.statuses[("poll", 200)] == 100
    accepted, limited = result.statuses[("create", 200)], result.statuses[("create", 429)]
    assert accepted + limited == 10 and limited >= 10 + 1 - 6  # the seed job holds one slot
    assert accepted >= 1
    assert sorted(result.finished) == sorted(result.created)
    assert set(result.finished.values()) == {"completed"}
