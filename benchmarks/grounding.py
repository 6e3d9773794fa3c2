"""How much of public prompt suites the director grounds, and what it leaves out.

For each suite in ../shared/benchmarks/prompts/ (VBench, VBench-2.0, PhyGenBench; absent: the
suite is skipped), every prompt is planned with `worldreel.director.plan_scene` and counted as
- fully grounded: planned, with no word reported "not shown";
- planned: a Scene was made (some words may be left out, each reported);
- refused: nothing in it can be shown (one PromptError line);
and the substitutions are counted (each one is in the grounding report, never silent). The most
frequent words left out are listed: the work list for the world library and the director.

    python benchmarks/grounding.py [--top 30] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time

from worldreel.director import plan_scene
from worldreel.director.tests.test_benchmark_prompts import prompt_dir
from worldreel.errors import PromptError

SUITES = {"VBench": "vbench_all_dimension.txt", "VBench-2.0": "vbench2_full_text.txt",
          "PhyGenBench": "phygenbench_prompts.txt"}


def measure(prompts: list[str]) -> dict:
    full = planned = refused = substitutions = 0
    left_out: collections.Counter[str] = collections.Counter()
    refused_words: collections.Counter[str] = collections.Counter()
    for prompt in prompts:
        try:
            plan = plan_scene(prompt)
        except PromptError as error:
            refused += 1
            text = str(error)
            if "(not understood: " in text:
                heard = text.split("(not understood: ", 1)[1].split(")", 1)[0]
                refused_words.update(w.strip() for w in heard.split(","))
            continue
        planned += 1
        missing = [g.text for g in plan.grounding if g.status == "not_shown"]
        substitutions += sum(g.status == "substituted" for g in plan.grounding)
        full += not missing
        left_out.update(missing)
    return {"prompts": len(prompts), "full": full, "planned": planned, "refused": refused,
            "substitutions": substitutions, "left_out": left_out + refused_words}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--limit", type=int, default=0, help="first N prompts of each suite")
    args = parser.parse_args()
    folder = prompt_dir()
    if folder is None:
        print("benchmark prompts not found (expected at ../shared/benchmarks/prompts)")
        return 0
    rows = []
    for name, file in SUITES.items():
        path = folder / file
        if not path.is_file():
            continue
        prompts = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        if args.limit:
            prompts = prompts[:args.limit]
        start = time.perf_counter()
        result = measure(prompts)
        result["seconds"] = time.perf_counter() - start
        rows.append((name, result))
    print(f"{'suite':<12} {'prompts':>7} {'fully grounded':>15} {'planned':>9} {'refused':>9} "
          f"{'stand-ins':>9} {'s/prompt':>9}")
    for name, r in rows:
        n = r["prompts"]
        print(f"{name:<12} {n:>7} {r['full'] / n:>14.1%} {r['planned'] / n:>9.1%} "
              f"{r['refused'] / n:>9.1%} {r['substitutions']:>9} {r['seconds'] / n:>9.3f}")
    for name, r in rows:
        top = ", ".join(f"{w} {c}" for w, c in r["left_out"].most_common(args.top))
        print(f"\n{name}: the {args.top} words most often left out: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
