"""Planted defects: copies of a clip with a known fault, to check that evaluation catches it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from worldreel.media import encode_clip
from worldreel.media.reader import AUDIO_RATE_HZ, iter_frames, probe, read_audio


def delay_audio(src: str | Path, dst: str | Path, shift_s: float) -> Path:
    """`dst`: the clip `src` with its soundtrack delayed by `shift_s` (silence in front, the
    tail cut to the same length); the picture is re-encoded unchanged."""
    audio = read_audio(src, rate_hz=AUDIO_RATE_HZ)
    pad = np.zeros((int(round(shift_s * AUDIO_RATE_HZ)),) + audio.shape[1:], audio.dtype)
    delayed = np.concatenate([pad, audio])[: len(audio)]
    frames = list(iter_frames(src))
    height, width = frames[0].shape[:2]
    encode_clip(
        dst,
        frames,
        delayed,
        fps=int(round(probe(src).fps)),
        size=(width, height),
        frame_count=len(frames),
    )
    return Path(dst)
