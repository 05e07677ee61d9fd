"""The views' headings and side words kept readable however small the views are drawn.

The atlas' labels ("FRONT — patient facing you", the patient's RIGHT and LEFT, a side view's
FRONT and BACK) scale with the diagram: in *All four* on a laptop a heading came out about
6 px high. Any label drawn smaller than :data:`MIN_LABEL_PX` is drawn again over itself at a
fixed readable size — the whole heading when the view is wide enough for it, else its first
word ("FRONT") — on a white ground that hides the tiny one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from hipmap.ui.canvas.labels import pin_text
from hipmap.ui.diagram import label_text

if TYPE_CHECKING:
    from hipmap.ui.canvas.widget import BodyCanvas

#: a label drawn smaller than this many pixels is drawn again at LABEL_PX
MIN_LABEL_PX = 11.0
LABEL_PX = 12


def draw_small_labels(canvas: BodyCanvas, p: QPainter,
                      vp_rect: QRectF) -> list[tuple[str, QRectF]]:
    """Draw the atlas labels that the zoom makes too small, readable; returns them as
    (text, box in viewport pixels)."""
    drawn: list[tuple[str, QRectF]] = []
    k = canvas.transform().m11()
    font = QFont("DejaVu Sans")
    font.setPixelSize(LABEL_PX)
    font.setBold(True)
    fm = QFontMetricsF(font)
    for name in canvas.visible_views():
        g = canvas.groups[name]
        vis = QRectF(canvas.mapFromScene(g.sceneBoundingRect()).boundingRect()).intersected(
            vp_rect)
        if vis.width() < 30 or vis.height() < 30:
            continue
        for lab in g.view.labels:
            size = float(lab.get("size", 20))
            if size * k >= MIN_LABEL_PX:
                continue
            full = label_text(str(lab["text"]))
            text = full if fm.horizontalAdvance(full) + 12 <= vis.width() \
                else pin_text(str(lab["text"]))
            small = QFont(font)
            small.setPixelSize(max(1, round(size * k)))
            under = QFontMetricsF(small).horizontalAdvance(full)  # the tiny one, to hide
            w = min(max(fm.horizontalAdvance(text) + 12, under + 6), vis.width() - 4)
            h = max(LABEL_PX + 6.0, size * k * 1.4)
            c = QPointF(canvas.mapFromScene(g.mapToScene(
                QPointF(float(lab["x"]), float(lab["y"]) - size * 0.3))))
            box = QRectF(c.x() - w / 2, c.y() - h / 2, w, h)
            box.moveLeft(max(vis.left() + 2, min(box.left(), vis.right() - 2 - w)))
            box.moveTop(max(vis.top() + 1, box.top()))
            p.setPen(QPen(QColor(29, 53, 87, 90), 0.8))
            p.setBrush(QColor(255, 255, 255))
            p.drawRoundedRect(box, 4, 4)
            p.setFont(font)
            p.setPen(QColor("#1d3557"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            drawn.append((text, box))
    return drawn
