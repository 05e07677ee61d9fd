"""The assessment column: urgency, "ask next", the ranking chart, evidence and sources.

pyqtgraph costs about half a second to import, so it is imported only when the chart is
built (after the window is first shown), never when this module is imported.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.ids import ANSWERS, OTHER, SIDES
from hipmap.knowledge.assessment import headline, headline_detail, verdict_style
from hipmap.knowledge.base import KnowledgeBase
from hipmap.knowledge.texts import (
    cause_color,
    cause_name,
    cause_short,
    effect_text,
    percent_text,
    sentence,
)

#: The headline box per verdict_style(): background, text. "neutral" (nothing recorded,
#: red-flag screening incomplete) is neither green nor red: no verdict is given yet.
URGENCY_STYLE = {
    "emergency": ("#b00020", "#ffffff"),
    "urgent": ("#e65100", "#ffffff"),
    "see_clinician": ("#1f5f99", "#ffffff"),
    "self_care": ("#2e7d32", "#ffffff"),
    "neutral": ("#e9ecef", "#222222"),
}
NUMBER_MAX = {"age": 130, "duration_days": 36500}
NUMBER_SUFFIX = {"age": " years", "duration_days": " days"}
ASK_NEXT_SHOWN = 3
#: Bars on the chart: the best causes, and `other` always (a picture that fits nothing must
#: show it). The rest are listed in the Cause box and summarised under the chart.
MAX_BARS = 8


def chart_rows(ranking: list[dict[str, Any]], limit: int = MAX_BARS) -> list[dict[str, Any]]:
    """The ranking entries the chart shows, best first, ``other`` always among them."""
    rows = list(ranking[:limit])
    if not any(r["cause"] == OTHER for r in rows):
        rest = [r for r in ranking if r["cause"] == OTHER]
        rows = rows[:limit - len(rest)] + rest
    return rows


def territory_weights(kb: KnowledgeBase, cause: str) -> dict[str, float]:
    """A cause's referral territory, P(region painted | cause), on both sides' region ids.
    ``other`` has none to show."""
    if cause == OTHER or cause not in kb.causes:
        return {}
    return {f"{side}.{base}": t.p for base, t in kb.causes[cause].territory.items()
            for side in SIDES}


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
        self.plot.setAccessibleName("Ranking of candidate causes (chart)")
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
        left.setWidth(160)
        left.setStyle(tickLength=0)
        left.setTextPen(pg.mkPen("#222"))
        bottom = item.getAxis("bottom")
        bottom.setTicks([[(v / 4, f"{v * 25} %") for v in range(5)]])
        bottom.setTextPen(pg.mkPen("#555"))
        bottom.setLabel("probability")
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
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        lay.addWidget(self.plot)

    def set_ranking(self, ranking: list[dict[str, Any]], selected: str | None) -> None:
        pg = self._pg
        rows = chart_rows(ranking, len(self.texts))
        self.order = [r["cause"] for r in rows]
        scores = [float(r["score"]) for r in rows]
        brushes = [QColor(cause_color(self.kb, c)) for c in self.order]
        pens = [pg.mkPen("#111", width=2.5) if c == selected else pg.mkPen(None)
                for c in self.order]
        self.bars.setOpts(width=scores, brushes=brushes, pens=pens)
        for i, (t, s) in enumerate(zip(self.texts, scores, strict=False)):
            t.setText(percent_text(s))
            t.setPos(s + 0.01, i)
        ticks = [(i, ("▶ " if c == selected else "") + cause_short(self.kb, c))
                 for i, c in enumerate(self.order)]
        self.plot.getPlotItem().getAxis("left").setTicks([ticks])

    def _clicked(self, ev: Any) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        pt = vb.mapSceneToView(ev.scenePos())
        i = round(pt.y())
        if 0 <= i < len(self.order):
            self.clicked.emit(self.order[i])


class AssessmentPanel(QWidget):
    """Urgency, ask-next, ranking chart, and the selected cause's evidence."""

    cause_selected = Signal(object)  # str | None
    territory_toggled = Signal(bool)
    answer_clicked = Signal(str, object)  # answer id, value

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.assessment: dict[str, Any] | None = None
        self.selected: str | None = None
        self.chart: RankingChart | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(6)

        self.urgency = QLabel()
        self.urgency.setWordWrap(True)
        self.urgency.setAccessibleName("Urgency")
        self.urgency.setTextFormat(Qt.TextFormat.RichText)
        self.urgency.setMargin(8)
        lay.addWidget(self.urgency)

        self.ask_box = QFrame()
        self.ask_box.setObjectName("askNext")
        self.ask_box.setStyleSheet("#askNext { background: #fff7d6; border: 1px solid #e0c060;"
                                   " border-radius: 6px; }")
        self.ask_layout = QGridLayout(self.ask_box)
        self.ask_layout.setContentsMargins(8, 6, 8, 6)
        self.ask_layout.setHorizontalSpacing(6)
        self.ask_layout.setVerticalSpacing(4)
        # wrapped questions need their full height: never squeeze the box below its hint
        self.ask_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        lay.addWidget(self.ask_box)

        title = QLabel("<b>Differential</b> — best first (click a bar to see why)")
        lay.addWidget(title)
        self.chart_holder = QVBoxLayout()
        lay.addLayout(self.chart_holder)
        self.chart_placeholder = QLabel()  # the ranking as text until the chart has loaded
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart_placeholder.setMinimumHeight(170)
        self.chart_holder.addWidget(self.chart_placeholder)
        self.chart_note = QLabel()  # the causes not on the chart, summarised
        self.chart_note.setStyleSheet("QLabel { color: #555; font-size: 11px; }")
        self.chart_note.setWordWrap(True)
        lay.addWidget(self.chart_note)

        row = QHBoxLayout()
        row.addWidget(QLabel("Cause:"))
        self.cause_combo = QComboBox()
        self.cause_combo.setAccessibleName("Selected cause: shows its evidence and territory")
        self.cause_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.cause_combo.addItem("— select a cause —", None)
        for c in [*kb.causes, OTHER]:
            self.cause_combo.addItem(cause_short(kb, c), c)
            self.cause_combo.setItemData(self.cause_combo.count() - 1, cause_name(kb, c),
                                         Qt.ItemDataRole.ToolTipRole)
        self.cause_combo.currentIndexChanged.connect(self._combo_changed)
        row.addWidget(self.cause_combo, 1)
        self.territory_check = QCheckBox("Territory on diagram")
        self.territory_check.setChecked(True)
        self.territory_check.setAccessibleName("Show the selected cause's referral territory "
                                               "on the diagram")
        self.territory_check.toggled.connect(self.territory_toggled)
        row.addWidget(self.territory_check)
        lay.addLayout(row)

    # ------------------------------------------------------------------ building
    def build_chart(self) -> None:
        if self.chart is not None:
            return
        self.chart = RankingChart(self.kb)
        self.chart.clicked.connect(self.select)
        self.chart_holder.replaceWidget(self.chart_placeholder, self.chart)
        self.chart_placeholder.hide()
        self.chart_placeholder.deleteLater()
        if self.assessment is not None:
            self.chart.set_ranking(self.assessment["ranking"], self.selected)

    # ------------------------------------------------------------------ updates
    def set_assessment(self, a: dict[str, Any]) -> None:
        self.assessment = a
        style = verdict_style(a)
        bg, fg = URGENCY_STYLE[style]
        detail = headline_detail(a)
        reasons = [r for r in a.get("urgency_reasons", [])
                   if not (detail and r.startswith("Red-flag screening is incomplete"))]
        lines = ([detail] if detail else []) + reasons[:2 if not detail else 1]
        small = "".join(f"<br><span style='font-size:11px'>{html.escape(r)}</span>"
                        for r in lines)
        self.urgency.setText(f"<span style='font-size:15px'><b>{html.escape(headline(a))}"
                             f"</b></span>{small}")
        border = "border: 2px dashed #6c757d; " if style == "neutral" else ""
        self.urgency.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; {border}"
                                   "border-radius: 6px; }")
        self.urgency.setProperty("verdictStyle", style)
        self.urgency.setAccessibleDescription(" ".join([headline(a), *lines]))
        self._fill_ask_next(a)
        if self.chart is not None:
            self.chart.set_ranking(a["ranking"], self.selected)
        else:
            self.chart_placeholder.setText("<br>".join(
                f"{html.escape(cause_short(self.kb, r['cause']))} {percent_text(r['score'])}"
                for r in chart_rows(a["ranking"])))
        shown = {r["cause"] for r in chart_rows(a["ranking"])}
        hidden = [r for r in a["ranking"] if r["cause"] not in shown]
        self.chart_note.setText(
            f"+ {len(hidden)} more cause{'s' if len(hidden) != 1 else ''}, each at most "
            f"{percent_text(max(r['score'] for r in hidden))}: choose one in the Cause list "
            "to see why." if hidden else "")
        self.chart_note.setVisible(bool(hidden))
        if self.selected:
            self.selected_changed_evidence()

    def _fill_ask_next(self, a: dict[str, Any]) -> None:
        """The first questions of ``next_questions`` (unscreened red-flag questions first),
        each answerable here: Yes / No, or a number box for age and duration."""
        questions = a.get("next_questions", [])[:ASK_NEXT_SHOWN]
        key = (tuple(q["answer"] for q in questions), len(a.get("unscreened", [])))
        if key == getattr(self, "_ask_key", None):
            return
        self._ask_key = key
        while self.ask_layout.count():
            w = self.ask_layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.ask_buttons: list[QPushButton] = []
        self.ask_spins: dict[str, QSpinBox] = {}
        unscreened = len(a.get("unscreened", []))
        if unscreened:
            head = QLabel(f"<b>Ask next — red flags first</b> <span style='color:#555'>"
                          f"({unscreened} to ask)</span>")
        else:
            head = QLabel("<b>Ask next</b> <span style='color:#1b5e20'>· red-flag screening "
                          "complete</span>")
        head.setWordWrap(True)
        self.ask_layout.addWidget(head, 0, 0, 1, 3)
        if not questions:
            self.ask_layout.addWidget(QLabel("No open questions would change the ranking."),
                                      1, 0, 1, 3)
        for i, q in enumerate(questions, start=1):
            aid = q["answer"]
            kind, _group, text = ANSWERS[aid]
            red = q.get("kind") == "red_flag"
            label = QLabel(("⚑ " if red else "") + html.escape(text))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            label.setToolTip(q.get("why", ""))
            if red:
                label.setStyleSheet("QLabel { font-weight: bold; }")
            self.ask_layout.addWidget(label, i, 0)
            if kind == "bool":
                for col, (word, value) in enumerate((("Yes", True), ("No", False)), start=1):
                    b = QPushButton(word)
                    b.setMaximumWidth(48)
                    b.setAccessibleName(f"{word}: {text}")
                    b.setToolTip(q.get("why", ""))
                    b.clicked.connect(
                        lambda _c=False, aa=aid, v=value: self.answer_clicked.emit(aa, v))
                    self.ask_layout.addWidget(b, i, col)
                    self.ask_buttons.append(b)
            else:  # a number: answered in place too
                spin = QSpinBox()
                spin.setRange(0, NUMBER_MAX.get(aid, 100000))
                spin.setSuffix(NUMBER_SUFFIX.get(aid, ""))
                spin.setAccessibleName(text)
                spin.setKeyboardTracking(False)
                ok = QPushButton("Set")
                ok.setMaximumWidth(48)
                ok.setAccessibleName(f"Set: {text}")
                ok.clicked.connect(
                    lambda _c=False, aa=aid, sp=spin: self.answer_clicked.emit(aa, sp.value()))
                spin.editingFinished.connect(
                    lambda aa=aid, sp=spin: sp.hasFocus() and self.answer_clicked.emit(
                        aa, sp.value()))
                self.ask_layout.addWidget(spin, i, 1)
                self.ask_layout.addWidget(ok, i, 2)
                self.ask_spins[aid] = spin
                self.ask_buttons.append(ok)
        self.ask_layout.setColumnStretch(0, 1)
        if self.ask_box.isVisible():
            for k in range(self.ask_layout.count()):
                w = self.ask_layout.itemAt(k).widget()
                if w is not None:
                    w.show()

    # ------------------------------------------------------------------ selection
    def select(self, cause: str | None) -> None:
        self.selected = cause
        idx = self.cause_combo.findData(cause) if cause else 0
        if self.cause_combo.currentIndex() != idx:
            self.cause_combo.blockSignals(True)
            self.cause_combo.setCurrentIndex(idx)
            self.cause_combo.blockSignals(False)
        if self.chart is not None and self.assessment is not None:
            self.chart.set_ranking(self.assessment["ranking"], cause)
        self.cause_selected.emit(cause)

    def _combo_changed(self, _i: int) -> None:
        self.select(self.cause_combo.currentData())

    def selected_changed_evidence(self) -> None:
        self.cause_selected.emit(self.selected)

    def evidence_html(self, cause: str) -> str:
        """The matcher's sentences for one cause, with numbered sources."""
        kb = self.kb
        c = kb.causes[cause]  # ``other`` included (its Cause-shaped description)
        entry = None
        rank = None
        if self.assessment is not None:
            for i, r in enumerate(self.assessment["ranking"], start=1):
                if r["cause"] == cause:
                    entry, rank = r, i
        refs: dict[str, int] = {}

        def cite(ids: list[str]) -> str:
            nums = []
            for s in ids:
                refs.setdefault(s, len(refs) + 1)
                nums.append(str(refs[s]))
            return f" <span style='color:#666'>[{', '.join(nums)}]</span>" if nums else ""

        parts = [f"<h3 style='margin:0'>{html.escape(cause_name(kb, cause))}</h3>",
                 f"<p style='margin-top:4px'>{html.escape(c.plain_summary)}</p>"]
        if entry is not None:
            where = ("It has no territory of its own: it stands for every cause outside the "
                     "list." if cause == OTHER else
                     "Blue on the diagram: where this cause usually hurts (darker = more "
                     "often).")
            parts.append(f"<p><b>{percent_text(entry['score'])}</b> — rank {rank} of "
                         f"{len(self.assessment['ranking'])}. {where}</p>")
            parts.append("<p style='margin-bottom:2px'><b>What moved the score</b></p>"
                         "<table cellspacing='0' cellpadding='2'>")
            for ev in entry.get("evidence", []):
                eff = float(ev.get("effect", 0))
                arrow, col = ("▲", "#1b7a3a") if eff > 0 else ("▼", "#b00020")
                parts.append(
                    f"<tr><td valign='top' style='color:{col}; white-space:nowrap'>"
                    f"{arrow}</td><td>{html.escape(ev.get('text', ''))} "
                    f"<span style='color:{col}'>{html.escape(sentence(effect_text(eff)))}."
                    f"</span>{cite(list(ev.get('sources', [])))}</td></tr>")
            parts.append("</table>")
        for _base, t in c.territory.items():
            for s in t.source:
                refs.setdefault(s, len(refs) + 1)
        if refs:
            parts.append("<p style='margin-bottom:2px'><b>Sources</b></p><ol style="
                         "'margin-top:0; margin-left:-20px'>")
            for sid in refs:
                src = kb.sources.get(sid)
                if src is None:
                    parts.append(f"<li>{html.escape(sid)}</li>")
                    continue
                mark = "" if src.verified else \
                    " <b style='color:#b00020'>[UNVERIFIED]</b>"
                link = (f" <a href='{html.escape(src.url)}'>link</a>"
                        if src.url.startswith("http") else "")
                parts.append(f"<li>{html.escape(src.citation)}{link}{mark}</li>")
            parts.append("</ol>")
        return "".join(parts)


class EvidenceView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setAccessibleName("Evidence for the selected cause")
        self.setPlaceholderText("Select a cause (click its bar or choose it above) to see "
                                "the evidence for and against it, its sources and its "
                                "referral territory on the diagram.")
