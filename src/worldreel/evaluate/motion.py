"""Motion from classical optical flow (OpenCV DIS): camera motion, moving regions, and the
motion-change curve whose peaks are the visual events (impacts, bounces, starts and stops).

Flows are computed on small grey frames (about 320 px wide): motion events are a property of
whole objects, and the reduced size is what keeps evaluation faster than real time.

The motion change at frame k is the Lagrangian acceleration of every moving pixel: the flow it
follows out of frame k minus the flow that brought it in. A bounce between frames k and k+1, a
fraction phi past k, puts (1 - phi) of the velocity change on frame k and phi on frame k+1, so the
centroid of the curve around a peak recovers the event time to a fraction of a frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.evaluate.errors import require

MOVING_PX = 1.0  # flow magnitude (analysis pixels per frame) above which a pixel is moving
MIN_REGION_PX = 12  # smaller moving blobs are flow noise
EVENT_BASELINE_FRAMES = 9  # running median that gravity and steady motion fall into
EVENT_MIN_RATIO = 0.12  # a peak must reach this fraction of the clip's strongest change
MERGE_FRAMES = 2  # peaks this close are one event


@dataclass(frozen=True)
class Region:
    """A connected moving region of one frame (analysis pixels)."""

    centroid: tuple[float, float]  # x, y
    velocity: tuple[float, float]  # median flow, px/frame, camera motion removed
    area_px: int
    bbox: tuple[int, int, int, int]  # x, y, w, h
    label: int


def make_flow():
    """A DIS optical-flow object (medium preset: robust to ~25 px/frame motions at 320 px)."""
    cv2 = require("cv2", "optical flow")
    return cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)


def camera_motion(flow: np.ndarray) -> np.ndarray:
    """Dominant (background) translation, px/frame: the median flow, which foreground objects
    covering under half the frame do not move."""
    return np.median(flow[::4, ::4].reshape(-1, 2), axis=0)


def moving_regions(flow: np.ndarray) -> tuple[list[Region], np.ndarray]:
    """Connected regions moving relative to the camera, and the label image (0 = still)."""
    cv2 = require("cv2", "optical flow")

    speed = np.hypot(flow[..., 0], flow[..., 1])
    mask = (speed > MOVING_PX).astype(np.uint8)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = [j for j in range(1, count) if stats[j, cv2.CC_STAT_AREA] >= MIN_REGION_PX]
    if not keep:
        return [], np.zeros_like(labels)
    regions = []
    for j in keep:
        bbox = tuple(int(v) for v in stats[j, :4])
        vx, vy = np.median(_in_region(flow, labels, j, bbox), axis=0)
        regions.append(Region(centroid=(float(centroids[j][0]), float(centroids[j][1])),
                              velocity=(float(vx), float(vy)),
                              area_px=int(stats[j, cv2.CC_STAT_AREA]), bbox=bbox, label=j))
    return regions, labels


def _in_region(values: np.ndarray, labels: np.ndarray, label: int,
               bbox: tuple[int, int, int, int]) -> np.ndarray:
    """The entries of `values` (H, W, ...) under one label, looked up inside its bounding box."""
    x, y, w, h = bbox
    return values[y : y + h, x : x + w][labels[y : y + h, x : x + w] == label]


def motion_change(flow_in: np.ndarray, flow_out: np.ndarray, labels_in: np.ndarray,
                  regions_in: list[Region], grid: tuple[np.ndarray, np.ndarray]) -> float:
    """How suddenly motion changed at the frame between two flows (px/frame per frame, weighted
    by the square root of each moving region's area so big objects count more but do not
    swamp small ones). `flow_in` maps the previous frame to this one, `flow_out` this to the
    next (both camera-compensated); `labels_in` are moving regions of the previous frame."""
    if not regions_in:
        return 0.0
    cv2 = require("cv2", "optical flow")

    followed = follow(flow_in, flow_out, grid)
    accel = np.hypot(followed[..., 0] - flow_in[..., 0], followed[..., 1] - flow_in[..., 1])
    # The median ignores the occlusion edges where flow is undefined and the change is noise.
    medians = np.array([np.median(_in_region(accel, labels_in, r.label, r.bbox))
                        for r in regions_in])
    areas = np.array([r.area_px for r in regions_in], dtype=np.float64)
    return float(np.sum(medians * np.sqrt(areas)))


def follow(flow_in: np.ndarray, flow_out: np.ndarray,
           grid: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The flow each pixel continues with: `flow_out` read where `flow_in` took the pixel.
    flow_in + follow(...) is the two-step flow, anchored on flow_in's first frame."""
    cv2 = require("cv2", "optical flow")
    xx, yy = grid
    return cv2.remap(flow_out, xx + flow_in[..., 0], yy + flow_in[..., 1],
                     interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def pixel_grid(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    return xx, yy


@dataclass(frozen=True)
class VisualEvent:
    time_s: float
    frame: int  # the frame where the curve peaks
    strength: float  # excess over the running baseline


def visual_events(curve: np.ndarray, times_s: np.ndarray, valid: np.ndarray) -> list[VisualEvent]:
    """Peaks of the motion-change curve standing clearly above its running median, each timed
    by the centroid of the excess over the peak frame and its two neighbours."""
    from scipy.ndimage import median_filter  # noqa: PLC0415

    curve = np.where(valid, np.nan_to_num(curve), 0.0)
    if len(curve) < 3 or not np.any(curve > 0):
        return []
    baseline = median_filter(curve, EVENT_BASELINE_FRAMES, mode="nearest")
    excess = np.maximum(curve - baseline, 0.0)
    spread = float(np.median(np.abs(curve - baseline)[valid])) if np.any(valid) else 0.0
    threshold = max(4.0 * spread, EVENT_MIN_RATIO * float(excess.max()), 0.5)
    peaks = [k for k in range(1, len(curve) - 1)
             if excess[k] > threshold and excess[k] >= excess[k - 1] and excess[k] > excess[k + 1]]
    # Peaks a frame or two apart are one event whose flow broke down at the fastest frame
    # (a pyramid flow loses objects moving about their own size per frame): time them together.
    groups: list[list[int]] = []
    for k in peaks:
        if groups and k - groups[-1][-1] <= MERGE_FRAMES:
            groups[-1].append(k)
        else:
            groups.append([k])
    events = []
    frame_numbers = np.arange(len(times_s))
    for group in groups:
        span = np.arange(max(0, group[0] - 1), min(len(curve), group[-1] + 2))
        weights = excess[span]
        time_s = float(np.sum(np.interp(span, frame_numbers, times_s) * weights) / np.sum(weights))
        strongest = max(group, key=lambda k: excess[k])
        events.append(VisualEvent(time_s=time_s, frame=strongest, strength=float(excess[strongest])))
    return events
