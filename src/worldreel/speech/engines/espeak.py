"""espeak-ng: the formant synthesizer that ships with Debian, the engine that always works.

espeak-ng (GPL-3.0) is never loaded into WorldReel's process. Its library reports a phoneme
event (in IPA) at the instant each phoneme starts, which the espeak-ng program does not print
with times; so a small worker (espeak_worker.py, standard library and ctypes only) is run as its
own Python process: the line goes in on its standard input, the WAV and the events come back in
files. Phone times are the engine's own (`timing` "engine"), mapped from IPA to ARPAbet by
speech.engines.ipa.

The worker is started as `python -I <its file>`, not `-m worldreel...`: it then imports nothing
of WorldReel (whose package imports are not its business, and would slow every line), and -I
keeps PYTHONPATH and the user's site folder out of it.

Voices: espeak-ng's languages as `espeak-ng --voices` lists them ("en-us", "en", "en-gb-x-rp"...,
MBROLA voices left out: they need the separate mbrola program), each optionally with one of its
variants after a "+" ("en-us+m3", "en+f3"; `variants()` lists them). Speed: 175 x rate words per
minute, 175 being espeak-ng's default.
"""

from __future__ import annotations

import json
import re
import sys
from ctypes.util import find_library
from functools import lru_cache
from pathlib import Path
from typing import Any

from worldreel.speech.engines.common import (
    EngineError,
    check_line,
    finish,
    program,
    read_wav,
    run,
    unknown_voice,
)
from worldreel.speech.engines.ipa import split_duration, to_arpabet
from worldreel.speech.spoken import Spoken
from worldreel.tempfiles import scratch_folder

NAME = "espeak"
PROGRAM = "espeak-ng"
INSTALL = "apt-get install espeak-ng"
WORDS_PER_MINUTE = 175  # espeak-ng's default speed: rate 1.0
LIST_TIMEOUT_S = 10.0
WORKER = Path(__file__).with_name("espeak_worker.py")
_OTHER_LANGUAGE = re.compile(r"\(([^\s()]+) \d+\)")  # "(en 2)": also for language en, priority 2


def available() -> bool:
    """The espeak-ng program and its library are installed (the library is looked up, not
    loaded)."""
    try:
        program(PROGRAM, engine=NAME, install=INSTALL)
    except EngineError:
        return False
    return _library_found() and bool(voices())


def voices() -> tuple[str, ...]:
    """espeak-ng's languages that it speaks without MBROLA (empty when not installed). Each
    takes a variant too: "en-us+m3" (see variants())."""
    return _listing()[0]


def variants() -> tuple[str, ...]:
    """The voice variants ("m3", "f3", "klatt", ...) that may follow a voice after a "+"."""
    return _listing()[1]


def knows(voice: str) -> bool:
    """Whether espeak-ng speaks `voice`: one of voices(), optionally "+" one of variants()."""
    base, plus, variant = voice.partition("+")
    known_voices, known_variants = _listing()
    return base in known_voices and (not plus or variant in known_variants)


def synthesize(text: str, voice: str, *, rate: float = 1.0) -> Spoken:
    """The line spoken by espeak-ng's `voice` at `rate` x 175 words per minute, with the
    engine's phoneme times."""
    check_line(text, rate, engine=NAME)
    program(PROGRAM, engine=NAME, install=INSTALL)
    if not _library_found():
        raise EngineError(f"the {NAME} speech engine's library libespeak-ng is missing: "
                          "apt-get install libespeak-ng1")
    _check_voice(voice)
    request = {"text": text, "voice": voice, "words_per_minute": round(WORDS_PER_MINUTE * rate)}
    with scratch_folder("espeak") as folder:
        work = Path(folder)
        run([sys.executable, "-I", str(WORKER), str(work / "line.wav"), str(work / "line.json")],
            engine=NAME, voice=voice, stdin=json.dumps(request).encode("utf-8"),
            advice=f"check that `{PROGRAM} -v {voice}` speaks")
        samples = read_wav(work / "line.wav", engine=NAME, voice=voice)
        report = json.loads((work / "line.json").read_text(encoding="utf-8"))
    return finish(samples, _phones(report), timing="engine", engine=NAME, voice=voice)


def _phones(report: dict[str, Any]) -> list[tuple[str, float, float]]:
    """The worker's phoneme events as ARPAbet phones: each lasts until the next event, the last
    until the end of the waveform; one IPA phoneme may be several phones ("ɑːɹ": aa r)."""
    seconds = report["samples"] / report["sample_rate"]
    events = [(str(ipa), float(ms) / 1000.0) for ipa, ms in report["phonemes"]]
    phones: list[tuple[str, float, float]] = []
    for number, (ipa, start) in enumerate(events):
        end = events[number + 1][1] if number + 1 < len(events) else seconds
        if end > start:
            phones.extend(split_duration(to_arpabet(ipa), start, end))
    return phones


@lru_cache(maxsize=1)
def _library_found() -> bool:
    """libespeak-ng is installed: looked up (find_library asks ldconfig), never loaded here."""
    return find_library("espeak-ng") is not None


def _check_voice(voice: str) -> None:
    if knows(voice):
        return
    base, _, variant = voice.partition("+")
    known_voices, known_variants = _listing()
    if base not in known_voices:
        raise unknown_voice(NAME, voice, known_voices)
    if variant not in known_variants:
        raise EngineError(f"{NAME} has no voice variant {variant!r} (in {voice!r}); its variants "
                          f"are: {', '.join(known_variants)}")


def _listing() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(languages, variants), or empty ones when espeak-ng is not installed."""
    try:
        command = program(PROGRAM, engine=NAME, install=INSTALL)
    except EngineError:
        return (), ()
    return _tables(command)


@lru_cache(maxsize=4)
def _tables(command: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(languages, variants) from `espeak-ng --voices` and `--voices=variant`, once per program."""
    return (_column(command, "--voices", language=True),
            _column(command, "--voices=variant", language=False))


def _column(command: str, option: str, *, language: bool) -> tuple[str, ...]:
    """Names from an `espeak-ng --voices` table: the languages a voice whose File is not an
    MBROLA one is listed for (its Language column, then its Other Languages: "en-us", then "en"),
    or the variants' file names (the names after "+")."""
    try:
        done = run([command, option], engine=NAME, voice="(listing voices)",
                   timeout_s=LIST_TIMEOUT_S)
    except EngineError:
        return ()
    names: list[str] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        columns = line.split()
        if len(columns) < 5:
            continue
        # Pty Language Age/Gender VoiceName File [Other Languages]; VoiceName has no spaces.
        file = columns[4]
        if not language:
            found = [file.removeprefix("!v/")]
        elif file.startswith("mb/") or columns[1] == "variant":
            continue
        else:
            found = [columns[1], *_OTHER_LANGUAGE.findall(" ".join(columns[5:]))]
        names.extend(name for name in found if name not in names)
    return tuple(names)
