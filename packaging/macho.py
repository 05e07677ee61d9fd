"""The lowest macOS a set of Mach-O files runs on: the highest ``minos`` among them.

Every Mach-O binary records the oldest macOS it was built for, in an ``LC_BUILD_VERSION``
load command (``minos``, macOS 10.14+ toolchains) or an older ``LC_VERSION_MIN_MACOSX``
(``version``). An app runs only where every binary it loads runs, so its
``LSMinimumSystemVersion`` is the highest of those: ``hipmap.spec`` reads it from the
bundle it has just collected, instead of a number typed by hand (numpy 2.4's wheels need
macOS 14, while the Info.plist used to say 11).

Pure Python (no macholib, no Xcode), so it is tested on any OS:

    python packaging/macho.py dist/hipmap.app [--arch arm64]   # prints the minimum and why
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

MH_MAGIC, MH_MAGIC_64 = 0xFEEDFACE, 0xFEEDFACF
FAT_MAGIC, FAT_MAGIC_64 = 0xCAFEBABE, 0xCAFEBABF
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
PLATFORM_MACOS = 1
CPU_TYPES = {0x01000007: "x86_64", 0x0100000C: "arm64", 7: "i386", 12: "arm"}

Version = tuple[int, int, int]


def decode(v: int) -> Version:
    """Mach-O packs X.Y.Z as xxxx.yy.zz in nibbles: 0x000E0000 is 14.0.0."""
    return (v >> 16, (v >> 8) & 0xFF, v & 0xFF)


def fmt(v: Version) -> str:
    """``(14, 0, 0)`` -> ``"14.0"``, ``(13, 3, 1)`` -> ``"13.3.1"``."""
    return f"{v[0]}.{v[1]}" + (f".{v[2]}" if v[2] else "")


def _thin_minimum(data: bytes, offset: int) -> tuple[str, Version | None] | None:
    """(architecture, minimum macOS or None) of the thin Mach-O image at ``offset``."""
    magic_le = struct.unpack_from("<I", data, offset)[0]
    magic_be = struct.unpack_from(">I", data, offset)[0]
    if magic_le in (MH_MAGIC, MH_MAGIC_64):
        e = "<"
        magic = magic_le
    elif magic_be in (MH_MAGIC, MH_MAGIC_64):
        e = ">"
        magic = magic_be
    else:
        return None
    cputype, _sub, _ftype, ncmds, _size, _flags = struct.unpack_from(e + "iIIIII", data,
                                                                     offset + 4)
    pos = offset + (32 if magic == MH_MAGIC_64 else 28)
    best: Version | None = None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from(e + "II", data, pos)
        found: Version | None = None
        if cmd == LC_BUILD_VERSION:
            platform, minos = struct.unpack_from(e + "II", data, pos + 8)
            if platform == PLATFORM_MACOS:
                found = decode(minos)
        elif cmd == LC_VERSION_MIN_MACOSX:
            found = decode(struct.unpack_from(e + "I", data, pos + 8)[0])
        if found is not None and (best is None or found > best):
            best = found
        if cmdsize < 8:
            break  # a corrupt command: stop rather than loop forever
        pos += cmdsize
    return CPU_TYPES.get(cputype, f"cpu{cputype:#x}"), best


def minimums(data: bytes) -> dict[str, Version | None]:
    """Per architecture slice, the minimum macOS of a Mach-O file's bytes ({} if not Mach-O)."""
    if len(data) < 32:
        return {}
    magic = struct.unpack_from(">I", data, 0)[0]
    if magic in (FAT_MAGIC, FAT_MAGIC_64):
        count = struct.unpack_from(">I", data, 4)[0]
        if count > 32:  # 0xCAFEBABE is also a Java class file; no fat file has 33 slices
            return {}
        out: dict[str, Version | None] = {}
        pos = 8
        for _ in range(count):
            if magic == FAT_MAGIC:
                _cpu, _sub, off, _size, _align = struct.unpack_from(">iiIII", data, pos)
                pos += 20
            else:
                _cpu, _sub, off, _size, _align, _res = struct.unpack_from(">iiQQII", data, pos)
                pos += 32
            thin = _thin_minimum(data, off)
            if thin:
                out[thin[0]] = thin[1]
        return out
    thin = _thin_minimum(data, 0)
    return {thin[0]: thin[1]} if thin else {}


def _load_commands_bytes(path: Path) -> bytes:
    """Enough of the file to read its headers and load commands (all of it if small)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if len(head) < 4:
            return b""
        magic = struct.unpack(">I", head)[0]
        if magic not in (MH_MAGIC, MH_MAGIC_64, FAT_MAGIC, FAT_MAGIC_64) and \
                struct.unpack("<I", head)[0] not in (MH_MAGIC, MH_MAGIC_64):
            return b""
        fh.seek(0)
        return fh.read()


def file_minimums(path: Path) -> dict[str, Version | None]:
    return minimums(_load_commands_bytes(path))


def bundle_minimum(paths: Iterable[Path], arch: str | None = None
                   ) -> tuple[Version, Path] | None:
    """The highest minimum macOS among the Mach-O files under ``paths`` (files or folders),
    for one architecture (None: any), and the file that sets it."""
    best: tuple[Version, Path] | None = None
    for top in paths:
        top = Path(top)
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*")
                                                    if p.is_file() and not p.is_symlink())
        for f in files:
            for a, v in file_minimums(f).items():
                if v is None or (arch and a != arch):
                    continue
                if best is None or v > best[0]:
                    best = (v, f)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--arch", help="only this architecture's slices (arm64, x86_64)")
    args = ap.parse_args(argv)
    found = bundle_minimum(args.paths, args.arch)
    if found is None:
        print("no Mach-O file with a minimum macOS found")
        return 1
    print(f"macOS {fmt(found[0])} (set by {found[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
