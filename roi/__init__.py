"""roi: business cases for distributed tracing.

Turns incident history, latency, traffic, salaries and vendor prices into MTTR savings, latency
revenue, self-run versus managed costs, and NPV, ROI and payback in Forrester TEI form.

``import roi`` stays light: submodules load on first use.

>>> import roi
>>> roi.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "evaluate": "roi.model",
    "Evaluation": "roi.model",
    "load_scenario": "roi.inputs.scenario",
    "Scenario": "roi.inputs.schema",
    "npv": "roi.model.finance",
}

__all__ = ["Evaluation", "Scenario", "__version__", "evaluate", "load_scenario", "npv"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'roi' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
