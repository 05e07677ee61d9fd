"""Linux: a smaller ICU data library for the bundle (32 MB -> about 3 MB).

The Linux PySide6 wheels ship ICU, whose ``libicudata.so.NN`` is nothing but one 32 MB
exported array, ``icudtNN_dat``: ICU's "common data" package (locale data for ~800 locales,
legacy-encoding converters, dictionaries for Thai/CJK word breaking, transliteration...).
Qt uses ICU for collation, case mapping, time zones and legacy codecs; hipmap speaks English
(and Spanish, next) and reads UTF-8 only. This module writes the same package without:

- the locale-specific items of every language but ``KEEP_LANGUAGES`` (and ``root``, which
  every other locale falls back to: a German user gets root collation and case rules);
- legacy-encoding converter tables (``*.cnv``; UTF-8/16/32, ASCII and Latin-1 are built into
  ICU's code), word-break dictionaries (``*.dict``) and transliterators (``translit/``);

and links it with binutils (``as``, ``ld``; PyInstaller needs binutils on Linux anyway) into a
library of the same soname exporting the same symbol. ``check()`` then opens ICU with it for
the kept languages (resource bundles, a collator, the UTF-8 converter, a word break iterator)
before hipmap.spec puts it in the bundle; without binutils, or if the check fails, the bundle
keeps the wheel's library and the build log says so.

    python packaging/icu_data.py .venv-build/lib/python3.11/site-packages/PySide6/Qt/lib
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

KEEP_LANGUAGES = ("en", "es")
# A locale item: "de.res", "zh_Hant_TW.res", "coll/es_419.res" (language: 2-3 letters).
# Not locale items (kept): "pool.res", "res_index.res", "supplementalData.res", "zoneinfo64.res"
_LOCALE = re.compile(r"^([a-z]{2,3})(?:_[A-Za-z0-9]+)*\.res$")
_NOT_LOCALES = {"res_index.res", "pool.res"}


def _elf_symbol(data: bytes, pattern: re.Pattern[str]) -> tuple[str, int, int]:
    """(name, file offset, size) of the first exported symbol matching ``pattern`` (ELF64 LE)."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    dynsym = next(s for s in sections if s[1] == 11)  # SHT_DYNSYM
    strtab = sections[dynsym[6]]
    for i in range(dynsym[5] // 24):
        st_name, _info, _other, _shndx, value, size = struct.unpack_from(
            "<IBBHQQ", data, dynsym[4] + i * 24)
        end = data.index(b"\0", strtab[4] + st_name)
        name = data[strtab[4] + st_name:end].decode()
        if size and pattern.fullmatch(name):
            for s in sections:  # virtual address -> file offset
                if s[1] != 8 and s[3] <= value < s[3] + s[5]:  # not SHT_NOBITS
                    return name, value - s[3] + s[4], size
    raise ValueError("no ICU data symbol (icudtNN_dat) in this library")


def read_items(common: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """ICU common data ("CmnD") -> (its header, [(item name, item bytes), ...] in TOC order)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", common, 0)
    if (magic1, magic2) != (0xDA, 0x27) or common[12:16] != b"CmnD" or common[8] != 0:
        raise ValueError("not little-endian ICU common data")
    toc = header_size
    count, = struct.unpack_from("<I", common, toc)
    entries = [struct.unpack_from("<II", common, toc + 4 + 8 * i) for i in range(count)]
    ends = [e[1] for e in entries[1:]] + [len(common) - toc]
    items = []
    for (name_off, data_off), end in zip(entries, ends, strict=True):
        stop = common.index(b"\0", toc + name_off)
        items.append((common[toc + name_off:stop].decode("ascii"),
                      common[toc + data_off:toc + end]))
    return common[:header_size], items


def write_items(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of :func:`read_items` (names keep their order: ICU binary-searches them)."""
    toc_size = 4 + 8 * len(items)
    names = b"".join(n.encode("ascii") + b"\0" for n, _ in items)
    name_offsets, pos = [], toc_size
    for n, _ in items:
        name_offsets.append(pos)
        pos += len(n) + 1
    out = bytearray(header) + bytearray(toc_size) + names
    entries = []
    for (_name, blob), name_off in zip(items, name_offsets, strict=True):
        out += b"\0" * (-len(out) % 16)  # every item starts 16-byte aligned
        entries.append((name_off, len(out) - len(header)))
        out += blob
    struct.pack_into("<I", out, len(header), len(items))
    for i, (n_off, d_off) in enumerate(entries):
        struct.pack_into("<II", out, len(header) + 4 + 8 * i, n_off, d_off)
    return bytes(out)


def keep(name: str, languages: tuple[str, ...] = KEEP_LANGUAGES) -> bool:
    """Whether the item ``icudt73l/<...>`` stays in the smaller package."""
    rel = name.split("/", 1)[1] if "/" in name else name
    base = rel.rsplit("/", 1)[-1]
    if rel.endswith((".cnv", ".dict")) or rel.startswith("translit/"):
        return False
    if base in _NOT_LOCALES or base == "root.res":
        return True
    m = _LOCALE.match(base)
    return m is None or m.group(1) in languages


def filtered(common: bytes, languages: tuple[str, ...] = KEEP_LANGUAGES) -> bytes:
    header, items = read_items(common)
    return write_items(header, [(n, b) for n, b in items if keep(n, languages)])


def build_library(library: Path, out: Path,
                  languages: tuple[str, ...] = KEEP_LANGUAGES) -> tuple[int, int]:
    """Write the smaller ``libicudataNN`` for ``library`` to ``out``; (old, new) data size."""
    data = library.read_bytes()
    symbol, offset, size = _elf_symbol(data, re.compile(r"icudt\d+_dat"))
    small = filtered(data[offset:offset + size], languages)
    soname = library.name
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp, "icudata.dat")
        blob.write_bytes(small)
        asm = Path(tmp, "icudata.s")
        asm.write_text(f"""\t.section .rodata
\t.globl {symbol}
\t.type {symbol}, @object
\t.balign 16
{symbol}:
\t.incbin "{blob}"
\t.size {symbol}, . - {symbol}
\t.section .note.GNU-stack,"",@progbits
""")
        obj = Path(tmp, "icudata.o")
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        subprocess.run(["ld", "-shared", "-z", "noexecstack", "-soname", soname,
                        "-o", str(out), str(obj)], check=True)
    return size, len(small)


_CHECK = r"""
import ctypes, sys
lib_dir, ver, langs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
ctypes.CDLL(lib_dir + "/libicudata.so." + ver, mode=ctypes.RTLD_GLOBAL)
uc = ctypes.CDLL(lib_dir + "/libicuuc.so." + ver, mode=ctypes.RTLD_GLOBAL)
i18n = ctypes.CDLL(lib_dir + "/libicui18n.so." + ver)
def f(lib, name, restype=ctypes.c_void_p):
    fn = getattr(lib, name + "_" + ver)
    fn.restype = restype
    return fn
def ok(what, status):
    if status.value > 0:
        sys.exit(f"ICU check failed: {what}: error {status.value}")
st = ctypes.c_int(0)
f(uc, "u_init", None)(ctypes.byref(st)); ok("u_init", st)
for lang in ["root", *langs]:
    st = ctypes.c_int(0)
    rb = f(uc, "ures_open")(None, lang.encode(), ctypes.byref(st)); ok("ures_open " + lang, st)
    f(uc, "ures_close", None)(ctypes.c_void_p(rb))
    if st.value != 0 and lang != "root":  # a warning: fell back to root, the data is missing
        sys.exit(f"ICU check failed: no locale data for {lang} (status {st.value})")
    st = ctypes.c_int(0)
    coll = f(i18n, "ucol_open")(lang.encode(), ctypes.byref(st)); ok("ucol_open " + lang, st)
    f(i18n, "ucol_close", None)(ctypes.c_void_p(coll))
    st = ctypes.c_int(0)
    brk = f(uc, "ubrk_open")(1, lang.encode(), None, 0, ctypes.byref(st))  # UBRK_WORD
    ok("ubrk_open " + lang, st)
    f(uc, "ubrk_close", None)(ctypes.c_void_p(brk))
st = ctypes.c_int(0)
cnv = f(uc, "ucnv_open")(b"UTF-8", ctypes.byref(st)); ok("ucnv_open UTF-8", st)
f(uc, "ucnv_close", None)(ctypes.c_void_p(cnv))
print("ICU check OK")
"""


def check(new_library: Path, wheel_lib_dir: Path,
          languages: tuple[str, ...] = KEEP_LANGUAGES) -> str | None:
    """Open ICU with ``new_library`` (beside copies of the wheel's libicuuc/libicui18n) in
    a child process; None if it works, else what failed."""
    ver = new_library.name.rsplit(".", 1)[-1]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(new_library, Path(tmp, new_library.name))
        for lib in ("libicuuc", "libicui18n"):
            shutil.copy2(wheel_lib_dir / f"{lib}.so.{ver}", Path(tmp, f"{lib}.so.{ver}"))
        r = subprocess.run([sys.executable, "-c", _CHECK, tmp, ver, ",".join(languages)],
                           capture_output=True, text=True)
    if r.returncode != 0:
        return (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]
    return None


def main(argv: list[str] | None = None) -> int:
    lib_dir = Path((argv or sys.argv[1:])[0])
    library = next(lib_dir.glob("libicudata.so.*"))
    out = Path(tempfile.mkdtemp()) / library.name
    old, new = build_library(library, out)
    print(f"{library.name}: data {old / 1e6:.1f} MB -> {new / 1e6:.1f} MB; "
          f"library {out.stat().st_size / 1e6:.1f} MB at {out}")
    problem = check(out, lib_dir)
    print(problem or "ICU opens the smaller data for root, " + ", ".join(KEEP_LANGUAGES))
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())
