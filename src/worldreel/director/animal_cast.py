"""Animals cast from a prompt: which species (and breed, coat and size), what each one does, and
the sounds it makes.

An animal is a noun WordNet files under one of the Scene's species (`animals.yaml`: "a
stallion" is a horse, "a poodle" a dog of that breed, "a kitten" a small cat). A noun WordNet
calls an animal but that no species covers (a wolf, a tiger) is left ungrounded: the plan says
so instead of showing another animal. Its verbs, up to the next person or animal named, become
the steps of its script (`scene.animals.ANIMAL_VERBS`), each with what it acts on when said
("chases the ball", "jumps over the fence"); its sounds ("barks") become lines it says. Every
word used here is marked grounded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from worldreel.director.parser import Item, Parse
from worldreel.director.mentions import FILLERS, lemma, mark, verb_at
from worldreel.director.wordnet import noun_kind, wordnet

ANIMALS_FILE = Path(__file__).with_name("animals.yaml")
MAX_ANIMALS = 6  # animals cast from one prompt
PLURAL_COUNT = 2  # "dogs": a few, shown as two
SPACING_M = 1.6  # between animals standing side by side, and from the people's row
# How far a gait goes when the prompt says not where: about three seconds of it at the
# species' usual speed would leave the frame for the fast gaits, so it is capped for the shot.
GAIT_DISTANCE_M = {"walk": 3.0, "trot": 5.0, "canter": 7.0, "gallop": 9.0, "run": 7.0}
FIRST_STEP_S = 0.3
SOUND_GAP_S = 0.2  # a sound said after a step starts this long after it ends
CHASED_ROLL_M_S = 3.0  # a ball chased with nothing said of how it moves rolls away this fast
STEP_S = 2.5  # the clip allows about this long per step
WALKED = frozenset({"walk", "lead", "run", "jog"})  # "walks her dog": it follows them
TARGET_PREPS = frozenset({"over", "after", "at", "to", "toward", "towards", "into", "across",
                          "for"})


@functools.cache
def animal_table() -> dict:
    return yaml.safe_load(ANIMALS_FILE.read_text(encoding="utf-8"))


@dataclass
class Beast:
    """One animal (or a few alike) named in the prompt, and what the prompt says of it."""

    noun: str
    species: str
    at: int  # item index of the noun
    count: int = 1
    breed: str | None = None
    size: float = 1.0
    coat: str | None = None
    # (script verb, item index, item index of what it acts on or None, speed factor)
    steps: list[tuple[str, int, int | None, float]] = field(default_factory=list)
    sounds: list[tuple[str, int]] = field(default_factory=list)  # (vocal sound, item index)
    mentions: list[int] = field(default_factory=list)

    @property
    def called(self) -> str:
        return f"the {self.noun}"


@functools.cache
def species_of(word: str) -> tuple[str, str | None, float] | None:
    """(species, breed or None, size) a noun names, or None when it names no species here."""
    table = animal_table()
    root = lemma(word, "n")
    if root in table["young"]:
        species, size = table["young"][root]
        return str(species), None, float(size)
    kind = noun_kind(root)
    if kind is None or kind.category != "animal":
        return None
    sense = wordnet().synset(kind.sense)
    above = {h.name() for path in sense.hypernym_paths() for h in path}
    species = next((name for name, roots in table["species"].items() if above & set(roots)),
                   None)
    if species is None:
        return None
    breed = None
    if species == "dog":
        breed = next((name for name, roots in table["breeds"].items()
                      if kind.sense in roots or above & set(roots[:1])), None)
    return species, breed, 1.0


def unknown_animals(parse: Parse) -> list[str]:
    """Nouns the prompt uses that WordNet calls animals and no species here covers."""
    out = []
    for item in parse.items:
        if item.kind == "word" and not item.used and len(item.words) == 1:
            kind = noun_kind(lemma(item.words[0], "n"))
            if kind is not None and kind.category == "animal" and \
                    species_of(item.words[0]) is None:
                out.append(item.words[0])
    return out


def animal_mentions(parse: Parse) -> list[Beast]:
    """Every animal the prompt names, once each ("the dog" again is the dog already named);
    their nouns and the coats, counts and sizes before them are marked grounded."""
    items = parse.items
    beasts: list[Beast] = []
    for k, item in enumerate(items):
        if item.kind not in ("word", "object") or len(item.words) != 1 or \
                item.kind == "word" and item.used:
            continue
        found = species_of(item.words[0])
        if found is None:
            continue
        if item.kind == "object" and noun_kind(lemma(item.words[0], "n")).category != "animal":
            continue
        species, breed, size = found
        noun = lemma(item.words[0], "n")
        same = next((b for b in beasts if b.noun == noun), None)
        if same is not None and _definite(items, k):
            same.mentions.append(k)
            item.used = True
            continue
        beast = Beast(noun=noun, species=species, at=k, breed=breed, size=size)
        beast.count = PLURAL_COUNT if item.words[0] != noun else 1
        _describe(items, k, beast)
        beast.mentions.append(k)
        item.used = True
        beasts.append(beast)
    return beasts


def _definite(items: list[Item], k: int) -> bool:
    j = k - 1
    while j >= 0 and items[j].kind in FILLERS[1:]:
        j -= 1
    return j >= 0 and items[j].kind == "stop" and items[j].words[0] in ("the", "that", "this",
                                                                         "its", "his", "her")


def _describe(items: list[Item], k: int, beast: Beast) -> None:
    """Count, coat and size said before the noun ("two black horses", "a small dog")."""
    coats = set(animal_table()["coats"])
    j = k - 1
    while j >= 0 and items[j].kind in ("color", "size", "number", "word", "shade"):
        item = items[j]
        if item.kind == "color" and beast.coat is None:
            beast.coat = str(item.value)
        elif item.kind == "word" and item.words[0] in coats and beast.coat is None:
            beast.coat = item.words[0]
        elif item.kind == "number" and isinstance(item.value, int | float):
            beast.count = max(1, int(item.value))
        elif item.kind == "size" and isinstance(item.value, int | float):
            beast.size = max(0.3, min(2.0, beast.size * float(item.value)))
        elif item.kind == "word":
            break
        item.used = True
        j -= 1


def cast_animals(parse: Parse, beasts: list[Beast], stops: set[int]) -> None:
    """Read what each animal does and says, from each mention up to the next mention of anyone
    (`stops`: the people's mentions, and the animals'); the words used are marked grounded."""
    table = animal_table()
    verbs, sounds, adverbs = table["verbs"], table["sounds"], table["adverbs"]
    items = parse.items
    mentions = sorted({at for b in beasts for at in b.mentions} | set(stops))
    owner = {at: b for b in beasts for at in b.mentions}
    for at, beast in sorted(owner.items()):
        end = next((m for m in mentions if m > at), len(items))
        if at == beast.at and (walker := _walked(items, at, stops)) is not None:
            beast.steps.append(("chase", at, walker, 1.0))
        k = at + 1
        factor = 1.0
        while k < end:
            item = items[k]
            one = " ".join(lemma(w, "v") for w in item.words)
            if item.kind == "word" and one in adverbs or " ".join(item.words) in adverbs:
                factor = adverbs.get(one, adverbs.get(" ".join(item.words), 1.0))
                if beast.steps:
                    verb, at_k, target, _ = beast.steps[-1]
                    beast.steps[-1] = (verb, at_k, target, factor)
                mark(item)
            elif (found := verb_at(items, k, end, verbs)) is not None:
                _add_step(beast, found[0], k, items, end, factor)
                k += found[1] - 1
            elif (found := verb_at(items, k, end, sounds)) is not None:
                beast.sounds.append((found[0], k))
                if k + 1 < len(items) and items[k + 1].kind == "prep" and \
                        items[k + 1].words[0] == "at":  # "barks at the cat": it looks at it
                    beast.steps.append(("look_at", k, step_target(items, k + 1, end), factor))
            k += 1
        for step in beast.steps:  # what each targeted step acts on is grounded by it
            if step[2] is not None:
                mark(items[step[2]])
    _share_conjoined(items, beasts)


def _share_conjoined(items: list[Item], beasts: list[Beast]) -> None:
    """"A horse and a cow walk across": the first, given nothing to do of its own, does what
    the one conjoined with it does."""
    owner = {at: b for b in beasts for at in b.mentions}
    for at, beast in sorted(owner.items()):
        j = at + 1
        if beast.steps or j >= len(items) or items[j].words != ("and",):
            continue
        j += 1
        while j < len(items) and items[j].kind in FILLERS:
            j += 1
        other = owner.get(j)
        if other is not None and other is not beast:
            beast.steps = list(other.steps)


def _add_step(beast: Beast, verb: str, k: int, items: list[Item], end: int,
              factor: float) -> None:
    target = step_target(items, k + 1, end) if verb in animal_table()["targeted"] else None
    if verb == "idle" and not beast.steps:
        return  # "stands", "grazes": what it does anyway
    beast.steps.append((verb, k, target, factor))


def step_target(items: list[Item], j: int, end: int) -> int | None:
    """The item a targeted verb acts on: the next thing, person or animal named (over a
    preposition of path: "jumps over the fence", "runs after the ball"), or "it"."""
    while j < end and (items[j].kind in FILLERS or items[j].kind == "prep"
                       and items[j].words[0] in TARGET_PREPS):
        if items[j].kind == "prep":
            mark(items[j])
        j += 1
    if j < len(items) and items[j].kind in ("object", "word"):
        return j
    if j < len(items) and items[j].kind == "pronoun" and items[j].words[0] in ("it", "them"):
        mark(items[j])
        return next((i for i in range(j - 1, -1, -1) if items[i].kind == "object"), None)
    return None


def _walked(items: list[Item], k: int, stops: set[int]) -> int | None:
    """The person mention whose walk the animal at k is taken on ("a girl walks her dog"):
    the animal follows them."""
    j = k - 1
    while j >= 0 and items[j].kind in FILLERS + ("pronoun",):
        j -= 1
    if j < 0 or items[j].kind not in ("verb", "word") or \
            lemma(items[j].words[0], "v") not in WALKED:
        return None
    return max((m for m in stops if m < j), default=None)
