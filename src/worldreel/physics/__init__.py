"""Physics: Scene -> Recording with MuJoCo (actions as impulses, contact events, restitution)."""

from worldreel.physics.contact_model import pair_restitution
from worldreel.physics.simulate import PhysicsOptions, simulate

__all__ = ["PhysicsOptions", "pair_restitution", "simulate"]
