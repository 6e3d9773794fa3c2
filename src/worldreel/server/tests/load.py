"""A bounded load on a running server: many status polls and several creates at once, timed."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import numpy as np

TINY = {"prompt": "a ball drops onto the floor", "seconds": "1", "size": "160x96"}


@dataclass
class LoadResult:
    poll_ms: list[float] = field(default_factory=list)
    create_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    finished: dict[str, str] = field(default_factory=dict)

    def percentiles(self, which: str) -> tuple[float, float]:
        values = np.array(getattr(self, f"{which}_ms"))
        return float(np.percentile(values, 50)), float(np.percentile(values, 99))


async def _timed(result: LoadResult, kind: str, request) -> httpx.Response:
    started = time.perf_counter()
    response = await request
    getattr(result, f"{kind}_ms").append((time.perf_counter() - started) * 1000)
    result.statuses[(kind, response.status_code)] += 1
    return response


async def _load(api: str, polls: int, creates: int, headers: dict) -> LoadResult:
    result = LoadResult()
    limits = httpx.Limits(max_connections=polls + creates)
    async with httpx.AsyncClient(timeout=120, limits=limits, headers=headers) as client:
        seed = (await client.post(f"{api}/videos", data=TINY)).json()["id"]
        jobs = [_timed(result, "create", client.post(f"{api}/videos", data=TINY))
                for _ in range(creates)]
        jobs += [_timed(result, "poll", client.get(f"{api}/videos/{seed}"))
                 for _ in range(polls)]
        for response in await asyncio.gather(*jobs):
            if response.request.method == "POST" and response.status_code == 200:
                result.created.append(response.json()["id"])
        result.created.append(seed)
        waiting = set(result.created)
        deadline = time.monotonic() + 600
        while waiting and time.monotonic() < deadline:
            for video_id in list(waiting):
                video = (await client.get(f"{api}/videos/{video_id}")).json()
                if video["status"] in ("completed", "failed"):
                    result.finished[video_id] = video["status"]
                    waiting.discard(video_id)
            await asyncio.sleep(0.5)
    return result


def run_load(api: str, polls: int = 100, creates: int = 10, headers: dict | None = None
             ) -> LoadResult:
    """`polls` status polls and `creates` creates sent at once; then wait for every job."""
    return asyncio.run(_load(api, polls, creates, headers or {}))
