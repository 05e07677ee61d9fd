"""The patient header: id, age (the same field as the question "How old are you?") and
sex. Room here for the clinic record's patient banner (visit date, Open patient).
``python -m hipmap.ui.patient``."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from hipmap.core.document import MAX_AGE, MAX_PATIENT_TEXT, clean_line
from hipmap.i18n import _, pgettext
from hipmap.model.drawing import ChangeKind
from hipmap.model.edits import SetPatient
from hipmap.ui.commands import Editor


class PatientHeader(QWidget):
    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(QLabel("<b>{}</b>".format(_("Patient"))))
        self.pid = QLineEdit()
        self.pid.setPlaceholderText(pgettext("patient", "ID"))
        self.pid.setMaximumWidth(130)
        self.pid.setMaxLength(MAX_PATIENT_TEXT)
        self.pid.setAccessibleName(_("Patient ID"))
        lay.addWidget(self.pid)
        lay.addWidget(QLabel(_("Age")))
        self.age = QSpinBox()
        self.age.setRange(-1, MAX_AGE)
        self.age.setSpecialValueText("—")
        self.age.setAccessibleName(_("Patient age in years (the same field as 'How old are "
                                     "you?')"))
        lay.addWidget(self.age)
        lay.addWidget(QLabel(_("Sex")))
        self.sex = QComboBox()
        self.sex.setAccessibleName(_("Patient sex"))
        for text, value in (("—", None), (pgettext("sex", "female"), "female"),
                            (pgettext("sex", "male"), "male"),
                            (pgettext("sex", "other"), "other")):
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
            self.editor.push(SetPatient(_("Patient details"), patient=new))

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
