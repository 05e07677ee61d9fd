"""The painting tools panel: tool, brush size, intensity (a 0–10 ramp), quality, clear."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
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
from hipmap.i18n import _, pgettext
from hipmap.ui.diagram import QUALITY_STYLE, intensity_color, paint_mark_path
from hipmap.ui.tools.icons import quality_icon
from hipmap.ui.tools.state import TOOL_HELP, TOOLS, ToolState
from hipmap.ui.words import quality_name


class IntensityRamp(QWidget):
    """The 0-10 colour ramp with the chosen value outlined; click to choose."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 6
        self.setMinimumHeight(26)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(_("Pain intensity 0 (none) to 10 (worst imaginable)"))

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
        self.setAccessibleName(_("Painting tools"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 4)
        lay.setSpacing(4)

        def header(text: str) -> QLabel:
            label = QLabel(f"<b>{text}</b>")
            label.setContentsMargins(0, 4, 0, 0)
            return label

        lay.addWidget(header(_("Tool")))
        row = QHBoxLayout()
        row.setSpacing(4)
        self.tool_group = QButtonGroup(self)
        self.tool_buttons: dict[str, QToolButton] = {}
        for key, text in TOOLS.items():
            b = QToolButton()
            b.setText(str(text))
            b.setCheckable(True)
            b.setToolTip(str(TOOL_HELP[key]))
            b.setAccessibleName(_("{tool} tool").format(tool=text))
            b.setMinimumHeight(30)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.tool_group.addButton(b)
            self.tool_buttons[key] = b
            b.clicked.connect(lambda _c=False, k=key: self.state.set(tool=k))
            row.addWidget(b)
        lay.addLayout(row)

        g = QHBoxLayout()
        g.addWidget(QLabel("<b>{}</b>".format(_("Brush size"))))
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(4, 60)
        self.size_slider.setAccessibleName(_("Brush size"))
        self.size_slider.setToolTip(_("Brush diameter ([ and ] change it)"))
        self.size_slider.valueChanged.connect(lambda v: self.state.set(width=float(v)))
        g.addWidget(self.size_slider, 1)
        g.addWidget(BrushPreview(state))
        lay.addLayout(g)

        srow = QHBoxLayout()
        srow.addWidget(QLabel(_("<b>Pain intensity</b> (0–10)")))
        srow.addStretch(1)
        self.intensity_spin = QSpinBox()
        self.intensity_spin.setRange(0, 10)
        self.intensity_spin.setAccessibleName(_("Pain intensity, 0 to 10"))
        self.intensity_spin.valueChanged.connect(lambda v: self.state.set(intensity=v))
        srow.addWidget(self.intensity_spin)
        lay.addLayout(srow)
        self.ramp = IntensityRamp()
        self.ramp.picked.connect(lambda v: self.state.set(intensity=v))
        lay.addWidget(self.ramp)

        lay.addWidget(header(_("Quality")))
        grid = QGridLayout()
        grid.setSpacing(3)
        self.quality_group = QButtonGroup(self)
        self.quality_buttons: dict[str | None, QToolButton] = {}
        options: list[str | None] = [*QUALITIES, None]
        for i, q in enumerate(options):
            symbol = QUALITY_STYLE[q][1] if q else ""
            name = pgettext("quality", "none") if q is None else quality_name(q)
            b = QToolButton()
            b.setText(f"{symbol} {name}".strip())
            b.setIcon(quality_icon(q))
            b.setIconSize(QSize(18, 18))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setCheckable(True)
            b.setAccessibleName(_("Quality: {quality}").format(
                quality=_("not specified") if q is None else name))
            b.setToolTip(_("Quality not specified") if q is None else quality_name(q, full=True))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.quality_group.addButton(b)
            self.quality_buttons[q] = b
            b.clicked.connect(lambda _c=False, qq=q: self.state.set(quality=qq))
            grid.addWidget(b, i // 2, i % 2)
        lay.addLayout(grid)
        lay.addSpacing(4)

        row2 = QHBoxLayout()
        self.clear_view_button = QPushButton(_("Clear view"))
        self.clear_view_button.setAccessibleName(_("Clear the strokes of the last painted view"))
        self.clear_view_button.setToolTip(_("Remove every stroke on the view you last "
                                            "painted (undoable)"))
        self.clear_view_button.clicked.connect(self.clear_view_requested)
        self.clear_all_button = QPushButton(_("Clear all"))
        self.clear_all_button.setAccessibleName(_("Clear all marks"))
        self.clear_all_button.setToolTip(_("Remove every mark on every view (undoable)"))
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
