"""Evaluation: measure physics, sync and coherence of any video (and of its Recording).

from worldreel.evaluate import evaluate_clip
report = evaluate_clip("clip.mp4", plots_dir="plots")
report.render_table()            # rich table in the terminal
json.dumps(report.to_dict())     # everything, per-frame series included
set_sync([report, ...])          # clips of one generator: one A/V offset for all of them
"""

from worldreel.evaluate.clip_set import SetSync, set_sync
from worldreel.evaluate.errors import EvaluationError
from worldreel.evaluate.evaluate import evaluate_clip, load_events
from worldreel.evaluate.report import EvalReport

__all__ = ["EvalReport", "EvaluationError", "SetSync", "evaluate_clip", "load_events", "set_sync"]
