"""People time: instrumenting services, setting up and running a stack, the weekly review.

Every one-off estimate carries the article's contingency: "I usually estimate 40 % more time than
the initial guess".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.units import HOURS_PER_WORK_DAY, HOURS_PER_WORK_WEEK, WEEKS_PER_MONTH
from roi.model.timeline import Array


def instrumentation_hours(
    services_to_instrument: ArrayLike,
    hours_per_service: ArrayLike,
    contingency_fraction: ArrayLike,
) -> Array:
    """One-off engineer hours to instrument the services [h], contingency included.

    Parameters
    ----------
    services_to_instrument : array_like
        Services to instrument [count].
    hours_per_service : array_like
        Engineer hours per service [h].
    contingency_fraction : array_like
        Extra time on the estimate [fraction].

    Returns
    -------
    ndarray
        Engineer hours [h].

    Notes
    -----
    ``hours = services x hours_per_service x (1 + contingency)``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "I usually estimate 40 % more time than the initial guess".

    Examples
    --------
    >>> float(instrumentation_hours(30, 10, 0.4))
    420.0
    """
    return (
        np.asarray(services_to_instrument, dtype=float)
        * np.asarray(hours_per_service)
        * (1.0 + np.asarray(contingency_fraction))
    )


def engineer_weeks_hours(engineer_weeks: ArrayLike, contingency_fraction: ArrayLike = 0.0) -> Array:
    """Hours in a one-off estimate given in engineer-weeks [h], contingency included.

    Parameters
    ----------
    engineer_weeks : array_like
        Estimate [engineer-weeks].
    contingency_fraction : array_like
        Extra time on the estimate [fraction].

    Returns
    -------
    ndarray
        Engineer hours [h].

    Notes
    -----
    ``hours = weeks x 40 h x (1 + contingency)``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "I usually estimate 40 % more time than the initial guess";
       self-run set-up ~3 weeks.

    Examples
    --------
    The article's self-run set-up, ~3 weeks, with 40 % contingency:

    >>> float(engineer_weeks_hours(3, 0.4))
    168.0
    """
    return (
        np.asarray(engineer_weeks, dtype=float)
        * HOURS_PER_WORK_WEEK
        * (1.0 + np.asarray(contingency_fraction))
    )


def days_per_week_hours_per_month(days_per_week: ArrayLike) -> Array:
    """Recurring effort given in days a week, as hours a month [h/month].

    Parameters
    ----------
    days_per_week : array_like
        Effort [days/week].

    Returns
    -------
    ndarray
        Effort [h/month].

    Notes
    -----
    ``hours = days x 8 h x 52 / 12 weeks``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: self-run upkeep "~1 day a week" (~20 % of an engineer).

    Examples
    --------
    The article's ~1 day a week of upkeep is ~20 % of an engineer, ~35 hours a month:

    >>> round(float(days_per_week_hours_per_month(1)), 2)
    34.67
    """
    return np.asarray(days_per_week, dtype=float) * HOURS_PER_WORK_DAY * WEEKS_PER_MONTH


def weekly_hours_per_month(hours_per_week: ArrayLike, attendees: ArrayLike = 1.0) -> Array:
    """A weekly meeting as person-hours a month [h/month].

    Parameters
    ----------
    hours_per_week : array_like
        Meeting length [h/week].
    attendees : array_like
        People attending [count].

    Returns
    -------
    ndarray
        Person-hours [h/month].

    Notes
    -----
    ``hours = hours_per_week x attendees x 52 / 12``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: the weekly review of the slowest traces.

    Examples
    --------
    >>> round(float(weekly_hours_per_month(1, 4)), 2)
    17.33
    """
    return np.asarray(hours_per_week, dtype=float) * np.asarray(attendees) * WEEKS_PER_MONTH


def onboarding_months(
    services_to_instrument: ArrayLike, onboarding_services_per_week: ArrayLike
) -> Array:
    """Months to onboard every service to a managed vendor [month].

    Parameters
    ----------
    services_to_instrument : array_like
        Services to onboard [count].
    onboarding_services_per_week : array_like
        Onboarding speed [services/week].

    Returns
    -------
    ndarray
        Onboarding time [month].

    Notes
    -----
    ``months = services / speed / (52 / 12)``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "30 services in a week" with a managed vendor.

    Examples
    --------
    The article onboarded 30 services in a week:

    >>> round(float(onboarding_months(30, 30)), 3)
    0.231
    """
    return (
        np.asarray(services_to_instrument, dtype=float)
        / np.asarray(onboarding_services_per_week)
        / WEEKS_PER_MONTH
    )
