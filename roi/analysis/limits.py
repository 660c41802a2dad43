"""How many Monte Carlo samples a command draws by default and at most, and which seeds it takes:
the bounds every command checks (``roi simulate``, ``breakeven``, ``sensitivity``, ``report``,
``deck``, ``pack``) and the default every writer shares, in one place.

A sample costs about 40 bytes per option in memory (the five KPIs kept for every option, see
:func:`roi.analysis.montecarlo.simulate`), so each bound is a memory bound of its command.

Examples
--------
>>> DEFAULT_SAMPLES, MAX_SEED == 2**32 - 1
(10000, True)
"""

from __future__ import annotations

DEFAULT_SAMPLES = 10_000
"""Monte Carlo samples behind every P10-P90 range unless the user says otherwise: the simulation,
the report's charts, the deck's headline and chance of a loss, the pack (as the report notebook's
``samples`` parameter)."""
MAX_SEED = 2**32 - 1
"""Largest seed: a seed is a whole number from 0 to 2**32 - 1 (32 bits), which every random
generator and every notebook parameter takes exactly."""
SIMULATE_MAX_SAMPLES = 5_000_000
"""Most samples of ``roi simulate`` and of ``roi breakeven``'s EVPI (~1 GB for five options)."""
REPORT_MAX_SAMPLES = 10_000_000
"""Most samples of ``roi report --samples`` (the notebook's Monte Carlo)."""
DECK_MAX_SAMPLES = 1_000_000
"""Most samples of ``roi deck`` and ``roi pack`` (one Monte Carlo read by every part)."""
