"""Camera maths: framing keeps subjects in view, cuts land on exact frames, lenses round-trip."""

import math

import numpy as np
import pytest

from worldreel.assets import environment, room_interior
from worldreel.physics import simulate
from worldreel.render import fov_to_focal_length, focal_length_to_fov, plan_camera, shot_of_frames
from worldreel.render.camera import project
from worldreel.scene import Drop, Entity, Roll, Scene, Setting, Shot, Throw


@pytest.mark.parametrize("focal", [14.0, 24.0, 35.0, 50.0, 85.0, 200.0])
def test_focal_length_and_fov_round_trip(focal):
    assert fov_to_focal_length(focal_length_to_fov(focal)) == pytest.approx(focal)


def test_fifty_mm_is_about_27_degrees_vertical():
    assert focal_length_to_fov(50.0) == pytest.approx(26.99, abs=0.01)


def test_cuts_land_on_the_exact_frame():
    scene = Scene(duration=3.0, fps=24, shots=[Shot(), Shot(start=1.0), Shot(start=2.51)])
    shots = shot_of_frames(scene)
    assert list(np.flatnonzero(np.diff(shots)) + 1) == [24, 61]  # ceil(2.51 * 24) = 61


def _project(track, frame, point, aspect):
    """Normalised image coordinates (-1..1 inside the frame) of a world point."""
    position, target = track.positions[frame], track.targets[frame]
    forward = (target - position) / np.linalg.norm(target - position)
    right = np.cross(forward, [0, 0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    rel = point - position
    depth = rel @ forward
    tan_v = math.tan(math.radians(track.fovy[frame]) / 2)
    return (rel @ right) / depth / (tan_v * aspect), (rel @ up) / depth / tan_v


def _assert_in_frame(scene, recording, track, limit: float = 1.0) -> None:
    """The first entity projects inside `limit` of the half-frame on every frame."""
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) < limit and abs(y) < limit, (frame, x, y)


def _throw_scene(shots):
    return Scene(duration=3.0, resolution=(320, 180), setting=Setting(environment="gym"),
                 entities=[Entity(id="ball", asset="basketball", position=(0, 0, 2.2)),
                           Entity(id="hoop", asset="basketball_hoop", position=(6, 0, 0),
                                  rotation=(0, 0, 180))],
                 actions=[Throw(entity="ball", target="hoop", aim="miss", at=0.2)],
                 shots=shots)


@pytest.mark.parametrize("size", ["close", "medium", "wide"])
def test_tracked_subject_stays_in_frame(size):
    scene = _throw_scene([Shot(subject="ball", move="track", size=size)])
    recording = simulate(scene)
    _assert_in_frame(scene, recording, plan_camera(scene, recording), limit=0.9)


@pytest.mark.parametrize("move", ["track", "follow"])
def test_tracked_subject_keeps_its_headroom(move):
    """The top of a ball thrown high stays a tenth of the frame below the frame's top edge."""
    scene = _throw_scene([Shot(subject="ball", move=move, size="extreme_close")])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    aspect = scene.width / scene.height
    tan_v = math.tan(math.radians(track.fovy[0]) / 2)
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        _, y = _project(track, frame, point, aspect)
        distance = np.linalg.norm(point - track.positions[frame])
        # Where the top of the ball's silhouette appears (image units, frame top = 1).
        top = math.tan(math.atan(y * tan_v) + math.asin(0.119 / distance)) / tan_v
        assert top <= 0.8 + 0.01, (frame, top)  # 10 % of the frame height is 0.2 in these units


def test_static_wide_shot_sees_the_whole_action_and_the_hoop():
    scene = _throw_scene([Shot()])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    assert np.ptp(track.positions, axis=0).max() == 0.0  # a static shot does not move
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) <= 1.0 and abs(y) <= 1.0
    from worldreel.assets.mujoco_spec import anchor_point

    x, y = _project(track, 0, anchor_point(scene.entity("hoop"), "rim"), aspect)
    assert abs(x) < 1.0 and abs(y) < 1.0


@pytest.mark.parametrize("size", ["wide", "medium"])
def test_a_tall_subject_is_framed_whole_top_and_foot(size):
    """A hoop's origin is the foot of its post: the shot still holds its backboard's top."""
    scene = _throw_scene([Shot(subject="hoop", size=size, azimuth=-80.0)])
    track = plan_camera(scene, simulate(scene))
    from worldreel.assets.mujoco_spec import entity_asset

    hoop = scene.entity("hoop")
    height = entity_asset(hoop).bounds()[1][2] * hoop.scale
    top = np.array(hoop.position) + np.array([0.0, 0.0, height])
    for point in (top, np.array(hoop.position)):
        x, y = _project(track, 0, point, scene.width / scene.height)
        assert abs(x) < 1.0 and abs(y) < 1.0, (point, x, y)


def test_camera_looks_across_the_motion():
    scene = Scene(duration=2.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 0.0335))],
                  actions=[Roll(entity="ball", direction=(1, 0, 0), speed=1.0)])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    view = track.targets[0] - track.positions[0]
    assert abs(view[0]) < 0.05 * np.linalg.norm(view)  # motion along x, camera looks along y


def test_a_lens_sets_the_field_of_view():
    scene = _throw_scene([Shot(lens=50.0)])
    track = plan_camera(scene, simulate(scene))
    assert track.fovy == pytest.approx(focal_length_to_fov(50.0))


@pytest.mark.parametrize("move,shake", [("follow", 0.0), ("track", 1.0), ("follow", 0.6)])
def test_followed_and_shaken_subjects_stay_in_frame(move, shake):
    scene = _throw_scene([Shot(subject="ball", move=move, size="medium", shake=shake)])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) < 0.9 and abs(y) < 0.9, (frame, x, y)
    if move == "follow":
        assert np.ptp(track.positions, axis=0).max() < 1e-9  # a tripod turns, it does not travel


def test_static_wide_shot_is_not_padded_in_depth():
    """The wide shot of a 6 m throw frames the throw, not a room around it: at 720p the ball
    is a readable disc, not a few pixels."""
    scene = _throw_scene([Shot()])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    ball = recording.frame_positions()[0, 0]
    forward = track.targets[0] - track.positions[0]
    depth = (ball - track.positions[0]) @ forward / np.linalg.norm(forward)
    pixels = 2 * 0.12 / (depth * math.tan(math.radians(track.fovy[0]) / 2)) * 720 / 2
    assert pixels > 18


def _distance(track, frame):
    return float(np.linalg.norm(track.targets[frame] - track.positions[frame]))


def _heading(track, frame):
    v = track.targets[frame] - track.positions[frame]
    return math.degrees(math.atan2(v[1], v[0]))


@pytest.mark.parametrize("move", ["pan", "tilt", "dolly_in", "dolly_out", "truck", "orbit",
                                  "crane", "handheld"])
def test_moves_play_over_the_shot(move):
    scene = _throw_scene([Shot(move=move, size="medium", subject="ball")])
    track = plan_camera(scene, simulate(scene))
    first, last = 0, len(track.times) - 1
    if move == "pan":
        assert abs(_heading(track, last) - _heading(track, first)) == pytest.approx(30.0, abs=0.5)
        assert np.ptp(track.positions, axis=0).max() < 1e-9
    elif move == "tilt":
        assert track.targets[first][2] > track.targets[last][2]
    elif move == "dolly_in":
        assert _distance(track, last) < 0.7 * _distance(track, first)
    elif move == "dolly_out":
        assert _distance(track, last) > 1.4 * _distance(track, first)
    elif move == "truck":
        assert np.linalg.norm(track.positions[last] - track.positions[first]) > 0.3 * \
            _distance(track, first)
    elif move == "orbit":
        assert _distance(track, last) == pytest.approx(_distance(track, first))
        assert abs(_heading(track, last) - _heading(track, first)) == pytest.approx(60.0, abs=0.5)
    elif move == "crane":
        assert track.positions[last][2] > track.positions[first][2] + 0.3
    elif move == "handheld":
        assert np.ptp(track.targets, axis=0).max() > 0.0  # the aim wobbles
        assert np.ptp(track.positions, axis=0).max() < 1e-9


@pytest.mark.parametrize("size", ["extreme_wide", "wide", "medium", "close", "extreme_close",
                                  "over_shoulder", "pov", "top_down"])
def test_every_shot_size_is_planned(size):
    scene = _throw_scene([Shot(size=size, subject="ball")])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    assert np.isfinite(track.positions).all() and np.isfinite(track.targets).all()
    assert (track.positions[:, 2] >= 0.25 - 1e-9).all()  # never under the floor
    if size == "top_down":
        view = track.targets[0] - track.positions[0]
        assert view[2] < -0.99 * np.linalg.norm(view)
    if size not in ("pov", "over_shoulder"):
        # A fixed close-up of the 6 m throw frames the ball's first impact, not its start.
        hit = min(e.time for e in recording.events if e.kind == "impact")
        frame = round(hit * scene.fps) if size in ("close", "extreme_close") else 0
        aspect = scene.width / scene.height
        x, y = _project(track, frame, recording.frame_positions()[frame, 0], aspect)
        assert abs(x) <= 1.0 and abs(y) <= 1.0


def test_sizes_get_closer():
    distances = []
    for size in ["extreme_wide", "wide", "medium", "close", "extreme_close"]:
        scene = _throw_scene([Shot(size=size, subject="ball", move="track")])
        distances.append(_distance(plan_camera(scene, simulate(scene)), 0))
    assert distances == sorted(distances, reverse=True)


def test_a_cut_lands_on_its_frame_in_the_camera_track():
    scene = _throw_scene([Shot(), Shot(start=1.3, size="medium", subject="ball", move="track")])
    track = plan_camera(scene, simulate(scene))
    assert track.cut_frames == [math.ceil(1.3 * scene.fps)]
    cut = track.cut_frames[0]
    assert np.linalg.norm(track.positions[cut] - track.positions[cut - 1]) > 0.5


def test_lead_room_is_ahead_of_the_motion():
    """A subject rolling right sits left of centre, leaving room where it is going."""
    scene = Scene(duration=3.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(-3, 0, 0.0335))],
                  actions=[Roll(entity="ball", direction=(1, 0, 0), speed=2.0)],
                  shots=[Shot(subject="ball", move="track", size="medium")])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    aspect = scene.width / scene.height
    x, _ = _project(track, 36, recording.frame_positions()[36, 0], aspect)
    forward = track.targets[36] - track.positions[36]
    right = np.cross(forward, [0, 0, 1.0])
    moving_right = right[0] > 0  # screen right is +x in the world
    assert (x < -0.1) if moving_right else (x > 0.1)


@pytest.mark.parametrize("move", ["follow", "track"])
def test_a_camera_catching_up_with_a_falling_ball_does_not_jolt(move):
    """Close on a dropped ball, the subject leaves the safe area as it speeds up; the camera
    eases into the catch-up (planned offline) instead of snapping in one frame."""
    from worldreel.scene import Drop  # noqa: PLC0415

    scene = Scene(duration=2.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 1.5))],
                  actions=[Drop(entity="ball", at=0.4)],
                  shots=[Shot(subject="ball", move=move, size="close")])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    aim = track.targets - track.positions
    aim /= np.linalg.norm(aim, axis=1, keepdims=True)
    turn = np.degrees(np.arccos(np.clip((aim[1:] * aim[:-1]).sum(axis=1), -1.0, 1.0)))
    assert np.abs(np.diff(turn)).max() < 1.0, "degrees per frame, frame to frame"
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) < 0.9 and abs(y) < 0.9, (frame, x, y)


def _living_room_roll(shot: Shot) -> Scene:
    return Scene(duration=2.0, resolution=(320, 180), setting=Setting(environment="living_room"),
                 entities=[Entity(id="ball", asset="tennis_ball", position=(-1.0, 0, 0.0335))],
                 actions=[Roll(entity="ball", direction=(1, 0, 0), speed=1.0)], shots=[shot])


def test_the_living_room_interior_comes_from_its_walls():
    assert room_interior(environment("living_room")) == pytest.approx((3.5, 3.0, 2.6))
    assert room_interior(environment("park")) is None
    assert room_interior(environment("studio")) is None  # one backdrop, no room


def test_an_extreme_wide_shot_of_a_small_room_is_filmed_from_inside_it():
    """Six metres of half-frame would put the camera about 12 m out, far beyond the walls of a
    7 x 6 m room, looking at the room from outside like a doll's house. It stands at most a
    pulled wall's depth behind a wall line, on a wider lens, and still sees the whole action."""
    scene = _living_room_roll(Shot(size="extreme_wide"))
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    reach = np.array([3.5, 3.0]) + 1.0
    assert (np.abs(track.positions[:, :2]) <= reach + 1e-9).all(), track.positions[0]
    assert 40.0 < track.fovy[0] <= 90.0
    _assert_in_frame(scene, recording, track)


def test_a_lens_the_user_named_is_kept_in_a_small_room():
    scene = _living_room_roll(Shot(size="extreme_wide", lens=35.0))
    track = plan_camera(scene, simulate(scene))
    assert track.fovy == pytest.approx(focal_length_to_fov(35.0))
    assert (np.abs(track.positions[:, :2]) <= np.array([4.5, 4.0]) + 1e-9).all()


def test_outdoors_an_extreme_wide_shot_keeps_its_lens_and_distance():
    shot = Shot(size="extreme_wide")
    outdoors = _living_room_roll(shot).model_copy(update={"setting": Setting(environment="park")})
    track = plan_camera(outdoors, simulate(outdoors))
    assert track.fovy == pytest.approx(40.0)
    assert _distance(track, 0) > 10.0


def _apparent_height(track, frame, point, radius, aspect):
    """A ball's projected diameter as a fraction of the frame height."""
    distance = np.linalg.norm(point - track.positions[frame])
    return 2.0 * radius / distance / (2.0 * math.tan(math.radians(track.fovy[frame]) / 2))


def test_a_static_close_up_of_a_dropped_ball_frames_its_bounce():
    """Framing the whole 1.5 m fall would leave a tennis ball a dot in a wide shot; a fixed
    close-up frames the moment it meets the floor, and the ball falls into the frame."""
    scene = Scene(duration=2.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 1.5))],
                  actions=[Drop(entity="ball", at=0.2)],
                  shots=[Shot(size="close", subject="ball")])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    bounce = min(e.time for e in recording.events if e.kind == "impact")
    frame = round(bounce * scene.fps)
    point = recording.frame_positions()[frame, 0]
    aspect = scene.width / scene.height
    x, y = _project(track, frame, point, aspect)
    assert abs(x) < 0.5 and abs(y) < 0.8, (x, y)
    assert _apparent_height(track, frame, point, 0.0335, aspect) > 0.08
    _, y0 = _project(track, 0, recording.frame_positions()[0, 0], aspect)
    assert y0 > 1.0  # held up high at the start: above the frame


def test_a_static_close_up_keeps_a_short_path_whole():
    scene = Scene(duration=2.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 0.0335))],
                  actions=[Roll(entity="ball", direction=(1, 0, 0), speed=0.15)],
                  shots=[Shot(size="close", subject="ball")])
    recording = simulate(scene)
    _assert_in_frame(scene, recording, plan_camera(scene, recording))


def test_action_outside_the_room_is_not_framed_from_inside_it():
    scene = _living_room_roll(Shot(size="extreme_wide")).model_copy(update={"entities": (
        Entity(id="ball", asset="tennis_ball", position=(9.0, 0, 0.0335)),)})
    track = plan_camera(scene, simulate(scene))
    assert track.fovy == pytest.approx(40.0)


def test_a_close_up_of_a_person_frames_the_face_from_the_front():
    from worldreel.scene import scene_from_dict

    scene = scene_from_dict({
        "duration": 1.0, "characters": [{"id": "ann", "position": [1.0, 2.0], "facing": 90}],
        "shots": [{"size": "close", "subject": "ann"}]})
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    head = recording.character("ann").bone_trajectory("head")[0]
    ahead = np.array([0.0, 1.0, 0.0])  # she faces +y
    cam, target = track.positions[0], track.targets[0]
    assert (cam - head)[:2] @ ahead[:2] > 0.3  # in front of her, not behind
    assert np.linalg.norm(cam - head) < 2.0  # close
    x, y = project(cam, target, float(track.fovy[0]), scene.width / scene.height,
                   head + [0.0, 0.0, 0.09])
    assert abs(x) < 0.3  # the face in the middle of the frame ...
    assert 0.1 < y < 0.6  # ... its eyes towards the upper third


def test_an_empty_place_is_filmed_from_its_middle():
    from worldreel.scene import scene_from_dict

    scene = scene_from_dict({"duration": 1.0, "audio": {"dialogue": [{"text": "Nobody here."}]}})
    track = plan_camera(scene, simulate(scene))
    assert np.isfinite(track.positions).all() and np.isfinite(track.targets).all()
    assert np.linalg.norm(track.targets[0][:2]) < 0.5


def test_a_still_place_is_filmed_from_its_open_side():
    # nothing moves: the camera stands on the -y side, as for things moving across the view,
    # where every set (the studio's backdrop, the beach's sea) is open to it
    scene = Scene(duration=1.0, resolution=(320, 180), setting=Setting(environment="beach"))
    track = plan_camera(scene, simulate(scene))
    look = track.targets[0] - track.positions[0]
    assert track.positions[0][1] < 0 and look[1] > 0.9 * np.linalg.norm(look[:2])


def test_a_still_scene_is_filmed_from_the_front_like_a_moving_one():
    # The director lays out the front (the camera side) towards -y; nothing moving must not
    # turn the camera round to film the scene from behind its backdrop.
    scene = Scene(duration=1.0, resolution=(320, 180),
                  entities=[Entity(id="crate", asset="crate", position=(0, 0, 0.25))])
    track = plan_camera(scene, simulate(scene))
    assert track.positions[0][1] < track.targets[0][1] - 1.0
