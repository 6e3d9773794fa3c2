"""Boats afloat (physics.boating): each floats at the draft its mass and hull give, rides the
swell, rights itself, and is driven by its outboard, oars or sail along a Drive's path; a boat
with no water under it is refused."""

import math

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.assets.boats import boat_spec, boat_specs
from worldreel.assets.materials import MEDIA
from worldreel.assets.water import water_of
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.physics.boating import OAR_CATCH, OAR_FINISH
from worldreel.scene import Brake, Drive, Entity, Scene, Setting
from worldreel.scene.models import Sea

SEA_Y = 40.0  # well out: the bed (3 m) is reached 30 m beyond the shore


def _sea(height: float = 0.0, period: float = 4.0) -> Setting:
    return Setting(environment="beach", water_level=3.0,
                   sea=Sea(shore=0.0, toward=(0.0, 1.0), wave_height=height, wave_period=period))


def _axes(recording, entity: str) -> np.ndarray:
    q = recording.quaternions[:, recording.index(entity)]
    return Rotation.from_quat(q[:, [1, 2, 3, 0]]).as_matrix()


@pytest.mark.parametrize("name", sorted(boat_specs()))
def test_the_hull_displaces_the_boats_mass_at_its_draft(name):
    spec = boat_spec(name)
    rho = MEDIA["water"].density
    assert rho * spec.hull.displaced(spec.draft) == pytest.approx(spec.mass, rel=1e-3)
    lighter = rho * spec.hull.displaced(0.9 * spec.draft)
    assert lighter < spec.mass, "a shallower draft displaces less: the draft is unique"


def test_the_drafts_and_waterlines_come_out_near_the_published_ones():
    motor, sail = boat_spec("motorboat"), boat_spec("sailing_boat")
    assert motor.draft == pytest.approx(motor.published_draft, rel=0.15)
    lwl = sail.waterplane[0]
    assert lwl == pytest.approx(6.10, rel=0.05), "J/24's published LWL"


@pytest.mark.parametrize("name", sorted(boat_specs()))
def test_each_boat_floats_at_its_computed_draft(name):
    spec = boat_spec(name)
    scene = Scene(duration=4.0, setting=_sea(), entities=[
        Entity(id="b", asset=name, position=(0.0, SEA_Y, 0.1))])  # let go 10 cm high
    recording = simulate(scene)
    axes = _axes(recording, "b")
    keel = recording.trajectory("b") + axes @ np.array([0.0, 0.0, -spec.draft])
    late = recording.times > 2.5
    draft = 0.0 - keel[late, 2]  # the still sea's surface is z = 0
    assert np.mean(draft) == pytest.approx(spec.draft, rel=0.10)
    assert np.ptp(draft) < 0.1 * spec.draft, "settled, not still bouncing"
    heel = np.degrees(np.arcsin(np.abs(axes[late, 2, 1])))
    assert heel.max() < 1.0, "upright"


def test_a_heeled_boat_rights_itself():
    scene = Scene(duration=5.0, setting=_sea(), entities=[
        Entity(id="b", asset="sailing_boat", position=(0.0, SEA_Y, 0.0),
               rotation=(25.0, 0.0, 0.0))])
    axes = _axes(simulate(scene), "b")
    heel = np.degrees(np.arcsin(axes[:, 2, 1]))
    assert abs(heel[0]) > 20.0
    assert abs(heel[-1]) < 3.0, "the righting moment brings it back upright"


def test_a_boat_heaves_and_pitches_with_the_waves_under_it():
    setting = _sea(height=0.3, period=3.0)
    spec = boat_spec("motorboat")
    scene = Scene(duration=10.0, setting=setting, entities=[  # bow out to sea, into the waves
        Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 0.0), rotation=(0, 0, 90))])
    recording = simulate(scene)
    water = water_of(setting)
    path, axes, t = recording.trajectory("b"), _axes(recording, "b"), recording.times
    half = 0.8 * spec.hull.half_length
    bow, stern = path + half * axes[:, :, 0], path - half * axes[:, :, 0]
    eta = water.height(path[:, 0], path[:, 1], t)
    slope = (water.height(bow[:, 0], bow[:, 1], t) - water.height(stern[:, 0], stern[:, 1], t)) \
        / (2.0 * half)
    pitch = axes[:, 2, 0]  # sin of the bow's rise
    late = t > 2.0
    assert np.corrcoef(path[late, 2], eta[late])[0, 1] > 0.9, "heaves with the surface"
    assert 0.6 < np.ptp(path[late, 2]) / np.ptp(eta[late]) < 1.3
    assert np.corrcoef(pitch[late], slope[late])[0, 1] > 0.7, "a wave under the bow lifts it"
    assert np.ptp(pitch[late]) > 0.3 * np.ptp(slope[late])


def test_a_motorboat_reaches_8_m_s_and_follows_its_path():
    waypoints = ((30.0, SEA_Y), (50.0, SEA_Y + 15.0))
    scene = Scene(duration=12.0, setting=_sea(0.15), entities=[
        Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 0.0))],
        actions=[Drive(entity="b", speed=8.0, at=0.5, path=waypoints)])
    recording = simulate(scene)
    track = recording.vehicles[0]
    t = recording.times
    assert track.id == "b"
    straight = (t > 4.0) & (t < 5.5)  # up to speed, before the first waypoint
    assert np.mean(track.speed[straight]) == pytest.approx(8.0, abs=0.4)
    assert np.mean(track.speed[t > 6.0]) > 6.8, "a little slower through the turns (leeway)"
    assert track.speed[t < 4.0].max() < 8.5, "it gets there on its engine, not at once"
    path = recording.trajectory("b")
    for point in waypoints:
        assert np.min(np.linalg.norm(path[:, :2] - np.array(point), axis=1)) < 2.5
    running = t > 0.6
    assert np.all(track.rpm[running] >= boat_spec("motorboat").engine.idle_rpm)
    assert np.all(track.rpm[t < 0.4] == 0.0), "the engine starts with the Drive"
    assert track.rpm[running].max() <= boat_spec("motorboat").engine.max_rpm


def test_a_brake_cuts_the_throttle_and_the_boat_drifts_to_a_stop_on_its_drag():
    scene = Scene(duration=10.0, setting=_sea(), entities=[
        Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 0.0))],
        actions=[Drive(entity="b", speed=8.0, at=0.2), Brake(entity="b", at=6.0)])
    recording = simulate(scene)
    track, t = recording.vehicles[0], recording.times
    assert np.all(track.throttle[t > 6.05] == 0.0)
    at_brake = track.speed[np.searchsorted(t, 6.0)]
    assert track.speed[-1] < 0.8 * at_brake, "slowed by the water alone"
    assert track.speed[-1] > 0.2 * at_brake, "no brakes: it coasts"


def test_a_rowing_boats_speed_pulses_with_its_strokes():
    spec = boat_spec("rowing_boat")
    scene = Scene(duration=14.0, setting=_sea(), entities=[
        Entity(id="b", asset="rowing_boat", position=(0.0, SEA_Y, 0.0))],
        actions=[Drive(entity="b", speed=2.0, at=0.5)])
    recording = simulate(scene)
    track, t = recording.vehicles[0], recording.times
    late = t > 6.0
    assert 1.6 < np.mean(track.speed[late]) < 2.4
    period = spec.rowing.period
    assert 2.0 <= period <= 3.0, "20-30 strokes a minute"
    for k in range(3, 5):  # each stroke: faster at the blades' release than at the catch
        catch = 0.5 + k * period
        release = catch + spec.rowing.drive_s
        v_catch = np.interp(catch, t, track.speed)
        v_release = np.interp(release, t, track.speed)
        v_next = np.interp(catch + period, t, track.speed)
        assert v_release > v_catch + 0.2
        assert v_next < v_release - 0.2, "and it slows on the recovery"
    assert np.all(track.rpm == 0.0)
    # the oars swing with the strokes: blade forward at the catch, aft at the release, in the
    # water on the drive and lifted out on the recovery
    hull, oar = _axes(recording, "b"), _axes(recording, "b.oar_p")
    out = np.einsum("nji,nj->ni", hull, oar[:, :, 1])  # the port oar's length, boat frame
    sweep = np.degrees(np.arctan2(-out[:, 0], out[:, 1]))
    rise = np.degrees(np.arcsin(out[:, 2]))
    for k in range(3, 5):
        catch = 0.5 + k * period
        drive = spec.rowing.drive_s
        at = [int(round((catch + f * drive) * recording.sample_rate)) for f in (0.05, 0.5, 0.95)]
        assert sweep[at[0]] == pytest.approx(OAR_CATCH, abs=10.0)
        assert sweep[at[2]] == pytest.approx(OAR_FINISH, abs=10.0)
        back = int(round((catch + drive + 0.5 * (period - drive)) * recording.sample_rate))
        assert rise[back] > rise[at[1]] + 8.0, "feathered out of the water on the recovery"


def test_a_sailing_boat_sails_on_a_beam_reach_and_heels():
    scene = Scene(duration=12.0, setting=_sea(), entities=[
        Entity(id="b", asset="sailing_boat", position=(0.0, SEA_Y, 0.0))],
        actions=[Drive(entity="b", speed=3.0, at=0.2)])
    recording = simulate(scene)
    track = recording.vehicles[0]
    assert track.speed[-1] > 1.8
    hull = _axes(recording, "b")[-1]
    heel = np.degrees(np.arcsin(hull[2, 1]))
    assert 1.0 < abs(heel) < 20.0, heel
    # the breeze comes over the port beam: the boat heels and the boom swings to starboard
    assert heel > 0.0, "to starboard: its port side (+y) up"
    x = hull.T @ _axes(recording, "b.boom")[-1][:, 0]  # the boom link's x, boat frame
    out = np.degrees(np.arctan2(x[1], x[0]))  # its spar lies along -x: + is to starboard
    assert 25.0 < out < 60.0, out


def test_a_boat_in_the_studio_or_on_the_sand_is_refused():
    with pytest.raises(SceneError, match="needs water.*beach.*water_level"):
        simulate(Scene(duration=1.0, entities=[Entity(id="b", asset="rowing_boat")]))
    with pytest.raises(SceneError, match="dry land"):
        simulate(Scene(duration=1.0, setting=_sea(), entities=[
            Entity(id="b", asset="motorboat", position=(0.0, -3.0, 0.0))]))
    with pytest.raises(SceneError, match="leave out scale and mass"):
        simulate(Scene(duration=1.0, setting=_sea(), entities=[
            Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 0.0), scale=2.0)]))
    with pytest.raises(SceneError, match="put it at z = 0"):
        simulate(Scene(duration=1.0, setting=_sea(), entities=[
            Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 1.0))]))


def test_the_sailing_boat_is_too_deep_for_the_beachs_own_shallow_sea():
    scene = Scene(duration=1.0, setting=Setting(environment="beach"), entities=[
        Entity(id="b", asset="sailing_boat", position=(0.0, 20.0, 0.0))])
    with pytest.raises(SceneError, match=r"draws 1\.22 m.*deeper setting.water_level"):
        simulate(scene)
    assert math.isfinite(boat_spec("sailing_boat").deepest)


def test_a_boat_turns_onto_a_direction_and_stops_driving_after_its_distance():
    scene = Scene(duration=14.0, setting=_sea(), entities=[
        Entity(id="b", asset="motorboat", position=(0.0, SEA_Y, 0.0))],
        actions=[Drive(entity="b", speed=6.0, at=0.2, direction=(0.0, 1.0, 0.0), distance=40.0)])
    recording = simulate(scene)
    track, t = recording.vehicles[0], recording.times
    heading = _axes(recording, "b")[:, :2, 0]
    start = int(np.searchsorted(t, 2.0))
    cut = start + int(np.argmax(track.throttle[start:] == 0.0))
    assert heading[cut] @ np.array([0.0, 1.0]) > math.cos(math.radians(20.0)), "turned to +y"
    travelled = np.sum(np.linalg.norm(np.diff(recording.trajectory("b")[:cut + 1, :2], axis=0),
                                      axis=1))
    assert travelled == pytest.approx(40.0, abs=2.0), "the throttle goes off after 40 m"
    assert np.all(track.throttle[cut:] == 0.0) and np.all(track.rpm[cut:] > 0.0), "idling"
