"""Planted defects: copies of a clip with a known fault, to check that evaluation catches it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from worldreel.media.encode import AUDIO_BITRATE, AUDIO_RATE, mux_audio
from worldreel.media.files import atomic_output
from worldreel.media.reader import read_audio


def shifted(audio: np.ndarray, shift_s: float, rate_hz: int) -> np.ndarray:
    """`audio` moved later by `shift_s` (earlier when negative), the same length: silence fills
    the gap the shift opens at one end and the other end is cut."""
    samples = int(round(shift_s * rate_hz))
    out = np.zeros_like(audio)
    if samples >= 0:
        out[samples:] = audio[: max(len(audio) - samples, 0)]
    else:
        out[: len(audio) + samples] = audio[-samples:]
    return out


def delay_audio(src: str | Path, dst: str | Path, shift_s: float) -> Path:
    """`dst`: the clip `src` with its soundtrack delayed by `shift_s` (advanced when negative).

    The picture is copied packet for packet, so its frames and their timestamps are exactly the
    source's (a re-encode would change both the pixels and, at 29.97 fps, the frame times); only
    the audio is re-encoded, as AAC at 48 kHz, starting with the first frame."""
    import av  # noqa: PLC0415

    audio = shifted(read_audio(src, rate_hz=AUDIO_RATE), shift_s, AUDIO_RATE)
    if audio.shape[1] == 1:
        audio = np.repeat(audio, 2, axis=1)
    audio = np.ascontiguousarray(audio[:, :2])
    with av.open(str(src)) as source, atomic_output(Path(dst)) as tmp:
        picture = source.streams.video[0]
        start_s = float(picture.start_time * picture.time_base) if picture.start_time else 0.0
        with av.open(str(tmp), mode="w") as out:
            video = out.add_stream_from_template(picture)
            sound = out.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
            sound.bit_rate = AUDIO_BITRATE
            for packet in source.demux(picture):
                if packet.dts is None:  # the demuxer's flush packet
                    continue
                packet.stream = video
                out.mux(packet)
            # Audio time 0 is the first frame's.
            mux_audio(out, sound, audio, 0, len(audio), origin=round(start_s * AUDIO_RATE))
            out.mux(sound.encode(None))
    return Path(dst)
