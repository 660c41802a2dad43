"""IPython extension that imports a notebook's modules while its kernel starts.

The report pipeline starts each kernel with ``--IPKernelApp.extensions=['roi.report.preload']``
and the module names in the environment variable ``ROI_REPORT_PRELOAD`` (comma-separated). The
imports happen before the first cell and bind no name in the notebook's namespace; a module that
fails to import is left for the notebook's own import to report, in its cell.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

ENV = "ROI_REPORT_PRELOAD"


def load_ipython_extension(ipython: Any) -> None:
    """Import every module named in ``$ROI_REPORT_PRELOAD`` and remove the variable."""
    for name in filter(None, os.environ.pop(ENV, "").split(",")):
        try:
            importlib.import_module(name.strip())
        except Exception:  # the notebook's own import reports it, in its cell
            continue
