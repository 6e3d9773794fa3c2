"""Camera planning: a CameraTrack (position, look-at, fov per frame) from the shots and poses.

Each shot frames its subject so the action stays in view: a static shot sees everything its
subjects do during the shot; a tracking shot follows the subject's smoothed position at a distance
set by the shot size. The azimuth, unless given, looks across the main direction of motion, which
is how a camera operator would stand to show it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.ndimage import gaussian_filter1d

from worldreel.assets.mujoco_spec import anchor_point, entity_asset, entity_is_fixed
from worldreel.recording import CameraTrack, Recording
from worldreel.scene import Scene, Shot, Throw

# How much of the frame the subject fills, as margins around its extent.
SIZE_MARGIN = {"wide": 1.35, "medium": 1.15, "close": 1.05}
# Minimum half-extent (m) a shot of this size shows around its subject.
SIZE_MIN_HALF_EXTENT = {"wide": 2.0, "medium": 0.9, "close": 0.35}
TRACK_SMOOTHING_S = 0.25  # gaussian sigma of the followed position: steady, not jittery
TRACK_SAFE_AREA = 0.6  # fraction of the half-frame a tracked subject may drift from centre
MIN_CAMERA_HEIGHT = 0.25


def shot_of_frames(scene: Scene) -> np.ndarray:
    """Index of the shot each video frame belongs to; a cut at t lands on frame ceil(t * fps)."""
    frames = np.arange(scene.frame_count)
    first = [math.ceil(s.start * scene.fps - 1e-9) for s in scene.shots]
    return np.searchsorted(first, frames, side="right") - 1


def focal_length_to_fov(focal_mm: float, sensor_height_mm: float = 24.0) -> float:
    """Vertical field of view (degrees) of a lens on a full-frame (36 x 24 mm) sensor."""
    return math.degrees(2 * math.atan(sensor_height_mm / (2 * focal_mm)))


def fov_to_focal_length(fov_deg: float, sensor_height_mm: float = 24.0) -> float:
    """Focal length (mm) that gives this vertical field of view on a full-frame sensor."""
    return sensor_height_mm / (2 * math.tan(math.radians(fov_deg) / 2))


def _subjects(scene: Scene, shot: Shot) -> list[str]:
    if shot.subject is not None:
        return [shot.subject]
    moving = [e.id for e in scene.entities if not entity_is_fixed(e, scene)]
    return moving or [e.id for e in scene.entities]


def _extra_points(scene: Scene, shot: Shot) -> list[np.ndarray]:
    """Fixed things the action is about (a hoop that is thrown at) stay in a wide shot."""
    if shot.subject is not None and shot.size != "wide":
        return []
    points = []
    for action in scene.actions:
        if isinstance(action, Throw):
            target = scene.entity(action.target)
            if "rim" in entity_asset(target).anchors:
                points += [anchor_point(target, "rim"), anchor_point(target, "backboard")]
            else:
                points.append(anchor_point(target))
    return points


def _auto_azimuth(motion: np.ndarray) -> float:
    """Camera azimuth (degrees) looking across the dominant horizontal motion."""
    steps = np.diff(motion[:, :, :2], axis=0).reshape(-1, 2)
    if len(steps) == 0 or np.abs(steps).sum() < 1e-6:
        return -90.0
    cov = steps.T @ steps
    eigvals, eigvecs = np.linalg.eigh(cov)
    main = eigvecs[:, -1]
    # Look perpendicular to the main motion, from the -y side by convention (screen left->right).
    across = np.array([-main[1], main[0]])
    if across[1] > 0:
        across = -across
    return math.degrees(math.atan2(-across[1], -across[0]))


def _basis(azimuth_deg: float, elevation_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """forward, right, up of a camera looking along azimuth/elevation (elevation up = positive)."""
    az, el = math.radians(azimuth_deg), math.radians(-elevation_deg)
    forward = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    return forward, right, up


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


def _keep_in_frame(subject: np.ndarray, followed: np.ndarray, distance: float,
                   right: np.ndarray, up: np.ndarray, fov_deg: float, aspect: float) -> np.ndarray:
    """Smoothed look-at points, pulled along where the subject would leave the safe area.

    The smoothing lags a sudden start (a throw); within TRACK_SAFE_AREA of the frame the lag
    reads as a steady operator, beyond it the camera catches up so the subject never leaves.
    """
    half_v = distance * math.tan(math.radians(fov_deg) / 2) * TRACK_SAFE_AREA
    half_h = half_v * aspect
    offset = subject - followed
    x, y = offset @ right, offset @ up
    excess_x = x - np.clip(x, -half_h, half_h)
    excess_y = y - np.clip(y, -half_v, half_v)
    return followed + excess_x[:, None] * right + excess_y[:, None] * up


def plan_camera(scene: Scene, recording: Recording) -> CameraTrack:
    """The camera for every video frame of the clip."""
    frames = recording.frame_positions()
    n = len(frames)
    shot_index = shot_of_frames(scene)[:n]
    positions = np.zeros((n, 3))
    targets = np.zeros((n, 3))
    fovy = np.zeros(n)
    aspect = scene.width / scene.height
    for s, shot in enumerate(scene.shots):
        idx = np.flatnonzero(shot_index == s)
        if len(idx) == 0:
            continue
        ids = [recording.index(i) for i in _subjects(scene, shot)]
        path = frames[idx][:, ids]  # (f, k, 3)
        radius = max(entity_asset(scene.entity(i)).radius * scene.entity(i).scale
                     for i in _subjects(scene, shot))
        azimuth = shot.azimuth if shot.azimuth is not None else _auto_azimuth(frames[:, ids])
        forward, right, up = _basis(azimuth, shot.elevation)
        margin = SIZE_MARGIN[shot.size]
        half = max(SIZE_MIN_HALF_EXTENT[shot.size], 2.5 * radius if shot.size == "close" else 0)
        if shot.move == "track":
            followed = gaussian_filter1d(path.mean(axis=1), TRACK_SMOOTHING_S * scene.fps,
                                         axis=0, mode="nearest")
            box = np.array([[dx, dy, dz] for dx in (-half, half) for dy in (-half, half)
                            for dz in (-half, half)])
            distance = framing_distance(box, np.zeros(3), forward, right, up, shot.fov,
                                        aspect, margin)
            shot_targets = _keep_in_frame(path.mean(axis=1), followed, distance, right, up,
                                          shot.fov, aspect)
        else:
            extra = _extra_points(scene, shot)
            pts = path.reshape(-1, 3)
            pts = np.concatenate([pts + d for d in radius * np.vstack([np.eye(3), -np.eye(3)])])
            if extra:
                pts = np.vstack([pts, np.array(extra)])
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            center = 0.5 * (lo + hi)
            # Never frame less than the shot size's minimum extent around the action.
            pad = np.maximum(half - 0.5 * (hi - lo), 0.0)
            pts = np.vstack([pts, lo - pad, hi + pad])
            distance = framing_distance(pts, center, forward, right, up, shot.fov, aspect, margin)
            shot_targets = np.repeat(center[None], len(idx), axis=0)
        cam = shot_targets - forward * distance
        # Keep the camera above the floor: raise it, and tilt down to the same target.
        cam[:, 2] = np.maximum(cam[:, 2], MIN_CAMERA_HEIGHT)
        positions[idx] = cam
        targets[idx] = shot_targets
        fovy[idx] = shot.fov
    return CameraTrack(times=np.arange(n) / scene.fps, positions=positions, targets=targets,
                       fovy=fovy, shot_index=shot_index.astype(np.int32))
