"""The ranking chart: horizontal bars, best first, in each cause's colour.

pyqtgraph costs about half a second to import, so it is imported only when the chart is
built (after the window is first shown), never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hipmap.core.ids import OTHER
from hipmap.i18n import _
from hipmap.knowledge.base import KnowledgeBase
from hipmap.knowledge.matcher import Ranked
from hipmap.knowledge.texts import cause_color, cause_short, percent_text
from hipmap.ui.words import tr

#: Bars on the chart: the best causes, and `other` always (a picture that fits nothing must
#: show it). The rest are listed in the Cause box and summarised under the chart.
MAX_BARS = 8
#: the width of the causes' names beside the bars (wider when a language needs it)
NAMES_WIDTH = 160


def chart_rows(ranking: Sequence[Ranked], limit: int = MAX_BARS) -> list[Ranked]:
    """The ranking entries the chart shows, best first, ``other`` always among them."""
    rows = list(ranking[:limit])
    if not any(r.cause == OTHER for r in rows):
        rest = [r for r in ranking if r.cause == OTHER]
        rows = rows[:limit - len(rest)] + rest
    return rows


class RankingChart(QWidget):
    """Horizontal bars, best first, in each cause's colour (``other`` grey), with the score
    as a percentage; click a bar to select its cause. Driven by the knowledge base: as many
    bars as ranked causes."""

    clicked = Signal(str)

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # lazy: see the module docstring

        self._pg = pg
        self.kb = kb
        n = min(MAX_BARS, len(kb.causes) + (1 if kb.other is not None else 0))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAccessibleName(_("Ranking of candidate causes (chart)"))
        self.plot.setMinimumHeight(170)
        self.plot.setMaximumHeight(230)
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.invertY(True)
        item.setXRange(0, 1.22, padding=0)
        item.setYRange(-0.6, n - 0.4, padding=0)
        item.showGrid(x=True, y=False, alpha=0.25)
        left = item.getAxis("left")
        left.setWidth(NAMES_WIDTH)
        left.setStyle(tickLength=0)
        left.setTextPen(pg.mkPen("#222"))
        bottom = item.getAxis("bottom")
        bottom.setTicks([[(v / 4, f"{v * 25} %") for v in range(5)]])
        bottom.setTextPen(pg.mkPen("#555"))
        bottom.setLabel(_("probability"))
        self.bars = pg.BarGraphItem(x0=[0] * n, y=list(range(n)), height=0.68, width=[0] * n,
                                    brushes=[QColor("#9db7d5")] * n, pens=[pg.mkPen(None)] * n)
        item.addItem(self.bars)
        self.texts = []
        for i in range(n):
            t = pg.TextItem("", color="#222", anchor=(0, 0.5))
            t.setPos(0, i)
            item.addItem(t)
            self.texts.append(t)
        self.order: list[str] = [*kb.causes, OTHER][:n]
        self._names: tuple[str, ...] = ()
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        lay.addWidget(self.plot)

    def set_ranking(self, ranking: Sequence[Ranked], selected: str | None) -> None:
        pg = self._pg
        rows = chart_rows(ranking, len(self.texts))
        self.order = [r.cause for r in rows]
        scores = [float(r.score) for r in rows]
        brushes = [QColor(cause_color(self.kb, c)) for c in self.order]
        pens = [pg.mkPen("#111", width=2.5) if c == selected else pg.mkPen(None)
                for c in self.order]
        self.bars.setOpts(width=scores, brushes=brushes, pens=pens)
        for i, (t, s) in enumerate(zip(self.texts, scores, strict=False)):
            t.setText(percent_text(s))
            t.setPos(s + 0.01, i)
        ticks = [(i, ("▶ " if c == selected else "") + tr(cause_short(self.kb, c)))
                 for i, c in enumerate(self.order)]
        left = self.plot.getPlotItem().getAxis("left")
        left.setTicks([ticks])
        names = tuple(t for _i, t in ticks)
        if names != self._names:  # the order or the selection changed
            self._names = names
            # a longer name (another language) widens the names' column rather than vanish
            # (pyqtgraph leaves out a label that does not fit); at most half the chart
            fm = QFontMetrics(left.style.get("tickFont") or self.plot.font())
            need = max((fm.horizontalAdvance(t) for t in names), default=0) + 14
            width = max(NAMES_WIDTH, min(need, self.plot.width() // 2 or need))
            if round(left.width()) != width:
                left.setWidth(width)

    def _clicked(self, ev: Any) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        pt = vb.mapSceneToView(ev.scenePos())
        i = round(pt.y())
        if 0 <= i < len(self.order):
            self.clicked.emit(self.order[i])
