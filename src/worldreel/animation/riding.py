"""A person riding: the rider's bones over time from the mount's motion.

A mount (a bicycle, a motorcycle, a scooter, a skateboard, a horse) is a `Mount`: where, in
its own frame (x forward, y left, z up, metres), the rider's pelvis sits, the hands hold and
the feet rest, and how it is ridden (a style of riding.yaml). Its motion over the samples is a
`MountMotion`: the frame's world pose, the pedal crank's angle and the bars' steer. `ride`
puts the pelvis on the seat with the mount's full pose (lean and pitch included) and the
posture of the style, then solves the hands onto the grips (turned with the steer about the
steering axis) and the feet onto the pedals (round the crank), pegs, deck or stirrups, by the
rig's IK, whose joint ranges keep the knees from over-straightening. A board's pushing foot
leaves the deck before each push instant (the crank's whole turns), is planted on the ground
at it, and comes back.

Vehicles move only in physics: their riders are solved from the Recording afterwards
(physics.riders). A horse moves in the animation stage: its rider is solved from its bone
track (`horse_mount`, `horse_motion`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.animation.rig import Rig, forward_kinematics, local_rotations
from worldreel.assets.animals.tack import saddle_seat
from worldreel.errors import SceneError

if TYPE_CHECKING:
    from worldreel.animation.ik import Reach

RIDING_FILE = Path(__file__).with_name("riding.yaml")
STYLES = ("saddle", "pedals", "pegs", "deck_forward", "deck_sideways")
# A bicycle's, when its spec does not say: a 170 mm crank and a 72 deg head angle (the
# commonest adult sizes: Wilson, "Bicycling Science", 3rd ed., 2004, ch. 2 and 8).
DEFAULT_CRANK_M = 0.17
DEFAULT_HEAD_ANGLE_DEG = 72.0
# The sit bones (ischial tuberosities) are about 5.5 % of the standing height below the hip
# joints (the pelvis head) when seated upright (anthropometric tables: Tilley & Dreyfuss,
# "The Measure of Man and Woman", 2002: ~95 mm for a 1.75 m adult).
SIT_DROP = 0.055
# A board push (Cheng et al., "Kinematics of skateboard pushing", 2019: ~0.3 s of ground
# contact per push, the foot ~0.3 s out and back): the foot leaves the deck REACH_S before the
# push instant, is planted from it for PLANT_S, and is back on the deck RETURN_S later.
REACH_S, PLANT_S, RETURN_S = 0.22, 0.25, 0.25
PUSH_SIDE_M = 0.17  # the planted foot beside the deck, to the rider's front
PUSH_AHEAD_M = 0.30  # and this far ahead of its deck spot when it lands (by the front foot)
PUSH_BEHIND_M = 0.30  # it leaves the ground at the latest this far behind its deck spot
LIFT_M = 0.06  # the foot clears the deck's edge by this much on its way
PUSH_TURN = 0.7  # of a sideways stance turned to the front during a push
PUSH_CROUCH_M = 0.10  # the standing knee bends, lowering the pelvis this much, to push
# A foot reaches at most this share of hip-to-ankle plus ankle-to-sole-point (the toes
# pointed along the leg): short of the straight knee.
FOOT_REACH = 0.97
# Ankling: a cyclist's foot points its toes down ~15 deg on average, ~10 deg more at the
# bottom of the stroke than at the top (Bini & Diefenthaeler, "Kinetics and kinematics of
# pedalling", Sports Biomech. 2010).
ANKLE_TOES_DOWN_DEG, ANKLING_DEG = 15.0, 10.0
SOLVE_TOLERANCE_M = 1e-3


@dataclass(frozen=True)
class Mount:
    """Where a rider goes on a mount, in the mount's frame (metres): `seat` is where the sit
    bones rest (a saddle's top; the pelvis head sits SIT_DROP of the rider's height above
    it) or, on a deck, the point between the feet; `feet` the left and right
    foot spots (a bicycle's pedals at crank angle 0, the right crank forward); `grips` the
    left and right hand holds (None: a skateboard); `head` the top of the steering axis,
    tilted back `head_angle` (rad, from the horizontal); `pedal_axle` the crank centre (None:
    no pedals) and `crank` its length."""

    style: str
    seat: np.ndarray
    feet: tuple[np.ndarray, np.ndarray]
    grips: tuple[np.ndarray, np.ndarray] | None = None
    head: np.ndarray | None = None
    head_angle: float = math.radians(DEFAULT_HEAD_ANGLE_DEG)
    pedal_axle: np.ndarray | None = None
    crank: float = DEFAULT_CRANK_M

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise SceneError(f"riding style {self.style!r}: give one of {', '.join(STYLES)}")


@dataclass(frozen=True)
class MountMotion:
    """A mount over the samples: its frame's world position (n, 3) and rotation, the crank's
    unwrapped angle (n,) rad (a board's kick phase: whole turns are push instants) and the
    front wheel's steer (n,) rad."""

    position: np.ndarray
    rotation: Rotation
    crank: np.ndarray
    steer: np.ndarray

    def world(self, point: np.ndarray) -> np.ndarray:
        """(n, 3) world positions of a point (3,) or points (n, 3) of the mount's frame."""
        return self.position + self.rotation.apply(point)


@dataclass(frozen=True)
class Ride:
    """A solved ride: bone head positions (n, B, 3) and rotations (n, B, 4; w, x, y, z) as a
    Performance holds them, the targets the IK met, and how far each was missed (n, 4:
    hand_l, hand_r, foot_l, foot_r; metres)."""

    positions: np.ndarray
    quaternions: np.ndarray
    targets: dict[str, np.ndarray]
    residual: np.ndarray


@lru_cache(maxsize=1)
def riding_table() -> dict:
    """riding.yaml, read once: {'assets': name -> style, 'styles': style -> posture}."""
    raw = yaml.safe_load(RIDING_FILE.read_text())
    unknown = set(raw["assets"].values()) - set(STYLES)
    if unknown or set(raw["styles"]) != set(STYLES):
        raise SceneError(f"{RIDING_FILE.name}: styles must be exactly {', '.join(STYLES)}")
    return raw


def style_pose(style: str) -> dict[str, dict[str, float]]:
    """The posture of a style as DOF angles (degrees), `_lr` entries given to both sides."""
    out: dict[str, dict[str, float]] = {}
    for bone, dofs in riding_table()["styles"][style]["pose"].items():
        names = [bone[:-3] + "_l", bone[:-3] + "_r"] if bone.endswith("_lr") else [bone]
        for name in names:
            out.setdefault(name, {}).update({k: float(v) for k, v in dofs.items()})
    return out


def style_of_asset(asset_name: str, anchors: dict) -> str:
    """How a thing with a seat is ridden: by its name (riding.yaml), else by its anchors
    (pedals: a crank; grips: sitting on pegs; neither: standing across a deck)."""
    named = riding_table()["assets"].get(asset_name)
    if named is not None:
        return named
    if "pedal_axle" in anchors:
        return "pedals"
    return "pegs" if "grip_left" in anchors else "deck_sideways"


def spec_number(spec, names: tuple[str, ...], default: float) -> float:
    """The first of `names` a vehicle spec carries (a number), else `default`. The one place
    that reads the two-wheelers' crank length and head angle, whatever their fields' names."""
    for name in names:
        value = getattr(spec, name, None) if spec is not None else None
        if isinstance(value, (int, float)):
            return float(value)
    return default


def crank_length(spec) -> float:
    """A two-wheeler's crank length in metres (its spec's, else the anchors decide)."""
    value = spec_number(spec, ("crank_length", "crank_length_m", "crank"), 0.0)
    return value / 1000.0 if value > 1.0 else value  # given in mm


def head_angle(spec) -> float:
    """A two-wheeler's head angle from the horizontal, radians (its spec's, else 72 deg)."""
    value = spec_number(spec, ("head_angle", "head_angle_deg", "head_tube_angle"),
                        DEFAULT_HEAD_ANGLE_DEG)
    return math.radians(value) if value > 2 * math.pi else value


def mount_of_asset(asset_name: str, anchors: dict, spec=None) -> Mount:
    """The Mount of a thing with a `seat` anchor (assets.Asset.anchors): a two-wheeler."""
    if "seat" not in anchors:
        raise SceneError(f"a {asset_name} has no seat for a rider")
    point = {k: np.asarray(v, float) for k, v in anchors.items()}
    style = style_of_asset(asset_name, anchors)
    seat = point["seat"]
    feet = (point.get("foot_left", seat + [0.0, 0.12, 0.0]),
            point.get("foot_right", seat + [0.0, -0.12, 0.0]))
    grips = (point["grip_left"], point["grip_right"]) if "grip_left" in point else None
    axle = point.get("pedal_axle") if style == "pedals" else None
    crank = crank_length(spec)
    if axle is not None and crank <= 0.0:  # from the pedals' anchors at crank angle 0
        crank = float(np.hypot(*(feet[1] - axle)[[0, 2]]))
    return Mount(style, seat, feet, grips, point.get("head"), head_angle(spec), axle,
                 crank or DEFAULT_CRANK_M)


def pedal_points(mount: Mount, crank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) left and right pedal positions in the mount frame at crank angles (rad; the
    right crank forward at 0, turning forward: down at the front, up at the back)."""
    if mount.pedal_axle is None:
        n = len(crank)
        return np.tile(mount.feet[0], (n, 1)), np.tile(mount.feet[1], (n, 1))
    arm = mount.crank * np.column_stack([np.cos(crank), np.zeros_like(crank), -np.sin(crank)])
    sides = [np.array([0.0, f[1] - mount.pedal_axle[1], 0.0]) for f in mount.feet]
    return mount.pedal_axle + sides[0] - arm, mount.pedal_axle + sides[1] + arm


def grip_points(mount: Mount, steer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) left and right grips in the mount frame with the bars steered (rad, + to the
    left) about the steering axis through `head`, tilted back by the head angle."""
    assert mount.grips is not None
    head = mount.head if mount.head is not None else 0.5 * (mount.grips[0] + mount.grips[1])
    axis = np.array([-math.cos(mount.head_angle), 0.0, math.sin(mount.head_angle)])
    turn = Rotation.from_rotvec(np.asarray(steer, float)[:, None] * axis)
    return tuple(head + turn.apply(g - head) for g in mount.grips)  # type: ignore[return-value]


def push_instants(times: np.ndarray, crank: np.ndarray) -> np.ndarray:
    """Times at which a board's kick phase passes a whole turn (the pushes), interpolated
    between samples."""
    turns = np.asarray(crank, float) / (2 * math.pi)
    k = np.floor(turns)
    cross = np.flatnonzero(k[1:] > k[:-1])
    out = []
    for i in cross:
        level = k[i + 1]
        a = (level - turns[i]) / max(turns[i + 1] - turns[i], 1e-12)
        out.append(times[i] + a * (times[i + 1] - times[i]))
    return np.array(out)


def _pushes(times: np.ndarray, motion: MountMotion, deck_spot: np.ndarray, side: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """The pushing foot's world target (n, 3) and how far it is off the deck (n,, 0..1)."""
    n = len(times)
    on_deck = motion.world(deck_spot)
    target = on_deck.copy()
    away = np.zeros(n)
    for t0 in push_instants(times, motion.crank):
        k0 = min(int(np.searchsorted(times, t0)), n - 1)
        landing = motion.position[k0] + motion.rotation[k0].apply(
            deck_spot + side + np.array([PUSH_AHEAD_M, 0.0, 0.0]))
        landing[2] = 0.0
        # out: from the deck to above the landing point, down onto it at t0
        sel = (times >= t0 - REACH_S) & (times < t0)
        u = (times[sel] - (t0 - REACH_S)) / REACH_S
        s = u * u * (3 - 2 * u)
        target[sel] = (1 - s)[:, None] * on_deck[sel] + s[:, None] * landing
        target[sel, 2] += LIFT_M * np.sin(math.pi * np.minimum(u * 1.15, 1.0))
        away[sel] = np.maximum(away[sel], s)
        # planted on the ground, the board rolling on past it, until the foot is as far
        # behind as a leg pushes
        k1 = min(k0 + 1, n - 1)
        speed = float(np.linalg.norm(motion.position[k1, :2] - motion.position[k0, :2])
                      / max(times[k1] - times[k0], 1e-9)) if k1 > k0 else 0.0
        plant = min(PLANT_S, (PUSH_AHEAD_M + PUSH_BEHIND_M) / max(speed, 1e-6))
        sel = (times >= t0) & (times < t0 + plant)
        target[sel] = landing
        away[sel] = 1.0
        # back up onto the deck
        sel = (times >= t0 + plant) & (times < t0 + plant + RETURN_S)
        u = (times[sel] - t0 - plant) / RETURN_S
        s = u * u * (3 - 2 * u)
        target[sel] = (1 - s)[:, None] * landing + s[:, None] * on_deck[sel]
        target[sel, 2] += LIFT_M * np.sin(math.pi * u)
        away[sel] = np.maximum(away[sel], 1 - s)
    return target, away


def _foot_point(rig: Rig, side: str, style: str) -> np.ndarray:
    """The rest-frame point of a foot that goes on its spot: the sole under the ball on a
    pedal, peg or stirrup; the middle of the sole on a deck."""
    skeleton = rig.skeleton
    ankle = skeleton.heads[skeleton.index(f"foot_{side}")]
    ball = skeleton.heads[skeleton.index(f"ball_{side}")]
    if style.startswith("deck"):
        return np.array([0.5 * (ankle[0] + ball[0]), ball[1], 0.0])
    return np.array([ball[0] - 0.02, ball[1], 0.0])


def rider_yaw(mount: Mount, samples: int, pushing: np.ndarray | None = None) -> np.ndarray:
    """(n,) degrees the rider faces on the mount: the style's, turned towards the way the
    board goes while a foot pushes (a skateboarder's hips open to the front as the back foot
    swings past the front one)."""
    yaw = np.full(samples, float(riding_table()["styles"][mount.style]["yaw"]))
    if pushing is not None:
        yaw = yaw * (1.0 - PUSH_TURN * pushing)
    return yaw


def forward_seat(times: np.ndarray, motion: MountMotion) -> np.ndarray:
    """(n,) degrees a horse's rider leans forward for its speed: upright to a trot, in a
    jockey's forward seat at a gallop (the speed smoothed over SEAT_SMOOTH_S)."""
    speed = _mount_speed(times, motion)
    share = np.clip((speed - SEAT_UPRIGHT_M_S) / (SEAT_FORWARD_M_S - SEAT_UPRIGHT_M_S), 0, 1)
    return FORWARD_SEAT_DEG * share * share * (3 - 2 * share)


def _mount_speed(times: np.ndarray, motion: MountMotion) -> np.ndarray:
    """(n,) m/s the mount goes over the ground, smoothed over SEAT_SMOOTH_S."""
    if len(times) < 2:
        return np.zeros(len(times))
    speed = np.linalg.norm(np.gradient(motion.position[:, :2], times, axis=0), axis=1)
    width = max(int(round(SEAT_SMOOTH_S / max(float(np.median(np.diff(times))), 1e-6))), 1)
    return np.convolve(np.pad(speed, width, mode="edge"), np.ones(2 * width + 1)
                       / (2 * width + 1), mode="same")[width:-width]


def rising_trot(times: np.ndarray, motion: MountMotion) -> np.ndarray:
    """(n,) metres a horse's rider rises out of the saddle: at a trot, up from the stirrups
    as one diagonal pair of legs pushes the back up and down again onto the saddle for the
    other ("posting"): a rise over every other beat, a beat being the back's low point."""
    speed = _mount_speed(times, motion)
    trotting = _band(speed, TROT_M_S)
    lift = np.zeros(len(times))
    if len(times) < 3 or trotting.max() < 0.5:
        return lift
    z = motion.position[:, 2]
    low = np.flatnonzero((z[1:-1] < z[:-2]) & (z[1:-1] <= z[2:]) & (trotting[1:-1] > 0.5)) + 1
    low = [k for j, k in enumerate(low) if j == 0 or times[k] - times[low[j - 1]] > MIN_BEAT_S]
    for a, b in zip(low[::2], low[1::2]):  # up over one beat, sat through the next
        u = (times[a:b] - times[a]) / max(times[b] - times[a], 1e-9)
        lift[a:b] = RISE_M * np.sin(math.pi * u)
    return lift * trotting


def _band(speed: np.ndarray, band: tuple[float, float, float, float]) -> np.ndarray:
    """0..1: how far a speed is inside a band (rising over its first two bounds, falling over
    its last two), smoothly."""
    up = np.clip((speed - band[0]) / (band[1] - band[0]), 0, 1)
    down = np.clip((band[3] - speed) / (band[3] - band[2]), 0, 1)
    w = np.minimum(up, down)
    return w * w * (3 - 2 * w)


def rider_root(rig: Rig, mount: Mount, motion: MountMotion, pushing: np.ndarray | None = None,
               lean: np.ndarray | None = None, rise: np.ndarray | None = None
               ) -> tuple[np.ndarray, Rotation]:
    """The pelvis head's world position (n, 3) and the body's rotation for a mount's motion:
    on the seat (or standing over the deck), turned and pitched as the style says (`lean`:
    degrees more, forward, per sample; `rise`: metres up off the seat, per sample)."""
    style = riding_table()["styles"][mount.style]
    n = len(motion.crank)
    yaw = rider_yaw(mount, n, pushing)
    tilt = np.full(n, float(style["tilt"])) + (0.0 if lean is None else lean)
    turn = Rotation.from_euler("zy", np.column_stack([yaw, tilt]), degrees=True)
    rotation = motion.rotation * turn
    seat = np.asarray(mount.seat, float)
    if "stand" in style:  # standing: the pelvis over the point between the feet
        height = float(rig.skeleton.heads[0, 2]) * float(style["stand"])
        drop = np.zeros(n) if pushing is None else PUSH_CROUCH_M * pushing
        local = seat[None, :] + np.column_stack([np.zeros((n, 2)), height - drop])
        return motion.position + motion.rotation.apply(local), rotation
    drop = SIT_DROP * standing_height(rig)
    root = motion.world(seat) + rotation.apply([0.0, 0.0, drop])
    if rise is not None:  # up and a little forward, over the stirrups
        root = root + motion.rotation.apply(np.column_stack(
            [RISE_FORWARD * rise, np.zeros(n), rise]))
    return root, rotation


def standing_height(rig: Rig) -> float:
    """The rider's height: the rest skeleton's head top (the head bone's tail) over 0.97."""
    skeleton = rig.skeleton
    return float(skeleton.tails[skeleton.index("head"), 2]) / 0.97


def ride(rig: Rig, mount: Mount, motion: MountMotion, times: np.ndarray,
         pose: dict[str, dict[str, np.ndarray]] | None = None,
         free_hands: dict[str, np.ndarray] | None = None) -> Ride:
    """The rider's bones over `times` on a mount moving as `motion`. `pose`: DOF angles
    (degrees, scalars or (n,)) laid over the style's posture (the script's upper-body clips);
    `free_hands`: hand bone -> (n,) 0..1, how much that hand is off its grip (a wave)."""
    from worldreel.animation.ik import Reach  # noqa: PLC0415 - ik imports MuJoCo
    n = len(times)
    base = style_pose(mount.style)
    merged: dict[str, dict[str, np.ndarray]] = {
        b: {d: np.full(n, v) for d, v in dofs.items()} for b, dofs in base.items()}
    for bone, dofs in (pose or {}).items():
        for dof, value in dofs.items():
            merged.setdefault(bone, {})[dof] = np.broadcast_to(np.asarray(value, float),
                                                               (n,)).copy()
    targets: dict[str, np.ndarray] = {}  # where hands and feet should be
    aims: dict[str, np.ndarray] = {}  # where the feet are sent: the targets, within reach
    reaches: list[Reach] = []
    pushing = None
    if mount.style.startswith("deck"):
        # the rear spot's foot pushes (side by side: the right, as most riders kick)
        back = 1 if mount.feet[1][0] <= mount.feet[0][0] + 1e-9 else 0
        side = np.array([0.0, -PUSH_SIDE_M if mount.style == "deck_sideways" else
                         (-PUSH_SIDE_M if back == 1 else PUSH_SIDE_M), 0.0])
        push_target, pushing = _pushes(times, motion, mount.feet[back], side)
    saddle = mount.style == "saddle"
    lean = forward_seat(times, motion) if saddle else None
    rise = rising_trot(times, motion) if saddle else None
    root, rotation = rider_root(rig, mount, motion, pushing, lean, rise)
    facing = motion.rotation * Rotation.from_euler(
        "z", rider_yaw(mount, n, pushing)[:, None], degrees=True)
    feet = pedal_points(mount, motion.crank)
    foot_points = {}
    for k, side in enumerate(("l", "r")):
        target = motion.world(feet[k])
        if pushing is not None and k == back:  # (the foot leaving the ground is meant)
            target = _within_reach(rig, side, push_target, root, rotation, mount.style)
        targets[f"foot_{side}"] = target
        aims[f"foot_{side}"] = target = _within_reach(rig, side, target, root, rotation,
                                                      mount.style)
        foot_turn = facing
        if mount.pedal_axle is not None:  # ankling round the crank (the left foot half a turn on)
            down = ANKLE_TOES_DOWN_DEG + ANKLING_DEG * np.sin(motion.crank) * (1 if k else -1)
            foot_turn = facing * Rotation.from_euler("y", down[:, None], degrees=True)
        # the ankle goes where a foot turned so puts its sole point on the spot; the foot is
        # then turned onto the spot (a second solve), so the spot is met even where the
        # ankle's range cannot give exactly that turn
        point = _foot_point(rig, side, mount.style)
        foot_points[side] = point
        ankle = rig.skeleton.heads[rig.skeleton.index(f"foot_{side}")]
        reaches.append(Reach(f"foot_{side}", _within_reach(
            rig, side, target - foot_turn.apply(point - ankle), root, rotation, None)))
    if mount.grips is not None:
        grips = grip_points(mount, motion.steer)
        for k, side in enumerate(("l", "r")):
            target = motion.world(grips[k])
            targets[f"hand_{side}"] = target
            off = (free_hands or {}).get(f"hand_{side}")
            blend = 1.0 if off is None else np.clip(1.0 - off, 0.0, 1.0)
            reaches.insert(k, Reach(f"hand_{side}", target, blend=blend))
    on_spots = [Reach(f"foot_{side}", aims[f"foot_{side}"], point=foot_points[side])
                for side in ("l", "r")]
    everything = np.arange(n)
    solved = _solve(rig, reaches, on_spots, root, rotation, merged, everything)
    residual = _misses(rig, solved, root, rotation, targets, foot_points, everything)
    positions, quats = forward_kinematics(rig, local_rotations(rig, solved, n), root, rotation)
    return Ride(positions, quats, targets, residual)


def _within_reach(rig: Rig, side: str, target: np.ndarray, root: np.ndarray,
                  rotation: Rotation, style: str | None) -> np.ndarray:
    """A foot's target (its sole point's for a style, else the ankle's) drawn in to within
    FOOT_REACH of the leg's length from its hip (a pushing foot at the end of a long push, a
    pedal at the bottom of a saddle set too high for the rider): the foot comes off it a
    little rather than the knee locking straight, where the IK, at the joint's limit, could
    not bend it again."""
    skeleton = rig.skeleton
    hip_rest = skeleton.heads[skeleton.index(f"thigh_{side}")]
    ankle_rest = skeleton.heads[skeleton.index(f"foot_{side}")]
    length = float(np.linalg.norm(ankle_rest - hip_rest))
    if style is not None:
        length += float(np.linalg.norm(_foot_point(rig, side, style) - ankle_rest))
    length *= FOOT_REACH
    hip = root + rotation.apply(hip_rest - skeleton.heads[0])
    away = target - hip
    distance = np.linalg.norm(away, axis=1, keepdims=True)
    return hip + away * np.minimum(1.0, length / np.maximum(distance, 1e-9))


def _sliced(reach: Reach, idx: np.ndarray) -> Reach:
    """A Reach over only the samples `idx`."""
    from worldreel.animation.ik import Reach  # noqa: PLC0415 - ik imports MuJoCo
    def cut(value, width=0):
        value = np.asarray(value, float)
        return value[idx] if value.ndim > (1 if width else 0) else value
    return Reach(reach.bone, cut(reach.position, 3), None if reach.rotation is None else
                 reach.rotation[idx], reach.point, cut(reach.blend), cut(reach.turn_weight))


def _solve(rig: Rig, reaches: list[Reach], on_spots: list[Reach], root: np.ndarray,
           rotation: Rotation, pose: dict, idx: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """The pose (DOF degrees, (len(idx),) each) over samples `idx`: the legs and arms solved
    for the ankles and hands, then the legs and feet for the spots under the feet."""
    from worldreel.animation.ik import chain, solve_ik  # noqa: PLC0415 - ik imports MuJoCo
    legs = ("thigh_l", "calf_l", "thigh_r", "calf_r")
    arms = tuple(b for r in reaches if r.bone.startswith("hand") for b in chain(r.bone))
    part = {b: {d: np.asarray(v)[idx] for d, v in dofs.items()} for b, dofs in pose.items()}
    first = solve_ik(rig, [_sliced(r, idx) for r in reaches], root[idx], rotation[idx], part,
                     move=legs + arms, tolerance=SOLVE_TOLERANCE_M * 0.2)
    second = solve_ik(rig, [_sliced(r, idx) for r in on_spots], root[idx], rotation[idx],
                      first.pose, move=legs + ("foot_l", "foot_r"),
                      tolerance=SOLVE_TOLERANCE_M * 0.2)
    return {b: {d: np.array(np.broadcast_to(v, (len(idx),)), float) for d, v in dofs.items()}
            for b, dofs in second.pose.items()}


def _misses(rig: Rig, pose: dict, root: np.ndarray, rotation: Rotation,
            targets: dict[str, np.ndarray], foot_points: dict[str, np.ndarray],
            idx: np.ndarray) -> np.ndarray:
    """(len(idx), 4) metres each of hand_l, hand_r, foot_l, foot_r is off its target (nan:
    none)."""
    from worldreel.animation.ik import effector_point  # noqa: PLC0415 - ik imports MuJoCo
    local = local_rotations(rig, pose, len(idx))
    positions, quats = forward_kinematics(rig, local, root[idx], rotation[idx])
    out = np.full((len(idx), 4), np.nan)
    for j, bone in enumerate(("hand_l", "hand_r", "foot_l", "foot_r")):
        if bone in targets:
            point = foot_points[bone[-1]] if bone.startswith("foot") else \
                effector_point(rig.skeleton, bone)
            out[:, j] = np.linalg.norm(_carried(rig, positions, quats, bone, point)
                                       - targets[bone][idx], axis=1)
    return out


def _carried(rig: Rig, positions: np.ndarray, quats: np.ndarray, bone: str,
             point: np.ndarray) -> np.ndarray:
    """(n, 3) world positions of a rest-frame point carried by a bone."""
    k = rig.skeleton.index(bone)
    rotation = Rotation.from_quat(np.roll(quats[:, k], -1, axis=1))
    return positions[:, k] + rotation.apply(point - rig.skeleton.heads[k])


def bone_world_point(rig: Rig, ride_: Ride, bone: str, point: np.ndarray) -> np.ndarray:
    """(n, 3) world positions of a rest-frame point carried by a bone over a Ride."""
    return _carried(rig, ride_.positions, ride_.quaternions, bone, point)


# A horse's saddle (assets.animals.tack) puts the rider's sit bones on its seat; the stirrups
# hang where the rider's lower leg reaches with the knee bent, beside the barrel; the hands
# are held low in front of the pommel, a fist's width apart, at the reins.
STIRRUP_REACH = 0.80  # of the rider's hip-to-sole length below the pelvis head
STIRRUP_OUT_M = 0.07  # the stirrup's tread this far out from the barrel's widest
REINS_AHEAD, REINS_UP, REINS_APART = 0.33, 0.14, 0.10  # m from the pelvis head
# At a gallop a rider leaves the upright seat for a forward ("two-point") seat, the trunk
# ~25 deg forward over the withers (Pfau et al., "Modern riding style improves horse racing
# times", Science 325, 2009: jockeys' crouch); upright to a trot's speed.
FORWARD_SEAT_DEG = 25.0
SEAT_UPRIGHT_M_S, SEAT_FORWARD_M_S = 3.5, 8.0
SEAT_SMOOTH_S = 0.5
# The rising (posting) trot: the rider stands up in the stirrups ~8-10 cm, a little forward,
# on one beat and sits on the next (any riding manual: "rise and sit with the outside
# diagonal"); a horse trots between about 2.5 and 4.5 m/s (Hoyt & Taylor 1981: 3.3 m/s).
TROT_M_S = (2.0, 2.6, 4.4, 5.0)  # speeds where a rising trot fades in, and out again
RISE_M, RISE_FORWARD = 0.09, 0.4  # how high, and how far forward per metre up
MIN_BEAT_S = 0.15  # the back's low points of a trot come no closer together
HORSE_TRUNK_BONE = "spine"


def horse_mount(body, rig: Rig) -> Mount:
    """A saddled horse (assets.animals AnimalBody) as a Mount for this rider, in the horse's
    body frame (the saddle moves with its `spine` bone)."""
    width = body.shape.torso[2] * body.shoulder_height
    seat = saddle_seat(body)
    x = float(seat[0])
    hip = float(rig.skeleton.heads[0, 2])  # pelvis head over the soles, standing
    pelvis = seat[2] + SIT_DROP * standing_height(rig)
    tread = pelvis - STIRRUP_REACH * hip
    out = 0.5 * width + STIRRUP_OUT_M
    feet = (np.array([x + 0.02, out, tread]), np.array([x + 0.02, -out, tread]))
    grips = tuple(np.array([x + REINS_AHEAD, s * REINS_APART, pelvis + REINS_UP])
                  for s in (1, -1))
    return Mount("saddle", seat, feet, grips)  # type: ignore[arg-type]


def horse_motion(bones: tuple[str, ...], positions: np.ndarray, quaternions: np.ndarray,
                 body) -> MountMotion:
    """A horse's body frame over its track (bone names, head positions (n, B, 3) and
    rotations (n, B, 4; w, x, y, z), as a Performance holds them): carried by its trunk."""
    k = bones.index(HORSE_TRUNK_BONE)
    rotation = Rotation.from_quat(np.roll(quaternions[:, k], -1, axis=1))
    rest = body.heads[body.bone(HORSE_TRUNK_BONE)]
    n = len(positions)
    return MountMotion(positions[:, k] - rotation.apply(rest), rotation, np.zeros(n),
                       np.zeros(n))


# Verbs that take a hand off the bars or reins while they play (the rest of a rider's verbs
# keep both hands on: a talk's gestures and a nod are of the head and shoulders).
HANDS_OFF = {"wave": ("hand_r",), "point": ("hand_r",), "clap": ("hand_l", "hand_r"),
             "shrug": ("hand_l", "hand_r")}


@dataclass(frozen=True)
class RideInput:
    """What a vehicle's rider is solved from once physics has moved the vehicle: the mount,
    the script's upper-body pose (DOF degrees, (n,) at the Performance's samples) and how far
    each hand is off its grip (n,)."""

    mount: Mount
    pose: dict[str, dict[str, np.ndarray]]
    free_hands: dict[str, np.ndarray]


def mount_of(scene, character) -> tuple[str, object] | None:
    """('animal', Animal) or ('entity', Entity) a character rides, or None."""
    if character.rides is None:
        return None
    for animal in scene.animals:
        if animal.id == character.rides:
            return "animal", animal
    return "entity", scene.entity(character.rides)


def start_pose(scene, character) -> tuple[tuple[float, float], float]:
    """Where a character starts on the floor (x, y) and which way it faces (degrees): a
    rider's are its mount's (turned as its style turns it on a board)."""
    mounted = mount_of(scene, character)
    if mounted is None:
        return tuple(character.position), float(character.facing)  # type: ignore[return-value]
    kind, mount = mounted
    if kind == "animal":
        return tuple(mount.position), float(mount.facing)  # type: ignore[attr-defined]
    heading = _entity_rotation(mount).apply([1.0, 0.0, 0.0])
    yaw = math.degrees(math.atan2(heading[1], heading[0]))
    return (float(mount.position[0]), float(mount.position[1])), yaw  # type: ignore[attr-defined]


def _entity_rotation(entity) -> Rotation:
    return Rotation.from_euler("xyz", entity.rotation, degrees=True)


def entity_mount(entity) -> Mount:
    """The Mount of a Scene entity with a seat (its asset's anchors, scaled as it is)."""
    from worldreel.assets.registry import ASSETS  # noqa: PLC0415
    from worldreel.assets.vehicles import vehicle_spec  # noqa: PLC0415

    asset = ASSETS[entity.asset]
    anchors = {k: tuple(np.asarray(v, float) * entity.scale) for k, v in asset.anchors.items()}
    return mount_of_asset(entity.asset, anchors, vehicle_spec(entity.asset))


def standing_still(entity, samples: int) -> MountMotion:
    """A vehicle where it is placed, crank and bars straight: its motion before physics."""
    rotation = Rotation.from_quat(np.tile(_entity_rotation(entity).as_quat(), (samples, 1)))
    return MountMotion(np.tile(np.asarray(entity.position, float), (samples, 1)), rotation,
                       np.zeros(samples), np.zeros(samples))


def free_hands(steps, times: np.ndarray, ramp) -> dict[str, np.ndarray]:
    """hand bone -> (n,) 0..1: how far it is off its grip for the script's steps (`steps`:
    timeline.TimedStep; `ramp(times, start, end)`: the stage's easing of a clip in and out)."""
    out = {"hand_l": np.zeros(len(times)), "hand_r": np.zeros(len(times))}
    for timed in steps:
        for hand in HANDS_OFF.get(timed.step.do, ()):
            out[hand] = np.maximum(out[hand], ramp(times, timed.start, timed.end))
    return out


def heading(motion: MountMotion, style: str) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) floor point and (n,) facing (degrees) of a rider over a mount's motion."""
    yaw = riding_table()["styles"][style]["yaw"]
    forward = (motion.rotation * Rotation.from_euler("z", yaw, degrees=True)).apply([1, 0, 0])
    return motion.position[:, :2].copy(), np.degrees(np.arctan2(forward[:, 1], forward[:, 0]))
