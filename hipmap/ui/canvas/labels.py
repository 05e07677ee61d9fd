"""What the canvas draws over the scene at a fixed screen size: the names of the painted
regions, and the patient's RIGHT/LEFT pinned to the edges when the atlas' own labels are
scrolled out of sight."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from hipmap.i18n import _, ngettext, pgettext
from hipmap.knowledge.texts import region_label, region_name
from hipmap.ui.canvas.items import GUIDE_HOVER, HIGHLIGHT, LIVE
from hipmap.ui.diagram import label_text

if TYPE_CHECKING:
    from hipmap.ui.canvas.widget import BodyCanvas

MIN_SCALE_FOR_NAMES = 0.55  # screen pixels per diagram unit; below it, hover names regions
MIN_SCALE_FOR_GUIDE_NAMES = 0.3  # the guides name what fits down to this scale
MAX_LIVE_LINES = 8  # regions listed by the live preview; more are counted


def _shows(p: QPainter, box: QRectF) -> bool:
    """Whether ``box`` is in the part of the viewport this frame repaints (the names are
    placed over the whole view, but only those in the repainted part are drawn: a pointer
    move repaints a small area)."""
    return not p.hasClipping() or box.intersects(p.clipBoundingRect())


def pin_text(atlas_text: str) -> str:
    """The pinned form of an atlas label: "patient's RIGHT", or a view's heading without
    its explanation ("FRONT — patient facing you" -> "FRONT")."""
    if atlas_text == "RIGHT":
        return pgettext("pinned side label", "patient's RIGHT")
    if atlas_text == "LEFT":
        return pgettext("pinned side label", "patient's LEFT")
    return label_text(atlas_text).split(" — ")[0]


def atlas_label_boxes(canvas: BodyCanvas) -> list[QRectF]:
    """Where the atlas' own labels (RIGHT, LEFT, the view titles) are on the viewport: names
    drawn over the diagram keep clear of them, so the patient's side is never hidden."""
    boxes = []
    k = canvas.transform().m11()
    for name in canvas.visible_views():
        g = canvas.groups[name]
        for lab in g.view.labels:
            size = float(lab.get("size", 20))
            c = QPointF(canvas.mapFromScene(g.mapToScene(QPointF(float(lab["x"]),
                                                                 float(lab["y"]) - size / 3))))
            w = size * 0.7 * len(label_text(str(lab["text"]))) * k
            boxes.append(QRectF(c.x() - w / 2 - 4, c.y() - size * k / 2 - 2, w + 8,
                                size * k + 4))
    return boxes


def draw_region_names(canvas: BodyCanvas, p: QPainter, vp_rect: QRectF,
                      taken: list[QRectF] | None = None) -> list[str]:
    """Names of the painted regions, at a readable fixed size whatever the zoom — but
    only when the body is drawn large enough for them not to hide the drawing itself
    (the region list beside the canvas names them at any size). Returns the region ids
    named; the boxes drawn are added to ``taken``."""
    drawn: list[str] = []
    taken = atlas_label_boxes(canvas) if taken is None else taken
    if canvas.transform().m11() < MIN_SCALE_FOR_NAMES:
        return drawn
    font = QFont("DejaVu Sans")
    font.setPixelSize(11)
    font.setBold(True)
    p.setFont(font)
    fm = QFontMetricsF(font)
    for rid, c in _anchors_in_view(canvas, vp_rect, lambda g: g.overlay.covered):
        text = region_name(rid)
        w = fm.horizontalAdvance(text) + 8
        r = _place(QRectF(c.x() - w / 2, c.y() - 8, w, 16), taken)
        if r is None:
            continue  # no free place nearby: leave it to the region list
        taken.append(r)
        drawn.append(rid)
        if not _shows(p, r):
            continue
        p.setPen(QPen(QColor(29, 53, 87, 160), 0.8))
        p.setBrush(QColor(255, 255, 255, 225))
        p.drawRoundedRect(r, 4, 4)
        p.setPen(HIGHLIGHT)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    return drawn


def _anchors_in_view(canvas: BodyCanvas, vp_rect: QRectF,
                     pick: Callable[[Any], Iterable[str]]) -> Iterator[tuple[str, QPointF]]:
    """For each visible view, the regions ``pick(view group)`` names, top to bottom, with
    their label anchor in viewport pixels — those inside ``vp_rect`` only."""
    for name in canvas.visible_views():
        g = canvas.groups[name]
        anchors = g.overlay.anchors
        for rid in sorted(pick(g), key=lambda r: anchors[r].y):
            a = anchors[rid]
            c = QPointF(canvas.mapFromScene(g.mapToScene(QPointF(a.x, a.y))))
            if vp_rect.contains(c):
                yield rid, c


def _place(r: QRectF, taken: list[QRectF]) -> QRectF | None:
    """``r`` moved down past the boxes it would cover (a few tries), or None."""
    for _attempt in range(6):
        hit = next((t for t in taken if t.intersects(r)), None)
        if hit is None:
            return r
        r.moveTop(hit.bottom() + 2)
    return None if any(t.intersects(r) for t in taken) else r


def draw_guide_names(canvas: BodyCanvas, p: QPainter, vp_rect: QRectF,
                     taken: list[QRectF]) -> list[tuple[str, QRectF]]:
    """The region guides' names: the region under the pointer before painting, boxed, with
    the patient's side ("RIGHT back of thigh"); with the guides on, every other region's name
    that fits, small and faint (the atlas' RIGHT/LEFT stay in view beside them). The regions
    a live stroke covers are outlined, not named over the stroke: the live list names them.
    Returns the regions named, with their boxes."""
    drawn: list[tuple[str, QRectF]] = []
    strong: list[tuple[str, str, str]] = []
    for name in canvas.visible_views():
        g = canvas.groups[name]
        if g.guides.hover and not canvas.live_regions:
            strong.append((name, g.guides.hover, "hover"))
    font = QFont("DejaVu Sans")
    font.setPixelSize(12)
    font.setBold(True)
    p.setFont(font)
    fm = QFontMetricsF(font)
    for name, rid, kind in strong:
        g = canvas.groups[name]
        anchor = g.overlay.anchors[rid]
        c = QPointF(canvas.mapFromScene(g.mapToScene(QPointF(anchor.x, anchor.y))))
        text = region_label(rid, full=False)
        w = fm.horizontalAdvance(text) + 12
        r = _place(QRectF(c.x() - w / 2, c.y() - 10, w, 20), taken)
        if r is None:
            continue
        taken.append(r)
        drawn.append((rid, r))
        if not _shows(p, r):
            continue
        color = LIVE if kind == "live" else GUIDE_HOVER
        p.setPen(QPen(color, 1.6))
        p.setBrush(QColor(255, 255, 255, 240))
        p.drawRoundedRect(r, 5, 5)
        p.setPen(color)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    if not canvas.guides_on or canvas.transform().m11() < MIN_SCALE_FOR_GUIDE_NAMES:
        return drawn
    font = QFont("DejaVu Sans")
    font.setPixelSize(10 if canvas.transform().m11() >= MIN_SCALE_FOR_NAMES else 9)
    p.setFont(font)
    fm = QFontMetricsF(font)
    p.setPen(QColor(29, 53, 87, 170))
    def unnamed(g: Any) -> list[str]:
        return [r for r in g.overlay.anchors if r not in g.overlay.covered and r != g.guides.hover]

    for rid, c in _anchors_in_view(canvas, vp_rect, unnamed):
        text = region_name(rid)
        w = fm.horizontalAdvance(text) + 4
        r = QRectF(c.x() - w / 2, c.y() - 7, w, 14)
        if any(t.intersects(r) for t in taken):
            continue  # no room: the hover names it
        taken.append(r)
        drawn.append((rid, r))
        if _shows(p, r):
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    return drawn


def draw_live_list(canvas: BodyCanvas, p: QPainter, vp_rect: QRectF) -> list[str]:
    """While painting, a small list in a bottom corner of the canvas (the one away from the
    stroke): the regions the stroke is covering, each with the patient's side. Returns its
    lines."""
    if not canvas.live_regions:
        return []
    lines = [_("This stroke covers:")]
    shown = canvas.live_regions[:MAX_LIVE_LINES]
    for rid in shown:
        lines.append((_("Patient's RIGHT {region}") if rid.startswith("right.")
                      else _("Patient's LEFT {region}")).format(region=region_name(rid)))
    if len(canvas.live_regions) > len(shown):
        extra = len(canvas.live_regions) - len(shown)
        lines.append(ngettext("and {n} more region", "and {n} more regions", extra)
                     .format(n=extra))
    font = QFont("DejaVu Sans")
    font.setPixelSize(12)
    p.setFont(font)
    fm = QFontMetricsF(font)
    h = fm.height() + 2
    w = max(fm.horizontalAdvance(t) for t in lines) + 16
    bh = h * len(lines) + 10
    box = QRectF(vp_rect.left() + 8, vp_rect.bottom() - 8 - bh, w, bh)
    if canvas.live_point is not None and canvas.live_point.x() < vp_rect.center().x():
        box.moveRight(vp_rect.right() - 8)  # the corner away from the stroke
    if not _shows(p, box.adjusted(-2, -2, 2, 2)):
        return lines
    p.setPen(QPen(LIVE, 1.4))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRoundedRect(box, 6, 6)
    for i, text in enumerate(lines):
        font.setBold(i == 0)
        p.setFont(font)
        p.setPen(QColor("#222") if i == 0 else LIVE)
        p.drawText(QPointF(box.left() + 8, box.top() + 5 + fm.ascent() + i * h), text)
    return lines


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
