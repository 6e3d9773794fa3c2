"""The director: grounds a prompt in a Scene (lexicon -> parser -> interpret -> layout -> planner).

    from worldreel.director import plan_scene
    plan = plan_scene("a basketball bounces off the backboard and falls to the floor")
    plan.scene, plan.warnings
    remix = edit_scene(plan.scene, "make the ball red, now at night")
    longer = extend_scene(plan.scene, "the ball rolls away", 3.0)  # the same world, played on
"""

from worldreel.director.edit import edit_scene
from worldreel.director.names import look_of
from worldreel.director.plan import Plan, plan_scene
from worldreel.director.extend import extend_scene  # noqa: E402, I001 - it builds on plan
from worldreel.scene import NamedLook

__all__ = ["NamedLook", "Plan", "edit_scene", "extend_scene", "look_of", "plan_scene"]
