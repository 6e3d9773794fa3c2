"""Animals' gaits: the footfall order each gait is defined by, feet that stay planted in
stance, turns no faster than the species can, postures, jumps and an open mouth when barking."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldreel.animation.animals import PATTERNS, animate_animals, turn_rate
from worldreel.assets.animals import body_of_animal
from worldreel.errors import SceneError
from worldreel.scene import Animal, AnimalAction, Scene

LEGS = ("fl", "fr", "hl", "hr")


def _perform(species: str, verb: str, seconds: float = 8.0, breed=None, **step):
    step.setdefault("place", (40.0, 0.0))
    animal = Animal(id="rex", species=species, breed=breed,
                    script=(AnimalAction(do=verb, **step),))
    scene = Scene(duration=seconds, animals=(animal,))
    return animate_animals(scene)["rex"], animal


def _feet(perf):
    return perf.positions[:, [perf.bones.index(f"foot_{leg}") for leg in LEGS]]


def _touchdowns(perf, animal, t0: float, t1: float) -> dict[str, np.ndarray]:
    """Times each foot comes down in [t0, t1]: the fetlock back at its standing height."""
    body = body_of_animal(animal)
    feet = _feet(perf)
    times = np.arange(len(feet)) / perf.rate
    out = {}
    for j, leg in enumerate(LEGS):
        rest = body.heads[body.bone(f"foot_{leg}"), 2]
        down = feet[:, j, 2] < rest + 1e-4
        starts = np.flatnonzero(down[1:] & ~down[:-1]) + 1
        t = times[starts]
        out[leg] = t[(t >= t0) & (t <= t1)]
    return out


def _phases(perf, animal, t0=2.5, t1=5.0) -> tuple[dict[str, float], float]:
    """Each leg's touchdown phase within the stride, relative to the left hind's, and the
    stride's length in samples."""
    downs = _touchdowns(perf, animal, t0, t1)
    ref = downs["hl"]
    period = float(np.median(np.diff(ref)))
    phases = {}
    for leg, times in downs.items():
        rel = ((times[:, None] - ref[None, :]) / period) % 1.0
        phases[leg] = float(np.median(rel.min(axis=1)))
    return phases, period * perf.rate


@pytest.mark.parametrize("species,gait,pattern", [
    ("dog", "walk", "walk"), ("dog", "trot", "trot"), ("dog", "canter", "canter"),
    ("dog", "gallop", "gallop_rotary"), ("horse", "walk", "walk"), ("horse", "trot", "trot"),
    ("horse", "canter", "canter"), ("horse", "gallop", "gallop_transverse")])
def test_footfalls_follow_the_gait_pattern(species, gait, pattern):
    """walk: LH, LF, RH, RF a quarter stride apart; trot: diagonal pairs half a stride apart;
    canter: LH, then RH with LF, then RF; gallop: LH, RH, then the fore pair (transverse: LF
    before RF; rotary: RF before LF)."""
    perf, animal = _perform(species, gait)
    phases, samples = _phases(perf, animal)
    offsets, _ = PATTERNS[pattern]
    # within two samples of the pose track (a fast gallop's stride is ~35 samples): the
    # patterns' beats are at least 0.1 of a stride apart
    tolerance = 0.01 + 2.0 / samples
    for leg in LEGS:
        want = offsets[leg] % 1.0
        got = phases[leg]
        assert min(abs(got - want), 1 - abs(got - want)) < tolerance, (leg, phases, offsets)


@pytest.mark.parametrize("species,breed", [("dog", None), ("horse", None), ("dog", "dachshund"),
                                           ("elephant", None), ("cat", None)])
def test_planted_feet_do_not_slide(species, breed):
    """In every gait, a foot on the floor stays where it was put (under 2 cm over the whole
    clip): the IK bends the leg to it, it is never dragged."""
    body = None
    for gait in ("walk", "trot", "canter", "gallop"):
        try:
            perf, animal = _perform(species, gait, breed=breed)
        except SceneError:
            continue  # an elephant has no gallop: tested below
        body = body_of_animal(animal)
        feet = _feet(perf)
        for j, leg in enumerate(LEGS):
            rest = body.heads[body.bone(f"foot_{leg}"), 2]
            down = feet[:, j, 2] < rest + 1e-4
            # each stance: the foot's travel from touchdown to lift-off
            edges = np.flatnonzero(np.diff(down.astype(int))) + 1
            bounds = np.split(np.arange(len(down)), edges)
            for run in bounds:
                if down[run[0]] and len(run) > 1:
                    travel = np.linalg.norm(feet[run, j, :2] - feet[run[0], j, :2], axis=1)
                    assert travel.max() < 0.02, (gait, leg, travel.max())
        # the chain reaches its foot: the cannon's end is the foot's head
        for leg in LEGS:
            cannon = perf.bones.index(f"cannon_{leg}")
            foot = perf.bones.index(f"foot_{leg}")
            k = body.bone(f"cannon_{leg}")
            length = np.linalg.norm(body.tails[k] - body.heads[k])
            reach = np.linalg.norm(perf.positions[:, foot] - perf.positions[:, cannon], axis=1)
            assert np.all(np.abs(reach - length) < 1e-6)
    assert body is not None


def test_every_foot_steps_and_the_animal_arrives():
    perf, animal = _perform("horse", "trot", place=(12.0, 3.0))
    pelvis = perf.positions[:, perf.bones.index("spine")]
    assert np.linalg.norm(pelvis[-1, :2] - [12.0, 3.0]) < 0.05
    downs = _touchdowns(perf, animal, 0.0, 8.0)
    assert all(len(t) >= 4 for t in downs.values())


def test_gait_speed_sets_stride_frequency():
    """Faster gaits take longer and more frequent strides (dynamic similarity)."""
    walk, animal = _perform("dog", "walk")
    gallop, _ = _perform("dog", "gallop")
    walk_period = np.median(np.diff(_touchdowns(walk, animal, 2.0, 5.0)["hl"]))
    gallop_period = np.median(np.diff(_touchdowns(gallop, animal, 2.0, 4.0)["hl"]))
    assert gallop_period < 0.75 * walk_period


def test_a_turn_is_no_faster_than_the_species_turns():
    animal = Animal(id="rex", species="horse", script=(AnimalAction(do="turn", place=(-5, 0)),))
    perf = animate_animals(Scene(duration=4.0, animals=(animal,)))["rex"]
    q = perf.quaternions[:, perf.bones.index("pelvis")]
    yaw = np.unwrap(2 * np.arctan2(q[:, 3], q[:, 0]))
    assert abs(abs(yaw[-1] - yaw[0]) - math.pi) < 0.05
    rate = np.abs(np.diff(yaw)).max() * perf.rate
    assert rate <= 1.6 * turn_rate(body_of_animal(animal))


def test_sitting_lowers_the_rump_and_lying_the_chest():
    animal = Animal(id="rex", species="dog", script=(
        AnimalAction(do="sit"), AnimalAction(do="idle", duration=1.0),
        AnimalAction(do="lie_down"), AnimalAction(do="idle", duration=1.0)))
    perf = animate_animals(Scene(duration=6.0, animals=(animal,)))["rex"]
    body = body_of_animal(animal)
    pelvis = perf.positions[:, perf.bones.index("pelvis"), 2]
    chest = perf.positions[:, perf.bones.index("chest"), 2]
    stand = pelvis[0]
    sat = int(1.5 * perf.rate)
    lying = int(4.5 * perf.rate)
    assert pelvis[sat] < 0.45 * stand and chest[sat] > 0.85 * stand
    assert chest[lying] < 0.45 * stand
    depth = body.shape.torso[1] * body.shoulder_height
    assert pelvis[lying] > 0.4 * depth  # on its belly, not through the floor


def test_a_jump_in_place_leaves_the_floor():
    animal = Animal(id="rex", species="dog", script=(AnimalAction(do="jump"),))
    perf = animate_animals(Scene(duration=3.0, animals=(animal,)))["rex"]
    body = body_of_animal(animal)
    feet = _feet(perf)
    rest = np.array([body.heads[body.bone(f"foot_{leg}"), 2] for leg in LEGS])
    assert np.any(np.all(feet[:, :, 2] > rest + 0.05, axis=1))


def test_an_animal_without_a_gait_says_which_it_has():
    with pytest.raises(SceneError, match="giraffe does not trot: it can walk, gallop"):
        _perform("giraffe", "trot")


def _jaw_angle(perf) -> np.ndarray:
    jaw = perf.quaternions[:, perf.bones.index("jaw")]
    head = perf.quaternions[:, perf.bones.index("head")]
    return 2 * np.arccos(np.clip(np.abs(np.sum(jaw * head, axis=1)), 0, 1))


def test_the_mouth_opens_while_the_animals_sound_plays():
    """A bark (a line whose speaker is the dog) opens the jaw through its sounding phones and
    shuts it in the pause between them and after."""
    from types import SimpleNamespace

    from worldreel.scene import Line
    from worldreel.speech.spoken import Phone
    from worldreel.timeline import TimedLine

    animal = Animal(id="rex", species="dog")
    line = Line(sound="shout", speaker="rex")
    phones = (Phone("aa", 0.0, 0.3), Phone("pau", 0.3, 0.6), Phone("aa", 0.6, 0.9))
    spoken = SimpleNamespace(phones=phones, speaker="rex")
    timed = TimedLine(0, line, 1.0, 1.9, spoken)
    scene = Scene(duration=3.0, animals=(animal,), audio={"dialogue": [line]})
    perf = animate_animals(scene, (timed,))["rex"]
    angle = _jaw_angle(perf)
    at = lambda t: angle[int(t * perf.rate)]  # noqa: E731
    assert at(0.5) < 0.01 and at(2.5) < 0.01
    assert at(1.15) > 0.3 and at(1.75) > 0.3  # open through each "aa"
    assert at(1.45) < 0.05  # shut in the pause


def test_fetch_goes_to_the_thing_takes_it_in_the_mouth_and_brings_it_back():
    from worldreel.scene import Entity

    animal = Animal(id="rex", species="dog", script=(
        AnimalAction(do="fetch", target="ball", place=(-1.0, 0.0)),))
    scene = Scene(duration=8.0, animals=(animal,),
                  entities=(Entity(id="ball", asset="tennis_ball", position=(3.0, 0.0, 0.0335)),))
    perf = animate_animals(scene)["rex"]
    grip, = perf.grips
    assert grip.hand == "jaw" and grip.entity == "ball" and not grip.on_contact
    assert grip.end is not None and grip.end > grip.start
    # at the take the mouth is at the ball; at the drop the dog is back at the place
    i = int(grip.start * perf.rate)
    jaw = perf.positions[i, perf.bones.index("jaw")]
    k = perf.bones.index("jaw")
    q = perf.quaternions[i, k]
    from scipy.spatial.transform import Rotation
    mouth = jaw + Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(grip.offset)
    assert np.linalg.norm(mouth - [3.0, 0.0, 0.0335]) < 0.12
    j = int(grip.end * perf.rate)
    middle = perf.positions[j, perf.bones.index("spine")]
    assert np.linalg.norm(middle[:2] - [-1.0, 0.0]) < 0.1


def test_a_chase_follows_a_person_as_they_really_walk():
    from worldreel.animation import animate
    from worldreel.scene import Character, CharacterAction

    scene = Scene(duration=8.0,
                  characters=(Character(id="sam", script=(
                      CharacterAction(do="walk", place=(6.0, 4.0), at=0.5),)),),
                  animals=(Animal(id="rex", species="dog", position=(-3.0, 0.0), script=(
                      AnimalAction(do="chase", target="sam", at=0.5, duration=7.0),)),))
    perfs = animate(scene)
    sam = perfs["sam"].positions[:, perfs["sam"].bones.index("pelvis"), :2]
    rex = perfs["rex"].positions[:, perfs["rex"].bones.index("spine"), :2]
    end = int(7.5 * perfs["rex"].rate)
    gap = np.linalg.norm(sam[end] - rex[end])
    assert gap < 1.5  # caught up, a body length behind
    assert np.linalg.norm(rex[end] - [-3.0, 0.0]) > 6.0


def test_a_dog_runs_after_a_kicked_ball_and_fetches_one_thrown_at_a_cone():
    from worldreel.scene import Character, CharacterAction, Entity, Kick

    kicked = Scene(duration=8.0, entities=(Entity(id="ball", asset="soccer_ball",
                                                  position=(1.0, 0.0, 0.11)),),
                   actions=(Kick(entity="ball", direction=(0.0, 1.0, 0.0), speed=4.0, at=0.5),),
                   animals=(Animal(id="rex", species="dog", script=(
                       AnimalAction(do="chase", target="ball", at=0.5),)),))
    rex = animate_animals(kicked)["rex"]
    end = rex.positions[-1, rex.bones.index("spine"), :2]
    assert end[1] > 2.5  # off after it along +y, not to where it was kicked from
    thrown = Scene(duration=12.0,
                   entities=(Entity(id="ball", asset="tennis_ball", position=(0.3, 0.3, 1.0)),
                             Entity(id="cone", asset="crate", position=(4.0, 3.0, 0.0))),
                   characters=(Character(id="sam", holds="ball", script=(
                       CharacterAction(id="toss", do="throw", target="cone"),)),),
                   animals=(Animal(id="rex", species="dog", position=(1.0, -1.0), script=(
                       AnimalAction(do="fetch", target="ball", after="toss"),)),))
    from worldreel.animation import animate

    rex = animate(thrown)["rex"]
    grip, = rex.grips
    at_take = rex.positions[int(grip.start * rex.rate), rex.bones.index("head"), :2]
    assert np.linalg.norm(at_take - [4.0, 3.0]) < 1.0


def test_a_person_turns_to_a_barking_dog_and_looks_at_it_when_speaking_to_it():
    from types import SimpleNamespace

    from worldreel.animation import animate
    from worldreel.scene import Character, Line
    from worldreel.speech.spoken import Phone
    from worldreel.timeline import TimedLine

    bark = Line(sound="shout", speaker="rex")
    praise = Line(text="Good dog", speaker="sam", to="rex")
    scene = Scene(duration=4.0, characters=(Character(id="sam", facing=0.0),),
                  animals=(Animal(id="rex", species="dog", position=(1.5, 1.5)),),
                  audio={"dialogue": [bark, praise]})
    lines = (TimedLine(0, bark, 0.5, 1.2, SimpleNamespace(phones=(Phone("aa", 0, 0.7),),
                                                          speaker="rex")),
             TimedLine(1, praise, 2.0, 3.0, SimpleNamespace(
                 phones=(Phone("aa", 0, 1.0),), speaker="sam", visemes=(),
                 samples=np.zeros(48000), sample_rate=48000)))
    sam = animate(scene, lines)["sam"]
    head = sam.quaternions[:, sam.bones.index("head")]
    yaw = np.degrees(2 * np.arctan2(head[:, 3], head[:, 0]))
    assert abs(yaw[int(0.2 * sam.rate)]) < 5  # ahead, before the bark
    assert 30 < yaw[int(1.0 * sam.rate)] < 60  # the dog is 45 degrees to the left
    assert 30 < yaw[int(2.5 * sam.rate)] < 60


def test_a_caught_ball_is_brought_back_to_the_thrower_and_dropped():
    from worldreel.animation import animate
    from worldreel.scene import Character, CharacterAction, Entity

    scene = Scene(duration=10.0,
                  entities=(Entity(id="ball", asset="tennis_ball", position=(0.3, 0.3, 1.0)),),
                  characters=(Character(id="sam", holds="ball", script=(
                      CharacterAction(do="throw", target="rex", at=0.5),)),),
                  animals=(Animal(id="rex", species="dog", position=(5.0, 0.0), facing=180.0,
                                  script=(AnimalAction(do="catch", target="ball", at=0.5),
                                          AnimalAction(do="fetch", target="ball"))),))
    rex = animate(scene)["rex"]
    grip, = rex.grips  # one hold: from the catch to the drop
    assert grip.on_contact and grip.end is not None
    mouth = rex.positions[int(grip.end * rex.rate), rex.bones.index("jaw"), :2]
    assert 0.3 < np.linalg.norm(mouth - [0.0, 0.0]) < 0.9  # at the thrower's feet
