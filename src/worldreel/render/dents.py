"""Dents drawn: a vehicle's body panels crushed in where the Recording says it was hit.

A vehicle's body is built of boxes (assets.vehicles). From a dent's time on, every box of the
body reaching into the dent's patch (its width across the face, its height) is pulled back
behind the crush, and its outer face is drawn instead as a skin of small panels: flush with the
old face outside the patch, and inside it sunk into a dish as deep as the dent (flat-bottomed:
Campbell's crush is an average across the width, a flat front pushes a door in evenly), whose
walls slope back out over DENT_EDGE of its width and height. Each panel leans with the dish
and, where the metal was crushed, by a small random wrinkle (seeded), so the light breaks on
it as on crumpled sheet metal. The boxes are changed in the model in place (MuJoCo reads geom
sizes and positions every frame) and the panels are added to each frame's scene, so nothing
is rebuilt while the clip plays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.recording import DentEvent, Recording
from worldreel.rng import generator

BOX = 6  # mjGEOM_BOX
AXIS_ALIGNED = 1e-6  # quaternion tolerance of a box lying along the body's axes
SURFACE_M = 0.1  # a box whose outer face is this close to the body's skin is skin
DECAL_M = 0.01  # a box thinner than this (half) along the face...
DECAL_SPAN_M = 0.3  # ...and no larger (half) across is a lamp or a plate on it
PANEL_M = 0.09  # the size of one skin panel
PANEL_THICKNESS_M = 0.006
DENT_EDGE = 0.25  # share of the patch's half-width over which its walls slope out
EDGE_TOLERANCE_M = 0.02  # a patch's end this near a box's edge is at the edge
WRINKLE_RAD = 0.16  # crumpled panels lean up to this much at random (about 9 degrees)
SHUT_RAD = 0.02  # a door turned less than this (about 1 degree) is shut
SCUFF = 0.85  # crushed paint, creased and scraped, is darker at the dent's floor


@dataclass(frozen=True)
class _Panel:
    body: int
    geom: int  # the box it stands for (its id in segmentation)
    pos: np.ndarray  # body frame
    mat: np.ndarray  # (3, 3) body frame
    half: np.ndarray  # (3,)
    rgba: np.ndarray


def _ramp(x: float, lo: float, hi: float, edge: float) -> float:
    """1 well inside [lo, hi], 0 outside, a smooth slope `edge` wide inside each end (an end
    at +-inf: no slope there)."""
    inside = min(x - lo, hi - x) / max(edge, 1e-6)
    t = min(max(inside, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def _open_ends(lo: float, hi: float, box_lo: float, box_hi: float) -> tuple[float, float]:
    """The patch's ends on one box: an end at or past the box's own edge is no end at all (the
    crush runs through it: a front crushed its whole width shortens, it is not dished)."""
    return (lo if lo > box_lo + EDGE_TOLERANCE_M else -np.inf,
            hi if hi < box_hi - EDGE_TOLERANCE_M else np.inf)


def _frame(normal: np.ndarray, lean_u: float, lean_v: float, u: np.ndarray,
           v: np.ndarray) -> np.ndarray:
    """Rotation whose z is the panel's outward normal tilted by the given slopes along u, v."""
    z = normal + lean_u * u + lean_v * v
    z /= np.linalg.norm(z)
    x = u - np.dot(u, z) * z
    x /= np.linalg.norm(x)
    return np.column_stack([x, np.cross(z, x), z])


class DentPainter:
    """Applies a Recording's dents to a compiled MuJoCo model and draws their crushed skin."""

    def __init__(self, model, recording: Recording, seed: int = 0):
        self._dents = tuple(sorted(recording.dents, key=lambda d: d.time))
        self._seed = seed
        self._boxes: dict[str, list[int]] = {}
        # each box's body and where that body's frame lies in its vehicle's (a shut door's
        # hinge); positions below are all in the vehicle's frame
        self._owner: dict[int, tuple[int, np.ndarray]] = {}
        for entity in {d.entity for d in self._dents}:
            when = min(d.time for d in self._dents if d.entity == entity)
            self._boxes[entity] = []
            for body, offset in self._bodies(model, recording, entity, when):
                for g in range(model.ngeom):
                    if (model.geom_bodyid[g] == body and model.geom_type[g] == BOX
                            and model.geom_rgba[g, 3] > 0.0
                            and np.allclose(np.abs(model.geom_quat[g]), (1.0, 0.0, 0.0, 0.0),
                                            atol=AXIS_ALIGNED)):
                        self._boxes[entity].append(g)
                        self._owner[g] = (body, offset)
        self._original = {g: (model.geom_pos[g] + offset, model.geom_size[g].copy())
                          for g, (_, offset) in self._owner.items()}
        self._rgba = {g: model.geom_rgba[g].copy() for g in self._owner}
        self._applied = 0
        self._panels: list[_Panel] = []

    @staticmethod
    def _bodies(model, recording: Recording, entity: str, time: float):
        """The vehicle's body, and each of its doors that is shut when the dent is made (a
        door's skin is dented with the body under it), with its frame's place in the body's."""
        yield model.body(entity).id, np.zeros(3)
        sample = min(int(round(time * recording.sample_rate)), len(recording.times) - 1)
        k = recording.index(entity)
        w, x, y, z = recording.quaternions[sample, k]
        rotation = Rotation.from_quat([x, y, z, w])
        for n, name in enumerate(recording.entity_ids):
            if not name.startswith(entity + ".door_"):
                continue
            w, x, y, z = recording.quaternions[sample, n]
            if (rotation.inv() * Rotation.from_quat([x, y, z, w])).magnitude() > SHUT_RAD:
                continue  # open: out of the way of what hit the body
            offset = rotation.inv().apply(recording.positions[sample, n]
                                          - recording.positions[sample, k])
            yield model.body(name).id, offset

    def apply(self, model, time: float) -> None:
        """Set the model's boxes to how the dents made by `time` (s) left them."""
        count = sum(1 for d in self._dents if d.time <= time)
        if count == self._applied:
            return
        for g, (pos, size) in self._original.items():
            model.geom_pos[g], model.geom_size[g] = pos - self._owner[g][1], size
        self._panels = []
        for n, dent in enumerate(self._dents[:count]):
            self._panels += self._crush(model, dent, n)
        self._applied = count

    def draw(self, mujoco, data, scene) -> None:
        """Add the crushed skins' panels to a frame's mjvScene (after update_scene). They are
        solid body, not decoration: depth and segmentation see them, as the box they stand
        for."""
        for panel in self._panels:
            if scene.ngeom >= scene.maxgeom:
                return
            rotation = data.xmat[panel.body].reshape(3, 3)
            pos = data.xpos[panel.body] + rotation @ panel.pos
            geom = scene.geoms[scene.ngeom]
            mujoco.mjv_initGeom(geom, BOX, panel.half, pos, (rotation @ panel.mat).reshape(-1),
                                panel.rgba.astype(np.float32))
            geom.category = mujoco.mjtCatBit.mjCAT_DECOR
            geom.objtype, geom.objid = mujoco.mjtObj.mjOBJ_GEOM, panel.geom  # the box's own id
            scene.ngeom += 1

    def _crush(self, model, dent: DentEvent, index: int) -> list[_Panel]:
        normal = np.asarray(dent.normal, float)
        axis = int(np.argmax(np.abs(normal[:2])))  # 0: a front or rear, 1: a side
        sign = float(np.sign(normal[axis]))
        across = 1 - axis
        outward = np.zeros(3)
        outward[axis] = sign
        u = np.zeros(3)
        u[across] = 1.0
        v = np.array([0.0, 0.0, 1.0])
        centre = np.asarray(dent.point, float)
        lo_a, hi_a = centre[across] - 0.5 * dent.width, centre[across] + 0.5 * dent.width
        lo_z, hi_z = centre[2] - 0.5 * dent.height, centre[2] + 0.5 * dent.height
        hit = []
        for g in self._boxes[dent.entity]:
            pos, size = self._original[g]
            if (pos[across] + size[across] <= lo_a or pos[across] - size[across] >= hi_a
                    or pos[2] + size[2] <= lo_z or pos[2] - size[2] >= hi_z):
                continue
            hit.append(g)
        if not hit:
            return []
        skin = max(sign * self._original[g][0][axis] + self._original[g][1][axis] for g in hit)
        rng = generator(self._seed, f"dent:{dent.entity}:{index}")
        patch = (lo_a, hi_a, lo_z, hi_z)
        panels = []
        for g in hit:
            offset = self._owner[g][1]
            pos, size = model.geom_pos[g] + offset, model.geom_size[g].copy()
            outer = sign * self._original[g][0][axis] + self._original[g][1][axis]
            if size[axis] <= DECAL_M and max(size[across], size[2]) <= DECAL_SPAN_M:
                # a lamp or a plate: carried in on the panel under it
                pos[axis] -= sign * dent.depth * \
                    _ramp(pos[across], lo_a, hi_a, DENT_EDGE * 0.5 * (hi_a - lo_a)) * \
                    _ramp(pos[2], lo_z, hi_z, DENT_EDGE * 0.5 * (hi_z - lo_z))
                model.geom_pos[g] = pos - offset
                continue
            if outer >= skin - SURFACE_M:  # the skin: pushed in layer by layer, drawn crushed
                floor = outer - dent.depth - PANEL_THICKNESS_M
                panels += self._skin(dent, g, outer, floor, axis, across, outward, u, v,
                                     patch, rng)
            else:  # a box under the skin: flattened behind the crush
                floor = skin - dent.depth - PANEL_THICKNESS_M
            inner = min(sign * pos[axis] - size[axis], floor - 0.01)
            top = min(sign * pos[axis] + size[axis], floor)
            if top <= inner + 0.01 or sign * pos[axis] + size[axis] <= floor:
                continue
            pos[axis] = sign * 0.5 * (top + inner)
            size[axis] = 0.5 * (top - inner)
            model.geom_pos[g], model.geom_size[g] = pos - offset, size
        return panels

    def _skin(self, dent, g, outer, floor, axis, across, outward, u, v, patch, rng):
        """The panels that stand for box g's outer face, sunk where the dent is."""
        lo_a, hi_a, lo_z, hi_z = patch
        pos, size = self._original[g]
        body, offset = self._owner[g]
        rgba = self._rgba[g]
        a0, a1 = pos[across] - size[across], pos[across] + size[across]
        z0, z1 = pos[2] - size[2], pos[2] + size[2]
        nu = max(1, int(np.ceil((a1 - a0) / PANEL_M)))
        nv = max(1, int(np.ceil((z1 - z0) / PANEL_M)))
        du, dv = (a1 - a0) / nu, (z1 - z0) / nv
        step = 1e-3

        ends_a, ends_z = _open_ends(lo_a, hi_a, a0, a1), _open_ends(lo_z, hi_z, z0, z1)
        edge_a, edge_z = DENT_EDGE * 0.5 * (hi_a - lo_a), DENT_EDGE * 0.5 * (hi_z - lo_z)

        def sunk(a: float, z: float) -> float:
            return outer - dent.depth * _ramp(a, *ends_a, edge_a) * _ramp(z, *ends_z, edge_z)

        panels = []
        for i in range(nu):
            a = a0 + (i + 0.5) * du
            for j in range(nv):
                z = z0 + (j + 0.5) * dv
                face = sunk(a, z)
                lean_u = (sunk(a + step, z) - sunk(a - step, z)) / (2 * step)
                lean_v = (sunk(a, z + step) - sunk(a, z - step)) / (2 * step)
                crushed = outer - face > 1e-3
                if crushed:  # crumpled: each panel leans its own way
                    lean_u += float(rng.uniform(-WRINKLE_RAD, WRINKLE_RAD))
                    lean_v += float(rng.uniform(-WRINKLE_RAD, WRINKLE_RAD))
                # the face's height along the outward axis; the slope of the face leans the
                # panel's normal against it (d(face)/da > 0: the face comes out towards +a)
                mat = _frame(outward, -lean_u, -lean_v, u, v)
                centre = np.zeros(3)
                centre[across], centre[2] = a, z
                centre[axis] = outward[axis] * (face - PANEL_THICKNESS_M)
                shade = SCUFF if crushed else 1.0
                colour = np.array([*(rgba[:3] * shade), rgba[3]])
                # panels overlap a little so that leaning ones leave no cracks
                half = np.array([0.5 * du * 1.12, 0.5 * dv * 1.12, PANEL_THICKNESS_M])
                panels.append(_Panel(body, g, centre - offset, mat, half, colour))
            # the box's top, cut back with it, is closed by a lid out to the skin
            lid = sunk(a, z1)
            centre = np.zeros(3)
            centre[across], centre[2] = a, z1 - PANEL_THICKNESS_M
            centre[axis] = outward[axis] * 0.5 * (lid + floor)
            mat = np.column_stack([u, np.cross(v, u), v])
            half = np.array([0.5 * du * 1.02, 0.5 * (lid - floor), PANEL_THICKNESS_M])
            panels.append(_Panel(body, g, centre - offset, mat, half, rgba.copy()))
        return panels
