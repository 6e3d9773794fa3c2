"""Contact sheets: a grid of frames from a clip as one PNG, for people to look at."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from worldreel.media.files import atomic_output
from worldreel.media.reader import iter_frames, probe


def contact_sheet(frames: list[np.ndarray], columns: int = 4, gap: int = 4,
                  background: int = 16) -> np.ndarray:
    """Tile equally sized (H, W, 3) uint8 frames into one image, row by row, `gap` pixels of
    `background` grey between them and after the last frame of an unfinished row."""
    if not frames:
        raise ValueError("a contact sheet needs at least one frame")
    h, w, _ = frames[0].shape
    rows = -(-len(frames) // columns)
    sheet = np.full((rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, 3),
                    background, np.uint8)
    for i, frame in enumerate(frames):
        r, c = divmod(i, columns)
        sheet[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = frame
    return sheet


def clip_contact_sheet(clip: str | Path, output: str | Path, count: int = 12,
                       columns: int = 4, width: int = 320) -> Path:
    """Save `count` evenly spaced frames of `clip` as a PNG grid at `output`."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with the evaluation extras

    total = probe(clip).frame_count or count
    wanted = set(np.linspace(0, total - 1, count).round().astype(int).tolist())
    picked = [f for i, f in enumerate(iter_frames(clip, width=width)) if i in wanted]
    output = Path(output)
    with atomic_output(output) as tmp:
        Image.fromarray(contact_sheet(picked, columns)).save(tmp, format="PNG")
    return output
