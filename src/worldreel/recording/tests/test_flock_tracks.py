"""Flock tracks travel with the Recording: saved and loaded whole, and put on the clip's clock
by slow motion and time-lapse like everything else in it."""

from __future__ import annotations

import numpy as np

from worldreel.recording import (FlockEvent, FlockTrack, Recording, load_recording,
                                 save_recording)


def _recording(n: int = 48, fps: int = 24) -> Recording:
    rng = np.random.default_rng(1)
    track = FlockTrack("pigeons", "pigeon", rng.normal(size=(n, 3, 3)),
                       rng.normal(size=(n, 3, 4)), rng.normal(size=(n, 3)),
                       rng.uniform(size=(n, 3)), np.cumsum(rng.uniform(size=(n, 3)), axis=0),
                       (FlockEvent(0.5, "take_off", 1, (0.0, 1.0, 0.1)),
                        FlockEvent(0.5, "flap", 1, (0.0, 1.0, 0.1), 1.0),
                        FlockEvent(1.5, "coo", 2, (1.0, 0.0, 0.1), 0.6)))
    return Recording(fps=fps, oversample=1, duration=n / fps, entity_ids=(),
                     times=np.arange(n) / fps, positions=np.zeros((n, 0, 3)),
                     quaternions=np.zeros((n, 0, 4)), velocities=np.zeros((n, 0, 3)),
                     flocks=(track,))


def test_flocks_are_saved_and_loaded(tmp_path):
    recording = _recording()
    save_recording(recording, tmp_path / "r.npz")
    loaded = load_recording(tmp_path / "r.npz").flock("pigeons")
    original = recording.flock("pigeons")
    assert loaded.species == "pigeon" and loaded.events == original.events
    for name in ("positions", "quaternions", "wing", "spread", "phase"):
        assert np.array_equal(getattr(loaded, name), getattr(original, name))


def test_slow_motion_stretches_flock_events_and_time_lapse_keeps_every_kth_frame():
    recording = _recording()
    slow = recording.played_slower(4, 24).flock("pigeons")
    assert [e.time for e in slow.events] == [2.0, 2.0, 6.0]
    fast = recording.played_faster(2).flock("pigeons")
    assert len(fast.positions) == 24
    assert np.array_equal(fast.positions[1], recording.flock("pigeons").positions[2])
    assert [e.time for e in fast.events] == [0.25, 0.25, 0.75]
