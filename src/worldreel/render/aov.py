"""AOV folders: depth and instance-id image sequences beside a clip, written atomically.

`clip.mp4` gets `clip_aov/` holding `depth/00000.png...` (16-bit, millimetres; 65535 = farther or
sky), `segmentation/00000.png...` (8-bit, or 16-bit past 254 entities: 0 is the world, entity k of
the Recording is k + 1, the same id on every frame) and `ids.json` naming each id. The folder is
filled under a hidden temporary name and renamed into place only when the clip is done, so a
failed run leaves no half-written AOVs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from worldreel.errors import OutputError


def aov_folder(clip: str | Path) -> Path:
    """Where the AOVs of a clip go: `clip_aov/` beside `clip.mp4`."""
    clip = Path(clip)
    return clip.with_name(f"{clip.stem}_aov")


@contextmanager
def aov_output(clip: str | Path, *, overwrite: bool) -> Iterator[Path]:
    """A temporary folder to render AOVs into, renamed to aov_folder(clip) on success."""
    final = aov_folder(clip)
    if final.exists() and not overwrite:
        raise OutputError(f"{final} already exists; pass --overwrite to replace it "
                          "(or choose another output name)")
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
