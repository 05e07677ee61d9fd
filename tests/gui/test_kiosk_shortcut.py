"""The installers' kiosk shortcut opens this kiosk: the shortcuts pass --kiosk, and --kiosk
starts the guided kiosk (never the clinician window)."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_linux_desktop_entry_has_a_kiosk_action():
    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "linux" / "hipmap.desktop")
    assert "kiosk" in entry["Desktop Entry"]["Actions"].split(";")
    action = entry["Desktop Action kiosk"]
    assert action["Name"] == "hipmap kiosk"
    assert action["Exec"].split()[-1] == "--kiosk"


def test_the_windows_installer_has_a_start_menu_kiosk_shortcut():
    iss = (ROOT / "packaging" / "windows" / "hipmap.iss").read_text("utf-8")
    line = next(x for x in iss.splitlines() if x.startswith('Name: "{autoprograms}\\hipmap kiosk"'))
    assert re.search(r'Parameters: "--kiosk"', line)


def test_kiosk_on_the_command_line_opens_the_guided_kiosk(monkeypatch):
    import hipmap.ui.kiosk as kiosk
    from hipmap.cli import main

    opened = []
    monkeypatch.setattr(kiosk, "run", lambda db=None: opened.append(("kiosk", db)) or 0)
    monkeypatch.setattr("hipmap.ui.main_window.MainWindow",
                        lambda *a, **k: opened.append("clinician window"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["--kiosk", "--db", "sqlite:///k.db"]) == 0
    assert opened == [("kiosk", "sqlite:///k.db")]


def test_the_kiosk_runs_on_its_own_like_every_feature(qapp, tmp_path, monkeypatch):
    import runpy
    import sys

    import pytest
    from PySide6.QtGui import QImage

    out = tmp_path / "kiosk.png"
    monkeypatch.setattr(sys, "argv", ["kiosk", "--grab", str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("hipmap.ui.kiosk", run_name="__main__")
    assert done.value.code == 0 and QImage(str(out)).width() == 1280
    for w in qapp.topLevelWidgets():
        w.close()
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]
