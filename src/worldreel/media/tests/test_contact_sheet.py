"""Contact sheets: evenly spaced frames of a clip tiled into one PNG a person can look at."""

from fractions import Fraction

import av
import numpy as np
from PIL import Image

from worldreel.media.contact_sheet import clip_contact_sheet, contact_sheet


def _clip(path, frames=24, size=(64, 48)):
    """A clip whose frame i is uniformly grey level 10 * i (so each tile is identifiable)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(24, 1))
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"crf": "0"}
        for i in range(frames):
            image = np.full((size[1], size[0], 3), 10 * i, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode(None))


def test_tiles_are_laid_out_row_by_row_with_gaps():
    frames = [np.full((10, 20, 3), v, np.uint8) for v in (50, 100, 150)]
    sheet = contact_sheet(frames, columns=2, gap=4)
    assert sheet.shape == (10 * 2 + 4, 20 * 2 + 4, 3)
    assert sheet[0, 0, 0] == 50 and sheet[0, 24, 0] == 100 and sheet[14, 0, 0] == 150
    assert sheet[14, 24, 0] == 16  # the empty slot is the dark background


def test_clip_sheet_picks_first_and_last_frames(tmp_path):
    clip = tmp_path / "c.mp4"
    _clip(clip)
    out = clip_contact_sheet(clip, tmp_path / "sheet.png", count=4, columns=4, width=64)
    image = np.asarray(Image.open(out))
    assert image.shape == (48, 4 * 64 + 3 * 4, 3)
    first, last = image[24, 32, 0], image[24, -32, 0]
    assert abs(int(first) - 0) <= 3 and abs(int(last) - 230) <= 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
