"""Queueing theory the simulator is checked against: Erlang C for M/M/c (Poisson arrivals, exponential
service, c identical servers, FIFO, infinite queue)."""

from __future__ import annotations

import math


def erlang_c(c: int, offered: float) -> float:
    """Probability that an arrival must wait, with offered load ``offered`` = λ/μ erlangs (< c)."""
    if offered >= c:
        return 1.0
    # Erlang B by the stable recurrence, then C from B.
    b = 1.0
    for k in range(1, c + 1):
        b = offered * b / (k + offered * b)
    rho = offered / c
    return b / (1.0 - rho + rho * b)


def mmc_mean_wait(c: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue W_q = C(c, a) / (cμ − λ), in the time unit of the inputs."""
    mu = 1.0 / mean_service
    if arrival_rate >= c * mu:
        return math.inf
    return erlang_c(c, arrival_rate / mu) / (c * mu - arrival_rate)
