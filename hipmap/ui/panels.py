"""Keyboard-operable panels bound to the model: questions, region list, patient header, and
the red-flag banner. Each redraws from the model; each user action is an undoable edit."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.document import MAX_PATIENT_TEXT, RegionMark, clean_line
from hipmap.core.ids import ANSWER_GROUPS, ANSWERS, BASE_REGIONS, QUALITIES, REGION_GROUPS, SIDES
from hipmap.knowledge.texts import region_name, sentence
from hipmap.model.builders import rate_region, tick_region
from hipmap.model.drawing import Change, ChangeKind
from hipmap.model.edits import SetPatient
from hipmap.ui.commands import Editor
from hipmap.ui.diagram import QUALITY_STYLE
from hipmap.ui.tools import ToolState, quality_icon, swatch_icon

NUMBER_SUFFIX = {"age": " years", "duration_days": " days"}
NUMBER_MAX = {"age": 130, "duration_days": 36500}


def percent(fraction: float) -> str:
    """Coverage for people: a brush edge that grazes a region is '<1%', never '0%'."""
    if 0 < fraction < 0.005:
        return "<1%"
    return f"{round(fraction * 100)}%"


# ============================================================================ questions

class QuestionRow(QFrame):
    answered = Signal(str, object)

    def __init__(self, answer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer = answer
        kind, _group, text = ANSWERS[answer]
        self.kind = kind
        self.setObjectName("questionRow")
        self._syncing = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 3, 6, 3)
        outer.setSpacing(2)
        # the badge sits on its own line so a narrow panel can never squeeze it unreadable
        self.tag = QLabel("ASK NEXT")
        self.tag.setStyleSheet("background:#e0a800; color:#222; font-weight:bold; "
                               "font-size:10px; border-radius:3px; padding:1px 4px;")
        self.tag.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.tag.setVisible(False)
        outer.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignLeft)
        lay = QHBoxLayout()
        lay.setSpacing(6)
        outer.addLayout(lay)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(80)
        lay.addWidget(self.label, 1)
        self.buttons: dict[Any, QRadioButton] = {}
        if kind == "bool":
            self.group = QButtonGroup(self)
            for word, value in (("Yes", True), ("No", False), ("Not asked", None)):
                b = QRadioButton(word)
                b.setAccessibleName(f"{word}: {text}")
                self.group.addButton(b)
                self.buttons[value] = b
                b.toggled.connect(lambda on, v=value: on and self._emit(v))
                lay.addWidget(b)
            self.buttons[None].setChecked(True)
        else:
            self.spin = QSpinBox()
            self.spin.setRange(-1, NUMBER_MAX.get(answer, 100000))
            self.spin.setSpecialValueText("not asked")
            self.spin.setSuffix(NUMBER_SUFFIX.get(answer, ""))
            self.spin.setValue(-1)
            self.spin.setMinimumWidth(110)
            self.spin.setAccessibleName(text)
            self.spin.valueChanged.connect(lambda v: self._emit(None if v < 0 else v))
            lay.addWidget(self.spin)

    def _emit(self, value: Any) -> None:
        if not self._syncing:
            self.answered.emit(self.answer, value)

    def set_value(self, value: Any) -> None:
        self._syncing = True
        try:
            if self.kind == "bool":
                self.buttons[value if isinstance(value, bool) else None].setChecked(True)
            else:
                v = -1 if value is None else round(float(value))
                if self.spin.value() != v:
                    self.spin.setValue(v)
        finally:
            self._syncing = False

    def set_ask_next(self, why: str | None) -> None:
        if getattr(self, "_why", 0) == why:
            return
        self._why = why
        self.tag.setVisible(why is not None)
        self.setToolTip(why or "")
        self.setStyleSheet("#questionRow { background: #fff3c4; border-radius: 4px; }"
                           if why is not None else "")


class QuestionsPanel(QScrollArea):
    """Every answer of contract §5 grouped; yes / no / not asked; numbers for age, duration."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Questions")
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(4, 4, 4, 4)
        self.rows: dict[str, QuestionRow] = {}
        for gid, gname in ANSWER_GROUPS.items():
            box = QGroupBox(gname)
            box.setAccessibleName(f"Questions: {gname}")
            if gid == "red_flags":
                box.setStyleSheet("QGroupBox { color: #b00020; font-weight: bold; }")
            blay = QVBoxLayout(box)
            blay.setContentsMargins(2, 4, 2, 4)
            blay.setSpacing(1)
            for aid, (_kind, group, _text) in ANSWERS.items():
                if group != gid:
                    continue
                row = QuestionRow(aid)
                row.answered.connect(self.editor.set_answer)
                self.rows[aid] = row
                blay.addWidget(row)
            lay.addWidget(box)
        lay.addStretch(1)
        self.setWidget(inner)
        editor.model.subscribe(self._on_change)
        self.sync()

    def _on_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.ANSWERS, ChangeKind.RESET, ChangeKind.PATIENT):
            self.sync()

    def sync(self) -> None:
        answers = self.editor.model.answers
        for aid, row in self.rows.items():
            # age: the one field shared with the patient header (answers, else patient)
            row.set_value(self.editor.model.age if aid == "age" else answers.get(aid))

    def set_next_questions(self, questions: list[dict[str, Any]]) -> None:
        why = {q["answer"]: q.get("why", "") for q in questions}
        for aid, row in self.rows.items():
            row.set_ask_next(why.get(aid))


# ============================================================================ region list

_SWATCHES: dict[float, QIcon] = {}


def _swatch(intensity: float) -> QIcon:
    if intensity not in _SWATCHES:
        _SWATCHES[intensity] = swatch_icon(intensity)
    return _SWATCHES[intensity]


class RegionList(QWidget):
    """All regions of both sides: tick = the whole region hurts; intensity and quality of the
    current row below. Screen readers and keyboards cannot reach inside the canvas; this can."""

    def __init__(self, editor: Editor, tools: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.tools = tools
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Region list: tick a region where it hurts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Region", "Pain"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        for side in SIDES:
            top = QTreeWidgetItem([f"Patient's {side.upper()} side"])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for bases in REGION_GROUPS.values():
                for base in bases:
                    rid = f"{side}.{base}"
                    it = QTreeWidgetItem([sentence(region_name(base)), ""])
                    it.setData(0, Qt.ItemDataRole.UserRole, rid)
                    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                | Qt.ItemFlag.ItemIsUserCheckable)
                    it.setCheckState(0, Qt.CheckState.Unchecked)
                    it.setToolTip(0, rid)
                    top.addChild(it)
                    self.items[rid] = it
            top.setExpanded(True)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._sync_editor())
        lay.addWidget(self.tree, 1)

        ed = QGridLayout()
        ed.setContentsMargins(0, 0, 0, 0)
        self.current_label = QLabel("Select a region")
        self.current_label.setWordWrap(True)
        ed.addWidget(self.current_label, 0, 0, 1, 4)
        ed.addWidget(QLabel("Intensity"), 1, 0)
        self.intensity = QSpinBox()
        self.intensity.setRange(0, 10)
        self.intensity.setAccessibleName("Intensity of the selected region, 0 to 10")
        ed.addWidget(self.intensity, 1, 1)
        ed.addWidget(QLabel("Quality"), 1, 2)
        self.quality = QComboBox()
        self.quality.setAccessibleName("Quality of the selected region")
        self.quality.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.quality.setMinimumContentsLength(8)
        self.quality.addItem("not specified", None)
        for q, name in QUALITIES.items():
            self.quality.addItem(quality_icon(q), f"{QUALITY_STYLE[q][1]} {name.split(' (')[0]}",
                                 q)
        ed.addWidget(self.quality, 1, 3)
        ed.setColumnStretch(3, 1)
        lay.addLayout(ed)
        self.intensity.valueChanged.connect(lambda _v: self._edit_current())
        self.quality.currentIndexChanged.connect(lambda _i: self._edit_current())
        editor.model.subscribe(self._on_change)
        self.sync()
        self._sync_editor()

    # ------------------------------------------------------------------ model -> view
    def _on_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.MARKS, ChangeKind.RESET):
            self.sync()
            self._sync_editor()

    def region_marks(self, rid: str) -> dict[int, RegionMark]:
        return {i: m for i, m in self.editor.model.marks.items()
                if isinstance(m, RegionMark) and m.region == rid}

    def sync(self) -> None:
        self._syncing = True
        try:
            cov = self.editor.model.coverage.regions()
            ticked = {m.region: m for m in self.editor.model.marks.values()
                      if isinstance(m, RegionMark)}
            for rid, it in self.items.items():
                c = cov.get(rid)
                if rid in ticked:
                    state = Qt.CheckState.Checked
                elif c is not None and c.coverage > 0:
                    state = Qt.CheckState.PartiallyChecked
                else:
                    state = Qt.CheckState.Unchecked
                if it.checkState(0) != state:
                    it.setCheckState(0, state)
                q = ticked[rid].quality if rid in ticked else None
                painted = c is not None and c.coverage > 0
                pain = ""
                if painted:
                    pain = f"{percent(c.coverage)} · {c.intensity:g}"
                    if q:
                        pain += f" {QUALITY_STYLE[q][1]}"
                if it.text(1) != pain:
                    it.setIcon(1, _swatch(c.intensity) if painted else QIcon())
                    it.setText(1, pain)
                it.setToolTip(1, (f"{percent(c.coverage)} of the region painted, "
                                  f"intensity {c.intensity:g}/10"
                                  + (f", {QUALITIES[q]}" if q else ""))
                              if c is not None and c.coverage > 0 else "")
                state_word = {Qt.CheckState.Checked: "ticked: the whole region hurts",
                              Qt.CheckState.PartiallyChecked: "partly painted",
                              Qt.CheckState.Unchecked: "no pain"}[state]
                side, base = rid.split(".")
                it.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                           f"{side} {BASE_REGIONS[base]}, {state_word}"
                           + (f", {pain}" if pain else ""))
        finally:
            self._syncing = False

    def _sync_editor(self) -> None:
        rid = self.current_region()
        self._syncing = True
        try:
            enabled = rid is not None
            self.intensity.setEnabled(enabled)
            self.quality.setEnabled(enabled)
            if rid is None:
                self.current_label.setText("Select a region to set its intensity and quality.")
                return
            side, base = rid.split(".")
            marks = self.region_marks(rid)
            mark = next(iter(marks.values()), None)
            self.current_label.setText(f"<b>{side.upper()}</b> {html.escape(BASE_REGIONS[base])}"
                                       + ("" if mark else " (not ticked)"))
            intensity = round(mark.intensity) if mark else self.tools.intensity
            quality = mark.quality if mark else self.tools.quality
            self.intensity.setValue(intensity)
            self.quality.setCurrentIndex(max(0, self.quality.findData(quality)))
        finally:
            self._syncing = False

    def current_region(self) -> str | None:
        it = self.tree.currentItem()
        return None if it is None else it.data(0, Qt.ItemDataRole.UserRole)

    def select_region(self, rid: str) -> None:
        self.tree.setCurrentItem(self.items[rid])

    # ------------------------------------------------------------------ view -> model
    def _item_changed(self, it: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        rid = it.data(0, Qt.ItemDataRole.UserRole)
        if rid is None:
            return
        if it.checkState(0) == Qt.CheckState.PartiallyChecked:
            # a user click cycles to "partial" only from our own tristate; treat as tick
            it.setCheckState(0, Qt.CheckState.Checked)
            return
        self.set_ticked(rid, it.checkState(0) == Qt.CheckState.Checked)

    def set_ticked(self, rid: str, on: bool) -> None:
        current = self.current_region() == rid
        edit = tick_region(
            self.editor.model, rid, on,
            self.intensity.value() if current else self.tools.intensity,
            self.quality.currentData() if current else self.tools.quality)
        if edit is not None:
            self.editor.push(edit)
        elif not on:
            self.sync()

    def _edit_current(self) -> None:
        if self._syncing:
            return
        rid = self.current_region()
        if rid is None:
            return
        edit = rate_region(self.editor.model, rid, self.intensity.value(),
                           self.quality.currentData())
        if edit is not None:
            self.editor.push(edit)


# ============================================================================ patient header

class PatientHeader(QWidget):
    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(QLabel("<b>Patient</b>"))
        self.pid = QLineEdit()
        self.pid.setPlaceholderText("ID")
        self.pid.setMaximumWidth(130)
        self.pid.setMaxLength(MAX_PATIENT_TEXT)
        self.pid.setAccessibleName("Patient ID")
        lay.addWidget(self.pid)
        lay.addWidget(QLabel("Age"))
        self.age = QSpinBox()
        self.age.setRange(-1, 130)
        self.age.setSpecialValueText("—")
        self.age.setAccessibleName("Patient age in years (the same field as 'How old are "
                                   "you?')")
        lay.addWidget(self.age)
        lay.addWidget(QLabel("Sex"))
        self.sex = QComboBox()
        self.sex.setAccessibleName("Patient sex")
        for text, value in (("—", None), ("female", "female"), ("male", "male"),
                            ("other", "other")):
            self.sex.addItem(text, value)
        lay.addWidget(self.sex)
        self._syncing = False
        self.pid.editingFinished.connect(self._commit)
        self.age.valueChanged.connect(self._age_changed)
        self.sex.currentIndexChanged.connect(lambda _i: self._commit())
        editor.model.subscribe(
            lambda c: c.kind in (ChangeKind.PATIENT, ChangeKind.RESET, ChangeKind.ANSWERS)
            and self.sync())
        self.sync()

    def value(self) -> dict[str, Any] | None:
        """The patient header from the id and sex fields; the age is kept as it is (it has
        its own edit, shared with the answers)."""
        old = dict(self.editor.model.patient or {})
        for key in ("id", "sex"):
            old.pop(key, None)
        # a pasted control character or half of a surrogate pair could never be saved
        pid = clean_line(self.pid.text()).strip()
        if pid:
            old["id"] = pid
        if self.sex.currentData():
            old["sex"] = self.sex.currentData()
        return old or None

    def _age_changed(self, v: int) -> None:
        if not self._syncing:
            self.editor.set_age(None if v < 0 else v)

    def _commit(self) -> None:
        if self._syncing:
            return
        new = self.value()
        if new != self.editor.model.patient:
            self.editor.push(SetPatient("Patient details", patient=new))

    def sync(self) -> None:
        self._syncing = True
        try:
            p = self.editor.model.patient or {}
            self.pid.setText(str(p.get("id") or ""))
            age = self.editor.model.age
            if self.age.value() != (round(age) if age is not None else -1):
                self.age.setValue(round(age) if age is not None else -1)
            i = self.sex.findData(p.get("sex"))
            if i < 0 and p.get("sex"):
                self.sex.addItem(str(p["sex"]), p["sex"])
                i = self.sex.count() - 1
            self.sex.setCurrentIndex(max(i, 0))
        finally:
            self._syncing = False


# ============================================================================ red-flag banner

class RedFlagBanner(QFrame):
    """Across the top of the window while any red flag is raised. Not dismissable: it goes
    only when the answer that raised it changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagBanner")
        self.setStyleSheet("#redFlagBanner { background: #b00020; border-bottom: 3px solid "
                           "#6d0014; } QLabel { color: white; }")
        self.setAccessibleName("Red flag warning")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 14, 8)
        self.icon = QLabel("⚠")
        self.icon.setStyleSheet("font-size: 30px; color: white;")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.icon)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.text, 1)
        self.flags: list[dict[str, Any]] = []
        self.setVisible(False)

    def set_flags(self, flags: list[dict[str, Any]]) -> None:
        self.flags = list(flags)
        if not flags:
            self.setVisible(False)
            return
        parts = []
        for f in flags:
            level = "EMERGENCY" if f.get("urgency") == "emergency" else "URGENT"
            triggers = "; ".join(f.get("because") or [
                ANSWERS[t][2].rstrip("?") for t in f.get("triggers", []) if t in ANSWERS])
            parts.append(
                f"<div style='margin-bottom:4px'><span style='font-size:16px'><b>RED FLAG — "
                f"{level}:</b> {html.escape(f.get('message', ''))}</span><br>"
                f"<span style='font-size:15px'><b>What to do now:</b> "
                f"{html.escape(f.get('action', ''))}</span>"
                + (f"<br><span style='font-size:11px'>Because: {html.escape(triggers)}</span>"
                   if triggers else "") + "</div>")
        self.text.setText("".join(parts))
        self.setAccessibleDescription(" ".join(f.get("message", "") + " " + f.get("action", "")
                                               for f in flags))
        self.setVisible(True)
