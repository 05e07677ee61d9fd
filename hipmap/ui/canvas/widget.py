"""The body-map canvas: a QGraphicsView with one item group per diagram view.

Per pointer move the canvas only extends the live path item (no geometry, no assessment);
the finished stroke becomes one ``AddStroke`` edit; the eraser and taps are built by the
Qt-free builders of :mod:`hipmap.model.builders`. Committed marks of a view are painted by a
single cached layer item (:mod:`.items`), so a live stroke repaints over pixmaps, not over
500 paths. The labels pinned at a fixed screen size are drawn by :mod:`.labels`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QToolTip,
    QWidget,
)

from hipmap.core.document import Stroke
from hipmap.geometry.atlas import Atlas, load_atlas
from hipmap.i18n import _, lazy_gettext
from hipmap.knowledge.texts import region_name
from hipmap.model.builders import erase_along, tap_region
from hipmap.model.drawing import Change, ChangeKind
from hipmap.model.edits import AddStroke
from hipmap.ui.canvas.headings import draw_small_labels
from hipmap.ui.canvas.items import ViewGroup
from hipmap.ui.canvas.labels import (
    atlas_label_boxes,
    draw_guide_names,
    draw_live_list,
    draw_region_names,
    draw_side_pins,
)
from hipmap.ui.commands import Editor
from hipmap.ui.diagram import intensity_color
from hipmap.ui.tools import ToolState

GAP = 50.0
VIEW_MODES: dict[str, tuple[str, ...]] = {
    "front_back": ("front", "back"),
    "sides": ("right_side", "left_side"),
    "all": ("front", "back", "right_side", "left_side"),
}
#: the view modes as the view bar and the View menu name them ('&&': a literal '&')
MODE_NAMES = {"front_back": lazy_gettext("Front && back"), "sides": lazy_gettext("Sides"),
              "all": lazy_gettext("All four")}
MIN_STEP = 0.75  # diagram units between recorded points


class BodyCanvas(QGraphicsView):
    """Paint with mouse, touch or pen; pinch, wheel or keys to zoom; middle-drag to pan."""

    mode_changed = Signal(str)
    zoom_changed = Signal(float)
    message = Signal(str)
    guides_changed = Signal(bool)

    def __init__(self, editor: Editor, tools: ToolState, atlas: Atlas | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.tools = tools
        self.atlas = atlas or load_atlas()
        self.setAccessibleName(_("Body map: paint where it hurts"))
        self.setAccessibleDescription(
            _("Drawing area. Use the region list beside it to mark regions with the keyboard."))
        self.setScene(QGraphicsScene(self))
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.scene().setBackgroundBrush(QColor("#fbfaf8"))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.viewport().installEventFilter(self)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self._hover_region: str | None = None
        #: region guides: every region outlined and named (the View menu's toggle, G)
        self.guides_on = False
        #: the regions the live stroke is covering, in the order it reached them
        self.live_regions: list[str] = []
        self.live_point: QPointF | None = None  # where the live stroke began (viewport)
        self._live_at = (0.0, 0.0)  # where the live preview last looked (diagram units)
        #: what the last frame drew over the scene: the regions named, the sides pinned
        self.names_drawn: list[str] = []
        self.guide_names: list[str] = []  # the regions the guides named (hover first)
        self.guide_boxes: list[tuple[str, QRectF]] = []  # ... and where, on the viewport
        self.live_list: list[str] = []  # the lines of the live preview's list
        self.pinned: list[tuple[str, QRectF]] = []
        self.small_labels: list[tuple[str, QRectF]] = []
        self.groups: dict[str, ViewGroup] = {}
        for name, va in self.atlas.views.items():
            g = ViewGroup(va)
            self.scene().addItem(g)
            self.groups[name] = g
        self.live = QGraphicsPathItem()
        self.live.setZValue(10)
        self.live.setVisible(False)
        self.scene().addItem(self.live)
        self.mode = ""
        self.dermatomes = False
        self.active_view = "back"
        self._auto_fit = True
        self._fit_scale = 1.0
        # live-stroke state
        self._group: ViewGroup | None = None
        self._points: list[tuple[float, float]] = []
        self._path = QPainterPath()
        self._inv = QTransform()
        self._origin = QPointF()
        self._pan_from: QPoint | None = None
        self._space = False
        self._pinch: tuple[float, QPointF] | None = None
        self._rebuild_marks()
        editor.model.subscribe(self._on_change)
        self.set_mode("front_back")

    # ------------------------------------------------------------------ layout
    def set_mode(self, mode: str) -> None:
        if mode not in VIEW_MODES or mode == self.mode:
            return
        self.mode = mode
        x = 0.0
        shown = VIEW_MODES[mode]
        for name, g in self.groups.items():
            g.setVisible(name in shown)
        for name in shown:
            g = self.groups[name]
            g.setPos(x, 0)
            x += g.view.width + GAP
        rect = QRectF(-GAP / 2, -10, x, 1020)
        self.scene().setSceneRect(rect)
        if self.active_view not in shown:
            self.active_view = shown[-1] if mode == "front_back" else shown[0]
        self._auto_fit = True
        self.fit()
        self.mode_changed.emit(mode)

    def visible_views(self) -> tuple[str, ...]:
        return VIEW_MODES[self.mode]

    def fit(self) -> None:
        self._auto_fit = True
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._fit_scale = self.transform().m11()
        self.zoom_changed.emit(1.0)

    def zoom_factor(self) -> float:
        return self.transform().m11() / self._fit_scale if self._fit_scale else 1.0

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        current = self.zoom_factor()
        target = min(max(current * factor, 0.5), 12.0)
        factor = target / current
        if abs(factor - 1.0) < 1e-6:
            return
        self._auto_fit = False
        if anchor is not None:
            before = self.mapToScene(anchor.toPoint())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(factor, factor)
            after = self.mapToScene(anchor.toPoint())
            d = after - before
            self.translate(d.x(), d.y())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        else:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(factor, factor)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.zoom_factor())

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if self._auto_fit:
            self.fit()

    def set_dermatomes(self, on: bool) -> None:
        self.dermatomes = on
        self._update_overlay()

    def set_guides(self, on: bool) -> None:
        """Region guides: every region outlined faintly and named (at a readable zoom)."""
        if on == self.guides_on:
            return
        self.guides_on = on
        for g in self.groups.values():
            g.guides.set_state(all_regions=on)
        self.viewport().update()
        self.guides_changed.emit(on)

    def hover_region(self) -> str | None:
        """The region under the pointer before painting (outlined and named)."""
        return self._hover_region

    def set_territory(self, weights: Mapping[str, float]) -> None:
        for g in self.groups.values():
            g.territory.set_weights(weights)

    # ------------------------------------------------------------------ model
    def _rebuild_marks(self) -> None:
        for g in self.groups.values():
            g.marks.clear()
        for mid, mark in self.editor.model.marks.items():
            for g in self.groups.values():
                g.marks.add(mid, mark)
        self._update_overlay()

    def _on_change(self, change: Change) -> None:
        if change.kind is ChangeKind.RESET:
            self._rebuild_marks()
            return
        if change.kind is not ChangeKind.MARKS:
            return
        for mid in change.removed:  # each layer repaints only what changed (its own update)
            for g in self.groups.values():
                g.marks.remove(mid)
        marks = self.editor.model.marks
        for mid in change.added:
            for g in self.groups.values():
                g.marks.add(mid, marks[mid])
        self._update_overlay()

    def _update_overlay(self) -> None:
        covered = {rid: c.coverage for rid, c in self.editor.model.coverage.regions().items()
                   if c.coverage > 0}
        for g in self.groups.values():
            g.overlay.set_state(covered, self.dermatomes)

    # ------------------------------------------------------------------ coordinates
    def group_at(self, scene_pt: QPointF) -> ViewGroup | None:
        for name in self.visible_views():
            g = self.groups[name]
            if g.sceneBoundingRect().contains(scene_pt):
                return g
        return None

    def viewport_point(self, view: str, x: float, y: float) -> QPoint:
        """Where diagram point (x, y) of ``view`` is on the viewport (tests, self-test)."""
        return self.mapFromScene(self.groups[view].mapToScene(QPointF(x, y)))

    # ------------------------------------------------------------------ painting
    def begin_stroke(self, pos: QPointF) -> bool:
        self._inv = self.viewportTransform().inverted()[0]
        scene_pt = self._inv.map(pos)
        g = self.group_at(scene_pt)
        if g is None:
            return False
        self._group = g
        self.active_view = g.view.name
        self._origin = g.pos()
        local = scene_pt - self._origin
        self._points = [(local.x(), local.y())]
        self._set_hover(None)
        self.live_point = QPointF(pos)
        tool = self.tools.tool
        if tool != "eraser":
            self._track_live(local.x(), local.y())
        if tool == "tap":
            return True
        w = self.tools.width
        if tool == "eraser":
            pen = QPen(QColor(90, 90, 90, 110), w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
        else:
            pen = QPen(intensity_color(self.tools.intensity, 200), w, Qt.PenStyle.SolidLine,
                       Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        self.live.setPen(pen)
        self._path = QPainterPath(scene_pt)
        self._path.lineTo(scene_pt + QPointF(0.01, 0))  # a dab shows as a dot
        self.live.setPath(self._path)
        self.live.setVisible(True)
        return True

    def move_stroke(self, pos: QPointF) -> None:
        """The hot path: map, append, extend the live path. Nothing else."""
        if self._group is None:
            return
        scene_pt = self._inv.map(pos)
        x, y = scene_pt.x() - self._origin.x(), scene_pt.y() - self._origin.y()
        lx, ly = self._points[-1]
        if abs(x - lx) + abs(y - ly) < MIN_STEP:
            return
        self._points.append((x, y))
        if self.tools.tool != "tap":
            self._path.lineTo(scene_pt)
            self.live.setPath(self._path)
        if self.tools.tool == "brush":
            self._track_live(x, y)

    def end_stroke(self, pos: QPointF | None = None) -> None:
        if self._group is None:
            return
        if pos is not None:
            self.move_stroke(pos)
        g, points = self._group, self._points
        self._group, self._points = None, []
        self._set_live([])
        self.live.setVisible(False)
        self.live.setPath(QPainterPath())
        tool = self.tools.tool
        view = g.view.name
        pts = tuple((round(x, 1), round(y, 1)) for x, y in points)
        if tool == "brush":
            stroke = Stroke(view=view, points=pts, width=float(self.tools.width),
                            intensity=float(self.tools.intensity), quality=self.tools.quality)
            self.editor.push(AddStroke(_("Stroke"), [stroke]))  # named once painted
        elif tool == "eraser":
            self.erase(view, pts, float(self.tools.width))
        elif tool == "tap":
            self.tap(view, *pts[-1])

    def cancel_stroke(self) -> None:
        self._group, self._points = None, []
        self._set_live([])
        self.live.setVisible(False)

    def _track_live(self, x: float, y: float) -> None:
        """The live preview: the regions under the stroke's centre and edges at this point
        (a few point-in-region look-ups; the coverage itself is computed at the stroke's end).
        Repaints only when the stroke reaches a new region."""
        g = self._group
        if g is None:
            return
        r = self.tools.width * 0.45 if self.tools.tool == "brush" else 0.0
        if self.live_regions and abs(x - self._live_at[0]) + abs(y - self._live_at[1]) \
                < max(2.0, r * 0.5):
            return  # close to the last look-up: the same regions (fewer queries per move)
        self._live_at = (x, y)
        found = False
        for dx, dy in ((0.0, 0.0), (r, 0.0), (-r, 0.0), (0.0, r), (0.0, -r)):
            rid = g.view.region_at(x + dx, y + dy)
            if rid is not None and rid not in self.live_regions:
                self.live_regions.append(rid)
                found = True
            if not r:
                break
        if found:
            g.guides.set_state(live=tuple(self.live_regions))
            self.viewport().update()  # the names and the list over the diagram

    def _set_live(self, regions: list[str]) -> None:
        if not regions and not self.live_regions:
            return
        self.live_regions = list(regions)
        for g in self.groups.values():
            g.guides.set_state(live=tuple(regions))
        self.viewport().update()

    def _set_hover(self, rid: str | None, group: ViewGroup | None = None) -> None:
        if rid == self._hover_region and (
                rid is None or (group is not None and group.guides.hover == rid)):
            return
        self._hover_region = rid
        for g in self.groups.values():
            g.guides.set_state(hover=rid if g is group else None)
        self.viewport().update()

    def erase(self, view: str, points: Sequence[tuple[float, float]], width: float) -> bool:
        edit = erase_along(self.editor.model, view, points, width)
        if edit is None:
            return False
        self.editor.push(edit)
        return True

    def tap(self, view: str, x: float, y: float) -> str | None:
        rid = self.groups[view].view.region_at(x, y)
        if rid is None:
            self.message.emit(_("Tap inside the body outline to fill a region."))
            return None
        self.editor.push(tap_region(self.editor.model, rid, self.tools.intensity,
                                    self.tools.quality))
        return rid

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, ev: QMouseEvent) -> None:
        if ev.button() == Qt.MouseButton.MiddleButton or (
                ev.button() == Qt.MouseButton.LeftButton and self._space):
            self._pan_from = ev.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            ev.accept()
            return
        if ev.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(ev.position())
            ev.accept()
            return
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:
        if self._pan_from is not None:
            d = ev.position().toPoint() - self._pan_from
            self._pan_from = ev.position().toPoint()
            self.pan_by(-d.x(), -d.y())
            return
        if self._group is not None:
            self.move_stroke(ev.position())
        elif ev.buttons() == Qt.MouseButton.NoButton:
            self._hover(ev.position(), ev.globalPosition().toPoint())

    def _hover(self, pos: QPointF, global_pos: QPoint) -> None:
        """Name the region under the pointer (the patient's side first)."""
        scene_pt = self.mapToScene(pos.toPoint())
        g = self.group_at(scene_pt)
        rid = None
        if g is not None:
            local = scene_pt - g.pos()
            rid = g.view.region_at(local.x(), local.y())
        if rid == self._hover_region and (rid is None or g.guides.hover == rid):
            return
        self._set_hover(rid, g)
        if rid is None:
            QToolTip.hideText()
            return
        text = (_("Patient's RIGHT {region}") if rid.startswith("right.")
                else _("Patient's LEFT {region}")).format(region=region_name(rid, full=True))
        QToolTip.showText(global_pos, text,
                          self.viewport())

    def leaveEvent(self, ev: QEvent) -> None:
        if self._group is None:
            self._set_hover(None)
        super().leaveEvent(ev)

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            return
        if ev.button() == Qt.MouseButton.LeftButton:
            self.end_stroke(ev.position())

    def pan_by(self, dx: float, dy: float) -> None:
        self._auto_fit = False
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(dx))
        v.setValue(v.value() + round(dy))

    def wheelEvent(self, ev: QWheelEvent) -> None:
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(ev)  # shift+wheel scrolls
            return
        dy = ev.angleDelta().y() or ev.pixelDelta().y()
        if dy:
            self.zoom_by(1.0015 ** dy, ev.position())
        ev.accept()

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        key = ev.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_Space and not ev.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_Escape and self._group is not None:
            self.cancel_stroke()
        else:
            super().keyPressEvent(ev)

    def keyReleaseEvent(self, ev: QKeyEvent) -> None:
        if ev.key() == Qt.Key.Key_Space and not ev.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
        else:
            super().keyReleaseEvent(ev)

    # ------------------------------------------------------------------ touch, pen, gestures
    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        """Touch, pen and native gestures on the viewport (installed on the viewport:
        QGraphicsView would otherwise hand them to the scene or turn them into mice)."""
        if obj is self.viewport() and self._pointer_event(ev):
            return True
        return super().eventFilter(obj, ev)

    def _pointer_event(self, ev: QEvent) -> bool:
        t = ev.type()
        if t in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                 QEvent.Type.TouchCancel):
            self._touch(ev)
            ev.accept()
            return True
        if t in (QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.TabletRelease):
            pos = ev.position()  # type: ignore[attr-defined]
            if t == QEvent.Type.TabletPress:
                self.begin_stroke(pos)
            elif t == QEvent.Type.TabletMove:
                self.move_stroke(pos)
            else:
                self.end_stroke(pos)
            ev.accept()
            return True
        if t == QEvent.Type.NativeGesture and \
                ev.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:  # type: ignore
            self.zoom_by(1.0 + ev.value(), ev.position())  # type: ignore[attr-defined]
            return True
        return False

    def _touch(self, ev: QEvent) -> None:
        pts = ev.points()  # type: ignore[attr-defined]
        t = ev.type()
        if t == QEvent.Type.TouchCancel:
            self.cancel_stroke()
            self._pinch = None
            return
        if len(pts) >= 2:
            if self._group is not None:
                self.cancel_stroke()  # a second finger turns the stroke into a pinch
            a, b = pts[0].position(), pts[1].position()
            dist = math.hypot(a.x() - b.x(), a.y() - b.y())
            center = (a + b) / 2
            if self._pinch is not None and self._pinch[0] > 0:
                last_dist, last_center = self._pinch
                if dist > 0:
                    self.zoom_by(dist / last_dist, center)
                d = center - last_center
                self.pan_by(-d.x(), -d.y())
            self._pinch = (dist, center)
            if t == QEvent.Type.TouchEnd:
                self._pinch = None
            return
        if self._pinch is not None:  # lifting one finger after a pinch does not paint
            if t == QEvent.Type.TouchEnd:
                self._pinch = None
            return
        pos = pts[0].position()
        if t == QEvent.Type.TouchBegin:
            self.begin_stroke(pos)
        elif t == QEvent.Type.TouchUpdate:
            self.move_stroke(pos)
        else:
            self.end_stroke(pos)

    # ------------------------------------------------------------------ fixed side labels
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.viewport().update()  # the pinned labels do not scroll with the scene

    def drawForeground(self, p: QPainter, _rect: QRectF) -> None:
        vp_rect = QRectF(self.viewport().rect())
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.small_labels = draw_small_labels(self, p, vp_rect)  # (headings, issue 12)
        # names never hide the patient's RIGHT/LEFT, nor the headings redrawn readable
        taken = atlas_label_boxes(self) + [box for _text, box in self.small_labels]
        self.names_drawn = draw_region_names(self, p, vp_rect, taken)
        self.guide_boxes = draw_guide_names(self, p, vp_rect, taken)
        self.guide_names = [rid for rid, _box in self.guide_boxes]
        self.live_list = draw_live_list(self, p, vp_rect)
        self.pinned = draw_side_pins(self, p, vp_rect)
        p.restore()
