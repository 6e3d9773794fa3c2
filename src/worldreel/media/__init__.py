"""Media: encode and mux MP4 (PyAV/FFmpeg), read media back, sidecars, atomic output files."""

from worldreel.media.encode import AUDIO_RATE, encode_clip
from worldreel.media.files import atomic_output, check_output_path, write_text_atomic
from worldreel.media.sidecars import (
    check_clip_outputs,
    events_document,
    sidecar_paths,
)

__all__ = ["AUDIO_RATE", "atomic_output", "check_clip_outputs", "check_output_path", "encode_clip",
           "events_document", "sidecar_paths", "write_text_atomic"]
