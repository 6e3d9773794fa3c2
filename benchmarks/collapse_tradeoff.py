"""Speed against penetration for a heavy collapse: the wrecking ball at several physics rates.

Usage: python benchmarks/collapse_tradeoff.py [--rates 2400 3600 4800] [--angles 51 53 55 57 59]

A collapse is chaotic: the same wall knocked down by a ball released a degree or two higher ends
as a different pile, with more or fewer bricks awake for longer, and costs up to twice as much to
simulate. One run of one scene says little, so this plays the gallery's wrecking ball released
from several angles at each physics rate and prints, per rate, the median and worst simulated
seconds per wall second (the whole of `simulate`, and MuJoCo's mj_step alone) and the worst
contact penetration over the family. The gallery asks for >= 5x real time and < 2 mm; the last
column says whether a rate gives both for every release angle.

The penetration of a fast impact has a floor set by the step: a brick falling at 4-5 m/s moves
v / rate into the floor before the contact is even detected (2 mm at 2400 Hz), and the contact
spring cannot be made stiffer than the step allows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gallery import REALTIME_FLOOR, _engine_clock, wrecking_ball

from worldreel.physics import simulate
from worldreel.physics.contact_model import restitution_curve
from worldreel.physics.report import physics_report

PENETRATION_LIMIT_MM = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="*", default=[2400, 3600, 4800])
    parser.add_argument("--angles", type=float, nargs="*", default=[51, 53, 55, 57, 59])
    args = parser.parse_args()
    print(f"{'rate Hz':>8}{'x real med':>11}{'x real min':>11}{'engine x med':>13}"
          f"{'engine x min':>13}{'pen mm max':>11}  per angle (x real)   meets both")
    for rate in args.rates:
        restitution_curve(rate)  # one-time calibration, outside the timings
        speeds, engines, depths = [], [], []
        for angle in args.angles:
            scene = wrecking_ball((640, 360), angle=angle, rate=rate)
            with _engine_clock() as engine:
                t0 = time.perf_counter()
                recording = simulate(scene)
                wall = time.perf_counter() - t0
            speeds.append(scene.duration / wall)
            engines.append(scene.duration / max(engine[0], 1e-9))
            depths.append(1000 * physics_report(recording)["penetration"]["worst_m"])
        both = min(speeds) >= REALTIME_FLOOR and max(depths) < PENETRATION_LIMIT_MM
        print(f"{rate:>8}{statistics.median(speeds):>11.1f}{min(speeds):>11.1f}"
              f"{statistics.median(engines):>13.1f}{min(engines):>13.1f}{max(depths):>11.2f}  "
              f"{' '.join(f'{s:4.1f}' for s in speeds):20s} {'yes' if both else 'no'}",
              flush=True)


if __name__ == "__main__":
    main()
