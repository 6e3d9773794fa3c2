"""extend_scene: a Scene that keeps simulating from where another one ends, for more seconds.

The extended Scene is the old one, longer, with what the prompt says happens next added after
the old end: the same world, cast, actions and lines (so the same simulation up to the old
end: physics, animation and timing are functions of the Scene, and nothing added starts
before it), and one more shot that carries on from the last without a cut. The prompt is
read by the director itself (plan_scene) after a sentence naming who and what is already
there, so its people and things, pronouns included, stand for the old ones; what it makes
them do is moved onto the old Scene's ids and clock.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import replace
from pathlib import Path

import yaml

from worldreel.director.cast import people_table
from worldreel.director.grounding import Grounding, report_lines
from worldreel.director.plan import Plan, plan_scene
from worldreel.errors import DurationError, PromptError
from worldreel.scene import Scene, scene_from_dict, scene_to_dict
from worldreel.scene.limits import MAX_PROMPT_CHARS
from worldreel.scene.models import MAX_DURATION_S
from worldreel.scene.timing import ACTION_TIMES

EXTEND_FILE = Path(__file__).with_name("extend.yaml")
EXTEND_LEAD_S = 0.3  # the world plays on this long after the old end before anything new starts
FIRST_AT_S = 0.3  # a fresh plan's first step or line with no time of its own starts here
CHILD_BELOW_AGE = 13
# Actions that cannot start later than the clip's start without changing what came before:
# drops and throws hold their thing still from the clip's start (physics.actions.held_until),
# and a pull switches off resting bodies' sleep for the whole clip (physics.simulate).
NOT_LATER = {"drop": "let go of from where it was placed",
             "throw": "thrown from where it was placed",
             "pull": "pulled (a pull changes how the whole clip is simulated)"}


@functools.cache
def _words() -> dict:
    return yaml.safe_load(EXTEND_FILE.read_text(encoding="utf-8"))


def _check_seconds(scene: Scene, seconds: object) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(
            seconds):
        raise PromptError(f"seconds must be a number of seconds to add, not {seconds!r}")
    room = MAX_DURATION_S / scene.time_lapse - scene.duration
    if seconds <= 0:
        raise PromptError(f"seconds must be more than 0 (the seconds added after the clip's "
                          f"{scene.duration:g} s), got {seconds:g}")
    if seconds > room + 1e-9:
        raise PromptError(
            f"extending a {scene.duration:g} s clip by {seconds:g} s makes it "
            f"{scene.duration + seconds:g} s, longer than the longest clip "
            f"({MAX_DURATION_S / scene.time_lapse:g} s); add at most {max(room, 0.0):.3g} s")
    return float(seconds)


def _base(identifier: str) -> str:
    return re.sub(r"_\d+$", "", identifier)


def _noun(character) -> str:
    """The word a prompt would name this person by: its id when the role table knows it (a
    chef), else from its body (a man, a girl)."""
    role = _base(character.id).replace("_", " ")
    if role in people_table()["roles"]:
        return role
    male = character.body.gender >= 0.5
    if character.body.age < CHILD_BELOW_AGE:
        return "boy" if male else "girl"
    return "man" if male else "woman"


def _cast_sentence(scene: Scene) -> str:
    """A sentence naming everyone and everything already in the Scene, in order."""
    names = [f"a {_noun(c)}" for c in scene.characters]
    names += [f"a {e.asset.replace('_', ' ')}" for e in scene.entities]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return listed + "."


def _pronouns_named(text: str, scene: Scene) -> str:
    """The prompt with he/him (she/her) written as the one man (woman) of the cast, when there
    is exactly one: the director reads a pronoun as the nearest person named, and in an
    extension the person meant was named in the clip, not in the prompt."""
    nouns = [_noun(c) for c in scene.characters]
    for pronouns, kind in ((("he", "him"), "male"), (("she", "her"), "female")):
        who = [n for n, c in zip(nouns, scene.characters)
               if (c.body.gender >= 0.5) == (kind == "male")]
        if len(who) != 1:
            continue
        subject, object_ = pronouns
        text = re.sub(rf"\b{subject}\b", f"the {who[0]}", text, flags=re.IGNORECASE)
        # "her" is also "her ball": only where it ends a phrase
        ends = r"(?=\s*(?:$|[.,;!?]|\b(?:and|then|to|with|at|from|again|back|away)\b))"
        text = re.sub(rf"\b{object_}\b{ends if object_ == 'her' else ''}", f"the {who[0]}",
                      text, flags=re.IGNORECASE)
    return text


def _matched(old: list[tuple[str, str]], fresh: list[tuple[str, str]]) -> dict[str, str]:
    """Fresh ids onto old ids by kind (an asset, a person's noun), in order."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for fid, kind in fresh:
        for oid, okind in old:
            if okind == kind and oid not in taken:
                out[fid] = oid
                taken.add(oid)
                break
    return out


def _is_ball(asset: str) -> bool:
    from worldreel.assets import ASSETS  # noqa: PLC0415

    spec = ASSETS[asset]
    return spec.parts[0].shape == "sphere" and not spec.fixed


def _id_map(scene: Scene, fresh: Scene) -> dict[str, str]:
    """Fresh entity and character ids onto the old Scene's: the same asset or person first;
    then a ball for a ball (the director picks a soccer ball for "kicks the ball" where the
    clip has a basketball)."""
    ids = _matched([(e.id, e.asset) for e in scene.entities],
                   [(e.id, e.asset) for e in fresh.entities])
    rest_old = [(e.id, "ball") for e in scene.entities if e.id not in ids.values()
                and _is_ball(e.asset)]
    rest_new = [(e.id, "ball") for e in fresh.entities if e.id not in ids and _is_ball(e.asset)]
    ids.update(_matched(rest_old, rest_new))
    ids.update(_matched([(c.id, _noun(c)) for c in scene.characters],
                        [(c.id, _base(c.id).replace("_", " ")) for c in fresh.characters]))
    return ids


class _Moved:
    """Fresh actions, steps and lines moved onto the old Scene: ids renamed, times shifted."""

    def __init__(self, scene: Scene, shift: float, factor: float):
        self.shift, self.factor = shift, factor
        taken = {a.id for a in scene.actions} | {s.id for c in scene.characters
                                                 for s in c.script} | {
            line.id for line in scene.audio.dialogue}
        self.old_ids = frozenset(t for t in taken if t is not None)
        self.renamed: dict[str, str] = {}
        self._taken = set(self.old_ids)

    def name(self, fresh_id: str | None) -> str | None:
        if fresh_id is None:
            return None
        if fresh_id not in self.renamed:
            new, n = fresh_id, 1
            while new in self._taken:
                n += 1
                new = f"{fresh_id}_next{n - 1}"
            self._taken.add(new)
            self.renamed[fresh_id] = new
        return self.renamed[fresh_id]

    def timed(self, item: dict, first: bool, start: float = 0.0) -> dict:
        """The item on the old clip's clock: times scaled to its speed and shifted past its
        end; one with no clock of its own that would start at `start` is given that time."""
        item = dict(item)
        for name in ACTION_TIMES:
            if item.get(name) is not None:
                item[name] = item[name] * self.factor
        if item.get("at") is not None:
            item["at"] = round(item["at"] + self.shift, 6)
        elif item.get("after") is not None:
            item["after"] = self.name(item["after"])
        elif first:
            item["at"] = round(start * self.factor + self.shift, 6)
        if item.get("id") is not None:
            item["id"] = self.name(item["id"])
        return item


def _fresh_start(fresh: Scene) -> float:
    """When the first thing of a freshly planned story happens (its own clock)."""
    starts = [a.at for a in fresh.actions if a.at is not None]
    starts += [s.at for c in fresh.characters for s in c.script if s.at is not None]
    starts += [line.at for line in fresh.audio.dialogue if line.at is not None]
    if any(line.at is None and line.after is None for line in fresh.audio.dialogue[:1]):
        starts.append(FIRST_AT_S)
    return min(starts, default=FIRST_AT_S)


def _continuing_shot(scene: Scene, data: dict, ids: dict[str, str], fresh: Scene) -> dict:
    """The shot that carries on from the clip's last one without a cut: the same camera, on
    what the extension is about when the last shot was on one subject; a move that plays once
    over a shot (a pan, a dolly) is not played again."""
    last = dict(data["shots"][-1])
    frames = scene.frame_count  # the old clip's frames; the new shot starts on the next one
    start = max(frames / scene.fps, last["start"] + 1e-6)
    subject = next((ids.get(s.subject) for s in fresh.shots if ids.get(s.subject)), None)
    if last.get("subject") is not None and subject is not None:
        last["subject"] = subject
    if last["move"] not in ("static", "track", "follow", "handheld"):
        last["move"] = "static"
        last["reverse"] = False
    last.update(start=start, continues=True)
    return last


def _added(scene: Scene, fresh: Scene, ids: dict[str, str], defaults: set[tuple[str, str]],
           warnings: list[str]) -> tuple[list, dict[str, list], list]:
    """The fresh plan's actions, script steps and lines, moved onto the old Scene."""
    # the fresh plan's clip clock (slowed or sped up if its words said so) onto the old one's
    factor = scene.slow_motion / scene.time_lapse * fresh.time_lapse / fresh.slow_motion
    shift = scene.duration + EXTEND_LEAD_S - _fresh_start(fresh) * factor
    moved = _Moved(scene, shift, factor)
    data = scene_to_dict(fresh)
    kept_ids: set[str] = set()
    actions = []
    for action in data["actions"]:
        entity, kind = action["entity"], action["kind"]
        if (kind, entity) in defaults:
            continue  # the director's own motion for a thing the prompt left still
        target = action.get("target")
        if entity not in ids or (target is not None and target not in ids):
            missing = entity if entity not in ids else target
            warnings.append(f"not in the clip, so not moved: the {missing.replace('_', ' ')}"
                            f" (an extension carries on with what is already there)")
            continue
        if kind in NOT_LATER:
            warnings.append(f"the {ids[entity].replace('_', ' ')} is not {NOT_LATER[kind]} in "
                            "an extension: that would change the clip before it")
            continue
        action = moved.timed(action, first=action.get("after") is None)
        action["entity"] = ids[entity]
        if target is not None:
            action["target"] = ids[target]
        kept_ids.add(action.get("id") or "")
        actions.append(action)
    steps: dict[str, list] = {}
    for character in data["characters"]:
        cid = ids.get(character["id"])
        if cid is None:
            if character["script"]:
                warnings.append(f"not in the clip: the {_base(character['id'])} (an extension "
                                "carries on with who is already there)")
            continue
        old = scene.character(cid)
        fresh_pos = character["position"]
        for k, step in enumerate(character["script"]):
            target = step.get("target")
            if target is not None and target not in ids:
                warnings.append(f"the {cid} does not {step['do'].replace('_', ' ')}: the "
                                f"{target.replace('_', ' ')} is not in the clip")
                continue
            step = moved.timed(step, first=k == 0 or cid not in steps, start=0.0)
            if target is not None:
                step["target"] = ids[target]
            if step.get("place") is not None:  # where the fresh plan put them, moved to them
                step["place"] = [round(p + o - f, 4) for p, o, f in
                                 zip(step["place"], old.position, fresh_pos)]
            steps.setdefault(cid, []).append(step)
    lines = []
    for n, line in enumerate(data["audio"]["dialogue"]):
        if n == 0 and line.get("at") is None and line.get("after") is None:
            # the first line's own clock (FIRST_AT_S after the start), made explicit: after
            # the old lines it would follow the last of them instead
            line = {**line, "at": FIRST_AT_S + line.get("delay", 0.0), "delay": 0.0}
        line = moved.timed(line, first=False)
        for field in ("speaker", "to"):
            if line.get(field) is not None:
                line[field] = ids.get(line[field])
        lines.append(line)
    _no_dangling(actions, steps, lines, moved, scene.duration + EXTEND_LEAD_S)
    return actions, steps, lines


def _no_dangling(actions: list, steps: dict[str, list], lines: list, moved: _Moved,
                 start: float) -> None:
    """What waits for something of the fresh plan that was left out starts at `start`."""
    kept = {item.get("id") for item in (*actions, *lines, *(s for v in steps.values()
                                                             for s in v))}
    known = kept | moved.old_ids
    for item in (*actions, *lines, *(s for v in steps.values() for s in v)):
        if item.get("after") is not None and item["after"] not in known:
            item["after"] = None
            item["at"] = round(start, 6)


def _default_motions(fresh_plan: Plan, alone: Scene | None) -> set[tuple[str, str]]:
    """(kind, entity) of the motions the director gave things the prompt left still ("no
    motion was named, so the ball is dropped"), as it does to the cast sentence `alone`: not
    asked for, so not added."""
    if alone is None or not any(w.startswith("no motion was named")
                                for w in fresh_plan.warnings):
        return set()
    return {(a.kind, a.entity) for a in alone.actions}


def _world_wishes(fresh: Scene, alone: Scene | None) -> list[str]:
    """What the prompt asks of the world that an extension keeps as it was: the place, its
    light and weather, gravity, the camera's speed (notes for the user)."""
    if alone is None:
        return []
    changed = [name.replace("_", " ") for name in ("environment", "gravity", "medium",
                                                   "time_of_day", "weather", "grade",
                                                   "exposure", "water_level")
               if getattr(fresh.setting, name) != getattr(alone.setting, name)]
    if fresh.slow_motion != alone.slow_motion or fresh.time_lapse != alone.time_lapse:
        changed.append("the camera's speed (slow motion, time-lapse)")
    if not changed:
        return []
    return [f"an extension plays on in the same world: {', '.join(changed)} stay as in the "
            "clip"]


def _planned(cast_sentence: str, seed: int, fresh: Scene) -> Scene | None:
    """The cast sentence alone as the director plans it: the world the prompt found, before
    its own words."""
    try:
        return plan_scene(cast_sentence, seed=seed, fps=fresh.fps,
                          resolution=fresh.resolution).scene
    except PromptError:  # an empty Scene: no cast sentence
        return None


def _told_grounding(fresh_plan: Plan, offset: int, same_text: bool) -> tuple[Grounding, ...]:
    """What became of the prompt's own words (not the cast sentence read before them), with
    offsets in the prompt; none where pronouns were written out (the offsets moved)."""
    told = []
    for item in fresh_plan.grounding:
        if item.start is None or item.start < offset:
            continue
        placed = same_text and item.end is not None
        told.append(replace(item, start=item.start - offset if placed else None,
                            end=item.end - offset if placed else None))
    return tuple(told)


def _unknown(words: tuple[str, ...]) -> list[str]:
    """Words not understood, less the ones that only say the clip goes on."""
    carry_on = set(_words()["carry_on"])
    return [w for w in words if w.lower() not in carry_on]


def extend_scene(scene: Scene, prompt: str, seconds: float, *, seed: int | None = None
                 ) -> Plan:
    """The Scene played on for `seconds` more, with what `prompt` says happens next.

    The first scene.duration seconds of the result play exactly as `scene` did; what the
    prompt tells (read against the Scene's own people and things) starts after that. A prompt
    that tells nothing new ("keep going") lets the world play on. Raises PromptError when
    `seconds` is not more than 0 or makes the clip longer than the longest a Scene may be,
    DurationError when it is too short for what the prompt tells.
    """
    seconds = _check_seconds(scene, seconds)
    if not isinstance(prompt, str):
        raise PromptError(f"the prompt must be text, not {type(prompt).__name__}; say what "
                          "happens next, or 'keep going'")
    text = " ".join(prompt.split()) or "keep going"
    seed = scene.seed if seed is None else seed
    cast = _cast_sentence(scene)
    told = _pronouns_named(text, scene)
    warnings: list[str] = []
    reading = f"{cast} {told}".strip()
    if len(reading) > MAX_PROMPT_CHARS:
        raise PromptError(f"the prompt is {len(text)} characters long; say what happens next in "
                          f"under {MAX_PROMPT_CHARS - len(cast) - 1} characters")
    try:
        fresh_plan = plan_scene(reading, seed=seed, fps=scene.fps, resolution=scene.resolution)
    except PromptError as exc:  # vague prose: the world carries on
        fresh_plan = None
        warnings.append(f"nothing new is told ({exc}): the world plays on for {seconds:g} s")
    data = scene_to_dict(scene)
    data["duration"] = scene.duration + seconds
    unknown: list[str] = []
    grounding: tuple[Grounding, ...] = ()
    if fresh_plan is not None:
        fresh = fresh_plan.scene
        ids = _id_map(scene, fresh)
        alone = _planned(cast, seed, fresh)
        defaults = _default_motions(fresh_plan, alone)
        warnings += _world_wishes(fresh, alone)
        actions, steps, lines = _added(scene, fresh, ids, defaults, warnings)
        data["actions"] += actions
        for character in data["characters"]:
            character["script"] += steps.get(character["id"], [])
        data["audio"]["dialogue"] += lines
        unknown = _unknown(fresh_plan.unknown_words)
        grounding = _told_grounding(fresh_plan, len(reading) - len(told), told == text)
        warnings += report_lines(list(grounding))
        if not (actions or steps or lines):
            warnings.append(f"nothing new happens: the world plays on for {seconds:g} s")
        data["shots"].append(_continuing_shot(scene, data, ids, fresh))
        _check_room(data, scene, seconds)
    else:
        data["shots"].append(_continuing_shot(scene, data, {}, scene))
    if unknown:
        warnings.insert(0, "not grounded: " + ", ".join(f"'{w}'" for w in unknown))
    if scene.prompt is not None:
        data["prompt"] = f"{scene.prompt} Then: {text}"[:MAX_PROMPT_CHARS]
    extended = scene_from_dict(data, source="extended scene")
    end = _scripts_end(extended)
    if end > extended.duration + 1e-9:
        warnings.append(f"what the people are told ends at {end:.1f} s, after the clip "
                        f"({extended.duration:g} s): add at least "
                        f"{math.ceil(end - scene.duration):g} s to see all of it")
    return Plan(scene=extended, warnings=list(dict.fromkeys(warnings)),
                unknown_words=tuple(unknown), grounding=grounding)


def _check_room(data: dict, scene: Scene, seconds: float) -> None:
    """DurationError when something told starts at or after the new end."""
    starts = [a["at"] for a in data["actions"] if a.get("at") is not None]
    starts += [s["at"] for c in data["characters"] for s in c["script"]
               if s.get("at") is not None]
    starts += [line["at"] for line in data["audio"]["dialogue"] if line.get("at") is not None]
    last = max(starts, default=0.0)
    if last >= data["duration"]:
        raise DurationError(seconds, last - scene.duration)


def _scripts_end(scene: Scene) -> float:
    """When the last step of anyone's script ends, however long the clip (lines counted as
    instants: the speech stage has not measured them here)."""
    from worldreel.animation import step_durations  # noqa: PLC0415 - plans every script
    from worldreel.timeline import scripts_end  # noqa: PLC0415

    return scripts_end(scene, step_durations(scene))
