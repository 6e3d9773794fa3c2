"""The `worldreel` command: generate, plan, render and eval. I/O only; the work is in pipeline.

Errors a user can cause are printed as one line on stderr with a non-zero exit status, and no
half-written output is left behind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from worldreel import __version__
from worldreel.errors import WorldReelError

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130
EXIT_OUT_OF_SYNC = 3


def _size(ctx, param, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    from worldreel.scene import check_size, parse_size  # noqa: PLC0415

    try:
        size = parse_size(value)
        check_size(*size)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return size


def _seconds(ctx, param, value: float | None) -> float | None:
    from worldreel.scene.models import MAX_DURATION_S  # noqa: PLC0415

    if value is not None and not (0 < value <= MAX_DURATION_S):
        raise click.BadParameter(f"{value:g} s is out of range; give 0 < seconds <= "
                                 f"{MAX_DURATION_S:g}")
    return value


def _aov(ctx, param, value: str | None) -> tuple[str, ...]:
    from worldreel.render.preview import AOVS  # noqa: PLC0415

    if not value:
        return ()
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in AOVS]
    if unknown or not names:
        raise click.BadParameter(f"{value!r}: choose from {', '.join(AOVS)} (comma-separated)")
    return names


def _common(func: Callable) -> Callable:
    """Options shared by every command that makes a clip or a Scene."""
    func = click.option("--seconds", type=float, callback=_seconds,
                        help="Clip length in seconds (default: chosen from the action).")(func)
    func = click.option("--size", callback=_size, metavar="WxH",
                        help="Frame size, even numbers, e.g. 1280x720.")(func)
    func = click.option("--fps", type=click.IntRange(1, 120), help="Frames per second.")(func)
    func = click.option("--seed", type=click.IntRange(0, 2**63 - 1),
                        help="Seed for every random choice.")(func)
    func = click.option("--quiet", "-q", is_flag=True, help="No progress bars.")(func)
    return func


def _play_options(func: Callable) -> Callable:
    """Options of the commands that make a clip (generate, render)."""
    func = click.option("--slow-motion", type=click.IntRange(1, 16), metavar="K",
                        help="Film the world K times slower than it plays (1-16).")(func)
    func = click.option("--quality", type=click.Choice(["preview", "high"]), default="preview",
                        show_default=True,
                        help="high: shadow maps, motion blur, depth of field (slower).")(func)
    func = click.option("--aov", callback=_aov, metavar="LIST",
                        help="Also write depth,segmentation image sequences into CLIP_aov/.")(func)
    func = click.option("--overwrite", "-y", is_flag=True,
                        help="Replace an existing clip and sidecars.")(func)
    func = click.option("--stems", type=click.Path(file_okay=False, path_type=Path),
                        help="Also write the sound stems as WAV files into this directory.")(func)
    func = click.option("--music", metavar="MOOD",
                        help="Add a short score (needs fluidsynth).")(func)
    return func


def _fail(message: str, code: int = EXIT_USER_ERROR) -> None:
    click.echo(f"worldreel: error: {message}", err=True)
    sys.exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except WorldReelError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)


@contextmanager
def _progress(quiet: bool):
    """A rich progress display on stderr, or nothing when quiet."""
    if quiet:
        yield None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    labels = {"simulate": "simulating", "sound": "sound", "render": "rendering + encoding"}
    with Progress(TextColumn("{task.description:<22}"), BarColumn(),
                  TextColumn("{task.percentage:>5.1f}%"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=False) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: float, total: float) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _warn(warnings: list[str]) -> None:
    for line in warnings:
        click.echo(f"worldreel: warning: {line}", err=True)


def _summary(clip, quiet: bool) -> None:
    if quiet:
        return
    impacts = len(clip.recording.impacts())
    click.echo(f"wrote {clip.path} ({clip.scene.width}x{clip.scene.height}, {clip.scene.fps} fps, "
               f"{clip.scene.duration:g} s, {impacts} impacts) + "
               + ", ".join(p.name for p in clip.sidecars.values()), err=True)


class _OneLineErrors(click.Group):
    """A command group whose usage errors are one line, like every other error here."""

    def main(self, args=None, prog_name=None, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().main(args, prog_name or "worldreel", **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help(), err=True)
            sys.exit(2)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "worldreel"
            _fail(f"{exc.format_message()} (see: {command} --help)", 2)
        except click.Abort:
            _fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="worldreel")
def main() -> None:
    """WorldReel: a sentence becomes a short film with synchronized sound, by simulation."""


@main.command()
@click.argument("prompt")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output .mp4 path.")
@_play_options
@_common
def generate(prompt: str, output: Path, music: str | None, stems: Path | None, overwrite: bool,
             aov: tuple[str, ...], quality: str, slow_motion: int | None, seconds: float | None,
             size, fps: int | None, seed: int | None, quiet: bool) -> None:
    """Make a clip with sound from a PROMPT."""
    from worldreel import pipeline  # noqa: PLC0415

    with _user_errors():
        options = pipeline.PlayOptions(music=music, stems_dir=stems, overwrite=overwrite, aov=aov,
                                       render=pipeline.RenderOptions.quality(quality))
        pipeline.check_output_path(output)
        pipeline.check_clip_outputs(output, overwrite=overwrite)
        planned = pipeline.plan(prompt, seconds=seconds, fps=fps or 24,
                                size=size or (1280, 720), seed=seed or 0,
                                slow_motion=slow_motion or 1)
        _warn(planned.warnings)
        with _progress(quiet) as update:
            clip = pipeline.play(planned.scene, output, options, update, planned.warnings)
        _warn(clip.warnings[len(planned.warnings):])  # what playing added (a voice fell back)
        _summary(clip, quiet)


@main.command()
@click.argument("prompt")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Scene here (.yaml) instead of standard output.")
@_common
def plan(prompt: str, output: Path | None, seconds: float | None, size, fps: int | None,
         seed: int | None, quiet: bool) -> None:
    """Print the Scene the director makes of PROMPT, as YAML."""
    from worldreel import pipeline  # noqa: PLC0415
    from worldreel.media import check_output_path, write_text_atomic  # noqa: PLC0415
    from worldreel.scene import scene_to_yaml  # noqa: PLC0415

    with _user_errors():
        if output is not None:
            check_output_path(output, (".yaml", ".yml"))
        planned = pipeline.plan(prompt, seconds=seconds, fps=fps or 24,
                                size=size or (1280, 720), seed=seed or 0)
        if not quiet:
            _warn(planned.warnings)
        text = scene_to_yaml(planned.scene)
        if output is None:
            click.echo(text, nl=False)
        else:
            write_text_atomic(output, text)


@main.command()
@click.argument("scene_file", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output .mp4 path.")
@_play_options
@_common
def render(scene_file: Path, output: Path, music: str | None, stems: Path | None, overwrite: bool,
           aov: tuple[str, ...], quality: str, slow_motion: int | None, seconds: float | None,
           size, fps: int | None, seed: int | None, quiet: bool) -> None:
    """Play a Scene file (YAML or JSON, e.g. from `worldreel plan`) into a clip."""
    from worldreel import pipeline  # noqa: PLC0415
    from worldreel.scene import load_scene  # noqa: PLC0415

    with _user_errors():
        options = pipeline.PlayOptions(music=music, stems_dir=stems, overwrite=overwrite,
                                       protected=(scene_file,), aov=aov,
                                       render=pipeline.RenderOptions.quality(quality))
        pipeline.check_output_path(output)
        pipeline.check_clip_outputs(output, overwrite=overwrite, protected=options.protected)
        scene = load_scene(scene_file)
        if slow_motion is not None and slow_motion != scene.slow_motion:
            scene = pipeline.in_slow_motion(scene, slow_motion)
        scene = pipeline.with_overrides(scene, seconds=seconds, fps=fps, size=size, seed=seed)
        with _progress(quiet) as update:
            clip = pipeline.play(scene, output, options, update)
        _warn(clip.warnings)
        _summary(clip, quiet)


@main.command(name="eval")
@click.argument("clips", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--recording", type=click.Path(path_type=Path),
              help="The clip's events sidecar (.events.json) or Recording (.recording.npz); "
                   "found beside the clip when not given. One clip only.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every metric (per-frame series included) as JSON here.")
@click.option("--plots", type=click.Path(file_okay=False, path_type=Path),
              help="Write PNG plots (onsets over motion energy, per-frame metrics) here; with "
                   "several clips, in a folder per clip.")
@click.option("--masks", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of per-frame instance-id PNGs to check identity continuity. "
                   "One clip only.")
@click.option("--strict", is_flag=True,
              help="Exit with status 3 when a clip, or the set of clips, is out of sync.")
@click.option("--quiet", "-q", is_flag=True, help="No table on the terminal.")
def evaluate(clips: tuple[Path, ...], recording: Path | None, json_out: Path | None,
             plots: Path | None, masks: Path | None, strict: bool, quiet: bool) -> None:
    """Measure A/V sync, flicker, smoothness, consistency, sharpness and loudness of any MP4.

    Several clips from one generator are also measured as a set: one A/V offset for all of
    them, from pairs that are too few in each clip alone."""
    import json  # noqa: PLC0415

    from worldreel.evaluate import evaluate_clip  # noqa: PLC0415
    from worldreel.evaluate.clip_set import set_sync  # noqa: PLC0415
    from worldreel.evaluate.evaluate import open_media  # noqa: PLC0415
    from worldreel.media import check_output_path, write_text_atomic  # noqa: PLC0415

    with _user_errors():
        if json_out is not None:
            check_output_path(json_out, (".json",))
        several = len(clips) > 1
        if several and (recording is not None or masks is not None):
            _fail("--recording and --masks name one clip's sidecars: give one clip with them "
                  "(sidecars beside each clip are found without them)")
        stems = [clip.stem for clip in clips]
        if several and plots is not None and len(set(stems)) < len(stems):
            twice = sorted({s for s in stems if stems.count(s) > 1})
            _fail(f"two clips are named {twice[0]!r}: their plots would share {plots / twice[0]}; "
                  "rename one, or leave out --plots")
        for clip in clips:  # every path is checked before the first clip's analysis
            open_media(clip)
        sidecar = {}
        if recording is not None:
            key = "recording_path" if recording.suffix == ".npz" else "events_path"
            sidecar[key] = recording
        reports = [
            evaluate_clip(clip, masks_dir=masks, **sidecar,
                          plots_dir=None if plots is None else (plots / clip.stem if several
                                                                else plots))
            for clip in clips
        ]
        together = set_sync(reports) if several else None
        if not quiet:
            from rich.console import Console  # noqa: PLC0415

            console = Console()
            for report in reports:
                report.render_table(console)
            if together is not None:
                console.print(together.table())
        if json_out is not None:
            data = (reports[0].to_dict() if not several else
                    {"clips": [r.to_dict() for r in reports], "set": together.to_dict()})
            write_text_atomic(json_out, json.dumps(data, indent=1) + "\n")
        out_of_sync = [r.path for r in reports if r.in_sync is False]
        if strict and together is not None and together.in_sync is False:
            out_of_sync.append("the set of clips")
        if strict and out_of_sync:
            _fail(f"out of sync: {', '.join(out_of_sync)} (see the A/V sync rows above)",
                  EXIT_OUT_OF_SYNC)


if __name__ == "__main__":  # pragma: no cover
    main()
