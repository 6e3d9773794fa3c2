"""A Recording saved and loaded is the same Recording: poses, events, camera, audit data."""

import numpy as np

from worldreel.physics import simulate
from worldreel.recording import load_recording, save_recording
from worldreel.render import plan_camera
from worldreel.scene import Entity, Push, Scene


def test_round_trip_keeps_everything(tmp_path):
    scene = Scene(duration=1.0, resolution=(64, 48),
                  entities=[Entity(id="crate", asset="crate", position=(0, 0, 0.25))],
                  actions=[Push(entity="crate", speed=2.0, at=0.1)])
    recording = simulate(scene)
    recording = recording.with_camera(plan_camera(scene, recording))
    assert any(e.envelope for e in recording.events)  # a slide carries its envelope
    path = tmp_path / "r.npz"
    save_recording(recording, path)
    again = load_recording(path)
    # Events are stored to 0.1 microsecond and 1 micrometre: equal at that precision.
    assert [e.to_dict() for e in again.events] == [e.to_dict() for e in recording.events]
    assert again.entity_ids == recording.entity_ids
    for name in ("positions", "quaternions", "velocities", "masses", "energy", "penetration",
                 "passive"):
        original = getattr(recording, name)
        assert original is not None
        assert np.array_equal(getattr(again, name), original), name
    assert np.array_equal(again.camera.positions, recording.camera.positions)
    assert again.camera.cut_frames == recording.camera.cut_frames


def test_round_trip_keeps_vehicle_tracks(tmp_path):
    from dataclasses import replace

    from worldreel.recording import VehicleTrack

    scene = Scene(duration=0.5, resolution=(64, 48),
                  entities=[Entity(id="crate", asset="crate", position=(0, 0, 0.25))])
    n = scene.frame_count * 4
    track = VehicleTrack("car", speed=np.linspace(0, 5, n), rpm=np.full(n, 900.0),
                         gear=np.ones(n, dtype=int), throttle=np.full(n, 0.3),
                         brake=np.zeros(n))
    recording = replace(simulate(scene), vehicles=(track,))
    save_recording(recording, tmp_path / "r.npz")
    again = load_recording(tmp_path / "r.npz").vehicles
    assert [t.id for t in again] == ["car"]
    for name in ("speed", "rpm", "gear", "throttle", "brake"):
        assert np.array_equal(getattr(again[0], name), getattr(track, name)), name


def test_vehicle_crank_and_steer_round_trip_and_older_files_load_with_zeros(tmp_path):
    from dataclasses import replace

    from worldreel.recording import VehicleTrack

    scene = Scene(duration=0.5, resolution=(64, 48),
                  entities=[Entity(id="crate", asset="crate", position=(0, 0, 0.25))])
    n = scene.frame_count * 4
    track = VehicleTrack("bike", speed=np.full(n, 5.0), rpm=np.zeros(n),
                         gear=np.full(n, 3), throttle=np.full(n, 0.2), brake=np.zeros(n),
                         crank=np.linspace(0.0, 9.0, n), steer=np.linspace(0.0, 0.1, n))
    recording = replace(simulate(scene), vehicles=(track,))
    save_recording(recording, tmp_path / "r.npz")
    again = load_recording(tmp_path / "r.npz").vehicles[0]
    assert np.array_equal(again.crank, track.crank) and np.array_equal(again.steer, track.steer)
    # a file written before crank and steer existed: the same arrays less those two
    with np.load(tmp_path / "r.npz") as data:
        arrays = {k: data[k] for k in data.files if k not in ("vehicle0_crank", "vehicle0_steer")}
    np.savez_compressed(tmp_path / "old.npz", **arrays)
    old = load_recording(tmp_path / "old.npz").vehicles[0]
    assert np.array_equal(old.speed, track.speed)
    assert old.crank.shape == (n,) and not old.crank.any() and not old.steer.any()
