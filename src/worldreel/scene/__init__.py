"""The Scene: the one plain-data description of a clip that every stage after the director reads."""

from worldreel.scene.io import (
    load_scene,
    scene_from_dict,
    scene_from_text,
    scene_to_dict,
    scene_to_yaml,
)
from worldreel.scene.animals import ANIMAL_VERBS, BREEDS, SPECIES, Animal, AnimalAction
from worldreel.scene.characters import (
    VERBS,
    BodySpec,
    Character,
    CharacterAction,
    Hair,
    NamedLook,
    Outfit,
)
from worldreel.scene.flocks import (
    BIRD_SPECIES,
    FISH_SPECIES,
    FLOCK_SPECIES,
    Flock,
    FlockAction,
)
from worldreel.scene.models import (
    CROWD_SOUNDS,
    DELIVERIES,
    VOCAL_SOUNDS,
    ANIMAL_SOUNDS,
    SIGNAL_SOUNDS,
    Action,
    AudioOptions,
    Brake,
    Door,
    Drive,
    Drop,
    Entity,
    Hammer,
    Line,
    Kick,
    Pull,
    Push,
    Roll,
    Scene,
    Setting,
    Shot,
    Slide,
    Spin,
    Throw,
    Topple,
    check_size,
    parse_size,
)

__all__ = [
    "BIRD_SPECIES", "FISH_SPECIES", "FLOCK_SPECIES", "Flock", "FlockAction",
    "ANIMAL_VERBS", "BREEDS", "SPECIES", "Animal", "AnimalAction",
    "CROWD_SOUNDS", "DELIVERIES", "VOCAL_SOUNDS", "ANIMAL_SOUNDS", "SIGNAL_SOUNDS", "VERBS",
    "BodySpec", "Character", "CharacterAction", "Hair", "NamedLook", "Outfit",
    "Action", "AudioOptions", "Brake", "Door", "Drive", "Drop", "Entity", "Hammer", "Line", "Kick", "Pull",
    "Push", "Roll", "Scene", "Setting", "Shot",
    "Throw", "Slide", "Spin", "Topple", "check_size", "parse_size", "load_scene", "scene_from_dict", "scene_from_text",
    "scene_to_dict", "scene_to_yaml",
]
