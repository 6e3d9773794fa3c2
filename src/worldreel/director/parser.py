"""A shallow parser for scene prompts: tokens, lexicon phrases, noun phrases with their
modifiers and counts, motion verbs with subjects, objects and prepositional phrases, and the
order of clauses in time.

It does not try to understand English in general; it finds the pieces the planner can ground and
keeps every other content word visible, so the director can say what it did not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from worldreel.assets import ASSETS
from worldreel.director import lexicon as lx
from worldreel.director.wordnet import StandIn, noun_kind, stand_in

_TOKEN = re.compile(
    r"m/s|km/h|\d+(?:\.\d+)?|[^\W\d_]+(?:'[^\W\d_]+)*|[.!?;:,]"
)
_SENTENCE_END = frozenset(".!?;:")

# Kinds of items that may stand between a determiner and its noun.
_PATH = frozenset({"toward", "at", "into", "to", "through", "across"})
_SPATIAL = frozenset({"under", "above", "behind", "front", "left", "right", "near", "edge"})
_SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "someone",
                               "somebody", "everyone", "nobody"})
_MODIFIER_KINDS = frozenset({"color", "shade", "varied_color", "material", "size", "number",
                             "new", "static"})


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark of the prompt (lower case)."""

    text: str
    lemma: str
    sentence: int


@dataclass
class Item:
    """A run of tokens with one meaning from the lexicon, or one unknown or function word.

    `used` is set by whoever grounds the item; content items left unused are reported.
    """

    start: int
    end: int
    kind: str  # a lexicon kind, or "word" (unknown content), "stop", "punct", "measure"
    value: object
    words: tuple[str, ...]
    entries: tuple[lx.Entry, ...] = ()
    used: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class NounPhrase:
    """An object, floor, or pronoun mention with everything said about it."""

    head: Item
    sense: lx.ObjectSense | None  # None for pronouns and floors
    start: int  # first item index of the phrase
    end: int  # one past the head item index
    count: int | None = None
    definite: bool = False
    new: bool = False
    colors: list[tuple[str, Item]] = field(default_factory=list)
    shade: float = 0.0
    varied_color: Item | None = None
    material: tuple[str, Item] | None = None
    scale: tuple[float, Item] | None = None
    arrangement: tuple[str, Item] | None = None
    groups: int = 1  # "two rows of dominoes"
    static: Item | None = None
    modifiers: list[Item] = field(default_factory=list)  # every item that belongs to the phrase
    plural_verb: bool = False  # "a blue and a yellow ball roll": more than one

    @property
    def plural(self) -> bool:
        """The head noun is inflected for plural ("balls", "boxes", "dominoes")."""
        word = self.head.words[-1]
        if not word.endswith("s") or word.endswith("ss"):
            return False
        return word != lx.lemma(word) or bool(lx.lookup((word[:-1],)))

    @property
    def is_pronoun(self) -> bool:
        return self.head.kind == "pronoun"

    @property
    def is_floor(self) -> bool:
        return self.head.kind in ("floor", "floor_noun")


@dataclass
class Prep:
    """A prepositional phrase: a relation and what it points at (None for a bare particle)."""

    relation: str
    item: Item
    target: NounPhrase | None
    unknown: bool = False  # followed by something not grounded ("on a turntable")


@dataclass
class VerbPhrase:
    """A motion verb with who moves, what it acts on, and where to."""

    item: Item
    motion: lx.Motion
    passive: bool
    sentence: int
    clause: int
    step: int = 0
    subjects: list[NounPhrase] = field(default_factory=list)
    objects: list[NounPhrase] = field(default_factory=list)
    preps: list[Prep] = field(default_factory=list)
    agent: NounPhrase | None = None  # "... by the ball"
    speed: list[tuple[float, Item]] = field(default_factory=list)
    height: tuple[float, list[Item]] | None = None
    distance: tuple[float, list[Item]] | None = None
    speed_si: tuple[float, list[Item]] | None = None
    delay: tuple[float, list[Item]] | None = None
    carried_subject: bool = False


@dataclass
class Parse:
    """Everything the parser found, in prompt order."""

    tokens: list[Token]
    items: list[Item]
    nouns: list[NounPhrase]
    verbs: list[VerbPhrase]
    locations: list[tuple[NounPhrase, Prep]]  # static relations: "a ball on a table"
    settings: list[Item]
    floors: list[NounPhrase]
    gravity: list[Item]
    camera: list[Item]
    cuts: list[Item]  # "then cut to": where the next shot of a storyboard starts
    silent: list[Item]
    stagger: list[Item]
    together: list[Item]
    duration: tuple[float, list[Item]] | None

    def unused_words(self) -> list[str]:
        """Content words no one grounded, in prompt order, each once."""
        seen: dict[str, None] = {}
        for item in self.items:
            if item.used or item.kind in ("stop", "punct"):
                continue
            if item.kind == "prep" and item.value not in _SPATIAL:
                continue  # a preposition is a function word unless it places something
            for word in item.words:
                if word not in lx.STOPWORDS and not word.isdigit():
                    seen.setdefault(word, None)
                elif word.isdigit() and item.kind in ("number", "measure"):
                    seen.setdefault(word, None)
        return list(seen)


# ---------------------------------------------------------------------------------------------
def tokenize(text: str) -> list[Token]:
    """Lower-case word and punctuation tokens with their lemmas and sentence numbers."""
    text = (text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
            .replace("\u2014", ", ").replace("\u2013", " ").lower())
    tokens: list[Token] = []
    sentence = 0
    for raw in _TOKEN.findall(text):
        if raw in _SENTENCE_END:
            tokens.append(Token(raw, raw, sentence))
            sentence += 1
            continue
        word = raw
        if "'" in word:
            # possessives and contractions: "ball's" -> "ball", "doesn't" -> "does" + "not"
            if word.endswith("n't"):
                tokens.append(Token(word[:-3], word[:-3], sentence))
                tokens.append(Token("not", "not", sentence))
                continue
            if word in ("bird's", "birds'"):
                tokens.append(Token("bird's", "bird's", sentence))
                continue
            word = word.split("'")[0]
        tokens.append(Token(word, lx.lemma(word), sentence))
    return tokens


def _is_punct(token: Token) -> bool:
    return token.text in _SENTENCE_END or token.text == ","


def _number_value(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _match_unit(tokens: list[Token], i: int) -> tuple[int, str, float] | None:
    """A unit starting at token i: (number of tokens, quantity, factor to SI)."""
    for length in (3, 2, 1):
        span = tokens[i:i + length]
        if len(span) < length or any(_is_punct(t) for t in span):
            continue
        for form in (" ".join(t.lemma for t in span), " ".join(t.text for t in span)):
            if form in lx.UNITS:
                quantity, factor = lx.UNITS[form]
                return length, quantity, factor
    return None


def match_items(tokens: list[Token]) -> list[Item]:
    """Split tokens into lexicon phrases (longest match first), numbers, measures and words."""
    items: list[Item] = []
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if _is_punct(token):
            items.append(Item(i, i + 1, "punct", token.text, (token.text,)))
            i += 1
            continue
        number = _number_value(token.text)
        if number is not None:
            unit = _match_unit(tokens, i + 1)
            if unit is not None:
                length, quantity, factor = unit
                words = tuple(t.text for t in tokens[i:i + 1 + length])
                items.append(Item(i, i + 1 + length, "measure", (quantity, number * factor), words))
                i += 1 + length
                continue
            items.append(Item(i, i + 1, "number", number, (token.text,)))
            i += 1
            continue
        matched = False
        for length in range(min(lx.MAX_PHRASE_WORDS, n - i), 0, -1):
            span = tokens[i:i + length]
            if any(_is_punct(t) for t in span):
                continue
            entries = lx.lookup(tuple(t.lemma for t in span))
            if not entries:
                continue
            # A number word followed by a unit is a measure too ("two meters").
            if length == 1 and entries[0].kind == "number":
                unit = _match_unit(tokens, i + 1)
                if unit is not None:
                    ulen, quantity, factor = unit
                    value = float(entries[0].value) * factor  # type: ignore[arg-type]
                    words = tuple(t.text for t in tokens[i:i + 1 + ulen])
                    items.append(Item(i, i + 1 + ulen, "measure", (quantity, value), words))
                    i += 1 + ulen
                    matched = True
                    break
            items.append(Item(i, i + length, entries[0].kind, entries[0].value,
                              tuple(t.text for t in span), entries))
            i += length
            matched = True
            break
        if matched:
            continue
        kind = "stop" if token.lemma in lx.STOPWORDS or token.text in lx.STOPWORDS else "word"
        items.append(Item(i, i + 1, kind, token.lemma, (token.text,)))
        i += 1
    return items


# ---------------------------------------------------------------------------------------------
def _kinds(item: Item) -> set[str]:
    return {e.kind for e in item.entries} or {item.kind}


def _value(item: Item, kind: str) -> object:
    for entry in item.entries:
        if entry.kind == kind:
            return entry.value
    return item.value


def _set(item: Item, kind: str) -> None:
    item.kind = kind
    item.value = _value(item, kind)


def _nounish(item: Item | None) -> bool:
    """Whether an item can be the noun a modifier in front of it belongs to."""
    if item is None:
        return False
    if item.kind in ("object", "floor", "floor_noun", "setting", "not_object"):
        return True
    return item.kind == "word" and not lx.looks_adjective(item.words[-1])


def _is_furniture(item: Item) -> bool:
    """Whether an object item names something fixed where it stands (a table, a hoop)."""
    sense = _value(item, "object")
    return isinstance(sense, lx.ObjectSense) and sense.asset in ASSETS and ASSETS[sense.asset].fixed


def _verbish_word(word: str) -> bool:
    return word.endswith(("s", "ed", "ing", "ly"))


def disambiguate(items: list[Item]) -> None:
    """Pick one meaning for items the lexicon gives several, from their neighbours."""
    for k, item in enumerate(items):
        prev = items[k - 1] if k > 0 else None
        nxt = items[k + 1] if k + 1 < len(items) else None
        kinds = _kinds(item)
        after_det = prev is not None and (
            prev.words[-1] in lx.DETERMINERS or prev.kind in _MODIFIER_KINDS
            or prev.kind in ("shade", "varied_color"))
        noun_next = nxt is not None and nxt.kind in ("object", "floor", "floor_noun", "setting")
        if kinds & {"floor_noun", "setting", "floor"} and nxt is not None and \
                nxt.kind == "object" and "object" not in kinds:
            item.kind = "word"  # "a beach ball", "a garden ball": a kind of ball, not a place
        elif "not_object" in kinds:
            _set(item, "not_object")
        elif "object" in kinds and "color" in kinds:
            # "across the green" is a putting green; "a green ball", "it is green" a colour
            after = items[k + 2] if k + 2 < len(items) else None
            ends = nxt is None or nxt.kind in ("prep", "punct", "verb") or (
                nxt.kind == "stop" and (nxt.words[0] not in ("and", "or") or (
                    after is not None and (after.kind in ("prep", "verb") or after.words[0] in
                                           lx.DETERMINERS))))
            named = prev is not None and prev.words[-1] in lx.DETERMINERS
            _set(item, "object" if named and ends else "color")
        elif "object" in kinds and "material" in kinds:
            _set(item, "material" if noun_next else "object")
        elif "floor_noun" in kinds and "material" in kinds:
            _set(item, "material" if noun_next else "floor_noun")
        elif "verb" in kinds and "camera" in kinds:
            _set(item, "camera" if after_det or (nxt is not None and nxt.words[0] in
                                                 ("of", "with", "from")) else "verb")
        elif "verb" in kinds and kinds & {"object", "setting", "floor", "floor_noun"}:
            # "a stand", "the pitch" are things; "stands", "pitches" with a subject are verbs
            noun = next(k for k in ("object", "setting", "floor", "floor_noun") if k in kinds)
            _set(item, noun if after_det else "verb")
        elif "verb" in kinds and "arrangement" in kinds:
            _set(item, "arrangement" if after_det or (nxt is not None and nxt.words[0] == "of")
                 else "verb")
        elif "new" in kinds:
            _set(item, "new" if nxt is not None and nxt.kind in ("object", "color", "size",
                                                                  "material", "number")
                 else "meta")
        elif "shade" in kinds and nxt is not None and nxt.kind != "color":
            item.kind = "word"
        elif "speed" in kinds and _nounish(nxt) and nxt is not None and nxt.kind != "setting":
            item.kind = "word"  # "a hard floor", "a fast car": an adjective, not how it moves
        elif "height" in kinds and len(item.words) == 1 and _nounish(nxt):
            item.kind = "word"
        elif "prep" in kinds and len(kinds) > 1:
            _set(item, "prep")
        if item.kind == "verb" and len(item.words) == 1 and _after_determiner(items, k):
            item.kind = "word"  # "a drop of water", "its dynamic bounce", "a rolling ball"
        if item.kind == "object" and prev is not None and prev.words[-1] in _SUBJECT_PRONOUNS:
            item.kind = "word"  # "she leaves", "it rocks": a verb after its subject, no thing
        if item.kind == "verb" and item.value == "score" and item.words[0] in ("make", "made",
                                                                              "makes", "making"):
            item.value = "score"  # kept; the planner grounds it only next to a hoop


# ---------------------------------------------------------------------------------------------
def _after_determiner(items: list[Item], k: int) -> bool:
    """Whether item k sits in a noun phrase: after an article, possibly past adjectives."""
    j = k - 1
    while j >= 0 and (items[j].kind in _MODIFIER_KINDS or items[j].kind == "mood"
                      or items[j].kind == "word" and lx.looks_adjective(items[j].words[0])):
        j -= 1
    return j >= 0 and items[j].kind == "stop" and items[j].words[0] in lx.DETERMINERS and (
        items[j].words[0] not in ("that", "this") or j == k - 1)


def _compound_modifier(items: list[Item], k: int) -> bool:
    """'a ball gown', 'a table lamp': an object word directly followed by an unknown noun."""
    nxt = items[k + 1] if k + 1 < len(items) else None
    if nxt is None or nxt.kind != "word":
        return False
    word = nxt.words[0]
    return not lx.looks_adjective(word) and not _verbish_word(word) and len(word) > 2


def _noun_phrase(items: list[Item], k: int) -> NounPhrase:
    """Collect the modifiers in front of the head item k (and 'made of X' after it)."""
    head = items[k]
    sense = head.value if head.kind == "object" else None
    np = NounPhrase(head, sense, k, k + 1)  # type: ignore[arg-type]
    j = k - 1
    pending_and: list[Item] = []
    while j >= 0:
        item = items[j]
        if item.kind in _MODIFIER_KINDS:
            _apply_modifier(np, item)
            np.modifiers += pending_and + [item]
            pending_and = []
            np.start = j
        elif item.kind == "mood" or item.kind == "word" and (lx.looks_adjective(item.words[0])
                                                              or j == k - 1):
            # an unknown adjective, or a noun making a compound ("a beach ball"): it stays
            # reported as not grounded but does not cut the modifiers before it off
            np.start = j
        elif item.kind == "punct" and item.value == "," or (item.kind == "stop"
                                                          and item.value == "and"):
            pending_and.append(item)
        elif item.kind == "stop" and item.words[0] in lx.DETERMINERS:
            np.definite = item.words[0] in lx.DEFINITE
            np.new = np.new or item.words[0] == "another"
            np.start = j
            # "a row of five dominoes": look through "of" to an arrangement or a count
            if j >= 2 and items[j - 1].kind == "prep" and items[j - 1].value == "of":
                j = _arrangement_before(np, items, j - 1)
                continue
            break
        elif item.kind == "prep" and item.value == "of" and j >= 1:
            j = _arrangement_before(np, items, j)
            if j == -2:
                break
            continue
        elif item.kind == "arrangement" and np.arrangement is None:
            np.arrangement = (str(item.value), item)
            np.modifiers.append(item)
            np.start = j
        else:
            break
        j -= 1
    # post-modifiers: "a domino chain", "dominoes in a row", "a ball made of glass"
    if k + 1 < len(items) and items[k + 1].kind == "arrangement" and np.arrangement is None:
        np.arrangement = (str(items[k + 1].value), items[k + 1])
        np.modifiers.append(items[k + 1])
        np.end = k + 2
        return np
    tail = items[k + 1:k + 4]
    if len(tail) >= 2 and tail[0].words == ("made",) and tail[1].kind == "prep" and len(
            tail) >= 3 and tail[2].kind == "material":
        _apply_modifier(np, tail[2])
        np.modifiers += [tail[0], tail[2]]
        np.end = k + 4
    elif len(tail) >= 2 and tail[0].kind == "prep" and tail[0].value == "of" and (
            tail[1].kind == "material"):
        _apply_modifier(np, tail[1])
        np.modifiers.append(tail[1])
        np.end = k + 3
    return np


def _arrangement_before(np: NounPhrase, items: list[Item], of_index: int) -> int:
    """Handle '<det> <count> <arrangement> of ...' in front of a noun; return where to go on."""
    before = items[of_index - 1] if of_index >= 1 else None
    if before is None:
        return -2
    if before.kind == "arrangement":
        np.arrangement = (str(before.value), before)
        np.modifiers.append(before)
        np.start = of_index - 1
        j = of_index - 2
        if j >= 0 and items[j].kind == "number":
            np.groups = max(1, int(float(items[j].value)))  # type: ignore[arg-type]
            np.modifiers.append(items[j])
            j -= 1
        return j
    if before.kind == "number" and before.words[-1] == "of":
        return of_index - 1  # "a couple of" already holds its "of"
    return -2


def _apply_modifier(np: NounPhrase, item: Item) -> None:
    if item.kind == "color":
        np.colors.insert(0, (str(item.value), item))
    elif item.kind == "shade":
        np.shade = float(item.value)  # type: ignore[arg-type]
        np.modifiers.append(item)
    elif item.kind == "varied_color":
        np.varied_color = item
    elif item.kind == "material" and np.material is None:
        np.material = (str(item.value), item)
    elif item.kind == "size" and np.scale is None:
        np.scale = (float(item.value), item)  # type: ignore[arg-type]
    elif item.kind == "number" and np.count is None:
        np.count = max(0, int(float(item.value)))  # type: ignore[arg-type]
    elif item.kind == "new":
        np.new = True
    elif item.kind == "static":
        np.static = item


def find_nouns(items: list[Item]) -> list[NounPhrase]:
    """Noun phrases for objects, floors and pronouns, in prompt order."""
    nouns: list[NounPhrase] = []
    for k, item in enumerate(items):
        if item.kind == "object" and item.value.needs_article and (  # type: ignore[union-attr]
                not _after_determiner(items, k) and not (k > 0 and items[k - 1].kind in (
                    "number", "color", "material", "size")) or (
                    k + 1 < len(items) and items[k + 1].kind == "prep"
                    and items[k + 1].value == "of" and item.words[-1] in lx.NOT_BEFORE_OF)):
            item.kind = "word"  # "on top", "the top of the ramp", "stand still"
            continue
        if item.kind == "object" and not _compound_modifier(items, k):
            nouns.append(_noun_phrase(items, k))
        elif item.kind in ("floor", "floor_noun") and not (
                item.kind == "floor_noun" and _compound_modifier(items, k)):
            nouns.append(_noun_phrase(items, k))
        elif item.kind == "pronoun":
            nouns.append(NounPhrase(item, None, k, k + 1))
    for before, np in zip(nouns, nouns[1:]):
        # "the ball and block": the article reaches over the conjunction
        between = items[before.end:np.start]
        if before.definite and not np.definite and between and all(
                i.words[0] in ("and", ",") for i in between):
            np.definite = True
    for np in nouns:
        following = items[np.end:np.end + 3]
        verb = next((i for i in following if i.kind == "verb"), None)
        if verb is not None and all(i.kind in ("stop", "word", "speed", "verb", "sudden")
                                    for i in following[:following.index(verb)]):
            first = verb.words[0]
            np.plural_verb = first == verb.value or first in ("fall", "roll", "drop", "bounce",
                                                              "slide", "hit", "collide")
    return nouns


# ---------------------------------------------------------------------------------------------
def _clause_marks(items: list[Item], tokens: list[Token]) -> tuple[list[int], list[int]]:
    """Clause number and time step of every item.

    A new sentence or a "then" starts a later step; "after X, Y" and "Y after X" put X first.
    """
    clause_of = [0] * len(items)
    step_of = [0] * len(items)
    clause = 0
    step = 0
    # (clause index where an "after" subordinate clause starts, whether it opened its sentence)
    after_starts: list[tuple[int, bool]] = []
    last_sentence = 0
    sentence_start = True
    for k, item in enumerate(items):
        sentence = tokens[item.start].sentence
        if sentence != last_sentence:
            last_sentence = sentence
            clause += 1
            step += 1
            sentence_start = True
        if item.kind == "punct" and item.value in (";", ":"):
            clause += 1
        elif item.kind == "punct" and item.value == ",":
            clause += 1
            # the clause after an opening "after X," happens later than X
            if after_starts and after_starts[-1][1] and after_starts[-1][0] == clause - 1:
                step += 1
                after_starts.pop()
        elif item.kind == "then":
            clause += 1
            step += 1
        elif item.kind == "after" and not _followed_by_time(items, k):
            clause += 1
            if sentence_start:
                after_starts.append((clause, True))
            else:
                after_starts.append((clause, False))
        clause_of[k] = clause
        step_of[k] = step
        if item.kind not in ("punct", "stop"):
            sentence_start = False
    # "Y after X" in mid-sentence: X (the subordinate clause) happens first, so move Y later.
    for start_clause, opened in after_starts:
        if opened:
            continue
        main = [k for k in range(len(items)) if clause_of[k] == start_clause - 1]
        for k in main:
            step_of[k] += 1
    return clause_of, step_of


def _followed_by_time(items: list[Item], k: int) -> bool:
    nxt = items[k + 1] if k + 1 < len(items) else None
    return nxt is not None and nxt.kind == "measure" and nxt.value[0] == "time"  # type: ignore


def _passive(items: list[Item], k: int) -> bool:
    j = k - 1
    while j >= 0 and (items[j].kind == "speed" or (items[j].kind == "word"
                                                   and items[j].words[0].endswith("ly"))
                      or items[j].words[0] in ("being", "been", "not", "then")):
        if items[j].words[0] in ("being", "been"):
            return True
        j -= 1
    return j >= 0 and items[j].words[0] in lx.BE_FORMS


def find_verbs(items: list[Item], tokens: list[Token], nouns: list[NounPhrase]
               ) -> tuple[list[VerbPhrase], list[tuple[NounPhrase, Prep]]]:
    """Motion verbs with subjects, objects and prepositional phrases; and static relations."""
    clause_of, step_of = _clause_marks(items, tokens)
    noun_at = {np.end - 1: np for np in nouns}  # last item index -> phrase
    noun_starting = {np.start: np for np in nouns}
    verbs: list[VerbPhrase] = []
    verb_indices = [k for k, item in enumerate(items) if item.kind == "verb"]
    for k in verb_indices:
        item = items[k]
        verbs.append(VerbPhrase(item, item.value, _passive(items, k),  # type: ignore[arg-type]
                                tokens[item.start].sentence, clause_of[k], step_of[k]))

    def governed(np: NounPhrase) -> Item | None:
        # "a close-up of a ball bouncing": what follows "of" is still the topic
        j = np.start - 1
        return items[j] if j >= 0 and items[j].kind == "prep" and items[j].value != "of" \
            else None

    # Subjects: ungoverned noun phrases between the previous verb (or clause start) and the verb.
    bounds = [-1] + verb_indices
    for n, verb in enumerate(verbs):
        k = verb_indices[n]
        lo = bounds[n]
        subjects = [np for np in nouns if lo < np.start and np.end - 1 < k
                    and governed(np) is None and not np.is_floor
                    and tokens[items[np.start].start].sentence == verb.sentence
                    and not any(np in v.objects for v in verbs[:n])]
        # Keep only the last run of conjoined subjects ("a ball and a box fall").
        verb.subjects = _last_conjoined(subjects, items)
        relative = _relative_subject(items, k, noun_at)
        if relative is not None:
            verb.subjects = [relative]
        elif verb.motion in ("rest", "hold") and verb.item.words[0].endswith(("ed", "ing")) \
                and (k - 1) in noun_at and not noun_at[k - 1].is_floor:
            # "a crate placed on a table", "a ball resting on a crate": a reduced relative
            verb.subjects = [noun_at[k - 1]]
    # Objects and prepositional phrases after the verb, up to the next verb or sentence end.
    for n, verb in enumerate(verbs):
        k = verb_indices[n]
        hi = verb_indices[n + 1] if n + 1 < len(verbs) else len(items)
        j = k + 1
        # object: a noun phrase right after the verb (adverbs may sit between)
        while j < hi and (items[j].kind in ("speed", "sudden") or items[j].kind == "word"
                          and items[j].words[0].endswith("ly")):
            j += 1
        if j < hi and j in noun_starting and not noun_starting[j].is_floor:
            first = noun_starting[j]
            verb.objects = [first]
            m = first.end
            while m + 1 < hi and items[m].words[0] in ("and", ",") and (m + 1) in noun_starting:
                verb.objects.append(noun_starting[m + 1])
                m = noun_starting[m + 1].end
        for m in range(k + 1, hi):
            prep = items[m]
            if prep.kind == "backboard" and tokens[prep.start].sentence == verb.sentence:
                verb.preps.append(Prep("backboard", prep, None))
                continue
            if prep.kind != "prep" or tokens[prep.start].sentence != verb.sentence:
                continue
            target = noun_starting.get(m + 1)
            if prep.value == "by" and target is not None and verb.passive:
                verb.agent = target
                continue
            owner = verb
            if verb.motion in ("rest", "hold") and prep.value in _PATH and n > 0 and \
                    verbs[n - 1].sentence == verb.sentence and verbs[n - 1].motion not in (
                    "rest", "hold") and verb.item.words[0].endswith(("ing", "ed")):
                owner = verbs[n - 1]  # "rolls out of a pipe sitting on the table towards X"
            unknown = target is None and any(i.kind == "word" for i in items[m + 1:m + 4])
            owner.preps.append(Prep(str(prep.value), prep, target, unknown))
    # Carry subjects over coordinated verbs in one sentence ("falls, hits the ground and
    # bounces") and through pronouns.
    for n, verb in enumerate(verbs):
        if not verb.subjects and n > 0 and verbs[n - 1].sentence == verb.sentence:
            previous = verbs[n - 1]
            carried = previous.subjects or previous.objects
            if previous.objects and not previous.passive and previous.subjects and all(
                    np.sense is None for np in previous.subjects):
                carried = previous.objects
            verb.subjects = list(carried)
            verb.carried_subject = True
    locations = _static_relations(items, nouns, noun_starting)
    return verbs, locations


def _relative_subject(items: list[Item], k: int, noun_at: dict[int, NounPhrase]
                      ) -> NounPhrase | None:
    """'a block which is balanced on ...': the noun before 'which' is the subject."""
    j = k - 1
    while j >= 0 and k - j <= 4:
        item = items[j]
        if item.kind == "stop" and item.words[0] in ("which", "that", "who"):
            return noun_at.get(j - 1) if j >= 1 and items[j - 1].kind != "punct" else (
                noun_at.get(j - 2) if j >= 2 else None)
        if item.kind not in ("stop", "word", "speed", "sudden"):
            return None
        j -= 1
    return None


def _last_conjoined(nouns: list[NounPhrase], items: list[Item]) -> list[NounPhrase]:
    if not nouns:
        return []
    run = [nouns[-1]]
    for np in reversed(nouns[:-1]):
        between = items[np.end:run[0].start]
        if all(i.kind == "punct" and i.value == "," or i.words[0] in ("and", "both", "together")
               or i.kind == "word" and lx.looks_adjective(i.words[0]) for i in between):
            run.insert(0, np)
        else:
            break
    return run


def _static_relations(items: list[Item], nouns: list[NounPhrase],
                      noun_starting: dict[int, NounPhrase]) -> list[tuple[NounPhrase, Prep]]:
    """'a ball on a table', 'two balls are on the table': a noun (or nouns joined by 'and'),
    perhaps a form of 'be', a preposition and a noun, with no verb in between."""
    out: list[tuple[NounPhrase, Prep]] = []
    for n, np in enumerate(nouns):
        m = np.end
        # "a glass of water on a table": the "of" complement belongs to the noun
        if m + 1 < len(items) and items[m].kind == "prep" and items[m].value == "of" and \
                items[m + 1].kind == "word":
            m += 2
        while m < len(items) and items[m].kind == "stop" and items[m].words[0] in (
                lx.BE_FORMS | {"both", "all", "each", "there"}):
            m += 1
        if m < len(items) and items[m].kind == "prep":
            target = noun_starting.get(m + 1)
            if target is not None or items[m].value in ("off", "down", "up"):
                prep = Prep(str(items[m].value), items[m], target)
                owners = _last_conjoined(nouns[:n + 1], items) if m > np.end else [np]
                out += [(owner, prep) for owner in owners if not owner.is_floor]
    return out


# ---------------------------------------------------------------------------------------------
def _attach_adverbs(items: list[Item], verbs: list[VerbPhrase], clause_of: list[int]) -> None:
    """Speeds, heights, distances and delays belong to the nearest verb in their clause."""
    if not verbs:
        return
    index_of = {id(v.item): k for k, v in enumerate(verbs)}
    positions = [next(k for k, it in enumerate(items) if it is v.item) for v in verbs]

    def nearest(k: int) -> VerbPhrase:
        same = [v for v, p in zip(verbs, positions) if clause_of[p] == clause_of[k]]
        pool = same or verbs
        return min(pool, key=lambda v: (abs(positions[index_of[id(v.item)]] - k),
                                        positions[index_of[id(v.item)]] > k))

    for k, item in enumerate(items):
        if item.kind == "speed":
            nearest(k).speed.append((float(item.value), item))  # type: ignore[arg-type]
        elif item.kind == "height":
            verb = nearest(k)
            if verb.height is None:
                verb.height = (float(item.value), [item])  # type: ignore[arg-type]
        elif item.kind == "measure":
            quantity, value = item.value  # type: ignore[misc]
            prev = items[k - 1] if k > 0 else None
            nxt = items[k + 1] if k + 1 < len(items) else None
            verb = nearest(k)
            if quantity == "speed":
                verb.speed_si = (value, [item] + ([prev] if prev and prev.kind == "prep" else []))
            elif quantity == "length":
                prev_word = prev.words[-1] if prev is not None else ""
                next_word = nxt.words[0] if nxt is not None else ""
                if prev_word in ("from", "of") or next_word in ("high", "tall", "up", "above",
                                                                 "height"):
                    extra = [i for i in (prev, nxt) if i is not None and i.words[-1] in
                             ("from", "of", "high", "tall", "above", "height")]
                    verb.height = (value, [item] + extra)
                elif next_word in ("away", "apart", "from", "across", "long"):
                    verb.distance = (value, [item] + ([nxt] if nxt is not None else []))
            elif quantity == "time" and prev is not None and prev.kind == "after":
                verb.delay = (value, [item, prev])


def _find_duration(items: list[Item]) -> tuple[float, list[Item]] | None:
    """'for 5 seconds', 'a 6-second clip', 'in 4 s': how long the clip should be."""
    for k, item in enumerate(items):
        if item.kind != "measure" or item.value[0] != "time":  # type: ignore[index]
            continue
        prev = items[k - 1] if k > 0 else None
        nxt = items[k + 1] if k + 1 < len(items) else None
        if prev is not None and prev.words[-1] in ("for", "lasting", "lasts", "of"):
            return float(item.value[1]), [item, prev]  # type: ignore[index]
        if nxt is not None and nxt.words[0] in ("video", "clip", "long", "film", "scene",
                                               "movie", "animation"):
            return float(item.value[1]), [item, nxt]  # type: ignore[index]
    return None


def _noun_word(item: Item | None) -> bool:
    return item is not None and item.kind == "word" and item.words[0].isalpha() \
        and len(item.words[0]) > 2 and noun_kind(str(item.value)) is not None


def ground_by_meaning(items: list[Item]) -> None:
    """Unknown nouns in noun phrases ("a kettle", "two bottles") become the asset nearest in
    meaning (director.wordnet), marked as standing in for them; two unknown nouns in a row are
    tried as one compound first ("a watering can"). A noun followed by another is a modifier
    ("a kettle lid"), not a thing of its own."""
    k = 0
    while k < len(items):
        item = items[k]
        nxt = items[k + 1] if k + 1 < len(items) else None
        placed = item.kind == "word" and (_after_determiner(items, k) or k > 0 and
                                          items[k - 1].kind in ("number", "many"))
        if not placed:
            k += 1
            continue
        if _noun_word(nxt):
            found = stand_in(f"{item.value} {nxt.value}")
            if found is not None:
                items[k:k + 2] = [_stand_in_item(item, nxt, found)]
            k += 2
            continue
        if _noun_word(item):
            found = stand_in(str(item.value))
            if found is not None:
                items[k] = _stand_in_item(item, item, found)
        k += 1


def _stand_in_item(first: Item, last: Item, found: StandIn) -> Item:
    sense = lx.ObjectSense(found.asset, stands_for=found.word, kind=found.kind)
    entry = lx.Entry("object", sense)
    words = first.words + (last.words if last is not first else ())
    return Item(first.start, last.end, "object", sense, words, (entry,))


def parse(text: str) -> Parse:
    """Parse a prompt into noun phrases, verbs, relations and scene-wide wishes."""
    tokens = tokenize(text)
    items = match_items(tokens)
    disambiguate(items)
    ground_by_meaning(items)
    nouns = find_nouns(items)
    verbs, locations = find_verbs(items, tokens, nouns)
    clause_of, _ = _clause_marks(items, tokens)
    _attach_adverbs(items, verbs, clause_of)
    floors = [np for np in nouns if np.is_floor]

    def of_kind(kind: str) -> list[Item]:
        return [item for item in items if item.kind == kind]

    # "a kitchen counter", "an office desk": furniture stands in the place that names it (a
    # "beach ball" is a kind of ball, and stays one). The place word stays in the noun phrase.
    implied_places = []
    for item, nxt in pairwise(items):
        if item.kind == "word" and "setting" in _kinds(item) and _is_furniture(nxt):
            item.value = _value(item, "setting")
            implied_places.append(item)

    return Parse(
        tokens=tokens, items=items, nouns=nouns, verbs=verbs, locations=locations,
        settings=of_kind("setting") + implied_places, floors=floors, gravity=of_kind("gravity"),
        camera=of_kind("camera"), cuts=of_kind("cut"), silent=of_kind("silent"),
        stagger=of_kind("stagger"), together=of_kind("together"),
        duration=_find_duration(items),
    )
