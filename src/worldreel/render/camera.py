"""Camera planning: a CameraTrack (position, look-at, fov per frame) from the shots and poses.

Each shot frames its subject so the action stays in view: a static shot sees everything its
subjects do during the shot, except a close-up of a subject that travels further than a close-up
can hold (a bouncing ball), which frames one moment instead, the subject's first impact or where
it is halfway through the shot, and lets it pass through the frame; a tracking shot travels with
the subject's smoothed position at a distance set by the shot size, a follow shot stays put and
turns to keep it framed; both leave lead room in the direction of motion (rule of thirds) and
never let the subject leave the safe area.
Shot sizes run from extreme wide to extreme close-up, plus over-the-shoulder, POV and top-down;
moves (pan, tilt, dolly, truck, orbit, crane, handheld shake) play over the shot's length. The
azimuth, unless given, looks across the main direction of motion, which is how a camera operator
would stand to show it. Cuts land on frame ceil(start * fps); the world persists across them.

In a walled room the camera may stand just behind a wall, which the renderer then cuts away the
way a wall of a set is pulled for filming, but no further: from further out the frame would show
the outside of the other walls and the floor beyond them. Where the framing asks for more room
than that (an extreme wide shot of a living room), the camera comes in along its line of sight
and widens its lens to keep the framing, as an operator in a small room would, up to a
MAX_ROOM_FOV_DEG lens.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.ndimage import gaussian_filter1d

from worldreel.assets import environment, room_interior
from worldreel.assets.mujoco_spec import anchor_point, entity_asset, entity_is_fixed
from worldreel.assets.flocks import species
from worldreel.assets.people import body_shape
from worldreel.recording import CameraTrack, ContactEvent, Recording
from worldreel.rng import generator
from worldreel.scene import Scene, Shot, Throw

# How much of the frame the subject fills, as margins around its extent.
SIZE_MARGIN = {"extreme_wide": 1.3, "wide": 1.2, "medium": 1.15, "close": 1.05,
               "extreme_close": 1.0, "over_shoulder": 1.1, "pov": 1.0, "top_down": 1.2}
# Minimum half-extent (m) a shot of this size shows around its subject (in the image plane).
SIZE_MIN_HALF_EXTENT = {"extreme_wide": 6.0, "wide": 2.0, "medium": 0.9, "close": 0.35,
                        "extreme_close": 0.12, "over_shoulder": 1.2, "pov": 1.0, "top_down": 1.5}
# Subject radii a close shot frames, whatever the minimum extent.
SIZE_RADII = {"close": 2.5, "extreme_close": 1.2}
TRACK_SMOOTHING_S = 0.25  # gaussian sigma of the followed position: steady, not jittery
TRACK_SAFE_AREA = 0.6  # fraction of the half-frame a tracked subject may drift from centre
CATCH_UP_S = 0.3  # a catch-up (subject leaving the safe area) is eased in over about this long
MOMENT_SIZES = ("close", "extreme_close")  # static shots that frame a moment, not a whole path
MOMENT_SLACK = 1.5  # ... once the path is this many times wider or taller than the shot frames
MOMENT_S = 0.04  # the moment: the subject's positions this close to the key time (about a frame)
HEADROOM = 0.1  # share of the frame height kept clear above a tracked subject's top
LEAD_ROOM = 1.0 / 3.0  # a moving subject sits on the third behind its motion
LEAD_SPEED_M_S = 0.5  # below this screen speed the lead room fades to centre framing
MIN_CAMERA_HEIGHT = 0.25
GROUND_EYE_M = 1.6  # a follow shot of an aircraft stands on the ground, at eye height
PULLED_WALL_M = 1.0  # how far behind a wall line a camera may stand (the wall is cut away)
MAX_ROOM_FOV_DEG = 90.0  # the widest a cramped room widens the lens (about 12 mm full frame)
CARRY_ON_S = 1.5  # a shot that continues eases from the last one's framing into its own
SHAKE_SMOOTHING_S = 0.12  # handheld shake: smoothed noise, a few wobbles a second
SHAKE_ANGLE_DEG = 1.2  # at shake 1, the aim wanders about this much
MOVES = {  # span of each move over the shot
    "pan": 30.0,  # degrees of turn
    "tilt": 14.0,  # degrees of tilt
    "dolly_in": 0.45,  # fraction of the distance travelled towards the subject
    "dolly_out": 0.45,
    "truck": 0.5,  # fraction of the distance travelled sideways
    "orbit": 60.0,  # degrees around the subject
    "crane": 0.6,  # fraction of the distance risen
}


def shot_of_frames(scene: Scene) -> np.ndarray:
    """Index of the shot each video frame belongs to; a cut at t lands on frame ceil(t * fps)."""
    frames = np.arange(scene.frame_count)
    first = [math.ceil(s.start * scene.fps - 1e-9) for s in scene.shots]
    return np.searchsorted(first, frames, side="right") - 1


def shot_fov(shot: Shot) -> float:
    """Vertical field of view of a shot: from its lens when it names one."""
    return focal_length_to_fov(shot.lens) if shot.lens is not None else shot.fov


def focal_length_to_fov(focal_mm: float, sensor_height_mm: float = 24.0) -> float:
    """Vertical field of view (degrees) of a lens on a full-frame (36 x 24 mm) sensor."""
    return math.degrees(2 * math.atan(sensor_height_mm / (2 * focal_mm)))


def fov_to_focal_length(fov_deg: float, sensor_height_mm: float = 24.0) -> float:
    """Focal length (mm) that gives this vertical field of view on a full-frame sensor."""
    return sensor_height_mm / (2 * math.tan(math.radians(fov_deg) / 2))


def _subjects(scene: Scene, shot: Shot) -> list[str]:
    if shot.subject is not None:
        return [shot.subject]
    moving = [c.id for c in scene.characters] + [a.id for a in scene.animals] + [
        e.id for e in scene.entities if not entity_is_fixed(e, scene)]
    return moving or [e.id for e in scene.entities]


# What a shot of a person frames, by shot size: the whole body, the upper body, or the face.
PERSON_PART = {"medium": "chest", "over_shoulder": "chest", "close": "head",
               "extreme_close": "head"}
PERSON_PARTS = ("body", "chest", "head")
EMPTY_PLACE_POINT = np.array([0.0, 0.0, 1.0])  # an empty place is filmed around here ...
EMPTY_PLACE_RADIUS_M = 2.0  # ... this wide
PERSON_RADIUS = {"chest": 0.45, "head": 0.16}  # m; the body's is half its height
STILL_AZIMUTH_DEG = 90.0  # a still scene is filmed looking towards +y, from the -y side
PERSON_FRONT_DEG = 25.0  # a shot of a person looks at them this far off straight ahead
# A close-up aims this far below the eyes, so they sit near the upper third of the frame (the
# portrait rule) instead of in the middle with empty space over the head.
CLOSE_UP_HEADROOM_M = 0.1
PERSON_EYE_LEVEL_DEG = 3.0  # a close-up of a face looks down on it only this much


def _column(scene: Scene, name: str, size: str = "wide") -> int:
    """Where a subject's positions are in plan_camera's frames: entities, then each character's
    body, chest and head (character_middles); a person's part by the shot's size."""
    ids = [e.id for e in scene.entities]
    if name in ids:
        return ids.index(name)
    flocks = [f.id for f in scene.flocks]
    if name in flocks:  # a flock's middle, after the people (flock_middles)
        bodies = len(scene.characters) + len(scene.animals)  # every track's three middles
        return len(ids) + len(PERSON_PARTS) * bodies + flocks.index(name)
    part = PERSON_PARTS.index(PERSON_PART.get(size, "body"))
    bodies = [c.id for c in scene.characters] + [a.id for a in scene.animals]
    return len(ids) + len(PERSON_PARTS) * bodies.index(name) + part


def _facing(track) -> np.ndarray:
    """(N,) which way a character's pelvis faces (radians about z), at every sample."""
    q = track.bone_quaternions[:, track.bone("pelvis")]
    w, x, y, z = q.T
    forward_x = 1 - 2 * (y * y + z * z)
    forward_y = 2 * (x * y + w * z)
    return np.arctan2(forward_y, forward_x)


def _subject_middle(scene: Scene, name: str) -> np.ndarray:
    """Offset from a subject's tracked position to the middle of what a shot frames."""
    if name in ({c.id for c in scene.characters} | {a.id for a in scene.animals}
                | {f.id for f in scene.flocks}):
        return np.zeros(3)  # a character's, animal's or flock's track is already its middle
    entity = scene.entity(name)
    rider = _rider_of(scene, name)
    if rider is not None:  # a ridden board or bicycle: framed with its rider on it
        return np.array([*_middle(entity)[:2], 0.5 * _ridden_height(scene, rider)])
    return _middle(entity)


# A seated person's crown is this share of their standing height above the seat (the sitting
# height; anthropometric tables: ~0.52).
SITTING_HEIGHT = 0.52
SAT_ON_M = 0.4  # a seat higher than this is sat on, not stood on


def _rider_of(scene: Scene, mount: str):
    """The character riding `mount`, or None."""
    return next((c for c in scene.characters if c.rides == mount), None)


def _ridden_height(scene: Scene, rider) -> float:
    """How high a rider's crown is above the ground, on the mount (at its start)."""
    height = body_shape(rider.body).standing_height()
    for animal in scene.animals:
        if animal.id == rider.rides:
            from worldreel.assets.animals import body_of_animal  # noqa: PLC0415

            return body_of_animal(animal).shoulder_height + SITTING_HEIGHT * height
    entity = scene.entity(rider.rides)
    seat = float(anchor_point(entity, "seat")[2])
    # a seat above the knees is sat on (a bicycle's, a motorcycle's); a deck is stood on
    return seat + (SITTING_HEIGHT if seat > SAT_ON_M else 1.0) * height


def _ridden_radius(scene: Scene, rider, size: str) -> float | None:
    """The radius a whole-body shot of a rider, or of a ridden mount, frames: both together."""
    if PERSON_PART.get(size, "body") != "body":
        return None
    mount = _subject_radius(scene, rider.rides, size, riders=False)
    return max(mount, 0.5 * _ridden_height(scene, rider))


def _subject_radius(scene: Scene, name: str, size: str = "wide", riders: bool = True) -> float:
    """How far around its middle a subject reaches, for a shot of this size (`riders`: a rider
    and a ridden mount reach round both)."""
    if riders:
        rider = _rider_of(scene, name) or next(
            (c for c in scene.characters if c.id == name and c.rides is not None), None)
        together = _ridden_radius(scene, rider, size) if rider is not None else None
        if together is not None:
            return together
    for character in scene.characters:
        if character.id == name:
            part = PERSON_PART.get(size, "body")
            height = body_shape(character.body).standing_height()
            return 0.5 * height if part == "body" else PERSON_RADIUS[part] * height / 1.75
    for animal in scene.animals:
        if animal.id == name:  # nose to tail, or the head's size in a close shot
            from worldreel.assets.animals import body_of_animal  # noqa: PLC0415

            body = body_of_animal(animal)
            if PERSON_PART.get(size, "body") == "head":
                return body.shape.head[0] * body.shoulder_height
            return 0.5 * float(np.ptp(body.heads[:, 0])) + 0.1 * body.shoulder_height
    for flock in scene.flocks:
        if flock.id == name:  # one bird (or fish) fills the frame; a flock, its spread
            kind = species(flock.species)
            one = 0.5 * (kind.length_m if kind.is_fish else kind.wingspan_m)
            return one if flock.count == 1 else max(flock.radius, one)
    entity = scene.entity(name)
    return entity_asset(entity).radius * entity.scale


def flock_middles(recording: Recording) -> np.ndarray:
    """(F, K, 3) the middle of each flock (the mean of its members) at each frame."""
    if not recording.flocks:
        return np.zeros((recording.frame_count, 0, 3))
    middles = np.stack([track.positions.mean(axis=1) for track in recording.flocks], axis=1)
    return middles[:: recording.oversample][: recording.frame_count]


def character_middles(recording: Recording, riders: frozenset[str] = frozenset()
                      ) -> np.ndarray:
    """(F, 3 C, 3) what a shot of each person frames, at each frame: the middle of the body
    (halfway between the crown, about 0.2 m above the head bone's base, and the feet:
    standing, sitting or lying; for a rider in `riders`, the ground under them: the mount
    is framed with them), of the chest, and of the face (PERSON_PARTS)."""
    if not recording.characters:
        return np.zeros((recording.frame_count, 0, 3))
    middles = []
    for track in recording.characters:
        if "foot_l" not in track.bones:  # an animal: its barrel, its chest, its head
            middles += [track.bone_trajectory("spine"), track.bone_trajectory("chest"),
                        track.bone_trajectory("head")]
            continue
        feet = 0.5 * (track.bone_trajectory("foot_l") + track.bone_trajectory("foot_r"))
        if track.id in riders:
            feet = feet * np.array([1.0, 1.0, 0.0])
        head = track.bone_trajectory("head")
        crown = head + np.array([0.0, 0.0, 0.2])
        neck = track.bone_trajectory("neck_01")
        chest = 0.5 * (track.bone_trajectory("spine_03") + neck)
        eyes = head + _rotate_z(np.tile([0.04, 0.0, 0.09], (len(head), 1)),
                                np.degrees(_facing(track)))
        face = eyes - np.array([0.0, 0.0, CLOSE_UP_HEADROOM_M])
        middles += [0.5 * (crown + feet), chest, face]
    stacked = np.stack(middles, axis=1)
    return stacked[:: recording.oversample][: recording.frame_count]


def _extra_points(scene: Scene, shot: Shot) -> list[np.ndarray]:
    """Fixed things the action is about (a hoop that is thrown at) stay in a wide shot."""
    if shot.subject is not None and shot.size not in ("wide", "extreme_wide", "over_shoulder"):
        return []
    points = []
    for action in scene.actions:
        if isinstance(action, Throw):
            target = scene.entity(action.target)
            if "rim" in entity_asset(target).anchors:
                points += [anchor_point(target, "rim"), anchor_point(target, "backboard"),
                           np.array(target.position)]  # the post's foot: the whole hoop
            else:
                points.append(anchor_point(target))
    return points


def _auto_azimuth(motion: np.ndarray) -> float:
    """Camera azimuth (degrees) looking across the dominant horizontal motion."""
    steps = np.diff(motion[:, :, :2], axis=0).reshape(-1, 2)
    if len(steps) == 0 or np.abs(steps).sum() < 1e-6:
        # Nothing moves: stand on the -y side like every other shot, which is the side the
        # director lays out as the front ("in front of the wall", a backdrop wall behind).
        return STILL_AZIMUTH_DEG
    cov = steps.T @ steps
    eigvals, eigvecs = np.linalg.eigh(cov)
    main = eigvecs[:, -1]
    # Look perpendicular to the main motion, from the -y side by convention (screen left->right).
    across = np.array([-main[1], main[0]])
    if across[1] > 0:
        across = -across
    return math.degrees(math.atan2(-across[1], -across[0]))


def _flies(scene: Scene, subject: str | None) -> bool:
    """Whether the subject is an aircraft (assets.aircraft), hundreds of metres up."""
    from worldreel.assets.aircraft import aircraft_spec  # noqa: PLC0415

    ids = {e.id: e for e in scene.entities}
    return subject in ids and aircraft_spec(ids[subject].asset) is not None


def _basis(azimuth_deg: float, elevation_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """forward, right, up of a camera looking along azimuth/elevation (elevation up = positive)."""
    az, el = math.radians(azimuth_deg), math.radians(-elevation_deg)
    forward = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    return (forward, *_right_up(forward))


def _right_up(forward: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    right = np.cross(forward, [0.0, 0.0, 1.0])
    norm = np.linalg.norm(right)
    right = right / norm if norm > 1e-9 else np.array([1.0, 0.0, 0.0])
    return right, np.cross(right, forward)


def framing_distance(points: np.ndarray, center: np.ndarray, forward: np.ndarray,
                     right: np.ndarray, up: np.ndarray, fovy_deg: float, aspect: float,
                     margin: float) -> float:
    """Distance from `center` along -forward at which every point is inside the frame."""
    tan_v = math.tan(math.radians(fovy_deg) / 2) / margin
    tan_h = tan_v * aspect
    rel = points - center
    x, y, z = rel @ right, rel @ up, rel @ forward
    needed = np.maximum(np.abs(x) / tan_h, np.abs(y) / tan_v) - z
    return float(max(needed.max(initial=0.0), 0.5))


def project(position: np.ndarray, target: np.ndarray, fovy_deg: float, aspect: float,
            point: np.ndarray) -> tuple[float, float]:
    """Normalised image coordinates (-1..1 inside the frame) of a world point."""
    forward = target - position
    forward = forward / np.linalg.norm(forward)
    right, up = _right_up(forward)
    rel = point - position
    depth = max(float(rel @ forward), 1e-6)
    tan_v = math.tan(math.radians(fovy_deg) / 2)
    return float(rel @ right) / depth / (tan_v * aspect), float(rel @ up) / depth / tan_v


def _smoothstep(u: np.ndarray) -> np.ndarray:
    return u * u * (3.0 - 2.0 * u)


def _rotate_z(v: np.ndarray, angle_deg: np.ndarray) -> np.ndarray:
    a = np.radians(angle_deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * v[:, 0] - s * v[:, 1], s * v[:, 0] + c * v[:, 1], v[:, 2]], axis=1)


def _apply_move(move: str, cam: np.ndarray, target: np.ndarray, reverse: bool = False
                ) -> tuple[np.ndarray, np.ndarray]:
    """Camera positions and targets with a move played over the shot (eased in and out): pan
    left, tilt down, orbit anticlockwise seen from above, crane up and truck right, or each the
    other way with `reverse`."""
    n = len(cam)
    u = _smoothstep(np.linspace(0.0, 1.0, n)) if n > 1 else np.zeros(1)
    if reverse and move in ("pan", "tilt", "orbit", "crane", "truck"):
        u = 1.0 - u  # the same path travelled the other way
    v = target - cam
    distance = np.linalg.norm(v, axis=1, keepdims=True)
    if move == "pan":
        return cam, cam + _rotate_z(v, (u - 0.5) * MOVES["pan"])
    if move == "tilt":
        forward = v / distance
        right = np.cross(forward, [0.0, 0.0, 1.0])
        right /= np.maximum(np.linalg.norm(right, axis=1, keepdims=True), 1e-9)
        up = np.cross(right, forward)
        a = np.radians((0.5 - u) * MOVES["tilt"])[:, None]  # from above the subject down to it
        turned = forward * np.cos(a) + up * np.sin(a)
        return cam, cam + turned * distance
    if move in ("dolly_in", "dolly_out"):
        f = u if move == "dolly_in" else 1.0 - u
        return target - v * (1.0 - MOVES["dolly_in"] * f)[:, None] * 1.0, target
    if move == "truck":
        forward = v / distance
        right = np.cross(forward, [0.0, 0.0, 1.0])
        right /= np.maximum(np.linalg.norm(right, axis=1, keepdims=True), 1e-9)
        shift = right * ((u - 0.5) * MOVES["truck"])[:, None] * distance
        return cam + shift, target + shift
    if move == "orbit":
        return target - _rotate_z(v, (u - 0.5) * MOVES["orbit"]), target
    if move == "crane":
        lifted = cam.copy()
        lifted[:, 2] += ((u - 0.25) * MOVES["crane"])[:, None][:, 0] * distance[:, 0]
        return lifted, target
    return cam, target


def _shake(rng: np.random.Generator, n: int, fps: int, amount: float,
           distance: np.ndarray) -> np.ndarray:
    """(n, 3) smooth seeded wobble of the aim point, growing with distance (an angle)."""
    if amount <= 0 or n == 0:
        return np.zeros((n, 3))
    noise = gaussian_filter1d(rng.standard_normal((n + 8, 3)), SHAKE_SMOOTHING_S * fps, axis=0,
                              mode="wrap")[4:4 + n]
    noise /= max(float(noise.std()), 1e-9)
    noise[:, 2] *= 0.7  # operators sway more than they bob
    return noise * (math.radians(SHAKE_ANGLE_DEG) * amount) * distance[:, None]


def _lead_offset(path: np.ndarray, right: np.ndarray, fps: int, half_width: np.ndarray
                 ) -> np.ndarray:
    """Sideways offset (n,) of the aim from the subject: room ahead of where it is going."""
    velocity = np.gradient(path, axis=0) * fps if len(path) > 1 else np.zeros_like(path)
    screen = gaussian_filter1d((velocity * right).sum(axis=1), 0.4 * fps, mode="nearest")
    return LEAD_ROOM * half_width * np.tanh(screen / LEAD_SPEED_M_S)


def _keep_in_frame(subject: np.ndarray, cam: np.ndarray, target: np.ndarray, fov_deg: float,
                   aspect: float, travels: bool, radius: float = 0.0
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Aim (and, for a travelling camera, position) pulled along so the subject stays in view.

    The smoothing lags a sudden start (a throw); within TRACK_SAFE_AREA of the frame the lag
    reads as a steady operator, beyond it the camera catches up so the subject never leaves.
    Headroom: the subject's top (centre + radius) stays HEADROOM of the frame below its edge.
    """
    cam, target = cam.copy(), target.copy()
    tan_v = math.tan(math.radians(fov_deg) / 2)
    for i in range(len(cam)):
        for _ in range(8):  # a turning camera changes its own basis: settle in a few steps
            forward = target[i] - cam[i]
            dist = float(np.linalg.norm(forward))
            forward /= dist
            right, up = _right_up(forward)
            rel = subject[i] - cam[i]
            depth = max(float(rel @ forward), 0.05)
            half_v = depth * tan_v * TRACK_SAFE_AREA
            half_h = half_v * aspect
            x, y = float(rel @ right), float(rel @ up)
            ex = x - min(max(x, -half_h), half_h)
            ey = y - min(max(y, -half_v), half_v)
            # The silhouette's top is asin(r / distance) above the centre's direction.
            top_angle = math.atan(tan_v * (1.0 - 2.0 * HEADROOM))
            angular_radius = math.asin(min(radius / max(float(np.linalg.norm(rel)), 1e-9), 1.0))
            y_limit = depth * math.tan(top_angle - angular_radius)
            ey = max(ey, y - y_limit)
            if abs(ex) < 1e-9 and abs(ey) < 1e-9:
                break
            shift = (ex * right + ey * up) * (dist / depth if not travels else 1.0)
            target[i] += shift
            if travels:
                cam[i] += shift
    return cam, target


def _pov(path: np.ndarray, fps: int, radius: float, azimuth: float) -> tuple[np.ndarray, ...]:
    """The subject's point of view: just behind it, looking where it is heading."""
    smooth = gaussian_filter1d(path, TRACK_SMOOTHING_S * fps, axis=0, mode="nearest")
    velocity = np.gradient(smooth, axis=0) if len(path) > 1 else np.zeros_like(path)
    default = _basis(azimuth + 180.0, 5.0)[0]
    heading = np.where(np.linalg.norm(velocity, axis=1, keepdims=True) > 1e-4 / fps,
                       velocity, default)
    heading[:, 2] *= 0.5  # the horizon steadier than the flight
    heading = gaussian_filter1d(heading, 0.5 * fps, axis=0, mode="nearest")
    heading /= np.maximum(np.linalg.norm(heading, axis=1, keepdims=True), 1e-9)
    cam = smooth - heading * (radius * 3.0) + np.array([0.0, 0.0, radius * 1.5])
    return cam, cam + heading * 5.0


def _shot_track(scene: Scene, shot: Shot, s: int, frames: np.ndarray, idx: np.ndarray,
                aspect: float, events: tuple[ContactEvent, ...] = (),
                facings: dict[str, np.ndarray] | None = None, horizon: int | None = None,
                inherited: float | None = None
                ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Camera positions, look-at points, vertical field of view and azimuth (degrees) for the
    frames `idx` of shot number `s`. `facings`: which way each person faces at each frame
    (radians); `horizon`: the frames an automatic azimuth looks at (all: None);
    `inherited`: the azimuth a continuing shot keeps when it names none."""
    facings = facings or {}
    names = _subjects(scene, shot)
    if names:
        ids = [_column(scene, i, shot.size) for i in names]
        middles = np.array([_subject_middle(scene, i) for i in names])
        path = frames[idx][:, ids] + middles[None]  # (f, k, 3)
        radius = max(_subject_radius(scene, i, shot.size) for i in names)
    else:  # nothing in the place (narration over a room): film the middle of the place
        ids = []
        path = np.tile(EMPTY_PLACE_POINT, (len(idx), 1, 1))
        radius = EMPTY_PLACE_RADIUS_M
    subject = path.mean(axis=1)
    size = shot.size
    fov = shot_fov(shot)
    azimuth = shot.azimuth if shot.azimuth is not None else _auto_azimuth(
        frames[:horizon, ids])
    if shot.azimuth is None and shot.subject in facings:  # a person is filmed from the front
        azimuth = math.degrees(facings[shot.subject][idx[0]]) + 180.0 + PERSON_FRONT_DEG
    if shot.azimuth is None and inherited is not None:
        azimuth = inherited  # a shot that carries on keeps its side of the action
    elevation = 89.0 if size == "top_down" else shot.elevation
    if (shot.subject in facings and PERSON_PART.get(size) == "head"
            and "elevation" not in shot.model_fields_set):
        elevation = PERSON_EYE_LEVEL_DEG  # a face is filmed from about eye level
    extra = _extra_points(scene, shot)
    if size == "over_shoulder" and extra:
        # Behind the subject, looking past it at what it is aimed at.
        goal = np.mean(extra, axis=0)
        start = subject[0]
        heading = goal - start
        azimuth = math.degrees(math.atan2(heading[1], heading[0])) - 12.0
        elevation = max(shot.elevation, 10.0)
    forward, right, up = _basis(azimuth, elevation)
    margin = SIZE_MARGIN[size]
    half = max(SIZE_MIN_HALF_EXTENT[size], SIZE_RADII.get(size, 0.0) * radius)
    fps = scene.fps
    if size == "pov":
        return (*_pov(subject, fps, radius, azimuth), fov, azimuth)
    moving = shot.move in ("track", "follow")
    if moving:
        followed = gaussian_filter1d(subject, TRACK_SMOOTHING_S * fps, axis=0, mode="nearest")
        box = np.array([[dx, dy, dz] for dx in (-half, half) for dy in (-half, half)
                        for dz in (-half, half)])
        distance = framing_distance(box, np.zeros(3), forward, right, up, fov, aspect, margin)
        if shot.move == "follow":
            # A tripod a little further back than a travelling camera would be, aimed at the path.
            distance *= 1.3
            centre = followed.mean(axis=0)
            stand = centre - forward * distance
            if _flies(scene, shot.subject):  # an aircraft is watched from the ground
                stand[2] = GROUND_EYE_M
            cam = np.repeat(stand[None], len(idx), axis=0)
        else:
            cam = followed - forward * distance
        target = followed
        if shot.framing == "thirds":
            half_w = distance * math.tan(math.radians(fov) / 2) * aspect
            target = target + _lead_offset(followed, right, fps, np.full(len(idx), half_w)
                                           )[:, None] * right
            if shot.move == "track":
                cam = target - forward * distance
    else:
        pts = path.reshape(-1, 3)
        if size in MOMENT_SIZES:
            pts = _moment(scene, frames, path, idx, names, events, half, right, up)
        pts = np.concatenate([pts + d for d in radius * np.vstack([np.eye(3), -np.eye(3)])])
        if extra and size != "over_shoulder":
            pts = np.vstack([pts, np.array(extra)])
        if size == "over_shoulder" and extra:
            near = subject[0] + radius * np.vstack([np.eye(3), -np.eye(3)])
            pts = np.vstack([near, np.array(extra)])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        center = 0.5 * (lo + hi)
        # Never frame less than the shot size's minimum extent around the action: padded in
        # the image plane only, so a small subject is not pushed away by padding in depth.
        x_extent = np.ptp(pts @ right)
        y_extent = np.ptp(pts @ up)
        pad_x = max(half - 0.5 * x_extent, 0.0)
        pad_y = max(half / aspect - 0.5 * y_extent, 0.0)
        if pad_x > 0 or pad_y > 0:
            cx = (pts @ right).min() + 0.5 * x_extent
            cy = (pts @ up).min() + 0.5 * y_extent
            base = center + (cx - center @ right) * right + (cy - center @ up) * up
            pts = np.vstack([pts, base + (0.5 * x_extent + pad_x) * right,
                             base - (0.5 * x_extent + pad_x) * right,
                             base + (0.5 * y_extent + pad_y) * up,
                             base - (0.5 * y_extent + pad_y) * up])
        distance = framing_distance(pts, center, forward, right, up, fov, aspect, margin)
        target = np.repeat(center[None], len(idx), axis=0)
        cam = target - forward * distance
    cam, target = _apply_move(shot.move, cam, target, shot.reverse)
    room = _camera_room(scene)
    if room is not None:
        cam, fov = _inside_room(cam, target, fov, room, keep_lens=shot.lens is not None)
    shake = max(shot.shake, 0.5 if shot.move == "handheld" else 0.0)
    if shake > 0:
        dist = np.linalg.norm(target - cam, axis=1)
        target = target + _shake(generator(scene.seed, f"camera.shake.{s}"), len(idx), fps,
                                 shake, dist)
    if moving:
        cam, target = _ease_into_frame(subject, cam, target, fov, aspect, shot.move == "track",
                                       radius, fps)
        if room is not None and np.all(np.abs(target[:, :2]) < room):
            cam[:, :2] = np.clip(cam[:, :2], -room, room)  # a catch-up stays in the room too
    return cam, target, fov, azimuth


def _middle(entity) -> np.ndarray:
    """Offset from an entity's origin to its middle, which is what a shot frames: a hoop's origin
    is the foot of its post, and a sphere around that would cut off the backboard and frame the
    floor below it."""
    return anchor_point(entity) - np.asarray(entity.position)


def _moment(scene: Scene, frames: np.ndarray, path: np.ndarray, idx: np.ndarray,
            names: list[str], events: tuple[ContactEvent, ...], half: float, right: np.ndarray,
            up: np.ndarray) -> np.ndarray:
    """The points a static close-up frames: the subjects' whole path (frames, subjects, 3) when
    it fits MOMENT_SLACK times the shot's extent; otherwise one moment, the subjects' first impact
    in the shot (a bounce, a hit), with what they hit when it is a thing of the scene (the pin a
    ball strikes), or the shot's middle when they hit nothing: their positions within MOMENT_S of
    it."""
    flat = path.reshape(-1, 3)
    if max(np.ptp(flat @ right), np.ptp(flat @ up)) <= 2.0 * half * MOMENT_SLACK:
        return flat
    start, end = idx[0] / scene.fps, idx[-1] / scene.fps
    owners = {e.id for e in scene.entities}
    hits = sorted((e.time, e.body_a.split(".")[0], e.body_b.split(".")[0]) for e in events
                  if e.kind == "impact" and start <= e.time <= end)
    hits = [h for h in hits if h[1] in names or h[2] in names]
    key = hits[0][0] if hits else 0.5 * (start + end)
    gap = np.abs(idx / scene.fps - key)
    near = gap <= max(MOMENT_S, float(gap.min()))
    points = [path[near].reshape(-1, 3)]
    partners = [b for b in hits[0][1:] if b in owners and b not in names] if hits else []
    for partner in partners:
        entity = scene.entity(partner)
        points.append(frames[idx[near], scene.entities.index(entity)] + _middle(entity))
    return np.concatenate(points)


def _camera_room(scene: Scene) -> np.ndarray | None:
    """(x, y) half-extents of where a camera may stand in the Setting's walled room, or None
    outdoors. Sets have no ceiling: a camera may look down from above the walls."""
    room = room_interior(environment(scene.setting.environment))
    if room is None:
        return None
    half_x, half_y, _ = room
    return np.array([half_x + PULLED_WALL_M, half_y + PULLED_WALL_M])


def _inside_room(cam: np.ndarray, target: np.ndarray, fov_deg: float, room: np.ndarray,
                 keep_lens: bool = False) -> tuple[np.ndarray, float]:
    """Camera positions brought into the room's reach along their lines of sight (one scale for
    the whole shot, so the lens does not zoom), and the field of view that keeps the framing at
    the target, up to MAX_ROOM_FOV_DEG; with `keep_lens` (a lens the user named) the field of
    view stays and the framing tightens instead."""
    aim, offset = target[:, :2], (cam - target)[:, :2]
    if np.any(np.abs(aim) >= room):
        return cam, fov_deg  # the action is outside the room: its walls do not frame it
    with np.errstate(divide="ignore", invalid="ignore"):
        limits = np.where(offset != 0, (np.sign(offset) * room - aim) / offset, np.inf)
    scale = float(min(limits.min(initial=np.inf), 1.0))
    if scale >= 1.0:
        return cam, fov_deg
    widened = math.degrees(2 * math.atan(math.tan(math.radians(fov_deg) / 2) / scale))
    inside = target + scale * (cam - target)
    return inside, fov_deg if keep_lens else min(widened, MAX_ROOM_FOV_DEG)


def _ease_into_frame(subject: np.ndarray, cam: np.ndarray, target: np.ndarray, fov_deg: float,
                     aspect: float, travels: bool, radius: float, fps: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """_keep_in_frame without the jolt: the camera is planned offline, so it starts catching up
    before the subject reaches the edge of the safe area (a falling ball would otherwise jerk
    the frame by a tenth of its height at once). The largest correction around each frame is
    held and then smoothed over CATCH_UP_S; whatever the easing still misses is corrected at
    once, so the subject never leaves the frame."""
    kept_cam, kept_target = _keep_in_frame(subject, cam, target, fov_deg, aspect, travels, radius)
    shift = kept_target - target
    if len(shift) < 3 or not np.any(shift):
        return kept_cam, kept_target
    half = max(1, round(CATCH_UP_S * fps / 2))
    size = np.linalg.norm(shift, axis=1)
    window = np.lib.stride_tricks.sliding_window_view(np.pad(size, half, mode="edge"),
                                                      2 * half + 1)
    largest = np.clip(window.argmax(axis=1) + np.arange(len(size)) - half, 0, len(size) - 1)
    eased = gaussian_filter1d(shift[largest], half / 2, axis=0, mode="nearest")
    return _keep_in_frame(subject, cam + eased if travels else cam, target + eased, fov_deg,
                          aspect, travels, radius)


def _carried_on(cam0: np.ndarray, target0: np.ndarray, fov0: float, cam: np.ndarray,
                target: np.ndarray, fov: np.ndarray, fps: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A continuing shot's track starting from where the previous one left the camera (no cut),
    easing into its own framing over CARRY_ON_S: the difference at the join fades out."""
    n = len(cam)
    u = np.clip(np.arange(n) / max(CARRY_ON_S * fps, 1.0), 0.0, 1.0)
    fade = (1.0 - _smoothstep(u))[:, None]
    return (cam + (cam0 - cam[0]) * fade, target + (target0 - target[0]) * fade,
            fov + (fov0 - fov[0]) * fade[:, 0])


def plan_camera(scene: Scene, recording: Recording) -> CameraTrack:
    """The camera for every video frame of the clip."""
    frames = recording.frame_positions()
    order = [recording.index(e.id) for e in scene.entities]
    # entity order of the Scene, then the characters, then the flocks (see _column)
    riders = frozenset(c.id for c in scene.characters if c.rides is not None)
    frames = np.concatenate([frames[:, order], character_middles(recording, riders),
                             flock_middles(recording)], axis=1)
    facings = {t.id: _facing(t)[:: recording.oversample][: len(frames)]
               for t in recording.characters}
    n = len(frames)
    shot_index = shot_of_frames(scene)[:n]
    positions = np.zeros((n, 3))
    targets = np.zeros((n, 3))
    fovy = np.zeros(n)
    aspect = scene.width / scene.height
    # A clip that was extended (a shot that continues) was filmed before anything after it
    # happened: the shots before it choose their side from what happens before it only.
    horizon = next((math.ceil(shot.start * scene.fps - 1e-9) for shot in scene.shots
                    if shot.continues), None)
    azimuth = None
    for s, shot in enumerate(scene.shots):
        idx = np.flatnonzero(shot_index == s)
        if len(idx) == 0:
            continue
        cam, target, fov, azimuth = _shot_track(
            scene, shot, s, frames, idx, aspect, recording.events, facings,
            horizon=horizon if horizon is not None and idx[0] < horizon else None,
            inherited=azimuth if shot.continues else None)
        # Keep the camera above the floor: raise it, and tilt down to the same target.
        cam[:, 2] = np.maximum(cam[:, 2], MIN_CAMERA_HEIGHT)
        fov = np.full(len(idx), fov)
        if shot.continues and idx[0] > 0:
            cam, target, fov = _carried_on(positions[idx[0] - 1], targets[idx[0] - 1],
                                           fovy[idx[0] - 1], cam, target, fov, scene.fps)
        positions[idx] = cam
        targets[idx] = target
        fovy[idx] = fov
    return CameraTrack(times=np.arange(n) / scene.fps, positions=positions, targets=targets,
                       fovy=fovy, shot_index=shot_index.astype(np.int32))
