"""The director on real users' words: ~200 prompts from public text-to-video suites.

It must never fail with anything but a PromptError, and every Scene it makes must be valid and
free of interpenetration. How much it grounds is measured and printed, not asserted: most of
these prompts are about people, animals and landscapes this director does not model yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from worldreel.assets import check_scene_assets
from worldreel.director import plan_scene
from worldreel.director.geometry import overlaps
from worldreel.director.lexicon import STOPWORDS
from worldreel.director.parser import tokenize
from worldreel.errors import PromptError
from worldreel.physics import simulate
from worldreel.physics.report import physics_report

SAMPLE_SIZE = 200


def prompt_dir() -> Path | None:
    """The public prompt suites (../shared/benchmarks/prompts), or None where they are absent."""
    repo = Path(__file__).resolve().parents[4]
    for candidate in (repo.parent / "shared" / "benchmarks" / "prompts",
                      repo / "shared" / "benchmarks" / "prompts"):
        if candidate.is_dir():
            return candidate
    return None


def sample_prompts(size: int = SAMPLE_SIZE) -> list[str]:
    """Every k-th prompt of all .txt suites in name order: the same sample on every run."""
    folder = prompt_dir()
    if folder is None:
        return []
    prompts: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        prompts += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    step = max(1, len(prompts) // size)
    return prompts[::step][:size]


def test_benchmark_prompts_never_crash_and_give_valid_scenes(capsys):
    prompts = sample_prompts()
    if not prompts:
        pytest.skip("benchmark prompts not found (expected at ../shared/benchmarks/prompts)")
    grounded = refused = 0
    words = unknown = 0
    for prompt in prompts:
        try:
            plan = plan_scene(prompt)
        except PromptError as error:
            assert "\n" not in str(error)
            refused += 1
            continue
        grounded += 1
        scene = plan.scene
        check_scene_assets(scene)
        assert scene.entities or scene.characters or plan.scene.setting.environment != "studio"
        assert overlaps(list(scene.entities)) == [], prompt
        assert all((a.at or 0.0) < scene.duration for a in scene.actions)
        words += len({t.text for t in tokenize(prompt) if t.text.isalpha()
                      and t.text not in STOPWORDS})
        unknown += len(plan.unknown_words)
    with capsys.disabled():
        print(f"\ndirector on {len(prompts)} benchmark prompts: {grounded} grounded "
              f"({100 * grounded / len(prompts):.0f}%), {refused} refused; in grounded prompts "
              f"{100 * unknown / max(words, 1):.0f}% of distinct content words were reported "
              "not grounded")


@pytest.mark.slow
def test_every_benchmark_scene_plays_without_gaining_energy():
    """Every Scene made from these prompts simulates: none crashes (a scene of fixed things
    only, "ski slope", once did) and none gains energy while nothing acts on it (a rock
    dropped on a sandy floor once flew up 13 m)."""
    prompts = sample_prompts()
    if not prompts:
        pytest.skip("benchmark prompts not found (expected at ../shared/benchmarks/prompts)")
    played = 0
    for prompt in prompts:
        try:
            scene = plan_scene(prompt).scene
        except PromptError:
            continue
        report = physics_report(simulate(scene))
        assert (report["energy"]["worst_passive_rise"] or 0.0) <= 0.01, prompt
        played += 1
    assert played >= 40  # the sample grounds about 57
