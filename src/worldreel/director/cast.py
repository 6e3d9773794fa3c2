"""People cast from a prompt: who they are, what they wear, what they do, and who says what.

A person is a noun the role table (`people.yaml`) knows ("a chef", "two kids") or one WordNet
says names a person ("an accountant"), with what comes before it (a count, "old", "tall") and
after it ("in a red coat", "wearing jeans"). Their verbs, up to the next person named, become
the steps of their script (`scene.characters.VERBS`); sounds they make ("laughs") and the
quoted lines nearest after them become their lines. Every word used here is marked grounded.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from worldreel.animation.script import verb_table
from worldreel.assets import ASSETS
from worldreel.director import lexicon as lx
from worldreel.director.mentions import FILLERS
from worldreel.director.parser import Item, Parse
from worldreel.director.wordnet import base_form, noun_kind, wordnet
from worldreel.scene import NamedLook, Scene

PEOPLE_FILE = Path(__file__).with_name("people.yaml")
PLURAL_COUNT = 2  # "kids", "people": a few, shown as two
MAX_CAST = 6  # people cast from one prompt (a crowd is a sound, not a cast)
SPACING_M = 1.3  # between people standing side by side
FRONT_Y_M = -1.8  # people stand this far in front of the things (which are laid out around 0)
PERSONAL_SPACE_M = 0.9  # from a person's middle to the nearest thing, arms and feet included
FIRST_STEP_S = 0.3
WALK_M, RUN_M = 1.5, 3.0  # how far "walks" and "runs" go when the prompt says not where
GREY_FROM_AGE = 62  # "an old man": grey hair unless the prompt says otherwise
PASS_APART_M = 4.5  # two people throwing or kicking something to each other stand this far apart
KICK_RUN_UP_M = 1.4  # a kicker starts this far behind the ball, in line with where it goes
KICK_AT_M = 3.0  # a ball kicked at a thing starts this far from it (centre to centre)
TOWARDS = frozenset({"to", "at", "towards", "toward", "into", "in", "onto"})
ROW_AZIMUTH_DEG = 90.0  # the camera looks along +y: at the row of people from before it
GROUP_FOCUS_M = 2.5  # a group with nothing to face looks at a point this far before its row
ALONE_FACING_DEG = 300.0  # the camera looks along +y: 270 faces it, 300 turns a little aside
SOURCES = frozenset({"from", "out", "with"})  # after a verb, before what it is done with
THROWS = frozenset({"throw", "throw_underhand"})
SAME_CLAUSE_ITEMS = 2  # one verb said twice this close ("trips and falls") is done once
THE_OTHERS = frozenset({"others", "the others", "rest", "the rest", "other", "the other"})
RECIPROCAL = frozenset({"each other", "one another"})
HELD_VERBS = frozenset({"throw", "throw_underhand", "hand_over", "hold", "carry", "put_down",
                        "drink", "read"})


@functools.cache
def people_table() -> dict:
    return yaml.safe_load(PEOPLE_FILE.read_text(encoding="utf-8"))


@dataclass
class Deed:
    """What a person does to a thing: the script verb, the item indices of the verb, the thing
    and of whom or what it goes to ("to her", "into the goal"), if said."""

    verb: str
    at: int
    thing: int
    to: int | None = None
    each_other: bool = False  # "pass a ball to each other": round the group, in turn
    implied: str | None = None  # the asset done with when none is named ("drinks coffee")


@dataclass
class Person:
    """One person (or a few alike) named in the prompt, and what the prompt says of them."""

    noun: str
    at: int  # item index of the noun
    count: int = 1
    body: dict = field(default_factory=dict)
    outfit: dict = field(default_factory=dict)
    hair: dict = field(default_factory=dict)
    steps: list[tuple[str, int]] = field(default_factory=list)  # (verb, item index)
    sounds: list[tuple[str, int]] = field(default_factory=list)  # (vocal sound, item index)
    usual: str | None = None  # what the role does when the prompt says nothing ("a drummer")
    mentions: list[int] = field(default_factory=list)  # item indices of every mention
    described: set[str] = field(default_factory=set)  # the words before the noun ("older")
    group: bool = False  # named as several ("two women"); members may be described one by one
    member_of: "Person | None" = None  # the group this one was described out of
    hands_off: list[str] = field(default_factory=list)  # things' motions they are said to cause
    deeds: dict[int, Deed] = field(default_factory=dict)  # by verb item index
    left_hand: str | None = None  # the asset the role wears on the left hand (a catcher's mitt)
    place: tuple[str, int, Item] | None = None  # "in front of the table": relation, noun, prep
    look: NamedLook | None = None  # a person named by a stored look ("Maya")

    @property
    def called(self) -> str:
        """How notes to the user name them: "Maya", "the woman"."""
        return self.look.name if self.look is not None else f"the {self.noun}"


def _lemma(word: str, pos: str) -> str:
    """The word's lemma: the lexicon's, else WordNet's for this part of speech ("walks" ->
    "walk", "kids" -> "kid"), else the word."""
    known = lx.lemma(word)
    return known if known != word else base_form(word, pos)


def _role(word: str) -> dict | None:
    """The role table's entry for a person noun, else one from WordNet, else None."""
    roles = people_table()["roles"]
    lemma = _lemma(word, "n")
    for key in (word, lemma):
        if key in roles:
            return roles[key]
    kind = noun_kind(lemma)
    if kind is None or kind.category != "person":
        return None
    # A word that also names a thing ("toaster": who proposes a toast, or the appliance) is
    # taken for a person only from the role table.
    other = {s.lexname() for s in wordnet().synsets(lemma, "n")[:3]}
    if other & {"noun.artifact", "noun.object", "noun.animal", "noun.food", "noun.plant"}:
        return None
    sense = wordnet().synset(kind.sense)
    above = {h.name() for path in sense.hypernym_paths() for h in path}
    body: dict = {}
    if {"female.n.02", "woman.n.01"} & above:
        body["gender"] = 0
    elif {"male.n.02", "man.n.01"} & above:
        body["gender"] = 1
    if "juvenile.n.01" in above:
        body["age"] = 10
    elif "old_person.n.01" in above:
        body["age"] = 72
    return {"body": body}


def _named(people: list[Person], item: Item, k: int, look: NamedLook) -> None:
    """A mention of a stored look by name: the person with that look (cast once, however often
    named), with exactly its body, outfit and hair."""
    item.used = True
    known = next((p for p in people if p.look == look), None)
    if known is not None:
        known.mentions.append(k)
        return
    people.append(Person(noun=look.id, at=k, body=look.body.model_dump(),
                         outfit=look.outfit.model_dump(), hair=look.hair.model_dump(),
                         mentions=[k], look=look))


def _mentions(parse: Parse, named: dict[int, NamedLook]) -> list[Person]:
    """Everyone the prompt names, once each: "the man" again is the man already named, and "an
    older woman" after "two women" is one of the two; `named`: the items that name a stored
    look (director.names)."""
    items = parse.items
    people: list[Person] = []
    for k, item in enumerate(items):
        if k in named:
            _named(people, item, k, named[k])
            continue
        if item.kind != "word" or item.used or len(item.words) != 1:
            continue
        word = item.words[0]
        role = _role(word)
        if role is None:
            continue
        noun = _lemma(word, "n")
        nxt = items[k + 1] if k + 1 < len(items) else None
        if nxt is not None and (nxt.kind in ("object", "arrangement", "setting", "floor_noun")
                                or nxt.kind == "word" and _compound_head(nxt.words[0],
                                                                         word != noun)):
            continue  # a modifier of the noun after it ("the Eiffel Tower", "a man cave")
        if noun not in people_table()["roles"] and not _determined(items, k):
            continue  # a word WordNet knows as a person only in a noun phrase ("the closer")
        person = Person(noun=noun, at=k, body=dict(role.get("body", {})),
                        outfit=dict(role.get("outfit", {})), hair=dict(role.get("hair", {})))
        person.usual = role.get("verb")
        person.left_hand = role.get("left_hand")
        person.count = PLURAL_COUNT if word != noun or word == "people" else 1
        definite = _before(items, k, person)
        item.used = True
        same = [p for p in people if p.noun == noun]
        person.group = person.count > 1
        group = next((p for p in same if p.group and p.count > 0), None)
        if definite and same:  # the one described alike, else the last one named
            known = max(same, key=lambda p: (len(p.described & person.described), p.at))
            if known.count == 1 or person.count > 1:
                known.body.update(person.body if person.described else {})
                known.mentions.append(k)
                continue
            group = known  # "the tall man" of "two men": one of them, on his own now
        if group is not None and person.count == 1:
            group.count -= 1  # one of the group, described on its own
            person.member_of = group
        person.mentions.append(k)
        people.append(person)
    return people


def _compound_head(word: str, plural: bool = False) -> bool:
    """Whether `word`, right after a person noun, is rather the noun that one modifies ("the
    Eiffel tower") than what the person does ("a woman says", "the man laughs", "two kids
    play"; `plural`: the person noun is)."""
    table = people_table()
    verb = _lemma(word, "v")
    if verb in table["verbs"] or verb in table["sounds"] or verb in table["speech"]:
        return False
    if word.endswith("s") and wordnet() is not None and wordnet().morphy(word, "v"):
        return False  # "walks", "towers": a verb after its subject
    if plural and wordnet() is not None and wordnet().morphy(word, "v") == word:
        return False  # "kids play": a plural subject's verb has no -s
    if word.endswith("ing") and wordnet() is not None and wordnet().morphy(word, "v"):
        return False  # "a woman drinking coffee": a participle, what she is doing
    return noun_kind(word) is not None


def _determined(items: list[Item], k: int) -> bool:
    """Whether a determiner or a count opens the noun phrase ending at k."""
    adjectives = people_table()["adjectives"]
    j = k - 1
    while j >= 0 and k - j <= 4 and (items[j].kind in ("color", "size", "shade", "mood") or
                                     items[j].kind == "word" and (items[j].words[0] in adjectives
                                                                  or lx.looks_adjective(
                                                                      items[j].words[0]))):
        j -= 1
    return j >= 0 and (items[j].kind == "number" or items[j].kind == "stop"
                       and items[j].words[0] in lx.DETERMINERS)


def _before(items: list[Item], k: int, person: Person) -> bool:
    """A count and age or build words before the noun ("two old", "a tall"); whether the
    mention is definite ("the old man": someone already named)."""
    adjectives = people_table()["adjectives"]
    definite = False
    j = k - 1
    while j >= 0 and items[j].kind not in ("punct",) and k - j <= 4:
        item = items[j]
        word = " ".join(item.words)
        if item.kind == "number":
            person.count = max(1, int(float(item.value)))  # type: ignore[arg-type]
            item.used = True
        elif word in adjectives:
            person.body.update(adjectives[word])
            person.described.add(word)
            item.used = True
        elif item.kind == "stop" and item.words[0] in lx.DETERMINERS:
            definite = item.words[0] in lx.DEFINITE
        elif item.kind not in ("word", "color"):  # other describing words ("Black") pass
            break
        j -= 1
    return definite


def _acts_on_a_thing(items: list[Item], k: int, end: int) -> bool:
    """Whether the verb at k has a thing for object ("kicks a ball"): then it is the thing's
    motion, which the director plays, not a gesture of the person's."""
    for item in items[k + 1:end]:
        if item.kind == "object":
            return True
        if item.kind not in ("stop", "color", "size", "material", "number", "shade"):
            return False
    return False


def _skip(items: list[Item], j: int, kinds=FILLERS) -> int:
    while j < len(items) and items[j].kind in kinds:
        j += 1
    return j


def _deed(items: list[Item], k: int, mentioned: set[int]) -> tuple[Deed, int] | None:
    """The deed whose verb is at item k ("picks up the cup", "throws it to him", "gives the boy
    a ball") and how many items its verb spans; None when k is no such verb with a thing."""
    table = people_table()["handles"]
    item = items[k]
    if item.kind not in ("verb", "word") or not item.words:
        return None
    lemma = " ".join((_lemma(item.words[0], "v"), *item.words[1:]))
    width = 1
    particle = items[k + 1] if k + 1 < len(items) else None
    if particle is not None and particle.kind in ("prep", "word") and \
            f"{lemma} {particle.words[0]}" in table:
        lemma, width = f"{lemma} {particle.words[0]}", 2  # "picks up", "plays catch"
    if lemma not in table:
        return None
    j = _skip(items, k + width)
    if j < len(items) and items[j].kind == "prep" and items[j].words[0] in SOURCES:
        _mark(items[j])  # "drinks from a glass", "reads out of a book"
        j = _skip(items, j + 1)
    to = None
    if j in mentioned:  # "gives the boy a ball": whom first, then what
        to, j = j, _skip(items, j + 1)
    if j >= len(items) or not (items[j].kind == "object" or items[j].kind == "pronoun"
                               and items[j].words[0] in ("it", "them")):
        return _implied_deed(items, table[lemma], k, j)
    each_other = False
    if to is None and j + 1 < len(items) and items[j + 1].kind == "prep" and \
            items[j + 1].words[0] in TOWARDS:
        n = _skip(items, j + 2, ("stop",))
        if n < len(items) and items[n].kind == "pronoun" and \
                " ".join(items[n].words) in RECIPROCAL:
            each_other = True
            _mark(items[j + 1], items[n])
        elif n < len(items) and (n in mentioned or items[n].kind == "object"):
            to = n
            _mark(items[j + 1])
    return Deed(table[lemma], k, j, to, each_other), width


def _implied_deed(items: list[Item], verb: str, k: int, j: int) -> tuple[Deed, int] | None:
    """"Drinks coffee", "a man reads": the deed done with what the verb implies (people.yaml
    implies), the words for its content grounded by it; None when the verb implies nothing."""
    implied = people_table()["implies"].get(verb)
    asset = next((a for a in (implied or {}).get("assets", ()) if a in ASSETS), None)
    if asset is None:
        return None
    if j < len(items) and items[j].kind == "word" and \
            _lemma(items[j].words[-1], "n") in implied["words"]:
        _mark(items[j])
    return Deed(verb, k, -1, implied=asset), 1


def _after(items: list[Item], people: list[Person], seat: bool, spoken: bool,
           stops: frozenset[int] = frozenset()) -> None:
    """What follows each mention of a person until the next mention of anyone (`stops`: the
    animals named, whose verbs are theirs): clothes, verbs and sounds."""
    table = people_table()
    clothes, verbs, sounds = table["clothes"], table["verbs"], table["sounds"]
    speech = set(table["speech"])
    mentions = sorted((at, person) for person in people for at in person.mentions)
    mentioned = {at for at, _ in mentions} | stops  # "throws the dog a ball" as "the boy"
    bounds = sorted(mentioned)
    for at, person in mentions:
        end = next((b for b in bounds if b > at), len(items))
        colour: str | None = None
        k = at + 1
        while k < end:
            item = items[k]
            two = " ".join(_lemma(w, "v") for w in (*item.words, *(items[k + 1].words
                                                                  if k + 1 < end else ())))
            one = " ".join(_lemma(w, "v") for w in item.words)
            noun = " ".join(_lemma(w, "n") for w in item.words)
            if item.kind == "color":
                colour = str(item.value)
            elif noun in clothes or " ".join(item.words) in clothes:
                slot, garment = clothes.get(noun) or clothes[" ".join(item.words)]
                person.outfit[slot] = garment
                if colour is not None:
                    person.outfit[f"{slot}_color"] = colour
                    _mark(items[k - 1])
                colour = None
                _mark(item)
            elif two in verbs and k + 1 < end:
                person.steps.append((verbs[two], k))
                _mark(item, items[k + 1])
                k += 1
            elif one in table["wearing"] and _clothes_follow(items, k + 1, end, clothes):
                _mark(item)  # the clothes after it are theirs
            elif one in speech and spoken:
                _mark(item)  # the quoted line is theirs (with_cast), said with lips and hands
            elif (found := _deed(items, k, mentioned)) is not None:
                deed, width = found
                person.steps.append((deed.verb, k))
                person.deeds[k] = deed
                _mark(*items[k:k + width])
                k += width - 1
            elif item.kind == "prep" and item.value in table["places"] and person.place is None \
                    and (j := _skip(items, k + 1)) < end and items[j].kind == "object":
                person.place = (str(item.value), j, item)  # marked used once they stand there
            elif item.kind == "verb" and _acts_on_a_thing(items, k, end):
                person.hands_off.append(item.text)  # the thing moves; they do not do it yet
            elif one in verbs and (verbs[one] != "sit" or seat) and item.kind != "object":
                if verbs[one] != "idle":  # "stands": what a person does between steps anyway
                    person.steps.append((verbs[one], k))
                _mark(item)
            elif one in sounds:
                person.sounds.append((sounds[one], k))
                _mark(item)
            k += 1


def read_doings(items: list[Item], person: Person, stops: frozenset[int]) -> None:
    """What follows each of `person`'s mentions up to the next of `stops`, read as
    cast_people reads it (clothes, verbs, sounds), into `person`."""
    _after(items, [person], seat=False, spoken=False, stops=stops)


def _one_of_them(items: list[Item], people: list[Person]) -> list[Person]:
    """"One of them falls", "one of the kids shouts": a person of the group named before, on
    their own from there (what the group did before, they did too); "the others", "the rest"
    after it are the rest of the group again. Returns the people with those members added."""
    out = list(people)
    member: Person | None = None
    for k, item in enumerate(items):
        group = max((p for p in out if p.at < k and p.count > 1 and p.member_of is None),
                    key=lambda p: p.at, default=None)
        if group is None:
            continue
        if item.words == ("one",) and k + 2 < len(items) and items[k + 1].words == ("of",) and (
                items[k + 2].kind == "pronoun" and items[k + 2].words[0] in ("them", "us")
                or any(k + 2 + d in group.mentions for d in (0, 1))):
            _mark(item, items[k + 1], items[k + 2])
            member = Person(noun=group.noun, at=k, body=dict(group.body),
                            outfit=dict(group.outfit), hair=dict(group.hair), count=1,
                            member_of=group, mentions=[k])
            group.count -= 1
            out.append(member)
        elif member is not None and member.member_of is group and \
                " ".join(item.words) in THE_OTHERS:
            _mark(item)
            group.mentions.append(k)  # what follows is theirs again
    return out


def _clothes_follow(items: list[Item], k: int, end: int, clothes: dict) -> bool:
    """Whether a garment the clothes table knows comes next (after colours and articles)."""
    j = k
    while j < end and (items[j].kind in FILLERS or items[j].words[0] in ("in", "a", "an")):
        j += 1
    return j < end and (" ".join(_lemma(w, "n") for w in items[j].words) in clothes
                        or " ".join(items[j].words) in clothes)


def _share_conjoined(items: list[Item], people: list[Person]) -> None:
    """"A woman and a man dance": a mention followed only by "and" or a comma before the next
    does what the next one does."""
    mentions = sorted((at, person) for person in people for at in person.mentions)
    for (at, person), (nxt, other) in reversed(list(zip(mentions, mentions[1:]))):
        between = items[at + 1:nxt]
        if person is not other and all(i.kind in ("stop", "punct") for i in between) and any(
                i.words[0] in ("and", ",") for i in between):
            person.steps += [step for step in other.steps if step not in person.steps]
            person.sounds += other.sounds


def _mark(*items: Item) -> None:
    for item in items:
        item.used = True


def cast_people(parse: Parse, spoken: bool = False,
                named: dict[int, NamedLook] | None = None,
                stops: frozenset[int] = frozenset()) -> list[Person]:
    """The people the prompt names, with what it says of them (their words marked used).
    `spoken`: the prompt has quoted lines (which speech verbs introduce); `named`: the items
    naming stored looks (director.names.name_mentions), cast with those looks; `stops`: the
    items naming animals (what follows one is the animal's doing)."""
    people = _mentions(parse, named or {})[:MAX_CAST]
    seat = any(isinstance(i.value, lx.ObjectSense) and i.value.asset == "chair"
               for i in parse.items if i.kind == "object")
    people = _one_of_them(parse.items, people)
    _after(parse.items, people, seat, spoken, stops)
    _share_conjoined(parse.items, people)
    people = [p for p in people if p.count > 0]  # groups whose members were all described
    for person in people:
        if person.member_of is not None:  # what the group did before, they did too, first
            group = person.member_of
            person.steps[:0] = [s for s in group.steps if s not in person.steps
                                and s[1] < person.at]
            person.sounds[:0] = [s for s in group.sounds if s[1] < person.at]
        # "trips and falls": two words for one fall
        person.steps = [step for n, step in enumerate(person.steps)
                        if n == 0 or step[0] != person.steps[n - 1][0]
                        or step[1] - person.steps[n - 1][1] > SAME_CLAUSE_ITEMS]
        if not person.steps and person.usual:
            person.steps.append((person.usual, person.at))
        if person.outfit.get("top") == "dress":
            person.outfit.setdefault("bottom", "none")
    return people


def crowd_sounds(parse: Parse) -> list[tuple[str, int]]:
    """The sounds crowds make in the prompt ("the crowd cheers", "a cheering audience"), as
    (vocal sound, how many make it); their words are marked used."""
    table = people_table()
    crowds, sounds = table["crowds"], table["sounds"]
    items = parse.items
    found = []
    for k, item in enumerate(items):
        if item.kind != "word" or _lemma(item.words[-1], "n") not in crowds:
            continue
        count = crowds[_lemma(item.words[-1], "n")]
        near = [j for j in (k - 1, _skip(items, k + 1, ("stop",))) if 0 <= j < len(items)]
        for j in near:
            verb = _lemma(items[j].words[-1], "v") if items[j].words else ""
            if items[j].kind in ("word", "verb") and verb in sounds:
                found.append((sounds[verb], count))
                _mark(item, items[j])
                break
    return found


def _front_row_y(entities: list[dict]) -> float:
    """Where people stand: FRONT_Y_M, or further in front (towards -y) than every thing laid
    out, with room to move, so no limb starts inside a table or a crate."""
    nearest = FRONT_Y_M
    for entity in entities:
        asset = ASSETS[entity["asset"]]
        if entity.get("position") is None or asset.parts[0].shape == "plane":
            continue
        lo, hi = asset.bounds()
        reach = 0.5 * max(hi[0] - lo[0], hi[1] - lo[1]) * entity.get("scale", 1.0)
        nearest = min(nearest, entity["position"][1] - reach - PERSONAL_SPACE_M)
    return nearest


def _ids(people: list[Person]) -> list[tuple[Person, str]]:
    seen: dict[str, int] = {}
    out = []
    for person in people:
        for _ in range(min(person.count, MAX_CAST)):
            base = person.look.id if person.look is not None else \
                person.noun.replace(" ", "_").replace("-", "_")
            seen[base] = seen.get(base, 0) + 1
            out.append((person, base if seen[base] == 1 else f"{base}_{seen[base]}"))
    return out[:MAX_CAST]


def people_at(people: list[Person]) -> dict[int, str]:
    """The character id each person mention stands for (as with_cast names them)."""
    found: dict[int, str] = {}
    for person, cid in _ids(people):
        for at in person.mentions:
            found.setdefault(at, cid)
    return found


def handled_items(people: list[Person]) -> frozenset[int]:
    """Item indices of the verbs people do to things and of those things: their motions are
    the people's (director.interpret plans none for them)."""
    return frozenset(i for person in people for deed in person.deeds.values()
                     for i in (deed.at, deed.thing))


@dataclass
class _Row:
    """Who stands where, and the ids that the prompt's words stand for."""

    named: list[tuple[Person, str]]
    person_at: dict[int, str]  # mention item index -> character id
    things_at: dict[int, list[str]]  # noun item index -> entity ids

    def recipient(self, deed: Deed) -> str | None:
        if deed.to is None:
            return None
        return self.person_at.get(deed.to) or (self.things_at.get(deed.to) or [None])[0]


def _script(person: Person, cid: str, row: _Row, data: dict, place_x: float, front: float,
            seats: list[str], notes: list[str]) -> tuple[list[dict], str | None]:
    """One person's script steps, and what they hold from the start."""
    script: list[dict] = []
    holds: str | None = None
    holding: str | None = None
    named = row.named

    def add(step: dict) -> None:
        if script:
            step["after"] = script[-1]["id"]
        else:
            step["at"] = FIRST_STEP_S
        script.append(step)

    for m, (verb, k) in enumerate(person.steps):
        step: dict = {"id": f"{cid}_{m}_{verb}", "do": verb, "item": k}
        deed = person.deeds.get(k)
        if deed is not None:
            thing = (row.things_at.get(deed.thing) or [None])[0]
            if deed.implied is not None and holding is None and holds is None:
                thing = _implied_entity(data, deed.implied, place_x, front)
            elif deed.implied is not None:
                thing = holding or holds
            if thing is None:
                notes.append(f"{person.called} does not {verb.replace('_', ' ')}: what they "
                             "act on is not shown")
                continue
            group = [c for p, c in named if p is person]
            each_other = deed.each_other
            if verb == "play":  # with a ball: passed round the group, or tossed up alone
                verb = "throw" if len(group) > 1 else "throw_underhand"
                each_other = len(group) > 1
            footed = people_table()["footed"]
            if _asset_of(data, thing) in footed["assets"]:  # "passes the football": a kick
                verb = footed["verbs"].get(verb, verb)
            step["do"], step["id"] = verb, f"{cid}_{m}_{verb}"
            to = row.recipient(deed)
            turn: int | None = None  # this one's place in a round of passes to each other
            if each_other:
                turn = group.index(cid)
                if len(group) < 2:
                    notes.append(f"{person.called} has no one to {verb.replace('_', ' ')} "
                                 "to: 'each other' needs two or more")
                    turn = None
                elif turn > 0 and verb not in THROWS:
                    # a ball kicked (a thing handed) back needs its path before the kick: the
                    # first does it to the second, once
                    continue
                else:
                    to = group[(turn + 1) % len(group)]
                    if turn > 0:  # it comes to them first
                        add({"id": f"{cid}_{m}_catch", "do": "catch", "target": thing})
                        holding = thing
            if verb in HELD_VERBS and holding != thing:
                if holds is None and (not script or _seated(script)):
                    # "throws a ball": in their hand from the start (also when they sit first:
                    # they sit down with it)
                    holds = thing
                else:
                    add({"id": f"{cid}_{m}_pick_up", "do": "pick_up", "target": thing})
                holding = thing
            if verb in ("throw", "throw_underhand", "hand_over"):
                if to is None and verb == "hand_over":
                    notes.append(f"{person.called} holds the {thing.replace('_', ' ')} out: "
                                 "the prompt says not to whom")
                    step["do"] = "hold"
                elif to is not None:
                    step["target"] = to
                holding = None if step["do"] != "hold" else holding
            elif verb == "put_down":
                holding = None
            elif verb not in ("hold", "carry"):
                step["target"] = thing
                if verb in ("pick_up", "catch"):
                    holding = thing
                if verb == "kick" and to is not None:
                    step["toward"] = to  # where the kicker lines up (_place_for_deeds)
            add(step)
            if turn == 0 and verb in THROWS:
                # the first of a round gets it back at the end (_passes times the catch)
                add({"id": f"{cid}_{m}_catch", "do": "catch", "target": thing})
                holding = thing
            continue
        if verb in ("walk", "run"):
            # Along their row, outwards (the row is clear of things by construction): the
            # first from the left goes left, the others right.
            reach = WALK_M if verb == "walk" else RUN_M
            side = -1.0 if named and named[0][1] == cid and len(named) > 1 else 1.0
            step["place"] = [round(place_x + side * reach, 2), round(front, 2)]
        needs = verb_table()[verb].get("needs")  # what the animation needs to play it
        if needs == "seat":
            if not seats:
                continue
            step["target"] = seats.pop(0)
        elif needs == "target" and verb == "look_at":
            seen = [other for _, other in named if other != cid] or \
                [e["id"] for e in data["entities"]]
            if not seen:
                continue
            step["target"] = seen[0]
        elif needs in ("target", "held"):  # kicks, throws... with nothing named to act on
            notes.append(f"{person.called} does not {verb.replace('_', ' ')}: the prompt "
                         "names nothing for it")
            continue
        add(step)
    return script, holds


def _film_the_one(data: dict) -> None:
    """People and nothing else on the move: the shots with no subject of their own film one
    person from the front (render.camera), several from before their row, not across whatever
    their hands and falls move."""
    if not data["characters"] or data.get("actions"):
        return
    for shot in data.get("shots", []):
        if shot.get("subject") is None and shot.get("azimuth") is None:
            if len(data["characters"]) == 1:
                shot["subject"] = data["characters"][0]["id"]
            else:
                shot["azimuth"] = ROW_AZIMUTH_DEG


def _seated(script: list[dict]) -> bool:
    """Whether the script so far leaves its person sitting or lying."""
    postures = [s["do"] for s in script if s["do"] in ("sit", "lie_down", "stand_up", "get_up")]
    return bool(postures) and postures[-1] in ("sit", "lie_down")


def _implied_entity(data: dict, asset: str, x: float, front: float) -> str:
    """A new entity of `asset` for someone to hold from the start (at their feet until then)."""
    taken = {e["id"] for e in data["entities"]}
    cid, n = asset, 1
    while cid in taken:  # a second mug is mug_2
        n += 1
        cid = f"{asset}_{n}"
    data["entities"].append({"id": cid, "asset": asset, "position": [x, front, 0.2]})
    return cid


def _asset_of(data: dict, entity: str) -> str | None:
    return next((e["asset"] for e in data["entities"] if e["id"] == entity), None)


def _passes(characters: list[dict]) -> None:
    """Someone thrown to catches: the catch (theirs already, or added) starts as the throw does,
    so the hands are up when the thing arrives."""
    by_id = {c["id"]: c for c in characters}
    for thrower in characters:
        for n, step in enumerate(thrower["script"]):
            receiver = by_id.get(step.get("target", ""))
            if step["do"] not in ("throw", "throw_underhand") or receiver is None:
                continue
            thing = next((s["target"] for s in reversed(thrower["script"][:n])
                          if s["do"] in ("pick_up", "catch")), thrower.get("holds"))
            script = receiver["script"]
            catch = next((s for s in script if s["do"] == "catch" and s.get("timed") is None
                          and s.get("target") in (thing, None)), None)
            if catch is None:
                catch = {"id": f"{receiver['id']}_catch", "do": "catch", "target": thing}
                script.insert(0, catch)
                if len(script) > 1:
                    script[1].pop("at", None)
                    script[1]["after"] = catch["id"]
            before = script[:script.index(catch)]
            # timed with the throw when nothing else of theirs comes first, or only their own
            # throws in a round of passes (done by the time this one comes back)
            if all(s["do"] in THROWS for s in before):
                catch["timed"] = True
                catch.pop("at", None)
                catch.pop("after", None)
                if "after" in step:
                    catch["after"] = step["after"]
                else:
                    catch["at"] = step["at"]


def _place_for_deeds(characters: list[dict], entities: list[dict]) -> None:
    """A kicker stands behind the ball in line with where it goes (to a person or a thing)."""
    where = {c["id"]: c["position"] for c in characters}
    entity = {e["id"]: e for e in entities}
    for character in characters:
        for step in character["script"]:
            step.pop("timed", None)  # (_passes' own mark)
            goal = step.pop("toward", None)
            if goal is None or step.get("target") not in entity:
                continue
            ball = entity[step["target"]]
            aim = where[goal] if goal in where else entity[goal]["position"][:2]
            if goal in where:  # to a person: the ball a run-up in front of the kicker
                start = character["position"]
                line = [aim[0] - start[0], aim[1] - start[1]]
                norm = math.hypot(*line) or 1.0
                ball["position"][:2] = [round(start[0] + line[0] / norm * KICK_RUN_UP_M, 3),
                                        round(start[1] + line[1] / norm * KICK_RUN_UP_M, 3)]
            else:  # at a thing: the ball far enough from it to be seen going, the kicker behind
                line = [aim[0] - ball["position"][0], aim[1] - ball["position"][1]]
                norm = math.hypot(*line) or 1.0
                if norm < KICK_AT_M:  # the layout stood them side by side
                    ball["position"][:2] = [round(aim[0] - line[0] / norm * KICK_AT_M, 3),
                                            round(aim[1] - line[1] / norm * KICK_AT_M, 3)]
                character["position"] = [round(ball["position"][0] - line[0] / norm *
                                               KICK_RUN_UP_M, 2),
                                         round(ball["position"][1] - line[1] / norm *
                                               KICK_RUN_UP_M, 2)]


def _footprint(entity: dict) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest corner of a placed thing (its pose and scale included)."""
    from worldreel.director import geometry  # noqa: PLC0415
    from worldreel.scene import Entity  # noqa: PLC0415

    lo, hi = geometry.bounds(geometry.entity_solids(Entity.model_validate(entity)))
    return np.asarray(lo), np.asarray(hi)


def _place_by_things(characters: list[dict], named: list[tuple[Person, str]], row: _Row,
                     entities: list[dict]) -> None:
    """People said to stand by a thing ("a man in front of the table", "a girl behind the
    crate") stand on that side of it, clear of it, facing as the places table says; the
    preposition is grounded when they do."""
    places = people_table()["places"]
    by_id = {e["id"]: e for e in entities}
    spots: dict[tuple[str, str], list[tuple[str, Item]]] = {}  # (thing, side) -> who, prep
    for person, cid in named:
        if person.place is None or person.deeds:
            continue  # someone acting on things stands where the deed needs them
        relation, noun, prep = person.place
        ids = [i for i in row.things_at.get(noun, []) if i in by_id]
        if ids:
            spots.setdefault((ids[0], relation), []).append((cid, prep))
    character = {c["id"]: c for c in characters}
    for (thing, relation), standing in spots.items():
        lo, hi = _footprint(by_id[thing])
        middle, away = (lo + hi) / 2, PERSONAL_SPACE_M
        side = places[relation]["side"]
        x, y = {"front": (middle[0], lo[1] - away), "back": (middle[0], hi[1] + away),
                "left": (lo[0] - away, middle[1]), "right": (hi[0] + away, middle[1])}[side]
        for n, (cid, prep) in enumerate(standing):  # several there stand side by side
            shift = (n - (len(standing) - 1) / 2) * SPACING_M
            at = (x + shift, y) if side in ("front", "back") else (x, y + shift)
            character[cid]["position"] = [round(float(c), 2) for c in at]
            character[cid]["facing"] = float(places[relation]["facing"])
            prep.used = True


def _passing(people: list[Person], person_at: dict[int, str]) -> bool:
    """Whether someone throws or kicks something to someone else."""
    return any((deed.to in person_at or deed.each_other)
               and deed.verb in ("throw", "throw_underhand", "kick")
               or deed.verb == "play" and person.count > 1
               for person in people for deed in person.deeds.values())


def with_cast(scene: Scene, people: list[Person], quoted: list[tuple[int, str]],
              mention_at: dict[int, int], things_at: dict[int, list[str]] | None = None,
              animals_at: dict[int, str] | None = None) -> tuple[dict, list[str]]:
    """The Scene's data with the people as characters (placed in a row in front of the things,
    facing each other when two) and their lines; `quoted`: (position, text) of each quoted
    line, `mention_at`: each person's noun position in the same terms, `things_at`: the
    entity ids each noun item stands for (what people act on), `animals_at`: the animal id each
    animal mention stands for (what a ball is thrown to). Returns the data and notes for the
    user."""
    from worldreel.scene import scene_to_dict  # noqa: PLC0415

    data = scene_to_dict(scene)
    named = _ids(people)
    person_at = people_at(people)
    row = _Row(named, {**(animals_at or {}), **person_at}, things_at or {})
    notes: list[str] = []
    front = _front_row_y(data["entities"])
    seats = [e["id"] for e in data["entities"] if e["asset"] == "chair"]
    spacing = PASS_APART_M if _passing(people, person_at) else SPACING_M
    characters = []
    for n, (person, cid) in enumerate(named):
        x = (n - (len(named) - 1) / 2) * spacing
        body = dict(person.body)
        body.setdefault("gender", n % 2)  # "two kids", "a person": one of each, in turn
        facing = 0.0 if x < 0 else 180.0 if len(named) == 2 else 90.0
        if len(named) == 1 and not data["entities"]:
            facing = ALONE_FACING_DEG  # no one and nothing to face: three-quarters to the camera
        elif len(named) > 2 and not data["entities"]:
            # a group with nothing to face turns in towards a point before them, open to the
            # camera (as on a stage), instead of showing it the middle one's back
            facing = math.degrees(math.atan2(-GROUP_FOCUS_M, -x)) % 360.0
        script, holds = _script(person, cid, row, data, x, front, seats, notes)
        hair = dict(person.hair)
        if body.get("age", 30) >= GREY_FROM_AGE:
            hair.setdefault("color", "grey")
        outfit = dict(person.outfit)
        if len(named) > 1 and person.look is None:  # a stored look is told apart by itself
            _told_apart(n, body, outfit, hair)
        character = {"id": cid, "body": body, "outfit": outfit,
                     "position": [round(x, 2), round(front, 2)], "facing": facing,
                     "script": script}
        if holds is not None:
            character["holds"] = holds
        if person.left_hand in ASSETS:  # what the role wears on a hand (a catcher's mitt)
            character["left_hand"] = _implied_entity(data, person.left_hand, x, front)
        if hair:
            character["hair"] = hair
        characters.append(character)
    # the steps in the order the prompt tells them (what a sound after them waits for)
    told = sorted((step.pop("item"), step["id"]) for c in characters for step in c["script"]
                  if "item" in step)
    _passes(characters)
    _place_by_things(characters, named, row, data["entities"])
    _place_for_deeds(characters, data["entities"])
    data["characters"] = characters
    _film_the_one(data)
    for person, cid in named:
        for verb in dict.fromkeys(person.hands_off):
            notes.append(f"{person.called} is shown, but what '{verb}' does happens without "
                         f"them: people acting on things this way are not planned yet")
    data["audio"]["dialogue"] = _lines(data, named, quoted, mention_at, told)
    longest = max((len(c["script"]) for c in characters), default=0)
    data["duration"] = min(60.0, max(data["duration"], FIRST_STEP_S + 2.5 * longest + 1.0))
    return data, notes


def _told_apart(n: int, body: dict, outfit: dict, hair: dict) -> None:
    """The n-th of several people, told apart at a glance by what the prompt left open: the
    colour of their top, their hair's colour and style (people.yaml: tell_apart)."""
    table = people_table()["tell_apart"]
    if outfit.get("uniform", "none") == "none":
        outfit.setdefault("top_color", table["top_colors"][n % len(table["top_colors"])])
    hair.setdefault("color", table["hair_colors"][n % len(table["hair_colors"])])
    styles = table["hair_styles"][round(float(body.get("gender", 1)))]
    hair.setdefault("style", styles[n % len(styles)])


def _lines(data: dict, named: list[tuple[Person, str]], quoted: list[tuple[int, str]],
           mention_at: dict[int, int], told: list[tuple[int, str]]) -> list[dict]:
    """The dialogue: the sounds people make and the quoted lines, each given to its speaker
    (the person named last before it); a sound told after someone's step comes after that
    step ("one of them falls and the others laugh"). `told`: (item index, step id) in order."""
    lines = list(data["audio"].get("dialogue", []))
    for person, cid in named:
        for sound, k in person.sounds:
            line = {"sound": sound, "speaker": cid}
            before = [step for at, step in told if at < k]
            if before:
                line["after"] = before[-1]
            lines.append(line)
    if quoted and named:
        spoken = []
        for position, text in quoted:
            before = [(mention_at[id(p)], cid) for p, cid in named if mention_at[id(p)] <= position]
            speaker = max(before)[1] if before else named[0][1]
            others = [cid for _, cid in named if cid != speaker]
            line = {"text": text, "speaker": speaker}
            look = next((p.look for p, cid in named if cid == speaker), None)
            if look is not None and look.voice is not None:
                line["voice"] = look.voice  # a stored look speaks in its own voice
            if len(named) == 2:
                line["to"] = others[0]
            spoken.append(line)
        lines = [line for line in lines if "text" not in line] + spoken
    return lines
