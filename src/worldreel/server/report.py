"""A clip's evaluation report (worldreel.evaluate), measured once and kept beside the clip."""

from __future__ import annotations

import json
from pathlib import Path

from worldreel.media import write_text_atomic
from worldreel.server.errors import APIError

REPORT = "report.json"


def clip_report(files: dict[str, Path]) -> dict:
    """The report of a published clip: read back when measured before, measured (with its
    events and recording sidecars) and saved atomically otherwise."""
    video = files["video"]
    saved = video.with_name(REPORT)
    if saved.is_file():
        return json.loads(saved.read_text(encoding="utf-8"))
    try:
        from worldreel.evaluate import evaluate_clip  # noqa: PLC0415 - OpenCV, librosa
    except ImportError as exc:
        raise APIError(501, f"evaluation needs the evaluate extra ({exc.name} is missing): "
                            "pip install 'worldreel[evaluate]'", code="not_installed") from None
    sidecars = {}
    if "recording" in files:
        sidecars["recording_path"] = files["recording"]
    elif "events" in files:
        sidecars["events_path"] = files["events"]
    measured = evaluate_clip(video, **sidecars)
    report = measured.to_dict()
    # The short table `worldreel eval` prints, for readers who want the gist.
    report["summary"] = [{"metric": m, "value": v, "verdict": k} for m, v, k in measured.rows()]
    report["path"] = video.name  # not where the server keeps it
    write_text_atomic(saved, json.dumps(report))
    return report
