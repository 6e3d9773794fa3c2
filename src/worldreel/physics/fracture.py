"""Breakage: a brittle entity breaks into its pre-fractured pieces when an impact is too hard.

A breakable entity is built as Voronoi pieces welded to its body (see assets.mujoco_spec). Each
step, every contact between one of its pieces and another owner is checked: when the closing speed
along the contact normal exceeds the material's breaking speed (materials table), its welds are
switched off in that same step, before the contact has pushed back. The pieces then carry on with
the velocities they had as parts of the whole (they inherit its momentum), and the contact that
broke it acts on the pieces that touch. Rubber, wood and metal have no breaking speed: they never
break.

A breaking speed is a drop onto something immovable (the floor, a fixed table). When a loose body
hits it instead, the blow is the energy of their relative motion, (1/2) mu v^2 with the reduced
mass mu = m M / (m + M): the same blow as a drop at v sqrt(M / (m + M)). So an apple (0.17 kg)
landing in a bowl (0.35 kg) at 4.4 m/s strikes it like a 2.5 m/s drop and the bowl survives, while
a bowling ball hits a glass with nearly its full speed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.assets.materials import material
from worldreel.assets.mujoco_spec import (GeomInfo, entity_is_breakable, entity_material,
                                          link_names)
from worldreel.scene import Scene


@dataclass(frozen=True)
class Break:
    """When and how an entity broke."""

    time: float
    entity: str
    speed: float  # closing speed of the impact that broke it, m/s
    point: tuple[float, float, float]
    other: str  # what it hit

    def to_dict(self) -> dict:
        return {"time": round(self.time, 6), "entity": self.entity, "speed": round(self.speed, 4),
                "point": [round(v, 5) for v in self.point], "other": self.other}


class FractureMonitor:
    """Watches the contacts of intact breakable entities and breaks them on a hard impact."""

    def __init__(self, model, scene: Scene, geoms: dict[str, GeomInfo]):
        self._owner = [geoms.get(model.geom(g).name) for g in range(model.ngeom)]
        self._intact: dict[str, tuple[list[int], float]] = {}
        for entity in scene.entities:
            if entity_is_breakable(entity):
                welds = [model.equality(f"{name}.weld").id
                         for name in link_names(entity, scene)]
                speed = material(entity_material(entity)).breaking_speed
                self._intact[entity.id] = (welds, float(speed))
        self._body = np.array(model.geom_bodyid)
        self._mass = _owner_masses(model, self._owner, scene)
        self._watch = np.array([info is not None and info.owner in self._intact
                                for info in self._owner])
        self._vel = np.zeros(6)
        self.breaks: list[Break] = []
        self.watching = bool(self._intact)  # False once every breakable has broken


    def check(self, mujoco, model, data, time: float) -> bool:
        """Break every intact entity hit harder than it can take; True if one broke."""
        broke = False
        hits = np.flatnonzero(self._watch[data.contact.geom1] | self._watch[data.contact.geom2])
        for i in hits.tolist():
            c = data.contact[i]
            a, b = self._owner[c.geom1], self._owner[c.geom2]
            if a is None or b is None or a.owner == b.owner:
                continue
            for mine, other in ((a, b), (b, a)):
                if mine.owner not in self._intact:
                    continue
                normal = np.array(c.frame[:3])
                closing = abs(float((self._velocity(mujoco, model, data, c.geom1)
                                     - self._velocity(mujoco, model, data, c.geom2)) @ normal))
                welds, limit = self._intact[mine.owner]
                if closing * self._blow(mine.owner, other.owner) > limit:
                    for eq in welds:
                        data.eq_active[eq] = 0
                    del self._intact[mine.owner]
                    self.watching = bool(self._intact)
                    self._watch = np.array([info is not None and info.owner in self._intact
                                            for info in self._owner])
                    self.breaks.append(Break(time, mine.owner, closing,
                                             tuple(float(v) for v in c.pos), other.owner))
                    broke = True
        return broke

    def _blow(self, mine: str, other: str) -> float:
        """The share of the closing speed that strikes as a drop would: sqrt(M / (m + M))."""
        m, big = self._mass.get(mine, 0.0), self._mass.get(other, np.inf)
        if not np.isfinite(big) or m <= 0.0:
            return 1.0
        return float(np.sqrt(big / (m + big)))

    def _velocity(self, mujoco, model, data, geom: int) -> np.ndarray:
        body = int(self._body[geom])
        if body == 0:
            return np.zeros(3)
        mujoco.mj_objectVelocity(model, data, mujoco.mjtObj.mjOBJ_BODY, body, self._vel, 0)
        return self._vel[3:].copy()


def _owner_masses(model, owners: list, scene: Scene) -> dict[str, float]:
    """kg of each loose entity (all its bodies: a breakable's welded pieces too); the floor, the
    set and fixed entities are left out (immovable: a blow against them is a drop)."""
    from worldreel.assets.mujoco_spec import entity_is_fixed  # noqa: PLC0415

    loose = {e.id for e in scene.entities if not entity_is_fixed(e, scene)}
    bodies: dict[str, set[int]] = {}
    for geom, info in enumerate(owners):
        if info is not None and info.owner in loose:
            bodies.setdefault(info.owner, set()).add(int(model.geom_bodyid[geom]))
    return {owner: float(sum(model.body_mass[b] for b in found if b != 0))
            for owner, found in bodies.items()}
