"""Physics: Scene -> Recording with MuJoCo (actions as impulses, contact events, restitution,
breakage, buoyancy and drag), and the physics report that checks any Recording."""

from worldreel.physics.contact_model import pair_restitution
from worldreel.physics.report import physics_report, report_json
from worldreel.physics.simulate import PhysicsOptions, simulate

__all__ = ["PhysicsOptions", "pair_restitution", "physics_report", "report_json", "simulate"]
