"""What a remix prompt names (director.edit): its instructions' words (edits.yaml), the state of
a Scene being edited, and the things and people of that Scene its words point at ("the second
ball", "the woman", "her", "Maya").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from worldreel.assets import ASSETS, ENVIRONMENTS
from worldreel.director import lexicon as lx
from worldreel.director.cast import _lemma as lemma_of
from worldreel.director.cast import _role as role_of
from worldreel.director.cast import people_table
from worldreel.director.parser import Item, NounPhrase, Parse
from worldreel.director.wordnet import noun_kind
from worldreel.scene import NamedLook

EDITS_FILE = Path(__file__).with_name("edits.yaml")
PEOPLE_WORDS = frozenset({"person", "people", "everyone", "everybody"})
SHE, HE, THEY = frozenset({"she", "her", "hers"}), frozenset({"he", "him", "his"}), \
    frozenset({"they", "them", "their"})
AGE_BANDS = (13.0, 20.0, 62.0)  # child, teenager, adult, old: "the girl" is not "the woman"


@functools.cache
def edit_words() -> dict:
    """The words of a remix (edits.yaml)."""
    return yaml.safe_load(EDITS_FILE.read_text(encoding="utf-8"))


@dataclass
class Clause:
    """One instruction: its kind and its item range [start, end)."""

    mode: str  # "add", "remove" or "change"
    start: int
    end: int


@dataclass
class Edit:
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


def match_phrase(parsed: Parse, k: int, phrases: Sequence[str]) -> int:
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


def is_a(asset: str, np_: NounPhrase) -> bool:
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


def _ordinal(edit: Edit, np_: NounPhrase) -> int | None:
    ordinals = edit_words()["ordinals"]
    for item in edit.items[np_.start:np_.end]:
        if item.words[-1] in ordinals:
            item.used = True
            return int(ordinals[item.words[-1]])
    return None


def things_named(edit: Edit, np_: NounPhrase) -> list[str]:
    """The ids of the entities a noun phrase names, a colour or an ordinal in it choosing
    among alike ("the red ball", "the second ball"); all alike when it does not say which."""
    alike = [e for e in edit.data["entities"] if is_a(e["asset"], np_)]
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


def people_named(edit: Edit, k: int) -> list[str] | None:
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


def names_person(edit: Edit, k: int) -> bool:
    """Whether item k names a person (who may not be in the Scene yet)."""
    item = edit.items[k]
    if k in edit.looks:
        return True
    if len(item.words) != 1 or item.kind not in ("word", "stop") or looks_word(item):
        return False
    word = item.words[0]
    return word in SHE | HE | THEY - {"their"} or role_of(word) is not None or any(
        re.sub(r"_\d+$", "", c["id"]) == word for c in edit.data["characters"])


def meaning(item: Item, kind: str) -> object | None:
    """The item's meaning of the lexicon kind `kind`, whichever the parser chose ("glass" in
    "make the table glass" is the material, though a glass is also a thing)."""
    if item.kind == kind:
        return item.value
    if item.kind in ("word", "object") and not item.used:
        return next((e.value for e in item.entries if e.kind == kind), None)
    return None


def looks_word(item: Item) -> bool:
    """Whether the item names clothes or hair ("blonde" is a colour of hair here, not a
    person; "hair" is not a thing)."""
    words = edit_words()
    text = " ".join(item.words)
    return text in words["hair_words"] or text in words["hair_colors"] or \
        text in words["hair_styles"] or text in people_table()["clothes"] or \
        " ".join(lemma_of(w, "n") for w in item.words) in people_table()["clothes"]


def unknown_noun(edit: Edit, k: int) -> str | None:
    """An unknown content word at k that names a thing, an animal or a vehicle, as its
    lemma; None otherwise."""
    item = edit.items[k]
    if item.kind != "word" or item.used or len(item.words) != 1 or len(item.words[0]) < 3 \
            or looks_word(item):
        return None
    word = item.words[0]
    kind = noun_kind(lemma_of(word, "n"))
    if kind is None or kind.category not in ("animal", "vehicle", "thing"):
        return None
    return lemma_of(word, "n")


def plural(noun: str) -> str:
    """A noun's plural, for messages ("dogs", "boxes", "ponies")."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def no_such(edit: Edit, noun: str, category: str | None) -> str:
    """Why a noun named nothing: not in WorldReel's world, or not in this Scene."""
    if category in ("animal", "vehicle"):
        from worldreel.director.animal_cast import species_of  # noqa: PLC0415

        if category == "animal" and species_of(noun) is not None:
            return f"a remix cannot add or change animals yet (a {noun}): say it in a new prompt"
        return f"WorldReel has no {plural(noun)} yet ({category}s like it are not in its world)"
    if noun in SHE | HE | THEY:
        people = [c["id"] for c in edit.data["characters"]]
        return f"'{noun}' is no one in this scene (its people: {', '.join(people) or 'none'})"
    held = sorted({e["asset"].replace("_", " ") for e in edit.data["entities"]} |
                  {re.sub(r"_\d+$", "", c["id"]) for c in edit.data["characters"]})
    return f"this scene has no {noun} (it holds: {', '.join(held) or 'nothing'})"


PLACE_PREPOSITIONS = frozenset({"in", "on", "at", "inside"})


def missing(edit: Edit, k: int, noun: str, adding: bool = False) -> str:
    """Why the unknown noun at item k names nothing a remix can use: an animal or a vehicle,
    a place WorldReel does not have ("in a castle"), a thing it has not (when adding), or a
    thing not in this Scene."""
    kind = noun_kind(noun)
    category = kind.category if kind is not None else None
    j = k - 1
    while j >= 0 and edit.items[j].words[-1] in lx.DETERMINERS:
        j -= 1
    if category not in ("animal", "vehicle") and j >= 0 and edit.items[j].kind == "prep" and \
            edit.items[j].words[0] in PLACE_PREPOSITIONS and not adding:
        places = ", ".join(n.replace("_", " ") for n in ENVIRONMENTS)
        return f"WorldReel has no {noun} to set the scene in yet (places: {places})"
    if adding and category not in ("animal", "vehicle"):
        return f"WorldReel has no {plural(noun)} yet"
    return no_such(edit, noun, category)


def noun_phrases(edit: Edit, clause: Clause) -> dict[int, NounPhrase]:
    """The noun phrases of a clause (not clothes or hair), by first item."""
    return {np_.start: np_ for np_ in edit.parsed.nouns
            if clause.start <= np_.start and np_.end <= clause.end
            and not (np_.sense is not None and np_.sense.stands_for and looks_word(np_.head))}


def mark_phrase(edit: Edit, np_: NounPhrase) -> None:
    """Mark the content words of a noun phrase grounded."""
    for item in edit.items[np_.start:np_.end]:
        if item.kind not in ("stop", "punct"):
            item.used = True


def mark_prep_before(edit: Edit, item: Item) -> None:
    """Mark grounded the preposition before a place ("in" a gym)."""
    k = edit.items.index(item)
    j = k - 1
    while j >= 0 and edit.items[j].kind == "stop" and edit.items[j].words[0] in lx.DETERMINERS:
        j -= 1
    if j >= 0 and edit.items[j].kind == "prep":
        edit.items[j].used = True


def after_prep(edit: Edit, k: int) -> bool:
    """Whether the noun phrase at k follows a preposition ("the ball on the table")."""
    return k > 0 and edit.items[k - 1].kind == "prep"
