"""The drawing model's promises in detail (Qt-free): loading and saving back every field,
fresh ids after a load, the cached assessment, unsubscribing, stamping a new drawing's time,
the areas each change reports, the one age, and the edit builders' names and marks."""

from __future__ import annotations

import json
import re

import pytest

from hipmap.core.document import Document, RegionMark, Stroke
from hipmap.model.builders import rate_region, rub_out, tap_region, tick_region
from hipmap.model.drawing import ChangeKind, DrawingModel
from hipmap.model.edits import AddMarks, SetAge, SetAnswer, SetPatient
from hipmap.model.store import (
    FileDocumentStore,
    JsonRecentList,
    VersionConflict,
)

THIGH = Stroke("back", tuple((385.0, float(y)) for y in range(380, 520, 10)), 16, intensity=6)
GROIN = RegionMark("right.groin", 4, "sharp")
DOC = Document([THIGH, GROIN], {"worse_sitting": True}, patient={"id": "P-1", "sex": "male"},
               recorded_at="2026-11-30T08:00:00Z", extra={"x-clinic": "north"})


def test_a_loaded_document_comes_back_whole_and_new_marks_get_fresh_ids():
    model = DrawingModel(DOC)
    assert list(model.marks) == [1, 2]
    assert model.document().to_json() == DOC.to_json()
    assert model.patient == {"id": "P-1", "sex": "male"} and model.patient is not DOC.patient
    assert model.recorded_at == "2026-11-30T08:00:00Z" and model.extra == {"x-clinic": "north"}
    assert model.add_marks([RegionMark("left.groin")]) == [3]
    empty = DrawingModel()
    assert (empty.marks, empty.answers, empty.patient, empty.recorded_at, empty.extra) == (
        {}, {}, None, None, {})
    assert empty.add_marks([GROIN]) == [1] and not empty.stamp_new_drawings
    empty.load(Document())
    assert empty.add_marks([GROIN]) == [1]  # a new drawing numbers from 1 again


def test_the_assessment_is_computed_once_per_change():
    model = DrawingModel(DOC)
    a = model.assessment()
    assert model.assessment() is a
    assert {r.id for r in a.regions} >= {"right.groin", "right.posterior_thigh"}
    model.set_answer("worse_sitting", False)
    b = model.assessment()
    assert b is not a and model.assessment() is b


def test_unsubscribing_stops_the_notifications():
    model = DrawingModel()
    seen: list = []
    stop = model.subscribe(seen.append)
    model.add_marks([GROIN])
    stop()
    model.add_marks([GROIN])
    assert len(seen) == 1


@pytest.mark.parametrize("edit, stamped", [
    (lambda m: m.add_marks([GROIN]), True),
    (lambda m: m.set_answer("age", 40), True),
    (lambda m: m.set_patient({"id": "P-9"}), False),  # a header alone is not a drawing yet
    (lambda m: m.load(Document([GROIN])), False),  # opening a file is not drawing it
])
def test_a_new_drawing_gets_the_time_of_its_first_edit(edit, stamped):
    model = DrawingModel()
    model.stamp_new_drawings = True
    edit(model)
    if stamped:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", model.recorded_at or "")
    else:
        assert model.recorded_at is None
    old = DrawingModel(DOC)
    old.stamp_new_drawings = True
    old.add_marks([GROIN])
    assert old.recorded_at == "2026-11-30T08:00:00Z"  # never changed once known


def test_each_change_reports_every_area_it_touched():
    model = DrawingModel()
    seen: list = []
    model.subscribe(seen.append)
    model.add_marks([THIGH, GROIN])
    added = seen[-1]
    assert added.kind is ChangeKind.MARKS and added.added == (1, 2) and added.removed == ()
    assert {"right.posterior_thigh", "right.groin"} <= added.areas
    model.remove_marks([1, 2])
    removed = seen[-1]
    assert removed.removed == (1, 2) and removed.added == ()
    assert removed.areas == added.areas
    model.add_marks([GROIN])
    model.replace_marks([3], [THIGH])
    replaced = seen[-1]
    assert replaced.removed == (3,) and replaced.added == (4,)
    assert {"right.groin", "right.posterior_thigh"} <= replaced.areas
    assert len(seen) == 4  # removing nothing reports nothing
    model.remove_marks([])
    assert len(seen) == 4


def test_ids_in_use_and_mismatched_ids_are_refused():
    model = DrawingModel()
    model.add_marks([GROIN])
    with pytest.raises(KeyError, match="mark id 1 already in use"):
        model.add_marks([GROIN], ids=[1])
    with pytest.raises(ValueError):
        model.add_marks([GROIN, GROIN], ids=[7])


def test_the_age_lives_in_both_places_and_clears_from_both():
    model = DrawingModel()
    seen: list = []
    model.subscribe(seen.append)
    model.set_age(58)
    assert model.answers == {"age": 58} and model.patient == {"age": 58}
    assert [c.kind for c in seen] == [ChangeKind.PATIENT, ChangeKind.ANSWERS]
    assert seen[1].answers == ("age",)
    model.set_patient({"id": "P-2", "age": 58})
    model.set_age(None)
    assert "age" not in model.answers and model.patient == {"id": "P-2"}
    model.set_answer("worse_sitting", True)
    model.set_answer("worse_sitting", None)
    model.set_answer("worse_sitting", None)  # clearing an unset answer is fine
    assert model.answers == {}


def test_answer_age_and_patient_edits_undo_to_what_was_there():
    model = DrawingModel(DOC)
    edit = SetAnswer("Answer", answer="worse_sitting", value=False)
    edit.do(model)
    assert model.answers["worse_sitting"] is False
    edit.undo(model)
    assert model.answers["worse_sitting"] is True
    age = SetAge("Set age", value=70)
    model.set_answer("age", 61)
    seen: list = []
    model.subscribe(seen.append)
    age.do(model)
    age.undo(model)
    assert model.answers["age"] == 61 and model.patient == {"id": "P-1", "sex": "male"}
    assert seen[-1].kind is ChangeKind.ANSWERS and seen[-1].answers == ("age",)
    header = SetPatient("Patient", patient={"id": "P-3"})
    header.do(model)
    header.undo(model)
    assert model.patient == {"id": "P-1", "sex": "male"}


def test_builders_name_each_step_and_make_the_marks_asked_for():
    model = DrawingModel()
    tick = tick_region(model, "left.lateral_hip", True, 7, "burning")
    assert isinstance(tick, AddMarks) and tick.name == "Tick LEFT outer hip"
    assert tick.marks == [RegionMark("left.lateral_hip", 7, "burning")]
    tick.do(model)
    rate = rate_region(model, "left.lateral_hip", 3, None)
    assert rate.name == "Set LEFT outer hip" and rate.add == [RegionMark("left.lateral_hip", 3)]
    fresh = rate_region(model, "right.ischial", 2, "dull_ache")
    assert fresh.name == "Tick RIGHT sitting bone"
    assert fresh.marks == [RegionMark("right.ischial", 2, "dull_ache")]
    fill = tap_region(model, "right.anterior_knee", 9, None)
    assert fill.name == "Fill RIGHT front of the knee" and fill.marks[0].intensity == 9
    empty = tap_region(model, "left.lateral_hip", 1, None)
    assert empty.name == "Empty LEFT outer hip" and empty.ids == [1]


def test_rubbing_out_looks_past_region_marks_to_every_stroke():
    model = DrawingModel()
    model.add_marks([GROIN, RegionMark("left.groin"), THIGH, THIGH])
    edit = rub_out(model, "Clear", lambda view: None if view != "back" else
                   __import__("shapely").geometry.box(0, 0, 1000, 1000))
    assert edit.remove == [3, 4] and edit.add == []
    clear = tick_region(model, "right.posterior_thigh", False, 5, None)
    assert clear.name == "Clear RIGHT back of the thigh" and clear.remove == [3, 4]
    assert all(isinstance(m, Stroke) for m in clear.add)


def test_the_file_store_names_versions_and_conflicts(tmp_path):
    store = FileDocumentStore(None, JsonRecentList(tmp_path / "recent.json"))
    path = str(tmp_path / "Café.hipmap.json")
    saved = store.save(DOC, path, expected=None)
    assert saved.document is DOC and saved.ref == path and saved.name == "Café.hipmap.json"
    opened = store.open(path)
    assert opened.ref == path and opened.name == "Café.hipmap.json"
    assert '"' + path + '"' in (tmp_path / "recent.json").read_text(encoding="utf-8")
    (tmp_path / "Café.hipmap.json").write_text(json.dumps({"format": "hipmap.drawing/1"}))
    with pytest.raises(VersionConflict) as err:
        store.save(DOC, path, expected=opened.version)
    assert err.value.ref == path and err.value.found is not None
    assert str(err.value) == (f"{path}: changed since it was opened (read {opened.version}, "
                              f"now {err.value.found})")
    store.forget(path)
    assert store.recent() == []


def test_clearing_an_age_that_was_never_given_changes_nothing_and_raises_nothing():
    model = DrawingModel()
    model.set_patient({"id": "P-3"})
    model.set_age(None)
    assert model.answers == {} and model.patient == {"id": "P-3"}


def test_an_undo_step_is_named_after_the_first_region_the_stroke_crosses():
    from hipmap.model.edits import stroke_name

    assert stroke_name([]) == "Stroke"
    # the short label in the Edit menu, not the long one with its explanation in brackets
    assert stroke_name(["right.sacroiliac"]) == "Stroke on RIGHT sacroiliac joint area"
    assert stroke_name(["left.ischial", "right.groin"]) == (
        "Stroke on LEFT sitting bone and 1 more region")
    assert stroke_name(["left.ischial", "right.groin", "right.sacroiliac"]) == (
        "Stroke on LEFT sitting bone and 2 more regions")


def test_the_models_assessment_reuses_its_live_coverage(monkeypatch):
    """The ranking follows the pen because the model hands its incremental coverage to the
    matcher instead of recomputing every region from all strokes on each change."""
    from hipmap.knowledge import assessment

    seen = []
    real = assessment.assess

    def spy(doc, **kwargs):
        seen.append(kwargs.get("coverage"))
        return real(doc, **kwargs)

    monkeypatch.setattr(assessment, "assess", spy)
    model = DrawingModel()
    model.add_marks([GROIN])
    model.assessment()
    assert len(seen) == 1 and seen[0] is model.coverage
