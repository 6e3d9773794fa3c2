"""Which writing system a line is in, and the voice that can read it.

Piper's bundled voice, Festival's and flite's are English voices: given Cyrillic or Chinese they
skip the letters and say nothing, which a user would hear as silence. A line in another script
is read by espeak-ng's voice for that script's main language instead, and the fallback is named
in the clip's warnings; a script no installed voice reads is refused before any work.
"""

from __future__ import annotations

import unicodedata

from worldreel.errors import SceneError
from worldreel.speech import engines
from worldreel.speech.casting import Voice

# Unicode script (the first word of a letter's name) -> the espeak-ng voice that reads it.
SCRIPT_VOICES = {
    "CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he", "DEVANAGARI": "hi",
    "BENGALI": "bn", "TAMIL": "ta", "TELUGU": "te", "GUJARATI": "gu", "KANNADA": "kn",
    "MALAYALAM": "ml", "GURMUKHI": "pa", "THAI": "th", "GEORGIAN": "ka", "ARMENIAN": "hy",
    "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "cmn", "MYANMAR": "my",
    "SINHALA": "si", "ETHIOPIC": "am",
}
LATIN = "LATIN"


def writing_system(text: str) -> str:
    """The script most of the text's letters are written in (LATIN, CYRILLIC, CJK, ...)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        script = name.split(" ")[0] if name else "UNKNOWN"
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return LATIN  # digits and punctuation: every voice reads them
    return max(counts, key=counts.get)


def fallback_voice(text: str, voice: Voice, where: str) -> tuple[Voice, str] | None:
    """None when `voice` can read `text`; else the espeak-ng voice that can and a note saying
    so. SceneError when no installed voice reads the text's script."""
    script = writing_system(text)
    if script == LATIN:
        return None
    wanted = SCRIPT_VOICES.get(script)
    if voice.engine == "espeak" and wanted is not None and voice.name.split("+")[0] == wanted:
        return None
    if wanted is None or "espeak" not in engines.available_engines():
        raise SceneError(f"{where}: no installed voice reads {script.lower()} script; write the "
                         "line in Latin letters or pick a voice for it (`voice`)")
    note = (f"{where}: {voice.label} cannot read {script.lower()} script; "
            f"espeak:{wanted} speaks the line instead")
    return Voice("espeak", wanted, voice.cents, voice.rate, voice.tremor), note
