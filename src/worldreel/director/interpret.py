"""From a parse to a story: which things exist, who moves how, towards what, and when.

This is where English turns into intent, before any coordinates: "a basketball bounces off the
backboard and falls to the floor" becomes one ball thrown at a hoop with aim "miss"; the fall is
a consequence the physics will play, not a second action. Each movable thing gets at most one
initiating motion; later verbs about it refine that motion (a target, an aim, a support).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from worldreel.assets import ASSETS, ENVIRONMENTS
from worldreel.director import lexicon as lx
from worldreel.director.parser import Item, NounPhrase, Parse, Prep, VerbPhrase
from worldreel.director.wordnet import base_form

MotionKind = Literal["drop", "throw", "roll", "push", "topple", "collide", "spin", "swing",
                     "drape", "hammer", "static"]

# Verb meanings that start a motion, and those that only describe one already under way.
INITIATING = frozenset({"drop", "throw", "roll", "push", "move", "bounce", "hit", "topple",
                        "score", "miss", "bank", "spin"})
CONSEQUENCES = frozenset({"land", "fly", "float", "sink", "break"})
STATIC = frozenset({"rest", "hold"})
HOOP_VERBS = frozenset({"score", "miss", "bank"})

# Relations a static noun-preposition-noun phrase can express about placement.
PLACEMENT_RELATIONS = frozenset({"on", "in", "above", "under", "near", "by", "front", "behind",
                                 "left", "right", "edge", "over", "off"})

MAX_COUNT = {"domino": 40}
DEFAULT_DOMINOES = 8  # "dominoes", "a domino chain": enough for a visible wave
DEFAULT_ROW = 4  # "a row of blocks", "a stack of crates"
DEFAULT_MAX_COUNT = 12
MAX_FIXED_COUNT = 2  # tables, walls, ramps: a scene needs one or two


@dataclass
class Thing:
    """One grounded object (or a set of identical ones) before it has coordinates."""

    key: int
    sense: lx.ObjectSense
    count: int = 1
    colors: list[str] = field(default_factory=list)
    varied_color: bool = False
    material: str | None = None
    scale: float = 1.0
    arrangement: str | None = None
    groups: int = 1
    static: bool = False
    sized: bool = False  # the prompt said how big ("small", "giant")
    location: tuple[str, "Thing | None"] | None = None  # ("on", table), ("off", None), ...
    words: list[str] = field(default_factory=list)
    setup: str | None = None  # a classic arrangement (assets.setups): rack, pins, tower, wall
    levels: int = 0  # a tower's levels, a wall's rows
    columns: int = 0  # a wall's bricks along a row
    rig_of: Thing | None = None  # the frame or fulcrum of this rig (placed with it)

    @property
    def asset(self) -> str:
        return self.sense.asset

    @property
    def is_ball(self) -> bool:
        return ASSETS[self.asset].parts[0].shape == "sphere" and not ASSETS[self.asset].fixed \
            and not self.is_rig and self.setup is None and self.asset != "soft_ball"

    @property
    def is_rig(self) -> bool:
        """Hung, hinged or draped: staged by its own template (a pendulum on its gantry)."""
        return lx.is_rig(self.asset)

    @property
    def swings(self) -> bool:
        return self.is_rig and self.asset not in ("seesaw", "cloth")

    @property
    def movable(self) -> bool:
        return not ASSETS[self.asset].fixed or self.is_rig or self.asset in lx.SWINGING

    @property
    def is_row(self) -> bool:
        """Dominoes, or anything asked for in a row, stand in a line."""
        return (self.asset == "domino" and self.count > 1) or (
            self.arrangement == "row" and self.count > 1 and not self.is_ball)

    @property
    def stackable(self) -> bool:
        """Boxes stack; balls, vases and furniture do not."""
        parts = [p for p in ASSETS[self.asset].parts if p.collides]
        return self.movable and bool(parts) and all(
            p.shape == "box" and not any(p.euler) for p in parts)

    def half_xy(self) -> tuple[float, float]:
        lo, hi = ASSETS[self.asset].bounds()
        return (hi[0] - lo[0]) / 2 * self.scale, (hi[1] - lo[1]) / 2 * self.scale

    def can_hold(self, other: "Thing") -> bool:
        """Whether `other` can stand on this thing: furniture holds anything movable (and an
        incline); an incline holds balls and boxes; a box holds what is not much wider."""
        if self is other or self.is_hoop or self.is_ball:
            return False
        anchors = set(ASSETS[self.asset].anchors)
        incline = {"top", "bottom"} <= anchors
        if not other.movable:
            # furniture on furniture: only an incline on a table-like top
            return not self.movable and "top" in anchors and not incline and \
                {"top", "bottom"} <= set(ASSETS[other.asset].anchors)
        if incline:
            return other.is_ball or other.stackable
        if not self.movable:
            return True
        mine, theirs = self.half_xy(), other.half_xy()
        return self.stackable and mine[0] >= 0.6 * theirs[0] and mine[1] >= 0.6 * theirs[1]

    @property
    def is_hoop(self) -> bool:
        return "rim" in ASSETS[self.asset].anchors

    @property
    def label(self) -> str:
        return self.asset.replace("_", " ")

    @property
    def plural(self) -> str:
        return self.label + ("es" if self.label.endswith(("o", "s", "x", "ch", "sh")) else "s")


@dataclass
class Motion:
    """What one or more movers do; `kind` decides the layout template and the action."""

    movers: list[Thing]
    kind: MotionKind
    step: int = 0
    target: Thing | None = None
    to_floor: bool = False  # thrown at / dropped onto the floor
    support: Thing | None = None  # the mover starts on top of this
    off_edge: bool = False  # ... near its edge, heading over it
    aim_cues: set[str] = field(default_factory=set)
    height: float | None = None
    distance: float | None = None
    speed_factor: float = 1.0
    speed: float | None = None
    delay: float = 0.0
    stagger: bool = False
    verbs: list[VerbPhrase] = field(default_factory=list)
    flavour: str | None = None  # kick | slide | pull: which action plays the template
    blows: int | None = None  # hammer: how many times it strikes ("with several blows")

    @property
    def aim(self) -> str:
        """The Throw aim for a hoop: bank > make > miss; a plain shot goes in."""
        cues = self.aim_cues
        if "bank" in cues or ("make" in cues and "rebound" in cues):
            return "bank"
        if "miss" in cues or ("rebound" in cues and "make" not in cues):
            return "miss"
        return "make"


@dataclass
class ShotWords:
    """One shot of a storyboard: what the words between two cuts ask of the camera, and the
    things they name (the first is what the shot is of, unless something moves in it)."""

    start: int  # token index where its words begin
    camera: dict[str, object] = field(default_factory=dict)
    things: list[Thing] = field(default_factory=list)


@dataclass
class Story:
    """The grounded meaning of a prompt, ready for layout."""

    things: list[Thing]
    motions: list[Motion]
    environment: str | None
    floor_material: str | None
    gravity: float | None
    camera: dict[str, object]
    silent: bool
    duration: float | None
    notes: list[str]
    water_level: float | None = None
    medium: str | None = None  # "vacuum" or "air" when the prompt says so
    look: dict[str, object] = field(default_factory=dict)  # Setting style fields
    slow_motion: int = 1  # the world filmed this many times slower than it plays
    time_lapse: list[Item] = field(default_factory=list)  # the words asking for a time-lapse
    storyboard: list[ShotWords] = field(default_factory=list)  # shots cut together, in order
    breaking: list[Thing] = field(default_factory=list)  # things the prompt says break
    floating: list[Thing] = field(default_factory=list)  # things said to float or sink
    sea: str | None = None  # open water by a shore: "into" (things go into it) or "by" it
    # The things each noun phrase names, by the item index of its head (people's deeds aim at
    # them: "kicks the ball", "throws it").
    things_at: dict[int, list[Thing]] = field(default_factory=dict)


class _Resolver:
    """Maps noun phrases (and pronouns) to things, creating things for new mentions."""

    def __init__(self, parse: Parse) -> None:
        self.parse = parse
        self.things: list[Thing] = []
        self.of_np: dict[int, list[Thing]] = {}
        self.mentioned: list[Thing] = []  # things in order of mention, for pronouns
        self.before: dict[int, list[Thing]] = {}
        self.last_movers: list[Thing] = []
        self.parse_notes: list[str] = []
        self.has_ball = any(np.sense is not None and not np.sense.weak
                            and ASSETS[np.sense.asset].parts[0].shape == "sphere"
                            for np in parse.nouns)
        # golf: a golf ball, a putting green or a putt named ("the cup" is then the hole)
        self.golf = any(_is_putt(v) for v in parse.verbs) or any(
            np.sense is not None and np.sense.asset in GOLF_ASSETS for np in parse.nouns)
        self.has_ball = self.has_ball or self.golf
        self.bare_ball = lx.bare_ball([t.text for t in parse.tokens],
                                     [t.lemma for t in parse.tokens])

    def resolve_all(self) -> None:
        for np in self.parse.nouns:
            if np.is_floor:
                continue
            if np.is_pronoun:
                self.before[id(np)] = list(self.mentioned)
            things = self._resolve(np)
            self.of_np[id(np)] = things
            for thing in things:
                if thing in self.mentioned:
                    self.mentioned.remove(thing)
                self.mentioned.append(thing)

    def hoop(self, create: bool) -> Thing | None:
        """The hoop of the scene; a shot that names none gets one ("a ball swishes")."""
        for thing in self.things:
            if thing.is_hoop:
                return thing
        if not create or "basketball_hoop" not in ASSETS:
            return None
        thing = Thing(len(self.things), lx.ObjectSense("basketball_hoop"))
        self.things.append(thing)
        self.parse_notes.append("added a basketball hoop for the shot")
        return thing

    def tool(self, asset: str) -> Thing:
        """The scene's `asset` (a hammer), added when the verb implies it ("hammers a nail")."""
        for thing in self.things:
            if thing.asset == asset:
                return thing
        thing = Thing(len(self.things), lx.ObjectSense(asset))
        self.things.append(thing)
        self.parse_notes.append(f"added a {asset} to do the {asset}ing")
        return thing

    def golf_thing(self, asset: str) -> Thing | None:
        """The scene's golf ball or putting green; one is added for a putt that names none
        ("a golfer sinks a putt")."""
        for thing in self.things:
            if thing.asset == asset:
                return thing
        if asset not in ASSETS:
            return None
        thing = Thing(len(self.things), lx.ObjectSense(asset))
        self.things.append(thing)
        self.parse_notes.append(f"added a {thing.label} for the putt")
        return thing

    def things_of(self, np: NounPhrase | None) -> list[Thing]:
        if np is None:
            return []
        return self.of_np.get(id(np), [])

    def _resolve(self, np: NounPhrase) -> list[Thing]:
        if np.is_pronoun:
            return self._pronoun(np)
        sense = np.sense
        assert sense is not None
        if self.golf and sense.asset == "mug" and np.head.words[-1] in ("cup", "cups") and \
                "putting_green" in ASSETS:
            sense = np.sense = np.head.value = lx.ObjectSense("putting_green")  # the hole
        if sense.weak and not self.has_ball:
            return []  # "a net", "a basket" without a ball to shoot: not a hoop
        if self.bare_ball is not None and np.head.words in (("ball",), ("balls",)) and \
                sense == lx.ObjectSense("basketball") and self.bare_ball in ASSETS:
            sense = np.sense = np.head.value = lx.ObjectSense(self.bare_ball)  # "kicks a ball"
        existing = self._antecedent(np, sense)
        if existing is not None:
            self._mark(np)
            self._merge(existing, np)
            return [existing]
        thing = Thing(len(self.things), sense)
        self._merge(thing, np, new=True)
        self._mark(np)
        self.things.append(thing)
        return [thing]

    def _mark(self, np: NounPhrase) -> None:
        np.head.used = True
        for item in np.modifiers:
            if item.kind != "word":
                item.used = True

    def _antecedent(self, np: NounPhrase, sense: lx.ObjectSense) -> Thing | None:
        # A fixed prop named twice is one prop ("a hoop ... the backboard"); a movable one
        # is the same only when the phrase is definite and does not ask for another.
        generic_ball = np.head.words[-1] in ("ball", "balls")
        candidates = [t for t in self.things if t.asset == sense.asset
                      or (generic_ball and (t.is_ball or t.setup == "rack")
                          and sense.asset == "basketball")]
        # a rack of pool balls and the cue ball are different things of one asset
        candidates = [t for t in candidates if {t.setup, sense.setup} != {None, "rack"}
                      or (generic_ball and t.setup == "rack" and np.plural)]
        if not candidates:
            return None
        others = any(m.words[0] == "other" for m in np.modifiers)
        if others and np.definite:
            # "the other two balls": the ones before the latest, of the right number
            earlier = candidates[:-1] or candidates
            if np.count is not None:
                earlier = [t for t in earlier if t.count == np.count] or earlier
            return earlier[-1]
        if np.count is not None and np.definite:
            counted = [t for t in candidates if t.count == np.count]
            if counted:
                return counted[-1]
        thing = candidates[-1]
        if thing.is_hoop or (not thing.movable and np.definite):
            return thing
        if np.new or not np.definite:
            return None
        colors = [c for c, _ in np.colors]
        if colors:
            matching = [t for t in candidates if not t.colors or t.colors[0] == colors[0]]
            return matching[-1] if matching else None
        return thing

    def _merge(self, thing: Thing, np: NounPhrase, new: bool = False) -> None:
        sense = thing.sense
        if new:
            thing.count = np.count if np.count is not None else (
                DEFAULT_DOMINOES if np.head.words[-1] in ("dominoes", "dominos") else 1)
            if np.count is None and np.arrangement is not None and thing.asset == "domino":
                thing.count = DEFAULT_DOMINOES
            if np.count is None and np.plural and thing.count == 1 and thing.asset != "domino":
                thing.count = 2 if thing.movable else 1  # "balls": a few; "tables": one will do
                if np.arrangement is not None and thing.movable:
                    thing.count = DEFAULT_ROW  # "a row of blocks"
            limit = MAX_COUNT.get(thing.asset, DEFAULT_MAX_COUNT if thing.movable else
                                  MAX_FIXED_COUNT)
            if thing.is_hoop:
                limit = 1
            if thing.count > limit:
                self.parse_notes.append(
                    f"{thing.count} {thing.plural} are more than this director lays out; "
                    f"using {limit}")
                thing.count = limit
            if len(np.colors) >= 2 and np.count is None and np.arrangement is None and (
                    np.plural_verb and not np.plural):
                thing.count = len(np.colors)  # "a red and blue ball roll": two balls
            elif len(np.colors) >= 2 and np.count is None and np.plural and \
                    thing.asset != "domino":
                thing.count = max(thing.count, len(np.colors))
            thing.count = max(1, thing.count)
            thing.material = sense.material
            thing.scale = sense.scale
            thing.setup = sense.setup
            if sense.color:
                thing.colors = [sense.color]
        colors = [_shade(c, np.shade) for c, _ in np.colors]
        if colors:
            thing.colors = colors
        if np.varied_color is not None:
            thing.varied_color = True
            np.varied_color.used = True
        if np.material is not None:
            material = np.material[0]
            thing.material = None if material == ASSETS[sense.asset].material else material
        if np.scale is not None:
            thing.scale = sense.scale * np.scale[0]
            thing.sized = True
        if np.arrangement is not None:
            thing.arrangement = np.arrangement[0]
            thing.groups = np.groups
        if np.static is not None:
            thing.static = True
        thing.words.append(np.head.text)

    def _pronoun(self, np: NounPhrase) -> list[Thing]:
        """'it' is the latest single thing that moved or was named; 'they' needs more than one."""
        many = lx.PRONOUNS.get(np.head.text) == "many"
        recent = [t for t in reversed(self.mentioned) if t.movable]
        if many:
            if len(self.last_movers) > 1 or (self.last_movers and self.last_movers[0].count > 1):
                found = list(self.last_movers)
            else:
                found = [t for t in recent if t.count > 1][:1]
        else:
            found = [t for t in reversed(self.last_movers) if t.count == 1][:1] or [
                t for t in recent if t.count == 1][:1]
        if found:
            np.head.used = True
        return found


def _shade(hex_color: str, amount: float) -> str:
    """Lighten (amount > 0) or darken (< 0) an #rrggbb colour."""
    if not amount:
        return hex_color
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    if amount > 0:
        rgb = [round(c + (255 - c) * amount) for c in rgb]
    else:
        rgb = [round(c * (1 + amount)) for c in rgb]
    return "#" + "".join(f"{max(0, min(255, c)):02x}" for c in rgb)


# ---------------------------------------------------------------------------------------------
@dataclass
class _Reading:
    """What one verb says about its movers."""

    verb: VerbPhrase
    movers: list[Thing]
    meaning: str  # the verb's lexicon motion
    target: Thing | None = None
    to_floor: bool = False
    support: Thing | None = None
    off_edge: bool = False
    above: Thing | None = None
    rest_on: tuple[str, Thing] | None = None  # where a thing at rest is
    placed_unknown: bool = False
    aim_cues: set[str] = field(default_factory=set)
    used: list[Item] = field(default_factory=list)
    each_other: bool = False
    flavour: str | None = None
    broken: list[Thing] = field(default_factory=list)  # what this strike breaks


def _read_verb(verb: VerbPhrase, res: _Resolver, parse: Parse) -> _Reading | None:
    subjects = [t for np in verb.subjects for t in res.things_of(np)]
    objects = [t for np in verb.objects for t in res.things_of(np)]
    agent = res.things_of(verb.agent)
    meaning = verb.motion
    broken: list[Thing] = []
    if meaning == "break" and objects and not verb.passive and any(t.movable for t in subjects):
        # "the ball breaks the window": a strike, and what it strikes breaks (a rack "breaks"
        # by scattering)
        meaning = "hit"
        broken = [t for t in objects if t.setup is None]
    direct_target: Thing | None = None
    each_other = any(np.head.text == "each other" for np in verb.objects)
    if verb.passive:
        if agent and any(t.movable for t in agent):
            movers, direct_target = agent, (subjects[0] if subjects else None)
        else:
            movers = subjects
    elif any(t.movable for t in subjects):
        movers = [t for t in subjects if t.movable]
        if objects and meaning in INITIATING | {"land"}:
            direct_target = objects[0]
    elif objects:
        movers = objects
    else:
        movers = subjects
    instrument = None
    if not any(t.movable for t in movers) and meaning in INITIATING and not verb.passive:
        # "scores with a basketball", "hits the crate with a ball": the thing used moves
        for prep in verb.preps:
            used = [t for t in res.things_of(prep.target) if t.movable]
            if prep.relation == "with" and used:
                instrument = prep
                if movers and direct_target is None and not movers[0].movable:
                    direct_target = movers[0]
                movers = used
                if objects and direct_target is None:
                    direct_target = objects[0]
                break
    putt = _is_putt(verb)
    if putt and not any(t.movable and t.is_ball for t in movers):
        ball = res.golf_thing("golf_ball")  # "a golfer sinks a putt": the ball is implied
        movers = [ball] if ball is not None else movers
    # Furniture, walls and hoops stay put in this director; the verb is then not grounded.
    movers = [t for t in movers if t.movable or meaning in STATIC]
    if not movers:
        return None
    if meaning == "sink" and (any(t.is_hoop for t in res.things) or any(
            t.is_hoop for t in objects)):
        meaning = "score"  # "sinks a basket"
    if meaning == "sink" and res.golf and any(t.is_ball for t in movers):
        meaning = "score"  # "the ball sinks into the cup": holed, not under water
    if meaning == "score" and lx.lemma(verb.item.words[0]) == "drop" and not any(
            t.is_hoop for t in res.things):
        meaning = "drop"  # "dropped in a vacuum chamber": no basket to drop into
    if meaning == "score" and verb.item.words[0].startswith("mak") and not (
            direct_target is not None and direct_target.is_hoop) and not any(
            t.is_hoop for t in res.things):
        return None  # "makes a sound": "make" means a basket only next to a hoop
    lemma = lx.lemma(verb.item.words[0]) if verb.item.words else ""
    nails = [t for t in movers + objects if t.asset == "nail"]
    if lemma in HAMMERING_VERBS and nails and not any(m.asset == "hammer" for m in movers):
        movers, direct_target = [res.tool("hammer")], nails[0]  # "hammers a nail in": a hammer
    reading = _Reading(verb, movers, meaning, each_other=each_other, broken=broken)
    reading.flavour = lx.FLAVOURS.get(lemma)
    phrase = " ".join(lx.lemma(w) for w in verb.item.words)
    swing = lx.SWING_FLAVOURS.get(phrase, lx.SWING_FLAVOURS.get(lemma))
    if swing is not None and any(m.asset in lx.SWINGING for m in movers):
        reading.flavour = swing  # "the door slams": a push that swings it shut, hard
        reading.meaning = "push"
    elif lemma in lx.SWING_ONLY:
        return None  # "the phone rings": nothing here makes that sound
    if lemma == "shoot" and any(m.asset == "soccer_ball" for m in movers) and not any(
            t.is_hoop for t in res.things):
        reading.flavour = "kick"  # "shoots the football at the goal"
    if instrument is not None:
        reading.used.append(instrument.item)
    if direct_target is not None and direct_target not in movers:
        reading.target = direct_target
    for prep in verb.preps:
        _read_prep(reading, prep, res)
    _read_putt(reading, res, putt)
    if meaning in HOOP_VERBS and reading.target is None and any(m.is_ball for m in movers):
        lemma = parse.tokens[verb.item.start].lemma
        strong = lemma in lx.HOOP_IMPLYING or " ".join(verb.item.words) in lx.HOOP_IMPLYING or (
            meaning == "score" and any("basketball" in w for m in movers for w in m.words))
        hoop = res.hoop(create=strong)
        if hoop is not None:
            reading.target = hoop
    if meaning == "score":
        reading.aim_cues.add("make")
    elif meaning == "miss":
        reading.aim_cues.add("miss")
    elif meaning == "bank":
        reading.aim_cues.add("bank")
    if reading.target is not None and reading.target.is_hoop:
        if meaning in ("bounce", "hit") and "make" not in reading.aim_cues:
            reading.aim_cues.add("rebound")
    reading.used.append(verb.item)
    return reading


GOLF_ASSETS = frozenset({"golf_ball", "putting_green"})
PUTT_MEANINGS = frozenset({"roll", "push", "move", "hit", "score", "miss", "sink"})


def _is_putt(verb: VerbPhrase) -> bool:
    """'putts', 'taps in', 'sinks a putt': a putting verb."""
    return " ".join(lx.lemma(w) for w in verb.item.words) in lx.PUTTS


def _holed(thing: Thing | None) -> bool:
    return thing is not None and "hole" in ASSETS[thing.asset].anchors


def _read_putt(reading: _Reading, res: _Resolver, putt: bool) -> None:
    """A putt, or a ball rolled at a hole (or holed, or missing it on a green), rolls along the
    putting green into its hole: the green is its target (one is added for a putt)."""
    balls = [m for m in reading.movers if m.is_ball]
    named = any("putt" in w for m in balls for w in m.words)  # "a putt rolls in"
    aimed = _holed(reading.target) or _holed(reading.support)
    if not balls or not (putt or named or (aimed and reading.meaning in PUTT_MEANINGS) or (
            res.golf and reading.meaning in HOOP_VERBS)):
        return
    green = next((t for t in (reading.target, reading.support) if _holed(t)), None) or \
        res.golf_thing("putting_green")
    if green is None:
        return
    reading.target, reading.flavour = green, "putt"
    if reading.support is green:
        reading.support = None


def _read_prep(reading: _Reading, prep: Prep, res: _Resolver) -> None:
    relation = prep.relation
    meaning = reading.meaning
    if prep.target is not None and prep.target.is_floor:
        if relation in ("on", "to", "toward", "at", "into", "in", "down", "across", "over"):
            reading.to_floor = True
            reading.used += [prep.item, prep.target.head]
        return
    targets = [t for t in res.things_of(prep.target) if t not in reading.movers]
    if prep.target is not None and prep.target.is_pronoun and prep.target.head.text != \
            "each other":
        # "a ball is dropped onto it": the latest thing mentioned that is not the mover
        earlier = [t for t in reversed(res.before.get(id(prep.target), []))
                   if t not in reading.movers]
        targets = earlier[:1]
        if targets:
            prep.target.head.used = True
    if prep.target is not None and prep.target.head.text == "each other":
        reading.each_other = True
        reading.used.append(prep.item)
        return
    if relation == "backboard":
        hoop = res.hoop(create=any(m.is_ball for m in reading.movers))
        if hoop is not None:
            reading.target = hoop
            reading.aim_cues.add("rebound")
            reading.used.append(prep.item)
        return
    if not targets:
        if prep.unknown and meaning in STATIC and relation in ("on", "in", "into", "above"):
            reading.placed_unknown = True  # "placed on a turntable": somewhere we cannot show
        if prep.target is None and relation in ("off", "down"):
            reading.off_edge = relation == "off"
            reading.used.append(prep.item)
        return
    other = targets[0]
    used = True
    if meaning in STATIC:
        # at rest: only where it rests says anything (the first place named)
        if reading.rest_on is not None or reading.above is not None or reading.placed_unknown:
            return
        if relation in ("on", "in", "into", "edge", "against"):
            reading.rest_on = (("edge" if relation == "edge" else "on"), other)
        elif relation in ("above", "over"):
            reading.above = other
        elif relation in ("near", "by", "front", "behind", "left", "right", "under", "toward"):
            reading.rest_on = ("near" if relation == "toward" else relation, other)
        else:
            used = False
        if used:
            reading.used.append(prep.item)
        return
    if reading.target is not None and reading.target.asset == "nail" and not other.movable \
            and relation in ("into", "in", "on"):
        reading.target.location = ("in", other)  # "drives a nail into a board"
        reading.used.append(prep.item)
        return
    if relation in ("off", "from"):
        if other.is_hoop or (meaning in ("bounce", "hit") and other.asset == "wall"):
            reading.target = other
            if other.is_hoop:
                reading.aim_cues.add("rebound")
        elif all(other.can_hold(m) for m in reading.movers):
            reading.support, reading.off_edge = other, True
        else:
            used = False
    elif relation == "down":
        if not all(other.can_hold(m) for m in reading.movers):
            return
        reading.support = other
        reading.off_edge = other.asset != "ramp"
    elif relation in ("on", "in") and reading.target is not None and not reading.target.is_hoop \
            and (reading.target.location is None or reading.target.location[1] is other) and \
            other.can_hold(reading.target) and not other.is_hoop:
        reading.target.location = ("on", other)  # "hits the rack on the pool table"
    elif relation in ("on", "in", "into", "onto", "edge"):
        if other.is_hoop:
            reading.target = other
            reading.aim_cues.add("make")
        elif meaning in ("roll", "push", "move") and relation in ("on", "edge") and all(
                other.can_hold(m) for m in reading.movers):
            reading.support = other
            reading.off_edge = reading.off_edge or relation == "edge"
        elif relation == "edge" and all(other.can_hold(m) for m in reading.movers):
            reading.support, reading.off_edge = other, True
        else:
            reading.target = other
    elif relation in ("at", "toward", "to", "through"):
        reading.target = other
        if other.is_hoop and relation == "through":
            reading.aim_cues.add("make")
    elif relation == "across":
        if not other.movable and all(other.can_hold(m) for m in reading.movers):
            reading.support = other
        else:
            reading.target = other
    elif relation in ("above", "over") and meaning in ("hold", "rest", "drop", "bounce"):
        reading.above = other
    elif relation in ("near", "by", "front", "behind", "left", "right", "under"):
        for mover in reading.movers:
            if mover.location is None:
                mover.location = (relation, other)
    else:
        used = False
    if used:
        reading.used += [prep.item]


# ---------------------------------------------------------------------------------------------
def _kind_for(reading: _Reading, mover: Thing) -> MotionKind:
    """The motion template for a reading, given what the mover is."""
    meaning = reading.meaning
    target = reading.target
    if mover.asset == "hammer" and target is not None and target.asset == "nail":
        return "hammer"  # swung down onto the nail's head, as many times as it says
    if mover.is_row and meaning in ("drop", "topple", "push", "hit", "move", "roll"):
        return "topple"
    if reading.flavour == "putt" and mover.is_ball:
        return "roll"  # along the green to its hole (layout: _putt)
    if target is not None and target.is_hoop:
        return "throw"
    if meaning in HOOP_VERBS:
        return "static"  # "the stone sinks": no hoop, no shot
    if meaning == "throw":
        if reading.flavour == "kick" and mover.is_ball:
            return "roll"  # a kick starts on the ground; the flavour makes it a Kick
        return "throw"
    if meaning == "spin" or (mover.asset == "top" and meaning in ("topple", "drop", "move")):
        return "spin"  # a top is spun; it wobbles and falls by itself
    if meaning in ("roll", "push", "move"):
        return "roll" if mover.is_ball else "push"
    if meaning == "topple":
        if not mover.is_ball and target is None and reading.support is None:
            return "topple"
        return "push" if target is None or not mover.is_ball else "roll"
    if meaning in ("hit", "bounce"):
        if target is not None and not reading.off_edge:
            if meaning == "bounce" and target.asset != "wall" and target.movable is False \
                    and target.asset != "ramp":
                return "drop"  # "bounces on the table"
            if meaning == "bounce" and target.movable and target.asset == "crate":
                return "drop"
            return "roll" if mover.is_ball and _on_floor(target) else "throw"
        if reading.support is not None and reading.off_edge:
            return "roll" if mover.is_ball else "push"
        return "drop"
    if meaning == "drop":
        if reading.support is not None and (reading.off_edge or reading.support.asset == "ramp"):
            return "roll" if mover.is_ball else "push"
        return "drop"
    return "static"


def _on_floor(thing: Thing) -> bool:
    return thing.location is None or thing.location[0] not in ("on", "above")


def interpret(parse: Parse, handled: frozenset[int] = frozenset()) -> Story:
    """Ground a parse: things, their motions and order, and the scene-wide wishes.

    `handled`: item indices of the verbs people do to things and of those things' heads (see
    director.cast): those motions are the people's, so no motion is planned for them here."""
    res = _Resolver(parse)
    res.resolve_all()
    notes = res.parse_notes
    things = res.things
    _attach_free_arrangements(parse, res)
    # Static relations ("a ball on a table", "a crate next to the wall").
    for np, prep in parse.locations:
        owners = res.things_of(np)
        targets = [t for t in res.things_of(prep.target) if t not in owners]
        if prep.target is not None and prep.target.is_pronoun:
            targets = [t for t in reversed(res.before.get(id(prep.target), []))
                       if t not in owners][:1]
            prep.target.head.used = prep.target.head.used or bool(targets)  # (or a person's)
        if not owners or prep.relation not in PLACEMENT_RELATIONS:
            continue
        if prep.target is not None and not targets:
            continue
        for owner in owners:
            if owner.location is None and (targets or prep.relation in ("off",)):
                relation = "on" if prep.relation in ("in", "edge") else prep.relation
                if prep.relation == "edge":
                    relation = "edge"
                if relation in ("on", "edge") and targets and not targets[0].can_hold(owner):
                    continue  # "a table on a domino": not something to build
                owner.location = (relation, targets[0] if targets else None)
                prep.item.used = True
    readings: list[_Reading] = []
    index = {id(item): k for k, item in enumerate(parse.items)}
    for verb in parse.verbs:
        if index[id(verb.item)] in handled:
            continue  # a person does it ("she kicks the ball"): the cast plays it
        reading = _read_verb(verb, res, parse)
        if reading is not None:
            readings.append(reading)
            movers = [t for t in reading.movers if t.movable] or reading.movers
            res.last_movers = movers
    held = [t for np in parse.nouns if index[id(np.head)] in handled for t in res.things_of(np)]
    motions = _motions_from(readings, things, parse, notes, held)
    story = Story(
        things=things, motions=motions, environment=None, floor_material=None, gravity=None,
        camera={}, silent=False, duration=None, notes=notes,
        things_at={index[id(np.head)]: res.things_of(np) for np in parse.nouns},
    )
    for reading in readings:
        story.breaking += [t for t in reading.broken if t not in story.breaking]
        if reading.meaning == "break":
            story.breaking += [m for m in reading.movers if m not in story.breaking
                               and m.setup is None]
        elif reading.meaning in ("float", "sink"):
            rising = " ".join(lx.lemma(w) for w in reading.verb.item.words) in lx.RISING
            story.floating += [m for m in reading.movers if m not in story.floating
                               and not (rising and ASSETS[m.asset].gas is None)]
    _stage_setups(story)
    _stage_hammering(story, parse)
    _scene_wishes(story, parse, res.things_of)
    return story


HAMMERING_VERBS = frozenset({"hammer", "pound", "drive"})
DEFAULT_BLOWS = 3


def _stage_hammering(story: Story, parse: Parse) -> None:
    """A hammer striking a nail: the nail stands in a board (one is added when none is named,
    on what the nail was said to go into when that is not a board), struck as many times as the
    prompt counts ("with several blows", "three times", "twice")."""
    for motion in story.motions:
        if motion.kind != "hammer" or motion.target is None:
            continue
        nail = motion.target
        nail.count = 1
        holder = nail.location[1] if nail.location is not None else None
        if holder is None or holder.asset != "board":
            board = next((t for t in story.things if t.asset == "board"), None) or _add_thing(
                story, "board", note="added a board for the nail to go into", static=True)
            if holder is not None and holder.can_hold(board) and board.location is None:
                board.location = ("on", holder)  # "into the table": a board on the table
            holder = board
        holder.static = True
        nail.location = ("in", holder)
        motion.blows = _blows(parse) or DEFAULT_BLOWS


def _blows(parse: Parse) -> int | None:
    """The count of strokes the prompt asks for: a number before "blows" or "times" (and the
    "with" or "in" before it), or "twice"; None when it counts none."""
    items = parse.items
    for k, item in enumerate(items):
        word = item.words[-1] if item.words else ""
        if word in lx.REPEATS:
            item.used = True
            return lx.REPEATS[word]
        if word in lx.BLOW_WORDS and k > 0 and items[k - 1].kind == "number":
            count = int(float(items[k - 1].value))  # type: ignore[arg-type]
            item.used = items[k - 1].used = True
            if k > 1 and items[k - 2].kind == "prep" and items[k - 2].value in ("with", "in"):
                items[k - 2].used = True
            return max(1, count)
    return None


# ---------------------------------------------------------------------------------------------
# Set-ups and rigs: classic arrangements (assets.setups) and hung or draped things.
SETUP_COUNTS = {"rack": 15, "pins": 10}
NAMED_STRIKES = frozenset({"break"})  # set-up words that name the strike ("a billiards break")
TOWER_LEVELS = 6  # "a tower of blocks": three blocks a level, crossed
# A wrecking ball meets a wall of breeze-block sized bricks (scale 2, ~20 kg each); anything
# lighter meets a garden wall of clay bricks (2.6 kg), low enough for a bowling ball to break.
WALL_ROWS, WALL_COLUMNS, WALL_BRICK_SCALE = 6, 6, 2.0
GARDEN_WALL_ROWS, GARDEN_WALL_COLUMNS = 8, 8
STRIKE_SPEED = {"rack": 4.0, "pins": 6.0, "tower": 4.0, "wall": 5.0}  # m/s of the striker
DEFAULT_WATER_M = 0.4  # depth of the water a floating or sinking thing is given
THROW_AT_SETUP_FACTOR = 2.0  # a hard throw (about 8 m/s) brings a tower or wall down
HEAVY_STRIKERS = frozenset({"wrecking_ball", "bowling_ball", "cart"})
CUE_BALL_COLOR = "#f4f1e8"


def _add_thing(story: Story, asset: str, note: str | None = None, **fields) -> Thing:
    thing = Thing(max((t.key for t in story.things), default=-1) + 1, lx.ObjectSense(asset),
                  **fields)
    story.things.append(thing)
    if note:
        story.notes.append(note)
    return thing


def _stage_setups(story: Story) -> None:
    """Make set-up things what their name promises (ten pins in their triangle, a racked set
    of pool balls on a table, a tower, a wall of loose bricks), give what should fall to pieces
    something that strikes it, and hang or drape the rigs."""
    things = story.things
    heavy = any(t.asset in HEAVY_STRIKERS for t in things)
    struck: set[int] = set()
    for thing in list(things):
        if thing.setup in NAMED_STRIKES:
            thing.setup = "rack"
            struck.add(thing.key)
        if any(thing in m.movers or m.target is thing for m in story.motions):
            struck.add(thing.key)  # "the tower collapses", "a ball hits the pins"
        if thing.asset == "bowling_pin" and thing.setup is None and thing.count in (2, 10):
            thing.setup = "pins"
        if thing.asset == "block" and thing.setup is None and thing.arrangement == "stack" \
                and thing.count >= 3:
            thing.setup = "tower"
            thing.levels = max(3, -(-thing.count // 3))
        if thing.asset == "wall" and thing.material == "brick" and (
                heavy or thing in story.breaking or any(
                    thing in m.movers for m in story.motions)):
            thing.sense = lx.ObjectSense("brick", setup="wall")
            wrecking = any(t.asset == "wrecking_ball" for t in things)
            thing.setup, thing.material = "wall", None
            thing.scale = WALL_BRICK_SCALE if wrecking else 1.0
            thing.levels = WALL_ROWS if wrecking else GARDEN_WALL_ROWS
            thing.columns = WALL_COLUMNS if wrecking else GARDEN_WALL_COLUMNS
        if thing.setup in SETUP_COUNTS:
            thing.count = SETUP_COUNTS[thing.setup]
        elif thing.setup == "tower":
            thing.levels = thing.levels or TOWER_LEVELS
            thing.count = 3 * thing.levels
        elif thing.setup == "wall":
            thing.levels = thing.levels or WALL_ROWS
            thing.columns = thing.columns or WALL_COLUMNS
            thing.count = thing.columns * thing.levels - thing.levels // 2
    for thing in [t for t in things if t.setup is not None]:
        thing.arrangement, thing.groups = None, 1
        if thing.key in struck or thing.setup == "wall":
            _strike(story, thing)
        elif thing.setup == "rack" and thing.location is None:
            table = next((t for t in things if t.asset == "billiard_table"), None) or \
                _add_thing(story, "billiard_table")
            thing.location = ("on", table)
    for thing in [t for t in things if t.is_rig]:
        _rig(story, thing)


def _strike(story: Story, setup: Thing) -> None:
    """What knocks a set-up down: the motion aimed at it, or a ball sent at it."""
    for motion in list(story.motions):
        if setup in motion.movers:  # "the tower collapses", "the pins fall"
            motion.movers.remove(setup)
            if not motion.movers:
                story.motions.remove(motion)
    strikers = [m for m in story.motions if m.target is setup]
    table = None
    if setup.setup == "rack":
        table = next((t for t in story.things if t.asset == "billiard_table"), None) or \
            _add_thing(story, "billiard_table")
        setup.location = ("on", table)
    if not strikers:
        if setup.setup == "wall" and any(t.asset == "wrecking_ball" for t in story.things):
            return  # the wrecking ball's swing is aimed at it (see _rig)
        free = [t for t in story.things if t.is_ball and t.count == 1 and not any(
            t in m.movers for m in story.motions)]
        if setup.setup == "rack":
            free = [t for t in free if t.asset == "billiard_ball"]
            ball = free[0] if free else _add_thing(story, "billiard_ball",
                                                   "added a cue ball for the break",
                                                   colors=[CUE_BALL_COLOR])
        else:
            ball = free[0] if free else _add_thing(
                story, "bowling_ball", f"a bowling ball is sent at the {setup.plural} to "
                                       "knock them down")
        strikers = [Motion([ball], "roll", target=setup)]
        story.motions.append(strikers[0])
    for motion in strikers:
        if (motion.kind in ("drop", "push") or setup.setup == "rack") and all(
                m.is_ball for m in motion.movers):
            motion.kind = "roll"  # a cue ball is struck along the cloth
        if setup.setup in ("tower", "wall") and motion.kind == "roll" and motion.flavour is None \
                and all(m.is_ball for m in motion.movers):
            motion.kind = "throw"  # thrown at its middle: a roll at its foot leaves it up
            motion.speed_factor *= THROW_AT_SETUP_FACTOR
        if motion.speed is None and motion.kind == "roll" and motion.flavour != "kick":
            motion.speed = STRIKE_SPEED[setup.setup or "pins"] * motion.speed_factor
        if table is not None:
            for mover in motion.movers:
                mover.location = ("on", table)


def _rig(story: Story, rig: Thing) -> None:
    """A pendulum, wrecking ball or swing hangs from a gantry and swings; a seesaw rests on its
    fulcrum; a cloth falls over what it is said to cover."""
    own = [m for m in story.motions if rig in m.movers]
    target = next((m.target for m in own if m.target is not None), None)
    for motion in own:
        motion.movers.remove(rig)
        if not motion.movers:
            story.motions.remove(motion)
    rig.count = 1
    if rig.swings:
        if not any(t.rig_of is rig for t in story.things):
            _add_thing(story, "gantry", rig_of=rig, static=True)
        if target is None and rig.asset == "wrecking_ball":
            target = next((t for t in story.things if t.setup == "wall" or t.asset == "wall"),
                          None)
        story.motions.insert(0, Motion([rig], "swing", target=target))
    elif rig.asset == "seesaw":
        if not any(t.rig_of is rig for t in story.things) and "seesaw_base" in ASSETS:
            _add_thing(story, "seesaw_base", rig_of=rig, static=True)
    elif rig.asset == "cloth":
        if target is None and rig.location is not None:
            target = rig.location[1]
        rig.location = None
        story.motions.append(Motion([rig], "drape", target=target))


def _attach_free_arrangements(parse: Parse, res: _Resolver) -> None:
    """'five dominoes fall in a row': an arrangement after its noun still describes it."""
    in_phrase = {id(item) for np in parse.nouns for item in np.modifiers}
    for k, item in enumerate(parse.items):
        if item.kind != "arrangement" or id(item) in in_phrase:
            continue
        before = [np for np in parse.nouns if np.end <= k and not np.is_floor]
        for np in reversed(before):
            owners = [t for t in res.things_of(np) if t.count > 1 or t.asset == "domino"]
            if owners:
                owners[0].arrangement = owners[0].arrangement or str(item.value)
                if owners[0].asset == "domino" and owners[0].count == 1 and np.count is None:
                    owners[0].count = DEFAULT_DOMINOES  # "a domino chain"
                item.used = True
                break


def _motions_from(readings: list[_Reading], things: list[Thing], parse: Parse,
                  notes: list[str], held: list[Thing] | None = None) -> list[Motion]:
    """The motions the verbs name, merged; `held`: things people act on (no default motion)."""
    primary: dict[int, Motion] = {}
    order: list[Motion] = []
    stagger = bool(parse.stagger)
    for item in parse.stagger + parse.together:
        item.used = True
    for reading in readings:
        movers = [m for m in reading.movers]
        meaning = reading.meaning
        # collisions between the movers themselves ("two balls collide", "roll at each other")
        instances = sum(m.count for m in movers if not m.is_row)
        if (reading.each_other or (meaning == "hit" and reading.target is None
                                   and instances >= 2)) and all(m.movable for m in movers):
            ball_movers = [m for m in movers if m.key not in primary]
            if sum(m.count for m in ball_movers) >= 2:
                motion = Motion(ball_movers, "collide", step=reading.verb.step,
                                verbs=[reading.verb])
                _refine(motion, reading)
                for m in ball_movers:
                    primary[m.key] = motion
                order.append(motion)
                _mark(reading)
                continue
        for mover in movers:
            existing = primary.get(mover.key)
            kind = _kind_for(reading, mover) if meaning not in CONSEQUENCES | STATIC else None
            if reading.above is not None and mover.location is None:
                mover.location = ("above", reading.above)
            if meaning in STATIC:
                if parse.tokens[reading.verb.item.start].lemma in ("stack", "pile") and \
                        mover.count > 1:
                    mover.arrangement = "stack"  # "stacking boxes"
                if reading.rest_on is not None and mover.location is None and \
                        reading.rest_on[1] is not mover and (
                        reading.rest_on[0] not in ("on", "edge")
                        or reading.rest_on[1].can_hold(mover)):
                    mover.location = reading.rest_on
                if meaning == "hold" and mover.location is None:
                    mover.location = ("held", None)
                mover.static = mover.static or meaning == "rest"
                _mark(reading)
                continue
            if existing is not None:
                _refine(existing, reading)
                _mark(reading)
                continue
            targets_of_others = {m.target.key for m in order if m.target is not None}
            if mover.key in targets_of_others and meaning in ("drop", "topple", "land", "fly",
                                                              "bounce", "roll", "hit", "push",
                                                              "move", "break", "float",
                                                              "sink"):
                _mark(reading)  # "the dominoes fall": they were knocked over
                continue
            if kind is None:
                # a consequence with no motion yet: the motion it implies
                kind = "drop"
                if reading.support is not None:
                    kind = "roll" if mover.is_ball else "push"
                if meaning == "fly":
                    kind = "throw"
            if kind == "static":
                continue  # nothing this director can play (the verb stays reported)
            motion = Motion([mover], kind, step=reading.verb.step, verbs=[reading.verb],
                            stagger=stagger)
            _refine(motion, reading)
            primary[mover.key] = motion
            order.append(motion)
            _mark(reading)
    # Things that start on or off a support and were only told to go "off" it.
    for motion in order:
        for mover in motion.movers:
            if motion.support is None and mover.location is not None and mover.location[1] \
                    is not None and mover.location[0] in ("on", "edge") and motion.kind in (
                    "roll", "push", "drop") and motion.target is None:
                support = mover.location[1]
                if motion.kind != "drop" or motion.off_edge:
                    motion.support = support
                    if motion.kind == "drop":
                        motion.kind = "roll" if mover.is_ball else "push"
                        motion.off_edge = True
        if motion.kind == "drop" and motion.target is None:
            for mover in motion.movers:
                if mover.location is not None and mover.location[0] == "above":
                    motion.target = mover.location[1]
    # Merge motions of the same kind and step that share a target or support: one template.
    merged: list[Motion] = []
    for motion in order:
        twin = next((m for m in merged if m.kind == motion.kind == "throw" and m.step ==
                     motion.step and m.target is motion.target and m.target is not None), None)
        if twin is not None and motion.kind != "collide":
            twin.movers += motion.movers
            twin.stagger = True  # two balls thrown at one hoop at once would collide
            continue
        merged.append(motion)
    targets = {m.target.key for m in merged if m.target is not None}
    targets |= {t.key for t in held or ()}  # a person's to act on: not dropped by default
    _default_motions(merged, things, targets, notes, parse)
    _size_dominoes_to_their_ball(merged)
    return merged


def _size_dominoes_to_their_ball(motions: list[Motion]) -> None:
    """A ball topples a domino forward only if it strikes above the domino's centre of mass
    (half its height), so dominoes nobody sized are made at most 1.6 ball radii tall: a tennis
    ball meets real-size dominoes, a bowling ball big ones."""
    for motion in motions:
        target = motion.target
        if target is None or target.asset != "domino" or target.sized:
            continue
        balls = [m for m in motion.movers if m.is_ball]
        if not balls:
            continue
        radius = min(ASSETS[m.asset].radius * m.scale for m in balls)
        height = 2 * ASSETS["domino"].parts[0].size[2]
        target.scale = round(max(0.25, min(target.scale, 1.6 * radius / height)), 3)


def _mark(reading: _Reading) -> None:
    for item in reading.used:
        item.used = True


def _refine(motion: Motion, reading: _Reading) -> None:
    """Fold what a verb says into a mover's motion without starting a new one."""
    if reading.verb not in motion.verbs:
        motion.verbs.append(reading.verb)
    if reading.target is not None and motion.target is None and reading.target not in \
            motion.movers:
        motion.target = reading.target
        if motion.kind == "drop" and reading.meaning in ("hit", "bounce") and (
                reading.target.is_hoop or reading.target.asset == "wall"):
            motion.kind = "throw"
    if reading.target is not None and reading.target.is_hoop and motion.kind in ("drop", "roll"):
        motion.kind = "throw"
        motion.target = reading.target
    if reading.to_floor:
        motion.to_floor = True
    if reading.support is not None and motion.support is None and motion.kind in (
            "roll", "push", "drop", "topple"):
        motion.support = reading.support
        motion.off_edge = motion.off_edge or reading.off_edge
        if motion.kind == "drop" and (reading.off_edge or reading.support.asset == "ramp"):
            motion.kind = "roll" if motion.movers[0].is_ball else "push"
    elif reading.off_edge and motion.kind in ("roll", "push", "drop"):
        motion.off_edge = True
    motion.aim_cues |= reading.aim_cues
    if motion.flavour is None and reading.flavour is not None and motion.kind in (
            "roll", "push", "throw"):
        motion.flavour = reading.flavour
    verb = reading.verb
    for factor, item in verb.speed:
        motion.speed_factor *= factor
        item.used = True
    if verb.height is not None and motion.height is None:
        motion.height = verb.height[0]
        for item in verb.height[1]:
            item.used = True
    if verb.distance is not None and motion.distance is None:
        motion.distance = verb.distance[0]
        for item in verb.distance[1]:
            item.used = True
    if verb.speed_si is not None and motion.speed is None:
        motion.speed = verb.speed_si[0]
        for item in verb.speed_si[1]:
            item.used = True
    if verb.delay is not None:
        motion.delay = verb.delay[0]
        for item in verb.delay[1]:
            item.used = True


def _default_motions(motions: list[Motion], things: list[Thing], targets: set[int],
                     notes: list[str], parse: Parse) -> None:
    """When no verb at all says what happens, balls fall and domino rows topple: that is what
    they are for. Anything described at rest stays at rest."""
    if motions or parse.verbs or any(t.static for t in things):
        return
    supports = {t.location[1].key for t in things if t.location is not None
                and t.location[1] is not None}
    moved = []
    for thing in things:
        if not thing.movable or thing.key in targets or thing.key in supports:
            continue
        if thing.asset == "top" and (thing.location is None or thing.location[0] in (
                "on", "edge")):
            motions.append(Motion([thing], "spin"))  # a top is for spinning
            moved.append(f"the {thing.label} is spun")
            continue
        if not (thing.is_ball or thing.is_row):
            continue
        if thing.location is not None and thing.location[0] in ("on", "near", "under", "by",
                                                                "front", "behind", "left",
                                                                "right", "edge") \
                and not thing.is_row:
            continue
        if thing.is_row:
            motions.append(Motion([thing], "topple"))  # a row on a table topples too
            moved.append(f"the first of the {thing.plural} is pushed")
        else:
            motions.append(Motion([thing], "drop"))
            moved.append(f"the {thing.label} is dropped")
    if moved:
        notes.append("no motion was named, so " + "; ".join(moved))


def _scene_wishes(story: Story, parse: Parse,
                  resolved: Callable[[NounPhrase], list[Thing]]) -> None:
    """Setting, floor, gravity, camera, sound and length asked for anywhere in the prompt."""
    for item in parse.settings:
        if story.environment is None:
            story.environment = str(item.value)
        if item.value == story.environment:  # "a kitchen ... the room": the same place
            item.used = True
            _mark_prep_before(parse, item)
    for np in parse.floors:
        head = np.head
        head.used = True
        _mark_prep_before(parse, head)
        if head.kind == "floor_noun":
            material, environment = head.value  # type: ignore[misc]
            story.floor_material = story.floor_material or material
            if environment is not None and story.environment is None:
                story.environment = environment
        if np.material is not None:
            story.floor_material = np.material[0]
            np.material[1].used = True
    for item in parse.gravity:
        if story.gravity is None:
            story.gravity = float(item.value)  # type: ignore[arg-type]
            # "on the moon": its own setting when the registry has one
            if "moon" in " ".join(item.words) or "lunar" in item.words:
                if "moon" in ENVIRONMENTS and story.environment is None:
                    story.environment = "moon"
        item.used = True
        _mark_prep_before(parse, item)
    starts = [0, *sorted(item.start for item in parse.cuts)]
    board = [ShotWords(start) for start in starts]

    def shot_at(position: int) -> ShotWords:
        return next(s for s in reversed(board) if s.start <= position)

    for item in parse.camera:
        pairs = item.value if isinstance(item.value[0], tuple) else (item.value,)  # type: ignore[index]
        for kind, value in pairs:  # type: ignore[misc]
            if kind != "noun":
                shot_at(item.start).camera.setdefault(kind, value)
        item.used = True
    for item in parse.cuts:
        item.used = True
    for noun in parse.nouns:
        for thing in resolved(noun):
            shot = shot_at(noun.head.start).things
            if thing not in shot:
                shot.append(thing)
    story.camera = board[0].camera
    story.storyboard = board if len(board) > 1 else []
    for item in parse.silent:
        story.silent = True
        item.used = True
    implied: list[tuple[str, object]] = []  # "sunset" implies a warm grade, unless told
    for item in parse.items:
        if item.kind == "water" and item.used:
            continue  # "a cowboy waves": someone's verb, read by the cast, not the sea's
        if item.kind == "water" and " ".join(item.words) in lx.OPEN_WATER:
            _by_the_sea(story, parse, item)
        elif item.kind == "water":
            story.water_level = max(story.water_level or 0.0, float(item.value))  # type: ignore
            item.used = True
            _mark_prep_before(parse, item)
        elif item.kind == "medium":
            story.medium = story.medium or str(item.value)
            item.used = True
            _mark_prep_before(parse, item)
        elif item.kind == "slow_motion":
            story.slow_motion = max(story.slow_motion, int(item.value))  # type: ignore[arg-type]
            item.used = True
            _mark_prep_before(parse, item)
        elif item.kind == "time_lapse":
            story.time_lapse.append(item)  # grounded when the planner can speed the world up
        elif item.kind == "style":
            (name, value), *rest = item.value  # type: ignore[misc]
            story.look.setdefault(name, value)
            implied += rest
            item.used = True
            _mark_prep_before(parse, item)
    _apply_moods(story, parse)
    for name, value in implied:
        story.look.setdefault(name, value)
    if story.sea is not None:
        story.water_level = None  # the sea's own level (the beach's), beyond its shore only
    # "a duck floats": on water, unless said otherwise; a balloon floats up in the air
    on_water = [t for t in story.floating if ASSETS[t.asset].gas is None]
    if on_water and story.water_level is None and story.medium is None and (
            story.sea is None) and (
            story.gravity is None or story.gravity > 0):
        story.water_level = DEFAULT_WATER_M
        names = " and the ".join(t.label for t in on_water)
        story.notes.append(f"added water for the {names} to float or sink in")
    if parse.duration is not None:
        story.duration = parse.duration[0]
        for item in parse.duration[1]:
            item.used = True
    # words that are understood as framing, not content
    for item in parse.items:
        if item.kind in ("meta", "then", "after", "together", "sudden", "stagger"):
            item.used = True
        if item.kind == "prep" and item.value in ("of", "with"):
            item.used = True


def _apply_moods(story: Story, parse: Parse) -> None:
    """Mood words ("tranquil", "gloomy") set the look fields no word named outright; a mood is
    grounded when the clip shows at least one of its fields as it asks."""
    for item in parse.items:
        if item.kind != "mood":
            continue
        for name, value in item.value:  # type: ignore[attr-defined]
            story.look.setdefault(name, value)
        item.used = any(story.look.get(name) == value
                        for name, value in item.value)  # type: ignore[attr-defined]


SEA_BOUND = frozenset({"into", "in", "to", "toward", "towards", "at", "onto", "on", "over"})


def _by_the_sea(story: Story, parse: Parse, item: Item) -> None:
    """"into the sea", "by the lake": a beach with its sea beyond the shore, not a flooded
    floor; things thrown, kicked or rolled "into" it land in the water."""
    k = next(n for n, it in enumerate(parse.items) if it is item)
    prep = next((it for it in reversed(parse.items[:k]) if it.kind != "stop"), None)
    into = prep is not None and prep.kind == "prep" and prep.value in SEA_BOUND
    story.sea = "into" if into or story.sea == "into" else "by"
    if story.environment is None and "beach" in ENVIRONMENTS:
        story.environment = "beach"
    item.used = True
    _mark_prep_before(parse, item)
    if item.words[-1] in ("wave", "waves", "surf", "tide", "breakers"):
        # "waves lapping at the sand": what the sea's swell does already
        after = parse.items[k + 1:k + 3]
        for verb in after:
            if verb.kind in ("word", "verb") and base_form(lx.lemma(verb.words[0]), "v") in \
                    lx.SEA_MOTION:
                verb.used = True
                break


def _mark_prep_before(parse: Parse, item: Item) -> None:
    """'in a park', 'on the floor': the preposition is grounded with the place it introduces."""
    k = next((n for n, it in enumerate(parse.items) if it is item), None)
    j = (k or 0) - 1
    while j >= 0 and parse.items[j].kind in ("stop", "color", "material", "size", "word") and \
            parse.items[j].kind != "prep" and parse.items[j].words[0] in lx.DETERMINERS | {
            "the", "a", "an"} | set(parse.items[j].words):
        if parse.items[j].kind in ("stop",):
            j -= 1
            continue
        break
    if j >= 0 and parse.items[j].kind == "prep":
        parse.items[j].used = True
