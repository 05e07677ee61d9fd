"""The before/after overlay of two visits on the diagram: new pain, resolved pain and
unchanged pain, each in its own colour AND its own pattern (colour-blind safe), with a
legend, the patient's RIGHT and LEFT on every view."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from hipmap.i18n import _
from hipmap.report.palette import (
    HISTORY_NEW,
    HISTORY_PAPER,
    HISTORY_QUIET,
    HISTORY_RESOLVED,
    HISTORY_TEXT,
    HISTORY_UNCHANGED,
)
from hipmap.storage.history import NEW, RESOLVED, UNCHANGED

VIEWS = ("front", "back")
#: class -> (colour, pattern); the pattern alone tells them apart in grey
STYLE = {
    NEW: (HISTORY_NEW, Qt.BrushStyle.BDiagPattern),
    RESOLVED: (HISTORY_RESOLVED, Qt.BrushStyle.Dense6Pattern),
    UNCHANGED: (HISTORY_UNCHANGED, Qt.BrushStyle.HorPattern),
}


def class_names() -> dict[str, str]:
    return {NEW: _("New pain (painted now, not before)"),
            RESOLVED: _("Resolved (painted before, not now)"),
            UNCHANGED: _("Unchanged (painted in both)")}


def paint_swatch(p: QPainter, path: QPainterPath, cls: str, *, scale: float = 1.0) -> None:
    """A region (or a legend box) in its class's tint, pattern and outline."""
    colour, pattern = STYLE[cls]
    c = QColor(colour)
    tint = QColor(c)
    tint.setAlpha(60)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(tint)
    p.drawPath(path)
    brush = QBrush(c, pattern)
    brush.setTransform(p.transform().inverted()[0])  # the pattern at screen size
    p.setBrush(brush)
    p.drawPath(path)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(c, 2.2 / max(scale, 0.01)))
    p.drawPath(path)


class OverlayView(QWidget):
    """Front and back views side by side; regions filled by their class; a legend below."""

    LEGEND_H = 108

    def __init__(self, atlas: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from hipmap.ui.diagram import ViewPainter

        self.atlas = atlas
        self._views = [ViewPainter(atlas.view(v)) for v in VIEWS]  # type: ignore[attr-defined]
        self.classes: dict[str, str] = {}
        self.title = ""
        self.setMinimumSize(420, 360)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Before and after overlay"))

    def set_classes(self, classes: Mapping[str, str], title: str) -> None:
        self.classes = dict(classes)
        self.title = title
        counts = {c: sum(1 for v in classes.values() if v == c) for c in STYLE}
        self.setAccessibleDescription(_("{title}: {new} new, {resolved} resolved, {same} "
                                        "unchanged regions").format(
                                            title=title, new=counts[NEW],
                                            resolved=counts[RESOLVED],
                                            same=counts[UNCHANGED]))
        self.update()

    def paintEvent(self, _ev: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(HISTORY_PAPER))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(HISTORY_TEXT))
        p.drawText(QRectF(8, 4, self.width() - 16, 22), Qt.AlignmentFlag.AlignLeft
                   | Qt.AlignmentFlag.AlignVCenter, self.title)
        top = 28.0
        area = QRectF(0, top, self.width(), self.height() - top - self.LEGEND_H)
        widths = [vp.view.width for vp in self._views]
        gap = 30.0
        total_w = sum(widths) + gap * (len(widths) + 1)
        height = max(vp.view.height for vp in self._views)
        scale = min(area.width() / total_w, area.height() / height)
        x = area.left() + (area.width() - total_w * scale) / 2 + gap * scale
        for vp in self._views:
            p.save()
            p.translate(x, area.top())
            p.scale(scale, scale)
            vp.paint_body(p)
            p.save()
            p.setClipPath(vp.outline)
            for rid, cls in self.classes.items():
                path = vp.regions.get(rid)
                if path is not None:
                    paint_swatch(p, path, cls, scale=scale)
            p.restore()
            vp.paint_labels(p)  # the patient's RIGHT and LEFT, from the atlas
            p.restore()
            x += (vp.view.width + gap) * scale
        self._paint_legend(p, QRectF(8, self.height() - self.LEGEND_H, self.width() - 16,
                                     self.LEGEND_H))
        p.end()

    def _paint_legend(self, p: QPainter, rect: QRectF) -> None:
        p.save()
        font = QFont(self.font())
        font.setBold(False)
        p.setFont(font)
        y = rect.top() + 4
        for cls, name in class_names().items():
            box = QPainterPath()
            box.addRect(QRectF(rect.left() + 4, y, 34, 20))
            paint_swatch(p, box, cls)
            p.setPen(QColor(HISTORY_TEXT))
            n = sum(1 for v in self.classes.values() if v == cls)
            p.drawText(QPointF(rect.left() + 48, y + 15),
                       _("{name}: {n}").format(name=name, n=n))
            y += 26
        p.setPen(QColor(HISTORY_QUIET))
        p.drawText(QPointF(rect.left() + 4, y + 14),
                   _("RIGHT and LEFT are the patient's own sides."))
        p.restore()
