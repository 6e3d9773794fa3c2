"""Riders of vehicles, played after physics: their bones solved on the vehicle as it moved.

A bicycle's or a skateboard's motion is only known once physics has played it, so during the
simulation its rider is not a set of kinematic limbs (they would stand where the vehicle
started and strike it as it left): the rider's mass rides in the vehicle's body instead
(physics.driving's `carried`), and once the Recording holds the vehicle's poses, crank and
steer, animation.riding solves the rider onto it, sample by sample (as physics.flocks
animates birds after the step loop). A horse's rider is solved in the animation stage, the
horse's track being known before physics.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.performance import Performance
from worldreel.animation.riding import MountMotion, ride
from worldreel.animation.rig import build_rig
from worldreel.assets.people import body_of
from worldreel.assets.people.segments import body_mass
from worldreel.recording import ActionSpan, CharacterTrack, Recording
from worldreel.scene import Scene


def vehicle_riders(scene: Scene) -> dict[str, str]:
    """rider id -> the id of the entity (a vehicle, a board) they ride."""
    entities = {e.id for e in scene.entities}
    return {c.id: c.rides for c in scene.characters if c.rides in entities}


def carried_masses(scene: Scene) -> dict[str, float]:
    """entity id -> kg of the rider it carries."""
    return {mount: body_mass(body_of(scene.character(rider).body))
            for rider, mount in vehicle_riders(scene).items()}


def _track_value(recording: Recording, entity_id: str, name: str) -> np.ndarray:
    """A vehicle track's per-sample `name` (crank, steer), zeros where none is recorded."""
    for track in recording.vehicles:
        if track.id == entity_id and getattr(track, name, None) is not None:
            return np.asarray(getattr(track, name), float)
    return np.zeros(len(recording.times))


def _resampled(pose: dict, rate: float, times: np.ndarray) -> dict:
    """A pose of DOF angles sampled at `rate` Hz, read at `times` (linear)."""
    out = {}
    for bone, dofs in pose.items():
        out[bone] = {}
        for dof, values in dofs.items():
            values = np.asarray(values, float)
            if values.ndim == 0:
                out[bone][dof] = values
                continue
            grid = np.arange(len(values)) / rate
            out[bone][dof] = np.interp(times, grid, values)
    return out


def rider_tracks(scene: Scene, recording: Recording,
                 performances: dict[str, Performance]) -> tuple[CharacterTrack, ...]:
    """The CharacterTrack of every vehicle's rider, solved on the vehicle as recorded."""
    out = []
    times = recording.times
    for rider, mount_id in vehicle_riders(scene).items():
        performance = performances[rider]
        given = performance.ride
        if given is None:
            continue
        k = recording.index(mount_id)
        rotation = Rotation.from_quat(np.roll(recording.quaternions[:, k], -1, axis=1))
        motion = MountMotion(recording.positions[:, k], rotation,
                             _track_value(recording, mount_id, "crank"),
                             _track_value(recording, mount_id, "steer"))
        hands = {h: np.interp(times, np.arange(len(v)) / performance.rate, v)
                 for h, v in given.free_hands.items()}
        rig = build_rig(body_of(scene.character(rider).body).skeleton)
        solved = ride(rig, given.mount, motion, times,
                      _resampled(given.pose, performance.rate, times), hands)
        _, _, face = performance.at(times)
        out.append(CharacterTrack(rider, performance.bones, solved.positions,
                                  solved.quaternions, performance.face_units, face,
                                  tuple(ActionSpan(rider, s.index, s.step.do, s.start, s.end,
                                                   s.step.id) for s in performance.steps)))
    return tuple(out)
