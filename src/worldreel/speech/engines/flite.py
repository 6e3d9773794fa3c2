"""Flite: CMU's small festival, with its built-in voices kal, kal16, awb, rms and slt.

Flite (BSD-style licence) runs as a program on a text file: `flite -voice V -f line.txt -psdur
-o line.wav` prints, for each utterance it split the text into, one line of "phone:end" pairs
timed from that utterance's start, and writes the utterances one after another into the WAV.
So the phone times are the engine's (`timing` "engine") once each utterance is put at its place.

Where an utterance starts in the WAV: after the ones before it, each as long as its last
segment's end... except that the diphone voices (kal, kal16) do not render the second half of
the final pause's diphone, so each of their utterances is about 0.12 s shorter than its segments.
The shortfall (segments' total minus the WAV's length) is taken off the final pauses, shared
equally among the utterances; the unit-selection voices fall short by under 5 ms.

Speed: `--setf duration_stretch=1/rate`. `awb_time` is left out: it is a talking clock that
speaks only times of day. An unknown -voice makes flite fall back to kal without a word, so
voices are checked against `flite -lv` first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from worldreel.speech.engines.common import (
    EngineError,
    ascii_text,
    check_line,
    finish,
    program,
    radio_to_arpabet,
    read_wav,
    run,
    unknown_voice,
)
from worldreel.speech.spoken import PAUSE, SAMPLE_RATE, Spoken
from worldreel.tempfiles import scratch_folder

NAME = "flite"
PROGRAM = "flite"
INSTALL = "apt-get install flite"
LIST_TIMEOUT_S = 10.0
LIMITED_DOMAIN = frozenset({"awb_time"})  # speaks only what it was recorded for (times of day)
_SEGMENT = re.compile(r"^(\S+):(-?[0-9.]+)$")


def available() -> bool:
    """Flite is installed and lists at least one general-purpose voice."""
    return bool(voices())


def voices() -> tuple[str, ...]:
    """Flite's general-purpose voices, as `flite -lv` lists them (empty when not installed)."""
    try:
        command = program(PROGRAM, engine=NAME, install=INSTALL)
    except EngineError:
        return ()
    return _voices(command)


def synthesize(text: str, voice: str, *, rate: float = 1.0) -> Spoken:
    """The line spoken by flite's `voice` at `rate` x its normal speed, with the engine's
    segment times."""
    check_line(text, rate, engine=NAME)
    command = program(PROGRAM, engine=NAME, install=INSTALL)
    known = _voices(command)
    if voice not in known:
        raise unknown_voice(NAME, voice, known)
    line = ascii_text(text).encode("ascii")
    if not line.strip():
        raise EngineError(f"{NAME} reads English in ASCII: nothing of {text[:40]!r} is left to "
                          "speak (use the espeak engine for other scripts)")
    with scratch_folder("flite") as folder:
        work = Path(folder)
        (work / "line.txt").write_bytes(line)
        done = run([command, "-voice", voice, "--setf", f"duration_stretch={1.0 / rate!r}",
                    "-psdur", "-f", "line.txt", "-o", "line.wav"],
                   engine=NAME, voice=voice, cwd=work, advice="check that `flite -lv` works")
        samples = read_wav(work / "line.wav", engine=NAME, voice=voice)
    utterances = _utterances(done.stdout.decode("utf-8", "replace"), voice=voice)
    phones = _place(utterances, len(samples) / SAMPLE_RATE)
    return finish(samples, phones, timing="engine", engine=NAME, voice=voice)


def _utterances(output: str, *, voice: str) -> list[list[tuple[str, float]]]:
    """[[(ARPAbet phone, end s from the utterance's start), ...] per utterance]."""
    utterances: list[list[tuple[str, float]]] = []
    for line in output.splitlines():
        segments = [_SEGMENT.match(token) for token in line.split()]
        if not segments or not all(segments):
            continue  # not a -psdur line
        utterance: list[tuple[str, float]] = []
        start = 0.0
        for match in segments:
            assert match is not None
            name, end = match.group(1), float(match.group(2))
            arpabet = radio_to_arpabet(name)
            if arpabet is None:
                raise EngineError(f"{NAME} voice {voice!r} speaks phone {name!r}, which is not "
                                  "English (radio/CMU)")
            share = (end - start) / len(arpabet)
            utterance.extend((phone, start + (number + 1) * share)
                             for number, phone in enumerate(arpabet))
            start = max(start, end)
        utterances.append(utterance)
    if not utterances:
        raise EngineError(f"{NAME} (voice {voice!r}) reported no segments")
    return utterances


def _place(utterances: list[list[tuple[str, float]]], seconds: float
           ) -> list[tuple[str, float, float]]:
    """The utterances' phones on the WAV's time line (see the module's note on diphones)."""
    shortfall = (sum(utterance[-1][1] for utterance in utterances) - seconds) / len(utterances)
    phones: list[tuple[str, float, float]] = []
    offset = 0.0
    for utterance in utterances:
        length = utterance[-1][1]
        if utterance[-1][0] == PAUSE:
            before = utterance[-2][1] if len(utterance) > 1 else 0.0
            length = max(before, length - shortfall)
        start = 0.0
        for phone, end in utterance:
            end = min(end, length)
            phones.append((phone, offset + start, offset + end))
            start = end
        offset += length
    return phones


@lru_cache(maxsize=4)
def _voices(command: str) -> tuple[str, ...]:
    try:
        done = run([command, "-lv"], engine=NAME, voice="(listing voices)",
                   timeout_s=LIST_TIMEOUT_S)
    except EngineError:
        return ()
    listed = done.stdout.decode("utf-8", "replace").partition(":")[2].split()
    return tuple(voice for voice in listed if voice not in LIMITED_DOMAIN)
