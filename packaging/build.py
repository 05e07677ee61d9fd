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
   Linux   ``dist/hipmap-<version>-linux-<arch>.tar.gz``
   macOS   ``dist/hipmap-<version>-macos-<arch>.dmg``   (packaging/macos/build_dmg.sh)
   Windows ``dist/hipmap-<version>-setup.exe``          (Inno Setup 6, packaging/windows/hipmap.iss)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


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
    """``hipmap-<version>/`` = the bundle + desktop integration files, as a .tar.gz."""
    out = DIST / f"hipmap-{version}-linux-{arch()}.tar.gz"
    top = f"hipmap-{version}"
    extras = {
        "hipmap.desktop": PKG / "linux" / "hipmap.desktop",
        "hipmap-mime.xml": PKG / "linux" / "hipmap-mime.xml",
        "install-desktop-integration.sh": PKG / "linux" / "install-desktop-integration.sh",
        "hipmap.png": BUILD / "icons" / "hipmap-256.png",
    }
    with tarfile.open(out, "w:gz", compresslevel=9) as tar:
        tar.add(bundle, arcname=top)
        for name, src in extras.items():
            tar.add(src, arcname=f"{top}/{name}")
    return out


def macos_dmg(version: str) -> Path:
    run(["bash", PKG / "macos" / "build_dmg.sh", version, arch()])
    return DIST / f"hipmap-{version}-macos-{arch()}.dmg"


def windows_installer(version: str) -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                     os.environ.get("LOCALAPPDATA") and
                     os.path.join(os.environ["LOCALAPPDATA"], "Programs")):
            if base and Path(base, "Inno Setup 6", "ISCC.exe").is_file():
                iscc = str(Path(base, "Inno Setup 6", "ISCC.exe"))
                break
    if iscc is None:
        print("build.py: Inno Setup 6 (ISCC.exe) not found: skipping the installer. Install it "
              "(https://jrsoftware.org/isdl.php or `choco install innosetup`) and run again.")
        return None
    run([iscc, f"/DAppVersion={version}", f"/DSourceDir={DIST / 'hipmap'}",
         f"/DIconFile={BUILD / 'icons' / 'hipmap.ico'}", f"/O{DIST}",
         PKG / "windows" / "hipmap.iss"])
    return DIST / f"hipmap-{version}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build hipmap's bundle and installer.")
    ap.add_argument("--bundle-only", action="store_true",
                    help="stop after dist/hipmap/ (no tarball, dmg or setup.exe)")
    ap.add_argument("--package-only", action="store_true",
                    help="reuse dist/hipmap/ from an earlier --bundle-only run; only package")
    args = ap.parse_args(argv)
    version = project_version()
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
