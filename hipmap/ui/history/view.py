"""A patient's history: the timeline of their visits, the before/after overlay of any two
(default: the last visit against the one before), the trend charts, and what changed in
words — the numbers of ``hipmap history`` (:func:`hipmap.storage.history.history`)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hipmap.i18n import _
from hipmap.report.palette import (
    HISTORY_AXIS,
    HISTORY_DOT,
    HISTORY_INTENSITY,
    HISTORY_NEW,
    HISTORY_PAPER,
    HISTORY_QUIET,
    HISTORY_RESOLVED,
    HISTORY_TEXT,
    URGENCY,
)
from hipmap.storage.history import GROUP_NAMES, changes, region_classes
from hipmap.ui.history.overlay import OverlayView


def short_date(iso: str) -> str:
    return iso[:10]


class Timeline(QWidget):
    """The visits on a line, oldest left, spaced by date; the two compared visits marked
    (before: a blue ring, after: an orange disc); click a visit to compare it with the one
    before it. Urgent and emergency visits are drawn in their urgency colour."""

    picked = Signal(int)  #: index of the visit clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visits: list[dict[str, Any]] = []
        self.before = self.after = -1
        self.setMinimumHeight(78)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Timeline of the patient's visits"))

    def set_visits(self, visits: list[dict[str, Any]]) -> None:
        self.visits = visits
        self.update()

    def set_pair(self, before: int, after: int) -> None:
        self.before, self.after = before, after
        self.update()

    def _xs(self) -> list[float]:
        from hipmap.storage.store import parse_time

        n = len(self.visits)
        if n == 0:
            return []
        times = [parse_time(v["date"]).timestamp() for v in self.visits]
        lo, hi = min(times), max(times)
        left, right = 40.0, self.width() - 40.0
        if hi - lo < 1:
            return [left + (right - left) * (i + 0.5) / n for i in range(n)]
        return [left + (right - left) * (t - lo) / (hi - lo) for t in times]

    def paintEvent(self, _ev: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(HISTORY_PAPER))
        y = 30.0
        p.setPen(QPen(QColor(HISTORY_AXIS), 2))
        p.drawLine(QPointF(30, y), QPointF(self.width() - 30, y))
        xs = self._xs()
        step = max(1, math.ceil(len(xs) * 90 / max(1, self.width())))  # labels that fit
        for i, (x, v) in enumerate(zip(xs, self.visits, strict=True)):
            urg = v.get("urgency")
            colour = QColor(URGENCY[urg][0]) if urg in ("emergency", "urgent") else \
                QColor(HISTORY_DOT)
            p.setPen(QPen(colour, 1.5))
            p.setBrush(colour)
            p.drawEllipse(QPointF(x, y), 5, 5)
            if i == self.after:
                p.setPen(QPen(QColor(HISTORY_NEW), 3))
                p.setBrush(QColor(HISTORY_NEW))
                p.drawEllipse(QPointF(x, y), 8, 8)
            if i == self.before:
                p.setPen(QPen(QColor(HISTORY_RESOLVED), 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(QPointF(x, y), 11, 11)
            if i % step == 0 or i in (self.before, self.after) or i == len(xs) - 1:
                p.setPen(QColor(HISTORY_TEXT))
                p.drawText(QRectF(x - 45, y + 13, 90, 16), Qt.AlignmentFlag.AlignCenter,
                           short_date(v["date"]))
                p.setPen(QColor(HISTORY_QUIET))
                p.drawText(QRectF(x - 45, y - 28, 90, 14), Qt.AlignmentFlag.AlignCenter,
                           _("visit {visit}").format(visit=v["visit"]))
        p.end()

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        xs = self._xs()
        if not xs:
            return
        x = ev.position().x()
        i = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
        if abs(xs[i] - x) <= 14:
            self.picked.emit(i)


class TrendCharts(QWidget):
    """Per visit: painted area per region group, the highest intensity, and the leading
    causes' scores (pyqtgraph, imported when the charts are first built)."""

    def __init__(self, kb: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # lazy: ~0.25 s, only when a history is opened

        self.pg = pg
        self.kb = kb
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.area = self._plot(_("Painted area by region (% of its skin)"))
        self.intensity = self._plot(_("Highest intensity (0–10)"))
        self.causes = self._plot(_("Leading causes (score %)"))
        for w in (self.area, self.intensity, self.causes):
            lay.addWidget(w)

    def _plot(self, title: str) -> Any:
        w = self.pg.PlotWidget(background="w")
        w.setTitle(title, color=HISTORY_TEXT, size="10pt")
        w.showGrid(y=True, alpha=0.25)
        w.addLegend(offset=(6, 2), labelTextColor=HISTORY_TEXT, labelTextSize="8pt",
                    colCount=4)
        w.setMinimumHeight(150)
        w.setMouseEnabled(False, False)
        w.hideButtons()
        return w

    def set_history(self, visits: list[dict[str, Any]]) -> None:
        from hipmap.knowledge.texts import cause_color, cause_short
        from hipmap.report.palette import HISTORY_GROUPS

        pg = self.pg
        xs = list(range(1, len(visits) + 1))
        ticks = [[(x, short_date(v["date"])[2:]) for x, v in zip(xs, visits, strict=True)]]
        for w in (self.area, self.intensity, self.causes):
            w.clear()
            w.getAxis("bottom").setTicks(ticks)
            w.setXRange(0.6, max(1, len(xs)) + 0.4, padding=0)
        symbols = ("o", "s", "t", "d")
        for (g, name), colour, sym in zip(GROUP_NAMES.items(), HISTORY_GROUPS, symbols,
                                          strict=True):
            ys = [100 * v["groups"][g]["area"] for v in visits]
            self.area.plot(xs, ys, pen=pg.mkPen(colour, width=2), symbol=sym,
                           symbolBrush=colour, symbolPen=colour, name=_(name))
        self.area.setYRange(0, max(5, max((100 * v["groups"][g]["area"] for v in visits
                                           for g in GROUP_NAMES), default=5)) * 1.4)
        top = [max((v["groups"][g]["intensity"] for g in GROUP_NAMES), default=0)
               for v in visits]
        self.intensity.plot(xs, top, pen=pg.mkPen(HISTORY_INTENSITY, width=2), symbol="o",
                            symbolBrush=HISTORY_INTENSITY, symbolPen=HISTORY_INTENSITY,
                            name=_("highest"))
        self.intensity.setYRange(0, 12.5)
        leading: list[str] = []
        for v in visits:
            for c in v["top_causes"]:
                if c["cause"] not in leading:
                    leading.append(c["cause"])
        for cause in leading[:6]:
            ys = [next((100 * (c["score"] or 0) for c in v["top_causes"]
                        if c["cause"] == cause), float("nan")) for v in visits]
            colour = cause_color(self.kb, cause)
            self.causes.plot(xs, ys, pen=pg.mkPen(colour, width=2), symbol="o",
                             symbolBrush=colour, symbolPen=colour, connect="finite",
                             name=cause_short(self.kb, cause))
        self.causes.setYRange(0, 125)


def change_lines(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed from one visit to another, in words (as ``hipmap history``)."""
    from hipmap.knowledge.texts import list_text, region_label

    ch = changes(before["regions"], after["regions"], before["visit"])
    out = []
    for key, word in (("new", _("New: {regions}")), ("resolved", _("Resolved: {regions}")),
                      ("unchanged", _("Still painted: {regions}"))):
        if ch[key]:
            out.append(word.format(regions=list_text([region_label(r, full=False)
                                                      for r in ch[key]])))
    if ch["intensity"]:
        out.append(_("Intensity: {changes}").format(changes=list_text([
            f"{region_label(c['id'], full=False)} {c['before']} → {c['after']}"
            for c in ch["intensity"]])))
    return out or [_("No change in the painted regions.")]


class HistoryView(QWidget):
    """Timeline above; overlay and trend charts side by side; the changes in words."""

    def __init__(self, kb: Any, atlas: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.data: dict[str, Any] = {"visits": []}
        lay = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.heading)
        self.timeline = Timeline()
        lay.addWidget(self.timeline)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Compare")))
        self.before_box = QComboBox()
        self.before_box.setAccessibleName(_("Before: the earlier visit"))
        self.after_box = QComboBox()
        self.after_box.setAccessibleName(_("After: the later visit"))
        row.addWidget(self.before_box)
        row.addWidget(QLabel(_("with")))
        row.addWidget(self.after_box)
        row.addStretch(1)
        lay.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.overlay = OverlayView(atlas)
        split.addWidget(self.overlay)
        self.charts: TrendCharts | None = None
        self._split = split
        lay.addWidget(split, 1)
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.changes)
        self.timeline.picked.connect(self._picked)
        self.before_box.currentIndexChanged.connect(lambda _i: self._compare())
        self.after_box.currentIndexChanged.connect(lambda _i: self._compare())

    def set_timeline(self, patient: str, visits: list[Any], current: int | None = None
                     ) -> None:
        """The timeline at once, from the visit list (``VisitSummary``, oldest first);
        the overlay and the charts follow with :meth:`set_history`."""
        from hipmap.storage.store import iso

        self.heading.setText("<b>{}</b>".format(_("Patient {patient} — {n} visits").format(
            patient=patient, n=len(visits))))
        self.timeline.set_visits([{"visit": v.visit, "date": iso(v.recorded_at),
                                   "urgency": v.urgency} for v in visits])
        ids = [v.visit for v in visits]
        after = ids.index(current) if current in ids else len(visits) - 1
        self.timeline.set_pair(after - 1 if after > 0 else -1, after)
        self.changes.setText(_("Loading the history…"))

    def set_history(self, data: dict[str, Any], *, charts: bool = True,
                    current: int | None = None) -> None:
        """``data``: :func:`hipmap.storage.history.history`. The visit ``current`` (the
        one open in the window; default: the last) is compared with the one before."""
        self.data = data
        visits = data["visits"]
        n = len(visits)
        self.heading.setText("<b>{}</b>".format(_("Patient {patient} — {n} visits").format(
            patient=data["patient"], n=n)))
        self.timeline.set_visits(visits)
        for box in (self.before_box, self.after_box):
            box.blockSignals(True)
            box.clear()
            for v in visits:
                box.addItem(_("visit {visit} — {date}").format(visit=v["visit"],
                                                               date=short_date(v["date"])))
            box.blockSignals(False)
        if n:
            ids = [v["visit"] for v in visits]
            after = ids.index(current) if current in ids else n - 1
            self.before_box.setCurrentIndex(max(0, after - 1))
            self.after_box.setCurrentIndex(after)
        if charts:
            if self.charts is None:
                self.charts = TrendCharts(self.kb)
                self._split.addWidget(self.charts)
                self._split.setSizes([560, 700])
            self.charts.set_history(visits)
        self._compare()

    def _picked(self, i: int) -> None:
        self.after_box.setCurrentIndex(i)
        self.before_box.setCurrentIndex(max(0, i - 1))

    def _compare(self) -> None:
        visits = self.data["visits"]
        b, a = self.before_box.currentIndex(), self.after_box.currentIndex()
        if not visits or a < 0 or b < 0:
            self.overlay.set_classes({}, _("No visits"))
            self.changes.clear()
            return
        before, after = visits[b], visits[a]
        self.timeline.set_pair(b, a)
        if b == a:
            title = _("Visit {visit} ({date}) — choose an earlier visit to compare").format(
                visit=after["visit"], date=short_date(after["date"]))
        else:
            title = _("Visit {before} ({bdate}) → visit {after} ({adate})").format(
                before=before["visit"], bdate=short_date(before["date"]),
                after=after["visit"], adate=short_date(after["date"]))
        self.overlay.set_classes(region_classes(before["regions"], after["regions"]), title)
        self.changes.setText("\n".join(change_lines(before, after)))


class HistoryDialog(QDialog):
    """The history view in a window of its own (Record > Patient History)."""

    def __init__(self, kb: Any, atlas: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Patient history"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.view = HistoryView(kb, atlas)
        lay.addWidget(self.view)
        self.resize(1366, 768)
