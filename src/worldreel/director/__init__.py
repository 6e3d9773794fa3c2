"""The director: grounds a prompt in a Scene (lexicon -> parser -> interpret -> layout -> planner).

    from worldreel.director import plan_scene
    plan = plan_scene("a basketball bounces off the backboard and falls to the floor")
    plan.scene, plan.warnings
"""

from worldreel.director.plan import Plan, plan_scene

__all__ = ["Plan", "plan_scene"]
