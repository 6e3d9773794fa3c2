"""Breakage: a brittle entity breaks into its pre-fractured pieces when an impact is too hard.

A breakable entity is built as Voronoi pieces welded to its body (see assets.mujoco_spec). Each
step, every contact between one of its pieces and another owner is checked: when the closing speed
along the contact normal exceeds the material's breaking speed (materials table), its welds are
switched off in that same step, before the contact has pushed back. The pieces then carry on with
the velocities they had as parts of the whole (they inherit its momentum), and the contact that
broke it acts on the pieces that touch. Rubber, wood and metal have no breaking speed: they never
break.
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
                if closing > limit:
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

    def _velocity(self, mujoco, model, data, geom: int) -> np.ndarray:
        body = int(self._body[geom])
        if body == 0:
            return np.zeros(3)
        mujoco.mj_objectVelocity(model, data, mujoco.mjtObj.mjOBJ_BODY, body, self._vel, 0)
        return self._vel[3:].copy()
