"""The speech engines speak, and their phones sit where the sounds are.

Each installed engine and voice speaks one line; what a viewer would notice if the phones were
off is checked on the waveform: the lips close (/m/ has little energy between 1 and 4 kHz, where
vowels have their formants) where the phones say "m", the pause between sentences is quiet, the
line starts on its first sound, and speaking faster makes it shorter with phones that still fit.
"""

from __future__ import annotations

import importlib.util
import shutil
from functools import cache
from itertools import pairwise

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from worldreel.speech.engines import (
    ENGINES,
    EngineError,
    available_engines,
    engine,
    espeak,
    festival,
    flite,
    piper,
)
from worldreel.speech.engines.ipa import VOWELS, split_duration, to_arpabet
from worldreel.speech.spoken import ARPABET, PAUSE, SAMPLE_RATE, Spoken

LINE = "Mama made a pie. Is it good?"
EDGE = int(0.020 * SAMPLE_RATE)  # no more than 20 ms of silence at either end
QUIET_EDGE = 10 ** (-45 / 20)  # of the peak: the loudest sample of an edge is above this
PIPER_INSTALLED = importlib.util.find_spec("piper") is not None  # found, never imported

# (engine, voice, Debian package or pip extra that provides it)
VOICES = [
    ("espeak", "en-us", "espeak-ng"),
    ("espeak", "en-gb-x-rp", "espeak-ng"),
    ("festival", "slt", "festvox-us-slt-hts"),
    ("festival", "kal", "festvox-kallpc16k"),
    ("festival", "ked", "festvox-kdlpc16k"),
    ("flite", "slt", "flite"),
    ("flite", "kal", "flite"),
    ("flite", "rms", "flite"),
    ("flite", "awb", "flite"),
    ("piper", "joe", "worldreel[voice]"),  # about 1 s a line: Piper loads its model each time
]


@cache
def spoken(name: str, voice: str, rate: float = 1.0, text: str = LINE) -> Spoken:
    """One synthesis per (engine, voice, rate, text) for the whole module."""
    return engine(name).synthesize(text, voice, rate=rate)


def require(name: str, voice: str, package: str) -> None:
    module = engine(name)
    if name == "piper" and not PIPER_INSTALLED:
        pytest.skip("piper-tts is not installed (pip install 'worldreel[voice]')")
    if not module.available() or voice not in module.voices():
        pytest.skip(f"{name} voice {voice} is not installed ({package})")


def rms(samples: np.ndarray, start: float, end: float) -> float:
    piece = samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
    return float(np.sqrt(np.mean(piece ** 2))) if len(piece) else 0.0


def mid_band(samples: np.ndarray) -> np.ndarray:
    """1-4 kHz: vowels' second and third formants; a closed mouth (/m/) lets little through."""
    sos = butter(4, [1000.0, 4000.0], btype="band", fs=SAMPLE_RATE, output="sos")
    return sosfiltfilt(sos, samples)


def check_structure(line: Spoken) -> None:
    """Samples that start and end on sound; ARPAbet phones, contiguous, covering them."""
    samples = line.samples
    assert samples.dtype == np.float64 and samples.ndim == 1
    assert np.all(np.isfinite(samples))
    assert np.sqrt(np.mean(samples ** 2)) > 0.01, "the line is (nearly) silent"
    peak = np.max(np.abs(samples))
    assert np.max(np.abs(samples[:EDGE])) > QUIET_EDGE * peak, "silence before the first sound"
    assert np.max(np.abs(samples[-EDGE:])) > QUIET_EDGE * peak, "silence after the last sound"
    phones = line.phones
    assert all(phone.symbol in ARPABET for phone in phones)
    assert phones[0].start == 0.0
    assert phones[-1].end == pytest.approx(line.seconds, abs=1e-9)
    for before, after in pairwise(phones):
        assert before.end == after.start, f"{before} and {after} are not contiguous"
    assert phones[0].symbol != PAUSE and phones[-1].symbol != PAUSE


@pytest.mark.parametrize(("name", "voice", "package"), VOICES)
def test_each_engine_speaks_the_line_with_phones_covering_it(name: str, voice: str,
                                                             package: str) -> None:
    require(name, voice, package)
    line = spoken(name, voice)
    check_structure(line)
    symbols = [phone.symbol for phone in line.phones]
    assert symbols.count("m") >= 3 and "p" in symbols, symbols  # MaMa Made a Pie
    assert symbols[0] == "m" and symbols[1] in VOWELS
    assert line.timing == ("aligned" if name == "piper" else "engine")
    assert 0.8 < line.seconds < 4.0


@pytest.mark.parametrize(("name", "voice", "package"), VOICES)
def test_phones_sit_on_their_sounds(name: str, voice: str, package: str) -> None:
    require(name, voice, package)
    line = spoken(name, voice)
    phones = line.phones
    band = mid_band(line.samples)
    # "Mama": m V m V. Where the phones say the lips are closed, the 1-4 kHz band is much weaker
    # than where they say a vowel is (0.1-0.6 of it across the voices; shifted phones swap them).
    mama = phones[:4]
    closed = np.mean([rms(band, p.start, p.end) for p in mama if p.symbol == "m"])
    open_ = np.mean([rms(band, p.start, p.end) for p in mama if p.symbol in VOWELS])
    assert closed < 0.8 * open_, (closed, open_)
    # The pause between the sentences: quieter than the first vowel, and for the engines that
    # time their own phones, quiet (under a seventh of the vowels' level; 1/15 measured).
    pauses = [p for p in phones if p.symbol == PAUSE]
    assert pauses, "no pause between the two sentences"
    vowels = np.mean([rms(line.samples, p.start, p.end) for p in phones if p.symbol in VOWELS])
    first_vowel = phones[1]
    pause = pauses[0]
    assert rms(line.samples, pause.start, pause.end) < rms(line.samples, first_vowel.start,
                                                           first_vowel.end)
    if line.timing == "engine":
        assert rms(line.samples, pause.start, pause.end) < vowels / 7
    # The pause falls between "pie" and "Is".
    at = phones.index(pause)
    assert [p.symbol for p in phones[at - 2:at]] == ["p", "ay"]


@pytest.mark.parametrize(("name", "voice", "package"), VOICES)
def test_faster_speech_is_shorter_and_its_phones_still_fit(name: str, voice: str,
                                                           package: str) -> None:
    require(name, voice, package)
    normal, fast = spoken(name, voice), spoken(name, voice, 1.5)
    assert normal.seconds / fast.seconds == pytest.approx(1.5, rel=0.15)
    check_structure(fast)
    assert [p.symbol for p in fast.phones if p.symbol != PAUSE] == \
        [p.symbol for p in normal.phones if p.symbol != PAUSE]
    if fast.timing == "engine":
        pause = next(p for p in fast.phones if p.symbol == PAUSE)
        vowels = np.mean([rms(fast.samples, p.start, p.end) for p in fast.phones
                          if p.symbol in VOWELS])
        assert rms(fast.samples, pause.start, pause.end) < vowels / 7


@pytest.mark.parametrize(("name", "voice", "package"), [
    ("espeak", "en-us", "espeak-ng"), ("festival", "slt", "festvox-us-slt-hts"),
    ("flite", "kal", "flite")])
def test_same_line_same_samples(name: str, voice: str, package: str) -> None:
    require(name, voice, package)
    first = engine(name).synthesize(LINE, voice)
    again = engine(name).synthesize(LINE, voice)
    assert np.array_equal(first.samples, again.samples)
    assert first.phones == again.phones


def test_piper_is_deterministic() -> None:
    require("piper", "joe", "worldreel[voice]")
    again = piper.synthesize(LINE, "en_US-joe-medium")  # its file's name works too
    assert np.array_equal(again.samples, spoken("piper", "joe").samples)


def test_flite_places_each_utterance_where_its_sound_is() -> None:
    """flite times each sentence from its own start, and its diphone voice renders each ~0.12 s
    shorter than its segments: every pause must still be on silence, not the sentence after."""
    require("flite", "kal", "flite")
    line = spoken("flite", "kal", 1.0, "Mama made a pie. Is it good? Yes it is. Come and see.")
    check_structure(line)
    vowels = np.mean([rms(line.samples, p.start, p.end) for p in line.phones
                      if p.symbol in VOWELS])
    pauses = [p for p in line.phones if p.symbol == PAUSE]
    assert len(pauses) == 3
    for pause in pauses:
        assert rms(line.samples, pause.start, pause.end) < vowels / 7, pause


@pytest.mark.parametrize("name", ["espeak", "festival", "flite", "piper"])
def test_an_unknown_voice_is_an_error_listing_the_voices(name: str) -> None:
    module = engine(name)
    if not module.available():
        pytest.skip(f"{name} is not installed")
    with pytest.raises(EngineError) as caught:
        module.synthesize(LINE, "no-such-voice")
    message = str(caught.value)
    assert name in message and "no-such-voice" in message
    assert all(voice in message for voice in module.voices()[:3])


@pytest.mark.parametrize(("module", "package"), [
    (espeak, "apt-get install espeak-ng"), (festival, "apt-get install festival"),
    (flite, "apt-get install flite")])
def test_a_missing_program_says_what_to_install(monkeypatch: pytest.MonkeyPatch, module,
                                                package: str) -> None:
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    assert not module.available()
    assert module.voices() == ()
    with pytest.raises(EngineError, match=package):
        module.synthesize(LINE, "en-us")
    assert module.NAME not in available_engines()


def test_missing_piper_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper, "_installed", lambda: False)
    assert not piper.available() and piper.voices() == ()
    with pytest.raises(EngineError, match=r"pip install .worldreel\[voice\]"):
        piper.synthesize(LINE, "joe")


def test_user_piper_voices_come_from_the_folder_named(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path) -> None:
    """A voice is an .onnx with its .onnx.json; one without a config, or whose phonemes are not
    espeak-ng's, is not offered."""
    if not PIPER_INSTALLED:
        pytest.skip("piper-tts is not installed (pip install 'worldreel[voice]')")
    (tmp_path / "en_GB-test-low.onnx").write_bytes(b"")
    (tmp_path / "en_GB-test-low.onnx.json").write_text(
        '{"espeak": {"voice": "en-gb"}, "phoneme_type": "espeak", "dataset": "test"}')
    (tmp_path / "zh-text.onnx").write_bytes(b"")
    (tmp_path / "zh-text.onnx.json").write_text('{"phoneme_type": "pinyin"}')
    (tmp_path / "no-config.onnx").write_bytes(b"")
    (tmp_path / "en_US-joe-high.onnx").write_bytes(b"")  # a second voice of the same speaker
    (tmp_path / "en_US-joe-high.onnx.json").write_text(
        '{"espeak": {"voice": "en-us"}, "dataset": "joe"}')
    monkeypatch.setenv(piper.VOICES_ENV, str(tmp_path))
    names = piper.voices()
    assert "test" in names  # by its speaker
    assert "en_US-joe-medium" in names and "en_US-joe-high" in names  # "joe" is ambiguous now
    assert "zh-text" not in names and "no-config" not in names


@pytest.mark.parametrize("name", ["espeak", "festival", "flite"])
def test_quotes_and_brackets_are_spoken_not_run(name: str, tmp_path) -> None:
    """Festival reads a Scheme script: a line that closes a string and calls (system ...) must be
    read as words. The others get the text in a file or on standard input."""
    module = engine(name)
    if not module.available():
        pytest.skip(f"{name} is not installed")
    witness = tmp_path / "ran"
    text = (f'She said "stop"; \\ then ") (system "touch {witness}") (" and (left); '
            f"it's 5\\3 \\\" done.")
    line = module.synthesize(text, module.voices()[0] if name != "espeak" else "en-us")
    check_structure(line)
    assert not witness.exists(), "text was run as code"
    symbols = [p.symbol for p in line.phones]
    assert {"s", "t", "aa", "p"} <= set(symbols)  # "stop"
    assert line.seconds > 2.0  # the whole line was spoken, not the part before a quote


def test_empty_lines_and_bad_rates_are_refused() -> None:
    with pytest.raises(EngineError, match="empty"):
        espeak.synthesize("  \n", "en-us")
    with pytest.raises(EngineError, match="rate"):
        espeak.synthesize(LINE, "en-us", rate=0.0)
    with pytest.raises(EngineError, match="rate"):
        espeak.synthesize(LINE, "en-us", rate=float("nan"))


def test_engines_in_order_of_quality() -> None:
    assert [module.NAME for module in ENGINES] == ["piper", "festival", "flite", "espeak"]
    assert engine("flite") is flite
    with pytest.raises(EngineError, match="piper, festival, flite, espeak"):
        engine("sapi")
    assert "espeak" in available_engines()  # the fallback that always works


def test_espeak_voice_variants() -> None:
    require("espeak", "en-us", "espeak-ng")
    assert "m3" in espeak.variants() and "f3" in espeak.variants()
    male = espeak.synthesize("Good morning.", "en-us+m3")
    female = espeak.synthesize("Good morning.", "en+f3")
    assert not np.array_equal(male.samples, female.samples)
    assert espeak.knows("en-us+m3") and espeak.knows("en") and not espeak.knows("en-us+nobody")
    with pytest.raises(EngineError, match="variant"):
        espeak.synthesize(LINE, "en-us+nobody")


@pytest.mark.parametrize(("ipa", "arpabet"), [
    ("məˈmɑː", "m ax m aa"),  # espeak en-us "Mama": stress and length marks dropped
    ("hɛˈloʊ", "hh eh l ow"),  # a diphthong stays one phone
    ("ˈaɪ", "ay"),
    ("bˈʌʔn̩", "b ah t ax n"),  # glottal stop for t; syllabic n is a schwa and n
    ("ˈbɒtl̩", "b aa t ax l"),
    ("fˈɑːɹ", "f aa r"),  # espeak's rhotic vowel unit: the vowel then r
    ("wˈɔːɾɚ", "w ao t er"),  # flap t, r-coloured schwa
    ("tʃˈɜːtʃ", "ch er ch"),
    ("dʒˈʌdʒ", "jh ah jh"),
    ("θˈɪŋ ðɪs", "th ih ng dh ih s"),
    ("jˈuː", "y uw"),
    ("hˈɪə", "hh ih ax"),  # non-rhotic centring diphthong
    ("ʒ", "zh"),
    ("a:", "aa"),  # espeak's ASCII length mark
    ("ç", "hh"), ("y", "uw"), ("ɲ", "n"),  # the rest of the chart: nearest English phone
    ("ã", "ae"),  # an accented letter unknown as such: its base letter
])
def test_ipa_to_arpabet(ipa: str, arpabet: str) -> None:
    assert to_arpabet(ipa) == tuple(arpabet.split())


def test_ipa_pauses_and_unknown_symbols_never_fail() -> None:
    assert to_arpabet("") == (PAUSE,)
    assert to_arpabet(",") == (PAUSE,)
    assert to_arpabet("中") == ("ah",)  # the documented fallback, with a logged warning
    assert all(phone in ARPABET for phone in to_arpabet("ʘǃɓʛɮʢ☃x̴"))
    pieces = split_duration(("aa", "r"), 1.0, 1.15)
    assert [p[0] for p in pieces] == ["aa", "r"]
    assert pieces[0][2] == pytest.approx(1.10) and pieces[-1][2] == 1.15


def test_espeak_speaks_its_ipa_as_the_words_arpabet() -> None:
    require("espeak", "en-us", "espeak-ng")
    line = spoken("espeak", "en-us", 1.0, "Judge the church.")
    assert [p.symbol for p in line.phones] == ["jh", "ah", "jh", "dh", "ax", "ch", "er",
                                                "ch"]
