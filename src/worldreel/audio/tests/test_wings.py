"""Flock sounds: every wingbeat starts on its event's sample; a take-off claps loudly, then the
strokes whirr softly; pigeons coo low."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from worldreel.physics.flocks import animate_flocks
from worldreel.audio.clock import SAMPLE_RATE, sample_at, sample_count
from worldreel.audio.wings import coo, render_wings
from worldreel.recording import Recording
from worldreel.rng import generator
from worldreel.scene import scene_from_dict

ONE_MS = SAMPLE_RATE // 1000


def _pigeon_taking_off() -> Recording:
    scene = scene_from_dict({"duration": 3.0, "fps": 24, "flocks": [
        {"id": "p", "species": "pigeon", "count": 1, "script": [{"do": "take_off", "at": 0.5}]}]})
    n = 72
    empty = Recording(fps=24, oversample=1, duration=3.0, entity_ids=(),
                      times=np.arange(n) / 24.0, positions=np.zeros((n, 0, 3)),
                      quaternions=np.zeros((n, 0, 4)), velocities=np.zeros((n, 0, 3)))
    return replace(empty, flocks=animate_flocks(scene, empty))


def test_each_wingbeat_starts_within_a_millisecond_of_its_event():
    recording = _pigeon_taking_off()
    n = sample_count(recording.duration)
    audio, made = render_wings(recording, 0, n)
    flaps = [e for e in recording.flocks[0].events if e.kind == "flap"]
    assert made >= len(flaps) > 10
    level = np.abs(audio).sum(axis=1)
    for event in flaps:
        start = sample_at(event.time)
        assert level[start - ONE_MS:start].max() < 1e-9, event  # silent just before
        assert level[start:start + ONE_MS].max() > 1e-4, event  # sounding within 1 ms


def test_take_off_claps_are_louder_than_cruising_strokes():
    recording = _pigeon_taking_off()
    n = sample_count(recording.duration)
    audio, _ = render_wings(recording, 0, n)
    level = np.abs(audio).sum(axis=1)
    flaps = [e for e in recording.flocks[0].events if e.kind == "flap"]
    peaks = [level[sample_at(e.time):sample_at(e.time) + 960].max() for e in flaps]
    claps = [p for p, e in zip(peaks, flaps) if e.strength >= 0.9]
    soft = [p for p, e in zip(peaks, flaps) if e.strength < 0.3]
    assert claps and soft and min(claps) > 5 * max(soft)


def test_a_coo_is_low():
    sound = coo(generator(0, "coo"))
    spectrum = np.abs(np.fft.rfft(sound))
    peak = np.fft.rfftfreq(len(sound), 1 / SAMPLE_RATE)[spectrum.argmax()]
    assert 280 < peak < 600
    assert 0.5 < len(sound) / SAMPLE_RATE < 0.8
