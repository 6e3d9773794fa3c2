"""Remix changes to the Scene as a whole (director.edit): the place, the floor, the time of day,
the weather and the look, slow motion and the clip's length. Things stay where they stood.
"""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets import ENVIRONMENTS, MATERIALS
from worldreel.director import geometry
from worldreel.director.editing import (Edit, edit_words, mark_phrase, mark_prep_before,
                                        match_phrase)
from worldreel.director.parser import Item, NounPhrase
from worldreel.director.placing import inside_room, solids_of
from worldreel.scene import Scene, scene_from_dict, scene_to_dict
from worldreel.scene.limits import MAX_SLOW_MOTION
from worldreel.scene.models import MAX_DURATION_S, Setting
from worldreel.timeline import in_slow_motion

SEA_MARGIN_M = 1.0  # a sea moved out beyond what stands on the sand keeps this much beach


def scene_wide(edit: Edit, k: int, removing: bool) -> bool:
    """Apply item k if it speaks of the Scene as a whole; whether it did."""
    done = _wide_item(edit, k, removing)
    edit.asked |= done
    return done


def _wide_item(edit: Edit, k: int, removing: bool) -> bool:
    item = edit.items[k]
    setting = edit.data["setting"]
    if item.kind in ("style", "mood"):
        for name, value in item.value:  # type: ignore[union-attr]
            if name in Setting.model_fields:
                setting[name] = edit_words()["neutral"].get(name, value) if removing else value
        item.used = True
        return True
    if item.kind == "slow_motion":
        edit.slow_motion = 1 if removing else int(item.value)  # type: ignore[arg-type]
        item.used = True
        return True
    if match_phrase(edit.parsed, k, edit_words()["real_time"]):
        edit.slow_motion = 1
        for done in edit.items[k:k + match_phrase(edit.parsed, k, edit_words()["real_time"])]:
            done.used = True
        return True
    if item.kind == "setting" and not removing:
        _place(edit, str(item.value), item)
        return True
    return False


def _place(edit: Edit, environment: str, item: Item) -> None:
    """The Scene moved to another environment, everything where it stood."""
    setting = edit.data["setting"]
    if environment not in ENVIRONMENTS:
        edit.failures.append(f"WorldReel has no {environment.replace('_', ' ')} yet (places: "
                             f"{', '.join(n.replace('_', ' ') for n in ENVIRONMENTS)})")
        return
    item.used = True
    mark_prep_before(edit, item)
    old = setting["environment"]
    if environment == old:
        return
    if not all(inside_room(solids, environment) for solids in
               (solids_of(e) for e in edit.data["entities"]) if solids):
        edit.failures.append(f"the things of this scene do not fit in the "
                             f"{environment.replace('_', ' ')}; name a larger place (a gym, a "
                             "park)")
        return
    setting["environment"] = environment
    own_sea = ENVIRONMENTS[environment].sea
    if setting.get("sea") is not None and own_sea is None:
        # the sea came with the old place (a beach); a dry place has none
        setting["sea"], setting["water_level"] = None, None
        edit.notes.append(f"the sea of the {old.replace('_', ' ')} stays there")
    elif own_sea is not None and setting.get("sea") is None:
        _keep_dry(edit, own_sea, ENVIRONMENTS[environment].sea_depth)


def _keep_dry(edit: Edit, sea, depth: float) -> None:
    """A place with its own sea: the shore moved out beyond what stands there, if need be."""
    toward = np.array(sea.toward, dtype=float) / math.hypot(*sea.toward)
    reach = [float(np.max([geometry.bounds(s)[1][:2] @ toward, geometry.bounds(s)[0][:2] @
                           toward])) for s in (solids_of(e) for e in edit.data["entities"]) if s]
    reach += [float(np.array(c["position"]) @ toward) for c in edit.data["characters"]]
    farthest = max(reach, default=-math.inf) + SEA_MARGIN_M
    if farthest > sea.shore:
        edit.data["setting"]["water_level"] = depth
        edit.data["setting"]["sea"] = {"shore": round(farthest, 3), "toward": list(sea.toward),
                                       "wave_height": sea.wave_height,
                                       "wave_period": sea.wave_period}


def floor_made_of(edit: Edit, np_: NounPhrase, props: list[int]) -> bool:
    """The floor made of another material ("the floor should be ice", "on grass")."""
    material = np_.material[0] if np_.material is not None else None
    if np_.head.kind == "floor_noun":
        material = np_.head.value[0]  # type: ignore[index]
    for k in props:
        floors = [n for n in edit.parsed.nouns if n.start == k and n.is_floor]
        item = floors[0].head if floors else edit.items[k]
        if item.kind in ("material", "floor_noun"):
            value = item.value
            material = value[0] if isinstance(value, tuple) else str(value)
            item.used = True
    if material is None or material not in MATERIALS:
        return False
    edit.data["setting"]["floor_material"] = material
    edit.asked = True
    mark_phrase(edit, np_)
    mark_prep_before(edit, np_.head)
    return True


def slowed(scene: Scene, factor: int, edit: Edit) -> Scene:
    """The Scene filmed `factor` times slower than life (1: at the speed of life)."""
    if factor == scene.slow_motion:
        return scene
    if factor > 1 and scene.time_lapse > 1:
        edit.failures.append("a time-lapse cannot also be in slow motion")
        return scene
    world = scene.duration / scene.slow_motion
    factor = max(1, min(factor, MAX_SLOW_MOTION, int(MAX_DURATION_S // world)))
    if factor == scene.slow_motion:
        edit.failures.append(f"a {world:g} s story is too long to film in slow motion")
        return scene
    return in_slow_motion(scene, factor)


def lengthened(scene: Scene, seconds: float, edit: Edit) -> Scene:
    """The Scene `seconds` long; shots that would start after its end are left out."""
    if not 0 < seconds <= MAX_DURATION_S / scene.time_lapse:
        edit.failures.append(f"a clip must be longer than 0 and at most "
                             f"{MAX_DURATION_S / scene.time_lapse:g} s, not {seconds:g} s")
        return scene
    starts = [a.at for a in scene.actions if a.at is not None] + \
        [s.at for c in scene.characters for s in c.script if s.at is not None] + \
        [line.at for line in scene.audio.dialogue if line.at is not None]
    if starts and max(starts) >= seconds:
        edit.failures.append(f"a {seconds:g} s clip would end before what starts at "
                             f"{max(starts):g} s; ask for at least {math.ceil(max(starts) + 1)} s")
        return scene
    data = scene_to_dict(scene)
    data["duration"] = float(seconds)
    data["shots"] = [s for s in data["shots"] if s["start"] < seconds]
    return scene_from_dict(data, source="remixed scene")
