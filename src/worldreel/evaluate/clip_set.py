"""A/V sync of a set of clips that share one offset: the output of one generator.

An offset between picture and sound that comes from a pipeline (an encoder's delay, audio placed
a frame late) is the same in every clip it makes. A clip with one or two impacts cannot show its
own offset from the MP4 alone: a single pair lines up on any lag, and two could by chance. Across
a set, the pairs add up: the lag voted by all clips together is judged against the chance that
all their events, scattered at random, line up as many pairs (sync.sync_of_set).

Each clip is still measured on its own; the set adds one offset for all, and for each clip the
pairs that agree with it. A clip whose own verdict disagrees with the set's is reported as such:
pooling assumes one offset, and a clip that breaks the assumption must not hide in the median.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from worldreel.evaluate.report import EvalReport, percent, rows_table
from worldreel.evaluate.sync import (
    MAX_CHANCE,
    OffsetFigures,
    SOUND_EARLY_LIMIT_MS,
    SOUND_LATE_LIMIT_MS,
    Streams,
    SyncResult,
    outside_window,
    streams,
    sync_of_set,
    within_bt1359,
)


@dataclass(frozen=True)
class SetSync(OffsetFigures):
    """One offset for every clip of a set, measured from the MP4s alone."""

    names: list[str]
    lag_ms: float | None  # None: no verdict (too few pairs agree across the set)
    chance: float | None
    source: str | None  # the picture events that paired best
    clips: list[SyncResult] = field(default_factory=list)  # each clip's pairs at the set's lag
    # Clips whose own verdict (from their own pairs) lies more than a frame off the set's.
    disagreeing: list[str] = field(default_factory=list)

    @property
    def insufficient_evidence(self) -> bool:
        return self.lag_ms is None

    @property
    def offsets_ms(self) -> np.ndarray:
        return np.concatenate([c.offsets_ms for c in self.clips] or [np.zeros(0)])

    @property
    def clips_paired(self) -> int:
        return sum(1 for c in self.clips if c.matched)

    @property
    def in_sync(self) -> bool | None:
        median = self.median_offset_ms
        if median is None:
            return None
        return within_bt1359(median) and not self.disagreeing

    def to_dict(self) -> dict:
        def rounded(value: float | None, digits: int = 3) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "clips": self.names,
            "lag_ms": rounded(self.lag_ms),
            "chance": rounded(self.chance, 4),
            "source": self.source,
            "matched": self.matched,
            "clips_paired": self.clips_paired,
            "median_offset_ms": rounded(self.median_offset_ms),
            "worst_offset_ms": rounded(self.worst_offset_ms),
            "in_sync": self.in_sync,
            "insufficient_evidence": self.insufficient_evidence,
            "disagreeing": self.disagreeing,
            "window_ms": [-SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS],
            "per_clip": {
                name: {
                    "matched": c.matched,
                    "median_offset_ms": rounded(c.median_offset_ms),
                    "pairs": [p.to_dict() for p in c.pairs if p.audio_time_s is not None],
                }
                for name, c in zip(self.names, self.clips)
            },
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """(metric, value, verdict) rows of the set's table."""
        title = f"A/V sync of the set ({len(self.names)} clips, one offset, from the MP4s)"
        if self.insufficient_evidence:
            chance = "" if self.chance is None else f" (chance {percent(self.chance)})"
            return [(title, f"insufficient evidence{chance}", "n/a")]
        rows = [(
            title,
            f"median {self.median_offset_ms:+.1f} ms, worst {self.worst_offset_ms:+.1f} ms "
            f"({self.matched} pairs in {self.clips_paired} clips, chance {percent(self.chance)})",
            _verdict(self),
        )]
        for name, clip in zip(self.names, self.clips):
            value = (
                f"{clip.matched} pair{'s' if clip.matched > 1 else ''}, "
                f"median {clip.median_offset_ms:+.1f} ms"
                if clip.matched
                else "no pairs at the set's offset"
            )
            verdict = "FAIL (its own offset differs)" if name in self.disagreeing else ""
            rows.append((f"  {name}", value, verdict))
        return rows

    def table(self):
        """A rich Table of the set's rows."""
        return rows_table("worldreel eval: the clips as one set", self.rows())


def _verdict(result: SetSync) -> str:
    if result.in_sync:
        return "ok"
    if result.disagreeing:
        return "FAIL (clips disagree)"
    return outside_window(result.median_offset_ms)


SURROGATES = 199  # sets of unrelated events the chance of a set's agreement is measured on


def set_sync(reports: list[EvalReport], rng: np.random.Generator | None = None) -> SetSync:
    """One offset for the clips of `reports` (those with sound), from their picture events and
    onsets; each source of picture events is tried across the whole set.

    The chance of the agreement is measured, not only estimated: the same search is run on
    SURROGATES sets whose picture events are scattered at random over each clip (as many as it
    has), and the chance is the share of them that agree at least as well. The Poisson estimate
    (sync.pooled_chance) misjudges sets of many clips with a few events each, where its choice
    of window after seeing the pairs matters most. `rng` makes that measurement repeatable; by
    default it is seeded with 0, so a set always gets the same figures."""
    heard = [r for r in reports if r.sync is not None and r.analysis is not None]
    names = [r.path for r in heard]  # as given: two folders may hold clips of one name
    if not heard:
        return SetSync(names=names, lag_ms=None, chance=None, source=None)
    sources = {
        source: [
            streams(
                [e.time_s for e in r.event_sources[source]],
                r.onsets,
                [e.strength for e in r.event_sources[source]],
                r.duration_s,
            )
            for r in heard
        ]
        for source in heard[0].event_sources
    }
    result = measured_set_sync(names, sources, heard[0].analysis.fps, rng)
    if result.insufficient_evidence:
        return result
    frame_ms = 1000.0 / heard[0].analysis.fps
    disagreeing = [
        name
        for name, report in zip(names, heard)
        if not report.sync.insufficient_evidence
        and abs(report.sync.median_offset_ms - result.median_offset_ms) > frame_ms
    ]
    return replace(result, disagreeing=disagreeing)


def measured_set_sync(
    names: list[str], sources: dict[str, list[Streams]], fps: float,
    rng: np.random.Generator | None = None,
) -> SetSync:
    """The set's verdict from each source's streams (one per clip, in `names` order), its
    chance measured on scattered surrogates (set_sync)."""
    best = _best_vote(sources, fps)
    if best is None:
        return SetSync(names=names, lag_ms=None, chance=None, source=None)
    source, lag, estimate, results = best
    rng = np.random.default_rng(0) if rng is None else rng
    as_good = 0
    for _ in range(SURROGATES):
        scattered = {
            name: [_scattered(clip, rng) for clip in clips] for name, clips in sources.items()
        }
        rival = _best_vote(scattered, fps)
        as_good += rival is not None and rival[2] <= estimate
    chance = (1 + as_good) / (1 + SURROGATES)
    if chance > MAX_CHANCE:
        return SetSync(names=names, lag_ms=None, chance=chance, source=None)
    return SetSync(names=names, lag_ms=1000.0 * lag, chance=chance, source=source,
                   clips=results)


def _best_vote(
    sources: dict[str, list[Streams]], fps: float
) -> tuple[str, float, float, list[SyncResult]] | None:
    """(source, lag s, estimated chance, per-clip results) of the source whose set verdict is
    least likely chance, or None when no source gives one."""
    best = None
    for source, clips in sources.items():
        lag, chance, results = sync_of_set(clips, fps, trials=len(sources))
        if lag is not None and (best is None or chance < best[2]):
            best = (source, lag, chance, results)
    return best


def _scattered(clip: Streams, rng: np.random.Generator) -> Streams:
    """The clip with its distinct picture events moved to random times in the clip."""
    times = np.sort(rng.uniform(0.0, clip.duration_s, len(clip.picture)))
    return replace(clip, picture=times,
                   event_times_s=[float(t) for t in times], seen=list(range(len(times))))
