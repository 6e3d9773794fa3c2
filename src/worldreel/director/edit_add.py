"""Remix additions (director.edit): new things like the ones they join ("add a second ball":
the same ball, falling as the first does; "two more dominoes": the row goes on) and new people
at the end of the row of people, each clear of everything there (director.placing).
"""

from __future__ import annotations

import math
import re

import numpy as np

from worldreel.director.cast import ALONE_FACING_DEG
# (casting's own helpers: how a role looks, where a row of people stands, telling them apart)
from worldreel.director.cast import _front_row_y as front_row_y
from worldreel.director.cast import _lemma as lemma_of
from worldreel.director.cast import _role as role_of
from worldreel.director.cast import _told_apart as told_apart
from worldreel.director.edit_setting import scene_wide
from worldreel.director.edit_things import outfit_and_hair
from worldreel.director.editing import (HE, PEOPLE_WORDS, SHE, THEY, Clause, Edit, after_prep,
                                        edit_words, is_a, mark_phrase, missing, names_person,
                                        noun_phrases, things_named, unknown_noun)
from worldreel.director.interpret import _shade as shaded
from worldreel.director.layout import DOMINO_WAVE_SPEED
from worldreel.director.parser import NounPhrase
from worldreel.director.placing import (Floor, free_spot, person_spot, rest_height,
                                        spot_on_top)
from worldreel.scene.limits import MAX_CHARACTERS, MAX_DURATION_S, MAX_ENTITIES

MAX_ADDED = 12  # things added by one instruction ("add twenty balls" adds this many)


ON_WORDS = frozenset({"on", "onto", "upon", "atop"})  # "a ball on the table": on its top


def add(edit: Edit, clause: Clause) -> bool:
    """An addition clause: the things and people it names, beside (or on) what it places them
    by ("add a crate next to the ball", "add a ball on the table"). Whether any was added."""
    phrases = noun_phrases(edit, clause)
    wanted: list[tuple[str, object]] = []
    anchor: dict | None = None
    on_top = False
    changed = False
    k = clause.start
    while k < clause.end:
        np_ = phrases.get(k)
        if np_ is not None and np_.sense is not None:
            if after_prep(edit, k):  # "next to the crate": where, not what
                ids = things_named(edit, np_)
                if ids:
                    anchor = next(e for e in edit.data["entities"] if e["id"] == ids[0])
                    on_top = edit.items[k - 1].words[0] in ON_WORDS
                    mark_phrase(edit, np_)
                    edit.items[k - 1].used = True
            else:
                wanted.append(("thing", np_))
            k = np_.end
            continue
        word = edit.items[k].words[-1]
        if edit.items[k].kind == "new" or word in edit_words()["more"] or \
                word in edit_words()["ordinals"]:
            edit.items[k].used = True  # "a second", "another", "more": new ones, as adding is
        elif names_person(edit, k) and edit.items[k].words[0] not in SHE | HE | THEY:
            wanted.append(("person", k))
        elif scene_wide(edit, k, removing=False):
            changed = True
        elif (noun := unknown_noun(edit, k)) is not None:
            edit.failures.append(missing(edit, k, noun, adding=True))
        k += 1
    for n, (kind, what) in enumerate(wanted):
        if kind == "thing":
            changed |= _add_things(edit, what, anchor, on_top)  # type: ignore[arg-type]
            continue
        at = int(what)  # type: ignore[call-overload]
        nxt = [int(w) for kd, w in wanted[n + 1:] if kd == "person"]  # type: ignore
        props = list(range(at + 1, min([clause.end] + nxt)))
        count = _person_count(edit, at)
        for _ in range(count):
            changed |= _add_person(edit, at, props)
    return changed


def _count(edit: Edit, np_: NounPhrase) -> int:
    for item in edit.items[np_.start:np_.end]:
        if item.words[-1] in edit_words()["more"] or item.kind == "new":
            item.used = True
    count = np_.count if np_.count is not None else (2 if np_.plural else 1)
    if count > MAX_ADDED:
        edit.notes.append(f"{count} {np_.head.text} are more than one remix adds; added "
                          f"{MAX_ADDED}")
    return max(0, min(count, MAX_ADDED))


def _new_id(data: dict, base: str) -> str:
    """`base`, else the next of its numbered ids ("domino_9" after "domino_8")."""
    taken = {e["id"] for e in data["entities"]} | {c["id"] for c in data["characters"]}
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(rf"{base}_(\d+)", i))]
    if base not in taken and not numbers:
        return base
    n = max(numbers, default=1) + 1
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def _new_entity(edit: Edit, np_: NounPhrase, alike: list[dict]) -> dict:
    """A new entity for the phrase: like the ones already there it joins (their asset, look
    and size), else as the lexicon says; the phrase's own colour, material and size on top."""
    sense = np_.sense
    if alike:
        model = alike[-1]
        entity = {key: model.get(key) for key in ("asset", "rotation", "material", "color",
                                                   "scale", "mass")}
    else:
        entity = {"asset": sense.asset, "rotation": [0.0, 0.0, 0.0],  # type: ignore[union-attr]
                  "material": sense.material, "color": sense.color,  # type: ignore[union-attr]
                  "scale": sense.scale, "mass": None}  # type: ignore[union-attr]
    if np_.colors:
        entity["color"] = shaded(np_.colors[0][0], np_.shade)
    if np_.material is not None:
        entity["material"] = np_.material[0]
    if np_.scale is not None:
        entity["scale"] = round(float(entity["scale"]) * np_.scale[0], 4)
    return {key: value for key, value in entity.items() if value is not None}


def _dropped_with(edit: Edit, model: dict | None) -> dict | None:
    """The drop of the thing a new one is like, if it is dropped (the new one falls too)."""
    if model is None:
        return None
    return next((a for a in edit.data["actions"] if a["kind"] == "drop"
                 and a["entity"] == model["id"]), None)


def _add_things(edit: Edit, np_: NounPhrase, anchor: dict | None, on_top: bool) -> bool:
    """`np_`'s things added (as many as it says), like the ones there they join, clear of
    everything; on `anchor` when `on_top`, else beside it (None: beside the others)."""
    if np_.sense is None or np_.sense.setup is not None:
        edit.failures.append(f"a remix cannot add {np_.head.text} yet")
        return False
    alike = [e for e in edit.data["entities"] if is_a(e["asset"], np_)]
    if alike and np_.sense.asset != alike[-1]["asset"] and not is_a(alike[-1]["asset"], np_):
        alike = []
    count = _count(edit, np_)
    added = []
    for _ in range(count):
        if len(edit.data["entities"]) >= MAX_ENTITIES:
            edit.notes.append(f"a Scene holds at most {MAX_ENTITIES} things")
            break
        entity = _new_entity(edit, np_, alike)
        drop = _dropped_with(edit, alike[-1] if alike else None)
        z = alike[-1]["position"][2] if drop is not None else rest_height(
            entity["asset"], entity.get("rotation", (0.0, 0.0, 0.0)), entity.get("scale", 1.0))
        entity = {"id": _new_id(edit.data, entity["asset"]), **entity,
                  "position": [0.0, 0.0, z]}
        row = [e for e in alike if e["asset"] == entity["asset"]]
        if on_top and anchor is not None:
            drop = None  # set down on it, not let fall beside it
            spot = spot_on_top(Floor(edit.data), entity, anchor)
        else:
            spot = free_spot(Floor(edit.data), entity, anchor or (alike[-1] if alike else None),
                             row, bool(edit.rng.integers(2)))
        if spot is None:
            edit.failures.append(f"there is no room for another {np_.head.text} here")
            break
        entity["position"] = spot
        edit.data["entities"].append(entity)
        if drop is not None:
            edit.data["actions"].append(_copied_drop(edit.data, drop, entity["id"]))
        alike.append(entity)
        added.append(entity["id"])
    if added:
        mark_phrase(edit, np_)
        edit.touched = added
        _longer_wave(edit, alike, added)
    return bool(added)


def _longer_wave(edit: Edit, row: list[dict], added: list[str]) -> None:
    """A toppling row made longer: the clip lasts as much longer as its wave takes to reach the
    new end (layout.DOMINO_WAVE_SPEED), so the last one is seen to fall."""
    data = edit.data
    toppled = {a["entity"] for a in data["actions"] if a["kind"] == "topple"}
    if not toppled & {e["id"] for e in row} or data.get("time_lapse", 1) > 1:
        return
    length = 0.0
    for entity in (e for e in row if e["id"] in added):
        others = [o["position"] for o in row if o["id"] != entity["id"]]
        length += min(math.dist(entity["position"][:2], o[:2]) for o in others)
    longer = data["duration"] + data.get("slow_motion", 1) * length / DOMINO_WAVE_SPEED
    data["duration"] = round(min(MAX_DURATION_S, longer), 3)


def _copied_drop(data: dict, drop: dict, entity: str) -> dict:
    new = {key: value for key, value in drop.items() if key not in ("id", "entity")}
    new["entity"] = entity
    if drop.get("id") is not None:
        taken = {a.get("id") for a in data["actions"]} | {
            s.get("id") for c in data["characters"] for s in c["script"]}
        new["id"] = _new_id({"entities": [{"id": i} for i in taken if i], "characters": []},
                            f"{entity}_drop")
    return new


def _add_person(edit: Edit, k: int, props: list[int]) -> bool:
    """A person added at the end of the row of people, dressed as the words after them say."""
    data = edit.data
    item = edit.items[k]
    look = edit.looks.get(k)
    if len(data["characters"]) >= MAX_CHARACTERS:
        edit.failures.append(f"a Scene holds at most {MAX_CHARACTERS} people")
        return False
    if look is not None:
        if any(c["id"] == look.id for c in data["characters"]):
            edit.failures.append(f"{look.name} is already in this scene")
            return False
        character = {"id": look.id, "body": look.body.model_dump(),
                     "outfit": look.outfit.model_dump(), "hair": look.hair.model_dump()}
    else:
        word = item.words[0]
        role = role_of(word) or {}
        noun = lemma_of(word, "n")
        body, outfit, hair = (dict(role.get(part, {})) for part in ("body", "outfit", "hair"))
        if noun in PEOPLE_WORDS:
            noun = "person"
        n = len(data["characters"])
        body.setdefault("gender", n % 2)
        told_apart(n, body, outfit, hair)
        said_outfit, said_hair = outfit_and_hair(edit, props)
        outfit.update(said_outfit)
        hair.update(said_hair)
        character = {"id": _new_id(data, noun.replace(" ", "_").replace("-", "_")),
                     "body": body, "outfit": outfit, "hair": hair}
    floor = Floor(data)
    xs = [c["position"][0] for c in data["characters"]]
    row_y = float(np.mean([c["position"][1] for c in data["characters"]])) if xs else \
        front_row_y(data["entities"])
    spot = person_spot(floor, row_y, xs, bool(edit.rng.integers(2)))
    if spot is None:
        edit.failures.append("there is no room for another person here")
        return False
    character["position"] = list(spot)
    character["facing"] = _facing(data, spot)
    character["script"] = []
    data["characters"].append(character)
    item.used = True
    edit.touched = [character["id"]]
    return True


def _person_count(edit: Edit, k: int) -> int:
    """"Two people", "kids": how many to add (one for a name)."""
    if k in edit.looks:
        return 1
    before = edit.items[k - 2:k] if k >= 2 else edit.items[:k]
    for item in before:
        if item.kind == "number":
            item.used = True
            return max(1, min(int(float(item.value)), MAX_CHARACTERS))  # type: ignore[arg-type]
        if item.words[-1] in edit_words()["more"]:
            item.used = True
    word = edit.items[k].words[0]
    return 2 if word != lemma_of(word, "n") or word == "people" else 1


def _facing(data: dict, spot: tuple[float, float]) -> float:
    """Towards what stands there (the things, else the others), else three-quarters to the
    camera."""
    points = [e["position"][:2] for e in data["entities"]] or \
        [c["position"] for c in data["characters"]]
    if not points:
        return ALONE_FACING_DEG
    cx, cy = np.mean(points, axis=0)
    if math.hypot(cx - spot[0], cy - spot[1]) < 1e-6:
        return ALONE_FACING_DEG
    return round(math.degrees(math.atan2(cy - spot[1], cx - spot[0])) % 360.0, 1)
