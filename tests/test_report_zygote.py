"""roi.report.zygote: which processes can fork kernels, and the zygote's refusal after pyplot."""

from __future__ import annotations

import json
import subprocess
import sys

from roi.report.zygote import forkable


def test_forkable() -> None:
    assert forkable("numpy")
    assert forkable("pandas:DataFrame")
    assert forkable("roi.present.charts:business")
    assert forkable("os.path")
    assert not forkable("matplotlib.pyplot")
    assert not forkable("matplotlib:pyplot")
    assert not forkable("ipywidgets")
    assert not forkable("IPython.display:display")  # imported in the kernel, not the zygote
    assert not forkable("readline")
    assert not forkable("some_third_party_package")


def test_zygote_refuses_after_pyplot() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import matplotlib.pyplot; from roi.report.zygote import main; main()",
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    answer = json.loads(done.stdout.splitlines()[0])
    assert answer == {"error": "RuntimeError: matplotlib.pyplot imported before IPython started"}
