"""Visual events of one tracked compact object: the bounces of a ball the camera follows.

When the camera tracks the subject, the whole-frame motion-change curve (motion.py) is swamped
by camera motion, parallax and flat walls. A small, vividly coloured object (a ball) is then
still easy to find in every frame: the most saturated compact blob that stands out from its
surroundings. Its centroid is tracked from frame to frame, its velocity is measured relative to
the scene (the camera's own flow at the object removed), and a bounce is a frame pair where that
velocity turns sharply.

A bounce a fraction phi past frame j puts phi of the pair j -> j+1 on the old velocity and
(1 - phi) on the new one, so the mixed pair's velocity, projected on the change between the
pairs either side, times the event to a fraction of a frame.
"""

from __future__ import annotations

import numpy as np

from worldreel.evaluate.errors import require
from worldreel.evaluate.motion import MERGE_FRAMES, VisualEvent

SURROUND_PX = 21  # the colourfulness of an object's surroundings: a median over this window
STANDOUT = 40.0  # an object is this much more colourful (saturation x value, 0-255) than that
MIN_AREA_PX = 8  # smaller blobs are noise (analysis pixels)
MAX_AREA_FRACTION = 0.02  # larger blobs are scenery, not a compact object
MIN_FILL = 0.5  # area / bounding box: a compact blob, not a stripe or an outline
MAX_ASPECT = 3.0  # (motion blur stretches a fast ball)
NEAR_PX = 40.0  # a blob this far from the last one needs twice the score to be chosen
MAX_JUMP_PX = 60.0  # a blob this far from the last one is another object
MAX_AREA_RATIO = 2.0  # ... and so is one more than this much larger or smaller
CHANGE_BASELINE = 4.0  # a turn must exceed this many times the track's typical velocity change
MIN_CHANGE_PX = 3.0  # ... and this many analysis px/frame


def find_object(
    rgb: np.ndarray, previous: tuple[float, float, float] | None
) -> tuple[float, float, float] | None:
    """(x, y, area) of the compact blob standing out most (area times colourfulness above its
    surroundings), nearness to `previous` breaking near-ties; None when there is none."""
    cv2 = require("cv2", "object tracking")
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    colour = hsv[..., 1].astype(np.float32) * hsv[..., 2].astype(np.float32) / 255.0
    surround = cv2.medianBlur(colour.astype(np.uint8), SURROUND_PX).astype(np.float32)
    standout = colour - surround
    mask = (standout > STANDOUT).astype(np.uint8)
    # Closing joins the halves of an object split by a highlight or a similar background.
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    best, best_score = None, 0.0
    for j in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[j])
        if area < MIN_AREA_PX or area > MAX_AREA_FRACTION * mask.size:
            continue
        if area / (w * h) < MIN_FILL or max(w / h, h / w) > MAX_ASPECT:
            continue
        inside = labels[y : y + h, x : x + w] == j
        score = area * float(np.mean(standout[y : y + h, x : x + w][inside]))
        if previous is not None:
            distance = float(np.hypot(centroids[j][0] - previous[0], centroids[j][1] - previous[1]))
            score /= 1.0 + distance / NEAR_PX
        if score > best_score:
            best = (float(centroids[j][0]), float(centroids[j][1]), float(area))
            best_score = score
    return best


def scene_velocity(
    previous: tuple[float, float, float] | None,
    current: tuple[float, float, float] | None,
    camera: np.ndarray,
) -> tuple[float, float]:
    """The object's displacement over one frame pair minus the camera's flow where it was
    (NaN when it was not found in both frames, or the two blobs are not one object)."""
    if previous is None or current is None:
        return (np.nan, np.nan)
    if np.hypot(current[0] - previous[0], current[1] - previous[1]) > MAX_JUMP_PX:
        return (np.nan, np.nan)
    if max(current[2], previous[2]) > MAX_AREA_RATIO * min(current[2], previous[2]):
        return (np.nan, np.nan)
    h, w = camera.shape[:2]
    x = min(max(round(previous[0]), 0), w - 1)
    y = min(max(round(previous[1]), 0), h - 1)
    return (
        current[0] - previous[0] - float(camera[y, x, 0]),
        current[1] - previous[1] - float(camera[y, x, 1]),
    )


def object_events(velocity: np.ndarray, times_s: np.ndarray, fps: float) -> list[VisualEvent]:
    """Sharp turns of the tracked object's velocity. `velocity` is (N, 2): row k the pair
    k-1 -> k (NaN where unknown). Each event is timed by the mixed pair's projection."""
    pairs = np.asarray(velocity, dtype=np.float64)[1:]  # row j: pair j -> j+1
    n = len(pairs)
    if n < 3:
        return []
    change = np.full(n, np.nan)
    for j in range(1, n - 1):
        if np.all(np.isfinite(pairs[j - 1 : j + 2])):
            change[j] = float(np.hypot(*(pairs[j + 1] - pairs[j - 1])))
    known = np.isfinite(change)
    if np.count_nonzero(known) < 5:
        return []
    threshold = max(CHANGE_BASELINE * float(np.median(change[known])), MIN_CHANGE_PX)
    filled = np.where(known, change, 0.0)
    peaks = [
        j
        for j in range(1, n - 1)
        if filled[j] > threshold and filled[j] >= filled[j - 1] and filled[j] > filled[j + 1]
    ]
    groups: list[list[int]] = []
    for j in peaks:
        if groups and j - groups[-1][-1] <= MERGE_FRAMES:
            groups[-1].append(j)
        else:
            groups.append([j])
    events = []
    for group in groups:
        j = max(group, key=lambda i: filled[i])
        before, mixed, after = pairs[j - 1], pairs[j], pairs[j + 1]
        turn = before - after
        phi = float(np.clip(np.dot(mixed - after, turn) / max(np.dot(turn, turn), 1e-9), 0, 1))
        events.append(
            VisualEvent(
                time_s=float(times_s[j]) + phi / fps,
                frame=j + 1 if phi >= 0.5 else j,
                strength=float(filled[j]),
            )
        )
    return events
