"""Rooms: indoors the foley gets the room's reverberation, outdoors it stays dry."""

import builtins
import logging

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import impact, recording, rms_db, scene


def _tail_db(environment):
    track = make_soundtrack(scene(1.5, environment=environment, ambience=False),
                            recording(1.5, [impact(0.1, "wood", "concrete", impulse=1.0,
                                                   size_a=0.1, size_b=0.1)]))
    foley = track.stems["foley"]
    hit = rms_db(foley[int(0.1 * SAMPLE_RATE): int(0.15 * SAMPLE_RATE)])
    tail = rms_db(foley[int(0.6 * SAMPLE_RATE): int(0.8 * SAMPLE_RATE)])
    return tail - hit


def test_a_gym_rings_on_and_a_park_does_not():
    pytest.importorskip("pyroomacoustics")
    assert _tail_db("gym") > _tail_db("park") + 30.0
    assert _tail_db("gym") > _tail_db("living_room")  # a bigger, barer room rings longer


def test_without_the_reverb_library_indoor_foley_is_dry(monkeypatch, caplog):
    real_import = builtins.__import__

    def no_pyroomacoustics(name, *args, **kwargs):
        if name.startswith("pyroomacoustics"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyroomacoustics)
    with caplog.at_level(logging.WARNING, logger="worldreel.audio.room"):
        track = make_soundtrack(scene(0.5, environment="gym", ambience=False),
                                recording(0.5, [impact(0.1)]))
    assert "pyroomacoustics" in caplog.text
    assert np.all(np.isfinite(track.mix)) and np.any(track.stems["foley"])
