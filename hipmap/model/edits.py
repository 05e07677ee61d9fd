"""The undoable edits of a drawing: each calls the model's plain methods — Qt-free.

The GUI wraps each edit in a ``QUndoCommand`` (one finished stroke = one undo step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hipmap.core.document import Mark
from hipmap.model.drawing import Change, ChangeKind, DrawingModel


@dataclass
class Edit:
    """One undoable step. ``name`` is shown in the Edit menu ("Undo Stroke")."""

    name: str

    def do(self, model: DrawingModel) -> None:
        raise NotImplementedError

    def undo(self, model: DrawingModel) -> None:
        raise NotImplementedError


@dataclass
class AddMarks(Edit):
    marks: list[Mark] = field(default_factory=list)
    ids: list[int] | None = None

    def do(self, model: DrawingModel) -> None:
        self.ids = model.add_marks(self.marks, self.ids)

    def undo(self, model: DrawingModel) -> None:
        model.remove_marks(self.ids or [])


@dataclass
class AddStroke(AddMarks):
    """One painted stroke, named once painted after the regions it covers: "Stroke on
    RIGHT back of the thigh" (the undo step a person reads)."""

    def do(self, model: DrawingModel) -> None:
        super().do(model)
        if self.ids:
            self.name = stroke_name(model.coverage.painted_by(self.ids[0]))


def stroke_name(regions: list[str]) -> str:
    """'Stroke on RIGHT back of the thigh', '... and 2 more regions', or 'Stroke'."""
    from hipmap.i18n import _, ngettext
    from hipmap.knowledge.texts import region_label

    if not regions:
        return _("Stroke")
    region = region_label(regions[0], full=False)
    if len(regions) == 1:
        return _("Stroke on {region}").format(region=region)
    more = len(regions) - 1
    return ngettext("Stroke on {region} and {n} more region",
                    "Stroke on {region} and {n} more regions", more).format(region=region,
                                                                            n=more)


@dataclass
class RemoveMarks(Edit):
    ids: list[int] = field(default_factory=list)
    removed: list[tuple[int, Mark]] = field(default_factory=list)

    def do(self, model: DrawingModel) -> None:
        self.removed = model.remove_marks(self.ids)

    def undo(self, model: DrawingModel) -> None:
        model.add_marks([m for _, m in self.removed], [i for i, _ in self.removed])


@dataclass
class ReplaceMarks(Edit):
    """Erase: strokes ``remove`` become ``add`` (what is left of them)."""

    remove: list[int] = field(default_factory=list)
    add: list[Mark] = field(default_factory=list)
    removed: list[tuple[int, Mark]] = field(default_factory=list)
    added_ids: list[int] | None = None

    def do(self, model: DrawingModel) -> None:
        self.removed = [(i, model.marks[i]) for i in self.remove]
        self.added_ids = model.replace_marks(self.remove, self.add, self.added_ids)

    def undo(self, model: DrawingModel) -> None:
        model.replace_marks(self.added_ids or [], [m for _, m in self.removed],
                            [i for i, _ in self.removed])


@dataclass
class SetAnswer(Edit):
    answer: str = ""
    value: Any = None
    old: Any = None

    def do(self, model: DrawingModel) -> None:
        self.old = model.answers.get(self.answer)
        model.set_answer(self.answer, self.value)

    def undo(self, model: DrawingModel) -> None:
        model.set_answer(self.answer, self.old)


@dataclass
class SetAge(Edit):
    """The age, in the patient header and the answers at once (one field, one undo step)."""

    value: float | None = None
    old_answers: dict[str, Any] = field(default_factory=dict)
    old_patient: dict[str, Any] | None = None

    def do(self, model: DrawingModel) -> None:
        self.old_answers = {k: v for k, v in model.answers.items() if k == "age"}
        self.old_patient = None if model.patient is None else dict(model.patient)
        model.set_age(self.value)

    def undo(self, model: DrawingModel) -> None:
        model.answers.pop("age", None)
        model.answers.update(self.old_answers)
        model.set_patient(self.old_patient)
        model._emit(Change(ChangeKind.ANSWERS, answers=("age",)))


@dataclass
class SetPatient(Edit):
    patient: dict[str, Any] | None = None
    old: dict[str, Any] | None = None

    def do(self, model: DrawingModel) -> None:
        self.old = model.patient
        model.set_patient(self.patient)

    def undo(self, model: DrawingModel) -> None:
        model.set_patient(self.old)
