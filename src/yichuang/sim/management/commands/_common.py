"""Shared by ``simulate`` and ``plan``: read a scenario (a path or the name of a bundled example)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from yichuang.core.errors import DomainError
from yichuang.sim.events import scenario_with_events
from yichuang.sim.scenario import example_scenarios, load_scenario, read_raw


def scenario_from_arg(arg: str):
    path = Path(arg)
    if not path.exists() and arg in example_scenarios():
        path = example_scenarios()[arg]
    try:
        raw = read_raw(path)
        return scenario_with_events(load_scenario(raw), raw)
    except DomainError as exc:
        raise CommandError(f"{exc.message} / {exc.message_en}") from None
