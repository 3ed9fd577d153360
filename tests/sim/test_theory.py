"""The simulator against queueing theory: M/M/c mean wait = Erlang C (within 5%)."""

from yichuang.sim.engine import simulate_day
from yichuang.sim.scenario import load_scenario
from yichuang.sim.stats import summarise
from yichuang.sim.theory import erlang_c, mmc_mean_wait

C, PER_HOUR, MEAN = 3, 21.0, 6.0  # ρ = 0.7
DAYS = 400  # 24-hour days, 2 h warm-up each: ~180,000 tickets; the standard error is ~2.5%


def mmc_scenario():
    return load_scenario({
        "name": "M/M/3", "hours": {"open": "00:00", "close": "24:00"}, "serve_after_close": True,
        "warmup_minutes": 120, "sample_minutes": 60,
        "domains": [{"key": "a", "arrivals": PER_HOUR, "service": {"dist": "exponential", "mean": MEAN}}],
        "windows": [{"count": C, "type": "general"}]})


def test_erlang_c_known_value():
    # Textbook: C(2, 1) = 1/3; the M/M/1 wait probability is ρ.
    assert abs(erlang_c(2, 1.0) - 1 / 3) < 1e-12
    assert abs(erlang_c(1, 0.6) - 0.6) < 1e-12


def test_mmc_mean_wait_agrees_with_erlang_c():
    sc = mmc_scenario()
    runs = [simulate_day(sc, seed=20261124 + d) for d in range(DAYS)]
    res = summarise(sc, runs)
    theory = mmc_mean_wait(C, PER_HOUR / 60.0, MEAN)
    sim = res["overall"]["mean"]
    err = abs(sim - theory) / theory
    print(f"\nM/M/{C}, rho=0.7: simulated mean wait {sim:.3f} min over {res['overall']['n']} tickets, "
          f"Erlang C {theory:.3f} min, difference {100 * err:.2f}%")
    assert err < 0.05
    assert abs(res["mean_utilisation"] - 0.7) < 0.02
