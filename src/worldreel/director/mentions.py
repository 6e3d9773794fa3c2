"""What the casting modules share about the words that name who or what acts: a word's lemma,
the ids of everything named (one per member of a group, numbered), and marking words used."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from worldreel.director import lexicon as lx
from worldreel.director.parser import Item
from worldreel.director.wordnet import base_form


# Item kinds inside a noun phrase, between a determiner and its noun ("the two small red ...")
FILLERS = ("stop", "color", "size", "material", "number", "shade")


class Named(Protocol):
    noun: str
    count: int


N = TypeVar("N", bound=Named)


def lemma(word: str, pos: str) -> str:
    """The word's lemma: the lexicon's, else WordNet's for this part of speech ("gallops" ->
    "gallop", "ponies" -> "pony"), else the word."""
    known = lx.lemma(word)
    return known if known != word else base_form(word, pos)


def counted_ids(named: Iterable[N], limit: int) -> list[tuple[N, str]]:
    """Each one named with its id, a group's members one each ("dog", "dog_2"): at most
    `limit` in all."""
    seen: dict[str, int] = {}
    out = []
    for one in named:
        for _ in range(min(one.count, limit)):
            base = one.noun.replace(" ", "_").replace("-", "_")
            seen[base] = seen.get(base, 0) + 1
            out.append((one, base if seen[base] == 1 else f"{base}_{seen[base]}"))
    return out[:limit]


def mark(*items: Item) -> None:
    """Mark words grounded."""
    for item in items:
        item.used = True


def verb_at(items: list[Item], k: int, end: int, table: dict) -> tuple[str, int] | None:
    """What the verb at item k means in `table` (lemmas of one or two words: "pull up",
    "takes off"), and how many items it spans; the items are marked grounded. None: no verb of
    the table starts there."""
    item = items[k]
    if item.kind not in ("word", "verb") or not item.words:
        return None
    one = " ".join(lemma(w, "v") for w in item.words)
    if one not in table and len(item.words) > 1:  # "crashes into": the verb's own word
        one = lemma(item.words[0], "v")
    if k + 1 < end and items[k + 1].words:
        two = f"{one} {' '.join(items[k + 1].words)}"
        if two in table:
            mark(item, items[k + 1])
            return str(table[two]), 2
    if one in table:
        mark(item)
        return str(table[one]), 1
    return None
