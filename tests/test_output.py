"""Safe output (issue 9, findings 4, 5 and 7): every file hipmap writes goes through
hipmap.core.output — temp file beside the target, verified, fsync, atomic rename; -o that is
the input, a folder or an unwritable place is refused with exit 2 and one line; a full disk
leaves the old file untouched and nothing partial behind."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.cli import main
from hipmap.core.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sciatica.hipmap.json"

#: every command that writes a file, with its output suffix
WRITERS = {
    "render": (["render", "{in}", "-o", "{out}"], ".png"),
    "report": (["report", "{in}", "-o", "{out}"], ".pdf"),
    "export": (["export", "{in}", "--fhir", "-o", "{out}"], ".json"),
}


#: the same, each writer that draws with Qt marked ``gui`` (make test-core runs without Qt)
DRAWING_WRITERS = [pytest.param(c, marks=pytest.mark.gui) if c in ("render", "report") else c
                   for c in WRITERS]


def cli(command: str, inp: Path | str, out: Path | str, capsys) -> tuple[int, str]:
    args = [a.format(**{"in": inp, "out": out}) for a in WRITERS[command][0]]
    code = main(args)
    err = capsys.readouterr().err
    return code, err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def drawing(tmp_path: Path) -> Path:
    p = tmp_path / "in" / "drawing.hipmap.json"
    p.parent.mkdir()
    shutil.copy(EXAMPLE, p)
    return p


# ----------------------------------------------------------------- finding 5: -o is the input

@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "relative path"])
def test_output_that_is_the_input_is_refused_and_the_input_kept(command, how, drawing,
                                                                capsys, monkeypatch):
    before = drawing.read_bytes()
    if how == "same path":
        out = drawing
    elif how == "symlink":
        out = drawing.parent / "link.json"
        out.symlink_to(drawing.name)
    elif how == "hard link":
        out = drawing.parent / "hard.json"
        os.link(drawing, out)
    else:
        monkeypatch.chdir(drawing.parent.parent)
        out = Path("in") / ".." / "in" / drawing.name
    code, err = cli(command, drawing, out, capsys)
    assert code == 2 and one_line(err), err
    assert "is the input file itself" in err
    assert drawing.read_bytes() == before
    assert sorted(p.name for p in drawing.parent.iterdir() if not p.is_symlink()) == \
        sorted([drawing.name] + (["hard.json"] if how == "hard link" else []))


# ----------------------------------------------------------------- finding 7: odd -o targets

@pytest.mark.parametrize("command", WRITERS)
def test_output_onto_a_folder_is_exit_2_one_line(command, drawing, tmp_path, capsys):
    code, err = cli(command, drawing, tmp_path, capsys)
    assert code == 2 and one_line(err) and "is a folder" in err


@pytest.mark.parametrize("command", WRITERS)
def test_output_into_a_missing_folder_is_exit_2(command, drawing, tmp_path, capsys):
    code, err = cli(command, drawing, tmp_path / "nope" / "x.out", capsys)
    assert code == 2 and one_line(err) and "folder does not exist" in err


@pytest.mark.parametrize("command", WRITERS)
def test_a_read_only_existing_output_is_not_overwritten_and_is_exit_2(command, drawing,
                                                                      tmp_path, capsys):
    """Finding 4: over a read-only file, report left the old file and said it succeeded."""
    out = tmp_path / ("old" + WRITERS[command][1])
    out.write_bytes(b"the old file")
    out.chmod(0o444)
    code, err = cli(command, drawing, out, capsys)
    assert code == 2 and one_line(err) and "read-only" in err
    assert out.read_bytes() == b"the old file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
@pytest.mark.parametrize("command", WRITERS)
def test_a_socket_or_device_as_output_is_refused(command, drawing, tmp_path, capsys):
    """(Never /dev/null in a test: the old code replaced the target by rename.)"""
    import socket

    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        code, err = cli(command, drawing, sock_path, capsys)
    assert code == 2 and one_line(err) and "not a regular file" in err
    assert sock_path.is_socket()


# ----------------------------------------------------------------- a real full / read-only disk

def _mount_tmpfs(where: Path, options: str) -> str | None:
    """Mount a small tmpfs (needs root and a kernel that lets us); None when done, else why
    not."""
    if sys.platform != "linux":
        return "tmpfs mounts are Linux-only"
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root"
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                       capture_output=True, text=True)
    return None if r.returncode == 0 else f"cannot mount a tmpfs here: {r.stderr.strip()}"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 160 KB file system: too small for any report, render or export."""
    where = tmp_path / "full"
    why = _mount_tmpfs(where, "size=160k,mode=0777")
    if why:
        pytest.skip(f"real full-disk test skipped: {why} (the ENOSPC double still runs)")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def read_only_disk(tmp_path: Path):
    where = tmp_path / "ro"
    why = _mount_tmpfs(where, "ro,size=64k")
    if why:
        pytest.skip(f"real read-only-disk test skipped: {why}")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(where: Path) -> None:
    """Fill the disk but for 16 KB: less than any report, render or export needs."""
    st = os.statvfs(where)
    (where / "filler").write_bytes(b"\0" * (st.f_bavail * st.f_frsize - 16 * 1024))


@pytest.mark.parametrize("command", DRAWING_WRITERS)
def test_a_full_disk_is_exit_2_leaves_the_old_file_and_nothing_partial(command, drawing,
                                                                       small_disk, capsys):
    """Finding 4 and 7: on a full disk report left a truncated PDF, render a partial PNG."""
    out = small_disk / ("out" + WRITERS[command][1])
    out.write_bytes(b"the old output")
    _fill(small_disk)
    code, err = cli(command, drawing, out, capsys)
    assert code == 2 and one_line(err), err
    assert "disk is full" in err
    assert out.read_bytes() == b"the old output"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", out.name]


@pytest.mark.parametrize("command", WRITERS)
def test_a_read_only_file_system_is_exit_2(command, drawing, read_only_disk, capsys):
    code, err = cli(command, drawing, read_only_disk / ("x" + WRITERS[command][1]), capsys)
    assert code == 2 and one_line(err) and "cannot write" in err


class _FullDiskFile:
    """A test double for the one write call: the disk fills after ``room`` bytes."""

    def __init__(self, fh, room: int) -> None:
        self._fh, self._room = fh, room

    def write(self, data) -> int:
        if len(data) > self._room:
            self._fh.write(bytes(data[:self._room]))
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()


@pytest.mark.parametrize("command", DRAWING_WRITERS)
def test_enospc_at_the_write_call_keeps_the_old_file(command, drawing, tmp_path, capsys,
                                                     monkeypatch):
    """The same guarantee where a tmpfs cannot be mounted: ENOSPC from the write call."""
    from hipmap.core import output

    real = os.fdopen
    monkeypatch.setattr(output.os, "fdopen",
                        lambda fd, *a, **k: _FullDiskFile(real(fd, *a, **k), 1000))
    out = tmp_path / ("old" + WRITERS[command][1])
    out.write_bytes(b"the old output")
    code, err = cli(command, drawing, out, capsys)
    assert code == 2 and one_line(err) and "disk is full" in err
    assert out.read_bytes() == b"the old output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", out.name]


# ----------------------------------------------------------------- the helper itself

def test_write_bytes_replaces_atomically_and_keeps_the_mode(tmp_path):
    from hipmap.core import output

    target = tmp_path / "a.json"
    target.write_text("{}")
    target.chmod(0o640)
    output.write_bytes(target, b'{"new": 1}', verify=output.verify_json)
    assert target.read_bytes() == b'{"new": 1}'
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_content_that_fails_its_check_is_never_written(tmp_path):
    from hipmap.core import output

    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="not valid"):
        output.write_bytes(target, b"%PDF-1.4 truncated", verify=output.verify_pdf)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.gui
def test_verifiers_catch_truncated_files():
    from PySide6.QtGui import QColor, QImage

    from hipmap.core import output
    from hipmap.ui.render import ensure_gui_app, png_bytes

    ensure_gui_app()
    img = QImage(40, 30, QImage.Format.Format_ARGB32)
    img.fill(QColor("red"))
    png = png_bytes(img)
    assert output.verify_png(png) is None
    for cut in (len(png) - 12, len(png) // 2, 20):
        assert output.verify_png(png[:cut]) is not None
    broken = bytearray(png)
    broken[60] ^= 0xFF
    assert output.verify_png(bytes(broken)) is not None
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n"
    assert output.verify_pdf(pdf) is None
    assert output.verify_pdf(pdf[:-20]) is not None
    assert output.verify_pdf(b"PK" + pdf) is not None
    assert output.verify_json(b'{"a": [1]}') is None
    assert output.verify_json(b'{"a": [1') is not None


def test_check_target_refuses_a_file_where_a_folder_should_be(tmp_path):
    from hipmap.core import output

    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="folder does not exist"):
        output.check_target(tmp_path / "file" / "out.png")


@pytest.mark.parametrize("failing", ["share", "share/out.png"])
def test_an_output_that_cannot_be_examined_gives_the_systems_reason(tmp_path, monkeypatch,
                                                                     failing):
    """E.g. a network folder that has gone away: the one line says why, never 'None'."""
    from hipmap.core import output

    folder = tmp_path / "share"
    real_stat = os.stat

    def stat(path, *a, **k):
        if Path(path) == tmp_path / failing:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_stat(path, *a, **k)

    monkeypatch.setattr(output.os, "stat", stat)
    with pytest.raises(InputError) as err:
        output.check_target(folder / "out.png")
    assert os.strerror(errno.EIO) in str(err.value)


# ----------------------------------------------------------------- the verifiers, without Qt

def _chunk(kind: bytes, body: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def _png(width: int = 3, height: int = 2, *, colour: int = 2, interlace: int = 0,
         rows: bytes | None = None, idat: bytes | None = None, ihdr: bool = True,
         iend: bool = True) -> bytes:
    """A PNG made by hand (8-bit, filter 0): what a writer that works puts on disk."""
    import struct
    import zlib

    from hipmap.core.output import PNG_SIGNATURE

    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 3)
    if rows is None:
        rows = (b"\x00" + b"\x7f" * (width * channels)) * height
    out = PNG_SIGNATURE
    if ihdr:
        out += _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0,
                                           interlace))
    out += _chunk(b"IDAT", zlib.compress(rows) if idat is None else idat)
    return out + (_chunk(b"IEND", b"") if iend else b"")


def test_a_sound_png_passes_and_each_fault_is_named():
    from hipmap.core.output import PNG_SIGNATURE, verify_png

    good = _png()
    assert verify_png(good) is None
    assert verify_png(good + b"trailing bytes after IEND") is None
    assert verify_png(_png(colour=6, width=5, height=4)) is None
    assert verify_png(b"GIF89a" + good[6:]) == "no PNG signature"
    assert verify_png(good[:-6]) == "no IEND chunk (truncated)"
    assert verify_png(good[:8 + 25 + 14]) == "a truncated chunk"  # inside the IDAT body
    broken = bytearray(good)
    broken[8 + 8 + 2] ^= 0xFF  # a byte of the IHDR body, its CRC no longer matches
    assert verify_png(bytes(broken)) == "a bad CRC in the IHDR chunk"
    assert verify_png(_png(idat=b"not zlib at all")) == "image data that does not inflate"
    assert verify_png(_png(ihdr=False)) == "no IHDR chunk"
    assert verify_png(_png(iend=False)) == "no IEND chunk (truncated)"
    assert verify_png(PNG_SIGNATURE) == "no IHDR chunk"
    assert verify_png(_png(colour=5)) == "an invalid header"
    assert verify_png(_png(width=0, rows=b"")) == "an invalid header"
    assert verify_png(_png(height=0, rows=b"")) == "an invalid header"
    assert verify_png(_png(rows=b"\x00" * 10)) == "image data of the wrong size"
    assert verify_png(_png(rows=b"\x00" * 100)) == "image data of the wrong size"
    # an interlaced image's size is not checked row by row, but it must hold data
    assert verify_png(_png(interlace=1, rows=b"\x00" * 7)) is None
    assert verify_png(_png(interlace=1, rows=b"")) == "no image data"


def test_a_sound_pdf_passes_and_each_fault_is_named():
    from hipmap.core.output import verify_pdf

    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n"
    assert verify_pdf(pdf) is None
    assert verify_pdf(pdf + b"\r\n  ") is None
    assert verify_pdf(b"%pdf-1.4" + pdf[8:]) == "no %PDF header"
    assert verify_pdf(b"PK" + pdf) == "no %PDF header"
    assert verify_pdf(pdf.replace(b"startxref", b"xref")) == "no startxref"
    assert verify_pdf(pdf[:-6]) == "no %%EOF at the end"
    assert verify_pdf(pdf + b"%%EOF then more") == "no %%EOF at the end"
    # only the end counts: a startxref far before the last 2 KB is not the trailer
    assert verify_pdf(pdf + b" " * 3000 + b"%%EOF") == "no startxref"


def test_json_is_verified_by_parsing_it():
    from hipmap.core.output import verify_json

    assert verify_json('{"a": [1], "é": 2}'.encode()) is None
    assert verify_json(b'{"a": [1').startswith("not valid JSON (")
    assert verify_json(b"\xff{}").startswith("not valid JSON (")


def test_write_bytes_gives_a_new_file_the_mode_asked_for_or_the_umasks(tmp_path):
    from hipmap.core import output

    private = tmp_path / "private.json"
    output.write_bytes(private, b"{}", mode=0o600)
    assert private.stat().st_mode & 0o777 == 0o600
    old = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        output.write_bytes(fresh, b"{}")
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o640
    # an explicit mode wins over the one of the file it replaces
    replaced = tmp_path / "replaced.json"
    replaced.write_text("{}")
    replaced.chmod(0o644)
    output.write_bytes(replaced, b"[]", mode=0o600)
    assert replaced.stat().st_mode & 0o777 == 0o600 and replaced.read_bytes() == b"[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.json", "private.json",
                                                          "replaced.json"]


def test_an_existing_output_is_not_mistaken_for_standard_input(tmp_path):
    from hipmap.core.output import check_target

    out = tmp_path / "out.json"
    out.write_text("{}")
    assert check_target(out, inputs=["-"]) == out  # `hipmap export - -o out.json`


def test_a_read_only_output_file_is_named_in_the_refusal(tmp_path):
    from hipmap.core.output import check_target

    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-")
    out.chmod(0o444)
    with pytest.raises(InputError) as err:
        check_target(out)
    assert err.value.one_line() == f"{out}: is read-only; it was not overwritten"


def test_content_that_changes_on_the_disk_is_refused_and_the_old_file_kept(tmp_path):
    """The bytes read back are verified again (a failing disk or driver): a file that
    passed before writing and fails after is not put in place."""
    from hipmap.core import output

    target = tmp_path / "a.json"
    target.write_text('{"old": 1}')
    calls = []

    def verify(data: bytes) -> str | None:
        calls.append(data)
        return None if len(calls) == 1 else "it changed"

    with pytest.raises(InputError) as err:
        output.write_bytes(target, b'{"new": 1}', verify=verify)
    assert err.value.one_line() == (f"{target}: the written file is not valid (it changed); "
                                    "the old file is untouched")
    assert calls == [b'{"new": 1}', b'{"new": 1}']
    assert target.read_text() == '{"old": 1}' and [p.name for p in tmp_path.iterdir()] == [
        "a.json"]


def test_an_input_that_no_longer_exists_is_not_the_output(tmp_path):
    from hipmap.core.output import check_target

    out = tmp_path / "out.json"
    out.write_text("{}")
    assert check_target(out, inputs=[tmp_path / "gone.json", "bad\0name"]) == out
