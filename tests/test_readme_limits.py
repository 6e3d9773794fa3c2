"""The README's exit statuses and limits are the ones the code enforces (a user plans by them)."""

from __future__ import annotations

import re
from pathlib import Path

from worldreel import cli
from worldreel.scene import limits

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _row(label: str) -> str:
    match = re.search(rf"^\| {label} \| (.+) \|$", README, re.MULTILINE)
    assert match, f"the README's limits table has no {label!r} row"
    return match.group(1)


def test_every_exit_status_is_documented():
    table = re.findall(r"^\| ([0-9, ]+) \|", README, re.MULTILINE)
    documented = {int(code) for row in table for code in row.split(",")}
    statuses = {value for name, value in vars(cli).items() if name.startswith("EXIT_")}
    assert documented == statuses


def test_the_limits_table_says_the_codes_numbers():
    def n(value: float) -> str:
        return f"{value:,.0f}" if value >= 1000 else f"{value:g}"

    clip = _row("clip")
    assert f"{n(limits.MAX_DURATION_S)} s" in clip
    assert f"{limits.MIN_SIDE} to {limits.MAX_WIDTH}×{limits.MAX_HEIGHT}" in clip
    assert f"{limits.MAX_FPS} fps" in clip and f"{limits.MAX_SLOW_MOTION}×" in clip
    assert f"{n(limits.MAX_PROMPT_CHARS)} characters" in _row("prompt")
    scene = _row("Scene file")
    assert f"{limits.MAX_SCENE_FILE_BYTES >> 20} MiB" in scene
    assert f"nested {limits.MAX_NESTING_DEPTH} deep" in scene
    assert f"{n(limits.MAX_YAML_NODES)} YAML values" in scene
    counts = _row("counts")
    for value, what in [(limits.MAX_ENTITIES, "things"),
                        (limits.MAX_BODIES, "simulated bodies"), (limits.MAX_CHARACTERS, "people"),
                        (limits.MAX_SCRIPT_STEPS, "script steps"),
                        (limits.MAX_ACTIONS, "actions"), (limits.MAX_LINES, "lines"),
                        (limits.MAX_LINE_CHARS, "characters each"), (limits.MAX_SHOTS, "shots")]:
        assert f"{n(value)} {what}" in counts, what
    numbers = _row("numbers")
    assert f"within {n(limits.MAX_POSITION_M / 1000)} km" in numbers
    assert f"up to {n(limits.MAX_SPEED_M_S)} m/s" in numbers
    assert f"actions {n(limits.MAX_ACTION_SPEED_M_S)} m/s" in numbers
    assert f"spin {n(limits.MAX_ANGULAR_SPEED_RAD_S)} rad/s" in numbers
    assert f"{n(limits.MIN_MASS_KG * 1e6)} mg to {n(limits.MAX_MASS_KG / 1000)} t" in numbers
    assert f"scale {n(limits.MIN_SCALE)} to {n(limits.MAX_SCALE)}" in numbers
    assert f"gravity {n(limits.MAX_GRAVITY_M_S2)} m/s²" in numbers
    assert (f"physics {n(limits.MIN_PHYSICS_RATE)} to {n(limits.MAX_PHYSICS_RATE)} steps"
            in numbers)
