"""The characters in the simulation: limbs moved kinematically, and hands that hold things.

Each limb (assets.people.segments) is a free body that physics does not move on its own: before
every step it is put where the Performance has it and given the Performance's velocity there,
so a contact with a free thing sees a limb of its real mass moving at its real speed. A kick
really moves the ball and a push really topples the box; the limb is put back on its track at
the next step. Limbs do not collide with each other, of the same or another character
(collision bits below); the animation stage keeps people apart and out of the furniture.

A grip (animation.Grip) carries a thing with the hand: while it holds, the thing is placed
rigidly in the hand every step with the hand's velocity at its position, and it does not
collide with the holder's limbs; at release it keeps the hand's velocity (or the throw's). A
catch starts at the hand's first touch of the thing, which then moves with the hand: it stops
in the hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.animation.performance import Grip, Performance
from worldreel.assets.animals import body_of_animal
from worldreel.assets.materials import material
from worldreel.assets.mujoco_spec import FLOOR, GeomInfo, floor_geoms
from worldreel.assets.people.segments import FEET, HANDS, SOLE_PRESS_M, Segment
from worldreel.errors import SceneError
from worldreel.recording import ActionSpan, CharacterTrack
from worldreel.scene import Animal

STILL_M_S = 0.02  # a limb slower than this is still (breathing, not acting on the world)

# Collision bits: things collide with things (bit 1) and are touched by limbs (bit 2); limbs
# touch things but not each other. A held thing collides with nothing while held (its floor
# contact aside): the hand puts it where the animation says, and a kinematic thing pressed
# into furniture would only make the solver blow up.
THING_BITS = 1 | 2
LIMB_TYPE, LIMB_AFFINITY = 2, 0
# limbs a catch closes on: the hands, or a big ball trapped against the forearms or the chest
CATCHING = ("hand_l", "hand_r", "lowerarm_l", "lowerarm_r", "spine_03")
MOUTH = ("jaw", "head")  # an animal catches in its mouth (or against its face, then bites)
RELEASE_CLEAR_S = 0.1
REACHING_S = 1.5  # a thing about to be taken ignores the limbs this long before (the reach)
GRAVITY = 9.81
LYING_FIRMNESS = 3.0  # a limb lying on the floor is held up by three times its weight  # a released thing ignores limbs this long: the hand follows through


@dataclass
class _GripState:
    grip: Grip
    hand: int  # segment index
    body: int  # the thing's body id
    qadr: int
    vadr: int
    geoms: np.ndarray
    bits: tuple[np.ndarray, np.ndarray]  # the geoms' own contype and conaffinity
    pieces: list = None  # (qadr, vadr) of pieces welded to the thing, carried with it
    active: bool = False
    done: bool = False
    offset: np.ndarray | None = None  # the thing's position in the hand's frame
    turn: np.ndarray | None = None  # the thing's orientation relative to the hand (w, x, y, z)
    clear_until: float = -1.0
    piece_poses: list | None = None  # each piece's (offset, turn) in the thing's frame


def limb_material(character, bone: str) -> str:
    """What a limb touches the world with: shoes or bare feet, bare hands, clothes elsewhere;
    an animal's hooves or paws, and its coat elsewhere."""
    if isinstance(character, Animal):
        if _is_foot(bone):
            return "hoof" if body_of_animal(character).shape.foot == "hoof" else "paw"
        return "fur"
    if bone in FEET:
        return "skin" if character.outfit.shoes == "barefoot" else "shoe"
    if bone in HANDS or bone == "head":
        return "skin"
    return "cloth"


class Cast:
    """Every character's limbs in one MuJoCo model, driven from their Performances."""

    def __init__(self, scene, performances: dict[str, Performance],
                 segments: dict[str, tuple[Segment, ...]]):
        self.scene = scene
        self.performances = performances
        self.segments = segments
        rates = {p.rate for p in performances.values()}
        if len(rates) > 1:
            raise SceneError("every character's performance must be sampled at one rate")
        self.rate = rates.pop() if rates else 1.0
        # (character, bone) of each limb body, in order
        self.limbs = [(cid, s.bone) for cid, segs in segments.items() for s in segs]
        self.active = bool(self.limbs)

    def add_to_spec(self, mujoco, spec, geoms: dict[str, GeomInfo], contacts) -> None:
        """Add the limb bodies, their floor contacts, and the collision bits of things."""
        if not self.active:
            return
        entity_ids = {e.id for e in self.scene.entities}
        for name, info in geoms.items():
            if info.owner in entity_ids:
                geom = spec.geom(name)
                if geom.conaffinity:
                    geom.conaffinity |= THING_BITS  # keeping a balloon's ceiling bit
        kinds = {"capsule": mujoco.mjtGeom.mjGEOM_CAPSULE, "sphere": mujoco.mjtGeom.mjGEOM_SPHERE,
                 "box": mujoco.mjtGeom.mjGEOM_BOX}
        floor_params = contacts[geoms[FLOOR].material] if contacts else None
        grounds = floor_geoms(geoms)
        for cid, segs in self.segments.items():
            character = _owner(self.scene, cid)
            body_mass, feet = sum(s.mass for s in segs), sum(_is_foot(s.bone) for s in segs)
            for seg in segs:
                owner = f"{cid}.{seg.bone}"
                body = spec.worldbody.add_body()
                body.name = owner
                body.gravcomp = 1.0
                body.sleep = mujoco.mjtSleepPolicy.mjSLEEP_NEVER
                body.add_freejoint()
                geom = body.add_geom()
                geom.name = owner
                geom.type = kinds[seg.shape]
                if seg.fromto is not None:
                    geom.fromto = list(seg.fromto)
                    geom.size = [seg.size[0], 0.0, 0.0]
                else:
                    geom.size = list(seg.size) + [0.0] * (3 - len(seg.size))
                    geom.pos = list(seg.pos)
                    geom.quat = list(seg.quat)
                geom.mass = seg.mass
                geom.contype, geom.conaffinity = LIMB_TYPE, LIMB_AFFINITY
                geom.rgba = [0, 0, 0, 0]
                mat = limb_material(character, seg.bone)
                geom.friction = [material(mat).friction, 0.002, 0.0]
                if contacts is not None:
                    geom.solref = list(contacts[mat].solref)
                    geom.solimp = list(contacts[mat].solimp)
                size = max(seg.size) if seg.fromto is None else 2 * seg.size[0]
                geoms[owner] = GeomInfo(owner, mat, float(size))
                # the floor (each of its geoms: by a sea, sand, slope and bed) meets things
                # through explicit pairs
                for ground in grounds if floor_params is not None else ():
                    pair = spec.add_pair()
                    pair.geomname1, pair.geomname2 = ground, owner
                    pair.condim = 3
                    pair.friction = [material(mat).friction] * 2 + [0.002, 0.0, 0.0]
                    stiffness = _floor_stiffness(seg, body_mass, feet)
                    pair.solref = [-stiffness, -2.0 * math.sqrt(stiffness)]
                    pair.solimp = list(contacts[mat].solimp)

    def bind(self, model, data, welded: dict | None = None) -> None:
        """Find the limbs' addresses in the compiled model; precompute their tracks. `welded`:
        entity -> [(body, joint)] of the pieces welded to it (a glass that can shatter), which
        a hand carries along with it."""
        self.welded = welded or {}
        if not self.active:
            return
        bodies = [model.body(f"{c}.{b}").id for c, b in self.limbs]
        joints = [int(model.body_jntadr[b]) for b in bodies]
        self.qadr = np.array([int(model.jnt_qposadr[j]) for j in joints])
        self.vadr = np.array([int(model.jnt_dofadr[j]) for j in joints])
        self.limb_geom = np.zeros(model.ngeom + 1, dtype=bool)  # +1: index -1 is "none"
        self.limb_geom[[model.geom(f"{c}.{b}").id for c, b in self.limbs]] = True
        entity_ids = {e.id for e in self.scene.entities}
        self.thing_geom = np.zeros(model.ngeom + 1, dtype=bool)
        for g in range(model.ngeom):
            root = model.body(int(model.body_rootid[model.geom_bodyid[g]])).name
            if root.split(".")[0] in entity_ids:
                self.thing_geom[g] = True
        # Tracks of every limb's body, stacked (samples, limbs, ...)
        pos, quat = [], []
        for cid, segs in self.segments.items():
            perf = self.performances[cid]
            index = [perf.bones.index(s.bone) for s in segs]
            pos.append(perf.positions[:, index])
            quat.append(perf.quaternions[:, index])
        self.pos = np.concatenate(pos, axis=1)
        self.quat = _continuous(np.concatenate(quat, axis=1))
        self.vel = np.diff(self.pos, axis=0, append=self.pos[-1:]) * self.rate
        self.omega = _angular_velocity(self.quat, self.rate)
        self.last = len(self.pos) - 1
        self.grips = [self._grip_state(model, g) for p in self.performances.values()
                      for g in p.grips]

    def _grip_state(self, model, grip: Grip) -> _GripState:
        hand = self.limbs.index((grip.character, grip.hand))
        body = model.body(grip.entity).id
        if model.body_dofnum[body] != 6:
            raise SceneError(f"{grip.character!r} cannot hold {grip.entity!r}: it is fixed or "
                             "jointed to something; only loose things can be picked up")
        joint = int(model.body_jntadr[body])
        pieces = [(int(j.qadr), int(j.vadr)) for _, j in self.welded.get(grip.entity, ())]
        carried = [body] + [b for b, _ in self.welded.get(grip.entity, ())]
        geoms = np.flatnonzero(np.isin(np.array(model.geom_bodyid), carried))
        bits = (np.array(model.geom_contype[geoms]), np.array(model.geom_conaffinity[geoms]))
        return _GripState(grip, hand, body, int(model.jnt_qposadr[joint]),
                          int(model.jnt_dofadr[joint]), geoms, bits, pieces)

    def _restore_bits(self, model, state: _GripState) -> None:
        model.geom_conaffinity[state.geoms] = state.bits[1]
        model.geom_contype[state.geoms] = state.bits[0]

    def drive(self, model, data, time: float) -> bool:
        """Put every limb on its track for the step starting at `time`, and carry held things;
        True while someone moves or a hand holds something (people at work on the world: the
        clip is not passive then)."""
        if not self.active:
            return False
        x = min(max(time * self.rate, 0.0), self.last)
        i = min(int(x), max(self.last - 1, 0))
        a = x - i
        pos = (1 - a) * self.pos[i] + a * self.pos[i + 1]
        q0, q1 = self.quat[i], self.quat[i + 1]
        quat = (1 - a) * q0 + a * q1
        quat /= np.linalg.norm(quat, axis=1, keepdims=True)
        vel, omega = self.vel[i], self.omega[i]
        data.qpos[self.qadr[:, None] + np.arange(3)] = pos
        data.qpos[self.qadr[:, None] + np.arange(3, 7)] = quat
        data.qvel[self.vadr[:, None] + np.arange(3)] = vel
        data.qvel[self.vadr[:, None] + np.arange(3, 6)] = _rotate_inverse(quat, omega)
        holding = False
        for state in self.grips:
            holding |= self._hold(model, data, state, time, pos, quat, vel, omega)
        moving = float(np.abs(vel).max(initial=0.0)) > STILL_M_S
        return holding or moving

    def _hold(self, model, data, state: _GripState, time: float, pos, quat, vel, omega) -> bool:
        grip = state.grip
        if state.done:
            if 0 <= state.clear_until <= time:
                held_by_another = any(other.active and other.grip.entity == grip.entity
                                      for other in self.grips)
                if not held_by_another:  # (handed over: the other hand holds it now)
                    self._restore_bits(model, state)
                state.clear_until = -1.0
            return False
        ends = grip.end if grip.end is not None else np.inf
        if not state.active and not grip.on_contact and time >= grip.start - REACHING_S:
            # the hand closing on the thing does not knock it away as it arrives
            model.geom_conaffinity[state.geoms] = state.bits[1] & ~LIMB_TYPE
        if not state.active:
            if time < grip.start or grip.on_contact:
                if grip.on_contact and time >= ends:
                    state.done = True  # the catch missed: the thing flies on
                return False
            self._take(model, data, state, pos, quat)
        if time >= ends:
            self._release(data, state, time, vel, omega, pos)
            return False
        hand_pos, hand_quat = pos[state.hand], quat[state.hand]
        rotation = _matrix(hand_quat)
        thing_pos = hand_pos + rotation @ state.offset
        data.qpos[state.qadr:state.qadr + 3] = thing_pos
        thing_quat = _quat_multiply(hand_quat, state.turn)
        data.qpos[state.qadr + 3:state.qadr + 7] = thing_quat
        world_spin = omega[state.hand]
        data.qvel[state.vadr:state.vadr + 3] = vel[state.hand] + np.cross(
            world_spin, thing_pos - hand_pos)
        data.qvel[state.vadr + 3:state.vadr + 6] = _matrix(thing_quat).T @ world_spin
        thing_matrix = _matrix(thing_quat)
        for (qadr, vadr), (offset, turn) in zip(state.pieces, state.piece_poses):
            piece_pos = thing_pos + thing_matrix @ offset
            piece_quat = _quat_multiply(thing_quat, turn)
            data.qpos[qadr:qadr + 3] = piece_pos
            data.qpos[qadr + 3:qadr + 7] = piece_quat
            data.qvel[vadr:vadr + 3] = vel[state.hand] + np.cross(world_spin,
                                                                   piece_pos - hand_pos)
            data.qvel[vadr + 3:vadr + 6] = _matrix(piece_quat).T @ world_spin
        return True

    def _take(self, model, data, state: _GripState, pos, quat) -> None:
        hand_pos, hand_quat = pos[state.hand], quat[state.hand]
        thing_pos = np.array(data.qpos[state.qadr:state.qadr + 3])
        thing_quat = np.array(data.qpos[state.qadr + 3:state.qadr + 7])
        if state.grip.offset is not None:  # put in the hand
            thing_pos = hand_pos + _matrix(hand_quat) @ np.asarray(state.grip.offset)
        state.offset = _matrix(hand_quat).T @ (thing_pos - hand_pos)
        state.turn = _quat_multiply(_conjugate(hand_quat), thing_quat)
        if state.grip.turn is not None:  # worn or held a given way (a mitt on the hand)
            state.turn = np.asarray(state.grip.turn, dtype=float)
        state.piece_poses = [
            (_matrix(thing_quat).T @ (data.qpos[q:q + 3] - data.qpos[state.qadr:state.qadr + 3]),
             _quat_multiply(_conjugate(thing_quat), np.array(data.qpos[q + 3:q + 7])))
            for q, _ in state.pieces]
        state.active = True
        model.geom_conaffinity[state.geoms] = 0
        model.geom_contype[state.geoms] = 0

    def _release(self, data, state: _GripState, time: float, vel, omega, pos) -> None:
        state.active, state.done = False, True
        state.clear_until = time + RELEASE_CLEAR_S
        if state.grip.release_velocity is not None:
            data.qvel[state.vadr:state.vadr + 3] = state.grip.release_velocity

    def after_step(self, model, data, time: float) -> bool:
        """Start catches whose hand touched its thing in this step; True when a limb touched a
        thing (the world was acted on)."""
        if not self.active or not data.ncon:
            return False
        geom = data.contact.geom
        limb = self.limb_geom[geom]
        thing = self.thing_geom[geom]
        touched = bool(np.any(limb[:, 0] & thing[:, 1] | limb[:, 1] & thing[:, 0]))
        if touched:
            for state in self.grips:
                grip = state.grip
                if (grip.on_contact and not state.active and not state.done
                        and grip.start <= time < (grip.end if grip.end is not None else np.inf)):
                    # caught in either hand, or trapped against a forearm or the chest
                    catching = {model.geom(f"{grip.character}.{bone}").id
                                for bone in CATCHING + MOUTH
                                if (grip.character, bone) in self.limbs}
                    touched_by = {int(b) if int(a) in state.geoms else int(a)
                                  for a, b in geom if int(a) in state.geoms
                                  or int(b) in state.geoms}
                    if touched_by & catching:
                        self._catch(model, data, state, time)
        return touched

    def _catch(self, model, data, state: _GripState, time: float) -> None:
        x = min(max(time * self.rate, 0.0), self.last)
        i = min(int(x), max(self.last - 1, 0))
        self._take(model, data, state, self.pos[i], self.quat[i])

    def tracks(self, times: np.ndarray) -> tuple[CharacterTrack, ...]:
        """What was played: every character's bones and face at the Recording's samples."""
        out = []
        for cid, perf in self.performances.items():
            pos, quat, face = perf.at(times)
            out.append(CharacterTrack(cid, perf.bones, pos, quat, perf.face_units, face,
                                      tuple(ActionSpan(cid, s.index, s.step.do, s.start,
                                                       s.end, s.step.id) for s in perf.steps)))
        return tuple(out)

    def energy(self, data, model) -> np.ndarray:
        """Potential and kinetic energy of the limbs now (to leave them out of the world's)."""
        if not self.active:
            return np.zeros(2)
        bodies = np.array([model.body(f"{c}.{b}").id for c, b in self.limbs])
        mass = model.body_mass[bodies]
        gravity = -float(model.opt.gravity[2])
        potential = float(np.sum(mass * gravity * data.xipos[bodies, 2]))
        velocity = data.qvel[self.vadr[:, None] + np.arange(3)]
        kinetic = 0.5 * float(np.sum(mass * np.sum(velocity * velocity, axis=1)))
        return np.array([potential, kinetic])


def _owner(scene, owner_id: str):
    """The character or animal of that id."""
    try:
        return scene.character(owner_id)
    except KeyError:
        return scene.animal(owner_id)


def _is_foot(bone: str) -> bool:
    """A person's foot (foot_l, foot_r) or an animal's (foot_fl ... foot_hr)."""
    return bone.startswith("foot_")


def _floor_stiffness(segment: Segment, body_mass: float, feet: int) -> float:
    """Contact stiffness (MuJoCo's acceleration-based solref, 1/s^2) of a limb on the floor such
    that pressed SOLE_PRESS_M into it the floor pushes back with what the limb carries: the
    body's weight shared by its `feet` under a foot (a standing person's half, a standing
    animal's quarter), the limb's own weight elsewhere (lying), and a footstep's force and
    impulse are a body's, not those of a foot rammed into concrete."""
    carried = body_mass / feet if _is_foot(segment.bone) else LYING_FIRMNESS * segment.mass
    return GRAVITY * carried / (segment.mass * SOLE_PRESS_M)


def _continuous(quat: np.ndarray) -> np.ndarray:
    """Quaternions with signs flipped so neighbours in time are on the same hemisphere."""
    quat = quat.copy()
    for i in range(1, len(quat)):
        flip = np.sum(quat[i] * quat[i - 1], axis=-1) < 0
        quat[i, flip] *= -1
    return quat


def _angular_velocity(quat: np.ndarray, rate: float) -> np.ndarray:
    """World angular velocity (samples, limbs, 3) over each interval [i, i+1)."""
    rel = _quat_multiply(quat[1:], _conjugate(quat[:-1]))
    rel = np.where(rel[..., :1] < 0, -rel, rel)
    vec = rel[..., 1:]
    norm = np.linalg.norm(vec, axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(norm, rel[..., :1])
    axis = np.divide(vec, norm, out=np.zeros_like(vec), where=norm > 1e-12)
    omega = axis * angle * rate
    return np.concatenate([omega, omega[-1:]], axis=0)


def _conjugate(q: np.ndarray) -> np.ndarray:
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def _quat_multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    aw, ax, ay, az = np.moveaxis(a, -1, 0)
    bw, bx, by, bz = np.moveaxis(b, -1, 0)
    return np.stack([aw * bw - ax * bx - ay * by - az * bz,
                     aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx,
                     aw * bz + ax * by - ay * bx + az * bw], axis=-1)


def _matrix(q: np.ndarray) -> np.ndarray:
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                     [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                     [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]])


def _rotate_inverse(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Each v rotated by the inverse of its quaternion (world to body frame)."""
    u = -q[:, 1:]
    w = q[:, :1]
    t = 2.0 * np.cross(u, v)
    return v + w * t + np.cross(u, t)
