"""The `worldreel` command: generate, plan, render and eval. I/O only; the work is in pipeline.

Every failure leaves through one place (`_OneLineErrors.main`), which prints one line on stderr
and exits with one of the statuses below; no half-written output is left behind.

Exit statuses (the README's table):

    0    done
    1    what was asked cannot be done: a bad prompt or Scene, an output that may not be
         written (exists, too long a name, another run writing it), a full disk, no OpenGL...
    2    the command line itself: an unknown option, a malformed value, a missing argument
    3    eval --strict: a clip, or the set of clips, is out of sync
    70   an internal error (a bug): WORLDREEL_TRACEBACK=1 also prints the traceback
    130  interrupted (Ctrl-C); 143 terminated (SIGTERM)

Standard output closed early (`worldreel plan ... | head`) ends the command with 1, silently.
"""

from __future__ import annotations

import contextlib

import errno
import os
import re
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from worldreel import __version__
from worldreel.errors import (OutputError, PromptError, RenderError, SettingsError,
                              WorldReelError)
from worldreel.interrupts import deliver

if TYPE_CHECKING:
    from worldreel.director.llm import LLMSettings

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_OUT_OF_SYNC = 3
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

# What MuJoCo accepts in MUJOCO_GL on Linux (mujoco/rendering/classic/gl_context.py); the ones
# worth naming are egl (GPU, headless), osmesa (CPU, headless) and glfw (a desktop's window).
GL_NAMED = ("egl", "osmesa", "glfw")
GL_ACCEPTED = (*GL_NAMED, "", "glx", "enable", "enabled", "on", "true", "1", "disable",
               "disabled", "off", "false", "0")


def _checked(name: str):
    """A click callback checking one option as the request model takes it (one rule for the
    CLI and the server: pipeline.request)."""
    def check(ctx, param, value):
        if value is None:
            return None
        from worldreel.pipeline.request import checked_option  # noqa: PLC0415

        try:
            return checked_option(name, value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return check


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
    func = click.option("--seconds", type=float, callback=_checked("seconds"),
                        help="Clip length in seconds (default: chosen from the action).")(func)
    func = click.option("--size", callback=_checked("size"), metavar="WxH",
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
    func = click.option("--music", metavar="MOOD", callback=_checked("music"),
                        help="Add a short score (needs fluidsynth).")(func)
    return func


def _planner_options(func: Callable) -> Callable:
    """Options of the commands that plan a Scene from a prompt (generate, plan)."""
    func = click.option("--llm-timeout", type=float, metavar="SECONDS",
                        help="Seconds to wait for the language model's answer (default: "
                             "$WORLDREEL_LLM_TIMEOUT or 120).")(func)
    func = click.option("--llm-model", metavar="NAME",
                        help="The model the server runs (default: $WORLDREEL_LLM_MODEL).")(func)
    func = click.option("--llm-url", metavar="URL",
                        help="Base URL of an OpenAI-compatible server, e.g. "
                             "http://127.0.0.1:8080/v1 (default: $WORLDREEL_LLM_BASE_URL). "
                             "A key, if it needs one, only from $WORLDREEL_LLM_API_KEY (a "
                             "command line is visible to every user).")(func)
    func = click.option("--planner", type=click.Choice(["rules", "llm"]), default="rules",
                        show_default=True,
                        help="Who writes the Scene: the rule planner (no network), or a "
                             "language model on an OpenAI-compatible server (the rule planner "
                             "when it gives no valid Scene).")(func)
    return func


def _llm_settings(planner: str, url: str | None, model: str | None,
                  timeout: float | None) -> LLMSettings | None:
    """The language-model server's settings for --planner llm (None for rules), checked before
    any work, so a mistake is one line and no file."""
    given = [name for name, value in (("--llm-url", url), ("--llm-model", model),
                                      ("--llm-timeout", timeout)) if value is not None]
    ctx = click.get_current_context()
    if planner != "llm":
        if given:
            raise click.UsageError(f"{given[0]} is for --planner llm; add --planner llm or "
                                   "leave it out", ctx)
        return None
    from worldreel.director.llm import llm_settings  # noqa: PLC0415

    try:
        return llm_settings(base_url=url, model=model, timeout_s=timeout)
    except SettingsError as exc:
        raise click.UsageError(str(exc), ctx) from None


class _Failure(Exception):
    """A failure the CLI itself finds, with the status to exit with."""

    def __init__(self, message: str, code: int = EXIT_USER_ERROR):
        super().__init__(message)
        self.code = code


class _Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so temporary files and reservations are cleaned up."""


def _fail(message: str, code: int = EXIT_USER_ERROR) -> None:
    raise _Failure(message, code)


_TEMPORARY = re.compile(r"^\.(?P<stem>.+)\.[A-Za-z0-9_]{8}\.partial(?P<suffix>\.\w+)$")


def _os_error(exc: OSError) -> str:
    """One line for what the system refused: which file (its real name, not the temporary one
    it was being written under), why, and what to do."""
    name = exc.filename
    if isinstance(name, str | bytes | os.PathLike):
        name = Path(os.fsdecode(name))
        temporary = _TEMPORARY.match(name.name)
        if temporary:
            name = name.with_name(temporary["stem"] + temporary["suffix"])
    hints = {
        errno.ENOSPC: "the disk is full: free some space or write to another folder",
        errno.EDQUOT: "the disk quota is used up: free some space or write to another folder",
        errno.EFBIG: "the file would be larger than this system allows (ulimit -f or the file "
                     "system): make a shorter or smaller clip, or write to another folder",
        errno.ENAMETOOLONG: "choose a shorter name",
        errno.EROFS: "the file system is read-only: write to another folder",
        errno.EACCES: "check its permissions, or write to another folder",
    }
    writing = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
    subject = (f"cannot write {name}" if writing else str(name)) if name else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    text = ": ".join(part for part in (subject, reason) if part)
    hint = hints.get(exc.errno)
    return f"{text}; {hint}" if hint else text


def _exit_for(exc: BaseException) -> tuple[str | None, int]:
    """The one line to print for an error, and the status to exit with."""
    if isinstance(exc, click.UsageError):
        command = exc.ctx.command_path if exc.ctx else "worldreel"
        return f"{exc.format_message()} (see: {command} --help)", EXIT_USAGE
    if isinstance(exc, _Terminated) or signal.SIGTERM in _SIGNALLED:
        return "terminated", EXIT_TERMINATED
    if isinstance(exc, KeyboardInterrupt | click.Abort) or signal.SIGINT in _SIGNALLED:
        return "interrupted", EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        return None, EXIT_USER_ERROR  # `plan ... | head`: what was read was enough (as click)
    if isinstance(exc, _Failure):
        return str(exc), exc.code
    if isinstance(exc, click.ClickException):
        return exc.format_message(), exc.exit_code
    if isinstance(exc, WorldReelError):
        return str(exc), EXIT_USER_ERROR
    if isinstance(exc, OSError):
        return _os_error(exc), EXIT_USER_ERROR
    first = (str(exc).strip().splitlines() or [""])[0]
    return (f"internal error: {type(exc).__name__}: {first} (a bug in WorldReel; "
            "WORLDREEL_TRACEBACK=1 prints where)", EXIT_INTERNAL)


def _print_error(message: str) -> None:
    try:
        click.echo(f"worldreel: error: {message}", err=True)
    except OSError:
        pass  # stderr is gone too: the exit status is all that is left to say it


def _stdout_gone() -> None:
    """Standard output failed: point it at /dev/null so Python's last flush cannot fail again
    (which would print a second error)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture it)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _stdout_gone()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _to_stdout(text: str) -> None:
    try:
        click.echo(text, nl=False)
    except BrokenPipeError:
        raise
    except OSError as exc:
        _stdout_gone()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
    _flush_stdout()


_MUJOCO_SAID: list[str] = []  # MuJoCo's warnings of this command, said only if it succeeds
_SAID_IF_DONE: list[str] = []  # notes said only if the command succeeds (a failure is one line)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Python warnings in the CLI: one line each, like ours. MuJoCo's wait for the end: a
    failure's one line says what went wrong (an unstable simulation) without them."""
    from worldreel.errors import MuJoCoWarning  # noqa: PLC0415

    text = " ".join(str(message).split())
    if issubclass(category, MuJoCoWarning):
        if text not in _MUJOCO_SAID:
            _MUJOCO_SAID.append(text)
        return
    try:
        click.echo(f"worldreel: warning: {text}", err=True)
    except OSError:
        pass


_SIGNALLED: list[int] = []  # the signals that arrived while this command ran


@contextmanager
def _signals():
    """SIGTERM unwinds like Ctrl-C while a command runs (only the main thread may set it). Each
    signal is also noted: raised inside an import or a C extension, its exception can arrive
    wrapped in another one ("ImportError: initialization failed"), and it is still a signal."""
    def terminate() -> None:
        raise _Terminated()

    def interrupt() -> None:
        raise KeyboardInterrupt

    def terminated(signum, frame):
        _SIGNALLED.append(signum)
        deliver(terminate)  # now, or after a few lines that must not be cut (interrupts)

    def interrupted(signum, frame):
        _SIGNALLED.append(signum)
        deliver(interrupt)

    _SIGNALLED.clear()
    try:
        previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, terminated)}
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, interrupted)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _prompt_text(prompt: str) -> str:
    """The prompt, refused in one line when it is not valid UTF-8 (bytes the system could not
    decode arrive as lone surrogates)."""
    try:
        prompt.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = ord(prompt[exc.start])
        what = f"byte 0x{char - 0xDC00:02x}" if 0xDC80 <= char <= 0xDCFF else f"U+{char:04X}"
        raise PromptError(f"the prompt is not valid UTF-8 ({what} at character {exc.start + 1});"
                          " write it as UTF-8 text (check the terminal's encoding)") from None
    return prompt


def _mujoco_ready() -> None:
    """Before anything imports MuJoCo: a MUJOCO_GL it accepts, and its warnings routed to ours
    (not MUJOCO_LOG.TXT in the current folder)."""
    value = os.environ.get("MUJOCO_GL")
    if value is not None and value.strip().lower() not in GL_ACCEPTED:
        raise RenderError(f"MUJOCO_GL={value!r} is not an OpenGL backend MuJoCo knows; set it to "
                          f"{', '.join(GL_NAMED[:-1])} or {GL_NAMED[-1]}, or unset it to let "
                          "WorldReel choose")
    from worldreel.errors import route_mujoco_messages  # noqa: PLC0415

    route_mujoco_messages()


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

        try:
            yield update
        except BaseException:
            # A failure is its one line: a terminal's bars are erased, a file never gets them.
            bar.live.transient = True
            bar.console.quiet = not bar.console.is_terminal
            raise


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
    """The one exit path: every error, of every command, is one line and a documented status."""

    def main(self, args=None, prog_name=None, **kwargs):
        kwargs["standalone_mode"] = False
        code = EXIT_OK
        _MUJOCO_SAID.clear()
        _SAID_IF_DONE.clear()
        with warnings.catch_warnings(), _signals():
            warnings.showwarning = _show_warning
            try:
                result = super().main(args, prog_name or "worldreel", **kwargs)
                code = result if isinstance(result, int) else EXIT_OK
                _flush_stdout()  # a full or closed stdout is an error of this command
                _warn(_MUJOCO_SAID)
                _warn(_SAID_IF_DONE)
            except click.exceptions.NoArgsIsHelpError as exc:
                click.echo(exc.ctx.get_help(), err=True)
                code = EXIT_USAGE
            except SystemExit:
                raise
            except BaseException as exc:  # noqa: BLE001 - the one place errors become lines
                message, code = _exit_for(exc)
                if code == EXIT_INTERNAL and os.environ.get("WORLDREEL_TRACEBACK"):
                    traceback.print_exc()
                if isinstance(exc, BrokenPipeError):
                    _stdout_gone()
                if message is not None:
                    _print_error(message)
        sys.exit(code)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="worldreel")
def main() -> None:
    """WorldReel: a sentence becomes a short film with synchronized sound, by simulation."""


@main.command()
@click.argument("prompt")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output .mp4 path.")
@_planner_options
@_play_options
@_common
def generate(prompt: str, output: Path, music: str | None, stems: Path | None, overwrite: bool,
             aov: tuple[str, ...], quality: str, slow_motion: int | None, seconds: float | None,
             size, fps: int | None, seed: int | None, quiet: bool, planner: str,
             llm_url: str | None, llm_model: str | None, llm_timeout: float | None) -> None:
    """Make a clip with sound from a PROMPT."""
    prompt = _prompt_text(prompt)
    llm = _llm_settings(planner, llm_url, llm_model, llm_timeout)
    _mujoco_ready()
    from worldreel import pipeline  # noqa: PLC0415

    request = _request(prompt=prompt, seconds=seconds, size=size, fps=fps, seed=seed,
                       quality=quality, music=music, slow_motion=slow_motion)
    options = pipeline.PlayOptions(stems_dir=stems, overwrite=overwrite, aov=aov)
    _make(request, output, options, quiet, llm=llm)


def _request(**fields):
    """The request the options make (checked one by one already; together here)."""
    from worldreel.errors import RequestError  # noqa: PLC0415
    from worldreel.pipeline.request import make_request  # noqa: PLC0415

    try:
        return make_request(**{k: v for k, v in fields.items() if v is not None})
    except RequestError as exc:
        raise click.UsageError(str(exc)) from None


def _make(request, output: Path, options, quiet: bool, llm=None) -> None:
    """Make the request's clip with progress bars, then say what was made."""
    from worldreel import pipeline  # noqa: PLC0415

    with _progress(quiet) as update:
        clip = pipeline.make(request, output, options, update, llm=llm)
    _warn(clip.warnings)  # the director's and playing's, once done: a failure is one line
    _summary(clip, quiet)


@main.command()
@click.argument("prompt")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Scene here (.yaml; .json with --json) instead of standard output.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: the Scene, the grounding report (every word that matters: "
                   "grounded, substituted with what, or not shown, with its position) and the "
                   "warnings.")
@click.option("--overwrite", "-y", is_flag=True, help="Replace an existing file at --output.")
@_planner_options
@_common
def plan(prompt: str, output: Path | None, as_json: bool, overwrite: bool,
         seconds: float | None, size, fps: int | None, seed: int | None, quiet: bool,
         planner: str, llm_url: str | None, llm_model: str | None,
         llm_timeout: float | None) -> None:
    """Print the Scene the director makes of PROMPT, as YAML (or JSON with its grounding)."""
    prompt = _prompt_text(prompt)
    llm = _llm_settings(planner, llm_url, llm_model, llm_timeout)
    from worldreel import pipeline  # noqa: PLC0415
    from worldreel.media import check_output_path, write_text_atomic  # noqa: PLC0415
    from worldreel.media.files import check_outputs  # noqa: PLC0415
    from worldreel.media.orphans import clean_orphans  # noqa: PLC0415
    from worldreel.scene import scene_to_yaml  # noqa: PLC0415

    if output is not None:
        check_output_path(output, (".json",) if as_json else (".yaml", ".yml"))
        _SAID_IF_DONE.extend(clean_orphans([output.absolute().parent]))
        check_outputs([output], overwrite=overwrite)
    planned = pipeline.plan(prompt, seconds=seconds, fps=fps or 24,
                            size=size or (1280, 720), seed=seed or 0, llm=llm)
    text = scene_to_yaml(planned.scene)
    if as_json:
        import json  # noqa: PLC0415

        from worldreel.scene import scene_to_dict  # noqa: PLC0415

        text = json.dumps({"scene": scene_to_dict(planned.scene),
                           "grounding": [g.to_dict() for g in planned.grounding],
                           "warnings": planned.warnings}, indent=1, ensure_ascii=False) + "\n"
    if output is None:
        _to_stdout(text)
    else:
        write_text_atomic(output, text, overwrite=overwrite)
    if not quiet:  # once written: a failure is one line
        _warn(planned.warnings)


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
    _mujoco_ready()
    from worldreel import pipeline  # noqa: PLC0415
    from worldreel.media.files import reserve_output  # noqa: PLC0415
    from worldreel.scene import load_scene  # noqa: PLC0415

    options = pipeline.PlayOptions(stems_dir=stems, overwrite=overwrite, protected=(scene_file,),
                                   aov=aov)
    output = pipeline.check_play_outputs(output, options)  # a bad output before a bad Scene
    with reserve_output(output):  # another run writing there is said before the Scene is read
        request = _request(scene=load_scene(scene_file), seconds=seconds, size=size, fps=fps,
                           seed=seed, quality=quality, music=music, slow_motion=slow_motion)
        _make(request, output, options, quiet)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default: reachable from this machine "
                   "only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("worldreel-data"), show_default=True,
              help="Folder of the job store and the clips.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Clips made at once, each in its own process.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="URL",
              help="Let pages from this origin call the API (repeatable; off by default).")
@click.option("--no-studio", is_flag=True, help="Serve the API only, not the web studio at /.")
def serve(host: str, port: int, data_dir: Path, workers: int, cors_origins: tuple[str, ...],
          no_studio: bool) -> None:
    """Serve OpenAI's Videos API (/v1/videos) and the web studio (/) from this machine."""
    _mujoco_ready()
    try:
        import uvicorn  # noqa: PLC0415

        from worldreel.server import ServerSettings, create_app  # noqa: PLC0415
    except ImportError as exc:
        _fail(f"serving needs the serve extra ({exc.name} is missing): "
              "pip install 'worldreel[serve]'")
    settings = ServerSettings(data_dir=data_dir, workers=workers, cors_origins=cors_origins,
                              studio=not no_studio)
    with _serving_alone(data_dir, host, port):
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@contextlib.contextmanager
def _serving_alone(data_dir: Path, host: str, port: int):
    """Hold the data folder for this server only (a second one would take the first one's
    running jobs back as interrupted), and say a busy port in one line before anything starts."""
    import fcntl  # noqa: PLC0415
    import socket  # noqa: PLC0415

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
              "(or --host)")
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".server.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _fail(f"another server is using {data_dir}; stop it, or give this one its own --data")
        yield


@main.group()
def key() -> None:
    """API keys of a server's data folder (a server with keys asks every request for one)."""


@key.command(name="add")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("worldreel-data"), show_default=True)
@click.option("--name", default="", help="Who the key is for.")
@click.option("--max-seconds", type=click.FloatRange(0.1, 60), help="Longest clip it may ask.")
@click.option("--max-size", callback=_checked("size"), metavar="WxH",
              help="Largest frame it may ask (by pixel count).")
@click.option("--max-jobs", type=click.IntRange(1, 1000),
              help="Videos it may have queued or rendering at once.")
def key_add(data_dir: Path, name: str, max_seconds: float | None, max_size, max_jobs: int | None
            ) -> None:
    """Make a key and print it once (only its hash is stored)."""
    import secrets  # noqa: PLC0415

    from worldreel.jobs.store import JobStore  # noqa: PLC0415

    secret = "wr-" + secrets.token_urlsafe(32)
    JobStore(data_dir).add_key(secret, name=name, max_seconds=max_seconds,
                               max_pixels=max_size[0] * max_size[1] if max_size else None,
                               max_concurrent=max_jobs)
    _to_stdout(secret + "\n")


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
@click.option("--sync-model", type=click.Path(dir_okay=False, path_type=Path),
              help="A learned A/V sync model (a Synchformer-style offset classifier exported "
                   "to ONNX, your own weights) to score each clip as well; needs "
                   "pip install 'worldreel[evaluate,sync-model]'.")
@click.option("--strict", is_flag=True,
              help="Exit with status 3 when a clip, or the set of clips, is out of sync.")
@click.option("--overwrite", "-y", is_flag=True,
              help="Replace an existing --json file or plots.")
@click.option("--quiet", "-q", is_flag=True, help="No table on the terminal.")
def evaluate(clips: tuple[Path, ...], recording: Path | None, json_out: Path | None,
             plots: Path | None, masks: Path | None, sync_model: Path | None, strict: bool,
             overwrite: bool, quiet: bool) -> None:
    """Measure A/V sync, flicker, smoothness, consistency, sharpness and loudness of any MP4.

    Several clips from one generator are also measured as a set: one A/V offset for all of
    them, from pairs that are too few in each clip alone."""
    import json  # noqa: PLC0415

    from worldreel.evaluate import evaluate_clip  # noqa: PLC0415
    from worldreel.evaluate.clip_set import set_sync  # noqa: PLC0415
    from worldreel.evaluate.evaluate import open_media  # noqa: PLC0415
    from worldreel.media import check_output_path, sidecar_paths  # noqa: PLC0415
    from worldreel.media import write_text_atomic  # noqa: PLC0415
    from worldreel.media.files import check_outputs  # noqa: PLC0415
    from worldreel.media.orphans import clean_orphans  # noqa: PLC0415

    for clip in clips:
        if not clip.name:  # '', '.', '/': a folder, which has no sidecars to look for
            _fail(f"cannot evaluate {clip}: is a directory, not a media file")
    for path in [*clips, *([recording] if recording is not None else [])]:
        if path.exists() and not (path.is_file() or path.is_dir()):  # reading a pipe blocks
            _fail(f"cannot evaluate {path}: is not a regular file (a pipe, socket or device); "
                  "save it to a file and give its path")
    several = len(clips) > 1
    if several and (recording is not None or masks is not None):
        _fail("--recording and --masks name one clip's sidecars: give one clip with them "
              "(sidecars beside each clip are found without them)")
    stems = [clip.stem for clip in clips]
    if several and plots is not None and len(set(stems)) < len(stems):
        twice = sorted({s for s in stems if stems.count(s) > 1})
        _fail(f"two clips are named {twice[0]!r}: their plots would share {plots / twice[0]}; "
              "rename one, or leave out --plots")
    # What this run reads is never replaced; a clip's sidecars are never replaced by metrics.
    reads = [*clips, *(p for clip in clips for p in sidecar_paths(clip).values())]
    reads += [recording] if recording is not None else []
    if json_out is not None:
        check_output_path(json_out, (".json",))
        _SAID_IF_DONE.extend(clean_orphans([json_out.absolute().parent]))
        check_outputs([json_out], overwrite=overwrite, protected=reads)
    if plots is not None:
        from worldreel.evaluate.plots import FRAMES_PNG, LAG_PNG, SYNC_PNG  # noqa: PLC0415

        folders = [plots / clip.stem for clip in clips] if several else [plots]
        names = (SYNC_PNG, LAG_PNG, FRAMES_PNG)
        check_outputs([f / name for f in folders for name in names],
                      overwrite=overwrite, protected=reads)
    model = None
    if sync_model is not None:
        from worldreel.evaluate.learned_sync import SyncModel  # noqa: PLC0415

        model = SyncModel.load(sync_model)
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
    if model is not None:
        from worldreel.evaluate.learned_sync import learned_sync  # noqa: PLC0415

        for clip, report in zip(clips, reports):
            report.learned_sync = learned_sync(clip, model)
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
        write_text_atomic(json_out, json.dumps(data, indent=1) + "\n", overwrite=overwrite)
    out_of_sync = [r.path for r in reports if r.in_sync is False]
    if strict and together is not None and together.in_sync is False:
        out_of_sync.append("the set of clips")
    if strict and out_of_sync:
        _fail(f"out of sync: {', '.join(out_of_sync)} (see the A/V sync rows above)",
              EXIT_OUT_OF_SYNC)


if __name__ == "__main__":  # pragma: no cover
    main()
