"""Birds and fish, animated after the simulation from its Recording: who takes off when, how
each member flies (boids), lands, pecks, or swims, at every sample of the Recording.

It lives in physics (not animation) because it reads the simulated Recording and completes it:
animation runs before physics and may not import the Recording.

Birds and fish barely push the world, so they are not simulated in MuJoCo: this stage reads
where every thing and person is at every sample and reacts to it. A bird on the ground takes off
when something moving comes within its species' flight initiation distance (FID), after a short
reaction time, and its neighbours follow (alarm spreads through a flock); it leaves steeply with
fast strokes, then cruises flapping and gliding (or bounding, for sparrows), flying as a flock
with Reynolds's (1987, "Flocks, herds and schools", SIGGRAPH) separation, alignment and
cohesion; it lands by gliding down, flaring and touching down feet first. Fish school the same
way in the water under the surface, beating their tails (Bainbridge 1958), and burst away in a
C-start from anything that moves near them.
"""

from __future__ import annotations

from worldreel.assets.flocks import species
from worldreel.assets.water import water_of
from worldreel.errors import SceneError
from worldreel.physics.flocks.flight import CONTAGION_S, REACTION_S, TAKE_OFF_S, Flight
from worldreel.physics.flocks.members import Threats, obstacles as place_obstacles
from worldreel.physics.flocks.school import School
from worldreel.recording import FlockTrack, Recording
from worldreel.rng import generator
from worldreel.scene import Scene
from worldreel.timeline import StepDuration, TimedFlockStep, resolve_flocks


def check_flock_places(scene: Scene) -> None:
    """Fish must be in water deep enough for them (SceneError naming the flock otherwise)."""
    water = water_of(scene.setting)
    for n, flock in enumerate(scene.flocks):
        if not flock.is_fish:
            continue
        kind = species(flock.species)
        x, y = flock.centre
        if water is None or not bool(water.covers(x, y)):
            raise SceneError(f"flocks[{n}] ({flock.species}): put them in water; the centre "
                             f"({x:g}, {y:g}) is on dry ground (set setting.water_level, or move "
                             "the centre out past the shore)")
        depth = float(water.water_depth(x, y))
        if depth < 0.5 * kind.length_m:
            raise SceneError(f"flocks[{n}] ({flock.species}): the water at ({x:g}, {y:g}) is "
                             f"{depth:.2g} m deep, too shallow for a {kind.length_m:g} m fish")
        for k, step in enumerate(flock.script):
            if step.place is not None and not bool(water.covers(*step.place)):
                raise SceneError(f"flocks[{n}].script[{k}].place {tuple(step.place)} is on dry "
                                 f"ground; {flock.species} can only swim to a place in the water")
        if flock.altitude is not None and flock.altitude >= depth:
            raise SceneError(f"flocks[{n}].altitude {flock.altitude:g} m is below the bed "
                             f"({depth:.2g} m deep there); give a depth under {depth:.2g}")


def animate_flocks(scene: Scene, recording: Recording,
                   durations: StepDuration | None = None,
                   line_seconds: tuple[float, ...] | None = None,
                   timed: dict[str, list[TimedFlockStep]] | None = None
                   ) -> tuple[FlockTrack, ...]:
    """Every flock of `scene` as it lives through `recording` (same clock), one track each.
    `timed`: the flocks' steps already resolved (timeline.resolve_flocks), else resolved here
    with the steps' `durations` and the lines' `line_seconds`."""
    if not scene.flocks:
        return ()
    check_flock_places(scene)
    if timed is None:
        timed = resolve_flocks(scene, durations, line_seconds) if durations else \
            resolve_flocks(scene, line_seconds=line_seconds)
    threats = Threats(recording, scene)
    water = water_of(scene.setting)
    obstacles = place_obstacles(scene)
    tracks = []
    for flock in scene.flocks:
        rng = generator(scene.seed, f"flock.{flock.id}")
        runner = School if flock.is_fish else Flight
        members = runner(flock, species(flock.species), water, rng)
        members.obstacles = obstacles
        tracks.append(members.run(recording, timed[flock.id], threats))
    return tuple(tracks)



__all__ = ["CONTAGION_S", "REACTION_S", "TAKE_OFF_S", "animate_flocks", "check_flock_places"]
