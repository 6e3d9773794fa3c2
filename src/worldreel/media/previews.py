"""Preview images of a clip, as the Videos API serves them beside the MP4: a thumbnail (one frame
from the middle, WebP, at the clip's size) and a spritesheet (evenly spaced frames in a grid, one
JPEG, for scrubbers and catalogues).

OpenAI documents only the formats (thumbnail WebP, spritesheet JPEG), not the grid; ours is
`SPRITE_COLUMNS` tiles a row, no gaps, so tile i sits at column i % columns, row i // columns,
each `tile_size` pixels. Both come from one decoding pass over the clip.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from worldreel.errors import MediaError
from worldreel.media.contact_sheet import contact_sheet
from worldreel.media.files import atomic_output
from worldreel.media.reader import iter_frames, probe

SPRITE_COLUMNS = 5
SPRITE_FRAMES = 25  # a 5 x 5 grid: one tile every 4 % of the clip
SPRITE_TILE_WIDTH = 256  # px; tiles of smaller clips keep the clip's size
THUMBNAIL_QUALITY = 85  # WebP quality: visually clean at a fraction of a PNG's size
SPRITE_QUALITY = 85  # JPEG quality


def tile_size(width: int, height: int, tile_width: int = SPRITE_TILE_WIDTH) -> tuple[int, int]:
    """(w, h) of one spritesheet tile of a width x height clip: at most `tile_width` wide, the
    aspect ratio kept."""
    if width <= tile_width:
        return width, height
    return tile_width, max(1, round(height * tile_width / width))


def spritesheet_size(frames: int, width: int, height: int, columns: int = SPRITE_COLUMNS,
                     count: int = SPRITE_FRAMES) -> tuple[int, int]:
    """(w, h) of the spritesheet of a clip of `frames` frames sized width x height."""
    tiles = max(1, min(count, frames))
    cols = min(columns, tiles)
    rows = -(-tiles // cols)
    tw, th = tile_size(width, height)
    return cols * tw, rows * th


def sheet(tiles: list[np.ndarray], columns: int = SPRITE_COLUMNS) -> np.ndarray:
    """Equally sized (h, w, 3) uint8 tiles in a grid, row by row, no gaps (black after the
    last tile of an unfinished row)."""
    if not tiles:
        raise ValueError("a spritesheet needs at least one frame")
    return contact_sheet(tiles, columns=min(columns, len(tiles)), gap=0, background=0)


def write_previews(clip: str | Path, thumbnail: str | Path, spritesheet: str | Path, *,
                   columns: int = SPRITE_COLUMNS, count: int = SPRITE_FRAMES) -> None:
    """Write the thumbnail (WebP) and the spritesheet (JPEG) of `clip`, each whole or not at
    all."""
    from PIL import Image  # noqa: PLC0415

    info = probe(clip)
    if not info.has_video or not info.frame_count:
        raise MediaError(f"{clip}: has no video frames to make previews from")
    total = info.frame_count
    middle = total // 2
    # floor(x + 0.5), not numpy's half-to-even rounding, which can map two picks to one frame
    picks = np.floor(np.linspace(0, total - 1, min(count, total)) + 0.5)
    wanted = set(picks.astype(int).tolist())
    tiles: list[np.ndarray] = []
    still = last = None
    for index, frame in enumerate(iter_frames(clip)):
        last = frame
        if index == middle:
            still = frame
        if index in wanted:
            tiles.append(_tile(frame))
    if last is None:
        raise MediaError(f"{clip}: no video frame could be decoded")
    # The container's count is exact for our own MP4s; a clip that ends early still gets both.
    still = last if still is None else still
    tiles = tiles or [_tile(last)]
    with atomic_output(thumbnail) as tmp:
        Image.fromarray(still).save(tmp, format="WEBP", quality=THUMBNAIL_QUALITY)
    with atomic_output(spritesheet) as tmp:
        Image.fromarray(sheet(tiles, columns)).save(tmp, format="JPEG", quality=SPRITE_QUALITY)


def _tile(frame: np.ndarray) -> np.ndarray:
    from PIL import Image  # noqa: PLC0415

    h, w, _ = frame.shape
    size = tile_size(w, h)
    if size == (w, h):
        return frame
    return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.BOX))
