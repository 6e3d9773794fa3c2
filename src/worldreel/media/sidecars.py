"""Sidecar files beside a clip: the exact Scene played and its contact events.

clip.mp4 -> clip.scene.yaml and clip.events.json, so any clip can be re-rendered, remixed and
audited.
"""

from __future__ import annotations

import json
from pathlib import Path

from worldreel.errors import OutputError
from worldreel.media.files import check_outputs
from worldreel.media.staging import staging_folder_name

EVENTS_VERSION = 1


SIDECAR_SUFFIXES = {"scene": ".scene.yaml", "events": ".events.json",
                    "recording": ".recording.npz"}


def sidecar_paths(clip: str | Path) -> dict[str, Path]:
    """{'scene', 'events', 'recording'}: the paths of the files that belong to a clip."""
    base = Path(clip).with_suffix("")
    return {kind: Path(f"{base}{suffix}") for kind, suffix in SIDECAR_SUFFIXES.items()}


def derived_names(clip: str | Path, folders: tuple[Path, ...] = ()) -> list[str]:
    """Every name written beside a clip besides its own: sidecars, `folders` (the AOVs), and
    the staging folder they are all written in first."""
    names = [staging_folder_name(clip)]
    names += [path.name for path in sidecar_paths(clip).values()]
    names += [Path(folder).name for folder in folders]
    return names


def clip_of_sidecar(path: str | Path) -> Path | None:
    """The existing clip X.mp4 whose sidecar `path` is (X.scene.yaml, X.events.json or
    X.recording.npz beside it), or None."""
    path = Path(path)
    for suffix in SIDECAR_SUFFIXES.values():
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            clip = path.with_name(path.name[: -len(suffix)] + ".mp4")
            if clip.is_file():
                return clip
    return None


def check_clip_outputs(clip: str | Path, *, overwrite: bool, protected: tuple[Path, ...] = (),
                       files: tuple[Path, ...] = (), folders: tuple[Path, ...] = ()) -> None:
    """Refuse, before any work, to write a clip where it cannot go: its sidecars' names too
    long, an existing clip or sidecar without `overwrite`, a file the run reads (the Scene
    being rendered) ever. `files` and `folders`: what else the run writes (stems, AOVs)."""
    clip = Path(clip)
    paths = [clip, *sidecar_paths(clip).values()]
    for path in paths:
        if any(path.resolve() == Path(p).resolve() for p in protected):
            raise OutputError(f"{clip}: would overwrite {path}, the file being rendered; "
                              "choose another output name")
    check_outputs([*paths, *files], overwrite=overwrite, protected=protected, folders=folders,
                  clip=clip)


def events_document(fps: int, duration: float, events: list[dict],
                    speech: list[dict] | None = None, flocks: list[dict] | None = None,
                    dents: list[dict] | None = None, doors: list[dict] | None = None) -> str:
    """The events sidecar's JSON text: stable key order, so equal inputs give equal bytes.
    `speech`: when each line of dialogue is heard, who says it and in which voice. `flocks`:
    each bird's take-offs, landings, wingbeats and calls (a clip with flocks only). `dents`:
    where and when crashes crushed vehicles, how deep; `doors`: doors unlatched and latched
    (clips with them only)."""
    doc = {"version": EVENTS_VERSION, "fps": fps, "duration": duration, "events": events,
           "speech": speech or []}
    if flocks:
        doc["flocks"] = flocks
    if dents:
        doc["dents"] = dents
    if doors:
        doc["doors"] = doors
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"
