"""The director: grounds a prompt in a Scene (lexicon -> parser -> interpret -> layout -> planner).

    from worldreel.director import plan_scene
    plan = plan_scene("a basketball bounces off the backboard and falls to the floor")
    plan.scene, plan.warnings
    remix = edit_scene(plan.scene, "make the ball red, now at night")
"""

from worldreel.director.edit import edit_scene
from worldreel.director.names import look_of
from worldreel.director.plan import Plan, plan_scene
from worldreel.scene import NamedLook

__all__ = ["NamedLook", "Plan", "edit_scene", "look_of", "plan_scene"]
