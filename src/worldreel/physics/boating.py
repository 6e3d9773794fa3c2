"""Boats afloat and under way: hull buoyancy over the waves, hull drag, oars, outboard and sail.

A boat (assets.boats) is one free body. This module, not physics.media, puts every force of the
water and the wind on it, through `xfrc_applied`, every UPDATE_S:

- Buoyancy, strip by strip: the hull is a grid of vertical columns from its bottom to its sheer
  (assets.boats.Hull.columns). Each column's submerged length, under the Setting's water surface
  right where it is (assets.water: the same swell the picture draws), displaces rho g a l of
  water acting up at the middle of its wet part. A wave under the bow lifts the bow, a heeled
  boat's lower side is pushed up more than its higher side (the righting moment: the metacentric
  height comes from the hull's own waterplane), and the still-water waterline is the one
  Archimedes gives (assets.boats: the asset's frame). Not modelled: the pressure of the wave's
  motion on the hull (Froude-Krylov beyond the static head), the added mass of the water it
  moves, and water over the gunwale (a column holds at most its height).
- Vertical damping on each wet column's motion relative to the water's (the waves' orbits): the
  radiation damping of heave, pitch and roll, at HEAVE_DAMPING of critical for heave.
- Hull resistance on the speed through the water (relative to the orbital flow): along the hull
  R = 1/2 rho S C_T u|u| on the wetted surface S, with C_T from the spec (ITTC-57 friction with
  a form factor and a residuary share), rising steeply past hull speed for a displacement hull
  (Froude number FN_HULL). A planing motorboat is simplified to one quadratic law whose C_T is
  fitted so that its engine's power, through the propeller's efficiency, holds its published
  top speed (no hump, no rise onto the plane). Sideways and in yaw the hull (and fin keel) is a
  flat plate (C_LAT) on its lateral area: leeway and turning are resisted as a keel resists.
- Propulsion, when a Drive asks for a speed (a speed controller like physics.driving's):
  - outboard: propeller thrust from the engine's power, at most BOLLARD_N_PER_KW standing still
    and eta P / u under way, pushed at the propeller (low at the transom: the bow lifts);
    the engine's rpm follows the power the propeller absorbs (the propeller law, P ~ n^3);
  - oars: strokes at the spec's rate from the Drive's start, the blades' push a half sine over
    the drive phase (blades in the water), nothing on the recovery; each stroke's peak is set at
    its catch to what the speed asks, at most the rower's peak force and power;
  - sail: a steady breeze (the spec's; the Setting has no wind) blowing across the boat's heading
    when the Drive starts (a beam reach), on mainsail and jib as one wing: lift C_L and drag C_D
    on the apparent wind, trimmed (the sheet: `throttle`) to what the speed asks; none when the
    apparent wind is within NO_GO of the bow. Its heeling force acts at the sail's centre of
    effort, so the boat heels and the hull's righting moment holds it.
- Steering: pure pursuit of the same curve through the Drive's waypoints as a road vehicle's
  (physics.driving), as a yaw rate u kappa the rudder (or the outboard, or the oars) turns the
  boat at, at most the speed over the spec's turning radius; a torque about the vertical.

Weights and start: the boat's mass sits where its parts do (assets.boats.weights: the lead low in
a fin keel, the crew seated, the outboard on the transom), set as the body's inertia; it starts
at its own still-water trim (assets.boats.still_trim: an outboard sits it by the stern), on the
wave under it, tilted to the surface's slope and moving with the water, so it does not fall into
a trough or slap at t = 0. The entity must be placed at the water's level (z = the level), over
water deeper than it draws (`check_boats`).

Brake on a boat: there are no brakes; the throttle (oars, sheets) goes off and the boat drifts to
a stop on its hull's drag. Reversing a propeller is not modelled.

Recording: each boat's VehicleTrack (speed through the ground along its heading, engine rpm for
an outboard, 0 otherwise, gear 1 while the propeller turns, throttle: the engine's, the sail's
trim, or for oars the blades' push as a share of the stroke's peak (sin(pi tau / drive), so the
catch instants can be read back from it: audio.boats), brake 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.boats import (BOOM_MASS_KG, OAR_INBOARD_M, OAR_MASS_KG, OAR_OUTBOARD_M,
                                   OAR_REST_SWEEP, BoatSpec, boat_spec, inertial, oar_rest_dip, still_trim,
                                   weights)
from worldreel.assets.environments import environment
from worldreel.assets.materials import MEDIA
from worldreel.assets.water import Water, water_of
from worldreel.errors import SceneError
from worldreel.physics.driving import _hermite_path, _Path, _straight_path
from worldreel.recording import VehicleTrack
from worldreel.scene import Brake, Drive, Scene
from worldreel.timeline import TimedAction

UPDATE_S = 1.0 / 600.0  # how often the water's and the wind's forces are recomputed
HEAVE_DAMPING = 0.15  # of critical: small craft's heave radiation damping (Faltinsen, "Sea
# Loads on Ships and Offshore Structures", 1990, ch. 3: 0.1-0.2 near resonance)
C_LAT = 1.0  # a flat plate broadside to the flow (Hoerner, "Fluid-Dynamic Drag", 1965: 1.0-1.2
# for low aspect ratio plates)
LATERAL_PROFILE = 0.7  # of LWL x draft: a canoe body's underwater side profile (rounded at
# the forefoot and the run), between a rectangle (1) and a triangle (0.5)
LINEAR_LAT = 0.2  # N s/m per N s^2/m^2 of the quadratic term: a little linear damping so a slow
# drift still ends
FN_HULL = 0.4  # a displacement hull's resistance climbs steeply towards Fn 0.4 ("hull speed";
# Larsson & Eliasson, "Principles of Yacht Design", 2014, ch. 5)
PROPELLER_EFFICIENCY = 0.55  # an outboard's propeller on a small planing boat: 50-60 % (Gerr,
# "The Propeller Handbook", 2001, ch. 3)
BOLLARD_N_PER_KW = 100.0  # static thrust of an open propeller: about 1 t per 100 hp for tugs
# (130 N/kW, Gerr ch. 9), less for a small high-pitch outboard propeller
SAIL_LIFT, SAIL_DRAG = 1.2, 0.2  # mainsail and jib together on a reach (Marchaj, "Sail
# Performance", 2003: C_L 1.2-1.5, C_D 0.1-0.3 at 30-90 degrees apparent)
NO_GO_DEG = 35.0  # closer to the wind than this a sail only flaps
SPEED_GAIN_PER_S = 1.5  # speed error -> acceleration asked (a 0.7 s time constant)
SPEED_INTEGRAL_PER_S2 = 0.5
ROLL_DAMPING = 0.10  # of critical, in roll and in pitch about the hull's own axes: bilge and
# keel vortices and the hull's radiation (Himeno, "Prediction of ship roll damping", U. Michigan
# report 239, 1981: 0.05-0.15 for hulls with keels); without it a keelboat rolled 26 degrees
# in a 0.3 m beam swell at resonance
YAW_GAIN_PER_S = 4.0  # yaw-rate error -> angular acceleration asked
LOOKAHEAD_S, MIN_LOOKAHEAD_M = 0.7, 4.0  # pure pursuit's look-ahead: 0.7 s of travel, >= 4 m
PLACE_TOLERANCE_M = 0.25  # how far off the water's level a boat may be placed
KEEL_CLEARANCE_M = 0.05  # water under the deepest point a boat needs where it is placed
ADRIFT_SPEED_M_S = 0.05  # slower than this a boat placed moving counts as still
# The oars' swing (degrees; sweep + aft, rise + blade up): the blade goes in a little ahead of
# square and comes out past it (recreational sculling arcs of ~75 degrees, Kleshnev 2016, ch. 3),
# buried OAR_BURY under its rest dip during the drive, feathered up OAR_LIFT on the recovery.
OAR_CATCH, OAR_FINISH = -40.0, 35.0
OAR_BURY, OAR_LIFT = 3.0, 12.0
OAR_LIFT_S = 0.15  # the blade rises out (and drops in) over this long
OAR_SWING_W = 25.0  # rad/s: how stiffly the rower's arms hold an oar to its stroke
BOOM_SWING_W = 5.0  # rad/s: the mainsheet's hold on the boom (stretchy: it swings slowly)
BOOM_SHARE = 0.5  # the boom is let out to half the apparent wind's angle off the bow (the
# usual trim, e.g. RYA Day Skipper handbook: "ease until the luff just lifts")
BOOM_MAX_DEG = 80.0  # the shrouds stop it


@dataclass
class _Boat:
    entity: str
    spec: BoatSpec
    commands: list[tuple[float, Drive | Brake]]
    engine_from: float
    body: int = 0
    mass: float = 0.0
    inertia_z: float = 0.0
    rock: np.ndarray = field(default_factory=lambda: np.zeros(2))  # N m s: roll, pitch damping
    link_joints: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # links'
    columns: tuple = ()
    mode: str = "adrift"  # adrift, drive
    path: _Path | None = None
    path_index: int = 0
    target: float = 0.0
    stop_after: float | None = None
    odometer: float = 0.0
    last_xy: np.ndarray | None = None
    integral: float = 0.0
    throttle: float = 0.0
    thrust: float = 0.0
    stroke_from: float | None = None  # the first catch
    stroke_peak: float = 0.0  # N of the stroke in progress
    stroke_index: int = -1
    wind: np.ndarray | None = None
    samples: list = field(default_factory=list)


def check_boats(scene: Scene) -> None:
    """Raise a SceneError for a boat with no water to float on, or placed off the water."""
    water = water_of(scene.setting)
    problems = []
    for n, entity in enumerate(scene.entities):
        spec = boat_spec(entity.asset)
        if spec is None:
            continue
        where = f"entities[{n}] ({entity.id!r}, a {entity.asset})"
        if water is None:
            problems.append(f"{where}: a boat needs water and the "
                            f"{environment(scene.setting.environment).name} has none: set "
                            "setting.environment to beach (a sea) or give setting.water_level "
                            "(a pool that deep, m)")
            continue
        if entity.scale != 1.0 or entity.mass is not None:
            problems.append(f"{where}: a boat is built to its real size and weight, which set "
                            "its waterline: leave out scale and mass")
            continue
        x, y, z = entity.position
        depth = float(water.water_depth(x, y))
        if depth < spec.deepest + KEEL_CLEARANCE_M:
            ground = "on dry land" if depth <= 0.0 else f"in {depth:.2f} m of water"
            problems.append(f"{where} is {ground} at ({x:g}, {y:g}) and draws "
                            f"{spec.deepest:.2f} m: move it out over deeper water"
                            + (f" (further along {tuple(water.toward)})"
                               if water.shore is not None else "")
                            + " or give a deeper setting.water_level")
        elif abs(z - water.level) > PLACE_TOLERANCE_M:
            problems.append(f"{where} stands at z = {z:g}; a boat floats with its waterline "
                            f"on the water: put it at z = {water.level:g}")
    if problems:
        raise SceneError("; ".join(problems))


class Boating:
    """The boats of a Scene afloat: bound to the model, forces applied before the physics steps
    (`drive`), drivetrains recorded at every sample (`record`)."""

    def __init__(self, scene: Scene, timed: list[TimedAction]):
        check_boats(scene)
        self.scene = scene
        self.water: Water | None = water_of(scene.setting)
        self.rho = MEDIA["water"].density
        self.rho_air = MEDIA["air"].density if scene.setting.medium == "air" else 0.0
        self.g = float(np.linalg.norm(scene.setting.gravity))
        self.boats: list[_Boat] = []
        for entity in scene.entities:
            spec = boat_spec(entity.asset)
            if spec is None:
                continue
            commands = [(t.time, t.action) for t in timed
                        if isinstance(t.action, (Drive, Brake)) and t.action.entity == entity.id]
            moving = float(np.linalg.norm(entity.velocity[:2])) > ADRIFT_SPEED_M_S
            drives = [t for t, a in commands if isinstance(a, Drive)]
            engine_from = 0.0 if moving else (min(drives) if drives else math.inf)
            self.boats.append(_Boat(entity.id, spec, commands, engine_from))
        self.active = bool(self.boats)
        self._stride = max(1, round(UPDATE_S * scene.physics_rate))

    def owns(self, body_name: str) -> bool:
        """Whether this body is a boat's or one of its links' (physics.media leaves it alone)."""
        return any(body_name.split(".")[0] == b.entity for b in self.boats)

    def add_to_spec(self, mujoco, spec) -> None:
        """Each boat weighs as its parts do (assets.boats.weights: lead low in the keel, crew
        and engine where they sit), not spread evenly over its drawn planks."""
        for b in self.boats:
            com, moments = inertial(b.spec)
            body = spec.body(b.entity)
            body.explicitinertial = True
            body.mass = float(inertial_mass(b.spec))
            body.ipos = com.tolist()
            body.iquat = [1.0, 0.0, 0.0, 0.0]
            body.inertia = moments.tolist()
            if not _link_names(b):
                continue
            if b.spec.rowing is not None:  # the rower's arms: a stiff, damped spring
                oar = OAR_MASS_KG * ((OAR_INBOARD_M + OAR_OUTBOARD_M) ** 2 / 12.0
                                     + (0.5 * (OAR_OUTBOARD_M - OAR_INBOARD_M)) ** 2)
                swing, inertia = OAR_SWING_W, oar
            else:  # the mainsheet on the boom and sail
                swing, inertia = BOOM_SWING_W, BOOM_MASS_KG * b.spec.rig.foot ** 2 / 3.0
            w = min(swing, 0.2 * self.scene.physics_rate)
            for name in _link_names(b):
                joint = spec.body(f"{b.entity}.{name}").joints[0]
                joint.stiffness = [inertia * w * w, 0.0, 0.0]
                joint.damping = [2.0 * inertia * w, 0.0, 0.0]

    def bind(self, model, data) -> None:
        """Find each boat's body; set one placed moving cruising at its speed."""
        self._model = model
        for b in self.boats:
            b.body = model.body(b.entity).id
            b.mass = float(model.body_subtreemass[b.body])
            b.inertia_z = float(model.body_inertia[b.body][2])
            b.columns = b.spec.hull.columns()
            b.link_joints = np.array([model.jnt_qposadr[model.body_jntadr[
                model.body(f"{b.entity}.{name}").id]] for name in _link_names(b)], dtype=int)
            b.rock = self._rock_damping(model, b)
            # afloat from the start on the wave under it, moving as its water moves (not
            # dropped into a trough, nor held still while the wave passes)
            joint = model.body_jntadr[b.body]
            qadr, vadr = int(model.jnt_qposadr[joint]), int(model.jnt_dofadr[joint])
            x, y = data.qpos[qadr:qadr + 2]
            surface = float(self.water.height(x, y, 0.0))
            rise, pitch = still_trim(b.spec)  # at its own trim, not the design waterline's
            slopes, turning = self._slopes(data, b, x, y)
            data.qpos[qadr + 2] += surface - self.water.level + rise
            w, qx, qy, qz = data.qpos[qadr + 3:qadr + 7]
            turned = Rotation.from_quat([qx, qy, qz, w]) * Rotation.from_rotvec(
                [slopes[1], pitch - slopes[0], 0.0])
            data.qpos[qadr + 3:qadr + 7] = np.roll(turned.as_quat(), 1)
            data.qvel[vadr:vadr + 3] += self.water.flow(x, y, surface, 0.0)
            data.qvel[vadr + 3:vadr + 5] += [turning[1], -turning[0]]
            entity = self.scene.entity(b.entity)
            heading = self._heading(data, b)
            speed = float(np.dot(np.asarray(entity.velocity[:2]), heading))
            if abs(speed) > ADRIFT_SPEED_M_S:
                b.mode, b.target = "drive", abs(speed)
                b.path = _straight_path(self._xy(data, b), heading)
                if b.spec.propulsion == "sail":
                    b.wind = self._beam_wind(heading, b.spec)

    def _slopes(self, data, b: _Boat, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """The surface's slope angles (rad) along the boat's x and y over its length and beam
        at t = 0, and how fast they change (rad/s)."""
        rot = data.xmat[b.body].reshape(3, 3) if data.xmat[b.body].any() else np.eye(3)
        spans = (0.5 * b.spec.hull.half_length, 0.25 * b.spec.shape.beam)
        dt = 1e-3

        def angles(t: float) -> np.ndarray:
            out = np.zeros(2)
            for k, span in enumerate(spans):
                d = rot[:2, k] / max(float(np.linalg.norm(rot[:2, k])), 1e-9) * span
                rise = self.water.height(x + d[0], y + d[1], t) - self.water.height(
                    x - d[0], y - d[1], t)
                out[k] = math.atan(float(rise) / (2.0 * span))
            return out

        now = angles(0.0)
        return now, (angles(dt) - now) / dt

    # --- state ----------------------------------------------------------------------------
    @staticmethod
    def _heading(data, b: _Boat) -> np.ndarray:
        x = data.xmat[b.body].reshape(3, 3)[:2, 0]
        return x / max(float(np.linalg.norm(x)), 1e-9)

    @staticmethod
    def _xy(data, b: _Boat) -> np.ndarray:
        return np.array(data.xpos[b.body][:2])

    def _velocity(self, data, b: _Boat) -> tuple[np.ndarray, np.ndarray]:
        """(angular, linear) velocity of the boat's centre of mass, world frame."""
        import mujoco  # noqa: PLC0415

        vel = np.zeros(6)
        mujoco.mj_objectVelocity(self._model, data, mujoco.mjtObj.mjOBJ_BODY, b.body, vel, 0)
        return vel[:3], vel[3:]

    # --- the forces -----------------------------------------------------------------------
    def drive(self, model, data, step: int, time: float) -> bool:
        """Recompute every boat's forces every UPDATE_S; True: the water acts."""
        if step % self._stride == 0:
            for b in self.boats:
                omega, v_com = self._velocity(data, b)
                self._control(data, b, time)
                self._forces(data, b, omega, v_com, time)
                if b.spec.rowing is not None:
                    model.qpos_spring[b.link_joints] = np.radians(self._oar_angles(b, time))
                elif len(b.link_joints):
                    model.qpos_spring[b.link_joints] = math.radians(self._boom_angle(data, b,
                                                                                    v_com))
        return True

    def _boom_angle(self, data, b: _Boat, v_com: np.ndarray) -> float:
        """Degrees the boom is let out (+ to starboard): to leeward, by half the apparent
        wind's angle off the bow; amidships with no wind."""
        if b.wind is None or b.mode != "drive":
            return 0.0
        apparent = b.wind - v_com[:2]
        fwd = self._heading(data, b)
        off_bow = math.degrees(math.atan2(abs(float(fwd[0] * apparent[1] - fwd[1] * apparent[0])),
                                          -float(fwd @ apparent)))
        to_starboard = float(fwd[0] * apparent[1] - fwd[1] * apparent[0]) < 0.0  # blowing right
        angle = min(BOOM_SHARE * off_bow, BOOM_MAX_DEG)
        return angle if to_starboard else -angle

    def _oar_angles(self, b: _Boat, time: float) -> np.ndarray:
        """Degrees of port sweep, port rise, starboard sweep, starboard rise at `time`: through
        the stroke in progress (blades buried on the drive, feathered up on the recovery), else
        shipped at rest. Starboard's are port's mirrored."""
        rest = oar_rest_dip(b.spec)
        sweep, rise = OAR_REST_SWEEP, rest
        rowing = b.spec.rowing
        if b.mode == "drive" and b.stroke_from is not None and b.stroke_peak > 0.0:
            _, tau = self._stroke_phase(b, time)
            if tau < rowing.drive_s:
                along = 0.5 * (1.0 - math.cos(math.pi * tau / rowing.drive_s))
                sweep = OAR_CATCH + (OAR_FINISH - OAR_CATCH) * along
                rise = rest - OAR_BURY
            else:
                back = tau - rowing.drive_s
                recovery = rowing.period - rowing.drive_s
                along = 0.5 * (1.0 - math.cos(math.pi * back / recovery))
                sweep = OAR_FINISH + (OAR_CATCH - OAR_FINISH) * along
                up = min(1.0, back / OAR_LIFT_S, (recovery - back) / OAR_LIFT_S)
                rise = rest - OAR_BURY + (OAR_BURY + OAR_LIFT) * max(up, 0.0)
        return np.array([sweep, rise, -sweep, -rise])

    def _forces(self, data, b: _Boat, omega: np.ndarray, v_com: np.ndarray,
                time: float) -> None:
        """Set the boat's xfrc_applied: buoyancy, damping, hull drag, propulsion, steering."""
        rot = data.xmat[b.body].reshape(3, 3)
        com = data.xipos[b.body]
        force, torque = np.zeros(3), np.zeros(3)
        centres, volume, surface = self._buoyancy(data, b, rot, com, time, force, torque)
        wet = volume > 0.0
        if wet.any():
            share = min(1.0, float(volume.sum()) * self.rho / b.spec.mass)  # how afloat it is
            self._damp(b, rot, com, centres[wet], b.columns[4][wet], omega, v_com, time, share,
                       force, torque)
            fwd = self._heading(data, b)
            flow = self.water.flow(com[0], com[1], min(com[2], float(surface.mean())), time)
            u = self._drag(b, fwd, v_com - flow, float(omega[2]), share, force, torque)
            self._propel(data, b, rot, com, fwd, u, omega, v_com, time, force, torque)
        data.xfrc_applied[b.body, :3] = force
        data.xfrc_applied[b.body, 3:] = torque

    def _buoyancy(self, data, b: _Boat, rot, com, time: float, force, torque):
        """Each column's wet length under the surface where it stands, rho g a l of lift at
        its wet part's middle, added on; (wet parts' centres, volumes, surface heights)."""
        x, y, z0, z1, area = b.columns
        bottom = data.xpos[b.body] + np.stack([x, y, z0], axis=1) @ rot.T
        axis = rot[:, 2]
        surface = self.water.height(bottom[:, 0], bottom[:, 1], time)
        wet = np.clip((surface - bottom[:, 2]) / max(float(axis[2]), 0.2), 0.0, z1 - z0)
        wet = np.where(self.water.covers(bottom[:, 0], bottom[:, 1]), wet, 0.0)
        volume = area * wet
        centres = bottom + np.outer(0.5 * wet, axis)
        lift = self.rho * self.g * volume
        force[2] += float(lift.sum())
        torque += _moment_of_vertical(centres - com, lift)
        return centres, volume, surface

    def _damp(self, b: _Boat, rot, com, points, area, omega, v_com, time: float, share: float,
              force, torque) -> None:
        """Heave damping spread over the wet columns on their motion against the water's (so
        pitch and roll are damped too), and roll and pitch damping about the hull's axes."""
        flow = self.water.flow(points[:, 0], points[:, 1], points[:, 2], time)
        v_points = v_com + np.cross(omega, points - com)
        awp = self._design(b.spec)[1]
        c = 2.0 * HEAVE_DAMPING * math.sqrt(self.rho * self.g * awp * b.mass)
        damp = -c * area / area.sum() * (v_points[:, 2] - flow[:, 2])
        force[2] += float(damp.sum())
        torque += _moment_of_vertical(points - com, damp)
        for k in range(2):  # roll about the hull's x axis, pitch about its y
            along = rot[:, k]
            torque -= b.rock[k] * float(omega @ along) * along * share

    def _drag(self, b: _Boat, fwd, relative, r: float, share: float, force, torque) -> float:
        """The hull's resistance ahead, its lateral plane's sideways and in yaw, on the motion
        through the water; returns the speed through the water ahead, m/s."""
        spec = b.spec
        side = np.array([-fwd[1], fwd[0]])
        u, s = float(relative[:2] @ fwd), float(relative[:2] @ side)
        lateral = self._lateral_area(spec)
        q_side = 0.5 * self.rho * C_LAT * lateral
        sway = -q_side * (s * abs(s) + LINEAR_LAT * s)
        force[:2] += share * (-self._resistance(spec, u) * fwd + sway * side)
        length = spec.shape.length
        yaw = q_side / length * length ** 4 / 32.0  # the plate's strips at +-x turning at r x
        torque[2] -= yaw * (r * abs(r) + LINEAR_LAT * r) * share
        return u

    def _rock_damping(self, model, b: _Boat) -> np.ndarray:
        """N m s of roll and pitch damping at ROLL_DAMPING of critical: the stiffness is the
        still waterplane's (rho g times its second moment about each axis), the inertia the
        body's principal moments (a boat's principal axes are its own)."""
        x, y, z0, z1, area = b.columns
        wet = (z0 < 0.0) & (z1 > 0.0)
        com = np.asarray(model.body_ipos[b.body])
        stiffness = self.rho * self.g * np.array([
            np.sum(area[wet] * (y[wet] - com[1]) ** 2),
            np.sum(area[wet] * (x[wet] - com[0]) ** 2)])
        inertia = np.asarray(model.body_inertia[b.body][:2], float)
        return 2.0 * ROLL_DAMPING * np.sqrt(stiffness * inertia)

    @staticmethod
    def _design(spec: BoatSpec) -> tuple[float, float, float]:
        return spec.waterplane

    def _lateral_area(self, spec: BoatSpec) -> float:
        lwl = self._design(spec)[0]
        area = LATERAL_PROFILE * lwl * spec.draft  # the canoe body's profile under water
        if spec.keel is not None:
            area += spec.keel.chord * (spec.keel.tip_depth - spec.draft)
        return area

    def _resistance(self, spec: BoatSpec, u: float) -> float:
        """N against the hull's motion at u m/s through the water (signed like u)."""
        lwl, _, wetted = self._design(spec)
        if spec.propulsion == "outboard":
            eta_p = PROPELLER_EFFICIENCY * spec.engine.power_kw * 1000.0
            ct = 2.0 * eta_p / (self.rho * wetted * spec.top_speed ** 3)
            return 0.5 * self.rho * wetted * ct * u * abs(u)
        fn = abs(u) / math.sqrt(self.g * max(lwl, 0.1))
        ct = spec.resistance_coefficient * (1.0 + (fn / FN_HULL) ** 6)
        return 0.5 * self.rho * wetted * ct * u * abs(u)

    # --- the helmsman ---------------------------------------------------------------------
    def _control(self, data, b: _Boat, time: float) -> None:
        while b.commands and b.commands[0][0] <= time + 0.5 / self.scene.physics_rate:
            self._start(data, b, b.commands.pop(0)[1], time)
        xy = self._xy(data, b)
        if b.last_xy is not None:
            b.odometer += float(np.linalg.norm(xy - b.last_xy))
        b.last_xy = xy
        if b.mode == "drive" and b.stop_after is not None and b.odometer >= b.stop_after:
            b.mode = "adrift"

    def _start(self, data, b: _Boat, action: Drive | Brake, time: float) -> None:
        if isinstance(action, Brake):
            b.mode = "adrift"  # no brakes: throttle off, drift to a stop on the hull's drag
            return
        b.mode, b.target, b.integral = "drive", action.speed, 0.0
        b.stop_after = b.odometer + action.distance if action.distance is not None else None
        heading = self._heading(data, b)
        start = self._xy(data, b)
        if action.path:
            b.path = _hermite_path(start, heading, [np.array(p, float) for p in action.path])
        elif action.direction is not None:
            d = np.array(action.direction[:2], float)
            d /= np.linalg.norm(d)
            turn = b.spec.turning_radius * 1.5
            b.path = _hermite_path(start, heading, [start + turn * (heading + d)], end_heading=d)
        else:
            b.path = _straight_path(start, heading)
        b.path_index = 0
        if b.spec.propulsion == "oars" and b.stroke_from is None:  # rowing on: same rhythm
            b.stroke_from = time
        if b.spec.propulsion == "sail" and b.wind is None:
            b.wind = self._beam_wind(heading, b.spec)

    @staticmethod
    def _beam_wind(heading: np.ndarray, spec: BoatSpec) -> np.ndarray:
        """The breeze from the boat's port beam (blowing to starboard), world x, y."""
        return spec.breeze_m_s * np.array([heading[1], -heading[0]])

    def _wanted(self, b: _Boat, u: float, dt: float) -> float:
        """N of forward push the speed controller asks for (before what is available)."""
        error = b.target - u
        if abs(error) < 0.5:
            b.integral = float(np.clip(b.integral + error * dt, -3.0, 3.0))
        accel = SPEED_GAIN_PER_S * error + SPEED_INTEGRAL_PER_S2 * b.integral
        return b.mass * accel + self._resistance(b.spec, u)

    def _propel(self, data, b: _Boat, rot, com, fwd, u: float, omega, v_com, time: float,
                force, torque) -> None:
        """Thrust (and for a sail its heeling force) and the steering torque, added on."""
        spec = b.spec
        dt = self._stride / self.scene.physics_rate
        b.thrust, b.throttle = 0.0, 0.0
        if b.mode != "drive":
            if spec.propulsion == "oars":
                b.stroke_from = None
            return
        wanted = self._wanted(b, u, dt)
        push = np.zeros(3)
        push[:2] = fwd
        if spec.propulsion == "outboard":
            available = self._max_thrust(spec, u)
            b.thrust = float(np.clip(wanted, 0.0, available))
            b.throttle = b.thrust / available
            at = data.xpos[b.body] + rot @ np.array([-spec.hull.half_length - 0.2, 0.0,
                                                      -spec.draft - 0.1])
        elif spec.propulsion == "oars":
            b.thrust = self._stroke(b, u, wanted, time)
            at = com
        else:
            b.thrust = self._sail(b, data, rot, fwd, v_com, wanted, force, torque, com)
            at = com
        f = b.thrust * push
        force += f
        torque += np.cross(at - com, f)
        torque[2] += self._steer(data, b, fwd, u, float(omega[2]))

    def _max_thrust(self, spec: BoatSpec, u: float) -> float:
        power = spec.engine.power_kw * 1000.0
        return min(BOLLARD_N_PER_KW * spec.engine.power_kw,
                   PROPELLER_EFFICIENCY * power / max(abs(u), 0.1))

    def _stroke(self, b: _Boat, u: float, wanted: float, time: float) -> float:
        """N the oars push at `time`: a half sine over each drive phase, its peak set at the
        catch from the push the speed asks for over the whole stroke."""
        rowing = b.spec.rowing
        if b.stroke_from is None:
            b.stroke_from = time
        k, tau = self._stroke_phase(b, time)
        if k != b.stroke_index:  # a new catch: how hard to pull this stroke
            b.stroke_index = k
            mean = min(max(wanted, 0.0), rowing.power_w / max(abs(u), 0.4))
            b.stroke_peak = min(mean * rowing.period / (rowing.drive_s * 2.0 / math.pi),
                                rowing.peak_force_n)
        if b.stroke_peak <= 0.0 or tau >= rowing.drive_s:
            return 0.0
        shape = math.sin(math.pi * tau / rowing.drive_s)
        b.throttle = shape
        return b.stroke_peak * shape

    @staticmethod
    def _stroke_phase(b: _Boat, time: float) -> tuple[int, float]:
        period = b.spec.rowing.period
        k = int(math.floor((time - b.stroke_from) / period + 1e-9))
        return k, time - b.stroke_from - k * period

    def _sail(self, b: _Boat, data, rot, fwd, v_com, wanted: float, force, torque,
              com) -> float:
        """The sails' drive (N forward); their heeling force and its moment go on directly."""
        spec = b.spec
        apparent = b.wind - v_com[:2]
        speed = float(np.linalg.norm(apparent))
        if speed < 1e-3 or self.rho_air <= 0.0:
            return 0.0
        a = apparent / speed
        off_bow = math.degrees(math.acos(float(np.clip(-a @ fwd, -1.0, 1.0))))
        if off_bow < NO_GO_DEG:
            return 0.0
        lift = np.array([-a[1], a[0]])
        if lift @ fwd < 0.0:
            lift = -lift
        q = 0.5 * self.rho_air * speed * speed * spec.rig.area
        total = q * (SAIL_LIFT * lift + SAIL_DRAG * a)
        drive = float(total @ fwd)
        if drive <= 0.0:
            return 0.0
        trim = float(np.clip(wanted / drive, 0.0, 1.0))
        b.throttle = trim
        side = np.array([-fwd[1], fwd[0]])
        heel = trim * float(total @ side) * side
        rig = spec.rig
        deck = float(spec.hull.sheer_z(0.0)) - spec.draft
        centre = np.array([spec.hull.half_length - 0.2 - rig.jib_foot - rig.foot / 3.0, 0.0,
                           deck + rig.boom_height + rig.luff / 3.0])
        at = data.xpos[b.body] + rot @ centre
        f = np.array([heel[0], heel[1], 0.0])
        force += f
        torque += np.cross(at - com, f)
        return trim * drive

    def _steer(self, data, b: _Boat, fwd: np.ndarray, u: float, r: float) -> float:
        """N m about the vertical turning the boat onto the pure-pursuit yaw rate."""
        if b.path is None:
            return 0.0
        xy = self._xy(data, b)
        b.path_index = b.path.nearest(xy, b.path_index)
        lookahead = max(MIN_LOOKAHEAD_M, LOOKAHEAD_S * abs(u))
        goal = b.path.at(b.path.s[b.path_index] + lookahead) - xy
        distance = max(float(np.linalg.norm(goal)), 1e-6)
        alpha = math.atan2(fwd[0] * goal[1] - fwd[1] * goal[0], float(fwd @ goal))
        rate = max(u, 0.0) * 2.0 * math.sin(alpha) / distance
        limit = max(u, 0.0) / b.spec.turning_radius
        rate = float(np.clip(rate, -limit, limit))
        return b.inertia_z * YAW_GAIN_PER_S * (rate - r)

    # --- recording ------------------------------------------------------------------------
    def record(self, data, time: float) -> None:
        """Note every boat's speed, engine and throttle at this sample."""
        for b in self.boats:
            speed = float(self._heading(data, b) @ self._velocity(data, b)[1][:2])
            rpm, gear, throttle = 0.0, 0, 0.0
            if b.spec.propulsion == "outboard" and time >= b.engine_from:
                rpm = self._rpm(b.spec, speed, b.thrust)
                gear = 1 if b.thrust > 0.0 else 0
                throttle = b.throttle
            elif b.spec.propulsion == "oars" and b.mode == "drive" and b.stroke_from is not None:
                k, tau = self._stroke_phase(b, time)
                drive = b.spec.rowing.drive_s
                pulling = b.stroke_peak > 0.0 and k == b.stroke_index and tau < drive
                throttle = math.sin(math.pi * tau / drive) if pulling else 0.0
            elif b.spec.propulsion == "sail":
                throttle = b.throttle
            b.samples.append((speed, rpm, gear, throttle, 0.0))

    def _rpm(self, spec: BoatSpec, u: float, thrust: float) -> float:
        """The outboard's rpm: the power its propeller absorbs goes as n^3 (the propeller law),
        never below idle while it runs."""
        engine = spec.engine
        bollard_speed = PROPELLER_EFFICIENCY * engine.power_kw * 1000.0 / (
            BOLLARD_N_PER_KW * engine.power_kw)
        power = thrust * max(abs(u), bollard_speed) / PROPELLER_EFFICIENCY
        share = min(power / (engine.power_kw * 1000.0), 1.0)
        return float(max(engine.idle_rpm, engine.max_rpm * share ** (1.0 / 3.0)))

    def tracks(self) -> tuple[VehicleTrack, ...]:
        out = []
        for b in self.boats:
            rows = np.array(b.samples, dtype=float).reshape(-1, 5)
            out.append(VehicleTrack(b.entity, rows[:, 0], rows[:, 1], rows[:, 2].astype(int),
                                    rows[:, 3], rows[:, 4]))
        return tuple(out)


def _moment_of_vertical(arms: np.ndarray, forces: np.ndarray) -> np.ndarray:
    """Total moment of vertical forces (n,) acting at `arms` (n, 3) from a point."""
    return np.array([float(arms[:, 1] @ forces), -float(arms[:, 0] @ forces), 0.0])


def _link_names(b: _Boat) -> tuple[str, ...]:
    """The links a boat swings (assets.boats): a rowing boat's oars, port then starboard, or a
    sailing boat's boom."""
    if b.spec.rowing is not None:
        return ("rowlock_p", "oar_p", "rowlock_s", "oar_s")
    return ("boom",) if b.spec.rig is not None else ()


def inertial_mass(spec: BoatSpec) -> float:
    """kg of the boat's own body: its weights less what rides on links (the oars)."""
    return sum(m for _, m, _, _ in weights(spec))
