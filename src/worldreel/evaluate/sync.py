"""A/V sync: pair each visual event (or each contact event of the sidecar) with its sound.

Offsets are audio time minus picture time, so positive means the sound comes late. A clip is in
sync when the median offset lies inside the ITU-R BT.1359 detectability window: sound no more
than 45 ms early nor 125 ms late.

Pairing first finds the one lag that lines up the most events with onsets (a vote over every
event-onset pair within MAX_LAG_S), then pairs each event with the onset nearest to event + lag.
Bounces a few hundred milliseconds apart are then never paired with a neighbour's sound, even
when the whole track is shifted by more than half their spacing.

From the MP4 alone a single pair proves nothing: with a few sounds and a few motion peaks, some
lag always lines one of each up. Fewer than MIN_AGREEING_PAIRS pairs agreeing on the lag is
reported as insufficient evidence (no offsets, `in_sync` None) rather than as a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from worldreel.evaluate import audio_onsets
from worldreel.evaluate.audio_onsets import Onset

SOUND_EARLY_LIMIT_MS = 45.0  # ITU-R BT.1359-1: detectability threshold, sound before picture
SOUND_LATE_LIMIT_MS = 125.0  # ... and sound after picture
MAX_LAG_S = 0.5  # the largest shift searched for
TIE_EVENTS = 0.25  # vote scores this close are a tie
MIN_AGREEING_PAIRS = 2  # from the MP4 alone, fewer pairs on one lag is chance, not evidence


@dataclass(frozen=True)
class PairedOffset:
    picture_time_s: float  # visual event (from the frames) or contact event (from the sidecar)
    audio_time_s: float | None  # None: no sound found for it
    label: str

    @property
    def offset_ms(self) -> float | None:
        if self.audio_time_s is None:
            return None
        return 1000.0 * (self.audio_time_s - self.picture_time_s)

    def to_dict(self) -> dict:
        return {
            "picture_time_s": round(self.picture_time_s, 5),
            "audio_time_s": None if self.audio_time_s is None else round(self.audio_time_s, 5),
            "offset_ms": None if self.offset_ms is None else round(self.offset_ms, 3),
            "label": self.label,
        }


@dataclass(frozen=True)
class SyncResult:
    """Offsets of one pairing; `source` is "video" (measured from the MP4 alone) or "events"."""

    source: str
    lag_ms: float | None  # the shift the vote settled on
    pairs: list[PairedOffset] = field(default_factory=list)
    unpaired_onsets: int = 0
    # Too few pairs agreed on one lag: no offsets are reported (the pairs' sounds are None).
    insufficient_evidence: bool = False

    @property
    def offsets_ms(self) -> np.ndarray:
        return np.array([p.offset_ms for p in self.pairs if p.offset_ms is not None])

    @property
    def matched(self) -> int:
        return len(self.offsets_ms)

    @property
    def median_offset_ms(self) -> float | None:
        offsets = self.offsets_ms
        return float(np.median(offsets)) if len(offsets) else None

    @property
    def median_abs_offset_ms(self) -> float | None:
        offsets = self.offsets_ms
        return float(np.median(np.abs(offsets))) if len(offsets) else None

    @property
    def worst_offset_ms(self) -> float | None:
        """The offset furthest from zero, with its sign."""
        offsets = self.offsets_ms
        return float(offsets[np.argmax(np.abs(offsets))]) if len(offsets) else None

    @property
    def in_sync(self) -> bool | None:
        median = self.median_offset_ms
        return None if median is None else within_bt1359(median)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "lag_ms": _round(self.lag_ms, 3),
            "matched": self.matched,
            "unpaired_picture_events": len(self.pairs) - self.matched,
            "unpaired_onsets": self.unpaired_onsets,
            "median_offset_ms": _round(self.median_offset_ms, 3),
            "median_abs_offset_ms": _round(self.median_abs_offset_ms, 3),
            "worst_offset_ms": _round(self.worst_offset_ms, 3),
            "in_sync": self.in_sync,
            "insufficient_evidence": self.insufficient_evidence,
            "window_ms": [-SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS],
            "pairs": [p.to_dict() for p in self.pairs],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def within_bt1359(offset_ms: float) -> bool:
    """Whether an offset (positive = sound late) is below the detectability threshold."""
    return -SOUND_EARLY_LIMIT_MS <= offset_ms <= SOUND_LATE_LIMIT_MS


def _weights(strengths: np.ndarray | None, count: int) -> np.ndarray:
    """Relative strengths compressed to (0, 1] (square root), or all ones."""
    if strengths is None or count == 0:
        return np.ones(count)
    strengths = np.maximum(np.asarray(strengths, dtype=np.float64), 0.0)
    top = float(strengths.max())
    return np.sqrt(strengths / top) if top > 0 else np.ones(count)


def vote_lag(
    picture_s: np.ndarray,
    audio_s: np.ndarray,
    tolerance_s: float,
    picture_strength: np.ndarray | None = None,
    audio_strength: np.ndarray | None = None,
) -> float | None:
    """The lag (s) that lines up the most picture events with onsets: each event votes with a
    triangular kernel of half-width `tolerance_s` around its best onset, weighted by the two
    strengths, so a hard hit seen and heard outweighs flow noise next to a faint sound.
    Ties go to the smaller lag."""
    if len(picture_s) == 0 or len(audio_s) == 0:
        return None
    diffs = audio_s[None, :] - picture_s[:, None]
    candidates = diffs[np.abs(diffs) <= MAX_LAG_S]
    if len(candidates) == 0:
        return None
    weights = (
        _weights(picture_strength, len(picture_s))[:, None]
        * _weights(audio_strength, len(audio_s))[None, :]
    )
    best_lag, best_score = None, -1.0
    for lag in np.unique(candidates):
        kernel = np.maximum(0.0, 1.0 - np.abs(diffs - lag) / tolerance_s)
        score = float(np.sum(np.max(kernel * weights, axis=1)))
        # Lags explaining about as much tie (a quarter of an event is noise in the kernel),
        # and a tie goes to the smaller shift: small errors are the common ones.
        if score > best_score + TIE_EVENTS or (
            score >= best_score - TIE_EVENTS and abs(lag) < abs(best_lag)
        ):
            best_lag, best_score = float(lag), max(score, best_score)
    if best_score <= 0.0:
        return None
    # Settle the lag on the median of the pairs it explains (candidates are single pairs).
    residuals = diffs - best_lag
    nearest = np.abs(residuals).argmin(axis=1)
    explained = residuals[np.arange(len(picture_s)), nearest]
    explained = explained[np.abs(explained) <= tolerance_s]
    return best_lag + float(np.median(explained))


def pair_events(
    picture_s: list[float],
    labels: list[str],
    onsets: list[Onset],
    *,
    tolerance_s: float,
    source: str,
    picture_strength: list[float] | None = None,
) -> SyncResult:
    """Pair picture events with onsets at the voted lag; each onset is used at most once."""
    audio_s = np.array([o.time_s for o in onsets])
    picture = np.asarray(picture_s, dtype=np.float64)
    lag = vote_lag(
        picture,
        audio_s,
        tolerance_s,
        None if picture_strength is None else np.asarray(picture_strength),
        np.array([o.strength for o in onsets]),
    )
    used: set[int] = set()
    pairs = []
    for t, label in sorted(zip(picture, labels)):
        match = None
        if lag is not None and len(audio_s):
            distance = np.abs(audio_s - (t + lag))
            for j in np.argsort(distance):
                if distance[j] > tolerance_s:
                    break
                if j not in used:
                    match = int(j)
                    break
        if match is not None:
            used.add(match)
        pairs.append(
            PairedOffset(
                picture_time_s=float(t),
                label=label,
                audio_time_s=None if match is None else float(audio_s[match]),
            )
        )
    return SyncResult(
        source=source,
        lag_ms=None if lag is None else 1000.0 * lag,
        pairs=pairs,
        unpaired_onsets=len(onsets) - len(used),
    )


def sync_from_video(
    event_times_s: list[float],
    onsets: list[Onset],
    fps: float,
    event_strengths: list[float] | None = None,
) -> SyncResult:
    """Visual motion events against audio onsets. Events are timed to a fraction of a frame, so
    an onset more than 1.5 frames from event + lag belongs to something else. Fewer than
    MIN_AGREEING_PAIRS pairs on the voted lag is insufficient evidence."""
    result = pair_events(
        event_times_s,
        ["motion"] * len(event_times_s),
        onsets,
        tolerance_s=1.5 / fps,
        source="video",
        picture_strength=event_strengths,
    )
    if result.matched >= MIN_AGREEING_PAIRS:
        return result
    return SyncResult(
        source="video",
        lag_ms=None,
        pairs=[replace(p, audio_time_s=None) for p in result.pairs],
        unpaired_onsets=len(onsets),
        insufficient_evidence=True,
    )


EVENT_TOLERANCE_S = 0.012  # sidecar times are exact; the onset must peak this close after lag
EVENT_SEARCH_BEFORE_S = 0.004  # the refinement window around each contact's expected sound
EVENT_SEARCH_AFTER_S = 0.015  # (the peak of an impact follows its start within a few ms)


def sync_from_events(
    events: list, audio: np.ndarray, rate_hz: int, onsets: list[Onset]
) -> SyncResult:
    """Every contact event of the sidecar against the start of its own sound, to the sample.

    The lag is voted with the detected onsets; then each event's sound is located directly in
    the waveform just after event time + lag, so quiet contacts that the onset detector passed
    over are still measured."""
    times = np.array([e.time for e in events], dtype=np.float64)
    labels = [f"{e.kind} {e.body_a}/{e.body_b}" for e in events]
    # One vote per contact: sidecar times are exact, so the count of contacts a lag lines up
    # within EVENT_TOLERANCE_S is already decisive (weighting by impulse lets a few hard hits
    # of several bodies pair with each other's sounds).
    lag = vote_lag(times, np.array([o.time_s for o in onsets]), EVENT_TOLERANCE_S) or 0.0
    x = audio_onsets.mono(audio)
    env = audio_onsets.envelope(x, rate_hz)
    pairs = []
    found: list[float] = []
    for t, label in sorted(zip(times, labels)):
        expected = t + lag
        onset = audio_onsets.refine_onset(
            x, env, rate_hz, expected - EVENT_SEARCH_BEFORE_S, expected + EVENT_SEARCH_AFTER_S
        )
        audio_time = onset.time_s if onset is not None else None
        pairs.append(PairedOffset(picture_time_s=float(t), audio_time_s=audio_time, label=label))
        if audio_time is not None:
            found.append(audio_time)
    unpaired = sum(
        1 for o in onsets if not any(abs(o.time_s - f) <= EVENT_TOLERANCE_S for f in found)
    )
    return SyncResult(source="events", lag_ms=1000.0 * lag, pairs=pairs, unpaired_onsets=unpaired)
