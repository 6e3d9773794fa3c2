"""A breaking glass shatters: a bright crack on the break's sample, then a shower of shards."""

from dataclasses import replace

import numpy as np

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import detect_onset, impact, recording, scene


def _glass_drop(broken: bool):
    hit = replace(impact(0.3, material_a="glass", material_b="ceramic", impulse=1.2,
                         size_a=0.09), body_a="glass")
    rec = recording(1.5, [hit])
    rec = replace(rec, entity_ids=("glass",))
    if broken:
        rec = replace(rec, meta={"breaks": [{"time": 0.3, "entity": "glass", "speed": 4.4,
                                              "point": [0.0, 0.0, 0.0], "other": "floor"}]})
    return make_soundtrack(scene(1.5, ambience=False), rec).stems["foley"][:, 0]


def _band_energy(x, start_s, stop_s, low_hz=2_000, high_hz=12_000):
    seg = x[int(start_s * SAMPLE_RATE):int(stop_s * SAMPLE_RATE)]
    spectrum = np.abs(np.fft.rfft(seg)) ** 2
    freqs = np.fft.rfftfreq(len(seg), 1 / SAMPLE_RATE)
    return float(spectrum[(freqs >= low_hz) & (freqs < high_hz)].sum())


def test_a_break_adds_a_shower_of_high_shards_after_the_hit():
    whole, broken = _glass_drop(False), _glass_drop(True)
    # 60..400 ms after the hit a plain bounce has rung down; the shards are still falling.
    assert _band_energy(broken, 0.36, 0.7) > 10 * _band_energy(whole, 0.36, 0.7)


def test_the_shatter_starts_on_the_break_sample():
    broken = _glass_drop(True)
    assert abs(detect_onset(broken, 0.3) - 0.3) < 0.0005
    assert not np.any(broken[: int(0.3 * SAMPLE_RATE)])
