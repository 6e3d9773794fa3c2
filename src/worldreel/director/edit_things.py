"""Remix changes to what a prompt names (director.edit): things' colours, materials and sizes,
people's clothes and hair ("make the ball red", "give the woman a green coat"), and taking
things or people out with everything that refers to them ("remove the crate").
"""

from __future__ import annotations

from worldreel.director.cast import FIRST_STEP_S, HELD_VERBS, people_table
from worldreel.director.cast import _lemma as lemma_of
from worldreel.director.edit_setting import floor_made_of, scene_wide
from worldreel.director.editing import (Clause, Edit, after_prep, edit_words, mark_phrase,
                                        meaning, missing, names_person, no_such, noun_phrases,
                                        people_named, things_named, unknown_noun)
from worldreel.director.interpret import _shade as shaded
from worldreel.director.parser import Item
from worldreel.director.placing import bottom_of, overlaps_any, rest_height
from worldreel.errors import PromptError
from worldreel.scene.characters import HAIR_COLOURS


def change(edit: Edit, clause: Clause) -> bool:
    """A change clause: each run of names, then what they become ("the ball red and the crate
    metal"). Returns whether anything changed."""
    phrases = noun_phrases(edit, clause)
    groups: list[tuple[list[tuple[str, object]], list[int]]] = []
    changed = False
    k = clause.start
    while k < clause.end:
        target: tuple[str, object] | None = None
        np_ = phrases.get(k)
        step = 1
        if np_ is not None and groups and groups[-1][0] and not groups[-1][1] and \
                _becomes(edit, np_):
            groups[-1][1].append(np_.start)  # "the floor should be grass", "the table glass"
            k = np_.end
            continue
        if np_ is not None:
            target = ("pronoun", np_) if np_.is_pronoun else \
                ("floor", np_) if np_.is_floor else ("thing", np_)
            step = np_.end - k
        elif " ".join(edit.items[k].words) in edit_words()["everything"]:
            target = ("all", k)
        elif names_person(edit, k) and (people := people_named(edit, k)) is not None:
            target = ("people", (k, people))
        if target is not None:
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(target)
        elif scene_wide(edit, k, removing=False):
            changed = True
        elif groups:
            if edit.items[k].kind not in ("stop", "punct") and not edit.items[k].used:
                groups[-1][1].append(k)  # (not "should be", "a": what they become is content)
        elif (noun := unknown_noun(edit, k)) is not None:
            edit.failures.append(missing(edit, k, noun))
        k += step
    for targets, props in groups:
        for kind, what in targets:
            changed |= _change_one(edit, kind, what, props)
    return changed


def _becomes(edit: Edit, np_) -> bool:
    """Whether a noun phrase after what is named says what it becomes: a floor word ("grass")
    or a bare word that is also a material ("glass")."""
    head = np_.head
    if np_.is_floor:
        return head.kind == "floor_noun"
    bare = np_.start == edit.items.index(head)
    if bare and any(entry.kind == "material" for entry in head.entries):
        head.kind = "material"
        head.value = next(e.value for e in head.entries if e.kind == "material")
        return True
    return False


def _change_one(edit: Edit, kind: str, what: object, props: list[int]) -> bool:
    """One named thing, floor or person (or all of a kind) given what the props say."""
    if kind == "floor":
        return floor_made_of(edit, what, props)  # type: ignore[arg-type]
    characters = {c["id"] for c in edit.data["characters"]}
    if kind == "people":
        at, ids = what  # type: ignore[misc]
        if not ids:
            edit.failures.append(no_such(edit, edit.items[at].text, "person"))
            return False
        if _dress(edit, ids, props):
            edit.items[at].used = True
            edit.touched = list(ids)
            return True
        return False
    if kind == "all":
        ids = [e["id"] for e in edit.data["entities"]]
        label = "things"
        edit.items[what].used = True  # type: ignore[index]
    elif kind == "pronoun":
        ids, label = _pronoun(edit, what, props), what.head.text  # type: ignore[attr-defined]
    else:
        ids, label = things_named(edit, what), what.head.text  # type: ignore[arg-type]
        if not ids:
            edit.failures.append(no_such(edit, label, None))
            return False
    people = [i for i in ids if i in characters]
    if people:
        return _dress(edit, people, props)
    if ids and _thing_props(edit, ids, props, label):
        if kind == "thing":
            mark_phrase(edit, what)  # type: ignore[arg-type]
        return True
    return False


FLOOR_TOLERANCE_M = 1e-3  # a bottom this low stands on the floor
PROPERTY_KINDS = frozenset({"color", "material", "size", "shade"})


def _pronoun(edit: Edit, np_, props: list[int]) -> list[str]:
    """What "it", "them" stand for: what was just named, added or changed; else the only
    thing (or, with no things, the people); the user is told when it could be several."""
    if edit.touched:
        return list(edit.touched)
    entities = [e["id"] for e in edit.data["entities"]]
    if len(entities) == 1:
        return entities
    if not entities and np_.head.words[0] != "it":
        return [c["id"] for c in edit.data["characters"]]
    if entities and any(edit.items[k].kind in PROPERTY_KINDS for k in props):
        edit.failures.append(f"'{np_.head.text}' could be any of {', '.join(entities)}; "
                             "name which")
    return []


def _thing_props(edit: Edit, ids: list[str], props: list[int], label: str) -> bool:
    """Colours and materials for the entities `ids`; whether any was given."""
    color, material, shade, size = None, None, 0.0, None
    for k in props:
        item = edit.items[k]
        if item.kind == "size":
            size, item.used = float(item.value), True  # type: ignore[arg-type]
        elif item.kind == "shade":
            shade, item.used = float(item.value), True  # type: ignore[arg-type]
        elif (value := meaning(item, "color")) is not None:
            color, item.used = shaded(str(value), shade), True
        elif (value := meaning(item, "material")) is not None:
            material, item.used = str(value), True
    if color is None and material is None and size is None:
        return False
    edit.asked = True
    if size is not None and not _resized(edit, ids, size, label):
        return color is not None or material is not None
    for entity in edit.data["entities"]:
        if entity["id"] in ids:
            if color is not None:
                entity["color"] = color
            if material is not None:
                entity["material"] = material
    edit.touched = list(ids)
    return True


def _resized(edit: Edit, ids: list[str], factor: float, label: str) -> bool:
    """The entities `ids` scaled by `factor` about their bottom (what stood on something still
    does); refused, with the reason, when one would then run into something."""
    before = {e["id"]: dict(e) for e in edit.data["entities"]}
    for entity in edit.data["entities"]:
        if entity["id"] in ids:
            low = bottom_of(entity)
            entity["scale"] = round(float(entity.get("scale", 1.0)) * factor, 4)
            # what stood on the floor still does; what stood on something, on it
            z = entity["position"][2] + low - bottom_of(entity)
            if low <= FLOOR_TOLERANCE_M:
                z = rest_height(entity["asset"], entity.get("rotation", (0.0, 0.0, 0.0)),
                                entity["scale"])
            entity["position"] = [*entity["position"][:2], round(z, 4)]
    if overlaps_any(edit.data, ids):
        edit.data["entities"] = [before[e["id"]] for e in edit.data["entities"]]
        edit.failures.append(f"the {label} would run into what stands beside it at that size")
        return False
    return True


def outfit_and_hair(edit: Edit, props: list[int]) -> tuple[dict, dict]:
    """Outfit and hair fields the items `props` give ("a green coat", "blonde hair", "a red
    hat", "her coat red"), their words marked used."""
    words = edit_words()
    clothes = people_table()["clothes"]
    outfit: dict = {}
    hair: dict = {}
    colour: tuple[str, Item] | None = None  # a colour said before what it colours
    last: str | None = None  # the garment slot (or "hair") said last, for a colour after it
    for k in props:
        item = edit.items[k]
        text = " ".join(item.words)
        noun = " ".join(lemma_of(w, "n") for w in item.words)
        garment = clothes.get(noun) or clothes.get(text)
        if item.kind == "shade" or (item.kind == "word" and text in ("dark", "light")
                                    and colour is None):
            continue
        if garment is not None:
            slot, name = garment
            outfit[slot] = name
            if colour is not None:
                outfit[f"{slot}_color"] = colour[0]
                colour[1].used = True
                colour = None
            last = slot
            item.used = True
        elif text in words["hair_words"]:
            if colour is not None:
                hair["color"] = _hair_colour(colour[1])
                colour[1].used = True
                colour = None
            last, item.used = "hair", True
        elif text in words["hair_styles"] and (last == "hair" or _hair_next(edit, k, props)):
            hair["style"], item.used = words["hair_styles"][text], True
        elif item.kind == "color" or text in words["hair_colors"]:
            hex_color = str(item.value) if item.kind == "color" else None
            if last == "hair" and "color" not in hair:
                hair["color"], item.used = _hair_colour(item), True
            elif last not in (None, "hair") and f"{last}_color" not in outfit and hex_color:
                outfit[f"{last}_color"], item.used = hex_color, True
            else:
                colour = (hex_color or "", item)
    if colour is not None and colour[0] and not outfit and not hair:
        # "dress her in red": the colour of what shows most, the top
        outfit["top_color"], colour[1].used = colour[0], True
    return outfit, hair


def _hair_next(edit: Edit, k: int, props: list[int]) -> bool:
    later = [j for j in props if j > k][:2]
    return any(" ".join(edit.items[j].words) in edit_words()["hair_words"] for j in later) or \
        edit.items[k].words[0] in ("ponytail", "bun", "bald")


def _hair_colour(item: Item) -> str:
    text = " ".join(item.words)
    named = edit_words()["hair_colors"].get(text)
    if named in HAIR_COLOURS:
        return named
    return str(item.value) if item.kind == "color" else "brown"


def _dress(edit: Edit, ids: list[str], props: list[int]) -> bool:
    outfit, hair = outfit_and_hair(edit, props)
    if not outfit and not hair:
        return False
    edit.asked = True
    for character in edit.data["characters"]:
        if character["id"] in ids:
            if outfit.get("top") == "dress":
                outfit.setdefault("bottom", "none")
            character["outfit"].update(outfit)
            if outfit and character["outfit"].get("uniform", "none") != "none" and \
                    any(k in outfit for k in ("top", "bottom")):
                character["outfit"]["uniform"] = "none"  # a coat instead of the chef's whites
            character["hair"].update(hair)
    return True


def remove(edit: Edit, clause: Clause) -> bool:
    phrases = noun_phrases(edit, clause)
    gone: set[str] = set()
    changed = False
    k = clause.start
    while k < clause.end:
        np_ = phrases.get(k)
        if np_ is not None and np_.sense is not None and not after_prep(edit, k):
            ids = things_named(edit, np_)
            if ids:
                gone |= set(ids)
                mark_phrase(edit, np_)
            else:
                edit.failures.append(no_such(edit, np_.head.text, None))
            k = np_.end
            continue
        if names_person(edit, k) and (people := people_named(edit, k)) is not None:
            if people:
                gone |= set(people)
                edit.items[k].used = True
            else:
                edit.failures.append(no_such(edit, edit.items[k].text, "person"))
        elif scene_wide(edit, k, removing=True):
            changed = True
        elif (noun := unknown_noun(edit, k)) is not None:
            edit.failures.append(missing(edit, k, noun))
        k += 1
    if gone:
        left = [e for e in edit.data["entities"] if e["id"] not in gone] + \
            [c for c in edit.data["characters"] if c["id"] not in gone]
        if not left:
            raise PromptError("removing that would leave the scene empty; remove less, or make "
                              "a new video")
        went = _take_out(edit.data, gone)
        if went:
            edit.notes.append(f"gone with {', '.join(sorted(gone))}: {', '.join(went)}")
        changed = True
    return changed


def _take_out(data: dict, gone: set[str]) -> list[str]:
    """Remove the entities and characters `gone` and everything that refers to them: their
    actions, script steps done to them or with what they held, their lines; what waited for a
    removed action waits for what that one waited for. Returns what went with them, for the
    user."""
    clocks: dict[str, dict] = {}
    went: list[str] = []

    def keep(step: dict, *refs: str, whose: str = "", gone_with: bool = False) -> bool:
        if gone_with or any(step.get(ref) in gone for ref in refs):
            if step.get("id") is not None:
                clocks[step["id"]] = step
            what = step.get("kind") or step.get("do") or ("a line" if step.get("text") else
                                                          step.get("sound", "a sound"))
            went.append(f"{whose}{str(what).replace('_', ' ')}")
            return False
        return True

    data["entities"] = [e for e in data["entities"] if e["id"] not in gone]
    data["actions"] = [a for a in data["actions"]
                       if keep(a, "entity", "target", whose=f"{a['entity']}'s ")]
    for character in data["characters"]:
        if character["id"] in gone:
            for step in character["script"]:
                if step.get("id") is not None:
                    clocks[step["id"]] = step
            continue
        whose = f"{character['id']}'s "
        # what they did with a thing in hand from the start goes with the thing
        emptied = character.get("holds") in gone
        things = {e["id"] for e in data["entities"]}
        character["script"] = [
            s for s in character["script"] if keep(s, "target", whose=whose, gone_with=(
                emptied and s["do"] in HELD_VERBS and s.get("target") not in things))]
        for hand in ("holds", "left_hand"):
            if character.get(hand) in gone:
                character[hand] = None
    data["characters"] = [c for c in data["characters"] if c["id"] not in gone]
    lines = []
    for line in data["audio"]["dialogue"]:
        if not keep(line, "speaker"):
            continue
        if line.get("to") in gone:
            line["to"] = None
        lines.append(line)
    data["audio"]["dialogue"] = lines
    for shot in data["shots"]:
        if shot.get("subject") in gone:
            shot["subject"] = None
    timed = data["actions"] + [s for c in data["characters"] for s in c["script"]] + lines
    for step in timed:
        while step.get("after") in clocks:
            before = clocks[step["after"]]
            step["after"], step["at"] = before.get("after"), before.get("at")
            step["delay"] = round(step.get("delay", 0.0) + before.get("delay", 0.0), 6)
    for character in data["characters"]:  # a script's first step starts at a time of its own
        script = character["script"]
        if script and script[0].get("at") is None and script[0].get("after") is None:
            script[0]["at"] = FIRST_STEP_S
    return went


def say(edit: Edit, texts: list[str]) -> None:
    """Quoted lines added to the dialogue, after what is said already, spoken by the person
    the prompt names (else the Scene's only person, else a narrator) in the voice they spoke in
    before (else their stored look's)."""
    speaker = None
    for k in range(len(edit.items)):
        if names_person(edit, k) and (people := people_named(edit, k)):
            speaker = people[0]
            edit.items[k].used = True
            break
    characters = [c["id"] for c in edit.data["characters"]]
    if speaker is None and len(characters) == 1:
        speaker = characters[0]
    speech = set(people_table()["speech"])
    for item in edit.items:
        if len(item.words) == 1 and lemma_of(item.words[0], "v") in speech:
            item.used = True
    lines = edit.data["audio"]["dialogue"]
    voice = next((line.get("voice") for line in lines
                  if line.get("speaker") == speaker and line.get("voice")), None)
    look = next((look for look in edit.cast.values() if look.id == speaker), None)
    if voice is None and look is not None:
        voice = look.voice
    for text in texts:
        line = {"text": text}
        if speaker is not None:
            line["speaker"] = speaker
        if voice is not None:
            line["voice"] = voice
        lines.append(line)
    edit.asked = True
