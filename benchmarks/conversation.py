"""A four-person conversation played end to end: lip sync measured from the Recording, line
onsets measured in the MP4's audio, the voices' pitch and brightness, and a contact sheet.

Usage: python benchmarks/conversation.py [out/conversation/] [--size 640x360]

Prints three tables: per speaker, the Pearson r of mouth opening against their voice's envelope,
the widest opening inside their silences over 200 ms (fraction of their widest) and the worst
visual-onset offset (ms); per line, the scheduled start and where the line's waveform is found
in the MP4's decoded audio (cross-correlation, ms apart); per voice of a six-person cast (man, woman, boy, girl, old man, old woman), the median
F0 and the spectral centroid. Writes the clip, its contact sheet and the voices as WAV.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src" / "worldreel" / "speech" / "tests"))

SEARCH_S = 0.05  # a line is looked for this far either side of its scheduled start
MATCH_S = 0.5  # ... by its first half second


def heard_at(audio, line_samples, start: float, rate: int) -> float:
    """When the line's own waveform is heard in the decoded mix: the lag that best matches its
    first MATCH_S (cross-correlation, to the sample) within SEARCH_S of `start`."""
    import numpy as np
    from scipy.signal import correlate

    mono = audio.mean(axis=1)
    head = np.asarray(line_samples[: int(MATCH_S * rate)], dtype=float)
    a = max(0, int(round((start - SEARCH_S) * rate)))
    window = mono[a:a + len(head) + int(2 * SEARCH_S * rate)]
    score = correlate(window, head, mode="valid")
    return (a + int(np.argmax(score))) / rate


def spectral_centroid(samples, rate: int) -> float:
    import numpy as np

    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float((spectrum * freqs).sum() / spectrum.sum())


def main() -> None:
    import numpy as np
    import soundfile
    from rich.console import Console
    from rich.table import Table

    from test_casting import PEOPLE, _family, f0_hz
    from test_conversation import SCENE, voices_of
    from worldreel.evaluate.lip_sync import lip_sync
    from worldreel.media.contact_sheet import clip_contact_sheet
    from worldreel.media.reader import read_audio
    from worldreel.pipeline import PlayOptions, play
    from worldreel.render import RenderOptions
    from worldreel.scene import load_scene, parse_size
    from worldreel.speech import speak
    from worldreel.timeline import resolve_lines

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="out/conversation")
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    console = Console()

    scene = load_scene(SCENE)
    width, height = parse_size(args.size)
    scene = scene.model_copy(update={"resolution": (width, height)})
    started = time.perf_counter()
    clip = play(scene, out / "conversation.mp4", PlayOptions(render=RenderOptions(),
                                                             overwrite=True))
    seconds = time.perf_counter() - started
    lines = resolve_lines(scene, speak(scene))
    clip_contact_sheet(clip.path, out / "conversation_sheet.png", count=16)

    table = Table(title=f"lip sync from the Recording ({seconds:.0f} s to make the clip)")
    for name in ("speaker", "r (opening vs envelope)", "opening in silence", "silences > 200 ms",
                 "worst onset (ms)"):
        table.add_column(name)
    for f in lip_sync(clip.recording, voices_of(scene, lines)):
        table.add_row(f.speaker, f"{f.correlation:.3f}", f"{f.silence_opening:.3f}",
                      str(f.long_silences),
                      f"{1000 * max(f.onset_offsets, key=abs):+.1f}")
    console.print(table)

    audio = read_audio(clip.path, rate_hz=48_000)
    table = Table(title="line onsets in the MP4's audio (cross-correlated)")
    for name in ("line", "speaker", "scheduled (s)", "heard (s)", "apart (ms)"):
        table.add_column(name)
    for timed in lines:
        heard = heard_at(audio, timed.spoken.samples, timed.start, 48_000)
        table.add_row(str(timed.index), timed.speaker, f"{timed.start:.4f}", f"{heard:.4f}",
                      f"{1000 * (heard - timed.start):+.2f}")
    console.print(table)

    family = speak(_family())
    table = Table(title="six voices")
    for name in ("person", "voice", "F0 median (Hz)", "spectral centroid (Hz)"):
        table.add_column(name)
    for person, line in zip(PEOPLE, family.lines):
        samples = np.asarray(line.samples)
        soundfile.write(out / f"voice_{person}.wav", samples.astype(np.float32), 48_000)
        table.add_row(person, line.voice.label, f"{f0_hz(samples):.0f}",
                      f"{spectral_centroid(samples, 48_000):.0f}")
    console.print(table)
    console.print(f"wrote {out}/")


if __name__ == "__main__":
    main()
