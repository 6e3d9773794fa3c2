"""A real server for tests: `worldreel serve` in its own process on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_S = 60.0


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen

    @property
    def api(self) -> str:
        return self.url + "/v1"

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: no clean-up runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data: Path, *, workers: int = 1, port: int | None = None) -> Server:
    port = port or free_port()
    env = {**os.environ, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl"),
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    log = open(data.parent / f"{data.name}-server-{port}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "worldreel", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data", str(data), "--workers", str(workers)],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    server = Server(f"http://127.0.0.1:{port}", data, process)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log.name}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + "/v1/models", timeout=1).status_code in (200, 401):
                return server
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S:g} s")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(10)


@contextlib.contextmanager
def serving(data: Path, **options) -> Iterator[Server]:
    server = start(data, **options)
    try:
        yield server
    finally:
        stop(server)
