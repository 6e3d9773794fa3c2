"""A minimal Standard MIDI File writer (format 0): enough to hand a score to a synthesizer."""

from __future__ import annotations

from dataclasses import dataclass

TICKS_PER_BEAT = 480


@dataclass(frozen=True)
class Note:
    """One note: start and length in beats, MIDI channel (9 = drums), pitch and velocity."""

    start: float
    length: float
    channel: int
    pitch: int
    velocity: int


def _vlq(value: int) -> bytes:
    """MIDI variable-length quantity."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def midi_file(notes: list[Note], tempo_bpm: float, programs: dict[int, int]) -> bytes:
    """Bytes of a format-0 MIDI file playing `notes` at `tempo_bpm` with channel -> GM program."""
    events: list[tuple[int, int, bytes]] = []  # (tick, order, data): note-offs sort first
    micros = int(round(60_000_000 / tempo_bpm))
    events.append((0, 0, b"\xff\x51\x03" + micros.to_bytes(3, "big")))
    for channel, program in sorted(programs.items()):
        events.append((0, 1, bytes([0xC0 | channel, program & 0x7F])))
    for note in notes:
        on = int(round(note.start * TICKS_PER_BEAT))
        off = max(on + 1, int(round((note.start + note.length) * TICKS_PER_BEAT)))
        pitch = max(0, min(127, note.pitch))
        velocity = max(1, min(127, note.velocity))
        events.append((on, 3, bytes([0x90 | note.channel, pitch, velocity])))
        events.append((off, 2, bytes([0x80 | note.channel, pitch, 0])))
    events.sort(key=lambda e: (e[0], e[1]))
    track = bytearray()
    now = 0
    for tick, _, data in events:
        track += _vlq(tick - now) + data
        now = tick
    track += b"\x00\xff\x2f\x00"  # end of track
    header = b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
    header += TICKS_PER_BEAT.to_bytes(2, "big")
    return header + b"MTrk" + len(track).to_bytes(4, "big") + bytes(track)
