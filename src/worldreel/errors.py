"""Typed errors that carry what the user must change.

Every error a user can cause is one of these; the CLI prints its message in one or two lines and
exits non-zero, the server maps it to a 4xx.
"""


class WorldReelError(Exception):
    """Base class: the message says what to change."""


class SceneError(WorldReelError):
    """A Scene (file or object) is invalid; the message names the field path."""


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
