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

    Parameters
    ----------
    services : array_like
        Instrumented services [count].
    rewrite_weeks_per_service : array_like
        Engineer-weeks to re-instrument one service [weeks].

    Returns
    -------
    ndarray
        Engineer hours [h].

    Notes
    -----
    ``hours = services x weeks x 40 h``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: a proprietary SDK in "60+ services" took "8 months" to replace.

    Examples
    --------
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

    Parameters
    ----------
    sdk_is_proprietary : bool
        Whether services are instrumented with the vendor's own SDK.
    services : array_like
        Instrumented services [count].
    rewrite_weeks_per_service : array_like
        Engineer-weeks to re-instrument one service [weeks].
    config_switch_hours : array_like
        Hours to point OpenTelemetry exporters elsewhere and rebuild dashboards [h].
    loaded_hourly_rate : array_like
        Cost of an engineer hour [currency/h].

    Returns
    -------
    ndarray
        Exit cost [currency].

    Notes
    -----
    ``cost = (services x weeks x 40 h if proprietary else config_switch_hours) x rate``; the
    difference is the option value of instrumenting with OpenTelemetry.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: a proprietary SDK in "60+ services" took "8 months" to replace.

    Examples
    --------
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
