"""IPython extension that imports a notebook's modules while its kernel starts.

The report pipeline starts each kernel with ``--IPKernelApp.extensions=['roi.report.preload']``
and the imports in the environment variable ``ROI_REPORT_PRELOAD`` (comma-separated entries
``module`` for ``import module`` and ``module:name`` for ``from module import name``). The
imports happen before the first cell and bind no name in the notebook's namespace; a module that
fails to import is left for the notebook's own import to report, in its cell.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

ENV = "ROI_REPORT_PRELOAD"


def import_entry(entry: str) -> None:
    """Do what ``import module`` (entry ``module``) or ``from module import name`` (entry
    ``module:name``) does to ``sys.modules``, binding no name; failures are ignored.

    As Python's ``from`` import, ``module.name`` is imported as a submodule only when ``module``
    has no attribute ``name``.
    """
    module_name, _, name = entry.strip().partition(":")
    try:
        module = importlib.import_module(module_name)
        if name and name != "*" and not hasattr(module, name):
            importlib.import_module(f"{module_name}.{name}")
    except Exception:  # the notebook's own import reports it, in its cell
        return


def load_ipython_extension(ipython: Any) -> None:
    """Import every entry named in ``$ROI_REPORT_PRELOAD`` and remove the variable."""
    for entry in filter(None, os.environ.pop(ENV, "").split(",")):
        import_entry(entry)
