"""Hall simulator speed: one simulated day of a 100-window centre with about 5,000 tickets.

    uv run python bench/sim_bench.py [--seed N] [--policy dispatch|fifo]

Prints the wall-clock seconds of the simulation (scenario parsing excluded) and the day's figures.
Target on the 2-core CI machine: < 2 s.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from yichuang.sim.engine import simulate_day  # noqa: E402
from yichuang.sim.scenario import load_scenario  # noqa: E402
from yichuang.sim.stats import summarise  # noqa: E402

DOMAINS = [("shsw", 1500, 7), ("yb", 900, 6), ("qysw", 700, 10), ("bdc", 500, 12), ("ga", 450, 8), ("sw", 350, 9),
           ("gjj", 250, 8), ("jt", 150, 10), ("wj", 120, 9), ("mz", 80, 10)]


def scenario():
    return load_scenario({
        "name": "bench: 100 windows, 5,000 tickets",
        "hours": {"open": "08:30", "close": "17:30", "lunch": ["12:00", "13:00"]},
        "profile": {8: 0.8, 9: 1.3, 10: 1.4, 11: 1.1, 13: 0.9, 14: 1.2, 15: 1.0, 16: 0.8, 17: 0.5},
        "priority_mix": {"elderly": 0.05, "priority": 0.01, "appointment": 0.1}, "no_show": 0.04,
        "domains": [{"key": k, "arrivals": {"daily": n}, "service": {"dist": "lognormal", "mean": m, "sd": m * 0.6}}
                    for k, n, m in DOMAINS],
        # 60 fully cross-trained comprehensive windows, 40 whose clerks know 3 domains (a hall mid-training).
        "windows": [{"name": "full", "count": 60, "type": "general", "skills": "all"},
                    {"name": "k3", "count": 40, "type": "general", "skills": "k3"}],
    })


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--policy", default="dispatch", choices=["dispatch", "fifo"])
    args = ap.parse_args()
    sc = scenario()
    t0 = time.perf_counter()
    run = simulate_day(sc, seed=args.seed, policy=args.policy)
    secs = time.perf_counter() - t0
    res = summarise(sc, [run], policy=args.policy, seed=args.seed)
    o = res["overall"]
    print(f"sim day: {len(run.windows)} windows, {len(run.tickets)} tickets, policy {args.policy}: {secs:.2f} s")
    print(f"  mean wait {o['mean']} min, p90 {o['p90']}, max {o['max']}, unserved {o['unserved']}, "
          f"mean utilisation {100 * res['mean_utilisation']:.0f}%")


if __name__ == "__main__":
    main()
