"""Starting the app where it cannot open a window, and errors in the windowed hipmap.exe.

Without a display, ``hipmap`` says so in one line and exits 1 before Qt can abort with a
misleading claim that libxcb-cursor0 is missing. A windowed program (``hipmap.exe``) has no
stderr: the error hook tells the user in a dialog instead of failing inside itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.ui import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def linux_desktop(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A Linux session that would use the desktop platform plugins (no offscreen)."""
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    # a QApplication must not even be attempted
    monkeypatch.setattr(app, "make_app", lambda *a: pytest.fail("QApplication was created"))
    return monkeypatch


def test_no_display_at_all_is_one_line_and_exit_1(linux_desktop, capsys):
    assert app.run() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no display" in err and "DISPLAY" in err and "--self-test" in err
    assert "libxcb-cursor0" not in err


def _free_x_display() -> int:
    for n in range(70, 100):
        path = Path(f"/tmp/.X11-unix/X{n}")
        if not path.exists() and not app._x11_answers(f":{n}"):
            return n
    pytest.skip("no free X display number")


def test_a_display_nobody_answers_is_named(linux_desktop, capsys):
    n = _free_x_display()
    linux_desktop.setenv("DISPLAY", f":{n}")
    assert app.run() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"nothing answers at DISPLAY=:{n}" in err


def test_an_x_server_that_answers_over_tcp_is_accepted(linux_desktop):
    for n in range(70, 100):
        with socket.socket() as srv:
            try:
                srv.bind(("127.0.0.1", 6000 + n))
            except OSError:
                continue
            srv.listen(1)
            linux_desktop.setenv("DISPLAY", f"127.0.0.1:{n}.0")
            assert app.no_display() is None
            srv.close()
            assert app.no_display() == f"nothing answers at DISPLAY=127.0.0.1:{n}.0"
            return
    pytest.skip("no free port for a fake X server")


def test_a_wayland_compositor_that_answers_is_accepted(linux_desktop, tmp_path):
    path = tmp_path / "wayland-7"
    linux_desktop.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    linux_desktop.setenv("WAYLAND_DISPLAY", "wayland-7")
    assert app.no_display() == "nothing answers at WAYLAND_DISPLAY=wayland-7"
    with socket.socket(socket.AF_UNIX) as srv:
        srv.bind(str(path))
        srv.listen(1)
        assert app.no_display() is None
        linux_desktop.setenv("WAYLAND_DISPLAY", str(path))  # an absolute path works too
        assert app.no_display() is None


def test_offscreen_and_other_systems_need_no_display(linux_desktop):
    linux_desktop.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.no_display() is None
    linux_desktop.setenv("QT_QPA_PLATFORM", "wayland;xcb")
    assert app.no_display() is not None  # both are desktop platforms: one must answer
    linux_desktop.delenv("QT_QPA_PLATFORM")
    linux_desktop.setattr(sys, "platform", "win32")
    assert app.no_display() is None


def test_make_run_without_a_display_prints_one_line_not_a_qt_abort():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "hipmap"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 1, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hipmap: no display"), r.stderr
    assert "Aborted" not in r.stderr and "xcb-cursor0" not in r.stderr


def test_the_windowed_program_without_stderr_shows_a_dialog(make_window, tmp_path,
                                                             monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from hipmap.ui.app import install_error_handler

    data = tmp_path / "data"
    win = make_window(data_dir=data)
    monkeypatch.setattr(sys, "stderr", None)  # what PyInstaller's windowed hipmap.exe has
    old = sys.excepthook
    try:
        hook = install_error_handler(win, data)
        try:
            raise ValueError("broken drawing")
        except ValueError:
            hook(*sys.exc_info())  # must not raise inside the hook
    finally:
        sys.excepthook = old
    boxes = [b for b in win.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert "ValueError: broken drawing" in boxes[0].text()
    assert str(data / "hipmap-errors.log") in boxes[0].text()
    assert "ValueError" in (data / "hipmap-errors.log").read_text()
    boxes[0].close()


def test_with_stderr_the_traceback_goes_there_and_no_dialog(make_window, tmp_path, capsys):
    from PySide6.QtWidgets import QMessageBox

    from hipmap.ui.app import install_error_handler

    win = make_window(data_dir=tmp_path / "data")
    old = sys.excepthook
    try:
        hook = install_error_handler(win, tmp_path / "data")
        try:
            raise ValueError("broken drawing")
        except ValueError:
            hook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert "ValueError: broken drawing" in capsys.readouterr().err
    assert not [b for b in win.findChildren(QMessageBox) if b.isVisible()]
