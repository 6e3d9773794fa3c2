"""plan_scene: the director's one entry point, from a sentence to a Scene and what it could not
ground.

The director is rule based and deterministic: the same prompt and seed always give the same
Scene; the seed only varies what the prompt leaves open (exact positions, unnamed colours).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from worldreel.assets import ENVIRONMENTS, check_scene_assets
from worldreel.director.animal_cast import animal_mentions, cast_animals
from worldreel.director.animal_scripts import animal_ids, with_animals
from worldreel.director.flock_cast import flock_mentions, read_flocks, with_flocks
from worldreel.director.cast import cast_people, crowd_sounds, handled_items, people_at, with_cast
from worldreel.director.grounding import Grounding, grounding_report, report_lines, token_spans
from worldreel.director.interpret import Story, interpret
from worldreel.director.layout import lay_out
from worldreel.director.mounts import (find_mounts, hand_over_steps, read_mounts,
                                       with_brought_riders, with_riders)
from worldreel.director.names import check_cast, name_mentions
from worldreel.director.parser import Parse, parse
from worldreel.director.planner import build_scene, time_lapsed
from worldreel.director.traffic import (medium_of, read_car_doors, read_traffic, vehicle_ids,
                                        vehicle_mentions, with_traffic, without_traffic)
from worldreel.director.wordnet import noun_kind
from worldreel.errors import PromptError, SceneError
from worldreel.rng import generator
from worldreel.scene import NamedLook, Scene, scene_from_dict, scene_to_dict
from worldreel.scene import models as scene_models
from worldreel.scene.limits import MAX_PROMPT_CHARS
from worldreel.scene.models import MAX_DURATION_S

EARTH_GRAVITY = 9.81
SUBJECTS = frozenset({"animal", "vehicle", "person", "thing"})  # noun kinds a clip is about
CROWD_REACTION_S = 1.5  # a crowd is heard this long after the action it watches (a throw's flight)
EXAMPLE = "name an object such as a ball, a crate or dominoes, e.g. 'a basketball bounces off " \
          "the backboard and falls to the floor'"


@dataclass(frozen=True)
class Plan:
    """A grounded prompt: the Scene to play, and what the director could not ground."""

    scene: Scene
    warnings: list[str]
    unknown_words: tuple[str, ...] = ()
    grounding: tuple[Grounding, ...] = ()  # what became of every word that matters


def _check_prompt(prompt: object) -> str:
    if not isinstance(prompt, str):
        raise PromptError(f"the prompt must be text, not {type(prompt).__name__}; {EXAMPLE}")
    text = " ".join(prompt.split())
    if not text:
        raise PromptError(f"the prompt is empty; {EXAMPLE}")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise PromptError(
            f"the prompt is {len(prompt)} characters long; keep it under {MAX_PROMPT_CHARS} "
            "(one or two sentences about what happens)"
        )
    return text


def _check_options(duration: float | None, fps: int, resolution: tuple[int, int],
                   seed: int) -> None:
    if duration is not None and not (0 < duration <= MAX_DURATION_S):
        raise PromptError(f"duration must be between 0 and {MAX_DURATION_S:g} s, got {duration}")
    if not isinstance(seed, int) or seed < 0:
        raise PromptError(f"seed must be a whole number >= 0, got {seed!r}")
    if not isinstance(fps, int) or not 1 <= fps <= 120:
        raise PromptError(f"fps must be a whole number from 1 to 120, got {fps!r}")
    if len(tuple(resolution)) != 2:
        raise PromptError(f"resolution must be (width, height), got {resolution!r}")


_QUOTES = re.compile(r'"([^"]+)"|“([^”]+)”')


def _quoted_lines(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The prompt without its quoted speech, and the quoted lines in order, each with where it
    was (a character offset in the prompt without them)."""
    kept, lines, cursor = [], [], 0
    for match in _QUOTES.finditer(text):
        kept.append(text[cursor:match.start()])
        line = (match.group(1) or match.group(2)).strip()
        if line:
            lines.append((len(" ".join(" ".join(kept).split())), line))
        cursor = match.end()
    kept.append(text[cursor:])
    return " ".join(" ".join(kept).split()), lines


def _just_a_place(story: Story, parsed: Parse) -> bool:
    """Whether the prompt asks for a place and nothing it cannot show in it ("waves crash on
    the shore", "a quiet street at night"); a place that would stand empty of the animal, thing
    or person asked for ("a panda in a forest") is refused instead."""
    if story.environment is None:
        return False
    missing = [noun_kind(word) for word in parsed.unused_words()]
    return not any(kind is not None and kind.category in SUBJECTS for kind in missing)


def _with_crowd(scene: Scene, sounds: list[tuple[str, int]]) -> Scene:
    """The Scene with the crowds' sounds, heard as what they watch happens: a reaction time
    after the last action starts (a thrown thing's flight), or from the start if none."""
    data = scene_to_dict(scene)
    last = next((a.get("id") for a in reversed(data["actions"]) if a.get("id")), None)
    for sound, count in sounds:
        line: dict = {"sound": sound, "count": count}
        if last is not None:
            line.update(after=last, delay=CROWD_REACTION_S)
        data["audio"]["dialogue"].append(line)
    return scene_from_dict(data, source="planned scene")


FIELD_UNITS = {"speed": "m/s", "force": "N", "duration": "s", "flight_time": "s", "delay": "s",
               "at": "s", "rate": "rad/s", "fps": "fps"}


def _out_of_range(exc: ValidationError) -> str:
    """One line naming the value that cannot be, and the range it must lie in."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    unit = FIELD_UNITS.get(loc[-1], "") if loc else ""

    def amount(number) -> str:
        if not isinstance(number, int | float) or isinstance(number, bool):
            return repr(number)

        def num(x: float) -> str:
            return f"{x:.0f}" if abs(x) >= 1000 else f"{x:.4g}"

        text = f"{num(number)}{' ' + unit if unit else ''}"
        return f"{text} ({num(number * 3.6)} km/h)" if unit == "m/s" and number else text

    limits = []
    model = getattr(scene_models, exc.title, None)
    info = getattr(model, "model_fields", {}).get(loc[0]) if loc else None
    for bound in getattr(info, "metadata", ()):
        for name, word in (("gt", "more than"), ("ge", "at least"), ("lt", "less than"),
                           ("le", "at most")):
            if getattr(bound, name, None) is not None:
                limits.append(f"{word} {amount(getattr(bound, name))}")
    allowed = (f"it must be {' and '.join(limits)}" if limits else
               error["msg"][:1].lower() + error["msg"][1:])
    return (f"cannot make this scene: the {exc.title.lower()}'s {'.'.join(loc) or 'value'} would "
            f"be {amount(error.get('input'))}, but {allowed}; change it in the prompt or options")


def _environment(story: Story, outdoors: bool = False, road: bool = False,
                 sea: bool = False) -> str:
    """The place said, else the one the things need; `outdoors`: animals with no place said
    are shown on grass, not in a studio; `road`: vehicles drive on a street; `sea`: boats are
    on the sea, off a beach (whatever place is said: the only sea here is the beach's)."""
    if sea and "beach" in ENVIRONMENTS:
        return "beach"
    if story.environment is not None and story.environment in ENVIRONMENTS:
        return story.environment
    if road and "street" in ENVIRONMENTS:
        return "street"
    if outdoors and "park" in ENVIRONMENTS:
        return "park"
    if any(t.is_hoop for t in story.things) and "gym" in ENVIRONMENTS:
        return "gym"  # a hoop with nothing said about the place: a court
    if any(t.asset == "putting_green" for t in story.things) and "park" in ENVIRONMENTS:
        return "park"  # a putting green with nothing said about the place: outdoors, on grass
    return "studio" if "studio" in ENVIRONMENTS else next(iter(ENVIRONMENTS))


def plan_scene(prompt: str, *, duration: float | None = None, fps: int = 24,
               resolution: tuple[int, int] = (1280, 720), seed: int = 0,
               cast: Sequence[NamedLook] = ()) -> Plan:
    """Ground a prompt in a Scene. `cast`: stored looks the prompt may name ("Maya waves"):
    each one named is cast with exactly that look (id from the name) and speaks in its voice.

    Raises PromptError (one line saying what to write) for empty, non-text or over-long prompts,
    prompts that name nothing the director can show, or a duration too short for the story.
    """
    text = _check_prompt(prompt)
    _check_options(duration, fps, resolution, seed)
    looks = check_cast(cast)
    text, quoted = _quoted_lines(text)
    if not text.strip():
        raise PromptError(f"the prompt only holds quoted speech; also say what happens: {EXAMPLE}")
    parsed = parse(text)
    named = name_mentions(text, parsed, looks)
    beasts = animal_mentions(parsed)  # before the people: what follows an animal is its own
    rides = vehicle_mentions(parsed)
    flocks = flock_mentions(parsed)
    others = {at for group in (beasts, rides, flocks) for b in group for at in b.mentions}
    people = cast_people(parsed, spoken=bool(quoted), named=named,  # before the things
                         stops=frozenset(others))
    mounts = find_mounts(parsed, people, rides, beasts)  # riders' mounts may be brought along
    hand_over_steps(mounts)
    actors = {at for p in people for at in p.mentions}
    cast_animals(parsed, beasts, actors | {at for r in rides for at in r.mentions})
    read_car_doors(parsed, rides)  # before the traffic's verbs: "slams the car door" is no crash
    read_traffic(parsed, rides, actors | {at for b in beasts for at in b.mentions},
                 ridden=frozenset(id(m.ride) for m in mounts if m.ride is not None))
    read_mounts(parsed, mounts, actors | others)
    read_flocks(parsed, flocks, others | actors)
    crowds = crowd_sounds(parsed)
    acted_on = frozenset(t for b in beasts for _, _, t, _ in b.steps if t is not None)
    story = interpret(without_traffic(parsed, rides), handled_items(people) | acted_on)
    if not story.things and not people and not beasts and not rides and not flocks and \
            not _just_a_place(story, parsed):
        unknown = parsed.unused_words()
        heard = f" (not understood: {', '.join(unknown[:6])})" if unknown else ""
        raise PromptError(f"nothing in the prompt can be shown yet{heard}; {EXAMPLE}")
    on_road = any(medium_of(r.asset) == "road" for r in rides)
    afloat = any(medium_of(r.asset) == "water" for r in rides)
    environment = _environment(story, outdoors=bool(beasts or flocks or rides), road=on_road,
                               sea=afloat)
    gravity = EARTH_GRAVITY if story.gravity is None else story.gravity
    floor = story.floor_material or ENVIRONMENTS[environment].floor_material
    layout = lay_out(story, gravity=gravity, floor_material=floor, environment=environment,
                     rng=generator(seed, "director.layout"))
    try:
        scene = build_scene(story, layout, prompt=text, seed=seed, fps=fps,
                            resolution=tuple(resolution),
                            # a time-lapse's asked length is its clip's, not its world's
                            duration=float(duration) if duration is not None and not
                            story.time_lapse else story.duration,
                            environment=environment,
                            gravity=gravity)
    except ValidationError as exc:  # a value from the prompt or the options out of range
        raise PromptError(_out_of_range(exc)) from None
    except ValueError as exc:
        raise PromptError(f"cannot make a scene with these options: {exc}".splitlines()[0]
                          ) from None
    if people or beasts or rides or flocks or quoted:
        bodies: dict[int, list[str]] = {}
        for body in layout.bodies:
            bodies.setdefault(id(body.thing), []).append(body.id)
        things_at = {at: [i for t in things for i in bodies.get(id(t), [])]
                     for at, things in story.things_at.items()}
        animals_at = {at: aid for beast, aid in animal_ids(beasts) for at in beast.mentions}
        if people:
            spans = token_spans(text, parsed)
            mention_at = {id(p): spans[parsed.items[p.at].start][0] or 0 for p in people}
            data, cast_notes = with_cast(scene, people, quoted, mention_at, things_at,
                                         animals_at)
            story.notes.extend(cast_notes)
        else:
            data = scene_to_dict(scene)
            # quoted lines with no one to say them: narration, one after another, timed once
            # the speech stage knows how long each is
            data["audio"]["dialogue"] = [{"text": line} for _, line in quoted]
        if rides:
            story.notes.extend(with_traffic(data, rides, parsed, lengthen=duration is None))
        if beasts:
            story.notes.extend(with_animals(data, beasts, things_at, people_at(people)))
        if flocks:
            story.notes.extend(with_flocks(data, flocks))
        if mounts:
            mount_ids: dict[int, list[str]] = {}
            for one, mid in [*vehicle_ids(rides), *animal_ids(beasts)]:
                mount_ids.setdefault(id(one), []).append(mid)
            story.notes.extend(with_riders(data, mounts, people_at(people), mount_ids))
        if rides:  # after the riders the prompt names are seated
            story.notes.extend(with_brought_riders(data, vehicle_ids(rides)))
        try:
            scene = scene_from_dict(data, source="planned scene")
        except SceneError as exc:
            raise PromptError(f"cannot make this scene: {exc}".splitlines()[0]) from None
    if crowds:
        scene = _with_crowd(scene, crowds)
    if story.time_lapse:
        scene = time_lapsed(scene, float(duration) if duration is not None else None,
                            story.notes)
        for item in story.time_lapse:
            item.used = scene.time_lapse > 1
    check_scene_assets(scene)
    unknown = parsed.unused_words()
    report = grounding_report(text, parsed)
    warnings = []
    if unknown:
        warnings.append("not grounded: " + ", ".join(f"'{w}'" for w in unknown))
    warnings += report_lines(report) + story.notes + layout.notes
    warnings = list(dict.fromkeys(warnings))  # one line for what two steps both noticed
    return Plan(scene=scene, warnings=warnings, unknown_words=tuple(unknown),
                grounding=tuple(report))

