"""Subject consistency: do the moving things stay themselves over time?

Each moving region (from the flow) is tracked from frame to frame by where its own motion
predicts it; its look is a hue-saturation histogram (a classical feature that ignores shading
and is robust to small shape changes). A track scores the mean similarity of its look in each
frame to its first appearance, the way VBench's subject_consistency compares each frame to the
first (there with DINO features). The whole frame is scored the same way per shot, as
background consistency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from worldreel.evaluate.errors import require
from worldreel.evaluate.motion import Region

MIN_TRACK_FRAMES = 6  # a quarter second at 24 fps: flow noise rarely persists that long
MIN_SUBJECT_FRACTION = 0.002  # of the frame area: smaller regions are too few pixels to describe
HUE_BINS, SAT_BINS = 12, 4  # coarse: robust to shading and anti-aliased edges
MIN_CORE_PX = 20


def describe(rgb: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Normalised hue-saturation histogram of the pixels under `mask` (uint8, or None = all)."""
    cv2 = require("cv2", "subject consistency")
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1], mask, [HUE_BINS, SAT_BINS], [0, 180, 0, 256])
    total = float(hist.sum())
    return hist / total if total > 0 else hist


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two histograms, floored at 0: 1 identical, 0 unrelated. (On the toy ball a
    constant subject scores ~0.98 and the same subject recoloured half way ~0.5; Bhattacharyya
    and intersection separate the two less.)"""
    cv2 = require("cv2", "subject consistency")
    return float(max(0.0, cv2.compareHist(a, b, cv2.HISTCMP_CORREL)))


@dataclass
class Track:
    id: int
    first_frame: int
    first_look: np.ndarray
    centroid: tuple[float, float]
    velocity: tuple[float, float]
    area_px: int
    last_frame: int
    similarities: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)  # the frame of each similarity
    pixel_frames: int = 0  # area summed over the matched frames: the track's weight

    @property
    def length(self) -> int:
        return self.last_frame - self.first_frame + 1


@dataclass
class SubjectTracker:
    """Feed it the moving regions of each frame; ask it for the tracks at the end."""

    frame_area_px: int
    tracks: list[Track] = field(default_factory=list)
    _open: list[Track] = field(default_factory=list)

    def cut(self) -> None:
        """A new shot: no track continues across it."""
        self._open = []

    def update(
        self,
        frame_index: int,
        rgb: np.ndarray,
        regions: list[Region],
        labels: np.ndarray,
        core: np.ndarray | None = None,
    ) -> None:
        """Match this frame's regions to open tracks. `core` marks the pixels that differ from
        both neighbouring frames: the moving thing itself, without the halo the flow smears
        around it."""
        min_area = MIN_SUBJECT_FRACTION * self.frame_area_px
        still_open = []
        unmatched = [r for r in regions if r.area_px >= min_area]
        for track in sorted(self._open, key=lambda t: -t.area_px):
            if frame_index - track.last_frame > 2 or not unmatched:
                continue
            # Where the track's own motion says it is now; the gap covers a missed frame.
            gap = frame_index - track.last_frame
            px = track.centroid[0] + gap * track.velocity[0]
            py = track.centroid[1] + gap * track.velocity[1]
            reach = max(12.0, 1.5 * np.sqrt(track.area_px), 1.5 * np.hypot(*track.velocity))
            dists = [np.hypot(r.centroid[0] - px, r.centroid[1] - py) for r in unmatched]
            best = int(np.argmin(dists))
            if dists[best] > reach:
                still_open.append(track)
                continue
            region = unmatched.pop(best)
            look = describe(rgb, _subject_mask(labels, region, core))
            track.similarities.append(similarity(track.first_look, look))
            track.frames.append(frame_index)
            track.pixel_frames += region.area_px
            track.centroid, track.velocity = region.centroid, region.velocity
            track.area_px, track.last_frame = region.area_px, frame_index
            still_open.append(track)
        for region in unmatched:
            track = Track(
                id=len(self.tracks),
                first_frame=frame_index,
                first_look=describe(rgb, _subject_mask(labels, region, core)),
                centroid=region.centroid,
                velocity=region.velocity,
                area_px=region.area_px,
                last_frame=frame_index,
            )
            self.tracks.append(track)
            still_open.append(track)
        self._open = [t for t in still_open if frame_index - t.last_frame <= 2]


def _subject_mask(labels: np.ndarray, region: Region, core: np.ndarray | None) -> np.ndarray:
    """The region's pixels, narrowed to its core when the core has enough pixels (a slow,
    uniform subject barely differs from its neighbours and is described by the whole region)."""
    mask = labels == region.label
    if core is not None:
        narrowed = mask & core
        if narrowed.sum() >= max(MIN_CORE_PX, 0.05 * region.area_px):
            mask = narrowed
    return mask.astype(np.uint8)


def moving_core(
    before: np.ndarray | None, now: np.ndarray, after: np.ndarray, threshold: int = 12
) -> np.ndarray:
    """Pixels of `now` (grey) that differ from both neighbours: three-frame differencing (two
    frames at the start of a shot, where there is no frame before)."""
    cv2 = require("cv2", "subject consistency")
    core = cv2.absdiff(now, after) > threshold
    if before is not None:
        core &= cv2.absdiff(now, before) > threshold
    return core


@dataclass(frozen=True)
class ConsistencyResult:
    score: float | None  # mean similarity to first appearance, over tracked subjects
    worst: float | None  # the lowest similarity any subject had in any frame
    tracks: int  # subjects tracked for at least MIN_TRACK_FRAMES


def subject_consistency(tracks: list[Track]) -> ConsistencyResult:
    """Mean over tracks long enough to judge, weighted by area x frames: the subjects a viewer
    watches count, a short-lived flow blob hardly does."""
    kept = [t for t in tracks if t.length >= MIN_TRACK_FRAMES and t.similarities]
    if not kept:
        return ConsistencyResult(score=None, worst=None, tracks=0)
    weights = np.array([t.pixel_frames for t in kept], dtype=np.float64)
    means = np.array([np.mean(t.similarities) for t in kept])
    worst = min(min(t.similarities) for t in kept)
    return ConsistencyResult(
        score=float(np.sum(weights * means) / weights.sum()), worst=float(worst), tracks=len(kept)
    )
