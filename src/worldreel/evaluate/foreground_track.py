"""Visual events of the things that move over a still background: impacts of small objects.

Optical flow at the analysis size loses an object a few pixels across (a glass falling in a wide
shot of a room) or one that moves about its own size per frame (a ball at the moment it hits).
While the camera is still, background subtraction (OpenCV's MOG2) finds such objects whatever
their speed: every foreground blob is linked to the blob of the next frame nearest to where its
motion carries it, and the sharp turns of each track (object_track.object_events) are the
impacts, timed to a fraction of a frame.

Anything that was at rest when the camera settled is background, so a thing set moving (a pin
the ball hits) starts a track; its own later turns are events, its start is not. A moving camera
or a cut ends every track and starts a new background model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from worldreel.evaluate.errors import require
from worldreel.evaluate.motion import VisualEvent
from worldreel.evaluate.object_track import object_events

HISTORY_FRAMES = 48  # MOG2's memory: a thing at rest this long fades into the background
VARIANCE_THRESHOLD = 16.0  # MOG2's squared distance for a pixel to be foreground
FOREGROUND = 255  # MOG2 marks shadows 127: a shadow follows its object and is left out
MIN_AREA_PX = 4  # smaller blobs are noise (analysis pixels at 320 px wide; scaled with size)
MAX_JUMP_FRACTION = 0.2  # of the frame width: a blob further from the prediction is another
MAX_AREA_RATIO = 3.0  # ... and so is one this much larger or smaller
AMBIGUOUS = 1.5  # a second blob within this factor of the nearest's distance: no safe link
MIN_TRACK_FRAMES = 6  # a shorter track cannot show a turn against its own steady motion
REFERENCE_WIDTH_PX = 320
SAME_EVENT_FRAMES = 0.5  # turns of several tracks this close are one event


@dataclass
class _Track:
    """One blob followed from frame to frame: frame index -> (x, y, area)."""

    points: dict[int, tuple[float, float, float]] = field(default_factory=dict)

    def predicted(self, k: int) -> np.ndarray:
        """Where the blob should be at frame k, moving on as it did over its last pair."""
        last = np.array(self.points[k - 1][:2])
        if k - 2 in self.points:
            return last + (last - np.array(self.points[k - 2][:2]))
        return last


class ForegroundTracker:
    """Feed frames in order with `update`; `events` then gives every track's sharp turns."""

    def __init__(self, width_px: int):
        self._cv2 = require("cv2", "foreground tracking")
        self._scale = width_px / REFERENCE_WIDTH_PX
        self._max_jump = MAX_JUMP_FRACTION * width_px
        self._subtractor = None
        self._active: list[_Track] = []
        self.tracks: list[_Track] = []

    def reset(self) -> None:
        """The camera moved or the shot changed: the background is no longer known."""
        self._subtractor = None
        self._active = []

    def update(self, k: int, rgb: np.ndarray, camera_still: bool) -> None:
        """Take frame k. While the camera is not still nothing is tracked."""
        if not camera_still:
            self.reset()
            return
        cv2 = self._cv2
        if self._subtractor is None:
            self._subtractor = cv2.createBackgroundSubtractorMOG2(
                history=HISTORY_FRAMES, varThreshold=VARIANCE_THRESHOLD, detectShadows=True
            )
        mask = (self._subtractor.apply(rgb) == FOREGROUND).astype(np.uint8)
        # Opening removes single-pixel speckle; closing joins an object split by a highlight.
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
        min_area = MIN_AREA_PX * self._scale**2
        blobs = [
            (float(centroids[j][0]), float(centroids[j][1]), float(stats[j, cv2.CC_STAT_AREA]))
            for j in range(1, count)
            if stats[j, cv2.CC_STAT_AREA] >= min_area
        ]
        self._link(k, blobs)

    def _link(self, k: int, blobs: list[tuple[float, float, float]]) -> None:
        """Extend each live track with the unclaimed blob nearest its prediction; blobs left
        over start tracks of their own. A track whose nearest blob is not clearly nearer than
        the next (two balls of a rack side by side) ends there: a wrong link is a false turn."""
        claimed: set[int] = set()
        alive = []
        for track in self._active:
            last_area = track.points[k - 1][2]
            expected = track.predicted(k)
            reach = self._reach(track, k)
            candidates = sorted(
                (float(np.hypot(x - expected[0], y - expected[1])), i)
                for i, (x, y, area) in enumerate(blobs)
                if i not in claimed
                and max(area, last_area) <= MAX_AREA_RATIO * min(area, last_area)
            )
            candidates = [c for c in candidates if c[0] <= reach]
            if not candidates:
                continue
            if len(candidates) > 1 and candidates[1][0] < AMBIGUOUS * candidates[0][0] + 1.0:
                continue
            best = candidates[0][1]
            claimed.add(best)
            track.points[k] = blobs[best]
            alive.append(track)
        for i, blob in enumerate(blobs):
            if i not in claimed:
                track = _Track({k: blob})
                self.tracks.append(track)
                alive.append(track)
        self._active = alive

    def _reach(self, track: _Track, k: int) -> float:
        """How far from its prediction a track's next blob may lie: an impact can reverse the
        motion (twice the last step), plus the blob's own size; a new track may go anywhere
        within MAX_JUMP_FRACTION of the frame."""
        if k - 2 not in track.points:
            return self._max_jump
        (x1, y1, area), (x0, y0, _) = track.points[k - 1], track.points[k - 2]
        return 2.0 * float(np.hypot(x1 - x0, y1 - y0)) + 2.0 * float(np.sqrt(area)) + 2.0

    def events(self, times_s: np.ndarray, fps: float) -> list[VisualEvent]:
        """The sharp turns of every track long enough to show one, in time order; strength is
        the turn (px/frame) times the square root of the blob's area, so big things count more."""
        found = []
        for track in self.tracks:
            if len(track.points) < MIN_TRACK_FRAMES:
                continue
            velocity = np.full((len(times_s), 2), np.nan)
            for k, (x, y, _) in track.points.items():
                if k - 1 in track.points:
                    px, py, _ = track.points[k - 1]
                    velocity[k] = (x - px, y - py)
            size = float(np.sqrt(np.median([area for _, _, area in track.points.values()])))
            found += [
                VisualEvent(time_s=e.time_s, frame=e.frame, strength=e.strength * size)
                for e in object_events(velocity, times_s, fps)
            ]
        # One impact turns several tracks at once (a ball and the thing it hits): one event.
        merged: list[VisualEvent] = []
        for event in sorted(found, key=lambda e: e.time_s):
            if merged and event.time_s - merged[-1].time_s < SAME_EVENT_FRAMES / fps:
                if event.strength > merged[-1].strength:
                    merged[-1] = event
            else:
                merged.append(event)
        return merged
