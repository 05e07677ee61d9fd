"""The assessment column: the verdict (urgency), the questions to ask next (answerable in
place), the ranking chart and the choice of a cause whose evidence and territory are shown.
``python -m hipmap.ui.assessment`` shows it with a sample drawing."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
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
    QVBoxLayout,
    QWidget,
)

from hipmap.core.ids import ANSWERS, OTHER
from hipmap.i18n import _, ngettext
from hipmap.knowledge.assessment import Assessment, headline, headline_detail, verdict_style
from hipmap.knowledge.base import KnowledgeBase
from hipmap.knowledge.red_flags import screening_reason
from hipmap.knowledge.texts import cause_name, cause_short, percent_text
from hipmap.report import palette
from hipmap.ui.assessment.chart import RankingChart, chart_rows
from hipmap.ui.assessment.evidence import evidence_html
from hipmap.ui.words import number_max, number_suffix, question_text, tr

ASK_NEXT_SHOWN = 3
#: The headline box per verdict_style(): (background, text) — the one urgency palette
URGENCY_STYLE = palette.URGENCY


def _narrow(button: QPushButton) -> int:
    """A Yes / No / Set button as narrow as 48 px, wider only when its word needs it."""
    return max(48, button.fontMetrics().horizontalAdvance(button.text()) + 16)


class _ClickLabel(QLabel):
    """The words of a check box: clicking them ticks it, and they wrap when they must."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check
        self.setWordWrap(True)
        self.setBuddy(check)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(min(self.fontMetrics().horizontalAdvance(text) + 2, 150))

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        self.check.toggle()


class AssessmentPanel(QWidget):
    """Urgency, ask-next, ranking chart, and the selected cause's evidence."""

    cause_selected = Signal(object)  # str | None
    territory_toggled = Signal(bool)
    answer_clicked = Signal(str, object)  # answer id, value
    #: the selected cause's referral territory to draw ({} when none or switched off)
    territory_changed = Signal(dict)
    #: the selected cause's evidence as HTML ("" when none is selected)
    evidence_changed = Signal(str)
    #: the same cause's evidence after an answer or a stroke changed it (keep the place)
    evidence_refreshed = Signal(str)
    #: the ranking chart replaced its text placeholder (the panel's height changed)
    chart_built = Signal()

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.assessment: Assessment | None = None
        self.selected: str | None = None
        self.chart: RankingChart | None = None
        self._texts: tuple[object, ...] = ()
        self._ask_key: tuple[object, ...] | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(6)

        self.urgency = QLabel()
        self.urgency.setWordWrap(True)
        self.urgency.setAccessibleName(_("Urgency"))
        self.urgency.setTextFormat(Qt.TextFormat.RichText)
        self.urgency.setMargin(8)
        # it wraps to the column's width; a word longer than the column (none in a real
        # language) must not make the whole column wider than the window gives it
        self.urgency.setMinimumWidth(200)
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

        self.chart_title = title = QLabel(self._chart_title(nothing_recorded=False))
        title.setWordWrap(True)
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
        row.addWidget(QLabel(_("Cause:")))
        self.cause_combo = QComboBox()
        self.cause_combo.setAccessibleName(
            _("Selected cause: shows its evidence and territory"))
        self.cause_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # it may be narrower than its longest name (each is in its tooltip): the territory
        # switch beside it keeps its whole label
        self.cause_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.cause_combo.setMinimumContentsLength(10)
        self.cause_combo.addItem(_("— select a cause —"), None)
        for c in [*kb.causes, OTHER]:
            self.cause_combo.addItem(tr(cause_short(kb, c)), c)
            self.cause_combo.setItemData(self.cause_combo.count() - 1, tr(cause_name(kb, c)),
                                         Qt.ItemDataRole.ToolTipRole)
        self.cause_combo.currentIndexChanged.connect(self._combo_changed)
        row.addWidget(self.cause_combo, 1)
        # the switch's words in a label of their own, which wraps when a language needs
        # more room than the column has (a check box's text cannot wrap)
        self.territory_check = QCheckBox()
        self.territory_check.setChecked(True)
        self.territory_check.setAccessibleName(_("Show the selected cause's referral "
                                                 "territory on the diagram"))
        self.territory_check.toggled.connect(self.territory_toggled)
        self.territory_check.toggled.connect(lambda _on: self._announce())
        self.territory_label = _ClickLabel(_("Territory on diagram"), self.territory_check)
        row.addWidget(self.territory_check)
        row.addSpacing(-2)
        row.addWidget(self.territory_label)
        lay.addLayout(row)

    # ------------------------------------------------------------------ size
    def minimumSizeHint(self) -> QSize:
        """Never shorter than its wrapped texts need at its width (a layout asks for the
        minimum without the width; a longer language wraps to more lines)."""
        hint = super().minimumSizeHint()
        if self.width() > 0 and self.layout() is not None:
            hint.setHeight(max(hint.height(), self.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, ev: QResizeEvent) -> None:
        super().resizeEvent(ev)
        if ev.oldSize().width() != ev.size().width():
            self.updateGeometry()

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
            self.chart.set_ranking(self.assessment.ranking, self.selected)
        self.chart_built.emit()

    # ------------------------------------------------------------------ updates
    @staticmethod
    def _chart_title(*, nothing_recorded: bool) -> str:
        """With nothing painted or answered the bars are only how common each cause is: the
        title says so, so that nobody reads them as a finding (on one line, like the usual
        title: a second line pushes the Cause row out of a 1366x768 window)."""
        if nothing_recorded:
            return _("<b>Differential</b> — base rates only, not a finding")
        return _("<b>Differential</b> — best first (click a bar to see why)")

    def set_assessment(self, a: Assessment) -> None:
        self.assessment = a
        style = verdict_style(a)
        bg, fg = URGENCY_STYLE[style]
        detail = headline_detail(a)
        said = screening_reason(a.unscreened) if detail else None  # the detail says it
        reasons = [r for r in a.urgency_reasons if r != said]
        lines = ([detail] if detail else []) + reasons[:2 if not detail else 1]
        small = "".join(f"<br><span style='font-size:11px'>{html.escape(r)}</span>"
                        for r in lines)
        self.urgency.setText(f"<span style='font-size:15px'><b>{html.escape(headline(a))}"
                             f"</b></span>{small}")
        border = f"border: 2px dashed {palette.NEUTRAL_BORDER}; " if style == "neutral" else ""
        self.urgency.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; {border}"
                                   "border-radius: 6px; }")
        self.urgency.setProperty("verdictStyle", style)
        self.urgency.setAccessibleDescription(" ".join([headline(a), *lines]))
        self._fill_ask_next(a)
        self.chart_title.setText(self._chart_title(nothing_recorded=a.nothing_recorded))
        if self.chart is not None:
            self.chart.set_ranking(a.ranking, self.selected)
        else:
            self.chart_placeholder.setText("<br>".join(
                f"{html.escape(tr(cause_short(self.kb, r.cause)))} "
                f"{percent_text(r.score)}"
                for r in chart_rows(a.ranking)))
        shown = {r.cause for r in chart_rows(a.ranking)}
        hidden = [r for r in a.ranking if r.cause not in shown]
        self.chart_note.setText(ngettext(
            "+ {n} more cause, each at most {score}: choose one in the Cause list to see why.",
            "+ {n} more causes, each at most {score}: choose one in the Cause list to see why.",
            len(hidden)).format(n=len(hidden), score=percent_text(max(r.score
                                                                      for r in hidden)))
            if hidden else "")
        self.chart_note.setVisible(bool(hidden))
        texts = (self.urgency.text(), self.chart_note.text(), self._ask_key,
                 self.chart_title.text())
        if texts != self._texts:  # what wraps changed: the height it needs may have
            self._texts = texts
            self.updateGeometry()
        if self.selected:  # the same cause, its evidence re-worded: no new selection
            self.evidence_refreshed.emit(evidence_html(self.kb, a, self.selected))

    def _fill_ask_next(self, a: Assessment) -> None:
        """The first questions of ``next_questions`` (unscreened red-flag questions first),
        each answerable here: Yes / No, or a number box for age and duration."""
        questions = a.next_questions[:ASK_NEXT_SHOWN]
        key = (tuple(q.answer for q in questions), len(a.unscreened))
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
        unscreened = len(a.unscreened)
        if unscreened:
            head = QLabel(_("<b>Ask next — red flags first</b> <span style='color:#555'>"
                            "({n} to ask)</span>").format(n=unscreened))
        else:
            head = QLabel(_("<b>Ask next</b> <span style='color:#1b5e20'>· red-flag screening "
                            "complete</span>"))
        head.setWordWrap(True)
        self.ask_layout.addWidget(head, 0, 0, 1, 3)
        if not questions:
            self.ask_layout.addWidget(QLabel(_("No open questions would change the ranking.")),
                                      1, 0, 1, 3)
        for i, q in enumerate(questions, start=1):
            aid = q.answer
            kind = ANSWERS[aid][0]
            text = question_text(aid)
            red = q.kind == "red_flag"
            label = QLabel(("⚑ " if red else "") + html.escape(text))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            label.setToolTip(tr(q.why))
            if red:
                label.setStyleSheet("QLabel { font-weight: bold; }")
            self.ask_layout.addWidget(label, i, 0)
            if kind == "bool":
                for col, (word, value) in enumerate(((_("Yes"), True), (_("No"), False)),
                                                    start=1):
                    b = QPushButton(word)
                    b.setMaximumWidth(_narrow(b))
                    b.setAccessibleName(_("{answer}: {question}").format(answer=word,
                                                                         question=text))
                    b.setToolTip(tr(q.why))
                    b.clicked.connect(
                        lambda _c=False, aa=aid, v=value: self.answer_clicked.emit(aa, v))
                    self.ask_layout.addWidget(b, i, col)
                    self.ask_buttons.append(b)
            else:  # a number: answered in place too
                spin = QSpinBox()
                spin.setRange(0, number_max(aid))
                spin.setSuffix(number_suffix(aid))
                spin.setAccessibleName(text)
                spin.setKeyboardTracking(False)
                ok = QPushButton(_("Set"))
                ok.setMaximumWidth(_narrow(ok))
                ok.setAccessibleName(_("Set: {question}").format(question=text))
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
            self.chart.set_ranking(self.assessment.ranking, cause)
        self._announce()

    def _combo_changed(self, _i: int) -> None:
        self.select(self.cause_combo.currentData())

    def _announce(self) -> None:
        """Tell the window what the selection shows: the territory on the diagram and the
        evidence, then the selection itself."""
        cause = self.selected
        show = cause is not None and self.territory_check.isChecked()
        self.territory_changed.emit(self.kb.territory_weights(cause) if show and cause
                                    else {})
        self.evidence_changed.emit(evidence_html(self.kb, self.assessment, cause)
                                   if cause else "")
        self.cause_selected.emit(cause)
