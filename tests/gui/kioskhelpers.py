"""Shared by the kiosk tests: a kiosk window on a temporary settings folder, and every text
a patient could read on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from hipmap.core.document import Document
from hipmap.kiosk_config import KioskConfig
from hipmap.ui.kiosk import KioskWindow
from hipmap.ui.kiosk.widgets import PictureButton, SidePills, SideStrip

PIN = "2468"


class Recorder:
    """Stands in for the record: keeps what was submitted."""

    def __init__(self) -> None:
        self.submitted: list[tuple[Document, dict[str, str]]] = []
        self.fail = False

    def __call__(self, doc: Document, fields: dict[str, str]) -> int:
        if self.fail:
            raise ConnectionError("the database server is away")
        self.submitted.append((doc, fields))
        return len(self.submitted)


def make_kiosk(qtbot: Any, tmp_path: Path, *, submit: Any = None, identify: str = "code",
               size: tuple[int, int] = (1280, 800), home: str = "en",
               clock: Any = None) -> tuple[KioskWindow, Any]:
    config = KioskConfig(where=tmp_path / "kiosk-settings")
    config.identify = identify
    config.set_pin(PIN)
    config.save()
    submit = submit or Recorder()
    kw = {"clock": clock} if clock else {}
    win = KioskWindow(config, submit, home_language=home, fullscreen=False, **kw)
    # at the end of the test: unlocked (as staff would), so the window really closes and its
    # application-wide key guard goes with it
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "unlocked", True))
    win.resize(*size)
    win.start()
    qtbot.waitExposed(win)
    return win, submit


def visible_texts(root: QWidget) -> list[str]:
    """Every text on screen under ``root``: labels, buttons, picture buttons, accessible
    names, and what the kiosk paints over the body map."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            out.append(w.text())
        if isinstance(w, QAbstractButton):
            out.append(w.text())
        if isinstance(w, PictureButton):
            out.append(w.words)
        if isinstance(w, SideStrip | SidePills):
            w.repaint()
            out += [t for t, _r in w.drawn]
        out += [w.accessibleName(), w.accessibleDescription(), w.toolTip()]
    return [t for t in out if t and t.strip()]


def all_texts(root: QWidget) -> list[str]:
    """Like :func:`visible_texts`, hidden widgets included (what memory still holds)."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, PictureButton):
            out.append(w.words)
        out += [w.accessibleName(), w.accessibleDescription()]
    return [t for t in out if t and t.strip()]
