"""Lock-in: what it costs to change your mind.

With a proprietary SDK, leaving means rewriting instrumentation in every service ("60+ services,
8 months, cost more than just staying"); with OpenTelemetry it is a configuration change. The
difference is the option value of instrumenting with OpenTelemetry.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.units import HOURS_PER_WORK_WEEK
from roi.model.timeline import Array


def exit_hours_proprietary(services: ArrayLike, rewrite_weeks_per_service: ArrayLike) -> Array:
    """Engineer hours to replace a proprietary SDK everywhere [h].

    >>> float(exit_hours_proprietary(60, 2))
    4800.0
    """
    return (
        np.asarray(services, dtype=float)
        * np.asarray(rewrite_weeks_per_service)
        * (HOURS_PER_WORK_WEEK)
    )


def exit_cost(
    sdk_is_proprietary: bool,
    services: ArrayLike,
    rewrite_weeks_per_service: ArrayLike,
    config_switch_hours: ArrayLike,
    loaded_hourly_rate: ArrayLike,
) -> Array:
    """Cost of leaving the backend [currency].

    >>> float(exit_cost(False, 60, 2, 80, 100.0))
    8000.0
    >>> float(exit_cost(True, 60, 2, 80, 100.0))
    480000.0
    """
    hours = (
        exit_hours_proprietary(services, rewrite_weeks_per_service)
        if sdk_is_proprietary
        else np.asarray(config_switch_hours, dtype=float)
    )
    return hours * np.asarray(loaded_hourly_rate)
