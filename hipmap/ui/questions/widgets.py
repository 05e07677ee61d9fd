"""All questions: every answer of contract §5, grouped, red flags first; yes / no / not
asked, numbers for age and duration; the ones to ask next highlighted. Each answer is an
undoable edit; the panel redraws from the model. ``python -m hipmap.ui.questions``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.ids import ANSWER_GROUPS, ANSWERS
from hipmap.i18n import _
from hipmap.model.drawing import Change, ChangeKind
from hipmap.ui.commands import Editor
from hipmap.ui.words import group_name, number_max, number_suffix, question_text, tr

if TYPE_CHECKING:
    from hipmap.knowledge.matcher import Question


class QuestionRow(QFrame):
    answered = Signal(str, object)

    def __init__(self, answer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer = answer
        kind = ANSWERS[answer][0]
        text = question_text(answer)
        self.kind = kind
        self.setObjectName("questionRow")
        self._syncing = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 3, 6, 3)
        outer.setSpacing(1)
        # the question has the row's whole width (it wraps, in any language); below it the
        # ASK NEXT badge and the answers, on a line whose height never changes: a row keeps
        # its height when the questions to ask next change, so an answer never moves the
        # list under the reader's eyes
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        outer.addWidget(self.label)
        lay = QHBoxLayout()
        lay.setSpacing(6)
        outer.addLayout(lay)
        self.tag = QLabel(_("ASK NEXT"))
        self.tag.setStyleSheet("background:#e0a800; color:#222; font-weight:bold; "
                               "font-size:10px; border-radius:3px; padding:1px 4px;")
        self.tag.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        policy = self.tag.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.tag.setSizePolicy(policy)
        self.tag.setVisible(False)
        lay.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addStretch(1)
        self.buttons: dict[Any, QRadioButton] = {}
        if kind == "bool":
            self.group = QButtonGroup(self)
            for word, value in ((_("Yes"), True), (_("No"), False), (_("Not asked"), None)):
                b = QRadioButton(word)
                b.setAccessibleName(_("{answer}: {question}").format(answer=word, question=text))
                self.group.addButton(b)
                self.buttons[value] = b
                b.toggled.connect(lambda on, v=value: on and self._emit(v))
                lay.addWidget(b)
            self.buttons[None].setChecked(True)
        else:
            self.spin = QSpinBox()
            self.spin.setRange(-1, number_max(answer))
            self.spin.setSpecialValueText(_("not asked"))
            self.spin.setSuffix(number_suffix(answer))
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
        # the highlight is a background colour, not a style sheet: re-styling would lay
        # the whole list out again
        self.setAutoFillBackground(why is not None)
        if why is not None:
            pal = self.palette()
            pal.setColor(QPalette.ColorRole.Window, QColor("#fff3c4"))
            self.setPalette(pal)


class QuestionsPanel(QScrollArea):
    """Every answer of contract §5 grouped; yes / no / not asked; numbers for age, duration."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(_("Questions"))
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(4, 4, 4, 4)
        self.rows: dict[str, QuestionRow] = {}
        for gid in ANSWER_GROUPS:
            gname = group_name(gid)
            box = QGroupBox(gname)
            box.setAccessibleName(_("Questions: {group}").format(group=gname))
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

    def set_next_questions(self, questions: Sequence[Question]) -> None:
        why = {q.answer: tr(q.why) for q in questions}
        for aid, row in self.rows.items():
            row.set_ask_next(why.get(aid))
