"""One streaming pass over the video that feeds every picture metric.

Each frame is decoded once; motion is analysed on a copy about ANALYSIS_WIDTH_PX wide, sharpness
on the full-size luma plane. Only the last few small frames and flows are held, so memory does not
grow with the clip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from worldreel.evaluate import (
    consistency,
    cuts,
    flicker,
    foreground_track,
    image_stats,
    motion,
    motion_cells,
    object_track,
    smoothness,
)
from worldreel.evaluate.errors import EvaluationError, require
from worldreel.media.reader import iter_video_frames

ANALYSIS_WIDTH_PX = 320
RECENT_PAIRS = 8  # flow residuals remembered to judge whether the next one stands out
STATIC_CAMERA_PX = 0.3  # median flow (analysis px/frame) under which the camera is still


@dataclass
class VideoAnalysis:
    """Per-frame series (index k = frame k; pair metrics are stored on the later frame)."""

    fps: float
    width: int
    height: int
    analysis_width: int
    analysis_height: int
    times_s: np.ndarray
    sharpness: np.ndarray
    mean_luma: np.ndarray
    clipped_high: np.ndarray
    clipped_low: np.ndarray
    mad_levels: np.ndarray  # frame k-1 -> k, NaN across cuts
    camera_px: np.ndarray  # camera motion k-1 -> k, analysis px/frame
    static: np.ndarray  # camera still over k-1 -> k
    cut: np.ndarray  # a cut between k-1 and k
    motion_energy: np.ndarray  # mean speed of moving pixels k-1 -> k, analysis px/frame
    motion_change: np.ndarray  # Lagrangian acceleration at frame k
    interp_error: np.ndarray  # frame k predicted from k-1 and k+1, 8-bit levels
    background_similarity: np.ndarray  # whole-frame look vs the shot's first frame
    object_vx: np.ndarray  # tracked compact object's velocity k-1 -> k, camera removed
    object_vy: np.ndarray  # (analysis px/frame; NaN where it was not seen in both frames)
    tracks: list[consistency.Track] = field(default_factory=list)
    # Sharp turns of things moving over a still background (foreground_track).
    foreground_events: list[motion.VisualEvent] = field(default_factory=list)
    # (frames, cells) speed over k-1 -> k by grid cell (motion_cells), NaN where unmeasured.
    cell_speed: np.ndarray | None = None

    @property
    def frame_count(self) -> int:
        return len(self.times_s)


class _Series:
    """Growable per-frame lists, turned into arrays at the end."""

    def __init__(self, names: tuple[str, ...]):
        self.data = {name: [] for name in names}

    def add(self, **values: float) -> None:
        for name, items in self.data.items():
            items.append(values.get(name, np.nan))

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.asarray(items, dtype=np.float64) for name, items in self.data.items()}


_SERIES = (
    "times_s",
    "sharpness",
    "mean_luma",
    "clipped_high",
    "clipped_low",
    "mad_levels",
    "camera_px",
    "static",
    "cut",
    "motion_energy",
    "motion_change",
    "interp_error",
    "background_similarity",
    "object_vx",
    "object_vy",
)


def analyse_video(
    path: str | Path, *, fps: float, analysis_width: int = ANALYSIS_WIDTH_PX
) -> VideoAnalysis:
    """Decode `path` once and measure every per-frame picture quantity."""
    cv2 = require("cv2", "video analysis")
    flow_engine = motion.make_flow()
    refine_engine = motion.make_flow(seeded=True)
    series = _Series(_SERIES)
    speeds = motion_cells.CellSeries()
    tracker: consistency.SubjectTracker | None = None
    grid = None
    grays: list[np.ndarray] = []  # the last three grey frames (k-2, k-1, k)
    prev_rgb = prev_thumb = prev_flow = prev_labels = prev_raw = None
    prev_regions: list[motion.Region] = []
    shot_look = None
    full_w = full_h = 0
    recent_residuals: list[float] = []
    prev_object: tuple[float, float] | None = None
    for frame in iter_video_frames(path, width=analysis_width, with_luma=True):
        k = frame.index
        rgb = frame.rgb
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        if grid is None:
            grid = motion.pixel_grid(*gray.shape)
            tracker = consistency.SubjectTracker(frame_area_px=gray.size)
            foreground = foreground_track.ForegroundTracker(width_px=gray.shape[1])
            full_h, full_w = frame.luma.shape if frame.luma is not None else rgb.shape[:2]
        thumb = cuts.thumbnail(gray)
        raw = None
        cut = False
        if prev_rgb is not None:
            raw = flow_engine.calc(grays[-1], gray, None)
            residual = cuts.warp_residual(grays[-1], gray, raw, grid)
            cut = cuts.is_cut(cuts.correlation(prev_thumb, thumb), residual, recent_residuals)
            recent_residuals = [] if cut else (recent_residuals + [residual])[-RECENT_PAIRS:]
            if cut:
                raw = None
        expo = image_stats.exposure(rgb)
        values = dict(
            times_s=frame.time_s,
            mean_luma=expo.mean_luma,
            clipped_high=expo.clipped_high_fraction,
            clipped_low=expo.clipped_low_fraction,
            cut=float(cut),
            sharpness=image_stats.sharpness(frame.luma, frame.luma_gain),
        )
        look = consistency.describe(rgb)
        if cut or shot_look is None:
            shot_look = look
            tracker.cut()
        values["background_similarity"] = consistency.similarity(shot_look, look)
        grays = ([] if cut else grays[-2:]) + [gray]
        found = object_track.find_object(rgb, None if cut else prev_object)

        flow = labels = None
        regions: list[motion.Region] = []
        camera_px = None
        if raw is not None:
            camera, camera_px = motion.camera_motion(raw, grid)
            flow = raw - camera
            values["object_vx"], values["object_vy"] = object_track.scene_velocity(
                prev_object, found, camera
            )
            regions, labels = motion.moving_regions(flow)
            values.update(
                mad_levels=flicker.mean_abs_diff(prev_rgb, rgb),
                camera_px=camera_px,
                static=float(camera_px < STATIC_CAMERA_PX),
            )
            speed = np.hypot(flow[..., 0], flow[..., 1])
            moving = speed > motion.MOVING_PX
            speeds.set(k, motion_cells.cell_means(speed))
            values["motion_energy"] = float(speed[moving].sum() / speed.size)
            # Regions of the pair (k-1 -> k) are anchored on frame k-1.
            before = grays[-3] if len(grays) == 3 else None
            core = consistency.moving_core(before, grays[-2], gray)
            tracker.update(k - 1, prev_rgb, regions, labels, core)
            if prev_flow is not None:
                change = motion.motion_change(
                    prev_flow, flow, prev_labels, prev_regions, grid, labels, regions
                )
                series.data["motion_change"][k - 1] = change
        if len(grays) == 3:
            # Seeded with the two single-frame flows chained, DIS finds displacements of twice
            # an object's size that it misses from scratch; it then refines on frames k-2 and k
            # only, so the seed says nothing about frame k-1 (a swapped frame still shows).
            seed = prev_raw + motion.follow(prev_raw, raw, grid)
            skip = refine_engine.calc(grays[0], grays[2], np.ascontiguousarray(seed))
            middle = smoothness.interpolate_middle(grays[0], grays[2], skip, grid)
            series.data["interp_error"][k - 1] = smoothness.interpolation_error(middle, grays[1])
        # The first frame of a shot starts the background; later ones need a still camera.
        if cut:
            foreground.reset()
        foreground.update(k, rgb, camera_px is None or camera_px < STATIC_CAMERA_PX)
        series.add(**values)
        prev_rgb, prev_thumb, prev_object = rgb, thumb, found
        prev_flow, prev_labels, prev_regions, prev_raw = flow, labels, regions, raw
    if grid is None:
        raise EvaluationError(f"{path}: the video stream has no decodable frames")
    arrays = series.arrays()
    return VideoAnalysis(
        fps=fps,
        width=int(full_w),
        height=int(full_h),
        analysis_width=grid[0].shape[1],
        analysis_height=grid[0].shape[0],
        tracks=tracker.tracks,
        foreground_events=foreground.events(arrays["times_s"], fps),
        cell_speed=speeds.array(len(arrays["times_s"])),
        static=arrays.pop("static") > 0.5,
        cut=arrays.pop("cut") > 0.5,
        **arrays,
    )
