"""Evaluation: measure physics, sync and coherence of any video (and of its Recording).

from worldreel.evaluate import evaluate_clip
report = evaluate_clip("clip.mp4", plots_dir="plots")
report.render_table()            # rich table in the terminal
json.dumps(report.to_dict())     # everything, per-frame series included
"""

from worldreel.evaluate.errors import EvaluationError
from worldreel.evaluate.evaluate import evaluate_clip, load_events
from worldreel.evaluate.report import EvalReport

__all__ = ["EvalReport", "EvaluationError", "evaluate_clip", "load_events"]
