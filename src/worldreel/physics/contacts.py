"""Contact events from MuJoCo's per-step contact list: impacts, and slide/roll spans.

Contacts are grouped by the pair of *owners* (entities, the floor, pieces of the environment), so a
ball touching several rim segments at once is one contact. A contact that starts with a closing
speed above IMPACT_MIN_SPEED is an impact; its time is interpolated inside the physics step from
the penetration and the closing speed, and its impulse is the normal force integrated over the
first IMPACT_WINDOW_S. While a contact lasts, each step is classified as sliding (the surfaces slip
past each other), rolling (no slip, but the body moves) or resting, and runs of sliding or rolling
longer than MIN_SPAN_S become slide / roll events, each with an envelope of its speed and normal
force over time (ContactEvent.envelope) so scraping and rolling sounds can swell and fade.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from worldreel.assets.mujoco_spec import GeomInfo
from worldreel.recording import ContactEvent

IMPACT_MIN_SPEED = 0.05  # m/s closing speed; below this a touch is a gentle settle
IMPACT_WINDOW_S = 0.03  # impulses are integrated over at most this long
SLIP_MIN_SPEED = 0.04  # m/s tangential slip that counts as sliding
SCUFF_MIN_SPEED = 0.3  # m/s slip of a person's limb that is heard as a scuff (a foot turning
# on its heel slips a little where it pivots, silently)
LIMB_MIN_SPAN_S = 0.15  # ... for at least this long: a dragged foot, not the toes leaving the
# floor at the end of each step (50-90 ms, heard as a scrape on every step when counted)
MOVING_MIN_SPEED = 0.04  # m/s body speed that counts as rolling when not slipping
MIN_SPAN_S = 0.05  # shorter slide/roll runs are part of a bounce, not a sound of their own
SPAN_GAP_S = 0.1  # a slide or roll survives contact chatter (a box rattling as it slides)
CONTACT_GAP_S = 0.004  # a contact that breaks for less than this (chatter) is still the same one
SPAN_STRIDE = 8  # lasting contacts are classified every this many steps at least,
SPAN_PERIOD_S = 0.0025  # and at most this often: four times per envelope bin
GROUP_CACHE_SIZE = 256  # contact lists remembered with their owner pairs


class _Groups:
    """The touching owner pairs of one contact list; the contact indices of each pair (in
    contact order) and the geom pairs as lists are worked out the first time they are asked."""

    __slots__ = ("codes", "geom", "keys", "_indices", "_geoms", "_codes")

    def __init__(self, codes: np.ndarray, geom: np.ndarray, keys: frozenset):
        self.codes = codes  # owner pair code of every contact (-1: not between two owners)
        self.geom = geom
        self.keys = keys
        self._indices: dict[int, list[int]] | None = None
        self._geoms: list | None = None
        self._codes: list[int] | None = None

    def indices(self) -> dict[int, list[int]]:
        if self._indices is None:
            codes = self.codes
            out: dict[int, list[int]] = {}
            if len(codes) <= 64:
                for i, code in enumerate(self.code_list()):
                    if code >= 0:
                        if code in out:
                            out[code].append(i)
                        else:
                            out[code] = [i]
            else:
                valid = np.flatnonzero(codes >= 0)
                order = valid[np.argsort(codes[valid], kind="stable")].tolist()
                ordered = codes[order]
                bounds = [0, *(np.flatnonzero(ordered[1:] != ordered[:-1]) + 1).tolist(),
                          len(order)]
                for k, code in enumerate(ordered[bounds[:-1]].tolist() if order else []):
                    out[code] = order[bounds[k]:bounds[k + 1]]
            self._indices = out
        return self._indices

    def indices_of(self, key: int) -> list[int]:
        """The contact indices of one pair (without grouping the whole list)."""
        if self._indices is not None:
            return self._indices[key]
        return [i for i, code in enumerate(self.code_list()) if code == key]

    def code_list(self) -> list[int]:
        if self._codes is None:
            self._codes = self.codes.tolist()
        return self._codes

    def geoms(self) -> list:
        if self._geoms is None:
            self._geoms = self.geom.tolist()
        return self._geoms


_NO_GROUPS = _Groups(np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int32), frozenset())


@dataclass
class _Span:
    kind: str
    start: float
    point: np.ndarray
    normal: np.ndarray
    materials: tuple[str, str]
    sizes: tuple[float, float]
    last: float = 0.0
    speeds: list[float] = field(default_factory=list)
    forces: list[float] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


@dataclass
class _Active:
    start: float
    point: np.ndarray
    normal: np.ndarray
    speed: float
    materials: tuple[str, str]
    sizes: tuple[float, float]
    impulse: float = 0.0
    is_impact: bool = False
    last: float = 0.0


ENVELOPE_STEP_S = 0.01  # slide/roll envelopes are averaged into bins this long


def _envelope(span: _Span) -> tuple[tuple[float, float, float], ...]:
    """(time, mean speed, mean normal force) per ENVELOPE_STEP_S bin of a span."""
    times = np.array(span.times)
    bins = np.floor((times - span.start) / ENVELOPE_STEP_S).astype(int)
    out = []
    for b in np.unique(bins):
        mask = bins == b
        out.append((round(float(span.start + (b + 0.5) * ENVELOPE_STEP_S), 6),
                    round(float(np.mean(np.array(span.speeds)[mask])), 5),
                    round(float(np.mean(np.array(span.forces)[mask])), 5)))
    return tuple(out)


class ContactTracker:
    """Feed it the state after every mj_step; ask it for events at the end.

    The work per step is kept small because it runs after every physics step: a contact list
    seen recently (they flicker between a few states while things rest or rattle) maps straight
    to its touching pairs; the contact indices of each pair, the normal forces and the body
    velocities are only worked out in a step that measures something (a new contact, one inside
    its impact window, or the lasting ones every SPAN_STRIDE steps). Internally a pair is the
    integer code of its two owners; events name them.
    """

    def __init__(self, model, geoms: dict[str, GeomInfo], timestep: float,
                 limbs: frozenset[str] = frozenset()):
        """`limbs`: owners that are people's limbs, whose contacts make sounds only when they
        strike or scuff (a foot rolling from heel to toe on the floor is silent)."""
        import mujoco  # noqa: PLC0415

        self._mujoco = mujoco
        self._dt = timestep
        self._info = [geoms.get(model.geom(i).name) for i in range(model.ngeom)]
        self._owners = sorted({info.owner for info in self._info if info is not None})
        n = len(self._owners)
        index = {owner: k for k, owner in enumerate(self._owners)}
        # geom -> owner index; geoms without an owner map to the extra index n
        owner_id = np.array([index[i.owner] if i is not None else n for i in self._info],
                            dtype=np.int64)
        # owner pair -> pair code (sorted owners: codes sort like the (owner_a, owner_b) keys);
        # -1 where the pair is not a contact between two owners
        a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        code = np.minimum(a, b) * (n + 1) + np.maximum(a, b)
        code[(a == b) | (a == n) | (b == n)] = -1
        self._owner_id = owner_id
        self._code = code
        limb = np.array([o in limbs for o in self._owners] + [False])
        self._limb_codes = frozenset(int(c) for c in np.unique(code[limb[a] | limb[b]])
                                     if c >= 0)
        self._n_codes = n + 1
        self._step = 0
        self._stride = max(SPAN_STRIDE, round(SPAN_PERIOD_S / timestep))
        self._cache: dict[bytes, _Groups] = {}
        self._geom_body = [int(b) for b in model.geom_bodyid]
        self._root = [int(r) for r in model.body_rootid]
        self._elliptic = model.opt.cone == mujoco.mjtCone.mjCONE_ELLIPTIC
        self._active: dict[int, _Active] = {}
        self._spans: dict[int, _Span] = {}
        self._events: list[ContactEvent] = []
        self._force = np.zeros(6)
        self._bodies: dict[int, tuple] = {}  # body -> (omega, v_com, com) this step
        self._forces: list[float] | None = None
        self._address: list[int] | None = None
        self._model = model
        self._previous = _NO_GROUPS  # the touching pairs of the previous step
        self._previous_time = 0.0
        self._gone: dict[int, _Active] = {}  # stopped touching, not yet closed
        self._window: dict[int, _Active] = {}  # still in their impact window

    def _key(self, code: int) -> tuple[str, str]:
        n = self._n_codes
        return self._owners[code // n], self._owners[code % n]

    def observe(self, model, data, time: float) -> None:
        """Record the contacts of the state at `time` (after mj_step: the pre-step state).

        Every step looks at which owner pairs touch; new contacts and those still in their
        impact window are measured every step, lasting ones every SPAN_STRIDE steps (or
        SPAN_PERIOD_S at high physics rates), which is plenty for slide and roll spans of 50 ms
        and more.
        """
        self._step += 1
        ncon = data.ncon
        if ncon == 0 and not self._active and not self._spans:
            self._previous, self._previous_time = _NO_GROUPS, time
            return
        measure_spans = self._step % self._stride == 0
        if ncon:
            contact = data.contact
            geom = contact.geom
            groups = self._cache.get(geom.tobytes()) or self._groups(geom)
        else:
            contact, groups = None, _NO_GROUPS
        keys = groups.keys
        fresh = ()
        if keys is not self._previous.keys:  # pairs that stopped touching, pairs that started
            for key in self._previous.keys - keys:
                active = self._active.get(key)
                if active is not None:
                    active.last = self._previous_time
                    self._gone[key] = active
            if self._gone:
                for key in self._gone.keys() & keys:
                    del self._gone[key]
            fresh = sorted(keys - self._active.keys())
        self._previous, self._previous_time = groups, time
        self._bodies = {}
        self._forces = None
        self._address = None
        if measure_spans:
            if keys:
                indices = groups.indices()
                awake = None
                for key in sorted(keys):
                    active = self._active.get(key)
                    if (active is not None and key not in self._spans
                            and time - active.start > IMPACT_WINDOW_S):
                        if awake is None:
                            awake = data.body_awake.tolist()
                        if self._resting(awake, groups, indices[key]):
                            continue
                    self._update(model, data, contact, time, key, indices[key])
        else:
            if fresh:
                indices = groups.indices()
                for key in fresh:
                    self._update(model, data, contact, time, key, indices[key])
            if self._window:  # the impulse of contacts inside their impact window
                for key, active in list(self._window.items()):
                    if time - active.start > IMPACT_WINDOW_S:
                        del self._window[key]
                    elif key in keys and active.last != time:
                        for i in groups.indices_of(key):
                            active.impulse += self._normal_force(data, contact, i) * self._dt
        if self._gone:
            for key in [k for k, a in self._gone.items() if time - a.last > CONTACT_GAP_S]:
                del self._gone[key]
                self._window.pop(key, None)
                active = self._active.pop(key)
                self._close_impact(key, active, active.last + self._dt)
        if self._spans:
            for key in [k for k, span in self._spans.items() if time - span.last > SPAN_GAP_S]:
                self._close_span(key, self._spans[key].last)

    def _groups(self, geom: np.ndarray) -> _Groups:
        """The touching owner pairs of a contact list (its geom pairs, in order), cached."""
        codes = self._code[self._owner_id[geom[:, 0]], self._owner_id[geom[:, 1]]]
        code_list = codes.tolist()
        keys = set(code_list)
        keys.discard(-1)
        if keys == self._previous.keys:  # the same pairs: keep the object, skip the set work
            keys = self._previous.keys
        groups = _Groups(codes, geom.copy(), frozenset(keys))
        groups._codes = code_list
        if len(self._cache) >= GROUP_CACHE_SIZE:
            self._cache.clear()
        self._cache[geom.tobytes()] = groups
        return groups

    def _resting(self, awake: list, groups: _Groups, indices: list[int]) -> bool:
        """Every body of these contacts asleep or static (so: no slide or roll)."""
        pairs = groups.geoms()
        body = self._geom_body
        for i in indices:
            g1, g2 = pairs[i]
            if awake[body[g1]] > 0 or awake[body[g2]] > 0:
                return False
        return True

    def _normal_forces(self, model, data, contact) -> list[float]:
        """Normal force of every contact this step (0 outside the constraint solve)."""
        if self._forces is None:
            self._forces = self._all_normal_forces(model, data, contact)
        return self._forces

    def _normal_force(self, data, contact, i: int) -> float:
        """Normal force of contact i (as _normal_forces, without computing all of them)."""
        if self._forces is not None or not self._elliptic:
            return self._normal_forces(self._model, data, contact)[i]
        if self._address is None:
            self._address = contact.efc_address.tolist() if data.nefc else []
        if not self._address:
            return 0.0
        a = self._address[i]
        return float(data.efc_force[a]) if a >= 0 else 0.0

    def _all_normal_forces(self, model, data, contact) -> list[float]:
        if self._elliptic:  # the first constraint row of an elliptic contact is its normal
            address = contact.efc_address
            if not data.nefc:
                return [0.0] * len(address)
            forces = np.where(address >= 0, data.efc_force[address], 0.0)
            return forces.tolist()
        out = []
        for i in range(data.ncon):
            self._mujoco.mj_contactForce(model, data, i, self._force)
            out.append(float(self._force[0]))
        return out

    def _body(self, data, body: int) -> tuple:
        """(angular velocity, linear velocity of the centre of mass, centre of mass) of a
        body, world frame, this step."""
        state = self._bodies.get(body)
        if state is None:
            cvel = data.cvel[body].tolist()
            com = data.xipos[body].tolist()
            sub = data.subtree_com[self._root[body]].tolist()
            w = cvel[:3]
            r = [com[0] - sub[0], com[1] - sub[1], com[2] - sub[2]]
            # v_com = v + w x r (cvel is about the subtree com)
            v = [cvel[3] + (w[1] * r[2] - w[2] * r[1]), cvel[4] + (w[2] * r[0] - w[0] * r[2]),
                 cvel[5] + (w[0] * r[1] - w[1] * r[0])]
            state = self._bodies[body] = (w, v, com)
        return state

    def _point_velocity(self, data, body: int, point: list[float]) -> list[float]:
        if body == 0:
            return [0.0, 0.0, 0.0]
        w, v, com = self._body(data, body)
        r = [point[0] - com[0], point[1] - com[1], point[2] - com[2]]
        return [v[0] + w[1] * r[2] - w[2] * r[1], v[1] + w[2] * r[0] - w[0] * r[2],
                v[2] + w[0] * r[1] - w[1] * r[0]]

    def _turning_speed(self, data, body: int, point: list[float]) -> float:
        """|w x r|, r from the body's centre of mass to the contact: how fast the contact runs
        round the body as it turns. A rolling ball's equals its centre's speed; a disc
        circling down on its rim (a spun lid, Euler's disk) keeps turning while its centre
        hardly moves, and is heard rolling until it lies still."""
        if body == 0:
            return 0.0
        w, _, com = self._body(data, body)
        r = [point[0] - com[0], point[1] - com[1], point[2] - com[2]]
        x, y, z = w[1] * r[2] - w[2] * r[1], w[2] * r[0] - w[0] * r[2], w[0] * r[1] - w[1] * r[0]
        return math.sqrt(x * x + y * y + z * z)

    def _body_speed(self, data, body: int) -> float:
        if body == 0:
            return 0.0
        v = self._body(data, body)[1]
        return math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])

    def _update(self, model, data, contact, time: float, key: int, indices: list[int]) -> None:
        """Measure a pair's contact: start it if new, add its impulse, classify the step."""
        forces = self._normal_forces(model, data, contact)
        if len(indices) == 1:
            deepest = indices[0]
        else:
            dists = contact.dist
            deepest = min(indices, key=lambda i: dists[i])
        p = contact.pos[deepest].tolist()
        n = contact.frame[deepest, :3].tolist()  # the normal points from geom1 to geom2
        g1, g2 = contact.geom[deepest].tolist()
        b1, b2 = self._geom_body[g1], self._geom_body[g2]
        v1 = self._point_velocity(data, b1, p)
        v2 = self._point_velocity(data, b2, p)
        rel = [v1[0] - v2[0], v1[1] - v2[1], v1[2] - v2[2]]
        closing = rel[0] * n[0] + rel[1] * n[1] + rel[2] * n[2]
        force = 0.0
        for i in indices:
            force += forces[i]
        active = self._active.get(key)
        if active is None:
            penetration = max(0.0, -float(contact.dist[deepest]))
            lag = penetration / closing if closing > 1e-6 else 0.0
            start = time - min(lag, self._dt)
            a, b = self._info[g1], self._info[g2]
            normal = np.array(n)
            if a.owner != self._key(key)[0]:  # report the normal as pointing from a to b
                a, b = b, a
                normal = -normal
            active = _Active(start, np.array(p), normal, max(closing, 0.0), (a.material, b.material),
                             (a.size, b.size), is_impact=closing > IMPACT_MIN_SPEED, last=time)
            self._active[key] = active
            self._window[key] = active
        active.last = time
        if time - active.start <= IMPACT_WINDOW_S:
            active.impulse += force * self._dt
        slip = math.sqrt(sum((r - closing * k) ** 2 for r, k in zip(rel, n)))
        body_speed = max(self._body_speed(data, b1), self._body_speed(data, b2),
                         self._turning_speed(data, b1, p), self._turning_speed(data, b2, p))
        if key in self._limb_codes:  # a limb: it scuffs or it is silent; it never rolls
            kind, speed = ("slide", slip) if slip >= SCUFF_MIN_SPEED else (None, 0.0)
        elif slip >= SLIP_MIN_SPEED:
            kind, speed = "slide", slip
        elif body_speed >= MOVING_MIN_SPEED:
            kind, speed = "roll", body_speed
        else:
            kind, speed = None, 0.0
        span = self._spans.get(key)
        if span is not None and span.kind != kind:
            self._close_span(key, time)
            span = None
        if kind is not None:
            if span is None:
                span = self._spans[key] = _Span(kind, time, np.array(p), active.normal,
                                                active.materials, active.sizes)
            span.last = time
            span.speeds.append(speed)
            span.forces.append(force)
            span.times.append(time)

    def _close_span(self, key, time: float) -> None:
        span = self._spans.pop(key)
        duration = time - span.start
        if duration < (LIMB_MIN_SPAN_S if key in self._limb_codes else MIN_SPAN_S):
            return
        body_a, body_b = self._key(key)
        self._events.append(ContactEvent(
            time=span.start, end=time, kind=span.kind, body_a=body_a, body_b=body_b,
            material_a=span.materials[0], material_b=span.materials[1],
            size_a=span.sizes[0], size_b=span.sizes[1],
            point=tuple(span.point), normal=tuple(span.normal),
            impulse=float(np.mean(span.forces)) * duration, speed=float(np.mean(span.speeds)),
            envelope=_envelope(span),
        ))

    def _close_impact(self, key, active: _Active, time: float) -> None:
        if active.is_impact:
            body_a, body_b = self._key(key)
            self._events.append(ContactEvent(
                time=active.start, end=time, kind="impact", body_a=body_a, body_b=body_b,
                material_a=active.materials[0], material_b=active.materials[1],
                size_a=active.sizes[0], size_b=active.sizes[1],
                point=tuple(active.point), normal=tuple(active.normal),
                impulse=active.impulse, speed=active.speed,
            ))

    def finish(self, time: float) -> tuple[ContactEvent, ...]:
        """Close every open contact at the end of the clip; events sorted by time."""
        for key in list(self._active):
            self._close_impact(key, self._active.pop(key), time)
        for key in list(self._spans):
            self._close_span(key, time)
        return tuple(sorted(self._events, key=lambda e: (e.time, e.kind, e.body_a, e.body_b)))
