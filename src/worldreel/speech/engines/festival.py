"""Festival: the Edinburgh speech synthesizer, with CMU's HTS voice "slt" and the diphone voices.

Festival (X11-style licence; its voices are under various free licences) runs as a program, on a
Scheme script we write: choose the voice, read the line from a file with `fread` (so the text is
a string value and never Scheme source: quotes, parentheses and backslashes in it cannot inject
code), synthesize it as one utterance, save the wave and print every Segment with its end time.
Those times are the engine's own, so `timing` is "engine".

Speed: the HTS voices ignore festival's Duration_Stretch and take hts_engine's "-r" speech
rate instead (checked: -r 1.5 makes a 5.53 s line 3.70 s long, and the segment times follow);
the diphone voices take Duration_Stretch.

Voices are the English ones festival's own (voice.list) reports, by short name: "slt" is
cmu_us_slt_arctic_hts, "kal" is kal_diphone (Debian festvox-kallpc16k), "ked" is ked_diphone
(festvox-kdlpc16k). Full festival names are accepted too.
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
    last_line,
    program,
    radio_to_arpabet,
    read_wav,
    run,
    unknown_voice,
)
from worldreel.speech.spoken import Spoken
from worldreel.tempfiles import scratch_folder

NAME = "festival"
PROGRAM = "festival"
INSTALL = "apt-get install festival festvox-us-slt-hts"
LIST_TIMEOUT_S = 30.0

# How festival names its voices, and the short name we give them. HTS voices sound best, then
# unit selection, then diphones: voices() lists them in that order.
_SHORT_NAMES = (
    (re.compile(r"^(?:cmu|nitech|cstr)_(?:us|uk|edi)_([a-z0-9]+)_(?:arctic_)?hts$"), 0),
    (re.compile(r"^([a-z0-9]+)_hts$"), 0),
    (re.compile(r"^(?:cmu|nitech|cstr)_(?:us|uk|edi)_([a-z0-9]+)_(?:arctic_)?"
                r"(?:clunits|cg|multisyn)$"), 1),
    (re.compile(r"^([a-z0-9]+)_(?:clunits|cg|multisyn|ldom)$"), 1),
    (re.compile(r"^([a-z0-9]+)_diphone$"), 2),
)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_]+$")  # festival voice names, spliced into the script

_LIST_SCRIPT = """
(mapcar
  (lambda (v)
    (format t "VOICE %s %l\\n" v (cadr (assoc 'language (cadr (voice.description v))))))
  (voice.list))
"""

_SPEAK_SCRIPT = """
(voice_{voice})
(if (string-equal (Param.get 'Synth_Method) "HTS")
    (set! hts_engine_params (append hts_engine_params (list (list "-r" {rate!r}))))
    (Parameter.set 'Duration_Stretch {stretch!r}))
(set! worldreel_file (fopen "line.txt" "rb"))
(set! worldreel_text (fread {size} worldreel_file))
(fclose worldreel_file)
(set! worldreel_utt (SynthText worldreel_text))
(utt.save.wave worldreel_utt "line.wav" 'riff)
(mapcar
  (lambda (s) (format t "SEGMENT %s %f\\n" (item.name s) (item.feat s "end")))
  (utt.relation.items worldreel_utt 'Segment))
"""
_SEGMENT = re.compile(r"^SEGMENT (\S+) (-?[0-9.]+)\s*$")


def available() -> bool:
    """Festival is installed and has at least one English voice."""
    return bool(voices())


def voices() -> tuple[str, ...]:
    """The short names of festival's English voices, best first (empty when not installed)."""
    found = _program_or_none()
    return tuple(_voice_table(found)) if found else ()


def synthesize(text: str, voice: str, *, rate: float = 1.0) -> Spoken:
    """The line spoken by festival's `voice` at `rate` x its normal speed, with the engine's
    segment times."""
    check_line(text, rate, engine=NAME)
    command = program(PROGRAM, engine=NAME, install=INSTALL)
    table = _voice_table(command)
    full = table.get(voice) or (voice if voice in table.values() else None)
    if full is None:
        raise unknown_voice(NAME, voice, table)
    line = ascii_text(text).encode("ascii")
    if not line.strip():
        raise EngineError(f"{NAME} reads English in ASCII: nothing of {text[:40]!r} is left to "
                          "speak (use the espeak engine for other scripts)")
    script = _SPEAK_SCRIPT.format(voice=full, rate=float(rate), stretch=1.0 / float(rate),
                                  size=len(line))
    with scratch_folder("festival") as folder:
        work = Path(folder)
        (work / "line.txt").write_bytes(line)
        (work / "speak.scm").write_text(script, encoding="ascii")
        done = run([command, "-b", "speak.scm"], engine=NAME, voice=voice, cwd=work,
                   advice=f"check that `{PROGRAM} -b` works and that voice_{full} loads")
        if not (work / "line.wav").exists():
            raise EngineError(f"{NAME} (voice {voice!r}) wrote no wave"
                              + (f": {last_line(done.stderr)}" if done.stderr.strip() else ""))
        samples = read_wav(work / "line.wav", engine=NAME, voice=voice)
    phones = _phones(done.stdout.decode("utf-8", "replace"), voice=voice)
    # Festival's segment times are of the wave it saved, from its first sample.
    return finish(samples, phones, timing="engine", engine=NAME, voice=voice)


def _phones(output: str, *, voice: str) -> list[tuple[str, float, float]]:
    phones: list[tuple[str, float, float]] = []
    start = 0.0
    for line in output.splitlines():
        match = _SEGMENT.match(line.strip())
        if match is None:
            continue
        name, end = match.group(1), float(match.group(2))
        arpabet = radio_to_arpabet(name)
        if arpabet is None:
            raise EngineError(f"{NAME} voice {voice!r} speaks phone {name!r}, which is not "
                              "English (radio/CMU): choose an English voice")
        share = (end - start) / len(arpabet)
        for number, phone in enumerate(arpabet):
            phones.append((phone, start + number * share, start + (number + 1) * share))
        start = max(start, end)
    if not phones:
        raise EngineError(f"{NAME} (voice {voice!r}) reported no segments")
    return phones


def _program_or_none() -> str | None:
    try:
        return program(PROGRAM, engine=NAME, install=INSTALL)
    except EngineError:
        return None


@lru_cache(maxsize=4)
def _voice_table(command: str) -> dict[str, str]:
    """{short name: festival voice name} of the English voices, best first, asked of festival
    itself (it searches its voice path; a voice package adds a folder there). Cached per program:
    festival takes about 0.5 s to start."""
    with scratch_folder("festival") as folder:
        (Path(folder) / "voices.scm").write_text(_LIST_SCRIPT, encoding="ascii")
        try:
            done = run([command, "-b", "voices.scm"], engine=NAME, voice="(listing voices)",
                       cwd=Path(folder), timeout_s=LIST_TIMEOUT_S)
        except EngineError:
            return {}
    english: list[tuple[int, int, str, str]] = []
    for order, line in enumerate(done.stdout.decode("utf-8", "replace").splitlines()):
        parts = line.split()
        if len(parts) != 3 or parts[0] != "VOICE" or parts[2] != "english":
            continue
        name = parts[1]
        if not _SAFE_NAME.match(name):
            continue
        rank, short = 3, name
        for pattern, method_rank in _SHORT_NAMES:
            match = pattern.match(name)
            if match:
                rank, short = method_rank, match.group(1)
                break
        english.append((rank, order, short, name))
    table: dict[str, str] = {}
    for _, _, short, name in sorted(english):
        table[short if short not in table else name] = name
    return table
