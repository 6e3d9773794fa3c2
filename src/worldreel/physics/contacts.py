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
MOVING_MIN_SPEED = 0.04  # m/s body speed that counts as rolling when not slipping
MIN_SPAN_S = 0.05  # shorter slide/roll runs are part of a bounce, not a sound of their own
SPAN_GAP_S = 0.1  # a slide or roll survives contact chatter (a box rattling as it slides)
CONTACT_GAP_S = 0.004  # a contact that breaks for less than this (chatter) is still the same one
SPAN_STRIDE = 8  # lasting contacts are classified every this many steps at least,
SPAN_PERIOD_S = 0.0025  # and at most this often: four times per envelope bin
GROUP_CACHE_SIZE = 256  # contact lists remembered with their owner groups
_NO_GROUPS: dict = {}


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
    """Feed it the state after every mj_step; ask it for events at the end."""

    def __init__(self, model, geoms: dict[str, GeomInfo], timestep: float):
        import mujoco  # noqa: PLC0415

        self._mujoco = mujoco
        self._dt = timestep
        self._info = [geoms.get(model.geom(i).name) for i in range(model.ngeom)]
        self._owners = sorted({info.owner for info in self._info if info is not None})
        n = len(self._owners)
        index = {owner: k for k, owner in enumerate(self._owners)}
        # geom -> owner index; geoms without an owner map to the extra index n
        self._owner_id = np.array([index[i.owner] if i is not None else n for i in self._info],
                                  dtype=np.int64)
        # owner pair -> pair code (sorted owners: codes sort like the (owner_a, owner_b) keys);
        # -1 where the pair is not a contact between two owners
        a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        code = np.minimum(a, b) * (n + 1) + np.maximum(a, b)
        code[(a == b) | (a == n) | (b == n)] = -1
        self._code = code
        self._n_codes = n + 1
        self._step = 0
        self._stride = max(SPAN_STRIDE, round(SPAN_PERIOD_S / timestep))
        self._group_cache: dict[bytes, dict] = {}
        self._geom_body = np.array(model.geom_bodyid)
        self._root = np.array(model.body_rootid)
        self._elliptic = model.opt.cone == mujoco.mjtCone.mjCONE_ELLIPTIC
        self._active: dict[tuple[str, str], _Active] = {}
        self._spans: dict[tuple[str, str], _Span] = {}
        self._events: list[ContactEvent] = []
        self._force = np.zeros(6)
        self._velocities: tuple[list, list] | None = None
        self._forces: list[float] | None = None
        self._previous: dict = _NO_GROUPS  # the owner groups of the previous step
        self._previous_time = 0.0
        self._gone: dict[tuple[str, str], _Active] = {}  # stopped touching, not yet closed
        self._window: dict[tuple[str, str], _Active] = {}  # still in their impact window

    def observe(self, model, data, time: float) -> None:
        """Record the contacts of the state at `time` (after mj_step: the pre-step state).

        Every step looks at which owner pairs touch (regrouped only when MuJoCo's contact list
        changed); new contacts and those still in their impact window are measured every step,
        lasting ones every SPAN_STRIDE steps (or SPAN_PERIOD_S at high physics rates), which is
        plenty for slide and roll spans of 50 ms and more.
        """
        self._step += 1
        ncon = data.ncon
        if ncon == 0 and not self._active and not self._spans:
            self._previous, self._previous_time = _NO_GROUPS, time
            return
        measure_spans = self._step % self._stride == 0
        groups = self._owner_groups(data.contact) if ncon else _NO_GROUPS
        fresh = ()
        if groups is not self._previous:  # pairs that stopped touching, pairs that started
            for key in self._previous.keys() - groups.keys():
                active = self._active.get(key)
                if active is not None:
                    active.last = self._previous_time
                    self._gone[key] = active
            if self._gone:
                for key in self._gone.keys() & groups.keys():
                    del self._gone[key]
            fresh = sorted(groups.keys() - self._active.keys())
        self._previous, self._previous_time = groups, time
        self._velocities = None
        self._forces = None
        if measure_spans:
            for key, indices in groups.items():
                active = self._active.get(key)
                if (active is not None and key not in self._spans
                        and time - active.start > IMPACT_WINDOW_S
                        and self._resting(data, indices)):
                    continue
                self._update(model, data, time, key, indices)
        else:
            for key in fresh:
                self._update(model, data, time, key, groups[key])
            if self._window:  # the impulse of contacts inside their impact window
                for key, active in list(self._window.items()):
                    if time - active.start > IMPACT_WINDOW_S:
                        del self._window[key]
                    elif key in groups and active.last != time:
                        forces = self._normal_forces(model, data)
                        for i in groups[key]:
                            active.impulse += forces[i] * self._dt
        if self._gone:
            for key in [k for k, a in self._gone.items() if time - a.last > CONTACT_GAP_S]:
                del self._gone[key]
                self._window.pop(key, None)
                active = self._active.pop(key)
                self._close_impact(key, active, active.last + self._dt)
        if self._spans:
            for key in [k for k, span in self._spans.items() if time - span.last > SPAN_GAP_S]:
                self._close_span(key, self._spans[key].last)

    def _owner_groups(self, contact) -> dict[tuple[str, str], list[int]]:
        """Contact indices per touching owner pair, in key order; recomputed only for a contact
        list (its geom pairs, in order) not seen recently: lists flicker between a few states
        while things rest or rattle."""
        g1, g2 = contact.geom1, contact.geom2
        signature = g1.tobytes() + g2.tobytes()
        groups = self._group_cache.get(signature)
        if groups is not None:
            return groups
        codes = self._code[self._owner_id[g1], self._owner_id[g2]]
        n = self._n_codes
        owners = self._owners
        groups = {}
        if len(codes) <= 16:
            by_code: dict[int, list[int]] = {}
            for i, code in enumerate(codes.tolist()):
                if code >= 0:
                    by_code.setdefault(code, []).append(i)
            for c in sorted(by_code):
                groups[(owners[c // n], owners[c % n])] = by_code[c]
        else:
            valid = np.flatnonzero(codes >= 0)
            order = valid[np.argsort(codes[valid], kind="stable")]
            ordered = codes[order]
            starts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
            order_list = order.tolist()
            bounds = [0, *starts.tolist(), len(order_list)]
            for k, c in enumerate(ordered[bounds[:-1]].tolist() if len(order_list) else []):
                groups[(owners[c // n], owners[c % n])] = order_list[bounds[k]:bounds[k + 1]]
        if len(self._group_cache) >= GROUP_CACHE_SIZE:
            self._group_cache.clear()
        self._group_cache[signature] = groups
        return groups

    def _resting(self, data, indices: list[int]) -> bool:
        """Every body of these contacts asleep or static (so: no slide or roll)."""
        awake = data.body_awake
        contact = data.contact
        g1, g2 = contact.geom1, contact.geom2
        body = self._geom_body
        return all(awake[body[g1[i]]] <= 0 and awake[body[g2[i]]] <= 0 for i in indices)

    def _normal_forces(self, model, data) -> list[float]:
        """Normal force of every contact this step (0 outside the constraint solve)."""
        if self._forces is None:
            self._forces = self._all_normal_forces(model, data)
        return self._forces

    def _all_normal_forces(self, model, data) -> list[float]:
        if self._elliptic:  # the first constraint row of an elliptic contact is its normal
            address = data.contact.efc_address
            if not data.nefc:
                return [0.0] * len(address)
            forces = np.where(address >= 0, data.efc_force[address], 0.0)
            return forces.tolist()
        out = []
        for i in range(data.ncon):
            self._mujoco.mj_contactForce(model, data, i, self._force)
            out.append(float(self._force[0]))
        return out

    def _body_velocities(self, data) -> tuple[list, list]:
        """(angular, linear at the centre of mass) of every body, world frame, this step."""
        if self._velocities is None:
            cvel = data.cvel
            w = cvel[:, :3]
            r = data.xipos - data.subtree_com[self._root]
            linear = cvel[:, 3:].copy()  # v_com = v + w x r (cvel is about the subtree com)
            linear[:, 0] += w[:, 1] * r[:, 2] - w[:, 2] * r[:, 1]
            linear[:, 1] += w[:, 2] * r[:, 0] - w[:, 0] * r[:, 2]
            linear[:, 2] += w[:, 0] * r[:, 1] - w[:, 1] * r[:, 0]
            self._velocities = (w.tolist(), linear.tolist())
        return self._velocities

    def _point_velocity(self, data, geom: int, point: list[float]) -> list[float]:
        body = int(self._geom_body[geom])
        if body == 0:
            return [0.0, 0.0, 0.0]
        omega, linear = self._body_velocities(data)
        w, v = omega[body], linear[body]
        com = data.xipos[body].tolist()
        r = [point[0] - com[0], point[1] - com[1], point[2] - com[2]]
        return [v[0] + w[1] * r[2] - w[2] * r[1], v[1] + w[2] * r[0] - w[0] * r[2],
                v[2] + w[0] * r[1] - w[1] * r[0]]

    def _update(self, model, data, time: float, key, indices: list[int]) -> None:
        """Measure a pair's contact: start it if new, add its impulse, classify the step."""
        forces = self._normal_forces(model, data)
        if len(indices) == 1:
            deepest = indices[0]
        else:
            dists = data.contact.dist
            deepest = min(indices, key=lambda i: dists[i])
        c = data.contact[deepest]
        p, n = c.pos.tolist(), c.frame[:3].tolist()  # the normal points from geom1 to geom2
        v1 = self._point_velocity(data, c.geom1, p)
        v2 = self._point_velocity(data, c.geom2, p)
        rel = [v1[0] - v2[0], v1[1] - v2[1], v1[2] - v2[2]]
        closing = rel[0] * n[0] + rel[1] * n[1] + rel[2] * n[2]
        force = 0.0
        for i in indices:
            force += forces[i]
        active = self._active.get(key)
        if active is None:
            penetration = max(0.0, -float(c.dist))
            lag = penetration / closing if closing > 1e-6 else 0.0
            start = time - min(lag, self._dt)
            a, b = self._info[c.geom1], self._info[c.geom2]
            normal = np.array(n)
            if a.owner != key[0]:  # report the normal as pointing from body_a to body_b
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
        body_speed = max(self._body_speed(data, c.geom1), self._body_speed(data, c.geom2))
        if slip >= SLIP_MIN_SPEED:
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

    def _body_speed(self, data, geom: int) -> float:
        body = int(self._geom_body[geom])
        if body == 0:
            return 0.0
        v = self._body_velocities(data)[1][body]
        return math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])

    def _close_span(self, key, time: float) -> None:
        span = self._spans.pop(key)
        duration = time - span.start
        if duration < MIN_SPAN_S:
            return
        self._events.append(ContactEvent(
            time=span.start, end=time, kind=span.kind, body_a=key[0], body_b=key[1],
            material_a=span.materials[0], material_b=span.materials[1],
            size_a=span.sizes[0], size_b=span.sizes[1],
            point=tuple(span.point), normal=tuple(span.normal),
            impulse=float(np.mean(span.forces)) * duration, speed=float(np.mean(span.speeds)),
            envelope=_envelope(span),
        ))

    def _close_impact(self, key, active: _Active, time: float) -> None:
        if active.is_impact:
            self._events.append(ContactEvent(
                time=active.start, end=time, kind="impact", body_a=key[0], body_b=key[1],
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
