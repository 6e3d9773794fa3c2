"""Hardening: nothing a user made is replaced without --overwrite, a name is written by one run
at a time, and every failure is one line on stderr with a documented exit status, leaving no
new file and changing none."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.conftest import run_cli
from worldreel.cli import EXIT_INTERNAL, EXIT_USAGE, EXIT_USER_ERROR

PROMPT = "a ball drops"
TINY_SCENE = "duration: 0.5\nentities:\n- {id: ball, asset: basketball, position: [0, 0, 1]}\n"
ENV = {**os.environ, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder under `folder`, hidden ones included, with bytes and mtime."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes(),
                                         p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def refused(result_or_code, stderr: str, code: int, needle: str) -> str:
    assert result_or_code == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("worldreel: error: "), stderr
    assert needle in lines[0], lines[0]
    return lines[0]


def cli(*args: str, code: int = EXIT_USER_ERROR, needle: str = ""):
    result = run_cli(*args)
    return refused(result.exit_code, result.stderr, code, needle)


def cli_process(*args: str | bytes, env=None, **kwargs) -> subprocess.CompletedProcess:
    """The real command in a process of its own (for argv bytes, stdout, resource limits)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "worldreel", *args], env=env or ENV,
                          timeout=120, **kwargs)


@pytest.fixture
def clip_folder(tmp_path):
    """A folder holding a clip and its sidecars (contents do not matter to the checks)."""
    for name, data in {"c.mp4": b"the user's clip", "c.scene.yaml": b"scene: mine\n",
                       "c.events.json": b'{"events": []}\n',
                       "c.recording.npz": b"recording"}.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


# --- nothing replaced without --overwrite, and a clip's sidecars never by another output ------

@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_eval_json_never_replaces_the_clips_events_sidecar(clip_folder, overwrite):
    before = snapshot(clip_folder)
    cli("eval", str(clip_folder / "c.mp4"), "--json", str(clip_folder / "c.events.json"),
        "--quiet", *overwrite, needle="c.events.json belongs to the clip")
    assert snapshot(clip_folder) == before


@pytest.mark.parametrize("sidecar", ["c.scene.yaml", "c.events.json"])
def test_eval_json_never_replaces_another_clips_sidecar(clip_folder, tmp_path_factory, sidecar):
    other = tmp_path_factory.mktemp("other") / "o.mp4"
    other.write_bytes(b"x")
    before = snapshot(clip_folder)
    if sidecar.endswith(".json"):
        cli("eval", str(other), "--json", str(clip_folder / sidecar), "--overwrite",
            needle="belongs to the clip")
    else:
        cli("plan", PROMPT, "-o", str(clip_folder / sidecar), "--overwrite",
            needle="belongs to the clip")
    assert snapshot(clip_folder) == before


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_plan_never_replaces_a_clips_scene_sidecar(clip_folder, overwrite):
    before = snapshot(clip_folder)
    cli("plan", PROMPT, "-o", str(clip_folder / "c.scene.yaml"), *overwrite,
        needle="c.scene.yaml belongs to the clip")
    assert snapshot(clip_folder) == before


def test_plan_replaces_an_existing_file_only_with_overwrite(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("# my scene\n")
    before = snapshot(tmp_path)
    cli("plan", PROMPT, "-o", str(mine), needle="already exists; pass --overwrite")
    assert snapshot(tmp_path) == before
    result = run_cli("plan", PROMPT, "-o", str(mine), "--overwrite", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert mine.read_text().startswith("version:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_eval_json_replaces_an_existing_file_only_with_overwrite(clip_folder):
    metrics = clip_folder / "metrics.json"
    metrics.write_text('{"mine": 1}\n')
    before = snapshot(clip_folder)
    cli("eval", str(clip_folder / "c.mp4"), "--json", str(metrics), "--quiet",
        needle="metrics.json already exists; pass --overwrite")
    assert snapshot(clip_folder) == before


def test_stems_never_replace_existing_wavs_without_overwrite(tmp_path):
    stems = tmp_path / "stems"
    stems.mkdir()
    (stems / "mix.wav").write_bytes(b"RIFF my mix")
    before = snapshot(tmp_path)
    cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--stems", str(stems), "--quiet",
        needle="mix.wav already exists; pass --overwrite")
    assert snapshot(tmp_path) == before


def test_a_file_where_the_aov_folder_goes_is_refused_before_any_work(tmp_path):
    (tmp_path / "c_aov").write_bytes(b"not a folder")
    before = snapshot(tmp_path)
    cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--aov", "depth", "--overwrite",
        "--quiet", needle="c_aov is a file, where the folder c_aov/ would go")
    assert snapshot(tmp_path) == before


# --- one run per output name ------------------------------------------------------------------

HOLDER = """
import sys
from worldreel.media.files import reserve_output
with reserve_output(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_run_on_the_same_output_fails_at_once(tmp_path):
    """Another process is writing c.mp4: this run says so in one line, before any work."""
    out = tmp_path / "c.mp4"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = snapshot(tmp_path)
        for command in (["generate", PROMPT], ["render", str(tmp_path / "s.yaml")]):
            cli(*command, "-o", str(out), "--overwrite", "--quiet",
                needle="c.mp4 is being written by another run")
        assert snapshot(tmp_path) == before
    finally:
        holder.communicate("", timeout=30)
    assert holder.returncode == 0
    assert list(tmp_path.iterdir()) == [], "the reservation is removed when its run ends"


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    from worldreel.media.files import lock_name, reserve_output

    out = tmp_path / "c.mp4"
    stale = tmp_path / lock_name("c.mp4")
    stale.write_text("12345\n")  # a run killed with SIGKILL left it, unlocked
    with reserve_output(out):
        assert stale.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_reservation_is_released_when_the_run_fails(tmp_path):
    from worldreel.errors import OutputError
    from worldreel.media.files import reserve_output

    out = tmp_path / "c.mp4"
    with pytest.raises(OutputError), reserve_output(out):
        raise OutputError("failed")
    assert list(tmp_path.iterdir()) == []
    with reserve_output(out), reserve_output(out):  # the CLI, then the pipeline: one run
        pass


# --- one line instead of a traceback -----------------------------------------------------------

def test_a_full_disk_while_writing_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    import worldreel.pipeline as pipeline

    def disk_full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "save_recording", disk_full)
    scene = tmp_path / "s.yaml"
    scene.write_text(TINY_SCENE)
    before = snapshot(tmp_path)
    cli("render", str(scene), "-o", str(tmp_path / "c.mp4"), "--size", "64x64", "--quiet",
        needle="No space left on device; the disk is full")
    assert snapshot(tmp_path) == before


def test_a_file_size_limit_is_one_line_and_leaves_nothing(tmp_path):
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    before = snapshot(tmp_path)
    done = cli_process("plan", PROMPT, "-o", str(tmp_path / "s.yaml"), "--quiet",
                       preexec_fn=limit)
    refused(done.returncode, done.stderr.decode(), EXIT_USER_ERROR,
            "s.yaml: File too large; the file would be larger than this system allows")
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_plan_to_a_full_standard_output_is_one_line():
    with open("/dev/full", "wb") as full:
        done = cli_process("plan", PROMPT, stdout=full, stderr=subprocess.PIPE)
    refused(done.returncode, done.stderr.decode(), EXIT_USER_ERROR,
            "cannot write to standard output: No space left on device")


@pytest.mark.parametrize("command", ["generate", "plan"])
def test_a_prompt_that_is_not_utf8_is_one_line(tmp_path, command):
    output = ["-o", str(tmp_path / ("c.mp4" if command == "generate" else "s.yaml"))]
    done = cli_process(command, b"a ball \xff drops", *output, "--quiet")
    refused(done.returncode, done.stderr.decode(), EXIT_USER_ERROR,
            "the prompt is not valid UTF-8 (byte 0xff at character 8)")
    assert list(tmp_path.iterdir()) == []


def test_an_output_name_too_long_is_one_line(tmp_path):
    cli("generate", PROMPT, "-o", str(tmp_path / ("a" * 300 + ".mp4")), "--quiet",
        needle="the name is 304 bytes, longer than this folder allows")
    assert list(tmp_path.iterdir()) == []


def test_an_output_name_whose_sidecars_do_not_fit_is_refused_before_any_work(tmp_path):
    # 248 bytes fit, but "NAME.recording.npz" and the temporary names beside it do not.
    cli("generate", PROMPT, "-o", str(tmp_path / ("b" * 244 + ".mp4")), "--quiet",
        needle="WorldReel also writes")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_mujoco_gl_names_the_ones_that_work(tmp_path, monkeypatch):
    monkeypatch.setenv("MUJOCO_GL", "nonsense")
    scene = tmp_path / "s.yaml"
    scene.write_text(TINY_SCENE)
    before = snapshot(tmp_path)
    line = cli("render", str(scene), "-o", str(tmp_path / "c.mp4"), "--quiet",
               needle="MUJOCO_GL='nonsense'")
    assert "egl, osmesa or glfw" in line
    assert snapshot(tmp_path) == before


def test_mujoco_warnings_are_python_warnings_not_a_log_in_the_current_folder(tmp_path,
                                                                             monkeypatch):
    import mujoco

    from worldreel.errors import MuJoCoWarning, route_mujoco_messages

    monkeypatch.chdir(tmp_path)
    route_mujoco_messages()
    model = mujoco.MjModel.from_xml_string(
        "<mujoco><worldbody><body><freejoint/><geom size='.1'/></body></worldbody></mujoco>")
    data = mujoco.MjData(model)
    data.qpos[0] = float("nan")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mujoco.mj_step(model, data)
    assert any(issubclass(w.category, MuJoCoWarning) and "QPOS" in str(w.message)
               for w in caught)
    assert list(tmp_path.iterdir()) == [], "no MUJOCO_LOG.TXT"


def test_an_internal_error_is_one_line_with_its_own_status(tmp_path, monkeypatch):
    import worldreel.pipeline as pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "plan", broken)
    monkeypatch.delenv("WORLDREEL_TRACEBACK", raising=False)
    cli("plan", PROMPT, code=EXIT_INTERNAL,
        needle="internal error: ZeroDivisionError: division by zero")


def test_a_usage_error_is_status_2(tmp_path):
    cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--no-such-option", code=EXIT_USAGE,
        needle="No such option")
    assert list(tmp_path.iterdir()) == []


# --- messages that say what to change -----------------------------------------------------------

def test_too_short_in_slow_motion_is_said_in_the_users_seconds(tmp_path):
    line = cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--seconds", "2",
               "--slow-motion", "4", "--quiet", needle="a duration of 2 s is too short in 4x")
    assert "ask for at least 8 s" in line
    assert list(tmp_path.iterdir()) == []


def test_an_impossible_speed_names_the_speed_and_the_range():
    line = cli("plan", "a ball rolls at 1000000 km/h", needle="speed would be 277778 m/s")
    assert "at most 50 m/s" in line and "validation error" not in line


def test_an_output_with_no_name_before_the_suffix(tmp_path):
    cli("generate", PROMPT, "-o", str(tmp_path / ".mp4"), "--quiet",
        needle="needs a name before .mp4, such as")
    assert list(tmp_path.iterdir()) == []


def test_mujoco_warnings_are_said_after_success_and_not_beside_an_error(monkeypatch):
    """An unstable simulation fails with one line (MuJoCo's own warning about it would be a
    second); a run that succeeds says what MuJoCo warned, one line each, at the end."""
    import worldreel.pipeline as pipeline
    from worldreel.errors import MuJoCoWarning, PhysicsError

    real_plan = pipeline.plan

    def warned(fail: bool):
        def plan(*args, **kwargs):
            warnings.warn("MuJoCo: Nan, Inf or huge value in QACC", MuJoCoWarning, stacklevel=1)
            if fail:
                raise PhysicsError("the simulation became unstable at t=0.10 s")
            return real_plan(*args, **kwargs)
        return plan

    monkeypatch.setattr(pipeline, "plan", warned(True))
    cli("plan", PROMPT, needle="the simulation became unstable")
    monkeypatch.setattr(pipeline, "plan", warned(False))
    result = run_cli("plan", PROMPT, "--quiet")
    assert result.exit_code == 0
    assert result.stderr.strip() == "worldreel: warning: MuJoCo: Nan, Inf or huge value in QACC"
