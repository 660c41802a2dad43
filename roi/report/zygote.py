"""A kernel fork server: import ipykernel and a notebook's heavy modules once, then fork one fresh
kernel process per report.

Starting a Python kernel costs an interpreter, ipykernel and the notebook's imports (numpy, pandas,
matplotlib, roi: about a second of CPU) before the first cell runs. The zygote pays that once per
worker process; each kernel is then a ``fork`` of it that starts IPython's kernel application with
its own connection file, working directory and environment, runs one notebook and is killed. A
forked kernel holds no state of any other notebook: the zygote never executes notebook code, it
only imports modules, exactly the modules the notebook itself imports first thing.

What is imported before the fork is limited to modules that do not look for a running IPython at
import time: the standard library, numpy, pandas, matplotlib without pyplot, pydantic, yaml and
``roi``. Everything else the notebook imports (pyplot, IPython integrations) is imported inside
the kernel after IPython has started, by the :mod:`roi.report.preload` extension. If one of the
modules that need IPython was imported anyway (a dependency pulled it in), the zygote refuses to
serve and the worker falls back to starting kernels the ordinary way.

Protocol (JSON lines): the zygote writes ``{"ready": pid}`` (or ``{"error": text}``) once its
imports are done; then for each request ``{"argv": [...], "env": {...}, "cwd": path}`` read on
stdin it forks a kernel and answers ``{"pid": pid}``. End of stdin (the worker has gone), SIGTERM
and SIGHUP kill every kernel still running and end the zygote. Kernels get ``/dev/null`` as stdin,
stdout and stderr (ipykernel sends what cells print to the notebook) and their own session, so a
Ctrl-C on the terminal reaches ``roi report``, not them.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import json
import os
import signal
import sys
from typing import Any, NoReturn

SAFE_PACKAGES = frozenset({"numpy", "pandas", "matplotlib", "pydantic", "yaml", "roi"})
"""Third-party top-level packages safe to import before IPython runs (besides the stdlib)."""
NEEDS_IPYTHON = (
    "matplotlib.pyplot",
    "matplotlib.pylab",
    "pylab",
    "matplotlib_inline",
    "ipywidgets",
)
"""Modules that integrate with a running IPython when imported: never imported in the zygote."""
UNSAFE_STDLIB = frozenset(
    {"readline", "rlcompleter", "tkinter", "turtle", "idlelib", "antigravity"}
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_LAUNCHER = "ipykernel_launcher.py"
"""``sys.argv[0]`` of a kernel, as ``python -m ipykernel_launcher`` would have it."""


def forkable(entry: str) -> bool:
    """Whether a preload entry (``module`` or ``module:name``, see
    :func:`roi.report.preload.import_entry`) may be imported in the zygote, before IPython starts.

    >>> [forkable(m) for m in ("numpy", "roi:present", "matplotlib:pyplot", "json", "plotly")]
    [True, True, False, True, False]
    """
    module = entry.replace(":", ".")
    top = module.split(".")[0]
    if any(module == m or module.startswith(m + ".") for m in NEEDS_IPYTHON):
        return False
    if top in UNSAFE_STDLIB:
        return False
    return top in SAFE_PACKAGES or top in sys.stdlib_module_names


_CHILDREN: list[int] = []
"""Kernels forked so far."""


def _kill_children() -> None:
    for pid in _CHILDREN:
        with contextlib.suppress(OSError):  # already gone
            os.kill(pid, signal.SIGKILL)


def _stop(signum: int, frame: Any) -> None:
    """SIGTERM or SIGHUP: kill every kernel, then end (as end of stdin does)."""
    _kill_children()
    os._exit(128 + signum)


def _child(request: dict[str, Any], keep: list[int]) -> NoReturn:
    """Become one kernel; never returns."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        for fd in keep:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        numpy = sys.modules.get("numpy")
        if numpy is not None:  # a fresh process seeds numpy's global generator from the OS
            numpy.random.seed()
        from ipykernel import kernelapp

        sys.argv = [_LAUNCHER, *request["argv"]]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # exiting either way
                stream.flush()
        os._exit(code)


def main() -> None:
    """Run the zygote: modules to import are the command-line arguments."""
    # The protocol owns the original stdin/stdout; module chatter on fd 1 must not corrupt it.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    keep = [requests.fileno(), answers.fileno()]
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for roi report; stdin EOF ends us
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # kernels get it back
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # what ipykernel sets before any cell
    try:
        import ipykernel.kernelapp  # noqa: F401

        global _LAUNCHER
        spec = importlib.util.find_spec("ipykernel_launcher")
        _LAUNCHER = spec.origin if spec and spec.origin else "ipykernel_launcher.py"

        from roi.report.preload import import_entry

        for entry in sys.argv[1:]:
            if forkable(entry):
                import_entry(entry)
        loaded = [m for m in NEEDS_IPYTHON if m in sys.modules]
        if loaded:
            raise RuntimeError(f"{', '.join(loaded)} imported before IPython started")
        # Objects made by the imports stay out of the kernels' garbage collections, so the
        # collector does not touch (and copy) every page shared with the zygote.
        gc.collect()
        gc.freeze()
    except Exception as exc:
        answers.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return
    answers.write(json.dumps({"ready": os.getpid()}) + "\n")
    while line := requests.readline():
        try:
            request = json.loads(line)
            pid = os.fork()
        except (ValueError, OSError) as exc:
            answers.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
            continue
        if pid == 0:
            _child(request, keep)
        _CHILDREN.append(pid)
        answers.write(json.dumps({"pid": pid}) + "\n")
    _kill_children()


def command(modules: list[str]) -> list[str]:
    """The command line that starts a zygote importing ``modules``."""
    return [sys.executable, "-c", "from roi.report.zygote import main; main()", *modules]
