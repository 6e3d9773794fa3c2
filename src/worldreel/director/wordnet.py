"""WordNet, for what a noun the registry does not name is a kind of.

The database is the system's (Debian's `wordnet-base`: WordNet 3.0, Princeton's licence, which
allows use and redistribution with its notice), read with NLTK's WordNet reader. Nothing is
downloaded: without the database the director still works, it only cannot find stand-ins, and
says so once.

`stand_in(noun)` finds the asset nearest in meaning to a noun: the Wu-Palmer similarity of the
noun's commonest senses to each asset's senses (`assets/senses.yaml`), kept only when both are
physical things sharing a specific enough kind (a kettle and a vase are both vessels; a kettle
and a ball only "whole objects", which is no likeness a viewer would accept).
"""

from __future__ import annotations

import functools
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from worldreel.assets.senses import ASSET_SENSES

# Where systems put the database (the files data.noun, index.noun...); WORLDREEL_WORDNET first.
WORDNET_DIRS = ("/usr/share/wordnet", "/usr/local/share/wordnet", "/opt/homebrew/share/wordnet")
# WordNet's lexicographer files, in number order. They are part of the database format; Debian's
# package leaves out the `lexnames` file that lists them, so the reader is given it from here.
LEXICOGRAPHER_FILES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_POS_NUMBER = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}

# A stand-in must be this alike (Wu-Palmer: 1 is the same sense; golf ball and tennis ball 0.9,
# kettle and vase 0.8, a chair and a table 0.74, a ball and a box 0.58).
MIN_SIMILARITY = 0.78
SENSES_TRIED = 3  # a noun's commonest senses; rarer ones would find far-fetched stand-ins
RARER_SENSE_PENALTY = 0.03  # per rank: the first sense wins a near tie
# Near kin share a kind at most this many steps above each (kettle -> pot -> vessel, vase -> jar
# -> vessel); further, "a kind of" stops meaning "looks like".
MAX_STEPS = 2
# Kinds so broad that sharing them says nothing of looks (a cup and a crate are both
# "containers" to WordNet, a trampoline and a basketball both "sports equipment", a lamp and a
# table both "furniture"): never a reason to show one for the other.
BROAD_KINDS = frozenset({
    "artifact.n.01", "whole.n.02", "object.n.01", "instrumentality.n.03", "device.n.01",
    "container.n.01", "equipment.n.01", "sports_equipment.n.01", "game_equipment.n.01",
    "plaything.n.01", "structure.n.01", "covering.n.02", "commodity.n.01", "implement.n.01",
    "building_material.n.01", "material.n.01", "furnishing.n.02", "furniture.n.01",
    "tableware.n.01",
    # a base bag and a baseball, a tee and a putter: one game's gear, not one look
    "baseball_equipment.n.01", "golf_equipment.n.01",
})
# Kinds of things a stand-in may stand for: physical objects, not acts, ideas or times.
THINGS = frozenset({"noun.artifact", "noun.object", "noun.plant", "noun.food",
                    "noun.substance", "noun.body"})


@dataclass(frozen=True)
class StandIn:
    """An asset shown for a noun the registry does not name."""

    word: str
    asset: str
    kind: str  # what both are, in plain words: "vessel", "ball"
    similarity: float


@dataclass(frozen=True)
class NounKind:
    """What a noun names, in the terms of what WorldReel can show."""

    category: str  # "person", "animal", "vehicle", "place", "thing", "other"
    sense: str  # the WordNet sense it was judged by


def _database() -> Path | None:
    for folder in (os.environ.get("WORLDREEL_WORDNET"), *WORDNET_DIRS):
        if folder and (Path(folder) / "data.noun").is_file():
            return Path(folder)
    return None


@functools.cache
def wordnet():
    """NLTK's WordNet reader on the system's database, or None when there is none."""
    root = _database()
    if root is None:
        return None
    import nltk  # noqa: PLC0415 - a second of loading, only when a word needs it
    from nltk.corpus.reader.wordnet import WordNetCorpusReader  # noqa: PLC0415

    lexnames = "".join(f"{n:02d}\t{name}\t{_POS_NUMBER[name.split('.')[0]]}\n"
                       for n, name in enumerate(LEXICOGRAPHER_FILES))

    class SystemWordNet(WordNetCorpusReader):
        def open(self, fileid):
            if fileid == "lexnames":
                return io.StringIO(lexnames)
            return super().open(fileid)

        def map_wn(self, version="wordnet"):
            return None  # no mapping to other WordNet versions (multilingual data) needed

    if str(root) not in nltk.data.path:
        nltk.data.path.append(str(root))  # NLTK reads only from its data folders
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        return SystemWordNet(str(root), None)


def base_form(word: str, pos: str) -> str:
    """WordNet's base form of `word` as this part of speech ("lapping" -> "lap" as "v"), or the
    word itself (also without the database)."""
    reader = wordnet()
    found = reader.morphy(word, pos) if reader is not None else None
    return found or word


def _noun_senses(word: str) -> list:
    reader = wordnet()
    if reader is None:
        return []
    return reader.synsets(word.strip().lower().replace(" ", "_"), "n")


@functools.cache
def _asset_synsets() -> tuple[tuple[str, object], ...]:
    reader = wordnet()
    return tuple((asset, reader.synset(name)) for asset, names in ASSET_SENSES.items()
                 for name in names)


def _plain(synset) -> str:
    return synset.lemma_names()[0].replace("_", " ")


def _likeness(sense, asset_sense) -> tuple[float, object] | None:
    """(Wu-Palmer similarity, the kind both are) when the two are near kin: each at most
    MAX_STEPS below the kind they share, and that kind not a broad one."""
    shared = sense.lowest_common_hypernyms(asset_sense)
    if not shared:
        return None
    kind = shared[0]
    steps = max(sense.shortest_path_distance(kind) or 0,
                asset_sense.shortest_path_distance(kind) or 0)
    if steps > MAX_STEPS or kind.name() in BROAD_KINDS:
        return None
    return sense.wup_similarity(asset_sense) or 0.0, kind


def stand_in(word: str) -> StandIn | None:
    """The asset nearest in meaning to the noun `word` (its lemma), or None when nothing is
    alike enough, `word` names a person, an animal or a vehicle (not things to stand in with a
    prop), or WordNet is missing."""
    kind_of_word = noun_kind(word)
    if kind_of_word is None or kind_of_word.category in ("person", "animal", "vehicle"):
        return None
    senses = [s for s in _noun_senses(word)[:SENSES_TRIED] if s.lexname() in THINGS]
    best: tuple[float, str, object] | None = None
    for rank, sense in enumerate(senses):
        for asset, asset_sense in _asset_synsets():
            found = _likeness(sense, asset_sense)
            if found is None:
                continue
            similarity = found[0] - rank * RARER_SENSE_PENALTY
            if best is None or similarity > best[0]:
                best = (similarity, asset, found[1])
    if best is None or best[0] < MIN_SIMILARITY:
        return None
    similarity, asset, kind = best
    return StandIn(word=word, asset=asset, kind=_plain(kind), similarity=round(similarity, 3))


_CATEGORY_ROOTS = (  # checked in order: a car is a vehicle before it is a thing
    ("person", "person.n.01"), ("animal", "animal.n.01"), ("vehicle", "vehicle.n.01"),
)


def noun_kind(word: str) -> NounKind | None:
    """What the commonest sense of the noun `word` names (a person, an animal, a vehicle, a
    place, a thing...), or None when WordNet does not know it as a noun."""
    senses = _noun_senses(word)
    if not senses:
        return None
    sense = senses[0]
    ancestors = {h.name() for path in sense.hypernym_paths() for h in path}
    for category, root in _CATEGORY_ROOTS:
        if root in ancestors:
            return NounKind(category, sense.name())
    if sense.lexname() == "noun.location" or "location.n.01" in ancestors:
        return NounKind("place", sense.name())
    if sense.lexname() in THINGS:
        return NounKind("thing", sense.name())
    return NounKind("other", sense.name())
