"""Which bundled model each task runs on: the "fast" or the "accurate" tier.

The two bundled chat models trade speed for quality, and the trade differs by task
and by machine: on a 2-core laptop the small model keeps answers interactive, while a
GPU or a many-core CPU runs the larger one fast enough to be worth its better reading.
Settings name a tier per task (`model.<task>_tier`), "auto" leaving it to the figures
measured per machine class; an explicit `model.name` overrides all of it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from discreet.core.machine import physical_cores
from discreet.core.settings import (
    TIER_ACCURATE,
    TIER_AUTO,
    TIER_FAST,
    TIER_TASKS,
    ModelSettings,
    tier_field,
)

# The tier each task runs on with "auto" on a 2-core CPU without a GPU: the one whose
# figures are better there (tuning / held-out halves, bench/*.py on 2 cores). Changing
# a task's tier is a change of its one line, with its figures in the comment.
SMALL_MACHINE_TIERS = {
    # CUAD held-out citation hits / values / TTFT median, p95: fast 1.0 / 1.0 / 0.82 s,
    # 2.1 s; accurate 1.0 / 1.0 / 1.32 s, 3.6 s. The same answers, sooner.
    "ask": TIER_FAST,
    "summarize": TIER_FAST,  # accurate not measured (bench/summaries.py takes hours)
    # CUAD 8 labels held-out 0.8 on both, 3 labels 1.0 on both: the faster one.
    "classify": TIER_FAST,
    # CUAD held-out values and clauses 1.0 on both (tuning 0.944 and 1.0 on both), at
    # 4.9 s a document for 6 fields against 8.7 s: the faster one.
    "extract": TIER_FAST,
}

# From this many physical cores a CPU alone runs the accurate model as the default.
MANY_CORES = 8


def prefers_accurate(gpu_offload: bool, cores: int) -> bool:
    """Whether "auto" means the accurate model everywhere on such a machine.

    A GPU offload or 8+ physical cores is the class of machine where the larger
    model's time to first token stays interactive; below that, each task keeps the
    tier measured better for it on 2 cores.
    """
    return gpu_offload or cores >= MANY_CORES


def machine_prefers_accurate() -> bool:
    """`prefers_accurate` for this computer and this build of llama.cpp."""
    from discreet.models.llm import gpu_offload_available

    return prefers_accurate(gpu_offload_available(), physical_cores())


def tier_choice(settings: ModelSettings, task: str) -> str:
    """The tier the settings name for a task: fast, accurate or auto.

    The empty task (a caller that names none, such as `discreet chat`) is always
    "auto": it follows the machine, not any one task's setting.
    """
    if not task:
        return TIER_AUTO
    if task not in TIER_TASKS:
        raise ValueError(f"unknown task {task!r}; tasks with a tier: {', '.join(TIER_TASKS)}")
    return getattr(settings, tier_field(task))


def resolve_tier(choice: str, task: str, accurate_machine: bool) -> str:
    """The concrete tier for a task: an explicit choice, else the machine's figures."""
    if choice != TIER_AUTO:
        return choice
    if accurate_machine:
        return TIER_ACCURATE
    return SMALL_MACHINE_TIERS.get(task, TIER_FAST)


def runtime_part(settings: ModelSettings) -> ModelSettings:
    """The settings a loaded model depends on, without which model each task uses.

    Changing only the choice of model keeps the loaded instances that are still
    chosen; changing anything else (context, threads, sampling) reloads them.
    """
    # The tier fields are named at run time, so their values cannot be checked against them.
    tiers: dict[str, Any] = {tier_field(task): TIER_AUTO for task in TIER_TASKS}
    return dataclasses.replace(settings, name="", **tiers)
