"""The painting tools: brush / eraser / tap a region, brush size, intensity and quality."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.ids import QUALITIES
from hipmap.ui.diagram import QUALITY_STYLE, intensity_color, paint_mark_path

TOOLS = {"brush": "Brush", "eraser": "Eraser", "tap": "Tap a region"}
TOOL_KEYS = {"brush": "B", "eraser": "E", "tap": "T"}
TOOL_HELP = {
    "brush": "Paint where it hurts (B)",
    "eraser": "Rub out painted strokes (E)",
    "tap": "Tap a region to fill all of it; tap a filled region to empty it (T)",
}


class ToolState(QObject):
    """What the next stroke will be. The canvas reads it; the panel edits it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.tool = "brush"
        self.width = 18.0
        self.intensity = 6
        self.quality: str | None = None

    def set(self, **kw: object) -> None:
        dirty = False
        for k, v in kw.items():
            if getattr(self, k) != v:
                setattr(self, k, v)
                dirty = True
        if dirty:
            self.changed.emit()


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


class IntensityRamp(QWidget):
    """The 0-10 colour ramp with the chosen value outlined; click to choose."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 6
        self.setMinimumHeight(26)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Pain intensity 0 (none) to 10 (worst imaginable)")

    def sizeHint(self) -> QSize:
        return QSize(200, 26)

    def set_value(self, v: int) -> None:
        self.value = v
        self.update()

    def _cell(self) -> float:
        return (self.width() - 2) / 11.0

    def mousePressEvent(self, ev) -> None:
        i = int(ev.position().x() / self._cell())
        self.picked.emit(max(0, min(10, i)))

    def paintEvent(self, _ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = self._cell()
        h = self.height() - 2
        font = p.font()
        font.setPixelSize(11)
        p.setFont(font)
        for i in range(11):
            r = QRectF(1 + i * w, 1, w, h)
            p.setPen(QPen(QColor("#999"), 0.5))
            p.setBrush(intensity_color(i))
            p.drawRect(r)
            p.setPen(QColor("#fff") if i >= 7 else QColor("#222"))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(i))
        r = QRectF(1 + self.value * w, 1, w, h)
        p.setPen(QPen(QColor("#1d3557"), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5))
        p.end()


class BrushPreview(QWidget):
    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setFixedSize(34, 34)
        state.changed.connect(self.update)

    def paintEvent(self, _ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        d = max(3.0, min(32.0, self.state.width * 0.5))
        path = QPainterPath()
        path.addEllipse(QPointF(17, 17), d / 2, d / 2)
        if self.state.tool == "eraser":
            p.setPen(QPen(QColor("#555"), 1.2, Qt.PenStyle.DashLine))
            p.drawPath(path)
        else:
            paint_mark_path(p, path, self.state.intensity, self.state.quality, alpha=255)
        p.end()


class ToolsPanel(QWidget):
    """Left column: tool, size, intensity, quality, clear buttons."""

    clear_view_requested = Signal()
    clear_all_requested = Signal()

    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setAccessibleName("Painting tools")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 4)
        lay.setSpacing(4)

        def header(text: str) -> QLabel:
            label = QLabel(f"<b>{text}</b>")
            label.setContentsMargins(0, 4, 0, 0)
            return label

        lay.addWidget(header("Tool"))
        row = QHBoxLayout()
        row.setSpacing(4)
        self.tool_group = QButtonGroup(self)
        self.tool_buttons: dict[str, QToolButton] = {}
        for key, text in TOOLS.items():
            b = QToolButton()
            b.setText(text)
            b.setCheckable(True)
            b.setToolTip(TOOL_HELP[key])
            b.setAccessibleName(f"{text} tool")
            b.setMinimumHeight(30)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.tool_group.addButton(b)
            self.tool_buttons[key] = b
            b.clicked.connect(lambda _c=False, k=key: self.state.set(tool=k))
            row.addWidget(b)
        lay.addLayout(row)

        g = QHBoxLayout()
        g.addWidget(QLabel("<b>Brush size</b>"))
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(4, 60)
        self.size_slider.setAccessibleName("Brush size")
        self.size_slider.setToolTip("Brush diameter ([ and ] change it)")
        self.size_slider.valueChanged.connect(lambda v: self.state.set(width=float(v)))
        g.addWidget(self.size_slider, 1)
        g.addWidget(BrushPreview(state))
        lay.addLayout(g)

        srow = QHBoxLayout()
        srow.addWidget(QLabel("<b>Pain intensity</b> (0–10)"))
        srow.addStretch(1)
        self.intensity_spin = QSpinBox()
        self.intensity_spin.setRange(0, 10)
        self.intensity_spin.setAccessibleName("Pain intensity, 0 to 10")
        self.intensity_spin.valueChanged.connect(lambda v: self.state.set(intensity=v))
        srow.addWidget(self.intensity_spin)
        lay.addLayout(srow)
        self.ramp = IntensityRamp()
        self.ramp.picked.connect(lambda v: self.state.set(intensity=v))
        lay.addWidget(self.ramp)

        lay.addWidget(header("Quality"))
        grid = QGridLayout()
        grid.setSpacing(3)
        self.quality_group = QButtonGroup(self)
        self.quality_buttons: dict[str | None, QToolButton] = {}
        options: list[str | None] = [*QUALITIES, None]
        for i, q in enumerate(options):
            symbol = QUALITY_STYLE[q][1] if q else ""
            name = "none" if q is None else QUALITIES[q].split(" (")[0]
            b = QToolButton()
            b.setText(f"{symbol} {name}".strip())
            b.setIcon(quality_icon(q))
            b.setIconSize(QSize(18, 18))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setCheckable(True)
            b.setAccessibleName(f"Quality: {'not specified' if q is None else name}")
            b.setToolTip(QUALITIES.get(q or "", "Quality not specified"))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.quality_group.addButton(b)
            self.quality_buttons[q] = b
            b.clicked.connect(lambda _c=False, qq=q: self.state.set(quality=qq))
            grid.addWidget(b, i // 2, i % 2)
        lay.addLayout(grid)
        lay.addSpacing(4)

        row2 = QHBoxLayout()
        self.clear_view_button = QPushButton("Clear view")
        self.clear_view_button.setAccessibleName("Clear the strokes of the last painted view")
        self.clear_view_button.setToolTip("Remove every stroke on the view you last painted "
                                          "(undoable)")
        self.clear_view_button.clicked.connect(self.clear_view_requested)
        self.clear_all_button = QPushButton("Clear all")
        self.clear_all_button.setAccessibleName("Clear all marks")
        self.clear_all_button.setToolTip("Remove every mark on every view (undoable)")
        self.clear_all_button.clicked.connect(self.clear_all_requested)
        row2.addWidget(self.clear_view_button)
        row2.addWidget(self.clear_all_button)
        lay.addLayout(row2)

        state.changed.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        s = self.state
        self.tool_buttons[s.tool].setChecked(True)
        if self.size_slider.value() != round(s.width):
            self.size_slider.setValue(round(s.width))
        if self.intensity_spin.value() != s.intensity:
            self.intensity_spin.setValue(s.intensity)
        self.ramp.set_value(s.intensity)
        self.quality_buttons[s.quality].setChecked(True)
        for q, b in self.quality_buttons.items():
            b.setIcon(quality_icon(q, s.intensity))
