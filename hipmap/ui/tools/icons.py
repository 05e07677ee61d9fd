"""Small pictures of a quality's pattern and an intensity's colour (tool buttons, lists)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from hipmap.ui.diagram import intensity_color, paint_mark_path


def quality_icon(quality: str | None, intensity: float = 6, size: int = 22) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(1, 1, size - 2, size - 2), 4, 4)
    paint_mark_path(p, path, intensity, quality, alpha=255)
    p.setPen(QPen(QColor("#777"), 1))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.end()
    return QIcon(pm)


def swatch_icon(intensity: float, size: int = 16) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(intensity_color(intensity))
    p = QPainter(pm)
    p.setPen(QColor("#777"))
    p.drawRect(0, 0, size - 1, size - 1)
    p.end()
    return QIcon(pm)
