"""Previews of a clip: the thumbnail is the middle frame as WebP at the clip's size; the
spritesheet is evenly spaced frames in a 5-wide grid as one JPEG."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from worldreel.errors import MediaError
from worldreel.media.encode import encode_clip
from worldreel.media.previews import sheet, spritesheet_size, tile_size, write_previews

FPS = 10


def _clip(path, frames: int, width: int = 64, height: int = 48):
    """A clip whose frame i is a flat grey of brightness 8 * i (so a frame tells its index)."""
    pictures = [np.full((height, width, 3), 8 * i, np.uint8) for i in range(frames)]
    audio = np.zeros((int(48000 * frames / FPS), 2), np.float32)
    encode_clip(path, iter(pictures), audio, fps=FPS, size=(width, height), frame_count=frames)
    return path


def test_the_thumbnail_is_the_middle_frame_at_the_clip_size(tmp_path):
    clip = _clip(tmp_path / "c.mp4", 21)
    write_previews(clip, tmp_path / "t.webp", tmp_path / "s.jpg")
    with Image.open(tmp_path / "t.webp") as thumb:
        assert thumb.format == "WEBP" and thumb.size == (64, 48)
        level = np.asarray(thumb.convert("RGB")).mean()
    assert abs(level - 8 * 10) < 6  # frame 10 of 0..20


def test_the_spritesheet_is_a_grid_of_evenly_spaced_frames(tmp_path):
    clip = _clip(tmp_path / "c.mp4", 30)
    write_previews(clip, tmp_path / "t.webp", tmp_path / "s.jpg", count=10)
    with Image.open(tmp_path / "s.jpg") as sprites:
        assert sprites.format == "JPEG"
        assert sprites.size == spritesheet_size(30, 64, 48, count=10) == (5 * 64, 2 * 48)
        grid = np.asarray(sprites.convert("RGB")).astype(float)
    levels = [grid[r * 48 + 8:r * 48 + 40, c * 64 + 8:c * 64 + 56].mean()
              for r in range(2) for c in range(5)]
    # frames 0, 3, 6, ..., 29 (0 to the last, evenly): brightness 8 * index
    expected = 8 * np.floor(np.linspace(0, 29, 10) + 0.5)
    assert np.allclose(levels, expected, atol=6)


def test_a_clip_shorter_than_the_grid_shows_every_frame_once(tmp_path):
    clip = _clip(tmp_path / "c.mp4", 8)
    write_previews(clip, tmp_path / "t.webp", tmp_path / "s.jpg")
    with Image.open(tmp_path / "s.jpg") as sprites:
        assert sprites.size == (5 * 64, 2 * 48)


def test_tiles_of_big_clips_are_scaled_down_keeping_the_aspect():
    assert tile_size(1280, 720) == (256, 144)
    assert tile_size(64, 48) == (64, 48)
    assert spritesheet_size(240, 1280, 720) == (5 * 256, 5 * 144)


def test_sheet_places_tiles_row_by_row():
    tiles = [np.full((2, 3, 3), i, np.uint8) for i in range(7)]
    grid = sheet(tiles, columns=5)
    assert grid.shape == (4, 15, 3)
    assert grid[2, 3, 0] == 6 and grid[0, 12, 0] == 4 and grid[3, 14, 0] == 0


def test_a_file_without_video_is_refused(tmp_path):
    (tmp_path / "x.mp4").write_bytes(b"not a video")
    with pytest.raises(MediaError):
        write_previews(tmp_path / "x.mp4", tmp_path / "t.webp", tmp_path / "s.jpg")
    assert not (tmp_path / "t.webp").exists() and not (tmp_path / "s.jpg").exists()
