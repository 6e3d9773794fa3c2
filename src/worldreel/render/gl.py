"""Choosing a headless OpenGL backend for MuJoCo: EGL first, OSMesa as the fallback.

MuJoCo picks its GL backend when it is first imported, from MUJOCO_GL, so the choice is made by
probing in a child process and then applied in the render worker processes before they import
MuJoCo. A user's own MUJOCO_GL is respected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache

from worldreel.errors import RenderError

BACKENDS = ("egl", "osmesa")
_PROBE = """
import mujoco
spec = mujoco.MjSpec()
spec.worldbody.add_geom(size=[0.1, 0, 0])
model = spec.compile()
renderer = mujoco.Renderer(model, 32, 32)
renderer.update_scene(mujoco.MjData(model))
assert renderer.render().shape == (32, 32, 3)
"""


def probe_backend(name: str) -> str | None:
    """None if MuJoCo renders with this backend, else the reason it does not."""
    env = dict(os.environ, MUJOCO_GL=name, PYOPENGL_PLATFORM=name)
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                              text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "timed out"
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {done.returncode}"


@lru_cache(maxsize=1)
def gl_backend() -> str:
    """The headless backend to render with; RenderError saying what to install if none works."""
    chosen = os.environ.get("MUJOCO_GL", "").strip().lower()
    candidates = (chosen,) if chosen in BACKENDS else BACKENDS
    reasons = []
    for name in candidates:
        reason = probe_backend(name)
        if reason is None:
            return name
        reasons.append(f"{name}: {reason}")
    raise RenderError(
        "no headless OpenGL backend works (" + "; ".join(reasons) + "). Install the system "
        "packages in packaging/apt-packages.txt (libegl1, libosmesa6) or set MUJOCO_GL"
    )
