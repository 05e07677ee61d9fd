"""The Qt-free data folder (used by the command line and the record) is the folder Qt gives
the app, so both find the same recovery files and database."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="checked by the release workflow")
def test_data_dir_is_qts_app_data_location(tmp_path: Path) -> None:
    # A fresh process: the GUI fixtures switch Qt's test mode on, which moves the folder.
    code = textwrap.dedent("""
        from PySide6.QtCore import QCoreApplication, QStandardPaths
        from hipmap.paths import APP, ORG, data_dir
        app = QCoreApplication([])
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
        qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        print(qt)
        print(data_dir())
    """)
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=60, check=True).stdout.split("\n")
    assert Path(out[0]) == Path(out[1])
    assert Path(out[1]) == tmp_path / "xdg" / "hipmap" / "hipmap"


def test_hipmap_data_dir_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from hipmap.paths import data_dir

    monkeypatch.setenv("HIPMAP_DATA_DIR", str(tmp_path / "elsewhere"))
    assert data_dir() == tmp_path / "elsewhere"
