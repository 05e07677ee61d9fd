"""The editable drawing: marks with stable ids, answers, patient header — Qt-free.

Every user action is an :class:`~hipmap.model.edits.Edit` with ``do``/``undo`` that calls the
model's plain methods; the GUI wraps edits in ``QUndoCommand`` (one finished stroke = one
undo step).
Listeners are told what changed; the model never touches widgets. The model keeps the live,
incremental region coverage so the ranking follows the pen without recomputing geometry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from hipmap.core.document import Document, Mark, Stroke, validate_answers, validate_patient

if TYPE_CHECKING:
    from hipmap.geometry.coverage import Coverage
    from hipmap.knowledge.assessment import Assessment


class ChangeKind(Enum):
    """What a :class:`Change` is about."""

    MARKS = "marks"  #: marks added and/or removed (``added``, ``removed``, ``areas``)
    ANSWERS = "answers"  #: answers set or cleared (``answers``)
    PATIENT = "patient"  #: the patient header
    RESET = "reset"  #: a whole document was loaded: redraw everything
    RECORDED_AT = "recorded_at"  #: when the drawing was made


@dataclass(frozen=True)
class Change:
    """One notification to the model's listeners."""

    kind: ChangeKind
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    areas: frozenset[str] = frozenset()  # region/dermatome ids whose coverage changed
    answers: tuple[str, ...] = ()


Listener = Callable[[Change], None]
#: the changes that are the user's own edits (a new drawing gets its ``recorded_at`` then)
_EDITS = (ChangeKind.MARKS, ChangeKind.ANSWERS, ChangeKind.PATIENT)


class DrawingModel:
    def __init__(self, doc: Document | None = None, *, atlas: Any = None) -> None:
        from hipmap.geometry.coverage import Coverage  # numpy + shapely: only when needed

        self._coverage = Coverage(atlas)
        self._listeners: list[Listener] = []
        self._next_id = 1
        self.marks: dict[int, Mark] = {}
        self.answers: dict[str, Any] = {}
        self.patient: dict[str, Any] | None = None
        self.recorded_at: str | None = None
        self.extra: dict[str, Any] = {}
        self._assessment: Assessment | None = None
        #: the app sets this: a drawing without ``recorded_at`` gets the time of its first
        #: edit (UTC), so that its record and its FHIR export carry when it was drawn
        self.stamp_new_drawings = False
        self.load(doc or Document())

    # ----------------------------------------------------------------- document
    def load(self, doc: Document) -> None:
        from hipmap.geometry.coverage import check_budget

        check_budget(doc.marks)  # a drawing too costly to assess is refused before any change
        self._coverage.clear()
        self.marks = {}
        ids = range(1, len(doc.marks) + 1)
        self.marks = dict(zip(ids, doc.marks, strict=True))
        self._coverage.add_many(self.marks.items())  # one union per region, not per mark
        self._next_id = len(doc.marks) + 1
        self.answers = dict(doc.answers)
        self.patient = dict(doc.patient) if doc.patient is not None else None
        self.recorded_at = doc.recorded_at
        self.extra = dict(doc.extra)
        self._emit(Change(ChangeKind.RESET))

    def document(self) -> Document:
        return Document(marks=list(self.marks.values()), answers=dict(self.answers),
                        patient=dict(self.patient) if self.patient is not None else None,
                        recorded_at=self.recorded_at, extra=dict(self.extra))

    @property
    def coverage(self) -> Coverage:
        return self._coverage

    def assessment(self) -> Assessment:
        """The current assessment, computed once per change from the live coverage."""
        if self._assessment is None:
            from hipmap.knowledge.assessment import assess

            self._assessment = assess(self.document(), coverage=self._coverage)
        return self._assessment

    # ----------------------------------------------------------------- listeners
    def subscribe(self, fn: Listener) -> Callable[[], None]:
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn)

    def _emit(self, change: Change) -> None:
        self._assessment = None
        if self.stamp_new_drawings and self.recorded_at is None and change.kind in _EDITS \
                and (self.marks or self.answers):
            from datetime import UTC, datetime

            self.recorded_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for fn in list(self._listeners):
            fn(change)

    def set_recorded_at(self, value: str | None) -> None:
        self.recorded_at = value
        self._emit(Change(ChangeKind.RECORDED_AT))

    # ----------------------------------------------------------------- primitives
    def _insert(self, mid: int, mark: Mark) -> set[str]:
        self.marks[mid] = mark
        return self._coverage.add(mid, mark)

    def _add(self, marks: list[Mark], ids: list[int] | None) -> tuple[list[int], set[str]]:
        if ids is None:
            ids = list(range(self._next_id, self._next_id + len(marks)))
        areas: set[str] = set()
        for mid, m in zip(ids, marks, strict=True):
            if mid in self.marks:
                raise KeyError(f"mark id {mid} already in use")
            areas |= self._insert(mid, m)
            self._next_id = max(self._next_id, mid + 1)
        self.marks = dict(sorted(self.marks.items()))  # ids grow: this is drawing order
        return ids, areas

    def _remove(self, ids: Iterable[int]) -> tuple[list[tuple[int, Mark]], set[str]]:
        removed, areas = [], set()
        for mid in list(ids):
            removed.append((mid, self.marks.pop(mid)))
            areas |= self._coverage.remove(mid)
        return removed, areas

    def add_marks(self, marks: Iterable[Mark], ids: Iterable[int] | None = None) -> list[int]:
        added, areas = self._add(list(marks), None if ids is None else list(ids))
        if added:
            self._emit(Change(ChangeKind.MARKS, added=tuple(added), areas=frozenset(areas)))
        return added

    def remove_marks(self, ids: Iterable[int]) -> list[tuple[int, Mark]]:
        removed, areas = self._remove(ids)
        if removed:
            self._emit(Change(ChangeKind.MARKS, removed=tuple(i for i, _ in removed),
                              areas=frozenset(areas)))
        return removed

    def replace_marks(self, remove: Iterable[int], add: Iterable[Mark],
                      add_ids: Iterable[int] | None = None) -> list[int]:
        """Remove and add as one change (erasing cuts strokes into pieces)."""
        removed, areas = self._remove(remove)
        added, more = self._add(list(add), None if add_ids is None else list(add_ids))
        self._emit(Change(ChangeKind.MARKS, added=tuple(added),
                          removed=tuple(i for i, _ in removed), areas=frozenset(areas | more)))
        return added

    def set_answer(self, answer_id: str, value: Any) -> None:
        """Set (or with ``None`` clear) one answer; invalid values raise InputError."""
        if value is None:
            validate_answers({answer_id: None})
            self.answers.pop(answer_id, None)
        else:
            self.answers.update(validate_answers({answer_id: value}))
        self._emit(Change(ChangeKind.ANSWERS, answers=(answer_id,)))

    def set_patient(self, patient: dict[str, Any] | None) -> None:
        """Set the patient header; one that could not be saved raises InputError."""
        if patient is not None:
            patient = validate_patient(patient)
        self.patient = patient
        self._emit(Change(ChangeKind.PATIENT))

    @property
    def age(self) -> float | None:
        """The one age: ``answers.age``, else ``patient.age`` (contract section 2)."""
        return self.document().age

    def set_age(self, value: float | None) -> None:
        """Set (or with ``None`` clear) the age in both places it may be stored, so the
        patient header and the "How old are you?" answer can never disagree."""
        if value is None:
            self.answers.pop("age", None)
        else:
            self.answers.update(validate_answers({"age": value}))
        patient = dict(self.patient or {})
        if value is None:
            patient.pop("age", None)
        else:
            patient["age"] = self.answers["age"]
        self.patient = patient or None
        self._emit(Change(ChangeKind.PATIENT))
        self._emit(Change(ChangeKind.ANSWERS, answers=("age",)))

    def stroke_ids(self, view: str | None = None) -> list[int]:
        return [i for i, m in self.marks.items()
                if isinstance(m, Stroke) and (view is None or m.view == view)]
