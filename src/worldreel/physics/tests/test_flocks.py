"""Flocks animated from a Recording: birds scatter from a walker within their flight initiation
distance, flap at their species' rate, keep apart, land where told; fish stay in the water."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets.flocks import species
from worldreel.assets.water import water_of
from worldreel.errors import SceneError
from worldreel.physics.flocks import REACTION_S, TAKE_OFF_S, animate_flocks, check_flock_places
from worldreel.physics.flocks.flight import WARNING_S
from worldreel.physics.flocks.members import PERSON_RADIUS_M, obstacles
from worldreel.recording import CharacterTrack, Recording
from worldreel.scene import scene_from_dict

FPS = 24


def _recording(duration: float, walker: tuple[float, float] | None = None,
               speed: float = 1.3, start_at: float = 0.0) -> Recording:
    """A Recording with nothing in it but, optionally, a person walking along +x from
    `walker` at `speed` from `start_at` s (their pelvis 0.95 m up)."""
    n = int(round(duration * FPS))
    t = np.arange(n) / FPS
    characters = ()
    if walker is not None:
        path = np.zeros((n, 1, 3))
        path[:, 0, 0] = walker[0] + speed * np.clip(t - start_at, 0.0, None)
        path[:, 0, 1] = walker[1]
        path[:, 0, 2] = 0.95
        rest = np.zeros((n, 1, 4))
        rest[..., 0] = 1.0
        characters = (CharacterTrack("ann", ("pelvis",), path, rest),)
    return Recording(fps=FPS, oversample=1, duration=duration, entity_ids=(), times=t,
                     positions=np.zeros((n, 0, 3)), quaternions=np.zeros((n, 0, 4)),
                     velocities=np.zeros((n, 0, 3)), characters=characters)


def _scene(flock: dict, duration: float = 5.0, **extra):
    return scene_from_dict({"duration": duration, "fps": FPS, "seed": 4,
                            "flocks": [{"id": "f", **flock}], **extra})


def _walker_scene():
    scene = _scene({"species": "pigeon", "count": 20, "centre": [0.0, 0.0], "radius": 1.5})
    recording = _recording(5.0, walker=(-5.0, 0.2), start_at=0.3)
    return scene, recording, animate_flocks(scene, recording)[0]


def test_pigeons_scatter_from_a_walker_within_their_flight_initiation_distance():
    scene, recording, track = _walker_scene()
    pigeon = species("pigeon")
    walker = recording.characters[0].bone_positions[:, 0]
    off = {e.member: e.time for e in track.events if e.kind == "take_off"}
    assert sorted(off) == list(range(20))  # every bird flew
    for b, when in off.items():
        start = track.positions[0, b, :2]
        within = np.linalg.norm(walker[:, :2] - start, axis=1) < pigeon.fid_m
        first = recording.times[np.argmax(within)]
        assert within.any()
        # no later than its own alarm plus a reaction (a neighbour's alarm may come first)
        assert when <= first + REACTION_S[1] + 2.0 / FPS, (b, when, first)
        i = int(np.ceil(when * FPS)) + 1
        gap = np.linalg.norm(track.positions[i:, b, :2] - walker[i:, :2], axis=1)
        assert gap[-1] > gap[0] + 5.0  # it flies away from her
    # nothing alarms the flock before she comes within reach of a bird: its FID, plus her
    # body's half width and what she walks in WARNING_S (an approach's warning)
    reach = pigeon.fid_m + PERSON_RADIUS_M + 1.3 * WARNING_S
    gaps = np.linalg.norm(walker[:, None, :2] - track.positions[0][None, :, :2], axis=2)
    alarm = recording.times[np.argmax(gaps.min(axis=1) < reach)]
    assert alarm + REACTION_S[0] - 1.0 / FPS <= min(off.values()) <= alarm + REACTION_S[1] + 0.1
    # above the ground always: at least a crouching bird's height
    assert track.positions[..., 2].min() >= 0.7 * pigeon.stand_m - 1e-9


def test_flap_rate_in_take_off_and_cruise_matches_the_species_table():
    for name in ("pigeon", "sparrow", "seagull"):
        kind = species(name)
        scene = _scene({"species": name, "count": 1, "script": [{"do": "take_off", "at": 0.5}]},
                       duration=4.0)
        track = animate_flocks(scene, _recording(4.0))[0]
        off = next(e.time for e in track.events if e.kind == "take_off")
        t = np.arange(len(track.phase)) / FPS
        window = (t > off + 0.1) & (t < off + TAKE_OFF_S - 0.1)
        rate = np.polyfit(t[window], track.phase[window, 0], 1)[0]
        assert rate == pytest.approx(kind.flap_hz_take_off, rel=0.10), name
        flaps = [e.time for e in track.events if e.kind == "flap" and e.time > off + 1.5]
        gaps = np.diff(flaps)
        stroke = np.median(gaps[gaps < 1.5 / kind.flap_hz_cruise])  # within a burst
        assert 1.0 / stroke == pytest.approx(kind.flap_hz_cruise, rel=0.10), name


def test_a_flock_in_flight_keeps_apart():
    scene = _scene({"species": "pigeon", "count": 30, "radius": 2.0,
                    "script": [{"do": "take_off", "at": 0.2}, {"do": "circle", "at": 2.0}]},
                   duration=6.0)
    track = animate_flocks(scene, _recording(6.0))[0]
    pos = track.positions
    gaps = np.linalg.norm(pos[:, :, None] - pos[:, None], axis=3)
    gaps[:, np.arange(30), np.arange(30)] = np.inf
    assert gaps.min() > species("pigeon").length_m  # never a body length into each other
    assert pos[-1, :, 2].mean() > 4.0  # up at roof height


def test_birds_told_to_land_stand_on_the_ground_at_the_place():
    place = (6.0, -3.0)
    scene = _scene({"species": "seagull", "count": 8, "radius": 2.0, "altitude": 6.0,
                    "script": [{"do": "land", "at": 0.5, "place": list(place)}]}, duration=12.0)
    track = animate_flocks(scene, _recording(12.0))[0]
    gull = species("seagull")
    landed = [e for e in track.events if e.kind == "land"]
    assert sorted(e.member for e in landed) == list(range(8))
    assert max(e.time for e in landed) < 11.0
    end = track.positions[-1]
    assert np.allclose(end[:, 2], gull.stand_m, atol=0.01)  # standing on the ground
    assert np.all(np.linalg.norm(end[:, :2] - place, axis=1) < 2.0 + 1.0)
    assert np.all(track.spread[-1] == 0.0)  # wings folded
    # they touch down slowly, feet first: the last sample before each landing is slow
    for event in landed:
        i = int(event.time * FPS)
        step = np.linalg.norm(track.positions[i, event.member] - track.positions[i - 1,
                                                                                 event.member])
        assert step * FPS < 1.5
    assert track.positions[..., 2].min() >= gull.stand_m - 1e-9


def test_fish_stay_in_the_water_and_startle_from_a_wader():
    scene = _scene({"species": "goldfish", "count": 15, "radius": 1.0},
                   duration=5.0, setting={"water_level": 0.6})
    recording = _recording(5.0, walker=(-2.0, 0.0), start_at=1.0)
    track = animate_flocks(scene, recording)[0]
    fish = species("goldfish")
    z = track.positions[..., 2]
    assert z.max() < 0.6 - 0.1 * fish.length_m  # under the surface
    assert z.min() > 0.0  # above the bed
    assert any(e.kind == "startle" for e in track.events)
    assert np.all(np.diff(track.phase, axis=0) > 0)  # tails always beating


def test_fish_out_of_the_water_are_refused():
    with pytest.raises(SceneError, match="need water"):
        _scene({"species": "carp"})
    beach = _scene({"species": "trout", "centre": [0.0, -6.0]},
                   setting={"environment": "beach"})
    with pytest.raises(SceneError, match="put them in water"):
        check_flock_places(beach)
    ashore = _scene({"species": "trout", "centre": [0.0, 30.0],
                     "script": [{"do": "swim", "place": [0.0, -6.0]}]},
                    setting={"environment": "beach"})
    with pytest.raises(SceneError, match=r"script\[0\].place .* is on dry ground"):
        check_flock_places(ashore)


def test_same_scene_and_seed_give_the_same_flock():
    a = _walker_scene()[2]
    b = _walker_scene()[2]
    for name in ("positions", "quaternions", "wing", "spread", "phase"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.events == b.events


def test_pigeons_get_out_of_the_way_of_something_fast():
    # a thing sliding through the flock at 8 m/s (a cart, a car's speed in a street)
    n, speed = 5 * FPS, 8.0
    t = np.arange(n) / FPS
    path = np.zeros((n, 1, 3))
    path[:, 0, 0] = -30.0 + speed * t
    path[:, 0, 2] = 0.4
    velocity = np.zeros((n, 1, 3))
    velocity[:, 0, 0] = speed
    rest = np.zeros((n, 1, 4))
    rest[..., 0] = 1.0
    recording = Recording(fps=FPS, oversample=1, duration=5.0, entity_ids=("cart",), times=t,
                          positions=path, quaternions=rest, velocities=velocity)
    scene = _scene({"species": "pigeon", "count": 16, "centre": [0.0, 0.0], "radius": 1.2})
    track = animate_flocks(scene, recording)[0]
    gap = np.linalg.norm(track.positions - path, axis=2)  # (N, B)
    assert gap.min() > 0.8  # no bird is where the cart passes
    side = np.abs(track.positions[-1, :, 1]).min()
    assert side > 1.0 or track.positions[-1, :, 2].min() > 2.0  # off its line, or well above


def test_birds_indoors_stay_inside_the_room():
    scene = _scene({"species": "sparrow", "count": 10, "radius": 1.0,
                    "script": [{"do": "take_off", "at": 0.3}, {"do": "circle", "at": 1.0}]},
                   duration=6.0, setting={"environment": "living_room"})
    track = animate_flocks(scene, _recording(6.0))[0]
    pos = track.positions
    assert pos[..., 2].max() < 2.6  # under the ceiling
    assert np.abs(pos[..., 0]).max() < 3.5 and np.abs(pos[..., 1]).max() < 3.0  # inside walls


def test_gulls_landing_on_the_sea_float_on_it():
    scene = _scene({"species": "seagull", "count": 4, "centre": [0.0, 20.0], "radius": 2.0,
                    "altitude": 5.0, "script": [{"do": "land", "at": 0.3}]}, duration=10.0,
                   setting={"environment": "beach"})
    track = animate_flocks(scene, _recording(10.0))[0]
    gull = species("seagull")
    assert sum(e.kind == "land" for e in track.events) == 4
    level = water_of(scene.setting).level
    assert np.allclose(track.positions[-1, :, 2], level + 0.08 * gull.length_m, atol=1e-6)


def test_birds_fly_round_trees_not_through_them():
    # crows circling at crown height right over a tree in the park
    scene = _scene({"species": "crow", "count": 10, "centre": [-9.0, 6.0], "radius": 3.0,
                    "altitude": 4.6}, duration=8.0, setting={"environment": "park"})
    track = animate_flocks(scene, _recording(8.0))[0]
    lows, highs = obstacles(scene)
    inside = np.all((track.positions[:, :, None] > lows) & (track.positions[:, :, None] < highs),
                    axis=3)
    assert not inside.any()
