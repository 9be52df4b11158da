"""What the benchmark requests: the scenario catalogue and its discovery."""

from bench.scenarios.catalog import (
    BASELINE_OF,
    FRESH_PARAM,
    SCENARIO_LABELS,
    SEARCH_TERM,
    pick_sample,
    scenario_candidates,
)
from bench.scenarios.discovery import count_queries, discover_scenarios, timed_get

__all__ = [
    "BASELINE_OF",
    "FRESH_PARAM",
    "SCENARIO_LABELS",
    "SEARCH_TERM",
    "count_queries",
    "discover_scenarios",
    "pick_sample",
    "scenario_candidates",
    "timed_get",
]
