"""AOV folders: depth and instance-id image sequences beside a clip, written atomically.

`clip.mp4` gets `clip_aov/` holding `depth/00000.png...` (16-bit, millimetres; 65535 = farther or
sky), `segmentation/00000.png...` (8-bit, or 16-bit past 254 entities: 0 is the world, entity k of
the Recording is k + 1, the same id on every frame) and `ids.json` naming each id. The folder is
filled in the clip's staging folder and published with the clip (`media.staging`), so a failed
run leaves no half-written AOVs.
"""

from __future__ import annotations

from pathlib import Path


def aov_folder(clip: str | Path) -> Path:
    """Where the AOVs of a clip go: `clip_aov/` beside `clip.mp4`."""
    clip = Path(clip)
    return clip.with_name(f"{clip.stem}_aov")
