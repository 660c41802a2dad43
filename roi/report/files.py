"""Writing files so that nobody ever sees half of one: a temporary file in the same folder, then
a rename. Files get the usual permissions (``0o666`` less the umask), not the temporary file's
private ``0o600``: reports are meant to be read by others.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from roi.inputs.errors import UserError, escaped


class WriteError(UserError, OSError):
    """A file that cannot be written (a full disk, a read-only or missing folder, a folder in
    the way): one line naming the path, the reason and what would work. Also an ``OSError``,
    so callers that handle those (a report batch) go on handling it."""

    def __str__(self) -> str:
        return str(self.strerror)


_WRITE_HINTS = {
    errno.ENOSPC: "the disk is full; free some space or choose another folder",
    errno.EDQUOT: "the disk quota is used up; free some space or choose another folder",
    errno.EACCES: "allowed: a folder you may write to",
    errno.EPERM: "allowed: a folder you may write to",
    errno.EROFS: "the file system is read-only; allowed: a folder you may write to",
    errno.EISDIR: "a folder is in the way; allowed: the path of a file",
    errno.ENOTDIR: "a file is in the way of a folder; allowed: a path through folders",
    errno.EEXIST: "a file is in the way of a folder; allowed: a path through folders",
}


def _write_error(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = _WRITE_HINTS.get(exc.errno or 0, "allowed: a path in a folder you may write to")
    return WriteError(exc.errno or 0, f"{escaped(str(path), 300)}: cannot write: {reason}; {hint}")


def umask() -> int:
    """The process umask (read without changing it for longer than a moment)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of them written one after another, so a large file
    need not be held whole) to ``path`` through a temporary file and a rename; never
    half-written. A failure is a :class:`WriteError` (nothing of the file is left).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
    >>> write_bytes_atomic(p, b"ok")
    >>> p.read_bytes(), oct(p.stat().st_mode & 0o777) == oct(0o666 & ~umask())
    (b'ok', True)
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise


def write_text_atomic(path: str | Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8; a string, or pieces of one) to ``path`` atomically; see
    :func:`write_bytes_atomic`."""
    if isinstance(text, str):
        write_bytes_atomic(path, text.encode("utf-8"))
    else:
        write_bytes_atomic(path, (piece.encode("utf-8") for piece in text))
