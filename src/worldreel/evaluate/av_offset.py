"""A/V offset from the MP4 alone on any footage: sounds against the moments motion stops.

An impact is heard when something moving is stopped or thrown back: a stick on a rail, a ball on
the floor, a hammer on a nail. So the picture's events here are *stops*: frames where the speed
of the motion (optical flow with the camera's own motion removed, evaluate.motion) drops. The
method, after the audio-visual sync literature (onset envelope against motion signals over a
lag range, localised, with surrogate statistics):

1. **Where.** The frame is cut into cells (evaluate.motion_cells). Each cell's speed drop is
   cross-correlated with the soundtrack's onset-strength envelope (librosa spectral flux) over
   every lag within MAX_LAG_S; cells are weighted by the square of their best correlation, so
   the drum the sticks hit counts and the drummer's swaying head does not. The weighted
   correlation over lag is kept: it is the plot a reader checks (`lag_curve`).
2. **When, to a fraction of a frame.** The weighted speed gives the stops. A thing moving at
   speed v that stops a fraction phi into the frame interval moves phi*v over it, so the stop is
   at t_k + phi * dt with phi = speed after / speed before. A frame is an exposure, not an
   instant: it shows the scene around the middle of its shutter time, taken as the 180-degree
   norm of filming (half the frame period), so picture times are timestamps plus a quarter
   frame, with a quarter frame of uncertainty either way (0 to 360 degrees).
3. **The lag** is the one that pairs the most stops with distinct sounds within TOLERANCE_FRAMES
   of a frame, settled on the median of its pairs; among lags pairing as many, the one where the
   correlation of step 1 is higher: in a regular rhythm every period lines up the beats, and only
   the irregular part of the motion tells the true lag from its aliases. If another lag further
   than two tolerances away still pairs as many and the correlation cannot tell them apart, the
   answer is ambiguous and none is given.
4. **Chance** is measured, not modelled: the vote is repeated on SURROGATES copies of the stops,
   each rotated by one random shift beyond the lags searched, wrapping round the clip's end
   (which keeps every stop, its strength and the rhythm, and breaks only their timing against
   the sound). Chance is the share of surrogates that pair as much weight as tightly. Shuffling
   the gaps between stops instead destroys the rhythm, and a rhythmic picture then lines up with
   a rhythmic soundtrack far more often than its surrogates do: a confident wrong answer.
5. **The interval** is a bootstrap over the pairs (95%), widened by the exposure's uncertainty.

Without MIN_PAIRS agreeing pairs, with a chance above MAX_CHANCE, or with an alias as good as the
winner, the result is insufficient evidence: abstaining is better than a confident wrong answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.evaluate.audio_onsets import Onset
from worldreel.evaluate.sync import (
    MAX_CHANCE,
    MAX_LAG_S,
    PairedOffset,
    SyncResult,
    relative_weights,
)

LAG_STEP_S = 0.002  # resolution of the correlation over lag
TOLERANCE_FRAMES = 1.0 / 3.0  # a stop and its sound agree within this many frames
MIN_TOLERANCE_S = 0.015  # ... and never tighter than this (high frame rates, onset jitter)
EXPOSURE_FRACTION = 0.25  # a frame shows its timestamp plus this many frame periods...
EXPOSURE_UNCERTAINTY = 0.25  # ... give or take this many (0 to 360 degree shutters)
MIN_PAIRS = 3  # fewer agreeing pairs is not evidence on real footage
SURROGATES = 199  # shuffled copies of the stops that measure chance (resolution 0.5%)
STOP_MIN_FRACTION = 0.15  # a stop brakes at least this fraction of the clip's hardest stop
ONSET_MIN_FRACTION = 0.1  # sounds weaker than this fraction of the loudest are ambience
CURVE_MARGIN = 0.05  # correlation by which a lag must beat an equally paired alias
ALIAS_FRACTION = 1.0  # an alias pairing as much weight as the winner is as good
BOOTSTRAP = 400
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Stop:
    time_s: float  # picture time of the stop (exposure midpoint)
    strength: float  # speed lost, px/frame, weighted by the cells


@dataclass(frozen=True)
class LagCurve:
    """The cell-weighted correlation of speed drops with the onset envelope, by lag."""

    lags_s: np.ndarray
    correlation: np.ndarray

    def near(self, lag_s: float, within_s: float) -> float:
        """The highest correlation within `within_s` of `lag_s`."""
        close = np.abs(self.lags_s - lag_s) <= within_s
        return float(self.correlation[close].max()) if np.any(close) else 0.0


def speed_drops(speed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(drops, valid): at frame k, how much slower each cell moves over (k, k+1) than over
    (k-1, k); `speed[k]` is the speed over (k-1, k). Frames next to an unmeasured speed (the
    first frame, a cut) are not valid."""
    measured = np.all(np.isfinite(speed), axis=1)
    speed = np.nan_to_num(speed)
    drops = np.zeros_like(speed)
    drops[:-1] = np.maximum(speed[:-1] - speed[1:], 0.0)
    valid = np.zeros(len(speed), dtype=bool)
    valid[:-1] = measured[:-1] & measured[1:]
    return drops, valid


def _standardised(values: np.ndarray, axis: int) -> np.ndarray:
    centred = values - values.mean(axis=axis, keepdims=True)
    spread = centred.std(axis=axis, keepdims=True)
    return centred / np.where(spread > 0, spread, 1.0)


def envelope_at_lags(
    envelope: np.ndarray, hop_s: float, times_s: np.ndarray, fps: float, lags_s: np.ndarray
) -> np.ndarray:
    """(lags, frames) onset strength at each frame time plus each lag, smoothed by a triangle
    one frame wide on each side: a sound anywhere between two frames counts for both, in
    proportion to how near it is."""
    half = max(1, int(round(1.0 / fps / hop_s)))
    kernel = np.bartlett(2 * half + 1)
    smooth = np.convolve(envelope, kernel / kernel.sum(), mode="same")
    hop_times = np.arange(len(smooth)) * hop_s
    at = times_s[None, :] + lags_s[:, None]
    return np.interp(at, hop_times, smooth, left=np.nan, right=np.nan)


def cell_correlations(drops: np.ndarray, valid: np.ndarray, heard: np.ndarray) -> np.ndarray:
    """(lags, cells) correlation of each cell's drops with the envelope at each lag, over the
    frames where both are defined."""
    usable = valid & np.all(np.isfinite(heard), axis=0)
    if usable.sum() < 3:
        return np.zeros((heard.shape[0], drops.shape[1]))
    sound = _standardised(heard[:, usable], axis=1)
    picture = _standardised(drops[usable], axis=0)
    return sound @ picture / usable.sum()


def weights_and_curve(
    correlations: np.ndarray, lags_s: np.ndarray
) -> tuple[np.ndarray, LagCurve]:
    """Cell weights (square of each cell's best positive correlation, summing to 1) and the
    weighted correlation over lag."""
    weights = np.maximum(correlations.max(axis=0), 0.0) ** 2
    if weights.sum() <= 0:
        return weights, LagCurve(lags_s, np.zeros(len(lags_s)))
    weights = weights / weights.sum()
    return weights, LagCurve(lags_s, correlations @ weights)


def find_stops(
    speed: np.ndarray, weights: np.ndarray, times_s: np.ndarray, fps: float
) -> list[Stop]:
    """Local maxima of the weighted speed drop, each timed inside its frame interval by the
    fraction of the interval the motion lasted (module docstring, step 2)."""
    drops, valid = speed_drops(speed)
    moving = np.nan_to_num(speed) @ weights
    lost = drops @ weights
    lost[~valid] = 0.0
    if len(lost) < 3 or lost.max() <= 0:
        return []
    threshold = STOP_MIN_FRACTION * lost.max()
    dt = 1.0 / fps
    stops = []
    for k in range(len(lost) - 1):
        if lost[k] < threshold or (k > 0 and lost[k] < lost[k - 1]) or lost[k] < lost[k + 1]:
            continue
        fraction = float(np.clip(moving[k + 1] / max(moving[k], 1e-9), 0.0, 1.0))
        time_s = times_s[k] + (fraction + EXPOSURE_FRACTION) * dt
        stops.append(Stop(time_s=float(time_s), strength=float(lost[k])))
    return stops


def heard_onsets(onsets: list[Onset]) -> tuple[np.ndarray, np.ndarray]:
    """(times, weights) of the onsets above the ambience."""
    loudest = max((o.strength for o in onsets), default=0.0)
    heard = [o for o in onsets if o.strength >= ONSET_MIN_FRACTION * loudest]
    strengths = np.array([o.strength for o in heard], dtype=float)
    times = np.array([o.time_s for o in heard], dtype=float)
    return times, relative_weights(strengths, len(heard))


def _scores_by_lag(
    picture: np.ndarray, picture_w: np.ndarray, audio: np.ndarray, audio_w: np.ndarray,
    lags_s: np.ndarray, tolerance_s: float,
) -> tuple[np.ndarray, np.ndarray]:
    """For each lag: (how many pairs it can line up, their weight): each stop with its
    strongest sound within tolerance, weighted by both strengths."""
    if not len(picture) or not len(audio):
        return np.zeros(len(lags_s)), np.zeros(len(lags_s))
    diffs = audio[None, :] - picture[:, None]  # (stops, sounds)
    near = np.abs(diffs[:, :, None] - lags_s[None, None, :]) <= tolerance_s
    counts = np.minimum(near.any(axis=1).sum(axis=0), near.any(axis=0).sum(axis=0))
    both = (picture_w[:, None] * audio_w[None, :])[:, :, None]
    weight = np.max(np.where(near, both, 0.0), axis=1).sum(axis=0)
    return counts.astype(float), weight


def pairs_at(
    picture: np.ndarray, audio: np.ndarray, lag_s: float, tolerance_s: float
) -> list[tuple[int, int]]:
    """(stop, sound) index pairs within tolerance of `lag_s`, each used once, nearest first."""
    residual = np.abs(audio[None, :] - picture[:, None] - lag_s)
    candidates = sorted(zip(*np.nonzero(residual <= tolerance_s)), key=lambda ij: residual[ij])
    used_p: set[int] = set()
    used_a: set[int] = set()
    pairs = []
    for i, j in candidates:
        if i not in used_p and j not in used_a:
            used_p.add(int(i))
            used_a.add(int(j))
            pairs.append((int(i), int(j)))
    return pairs


@dataclass(frozen=True)
class Vote:
    lag_s: float | None  # None: no lag pairs anything, or an alias is as good
    pairs: list[tuple[int, int]]
    score: float  # pairs, plus up to 0.5 for how tightly they agree (the surrogates' statistic)
    rival_lag_s: float | None  # the best lag further than two tolerances away


def vote(
    picture: np.ndarray, picture_w: np.ndarray, audio: np.ndarray, audio_w: np.ndarray,
    curve: LagCurve, tolerance_s: float,
) -> Vote:
    """The lag pairing the most stops with sounds, weighted by their strengths (module
    docstring, step 3)."""
    counts, weight = _scores_by_lag(picture, picture_w, audio, audio_w, curve.lags_s, tolerance_s)
    if counts.max(initial=0.0) < 1:
        return Vote(None, [], 0.0, None)
    top = weight.max()
    tied = np.flatnonzero(weight >= top - 1e-9)
    # Among the lags pairing as much, the correlation decides, then the smaller shift.
    best = max(tied, key=lambda i: (round(curve.correlation[i], 6), -abs(curve.lags_s[i])))
    lag = float(curve.lags_s[best])
    pairs = pairs_at(picture, audio, lag, tolerance_s)
    residuals = np.array([audio[j] - picture[i] for i, j in pairs])
    settled = float(np.median(residuals))
    again = pairs_at(picture, audio, settled, tolerance_s)
    if len(again) >= len(pairs):
        lag, pairs = settled, again
        residuals = np.array([audio[j] - picture[i] for i, j in pairs])
    spread = float(np.max(np.abs(residuals - np.median(residuals)))) if len(pairs) else 0.0
    paired_weight = float(sum(picture_w[i] * audio_w[j] for i, j in pairs))
    score = paired_weight * (1.0 + 0.5 * max(0.0, 1.0 - spread / tolerance_s))
    far = np.abs(curve.lags_s - lag) > 2.0 * tolerance_s
    rival_index = None
    if np.any(far):
        rival_index = int(np.argmax(np.where(far, weight, -1.0)))
    rival_lag = None if rival_index is None else float(curve.lags_s[rival_index])
    if rival_lag is not None and weight[rival_index] >= ALIAS_FRACTION * paired_weight:
        if curve.near(lag, tolerance_s) - curve.near(rival_lag, tolerance_s) < CURVE_MARGIN:
            return Vote(None, pairs, score, rival_lag)
    return Vote(lag, pairs, score, rival_lag)


@dataclass(frozen=True)
class PictureSignals:
    """What the picture gives the method: per-frame cell speeds and the frame times."""

    speed: np.ndarray  # (frames, cells), px/frame over (k-1, k); NaN where unmeasured
    times_s: np.ndarray
    fps: float


def stop_arrays(stops: list[Stop]) -> tuple[np.ndarray, np.ndarray]:
    """(times, relative weights) of the stops."""
    strengths = np.array([s.strength for s in stops], dtype=float)
    times = np.array([s.time_s for s in stops], dtype=float)
    return times, relative_weights(strengths, len(stops))


def rotated_stops(
    times_s: np.ndarray, duration_s: float, margin_s: float, rng: np.random.Generator
) -> np.ndarray:
    """A surrogate of the stops: all of them moved by one random shift, wrapping round the
    clip's end. It keeps the picture's stops, strengths and rhythm exactly and only breaks
    their timing against the sound; shifts within `margin_s` of none (lags the vote already
    tries) are not drawn."""
    shift = rng.uniform(margin_s, max(margin_s, duration_s - margin_s))
    return np.mod(times_s + shift, duration_s)


@dataclass(frozen=True)
class MotionSync:
    """The method's full answer: the SyncResult the report shows, with what it rests on."""

    result: SyncResult
    curve: LagCurve | None
    stops: list[Stop]
    reason: str  # why there is no verdict, or "" when there is one

    def to_dict(self) -> dict:
        """The stops, the reason, and the correlation over lag every 10 ms (for a plot)."""
        step = max(1, int(round(0.01 / LAG_STEP_S)))
        curve = self.curve
        return {
            "result": self.result.to_dict(),
            "reason": self.reason,
            "stops_s": [round(s.time_s, 4) for s in self.stops],
            "lag_curve": None
            if curve is None
            else {
                "lags_ms": [round(1000.0 * v, 1) for v in curve.lags_s[::step]],
                "correlation": [round(float(v), 4) for v in curve.correlation[::step]],
            },
        }


def sync_from_stops(
    picture: PictureSignals,
    envelope: np.ndarray,
    hop_s: float,
    onsets: list[Onset],
    rng: np.random.Generator,
) -> MotionSync:
    """The offset between the picture's stops and the sounds (module docstring)."""
    fps = picture.fps
    tolerance = max(TOLERANCE_FRAMES / fps, MIN_TOLERANCE_S)
    lags = np.arange(-MAX_LAG_S, MAX_LAG_S + LAG_STEP_S / 2, LAG_STEP_S)
    heard_env = envelope_at_lags(envelope, hop_s, picture.times_s, fps, lags)
    audio = heard_onsets(onsets)
    drops, valid = speed_drops(picture.speed)
    weights, curve = weights_and_curve(cell_correlations(drops, valid, heard_env), lags)
    stops = find_stops(picture.speed, weights, picture.times_s, fps)
    times, strengths = stop_arrays(stops)
    result = vote(times, strengths, *audio, curve, tolerance)
    duration = float(picture.times_s[-1] - picture.times_s[0]) + 1.0 / fps

    def abstain(reason: str, chance: float | None = None) -> MotionSync:
        return MotionSync(no_verdict(stops, chance, len(onsets)), curve, stops, reason)

    if len(result.pairs) < MIN_PAIRS:
        return abstain(
            f"{len(result.pairs)} of {len(stops)} motion stops line up with one of "
            f"{len(audio[0])} sounds on any lag; {MIN_PAIRS} are needed"
        )
    beaten = 0
    for _ in range(SURROGATES):
        fake = rotated_stops(times, duration, MAX_LAG_S + 2.0 * tolerance, rng)
        beaten += vote(fake, strengths, *audio, curve, tolerance).score >= result.score * (1 - 1e-9)
    chance = (1 + beaten) / (1 + SURROGATES)
    if result.lag_s is None:
        return abstain(
            f"the rhythm repeats: lags {1000 * result.rival_lag_s:+.0f} ms and others pair as "
            "many sounds with as much correlation",
            chance,
        )
    if chance > MAX_CHANCE:
        return abstain(
            f"{len(result.pairs)} pairs agree, but time-rotated copies of the stops pair as much "
            f"{chance:.0%} of the time",
            chance,
        )
    paired = {i: float(audio[0][j]) for i, j in result.pairs}
    residuals = np.array([paired[i] - times[i] for i in paired])
    medians = np.median(
        rng.choice(residuals, size=(BOOTSTRAP, len(residuals)), replace=True), axis=1
    )
    tail = 100.0 * (1.0 - CONFIDENCE) / 2.0
    exposure = EXPOSURE_UNCERTAINTY / fps
    low, high = np.percentile(medians, [tail, 100.0 - tail])
    sync = SyncResult(
        source="stops",
        lag_ms=1000.0 * result.lag_s,
        pairs=[
            PairedOffset(float(times[i]), paired.get(i), "motion stop") for i in range(len(stops))
        ],
        unpaired_onsets=len(onsets) - len(paired),
        chance=chance,
        interval_ms=(1000.0 * (low - exposure), 1000.0 * (high + exposure)),
    )
    return MotionSync(sync, curve, stops, "")


def no_verdict(stops: list[Stop], chance: float | None, onsets: int) -> SyncResult:
    """The stops as a result without an offset: too little evidence, or another timing of the
    same clip disagrees."""
    return SyncResult(
        source="stops", lag_ms=None, insufficient_evidence=True, chance=chance,
        pairs=[PairedOffset(s.time_s, None, "motion stop") for s in stops],
        unpaired_onsets=onsets,
    )


def abstained(found: MotionSync) -> SyncResult:
    """found's stops without a verdict (another timing disagrees with it)."""
    return no_verdict(
        found.stops, found.result.chance, found.result.unpaired_onsets + found.result.matched
    )


def picture_signals(analysis) -> PictureSignals | None:
    """The signals of a VideoAnalysis, or None when it has no cell speeds."""
    if analysis is None or analysis.cell_speed is None:
        return None
    return PictureSignals(analysis.cell_speed, analysis.times_s, analysis.fps)
