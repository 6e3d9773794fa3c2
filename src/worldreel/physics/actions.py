"""Actions as changes of velocity at their start time, and the ballistic solve for throws.

Drops and throws hold their entity still at its placed pose until the action starts; pushes, rolls,
kicks, slides, spins, topples and throws then set the entity's velocity in one step (an impulse),
which is how a hand or a foot acts on the time scale of a frame. A pull is the one lasting action:
a steady horizontal force over its duration (see `plan_pulls`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.assets.mujoco_spec import anchor_point, entity_asset
from worldreel.errors import SceneError
from worldreel.rng import generator
from worldreel.assets.mujoco_spec import entity_rotation
from worldreel.scene import Drop, Kick, Pull, Push, Roll, Scene, Slide, Spin, Throw, Topple
from worldreel.timeline import TimedAction

MIN_FLIGHT_S = 0.35
SPIN_TILT_DEG = (2.0, 4.0)  # the lean of a top as the hand lets it go (see spin_tilt)
MAX_FLIGHT_S = 2.5


@dataclass(frozen=True)
class Launch:
    """What happens to one entity at one time: release it and set its velocity."""

    time: float
    entity: str
    linear: np.ndarray | None  # None: keep (a plain release)
    angular: np.ndarray | None
    spin_rate: float | None = None  # rad/s about the body's own z axis (a top)
    tilt: np.ndarray | None = None  # rotation vector (world) given about its point of support


@dataclass(frozen=True)
class PullForce:
    """A steady force on an entity's centre of mass from `start` to `end` (s)."""

    start: float
    end: float
    entity: str
    force: np.ndarray


def held_until(scene: Scene, timed: list[TimedAction]) -> dict[str, float]:
    """Entities held still until their first drop or throw starts."""
    held: dict[str, float] = {}
    for item in timed:
        if isinstance(item.action, (Drop, Throw)) and item.action.entity not in held:
            held[item.action.entity] = item.time
    return held


def plan_launches(scene: Scene, timed: list[TimedAction], gravity: np.ndarray) -> list[Launch]:
    """Velocity changes for every action, in time order.

    Throws are solved from the thrower's *placed* position, which is where a held entity is when
    it is thrown; a throw by an entity that moved before it is solved from its placed position too
    (a limitation noted in the Scene docs).
    """
    launches = []
    for item in timed:
        action = item.action
        entity = scene.entity(action.entity)
        if isinstance(action, Drop):
            launches.append(Launch(item.time, entity.id, np.zeros(3), np.zeros(3)))
        elif isinstance(action, Throw):
            linear, angular = throw_velocity(scene, action, gravity, item.index)
            launches.append(Launch(item.time, entity.id, linear, angular))
        elif isinstance(action, (Push, Roll, Slide)):
            direction = _horizontal_unit(action.direction, f"actions[{item.index}].direction")
            linear = direction * action.speed
            angular = np.zeros(3) if isinstance(action, Slide) else None
            if isinstance(action, Roll):
                radius = entity_asset(entity).radius * entity.scale
                # Rolling without slipping: w = z x v / r.
                angular = np.cross([0.0, 0.0, 1.0], linear) / radius
            launches.append(Launch(item.time, entity.id, linear, angular))
        elif isinstance(action, Kick):
            direction = _horizontal_unit(action.direction, f"actions[{item.index}].direction")
            e = np.radians(action.elevation)
            linear = action.speed * (np.cos(e) * direction + np.array([0.0, 0.0, np.sin(e)]))
            angular = np.cross([0.0, 0.0, 1.0], direction) * action.spin  # topspin
            launches.append(Launch(item.time, entity.id, linear, angular))
        elif isinstance(action, Spin):
            launches.append(Launch(item.time, entity.id, None, None, spin_rate=action.rate,
                                   tilt=spin_tilt(scene.seed, entity.id)))
        elif isinstance(action, Topple):
            direction = _horizontal_unit(action.direction, f"actions[{item.index}].direction")
            linear, angular = topple_velocity(entity, direction, action.speed)
            launches.append(Launch(item.time, entity.id, linear, angular))
    return launches


def spin_tilt(seed: int, entity_id: str) -> np.ndarray:
    """The lean a spin starts with, as a rotation vector about a horizontal axis.

    A top set spinning by hand is never exactly upright: it leaves the fingers leaning a few
    degrees (SPIN_TILT_DEG), in a seeded direction, and from there it precesses. Exactly upright
    would also be exactly wrong in MuJoCo: a cylinder spinning about a vertical axis meets the
    floor through a degenerate plane-cylinder test, where rounding noise in the axis picks a
    point straight below the disc and invents a contact 8 mm deep that flings the top up.
    """
    rng = generator(seed, f"spin tilt {entity_id}")
    angle = np.radians(rng.uniform(*SPIN_TILT_DEG))
    azimuth = rng.uniform(0.0, 2.0 * np.pi)
    return angle * np.array([np.cos(azimuth), np.sin(azimuth), 0.0])


def topple_velocity(entity, direction: np.ndarray, top_speed: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Rotation about the front bottom edge that moves the entity's top at `top_speed`."""
    lo, hi = (np.array(v) * entity.scale for v in entity_asset(entity).bounds())
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])])
    world = entity_rotation(entity).apply(corners) + np.array(entity.position)
    centre = world.mean(axis=0)
    height = float(np.ptp(world[:, 2]))
    depth = float(np.max(world[:, :2] @ direction[:2]) - centre[:2] @ direction[:2])
    pivot = centre + direction * depth
    pivot[2] = world[:, 2].min()
    omega = np.cross([0.0, 0.0, 1.0], direction) * top_speed / max(height, 1e-3)
    return np.cross(omega, centre - pivot), omega


def plan_pulls(scene: Scene, timed: list[TimedAction]) -> list[PullForce]:
    """Steady forces of every pull action."""
    pulls = []
    for item in timed:
        if isinstance(item.action, Pull):
            direction = _horizontal_unit(item.action.direction,
                                         f"actions[{item.index}].direction")
            pulls.append(PullForce(item.time, item.time + item.action.duration,
                                   item.action.entity, direction * item.action.force))
    return pulls


def _horizontal_unit(direction, field: str) -> np.ndarray:
    d = np.array(direction, dtype=float)
    d[2] = 0.0
    norm = np.linalg.norm(d)
    if norm < 1e-9:
        raise SceneError(f"{field}: needs a horizontal component, e.g. [1, 0, 0]")
    return d / norm


def ballistic_velocity(start: np.ndarray, end: np.ndarray, flight_s: float,
                       gravity: np.ndarray) -> np.ndarray:
    """Launch velocity that carries a point from start to end in flight_s under gravity."""
    return (end - start - 0.5 * gravity * flight_s**2) / flight_s


def default_flight_time(start: np.ndarray, end: np.ndarray, gravity: np.ndarray) -> float:
    """A natural arc: rise about a third of the horizontal distance above the higher end."""
    g = max(float(np.linalg.norm(gravity)), 1e-6)
    horizontal = float(np.linalg.norm((end - start)[:2]))
    apex = max(start[2], end[2]) + max(0.3, 0.35 * horizontal)
    t_up = np.sqrt(2 * max(apex - start[2], 0.0) / g)
    t_down = np.sqrt(2 * max(apex - end[2], 0.0) / g)
    return float(np.clip(t_up + t_down, MIN_FLIGHT_S, MAX_FLIGHT_S))


def throw_velocity(scene: Scene, action: Throw, gravity: np.ndarray,
                   index: int) -> tuple[np.ndarray, np.ndarray]:
    """Linear and angular launch velocity for a throw."""
    thrower = scene.entity(action.entity)
    target = scene.entity(action.target)
    start = np.array(thrower.position, dtype=float)
    radius = entity_asset(thrower).radius * thrower.scale
    if action.aim == "direct":
        end = anchor_point(target, "top" if "top" in entity_asset(target).anchors else None)
    else:
        end = _hoop_aim_point(target, action.aim, radius, start, gravity, action.flight_time)
    flight = action.flight_time or default_flight_time(start, end, gravity)
    linear = ballistic_velocity(start, end, flight, gravity)
    if not np.all(np.isfinite(linear)) or np.linalg.norm(linear) > 60.0:
        raise SceneError(f"actions[{index}]: the throw needs an impossible speed; move the "
                         "thrower closer or give a longer flight_time")
    horizontal = linear.copy()
    horizontal[2] = 0.0
    angular = np.zeros(3)
    if np.linalg.norm(horizontal) > 1e-9 and action.spin:
        axis = np.cross(horizontal / np.linalg.norm(horizontal), [0.0, 0.0, 1.0])
        angular = axis * action.spin  # positive spin is backspin
    return linear, angular


def _hoop_aim_point(hoop, aim: str, radius: float, start: np.ndarray, gravity: np.ndarray,
                    flight: float | None) -> np.ndarray:
    """Where the ball's centre should be at the end of the solved flight.

    make: through the rim centre. miss: against the backboard beside and above the rim, so the
    ball rebounds off the glass and falls. bank: the point on the board from which a mirror
    bounce carries the ball down through the rim (solved by a few fixed-point iterations).
    """
    rim = anchor_point(hoop, "rim")
    board = anchor_point(hoop, "backboard")
    normal = rim - board
    normal[2] = 0.0
    normal /= np.linalg.norm(normal)  # out of the board, towards the court
    side = np.cross([0.0, 0.0, 1.0], normal)
    board_face_at_rim_height = board.copy()
    board_face_at_rim_height[2] = rim[2]
    if aim == "make":
        return rim + np.array([0.0, 0.0, 0.02])
    if aim == "miss":
        # Off-centre high on the glass: the rebound clears the rim and drops to the floor.
        offset = 0.42 if np.dot(start - rim, side) <= 0 else -0.42
        return board_face_at_rim_height + normal * radius + side * offset + [0, 0, 0.45]
    # Bank: hit height h on the board so the reflected path passes the rim centre.
    back_distance = float(np.dot(rim - board, normal)) - radius
    h = 0.35
    for _ in range(8):
        hit = board_face_at_rim_height + normal * radius + [0, 0, h]
        t = flight or default_flight_time(start, hit, gravity)
        v = ballistic_velocity(start, hit, t, gravity) + gravity * t
        vx_out = 0.8 * abs(float(np.dot(v, normal)))  # glass-leather restitution, about 0.8
        t_back = back_distance / max(vx_out, 0.1)
        drop = -(float(v[2]) * t_back + 0.5 * float(gravity[2]) * t_back**2)
        h = float(np.clip(drop, 0.05, 0.9))
    return board_face_at_rim_height + normal * radius + [0, 0, h]
