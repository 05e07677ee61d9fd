"""Helpers for the GUI tests: drive the real canvas with QTest events, keep screenshots."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def drag(canvas: Any, view: str, points: Sequence[tuple[float, float]]) -> None:
    """Press, move and release the left button through the canvas viewport."""
    vp = canvas.viewport()
    pts: list[QPoint] = [canvas.viewport_point(view, x, y) for x, y in points]
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[0])
    for p in pts[1:]:
        QTest.mouseMove(vp, p)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[-1])


def vertical_line(x: float, y0: float, y1: float, step: float = 6) -> list[tuple[float, float]]:
    n = max(1, int(abs(y1 - y0) / step))
    return [(x, y0 + (y1 - y0) * i / n) for i in range(n + 1)]


def paint_sciatica(win: Any) -> tuple[float, float]:
    """One shooting stroke, intensity 8, from the patient's right buttock down the back of the
    thigh to the outer calf, through the real canvas; returns the outer calf's point."""
    va = win.atlas.view("back")
    win.tools.set(intensity=8, quality="shooting", width=22.0)
    bx, by = va.regions["right.buttock"].geom.representative_point().coords[0]
    tx, ty = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]
    lx, ly = va.regions["right.lateral_leg"].geom.representative_point().coords[0]
    drag(win.canvas, "back", [(bx, by), *vertical_line(tx, by + 30, ty + 120), (lx, ly)])
    return lx, ly


def save_screenshot(win: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert win.grab().save(str(path), "PNG")
    return path
