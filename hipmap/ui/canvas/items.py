"""The canvas' graphics items: one :class:`ViewGroup` per diagram view holding the body (with
the atlas' RIGHT/LEFT labels), a cause's territory, the committed marks and the overlay."""

from __future__ import annotations

import math
from collections.abc import Mapping

import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QTransform
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
    """All committed marks of one view, painted in drawing order and clipped to the body.

    The marks are drawn once into a cached image in device pixels (the device pixel ratio
    included) and a frame only copies it, so a frame costs the same at 50 strokes as at 2000.
    The image is kept up to date piece by piece: a stroke added on top is painted onto it; a
    removed mark (undo, erase) repaints only its rectangle, with the marks under it, in order.
    A change of scale, of the sub-pixel offset or of the device pixel ratio rebuilds it
    (scrolling by whole pixels does not, while the whole view fits in the cache). Set
    ``cached`` to False to paint every mark on every frame (the reference for the tests).
    """

    #: the most device pixels one view's cache holds: above it (zoomed far in) only the part
    #: of the view on screen is cached, and scrolling rebuilds it
    MAX_CACHE_PIXELS = 6_000_000
    #: more removed rectangles than this in one frame: their union is repainted at once
    MAX_DIRTY_RECTS = 12
    #: more pending changes than this (a view not on screen): the image is dropped instead
    MAX_PENDING = 64
    #: how many of the last strokes can be undone by putting their pixels back
    MAX_PATCHES = 24
    #: from this many marks on, a new scale (zoom) first shows the previous image scaled, at
    #: once, and paints the exact one in slices of BUILD_SLICE marks between events
    PROGRESSIVE_MIN_MARKS = 100
    BUILD_SLICE = 150

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.paths: dict[int, tuple[QPainterPath, float, str | None]] = {}
        self.rects: dict[int, QRectF] = {}
        self.cached = True
        self._image: QImage | None = None
        self._key: tuple[float, ...] | None = None
        self._origin = QPointF()
        self._top = 0  # the highest mark id painted into the image (drawing order)
        self._appended: list[int] = []  # added on top since the last frame
        self._dirty: list[QRectF] = []  # item rectangles to repaint in the image
        #: the pixels under each of the last marks painted on top (device rectangle, copy):
        #: undoing the top mark puts them back instead of repainting the marks under it
        self._patches: list[tuple[int, QRect, QImage]] = []
        self._restore: list[tuple[QRect, QImage]] = []  # patches to put back next frame
        #: the exact image being painted in slices after a zoom (key, transform, image,
        #: the marks in drawing order, how many are painted)
        self._build: tuple[tuple[float, ...], QTransform, QImage, list[int], list[int]] | None
        self._build = None
        #: what the cache did, for tests: full rebuilds, marks appended, rectangles repainted,
        #: frames shown from the previous scale while the exact image was being painted
        self.stats = {"rebuilds": 0, "appended": 0, "repainted": 0, "previews": 0,
                      "restored": 0}

    # ----------------------------------------------------------------- the marks
    def add(self, mid: int, mark: Mark) -> bool:
        if isinstance(mark, Stroke):
            if mark.view != self.vp.view.name:
                return False
            path = stroke_path(mark.points, mark.width)
        else:
            path = self.vp.regions.get(mark.region)
            if path is None:
                return False
        if mid in self.paths:
            self.remove(mid)
        self._cancel_build()
        self.paths[mid] = (path, mark.intensity, mark.quality)
        rect = path.boundingRect()
        self.rects[mid] = rect
        if self._image is not None:
            if mid > self._top and not self._dirty:
                self._appended.append(mid)  # on top of everything painted: paint it over
            else:
                self._dirty.append(rect)  # under other marks: repaint its rectangle
        self._top = max(self._top, mid)
        self._bound()
        self.update(rect.adjusted(-2, -2, 2, 2))
        return True

    def remove(self, mid: int) -> bool:
        if self.paths.pop(mid, None) is None:
            return False
        self._cancel_build()
        rect = self.rects.pop(mid)
        if mid in self._appended:
            self._appended.remove(mid)  # never painted into the image
        elif self._image is not None:
            if not self._dirty and self._patches and self._patches[-1][0] == mid:
                _mid, phys, patch = self._patches.pop()  # the top mark: its pixels go back
                self._restore.append((phys, patch))
            else:
                self._dirty.append(rect)
                self._patches.clear()
        if mid >= self._top:
            self._top = max(self.paths, default=0)
        self._bound()
        self.update(rect.adjusted(-2, -2, 2, 2))
        return True

    def _bound(self) -> None:
        """A view not on screen never paints: past a few dozen pending changes its image is
        dropped (painted whole when it is shown again) rather than the list growing."""
        if len(self._dirty) + len(self._appended) + len(self._restore) > self.MAX_PENDING:
            self.invalidate()

    def clear(self) -> None:
        """No marks (a new or opened drawing): the cache is dropped with them."""
        self.paths.clear()
        self.rects.clear()
        self.invalidate()

    def invalidate(self) -> None:
        """Forget the cached image: the next frame paints it again from the marks."""
        self._build = None
        self._adopt(None, None)
        self.update()

    def _adopt(self, img: QImage | None, key: tuple[float, ...] | None) -> None:
        """Make ``img`` the cached image of every mark: nothing is pending against it."""
        self._image, self._key = img, key
        self._appended.clear()
        self._dirty.clear()
        self._patches.clear()
        self._restore.clear()
        self._top = max(self.paths, default=0)

    def building(self) -> bool:
        """True while the exact image for a new scale is being painted (a preview shows)."""
        return self._build is not None

    def _cancel_build(self) -> None:
        """A mark changed while the exact image was being painted: the next frame paints it
        whole (the preview would be stale)."""
        if self._build is not None:
            self._build = None
            self._image = None
            self._key = None

    # ----------------------------------------------------------------- painting
    def _paint_marks(self, p: QPainter, rect: QRectF | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setClipPath(self.vp.outline, Qt.ClipOperation.IntersectClip)
        for mid in sorted(self.paths):
            if rect is not None and not self.rects[mid].intersects(rect):
                continue
            path, intensity, quality = self.paths[mid]
            paint_mark_path(p, path, intensity, quality)

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        if not self.paths:
            if self._image is not None:
                self.invalidate()  # nothing to keep: the image and its pending repaints go
            return
        t = p.worldTransform()
        if not self.cached or t.type().value > QTransform.TransformationType.TxScale.value:
            p.save()
            self._paint_marks(p)
            p.restore()
            return
        dev = p.device()
        dpr = float(dev.devicePixelRatio())
        bounds = t.mapRect(self.boundingRect())
        if bounds.width() * bounds.height() * dpr * dpr > self.MAX_CACHE_PIXELS:
            size = (QRectF(0, 0, dev.width(), dev.height()) if isinstance(dev, QWidget)
                    else QRectF(0, 0, dev.width() / dpr, dev.height() / dpr))
            bounds = bounds.intersected(size)
        if bounds.isEmpty():
            return
        x0, y0 = math.floor(bounds.left()), math.floor(bounds.top())
        w, h = math.ceil(bounds.right()) - x0, math.ceil(bounds.bottom()) - y0
        local = QTransform(t.m11(), 0, 0, t.m22(), t.dx() - x0, t.dy() - y0)
        key = (t.m11(), t.m22(), round(t.dx() - x0, 6), round(t.dy() - y0, 6), w, h, dpr)
        self._origin = QPointF(x0, y0)
        if key != self._key and self._image is not None and self._key is not None \
                and self._key[-1] == dpr and len(self.paths) >= self.PROGRESSIVE_MIN_MARKS:
            self._preview(p, key, local, w, h, dpr)
            return
        if key != self._key or self._image is None:
            self._rebuild(key, local, w, h, dpr)
        elif self._dirty or self._appended or self._restore:
            self._refresh(local)
        p.save()
        p.setWorldTransform(QTransform())
        p.drawImage(self._origin, self._image)
        p.restore()

    def _painter(self, local: QTransform | None = None) -> QPainter:
        """A painter on the image. Its quality patterns are laid from the image's corner, as
        Qt's own item cache did before: they move with the marks when the view scrolls."""
        q = QPainter(self._image)
        if local is not None:
            q.setTransform(local)
        return q

    def _preview(self, p: QPainter, key: tuple[float, ...], local: QTransform, w: int, h: int,
                 dpr: float) -> None:
        """After a zoom: the previous image scaled to the new size now (a little soft), and
        the exact image painted in slices between events, shown when it is complete."""
        assert self._image is not None and self._key is not None
        if self._dirty or self._appended or self._restore:
            old = self._key
            m11, m22, dx, dy = old[0], old[1], old[2], old[3]
            self._refresh(QTransform(m11, 0, 0, m22, dx, dy))
        if self._build is None or self._build[0] != key:
            img = QImage(max(1, math.ceil(w * dpr)), max(1, math.ceil(h * dpr)),
                         QImage.Format.Format_ARGB32_Premultiplied)
            img.setDevicePixelRatio(dpr)
            img.fill(Qt.GlobalColor.transparent)
            self._build = (key, local, img, sorted(self.paths), [0])
            QTimer.singleShot(0, self._build_slice)
        m11, m22, dx, dy = self._key[0], self._key[1], self._key[2], self._key[3]
        ow = self._image.width() / self._image.devicePixelRatio()
        oh = self._image.height() / self._image.devicePixelRatio()
        # the old image's corner is at device (dx, dy) from the item's origin, old scale
        target = QRectF(-dx / m11, -dy / m22, ow / m11, oh / m22)
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(target, self._image)
        p.restore()
        self.stats["previews"] += 1

    def _build_slice(self) -> None:
        build = self._build
        if build is None or not shiboken6.isValid(self):
            return  # cancelled, or the canvas was closed meanwhile
        key, local, img, order, done = build
        q = QPainter(img)
        q.setTransform(local)
        q.setRenderHint(QPainter.RenderHint.Antialiasing)
        q.setClipPath(self.vp.outline)
        for mid in order[done[0]:done[0] + self.BUILD_SLICE]:
            path, intensity, quality = self.paths[mid]
            paint_mark_path(q, path, intensity, quality)
        q.end()
        done[0] += self.BUILD_SLICE
        if done[0] < len(order):
            QTimer.singleShot(0, self._build_slice)
            return
        self._build = None
        self._adopt(img, key)
        self.stats["rebuilds"] += 1
        self.update()

    def _rebuild(self, key: tuple[float, ...], local: QTransform, w: int, h: int,
                 dpr: float) -> None:
        img = QImage(max(1, math.ceil(w * dpr)), max(1, math.ceil(h * dpr)),
                     QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        img.fill(Qt.GlobalColor.transparent)
        self._adopt(img, key)
        q = self._painter(local)
        self._paint_marks(q)
        q.end()
        self.stats["rebuilds"] += 1

    def _refresh(self, local: QTransform) -> None:
        """Bring the image up to date with the marks added and removed since the last frame."""
        assert self._image is not None
        if self._restore:  # undone top marks: their pixels back, newest first
            q = QPainter(self._image)
            q.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            dpr = self._image.devicePixelRatio()
            for phys, patch in self._restore:
                q.drawImage(QPointF(phys.x() / dpr, phys.y() / dpr), patch)
                self.stats["restored"] += 1
            q.end()
            self._restore.clear()
        if self._dirty:
            self._patches.clear()
            rects = list(self._dirty) + [self.rects[m] for m in self._appended
                                         if m in self.rects]
            if len(rects) > self.MAX_DIRTY_RECTS:
                union = QRectF(rects[0])
                for r in rects[1:]:
                    union = union.united(r)
                rects = [union]
            full = QRect(0, 0, math.ceil(self._image.width() / self._image.devicePixelRatio()),
                         math.ceil(self._image.height() / self._image.devicePixelRatio()))
            q = self._painter()
            for r in rects:
                dev = local.mapRect(r).toAlignedRect().adjusted(-2, -2, 2, 2).intersected(full)
                if dev.isEmpty():
                    continue
                q.save()
                q.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                q.fillRect(dev, Qt.GlobalColor.transparent)
                q.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
                q.setClipRect(dev)
                q.setTransform(local)
                # every mark that may touch the device rectangle, in drawing order
                self._paint_marks(q, local.inverted()[0].mapRect(QRectF(dev)))
                q.restore()
                self.stats["repainted"] += 1
            q.end()
        elif self._appended:
            q = self._painter(local)
            q.setRenderHint(QPainter.RenderHint.Antialiasing)
            q.setClipPath(self.vp.outline)
            dpr = self._image.devicePixelRatio()
            whole = self._image.rect()
            for mid in self._appended:
                if mid in self.paths:
                    r = local.mapRect(self.rects[mid])
                    phys = QRectF(r.x() * dpr, r.y() * dpr, r.width() * dpr,
                                  r.height() * dpr).toAlignedRect().adjusted(-3, -3, 3, 3)
                    phys = phys.intersected(whole)
                    patch = self._image.copy(phys)
                    patch.setDevicePixelRatio(dpr)
                    self._patches.append((mid, phys, patch))
                    path, intensity, quality = self.paths[mid]
                    paint_mark_path(q, path, intensity, quality)
                    self.stats["appended"] += 1
            q.end()
            del self._patches[:-self.MAX_PATCHES]
        self._dirty.clear()
        self._appended.clear()


GUIDE = QColor(29, 53, 87, 150)  # every region's outline, faint: the drawing stays in front
GUIDE_HOVER = QColor(29, 53, 87, 210)
LIVE = QColor("#0b7285")  # the regions the live stroke is covering


class GuideItem(_Item):
    """Region guides: every region outlined faintly (on demand), the region under the pointer
    before painting, and the regions the live stroke is covering while painting."""

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.all = False
        self.hover: str | None = None
        self.live: tuple[str, ...] = ()

    def set_state(self, *, all_regions: bool | None = None, hover: str | bool | None = False,
                  live: tuple[str, ...] | None = None) -> None:
        """Change what is shown (``hover=False`` and ``None`` for the others: unchanged);
        repaints only when something changed."""
        new_all = self.all if all_regions is None else all_regions
        new_hover = self.hover if hover is False else hover
        new_live = self.live if live is None else tuple(r for r in live if r in self.vp.regions)
        if new_hover is not None and new_hover not in self.vp.regions:
            new_hover = None
        if (new_all, new_hover, new_live) != (self.all, self.hover, self.live):
            self.all, self.hover, self.live = new_all, new_hover, new_live
            self.update()

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        if not (self.all or self.hover or self.live):
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.all:
            p.setPen(QPen(GUIDE, 1.6))
            for path in self.vp.regions.values():
                p.drawPath(path)
        if self.hover and self.hover not in self.live:
            p.setPen(QPen(GUIDE_HOVER, 2.0, Qt.PenStyle.DashLine))
            p.drawPath(self.vp.regions[self.hover])
        if self.live:
            p.setPen(QPen(LIVE, 2.6))
            for rid in self.live:
                p.drawPath(self.vp.regions[rid])


class OverlayItem(_Item):
    """Covered regions outlined and named; the dermatome layer when switched on."""

    def __init__(self, vp: ViewPainter, parent: QGraphicsItem) -> None:
        super().__init__(QRectF(0, 0, vp.view.width, vp.view.height), parent)
        self.vp = vp
        self.covered: dict[str, float] = {}
        self.dermatomes = False
        self.anchors = {rid: a.geom.representative_point() for rid, a in vp.view.regions.items()}
        # redrawn when the coverage or the scale changes, not on every frame of a live stroke
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

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
    """One diagram view: body, territory, marks, region guides, overlay; local = view
    coordinates."""

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
        self.guides = GuideItem(self.vp, self)
        self.overlay = OverlayItem(self.vp, self)

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        pass
