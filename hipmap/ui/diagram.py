"""Painting the diagram, marks and overlays with QPainter — shared by the canvas, PNG export,
``hipmap render`` and printing, so every output shows the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)

from hipmap.core.document import Mark, RegionMark, Stroke
from hipmap.core.ids import QUALITIES
from hipmap.i18n import _, lazy_pgettext

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from hipmap.geometry.atlas import ViewAtlas

#: The atlas' own labels (assets/atlas/atlas.json) in the current language; a label the
#: table does not know is drawn as the atlas writes it.
ATLAS_LABELS = {
    "FRONT — patient facing you": lazy_pgettext("diagram label",
                                                "FRONT — patient facing you"),
    "BACK — patient's back to you": lazy_pgettext("diagram label",
                                                  "BACK — patient's back to you"),
    "RIGHT": lazy_pgettext("diagram label", "RIGHT"),
    "LEFT": lazy_pgettext("diagram label", "LEFT"),
    "RIGHT SIDE": lazy_pgettext("diagram label", "RIGHT SIDE"),
    "LEFT SIDE": lazy_pgettext("diagram label", "LEFT SIDE"),
    "FRONT": lazy_pgettext("diagram label", "FRONT"),
    "BACK": lazy_pgettext("diagram label", "BACK"),
}


def label_text(atlas_text: str) -> str:
    """An atlas label ("RIGHT", "FRONT — patient facing you") as the diagram shows it."""
    return str(ATLAS_LABELS.get(atlas_text, atlas_text))


# ColorBrewer YlOrRd (9 classes), a colour-blind-safe sequential ramp, stretched over 0-10.
_YLORRD = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
           "#bd0026", "#800026")
SKIN = QColor("#f4e7dc")
OUTLINE = QColor("#5b4a42")
LANDMARK = QColor("#b59f92")
REGION_LINE = QColor(120, 120, 120, 90)
TERRITORY = QColor("#3a6ea5")

#: pattern and symbol per quality, so quality never relies on colour alone
QUALITY_STYLE: dict[str, tuple[Qt.BrushStyle, str]] = {
    "shooting": (Qt.BrushStyle.BDiagPattern, "⚡"),
    "burning": (Qt.BrushStyle.DiagCrossPattern, "♨"),
    "sharp": (Qt.BrushStyle.VerPattern, "▲"),
    "dull_ache": (Qt.BrushStyle.NoBrush, "●"),
    "tingling": (Qt.BrushStyle.Dense6Pattern, "∴"),
    "numbness": (Qt.BrushStyle.HorPattern, "○"),
}


def intensity_color(intensity: float, alpha: int = 255) -> QColor:
    """0 = pale grey (no pain), 1-10 along YlOrRd."""
    if intensity <= 0:
        c = QColor("#d9d9d9")
    else:
        t = min(max((intensity - 1) / 9.0, 0.0), 1.0) * (len(_YLORRD) - 1)
        i = min(int(t), len(_YLORRD) - 2)
        a, b = QColor(_YLORRD[i]), QColor(_YLORRD[i + 1])
        f = t - i
        c = QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * f,
                            a.greenF() + (b.greenF() - a.greenF()) * f,
                            a.blueF() + (b.blueF() - a.blueF()) * f)
    c.setAlpha(alpha)
    return c


def geom_path(geom: BaseGeometry) -> QPainterPath:
    """A shapely (Multi)Polygon as a QPainterPath (odd-even fill keeps holes as holes)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring.coords]))
            path.closeSubpath()
    return path


def line_path(points: Iterable[Iterable[float]], closed: bool = False) -> QPainterPath:
    pts = [QPointF(float(x), float(y)) for x, y in points]
    path = QPainterPath()
    if not pts:
        return path
    path.moveTo(pts[0])
    for p in pts[1:]:
        path.lineTo(p)
    if closed:
        path.closeSubpath()
    return path


#: Above this many points, or wider than the app's largest brush, a stroke is drawn from the
#: same polygon the coverage is computed from: Qt's stroker outline of a long or very wide
#: self-crossing path takes seconds to fill, the polygon a moment.
STROKER_MAX_POINTS = 400
STROKER_MAX_WIDTH = 60.0


def stroke_path(points: Sequence[tuple[float, float]], width: float) -> QPainterPath:
    """The painted area of a stroke as Qt draws it (round caps and joins)."""
    if len(points) > STROKER_MAX_POINTS or width > STROKER_MAX_WIDTH:
        from hipmap.geometry.coverage import stroke_polygon

        return geom_path(stroke_polygon(points, width))  # odd-even: unpainted holes stay
    if len(points) == 1 or all(p == points[0] for p in points):
        path = QPainterPath()
        x, y = points[0]
        path.addEllipse(QPointF(x, y), width / 2, width / 2)
        return path
    line = QPainterPath()
    line.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))  # open polyline
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return stroker.createStroke(line)  # winding fill: overlaps are painted once



class ViewPainter:
    """Caches the QPainterPaths of one view so repainting is cheap."""

    def __init__(self, view: ViewAtlas) -> None:
        self.view = view
        self.outline = geom_path(view.outline)
        self.regions = {rid: geom_path(a.geom) for rid, a in view.regions.items()}
        self.dermatomes = {did: geom_path(a.geom) for did, a in view.dermatomes.items()}
        self.landmarks = [line_path(lm["points"], lm.get("closed", False))
                          for lm in view.landmarks]

    # -------------------------------------------------------------- layers
    def paint_body(self, p: QPainter, *, region_lines: bool = True) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(SKIN)
        p.drawPath(self.outline)
        if region_lines:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(REGION_LINE, 0.8, Qt.PenStyle.DotLine))
            for path in self.regions.values():
                p.drawPath(path)
        p.setPen(QPen(LANDMARK, 1.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.save()
        p.setClipPath(self.outline, Qt.ClipOperation.IntersectClip)  # landmarks stay inside
        for path in self.landmarks:
            p.drawPath(path)
        p.restore()
        p.setPen(QPen(OUTLINE, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        p.drawPath(self.outline)
        p.restore()

    def paint_labels(self, p: QPainter) -> None:
        """The patient's RIGHT / LEFT (and FRONT / BACK on side views), from the atlas."""
        p.save()
        for lab in self.view.labels:
            size = float(lab.get("size", 20))
            text = label_text(str(lab["text"]))
            font = QFont("DejaVu Sans")
            font.setPixelSize(max(6, round(size)))
            font.setBold(size >= 20)
            # a longer word ("DERECHA") is made smaller, never cut at the view's edge
            x = float(lab["x"])
            room = 2 * min(x, self.view.width - x) - 4
            wide = QFontMetricsF(font).horizontalAdvance(text)
            if wide > room > 0:
                font.setPixelSize(max(6, int(size * room / wide)))
            p.setFont(font)
            p.setPen(QColor("#1d3557") if size >= 20 else QColor("#444444"))
            rect = QRectF(float(lab["x"]) - 300, float(lab["y"]) - size, 600, size * 1.4)
            p.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, text)
        p.restore()

    def paint_marks(self, p: QPainter, marks: Iterable[Mark], *, alpha: int = 215) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setClipPath(self.outline)
        for m in marks:
            if isinstance(m, RegionMark):
                path = self.regions.get(m.region)
                if path is None:
                    continue
            elif isinstance(m, Stroke):
                if m.view != self.view.name:
                    continue
                path = stroke_path(m.points, m.width)  # exactly as the canvas draws it
            else:
                continue
            paint_mark_path(p, path, m.intensity, m.quality, alpha=alpha)
        p.restore()

    def paint_dermatomes(self, p: QPainter) -> None:
        from hipmap.report.palette import dermatome_colour

        p.save()
        font = QFont("DejaVu Sans")
        font.setPixelSize(13)
        font.setBold(True)
        p.setFont(font)
        for did, path in self.dermatomes.items():
            root = did.split(".")[1]
            c = QColor(dermatome_colour(root))
            p.setPen(QPen(c, 1.4, Qt.PenStyle.DashLine))
            fill = QColor(c)
            fill.setAlpha(40)
            p.setBrush(fill)
            p.drawPath(path)
            pt = self.view.dermatomes[did].geom.representative_point()
            p.setPen(c.darker(140))
            p.drawText(QRectF(pt.x - 20, pt.y - 9, 40, 18), Qt.AlignmentFlag.AlignCenter, root)
        p.restore()

    def paint_highlights(self, p: QPainter, regions: Mapping[str, QColor],
                         *, width: float = 2.5) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for rid, color in regions.items():
            path = self.regions.get(rid)
            if path is not None:
                p.setPen(QPen(color, width))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(path)
        p.restore()

    def paint_territory(self, p: QPainter, weights: Mapping[str, float],
                        color: QColor | None = None) -> None:
        """A cause's referral territory: region id -> P(painted | cause), as fill opacity."""
        color = color or TERRITORY
        p.save()
        for rid, w in weights.items():
            path = self.regions.get(rid)
            if path is None or w <= 0.05:
                continue
            c = QColor(color)
            c.setAlphaF(min(0.75, 0.1 + 0.7 * w))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(c)
            p.drawPath(path)
        p.restore()


def paint_mark_path(p: QPainter, path: QPainterPath, intensity: float, quality: str | None,
                    *, alpha: int = 215) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(intensity_color(intensity, alpha))
    p.drawPath(path)
    style = QUALITY_STYLE.get(quality or "", (Qt.BrushStyle.NoBrush, ""))[0]
    if style != Qt.BrushStyle.NoBrush:
        brush = QBrush(QColor(40, 20, 20, 200), style)
        p.setBrush(brush)
        p.drawPath(path)


def paint_legend(p: QPainter, rect: QRectF) -> None:
    """Intensity ramp and quality patterns with their names."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(13)
    p.setFont(font)
    p.setPen(QColor("#222"))
    x, y = rect.left() + 8, rect.top() + 6
    p.drawText(QPointF(x, y + 14), _("Pain intensity (0-10):"))
    x0 = x + 160
    for i in range(11):
        r = QRectF(x0 + i * 26, y, 24, 18)
        p.setPen(QPen(QColor("#888"), 0.6))
        p.setBrush(intensity_color(i))
        p.drawRect(r)
        p.setPen(QColor("#222"))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(i))
    y += 30
    p.drawText(QPointF(x, y + 14), _("Quality:"))
    qx = x + 70
    for q, (_style, symbol) in QUALITY_STYLE.items():
        r = QRectF(qx, y, 22, 18)
        path = QPainterPath()
        path.addRect(r)
        paint_mark_path(p, path, 6, q)
        p.setPen(QPen(QColor("#888"), 0.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
        p.setPen(QColor("#222"))
        label = f"{symbol} {_(QUALITIES[q]).split(' (')[0]}"
        p.drawText(QPointF(qx + 27, y + 14), label)
        qx += 34 + p.fontMetrics().horizontalAdvance(label) + 12
    p.restore()
