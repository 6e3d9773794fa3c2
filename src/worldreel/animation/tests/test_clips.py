"""Motion clips as a viewer would judge them: every clip plays without gaps or jumps, a loop comes
round without a seam, the hand or foot is where the action needs it at the clip's named instant
(the kick's foot low and in front at "strike", the throw's hand high and in front at "release",
the hand at the floor at "grab"), feet stay above the floor and planted feet stay put, no limb
goes through the body, and a mistake in a clip file names the file and the key."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from worldreel.animation import clips as C
from worldreel.animation.rig import build_rig
from worldreel.assets.people.body import BodyShape, build_body
from worldreel.errors import SceneError

ALL = C.clip_names()
REQUIRED = ("idle sit sit_down stand_up lie_down lie jump fall get_up wave point clap nod "
            "shake_head shrug talk reach pick_up hold carry put_down hand_over throw "
            "throw_underhand catch kick push pull punch block dance type write chop drum swing "
            "walk run").split()
LEGS = ("thigh", "calf", "foot", "ball")


@lru_cache(maxsize=2)
def body(gender: float = 1.0):
    return build_body(BodyShape(age=30, gender=gender))


@lru_cache(maxsize=2)
def rig(gender: float = 1.0):
    return build_rig(body(gender).skeleton)


def at(name: str, t: float, bone: str, gender: float = 1.0) -> np.ndarray:
    """World position of a bone's head at clip time t, the body standing at the origin."""
    positions, _ = C.clip_transforms(C.clip(name), rig(gender), [t],
                                     body(gender).shape.standing_height())
    return positions[0, rig(gender).skeleton.index(bone)]


def lying(c: C.Clip) -> bool:
    return float(np.abs(c.root_turn(np.linspace(0, c.duration, 50))).max()) > 45.0


def test_every_asked_clip_exists_and_nothing_else_is_a_clip():
    assert set(REQUIRED) <= set(ALL)
    assert "_base" not in ALL


@pytest.mark.parametrize("name", ALL)
def test_clip_samples_finite_everywhere(name):
    c = C.clip(name)
    t = np.linspace(-0.5, c.duration + 0.5, 97)
    pose = c.pose(t)
    assert pose and all(np.isfinite(v).all() and v.shape == t.shape
                        for dofs in pose.values() for v in dofs.values())
    assert c.root(t).shape == (len(t), 3) and np.isfinite(c.root(t)).all()
    assert c.root_turn(t).shape == t.shape and np.isfinite(c.root_turn(t)).all()
    assert c.layer in C.LAYERS
    assert all(0.0 <= v <= c.duration for v in c.events.values())
    if c.layer == "upper":
        assert set(pose) <= C.UPPER_BONES
    # a relaxed hand by default: no finger of any clip is flat and straight the whole time
    assert float(np.abs(pose["middle_02_r"]["curl"]).max()) > 3.0


# What a body can do, in the rig's degrees (0 is the A-pose of the rest: an elbow at "bend" -46
# is straight, an arm at "abduct" -42 hangs; a hip flexes to 140 in a full squat down to the floor)
RANGES = {
    "spine": {"bend": (-20, 30), "side": (-20, 20), "turn": (-25, 25)},
    "neck": {"bend": (-40, 40), "side": (-30, 30), "turn": (-50, 50)},
    "head": {"bend": (-40, 40), "side": (-30, 30), "turn": (-50, 50)},
    "clavicle": {"forward": (-20, 30), "raise": (-10, 35)},
    "upperarm": {"flex": (-70, 180), "abduct": (-90, 140), "twist": (-95, 95)},
    "lowerarm": {"bend": (-46, 104), "twist": (-95, 100)},
    "hand": {"flex": (-80, 80), "deviate": (-30, 30), "twist": (-30, 30)},
    "thigh": {"flex": (-35, 140), "abduct": (-30, 50), "twist": (-45, 45)},
    "calf": {"bend": (-3, 155)},
    "foot": {"flex": (-60, 40), "roll": (-30, 30)},
    "ball": {"flex": (-40, 70)},
    **{f: {"curl": (-10, 110), "spread": (-45, 30)}
       for f in ("thumb", "index", "middle", "ring", "pinky")},
}


@pytest.mark.parametrize("name", ALL)
def test_joints_stay_within_what_a_body_can_do(name):
    c = C.clip(name)
    pose = c.pose(np.linspace(0, c.duration, 300))
    for bone, dofs in pose.items():
        for dof, angles in dofs.items():
            low, high = RANGES.get(bone.split("_")[0], {}).get(dof, (-180, 180))
            assert low <= angles.min() and angles.max() <= high, (bone, dof)


@pytest.mark.parametrize("name", [n for n in ALL if C.clip(n).loop])
def test_loop_has_no_seam(name):
    c = C.clip(name)
    eps = 1e-4
    before, after = c.pose(np.array([c.duration - eps])), c.pose(np.array([eps]))
    step = max(abs(float(before[b][d][0] - after[b][d][0])) for b in before for d in before[b])
    assert step < 0.05  # degrees across 0.2 ms
    # smooth too: the speed just before the wrap is the speed just after it
    h = 1e-4
    ends = [c.pose(np.array([t])) for t in (c.duration - 2 * h, c.duration - h, h, 2 * h)]
    jump = max(abs((ends[3][b][d][0] - ends[2][b][d][0]) - (ends[1][b][d][0] - ends[0][b][d][0]))
               / h for b in ends[0] for d in ends[0][b])
    assert jump < 5.0  # degrees per second
    assert np.allclose(c.root([0.0]), c.root([c.duration]))


@pytest.mark.parametrize("name", [n for n in ALL if not C.clip(n).loop])
def test_one_shot_clamps_outside_its_span(name):
    c = C.clip(name)
    first, last = c.pose([-1.0]), c.pose([c.duration + 1.0])
    assert all(first[b][d][0] == c.pose([0.0])[b][d][0] for b in first for d in first[b])
    assert all(last[b][d][0] == c.pose([c.duration])[b][d][0] for b in last for d in last[b])


@pytest.mark.parametrize("gender", [1.0, 0.0])
@pytest.mark.parametrize("name", [n for n in ALL if not lying(C.clip(n))])
def test_legs_stay_above_the_floor(name, gender):
    c = C.clip(name)
    skeleton = rig(gender).skeleton
    positions, _ = C.clip_transforms(c, rig(gender), np.linspace(0, c.duration, 80),
                                     body(gender).shape.standing_height())
    legs = [k for k, b in enumerate(skeleton.names) if b.split("_")[0] in LEGS]
    assert positions[:, legs, 2].min() > -0.01


@pytest.mark.parametrize("name", [n for n in ALL if C.clip(n).plants])
def test_planted_feet_do_not_slide(name):
    c = C.clip(name)
    skeleton = rig().skeleton
    for foot, start, end in c.plants:
        positions, _ = C.clip_transforms(c, rig(), np.linspace(start, end, 40))
        toes = positions[:, skeleton.index("ball" + foot[-2:])]
        assert np.linalg.norm(toes - toes[0], axis=1).max() < 0.03, (foot, start, end)


@pytest.mark.parametrize("name", ALL)
def test_no_limb_goes_through_the_body(name):
    depth, where = C.limb_overlap(C.clip(name), body())
    assert depth < 0.04, where


def test_kick_strikes_low_in_front_at_its_fastest():
    c = C.clip("kick")
    strike = c.events["strike"]
    toes = at("kick", strike, "ball_r")
    pelvis = at("kick", strike, "pelvis")
    assert toes[0] > pelvis[0] + 0.15 and toes[2] < 0.15
    t = np.linspace(strike - 0.25, strike + 0.25, 51)
    positions, _ = C.clip_transforms(c, rig(), t)
    path = positions[:, rig().skeleton.index("ball_r")]
    speed = np.linalg.norm(np.gradient(path, t, axis=0), axis=1)
    assert speed[25] > 0.7 * speed.max()
    assert path[25, 2] < path[:, 2].min() + 0.03  # at (about) its lowest


@pytest.mark.parametrize("name", ["throw", "throw_underhand"])
def test_throw_releases_in_front_moving_fast(name):
    c = C.clip(name)
    release = c.events["release"]
    hand, shoulder = at(name, release, "hand_r"), at(name, release, "upperarm_r")
    assert hand[0] > shoulder[0] + 0.1
    if name == "throw":
        assert hand[2] > shoulder[2]
    t = np.linspace(0.0, c.duration, 171)
    positions, _ = C.clip_transforms(c, rig(), t)
    speed = np.linalg.norm(np.gradient(positions[:, rig().skeleton.index("hand_r")], t, axis=0),
                           axis=1)
    assert np.interp(release, t, speed) > 0.85 * speed.max()


@pytest.mark.parametrize("name,event", [("pick_up", "grab"), ("put_down", "let_go")])
def test_hand_is_at_the_floor_in_front_when_it_grabs_or_lets_go(name, event):
    instant = C.clip(name).events[event]
    knuckles = at(name, instant, "middle_01_r")
    assert knuckles[2] < 0.15 and knuckles[0] > 0.1  # beyond the toes (x = 0.07)


def test_actions_put_the_hand_where_the_thing_is():
    shoulder = at("hand_over", 0.0, "upperarm_r")
    handing = at("hand_over", C.clip("hand_over").events["let_go"], "hand_r")
    assert handing[0] > shoulder[0] + 0.35 and abs(handing[2] - 1.25) < 0.15  # chest height
    reaching = at("reach", C.clip("reach").events["touch"], "hand_r")
    assert reaching[0] > shoulder[0] + 0.35 and abs(reaching[2] - 1.25) < 0.15
    pointing = at("point", C.clip("point").events["pointing"], "index_03_r")
    assert pointing[0] > shoulder[0] + 0.5
    clap = C.clip("clap").events["strike"]
    assert np.linalg.norm(at("clap", clap, "hand_r") - at("clap", clap, "hand_l")) < 0.1
    pushing = C.clip("push").events["strike"]
    assert min(at("push", pushing, f"hand_{s}")[0] for s in "lr") > shoulder[0] + 0.4


def test_sitting_puts_the_buttocks_on_a_seat_and_the_thighs_level():
    hip = at("sit", 0.0, "thigh_l")
    knee = at("sit", 0.0, "calf_l")
    assert abs(hip[2] - knee[2]) < 0.05  # thighs level
    assert 0.45 < hip[2] < 0.6  # hip joints a little above a 0.45 m seat
    assert C.clip("sit_down").events["seated"] < C.clip("sit_down").duration


def test_jump_leaves_the_floor_and_lying_is_on_the_floor():
    jump = C.clip("jump")
    flight = np.linspace(jump.events["takeoff"] + 0.05, jump.events["land"] - 0.05, 9)
    assert (jump.root(flight)[:, 2] > 0.1).all()
    lie = C.clip("lie")
    assert lie.root_turn([0.0])[0] == pytest.approx(-90)
    assert at("lie", 0.0, "pelvis")[2] < 0.15 and at("lie", 0.0, "head")[2] < 0.2
    for name in ("lie_down", "fall"):  # they end where lie begins
        end = C.clip(name)
        assert np.allclose(end.root([end.duration]), lie.root([0.0]), atol=1e-3)
    assert np.allclose(C.clip("get_up").root([0.0]), lie.root([0.0]), atol=1e-3)


def test_fist_and_grip_close_the_hand():
    curl = {name: float(C.clip(name).pose([C.clip(name).events.get("strike", 0.5)])
                        ["index_02_r"]["curl"][0]) for name in ("punch", "carry", "wave")}
    assert curl["punch"] > 80 and curl["carry"] > 50 and curl["wave"] < 20


def test_root_offsets_scale_with_height():
    c = C.clip("sit")
    short = C.clip_transforms(c, rig(), [0.0], height=1.40)[0][0, 0]
    tall = C.clip_transforms(c, rig(), [0.0], height=2.10)[0][0, 0]
    assert tall[2] - short[2] == pytest.approx(c.root([0.0])[0, 2] * (2.10 - 1.40) / 1.75)


def test_blend_crossfades_and_treats_missing_dofs_as_rest():
    a = {"head": {"turn": np.array([10.0, 10.0])}}
    b = {"head": {"turn": np.array([30.0, 30.0]), "bend": np.array([20.0, 20.0])}}
    mixed = C.blend(a, b, np.array([0.0, 0.5]))
    assert np.allclose(mixed["head"]["turn"], [10.0, 20.0])
    assert np.allclose(mixed["head"]["bend"], [0.0, 10.0])


def test_unknown_clip_names_the_known_ones():
    with pytest.raises(SceneError, match="known clips: .*wave"):
        C.clip("moonwalk")


@pytest.mark.parametrize("key,fragment", [
    ("pose: {elbow_r: {bend: 10}}", "unknown bone 'elbow_r'"),
    ("pose: {lowerarm_r: {flex: 10}}", "unknown DOF 'flex'"),
    ("pose: {thigh_l: {flex: 10}}", "upper-layer clip moves only"),
    ("hands: {r: claw}", "unknown hand shape 'claw'"),
    ("pose: {head: {turn: fast}}", "is not degrees"),
    ("pitch: 20", "upper-layer clip moves only"),
])
def test_bad_clip_file_names_the_file_and_the_key(tmp_path, key, fragment):
    path = tmp_path / "bad_wave.yaml"
    path.write_text(f"duration: 1.0\nlayer: upper\nkeys:\n  - t: 0.0\n  - t: 0.5\n    {key}\n")
    with pytest.raises(SceneError, match="bad_wave.yaml: keys\\[1\\]") as caught:
        C.load_clip(path)
    assert fragment in str(caught.value)


def test_bad_clip_file_shape_is_named(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text("duration: 1.0\nloop: true\nspeed: 2\nkeys: [{t: 0}]\n")
    with pytest.raises(SceneError, match="odd.yaml: unknown key 'speed'"):
        C.load_clip(path)
    path.write_text("duration: 1.0\nloop: true\nkeys: [{t: 0, pose: {head: {turn: 0}}},"
                    " {t: 1.0, pose: {head: {turn: 0}}}]\n")
    with pytest.raises(SceneError, match="odd.yaml: keys\\[1\\]: t = 1 lies outside"):
        C.load_clip(path)
