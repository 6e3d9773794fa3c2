"""The director: grounds a prompt in a Scene (lexicon -> parser -> interpret -> layout -> planner).

    from worldreel.director import plan_scene
    plan = plan_scene("a basketball bounces off the backboard and falls to the floor")
    plan.scene, plan.warnings

    from worldreel.director import extend_scene  # the same world, played on for more seconds
    longer = extend_scene(plan.scene, "the ball rolls away", 3.0)
"""

from worldreel.director.plan import Plan, plan_scene
from worldreel.director.extend import extend_scene  # noqa: E402 - it builds on plan

__all__ = ["Plan", "extend_scene", "plan_scene"]
