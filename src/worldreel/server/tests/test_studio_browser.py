"""The web studio in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright's Python package, no browser download) against the real server in a subprocess.

It opens `/`, submits a prompt, plays the finished clip in the gallery (readyState >= 2,
duration > 0), opens its Scene, breaks a field and sees the problem beside its line, evaluates the
clip, and saves a screenshot (also copied to /tmp/studio.png for a person to look at).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SERVER_START_S = 60.0
CLIP_DONE_MS = 240_000  # a 1 s clip at 320x180 takes seconds; a loaded machine, minutes
SHOT_COPY = Path("/tmp/studio.png")


@pytest.fixture
def sync_playwright():
    """Playwright's entry point, with Debian's Chromium present (else the test is skipped
    before any server starts)."""
    try:
        from playwright.sync_api import sync_playwright as entry  # noqa: PLC0415
    except ImportError:
        pytest.skip("Playwright's Python package is not installed (pip install playwright; "
                    "no browser download needed, the test uses Debian's chromium)")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium: apt-get install chromium (Debian's build, H.264 included)")
    return entry


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """The real server on loopback with its own data folder; yields its base URL."""
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}
    src = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "worldreel", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--data", str(tmp_path / "data"), "--workers", "1"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n"
                            f"{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {SERVER_START_S:.0f} s:\n"
                            f"{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def drive_studio(page, base: str, shot: Path) -> dict:
    """Everything a person does in the studio, checked as it goes; returns what the video
    element says about the clip."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/")
    assert page.title() == "WorldReel Studio"

    # a prompt, 1 s at 320x180
    page.get_by_label("Prompt").fill("a kettle drops onto the floor")
    page.get_by_label("Seconds").fill("1")
    page.get_by_label("Size (W×H)").fill("320x180")
    page.get_by_role("button", name="Generate").click()

    # queued, then done: the card appears in the gallery; its play button plays it inline
    card = page.locator("#gallery-list .card").first
    card.wait_for(timeout=CLIP_DONE_MS)
    card.get_by_role("button", name="Play: a kettle drops onto the floor").click()
    page.wait_for_function(
        "() => { const v = document.querySelector('#gallery-list video');"
        " return v !== null && v.readyState >= 2 && v.duration > 0; }",
        timeout=30_000)
    played = page.evaluate(
        "() => { const v = document.querySelector('#gallery-list video');"
        " return {readyState: v.readyState, duration: v.duration, width: v.videoWidth,"
        " height: v.videoHeight, error: v.error && v.error.message}; }")
    assert played["readyState"] >= 2, played
    assert played["duration"] > 0, played
    assert (played["width"], played["height"]) == (320, 180), played
    assert page.locator("#queue-empty").is_visible()
    # what stands in for what is said on the card, not silently swapped
    assert "kettle" in card.locator(".warnings").inner_text()

    # its Scene in the editor; a field made wrong is reported beside its line
    card.get_by_role("button", name="Scene and report: a kettle drops onto the floor").click()
    editor = page.locator("#scene-text")
    page.wait_for_function(
        "() => document.querySelector('#scene-text').value.includes('entities:')", timeout=15_000)
    scene = editor.input_value()
    assert "  scale: " in scene
    broken_line = next(i for i, line in enumerate(scene.split("\n"), 1) if "  scale: " in line)
    editor.fill(re.sub(r"(?m)^(\s+scale: ).*$", r"\1big", scene, count=1))
    problem = page.locator("#scene-problems li").first
    problem.wait_for(timeout=15_000)
    assert f"Line {broken_line}" in problem.inner_text(), problem.inner_text()
    problem.get_by_role("button").click()  # to the line, where the message sits beside it
    assert page.evaluate("() => document.activeElement.id") == "scene-text"
    assert page.locator("#scene-backdrop .line.bad").count() >= 1
    assert page.locator("#scene-play-status").inner_text() == ""

    # the evaluation report as a table of metric, value, verdict
    page.get_by_role("button", name="Evaluate").click()
    page.locator("#report-body table tbody tr").first.wait_for(timeout=120_000)
    assert page.locator("#report-body table tbody tr").count() >= 3

    page.locator("#gallery-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)
    assert not errors, errors
    return played


def test_studio_plays_a_prompt(sync_playwright, server, tmp_path):
    shot = tmp_path / "studio.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 1000})
            drive_studio(page, server, shot)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    try:
        shutil.copyfile(shot, SHOT_COPY)
    except OSError:
        pass  # the copy is a convenience for a person; the test's own PNG is in tmp_path
