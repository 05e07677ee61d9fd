"""The canvas' graphics items: one :class:`ViewGroup` per diagram view holding the body (with
the atlas' RIGHT/LEFT labels), a cause's territory, the committed marks and the overlay."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hipmap.core.document import Mark, Stroke
from hipmap.geometry.atlas import ViewAtlas
from hipmap.ui.diagram import ViewPainter, paint_mark_path, stroke_path

HIGHLIGHT = QColor("#1d3557")


class _Item(QGraphicsItem):
    def __init__(self, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._rect = rect

    def boundingRect(self) -> QRectF:
        return self._rect


class BodyItem(_Item):
    """The body, region lines, landmarks and the atlas' RIGHT/LEFT labels (cached)."""

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        self.vp.paint_body(p)
        self.vp.paint_labels(p)


class TerritoryItem(_Item):
    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.weights: dict[str, float] = {}

    def set_weights(self, weights: Mapping[str, float]) -> None:
        self.weights = {r: w for r, w in weights.items() if r in self.vp.regions}
        self.setVisible(bool(self.weights))
        self.update()

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.vp.paint_territory(p, self.weights)


class MarksLayer(_Item):
    """All committed marks of one view, painted in drawing order and clipped to the body."""

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.paths: dict[int, tuple[QPainterPath, float, str | None]] = {}
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def add(self, mid: int, mark: Mark) -> bool:
        if isinstance(mark, Stroke):
            if mark.view != self.vp.view.name:
                return False
            path = stroke_path(mark.points, mark.width)
        else:
            path = self.vp.regions.get(mark.region)
            if path is None:
                return False
        self.paths[mid] = (path, mark.intensity, mark.quality)
        return True

    def remove(self, mid: int) -> bool:
        return self.paths.pop(mid, None) is not None

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        if not self.paths:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setClipPath(self.vp.outline)
        for mid in sorted(self.paths):
            path, intensity, quality = self.paths[mid]
            paint_mark_path(p, path, intensity, quality)


class OverlayItem(_Item):
    """Covered regions outlined and named; the dermatome layer when switched on."""

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.covered: dict[str, float] = {}
        self.dermatomes = False
        self.anchors = {rid: a.geom.representative_point() for rid, a in vp.view.regions.items()}

    def set_state(self, covered: Mapping[str, float], dermatomes: bool) -> None:
        covered = {r: c for r, c in covered.items() if r in self.vp.regions}
        if covered != self.covered or dermatomes != self.dermatomes:
            self.covered = dict(covered)
            self.dermatomes = dermatomes
            self.update()

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.dermatomes:
            self.vp.paint_dermatomes(p)
        if not self.covered:
            return
        self.vp.paint_highlights(p, {r: HIGHLIGHT for r in self.covered}, width=2.0)


class ViewGroup(_Item):
    """One diagram view: body, territory, marks, overlay, live stroke; local = view coords."""

    def __init__(self, va: ViewAtlas) -> None:
        super().__init__(QRectF(0, 0, va.width, va.height))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.view = va
        self.vp = ViewPainter(va)
        self.body = BodyItem(self.vp, self)
        self.territory = TerritoryItem(self.vp, self)
        self.territory.setVisible(False)
        self.territory.setOpacity(0.75)
        self.marks = MarksLayer(self.vp, self)
        self.overlay = OverlayItem(self.vp, self)

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        pass
