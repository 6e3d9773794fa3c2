"""A/V sync: pair each visual event (or each contact event of the sidecar) with its sound.

Offsets are audio time minus picture time, so positive means the sound comes late. A clip is in
sync when the median offset lies inside the ITU-R BT.1359 detectability window: sound no more
than 45 ms early nor 125 ms late.

With the sidecar, contact times are exact: the lag that lines up the most contacts with onsets is
voted, and each contact's sound is then found in the waveform (`sync_from_events`).

From the MP4 alone (`sync_from_video`) the danger is a confident wrong answer. Inside a burst of
collisions (a wall knocked down, a strike of pins) there are a dozen sounds and a dozen motion
changes within a second or two, and some lag always lines several of them up by chance, often
more than the true lag does. So only distinct events are paired: a sound with no comparable sound
(at least half as strong) within ISOLATION_S, and the same for motion events. Their lag is voted
with a tolerance of half a frame, and a verdict needs at least MIN_AGREEING_PAIRS pairs agreeing,
more than on any other lag, and a small chance probability: the probability that events scattered
at random would line up as many pairs as tightly as they agree, on some lag within MAX_LAG_S (a
Poisson tail, times the number of lags tried). Otherwise the result is insufficient evidence,
with no offsets, rather than a wrong number.

Clips that share one offset (one generator's output) can be paired together (`sync_of_set`):
one lag for all of them, its chance estimated by the Poisson tail of all their events together
(evaluate.clip_set then measures that chance on sets of randomly scattered events).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from worldreel.evaluate import audio_onsets
from worldreel.evaluate.audio_onsets import Onset

SOUND_EARLY_LIMIT_MS = 45.0  # ITU-R BT.1359-1: detectability threshold, sound before picture
SOUND_LATE_LIMIT_MS = 125.0  # ... and sound after picture
MAX_LAG_S = 0.5  # the largest shift searched for
TIE_EVENTS = 0.25  # vote scores this close are a tie
MIN_AGREEING_PAIRS = 2  # from the MP4 alone, fewer pairs on one lag is chance, not evidence
ISOLATION_S = 0.15  # a distinct event has no comparable one this close in its own stream
COMPARABLE = 0.5  # ... comparable: at least this fraction of its strength
AMBIENCE_FRACTION = 0.05  # onsets weaker than this fraction of the loudest are the ambience bed
MAX_CHANCE = 0.05  # the largest chance probability of the agreement that still makes a verdict
SPREAD_FLOOR = 0.2  # of the half-frame tolerance: the tightest a visual event is ever timed


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


class OffsetFigures:
    """Summary figures of `offsets_ms` (audio minus picture, ms), which a subclass provides."""

    offsets_ms: np.ndarray

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


@dataclass(frozen=True)
class SyncResult(OffsetFigures):
    """Offsets of one pairing; `source` is "video" (measured from the MP4 alone) or "events"."""

    source: str
    lag_ms: float | None  # the shift the vote settled on
    pairs: list[PairedOffset] = field(default_factory=list)
    unpaired_onsets: int = 0
    # Too few pairs agreed on one lag: no offsets are reported (the pairs' sounds are None).
    insufficient_evidence: bool = False
    # From the MP4 alone: how likely chance alone lines up as many pairs on some lag.
    chance: float | None = None
    # A 95% interval of the offset (ms), where the method gives one (evaluate.av_offset).
    interval_ms: tuple[float, float] | None = None

    @property
    def offsets_ms(self) -> np.ndarray:
        return np.array([p.offset_ms for p in self.pairs if p.offset_ms is not None])

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
            "chance": _round(self.chance, 4),
            "interval_ms": None
            if self.interval_ms is None
            else [round(v, 1) for v in self.interval_ms],
            "window_ms": [-SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS],
            "pairs": [p.to_dict() for p in self.pairs],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def within_bt1359(offset_ms: float) -> bool:
    """Whether an offset (positive = sound late) is below the detectability threshold."""
    return -SOUND_EARLY_LIMIT_MS <= offset_ms <= SOUND_LATE_LIMIT_MS


def outside_window(median_offset_ms: float) -> str:
    """The verdict for an offset outside the BT.1359 window: which limit, which way."""
    late = median_offset_ms > 0
    limit = SOUND_LATE_LIMIT_MS if late else SOUND_EARLY_LIMIT_MS
    return f"FAIL (> {limit:.0f} ms {'late' if late else 'early'})"


def relative_weights(strengths: np.ndarray | None, count: int) -> np.ndarray:
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
        relative_weights(picture_strength, len(picture_s))[:, None]
        * relative_weights(audio_strength, len(audio_s))[None, :]
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


def distinct(times_s: list[float], strengths: list[float]) -> list[int]:
    """Indices of the events with no comparable event (COMPARABLE of their strength or more)
    within ISOLATION_S."""
    times, power = np.asarray(times_s, dtype=np.float64), np.asarray(strengths, dtype=np.float64)
    keep = []
    for i in range(len(times)):
        near = np.abs(times - times[i]) <= ISOLATION_S
        near[i] = False
        if not np.any(power[near] >= COMPARABLE * power[i]):
            keep.append(i)
    return keep


def _agreeing(picture: np.ndarray, audio: np.ndarray, lag: float, tolerance_s: float) -> list:
    """(picture index, audio index) pairs within tolerance of `lag`, each onset used once,
    nearest first."""
    candidates = sorted(
        (abs(audio[j] - picture[i] - lag), i, j)
        for i in range(len(picture))
        for j in range(len(audio))
        if abs(audio[j] - picture[i] - lag) <= tolerance_s
    )
    used_p: set[int] = set()
    used_a: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_a:
            used_p.add(i)
            used_a.add(j)
            pairs.append((i, j))
    return pairs


@dataclass(frozen=True)
class Streams:
    """One clip's events ready to pair: its distinct picture events and distinct sounds."""

    event_times_s: list[float]  # every picture event of the clip
    seen: list[int]  # indices of the distinct ones among them
    picture: np.ndarray  # their times
    audio: np.ndarray  # times of the distinct sounds above the ambience
    onset_count: int  # every onset of the clip
    duration_s: float


def streams(
    event_times_s: list[float],
    onsets: list[Onset],
    event_strengths: list[float] | None = None,
    duration_s: float | None = None,
    tolerance_s: float = 0.0,
) -> Streams:
    """The distinct events of both streams (module docstring). `duration_s` defaults to the span
    of the events and onsets."""
    strengths = list(event_strengths) if event_strengths is not None else [1.0] * len(event_times_s)
    loudest = max((o.strength for o in onsets), default=0.0)
    heard = [o for o in onsets if o.strength >= AMBIENCE_FRACTION * loudest]
    seen = distinct(event_times_s, strengths)
    heard = [heard[j] for j in distinct([o.time_s for o in heard], [o.strength for o in heard])]
    if duration_s is None:
        duration_s = float(max([*event_times_s, *(o.time_s for o in onsets), 0.0])) + tolerance_s
    return Streams(
        event_times_s=list(event_times_s),
        seen=seen,
        picture=np.array([event_times_s[i] for i in seen], dtype=np.float64),
        audio=np.array([o.time_s for o in heard], dtype=np.float64),
        onset_count=len(onsets),
        duration_s=duration_s,
    )


Pair = tuple[int, int, int]  # (clip, picture index, audio index)


def _agreeing_all(clips: list[Streams], lag: float, tolerance_s: float) -> list[Pair]:
    return [
        (c, i, j)
        for c, clip in enumerate(clips)
        for i, j in _agreeing(clip.picture, clip.audio, lag, tolerance_s)
    ]


def _residual(clips: list[Streams], pair: Pair) -> float:
    c, i, j = pair
    return float(clips[c].audio[j] - clips[c].picture[i])


def count_vote(
    clips: list[Streams], tolerance_s: float
) -> tuple[float, list[Pair], int] | None:
    """(lag, the (clip, picture, audio) index pairs agreeing on it, most pairs agreeing on any
    lag further than two tolerances away), one lag for every clip. Each candidate lag is one
    event-onset difference, settled on the median of the pairs it lines up; the most pairs win,
    then the smaller shift."""
    diffs = np.unique(
        np.concatenate([(c.audio[None, :] - c.picture[:, None]).ravel() for c in clips])
    )
    votes = []
    for lag in diffs[np.abs(diffs) <= MAX_LAG_S]:
        pairs = _agreeing_all(clips, float(lag), tolerance_s)
        settled = float(np.median([_residual(clips, p) for p in pairs]))
        again = _agreeing_all(clips, settled, tolerance_s)
        if len(again) >= len(pairs):
            lag, pairs = settled, again
        votes.append((float(lag), pairs))
    if not votes:
        return None
    lag, pairs = min(votes, key=lambda v: (-len(v[1]), abs(v[0])))
    rival = max((len(p) for other, p in votes if abs(other - lag) > 2 * tolerance_s), default=0)
    return lag, pairs, rival


def chance_probability(
    agreeing: int, n_picture: int, n_audio: int, tolerance_s: float, duration_s: float
) -> float:
    """The probability that n_picture and n_audio events scattered at random over duration_s
    line up `agreeing` pairs or more on some lag within MAX_LAG_S."""
    return pooled_chance(agreeing, [(n_picture, n_audio, duration_s)], tolerance_s)


def pooled_chance(
    agreeing: int, clips: list[tuple[int, int, float]], tolerance_s: float
) -> float:
    """The same for several clips, each (n_picture, n_audio, duration_s), sharing one lag."""
    expected = sum(
        n_picture * n_audio * 2.0 * tolerance_s / max(duration_s, 2.0 * tolerance_s)
        for n_picture, n_audio, duration_s in clips
    )
    below = sum(math.exp(-expected) * expected**k / math.factorial(k) for k in range(agreeing))
    on_one_lag = max(0.0, 1.0 - below)
    lags = max(1.0, MAX_LAG_S / tolerance_s)  # independent lags of width 2 x tolerance
    return float(1.0 - (1.0 - on_one_lag) ** lags)


def _vote(
    clips: list[Streams], tolerance_s: float, trials: int
) -> tuple[float | None, list[Pair], float | None]:
    """(lag, agreeing pairs, chance) of the clips' shared lag; the lag is None when the pairs
    are too few, do not beat every other lag, or could too easily be chance. `trials`: how many
    event lists of the same clips are being tried; the chance counts a lucky agreement on any."""
    usable = [c for c in clips if len(c.picture) and len(c.audio)]
    vote = count_vote(usable, tolerance_s) if usable else None
    if vote is None:
        return None, [], None
    lag, agreeing, rival = vote
    residuals = np.array([_residual(usable, p) for p in agreeing])
    # Pairs agreeing to a millisecond are far less likely by chance than pairs spread over the
    # whole half frame: chance is judged at the window the pairs actually fill.
    spread = float(np.max(np.abs(residuals - np.median(residuals))))
    window = max(spread, SPREAD_FLOOR * tolerance_s)
    sizes = [(len(c.picture), len(c.audio), c.duration_s) for c in usable]
    chance = pooled_chance(len(agreeing), sizes, window)
    chance = float(1.0 - (1.0 - chance) ** max(1, trials))
    count = len(agreeing)
    if count < MIN_AGREEING_PAIRS or count <= rival or chance > MAX_CHANCE:
        return None, [], chance
    index = {id(c): k for k, c in enumerate(clips)}
    return lag, [(index[id(usable[c])], i, j) for c, i, j in agreeing], chance


def _clip_result(
    clip: Streams, lag: float | None, pairs: list[tuple[int, int]], chance: float | None,
    source: str = "video",
) -> SyncResult:
    """A clip's SyncResult: every picture event, with its sound where it is one of `pairs`."""
    if lag is None:
        return SyncResult(
            source=source,
            lag_ms=None,
            pairs=[
                PairedOffset(picture_time_s=float(t), audio_time_s=None, label="motion")
                for t in sorted(clip.event_times_s)
            ],
            unpaired_onsets=clip.onset_count,
            insufficient_evidence=True,
            chance=chance,
        )
    sounds = {clip.seen[i]: float(clip.audio[j]) for i, j in pairs}
    order = sorted(range(len(clip.event_times_s)), key=lambda k: clip.event_times_s[k])
    return SyncResult(
        source=source,
        lag_ms=1000.0 * lag,
        pairs=[
            PairedOffset(
                picture_time_s=float(clip.event_times_s[k]),
                audio_time_s=sounds.get(k),
                label="motion" if k in clip.seen else "motion (in a burst: not paired)",
            )
            for k in order
        ],
        unpaired_onsets=clip.onset_count - len(sounds),
        chance=chance,
    )


def sync_from_video(
    event_times_s: list[float],
    onsets: list[Onset],
    fps: float,
    event_strengths: list[float] | None = None,
    duration_s: float | None = None,
    trials: int = 1,
) -> SyncResult:
    """Distinct visual motion events against distinct audio onsets (module docstring). Events
    are timed to a fraction of a frame, so pairs agree within half a frame. `duration_s`
    defaults to the span of the events and onsets. `trials`: how many event lists of the same
    clip are being tried; the chance counts a lucky agreement on any of them."""
    tolerance = 0.5 / fps
    clip = streams(event_times_s, onsets, event_strengths, duration_s, tolerance)
    lag, pairs, chance = _vote([clip], tolerance, trials)
    return _clip_result(clip, lag, [(i, j) for _, i, j in pairs], chance)


def sync_of_set(
    clips: list[Streams], fps: float, trials: int = 1
) -> tuple[float | None, float | None, list[SyncResult]]:
    """(lag s, chance, each clip's result at that lag) for clips that share one offset, such as
    the output of one generator: a systematic offset is the same in every clip, so pairs too few
    in each clip to tell from chance add up across them. The lag is None without a verdict."""
    tolerance = 0.5 / fps
    lag, pairs, chance = _vote(clips, tolerance, trials)
    return lag, chance, [
        _clip_result(
            clip, lag, [(i, j) for c, i, j in pairs if c == k], chance, source="set"
        )
        for k, clip in enumerate(clips)
    ]


EVENT_TOLERANCE_S = 0.012  # sidecar times are exact; the onset must peak this close after lag
EVENT_SEARCH_BEFORE_S = 0.004  # the refinement window around each contact's expected sound
EVENT_SEARCH_AFTER_S = 0.015  # (the peak of an impact follows its start within a few ms)
EVENT_VOTE_TOLERANCE_S = 0.002  # an impact's sound starts within this of its contact
COLLISION_S = 0.005  # impacts this close make one sound: one collision of several bodies


def collisions(events: list) -> tuple[np.ndarray, np.ndarray]:
    """(times, impulses) of the sidecar's impacts, those within COLLISION_S of the first of a
    run joined into one collision (a ball meeting a rack of pins is one sound)."""
    groups: list[list[float]] = []
    for event in sorted((e for e in events if e.kind == "impact"), key=lambda e: e.time):
        if groups and event.time - groups[-1][0] <= COLLISION_S:
            groups[-1][1] += event.impulse
        else:
            groups.append([event.time, event.impulse])
    data = np.array(groups, dtype=np.float64).reshape(-1, 2)
    return data[:, 0], data[:, 1]


def sync_from_events(
    events: list, audio: np.ndarray, rate_hz: int, onsets: list[Onset]
) -> SyncResult:
    """Every contact event of the sidecar against the start of its own sound, to the sample.

    The lag is voted by the collisions (impacts joined, weighted by impulse) against the
    detected onsets (weighted by loudness) within EVENT_VOTE_TOLERANCE_S: sidecar times are
    exact and an impact's sound starts on its sample, so a tight window leaves chance, even in
    a collapse of hundreds of contacts, no room. Then each contact's sound is located directly
    in the waveform just after event time + lag, so quiet contacts that the onset detector
    passed over are still measured."""
    times = np.array([e.time for e in events], dtype=np.float64)
    labels = [f"{e.kind} {e.body_a}/{e.body_b}" for e in events]
    hit_times, impulses = collisions(events)
    lag = (
        vote_lag(
            hit_times,
            np.array([o.time_s for o in onsets]),
            EVENT_VOTE_TOLERANCE_S,
            impulses,
            np.array([o.strength for o in onsets]),
        )
        or 0.0
    )
    x = audio_onsets.mono(audio)
    env = audio_onsets.envelope(x, rate_hz)
    pairs = []
    found: list[float] = []
    for t, label in sorted(zip(times, labels)):
        expected = t + lag
        onset = audio_onsets.refine_onset(
            x, env, rate_hz, expected - EVENT_SEARCH_BEFORE_S, expected + EVENT_SEARCH_AFTER_S
        )
        # A sound that started before the window is an earlier, louder one still ringing: this
        # contact's own sound is masked under it and is not measured.
        masked = onset is not None and onset.time_s < expected - EVENT_SEARCH_BEFORE_S
        audio_time = onset.time_s if onset is not None and not masked else None
        pairs.append(PairedOffset(picture_time_s=float(t), audio_time_s=audio_time, label=label))
        if audio_time is not None:
            found.append(audio_time)
    unpaired = sum(
        1 for o in onsets if not any(abs(o.time_s - f) <= EVENT_TOLERANCE_S for f in found)
    )
    return SyncResult(source="events", lag_ms=1000.0 * lag, pairs=pairs, unpaired_onsets=unpaired)
