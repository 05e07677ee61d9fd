"""The release tooling that can be checked on Linux (packaging/*.py, the workflow).

What only Windows and macOS runners can check is listed in packaging/README.md ("What was
verified where"); the release workflow runs those checks.
"""

from __future__ import annotations

import importlib.util
import lzma
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_test_packaging_{name}", PKG / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load("build")
macho = _load("macho")
rules = _load("bundle_rules")
icu = _load("icu_data")


# --- numeric versions (Windows VersionInfoVersion, macOS CFBundleVersion) -----------------

def test_pre_releases_get_four_numbers_windows_accepts():
    assert build.windows_version("0.2.0rc1") == "0.2.0.30001"
    assert build.windows_version("0.2.0") == "0.2.0.40000"
    assert build.windows_version("1.4") == "1.4.0.40000"
    assert build.windows_version("0.2.0.dev3") == "0.2.0.3"
    assert build.windows_version("0.2.0b2") == "0.2.0.20002"
    assert build.windows_version("0.2.0.post1") == "0.2.0.40001"
    assert build.windows_version("0.2.0rc1+local.7") == "0.2.0.30001"
    assert build.macos_versions("0.2.0rc1") == ("0.2.0", "0.2.30001")
    assert build.macos_versions("1.3.2") == ("1.3.2", "1.3.240000")


def test_numeric_versions_sort_as_the_versions_do():
    versions = ["0.1.0", "0.2.0.dev1", "0.2.0a1", "0.2.0a2", "0.2.0b1", "0.2.0rc1",
                "0.2.0rc2", "0.2.0", "0.2.0.post1", "0.2.1.dev0", "0.2.1", "0.10.0", "1.0.0"]
    assert versions == sorted(versions, key=Version)
    win = [build.numeric_version(v) for v in versions]
    assert win == sorted(win) and len(set(win)) == len(win)
    mac = [tuple(int(n) for n in build.macos_versions(v)[1].split(".")) for v in versions]
    assert mac == sorted(mac) and len(set(mac)) == len(mac)
    for v in versions:
        assert all(0 <= n <= 65535 for n in build.numeric_version(v))  # VERSIONINFO limit
        short, bundle = build.macos_versions(v)
        assert re.fullmatch(r"\d+\.\d+\.\d+", short) and re.fullmatch(r"\d+\.\d+\.\d+", bundle)


@pytest.mark.parametrize("bad", ["1!2.0", "0.2.0rc1.dev2", "0.2", "0.2.0rc10000", "banana",
                                 "0.2.1000"])
def test_versions_without_a_numeric_form_are_refused(bad):
    if bad == "0.2":
        assert build.windows_version(bad) == "0.2.0.40000"  # X.Y is fine
        return
    with pytest.raises(ValueError):
        build.numeric_version(bad)


def test_the_project_version_has_a_numeric_form():
    build.numeric_version(build.project_version())


# --- macOS Info.plist ----------------------------------------------------------------------

def test_info_plist_wins_over_pyinstallers_background_only_default():
    with open(PKG / "macos" / "Info.plist", "rb") as fh:
        base = plistlib.load(fh)
    info = build.macos_info_plist(base, "0.2.0rc1", "14.0")
    # PyInstaller 6 (building/osx.py, BUNDLE.assemble) writes these for a console exe, then
    # merges the spec's info_plist over them with dict.update:
    pyinstaller = {"CFBundleShortVersionString": "0.2.0rc1", "LSBackgroundOnly": True,
                   "CFBundleExecutable": "hipmap", "CFBundlePackageType": "APPL"}
    pyinstaller.update(info)
    assert pyinstaller["LSBackgroundOnly"] is False          # Dock icon and menu bar
    assert pyinstaller["LSMinimumSystemVersion"] == "14.0"    # computed, not typed
    assert pyinstaller["CFBundleShortVersionString"] == "0.2.0"
    assert pyinstaller["CFBundleVersion"] == "0.2.30001"
    assert pyinstaller["CFBundleIdentifier"] == "org.hipmap.hipmap"
    assert pyinstaller["CFBundleExecutable"] == "hipmap"     # PyInstaller's keys survive
    assert base["LSBackgroundOnly"] is False                  # in the file, and
    assert build.macos_info_plist({}, "0.2.0", "14.0")["LSBackgroundOnly"] is False  # set


def test_the_spec_builds_a_windowed_macos_app_from_the_computed_minimum():
    spec = (PKG / "hipmap.spec").read_text("utf-8")
    assert re.search(r'elif sys\.platform == "darwin":\n\s+exes = \[_exe\("hipmap", '
                     r'console=False\)\]', spec)
    assert "macho.bundle_minimum(" in spec and "build_py.macos_info_plist(" in spec


# --- Mach-O minimum macOS -------------------------------------------------------------------

def _macho(cpu: int, commands: list[tuple[int, bytes]], big_endian: bool = False) -> bytes:
    e = ">" if big_endian else "<"
    body = b"".join(struct.pack(e + "II", cmd, 8 + len(p)) + p for cmd, p in commands)
    header = struct.pack(e + "IiiIIIII", macho.MH_MAGIC_64, cpu, 0, 6, len(commands), len(body),
                         0, 0)
    return header + body


def _build_version(x: int, y: int, z: int = 0, platform: int = 1) -> tuple[int, bytes]:
    return (macho.LC_BUILD_VERSION,
            struct.pack("<IIII", platform, (x << 16) | (y << 8) | z, 0x000F0000, 0))


def _version_min(x: int, y: int) -> tuple[int, bytes]:
    return (macho.LC_VERSION_MIN_MACOSX, struct.pack("<II", (x << 16) | (y << 8), 0))


ARM64, X86_64 = 0x0100000C, 0x01000007


def test_minos_is_read_from_both_load_commands():
    assert macho.minimums(_macho(ARM64, [(0x19, b"\0" * 64), _build_version(14, 0)])) == \
        {"arm64": (14, 0, 0)}
    assert macho.minimums(_macho(X86_64, [_version_min(10, 9)])) == {"x86_64": (10, 9, 0)}
    # an iOS build version is not a macOS minimum
    assert macho.minimums(_macho(ARM64, [_build_version(17, 0, platform=2)])) == {"arm64": None}
    assert macho.fmt((13, 3, 1)) == "13.3.1" and macho.fmt((14, 0, 0)) == "14.0"


def test_a_universal_file_gives_each_slice_its_own_minimum():
    arm = _macho(ARM64, [_build_version(11, 0)])
    intel = _macho(X86_64, [_build_version(10, 13)])
    off1 = 4096
    off2 = off1 + len(arm) + (-(off1 + len(arm)) % 4096)
    fat = struct.pack(">II", macho.FAT_MAGIC, 2)
    fat += struct.pack(">iiIII", ARM64, 0, off1, len(arm), 12)
    fat += struct.pack(">iiIII", X86_64, 3, off2, len(intel), 12)
    data = fat.ljust(off1, b"\0") + arm
    data = data.ljust(off2, b"\0") + intel
    assert macho.minimums(data) == {"arm64": (11, 0, 0), "x86_64": (10, 13, 0)}


def test_other_files_are_not_mach_o():
    assert macho.minimums(b"\x7fELF" + b"\0" * 60) == {}
    java_class = struct.pack(">IHH", 0xCAFEBABE, 0, 65) + b"\0" * 40   # same magic as fat
    assert macho.minimums(java_class) == {}


def test_the_bundle_minimum_is_the_highest_and_names_its_file(tmp_path):
    (tmp_path / "Frameworks").mkdir()
    (tmp_path / "python").write_bytes(_macho(ARM64, [_build_version(11, 0)]))
    (tmp_path / "Frameworks" / "QtCore").write_bytes(_macho(ARM64, [_build_version(13, 0)]))
    (tmp_path / "Frameworks" / "_multiarray_umath.so").write_bytes(
        _macho(ARM64, [_build_version(14, 0)]))
    (tmp_path / "Frameworks" / "intel-only.so").write_bytes(
        _macho(X86_64, [_build_version(15, 0)]))
    (tmp_path / "notes.txt").write_text("not a binary")
    found = macho.bundle_minimum([tmp_path], arch="arm64")
    assert found == ((14, 0, 0), tmp_path / "Frameworks" / "_multiarray_umath.so")
    assert macho.bundle_minimum([tmp_path])[0] == (15, 0, 0)


# --- Windows: Inno Setup, SignTool ----------------------------------------------------------

def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"MZ")
    return path


def test_iscc_is_found_for_inno_setup_7_and_6(tmp_path):
    pf, pf86, local = tmp_path / "PF", tmp_path / "PF86", tmp_path / "Local"
    env = {"ProgramFiles": str(pf), "ProgramFiles(x86)": str(pf86), "LOCALAPPDATA": str(local)}
    none = lambda _name: None  # noqa: E731 - not on PATH
    assert build.find_iscc(env, none) is None
    six = _exe(pf86 / "Inno Setup 6" / "ISCC.exe")
    assert build.find_iscc(env, none) == six
    seven_user = _exe(local / "Programs" / "Inno Setup 7" / "ISCC.exe")
    assert build.find_iscc(env, none) == seven_user         # 7 before 6
    seven = _exe(pf / "Inno Setup 7" / "ISCC.exe")           # 64-bit Inno Setup 7
    assert build.find_iscc(env, none) == seven
    assert build.find_iscc({**env, "HIPMAP_ISCC": str(six)}, none) == six
    assert build.find_iscc(env, lambda n: "C:/tools/ISCC.exe") == Path("C:/tools/ISCC.exe")


@pytest.fixture
def fake_windows(tmp_path, monkeypatch):
    """build.windows_installer with a fake ISCC and SignTool; returns the commands run."""
    iscc = _exe(tmp_path / "Inno Setup 7" / "ISCC.exe")
    signtool = _exe(tmp_path / "signtool.exe")
    ran: list[list[str]] = []
    monkeypatch.setattr(build, "run", lambda cmd, **kw: ran.append([str(c) for c in cmd]))
    return {"HIPMAP_ISCC": str(iscc), "HIPMAP_SIGNTOOL": str(signtool)}, ran


def test_an_unsigned_installer_is_built_outside_releases(fake_windows):
    env, ran = fake_windows
    build.windows_installer("0.2.0rc1", env)
    (iscc,) = ran
    assert "/DAppVersion=0.2.0rc1" in iscc and "/DAppNumericVersion=0.2.0.30001" in iscc
    assert not any(a.startswith(("/S", "/DSignTool")) for a in iscc)


def test_a_release_without_a_certificate_fails(fake_windows):
    env, ran = fake_windows
    with pytest.raises(SystemExit, match="unsigned installer"):
        build.windows_installer("0.2.0", {**env, "HIPMAP_REQUIRE_SIGNING": "1"})
    assert ran == []


def test_with_a_certificate_the_exes_setup_and_uninstaller_are_signed(fake_windows):
    env, ran = fake_windows
    env = {**env, "HIPMAP_REQUIRE_SIGNING": "1", "HIPMAP_WINDOWS_CERT_SHA1": "AB12CD34EF"}
    build.windows_installer("0.2.0", env)
    iscc, verify = ran
    sign = next(a for a in iscc if a.startswith("/Shipmapsign="))
    assert "/sha1 AB12CD34EF" in sign and "/fd sha256" in sign and "/tr " in sign
    assert sign.endswith("$f") and env["HIPMAP_SIGNTOOL"] in sign
    assert "/DSignTool=hipmapsign" in iscc
    assert verify[1:4] == ["verify", "/pa", "/all"]
    assert {Path(p).name for p in verify[4:]} == {"hipmap-0.2.0-setup.exe", "hipmap.exe",
                                                  "hipmapc.exe"}


def test_the_inno_script_signs_the_exes_and_clears_old_files_on_upgrade():
    iss = (PKG / "windows" / "hipmap.iss").read_text("utf-8")
    install_delete = iss.split("[InstallDelete]", 1)[1].split("\n[", 1)[0]
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in install_delete
    for exe in ("hipmap.exe", "hipmapc.exe"):
        assert re.search(rf'Source: "{{#SourceDir}}\\{exe}";.*Flags: ignoreversion {{#SignExe}}',
                         iss), exe
    assert '#define SignExe "signonce"' in iss
    assert "VersionInfoVersion={#AppNumericVersion}" in iss
    assert "Compression=lzma2/ultra64" in iss and "SolidCompression=yes" in iss


# --- what the bundle leaves out --------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork",       # macOS
    "PySide6/Qt/lib/QtQuickWidgets.framework/Resources/Info.plist",
    "PySide6/Qt6Network.dll", "PySide6/Qt6Qml.dll",                  # Windows
    "PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6",
    "PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/plugins/platforms/qdirect2d.dll",
    "PySide6/Qt/translations/qtbase_de.qm", "pyqtgraph/icons/peegee/peegee_512px.png",
])
def test_unused_qt_parts_are_dropped_on_every_system(path):
    assert rules.unwanted(path)


@pytest.mark.parametrize("path", [
    "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui", "PySide6/Qt/lib/QtSvg.framework/QtSvg",
    "PySide6/Qt/lib/QtOpenGL.framework/Versions/A/QtOpenGL", "PySide6/Qt6Widgets.dll",
    "PySide6/Qt/lib/libQt6OpenGLWidgets.so.6", "PySide6/QtOpenGLWidgets.abi3.so",
    "PySide6/Qt/lib/libQt6PrintSupport.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so", "pyqtgraph/icons/auto.png",
    "python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so", "assets/atlas/atlas.json",
])
def test_what_hipmap_and_the_next_branches_load_is_kept(path):
    assert not rules.unwanted(path)


def test_sqlite_sqlalchemy_and_gettext_are_not_excluded():
    spec = (PKG / "hipmap.spec").read_text("utf-8")
    hidden = spec.split("_hidden = [", 1)[1].split("]", 1)[0]
    assert '"sqlite3"' in hidden  # loaded by name by SQLAlchemy: bundled whatever imports it
    excludes = spec.split("EXCLUDES = [", 1)[1].split("]", 1)[0]
    for name in ("sqlite3", "_sqlite3", "sqlalchemy", "alembic", "psycopg", "gettext",
                 "PySide6.QtSvg", "decimal"):
        assert f'"{name}"' not in excludes, name


# --- ICU data (Linux) ------------------------------------------------------------------------

def _common(names: list[str]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0)
    header += b"CmnD" + bytes([1, 0, 0, 0]) + bytes([3, 0, 0, 0])
    header = header.ljust(32, b"\0")
    return icu.write_items(header, [(n, n.encode() * 3) for n in names])


def test_icu_common_data_round_trips_and_keeps_the_right_items():
    names = sorted(["icudt73l/cnvalias.icu", "icudt73l/coll/de.res", "icudt73l/coll/es.res",
                    "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu", "icudt73l/de.res",
                    "icudt73l/en_GB.res", "icudt73l/es_419.res", "icudt73l/ibm-943_P15A.cnv",
                    "icudt73l/brkitr/cjdict.dict", "icudt73l/pool.res",
                    "icudt73l/res_index.res", "icudt73l/root.res", "icudt73l/zh_Hant.res",
                    "icudt73l/supplementalData.res", "icudt73l/translit/el.res",
                    "icudt73l/zoneinfo64.res"])
    data = _common(names)
    _header, items = icu.read_items(data)
    assert [n for n, _ in items] == names
    assert all(b.rstrip(b"\0") == n.encode() * 3 for n, b in items)  # + alignment padding
    kept = [n for n, _ in icu.read_items(icu.filtered(data))[1]]
    assert kept == sorted(["icudt73l/cnvalias.icu", "icudt73l/coll/es.res",
                           "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu",
                           "icudt73l/en_GB.res", "icudt73l/es_419.res", "icudt73l/pool.res",
                           "icudt73l/res_index.res", "icudt73l/root.res",
                           "icudt73l/supplementalData.res", "icudt73l/zoneinfo64.res"])


def _wheel_icu() -> Path | None:
    import PySide6

    lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    found = sorted(lib.glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.gui
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ICU ships in Linux wheels")
def test_the_smaller_icu_library_opens_for_english_and_spanish(tmp_path):
    wheel = _wheel_icu()
    if wheel is None or not (shutil.which("as") and shutil.which("ld")):
        pytest.skip("no ICU in this PySide6 wheel, or no binutils")
    out = tmp_path / wheel.name
    old, new = icu.build_library(wheel, out)
    assert new < old / 5                      # 32 MB -> about 4.5 MB
    assert icu.check(out, wheel.parent) is None
    # the check is real: data without Spanish fails it
    out2 = tmp_path / "de" / wheel.name
    out2.parent.mkdir()
    icu.build_library(wheel, out2, ("de",))
    assert "no locale data for es" in (icu.check(out2, wheel.parent, ("es",)) or "")


# --- Linux tarball --------------------------------------------------------------------------

def test_the_linux_package_is_an_xz_tarball_owned_by_nobody(tmp_path, monkeypatch):
    bundle = tmp_path / "dist" / "hipmap"
    bundle.mkdir(parents=True)
    (bundle / "hipmap").write_text("#!/bin/sh\n")
    icons = tmp_path / "build" / "icons"
    icons.mkdir(parents=True)
    (icons / "hipmap-256.png").write_bytes(b"\x89PNG")
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    monkeypatch.setattr(build, "BUILD", tmp_path / "build")
    out = build.linux_tarball(bundle, "0.2.0rc1")
    assert out.name.startswith("hipmap-0.2.0rc1-linux-") and out.name.endswith(".tar.xz")
    with lzma.open(out) as raw:
        raw.read(1)  # really xz
    with tarfile.open(out) as tar:
        names = tar.getnames()
        assert "hipmap-0.2.0rc1/hipmap" in names
        assert "hipmap-0.2.0rc1/install-desktop-integration.sh" in names
        assert {(m.uid, m.uname) for m in tar.getmembers()} == {(0, "")}


# --- the release workflow -------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def test_the_release_workflow_validates_against_githubs_schema():
    exe = Path(sys.executable).parent / "check-jsonschema"
    r = subprocess.run([str(exe), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_workflow_uses_node24_actions_and_proves_the_installers():
    text = WORKFLOW.read_text("utf-8")
    majors = {"actions/checkout": 5, "actions/setup-python": 6, "actions/upload-artifact": 6,
              "actions/download-artifact": 7, "softprops/action-gh-release": 3}
    used = re.findall(r"uses: ([\w-]+/[\w-]+)@v(\d+)", text)
    assert used
    for action, major in used:
        assert int(major) >= majors[action], f"{action}@v{major} runs on Node 20"
    assert "workflow_dispatch:" in text
    install = text.split("\n  install:", 1)[1].split("\n  release:", 1)[0]
    for os_name in ("windows-latest", "macos-latest", "macos-15-intel", "ubuntu-latest"):
        assert os_name in install
    assert "bash packaging/install_check.sh" in install and "gh release download" in install
    assert "needs: [build, install]" in text            # nothing is released untested
    assert "HIPMAP_REQUIRE_SIGNING: ${{ startsWith(github.ref, 'refs/tags/v')" in text


def test_the_install_script_parses():
    r = subprocess.run(["bash", "-n", str(PKG / "install_check.sh")], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    checker = shutil.which("shellcheck")
    if checker:
        for script in ("install_check.sh", "macos/build_dmg.sh", "ci_smoke.sh"):
            r = subprocess.run([checker, "-S", "warning", str(PKG / script)],
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stdout
