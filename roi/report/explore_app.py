"""``roi explore``: the explorer served as an app (Voilà), offline, on 127.0.0.1 with a token.

The app notebook is generated in a temporary folder outside the repository (a tracked report
notebook is never edited to be interactive: JupyterLab would autosave it). Voilà runs it without
showing code, with a copy of its ``lab`` template that drops the two Font Awesome links to a CDN,
so the page asks nothing of any host but 127.0.0.1. Saved scenarios go beside the original (the
only place whose ``extends:`` the loader accepts); rendered reports into the temporary folder,
served by Voilà at ``voila/files/`` (that link is not yet exercised by a browser test).

Ctrl-C or SIGTERM stop Voilà (its own process group, so it never asks "Shutdown this server?")
and remove the temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roi.inputs.errors import UserError
from roi.inputs.scenario import load_scenario
from roi.report.files import write_text_atomic

TEMPLATE = "roi-lab"
"""The Voilà template written beside the app notebook: ``lab`` without CDN requests."""
START_TIMEOUT = 60.0
"""[s] Longest Voilà may take to answer."""
REPORT_NOTEBOOK = "01-business-case"


def saved_path(original: Path, now: dt.datetime | None = None) -> Path:
    """A new file beside ``original`` for the explorer's changes: ``<stem>-explored-<time>.yaml``.

    >>> saved_path(Path("a/shop.yaml"), dt.datetime(2026, 1, 2, 3, 4, 5)).as_posix()
    'a/shop-explored-20260102-030405.yaml'
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = original.with_name(f"{original.stem}-explored-{stamp}.yaml")
    n = 2
    while path.exists():
        path = original.with_name(f"{original.stem}-explored-{stamp}-{n}.yaml")
        n += 1
    return path


def save_beside(original: Path, text: str) -> Path:
    """Write ``text`` to :func:`saved_path` atomically and check it loads as a scenario; a file
    that does not load is removed and the error raised."""
    path = saved_path(original)
    write_text_atomic(path, text)
    try:
        load_scenario(path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return path


def render_into(reports: Path, root: Path | None = None) -> Callable[[Path], str]:
    """A ``Explorer.on_render``: run ``roi report`` on a saved scenario into ``reports``; return
    the report's address relative to Voilà's page when ``root`` (the app folder) holds it,
    else its ``file://`` URL."""

    def render(scenario: Path) -> str:
        from roi.report.batch import render_reports, resolve_notebook

        result = render_reports([str(scenario)], reports, resolve_notebook(REPORT_NOTEBOOK))
        done = result.results[0]
        if not done.ok:
            raise UserError(f"{scenario}: the report did not render: {done.message}")
        html = (reports / done.slug / "report.html").resolve()
        if root is not None and html.is_relative_to(root.resolve()):
            return "voila/files/" + html.relative_to(root.resolve()).as_posix()
        return html.as_uri()

    return render


def explorer_app(scenario: str | Path, reports: str | Path | None = None) -> Any:
    """The explorer of ``scenario`` with saving beside it and rendering into ``reports``
    (default: the repository's ``reports/`` folder, ignored by git)."""
    from roi.present.explore import explorer
    from roi.report.batch import notebooks_dir

    path = Path(scenario).resolve()
    out = Path(reports) if reports is not None else notebooks_dir().parent / "reports"
    return explorer(
        load_scenario(path),
        path,
        on_save=lambda text: save_beside(path, text),
        on_render=render_into(out, Path.cwd()),
    )


def app_notebook(scenario: Path, reports: Path) -> dict[str, Any]:
    """The app notebook (nbformat 4 JSON): one cell showing :func:`explorer_app`."""
    source = (
        "from roi.report.explore_app import explorer_app\n\n"
        f"explorer_app({str(scenario)!r}, {str(reports)!r})"
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "explore",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def offline_template(data_dir: Path) -> Path:
    """Write :data:`TEMPLATE` into ``data_dir/voila/templates``: Voilà's ``lab`` page without
    its CDN stylesheet links (its icons are bundled already)."""
    import voila

    lab = Path(voila.__file__).parent
    candidates = [
        Path(sys.prefix) / "share/jupyter/voila/templates/lab/index.html.j2",
        lab.parent.parent.parent.parent / "share/jupyter/voila/templates/lab/index.html.j2",
    ]
    source = next((p for p in candidates if p.is_file()), None)
    if source is None:
        raise UserError("voila's lab template is missing; reinstall: pip install voila")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "https://" not in line or "<link" not in line]
    folder = data_dir / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html.j2").write_text("".join(kept), encoding="utf-8")
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    return folder


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class App:
    """A running explorer app."""

    process: subprocess.Popen[bytes]
    url: str
    """The page, token included."""
    folder: Path
    """The temporary folder of the app notebook, template and reports."""
    log: Path

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Voilà (SIGTERM, then SIGKILL after ``timeout``) and remove the folder."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(scenario: str | Path, port: int | None = None, timeout: float = START_TIMEOUT) -> App:
    """Check ``scenario``, generate the app in a temporary folder and start Voilà on it;
    return once the page answers.

    Raises
    ------
    ScenarioError
        The scenario does not load.
    UserError
        Voilà is not installed, or did not answer within ``timeout`` (its log is quoted).
    """
    path = Path(scenario).resolve()
    load_scenario(path)
    try:
        import voila  # noqa: F401
    except ImportError:
        raise UserError("roi explore needs voila: pip install -e '.[report]'") from None
    folder = Path(tempfile.mkdtemp(prefix="roi-explore-"))
    try:
        reports = folder / "reports"
        notebook = folder / "explore.ipynb"
        notebook.write_text(json.dumps(app_notebook(path, reports), indent=1), encoding="utf-8")
        offline_template(folder / "data")
        port = port or free_port()
        token = secrets.token_hex(16)
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(folder / "data"), *filter(None, [env.get("JUPYTER_PATH")])]
        )
        cmd = [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            f"--token={token}",
            f"--template={TEMPLATE}",
            "--VoilaConfiguration.file_allowlist=['.*\\.(png|svg|html|css|js)']",
        ]
        log = folder / "voila.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                cmd,
                cwd=folder,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    app = App(process, f"http://127.0.0.1:{port}/?token={token}", folder, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            text = log.read_text(encoding="utf-8", errors="replace")[-800:]
            app.stop()
            raise UserError(f"voila exited with code {process.returncode}: {text.strip()}")
        if _answers(f"http://127.0.0.1:{port}/voila/static/voila.js?token={token}"):
            return app
        if time.monotonic() > deadline:
            app.stop()
            raise UserError(f"voila did not answer on port {port} within {timeout:g} s")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    """True when an HTTP server answers ``url`` at all (any status)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextlib.contextmanager
def running(scenario: str | Path, port: int | None = None) -> Iterator[App]:
    """:func:`start` as a context manager that always stops the app."""
    app = start(scenario, port)
    try:
        yield app
    finally:
        app.stop()


def serve(scenario: str | Path, port: int | None = None, open_browser: bool = True) -> int:
    """Serve the explorer until Ctrl-C or SIGTERM; print its address; return 0."""
    stopping: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        stopping.append(signum)

    app = start(scenario, port)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"roi explore: serving {scenario} at {app.url}", flush=True)
        print("press Ctrl-C to stop", flush=True)
        if open_browser:
            webbrowser.open(app.url)
        while not stopping and app.process.poll() is None:
            time.sleep(0.2)
    finally:
        app.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    if not stopping:
        print(f"roi explore: voila exited with code {app.process.returncode}", file=sys.stderr)
        return 1
    print("roi explore: stopped", flush=True)
    return 0
