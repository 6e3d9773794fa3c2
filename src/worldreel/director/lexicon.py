"""The director's vocabulary: which words and phrases mean which assets, motions, settings,
colours, materials, sizes, numbers and camera choices.

Object and setting names come from the asset registry (names and aliases), so a new asset is
understood as soon as it is registered; this module adds only everyday synonyms that map onto
registered assets (a "marble" is a small glass ball) and the words that are not assets at all.
Every table is keyed by lemmas (see `lemma`), so "balls", "dropped" and "rolling" need no entries.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import yaml

from worldreel.assets import ASSETS, ENVIRONMENTS, MATERIALS
from worldreel.assets.transport import vehicle_kind

MAX_PHRASE_WORDS = 4


@dataclass(frozen=True)
class ObjectSense:
    """What an object noun means: a registered asset, possibly resized or re-dressed."""

    asset: str
    scale: float = 1.0
    material: str | None = None
    color: str | None = None
    # Weak senses ("net", "basket", "rim") are ambiguous in everyday text; they name the hoop
    # only when the prompt also has a ball to shoot.
    weak: bool = False
    # Words with a common other meaning ("top", "stand", "glass") name the prop only in a
    # noun phrase with an article or a modifier ("a spinning top", "the glass").
    needs_article: bool = False
    # A classic arrangement of many of them (assets.setups): "rack", "pins", "tower", "wall".
    setup: str | None = None
    # A noun the registry does not name, shown by the asset nearest in meaning (director.wordnet):
    # the noun, and what both are ("kettle", "vessel").
    stands_for: str | None = None
    kind: str | None = None


Motion = Literal[
    "drop", "throw", "roll", "push", "move", "bounce", "hit", "topple", "score", "miss", "bank",
    "land", "fly", "rest", "hold", "spin", "float", "sink", "break",
]


@dataclass(frozen=True)
class Entry:
    """One meaning of a phrase. `kind` says which table it came from; `value` is its meaning."""

    kind: str
    value: object


# ---------------------------------------------------------------------------------------------
# Function words: carry no content, so they are neither grounded nor reported.
STOPWORDS = frozenset("""
a an the this that these those it its itself they them their theirs themselves he she him his
her hers we us our you your i me my mine there here is are was were be been being am has have
had having do does did doing will would shall should can could may might must and or but nor so
as if while whilst when whenever where wherever which who whom whose what how why than also just
very really quite too some any each every all both either neither such own same not no only even
again about for of with without by s t d ll ve re m let lets let's one's
begin start continue keep get become seem go to up out away back mid
""".split())

# Auxiliary-like verbs that frame another verb ("starts to roll", "begins to fall").
FRAME_VERBS = frozenset({"begin", "start", "continue", "keep", "get", "become", "seem", "try"})

BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "gets", "got",
                      "get", "getting"})

DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "its", "their",
                         "his", "her", "my", "your", "our", "another", "each", "every", "some"})

DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her",
                      "my", "your", "our", "same"})

PRONOUNS = MappingProxyType({"it": "one", "itself": "one", "they": "many", "them": "many",
                             "themselves": "many", "both": "many", "each other": "many"})

# Words that start a new entity even after the same kind was mentioned.
NEW_ENTITY_WORDS = frozenset({"another", "second", "other", "third", "fourth", "new"})

# Irregular forms the suffix rules below cannot undo.
IRREGULAR = MappingProxyType({
    "fell": "fall", "fallen": "fall", "threw": "throw", "thrown": "throw", "shot": "shoot",
    "slid": "slide", "struck": "strike", "stricken": "strike", "went": "go", "gone": "go",
    "goes": "go", "made": "make", "sank": "sink", "sunk": "sink", "flew": "fly", "flown": "fly",
    "ran": "run", "spun": "spin", "lay": "lie", "lain": "lie", "lying": "lie", "sat": "sit",
    "stood": "stand", "rose": "rise", "risen": "rise", "began": "begin", "begun": "begin",
    "hit": "hit", "hitting": "hit", "put": "put", "putting": "put", "set": "set", "setting":
    "set", "let": "let", "letting": "let", "held": "hold", "hung": "hang", "knocked": "knock",
    "dove": "dive", "broke": "break", "broken": "break", "came": "come", "bounced": "bounce",
    "boxes": "box", "dominoes": "domino", "dominos": "domino", "feet": "foot", "leaves": "leaf",
    "metres": "meter", "metre": "meter", "meters": "meter", "centimetres": "centimeter",
    "centimetre": "centimeter", "shelves": "shelf", "children": "child", "men": "man",
    "women": "woman", "people": "person", "rolled": "roll", "rolling": "roll",
    "clothes": "clothes", "clothing": "clothing", "flung": "fling", "slung": "sling",
    "drove": "drive", "driven": "drive",
    "swung": "swing", "swam": "swim", "tore": "tear", "torn": "tear",
})

# ---------------------------------------------------------------------------------------------
# Objects. Registry names ("tennis_ball" -> "tennis ball") and aliases are added below.
_WEAK_ALIASES = frozenset({"net", "basket", "rim", "pin", "pins", "skittle",
                           # golf and baseball words with everyday senses ("a bat flies",
                           # "digs a hole"): the prop only beside a ball or a putt
                           "green", "hole", "bat"})

_OBJECT_SYNONYMS: dict[str, ObjectSense] = {
    "basketball hoop": ObjectSense("basketball_hoop"),
    "basketball net": ObjectSense("basketball_hoop"),
    "basketball rim": ObjectSense("basketball_hoop"),
    "hoop": ObjectSense("basketball_hoop"),
    "glass backboard": ObjectSense("basketball_hoop"),
    "playground ball": ObjectSense("basketball"),
    "bouncy ball": ObjectSense("rubber_ball"),
    "bouncing ball": ObjectSense("rubber_ball"),
    "super ball": ObjectSense("rubber_ball"),
    "toy ball": ObjectSense("rubber_ball", scale=1.5),
    "marble": ObjectSense("rubber_ball", scale=0.4, material="glass"),
    "ball bearing": ObjectSense("rubber_ball", scale=0.4, material="metal"),
    "steel ball": ObjectSense("rubber_ball", scale=0.8, material="metal"),
    "table tennis": ObjectSense("ping_pong_ball"),
    "ping pong": ObjectSense("ping_pong_ball"),
    "softball": ObjectSense("baseball", scale=1.3, color="#f3f06a"),  # 12 in round, yellow
    # golf: "a putt rolls in" is the ball on the move; a putting green holds the hole and cup
    "putt": ObjectSense("golf_ball"),
    "putting green": ObjectSense("putting_green"),
    "practice green": ObjectSense("putting_green"),
    "golf cup": ObjectSense("putting_green"),
    "soccer ball": ObjectSense("soccer_ball"),
    "football": ObjectSense("soccer_ball"),
    "billiard ball": ObjectSense("bowling_ball", scale=0.26, color="#f4f1e8"),
    "pool ball": ObjectSense("bowling_ball", scale=0.26, color="#f4f1e8"),
    "cannonball": ObjectSense("bowling_ball", scale=1.0, material="metal"),
    "cannon ball": ObjectSense("bowling_ball", scale=1.0, material="metal"),
    "sphere": ObjectSense("rubber_ball", scale=2.0),
    "orb": ObjectSense("rubber_ball", scale=2.0),
    "box": ObjectSense("crate"),
    "crate": ObjectSense("crate"),
    "wooden crate": ObjectSense("crate"),
    "cardboard box": ObjectSense("crate", scale=0.8, material="paper", color="#b08a5a"),
    "carton": ObjectSense("crate", scale=0.7, material="paper", color="#b08a5a"),
    "chest": ObjectSense("crate"),
    "block": ObjectSense("crate", scale=0.4),
    "cube": ObjectSense("crate", scale=0.4),
    "brick": ObjectSense("crate", scale=0.3, material="stone", color="#9c4a32"),
    "domino": ObjectSense("domino"),
    "domino tile": ObjectSense("domino"),
    "domino block": ObjectSense("domino"),
    "domino piece": ObjectSense("domino"),
    "table": ObjectSense("table"),
    "desk": ObjectSense("table"),
    "coffee table": ObjectSense("table"),
    "dining table": ObjectSense("table"),
    "workbench": ObjectSense("table"),
    "tabletop": ObjectSense("table"),
    "countertop": ObjectSense("table"),
    "counter": ObjectSense("table"),
    "ramp": ObjectSense("ramp"),
    "slope": ObjectSense("ramp"),
    "incline": ObjectSense("ramp"),
    "inclined plane": ObjectSense("ramp"),
    "chute": ObjectSense("ramp"),
    "wall": ObjectSense("wall"),
    "brick wall": ObjectSense("wall", material="brick"),
    "wall of bricks": ObjectSense("wall", material="brick"),
    "wall of brick": ObjectSense("wall", material="brick"),
    "rack of balls": ObjectSense("billiard_ball", setup="rack"),
    "rack of billiard balls": ObjectSense("billiard_ball", setup="rack"),
    "rack of pool balls": ObjectSense("billiard_ball", setup="rack"),
    "racked balls": ObjectSense("billiard_ball", setup="rack"),
    "billiard rack": ObjectSense("billiard_ball", setup="rack"),
    "billiards rack": ObjectSense("billiard_ball", setup="rack"),
    "billiards break": ObjectSense("billiard_ball", setup="break"),
    "rack": ObjectSense("billiard_ball", setup="rack", needs_article=True),
    "billiard break": ObjectSense("billiard_ball", setup="break"),
    "break shot": ObjectSense("billiard_ball", setup="break"),
    "pool break": ObjectSense("billiard_ball", setup="break"),
    "billiards": ObjectSense("billiard_ball", setup="break"),
    "bowling pin": ObjectSense("bowling_pin", setup="pins"),
    "bowling pins": ObjectSense("bowling_pin", setup="pins"),
    "ten pins": ObjectSense("bowling_pin", setup="pins"),
    "tenpins": ObjectSense("bowling_pin", setup="pins"),
    "skittles": ObjectSense("bowling_pin", setup="pins"),
    "tower of blocks": ObjectSense("block", setup="tower"),
    "block tower": ObjectSense("block", setup="tower"),
    "jenga tower": ObjectSense("block", setup="tower"),
    "tower of wooden blocks": ObjectSense("block", setup="tower"),
    "stack of blocks": ObjectSense("block", setup="tower"),
    "tower of bricks": ObjectSense("block", setup="tower"),
    "wrecking ball": ObjectSense("wrecking_ball"),
    "demolition ball": ObjectSense("wrecking_ball"),
    "swinging pendulum": ObjectSense("pendulum"),
    "simple pendulum": ObjectSense("pendulum"),
    "teeter totter": ObjectSense("seesaw"),
    "see saw": ObjectSense("seesaw"),
    "rope swing": ObjectSense("rope_swing"),
    "hanging rope": ObjectSense("rope"),
    "napkin": ObjectSense("cloth", scale=0.5),
    "handkerchief": ObjectSense("cloth", scale=0.4),
    "piece of cloth": ObjectSense("cloth"),
    "bedsheet": ObjectSense("cloth", scale=1.5),
    "curtain": ObjectSense("cloth"),
    "toy cart": ObjectSense("cart"),
    "toy car": ObjectSense("cart"),
    "trolley": ObjectSense("cart"),
    "go kart": ObjectSense("cart"),
    "soft ball": ObjectSense("soft_ball"),
    "foam ball": ObjectSense("soft_ball"),
    "sponge ball": ObjectSense("soft_ball"),
    "jelly ball": ObjectSense("soft_ball"),
    "feather": ObjectSense("feather"),
    "rock": ObjectSense("stone"),
    "rubber ducky": ObjectSense("rubber_duck"),
    "leaf": ObjectSense("feather", color="#6b8e23"),
    "autumn leaf": ObjectSense("feather", color="#c8641e"),
    "dry leaf": ObjectSense("feather", color="#a0632a"),
    "glass of water": ObjectSense("glass"), "glass of milk": ObjectSense("glass"),
    "glass of juice": ObjectSense("glass"), "glass of wine": ObjectSense("glass"),
    "glass of beer": ObjectSense("glass"), "cup of water": ObjectSense("glass"),
    "cup of tea": ObjectSense("mug"), "cup of coffee": ObjectSense("mug"),
    "coffee cup": ObjectSense("mug"), "teacup": ObjectSense("mug"),
    "mug of water": ObjectSense("mug"),
    "jar of water": ObjectSense("vase", scale=0.6, material="glass"),
    "rubber duckie": ObjectSense("rubber_duck"),
    "ducky": ObjectSense("rubber_duck"),
    "pebble": ObjectSense("stone", scale=0.5),
    "boulder": ObjectSense("stone", scale=4.0),
    "wine glass": ObjectSense("glass"),
    "glass cup": ObjectSense("glass"),
    "mug": ObjectSense("mug"),
    "dinner plate": ObjectSense("plate"),
    "porcelain plate": ObjectSense("plate"),
    "ceramic vase": ObjectSense("vase"),
    "flower vase": ObjectSense("vase"),

    "concrete wall": ObjectSense("wall", material="concrete"),
    "claw hammer": ObjectSense("hammer"), "framing hammer": ObjectSense("hammer"),
}

# Everyday compounds in which an object word does not mean the object ("a ball gown", "a basket
# of fruit"); they are reported as not grounded instead of producing a wrong prop.
NOT_OBJECTS = frozenset({
    "ball gown", "cotton ball", "ball of yarn", "ball of wool", "ball of string",
    "ball of paper", "ball of fire", "fire ball", "fireball", "snow ball", "snowball",
    "meat ball", "meatball", "eye ball", "eyeball", "crystal ball", "disco ball",
    "christmas ball", "ball point", "ballpoint", "ball pit", "into a ball", "fishing net",
    "hair net", "safety net", "mosquito net", "butterfly net", "box office", "jukebox",
    "basket of", "picnic basket", "laundry basket", "shopping basket", "fruit basket",
    "wicker basket", "woven basket", "bread basket", "gift box", "lunch box", "music box",
    "time table", "timetable", "net worth", "ice cream", "ice cube", "sand castle",
    "grass skirt", "box cutter", "shoe box", "tool box", "toolbox", "magnifying glass",
    "looking glass", "hour glass", "hourglass",
    "nail polish", "nail varnish", "nail file", "nail clippers", "nail salon",
})


# Registry words that are everyday words first.
_NEEDS_ARTICLE = frozenset({"top", "stand", "frame", "pin", "set", "sheet", "string", "pot",
                            "swing", "bob", "dish", "cable", "glass", "cup", "block", "stone",
                            "rock", "jar", "plate", "towel", "blanket", "brick", "feather"})

# ... and of those, the ones that are not the prop when "of" follows ("the top of the ramp").
NOT_BEFORE_OF = frozenset({"top", "frame", "set", "sheet", "string", "stand", "swing", "bob",
                           "cable", "piece"})

# Setting aliases too ambiguous to name a place on their own ("the space between").
_NOT_SETTING_WORDS = frozenset({"space", "class", "study", "parking", "pitch", "school",
                                "shore", "sand"})


def stageable(name: str) -> bool:
    """Whether this director can place the asset: a free rigid body or fixed furniture, with
    something to collide. Hinged, linked and cloth assets need staging it does not do yet."""
    spec = ASSETS[name]
    return (getattr(spec, "joint", "free") == "free" and not getattr(spec, "links", ())
            and not getattr(spec, "cloth", None) and "pivot" not in spec.anchors
            and any(p.collides and p.shape != "plane" for p in spec.parts))


# Jointed, linked and deformable assets the layout stages with their own template (a pendulum
# hung from a gantry, a seesaw on its fulcrum, a cloth let fall over something), and free
# bodies built of links (a cart on wheels, a soft ball of nodes, a balloon on its ribbon).
RIGS = frozenset(n for n in ("wrecking_ball", "pendulum", "seesaw", "rope_swing", "rope", "cloth")
                 if n in ASSETS)
LINKED_BODIES = frozenset(n for n in ("cart", "soft_ball", "balloon", "laptop") if n in ASSETS)
# Fixed things with a part that swings on a hinge (a door's leaf in its frame): placed like
# furniture, their actions swing the hinged part.
SWINGING = frozenset(n for n, spec in ASSETS.items()
                     if spec.fixed and spec.links and spec.links[0].joint == "hinge"
                     and spec.links[0].range is not None)
# Fasteners that slide along their axis into what they stand in (layout stands a nail in a board).
DRIVEN = frozenset(n for n in ("nail",) if n in ASSETS)
# Things a toss flips end over end instead of throwing (a coin: "a coin is tossed").
FLIPPED = frozenset(n for n in ("coin",) if n in ASSETS)
# Discs spun on their rim rather than on a point (a lid spun on a table precesses down like
# Euler's disk; a top stands on its tip).
SPUN_ON_RIM = frozenset(n for n in ("pot_lid",) if n in ASSETS)
# Vehicles (assets.transport: on roads, rails and in the air): staged by director.traffic,
# not laid out.
VEHICLES = frozenset(n for n in ASSETS if vehicle_kind(n) is not None)
# Registry aliases too broad for what the asset is.
_SKIPPED_ALIASES = frozenset({"vehicle", "stand", "frame", "crane"})


def is_rig(name: str) -> bool:
    return name in RIGS


def _registry_objects() -> dict[str, ObjectSense]:
    table: dict[str, ObjectSense] = {}
    for name, spec in ASSETS.items():
        if not (stageable(name) or name in RIGS or name in LINKED_BODIES or name in DRIVEN
                or name in SWINGING or name in VEHICLES):
            continue
        for phrase in (name.replace("_", " "), *spec.aliases):
            if phrase in _SKIPPED_ALIASES:
                continue
            table[phrase] = ObjectSense(name, weak=phrase in _WEAK_ALIASES,
                                        needs_article=phrase in _NEEDS_ARTICLE)
    for phrase, sense in _OBJECT_SYNONYMS.items():
        # the registry is edited by others: never name a missing or unstageable asset
        if sense.asset in ASSETS and (stageable(sense.asset) or sense.asset in RIGS
                                      or sense.asset in LINKED_BODIES or sense.asset in DRIVEN
                                      or sense.asset in SWINGING):
            if sense.setup is not None:
                table[phrase] = sense  # a set-up phrase wins over the bare registry name
            else:
                table.setdefault(phrase, sense)
    return table


# ---------------------------------------------------------------------------------------------
# Settings: registry names and aliases plus everyday places that look like one of them.
_SETTING_SYNONYMS = {
    "gym": ("gym hall", "sports hall", "indoor court", "tennis court", "basketball gym",
            "bowling alley", "basketball arena", "stadium", "hall", "warehouse", "garage"),
    "living_room": ("bedroom", "dining room", "classroom", "hallway", "apartment", "indoor",
                    "indoors", "bathroom", "den", "lounge", "study", "library", "cafe", "shop",
                    "store", "restaurant", "lab", "laboratory", "workshop", "interior",
                    "ceiling"),  # "floats up to the ceiling": a room's, which stops a balloon
    "park": ("meadow", "playground", "yard", "forest", "outdoor", "grassland", "countryside",
             "soccer field", "football field", "football pitch", "sunlit park",
             "open air", "golf course", "country club"),
    "street": ("alley", "town", "urban", "downtown", "pavement", "parking garage", "highway",
               "square", "plaza", "courtyard"),
    "studio": ("white background", "plain background", "backdrop", "black background",
               "grey background", "gray background", "neutral background", "photo studio",
               "cyclorama"),
}


def _registry_settings() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, env in ENVIRONMENTS.items():
        for phrase in (name.replace("_", " "), *env.aliases):
            if phrase not in _NOT_SETTING_WORDS:
                table[phrase] = name
    for name, phrases in _SETTING_SYNONYMS.items():
        if name in ENVIRONMENTS:
            for phrase in phrases:
                table.setdefault(phrase, name)
    return table


# Ground surfaces: grounded as the floor; a material word in front sets the floor material.
FLOOR_WORDS = frozenset({"floor", "ground", "surface", "pavement", "tarmac", "earth",
                         "flooring", "lane"})

# Nouns that are a floor of a given material when nothing else is said ("lands on the grass").
FLOOR_MATERIAL_NOUNS = MappingProxyType({
    "grass": ("grass", "park"), "lawn": ("grass", "park"), "turf": ("grass", "park"),
    "sand": ("sand", None), "beach": ("sand", None), "ice": ("ice", None),
    "concrete": ("concrete", None), "asphalt": ("concrete", "street"),
    "carpet": ("cloth", "living_room"), "rug": ("cloth", "living_room"),
    "hardwood": ("hardwood", None), "parquet": ("hardwood", None),
    "rink": ("ice", None), "ice rink": ("ice", None),
    "tile": ("ceramic", "kitchen"), "tiles": ("ceramic", "kitchen"),
    "tile floor": ("ceramic", "kitchen"), "tiled floor": ("ceramic", "kitchen"),
    "floor tiles": ("ceramic", "kitchen"), "kitchen floor": ("ceramic", "kitchen"),
})

# ---------------------------------------------------------------------------------------------
# Motion verbs, by lemma (multi-word entries are phrasal verbs).
VERBS: MappingProxyType[str, Motion] = MappingProxyType({
    # falling
    "drop": "drop", "fall": "drop", "release": "drop", "plummet": "drop", "descend": "drop",
    "tumble": "drop", "plunge": "drop", "let go": "drop", "let go of": "drop",
    "let fall": "drop", "come down": "drop", "free fall": "drop",
    "freefall": "drop",
    # throwing
    "throw": "throw", "toss": "throw", "hurl": "throw", "flip": "throw", "toss up": "throw",
    "flip up": "throw", "fling": "throw", "lob": "throw",
    "launch": "throw", "pitch": "throw", "chuck": "throw", "shoot": "throw", "kick": "throw",
    "punt": "throw", "boot": "throw", "sling": "throw",
    "propel": "throw", "catapult": "throw",
    # rolling and sliding
    "roll": "roll", "trundle": "roll",
    # putting (the ball rolls along the green to the hole: see PUTTS)
    "putt": "roll", "tap in": "roll", "sink a putt": "roll", "sink the putt": "roll",
    "hole a putt": "roll", "hole the putt": "roll", "make a putt": "roll",
    "make the putt": "roll", "drain a putt": "roll", "drain the putt": "roll",
    "lip out": "miss", "horseshoe out": "miss",
    "push": "push", "shove": "push", "nudge": "push", "slide": "push", "skid": "push",
    "glide": "push", "drag": "push", "pull": "push", "scoot": "push", "flick": "push",
    "tow": "push", "haul": "push", "lug": "push",
    "spin": "spin", "wobble": "spin", "twirl": "spin", "whirl": "spin", "rotate": "spin",
    "pirouette": "spin",
    "swing": "move", "sway": "move", "oscillate": "move", "swing back and forth": "move",
    "drape": "drop", "drape over": "drop", "flutter": "drop", "flutter down": "drop",
    "drift down": "drop", "float down": "drop",
    "drive": "move", "ride": "move", "coast": "move",
    "move": "move", "travel": "move", "head": "move", "approach": "move", "race": "move",
    "speed": "move", "run into": "hit", "careen": "move", "advance": "move",
    # impacts
    "bounce": "bounce", "rebound": "bounce", "ricochet": "bounce", "deflect": "bounce",
    "carom": "bounce",
    "hit": "hit", "strike": "hit", "collide": "hit", "crash": "hit", "smash": "hit",
    "slam": "hit", "bump": "hit", "demolish": "hit", "wreck": "hit", "destroy": "hit",
    "plow into": "hit", "plough into": "hit", "barrel into": "hit", "swing into": "hit",
    "knock": "hit", "tap": "hit", "ram": "hit", "impact": "hit",
    "hammer": "hit", "pound": "hit", "whack": "hit",
    "crash into": "hit", "bump into": "hit", "knock into": "hit", "smack": "hit",
    "knock over": "topple", "knock down": "topple", "topple": "topple", "tip over": "topple",
    "fall over": "topple", "push over": "topple", "bowl over": "topple", "collapse": "topple",
    "cascade": "topple", "topple over": "topple",
    # the hoop
    "score": "score", "swish": "score", "dunk": "score", "go in": "score",
    "go into": "score", "go through": "score", "drop in": "score", "drop through": "score",
    "make": "score",
    "miss": "miss", "rim out": "miss", "clang": "miss",
    "bank": "bank", "bank in": "bank", "bank shot": "bank", "nothing but net": "score",
    # consequences of a motion already planned (grounded, add no action)
    "land": "land", "settle": "land", "stop": "land", "come to rest": "land",
    "come to a stop": "land", "splash": "land", "thud": "land", "rattle": "land",
    "float": "float", "bob": "float", "drift": "float", "stay afloat": "float",
    # a thing lighter than air floats up (a balloon let go: RISING); "float" on its own is
    # both, on water for a solid thing
    "rise": "float", "float up": "float", "float away": "float", "float off": "float",
    "drift up": "float", "drift away": "float", "rise up": "float",
    "sink": "sink", "sink to the bottom": "sink", "go under": "sink",
    "break": "break", "shatter": "break", "crack": "break", "burst": "break",
    "smash to pieces": "break", "break apart": "break", "fall apart": "break",
    "scatter": "land", "spread out": "land", "fly apart": "land", "go flying": "land",
    "fly": "fly", "soar": "fly", "sail": "fly", "arc": "fly", "fly through the air": "fly",
    # no motion
    "rest": "rest", "sit": "rest", "lie": "rest", "stand": "rest", "place": "rest",
    "put": "rest", "set": "rest", "stay": "rest", "remain": "rest", "wait": "rest",
    "position": "rest", "balance": "rest", "perch": "rest", "line up": "rest",
    "arrange": "rest", "stack": "rest", "stack up": "rest",
    "hold": "hold", "hang": "hold", "suspend": "hold", "dangle": "hold", "hover": "hold",
    # what doors do (a push on the leaf; SWING_FLAVOURS says which way)
    "open": "push", "swing open": "push", "push open": "push", "fly open": "push",
    "close": "push", "shut": "push", "swing shut": "push", "push shut": "push",
    "pull shut": "push", "slam shut": "push", "bang shut": "push",
    # what bells do (a push that swings a hung bell: its clapper strikes it)
    "ring": "push", "toll": "push", "peal": "push", "chime": "push",
})

# Floating words that mean up into the air, never on water ("a ball rises" adds no water).
RISING = frozenset({"rise", "float up", "float away", "float off", "drift up", "drift away",
                    "rise up"})
# Verbs of a thing hinged in a fixed frame (a door, SWINGING): which way a push swings it.
SWING_FLAVOURS = MappingProxyType({
    "open": "open", "swing open": "open", "push open": "open", "fly open": "slam_open",
    "close": "close", "shut": "close", "swing shut": "close", "push shut": "close",
    "pull shut": "close", "slam": "slam", "slam shut": "slam", "bang": "slam",
    "bang shut": "slam",
    "ring": "ring", "toll": "ring", "peal": "ring", "chime": "ring", "clang": "ring",
})
# Verbs only a swinging thing does here: "a phone rings" has no ringtone to play.
SWING_ONLY = frozenset({"ring", "toll", "peal", "chime"})

# Verbs whose motion has a flavour of its own: a kick strikes, a slide does not roll, a pull is
# a steady force. The lexicon motion above decides the template; the flavour picks the action.
FLAVOURS = MappingProxyType({
    "kick": "kick", "punt": "kick", "boot": "kick",
    "slide": "slide", "skid": "slide", "glide": "slide", "scoot": "slide",
    "pull": "pull", "drag": "pull", "tow": "pull", "haul": "pull", "lug": "pull",
    "flip": "flip", "flip up": "flip",
})

# Putting verbs, by the lemmas of the whole phrase: a roll along a green into its hole.
PUTTS = frozenset({"putt", "tap in", "sink a putt", "sink the putt", "hole a putt",
                   "hole the putt", "make a putt", "make the putt", "drain a putt",
                   "drain the putt"})

# Words that can be a noun right after an article ("a drop of water", "the fall"): as nouns
# they are not motions.
NOUN_TOO = frozenset({"drop", "fall", "roll", "push", "shot", "slide", "set", "pass", "pitch",
                      "fire", "hit", "crash", "bounce", "impact", "kick", "stack", "spin", "race",
                      "head", "speed", "arc", "score", "bank", "rest", "stand", "tap", "rise",
                      "land", "move", "release", "place", "position", "miss", "make", "sink",
                      "wait", "lie", "sit", "stop", "swish", "dunk", "hold", "collapse",
                      "cascade", "glide", "skid", "drag", "pull", "toss", "throw", "strike"})

STATIC_ADJECTIVES = frozenset({"stationary", "still", "motionless", "static", "resting",
                               "idle", "upright", "standing"})

# ---------------------------------------------------------------------------------------------
# Prepositions and the relation they express.
PREPOSITIONS = MappingProxyType({
    "on": "on", "onto": "on", "upon": "on", "atop": "on", "on top of": "on", "on to": "on",
    "into": "into", "in": "in", "inside": "in", "within": "in", "inside of": "in",
    "off": "off", "off of": "off", "from": "from", "out of": "from", "down": "down",
    "up": "up", "to": "to", "toward": "toward", "towards": "toward", "at": "at",
    "against": "toward", "in the direction of": "toward", "across": "across", "along": "across",
    "over": "over", "through": "through", "under": "under", "below": "under", "beneath": "under",
    "underneath": "under", "above": "above", "near": "near", "next to": "near",
    "beside": "near", "by": "by", "close to": "near", "alongside": "near", "nearby": "near",
    "behind": "behind", "in front of": "front", "left of": "left", "to the left of": "left",
    "on the left of": "left", "right of": "right", "to the right of": "right",
    "on the right of": "right", "around": "across", "past": "across", "between": "near",
    "with": "with", "of": "of", "beyond": "near", "off the edge of": "off",
    "one end of": "on", "the other end of": "on", "other end of": "on", "onto one end of": "on",
    "on one end of": "on", "the end of": "on",
    "end of": "on", "either end of": "on", "one side of": "on",
    "over the edge of": "off", "onto the edge of": "on", "on the edge of": "edge",
    "at the edge of": "edge", "near the edge of": "edge", "to the edge of": "toward",
    "toward the edge of": "edge", "towards the edge of": "edge",
})

# ---------------------------------------------------------------------------------------------
# Colours (#rrggbb, sRGB) and the words that shade them.
COLORS = MappingProxyType({
    "red": "#d62828", "orange": "#f77f00", "yellow": "#fcbf49", "green": "#2a9d3f",
    "blue": "#1f5fd1", "purple": "#7b2cbf", "violet": "#8f4ad8", "pink": "#f28ab2",
    "white": "#f2f2f2", "black": "#161616", "grey": "#8a8a8a", "gray": "#8a8a8a",
    "brown": "#7a4b26", "cyan": "#22b8cf", "teal": "#138a8a", "magenta": "#d0209b",
    "gold": "#d4a017", "golden": "#d4a017", "silver": "#c0c4c8", "beige": "#d8c8a8",
    "navy": "#1b2a5c", "maroon": "#6d1a28", "turquoise": "#30c5b5", "lime": "#8fd13f",
    "indigo": "#4b2a9a", "tan": "#c8a878", "cream": "#f3e9cf", "crimson": "#b0122e",
    "scarlet": "#e0301e", "amber": "#f0a020", "olive": "#7a7f2a", "lavender": "#b8a2e0",
    "ivory": "#f6f2e4", "coral": "#f27a5e", "khaki": "#c3b091", "azure": "#3f8fe0",
    "emerald": "#1f9d65", "charcoal": "#36393d", "peach": "#f6b48f", "mint": "#9be0b9",
})

SHADES = MappingProxyType({"light": 0.45, "pale": 0.55, "pastel": 0.5, "dark": -0.45,
                           "deep": -0.3, "bright": 0.15, "vivid": 0.05, "neon": 0.1})

VARIED_COLOR_WORDS = frozenset({"colorful", "colourful", "multicolored", "multicoloured",
                                "rainbow", "multicolor", "multicolour", "multi colored",
                                "multi coloured", "assorted", "different colored",
                                "different coloured", "various colored"})

# ---------------------------------------------------------------------------------------------
# Materials: adjective or noun -> materials-table name (only names the table holds survive).
_MATERIAL_WORDS = {
    "wood": "wood", "wooden": "wood", "timber": "wood", "oak": "wood", "pine": "wood",
    "plywood": "wood", "bamboo": "wood", "hardwood": "hardwood", "maple": "hardwood",
    "metal": "metal", "metallic": "metal", "steel": "metal", "iron": "metal",
    "aluminum": "metal", "aluminium": "metal", "copper": "metal", "brass": "metal",
    "tin": "metal", "chrome": "metal", "bronze": "metal", "titanium": "metal", "lead": "metal",
    "glass": "glass", "crystal": "glass", "rubber": "rubber", "rubbery": "rubber",
    "latex": "rubber", "plastic": "plastic", "acrylic": "plastic", "vinyl": "plastic",
    "stone": "stone", "rock": "stone", "marble": "stone", "granite": "stone",
    "concrete": "concrete", "cement": "concrete", "asphalt": "concrete",
    "ceramic": "ceramic", "porcelain": "ceramic", "clay": "ceramic", "terracotta": "ceramic",
    "leather": "leather", "felt": "felt", "cloth": "cloth", "fabric": "cloth",
    "cotton": "cloth", "wool": "cloth", "woolen": "cloth", "woollen": "cloth",
    "velvet": "cloth", "foam": "cloth", "paper": "paper", "cardboard": "paper",
    "ice": "ice", "icy": "ice", "frozen": "ice", "sand": "sand", "grass": "grass",
    "plaster": "plaster",
}
_MATERIAL_PREFERENCES = {"brick": ("brick", "stone"), "resin": ("resin", "plastic"),
                         "phenolic": ("resin", "plastic"), "steel": ("steel", "metal"),
                         "iron": ("iron", "metal"), "marble": ("marble", "stone"),
                         "porcelain": ("porcelain", "ceramic")}


def _material_words() -> dict[str, str]:
    table = {}
    for word, name in {**_MATERIAL_WORDS, **{w: p[0] for w, p in
                                            _MATERIAL_PREFERENCES.items()}}.items():
        choices = _MATERIAL_PREFERENCES.get(word, (name,))
        found = next((c for c in choices if c in MATERIALS), None)
        if found is not None:
            table[word] = found
    return table


MATERIAL_WORDS = MappingProxyType(_material_words())

# ---------------------------------------------------------------------------------------------
# Sizes (uniform scale), speeds (factor on the default speed) and heights.
SIZES = MappingProxyType({
    "tiny": 0.5, "mini": 0.5, "miniature": 0.5, "small": 0.7, "little": 0.7,
    "smaller": 0.75, "big": 1.5, "large": 1.5, "bigger": 1.3, "larger": 1.3, "huge": 2.5,
    "giant": 2.5, "enormous": 2.5, "massive": 2.2, "oversized": 2.0, "gigantic": 2.5,
    "jumbo": 2.0, "tall": 1.3, "short": 0.8,
})

SPEEDS = MappingProxyType({
    "slowly": 0.55, "slow": 0.55, "gently": 0.6, "gentle": 0.6, "softly": 0.6, "lightly": 0.6,
    "carefully": 0.6, "lazily": 0.5, "leisurely": 0.5, "gradually": 0.6,
    "quickly": 1.6, "quick": 1.6, "fast": 1.6, "rapidly": 1.6, "rapid": 1.6, "swiftly": 1.6,
    "forcefully": 1.8, "forceful": 1.8, "hard": 1.6, "powerfully": 1.8, "powerful": 1.8,
    "violently": 2.0, "strongly": 1.6, "hastily": 1.5, "briskly": 1.4, "with force": 1.8,
    "at high speed": 2.0, "at speed": 1.6, "full speed": 2.0, "speeding": 1.8,
})

HEIGHT_WORDS = MappingProxyType({
    "from a height": 2.5, "from height": 2.5, "from a great height": 4.0,
    "from high up": 3.0, "from high above": 3.0, "from above": 2.0, "high": 2.5,
    "from a high place": 3.0, "from the sky": 4.0, "from the ceiling": 2.4,
    "from a low height": 0.6, "from a small height": 0.6, "low": 0.8,
})

# ---------------------------------------------------------------------------------------------
# Numbers and quantities.
NUMBERS = MappingProxyType({
    "one": 1, "single": 1, "lone": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12,
    "a dozen": 12, "a couple of": 2, "couple of": 2, "a pair of": 2, "pair of": 2, "pair": 2,
    "a few": 3, "few": 3, "several": 3, "some": 3, "many": 6, "a bunch of": 5,
    "a handful of": 4, "lots of": 8, "a lot of": 8, "numerous": 8, "multiple": 3,
    "a number of": 4, "a series of": 6, "a group of": 4, "a set of": 4, "a collection of": 4,
    "two dozen": 24, "half a dozen": 6, "a whole row of": 8,
})

# Repeated strokes: "with several blows", "three times", "in 4 blows" (a count before one of
# these words), "twice". How many times a hammer strikes (interpret._blows).
BLOW_WORDS = frozenset({"blow", "blows", "time", "times", "stroke", "strokes", "whack",
                        "whacks"})
REPEATS = MappingProxyType({"twice": 2, "thrice": 3})

# Arrangements: a domino "row"/"line"/"chain" lays entities in a line; a "stack" piles them up.
ARRANGEMENTS = MappingProxyType({
    "row": "row", "line": "row", "chain": "row", "sequence": "row", "series": "row",
    "column": "row", "lined up": "row", "in a row": "row", "in a line": "row",
    "side by side": "row", "in line": "row", "domino effect": "row", "chain reaction": "row",
    "stack": "stack", "pile": "stack", "tower": "stack", "stacked": "stack", "piled": "stack",
    "heap": "stack",
})

# Temporal connectives: what follows happens after what came before (or the reverse for
# "after X" at the start of a clause).
THEN_WORDS = frozenset({"then", "afterwards", "afterward", "next", "later", "finally",
                        "subsequently", "eventually", "after that", "after this",
                        "and then", "soon after", "shortly after", "moments later",
                        "a moment later", "seconds later", "thereafter"})
AFTER_WORDS = frozenset({"after", "once", "as soon as", "when"})
TOGETHER_WORDS = frozenset({"simultaneously", "at the same time", "together", "at once",
                            "all at once", "in unison", "meanwhile", "while"})
STAGGER_WORDS = frozenset({"one after another", "one after the other", "one by one",
                           "in turn", "in sequence", "in succession", "one at a time",
                           "sequentially"})
SUDDEN_WORDS = frozenset({"suddenly", "immediately", "instantly", "abruptly", "now"})

# ---------------------------------------------------------------------------------------------
# Gravity (m/s^2, downward). Sources: NASA planetary fact sheets (Moon 1.62, Mars 3.71,
# Jupiter 24.79); "space" is free fall, i.e. no apparent gravity.
GRAVITY = MappingProxyType({
    "moon": 1.62, "on the moon": 1.62, "lunar": 1.62, "low gravity": 1.62, "mars": 3.71,
    "martian": 3.71, "jupiter": 24.79, "in space": 0.0, "outer space": 0.0,
    "space station": 0.0, "zero gravity": 0.0, "zero g": 0.0, "microgravity": 0.0,
    "weightless": 0.0, "weightlessness": 0.0, "no gravity": 0.0, "in orbit": 0.0,
})

# Water: a still surface filling the floor area; the value is its depth (m), deep enough that a
# stone sinks out of sight and a duck floats well clear of the bottom.
WATER = MappingProxyType({
    "water": 0.5, "pool": 0.6, "swimming pool": 0.6, "pool of water": 0.6, "tank": 0.5,
    "water tank": 0.5, "fish tank": 0.4, "aquarium": 0.4, "lake": 0.8, "pond": 0.6,
    "river": 0.8, "sea": 0.8, "ocean": 0.8, "bathtub": 0.35, "bath": 0.35, "tub": 0.35,
    "basin": 0.3, "bucket of water": 0.3, "body of water": 0.6, "underwater": 0.8,
    "filled with water": 0.4, "full of water": 0.4, "bowl of water": 0.3,
    "water surface": 0.5, "surface of the water": 0.5, "surface of water": 0.5,
    "shore": 0.5, "seashore": 0.5, "coast": 0.5, "open sea": 0.8, "open water": 0.8,
    "wave": 0.5, "waves": 0.5, "ocean waves": 0.8, "sea waves": 0.8, "surf": 0.5, "tide": 0.5,
    "breakers": 0.5, "bay": 0.8, "harbour": 0.8, "harbor": 0.8, "marina": 0.8,
})

# Open water by a shore: a beach with its sea (only beyond the shoreline), not a flooded floor.
OPEN_WATER = frozenset({"sea", "ocean", "lake", "shore", "seashore", "coast", "open sea",
                        "open water", "wave", "waves", "ocean waves", "sea waves", "surf",
                        "tide", "breakers", "bay", "harbour", "harbor", "marina"})
# What the sea's own waves do (the swell the beach always has): grounded by it ("waves lap").
SEA_MOTION = frozenset({"lap", "crash", "break", "roll", "ripple", "wash", "splash", "surge",
                        "swell", "rise", "fall", "come", "go"})

# Water in a hand-held container is not a pool to stage (reported, not grounded).
NOT_WATER = frozenset({"bottle of water", "water bottle", "water vapor", "water vapour",
                       "drop of water", "water droplet", "soda water", "water gun"})

# What fills the space: a vacuum removes air drag; air drag is on where it shows (a feather).
MEDIUM = MappingProxyType({
    "vacuum": "vacuum", "in a vacuum": "vacuum", "vacuum chamber": "vacuum",
    "airless": "vacuum", "no air": "vacuum", "without air": "vacuum",
    "air resistance": "air", "with air resistance": "air", "air drag": "air",
    # the air mentioned as a place, not as drag: it only says there is no water
    "in air": "open air", "in the air": "open air", "into the air": "open air",
    "through the air": "open air", "in mid air": "open air", "midair": "open air",
    "mid air": "open air",
})

# Looks: (Setting field, value). Only fields the Scene has are used (see interpret).
STYLE = MappingProxyType({
    "noir": (("grade", "noir"),), "film noir": (("grade", "noir"),),
    "black and white": (("grade", "noir"),), "black-and-white": (("grade", "noir"),),
    "monochrome": (("grade", "noir"),), "grayscale": (("grade", "noir"),),
    "greyscale": (("grade", "noir"),),
    "noir style": (("grade", "noir"),), "noir look": (("grade", "noir"),),
    "vintage style": (("grade", "vintage"),), "vintage look": (("grade", "vintage"),),
    "retro style": (("grade", "vintage"),), "retro look": (("grade", "vintage"),),
    "warm": (("grade", "warm"),), "warm light": (("grade", "warm"),),
    "warm tones": (("grade", "warm"),), "warm colors": (("grade", "warm"),),
    "golden hour": (("time_of_day", "golden_hour"), ("grade", "warm")),
    "golden light": (("time_of_day", "golden_hour"), ("grade", "warm")),
    "sunset": (("time_of_day", "golden_hour"), ("grade", "warm")),
    "at sunset": (("time_of_day", "golden_hour"), ("grade", "warm")),
    "dusk": (("time_of_day", "golden_hour"),), "sunrise": (("time_of_day", "dawn"),),
    "dawn": (("time_of_day", "dawn"),), "at dawn": (("time_of_day", "dawn"),),
    "noon": (("time_of_day", "noon"),), "midday": (("time_of_day", "noon"),),
    "cold": (("grade", "cold"),), "cold tones": (("grade", "cold"),),
    "cool tones": (("grade", "cold"),), "blue tones": (("grade", "cold"),),
    "bluish": (("grade", "cold"),), "icy blue": (("grade", "cold"),),
    "vintage": (("grade", "vintage"),), "old film": (("grade", "vintage"),),
    "retro": (("grade", "vintage"),), "sepia": (("grade", "vintage"),),
    "film grain": (("grade", "vintage"),), "old footage": (("grade", "vintage"),),
    "night": (("time_of_day", "night"),), "at night": (("time_of_day", "night"),),
    "nighttime": (("time_of_day", "night"),), "night time": (("time_of_day", "night"),),
    "midnight": (("time_of_day", "night"),),
    "fog": (("weather", "fog"),), "foggy": (("weather", "fog"),),
    "mist": (("weather", "fog"),), "misty": (("weather", "fog"),),
    "haze": (("weather", "haze"),), "hazy": (("weather", "haze"),),
    "rain": (("weather", "rain"),), "rainy": (("weather", "rain"),),
    "in the rain": (("weather", "rain"),), "raining": (("weather", "rain"),),
    "snow": (("weather", "snow"),), "snowy": (("weather", "snow"),),
    "snowing": (("weather", "snow"),), "in the snow": (("weather", "snow"),),
    "dimly lit": (("exposure", -1.0),), "brightly lit": (("exposure", 0.7),),
})

# Moods and styles (looks.yaml): mood words -> the (Setting field, value) pairs they show, all
# weaker than a word naming the look itself; art styles are understood and reported not shown.
LOOKS_FILE = Path(__file__).with_name("looks.yaml")


@functools.cache
def _looks() -> dict:
    return yaml.safe_load(LOOKS_FILE.read_text(encoding="utf-8"))


MOODS = MappingProxyType({phrase: tuple(fields.items())
                          for phrase, fields in _looks()["moods"].items()})
ART_STYLES = frozenset(_looks()["not_shown"]["words"])
ART_STYLE_NOTE: str = _looks()["not_shown"]["reason"]

# Slow motion: how many times slower than real time the world is filmed (a high-speed camera).
SLOW_MOTION = MappingProxyType({
    "slow motion": 4, "in slow motion": 4, "slow mo": 4, "slowmo": 4, "slo mo": 4,
    "super slow motion": 8, "extreme slow motion": 8, "ultra slow motion": 8,
    "high speed camera": 8, "high speed footage": 8, "high frame rate": 4,
    "slowed down": 4, "slowed": 4,
})

# ---------------------------------------------------------------------------------------------
# Time-lapse: the world filmed faster than it plays (how much faster, the planner chooses from
# what happens). The tokenizer splits hyphens: "time-lapse" is "time lapse".
TIME_LAPSE_WORDS = frozenset({"timelapse", "time lapse", "timelapsed", "time lapsed",
                              "hyperlapse", "fast motion", "fast forward", "fast forwarded"})

# ---------------------------------------------------------------------------------------------
# Camera: shot size, movement and elevation asked for in words.
CAMERA = MappingProxyType({
    "static shot": ("move", "static"), "static camera": ("move", "static"),
    "no camera movement": ("move", "static"), "fixed camera": ("move", "static"),
    "locked off": ("move", "static"), "still camera": ("move", "static"),
    "stationary camera": ("move", "static"), "tripod": ("move", "static"),
    "tracking shot": ("move", "track"), "tracking": ("move", "track"),
    "camera follows": ("move", "track"), "camera tracks": ("move", "track"),
    "follow shot": ("move", "track"), "following shot": ("move", "track"),
    "close up": ("size", "close"), "closeup": ("size", "close"), "close shot": ("size", "close"),
    "macro": ("size", "extreme_close"), "extreme close up": ("size", "extreme_close"),
    "extreme closeup": ("size", "extreme_close"), "extreme close shot": ("size", "extreme_close"),
    "medium shot": ("size", "medium"), "mid shot": ("size", "medium"),
    "medium close up": ("size", "medium"),
    "wide shot": ("size", "wide"), "wide angle": ("size", "wide"), "long shot": ("size", "wide"),
    "establishing shot": ("size", "wide"), "full shot": ("size", "wide"),
    "wide view": ("size", "wide"),
    "extreme wide shot": ("size", "extreme_wide"), "extreme wide": ("size", "extreme_wide"),
    "extreme long shot": ("size", "extreme_wide"), "very wide shot": ("size", "extreme_wide"),
    "top down": ("elevation", 80.0), "overhead": ("elevation", 70.0),
    "bird's eye": ("elevation", 80.0), "birds eye": ("elevation", 80.0),
    "bird eye": ("elevation", 80.0), "aerial": ("elevation", 60.0),
    "high angle": ("elevation", 40.0), "seen from above": ("elevation", 55.0),
    "viewed from above": ("elevation", 55.0), "filmed from above": ("elevation", 55.0),
    "shot from above": ("elevation", 55.0), "looking down": ("elevation", 60.0),
    "low angle": ("elevation", 2.0), "ground level": ("elevation", 1.0),
    "eye level": ("elevation", 12.0), "side view": ("elevation", 5.0),
    "seen from the side": ("elevation", 5.0), "viewed from the side": ("elevation", 5.0),
    "profile view": ("elevation", 5.0),
    # A still frame, a tableau: the picture held, not moving with anything.
    "still frame": ("move", "static"), "still shot": ("move", "static"),
    "still image": ("move", "static"), "tableau": (("move", "static"), ("size", "wide")),
    # The front is the side the layout faces the camera (-y): looking along +y, level.
    "front view": (("azimuth", 90.0), ("elevation", 5.0)),
    "seen from the front": (("azimuth", 90.0), ("elevation", 5.0)),
    "viewed from the front": (("azimuth", 90.0), ("elevation", 5.0)),
    "filmed from the front": (("azimuth", 90.0), ("elevation", 5.0)),
    "camera": ("noun", None), "shot": ("noun", None), "view": ("noun", None),
    "angle": ("noun", None), "footage": ("noun", None), "frame": ("noun", None),
    "lens": ("noun", None), "camera movement": ("noun", None),
    "camera is static": ("move", "static"), "camera is fixed": ("move", "static"),
    "camera movement is static": ("move", "static"), "camera remains static": ("move", "static"),
    "camera stays still": ("move", "static"), "camera remains still": ("move", "static"),
    "camera is still": ("move", "static"), "camera follows the ball": ("move", "track"),
    # Moves the renderer plays over a shot (render.camera), each way. A value is one (kind,
    # value) pair, or several.
    "pan": ("move", "pan"), "camera pans": ("move", "pan"), "pan left": ("move", "pan"),
    "panning shot": ("move", "pan"), "panning left": ("move", "pan"),
    "pan right": (("move", "pan"), ("reverse", True)), "camera pans left": ("move", "pan"),
    "camera pans right": (("move", "pan"), ("reverse", True)),
    "panning right": (("move", "pan"), ("reverse", True)),
    "tilt down": ("move", "tilt"), "camera tilts down": ("move", "tilt"),
    "camera tilts": ("move", "tilt"), "tilt up": (("move", "tilt"), ("reverse", True)),
    "camera tilts up": (("move", "tilt"), ("reverse", True)),
    "dolly in": ("move", "dolly_in"), "push in": ("move", "dolly_in"),
    "camera pushes in": ("move", "dolly_in"), "camera moves closer": ("move", "dolly_in"),
    "camera moves in": ("move", "dolly_in"), "camera approaches": ("move", "dolly_in"),
    "dolly out": ("move", "dolly_out"), "pull back": ("move", "dolly_out"),
    "camera pulls back": ("move", "dolly_out"), "pull out": ("move", "dolly_out"),
    "camera pulls out": ("move", "dolly_out"), "camera moves away": ("move", "dolly_out"),
    "camera orbits": ("move", "orbit"), "orbit shot": ("move", "orbit"),
    "orbiting shot": ("move", "orbit"), "camera circles": ("move", "orbit"),
    "arc shot": ("move", "orbit"), "camera revolves": ("move", "orbit"),
    "anticlockwise": ("reverse", False), "counterclockwise": ("reverse", False),
    "counter clockwise": ("reverse", False), "clockwise": ("reverse", True),
    "crane shot": ("move", "crane"), "crane up": ("move", "crane"),
    "camera rises": ("move", "crane"), "camera cranes up": ("move", "crane"),
    "jib up": ("move", "crane"), "crane down": (("move", "crane"), ("reverse", True)),
    "camera descends": (("move", "crane"), ("reverse", True)),
    "camera lowers": (("move", "crane"), ("reverse", True)),
    "truck right": ("move", "truck"), "tracking sideways": ("move", "truck"),
    "truck left": (("move", "truck"), ("reverse", True)),
    "handheld": ("move", "handheld"), "hand held": ("move", "handheld"),
    "handheld camera": ("move", "handheld"), "shaky camera": ("move", "handheld"),
    "camera shakes": ("move", "handheld"), "shaking camera": ("move", "handheld"),
})

# Editing: a cut starts the next shot of a storyboard ("a wide shot of ..., then cut to a
# close-up of ..."). What each shot frames and how comes from the words between the cuts.
CUTS = frozenset({"cut to", "then cut to", "cuts to", "cutting to", "smash cut to",
                  "hard cut to", "next shot", "in the next shot"})

# Camera moves the renderer does not play (a zoom changes the lens over a shot): recognised so
# they start no motion, and reported as not grounded.
CAMERA_UNSUPPORTED = frozenset({
    "zoom in", "zoom out", "zooms in", "zooms out", "zoom", "dolly zoom", "camera zooms",
    "camera moves", "rack focus", "camera rotates",
})

# Meta words about the clip itself; understood, nothing to ground.
META_WORDS = frozenset({"video", "clip", "scene", "film", "movie", "footage", "shows",
                        "show", "showing", "depict", "depicting", "capture", "capturing",
                        "captures", "captured", "display", "displaying", "demonstrate",
                        "demonstrating", "illustrate", "illustrating", "realistic", "real",
                        "physics", "simulation", "watch", "see", "visible", "moment",
                        "second", "seconds", "sec", "s"})

# Measurement units -> (quantity, factor to SI).
UNITS = MappingProxyType({
    "m": ("length", 1.0), "meter": ("length", 1.0), "cm": ("length", 0.01),
    "centimeter": ("length", 0.01), "mm": ("length", 0.001), "millimeter": ("length", 0.001),
    "ft": ("length", 0.3048), "foot": ("length", 0.3048), "feet": ("length", 0.3048),
    "inch": ("length", 0.0254), "in": ("length", 0.0254), "km": ("length", 1000.0),
    "m/s": ("speed", 1.0), "meters per second": ("speed", 1.0),
    "meter per second": ("speed", 1.0), "mps": ("speed", 1.0), "km/h": ("speed", 1 / 3.6),
    "kmh": ("speed", 1 / 3.6), "kph": ("speed", 1 / 3.6), "mph": ("speed", 0.44704),
    "miles per hour": ("speed", 0.44704), "kilometers per hour": ("speed", 1 / 3.6),
    "s": ("time", 1.0), "sec": ("time", 1.0), "second": ("time", 1.0),
    "ms": ("time", 0.001), "millisecond": ("time", 0.001), "minute": ("time", 60.0),
    "min": ("time", 60.0),
    # plurals the lemmas keep ("seconds" is a word of its own in META_WORDS)
    "seconds": ("time", 1.0), "secs": ("time", 1.0), "minutes": ("time", 60.0),
    "mins": ("time", 60.0), "milliseconds": ("time", 0.001),
})

# "off the glass" is the backboard in basketball talk.
BACKBOARD_PHRASES = frozenset({"off the glass", "off the board", "against the glass",
                               "off glass"})

# Hoop verbs that name a basketball shot even when no hoop is mentioned ("a ball swishes").
HOOP_IMPLYING = frozenset({"swish", "dunk", "bank", "score", "miss", "rim", "clang", "bank shot",
                           "nothing but net"})

# Audio wishes.
SILENT_WORDS = frozenset({"silent", "silently", "no sound", "without sound", "muted", "mute",
                          "no audio", "without audio", "no ambience"})

# Adjectives that commonly sit between a colour and its noun ("a red shiny ball"); they are
# reported as not grounded but do not cut the colour off from the noun.
SOFT_ADJECTIVES = frozenset({
    "shiny", "glossy", "smooth", "round", "soft", "hard", "heavy", "light", "elastic",
    "bouncy", "old", "new", "vintage", "plain", "simple", "perfect", "vibrant", "bright",
    "dull", "worn", "polished", "textured", "rough", "solid", "hollow", "inflatable",
    "inflated", "deflated", "striped", "spotted", "dotted", "checkered", "matte", "clean",
    "dirty", "wet", "dry", "lone", "single", "spherical", "rectangular", "square", "flat",
    "sturdy", "thick", "thin", "wide", "narrow", "long", "classic", "standard", "official",
    "regulation", "professional", "toy", "sleek", "glistening", "gleaming", "beautiful",
    "striking", "nice", "cute", "lovely", "ordinary", "regular", "typical", "favorite",
    "favourite", "brand", "brand-new", "battered", "scuffed", "painted", "lacquered",
    "varnished", "sturdy", "hefty", "lightweight", "dense", "rigid", "firm", "springy",
})

ADJECTIVE_SUFFIXES = ("y", "ful", "ous", "ive", "ic", "ed", "ing", "ish", "less", "able",
                      "ible")


def _phrase_key(text: str) -> tuple[str, ...]:
    return tuple(lemma(w) for w in text.replace("-", " ").split())


def _build_index() -> dict[tuple[str, ...], list[Entry]]:
    index: dict[tuple[str, ...], list[Entry]] = {}

    def add(phrase: str, kind: str, value: object) -> None:
        entries = index.setdefault(_phrase_key(phrase), [])
        if Entry(kind, value) not in entries:
            entries.append(Entry(kind, value))

    for phrase in NOT_OBJECTS | NOT_WATER:
        add(phrase, "not_object", phrase)
    for phrase, sense in _registry_objects().items():
        add(phrase, "object", sense)
    for phrase, name in _registry_settings().items():
        add(phrase, "setting", name)
    for phrase, value in FLOOR_MATERIAL_NOUNS.items():
        add(phrase, "floor_noun", value)
    for word in FLOOR_WORDS:
        add(word, "floor", word)
    for phrase, value in GRAVITY.items():
        add(phrase, "gravity", value)
    for phrase, value in CAMERA.items():
        add(phrase, "camera", value)
    for phrase, value in WATER.items():
        add(phrase, "water", value)
    for phrase, value in MEDIUM.items():
        add(phrase, "medium", value)
    for phrase, value in STYLE.items():
        add(phrase, "style", value)
    for phrase, value in MOODS.items():
        add(phrase, "mood", value)
    for phrase in ART_STYLES:
        add(phrase, "art_style", phrase)
    for phrase, value in SLOW_MOTION.items():
        add(phrase, "slow_motion", value)
    for phrase in TIME_LAPSE_WORDS:
        add(phrase, "time_lapse", phrase)
    for phrase, value in HEIGHT_WORDS.items():
        add(phrase, "height", value)
    for phrase, value in VERBS.items():
        add(phrase, "verb", value)
    for phrase, value in ARRANGEMENTS.items():
        add(phrase, "arrangement", value)
    for phrase, value in NUMBERS.items():
        add(phrase, "number", value)
    for phrase, value in REPEATS.items():
        add(phrase, "repeat", value)
    for phrase in THEN_WORDS:
        add(phrase, "then", phrase)
    for phrase in AFTER_WORDS:
        add(phrase, "after", phrase)
    for phrase in TOGETHER_WORDS:
        add(phrase, "together", phrase)
    for phrase in STAGGER_WORDS:
        add(phrase, "stagger", phrase)
    for phrase in SUDDEN_WORDS:
        add(phrase, "sudden", phrase)
    for phrase in SILENT_WORDS:
        add(phrase, "silent", phrase)
    for phrase in BACKBOARD_PHRASES:
        add(phrase, "backboard", phrase)
    for phrase in CUTS:
        add(phrase, "cut", None)
    for phrase in CAMERA_UNSUPPORTED:
        add(phrase, "camera_unsupported", phrase)
    for phrase, value in SPEEDS.items():
        add(phrase, "speed", value)
    for phrase, value in SIZES.items():
        add(phrase, "size", value)
    for phrase, value in COLORS.items():
        add(phrase, "color", value)
    for phrase, value in SHADES.items():
        add(phrase, "shade", value)
    for phrase in VARIED_COLOR_WORDS:
        add(phrase, "varied_color", phrase)
    for phrase, value in MATERIAL_WORDS.items():
        add(phrase, "material", value)
    for phrase, value in PREPOSITIONS.items():
        add(phrase, "prep", value)
    for phrase, value in PRONOUNS.items():
        add(phrase, "pronoun", value)
    for word in NEW_ENTITY_WORDS:
        add(word, "new", word)
    for word in STATIC_ADJECTIVES:
        add(word, "static", word)
    for word in META_WORDS:
        add(word, "meta", word)
    return index


def _known_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words with a meaning of their own, every word that appears in some phrase)."""
    single: set[str] = set(STOPWORDS)
    words: set[str] = set(STOPWORDS)
    tables = [NOT_OBJECTS, NOT_WATER, _registry_objects(), _registry_settings(),
              FLOOR_MATERIAL_NOUNS, FLOOR_WORDS, GRAVITY, CAMERA, WATER, MEDIUM, STYLE,
              SLOW_MOTION, HEIGHT_WORDS, VERBS, ARRANGEMENTS, NUMBERS, REPEATS,
              THEN_WORDS, AFTER_WORDS, TOGETHER_WORDS, STAGGER_WORDS, SUDDEN_WORDS,
              SILENT_WORDS, BACKBOARD_PHRASES, CAMERA_UNSUPPORTED, CUTS, SPEEDS, SIZES, COLORS,
              SHADES,
              VARIED_COLOR_WORDS, MATERIAL_WORDS, PREPOSITIONS, PRONOUNS, NEW_ENTITY_WORDS,
              STATIC_ADJECTIVES, META_WORDS, UNITS, FRAME_VERBS]
    for table in tables:
        for phrase in table:
            parts = phrase.replace("-", " ").split()
            words.update(parts)
            if len(parts) == 1:
                single.add(parts[0])
    return frozenset(single), frozenset(words)


def _suffix_candidates(word: str) -> list[str]:
    """Base forms a regular inflection could come from, most likely first."""
    out: list[str] = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # dropped -> drop, rolling keeps "roll" via stem
            if suffix == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")
    return out


_SINGLE: frozenset[str] = frozenset()
_KNOWN: frozenset[str] = frozenset()


def lemma(word: str) -> str:
    """The lexicon's base form of `word` ("balls" -> "ball", "dropped" -> "drop"), or the word
    itself when no known base form explains it."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if not _KNOWN or word in _SINGLE:
        return word
    candidates = _suffix_candidates(word)
    for pool in (_SINGLE, _KNOWN):
        for candidate in candidates:
            if candidate in pool and (candidate not in STOPWORDS or candidate in FRAME_VERBS):
                return candidate
    return word


_SINGLE, _KNOWN = _known_words()
INDEX: MappingProxyType[tuple[str, ...], tuple[Entry, ...]] = MappingProxyType(
    {k: tuple(v) for k, v in _build_index().items()}
)


def lookup(lemmas: tuple[str, ...]) -> tuple[Entry, ...]:
    """Every meaning the lexicon knows for this sequence of lemmas (empty if none)."""
    return INDEX.get(lemmas, ())


def looks_adjective(word: str) -> bool:
    """A guess, for unknown words only: adjectives do not break a modifier-noun chain."""
    return word in SOFT_ADJECTIVES or (len(word) > 4 and word.endswith(ADJECTIVE_SUFFIXES))


# ---------------------------------------------------------------------------------------------
# What a bare "ball" is, from the verb done to it, who plays it or where (balls.yaml).
BALLS_FILE = Path(__file__).with_name("balls.yaml")


@functools.cache
def _ball_contexts() -> list[dict[str, str]]:
    table = yaml.safe_load(BALLS_FILE.read_text(encoding="utf-8"))
    return [table["verbs"], table["players"], table["places"]]


def bare_ball(words: list[str], lemmas: list[str]) -> str | None:
    """The ball asset a bare "ball" is in a sentence of these words and their lemmas ("kicks"
    -> soccer_ball, "golfer" -> golf_ball, "tennis court" -> tennis_ball), or None when nothing
    says."""
    contexts = _ball_contexts()
    for k in range(len(words)):
        phrases = [words[k], lemmas[k]]
        if k + 1 < len(words):
            phrases[:0] = [f"{words[k]} {words[k + 1]}", f"{words[k]} {lemmas[k + 1]}"]
        for table in contexts:
            for phrase in phrases:
                if phrase in table:
                    return table[phrase]
    return None
