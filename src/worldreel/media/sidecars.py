"""Sidecar files beside a clip: the exact Scene played and its contact events.

clip.mp4 -> clip.scene.yaml and clip.events.json, so any clip can be re-rendered, remixed and
audited.
"""

from __future__ import annotations

import json
from pathlib import Path

from worldreel.errors import OutputError
from worldreel.media.files import write_text_atomic

EVENTS_VERSION = 1


def sidecar_paths(clip: str | Path) -> dict[str, Path]:
    """{'scene', 'events', 'recording'}: the paths of the files that belong to a clip."""
    base = Path(clip).with_suffix("")
    return {"scene": Path(f"{base}.scene.yaml"), "events": Path(f"{base}.events.json"),
            "recording": Path(f"{base}.recording.npz")}


def check_clip_outputs(clip: str | Path, *, overwrite: bool,
                       protected: tuple[Path, ...] = ()) -> None:
    """Refuse to replace files a user may have made: an existing clip or sidecar needs
    `overwrite`, and a file the run reads (the Scene being rendered) is never replaced."""
    paths = [Path(clip), *sidecar_paths(clip).values()]
    for path in paths:
        if any(path.resolve() == Path(p).resolve() for p in protected):
            raise OutputError(f"{clip}: would overwrite {path}, the file being rendered; "
                              "choose another output name")
    existing = [str(p) for p in paths if p.exists()]
    if existing and not overwrite:
        raise OutputError(f"{existing[0]} already exists; pass --overwrite to replace it "
                          "(or choose another output name)")


def events_document(fps: int, duration: float, events: list[dict],
                    speech: list[dict] | None = None) -> str:
    """The events sidecar's JSON text: stable key order, so equal inputs give equal bytes.
    `speech`: when each line of dialogue is heard, who says it and in which voice."""
    doc = {"version": EVENTS_VERSION, "fps": fps, "duration": duration, "events": events,
           "speech": speech or []}
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def write_sidecars(clip: str | Path, scene_yaml: str, events_json: str) -> dict[str, Path]:
    paths = sidecar_paths(clip)
    write_text_atomic(paths["scene"], scene_yaml)
    write_text_atomic(paths["events"], events_json)
    return {"scene": paths["scene"], "events": paths["events"]}
