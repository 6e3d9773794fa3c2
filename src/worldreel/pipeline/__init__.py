"""The one place that wires the stages: prompt -> Scene -> Recording -> frames + sound -> MP4.

Each stage is a function of its inputs; this module only passes data along, checks the output
path before any work, and reports progress.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

from worldreel.animation import animate, step_durations
from worldreel.assets import check_scene_assets
from worldreel.audio import make_soundtrack, write_stems
from worldreel.director import Plan, plan_scene
from worldreel.director.llm import LLMSettings, plan_with_llm
from worldreel.errors import DurationError, OutputError
from worldreel.media import (
    atomic_output,
    check_clip_outputs,
    check_output_path,
    encode_clip,
    events_document,
)
from worldreel.media.files import reserve_output
from worldreel.media.orphans import clean_orphans
from worldreel.media.sidecars import derived_names, sidecar_paths
from worldreel.media.staging import clip_unit
from worldreel.physics import PhysicsOptions, simulate
from worldreel.pipeline.request import DEFAULT_FPS, DEFAULT_SIZE, Request, make_request
from worldreel.recording import Recording, save_recording
from worldreel.render import Preview, RenderOptions, plan_camera, render_frames
from worldreel.render.aov import aov_folder
from worldreel.scene import NamedLook, Scene, scene_from_dict, scene_to_dict, scene_to_yaml
from worldreel.speech import speak
from worldreel.timeline import (StepDuration, check_times, fitted_to_story, in_slow_motion,
                                in_time, resolve_lines, resolve_scripts, scripts_end,
                                simulation_scene)

DEFAULT_PROMPT = "a basketball bounces off the backboard and falls to the floor"
DEFAULT_PHYSICS_RATE = 2400

# progress(stage, done, total): stage is "simulate", "sound", "render"
Progress = Callable[[str, float, float], None]


@dataclass(frozen=True)
class PlayOptions:
    """Everything about how a Scene is played that is not part of the Scene itself."""

    render: RenderOptions = RenderOptions()
    physics: PhysicsOptions = PhysicsOptions()
    stems_dir: Path | None = None
    overwrite: bool = False  # replace an existing clip and its sidecars
    protected: tuple[Path, ...] = ()  # files this run reads and must never replace
    keep_recording: bool = True
    encode_preset: str = "superfast"  # x264 preset: speed against file size at the same quality
    aov: tuple[str, ...] = ()  # extra image sequences into clip_aov/: "depth", "segmentation"


@dataclass(frozen=True)
class Clip:
    """What was made: the MP4, its sidecars, and the data behind them."""

    path: Path
    scene: Scene
    recording: Recording
    sidecars: dict[str, Path]
    warnings: list[str] = field(default_factory=list)


def with_overrides(scene: Scene, *, seconds: float | None = None, fps: int | None = None,
                   size: tuple[int, int] | None = None, seed: int | None = None) -> Scene:
    """The Scene with command-line overrides applied and validated again."""
    data = scene_to_dict(scene)
    if seconds is not None:
        data["duration"] = seconds
    if fps is not None:
        data["fps"] = fps
        # Every simulated sample must fall on a physics step.
        sample_rate = data["fps"] * data["slow_motion"]
        if data["physics_rate"] % sample_rate:
            data["physics_rate"] = sample_rate * math.ceil(DEFAULT_PHYSICS_RATE / sample_rate)
    if size is not None:
        data["resolution"] = list(size)
    if seed is not None:
        data["seed"] = seed
    return scene_from_dict(data, source="scene with options")


def clip_step_durations(scene: Scene) -> StepDuration:
    """How long each script step lasts on the clip's clock: as animated, or in a time-lapse k
    times shorter (the world's step, played k times faster)."""
    k = scene.time_lapse
    if k == 1:
        return step_durations(scene)
    world = simulation_scene(scene)
    natural, same = step_durations(world), {c.id: c for c in (*world.characters,
                                                              *world.animals)}
    return lambda character, index, start: natural(same[character.id], index, start * k) / k


def plan(prompt: str, *, seconds: float | None = None, fps: int = 24,
         size: tuple[int, int] = (1280, 720), seed: int = 0, slow_motion: int = 1,
         llm: LLMSettings | None = None, cast: tuple[NamedLook, ...] = ()) -> Plan:
    """Ground a prompt in a Scene (the director), validated against the asset registry.

    With slow motion k the story is planned at real speed and filmed k times slower; `seconds`
    stays the length of the clip. With `llm` the Scene is written by that language-model server
    (director.llm), the rule planner its fallback.
    """
    planner = partial(plan_scene, cast=cast) if llm is None else \
        partial(plan_with_llm, settings=llm)
    try:
        result = planner(prompt, duration=seconds / slow_motion if seconds else None,
                         fps=fps, resolution=size, seed=seed)
    except DurationError as exc:  # told in the clip's seconds, as they were asked for
        raise exc.slowed(slow_motion) from None
    check_scene_assets(result.scene)
    if result.scene.audio.dialogue or result.scene.characters or result.scene.animals:
        # The lines' real lengths (speech) and the steps' (animation) set the timing.
        spoken = speak(result.scene)
        durations = clip_step_durations(result.scene)
        scene = result.scene if seconds else fitted_to_story(result.scene, spoken, durations)
        resolve_lines(scene, spoken, durations)  # a fixed clip too short: refused now
        lengths = tuple(s.seconds for s in spoken.lines) or None
        resolve_scripts(scene, durations, lengths)
        end = scripts_end(scene, durations, lengths)
        if end > scene.duration + 1e-9:  # a fixed length that cuts the story: said, not hidden
            result = replace(result, warnings=[*result.warnings, (
                f"what the people do ends at {end * slow_motion:.2f} s, after the clip "
                f"({scene.duration * slow_motion:g} s): ask for at least "
                f"{math.ceil(end * slow_motion):g} s, or leave the length out")])
        result = replace(result, scene=scene)
    if slow_motion > 1:
        result = replace(result, scene=in_slow_motion(result.scene, slow_motion))
    return result


STEMS = ("foley", "ambience", "mix")  # always written by --stems; dialogue and music when made


def stem_files(options: PlayOptions, scene: Scene | None = None) -> tuple[Path, ...]:
    """The WAV files --stems writes (dialogue.wav only once the Scene is known to have lines)."""
    if options.stems_dir is None:
        return ()
    names = list(STEMS)
    if scene is not None and scene.audio.dialogue:
        names.append("dialogue")
    if scene is not None and scene.audio.music is not None:
        names.append("music")
    return tuple(Path(options.stems_dir) / f"{name}.wav" for name in names)


def check_play_outputs(output: str | Path, options: PlayOptions = PlayOptions(),
                       scene: Scene | None = None) -> Path:
    """Every file and folder playing into `output` writes, checked before any work: names the
    file system takes, nothing replaced without `overwrite`, never a file the run reads."""
    folders = (aov_folder(output),) if options.aov else ()
    output = check_output_path(output, derived=derived_names(output, folders))
    if options.stems_dir is not None:
        stems = Path(options.stems_dir)
        if stems.exists() and not stems.is_dir():
            raise OutputError(f"--stems {stems}: is a file; give a folder for the WAV stems")
        if not stems.exists() and not stems.absolute().parent.is_dir():
            raise OutputError(f"--stems {stems}: its parent folder does not exist; create it first")
    check_clip_outputs(output, overwrite=options.overwrite, protected=options.protected,
                       files=stem_files(options, scene),
                       folders=folders)
    return output


def output_folders(output: str | Path, options: PlayOptions = PlayOptions()) -> list[Path]:
    """The folders playing into `output` writes in (where runs killed there left their
    temporaries)."""
    folders = [Path(output).absolute().parent]
    if options.stems_dir is not None:
        folders.append(Path(options.stems_dir).absolute())
    return folders


def play(scene: Scene, output: str | Path, options: PlayOptions = PlayOptions(),
         progress: Progress | None = None, warnings: list[str] | None = None) -> Clip:
    """Simulate, render, sound and encode a Scene into `output` with its sidecars.

    Everything it writes is checked first, and `output` is reserved for this run (a second run
    writing the same name fails at once) until it returns or fails. What runs killed in these
    folders left behind is cleaned up first (said in the Clip's warnings)."""
    tidied = clean_orphans(output_folders(output, options))
    output = check_play_outputs(output, options, scene)
    with reserve_output(output):
        check_play_outputs(output, options, scene)  # written meanwhile, by a run now finished
        return _play(scene, output, options, progress, [*(warnings or []), *tidied])


def _play(scene: Scene, output: Path, options: PlayOptions, progress: Progress | None,
          warnings: list[str] | None) -> Clip:
    check_scene_assets(scene)
    speech = speak(scene)  # before the timeline: every line's real length
    warnings = [*(warnings or []), *speech.notes]
    lines = resolve_lines(scene, speech, clip_step_durations(scene))
    sim_scene = simulation_scene(scene)
    sim_lines = in_time(lines, scene.time_lapse / scene.slow_motion)
    lengths = tuple(t.end - t.start for t in sim_lines) or None
    # timing and script errors (a cycle, a seat out of reach) before any heavy work
    check_times(sim_scene, step_durations(sim_scene), lengths)
    report = progress or (lambda stage, done, total: None)

    # Everything the clip is made of is written into one staging folder and published together,
    # the MP4 last: a clip that can be seen always has its sidecars (media.staging).
    with clip_unit(output, overwrite=options.overwrite) as unit:
        render_options = options.render
        if options.aov:
            render_options = replace(render_options, aov=tuple(options.aov),
                                     aov_dir=unit.folder(aov_folder(output)))
        # The render workers start now, so their set-up overlaps simulation and sound.
        with Preview(scene, render_options) as preview:
            performances = animate(sim_scene, sim_lines)
            recording = simulate(sim_scene, options.physics,
                                 progress=lambda f: report("simulate", f, 1.0),
                                 performances=performances, lines=sim_lines)
            recording = recording.played_slower(scene.slow_motion, scene.fps)
            recording = recording.played_faster(scene.time_lapse)
            recording = recording.with_camera(plan_camera(scene, recording))
            report("sound", 0, 1)
            track = make_soundtrack(scene, recording, lines=lines)
            report("sound", 1, 1)
            frames = render_frames(scene, recording, render_options, warm=preview)
            total = scene.frame_count
            encode_clip(unit.file(output), frames, track.mix, fps=scene.fps,
                        size=scene.resolution, frame_count=total, preset=options.encode_preset,
                        progress=lambda n: report("render", n, total))
        events = [e.to_dict() for e in recording.events]
        heard = [asdict(span) for span in recording.speech]
        flocking = [{"flock": track.id, **asdict(event)} for track in recording.flocks
                    for event in track.events]
        sidecars = sidecar_paths(output)
        paths = {"scene": sidecars["scene"], "events": sidecars["events"]}
        unit.file(paths["scene"]).write_text(scene_to_yaml(scene), encoding="utf-8")
        unit.file(paths["events"]).write_text(
            events_document(scene.fps, scene.duration, events, heard, flocking,
                            [d.to_dict() for d in recording.dents],
                            [asdict(d) for d in recording.doors]),
            encoding="utf-8")
        if options.keep_recording:
            paths["recording"] = sidecars["recording"]
            save_recording(recording, unit.file(paths["recording"]))
        if options.stems_dir is not None:
            write_stems(track, options.stems_dir, staged=unit.file)
        if options.aov:
            paths["aov"] = aov_folder(output)
    return Clip(output, scene, recording, paths, warnings)


def with_music(scene: Scene, mood: str | None) -> Scene:
    """The Scene scored in `mood` (None keeps the Scene's own choice)."""
    if mood is None or mood == scene.audio.music:
        return scene
    data = scene_to_dict(scene)
    data["audio"]["music"] = mood
    return scene_from_dict(data, source="scene with music")


def request_plan(request: Request, *, llm: LLMSettings | None = None) -> Plan:
    """The Scene a request asks for: planned from its prompt, or its Scene with the request's
    options applied, scored as asked."""
    if request.scene is not None:
        scene = request.scene
        if request.slow_motion is not None and request.slow_motion != scene.slow_motion:
            scene = in_slow_motion(scene, request.slow_motion)
        scene = with_overrides(scene, seconds=request.seconds, fps=request.fps,
                               size=request.size, seed=request.seed)
        planned = Plan(scene=scene, warnings=[])
    else:
        planned = plan(request.prompt or "", seconds=request.seconds,
                       fps=request.fps or DEFAULT_FPS, size=request.size or DEFAULT_SIZE,
                       seed=request.seed or 0, slow_motion=request.slow_motion or 1, llm=llm,
                       cast=request.cast)
    return replace(planned, scene=with_music(planned.scene, request.music))


def request_options(request: Request, options: PlayOptions = PlayOptions()) -> PlayOptions:
    """How to play a request: `options` (what the surface decides: overwrite, stems...) at the
    request's quality."""
    return replace(options, render=replace(RenderOptions.quality(request.quality),
                                           workers=options.render.workers))


def make(request: Request, output: str | Path, options: PlayOptions = PlayOptions(),
         progress: Progress | None = None, llm: LLMSettings | None = None) -> Clip:
    """A request into a clip at `output`, rendered at the request's quality."""
    return _made(request, output, request_options(request, options), progress, llm)


def generate(prompt: str, output: str | Path, *, seconds: float | None = None, fps: int = 24,
             size: tuple[int, int] = (1280, 720), seed: int = 0, slow_motion: int = 1,
             options: PlayOptions = PlayOptions(), progress: Progress | None = None,
             llm: LLMSettings | None = None) -> Clip:
    """Prompt to clip: plan a Scene (with `llm`: by that language-model server), then play it."""
    request = make_request(prompt=prompt, seconds=seconds, fps=fps, size=size, seed=seed,
                           slow_motion=slow_motion)
    return _made(request, output, options, progress, llm)


def _made(request: Request, output: str | Path, options: PlayOptions,
          progress: Progress | None, llm: LLMSettings | None) -> Clip:
    """The request's clip with `options` as given: its outputs checked and reserved before any
    work, the Scene planned (or taken as given), then played."""
    tidied = clean_orphans(output_folders(output, options))
    output = check_play_outputs(output, options)
    with reserve_output(output):
        planned = request_plan(request, llm=llm)
        return play(planned.scene, output, options, progress, [*planned.warnings, *tidied])
