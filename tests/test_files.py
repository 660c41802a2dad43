"""roi.report.files: atomic writes with readable permissions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from roi.report.files import umask, write_bytes_atomic, write_text_atomic


def test_write_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_bytes_atomic(tmp_path / "chart.png", b"\x89PNG")
        mode = (tmp_path / "chart.png").stat().st_mode & 0o777
    finally:
        os.umask(old)
    assert mode == 0o644


def test_creates_missing_folders_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "summary.json"
    write_text_atomic(path, "1")
    write_text_atomic(path, "2 é")
    assert path.read_text(encoding="utf-8") == "2 é"
    assert umask() == umask()  # reading the umask does not change it


def test_pieces_are_written_in_order_and_a_failing_source_leaves_the_old_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "index.html"
    write_text_atomic(path, iter(["<p>", "é", "</p>"]))
    assert path.read_text(encoding="utf-8") == "<p>é</p>"

    def pieces() -> Iterator[str]:
        yield "half"
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        write_text_atomic(path, pieces())
    assert path.read_text(encoding="utf-8") == "<p>é</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
