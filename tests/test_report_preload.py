"""roi.report.preload: the modules a kernel imports before the notebook runs."""

from __future__ import annotations

import sys

from roi.report.preload import import_entry


def test_import_entry_follows_from_import_semantics() -> None:
    import_entry("json:dumps")  # an attribute: no submodule import
    import_entry("no_such_module_anywhere:x")  # failures are left to the notebook
    import_entry("email:mime")  # a submodule, as ``from email import mime`` imports it
    assert "email.mime" in sys.modules
