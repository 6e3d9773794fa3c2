"""EvaluationError, and the lazy import of optional heavy libraries with a helpful message."""

from __future__ import annotations

import importlib
from types import ModuleType

from worldreel.errors import WorldReelError

_PIP_NAMES = {
    "cv2": "opencv-python-headless",
    "librosa": "librosa",
    "matplotlib": "matplotlib",
    "pyloudnorm": "pyloudnorm",
}


class EvaluationError(WorldReelError):
    """A clip cannot be evaluated (not a video, unreadable, a sidecar that does not parse...)."""


def require(module: str, purpose: str) -> ModuleType:
    """Import `module` now; if it is missing, say which package to install and what it is for."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = _PIP_NAMES.get(module.split(".")[0], module)
        raise EvaluationError(
            f"{purpose} needs {package}: pip install '{package}' (or worldreel[evaluate])"
        ) from err
