"""The first frame of the app: the front and back diagrams from the bundled SVGs.

Drawing them needs no geometry stack (numpy, shapely), so the window can appear in a fraction
of the start-up time and show the diagram — with the patient's RIGHT and LEFT — while the
rest loads. The SVGs are generated from the same atlas as the canvas (tools/build_atlas.py).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hipmap.i18n import _
from hipmap.paths import assets_dir

BACKGROUND = QColor("#faf8f5")
GAP = 40.0


class DiagramPreview(QWidget):
    def __init__(self, views: tuple[str, ...] = ("front", "back"),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        folder = assets_dir() / "diagram"
        self.renderers = [QSvgRenderer(str(folder / f"{v}.svg")) for v in views]
        self.setAccessibleName(_("Body diagram (loading)"))

    def paintEvent(self, _ev: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        sizes = [r.viewBoxF().size() for r in self.renderers]
        total_w = sum(s.width() for s in sizes) + GAP * (len(sizes) + 1)
        total_h = max(s.height() for s in sizes) + 2 * GAP
        scale = min(self.width() / total_w, self.height() / total_h)
        x = (self.width() - total_w * scale) / 2 + GAP * scale
        y = (self.height() - total_h * scale) / 2 + GAP * scale
        for r, s in zip(self.renderers, sizes, strict=True):
            r.render(p, QRectF(x, y, s.width() * scale, s.height() * scale))
            x += (s.width() + GAP) * scale
        p.end()


def loading_layout(left_width: int = 300, right_width: int = 420, top_height: int = 40
                   ) -> QWidget:
    """The window's central area while loading: the diagram where the canvas will be (below
    a strip where the patient and view bar will be, beside the tool and assessment columns)."""
    w = QWidget()
    outer = QVBoxLayout(w)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    top = QLabel()
    top.setFixedHeight(top_height)
    _fill(top, "#eef2f7")  # palettes, not style sheets: no style-sheet engine before frame 1
    outer.addWidget(top)
    lay = QHBoxLayout()
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    outer.addLayout(lay, 1)
    for width, text in ((left_width, ""), (None, None), (right_width, _("Loading…"))):
        if width is None:
            lay.addWidget(DiagramPreview(), 1)
            continue
        side = QLabel(text)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setFixedWidth(width)
        side.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        side.setContentsMargins(0, 40, 0, 0)
        _fill(side, "#f2f2f2", "#777777")
        lay.addWidget(side)
    return w


def _fill(widget: QWidget, background: str, text: str | None = None) -> None:
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(background))
    if text:
        pal.setColor(QPalette.ColorRole.WindowText, QColor(text))
    widget.setPalette(pal)
    widget.setAutoFillBackground(True)
