"""Animals put in a planned Scene: where each one stands, its script and its lines.

Animals stand in the people's row (director.cast), beside them, or where the things are when
nobody is named. A gait said without a goal crosses the frame through its middle. What a step
acts on is found by the words for it: a thing's entity, a person's character, another
animal. A ball chased with nothing said of how it moves rolls away first; a thing a person
throws that an animal catches is thrown to that animal; fetching waits for the throw.
"""

from __future__ import annotations

import math

from worldreel.assets import ASSETS
from worldreel.assets.animals import build_body
from worldreel.director.animal_cast import (FIRST_STEP_S, GAIT_DISTANCE_M, MAX_ANIMALS,
                                            SOUND_GAP_S, SPACING_M, STEP_S, Beast)
from worldreel.director.mentions import counted_ids
from worldreel.director.cast import FRONT_Y_M, ROW_AZIMUTH_DEG, _front_row_y

GAITS = frozenset(GAIT_DISTANCE_M)
TRAVELS = GAITS | {"chase", "fetch", "jump"}  # steps that take an animal across the place
THROWS = frozenset({"throw", "throw_underhand"})
CHASED_ROLL_M_S = 3.0  # a chased ball with nothing said of how it moves rolls away this fast
JUMP_POLE = "jump_pole"
RUN_UP_M = 9.0  # a jump is approached from this far (a canter's last strides)
RUN_OUT_M = 6.0  # and run out this far past it
SHOW_JUMP_M = 1.0  # the pole's centre on the wings' cups (assets.registry jump_stand)
SHOW_JUMP_SHOULDER_M = 1.2  # animals this tall at the shoulder jump a raised pole
WING_APART_M = 1.82  # each wing's post from the pole's middle (their cups hold its ends)
SMALL_ANIMAL_M = 0.9  # shoulder height under which a followed animal is filmed at medium size
THROW_APART_M = 4.0  # an animal a thing is thrown to stands this far from the thrower
ROW_GAP_M = 1.2  # from the people's row to the first animal beside it
PASS_BEFORE_M = 1.2  # an animal crossing the frame passes this far before the people's row


def animal_ids(beasts: list[Beast]) -> list[tuple[Beast, str]]:
    """Each animal cast with its id ("dog", "dog_2"), at most MAX_ANIMALS in all."""
    return counted_ids(beasts, MAX_ANIMALS)


def with_animals(data: dict, beasts: list[Beast], things_at: dict[int, list[str]],
                 person_at: dict[int, str]) -> list[str]:
    """Add the animals to the Scene's data (placed, scripted, their sounds as lines); returns
    notes for the user. `things_at`: the entity ids each noun item stands for; `person_at`:
    the character id of each person mention."""
    named = animal_ids(beasts)
    animal_at = {at: aid for beast, aid in named for at in beast.mentions}
    notes: list[str] = []
    people = data.get("characters", [])
    front = _front_row_y(data["entities"]) if data["entities"] or people else FRONT_Y_M + 1.0
    right = max((c["position"][0] for c in people), default=-ROW_GAP_M)
    animals = []
    for n, (beast, aid) in enumerate(named):
        x = right + ROW_GAP_M + n * SPACING_M if people else (n - (len(named) - 1) / 2) * SPACING_M
        animal: dict = {"id": aid, "species": beast.species, "position": [round(x, 2), front],
                        "facing": 180.0 if people else 0.0}
        if beast.breed:
            animal["breed"] = beast.breed
        if beast.coat:
            animal["coat"] = beast.coat
        if beast.size != 1.0:
            animal["size"] = round(beast.size, 2)
        animal["script"] = _script(beast, aid, animal, data, things_at, person_at, animal_at,
                                   notes)
        animals.append(animal)
    _cross_the_frame(animals, bool(people))
    for animal in animals:
        _stage_jumps(data, animal, notes)
    data["animals"] = animals
    lines = data["audio"].setdefault("dialogue", [])
    for beast, aid in named:
        lines.extend(_sound_lines(beast, aid, next(a for a in animals if a["id"] == aid)))
    longest = max((len(a["script"]) + len(b.sounds) for (b, _), a in zip(named, animals)),
                  default=0)
    data["duration"] = min(60.0, max(data["duration"], FIRST_STEP_S + STEP_S * longest + 1.0))
    _film_the_animals(data, animals)
    return notes


def _film_the_animals(data: dict, animals: list[dict]) -> None:
    """One animal on its own that goes somewhere is followed from a fixed place (a pan), so it
    stays large in the frame; with people, the shot that was filming the one person (cast's
    choice) films everyone from before their row, the animal included."""
    people = [c["id"] for c in data.get("characters", [])]
    for shot in data.get("shots", []):
        if people and shot.get("subject") in people:
            shot["subject"], shot["azimuth"] = None, ROW_AZIMUTH_DEG
        elif not people and len(animals) == 1 and shot.get("subject") is None and \
                shot.get("move", "static") == "static":
            shot["subject"] = animals[0]["id"]
            if any(s["do"] in TRAVELS for s in animals[0]["script"]):
                # from the side of its way (it goes along +x), near enough to see a small
                # animal's legs
                shot.update(move="follow", azimuth=ROW_AZIMUTH_DEG)
                if _shoulder_height(animals[0]) < SMALL_ANIMAL_M:
                    shot["size"] = "medium"


def _script(beast: Beast, aid: str, animal: dict, data: dict, things_at: dict[int, list[str]],
            person_at: dict[int, str], animal_at: dict[int, str], notes: list[str]) -> list[dict]:
    script: list[dict] = []
    for n, (verb, k, target_item, factor) in enumerate(beast.steps):
        step: dict = {"id": f"{aid}_{verb}_{n}", "do": verb, "item": k}
        if n == 0:
            step["at"] = FIRST_STEP_S
        target = _target_id(target_item, things_at, person_at, animal_at, aid)
        if verb in ("chase", "fetch", "catch") and target is None:
            notes.append(f"{beast.called} cannot {verb}: the prompt does not say what; it "
                         f"runs instead")
            step["do"] = verb = "run"
        if target is not None and verb in ("chase", "fetch", "catch", "jump", "look_at"):
            step["target"] = target
            _ready_the_target(verb, target, animal, step, data, n == 0)
        if verb in GAITS and factor != 1.0:
            step["speed_factor"] = factor  # resolved to m/s by _cross_the_frame
        script.append(step)
    return script


def _target_id(item: int | None, things_at: dict[int, list[str]], person_at: dict[int, str],
               animal_at: dict[int, str], own: str) -> str | None:
    if item is None:
        return None
    found = person_at.get(item) or animal_at.get(item) or (things_at.get(item) or [None])[0]
    return None if found == own else found


def _ready_the_target(verb: str, target: str, animal: dict, step: dict, data: dict,
                      first: bool) -> None:
    """What a chase, fetch or catch needs of its target: a ball to chase rolls away; a thing
    to catch is thrown to the animal; a fetch waits for the throw it follows."""
    aid = animal["id"]
    thrower = _thrower_of(data, target)
    if verb in ("catch", "fetch") and thrower is not None:
        _face_the_thrower(data, thrower["character"], animal)
    if verb == "catch" and thrower is not None:
        throw = thrower["step"]
        throw["target"] = aid
        if first:
            step.pop("at", None)  # ready from the start, for the throw to come
    elif verb == "fetch" and thrower is not None:
        step.pop("at", None)
        step["after"] = thrower["step"].setdefault("id", f"{thrower['character']}_throw")
    elif verb == "chase" and any(e["id"] == target for e in data["entities"]) and \
            thrower is None and not _moved(data, target):
        data["actions"].append({"kind": "roll", "entity": target, "direction": [1.0, 0.0, 0.0],
                                "speed": CHASED_ROLL_M_S, "at": 0.0})


def _face_the_thrower(data: dict, cid: str, animal: dict) -> None:
    """The animal a thing is thrown to stands THROW_APART_M in front of the thrower, the two
    facing each other (a catch from across the room, not from beside them)."""
    thrower = next(c for c in data["characters"] if c["id"] == cid)
    x, y = thrower["position"]
    thrower["facing"] = 0.0
    animal.update(position=[round(x + THROW_APART_M, 2), y], facing=180.0)


def _moved(data: dict, entity: str) -> bool:
    """Whether an action or someone's step already moves the entity."""
    return any(a.get("entity") == entity for a in data["actions"]) or any(
        step.get("target") == entity or character.get("holds") == entity
        for character in data.get("characters", []) for step in character["script"])


def _thrower_of(data: dict, entity: str) -> dict | None:
    """The person who throws (or holds, to throw) the entity, and that step."""
    for character in data.get("characters", []):
        for step in character["script"]:
            if step["do"] in THROWS and (character.get("holds") == entity or
                                         step.get("target") in (None, entity)):
                return {"character": character["id"], "step": step}
    return None


def _cross_the_frame(animals: list[dict], beside_people: bool) -> None:
    """Gaits said without a goal go across the frame along x, centred on where the animal was
    placed (in front of the people's row when there are people, so it passes before them).
    Each animal crossing goes in its own lane, nearer the camera than the one before, so two
    horses walking across go side by side rather than through each other."""
    lane_y: float | None = None
    for animal in animals:
        gaits = [s for s in animal["script"] if s["do"] in GAITS and "target" not in s
                 and "place" not in s]
        if gaits:
            total = sum(GAIT_DISTANCE_M[s["do"]] * s.get("speed_factor", 1.0) for s in gaits)
            x, y = animal["position"]
            if beside_people:
                x, y = 0.0, y - PASS_BEFORE_M
            half_lane = _half_lane(animal)
            if lane_y is not None:
                y = min(y, lane_y - half_lane)
            lane_y = y - half_lane
            x -= 0.5 * total
            animal["position"] = [round(x, 2), round(y, 2)]
            animal["facing"] = 0.0
            for step in gaits:
                x += GAIT_DISTANCE_M[step["do"]] * step.get("speed_factor", 1.0)
                step["place"] = [round(x, 2), round(y, 2)]
        for step in animal["script"]:
            step.pop("speed_factor", None)
            step.pop("item", None)


def _half_lane(animal: dict) -> float:
    """Half the width of the way an animal takes: its body's, with room to each side (half
    its shoulder height: a horse's lane is about 1.6 m, a dog's 0.6 m)."""
    return 0.5 * 0.6 * _shoulder_height(animal) + 0.3


def _shoulder_height(animal: dict) -> float:
    return build_body(animal["species"], animal.get("breed"), animal.get("coat"),
                      animal.get("size", 1.0)).shoulder_height


def _stage_jumps(data: dict, animal: dict, notes: list[str]) -> None:
    """A show-jumping pole an animal jumps is set across its way, RUN_UP_M ahead: on two
    wings at 1 m for a horse-sized animal (the pole rests in their cups), on the ground for a
    smaller one. The animal runs out past it."""
    for step in animal["script"]:
        if step["do"] != "jump" or "target" not in step:
            continue
        pole = next((e for e in data["entities"] if e["id"] == step["target"]), None)
        if pole is None or pole["asset"] != JUMP_POLE:
            continue
        yaw = math.radians(animal["facing"])
        ahead = (math.cos(yaw), math.sin(yaw))
        x = animal["position"][0] + RUN_UP_M * ahead[0]
        y = animal["position"][1] + RUN_UP_M * ahead[1]
        high = _shoulder_height(animal) >= SHOW_JUMP_SHOULDER_M
        pole.update(position=[round(x, 3), round(y, 3), SHOW_JUMP_M if high else
                              ASSETS[JUMP_POLE].rest_height],
                    rotation=[0.0, 0.0, round(animal["facing"], 3)])
        if high:
            across = (-ahead[1], ahead[0])
            for sign, name in ((1, "a"), (-1, "b")):
                data["entities"].append({
                    "id": f"{pole['id']}_wing_{name}", "asset": "jump_stand",
                    "position": [round(x + sign * WING_APART_M * across[0], 3),
                                 round(y + sign * WING_APART_M * across[1], 3), 0.0],
                    "rotation": [0.0, 0.0, round(animal["facing"] + (0 if sign > 0 else 180),
                                                 3)]})
            notes.append(f"the {animal['species']} jumps a show-jumping pole on two wings, "
                         f"{SHOW_JUMP_M:g} m high")
        beyond = [round(x + RUN_OUT_M * ahead[0], 2), round(y + RUN_OUT_M * ahead[1], 2)]
        index = animal["script"].index(step)
        if index == len(animal["script"]) - 1:
            animal["script"].append({"id": f"{animal['id']}_run_out", "do": "canter",
                                     "place": beyond})


def _sound_lines(beast: Beast, aid: str, animal: dict) -> list[dict]:
    """The animal's sounds as its lines: after the step the prompt tells before each one, or
    near the start."""
    lines = []
    steps = list(zip((s[1] for s in beast.steps), animal["script"]))
    for sound, k in beast.sounds:
        line: dict = {"sound": sound, "speaker": aid}
        before = [step for at, step in steps if at < k]
        if before:
            line["after"] = before[-1]["id"]
            line["delay"] = SOUND_GAP_S
        else:
            line["at"] = FIRST_STEP_S + SOUND_GAP_S * len(lines)
        lines.append(line)
    return lines
