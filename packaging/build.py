"""Build hipmap's desktop bundle and its installer: one command, on Windows, macOS and Linux.

    python packaging/build.py                 # icons, bundle, then the platform's package
    python packaging/build.py --bundle-only   # icons and dist/hipmap/ only (CI smoke test)
    python packaging/build.py --package-only  # then the package, from that dist/hipmap/

Run it with the Python of a build environment that has hipmap and the packaging tools
installed (``pip install . "pyinstaller>=6.10" "pillow>=10"``; see packaging/README.md).

Steps:
1. ``packaging/icon.py``: ``assets/icon/hipmap.svg`` -> ``build/icons/`` (PNGs, .ico, .icns).
2. PyInstaller with ``packaging/hipmap.spec`` -> ``dist/hipmap/`` (and ``dist/hipmap.app``).
3. The package for this platform, named with the version from pyproject.toml:
   Linux   ``dist/hipmap-<version>-linux-<arch>.tar.xz``  (xz -9e)
   macOS   ``dist/hipmap-<version>-macos-<arch>.dmg``     (packaging/macos/build_dmg.sh)
   Windows ``dist/hipmap-<version>-setup.exe``            (Inno Setup 6 or 7, hipmap.iss)

Signing (see packaging/README.md): Windows signs ``hipmap.exe``, ``hipmapc.exe``, the setup and
its uninstaller with SignTool when ``HIPMAP_WINDOWS_CERT_SHA1`` names a certificate in the
user's store; macOS signs in build_dmg.sh. ``HIPMAP_REQUIRE_SIGNING=1`` (the release
workflow sets it for version tags) turns a missing certificate into an error.

Other tools import this file for ``numeric_version`` and ``macos_info_plist`` (the spec, the
tests): it runs nothing at import.
"""

from __future__ import annotations

import argparse
import lzma
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


# --- numeric versions -------------------------------------------------------------------
# Windows' VERSIONINFO (and Inno Setup's VersionInfoVersion) takes four numbers 0-65535, and
# macOS wants CFBundleShortVersionString as three integers and CFBundleVersion as one to three.
# A PEP 440 version like 0.2.0rc1 is none of these, so it is mapped to X.Y.Z.B where the build
# number B keeps PEP 440's order:  devN -> N,  aN -> 10000+N,  bN -> 20000+N,  rcN -> 30000+N,
# the release itself -> 40000,  .postN -> 40000+N   (N < 10000).
#   0.2.0.dev3 -> 0.2.0.3   0.2.0rc1 -> 0.2.0.30001   0.2.0 -> 0.2.0.40000
#   0.2.0.post1 -> 0.2.0.40001
# macOS: CFBundleShortVersionString "X.Y.Z", CFBundleVersion "X.Y.(Z*100000 + B)" (0.2.30001).
_STAGES = {"a": 10000, "b": 20000, "rc": 30000}
_PRE_ALIASES = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}
_VERSION_RE = re.compile(
    r"^v?(\d+)\.(\d+)(?:\.(\d+))?"
    r"(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
    r"(?:[-_.]?post[-_.]?(\d*))?"
    r"(?:[-_.]?dev[-_.]?(\d*))?"
    r"(?:\+[a-z0-9.]+)?$")


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """``0.2.0rc1`` -> ``(0, 2, 0, 30001)``: four numbers that sort as the versions do.

    Raises ValueError for versions the scheme cannot order (an epoch, a pre-release or
    post-release that is also a dev release, numbers too large)."""
    m = _VERSION_RE.match(version.strip().lower())
    if not m:
        raise ValueError(f"{version!r} is not a version of the form X.Y[.Z][aN|bN|rcN]"
                         "[.postN][.devN]")
    x, y, z, pre, pre_n, post_n, dev_n = m.groups()
    x, y, z = int(x), int(y), int(z or 0)
    dev = dev_n is not None
    if dev and (pre or post_n is not None):
        raise ValueError(f"{version!r}: a dev release of a pre- or post-release has no "
                         "numeric form here; use X.Y.Z.devN, X.Y.ZrcN or X.Y.Z.postN")
    n = int((pre_n if pre else post_n if post_n is not None else dev_n) or 0)
    if n >= 10000:
        raise ValueError(f"{version!r}: the pre/post/dev number must be below 10000")
    if pre:
        build = _STAGES[_PRE_ALIASES.get(pre, pre)] + n
    elif post_n is not None:
        build = 40000 + n
    elif dev:
        build = n
    else:
        build = 40000
    if max(x, y) > 65535 or z > 999:
        raise ValueError(f"{version!r}: X and Y must be at most 65535 and Z at most 999")
    return (x, y, z, build)


def windows_version(version: str) -> str:
    """``VersionInfoVersion`` / VSVersionInfo: ``0.2.0rc1`` -> ``0.2.0.30001``."""
    return ".".join(str(n) for n in numeric_version(version))


def macos_versions(version: str) -> tuple[str, str]:
    """(CFBundleShortVersionString, CFBundleVersion): ``0.2.0rc1`` -> ``("0.2.0", "0.2.30001")``."""
    x, y, z, b = numeric_version(version)
    return f"{x}.{y}.{z}", f"{x}.{y}.{z * 100000 + b}"


def macos_info_plist(base: Mapping[str, Any], version: str, minimum_macos: str
                     ) -> dict[str, Any]:
    """The Info.plist entries hipmap.spec hands to PyInstaller's ``BUNDLE(info_plist=...)``,
    which merges them over its own defaults (``dict.update``): so the keys set here win.

    ``LSBackgroundOnly`` is set false explicitly: PyInstaller writes it true for a console
    executable, and a background-only app has no Dock icon and no menu bar."""
    info = dict(base)
    short, bundle = macos_versions(version)
    info["CFBundleShortVersionString"] = short
    info["CFBundleVersion"] = bundle
    info["LSMinimumSystemVersion"] = minimum_macos
    info["LSBackgroundOnly"] = False
    return info


def arch() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(m, m)


def check_installed_version(version: str) -> None:
    """The frozen app reads its version from hipmap's installed metadata: it must be current."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        have = installed("hipmap")
    except PackageNotFoundError:
        sys.exit("build.py: hipmap is not installed in this Python; run: "
                 f"{sys.executable} -m pip install {ROOT}")
    if have != version:
        sys.exit(f"build.py: the installed hipmap is {have} but pyproject.toml says {version}; "
                 f"reinstall it: {sys.executable} -m pip install {ROOT}")


def step(msg: str) -> float:
    print(f"\n== {msg}", flush=True)
    return time.perf_counter()


def run(cmd: list[str], **kw) -> None:
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def build_icons() -> None:
    run([sys.executable, PKG / "icon.py", "--out", BUILD / "icons"])


def build_bundle() -> Path:
    for old in (DIST / "hipmap", DIST / "hipmap.app"):
        if old.is_dir():
            shutil.rmtree(old)
    run([sys.executable, "-m", "PyInstaller", PKG / "hipmap.spec", "--noconfirm", "--clean",
         "--log-level", "WARN", "--distpath", DIST, "--workpath", BUILD / "pyinstaller"])
    bundle = DIST / "hipmap"
    exe = bundle / ("hipmap.exe" if sys.platform == "win32" else "hipmap")
    if not exe.is_file():
        sys.exit(f"build.py: PyInstaller did not produce {exe}")
    return bundle


def linux_tarball(bundle: Path, version: str) -> Path:
    """``hipmap-<version>/`` = the bundle + desktop integration files, as a .tar.xz.

    xz at its strongest (``-9e``: preset 9 + extreme, a 64 MB dictionary; unpacking needs
    ~65 MB of memory): about a quarter smaller than gzip -9 (packaging/README.md)."""
    out = DIST / f"hipmap-{version}-linux-{arch()}.tar.xz"
    top = f"hipmap-{version}"
    extras = {
        "hipmap.desktop": PKG / "linux" / "hipmap.desktop",
        "hipmap-mime.xml": PKG / "linux" / "hipmap-mime.xml",
        "install-desktop-integration.sh": PKG / "linux" / "install-desktop-integration.sh",
        "hipmap.png": BUILD / "icons" / "hipmap-256.png",
    }
    def owner(info: tarfile.TarInfo) -> tarfile.TarInfo:  # nobody's files, not the builder's
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(out, "w:xz", preset=9 | lzma.PRESET_EXTREME) as tar:
        tar.add(bundle, arcname=top, filter=owner)
        for name, src in extras.items():
            tar.add(src, arcname=f"{top}/{name}", filter=owner)
    return out


def macos_dmg(version: str) -> Path:
    run(["bash", PKG / "macos" / "build_dmg.sh", version, arch()])
    return DIST / f"hipmap-{version}-macos-{arch()}.dmg"


def signing_required(env: Mapping[str, str] = os.environ) -> bool:
    """True for release builds (the workflow sets HIPMAP_REQUIRE_SIGNING=1 on version tags)."""
    return env.get("HIPMAP_REQUIRE_SIGNING", "") not in ("", "0", "false")


def find_iscc(env: Mapping[str, str] = os.environ,
              which: Callable[[str], str | None] = shutil.which) -> Path | None:
    """Inno Setup's command-line compiler: ``HIPMAP_ISCC``, then PATH, then the folders that
    Inno Setup 7 and 6 install into (all users: Program Files, Program Files (x86); one
    user: %LOCALAPPDATA%\\Programs). 7 is looked for first."""
    explicit = env.get("HIPMAP_ISCC")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    found = which("iscc") or which("ISCC")
    if found:
        return Path(found)
    local = env.get("LOCALAPPDATA")
    bases = [env.get("ProgramFiles") or env.get("PROGRAMFILES"),
             env.get("ProgramFiles(x86)") or env.get("PROGRAMFILES(X86)"),
             os.path.join(local, "Programs") if local else None]
    for major in ("7", "6"):
        for base in bases:
            if base and Path(base, f"Inno Setup {major}", "ISCC.exe").is_file():
                return Path(base, f"Inno Setup {major}", "ISCC.exe")
    return None


def find_signtool(env: Mapping[str, str] = os.environ,
                  which: Callable[[str], str | None] = shutil.which) -> Path | None:
    """SignTool.exe: ``HIPMAP_SIGNTOOL``, PATH, or the newest x64 one of the Windows SDK."""
    explicit = env.get("HIPMAP_SIGNTOOL")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    found = which("signtool")
    if found:
        return Path(found)
    base = env.get("ProgramFiles(x86)") or env.get("PROGRAMFILES(X86)")
    if not base:
        return None
    tools = sorted(Path(base, "Windows Kits", "10", "bin").glob("10.*/x64/signtool.exe"),
                   key=lambda p: [int(n) for n in p.parent.parent.name.split(".")])
    return tools[-1] if tools else None


def windows_sign_command(signtool: Path, thumbprint: str, timestamp_url: str) -> str:
    """The Inno Setup sign tool definition (``$f`` the file, ``$q`` a quote): the
    certificate is chosen by its SHA-1 thumbprint in the user's store, so no password ever
    appears on a command line or in a log."""
    return (f"$q{signtool}$q sign /sha1 {thumbprint} /fd sha256 /tr {timestamp_url} "
            "/td sha256 /d $qhipmap$q $f")


def windows_installer(version: str, env: Mapping[str, str] = os.environ) -> Path | None:
    iscc = find_iscc(env)
    if iscc is None:
        msg = ("build.py: Inno Setup (ISCC.exe, version 6 or 7) not found. Install it "
               "(https://jrsoftware.org/isdl.php or `choco install innosetup`) or set "
               "HIPMAP_ISCC to its ISCC.exe, and run again.")
        if signing_required(env):
            sys.exit(msg)
        print(msg + " Skipping the installer.")
        return None
    args = [iscc, f"/DAppVersion={version}", f"/DAppNumericVersion={windows_version(version)}",
            f"/DSourceDir={DIST / 'hipmap'}", f"/DIconFile={BUILD / 'icons' / 'hipmap.ico'}",
            f"/O{DIST}"]
    thumbprint = env.get("HIPMAP_WINDOWS_CERT_SHA1", "").strip()
    signtool = find_signtool(env) if thumbprint else None
    if thumbprint and signtool is None:
        sys.exit("build.py: HIPMAP_WINDOWS_CERT_SHA1 is set but SignTool.exe (Windows SDK) "
                 "was not found; set HIPMAP_SIGNTOOL to it")
    if signtool is not None:
        url = env.get("HIPMAP_TIMESTAMP_URL", "http://timestamp.digicert.com")
        print(f"build.py: signing hipmap.exe, hipmapc.exe, the setup and the uninstaller "
              f"with certificate {thumbprint[:8]}… ({signtool})")
        args += [f"/Shipmapsign={windows_sign_command(signtool, thumbprint, url)}",
                 "/DSignTool=hipmapsign"]
    elif signing_required(env):
        sys.exit("build.py: this is a release build (HIPMAP_REQUIRE_SIGNING=1) but "
                 "HIPMAP_WINDOWS_CERT_SHA1 is not set: refusing to publish an unsigned "
                 "installer (SmartScreen would warn on every download)")
    else:
        print("build.py: skipping signing: HIPMAP_WINDOWS_CERT_SHA1 is not set. The "
              "installer and hipmap.exe will be unsigned (SmartScreen: 'More info > Run "
              "anyway').")
    run([*args, PKG / "windows" / "hipmap.iss"])
    out = DIST / f"hipmap-{version}-setup.exe"
    if signtool is not None:
        run([signtool, "verify", "/pa", "/all", out, DIST / "hipmap" / "hipmap.exe",
             DIST / "hipmap" / "hipmapc.exe"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build hipmap's bundle and installer.")
    ap.add_argument("--bundle-only", action="store_true",
                    help="stop after dist/hipmap/ (no tarball, dmg or setup.exe)")
    ap.add_argument("--package-only", action="store_true",
                    help="reuse dist/hipmap/ from an earlier --bundle-only run; only package")
    ap.add_argument("--print-version", choices=("project", "windows", "macos"),
                    help="print the version (or its numeric Windows/macOS form) and exit")
    ap.add_argument("--find-iscc", action="store_true",
                    help="print the path of Inno Setup's ISCC.exe (exit 1 if not found)")
    args = ap.parse_args(argv)
    version = project_version()
    if args.print_version:
        print({"project": version, "windows": windows_version(version),
               "macos": " ".join(macos_versions(version))}[args.print_version])
        return 0
    if args.find_iscc:
        iscc = find_iscc()
        print(iscc if iscc else "ISCC.exe not found")
        return 0 if iscc else 1
    check_installed_version(version)
    print(f"hipmap {version}, {sys.platform} {arch()}, Python {platform.python_version()}")

    if args.package_only:
        bundle = DIST / "hipmap"
        if not bundle.is_dir() or not (BUILD / "icons" / "hipmap.ico").is_file():
            sys.exit("build.py: --package-only needs dist/hipmap/ and build/icons/ "
                     "from an earlier run")
    else:
        t = step("1/3 icons from assets/icon/hipmap.svg")
        build_icons()
        print(f"   {time.perf_counter() - t:.1f} s")
        t = step("2/3 PyInstaller bundle (packaging/hipmap.spec)")
        bundle = build_bundle()
        print(f"   {bundle} in {time.perf_counter() - t:.1f} s")
    if args.bundle_only:
        return 0
    t = step("3/3 package")
    if sys.platform.startswith("linux"):
        out: Path | None = linux_tarball(bundle, version)
    elif sys.platform == "darwin":
        out = macos_dmg(version)
    elif sys.platform == "win32":
        out = windows_installer(version)
    else:
        print(f"build.py: no package format for {sys.platform}; the bundle is {bundle}")
        out = None
    if out is not None:
        print(f"   {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
