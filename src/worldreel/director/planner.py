"""From a laid-out story to a Scene: actions with their clocks, the clip length, and the shots.

Motions in the same time step start together (step 0 after a short lead-in, so the first frames
show the world at rest); each later step starts `after` the first action of the step before,
once that step's key impact has happened. The length covers the last event and its settling.
"""

from __future__ import annotations

import math

from worldreel.assets import ASSETS, ENVIRONMENTS
from worldreel.director.interpret import Story
from worldreel.director.layout import Cue, Layout, sea_depth
from worldreel.errors import DurationError
from worldreel.scene import (
    AudioOptions,
    Drop,
    Entity,
    Hammer,
    Kick,
    Pull,
    Push,
    Roll,
    Scene,
    Setting,
    Shot,
    Slide,
    Spin,
    Throw,
    Topple,
    scene_from_dict,
    scene_to_dict,
)
from worldreel.scene.limits import MAX_TIME_LAPSE
from worldreel.scene.models import MAX_DURATION_S, Sea
from worldreel.scene.timing import scale_clip_times

LEAD_IN_S = 0.5  # stillness before the first action
STEP_PAUSE_S = 0.3  # between one step's key impact and the next step
MIN_DURATION_S = 3.0
MAX_AUTO_DURATION_S = 10.0
CUT_BEFORE_IMPACT_S = 0.35  # the medium tracking shot starts just before the ball arrives
TABLE_TOP_ELEVATION_DEG = 40.0  # camera elevation for play on a table top
PHYSICS_RATE = 2400  # steps per second, a whole multiple of the usual frame rates
TIME_LAPSE_CLIP_S = 5.0  # a time-lapse plays this long unless asked otherwise
MIN_TIME_LAPSE = 10  # slower than this reads as fast motion, not as time passing


def _round(values, digits: int = 4) -> tuple[float, ...]:
    return tuple(round(float(v), digits) + 0.0 for v in values)


def physics_rate_for(fps: int) -> int:
    """The smallest whole multiple of fps that is at least PHYSICS_RATE steps per second."""
    return fps * -(-PHYSICS_RATE // fps)


def _timed_cues(layout: Layout) -> list[tuple[Cue, int, float]]:
    """(cue, step rank, absolute start time) of every cue."""
    steps = sorted({c.motion.step for c in layout.cues if c.motion is not None})
    rank = {step: n for n, step in enumerate(steps)}
    timed: list[tuple[Cue, int, float]] = []
    step_start = {0: LEAD_IN_S}
    for r in range(len(steps) + 1):
        cues = [c for c in layout.cues if (rank[c.motion.step] if c.motion is not None else 0)
                == r]
        if not cues:
            continue
        start = step_start.get(r, LEAD_IN_S)
        for cue in cues:
            delay = cue.motion.delay if cue.motion is not None else 0.0
            timed.append((cue, r, start + cue.offset + delay))
        end_of_beat = max(start + c.offset + (c.motion.delay if c.motion else 0.0) + c.beat
                          for c in cues)
        step_start[r + 1] = end_of_beat + STEP_PAUSE_S
    return timed


def _actions(timed: list[tuple[Cue, int, float]]) -> list:
    """Scene actions: step 0 at absolute times, later steps `after` the previous step."""
    actions = []
    first_of_step: dict[int, tuple[str, float]] = {}
    for cue, rank, start in sorted(timed, key=lambda t: (t[2], t[1])):
        action_id = f"{cue.kind}_{cue.body.id}"
        clock: dict[str, object]
        if rank == 0 or (rank - 1) not in first_of_step:
            clock = {"at": round(start, 3)}
        else:
            anchor_id, anchor_start = first_of_step[rank - 1]
            clock = {"after": anchor_id, "delay": round(max(0.0, start - anchor_start), 3)}
        first_of_step.setdefault(rank, (action_id, start))
        entity = cue.body.id
        if cue.kind == "drop":
            actions.append(Drop(id=action_id, entity=entity, **clock))
        elif cue.kind == "throw":
            assert cue.target is not None
            actions.append(Throw(id=action_id, entity=entity, target=cue.target.id,
                                 aim=cue.aim, flight_time=cue.flight_time, **clock))
        elif cue.kind == "roll":
            actions.append(Roll(id=action_id, entity=entity, direction=_round(cue.direction),
                                speed=max(0.01, cue.speed), **clock))
        elif cue.kind == "kick":
            actions.append(Kick(id=action_id, entity=entity, direction=_round(cue.direction),
                                speed=max(0.01, cue.speed), elevation=cue.elevation, **clock))
        elif cue.kind == "slide":
            actions.append(Slide(id=action_id, entity=entity, direction=_round(cue.direction),
                                 speed=max(0.01, cue.speed), **clock))
        elif cue.kind == "pull":
            actions.append(Pull(id=action_id, entity=entity, direction=_round(cue.direction),
                                force=cue.force, duration=cue.hold, **clock))
        elif cue.kind == "spin":
            actions.append(Spin(id=action_id, entity=entity, rate=cue.rate, **clock))
        elif cue.kind == "hammer":
            assert cue.target is not None
            actions.append(Hammer(id=action_id, entity=entity, target=cue.target.id,
                                  blows=cue.blows, interval=cue.interval, speed=cue.speed,
                                  **clock))
        elif cue.kind == "topple":
            actions.append(Topple(id=action_id, entity=entity, direction=_round(cue.direction),
                                  speed=min(10.0, max(0.01, cue.speed)), **clock))
        else:
            actions.append(Push(id=action_id, entity=entity, direction=_round(cue.direction),
                                speed=max(0.01, cue.speed), **clock))
    return actions


def _duration(timed: list[tuple[Cue, int, float]], layout: Layout,
              requested: float | None, slow: int = 1) -> float:
    ends = [start + cue.beat + cue.settle for cue, _, start in timed]
    ends += [f.beat + f.settle for f in layout.flights]
    last_start = max((start for _, _, start in timed), default=0.0)
    if requested is not None:
        if last_start >= requested:  # said in the clip's seconds, as the user asked for them
            raise DurationError(requested, last_start, slow)
        return requested
    end = max(ends, default=MIN_DURATION_S)
    duration = min(MAX_AUTO_DURATION_S, max(MIN_DURATION_S, end))
    if last_start + 0.5 > duration:  # a long chain of "then"s: keep every action in the clip
        duration = min(MAX_DURATION_S, end)
    return round(duration, 1)


SMALL_SUBJECT_M = 0.08  # radius up to which a moving subject gets a closer follow shot
SMALL_SUBJECT_WIDE_S = 0.6  # the wide shot establishes the place at least this long


CUT_LEAD_S = 0.3  # a cut to an action comes this long before it starts, to see it begin
MIN_SHOT_S = 0.5  # no shot of a storyboard is shorter


def _storyboard(story: Story, timed: list[tuple[Cue, int, float]], layout: Layout,
                duration: float) -> tuple[Shot, ...]:
    """One shot per part of the prompt between cuts ("a wide shot of ..., then cut to a
    close-up of ..."). A shot starts just before the first action its words name (or at its
    share of the clip when it names none) and frames what moves in it, else the first thing it
    names; its size and move are its own words' (wide for the first, medium after)."""
    board = story.storyboard
    ends = [s.start for s in board[1:]] + [10**9]

    def in_shot(cue: Cue, k: int) -> bool:
        verbs = cue.motion.verbs if cue.motion is not None else []
        return bool(verbs) and board[k].start <= verbs[0].item.start < ends[k]

    shots: list[Shot] = []
    for k, words in enumerate(board):
        mine = sorted((start, cue) for cue, _, start in timed if in_shot(cue, k))
        start = 0.0 if k == 0 else (mine[0][0] - CUT_LEAD_S if mine else duration * k / len(board))
        earliest = shots[-1].start + MIN_SHOT_S if shots else 0.0
        start = round(min(max(start, earliest), duration - MIN_SHOT_S), 3)
        if shots and start <= shots[-1].start:
            break  # no room left in the clip for this shot
        subject = mine[0][1].body.id if mine else next(
            (b.id for t in words.things for b in layout.bodies if b.thing is t), None)
        camera = words.camera
        size = str(camera.get("size", "wide" if k == 0 else "medium"))
        movers = {cue.body.id for cue, _, _ in timed}
        # A close shot of something on the move travels with it (as for one shot, in _shots).
        default = "track" if size in ("close", "extreme_close") and subject in movers else "static"
        move = str(camera.get("move", default))
        shots.append(Shot(
            start=start, size=size,  # type: ignore[arg-type]
            move=move, subject=subject,  # type: ignore[arg-type]
            elevation=float(camera.get("elevation", 12.0)),  # type: ignore[arg-type]
            azimuth=_azimuth(camera),
            reverse=bool(camera.get("reverse", False)) and move in ("pan", "tilt", "orbit",
                                                                      "crane", "truck")))
    return tuple(shots)


def _azimuth(camera: dict[str, object]) -> float | None:
    """The side the words film from ("front view"), degrees; None: the camera chooses."""
    value = camera.get("azimuth")
    return None if value is None else float(value)  # type: ignore[arg-type]


def _shots(story: Story, timed: list[tuple[Cue, int, float]], layout: Layout,
           duration: float) -> tuple[Shot, ...]:
    if len(story.storyboard) > 1:
        return _storyboard(story, timed, layout, duration)
    camera = story.camera
    swings = [cue.body.id for cue, _, _ in timed if cue.kind == "hammer"]
    small = [f for f in layout.flights if f.close]  # a flipped coin, a spun lid
    swings += [f.body.id for f in small]
    if "size" not in camera and swings:
        # a nail is a few pixels in a room-wide frame: a close, steady frame of the swing; a
        # close frame that turns to follow a flipped coin up and down
        flying = any(any(float(v) != 0.0 for v in f.body.velocity) for f in small)
        tiny = bool(small) and all(ASSETS[f.body.asset].extent * f.body.thing.scale < 0.05
                                   for f in small)  # a coin: as near as the camera goes
        camera = {"move": "follow" if flying else "static", **camera,
                  "size": "extreme_close" if tiny else "close"}
    size = str(camera.get("size", "wide"))
    move = str(camera.get("move", "static"))
    elevation = float(camera.get("elevation", 12.0))  # type: ignore[arg-type]
    if "elevation" not in camera and any(t.setup == "rack" for t in story.things):
        elevation = TABLE_TOP_ELEVATION_DEG  # a break reads from above the cloth
    movers = [cue.body.id for cue, _, _ in sorted(timed, key=lambda t: t[2])]
    movers += [f.body.id for f in layout.flights]
    if "move" not in camera and any(cue.kind == "kick" and cue.target is None and (
            cue.motion is None or cue.motion.target is None) for cue, _, _ in timed):
        move = "track"  # a ball kicked across open ground leaves any fixed frame
    if "move" not in camera and size in ("close", "extreme_close") and movers:
        # A fixed close-up of something on the move sees it for a frame or two as it passes;
        # the camera travels with it instead (turning on a tripod would whip-pan).
        move = "track"
    movers = swings[:1] + movers  # the hammer's swing is what a hammering shot frames
    subject = movers[0] if movers and (size != "wide" or move == "track") else None
    reverse = bool(camera.get("reverse", False)) and move in ("pan", "tilt", "orbit", "crane",
                                                              "truck")
    first = Shot(start=0.0, size=size, move=move, subject=subject,  # type: ignore[arg-type]
                 elevation=elevation, reverse=reverse, azimuth=_azimuth(camera))
    shots = [first]
    # A shot at a hoop reads best wide, then closer on the ball as it meets the rim.
    if "size" not in camera and "move" not in camera:
        hoop_throws = [(cue, start) for cue, _, start in timed
                       if cue.kind == "throw" and cue.target is not None
                       and cue.target.thing.is_hoop]
        if hoop_throws:
            cue, start = min(hoop_throws, key=lambda t: t[1])
            cut = round(start + cue.beat - CUT_BEFORE_IMPACT_S, 3)
            if 0.2 < cut < duration - 0.5:
                shots.append(Shot(start=cut, size="medium", move="track", subject=cue.body.id,
                                  elevation=elevation, azimuth=_azimuth(camera)))
    # A small thing in motion (a marble, a tennis ball) is a few pixels in a wide frame: after
    # the establishing wide shot, cut in to follow it when its action starts.
    if len(shots) == 1 and "size" not in camera and "move" not in camera and timed:
        cue, _, start = min(timed, key=lambda t: t[2])
        radius = ASSETS[cue.body.asset].radius * cue.body.thing.scale
        cut = round(max(start, SMALL_SUBJECT_WIDE_S), 3)
        if radius <= SMALL_SUBJECT_M and cut < duration - 0.5:
            shots.append(Shot(start=cut, size="close", move="follow", subject=cue.body.id,
                              elevation=elevation, azimuth=_azimuth(camera)))
    return tuple(shots)


# Things light and broad enough that air drag is what the eye sees (a feather flutters down).
DRAG_SHOWING_ASSETS = frozenset({"feather", "cloth"})
DRAG_SHOWING_MATERIALS = frozenset({"paper", "cloth"})
VACUUM_BELOW_G = 2.0  # m/s^2: the moon and space have no air; Mars' thin air is still air


def setting_wishes(story: Story, environment: str, gravity: float) -> dict[str, object]:
    """Setting fields beyond place and gravity: water, the medium, air drag and the look; only
    fields the Scene schema has are returned (the schema grows as render and physics do)."""
    fields = Setting.model_fields
    wishes: dict[str, object] = {}
    vacuum = story.medium == "vacuum" or (story.medium in (None, "open air") and (
        environment == "moon" or gravity < VACUUM_BELOW_G))
    if "medium" in fields and vacuum:
        wishes["medium"] = "vacuum"
    if "air_drag" in fields and not vacuum:
        light = any(t.asset in DRAG_SHOWING_ASSETS or (t.material or ASSETS[t.asset].material)
                    in DRAG_SHOWING_MATERIALS for t in story.things if t.movable)
        if story.medium == "air" or light:
            wishes["air_drag"] = True
    if "water_level" in fields and story.water_level is not None:
        wishes["water_level"] = story.water_level
    for name, value in story.look.items():
        if name in fields:
            wishes[name] = value
    return wishes


def _sea(layout: Layout, environment: str) -> dict[str, object]:
    """By the sea: its surface and its shore where the layout drew the water's edge, with the
    environment's swell (a calm one where the place has no sea of its own)."""
    if layout.shore is None or "sea" not in Setting.model_fields:
        return {}
    own = ENVIRONMENTS[environment].sea
    waves = {} if own is None else {"wave_height": own.wave_height,
                                    "wave_period": own.wave_period}
    return {"water_level": sea_depth(environment),
            "sea": Sea(shore=layout.shore, toward=layout.toward, **waves)}


SLOWED_TIMES = ("at", "delay", "flight_time", "duration", "interval")  # clip times


def _filmed_slower(scene: Scene, factor: int, notes: list[str]) -> Scene:
    """The same story filmed `factor` times slower (Scene.slow_motion): every clip time is
    stretched by the factor, within the longest clip a Scene may be."""
    if "slow_motion" not in Scene.model_fields:
        return scene  # the schema has no slow motion yet: "slow motion" stays not grounded
    factor = min(factor, int(MAX_DURATION_S // scene.duration))
    if factor < 2:
        notes.append(f"a {scene.duration:g} s story is too long to film in slow motion")
        return scene
    data = scene.model_dump()
    data["duration"] = round(scene.duration * factor, 3)
    for action in data["actions"]:
        for name in SLOWED_TIMES:
            if action.get(name) is not None:
                action[name] = round(action[name] * factor, 4)
    for shot in data["shots"]:
        shot["start"] = round(shot["start"] * factor, 4)
    data["slow_motion"] = factor
    data["physics_rate"] = physics_rate_for(scene.fps * factor)
    return Scene.model_validate(data)


def time_lapsed(scene: Scene, clip_s: float | None, notes: list[str]) -> Scene:
    """The story filmed as a time-lapse (Scene.time_lapse): its world, `scene.duration` seconds
    long, played at least MIN_TIME_LAPSE times faster in a clip of `clip_s` (default
    TIME_LAPSE_CLIP_S); a story longer than that clip at this rate is sped up further, within
    the world a Scene may hold (MAX_DURATION_S). Every clip time is divided by the factor."""
    clip = clip_s or TIME_LAPSE_CLIP_S
    factor = min(max(MIN_TIME_LAPSE, math.ceil(scene.duration / clip - 1e-9)), MAX_TIME_LAPSE,
                 int(MAX_DURATION_S // clip))
    if factor < 2 or scene.slow_motion > 1:
        notes.append("not a time-lapse: " + ("the clip is in slow motion" if factor >= 2 else
                                             f"a {clip:g} s clip cannot be sped up"))
        return scene
    data = scene_to_dict(scene)
    scale_clip_times(data, 1.0 / factor)
    data["duration"] = round(max(data["duration"], min(clip, MAX_DURATION_S / factor)), 3)
    data["time_lapse"] = factor
    notes.append(f"time-lapse: {data['duration'] * factor:g} s of the world in "
                 f"{data['duration']:g} s ({factor}x faster)")
    return scene_from_dict(data, source="time-lapse scene")


def build_scene(story: Story, layout: Layout, *, prompt: str, seed: int, fps: int,
                resolution: tuple[int, int], duration: float | None, environment: str,
                gravity: float) -> Scene:
    """Assemble the Scene: entities from bodies, actions from cues, duration and shots."""
    timed = _timed_cues(layout)
    actions = _actions(timed)
    slow = story.slow_motion if "slow_motion" in Scene.model_fields else 1
    if duration is not None and slow > 1:
        duration = duration / slow  # the clip's length, in the world's time
    length = _duration(timed, layout, duration, slow)
    entities = tuple(
        Entity(
            id=body.id,
            asset=body.asset,
            position=_round(body.position),
            rotation=_round(body.rotation, 3),
            velocity=_round(body.velocity),
            angular_velocity=_round(body.spin),
            material=body.thing.material,
            color=body.color,
            scale=round(body.thing.scale, 4),
        )
        for body in layout.bodies
    )
    floor = story.floor_material
    if floor is not None and floor == ENVIRONMENTS[environment].floor_material:
        floor = None
    setting = Setting(environment=environment, gravity=(0.0, 0.0, -gravity) if gravity else
                      (0.0, 0.0, 0.0), floor_material=floor,
                      # the sea's own level over a pool's said one ("bobs on the water" off
                      # a beach)
                      **{**setting_wishes(story, environment, gravity), **_sea(layout, environment)})
    scene = Scene(
        prompt=prompt,
        seed=seed,
        duration=length,
        fps=fps,
        resolution=resolution,
        physics_rate=physics_rate_for(fps),
        setting=setting,
        entities=entities,
        actions=tuple(actions),
        shots=_shots(story, timed, layout, length),
        audio=AudioOptions(ambience=not story.silent),
    )
    return _filmed_slower(scene, slow, story.notes) if slow > 1 else scene
