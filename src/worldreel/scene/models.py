"""The Scene schema: plain, frozen, validated data that fully describes a clip.

A Scene is the only input to everything after the director. Models forbid unknown fields so a typo
in a hand-written YAML file is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Literal, Union, get_args

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from worldreel.scene.base import HEX_COLOUR as _HEX_COLOUR
from worldreel.scene.base import (Angles, AngularVelocity, Direction, Gravity, Identifier, Name,
                                  Point2, Position, Velocity, at_most)
from worldreel.scene.base import Model as _Model
from worldreel.scene.animals import Animal
from worldreel.scene.characters import RIDEABLE_SPECIES, Character
from worldreel.scene.flocks import Flock, check_flocks
# The clip's limits live in scene.limits with every other; they are also importable from here
# (MAX_DURATION_S and the rest), as they were before.
from worldreel.scene.limits import (MAX_ACTION_SPEED_M_S, MAX_ACTIONS, MAX_ANGLE_DEG,  # noqa: F401
                                    MAX_ANGULAR_SPEED_RAD_S, MAX_BALL_SPIN_RAD_S, MAX_CHARACTERS,
                                    MAX_DURATION_S, MAX_ENTITIES, MAX_FLOCKS, MAX_FPS, MAX_HEIGHT,
                                    MAX_LINE_CHARS, MAX_LINES, MAX_MASS_KG, MAX_PHYSICS_RATE,
                                    MAX_PROMPT_CHARS, MAX_PULL_FORCE_N, MAX_SCALE, MAX_SHOTS,
                                    MAX_SLOW_MOTION, MAX_TIME_LAPSE, MAX_TIME_S, MAX_WIDTH,
                                    MIN_MASS_KG, MIN_PHYSICS_RATE, MIN_SCALE, MIN_SIDE, SCENE_VERSION)
from worldreel.scene.limits import MAX_ANIMALS


def _size_from_text(value: object) -> object:
    return parse_size(value) if isinstance(value, str) else value


def _encodable(value: tuple[int, int]) -> tuple[int, int]:
    check_size(*value)
    return value


# A frame size H.264 can encode, given as (width, height) or as 'WxH' text.
FrameSize = Annotated[tuple[int, int], BeforeValidator(_size_from_text),
                      AfterValidator(_encodable)]


class Sea(_Model):
    """Open water over only part of the world: everything beyond a straight shoreline, with a
    gentle swell. The sand before the shore stays dry; the still water meets it at the shore,
    where the bottom slopes down to a flat bed the Setting's water_level deep. The swell is
    linear (Airy) waves over the water's depth, the same surface for buoyancy and for the
    picture (assets.water)."""

    shore: float = Field(0.0, ge=-100.0, le=100.0,
                         description="where the water begins: m from the origin along `toward`")
    toward: tuple[float, float] = Field((1.0, 0.0), description="horizontal direction out to "
                                                                "sea (x, y)")
    wave_height: float = Field(0.0, ge=0.0, le=1.0,
                               description="crest to trough of the swell, m; 0: a still sea")
    wave_period: float = Field(4.0, ge=1.0, le=20.0, description="s between wave crests")

    @field_validator("toward")
    @classmethod
    def _horizontal_direction(cls, value: tuple[float, float]) -> tuple[float, float]:
        if abs(value[0]) + abs(value[1]) < 1e-9:
            raise ValueError("toward must be a horizontal direction (x, y), not zero")
        return value


class Setting(_Model):
    """Where the scene takes place: an environment from the asset registry, and its physics."""

    environment: Name = "studio"
    gravity: Gravity = (0.0, 0.0, -9.81)
    floor_material: Name | None = None
    medium: Literal["air", "vacuum"] = Field(
        "air", description="what fills the space above any water; vacuum on the moon")
    air_drag: bool = Field(
        False, description="quadratic air drag on every body (on for feathers, paper, balloons; "
                           "off keeps throws exactly ballistic, a few percent for a ball)")
    water_level: float | None = Field(
        None, ge=0.0, le=10.0, description="height of a still water surface filling the floor "
                                           "area (m); bodies below it float or sink; with a "
                                           "sea, the depth of its bed")
    sea: Sea | None = Field(
        None, description="water only beyond a shoreline, water_level deep (a beach's sea); "
                          "none: the water fills the floor area (or the environment's own sea)")
    time_of_day: Literal["auto", "dawn", "noon", "golden_hour", "night", "space"] = Field(
        "auto", description="sky and sun; auto: the environment's own")
    weather: Literal["clear", "haze", "fog", "rain", "snow"] = "clear"
    grade: Literal["neutral", "warm", "cold", "noir", "vintage", "cinematic"] = Field(
        "neutral", description="colour grade of the picture (style words map here)")
    exposure: float = Field(0.0, ge=-4.0, le=4.0, description="exposure compensation, EV")

    @model_validator(mode="after")
    def _sea_has_a_level(self) -> "Setting":
        if self.sea is not None and self.water_level is None:
            raise ValueError("a sea needs water_level, the depth of its bed (m)")
        return self


class Entity(_Model):
    """One object in the world: an asset placed with a pose and an initial motion."""

    id: Identifier
    asset: Name
    position: Position = (0.0, 0.0, 0.0)
    rotation: Angles = Field((0.0, 0.0, 0.0), description="Euler angles in degrees, xyz.")
    velocity: Velocity = Field((0.0, 0.0, 0.0), description="m/s")
    angular_velocity: AngularVelocity = Field((0.0, 0.0, 0.0), description="rad/s in world axes.")
    material: Name | None = None
    color: Name | None = Field(None, description="#rrggbb")
    scale: float = Field(1.0, gt=MIN_SCALE, le=MAX_SCALE)
    mass: float | None = Field(None, ge=MIN_MASS_KG, le=MAX_MASS_KG,
                               description="kg; None: the asset's mass or its material density")

    @field_validator("color")
    @classmethod
    def _colour_is_hex(cls, value: str | None) -> str | None:
        if value is not None and not _HEX_COLOUR.match(value):
            raise ValueError(f"colour {value!r} must be written as #rrggbb")
        return value


class _Action(_Model):
    """Common timing of actions: an absolute time, or a delay after another action."""

    id: Identifier | None = None
    entity: Identifier
    at: float | None = Field(None, ge=0.0, le=MAX_TIME_S)
    after: Identifier | None = None
    delay: float = Field(0.0, ge=0.0, le=MAX_TIME_S)

    @model_validator(mode="after")
    def _one_clock(self) -> "_Action":
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        return self


class Drop(_Action):
    """Hold the entity where it is placed, then let it fall at the action time."""

    kind: Literal["drop"] = "drop"


class Throw(_Action):
    """Launch the entity ballistically so that it reaches a target entity.

    aim: `direct` hits the target's centre; for a hoop, `make` drops through the rim, `miss`
    strikes the backboard beside the rim and rebounds, `bank` goes in off the backboard.
    """

    kind: Literal["throw"] = "throw"
    target: Identifier
    aim: Literal["direct", "make", "miss", "bank"] = "direct"
    flight_time: float | None = Field(None, gt=0.05, le=10.0)
    spin: float = Field(0.0, ge=-MAX_BALL_SPIN_RAD_S, le=MAX_BALL_SPIN_RAD_S,
                        description="backspin, rad/s")


class Push(_Action):
    """Give a resting entity a sliding velocity (m/s) along a horizontal direction."""

    kind: Literal["push"] = "push"
    direction: Direction = (1.0, 0.0, 0.0)
    speed: float = Field(1.0, gt=0.0, le=MAX_ACTION_SPEED_M_S)


class Roll(_Action):
    """Set a ball rolling without slipping at `speed` m/s along `direction`."""

    kind: Literal["roll"] = "roll"
    direction: Direction = (1.0, 0.0, 0.0)
    speed: float = Field(1.0, gt=0.0, le=MAX_ACTION_SPEED_M_S)


class Kick(_Action):
    """Strike the entity so it leaves at `speed` m/s along `direction`, raised by `elevation`."""

    kind: Literal["kick"] = "kick"
    direction: Direction = (1.0, 0.0, 0.0)
    speed: float = Field(5.0, gt=0.0, le=MAX_ACTION_SPEED_M_S)
    elevation: float = Field(0.0, ge=0.0, le=85.0, description="degrees above horizontal")
    spin: float = Field(0.0, ge=-MAX_BALL_SPIN_RAD_S, le=MAX_BALL_SPIN_RAD_S,
                        description="topspin, rad/s")


class Pull(_Action):
    """Drag the entity with a steady horizontal force (N) for `duration` seconds."""

    kind: Literal["pull"] = "pull"
    direction: Direction = (1.0, 0.0, 0.0)
    force: float = Field(20.0, gt=0.0, le=MAX_PULL_FORCE_N)
    duration: float = Field(1.0, gt=0.0, le=30.0)


class Slide(_Action):
    """Send the entity sliding (not rolling) at `speed` m/s: a puck, a glass along a bar."""

    kind: Literal["slide"] = "slide"
    direction: Direction = (1.0, 0.0, 0.0)
    speed: float = Field(1.0, gt=0.0, le=MAX_ACTION_SPEED_M_S)


class Spin(_Action):
    """Spin the entity about its own vertical axis at `rate` rad/s (a top, a coin)."""

    kind: Literal["spin"] = "spin"
    rate: float = Field(60.0, ge=-MAX_ANGULAR_SPEED_RAD_S, le=MAX_ANGULAR_SPEED_RAD_S,
                        description="rad/s")


class Topple(_Action):
    """Tip the entity over along `direction` with a nudge at its top (a domino, a tower)."""

    kind: Literal["topple"] = "topple"
    direction: Direction = (1.0, 0.0, 0.0)
    speed: float = Field(0.5, gt=0.0, le=10.0, description="speed given to its top, m/s")


# A hammer blow (physics.hammering): a hand-swung claw hammer meets the nail at about 3-7 m/s
# (the range quoted for hand swings in hammer-energy references; a wrist-and-elbow swing of
# about 60 degrees over 0.5 m reaches 5 m/s, our default). Blows come at most four a second.
MIN_HAMMER_INTERVAL_S = 0.25  # clip seconds between blows (slow motion stretches it)
MAX_HAMMER_BLOWS = 20
MAX_HAMMER_SPEED_M_S = 10.0


class Hammer(_Action):
    """Swing the entity (a hammer) down onto `target` (a nail's head) `blows` times, one blow
    every `interval` seconds, its head meeting the target at `speed` m/s.

    The swing is an arc about a wrist-and-elbow pivot behind the handle; the hammer is carried
    along it and let go just before it lands, so the blow is the hammer's own momentum meeting
    the nail (physics.hammering). The first blow lands one lift-and-swing after `at`."""

    kind: Literal["hammer"] = "hammer"
    target: Identifier
    blows: int = Field(3, ge=1, le=MAX_HAMMER_BLOWS, description="how many times it strikes")
    interval: float = Field(0.8, ge=MIN_HAMMER_INTERVAL_S, le=10.0,
                            description="seconds from one blow to the next")
    speed: float = Field(5.0, gt=0.5, le=MAX_HAMMER_SPEED_M_S,
                         description="speed of the hammer's face when it lands, m/s")

    @model_validator(mode="after")
    def _not_itself(self) -> "Hammer":
        if self.target == self.entity:
            raise ValueError(f"target: the {self.entity!r} cannot strike itself; name what it "
                             "hits (a nail)")
        return self


# Driving a vehicle: a road vehicle (physics.driving), a train (physics.rail) or an aircraft
# (physics.flight). 180 m/s is an airliner's maximum operating speed (A320 VMO 350 kt); each
# kind is held to its own maximum by assets.transport (road vehicles 70 m/s); a path of up
# to 50 waypoints (each within the world, like any position); a
# stop within 5 km.
MAX_DRIVE_SPEED_M_S = 180.0
MAX_PATH_POINTS = 50
MAX_DRIVE_DISTANCE_M = 5000.0


class Drive(_Action):
    """Drive a vehicle at `speed` m/s: its engine turns the wheels (accelerating as fast as its
    engine and tyres allow), its steering follows `path` (ground points [x, y] it passes
    through in order, then straight on) or heads along `direction` (omitted: the way it
    faces), and with `distance` it brakes to a stop that many metres on (physics.driving).
    A locomotive drives its train along its track (direction: forward or back along it;
    physics.rail); an aircraft flies at `speed` through `path` or along `direction` at its
    altitude (physics.flight)."""

    kind: Literal["drive"] = "drive"
    speed: float = Field(gt=0.0, le=MAX_DRIVE_SPEED_M_S, description="m/s (50 km/h = 13.9)")
    direction: Direction | None = Field(None, description="heading (x, y, 0); omitted: the way "
                                                          "the vehicle faces")
    path: tuple[Point2, ...] = Field((), max_length=MAX_PATH_POINTS,
                                     description="waypoints [x, y] to steer through, in order")
    distance: float | None = Field(None, gt=0.0, le=MAX_DRIVE_DISTANCE_M,
                                   description="stop after this many metres; omitted: keep "
                                               "driving")

    @model_validator(mode="after")
    def _path_or_direction(self) -> "Drive":
        # (a direction with no horizontal part is refused by Direction itself)
        if self.path and self.direction is not None:
            raise ValueError("give either 'path' (waypoints) or 'direction', not both")
        return self


class Brake(_Action):
    """Brake a vehicle to a stop: service braking (about 4 m/s^2), or `hard` (an emergency
    stop, about 8 m/s^2 on a dry road); it then stays stopped (physics.driving)."""

    kind: Literal["brake"] = "brake"
    hard: bool = False


class Door(_Action):
    """Open a vehicle's front door on its `side` (its own left or right) to its stop, or shut
    it (open: false): gently, or with a `slam` (physics.doors)."""

    kind: Literal["door"] = "door"
    side: Literal["left", "right"] = "left"
    open: bool = True
    slam: bool = False

    @model_validator(mode="after")
    def _slam_shuts(self) -> "Door":
        if self.open and self.slam:
            raise ValueError("a door is slammed shut: give open: false with slam: true")
        return self


Action = Annotated[Union[Drop, Throw, Push, Roll, Kick, Pull, Slide, Spin, Topple, Hammer,
                         Drive, Brake, Door],
                   Field(discriminator="kind")]


def action_kinds() -> tuple[str, ...]:
    """The `kind` tag of every action type, e.g. ('drop', 'throw', ...)."""
    members = get_args(get_args(Action)[0])
    return tuple(get_args(m.model_fields["kind"].annotation)[0] for m in members)


class Shot(_Model):
    """One camera shot, from `start` until the next shot's start (or the clip's end)."""

    start: float = Field(0.0, ge=0.0)
    size: Literal["extreme_wide", "wide", "medium", "close", "extreme_close", "over_shoulder",
                  "pov", "top_down"] = "wide"
    subject: Identifier | None = None
    move: Literal["static", "track", "follow", "pan", "tilt", "dolly_in", "dolly_out", "truck",
                  "orbit", "crane", "handheld"] = Field(
        "static", description="track: the camera travels with the subject; follow: it stays put "
                              "and turns to keep the subject framed; the rest move over the shot")
    reverse: bool = Field(False, description="the move the other way: pan right (not left), "
                                             "tilt up (not down), orbit clockwise seen from "
                                             "above (not anticlockwise), crane down (not up), "
                                             "truck left (not right)")
    azimuth: float | None = Field(None, ge=-MAX_ANGLE_DEG, le=MAX_ANGLE_DEG,
                                  description="degrees around z; None = automatic")
    elevation: float = Field(12.0, ge=-30.0, le=89.0)
    fov: float = Field(40.0, gt=5.0, lt=120.0, description="vertical field of view, degrees")
    lens: float | None = Field(None, ge=8.0, le=600.0,
                               description="focal length, mm on a full-frame sensor; sets fov")
    shake: float = Field(0.0, ge=0.0, le=1.0, description="handheld shake, 0 (tripod) to 1")
    framing: Literal["thirds", "center"] = Field(
        "thirds", description="where a tracked subject sits: on a third with lead room, or centred")
    continues: bool = Field(
        False, description="no cut: the camera carries on from where the previous shot left it "
                           "and eases into this shot's framing (a clip extended by "
                           "director.extend); the shots before it are planned from what "
                           "happens before it only")


# Calls an animal speaker makes (speech.animal_calls) and signals a vehicle makes (a horn, a bell).
ANIMAL_SOUNDS = ("bark", "barking", "growl", "whine", "yelp", "howl", "meow", "purr", "hiss",
                 "moo", "neigh", "snort", "baa", "roar", "trumpet", "coo", "chirp")
SIGNAL_SOUNDS = ("horn", "bell")
VOCAL_SOUNDS = ("laugh", "shout", "gasp", "sigh", "cough", "cheer", "applause", "murmur",
                *ANIMAL_SOUNDS, *SIGNAL_SOUNDS)
CROWD_SOUNDS = ("cheer", "applause", "murmur")  # made by `count` people, not by one mouth
DELIVERIES = ("normal", "shout", "whisper")
# The moods the score knows (audio.music holds how each one sounds).
MUSIC_MOODS = ("calm", "tense", "upbeat", "sad", "playful")


class Line(_Model):
    """A line of dialogue or narration (`text`), or a vocal sound (`sound`: laughter, a cough,
    applause...), from a speaker (a character or an entity; none: a narrator).

    When: `at` (clip seconds), or `after` a line or action ends (plus `delay`), or, with
    neither, after the previous line with a natural pause (the first line at 0.3 s). A line that
    `interrupts` starts before the previous one ends and cuts it off. `voice` picks a voice
    (`engine:name`, e.g. festival:slt, flite:rms, piper:joe, espeak:en-us+f3, or a bare espeak
    voice such as en or de+f3); without it the speaker is cast a voice that fits their body.
    """

    id: Identifier | None = None
    text: str | None = Field(None, min_length=1, max_length=MAX_LINE_CHARS)
    sound: Literal[VOCAL_SOUNDS] | None = None  # type: ignore[valid-type]
    count: int = Field(1, ge=1, le=500, description="how many people make the sound")
    seconds: float | None = Field(None, gt=0.0, le=30.0, description="how long a sound lasts")
    speaker: Identifier | None = Field(None, description="character or entity the voice comes "
                                                         "from; none: a narrator")
    to: Identifier | None = Field(None, description="the character spoken to (looked at)")
    at: float | None = Field(None, ge=0.0)
    after: Identifier | None = None
    delay: float = Field(0.0, ge=0.0, le=30.0)
    interrupts: bool = False
    voice: str | None = Field(None, pattern=r"^([a-z]+:)?[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")
    delivery: Literal[DELIVERIES] = "normal"  # type: ignore[valid-type]
    words_per_minute: int | None = Field(None, ge=80, le=400,
                                         description="none: the voice's natural pace")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str | None) -> str | None:
        if value is not None and not any(c.isalnum() for c in value):
            raise ValueError(f"a line needs words to say, not only {value.strip()!r} (or give "
                             "it a sound: " + ", ".join(VOCAL_SOUNDS) + ")")
        return None if value is None else value.strip()

    @model_validator(mode="after")
    def _what_and_when(self) -> "Line":
        if (self.text is None) == (self.sound is None):
            raise ValueError("give a line either text (words to say) or a sound ("
                             + ", ".join(VOCAL_SOUNDS) + "), not both or neither")
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        if self.interrupts and (self.at is not None or self.after is not None):
            raise ValueError("a line that interrupts starts during the previous line; "
                             "drop 'at'/'after' or 'interrupts'")
        if self.count > 1 and self.sound is None:
            raise ValueError("count is for sounds (several people laughing, a crowd "
                             "cheering); a spoken line has one speaker")
        if self.seconds is not None and self.sound is None:
            raise ValueError("seconds is for sounds; a spoken line lasts as long as its words")
        return self

    @property
    def is_crowd(self) -> bool:
        return self.sound in CROWD_SOUNDS


class AudioOptions(_Model):
    """How the soundtrack is made."""

    dialogue: tuple[Line, ...] = ()
    ambience: bool = True
    ambience_level_db: float = Field(-42.0, ge=-90.0, le=-10.0)
    loudness_lufs: float = Field(-16.0, ge=-40.0, le=-6.0)
    music: Literal[MUSIC_MOODS] | None = Field(  # type: ignore[valid-type]
        None, description="a short score under the foley in this mood (needs fluidsynth)")

    _few_lines = at_most("dialogue", MAX_LINES, "lines")


class Scene(_Model):
    """A complete, playable description of one clip."""

    version: Literal[1] = SCENE_VERSION
    prompt: str | None = Field(None, max_length=MAX_PROMPT_CHARS)
    seed: int = Field(0, ge=0, lt=2**63)
    duration: float = Field(5.0, gt=0.0, le=MAX_DURATION_S)
    fps: int = Field(24, ge=1, le=MAX_FPS)
    slow_motion: int = Field(
        1, ge=1, le=MAX_SLOW_MOTION,
        description="the world runs this many times slower than the clip plays (a high-speed "
                    "camera); every time in the Scene is clip time")
    time_lapse: int = Field(
        1, ge=1, le=MAX_TIME_LAPSE,
        description="the world runs this many times faster than the clip plays (a time-lapse "
                    "camera: one frame every time_lapse / fps s of the world); every time in "
                    "the Scene is clip time; the world shown, duration x time_lapse, is at most "
                    f"{MAX_DURATION_S:g} s")
    resolution: FrameSize = (1280, 720)
    physics_rate: int = Field(2400, ge=MIN_PHYSICS_RATE, le=MAX_PHYSICS_RATE,
                              description="physics steps per second")
    setting: Setting = Setting()
    entities: tuple[Entity, ...] = ()
    characters: tuple[Character, ...] = ()
    animals: tuple[Animal, ...] = ()
    actions: tuple[Action, ...] = ()
    flocks: tuple[Flock, ...] = Field((), description="birds and fish, animated after physics")
    shots: tuple[Shot, ...] = (Shot(),)
    audio: AudioOptions = AudioOptions()

    _few_entities = at_most("entities", MAX_ENTITIES, "entities")
    _few_characters = at_most("characters", MAX_CHARACTERS, "characters")
    _few_animals = at_most("animals", MAX_ANIMALS, "animals")
    _few_actions = at_most("actions", MAX_ACTIONS, "actions")
    _few_shots = at_most("shots", MAX_SHOTS, "shots")
    _few_flocks = at_most("flocks", MAX_FLOCKS, "flocks")

    @model_validator(mode="after")
    def _consistent(self) -> "Scene":
        if self.time_lapse > 1 and self.slow_motion > 1:
            raise ValueError("a clip is either in slow motion or a time-lapse: set slow_motion "
                             "or time_lapse to 1")
        if self.duration * self.time_lapse > MAX_DURATION_S + 1e-9:
            raise ValueError(f"a time-lapse shows at most {MAX_DURATION_S:g} s of the world: "
                             f"duration {self.duration:g} s x time_lapse {self.time_lapse} is "
                             f"{self.duration * self.time_lapse:g} s")
        if self.physics_rate % (self.fps * self.slow_motion):
            what = f"fps {self.fps}" if self.slow_motion == 1 else (
                f"fps x slow_motion ({self.fps} x {self.slow_motion})")
            raise ValueError(f"physics_rate {self.physics_rate} must be a whole multiple of {what}")
        ids = [e.id for e in self.entities] + [c.id for c in self.characters] + [
            a.id for a in self.animals]
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        if duplicates:
            raise ValueError("entity, character and animal ids must be unique; repeated: "
                             f"{', '.join(duplicates)}")
        known = {e.id for e in self.entities}
        action_ids = [a.id for a in self.actions if a.id is not None] + [
            a.id for c in self.characters for a in c.script if a.id is not None] + [
            line.id for line in self.audio.dialogue if line.id is not None] + [
            a.id for animal in self.animals for a in animal.script if a.id is not None] + [
            step.id for f in self.flocks for step in f.script if step.id is not None]
        repeated = sorted(i for i, n in Counter(action_ids).items() if n > 1)
        if repeated:
            raise ValueError(f"action and line ids must be unique; repeated: "
                             f"{', '.join(repeated)}")
        _check_scripts(self.characters, known, set(ids), set(action_ids))
        _check_animal_scripts(self.animals, known, set(ids), set(action_ids))
        _check_riders(self.characters, known, {a.id: a for a in self.animals})
        for n, action in enumerate(self.actions):
            if action.entity not in known:
                raise ValueError(f"actions[{n}].entity {action.entity!r} is not an entity id")
            if isinstance(action, (Throw, Hammer)) and action.target not in known:
                raise ValueError(f"actions[{n}].target {action.target!r} is not an entity id")
            if action.after is not None and action.after not in action_ids:
                raise ValueError(f"actions[{n}].after {action.after!r} is not an action id")
        if not self.shots:
            raise ValueError("shots must hold at least one shot")
        starts = [s.start for s in self.shots]
        if starts[0] != 0.0:
            raise ValueError("shots[0].start must be 0")
        if any(b <= a for a, b in zip(starts, starts[1:])):
            raise ValueError("shots must start at strictly increasing times")
        if starts[-1] >= self.duration:
            raise ValueError(f"every shot must start before the clip ends ({self.duration} s)")
        if self.shots[0].continues:
            raise ValueError("shots[0].continues: the first shot has no shot before it to "
                             "carry on from; set it to false")
        # The beach environment brings its own sea (assets.environments); physics.flocks checks
        # that each school's area is really under water.
        water = (self.setting.water_level is not None or self.setting.sea is not None
                 or self.setting.environment == "beach")
        check_flocks(self.flocks, set(ids), set(action_ids), water)
        _check_lines(self.audio.dialogue, self.duration, set(ids),
                     {c.id for c in self.characters} | {a.id for a in self.animals},
                     set(action_ids))
        subjects = set(ids) | {f.id for f in self.flocks}
        for n, shot in enumerate(self.shots):
            if shot.subject is not None and shot.subject not in subjects:
                raise ValueError(f"shots[{n}].subject {shot.subject!r} is not an entity, "
                                 "character, animal or flock id")
        return self

    @property
    def width(self) -> int:
        return self.resolution[0]

    @property
    def height(self) -> int:
        return self.resolution[1]

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration * self.fps))

    def character(self, character_id: str) -> Character:
        for character in self.characters:
            if character.id == character_id:
                return character
        raise KeyError(character_id)

    def animal(self, animal_id: str) -> Animal:
        for animal in self.animals:
            if animal.id == animal_id:
                return animal
        raise KeyError(animal_id)

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)


def _check_scripts(characters, entities: set[str], ids: set[str], action_ids: set[str]) -> None:
    """Every script's targets and `after:` references must exist."""
    held = [h for c in characters for h in (c.holds, c.left_hand) if h is not None]
    for n, character in enumerate(characters):
        for hand in ("holds", "left_hand"):
            thing = getattr(character, hand)
            if thing is not None and thing not in entities:
                raise ValueError(f"characters[{n}].{hand} {thing!r} is not an entity id")
            if thing is not None and held.count(thing) > 1:
                raise ValueError(f"characters[{n}].{hand}: {thing!r} is held twice (by two "
                                 "people, or in both hands)")
        for k, step in enumerate(character.script):
            where = f"characters[{n}].script[{k}]"
            if step.target is not None and step.target not in ids:
                raise ValueError(f"{where}.target {step.target!r} is not an entity or character "
                                 "id")
            if step.target == character.id:
                raise ValueError(f"{where}.target: {character.id!r} cannot {step.do} itself")
            if step.after is not None and step.after not in action_ids:
                raise ValueError(f"{where}.after {step.after!r} is not an action id")


def _check_riders(characters, entities: set[str], animals: dict[str, Animal]) -> None:
    """A rider's mount is a thing (assets.scene_check says whether it has a seat) or a horse
    that stays on its feet, and carries one rider."""
    mounts = [c.rides for c in characters if c.rides is not None]
    species = {i: a.species for i, a in animals.items()}
    for n, character in enumerate(characters):
        mount = character.rides
        if mount is None:
            continue
        where = f"characters[{n}].rides"
        if mount not in entities and mount not in species:
            people = {c.id for c in characters}
            what = "a person cannot carry a rider; " if mount in people else ""
            raise ValueError(f"{where} {mount!r} is not an entity or animal id ({what}name a "
                             "bicycle, motorcycle, scooter, skateboard or horse)")
        if mount in species and species[mount] not in RIDEABLE_SPECIES:
            raise ValueError(f"{where}: {mount!r} is a {species[mount]}, which carries no rider "
                             f"here; ride a {' or '.join(RIDEABLE_SPECIES)}")
        down = [s.do for s in animals[mount].script if s.do in ("sit", "lie_down")] \
            if mount in animals else []
        if down:
            raise ValueError(f"{where}: {mount!r} carries {character.id!r} all clip long and "
                             f"cannot {down[0].replace('_', ' ')} under a rider; leave that "
                             "step out of its script")
        if mounts.count(mount) > 1:
            raise ValueError(f"{where}: {mount!r} carries one rider; "
                             f"{', '.join(c.id for c in characters if c.rides == mount)} all "
                             "ride it")


def _check_animal_scripts(animals, entities: set[str], ids: set[str],
                          action_ids: set[str]) -> None:
    """Every animal's targets and `after:` references must exist; what is fetched, caught in
    the mouth or jumped over is a thing."""
    for n, animal in enumerate(animals):
        for k, step in enumerate(animal.script):
            where = f"animals[{n}].script[{k}]"
            if step.target is not None and step.target not in ids:
                raise ValueError(f"{where}.target {step.target!r} is not an entity, character "
                                 "or animal id")
            if step.do in ("fetch", "catch", "jump") and step.target is not None \
                    and step.target not in entities:
                raise ValueError(f"{where}.target: an animal can {step.do} only a thing (an "
                                 f"entity id), not {step.target!r}")
            if step.target == animal.id:
                raise ValueError(f"{where}.target: {animal.id!r} cannot {step.do} itself")
            if step.after is not None and step.after not in action_ids:
                raise ValueError(f"{where}.after {step.after!r} is not an action id")


def _check_lines(lines, duration: float, ids: set[str], characters: set[str],
                 action_ids: set[str]) -> None:
    """Every line's speaker, listener and `after:` must exist and it must start in the clip."""
    for n, line in enumerate(lines):
        where = f"audio.dialogue[{n}]"
        if line.speaker is not None and line.speaker not in ids:
            raise ValueError(f"{where}.speaker {line.speaker!r} is not a character or entity "
                             "id, nor an animal's")
        if line.to is not None and line.to not in characters:
            raise ValueError(f"{where}.to {line.to!r} is not a character or animal id")
        if line.to is not None and line.to == line.speaker:
            raise ValueError(f"{where}.to: {line.speaker!r} cannot speak to itself")
        if line.after is not None and line.after not in action_ids:
            raise ValueError(f"{where}.after {line.after!r} is not a line or action id")
        if line.after is not None and line.after == line.id:
            raise ValueError(f"{where}.after: a line cannot wait for itself")
        if line.at is not None and line.at >= duration:
            raise ValueError(f"{where}.at {line.at:g} s is after the clip ends")
        if line.interrupts and n == 0:
            raise ValueError(f"{where}.interrupts: the first line has nothing to interrupt")


def parse_size(text: str) -> tuple[int, int]:
    """Parse 'WxH' into (width, height); raise ValueError saying how to write it."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[xX×]\s*(\d{1,6})\s*", text)
    if not match:
        raise ValueError(f"size {text!r} must be written WIDTHxHEIGHT, e.g. 1280x720")
    return int(match.group(1)), int(match.group(2))


def check_size(width: int, height: int) -> None:
    """Raise ValueError unless H.264 yuv420p can encode a frame of this size."""
    if not (MIN_SIDE <= width <= MAX_WIDTH and MIN_SIDE <= height <= MAX_HEIGHT):
        raise ValueError(
            f"size {width}x{height} is out of range: width {MIN_SIDE}..{MAX_WIDTH}, "
            f"height {MIN_SIDE}..{MAX_HEIGHT}"
        )
    if width % 2 or height % 2:
        raise ValueError(
            f"size {width}x{height} has an odd side; H.264 (yuv420p) needs even width and height"
        )
