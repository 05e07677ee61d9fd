"""The editable drawing without Qt: undo, redo, redo after undo, the edit builders (erase,
tap, tick, rate) and the typed change events. The GUI's undo stack only calls these."""

from __future__ import annotations

import pytest

from hipmap.core.document import Document, RegionMark, Stroke
from hipmap.model.builders import erase_along, rate_region, rub_out, tap_region, tick_region
from hipmap.model.drawing import Change, ChangeKind, DrawingModel
from hipmap.model.edits import AddMarks, Edit, RemoveMarks, ReplaceMarks, SetAge, SetAnswer

#: a vertical stroke down the patient's right buttock and back of the thigh (back view)
BUTTOCK_TO_THIGH = Stroke("back", tuple((385.0, float(y)) for y in range(180, 520, 10)), 16,
                          intensity=7)
GROIN = RegionMark("right.groin", intensity=4)


class Stack:
    """What QUndoStack does with edits, without Qt: do on push, LIFO undo, redo forward."""

    def __init__(self, model: DrawingModel) -> None:
        self.model, self.done, self.undone = model, [], []

    def push(self, edit: Edit | None) -> None:
        assert edit is not None
        edit.do(self.model)
        self.done.append(edit)
        self.undone.clear()

    def undo(self) -> None:
        edit = self.done.pop()
        edit.undo(self.model)
        self.undone.append(edit)

    def redo(self) -> None:
        edit = self.undone.pop()
        edit.do(self.model)
        self.done.append(edit)


def state(model: DrawingModel) -> tuple:
    """Everything a user sees of the drawing: marks by id, answers, and the coverage."""
    cov = {rid: (round(c.coverage, 6), c.intensity) for rid, c in model.coverage.all().items()}
    return dict(model.marks), dict(model.answers), model.patient, cov


@pytest.fixture
def model() -> DrawingModel:
    return DrawingModel()


def test_undo_redo_and_redo_after_undo_give_back_each_state(model):
    stack = Stack(model)
    states = [state(model)]
    stack.push(AddMarks("Stroke", [BUTTOCK_TO_THIGH]))
    states.append(state(model))
    stack.push(AddMarks("Fill groin", [GROIN]))
    states.append(state(model))
    stack.push(erase_along(model, "back", [(360.0, 300.0), (410.0, 300.0)], 20))
    states.append(state(model))
    stack.push(SetAnswer("Answer", answer="worse_sitting", value=True))
    states.append(state(model))
    assert len(model.marks) == 3 and model.answers == {"worse_sitting": True}
    for expected in reversed(states[:-1]):
        stack.undo()
        assert state(model) == expected
    for expected in states[1:]:
        stack.redo()
        assert state(model) == expected
    # redo after a partial undo, then a new edit drops the redo branch
    stack.undo()
    stack.undo()
    assert state(model) == states[2]
    stack.redo()
    assert state(model) == states[3]


def test_clear_all_then_undo_then_redo_keeps_the_ids(model):
    """The live bug of issue 8: undo must put marks back under their own ids, or the redo
    (and every older edit's undo) looks for ids that no longer exist (KeyError)."""
    stack = Stack(model)
    stack.push(AddMarks("Stroke", [BUTTOCK_TO_THIGH]))
    stack.push(AddMarks("Fill groin", [GROIN]))
    stack.push(erase_along(model, "back", [(360.0, 300.0), (410.0, 300.0)], 20))
    before = dict(model.marks)
    stack.push(RemoveMarks("Clear All", ids=list(model.marks)))
    assert model.marks == {}
    stack.undo()
    assert model.marks == before  # the same ids, the same marks
    stack.redo()
    assert model.marks == {}
    stack.undo()
    for _ in range(3):  # every older edit still undoes
        stack.undo()
    assert model.marks == {} and len(model.coverage) == 0
    for _ in range(4):
        stack.redo()
    assert model.marks == {}


def test_undo_of_a_removal_re_adds_the_same_ids(model):
    model.add_marks([BUTTOCK_TO_THIGH, GROIN])
    edit = RemoveMarks("Clear", ids=[1, 2])
    edit.do(model)
    model.add_marks([RegionMark("left.groin")])  # takes id 3: the next fresh id
    edit.undo(model)
    assert sorted(model.marks) == [1, 2, 3]
    assert model.marks[1] == BUTTOCK_TO_THIGH and model.marks[2] == GROIN


def test_an_id_in_use_is_refused(model):
    model.add_marks([GROIN])
    with pytest.raises(KeyError):
        model.add_marks([GROIN], ids=[1])


def test_erase_cuts_the_stroke_in_two_and_undo_restores_it(model):
    model.add_marks([BUTTOCK_TO_THIGH])
    full = model.coverage.area("right.buttock").coverage
    edit = erase_along(model, "back", [(350.0, 300.0), (420.0, 300.0)], 24)
    assert isinstance(edit, ReplaceMarks) and edit.name == "Erase"
    edit.do(model)
    pieces = list(model.marks.values())
    assert len(pieces) == 2 and all(isinstance(p, Stroke) for p in pieces)
    assert all(p.intensity == 7 and p.view == "back" for p in pieces)
    # nothing left where the eraser went
    assert all(abs(y - 300.0) > 12 for p in pieces for _, y in p.points)
    assert model.coverage.area("right.buttock").coverage < full
    edit.undo(model)
    assert list(model.marks.values()) == [BUTTOCK_TO_THIGH]
    assert model.coverage.area("right.buttock").coverage == pytest.approx(full)


def test_erase_elsewhere_or_in_another_view_changes_nothing(model):
    model.add_marks([BUTTOCK_TO_THIGH])
    assert erase_along(model, "back", [(100.0, 900.0)], 20) is None
    assert erase_along(model, "front", [(385.0, 300.0), (385.0, 400.0)], 40) is None


def test_tap_fills_then_empties_a_region(model):
    fill = tap_region(model, "right.groin", 6, "sharp")
    assert isinstance(fill, AddMarks) and fill.name == "Fill RIGHT groin and front of the hip"
    fill.do(model)
    assert list(model.marks.values()) == [RegionMark("right.groin", 6, "sharp")]
    empty = tap_region(model, "right.groin", 6, "sharp")
    assert isinstance(empty, RemoveMarks) and empty.name.startswith("Empty RIGHT groin")
    empty.do(model)
    assert model.marks == {}


def test_untick_drops_the_region_mark_and_rubs_out_strokes_inside_it(model):
    model.add_marks([BUTTOCK_TO_THIGH, RegionMark("right.buttock", 3)])
    assert tick_region(model, "right.buttock", True, 5, None) is None  # already ticked
    edit = tick_region(model, "right.buttock", False, 5, None)
    assert edit is not None and edit.name == "Clear RIGHT buttock"
    edit.do(model)
    left = model.coverage.area("right.buttock")
    assert left is None or left.coverage < 1e-4  # at most a rounding graze at the edge
    # what is left of the stroke lies outside the buttock: the back of the thigh still hurts
    assert "right.posterior_thigh" in model.coverage.regions()
    assert not any(isinstance(m, RegionMark) for m in model.marks.values())
    edit.undo(model)
    assert list(model.marks.values()) == [BUTTOCK_TO_THIGH, RegionMark("right.buttock", 3)]


def test_untick_with_nothing_there_is_no_edit(model):
    assert tick_region(model, "left.groin", False, 5, None) is None


def test_rate_region_ticks_then_replaces_keeping_coverage_and_unknown_keys(model):
    add = rate_region(model, "left.lateral_hip", 3, None)
    assert isinstance(add, AddMarks)
    model.add_marks([RegionMark("right.lateral_hip", 5, None, coverage=0.5,
                                extra={"x-note": "kept"})])
    assert rate_region(model, "right.lateral_hip", 5, None) is None  # nothing changes
    edit = rate_region(model, "right.lateral_hip", 8, "burning")
    edit.do(model)
    (mark,) = model.marks.values()
    assert (mark.intensity, mark.quality, mark.coverage) == (8, "burning", 0.5)
    assert mark.extra == {"x-note": "kept"}


def test_rub_out_drops_given_ids_even_without_strokes(model):
    model.add_marks([GROIN])
    edit = rub_out(model, "Clear", lambda _view: None, drop=[1])
    edit.do(model)
    assert model.marks == {}


def test_listeners_get_typed_changes(model):
    seen: list[Change] = []
    model.subscribe(seen.append)
    model.add_marks([GROIN])
    model.set_answer("worse_sitting", True)
    model.set_patient({"id": "P-1"})
    model.load(Document())
    assert [c.kind for c in seen] == [ChangeKind.MARKS, ChangeKind.ANSWERS,
                                      ChangeKind.PATIENT, ChangeKind.RESET]
    assert seen[0].added == (1,) and "right.groin" in seen[0].areas
    assert seen[1].answers == ("worse_sitting",)
    assert all(isinstance(c.kind, ChangeKind) for c in seen)


def test_set_age_is_one_step_in_both_places(model):
    model.set_patient({"id": "P-1", "age": 40})
    edit = SetAge("Set age", value=58)
    edit.do(model)
    assert model.answers["age"] == 58 and model.patient == {"id": "P-1", "age": 58}
    edit.undo(model)
    assert "age" not in model.answers and model.patient == {"id": "P-1", "age": 40}


def test_assessment_follows_each_edit(model):
    assert model.assessment().nothing_recorded is True
    model.add_marks([GROIN])
    assert [r.id for r in model.assessment().regions] == ["right.groin"]
    model.remove_marks([1])
    assert model.assessment().regions == ()


def test_stroke_ids_lists_only_the_strokes_of_the_view_asked_for():
    model = DrawingModel()
    front = Stroke("front", ((300.0, 300.0), (310.0, 320.0)), 12)
    model.add_marks([BUTTOCK_TO_THIGH, GROIN, front])
    by_id = dict(model.marks)
    back_ids, front_ids, all_ids = (model.stroke_ids("back"), model.stroke_ids("front"),
                                    model.stroke_ids())
    assert [by_id[i] for i in back_ids] == [BUTTOCK_TO_THIGH]
    assert [by_id[i] for i in front_ids] == [front]
    assert sorted(all_ids) == sorted(back_ids + front_ids)  # the region mark is no stroke
