"""GUI test fixtures: every test gets its own settings, data folder and HOME; dialogs are
replaced by recorders so no modal window can ever block the run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QStandardPaths


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform says these for shown top-level windows and tooltips; not our bugs.
    for item in items:
        if "tests/gui" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                                      "does not support raise"))
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    QStandardPaths.setTestModeEnabled(True)
    yield home


class Dialogs:
    """Stands in for the modal dialogs: records what would have been shown."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.save_answer = "discard"
        self.recover_answer: str | bool = True
        self.recover_asked: list[Any] = []
        self.yes_no_answer = True
        self.yes_no_asked: list[str] = []

    def ask_save(self) -> str:
        return self.save_answer

    def ask_recover(self, orphan: Any) -> str | bool:
        self.recover_asked.append(orphan)
        return self.recover_answer

    def ask_yes_no(self, title: str, text: str) -> bool:
        self.yes_no_asked.append(title)
        return self.yes_no_answer

    def show_error(self, title: str, message: str) -> None:
        self.errors.append((title, message))


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def make_window(qtbot: Any, tmp_path: Path, dialogs: Dialogs) -> Callable[..., Any]:
    from hipmap.ui.app import make_app
    from hipmap.ui.main_window import MainWindow

    make_app()
    windows: list[Any] = []

    def factory(size: tuple[int, int] = (1280, 800), data_dir: Path | None = None,
                settings_file: Path | None = None) -> Any:
        settings = QSettings(str(settings_file or tmp_path / "settings.ini"),
                             QSettings.Format.IniFormat)
        win = MainWindow(settings=settings, data_dir=data_dir or tmp_path / "appdata",
                         ask_save=dialogs.ask_save, ask_recover=dialogs.ask_recover,
                         show_error=dialogs.show_error, ask_yes_no=dialogs.ask_yes_no,
                         lazy_chart=False)
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=2000)
        windows.append(win)
        return win

    yield factory
    for win in windows:
        dialogs.save_answer = "discard"
        win.close()
