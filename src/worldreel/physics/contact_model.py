"""Contact stiffness and damping that give each material its measured coefficient of restitution.

MuJoCo contacts are spring-dampers in acceleration space (solref = -stiffness, -damping). We fix
the stiffness from the physics step (natural frequency w0 = CONTACT_W0_PER_RATE * physics_rate, so
the contact is always resolved by several steps) and choose the damping per material. The map
from damping to restitution is *measured with MuJoCo itself* — a sphere dropped 1 m on a plane for a
grid of dampings — so discretisation and the solver's impedance are accounted for, and inverted by
interpolation. With direct (negative) solref MuJoCo combines two geoms element-wise by the
minimum, i.e. the larger damping wins: the restitution of a pair is that of its lossier material
(a basketball on sand is dead, on maple it keeps its own bounce). Material restitution is
therefore the coefficient against a rigid surface.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from worldreel.assets import MATERIALS
from worldreel.assets.mujoco_spec import ContactParams

CONTACT_W0_PER_RATE = 0.5  # w0 * dt: ~13 steps per contact period; stiff enough that a
# 5 m/s impact sinks in ~2 mm at 4800 Hz (v / w0); restitution from 0.05 to 0.98 at 4800 Hz
SOLIMP = (0.95, 0.95, 0.001, 0.5, 2.0)  # constant impedance: a linear spring-damper
_ZETA_GRID = np.concatenate([np.linspace(0.0, 0.3, 16), np.linspace(0.34, 1.0, 12),
                             np.linspace(1.2, 4.0, 8)])


def _stiffness(physics_rate: int) -> tuple[float, float]:
    w0 = CONTACT_W0_PER_RATE * physics_rate
    return w0 * w0, w0


def _measured_restitution(physics_rate: int, zeta: float) -> float:
    """Drop a sphere 1 m onto a plane with damping ratio `zeta`; return v_out / v_in."""
    import mujoco  # noqa: PLC0415

    k, w0 = _stiffness(physics_rate)
    spec = mujoco.MjSpec()
    spec.option.timestep = 1.0 / physics_rate
    spec.option.cone = mujoco.mjtCone.mjCONE_ELLIPTIC  # as in simulate: bounce independent of mu
    plane = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[2, 2, 0.1])
    body = spec.worldbody.add_body(pos=[0, 0, 1.1])
    body.add_freejoint()
    ball = body.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.1, 0, 0], mass=0.5)
    for geom in (plane, ball):
        geom.solref = [-k, -2.0 * zeta * w0]
        geom.solimp = list(SOLIMP)
        geom.condim = 3
    model = spec.compile()
    data = mujoco.MjData(model)
    v_in = None
    while data.time < 2.0:
        vz = float(data.qvel[2])
        mujoco.mj_step(model, data)
        if data.ncon and v_in is None:
            v_in = -vz
        elif v_in is not None and not data.ncon:
            return max(0.0, float(data.qvel[2]) / v_in)
    return 0.0  # never left the ground: fully inelastic


@lru_cache(maxsize=16)
def restitution_curve(physics_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(zeta grid, measured restitution) for this physics rate; restitution falls with zeta.

    The grid stops where restitution is lowest. Past that, about critical damping, the damper
    reverses the approach speed within one step (damping x step > 1) and the contact throws the
    body back out faster the more it damps: at 2400 Hz a damping ratio of 4 returned 3.2 times
    the impact speed. A material lossier than the lowest measured restitution (sand at 2400 Hz)
    gets the lossiest stable contact instead."""
    e = np.array([_measured_restitution(physics_rate, z) for z in _ZETA_GRID])
    lossiest = int(np.argmin(e)) + 1
    return _ZETA_GRID[:lossiest].copy(), np.minimum.accumulate(e[:lossiest])


def damping_ratio(restitution: float, physics_rate: int) -> float:
    """The damping ratio that gives `restitution` at this physics rate."""
    zeta, e = restitution_curve(physics_rate)
    # np.interp needs increasing x: walk the curve backwards.
    return float(np.interp(restitution, e[::-1], zeta[::-1]))


def restitution_of(zeta: float, physics_rate: int) -> float:
    """The restitution that damping ratio `zeta` gives at this physics rate."""
    grid, e = restitution_curve(physics_rate)
    return float(np.interp(zeta, grid, e))


def pair_restitution(material_a: str, material_b: str, physics_rate: int) -> float:
    """Restitution of a contact between two materials as MuJoCo will play it."""
    za = damping_ratio(MATERIALS[material_a].restitution, physics_rate)
    zb = damping_ratio(MATERIALS[material_b].restitution, physics_rate)
    return restitution_of(max(za, zb), physics_rate)


def contact_params(physics_rate: int) -> dict[str, ContactParams]:
    """solref/solimp for every material at this physics rate."""
    k, w0 = _stiffness(physics_rate)
    return {
        name: ContactParams(
            solref=(-k, -2.0 * damping_ratio(mat.restitution, physics_rate) * w0),
            solimp=SOLIMP,
        )
        for name, mat in MATERIALS.items()
    }
