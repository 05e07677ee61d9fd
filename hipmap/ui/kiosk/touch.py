"""Synthetic touch (QTest touch events through Qt's input path, as a touch screen sends them):
the self-test, the tests and the benchmarks drive the kiosk with a finger, not the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

_DEVICE = None


def touch_device():  # -> QPointingDevice
    global _DEVICE
    if _DEVICE is None:
        _DEVICE = QTest.createTouchDevice()
    return _DEVICE


def tap(widget: QWidget, pos: QPoint | None = None) -> None:
    """One finger down and up on ``widget`` (its centre unless told)."""
    if not widget.isVisible():
        raise RuntimeError(f"cannot tap {widget.objectName() or widget!r}: it is not shown")
    pos = pos or widget.rect().center()
    _send(widget.window(), "press", widget.mapTo(widget.window(), pos))
    _send(widget.window(), "release", widget.mapTo(widget.window(), pos))
    QApplication.processEvents()


def _send(win: QWidget, what: str, at: QPoint, process: bool = True) -> None:
    """One touch point event. ``process``: then let Qt handle what it caused (the repaint
    included), as commit() does by default; False leaves that to the caller (benchmarks)."""
    # one sequence per event, kept in a name until committed (a chained temporary is
    # destroyed by the binding before it is sent)
    seq = QTest.touchEvent(win, touch_device())
    getattr(seq, what)(0, at)
    seq.commit(process)


def drag(widget: QWidget, points: Sequence[QPoint]) -> None:
    """One finger pressed at the first point, moved through the others, lifted at the last."""
    win = widget.window()
    at = [widget.mapTo(win, p) for p in points]
    _send(win, "press", at[0])
    for p in at[1:]:
        _send(win, "move", p)
    _send(win, "release", at[-1])
    QApplication.processEvents()
