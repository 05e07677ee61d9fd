"""Safe output for every file hipmap writes (render, report, export, Save, Export PNG).

One rule for all of them: the new content is written to a temporary file beside the target,
flushed to the disk (fsync), read back and verified (a PDF has its header and its
``startxref``/``%%EOF`` trailer, a PNG decodes, JSON parses), and only then renamed over the
target in one atomic step. A crash, a full disk or a refused write leaves either the old file
or the new one — never a truncated file, never a stray temporary file.

Before any work is done, :func:`check_target` refuses an output that is the input itself
(also through a symlink or a hard link: same device and inode), a folder, a device or pipe,
a read-only file, or a place that does not exist or cannot be written. Every refusal is an
:class:`~hipmap.core.errors.InputError` (exit 2, one line). Qt-free.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from hipmap.core.errors import InputError
from hipmap.i18n import _

Verifier = Callable[[bytes], str | None]  # -> None when sound, else what is wrong


# ----------------------------------------------------------------------------- checks

def check_target(path: str | os.PathLike[str], *,
                 inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse an output path that cannot or must not be written; returns it as a Path."""
    target = Path(path)
    source = str(path)
    if not source or source.endswith(("/", os.sep)):
        raise InputError(_("the output must be a file name, not a folder"), source=source)
    try:
        st = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except (OSError, ValueError) as exc:
        raise InputError(_("cannot write here ({reason})").format(
            reason=_reason(exc)), source=source) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError(_("is a folder; give a file name for the output"), source=source)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(_("is not a regular file (a device, pipe or socket); "
                             "not overwritten"), source=source)
        if any(_same_file(inp, st) for inp in inputs):
            raise InputError(_("is the input file itself; write the output to another file "
                             "(the input is left untouched)"), source=source)
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise InputError(_("is read-only; it was not overwritten"), source=source)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fst = os.stat(folder)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(_("the output folder does not exist"), source=source) from None
    except (OSError, ValueError) as exc:
        raise InputError(_("cannot write here ({reason})").format(
            reason=_reason(exc)), source=source) from None
    if not stat.S_ISDIR(fst.st_mode):
        raise InputError(_("the output folder does not exist"), source=source)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(_("cannot write in the output folder (permission denied)"),
                         source=source)
    return target


def _same_file(inp: str | os.PathLike[str], st: os.stat_result) -> bool:
    """The same file on disk: a symlink or a hard link to it is the same file too."""
    if str(inp) == "-":
        return False
    try:
        ist = os.stat(inp)
    except (OSError, ValueError):
        return False
    return (ist.st_dev, ist.st_ino) == (st.st_dev, st.st_ino)


# ----------------------------------------------------------------------------- writing

def write_bytes(path: str | os.PathLike[str], data: bytes, *,
                verify: Verifier | None = None, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically and verified (see the module docstring).

    ``verify`` checks the bytes read back from the temporary file. ``mode``: the new file's
    permissions (default: those of the file it replaces, else 0o666 less the umask).
    Raises :class:`InputError` (nothing changed) when the disk is full or the place cannot
    be written, ``ValueError`` when the content fails its own check (a bug, not bad input).
    """
    target = Path(path)
    source = str(path)
    if verify is not None:
        problem = verify(data)
        if problem:
            raise ValueError(f"{source}: the output is not valid ({problem}); nothing written")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _write_error(exc, source) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                view = memoryview(data)
                while view:
                    n = fh.write(view)
                    view = view[n:]
                fh.flush()
                os.fsync(fh.fileno())
            _set_mode(tmp, target, mode)
            with open(tmp, "rb") as fh:
                back = fh.read()
        except OSError as exc:
            raise _write_error(exc, source) from None
        if back != data:
            raise InputError(_("the written file did not read back the same; the old file is "
                             "untouched"), source=source)
        if verify is not None:
            problem = verify(back)
            if problem:
                raise InputError(_("the written file is not valid ({problem}); the old file is "
                                   "untouched").format(problem=problem), source=source)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise _write_error(exc, source) from None
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike[str], text: str, *,
               verify: Verifier | None = None) -> None:
    """UTF-8 text, atomically (the document's Save and the recovery of old)."""
    write_bytes(path, text.encode("utf-8"), verify=verify)


def _set_mode(tmp: str, target: Path, mode: int | None) -> None:
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(exc: OSError, source: str) -> InputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InputError(_("the disk is full; nothing was written and any old file is "
                          "untouched"), source=source)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(_("cannot write here (permission denied); nothing was written"),
                          source=source)
    if exc.errno == errno.EROFS:
        return InputError(_("cannot write here (read-only file system); nothing was written"),
                          source=source)
    return InputError(_("could not write the file ({reason}); nothing was written").format(
        reason=_reason(exc)), source=source)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


# ----------------------------------------------------------------------------- verifiers

def verify_pdf(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-"):
        return "no %PDF header"
    tail = data[-2048:]
    if b"startxref" not in tail:
        return "no startxref"
    if not tail.rstrip().endswith(b"%%EOF"):
        return "no %%EOF at the end"
    return None


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def verify_png(data: bytes) -> str | None:
    """Decode the PNG's structure: every chunk's CRC, the header, and the image data
    inflated in full to exactly the size the header promises (no Qt needed)."""
    if not data.startswith(PNG_SIGNATURE):
        return "no PNG signature"
    pos, ihdr, inflater, raw, ended = 8, None, zlib.decompressobj(), 0, False
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            return "a truncated chunk"
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return f"a bad CRC in the {kind.decode('latin-1')} chunk"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            try:
                raw += len(inflater.decompress(body))
            except zlib.error:
                return "image data that does not inflate"
        elif kind == b"IEND":
            ended = True
            pos += 12 + length
            break
        pos += 12 + length
    if ihdr is None:
        return "no IHDR chunk"
    if not ended:
        return "no IEND chunk (truncated)"
    width, height, depth, colour, _c, _f, interlace = ihdr
    if colour not in _CHANNELS or width == 0 or height == 0:
        return "an invalid header"
    if interlace == 0:
        row = (width * _CHANNELS[colour] * depth + 7) // 8
        if raw != height * (row + 1):
            return "image data of the wrong size"
    elif raw == 0:
        return "no image data"
    return None


def verify_json(data: bytes) -> str | None:
    try:
        json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"not valid JSON ({exc})"
    return None


__all__ = ["check_target", "verify_json", "verify_pdf", "verify_png", "write_bytes",
           "write_text"]
