"""Undo/redo: each :class:`hipmap.model.edits.Edit` wrapped in a ``QUndoCommand``.

The command only calls the edit's plain ``do``/``undo`` on the model; the widgets redraw from
the model's change notifications. One finished stroke is one command ("Undo Stroke").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from hipmap.i18n import _
from hipmap.knowledge.texts import number_text
from hipmap.model.drawing import DrawingModel
from hipmap.model.edits import Edit, SetAge, SetAnswer, SetPatient

_MERGE_ID = 0x4D41  # consecutive edits of the same answer (typing "58" into Age) merge


class EditCommand(QUndoCommand):
    def __init__(self, model: DrawingModel, edit: Edit) -> None:
        super().__init__(edit.name)
        self.model = model
        self.edit = edit

    def redo(self) -> None:
        self.edit.do(self.model)
        if self.edit.name != self.text():  # a stroke is named by what it painted
            self.setText(self.edit.name)

    def undo(self) -> None:
        self.edit.undo(self.model)

    def id(self) -> int:
        return _MERGE_ID if isinstance(self.edit, SetAnswer | SetPatient | SetAge) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand):
            return False
        a, b = self.edit, other.edit
        if isinstance(a, SetAnswer) and isinstance(b, SetAnswer) and a.answer == b.answer \
                and isinstance(a.value, int | float) and not isinstance(a.value, bool) \
                and isinstance(b.value, int | float) and not isinstance(b.value, bool):
            a.value, a.name = b.value, b.name
            self.setText(b.name)
            return True
        if isinstance(a, SetPatient) and isinstance(b, SetPatient):
            a.patient = b.patient
            return True
        if isinstance(a, SetAge) and isinstance(b, SetAge) and a.value is not None \
                and b.value is not None:
            # typing "58": one step; undo restores what was there before
            a.value, a.name = b.value, b.name
            self.setText(b.name)
            return True
        return False


class Editor:
    """The model and its undo stack: every user action goes through :meth:`push`."""

    def __init__(self, model: DrawingModel, stack: QUndoStack | None = None) -> None:
        self.model = model
        self.stack = stack or QUndoStack()

    def push(self, edit: Edit) -> None:
        self.stack.push(EditCommand(self.model, edit))

    def set_answer(self, answer: str, value: Any) -> None:
        if answer == "age":
            self.set_age(value)
            return
        if self.model.answers.get(answer) == value and (value is None or
                                                         answer in self.model.answers):
            return
        self.push(SetAnswer(answer_step(answer, value), answer=answer, value=value))

    def set_age(self, value: Any) -> None:
        """The one age field (patient header and "How old are you?")."""
        if value is not None and self.model.age == value and "age" in self.model.answers:
            return
        if value is None and self.model.age is None:
            return
        self.push(SetAge(_("Set the age to {age}").format(age=number_text(value))
                         if value is not None else _("Clear the age"), value=value))


def answer_step(answer: str, value: Any) -> str:
    """The undo step of an answer, in words: 'Answer: Does coughing, sneezing or straining
    make the leg pain worse? — yes' (never the answer's id)."""
    from hipmap.ui.words import question_text

    if value is True:
        # TRANSLATORS: an undo step: the question, then the answer given
        return _("Answer: {question} — yes").format(question=question_text(answer))
    if value is False:
        return _("Answer: {question} — no").format(question=question_text(answer))
    if value is None:
        return _("Answer: {question} — not asked").format(question=question_text(answer))
    return _("Answer: {question} — {value}").format(question=question_text(answer),
                                                    value=number_text(value))
