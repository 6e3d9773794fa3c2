"""Typed errors that carry what the user must change.

Every error a user can cause is one of these; the CLI prints its message in one or two lines and
exits non-zero, the server maps it to a 4xx.
"""

from __future__ import annotations

import math
import warnings


class WorldReelError(Exception):
    """Base class: the message says what to change."""


class SceneError(WorldReelError):
    """A Scene (file or object) is invalid; the message names the field path. `problems` holds
    (field path, what is wrong) pairs when the Scene's fields were checked."""

    problems: list[tuple[str, str]] = []


class PromptError(WorldReelError):
    """A prompt cannot be turned into a Scene."""


class PhysicsError(WorldReelError):
    """The simulation could not be built or became unstable."""


class RenderError(WorldReelError):
    """Frames could not be rendered (no OpenGL backend, bad size, ...)."""


class AudioError(WorldReelError):
    """The soundtrack could not be made."""


class MediaError(WorldReelError):
    """A media file could not be written or read."""


class OutputError(WorldReelError):
    """An output path cannot be written (missing directory, no permission, ...)."""


class SettingsError(WorldReelError):
    """A setting (a command-line option or an environment variable) is missing or malformed;
    the message names it and how to give it."""


class RequestError(WorldReelError):
    """A request (prompt or Scene with its options) is malformed; the message names each field
    and what to give instead."""


class DurationError(PromptError):
    """A clip too short for its story. Times inside are the world's; the message gives them in
    the clip's seconds, as the user asked for them (k times longer in k-times slow motion)."""

    def __init__(self, requested: float, last_start: float, slow_motion: int = 1):
        self.requested, self.last_start, self.slow_motion = requested, last_start, slow_motion
        k = slow_motion
        slowly = f" in {k}x slow motion" if k > 1 else ""
        at_least = math.ceil(last_start + 1.0 - 1e-9) * k  # a second of the world after it
        super().__init__(
            f"a duration of {requested * k:g} s is too short{slowly}: the last action starts "
            f"at {last_start * k:.1f} s; ask for at least {at_least:g} s"
        )

    def __reduce__(self):
        return DurationError, (self.requested, self.last_start, self.slow_motion)

    def slowed(self, factor: int) -> DurationError:
        """The same error for a story filmed `factor` times slower still."""
        return DurationError(self.requested, self.last_start, self.slow_motion * factor)


class MuJoCoWarning(UserWarning):
    """A warning MuJoCo gave (an unstable step, a full contact buffer, ...)."""


def route_mujoco_messages() -> None:
    """Send MuJoCo's warnings to Python's warnings (category MuJoCoWarning) instead of its
    console and a MUJOCO_LOG.TXT it would write into the user's current folder. Its errors
    already arrive as Python exceptions. Call it where MUJOCO_GL is settled: it imports mujoco."""
    import mujoco  # noqa: PLC0415

    config_type = getattr(mujoco, "MjLogConfig", None)
    if config_type is not None:  # MuJoCo >= 4: its own log file, off
        config = config_type.get()
        config.logto_file = False
        config.set()
    mujoco.set_mju_user_warning(_mujoco_warning)


def _mujoco_warning(message: str) -> None:
    warnings.warn(f"MuJoCo: {message.strip()}", MuJoCoWarning, stacklevel=2)
