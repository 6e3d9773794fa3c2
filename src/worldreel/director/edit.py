"""edit_scene: a Scene changed by a prompt (a remix), everything it does not mention kept.

The prompt is read with the director's parser and lexicon; its instructions are split where a
word of `edits.yaml` starts one ("add", "remove", "make"...; none: a change, as in "the crate
should be metal"). A change gives what it names (a thing by its asset's words, "the second
ball"; a person by role or name, "the woman", "Maya") new colours, materials, clothes or hair;
an addition places new things or people clear of the others (director.placing); a removal
takes things or people out with everything that refers to them. Words for the place, the time
of day, the weather, the look, slow motion and the clip's length change the Scene as a whole.

Nothing is a silent no-op: a prompt that changes nothing raises PromptError saying why and what
a remix understands; words not understood beside a change are warned about as plan_scene does.
"""

from __future__ import annotations

from collections.abc import Sequence

from worldreel.assets import check_scene_assets
from worldreel.director import lexicon as lx
from worldreel.director.edit_add import add
from worldreel.director.edit_setting import lengthened, slowed
from worldreel.director.edit_things import change, remove, say
from worldreel.director.editing import Clause, Edit, edit_words, looks_word, match_phrase
from worldreel.director.grounding import NOT_IN_WORLD, grounding_report, report_lines
from worldreel.director.names import check_cast, name_mentions
from worldreel.director.parser import Parse, parse
from worldreel.director.plan import Plan, _check_prompt, _quoted_lines
from worldreel.errors import PromptError, SceneError
from worldreel.rng import generator
from worldreel.scene import NamedLook, Scene, scene_from_dict, scene_to_dict


def _examples() -> str:
    return ", ".join(f"'{e}'" for e in edit_words()["examples"])


def _clauses(parsed: Parse) -> list[Clause]:
    """The instructions of the prompt, their opening words marked used."""
    words = edit_words()
    items = parsed.items
    out: list[Clause] = []
    mode, start, k = "change", 0, 0

    def close(end: int) -> None:
        if end > start:
            out.append(Clause(mode, start, end))

    while k < len(items):
        item = items[k]
        if item.kind == "punct" and item.value in (".", "!", "?", ";"):
            close(k)
            mode, start, k = "change", k + 1, k + 1
            continue
        # "a red dress", "made of glass": a noun or a participle, not an instruction
        describes = items[k].words[0] == "made" or k > 0 and (
            items[k - 1].kind in ("color", "material", "size", "shade")
            or items[k - 1].words[-1] in lx.DETERMINERS)
        for name in ("add", "remove", "change"):
            n = 0 if describes else match_phrase(parsed, k, words[name])
            if n:
                close(k)
                for opener in items[k:k + n]:
                    opener.used = True
                mode, start, k = name, k + n, k + n
                break
        else:
            k += 1
    close(len(items))
    return out


def _check_inputs(scene: object, seed: object) -> None:
    if not isinstance(scene, Scene):
        raise SceneError(f"edit_scene needs a Scene to change, not {type(scene).__name__}")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise PromptError(f"seed must be a whole number >= 0, got {seed!r}")


def edit_scene(scene: Scene, prompt: str, *, seed: int | None = None,
               cast: Sequence[NamedLook] = ()) -> Plan:
    """The Scene changed as the prompt asks ("make the ball red", "now at night", "add a
    second ball", "remove the crate", "in slow motion", "make it 8 seconds long"), everything
    it does not mention as it was (ids, positions, actions, shots, seed, dialogue); quoted
    words are said after what is said already, by the person the prompt names.

    `seed` (None: the Scene's) varies what the prompt leaves open (which side a new thing
    stands); `cast`: stored looks the prompt may name ("add Maya").

    Raises PromptError when the prompt changes nothing, saying why and what a remix
    understands; SceneError when `scene` is not a Scene."""
    _check_inputs(scene, seed)
    text = _check_prompt(prompt)
    looks = check_cast(cast)
    text, quoted = _quoted_lines(text)
    parsed = parse(text)
    edit = Edit(scene_to_dict(scene), parsed, name_mentions(text, parsed, looks), looks,
                 generator(scene.seed if seed is None else seed, "director.edit"))
    for item in parsed.items:
        if item.words and all(w in edit_words()["filler"] for w in item.words):
            item.used = True
        if item.kind == "object" and item.value.stands_for and looks_word(item):  # type: ignore
            # "his hair", "a ponytail": what a person wears, not a thing standing in for it
            item.kind, item.value, item.entries = "word", item.words[-1], ()
    for clause in _clauses(parsed):
        {"add": add, "remove": remove, "change": change}[clause.mode](edit, clause)
    if quoted:
        say(edit, [line for _, line in quoted])
    if parsed.duration is not None:
        edit.duration, edit.asked = parsed.duration[0], True
        for item in parsed.duration[1]:
            item.used = True
    edited = _validated(edit)
    if edit.slow_motion is not None:
        edited = slowed(edited, edit.slow_motion, edit)
    if edit.duration is not None:
        edited = lengthened(edited, edit.duration, edit)
    unknown = parsed.unused_words()
    if scene_to_dict(edited) == scene_to_dict(scene):
        # words the lexicon knows ("red" with no thing to make red) are not "not understood"
        strange = {w for item in parsed.items if item.kind == "word" for w in item.words}
        raise PromptError(_nothing_changed(edit, [w for w in unknown if w in strange]))
    check_scene_assets(edited)
    warnings = []
    if unknown:
        warnings.append("not grounded: " + ", ".join(f"'{w}'" for w in unknown))
    report = grounding_report(text, parsed)
    # a person word a remix could not find is explained by its failure, not by casting's note
    casting = f"not shown: {NOT_IN_WORLD['person']}"
    warnings += edit.failures + [line for line in report_lines(report) if line != casting] + \
        edit.notes
    return Plan(scene=edited, warnings=list(dict.fromkeys(warnings)),
                unknown_words=tuple(unknown), grounding=tuple(report))


def _validated(edit: Edit) -> Scene:
    try:
        return scene_from_dict(edit.data, source="remixed scene")
    except SceneError as exc:
        raise PromptError(f"cannot make this change: {exc}".splitlines()[0]) from None


def _nothing_changed(edit: Edit, unknown: list[str]) -> str:
    """One line: why nothing changed, then what a remix understands."""
    explained = " ".join(edit.failures)
    unheard = [w for w in unknown if w not in explained]
    why = list(dict.fromkeys(edit.failures))
    if unheard:
        why.append(f"not understood: {', '.join(unheard[:6])}")
    if not why and edit.asked:
        why.append("the scene is already as asked")
    said = f": {'; '.join(why)}" if why else ""
    return f"the remix changes nothing{said}. Say what to change, e.g. {_examples()}"
