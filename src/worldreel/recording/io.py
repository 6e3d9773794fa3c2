"""Save and load a Recording: arrays in a compressed .npz, events inside it as JSON text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from dataclasses import asdict

from worldreel.recording.model import (ActionSpan, CameraTrack, CharacterTrack, ContactEvent,
                                       DentEvent, DoorEvent,
                                       FlockEvent, FlockTrack, Recording, SpeechSpan,
                                       VehicleTrack)

_CAMERA_FIELDS = ("times", "positions", "targets", "fovy", "shot_index")
_AUDIT_FIELDS = ("masses", "energy", "penetration", "passive")  # optional physics audit arrays
_VEHICLE_FIELDS = ("speed", "rpm", "gear", "throttle", "brake", "crank", "steer")
_FLOCK_FIELDS = ("positions", "quaternions", "wing", "spread", "phase")


def save_recording(recording: Recording, path: str | Path) -> None:
    """Write the Recording to `path` (.npz)."""
    arrays = {
        "times": recording.times,
        "positions": recording.positions,
        "quaternions": recording.quaternions,
        "velocities": recording.velocities,
    }
    if recording.camera is not None:
        for name in _CAMERA_FIELDS:
            arrays[f"camera_{name}"] = getattr(recording.camera, name)
    for name in _AUDIT_FIELDS:
        if getattr(recording, name) is not None:
            arrays[f"audit_{name}"] = getattr(recording, name)
    for n, track in enumerate(recording.characters):
        arrays[f"character{n}_positions"] = track.bone_positions
        arrays[f"character{n}_quaternions"] = track.bone_quaternions
        if track.face is not None:
            arrays[f"character{n}_face"] = track.face
    for n, track in enumerate(recording.vehicles):
        for name in _VEHICLE_FIELDS:
            arrays[f"vehicle{n}_{name}"] = getattr(track, name)
    for n, track in enumerate(recording.flocks):
        for name in _FLOCK_FIELDS:
            arrays[f"flock{n}_{name}"] = getattr(track, name)
    header = {
        "flocks": [{"id": t.id, "species": t.species, "events": [asdict(e) for e in t.events]}
                   for t in recording.flocks],
        "vehicles": [track.id for track in recording.vehicles],
        "characters": [{"id": t.id, "bones": list(t.bones), "face_units": list(t.face_units),
                        "actions": [asdict(a) for a in t.actions]}
                       for t in recording.characters],
        "fps": recording.fps,
        "oversample": recording.oversample,
        "duration": recording.duration,
        "entity_ids": list(recording.entity_ids),
        "events": [e.to_dict() for e in recording.events],
        "speech": [asdict(span) for span in recording.speech],
        "meta": recording.meta,
        "dents": [d.to_dict() for d in recording.dents],
        "doors": [asdict(d) for d in recording.doors],
    }
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def load_recording(path: str | Path) -> Recording:
    """Read a Recording written by save_recording."""
    with np.load(path) as data:
        header = json.loads(bytes(data["header"]).decode("utf-8"))
        camera = None
        if "camera_times" in data:
            camera = CameraTrack(**{name: data[f"camera_{name}"] for name in _CAMERA_FIELDS})
        characters = tuple(
            CharacterTrack(
                id=doc["id"], bones=tuple(doc["bones"]),
                bone_positions=data[f"character{n}_positions"],
                bone_quaternions=data[f"character{n}_quaternions"],
                face_units=tuple(doc["face_units"]),
                face=data[f"character{n}_face"] if f"character{n}_face" in data else None,
                actions=tuple(ActionSpan(**a) for a in doc["actions"]))
            for n, doc in enumerate(header.get("characters", [])))
        vehicles = tuple(
            VehicleTrack(id=vid, **{name: data[f"vehicle{n}_{name}"] for name in _VEHICLE_FIELDS
                                    if f"vehicle{n}_{name}" in data})  # older: no crank, steer
            for n, vid in enumerate(header.get("vehicles", [])))
        flocks = tuple(
            FlockTrack(id=doc["id"], species=doc["species"],
                       events=tuple(FlockEvent(**{**e, "point": tuple(e["point"])})
                                    for e in doc["events"]),
                       **{name: data[f"flock{n}_{name}"] for name in _FLOCK_FIELDS})
            for n, doc in enumerate(header.get("flocks", [])))
        return Recording(
            fps=int(header["fps"]),
            oversample=int(header["oversample"]),
            duration=float(header["duration"]),
            entity_ids=tuple(header["entity_ids"]),
            times=data["times"],
            positions=data["positions"],
            quaternions=data["quaternions"],
            velocities=data["velocities"],
            events=tuple(ContactEvent.from_dict(e) for e in header["events"]),
            speech=tuple(SpeechSpan(**span) for span in header.get("speech", [])),
            camera=camera,
            meta=header.get("meta", {}),
            characters=characters,
            vehicles=vehicles,
            flocks=flocks,
            dents=tuple(DentEvent.from_dict(d) for d in header.get("dents", [])),
            doors=tuple(DoorEvent(**{**d, "point": tuple(d["point"])})
                        for d in header.get("doors", [])),
            **{name: data[f"audit_{name}"] for name in _AUDIT_FIELDS if f"audit_{name}" in data},
        )
