"""Dataclasses of the Recording: poses per sample, contact events, and the camera track."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

ContactKind = Literal["impact", "slide", "roll"]


@dataclass(frozen=True)
class ContactEvent:
    """One contact between two entities (or an entity and the environment).

    `time` is when the surfaces first touched, interpolated between physics steps; `end` when they
    parted (or the clip ended). `impulse` is the normal impulse delivered over the first contact
    (N*s); `speed` the relative normal approach speed at touch-down (m/s). For slide and roll
    spans, `speed` is the mean tangential speed and `impulse` the mean normal force times duration.
    """

    time: float
    kind: ContactKind
    body_a: str
    body_b: str
    material_a: str
    material_b: str
    point: tuple[float, float, float]
    normal: tuple[float, float, float]
    impulse: float
    speed: float
    end: float
    size_a: float = 0.1
    size_b: float = 0.1
    # Slide and roll spans: how the contact evolves, as (time s, speed m/s, normal force N)
    # samples about every ENVELOPE_STEP_S (physics.contacts); empty for impacts.
    envelope: tuple[tuple[float, float, float], ...] = ()

    def to_dict(self) -> dict:
        return {
            "time": round(self.time, 7),
            "end": round(self.end, 7),
            "kind": self.kind,
            "body_a": self.body_a,
            "body_b": self.body_b,
            "material_a": self.material_a,
            "material_b": self.material_b,
            "size_a": round(self.size_a, 5),
            "size_b": round(self.size_b, 5),
            "point": [round(float(v), 6) for v in self.point],
            "normal": [round(float(v), 6) for v in self.normal],
            "impulse": round(self.impulse, 7),
            "speed": round(self.speed, 6),
            **({"envelope": [[round(float(v), 6) for v in row] for row in self.envelope]}
               if self.envelope else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ContactEvent":
        return cls(
            time=float(data["time"]),
            end=float(data["end"]),
            kind=data["kind"],
            body_a=data["body_a"],
            body_b=data["body_b"],
            material_a=data["material_a"],
            material_b=data["material_b"],
            size_a=float(data.get("size_a", 0.1)),
            size_b=float(data.get("size_b", 0.1)),
            point=tuple(float(v) for v in data["point"]),
            normal=tuple(float(v) for v in data["normal"]),
            impulse=float(data["impulse"]),
            speed=float(data["speed"]),
            envelope=tuple(tuple(float(v) for v in row) for row in data.get("envelope", ())),
        )


@dataclass(frozen=True)
class CameraTrack:
    """Where the camera is and looks at each video frame, with the shot each frame belongs to."""

    times: np.ndarray  # (F,) seconds
    positions: np.ndarray  # (F, 3) metres
    targets: np.ndarray  # (F, 3) metres, the point looked at
    fovy: np.ndarray  # (F,) vertical field of view, degrees
    shot_index: np.ndarray  # (F,) int

    @property
    def cut_frames(self) -> list[int]:
        """Indices of frames that start a new shot (excluding frame 0)."""
        return [int(i) for i in np.flatnonzero(np.diff(self.shot_index)) + 1]


@dataclass(frozen=True)
class ActionSpan:
    """When one step of a character's script played: its verb, its start and its end (s)."""

    character: str
    index: int  # position in the character's script
    verb: str
    start: float
    end: float
    id: str | None = None


@dataclass(frozen=True)
class SpeechSpan:
    """When one line of dialogue (or a vocal sound) is heard: its index in the Scene's
    dialogue, who says it ("" for a narrator), start and end (s), what is said and the voice."""

    index: int
    speaker: str
    start: float
    end: float
    text: str
    voice: str = ""


@dataclass(frozen=True)
class CharacterTrack:
    """One character as played: the world pose of every bone of its rig and the weight of
    every face unit, at each sample of the Recording, and when each scripted action played.

    bone_positions: (N, B, 3) world metres of each bone's head; bone_quaternions: (N, B, 4)
    w, x, y, z, each bone's rotation from its rest orientation (the body frame: x forward,
    y left, z up); face: (N, U) weights 0..1 of the named face units.
    """

    id: str
    bones: tuple[str, ...]
    bone_positions: np.ndarray
    bone_quaternions: np.ndarray
    face_units: tuple[str, ...] = ()
    face: np.ndarray | None = None
    actions: tuple[ActionSpan, ...] = ()

    def bone(self, name: str) -> int:
        try:
            return self.bones.index(name)
        except ValueError:
            raise KeyError(f"character {self.id!r} has no bone {name!r}") from None

    def bone_trajectory(self, name: str) -> np.ndarray:
        """(N, 3) world positions of one bone's head."""
        return self.bone_positions[:, self.bone(name)]


@dataclass(frozen=True)
class VehicleTrack:
    """One vehicle's drivetrain as simulated, at each sample of the Recording: what its sound is
    made from. speed: (N,) m/s along its heading (negative reversing); rpm: (N,) engine
    revolutions a minute (0: engine off; electric and pedal vehicles carry 0); gear: (N,) int,
    0 neutral (a bicycle: its cog, 1 the lowest gear); throttle and brake: (N,) 0..1 as the
    driver (the controller) applied them (a bicycle's throttle: the share of the rider's power
    used).

    crank: (N,) rad, unwrapped: a bicycle's pedal crank angle (the right crank's angle from
    pointing forward, growing as the rider pedals forward; it stands still while freewheeling);
    for a kick scooter or skateboard the kick cycle's phase x 2 pi, whose crossings of whole
    cycles (crank / 2 pi passing an integer) are the instants a foot pushes on the road; 0 for
    everything else. steer: (N,) rad, the front wheel's steering angle (a two-wheeler's fork
    turned about its steering axis, a skateboard's front truck about z, a car's road-wheel
    angle of the bicycle model), positive to the left. Tracks made without them (older
    recordings) carry zeros."""

    id: str
    speed: np.ndarray
    rpm: np.ndarray
    gear: np.ndarray
    throttle: np.ndarray
    brake: np.ndarray
    crank: np.ndarray | None = None
    steer: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("crank", "steer"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(len(self.speed)))


@dataclass(frozen=True)
class FlockEvent:
    """A moment of a flock member's life the picture or the sound answers: kind "flap" (a
    downstroke begins; `strength` 0..1, 1 the loud claps of a take-off), "take_off", "land",
    "coo" (a pigeon's call), "startle" (a fish's C-start); `member` its index in the flock, at
    `point` (world m) and `time` (s)."""

    time: float
    kind: str
    member: int
    point: tuple[float, float, float]
    strength: float = 1.0


@dataclass(frozen=True)
class FlockTrack:
    """One flock of birds or school of fish as animated (physics.flocks), at each sample.

    positions: (N, B, 3) world metres of each member's body centre; quaternions: (N, B, 4)
    w, x, y, z of its body (x forward, z up); wing: (N, B) wing elevation, rad (birds; positive
    up) or tail bend, rad (fish); spread: (N, B) 0 wings folded .. 1 spread (fish: 1); phase:
    (N, B) stroke (tail-beat) cycles done so far, unwrapped, so a stroke rate faster than the
    sample rate is still exact; events: in time order."""

    id: str
    species: str
    positions: np.ndarray
    quaternions: np.ndarray
    wing: np.ndarray
    spread: np.ndarray
    phase: np.ndarray
    events: tuple[FlockEvent, ...] = ()

    @property
    def count(self) -> int:
        return int(self.positions.shape[1])


@dataclass(frozen=True)
class DentEvent:
    """A lasting dent in a vehicle's body (physics.dents): from `time` on, the body's surface
    around `point` (the vehicle's own frame, m) is pushed in along -`normal` (its outward unit
    normal there, own frame) by `depth` m over a patch `width` m across and `height` m tall;
    `face` is "front", "rear", "left" or "right"; `energy` the crush energy it took, J."""

    time: float
    entity: str
    face: str
    point: tuple[float, float, float]
    normal: tuple[float, float, float]
    depth: float
    width: float
    height: float
    energy: float

    def to_dict(self) -> dict:
        return {"time": round(self.time, 7), "entity": self.entity, "face": self.face,
                "point": [round(float(v), 6) for v in self.point],
                "normal": [round(float(v), 6) for v in self.normal],
                "depth": round(self.depth, 6), "width": round(self.width, 6),
                "height": round(self.height, 6), "energy": round(self.energy, 3)}

    @classmethod
    def from_dict(cls, data: dict) -> "DentEvent":
        return cls(time=float(data["time"]), entity=data["entity"], face=data["face"],
                   point=tuple(float(v) for v in data["point"]),
                   normal=tuple(float(v) for v in data["normal"]), depth=float(data["depth"]),
                   width=float(data["width"]), height=float(data["height"]),
                   energy=float(data["energy"]))


@dataclass(frozen=True)
class DoorEvent:
    """A vehicle door's moment (physics.doors): kind "unlatch" (its latch lets go as it starts
    to open) or "latch" (it shuts against the body and the latch catches), on `side` ("left",
    "right") of `entity` at `time` (s), its rear edge then moving at `speed` m/s, at `point`
    (world m, the door's rear edge at the beltline)."""

    time: float
    entity: str
    side: str
    kind: str
    speed: float
    point: tuple[float, float, float]


@dataclass(frozen=True)
class Recording:
    """Poses of every entity sampled at `sample_rate`, plus events and (once planned) the camera.

    positions: (N, E, 3) world metres; quaternions: (N, E, 4) w, x, y, z; velocities: (N, E, 3)
    linear m/s. Sample i is at times[i] = i / sample_rate. Sample rate is fps x oversample, so
    frame f of the video is sample f * oversample.
    """

    fps: int
    oversample: int
    duration: float
    entity_ids: tuple[str, ...]
    times: np.ndarray
    positions: np.ndarray
    quaternions: np.ndarray
    velocities: np.ndarray
    events: tuple[ContactEvent, ...] = ()
    camera: CameraTrack | None = None
    meta: dict = field(default_factory=dict)
    # Physics audit data (physics.report); None for recordings made without it. entity_ids may
    # go on past the Scene's entities with extra bodies `<entity>.<link>` (rope links, wheels,
    # cloth nodes, fracture pieces), posed exactly like entities.
    masses: np.ndarray | None = None  # (E,) kg of each posed body
    energy: np.ndarray | None = None  # (N, 2) potential (g z, floor = 0) and kinetic energy, J
    penetration: np.ndarray | None = None  # (N,) deepest contact overlap since the last sample, m
    passive: np.ndarray | None = None  # (N,) True: nothing outside acted since the last sample
    characters: tuple[CharacterTrack, ...] = ()  # people, posed bone by bone at every sample
    speech: tuple[SpeechSpan, ...] = ()  # the lines heard, in Scene order
    vehicles: tuple[VehicleTrack, ...] = ()  # each driven vehicle's drivetrain per sample
    flocks: tuple[FlockTrack, ...] = ()  # birds and fish, animated after physics
    dents: tuple[DentEvent, ...] = ()  # vehicles' bodies crushed in crashes, in time order
    doors: tuple[DoorEvent, ...] = ()  # vehicle doors unlatched and latched, in time order

    def flock(self, flock_id: str) -> FlockTrack:
        for track in self.flocks:
            if track.id == flock_id:
                return track
        raise KeyError(f"no flock {flock_id!r} in the recording")

    def character(self, character_id: str) -> CharacterTrack:
        for track in self.characters:
            if track.id == character_id:
                return track
        raise KeyError(f"no character {character_id!r} in the recording")

    @property
    def sample_rate(self) -> float:
        return float(self.fps * self.oversample)

    @property
    def frame_count(self) -> int:
        return len(self.times) // self.oversample

    def index(self, entity_id: str) -> int:
        try:
            return self.entity_ids.index(entity_id)
        except ValueError:
            raise KeyError(f"no entity {entity_id!r} in the recording") from None

    def trajectory(self, entity_id: str) -> np.ndarray:
        """(N, 3) positions of one entity."""
        return self.positions[:, self.index(entity_id)]

    def frame_positions(self) -> np.ndarray:
        """(F, E, 3) positions at video frame times."""
        return self.positions[:: self.oversample][: self.frame_count]

    def played_slower(self, factor: int, fps: int) -> "Recording":
        """The same motion on the clip's clock, `factor` times slower than it was simulated:
        the samples are unchanged (one per clip frame times oversample), times and events are
        stretched; speeds stay the physical ones."""
        if factor == 1:
            return self

        def stretched(event: ContactEvent) -> ContactEvent:
            envelope = tuple((t * factor, *rest) for t, *rest in event.envelope)
            return replace(event, time=event.time * factor, end=event.end * factor,
                           envelope=envelope)

        characters = tuple(
            replace(track, actions=tuple(replace(a, start=a.start * factor, end=a.end * factor)
                                         for a in track.actions))
            for track in self.characters)
        return replace(
            self, fps=fps, duration=self.duration * factor,
            times=np.arange(len(self.times)) / float(fps * self.oversample),
            events=tuple(stretched(e) for e in self.events), camera=None,
            meta={**self.meta, "slow_motion": factor}, characters=characters,
            flocks=tuple(replace(f, events=tuple(replace(e, time=e.time * factor)
                                                 for e in f.events)) for f in self.flocks),
            dents=tuple(replace(d, time=d.time * factor) for d in self.dents),
            doors=tuple(replace(d, time=d.time * factor) for d in self.doors),
            speech=tuple(replace(s, start=s.start * factor, end=s.end * factor)
                         for s in self.speech))

    def played_faster(self, factor: int) -> "Recording":
        """The same world on a time-lapse clip's clock, `factor` times faster than it was
        simulated (at the clip's frame rate): every factor-th frame is kept with its own
        sub-frame samples (a time-lapse camera's exposure is short against its interval), times
        and events are shortened; speeds stay the physical ones. The per-step physics audit
        (penetration, passive) belongs to the simulation's clock and is not carried over."""
        if factor == 1:
            return self
        frames = np.arange(0, self.frame_count, factor)
        kept = (frames[:, None] * self.oversample + np.arange(self.oversample)[None]).ravel()
        duration = self.duration / factor

        def shortened(event: ContactEvent) -> ContactEvent:
            # A knock keeps its contact's real few milliseconds (a shorter one would ring
            # brighter, a sped-up tape's knock); a roll or a slide lasts as long as it is seen.
            start = event.time / factor
            if event.kind == "impact":
                return replace(event, time=start, end=start + (event.end - event.time),
                               envelope=tuple((start + t - event.time, *rest)
                                              for t, *rest in event.envelope))
            return replace(event, time=start, end=event.end / factor,
                           envelope=tuple((t / factor, *rest) for t, *rest in event.envelope))

        characters = tuple(
            replace(track, bone_positions=track.bone_positions[kept],
                    bone_quaternions=track.bone_quaternions[kept],
                    face=None if track.face is None else track.face[kept],
                    actions=tuple(replace(a, start=a.start / factor, end=a.end / factor)
                                  for a in track.actions))
            for track in self.characters)
        return replace(
            self, duration=duration, times=np.arange(len(kept)) / self.sample_rate,
            positions=self.positions[kept], quaternions=self.quaternions[kept],
            velocities=self.velocities[kept],
            energy=None if self.energy is None else self.energy[kept],
            penetration=None, passive=None,
            events=tuple(shortened(e) for e in self.events if e.time < duration * factor),
            camera=None, meta={**self.meta, "time_lapse": factor}, characters=characters,
            flocks=tuple(replace(f, positions=f.positions[kept], quaternions=f.quaternions[kept],
                                 wing=f.wing[kept], spread=f.spread[kept], phase=f.phase[kept],
                                 events=tuple(replace(e, time=e.time / factor) for e in f.events
                                              if e.time < duration * factor))
                         for f in self.flocks),
            dents=tuple(replace(d, time=d.time / factor) for d in self.dents
                        if d.time < duration * factor),
            doors=tuple(replace(d, time=d.time / factor) for d in self.doors
                        if d.time < duration * factor),
            speech=tuple(replace(s, start=s.start / factor, end=s.end / factor)
                         for s in self.speech))

    def with_camera(self, camera: CameraTrack) -> "Recording":
        return replace(self, camera=camera)

    def impacts(self) -> list[ContactEvent]:
        return [e for e in self.events if e.kind == "impact"]
