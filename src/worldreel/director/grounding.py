"""The grounding report: what became of every word of a prompt that matters.

Each content word is one of:
- grounded: shown as what it says (a registry asset that is that thing, a motion, a place...);
- substituted: shown by something else, said with what and why ("a vase stands in for
  'kettle': both are vessels"; "a tennis ball, resized and dressed, stands in for 'golf ball'");
- not_shown: left out, with the reason when there is one (an animal or vehicle WorldReel's world
  does not have yet: a wolf, a bicycle).

Nothing is substituted silently: the report, `Plan.warnings` and `worldreel plan --json` all
come from the same list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from worldreel.assets.senses import ASSET_SENSES
from worldreel.director import lexicon as lx
from worldreel.director.parser import Item, Parse
from worldreel.director.wordnet import noun_kind, wordnet

Status = Literal["grounded", "substituted", "not_shown"]
NOT_IN_WORLD = {  # why a noun of each kind is not shown, for the user
    "person": "a person named only this way is not cast (say who: 'a man', 'a chef', 'two "
              "kids'; the role table is director/people.yaml)",
    "animal": "this animal is not in WorldReel's world yet (the animals are dogs, cats, "
              "horses, cows, sheep, bears, elephants, zebras and giraffes)",
    "vehicle": "this vehicle is not in WorldReel's world yet (the vehicles are cars, SUVs, "
               "vans, pickups, buses, trucks, bicycles, motorcycles, mopeds, scooters, "
               "skateboards, boats, trains and planes)"}


@dataclass(frozen=True)
class Grounding:
    """What became of one word (or phrase) of the prompt."""

    text: str  # the words, lower case, as the director read them
    start: int | None  # character offset in the prompt (None if it could not be placed)
    end: int | None
    status: Status
    shown_as: str | None = None  # the asset showing it (grounded or substituted objects)
    note: str = ""  # for the user: what stands in and why, or why it is not shown

    def to_dict(self) -> dict:
        return asdict(self)


def _asset_words(asset: str) -> str:
    return asset.replace("_", " ")


def _is_that_thing(phrase: str, asset: str) -> bool:
    """Whether the asset is what `phrase` names: its name, one of its WordNet senses, a broader
    word for it (a basketball is "a ball") or a narrower kind of it ("a coffee table"), rather
    than something else (a glass for "a mug")."""
    if phrase.replace(" ", "_") == asset:
        return True
    reader = wordnet()
    if reader is None:
        return True  # without WordNet, the registry's names and aliases are taken at their word
    # WordNet writes compounds with "_" or "-" ("ping-pong_ball"), or as one word.
    spellings = [phrase.replace(" ", "_"), phrase.replace(" ", "-"), phrase.replace(" ", "")]
    spellings += [phrase.rsplit(" ", 1)[0].replace(" ", "-") + "_" + phrase.rsplit(" ", 1)[1]
                  ] if phrase.count(" ") >= 2 else []
    senses = next((found for s in spellings if (found := reader.synsets(s, "n"))), [])
    if not senses:
        return True  # a name WordNet does not know ("jenga"): the registry's word for the asset
    own = {reader.synset(name) for name in ASSET_SENSES.get(asset, ())}
    if own & set(senses):
        return True  # one of the word's senses is the asset's, if a rarer one (golf's "green")

    def ancestors(sense) -> set:
        return {h for path in sense.hypernym_paths() for h in path}

    above = set().union(*(ancestors(sense) for sense in own)) if own else set()
    # The same thing, a broader word for it ("a ball": a basketball is one), or a narrower
    # kind of it shown plainly ("a coffee table": a table).
    return any(sense in above or own & ancestors(sense) for sense in senses[:3])


def _object_note(words: tuple[str, ...], sense: lx.ObjectSense) -> tuple[Status, str]:
    phrase = " ".join(words)
    asset = _asset_words(sense.asset)
    if sense.stands_for is not None:
        return "substituted", (f"a {asset} stands in for '{sense.stands_for}' (both are "
                               f"{sense.kind}s; there is no {sense.stands_for} yet)")
    # Resized or recoloured: made to look like something it is not. (A material alone is the
    # phrase's own adjective: "a brick wall" is a wall, in brick.)
    dressed_up = sense.scale != 1.0 or sense.color is not None
    if not dressed_up and _is_that_thing(" ".join(lx.lemma(w) for w in words), sense.asset):
        return "grounded", ""
    dressed = [f"{sense.scale:g}x the size" if sense.scale != 1.0 else "",
               f"{sense.material}" if sense.material else "",
               "recoloured" if sense.color else ""]
    how = ", ".join(d for d in dressed if d)
    return "substituted", (f"a {asset}{f' ({how})' if how else ''} stands in for '{phrase}'")


def token_spans(prompt: str, parse: Parse) -> list[tuple[int | None, int | None]]:
    """Character span of each token in `prompt`, found in order (None where the tokenizer
    changed the text, e.g. a contraction)."""
    lower, cursor, spans = prompt.lower(), 0, []
    for token in parse.tokens:
        at = lower.find(token.text, cursor)
        if at < 0:
            spans.append((None, None))
            continue
        spans.append((at, at + len(token.text)))
        cursor = at + len(token.text)
    return spans


def _why_not_shown(item: Item) -> str:
    if item.kind == "art_style":
        return lx.ART_STYLE_NOTE
    kind = noun_kind(str(item.value)) if len(item.words) == 1 else None
    if kind is not None and kind.category in NOT_IN_WORLD:
        return NOT_IN_WORLD[kind.category]
    return ""


def _style_names(items: list[Item]) -> set[int]:
    """Indices of the words naming an art style ("in the style of Van Gogh", "Van Gogh
    style"): they are not shown for the style's reason, not as a person or a thing."""
    names: set[int] = set()
    for k, item in enumerate(items):
        if item.kind != "art_style":
            continue
        step = 1 if item.words[-1] == "of" else -1  # the name follows "of", else precedes
        j = k + step
        while 0 <= j < len(items) and items[j].kind == "word" and not items[j].used:
            names.add(j)
            j += step
    return names


def grounding_report(prompt: str, parse: Parse) -> list[Grounding]:
    """What became of every content item of the parsed prompt, in prompt order."""
    spans = token_spans(prompt, parse)
    unused = set(parse.unused_words())
    style_names = _style_names(parse.items)
    report = []
    for k, item in enumerate(parse.items):
        if item.kind in ("stop", "punct"):
            continue
        start = spans[item.start][0] if item.start < len(spans) else None
        end = spans[item.end - 1][1] if item.end - 1 < len(spans) else None
        if item.used and item.kind == "object" and isinstance(item.value, lx.ObjectSense):
            status, note = _object_note(item.words, item.value)
            report.append(Grounding(item.text, start, end, status, item.value.asset, note))
        elif item.used:
            report.append(Grounding(item.text, start, end, "grounded"))
        elif any(word in unused for word in item.words):
            why = lx.ART_STYLE_NOTE if k in style_names else _why_not_shown(item)
            report.append(Grounding(item.text, start, end, "not_shown", None, why))
    return report


def report_lines(report: list[Grounding]) -> list[str]:
    """The report's news for the user besides the words not grounded (said by the planner):
    one line for the stand-ins, one per reason something is not shown."""
    lines = []
    substituted = list(dict.fromkeys(g.note for g in report if g.status == "substituted"))
    if substituted:
        lines.append("stand-ins: " + "; ".join(substituted))
    reasons = list(dict.fromkeys(g.note for g in report if g.status == "not_shown" and g.note))
    lines += [f"not shown: {reason}" for reason in reasons]
    return lines
