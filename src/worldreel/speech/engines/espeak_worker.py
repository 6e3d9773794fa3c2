"""The espeak-ng worker: speaks one line through libespeak-ng and reports its phoneme events.

This file runs as its own process (speech.engines.espeak starts it with `python -I <this file>`),
never inside WorldReel: espeak-ng is GPL-3.0, and a C library loaded with ctypes can crash or leak
state in the process that loads it. It uses only the standard library so that it starts fast and
needs none of WorldReel's package imports.

Protocol: a JSON request on standard input, {"text", "voice", "words_per_minute"}; arguments
WAV_PATH and JSON_PATH. It writes the 16-bit mono waveform to WAV_PATH and
{"sample_rate", "samples", "phonemes": [[ipa, start_ms], ...]} to JSON_PATH, and exits 0;
on failure it prints one line to standard error and exits 1.

The struct layouts and constants are those of espeak-ng's speak_lib.h (1.49 to 1.52 keep them).
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import json
import sys
import wave

# speak_lib.h: espeak_AUDIO_OUTPUT, option bits, event types, espeak_Synth flags.
AUDIO_OUTPUT_SYNCHRONOUS = 2  # speech data comes to our callback; espeak_Synth returns when done
INITIALIZE_PHONEME_EVENTS = 0x0001
INITIALIZE_PHONEME_IPA = 0x0002  # phoneme events name IPA symbols, not espeak's mnemonics
INITIALIZE_DONT_EXIT = 0x8000  # report a missing data folder instead of exit()ing
EVENT_LIST_TERMINATED = 0
EVENT_PHONEME = 7
POS_CHARACTER = 1
CHARS_UTF8 = 1
ENDPAUSE = 0x1000  # the sentence-final pause, so the last phoneme's end is the waveform's end
PARAMETER_RATE = 1
EE_OK = 0


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p),
                ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    """espeak_EVENT."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", _EventId)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
    library = ctypes.CDLL(name)
    library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                          ctypes.c_int]
    library.espeak_Initialize.restype = ctypes.c_int
    library.espeak_SetSynthCallback.argtypes = [_Callback]
    library.espeak_SetSynthCallback.restype = None
    library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    library.espeak_SetVoiceByName.restype = ctypes.c_int
    library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    library.espeak_SetParameter.restype = ctypes.c_int
    library.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p,
                                     ctypes.c_void_p]
    library.espeak_Synth.restype = ctypes.c_int
    library.espeak_Synchronize.argtypes = []
    library.espeak_Synchronize.restype = ctypes.c_int
    library.espeak_Terminate.argtypes = []
    library.espeak_Terminate.restype = ctypes.c_int
    return library


def speak(text: str, voice: str, words_per_minute: int
          ) -> tuple[int, array.array[int], list[list[str | int]]]:
    """(sample rate, 16-bit samples, [[ipa, start ms], ...]) of the text spoken."""
    library = _library()
    options = INITIALIZE_PHONEME_EVENTS | INITIALIZE_PHONEME_IPA | INITIALIZE_DONT_EXIT
    sample_rate = library.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, options)
    if sample_rate <= 0:
        raise RuntimeError("libespeak-ng could not start (is its espeak-ng-data installed?)")
    samples = array.array("h")
    phonemes: list[list[str | int]] = []

    def receive(wav, count, events):  # type: ignore[no-untyped-def]
        # An event's audio_position is its time in ms from the start of the whole output (not of
        # this chunk), so chunks need no bookkeeping.
        index = 0
        while events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == EVENT_PHONEME:
                name = bytes(event.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
                phonemes.append([name, int(event.audio_position)])
            index += 1
        if count > 0 and wav:
            samples.extend(wav[:count])
        return 0

    callback = _Callback(receive)  # kept referenced until synthesis is over
    library.espeak_SetSynthCallback(callback)
    if library.espeak_SetVoiceByName(voice.encode("utf-8")) != EE_OK:
        raise RuntimeError(f"libespeak-ng has no voice {voice!r}")
    library.espeak_SetParameter(PARAMETER_RATE, words_per_minute, 0)
    data = text.replace("\0", " ").encode("utf-8") + b"\0"  # the C string ends at the first NUL
    status = library.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8 | ENDPAUSE,
                                  None, None)
    if status != EE_OK:
        raise RuntimeError(f"libespeak-ng refused the text (error {status})")
    library.espeak_Synchronize()
    library.espeak_Terminate()
    return sample_rate, samples, phonemes


def main(arguments: list[str]) -> int:
    wav_path, json_path = arguments
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        sample_rate, samples, phonemes = speak(
            request["text"], request["voice"], int(request["words_per_minute"]))
    except (OSError, RuntimeError) as error:
        print(error, file=sys.stderr)
        return 1
    if sys.byteorder != "little":
        samples.byteswap()  # WAV is little-endian
    with wave.open(wav_path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples.tobytes())
    with open(json_path, "w", encoding="utf-8") as out:
        json.dump({"sample_rate": sample_rate, "samples": len(samples), "phonemes": phonemes},
                  out, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
