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

CAMERA_GRID_PX = 8  # flow sampled every this many pixels to fit the camera's motion
PARALLAX_BLOCK_PX = 16  # the camera's residual (parallax) flow is a median over these blocks
PARALLAX_BLOCKS = 5  # ... and then over this many blocks square
MOVING_PX = 1.0  # flow magnitude (analysis pixels per frame) above which a pixel is moving
MIN_REGION_PX = 12  # smaller moving blobs are flow noise
EVENT_BASELINE_FRAMES = 9  # running median that gravity and steady motion fall into
EVENT_MIN_RATIO = 0.12  # a peak must reach this fraction of the clip's strongest change
MERGE_FRAMES = 2  # peaks this close are one event
START_ARRIVED_FRACTION = 0.25  # a region more covered than this by arrivals was moving before
ARRIVAL_SLACK_PX = 2  # arrivals are widened this much for flow error


@dataclass(frozen=True)
class Region:
    """A connected moving region of one frame (analysis pixels)."""

    centroid: tuple[float, float]  # x, y
    velocity: tuple[float, float]  # median flow, px/frame, camera motion removed
    area_px: int
    bbox: tuple[int, int, int, int]  # x, y, w, h
    label: int


def make_flow(*, seeded: bool = False):
    """A DIS optical-flow object. From scratch, the medium preset (robust to ~25 px/frame at
    320 px; 3 ms a pair); refining a good seed, the fast preset does as well in a quarter of
    the time."""
    cv2 = require("cv2", "optical flow")
    preset = cv2.DISOPTICAL_FLOW_PRESET_FAST if seeded else cv2.DISOPTICAL_FLOW_PRESET_MEDIUM
    return cv2.DISOpticalFlow_create(preset)


def camera_motion(
    flow: np.ndarray, grid: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, float]:
    """The flow the camera alone would cause, and how far it moves the frame (px/frame).

    A similarity transform (pan, zoom, roll) fitted with RANSAC to a sparse grid of the flow
    (moving subjects are outliers as long as the background is most of the frame), plus the
    smooth parallax left over. Its size is the largest displacement of the four corners under
    the similarity transform."""
    cv2 = require("cv2", "optical flow")
    xx, yy = grid
    step = CAMERA_GRID_PX
    src = np.stack([xx[::step, ::step].ravel(), yy[::step, ::step].ravel()], axis=1)
    dst = src + flow[::step, ::step].reshape(-1, 2)
    matrix, _ = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=1.0, maxIters=500
    )
    if matrix is None:  # degenerate (a flat frame): fall back to a translation
        shift = np.median(flow[::step, ::step].reshape(-1, 2), axis=0)
        matrix = np.array([[1.0, 0.0, shift[0]], [0.0, 1.0, shift[1]]])
    matrix = matrix.astype(np.float32)
    field = np.empty_like(flow)
    field[..., 0] = (matrix[0, 0] - 1.0) * xx + matrix[0, 1] * yy + matrix[0, 2]
    field[..., 1] = matrix[1, 0] * xx + (matrix[1, 1] - 1.0) * yy + matrix[1, 2]
    h, w = xx.shape
    corners = field[[0, 0, h - 1, h - 1], [0, w - 1, 0, w - 1]]
    return field + _parallax(flow - field), float(np.max(np.hypot(corners[:, 0], corners[:, 1])))


def _parallax(residual: np.ndarray) -> np.ndarray:
    """What a moving camera adds beyond a similarity transform (the floor sliding faster than the
    far wall): the residual flow smoothed over PARALLAX_BLOCKS of PARALLAX_BLOCK_PX, a scale that
    subjects up to about two blocks across do not reach (a median ignores them)."""
    cv2 = require("cv2", "optical flow")

    block = PARALLAX_BLOCK_PX
    h, w = residual.shape[:2]
    hb, wb = h // block, w // block
    if hb < PARALLAX_BLOCKS or wb < PARALLAX_BLOCKS:
        return np.zeros_like(residual)
    tiles = residual[: hb * block, : wb * block].reshape(hb, block, wb, block, 2)
    medians = median_filter_2d(np.median(tiles, axis=(1, 3)), PARALLAX_BLOCKS).astype(np.float32)
    return cv2.resize(medians, (w, h), interpolation=cv2.INTER_LINEAR)


def median_filter_2d(values: np.ndarray, size: int) -> np.ndarray:
    """Median over size x size neighbourhoods of (H, W, ...) values, edges repeated (as
    scipy's median_filter with mode="nearest"; scipy's import costs more than this pass)."""
    half = size // 2
    pad = [(half, size - 1 - half), (half, size - 1 - half)] + [(0, 0)] * (values.ndim - 2)
    windows = np.lib.stride_tricks.sliding_window_view(
        np.pad(values, pad, mode="edge"), (size, size), axis=(0, 1)
    )
    return np.median(windows, axis=(-2, -1))


def median_filter_1d(values: np.ndarray, size: int) -> np.ndarray:
    """Running median over `size` samples, edges repeated (scipy's mode="nearest")."""
    half = size // 2
    padded = np.pad(values, (half, size - 1 - half), mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, size), axis=-1)


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
        regions.append(
            Region(
                centroid=(float(centroids[j][0]), float(centroids[j][1])),
                velocity=(float(vx), float(vy)),
                area_px=int(stats[j, cv2.CC_STAT_AREA]),
                bbox=bbox,
                label=j,
            )
        )
    return regions, labels


def _in_region(
    values: np.ndarray, labels: np.ndarray, label: int, bbox: tuple[int, int, int, int]
) -> np.ndarray:
    """The entries of `values` (H, W, ...) under one label, looked up inside its bounding box."""
    x, y, w, h = bbox
    return values[y : y + h, x : x + w][labels[y : y + h, x : x + w] == label]


def motion_change(
    flow_in: np.ndarray,
    flow_out: np.ndarray,
    labels_in: np.ndarray,
    regions_in: list[Region],
    grid: tuple[np.ndarray, np.ndarray],
    labels_out: np.ndarray | None = None,
    regions_out: list[Region] = (),
) -> float:
    """How suddenly motion changed at the frame between two flows (px/frame per frame, weighted
    by the square root of each moving region's area so big objects count more but do not
    swamp small ones). `flow_in` maps the previous frame to this one, `flow_out` this to the
    next (both camera-compensated); `labels_in` are moving regions of the previous frame and
    `labels_out` of this one.

    Two kinds of change: a moving region that turns or stops (its pixels followed from one
    flow into the next), and a region at rest that is set moving (a pin the ball hits, a
    brick of the wall): moving in `flow_out` where nothing moving in `flow_in` arrived."""
    change = 0.0
    if regions_in:
        followed = follow(flow_in, flow_out, grid)
        accel = np.hypot(followed[..., 0] - flow_in[..., 0], followed[..., 1] - flow_in[..., 1])
        # The median ignores the occlusion edges where flow is undefined and the change is noise.
        medians = np.array(
            [np.median(_in_region(accel, labels_in, r.label, r.bbox)) for r in regions_in]
        )
        areas = np.array([r.area_px for r in regions_in], dtype=np.float64)
        change += float(np.sum(medians * np.sqrt(areas)))
    if regions_out and labels_out is not None:
        arrived = _arrivals(flow_in, labels_in)
        speed_out = np.hypot(flow_out[..., 0], flow_out[..., 1])
        height, width = labels_out.shape
        for r in regions_out:
            x, y, w, h = r.bbox
            if x == 0 or y == 0 or x + w == width or y + h == height:
                continue  # coming into the frame, not set moving
            inside = labels_out[y : y + h, x : x + w] == r.label
            if np.mean(arrived[y : y + h, x : x + w][inside]) > START_ARRIVED_FRACTION:
                continue  # it was already moving: the followed change above covers it
            change += float(np.median(speed_out[y : y + h, x : x + w][inside])) * np.sqrt(
                r.area_px
            )
    return change



def _arrivals(flow_in: np.ndarray, labels_in: np.ndarray) -> np.ndarray:
    """Where the moving pixels of the previous frame landed in this one (bool mask), widened by
    ARRIVAL_SLACK_PX; where they left from is included, since a slow object overlaps itself."""
    cv2 = require("cv2", "optical flow")
    h, w = labels_in.shape
    ys, xs = np.nonzero(labels_in)
    landed = np.zeros((h, w), np.uint8)
    landed[ys, xs] = 1
    tx = np.clip(np.rint(xs + flow_in[ys, xs, 0]).astype(np.int64), 0, w - 1)
    ty = np.clip(np.rint(ys + flow_in[ys, xs, 1]).astype(np.int64), 0, h - 1)
    landed[ty, tx] = 1
    size = 2 * ARRIVAL_SLACK_PX + 1
    return cv2.dilate(landed, np.ones((size, size), np.uint8)) > 0


def follow(
    flow_in: np.ndarray, flow_out: np.ndarray, grid: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """The flow each pixel continues with: `flow_out` read where `flow_in` took the pixel.
    flow_in + follow(...) is the two-step flow, anchored on flow_in's first frame."""
    cv2 = require("cv2", "optical flow")
    xx, yy = grid
    return cv2.remap(
        flow_out,
        xx + flow_in[..., 0],
        yy + flow_in[..., 1],
        interpolation=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


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
    if len(curve) < 3 or not np.any(valid):
        return []
    # Gaps (the first frames, cuts) take the typical value, so their edges are not steps.
    curve = np.where(valid, np.nan_to_num(curve), float(np.median(curve[valid])))
    baseline = median_filter_1d(curve, EVENT_BASELINE_FRAMES)
    excess = np.maximum(curve - baseline, 0.0)
    spread = float(np.median(np.abs(curve - baseline)[valid])) if np.any(valid) else 0.0
    threshold = max(4.0 * spread, EVENT_MIN_RATIO * float(excess.max()), 0.5)
    # A peak needs both neighbours measured: next to a gap it may be the gap's edge.
    peaks = [
        k
        for k in range(1, len(curve) - 1)
        if valid[k - 1]
        and valid[k]
        and valid[k + 1]
        and excess[k] > threshold
        and excess[k] >= excess[k - 1]
        and excess[k] > excess[k + 1]
    ]
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
        events.append(
            VisualEvent(time_s=time_s, frame=strongest, strength=float(excess[strongest]))
        )
    return events
