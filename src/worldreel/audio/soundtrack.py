"""The soundtrack of a clip: foley from the Recording's contacts, the ambience of the place,
optional music, mastered to the Scene's loudness; and writing its stems to disk.

This is the audio stage's one entry point. It reads the Scene and the Recording only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy.io import wavfile

from worldreel.assets import environment
from worldreel.audio.ambience import ambience_bed
from worldreel.audio.clock import SAMPLE_RATE, sample_count
from worldreel.audio.dialogue import render_dialogue
from worldreel.audio.ducking import DIALOGUE_DUCK_DB, duck
from worldreel.audio.foley import dc_blocked, render_foley
from worldreel.audio.master import master
from worldreel.audio.room import reverb
from worldreel.audio.aircraft import render_aircraft
from worldreel.audio.doors import render_doors
from worldreel.audio.trains import render_trains
from worldreel.audio.vehicles import Vehicles, render_vehicles
from worldreel.assets.transport import is_rail_or_air
from worldreel.audio.boats import render_boats, road_tracks
from worldreel.audio.wings import render_wings
from worldreel.assets.water import water_of
from worldreel.errors import AudioError, OutputError, SceneError
from worldreel.media.files import atomic_output
from worldreel.recording import Recording
from worldreel.rng import generator
from worldreel.scene import Scene
from worldreel.timeline import TimedLine

FOREGROUND_STEMS = ("foley", "dialogue", "music")


@dataclass(frozen=True)
class Soundtrack:
    """The mastered stereo mix and the pre-master stems it was made from.

    mix: (n, 2) float32, n = round(scene.duration * sample_rate), true peak <= -1 dBTP.
    stems: name -> (n, 2) float32 before the master (foreground stems are gained by
    meta["gain_db"] and the sum limited to make the mix; "ambience" goes in at its own level).
    """

    mix: np.ndarray
    stems: dict[str, np.ndarray]
    sample_rate: int = SAMPLE_RATE
    meta: dict = field(default_factory=dict)


def make_soundtrack(scene: Scene, recording: Recording, *,
                    lines: tuple[TimedLine, ...] = ()) -> Soundtrack:
    """Render the soundtrack of `scene` as played in `recording` (with a score when the Scene's
    audio.music names a mood).

    lines: the Scene's dialogue as spoken and timed (speech, timeline.resolve_lines).
    """
    n = sample_count(scene.duration)
    try:
        place = environment(scene.setting.environment)
    except SceneError as error:
        raise AudioError(str(error)) from None

    foley = render_foley(recording, scene.seed, n)
    # Driven vehicles (engine, tyres, brakes) belong with the foley: sounds the action makes.
    # Trains (audio.trains), aircraft (audio.aircraft) and boats (audio.boats: outboard, wake,
    # slaps and oars) read their own VehicleTracks; audio.vehicles the road vehicles'.
    road = replace(recording, vehicles=tuple(
        t for t in road_tracks(recording, scene)
        if t.id not in recording.entity_ids or not is_rail_or_air(scene.entity(t.id).asset)))
    vehicles = render_vehicles(road, scene.seed, n, wet=scene.setting.weather == "rain",
                               assets={e.id: e.asset for e in scene.entities})
    if recording.doors:  # doors opened and shut: sounds of the vehicles too
        doors = render_doors(recording, scene.seed, n)
        vehicles = Vehicles(vehicles.dry + doors.dry, vehicles.send + doors.send,
                            vehicles.count + doors.count)
    trains = render_trains(scene, recording, scene.seed, n)
    aircraft = render_aircraft(scene, recording, scene.seed, n)
    boats = render_boats(recording, scene, n)
    foley_stem = foley.dry + vehicles.dry + trains.dry + aircraft.dry + boats.dry
    if place.indoor and (foley.first_sample is not None or vehicles.count or boats.count):
        wet = reverb(foley.send + vehicles.send + trains.send + boats.send, place, recording,
                     generator(scene.seed, "audio.room"), scene.setting.floor_material)
        if wet is not None:
            if not vehicles.count and not boats.count:
                wet[: foley.first_sample] = 0.0  # FFT round-off before anything sounded
            foley_stem = foley_stem + wet
    flock_sounds = 0
    if recording.flocks:  # wingbeats, coos and splashes are foley too, placed like contacts
        water = water_of(scene.setting)
        wings, flock_sounds = render_wings(recording, scene.seed, n,
                                           None if water is None else water.level)
        foley_stem = foley_stem + wings
    foley_stem = dc_blocked(foley_stem)
    stems: dict[str, np.ndarray] = {"foley": foley_stem}
    dialogue = None
    if lines:
        voices = render_dialogue(lines, recording, n)
        dialogue = voices.dry
        if place.indoor and voices.source is not None:
            wet = reverb(voices.send, place, recording, generator(scene.seed, "audio.room.voices"),
                         scene.setting.floor_material, source=voices.source)
            if wet is not None:
                dialogue = dialogue + wet
        stems["dialogue"] = dialogue

    music = scene.audio.music
    if music is not None:
        from worldreel.audio.music import score  # noqa: PLC0415 - needs fluidsynth, only on request

        stems["music"] = score(music, scene.duration, generator(scene.seed, "audio.music"),
                               under=foley_stem)
        if dialogue is not None:
            stems["music"] = duck(stems["music"], dialogue, DIALOGUE_DUCK_DB)

    if scene.audio.ambience:
        bed = ambience_bed(place.ambience, n, scene.audio.ambience_level_db,
                           generator(scene.seed, "audio.ambience"),
                           weather=scene.setting.weather, indoor=place.indoor)
    else:
        bed = np.zeros((n, 2))
    if dialogue is not None:
        bed = duck(bed, dialogue, DIALOGUE_DUCK_DB)
    stems["ambience"] = bed

    foreground = sum(stems[name] for name in FOREGROUND_STEMS if name in stems)
    mastered = master(foreground, bed, scene.audio.loudness_lufs)
    meta = {
        "gain_db": round(float(mastered.gain_db), 3),
        "loudness_lufs": round(float(mastered.loudness_lufs), 3),
        "true_peak_dbtp": round(float(mastered.true_peak_dbtp), 3),
        "impacts": foley.impacts,
        "continuous": foley.continuous,
        "vehicles": vehicles.count,
        "trains": trains.count,
        "aircraft": aircraft.count,
        "boats": boats.count,
        "skipped_events": foley.skipped,
        "flock_sounds": flock_sounds,
        "environment": place.name,
        "ambience": place.ambience if scene.audio.ambience else None,
        "music": music,
        "dialogue_lines": len(lines),
    }
    return Soundtrack(
        mix=mastered.mix,
        stems={name: np.ascontiguousarray(stem, dtype=np.float32) for name, stem in stems.items()},
        sample_rate=SAMPLE_RATE,
        meta=meta,
    )


def write_stems(track: Soundtrack, directory: str | os.PathLike,
                staged: Callable[[Path], Path] | None = None) -> dict[str, Path]:
    """Write each stem, and the mix, as 32-bit float 48 kHz WAV files named <stem>.wav.

    Each file is written to a temporary name in the same directory and renamed into place, so a
    reader never sees a half-written file; or, with `staged`, where staged(final path) says (a
    clip's staging folder, published with the clip). Returns name -> final path.
    """
    folder = Path(directory)
    if staged is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"cannot create the stems directory {folder}: {error.strerror}"
                              ) from None
    written: dict[str, Path] = {}
    for name, audio in {**track.stems, "mix": track.mix}.items():
        target = folder / f"{name}.wav"
        samples = np.asarray(audio, dtype=np.float32)
        if staged is None:
            _write_wav_atomically(target, samples, track.sample_rate)
        else:
            wavfile.write(staged(target), track.sample_rate, samples)
        written[name] = target
    return written


def _write_wav_atomically(target: Path, audio: np.ndarray, rate: int) -> None:
    try:
        with atomic_output(target) as temp:
            wavfile.write(temp, rate, audio)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror}") from None
