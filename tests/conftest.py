"""Shared fixtures for the end-to-end tests: tiny, short clips made once per session."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from worldreel.cli import main

TINY = ["--size", "160x96", "--quiet"]


def run_cli(*args: str):
    """Run the CLI in-process; returns click's Result (exit_code, output, stderr)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def bounce_clip(tmp_path_factory):
    """The canonical prompt rendered small: (path to clip.mp4, CLI result)."""
    out = tmp_path_factory.mktemp("bounce") / "clip.mp4"
    result = run_cli("generate", "a basketball bounces off the backboard and falls to the floor",
                     "-o", str(out), "--seconds", "3", *TINY)
    assert result.exit_code == 0, result.output
    return out, result
