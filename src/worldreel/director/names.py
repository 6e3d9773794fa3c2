"""Named people: finding the stored looks a prompt names ("Maya waves"), and reading the look
of a character of a Scene back out (to keep it under a name).

A name is matched as a whole word, in any case ("maya", "MAYA"); a name that is also a word the
director knows ("Amber", "Will", "Rose") is taken for the person only when written with a
capital, so "an amber ball" stays a colour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from worldreel.director import lexicon as lx
from worldreel.director.grounding import token_spans
from worldreel.director.parser import Parse
from worldreel.errors import PromptError, SceneError
from worldreel.scene import NamedLook, Scene
from worldreel.scene.limits import MAX_CHARACTERS


def check_cast(cast: object) -> dict[str, NamedLook]:
    """The named looks by lower-case name; PromptError for anything that is not a sequence of
    NamedLook or for two looks with one name."""
    if isinstance(cast, (str, bytes, dict)) or not isinstance(cast, Sequence):
        raise PromptError(f"cast must be a list of named looks, not {type(cast).__name__}")
    looks: dict[str, NamedLook] = {}
    for look in cast:
        if not isinstance(look, NamedLook):
            raise PromptError(f"cast holds a {type(look).__name__}; give NamedLook objects "
                              "(NamedLook.from_dict reads stored ones)")
        key = look.name.lower()
        if key in looks and looks[key] != look:
            raise PromptError(f"cast names {look.name!r} twice with different looks; keep one")
        looks[key] = look
    return looks


def _known_word(word: str) -> bool:
    """Whether the director reads `word` as something other than a name."""
    return word in lx.STOPWORDS or bool(lx.lookup((lx.lemma(word),)))


def name_mentions(text: str, parsed: Parse, looks: dict[str, NamedLook]) -> dict[int, NamedLook]:
    """The items of `parsed` (by index) that name one of `looks` in `text` (the text parsed)."""
    if not looks:
        return {}
    spans = token_spans(text, parsed)
    starts = {start: n for n, (start, _) in enumerate(spans) if start is not None}
    item_of = {item.start: k for k, item in enumerate(parsed.items)
               if item.end == item.start + 1}
    found: dict[int, NamedLook] = {}
    for key, look in looks.items():
        pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            word = match.group(0)
            if _known_word(key) and not word[:1].isupper():
                continue  # "an amber ball": the colour, not Amber
            token = starts.get(match.start())
            if token is not None and token in item_of:
                found[item_of[token]] = look
    return dict(sorted(found.items()))


def _name_from_id(character_id: str) -> str:
    """A name for a character that has none of its own: its id's letters ("woman_2" ->
    "Woman")."""
    letters = "".join(c for c in character_id if c.isalpha())
    return letters.capitalize() or "Someone"


def look_of(scene: Scene, character_id: str | None = None, *, name: str | None = None
            ) -> NamedLook:
    """The look of a character of `scene` (by id; None: the first person of the Scene) under
    `name` (None: from the id, 'woman_2' -> 'Woman'), with the voice its lines are spoken in
    when the Scene gives one (None: the speech stage casts one that fits the body).

    Raises SceneError when the Scene has no people or no character of that id."""
    if not scene.characters:
        raise SceneError("this scene has no people to take a look from; make a video with a "
                         "person in it (e.g. 'a woman waves')")
    if character_id is None:
        character = scene.characters[0]
    else:
        ids = [c.id for c in scene.characters]
        if character_id not in ids:
            raise SceneError(f"this scene has no character {character_id!r}; its people are "
                             f"{', '.join(ids[:MAX_CHARACTERS])}")
        character = scene.character(character_id)
    voice = next((line.voice for line in scene.audio.dialogue
                  if line.speaker == character.id and line.voice is not None), None)
    data = {"name": name if name is not None else _name_from_id(character.id),
            "body": character.body.model_dump(), "outfit": character.outfit.model_dump(),
            "hair": character.hair.model_dump(), "voice": voice}
    return NamedLook.from_dict(data)
