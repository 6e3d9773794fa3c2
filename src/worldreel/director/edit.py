"""edit_scene: a Scene changed by a prompt (a remix), everything it does not mention kept.

The prompt is read with the director's parser and lexicon; its instructions are split where a
word of `edits.yaml` starts one ("add", "remove", "make"...; none: a change, as in "the crate
should be metal"). A change gives what it names (a thing by its asset's words, "the second
ball"; a person by role or name, "the woman", "Maya") new colours, materials, clothes or hair;
an addition places new things or people clear of the others (director.placing); a removal
takes things or people out with everything that refers to them. Words for the place, the time
of day, the weather, the look, slow motion and the clip's length change the Scene as a whole.

Nothing is a silent no-op: a prompt that changes nothing raises PromptError saying why and what
a remix understands; words not understood beside a change are warned about as plan_scene does.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from worldreel.assets import ASSETS, ENVIRONMENTS, MATERIALS, check_scene_assets
from worldreel.director import geometry
from worldreel.director import lexicon as lx
from worldreel.director.cast import (ALONE_FACING_DEG, FIRST_STEP_S, HELD_VERBS, front_row_y,
                                     lemma_of, people_table, role_of, told_apart)
from worldreel.director.grounding import grounding_report, report_lines
from worldreel.director.interpret import _shade as shaded
from worldreel.director.names import check_cast, name_mentions
from worldreel.director.parser import Item, NounPhrase, Parse, parse
from worldreel.director.placing import (Floor, free_spot, inside_room, overlaps_any,
                                        person_spot, rest_height, solids_of)
from worldreel.director.plan import Plan, _check_prompt, _quoted_lines
from worldreel.director.wordnet import noun_kind
from worldreel.errors import PromptError, SceneError
from worldreel.rng import generator
from worldreel.scene import NamedLook, Scene, scene_from_dict, scene_to_dict
from worldreel.scene.characters import HAIR_COLOURS
from worldreel.scene.limits import MAX_CHARACTERS, MAX_ENTITIES, MAX_SLOW_MOTION
from worldreel.scene.models import MAX_DURATION_S, Setting
from worldreel.timeline import in_slow_motion

EDITS_FILE = Path(__file__).with_name("edits.yaml")
MAX_ADDED = 12  # things added by one instruction ("add twenty balls" adds this many)
SEA_MARGIN_M = 1.0  # a sea moved out beyond what stands on the sand keeps this much beach
PEOPLE_WORDS = frozenset({"person", "people", "everyone", "everybody"})
SHE, HE, THEY = frozenset({"she", "her", "hers"}), frozenset({"he", "him", "his"}), \
    frozenset({"they", "them", "their"})
AGE_BANDS = (13.0, 20.0, 62.0)  # child, teenager, adult, old: "the girl" is not "the woman"
THING_PRONOUNS = frozenset({"it", "them", "they", "itself", "both"})


@functools.cache
def edit_words() -> dict:
    return yaml.safe_load(EDITS_FILE.read_text(encoding="utf-8"))


def _examples() -> str:
    return ", ".join(f"'{e}'" for e in edit_words()["examples"])


# ---------------------------------------------------------------------------------------------
@dataclass
class _Clause:
    """One instruction: its kind and its item range [start, end)."""

    mode: str  # "add", "remove" or "change"
    start: int
    end: int


@dataclass
class _Edit:
    """The Scene's data being changed, and what the user is told."""

    data: dict
    parsed: Parse
    looks: dict[int, NamedLook]  # items naming stored looks
    cast: dict[str, NamedLook]
    rng: np.random.Generator
    notes: list[str] = field(default_factory=list)  # warnings beside a change
    failures: list[str] = field(default_factory=list)  # what was asked and could not be done
    touched: list[str] = field(default_factory=list)  # ids last named, added or changed ("it")
    asked: bool = False  # some instruction was understood (if nothing changed, it already was)
    slow_motion: int | None = None
    duration: float | None = None

    @property
    def items(self) -> list[Item]:
        return self.parsed.items


def _match(parsed: Parse, k: int, phrases: Sequence[str]) -> int:
    """How many items a phrase of `phrases` spans from item k (by words or lemmas), 0 if none;
    a phrase must end where an item ends (it never splits a lexicon phrase)."""
    items, tokens = parsed.items, parsed.tokens
    start = items[k].start
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        words = phrase.split()
        span = tokens[start:start + len(words)]
        if len(span) < len(words) or any(w not in (t.text, t.lemma) for w, t in zip(words, span)):
            continue
        end = start + len(words)
        j = k
        while j < len(items) and items[j].end <= end:
            j += 1
        if items[j - 1].end == end:
            return j - k
    return 0


def _clauses(parsed: Parse) -> list[_Clause]:
    """The instructions of the prompt, their opening words marked used."""
    words = edit_words()
    items = parsed.items
    out: list[_Clause] = []
    mode, start, k = "change", 0, 0

    def close(end: int) -> None:
        if end > start:
            out.append(_Clause(mode, start, end))

    while k < len(items):
        item = items[k]
        if item.kind == "punct" and item.value in (".", "!", "?", ";"):
            close(k)
            mode, start, k = "change", k + 1, k + 1
            continue
        describes = k > 0 and (items[k - 1].kind in ("color", "material", "size", "shade")
                               or items[k - 1].words[-1] in lx.DETERMINERS)
        for name in ("add", "remove", "change"):
            n = 0 if describes else _match(parsed, k, words[name])
            if n:
                close(k)
                for opener in items[k:k + n]:
                    opener.used = True
                mode, start, k = name, k + n, k + n
                break
        else:
            k += 1
    close(len(items))
    return out


# ---------------------------------------------------------------------------------------------
# Who and what is named.
def _is_a(asset: str, np_: NounPhrase) -> bool:
    """Whether an entity of `asset` is what the noun phrase names: the asset itself, or one of
    its kind by its name's last word or an alias ("ball": basketball, tennis_ball)."""
    if np_.sense is not None and np_.sense.asset == asset:
        return True
    head = lx.lemma(np_.head.words[-1])
    if len(head) < 3:
        return False
    words = asset.split("_")
    names = [words[-1]] + [alias.split()[-1] for alias in ASSETS[asset].aliases] \
        if asset in ASSETS else [words[-1]]
    return head in names or (len(words) == 1 and asset.endswith(head))


def _colour_name(hex_color: str) -> str:
    rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return min(lx.COLORS, key=lambda name: float(np.sum((np.array(
        [int(lx.COLORS[name][i:i + 2], 16) for i in (1, 3, 5)]) - rgb) ** 2)))


def _looks_colour(entity: dict) -> str:
    """The name of the colour an entity shows (its own, else its asset's)."""
    if entity.get("color"):
        return _colour_name(entity["color"])
    rgb = ASSETS[entity["asset"]].rgb if entity["asset"] in ASSETS else (0.5, 0.5, 0.5)
    return _colour_name("#" + "".join(f"{round(c * 255):02x}" for c in rgb[:3]))


def _ordinal(edit: _Edit, np_: NounPhrase) -> int | None:
    ordinals = edit_words()["ordinals"]
    for item in edit.items[np_.start:np_.end]:
        if item.words[-1] in ordinals:
            item.used = True
            return int(ordinals[item.words[-1]])
    return None


def _things(edit: _Edit, np_: NounPhrase) -> list[str]:
    """The ids of the entities a noun phrase names, a colour or an ordinal in it choosing
    among alike ("the red ball", "the second ball"); all alike when it does not say which."""
    alike = [e for e in edit.data["entities"] if _is_a(e["asset"], np_)]
    if np_.colors and alike:
        wanted = {_colour_name(hex_color) for hex_color, _ in np_.colors}
        alike = [e for e in alike if _looks_colour(e) in wanted]
    which = _ordinal(edit, np_)
    label = np_.head.text
    if which is not None and alike:
        if abs(which) > len(alike) or which == 0:
            edit.failures.append(f"there are {len(alike)} {label}s, not {which}")
            return []
        alike = [alike[which - 1 if which > 0 else which]]
    if len(alike) > 1 and not np_.plural:
        edit.notes.append(f"'{label}' is any of {', '.join(e['id'] for e in alike)}: all are "
                          f"changed (say 'the first {label}' for one)")
    return [e["id"] for e in alike]


def _age_band(age: float) -> int:
    return sum(age >= limit for limit in AGE_BANDS)


def _is_role(character: dict, role: dict) -> bool:
    body, outfit = role.get("body", {}), role.get("outfit", {})
    own = character["body"]
    if "gender" in body and abs(float(own.get("gender", 0.5)) - float(body["gender"])) >= 0.5:
        return False
    if "age" in body and _age_band(float(own.get("age", 30))) != _age_band(float(body["age"])):
        return False
    uniform = outfit.get("uniform")
    return uniform is None or character["outfit"].get("uniform") == uniform


def _people(edit: _Edit, k: int) -> list[str] | None:
    """The ids of the characters item k names (a name, a role noun, a pronoun); None when it
    names no one."""
    item = edit.items[k]
    characters = edit.data["characters"]
    if k in edit.looks:
        return [c["id"] for c in characters if c["id"] == edit.looks[k].id]
    if len(item.words) != 1:
        return None
    word = item.words[0]
    if word in SHE | HE | THEY:
        if word in THEY:
            return [c["id"] for c in characters]
        female = word in SHE
        return [c["id"] for c in characters
                if (float(c["body"].get("gender", 0.5)) < 0.5) == female]
    noun = lemma_of(word, "n")
    by_id = [c["id"] for c in characters if re.sub(r"_\d+$", "", c["id"]) == noun]
    if by_id:
        return by_id
    if item.kind not in ("word", "stop"):
        return None
    if noun in PEOPLE_WORDS:
        return [c["id"] for c in characters]
    role = role_of(word)
    if role is None:
        return None
    return [c["id"] for c in characters if _is_role(c, role)]


def _person_word(edit: _Edit, k: int) -> bool:
    """Whether item k names a person (who may not be in the Scene yet)."""
    item = edit.items[k]
    if k in edit.looks:
        return True
    if len(item.words) != 1 or item.kind not in ("word", "stop") or _looks_word(item):
        return False
    word = item.words[0]
    return word in SHE | HE | THEY - {"their"} or role_of(word) is not None or any(
        re.sub(r"_\d+$", "", c["id"]) == word for c in edit.data["characters"])


def _looks_word(item: Item) -> bool:
    """Whether the item names clothes or hair ("blonde" is a colour of hair here, not a
    person; "hair" is not a thing)."""
    words = edit_words()
    text = " ".join(item.words)
    return text in words["hair_words"] or text in words["hair_colors"] or \
        text in words["hair_styles"] or text in people_table()["clothes"] or \
        " ".join(lemma_of(w, "n") for w in item.words) in people_table()["clothes"]


def _unknown_noun(edit: _Edit, k: int) -> str | None:
    """An unknown content word at k that names a thing, an animal or a vehicle, as its
    lemma; None otherwise."""
    item = edit.items[k]
    if item.kind != "word" or item.used or len(item.words) != 1 or len(item.words[0]) < 3 \
            or _looks_word(item):
        return None
    word = item.words[0]
    kind = noun_kind(lemma_of(word, "n"))
    if kind is None or kind.category not in ("animal", "vehicle", "thing"):
        return None
    return lemma_of(word, "n")


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _no_such(edit: _Edit, noun: str, category: str | None) -> str:
    if category in ("animal", "vehicle"):
        return f"WorldReel has no {_plural(noun)} yet ({category}s are not in its world)"
    held = sorted({e["asset"].replace("_", " ") for e in edit.data["entities"]} |
                  {re.sub(r"_\d+$", "", c["id"]) for c in edit.data["characters"]})
    return f"this scene has no {noun} (it holds: {', '.join(held) or 'nothing'})"


# ---------------------------------------------------------------------------------------------
# Scene-wide changes: place, look, speed and length.
def _global(edit: _Edit, k: int, removing: bool) -> bool:
    """Apply item k if it speaks of the Scene as a whole; whether it did."""
    done = _scene_wide(edit, k, removing)
    edit.asked |= done
    return done


def _scene_wide(edit: _Edit, k: int, removing: bool) -> bool:
    item = edit.items[k]
    setting = edit.data["setting"]
    if item.kind in ("style", "mood"):
        for name, value in item.value:  # type: ignore[union-attr]
            if name in Setting.model_fields:
                setting[name] = edit_words()["neutral"].get(name, value) if removing else value
        item.used = True
        return True
    if item.kind == "slow_motion":
        edit.slow_motion = 1 if removing else int(item.value)  # type: ignore[arg-type]
        item.used = True
        return True
    if _match(edit.parsed, k, edit_words()["real_time"]):
        edit.slow_motion = 1
        for done in edit.items[k:k + _match(edit.parsed, k, edit_words()["real_time"])]:
            done.used = True
        return True
    if item.kind == "setting" and not removing:
        _place(edit, str(item.value), item)
        return True
    return False


def _place(edit: _Edit, environment: str, item: Item) -> None:
    """The Scene moved to another environment, everything where it stood."""
    setting = edit.data["setting"]
    if environment not in ENVIRONMENTS:
        edit.failures.append(f"WorldReel has no {environment.replace('_', ' ')} yet (places: "
                             f"{', '.join(n.replace('_', ' ') for n in ENVIRONMENTS)})")
        return
    item.used = True
    _mark_prep_before(edit, item)
    old = setting["environment"]
    if environment == old:
        return
    if not all(inside_room(solids, environment) for solids in
               (solids_of(e) for e in edit.data["entities"]) if solids):
        edit.failures.append(f"the things of this scene do not fit in the "
                             f"{environment.replace('_', ' ')}; name a larger place (a gym, a "
                             "park)")
        return
    setting["environment"] = environment
    own_sea = ENVIRONMENTS[environment].sea
    if setting.get("sea") is not None and own_sea is None:
        # the sea came with the old place (a beach); a dry place has none
        setting["sea"], setting["water_level"] = None, None
        edit.notes.append(f"the sea of the {old.replace('_', ' ')} stays there")
    elif own_sea is not None and setting.get("sea") is None:
        _keep_dry(edit, own_sea, ENVIRONMENTS[environment].sea_depth)


def _keep_dry(edit: _Edit, sea, depth: float) -> None:
    """A place with its own sea: the shore moved out beyond what stands there, if need be."""
    toward = np.array(sea.toward, dtype=float) / math.hypot(*sea.toward)
    reach = [float(np.max([geometry.bounds(s)[1][:2] @ toward, geometry.bounds(s)[0][:2] @
                           toward])) for s in (solids_of(e) for e in edit.data["entities"]) if s]
    reach += [float(np.array(c["position"]) @ toward) for c in edit.data["characters"]]
    farthest = max(reach, default=-math.inf) + SEA_MARGIN_M
    if farthest > sea.shore:
        edit.data["setting"]["water_level"] = depth
        edit.data["setting"]["sea"] = {"shore": round(farthest, 3), "toward": list(sea.toward),
                                       "wave_height": sea.wave_height,
                                       "wave_period": sea.wave_period}


def _mark_prep_before(edit: _Edit, item: Item) -> None:
    k = edit.items.index(item)
    j = k - 1
    while j >= 0 and edit.items[j].kind == "stop" and edit.items[j].words[0] in lx.DETERMINERS:
        j -= 1
    if j >= 0 and edit.items[j].kind == "prep":
        edit.items[j].used = True


# ---------------------------------------------------------------------------------------------
# Changes of what is named.
def _thing_props(edit: _Edit, ids: list[str], props: list[int], label: str) -> bool:
    """Colours and materials for the entities `ids`; whether any was given."""
    color, material, shade, size = None, None, 0.0, None
    for k in props:
        item = edit.items[k]
        if item.kind == "size":
            size, item.used = float(item.value), True  # type: ignore[arg-type]
        elif item.kind == "shade":
            shade, item.used = float(item.value), True  # type: ignore[arg-type]
        elif item.kind == "color":
            color, item.used = shaded(str(item.value), shade), True
        elif item.kind == "material":
            material, item.used = str(item.value), True
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


def _resized(edit: _Edit, ids: list[str], factor: float, label: str) -> bool:
    """The entities `ids` scaled by `factor` about their bottom (what stood on something still
    does); refused, with the reason, when one would then run into something."""
    before = {e["id"]: dict(e) for e in edit.data["entities"]}
    for entity in edit.data["entities"]:
        if entity["id"] in ids:
            low = geometry.bounds(solids_of(entity))[0][2]
            entity["scale"] = round(float(entity.get("scale", 1.0)) * factor, 4)
            grown = geometry.bounds(solids_of(entity))[0][2]
            entity["position"] = [*entity["position"][:2],
                                  round(entity["position"][2] + low - grown, 4)]
    if overlaps_any(edit.data, ids):
        edit.data["entities"] = [before[e["id"]] for e in edit.data["entities"]]
        edit.failures.append(f"the {label} would run into what stands beside it at that size")
        return False
    return True


def _person_props(edit: _Edit, props: list[int]) -> tuple[dict, dict]:
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


def _hair_next(edit: _Edit, k: int, props: list[int]) -> bool:
    later = [j for j in props if j > k][:2]
    return any(" ".join(edit.items[j].words) in edit_words()["hair_words"] for j in later) or \
        edit.items[k].words[0] in ("ponytail", "bun", "bald")


def _hair_colour(item: Item) -> str:
    text = " ".join(item.words)
    named = edit_words()["hair_colors"].get(text)
    if named in HAIR_COLOURS:
        return named
    return str(item.value) if item.kind == "color" else "brown"


def _dress(edit: _Edit, ids: list[str], props: list[int]) -> bool:
    outfit, hair = _person_props(edit, props)
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


def _noun_phrases(edit: _Edit, clause: _Clause) -> dict[int, NounPhrase]:
    return {np_.start: np_ for np_ in edit.parsed.nouns
            if clause.start <= np_.start and np_.end <= clause.end
            and not (np_.sense is not None and np_.sense.stands_for and _looks_word(np_.head))}


def _change(edit: _Edit, clause: _Clause) -> bool:
    """A change clause: each run of names, then what they become ("the ball red and the crate
    metal"). Returns whether anything changed."""
    phrases = _noun_phrases(edit, clause)
    groups: list[tuple[list[tuple[str, object]], list[int]]] = []
    changed = False
    k = clause.start
    while k < clause.end:
        target: tuple[str, object] | None = None
        np_ = phrases.get(k)
        step = 1
        if np_ is not None:
            target = ("pronoun", np_) if np_.is_pronoun else \
                ("floor", np_) if np_.is_floor else ("thing", np_)
            step = np_.end - k
        elif _person_word(edit, k) and (people := _people(edit, k)) is not None:
            target = ("people", (k, people))
        if target is not None and target[0] == "floor" and np_.head.kind == "floor_noun" and \
                groups and any(kind == "floor" for kind, _ in groups[-1][0]):
            groups[-1][1].append(np_.start)  # "the floor should be grass": what it becomes
            target = None
        elif target is not None:
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(target)
        elif _global(edit, k, removing=False):
            changed = True
        elif groups:
            groups[-1][1].append(k)
        elif (noun := _unknown_noun(edit, k)) is not None:
            edit.failures.append(_no_such(edit, noun, noun_kind(noun).category))  # type: ignore
        k += step
    for targets, props in groups:
        for kind, what in targets:
            if kind == "people":
                at, ids = what  # type: ignore[misc]
                if not ids:
                    edit.failures.append(_no_such(edit, edit.items[at].text, "person"))
                    continue
                if _dress(edit, ids, props):
                    edit.items[at].used, changed = True, True
                    edit.touched = list(ids)
                continue
            np_ = what  # type: ignore[assignment]
            if kind == "floor":
                changed |= _floor(edit, np_, props)
                continue
            ids = edit.touched if kind == "pronoun" else _things(edit, np_)
            if kind == "pronoun" and not ids and len(edit.data["entities"]) == 1:
                ids = [edit.data["entities"][0]["id"]]
            elif kind == "pronoun" and not ids and props:
                edit.failures.append(f"'{np_.head.text}' could be any of "
                                     f"{', '.join(e['id'] for e in edit.data['entities'])}; "
                                     "name which")
            if not ids:
                if kind == "thing":
                    edit.failures.append(_no_such(edit, np_.head.text, None))
                continue
            if _thing_props(edit, ids, props, np_.head.text):
                _mark_phrase(edit, np_)
                changed = True
    return changed


def _floor(edit: _Edit, np_: NounPhrase, props: list[int]) -> bool:
    """The floor made of another material ("the floor should be ice", "on grass")."""
    material = np_.material[0] if np_.material is not None else None
    if np_.head.kind == "floor_noun":
        material = np_.head.value[0]  # type: ignore[index]
    for k in props:
        floors = [n for n in edit.parsed.nouns if n.start == k and n.is_floor]
        item = floors[0].head if floors else edit.items[k]
        if item.kind in ("material", "floor_noun"):
            value = item.value
            material = value[0] if isinstance(value, tuple) else str(value)
            item.used = True
    if material is None or material not in MATERIALS:
        return False
    edit.data["setting"]["floor_material"] = material
    edit.asked = True
    _mark_phrase(edit, np_)
    _mark_prep_before(edit, np_.head)
    return True


def _mark_phrase(edit: _Edit, np_: NounPhrase) -> None:
    for item in edit.items[np_.start:np_.end]:
        if item.kind not in ("stop", "punct"):
            item.used = True


# ---------------------------------------------------------------------------------------------
# Removals.
def _remove(edit: _Edit, clause: _Clause) -> bool:
    phrases = _noun_phrases(edit, clause)
    gone: set[str] = set()
    changed = False
    k = clause.start
    while k < clause.end:
        np_ = phrases.get(k)
        if np_ is not None and np_.sense is not None and not _after_prep(edit, k):
            ids = _things(edit, np_)
            if ids:
                gone |= set(ids)
                _mark_phrase(edit, np_)
            else:
                edit.failures.append(_no_such(edit, np_.head.text, None))
            k = np_.end
            continue
        if _person_word(edit, k) and (people := _people(edit, k)) is not None:
            if people:
                gone |= set(people)
                edit.items[k].used = True
            else:
                edit.failures.append(_no_such(edit, edit.items[k].text, "person"))
        elif _global(edit, k, removing=True):
            changed = True
        elif (noun := _unknown_noun(edit, k)) is not None:
            edit.failures.append(_no_such(edit, noun, noun_kind(noun).category))  # type: ignore
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


def _after_prep(edit: _Edit, k: int) -> bool:
    """Whether the noun phrase at k follows a preposition ("the ball on the table")."""
    return k > 0 and edit.items[k - 1].kind == "prep"


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


# ---------------------------------------------------------------------------------------------
# Additions.
def _count(edit: _Edit, np_: NounPhrase) -> int:
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


def _new_entity(edit: _Edit, np_: NounPhrase, alike: list[dict]) -> dict:
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


def _dropped_with(edit: _Edit, model: dict | None) -> dict | None:
    """The drop of the thing a new one is like, if it is dropped (the new one falls too)."""
    if model is None:
        return None
    return next((a for a in edit.data["actions"] if a["kind"] == "drop"
                 and a["entity"] == model["id"]), None)


def _add_things(edit: _Edit, np_: NounPhrase, anchor: dict | None) -> bool:
    if np_.sense is None or np_.sense.setup is not None:
        edit.failures.append(f"a remix cannot add {np_.head.text} yet")
        return False
    alike = [e for e in edit.data["entities"] if _is_a(e["asset"], np_)]
    if alike and np_.sense.asset != alike[-1]["asset"] and not _is_a(alike[-1]["asset"], np_):
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
        _mark_phrase(edit, np_)
        edit.touched = added
    return bool(added)


def _copied_drop(data: dict, drop: dict, entity: str) -> dict:
    new = {key: value for key, value in drop.items() if key not in ("id", "entity")}
    new["entity"] = entity
    if drop.get("id") is not None:
        taken = {a.get("id") for a in data["actions"]} | {
            s.get("id") for c in data["characters"] for s in c["script"]}
        new["id"] = _new_id({"entities": [{"id": i} for i in taken if i], "characters": []},
                            f"{entity}_drop")
    return new


def _add_person(edit: _Edit, k: int, props: list[int]) -> bool:
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
        said_outfit, said_hair = _person_props(edit, props)
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


def _add(edit: _Edit, clause: _Clause) -> bool:
    phrases = _noun_phrases(edit, clause)
    wanted: list[tuple[str, object]] = []
    anchor: dict | None = None
    changed = False
    k = clause.start
    while k < clause.end:
        np_ = phrases.get(k)
        if np_ is not None and np_.sense is not None:
            if _after_prep(edit, k):  # "next to the crate": where, not what
                ids = _things(edit, np_)
                if ids:
                    anchor = next(e for e in edit.data["entities"] if e["id"] == ids[0])
                    _mark_phrase(edit, np_)
                    edit.items[k - 1].used = True
            else:
                wanted.append(("thing", np_))
            k = np_.end
            continue
        word = edit.items[k].words[-1]
        if edit.items[k].kind == "new" or word in edit_words()["more"] or \
                word in edit_words()["ordinals"]:
            edit.items[k].used = True  # "a second", "another", "more": new ones, as adding is
        elif _person_word(edit, k) and edit.items[k].words[0] not in SHE | HE | THEY:
            wanted.append(("person", k))
        elif _global(edit, k, removing=False):
            changed = True
        elif (noun := _unknown_noun(edit, k)) is not None:
            kind = noun_kind(noun)
            edit.failures.append(_no_such(edit, noun, kind.category if kind else None)
                                 if kind and kind.category in ("animal", "vehicle") else
                                 f"WorldReel has no {_plural(noun)} yet")
        k += 1
    for n, (kind, what) in enumerate(wanted):
        if kind == "thing":
            changed |= _add_things(edit, what, anchor)  # type: ignore[arg-type]
            continue
        at = int(what)  # type: ignore[call-overload]
        nxt = [int(w) for kd, w in wanted[n + 1:] if kd == "person"]  # type: ignore
        props = list(range(at + 1, min([clause.end] + nxt)))
        count = _person_count(edit, at)
        for _ in range(count):
            changed |= _add_person(edit, at, props)
    return changed


def _person_count(edit: _Edit, k: int) -> int:
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


# ---------------------------------------------------------------------------------------------
def _slowed(scene: Scene, factor: int, edit: _Edit) -> Scene:
    """The Scene filmed `factor` times slower than life (1: at the speed of life)."""
    if factor == scene.slow_motion:
        return scene
    if factor > 1 and scene.time_lapse > 1:
        edit.failures.append("a time-lapse cannot also be in slow motion")
        return scene
    world = scene.duration / scene.slow_motion
    factor = max(1, min(factor, MAX_SLOW_MOTION, int(MAX_DURATION_S // world)))
    if factor == scene.slow_motion:
        edit.failures.append(f"a {world:g} s story is too long to film in slow motion")
        return scene
    return in_slow_motion(scene, factor)


def _lengthened(scene: Scene, seconds: float, edit: _Edit) -> Scene:
    """The Scene `seconds` long; shots that would start after its end are left out."""
    if not 0 < seconds <= MAX_DURATION_S / scene.time_lapse:
        edit.failures.append(f"a clip must be longer than 0 and at most "
                             f"{MAX_DURATION_S / scene.time_lapse:g} s, not {seconds:g} s")
        return scene
    starts = [a.at for a in scene.actions if a.at is not None] + \
        [s.at for c in scene.characters for s in c.script if s.at is not None] + \
        [line.at for line in scene.audio.dialogue if line.at is not None]
    if starts and max(starts) >= seconds:
        edit.failures.append(f"a {seconds:g} s clip would end before what starts at "
                             f"{max(starts):g} s; ask for at least {math.ceil(max(starts) + 1)} s")
        return scene
    data = scene_to_dict(scene)
    data["duration"] = float(seconds)
    data["shots"] = [s for s in data["shots"] if s["start"] < seconds]
    return scene_from_dict(data, source="remixed scene")


def _check_inputs(scene: object, seed: object) -> None:
    if not isinstance(scene, Scene):
        raise SceneError(f"edit_scene needs a Scene to change, not {type(scene).__name__}")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise PromptError(f"seed must be a whole number >= 0, got {seed!r}")


def edit_scene(scene: Scene, prompt: str, *, seed: int | None = None,
               cast: Sequence[NamedLook] = ()) -> Plan:
    """The Scene changed as the prompt asks ("make the ball red", "now at night", "add a
    second ball", "remove the crate", "in slow motion", "make it 8 seconds long"), everything
    it does not mention as it was (ids, positions, actions, shots, seed, dialogue).

    `seed` (None: the Scene's) varies what the prompt leaves open (which side a new thing
    stands); `cast`: stored looks the prompt may name ("add Maya").

    Raises PromptError when the prompt changes nothing, saying why and what a remix
    understands; SceneError when `scene` is not a Scene."""
    _check_inputs(scene, seed)
    text = _check_prompt(prompt)
    looks = check_cast(cast)
    text, quoted = _quoted_lines(text)
    parsed = parse(text)
    edit = _Edit(scene_to_dict(scene), parsed, name_mentions(text, parsed, looks), looks,
                 generator(scene.seed if seed is None else seed, "director.edit"))
    if quoted:
        edit.failures.append("a remix does not change what is said yet")
    for item in parsed.items:
        if item.words and all(w in edit_words()["filler"] for w in item.words):
            item.used = True
        if item.kind == "object" and item.value.stands_for and _looks_word(item):  # type: ignore
            # "his hair", "a ponytail": what a person wears, not a thing standing in for it
            item.kind, item.value, item.entries = "word", item.words[-1], ()
    for clause in _clauses(parsed):
        {"add": _add, "remove": _remove, "change": _change}[clause.mode](edit, clause)
    if parsed.duration is not None:
        edit.duration, edit.asked = parsed.duration[0], True
        for item in parsed.duration[1]:
            item.used = True
    edited = _validated(edit)
    if edit.slow_motion is not None:
        edited = _slowed(edited, edit.slow_motion, edit)
    if edit.duration is not None:
        edited = _lengthened(edited, edit.duration, edit)
    unknown = parsed.unused_words()
    if scene_to_dict(edited) == scene_to_dict(scene):
        raise PromptError(_nothing_changed(edit, unknown))
    check_scene_assets(edited)
    warnings = []
    if unknown:
        warnings.append("not grounded: " + ", ".join(f"'{w}'" for w in unknown))
    report = grounding_report(text, parsed)
    warnings += edit.failures + report_lines(report) + edit.notes
    return Plan(scene=edited, warnings=list(dict.fromkeys(warnings)),
                unknown_words=tuple(unknown), grounding=tuple(report))


def _validated(edit: _Edit) -> Scene:
    try:
        return scene_from_dict(edit.data, source="remixed scene")
    except SceneError as exc:
        raise PromptError(f"cannot make this change: {exc}".splitlines()[0]) from None


def _nothing_changed(edit: _Edit, unknown: list[str]) -> str:
    """One line: why nothing changed, then what a remix understands."""
    explained = " ".join(edit.failures)
    unheard = [w for w in unknown if w not in explained]
    why = list(dict.fromkeys(edit.failures))
    if unheard:
        why.append(f"not understood: {', '.join(unheard[:6])}")
    if not why and edit.asked:
        why.append("the scene is already as asked")
    said = f": {'; '.join(why)}" if why else ""
    return f"the remix changes nothing{said}. Say what to change, e.g. {_examples()}"
