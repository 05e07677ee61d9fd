"""What the canvas draws over the scene at a fixed screen size: the names of the painted
regions, and the patient's RIGHT/LEFT pinned to the edges when the atlas' own labels are
scrolled out of sight."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from hipmap.i18n import pgettext
from hipmap.knowledge.texts import region_name
from hipmap.ui.canvas.items import HIGHLIGHT
from hipmap.ui.diagram import label_text

if TYPE_CHECKING:
    from hipmap.ui.canvas.widget import BodyCanvas

MIN_SCALE_FOR_NAMES = 0.55  # screen pixels per diagram unit; below it, hover names regions


def pin_text(atlas_text: str) -> str:
    """The pinned form of an atlas label: "patient's RIGHT", or a view's heading without
    its explanation ("FRONT — patient facing you" -> "FRONT")."""
    if atlas_text == "RIGHT":
        return pgettext("pinned side label", "patient's RIGHT")
    if atlas_text == "LEFT":
        return pgettext("pinned side label", "patient's LEFT")
    return label_text(atlas_text).split(" — ")[0]


def draw_region_names(canvas: BodyCanvas, p: QPainter, vp_rect: QRectF) -> list[str]:
    """Names of the painted regions, at a readable fixed size whatever the zoom — but
    only when the body is drawn large enough for them not to hide the drawing itself
    (the region list beside the canvas names them at any size). Returns the region ids
    named."""
    drawn: list[str] = []
    if canvas.transform().m11() < MIN_SCALE_FOR_NAMES:
        return drawn
    font = QFont("DejaVu Sans")
    font.setPixelSize(11)
    font.setBold(True)
    p.setFont(font)
    fm = QFontMetricsF(font)
    taken: list[QRectF] = []
    k = canvas.transform().m11()
    for name in canvas.visible_views():  # the atlas' own labels stay readable
        g = canvas.groups[name]
        for lab in g.view.labels:
            size = float(lab.get("size", 20))
            c = QPointF(canvas.mapFromScene(g.mapToScene(QPointF(float(lab["x"]),
                                                                 float(lab["y"]) - size / 3))))
            w = size * 0.7 * len(label_text(str(lab["text"]))) * k
            taken.append(QRectF(c.x() - w / 2, c.y() - size * k / 2, w, size * k))
    for name in canvas.visible_views():
        g = canvas.groups[name]
        for rid in sorted(g.overlay.covered, key=lambda r: g.overlay.anchors[r].y):
            anchor = g.overlay.anchors[rid]
            c = QPointF(canvas.mapFromScene(g.mapToScene(QPointF(anchor.x, anchor.y))))
            if not vp_rect.contains(c):
                continue
            text = region_name(rid)
            w = fm.horizontalAdvance(text) + 8
            r = QRectF(c.x() - w / 2, c.y() - 8, w, 16)
            for _attempt in range(6):
                hit = next((t for t in taken if t.intersects(r)), None)
                if hit is None:
                    break
                r.moveTop(hit.bottom() + 2)
            else:
                if any(t.intersects(r) for t in taken):
                    continue  # no free place nearby: leave it to the region list
            taken.append(r)
            drawn.append(rid)
            p.setPen(QPen(QColor(29, 53, 87, 160), 0.8))
            p.setBrush(QColor(255, 255, 255, 225))
            p.drawRoundedRect(r, 4, 4)
            p.setPen(HIGHLIGHT)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    return drawn


def draw_side_pins(canvas: BodyCanvas, p: QPainter, vp_rect: QRectF) -> list[tuple[str, QRectF]]:
    """Keep the patient's RIGHT/LEFT on screen at any zoom: when a view's own labels are
    scrolled out of sight, pin them to the edges of the visible part of the view. Returns
    what was pinned: (text, box in viewport pixels)."""
    pinned: list[tuple[str, QRectF]] = []
    font = QFont("DejaVu Sans")
    font.setPixelSize(13)
    font.setBold(True)
    p.setFont(font)
    fm = QFontMetricsF(font)
    for name in canvas.visible_views():
        g = canvas.groups[name]
        r = canvas.mapFromScene(g.sceneBoundingRect()).boundingRect()
        vis = QRectF(r).intersected(vp_rect)
        if vis.width() < 40 or vis.height() < 40:
            continue
        labels = [lab for lab in g.view.labels if float(lab.get("size", 20)) >= 20]
        pts = [QPointF(canvas.mapFromScene(g.mapToScene(QPointF(float(lab["x"]),
                                                                float(lab["y"])))))
               for lab in labels]
        if all(vp_rect.adjusted(20, 12, -20, -12).contains(pt) for pt in pts):
            continue
        for lab in labels:
            text = pin_text(str(lab["text"]))
            x, y = float(lab["x"]), float(lab["y"])
            w = fm.horizontalAdvance(text) + 14
            if y < 100:  # the title
                box = QRectF(vis.center().x() - w / 2, vis.top() + 6, w, 22)
            elif x < g.view.width / 2:
                box = QRectF(vis.left() + 6, vis.center().y() - 11, w, 22)
            else:
                box = QRectF(vis.right() - 6 - w, vis.center().y() - 11, w, 22)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(29, 53, 87, 225))
            p.drawRoundedRect(box, 6, 6)
            p.setPen(QColor("white"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            pinned.append((text, box))
    return pinned
