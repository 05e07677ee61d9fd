"""The drawing document: contract section 2, strict validation, round trips."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmap.core import document
from hipmap.core.document import Document, RegionMark, Stroke
from hipmap.core.errors import InputError

CONTRACT_EXAMPLE = {
    "format": "hipmap.drawing/1",
    "recorded_at": "2026-11-25T10:30:00Z",
    "patient": {"id": "P-0042", "age": 58, "sex": "female"},
    "marks": [
        {"kind": "stroke", "view": "back", "width": 14,
         "points": [[412.0, 388.5], [414.2, 402.0], [415.0, 431.7]],
         "intensity": 7, "quality": "shooting"},
        {"kind": "region", "region": "right.lateral_hip", "intensity": 5,
         "quality": "dull_ache"},
    ],
    "answers": {"worse_lying_on_side": True, "duration_days": 30, "age": 58},
}


def doc_of(**over):
    d = json.loads(json.dumps(CONTRACT_EXAMPLE))
    d.update(over)
    return d


def bad(obj_or_text):
    data = obj_or_text if isinstance(obj_or_text, bytes | str) else json.dumps(obj_or_text)
    with pytest.raises(InputError) as exc:
        document.loads(data, source="case.hipmap.json")
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith("case.hipmap.json")
    return msg


def test_contract_example_loads_with_every_field():
    doc = document.loads(json.dumps(CONTRACT_EXAMPLE))
    stroke, region = doc.marks
    assert isinstance(stroke, Stroke) and stroke.view == "back" and stroke.width == 14
    assert stroke.points[2] == (415.0, 431.7) and stroke.quality == "shooting"
    assert isinstance(region, RegionMark) and region.region == "right.lateral_hip"
    assert region.coverage == 1.0
    assert doc.patient["id"] == "P-0042"
    assert doc.answers == {"worse_lying_on_side": True, "duration_days": 30, "age": 58}


def test_round_trip_keeps_unknown_top_level_and_mark_keys(tmp_path):
    src = doc_of(clinic={"site": "North"}, future_field=[1, 2])
    src["marks"][0]["pressure"] = [0.3, 0.5, 0.9]
    path = tmp_path / "a.hipmap.json"
    path.write_text(json.dumps(src))
    doc = document.load(path)
    out = tmp_path / "b.hipmap.json"
    document.save(doc, out)
    again = json.loads(out.read_text())
    assert again["clinic"] == {"site": "North"} and again["future_field"] == [1, 2]
    assert again["marks"][0]["pressure"] == [0.3, 0.5, 0.9]
    assert document.load(out).to_json() == doc.to_json()
    assert again["answers"]["age"] == 58 and isinstance(again["answers"]["age"], int)


def test_defaults_intensity_5_and_age_from_patient():
    doc = document.loads(json.dumps({
        "format": "hipmap.drawing/1", "patient": {"age": 71},
        "marks": [{"kind": "region", "region": "left.groin"}]}))
    assert doc.marks[0].intensity == 5
    assert doc.effective_answers() == {"age": 71.0}
    doc2 = document.loads(json.dumps(doc_of()))
    assert doc2.age == 58


def test_minor_version_of_same_major_is_accepted():
    assert document.loads(json.dumps(doc_of(format="hipmap.drawing/1.3"))).marks


def test_null_answer_means_not_asked():
    doc = document.loads(json.dumps(doc_of(answers={"worse_sitting": None})))
    assert "worse_sitting" not in doc.answers


@pytest.mark.parametrize("case, expect", [
    (b"{not json", "invalid JSON at line 1"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"\xff\xfe\xfa{}", "not UTF-8"),
    ("[1, 2]", "must be a JSON object"),
    ({"marks": []}, "missing \"format\""),
    (doc_of(format="hipmap.drawing/2"), "unsupported format version"),
    (doc_of(format="pain/1"), "\"format\" must be"),
    (doc_of(marks="x"), "$.marks"),
    (doc_of(marks=[{"kind": "circle"}]), "unknown mark kind"),
    (doc_of(marks=[{"view": "back"}]), "needs \"kind\""),
    (doc_of(marks=[{"kind": "stroke", "view": "top", "width": 3, "points": [[1, 2]]}]),
     "unknown view"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": -4, "points": [[1, 2]]}]),
     "$.marks[0].width"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 1e9, "points": [[1, 2]]}]),
     "out of range"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 0, "points": [[1, 2]]}]),
     "greater than 0"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": "5", "points": [[1, 2]]}]),
     "must be a number"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 5, "points": []}]),
     "at least one point"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 5, "points": [[1, 2, 3]]}]),
     "$.marks[0].points[0]"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 5, "points": [[1e300, 2]]}]),
     "$.marks[0].points[0][0]"),
    (doc_of(marks=[{"kind": "stroke", "view": "back", "width": 5, "points": [[True, 2]]}]),
     "must be a number"),
    (doc_of(marks=[{"kind": "region", "region": "right.elbow"}]), "unknown region id"),
    (doc_of(marks=[{"kind": "region", "region": "right.groin", "intensity": 11}]),
     "$.marks[0].intensity"),
    (doc_of(marks=[{"kind": "region", "region": "right.groin", "quality": "throbbing"}]),
     "unknown quality"),
    (doc_of(marks=[{"kind": "region", "region": "right.groin", "coverage": 2}]),
     "$.marks[0].coverage"),
    (doc_of(answers={"worse_sittin": True}), "did you mean 'worse_sitting'"),
    (doc_of(answers={"worse_sitting": "yes"}), "must be true or false"),
    (doc_of(answers={"age": -3}), "$.answers.age"),
    (doc_of(answers=[1]), "$.answers"),
    (doc_of(patient={"age": "old"}), "$.patient.age"),
    (doc_of(recorded_at="yesterday"), "ISO 8601"),
])
def test_bad_input_is_one_clear_line_naming_the_place(case, expect):
    assert expect in bad(case)


def test_nan_and_infinity_are_rejected():
    text = json.dumps(doc_of()).replace("412.0", "NaN")
    assert "NaN" in bad(text)
    assert "Infinity" in bad(json.dumps(doc_of()).replace("412.0", "-Infinity"))


def test_a_million_points_is_refused_quickly():
    pts = [[500.0, 500.0]] * 1_000_000
    msg = bad({"format": "hipmap.drawing/1",
               "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": pts}]})
    assert "limit" in msg and "$.marks[0].points" in msg


def test_many_strokes_with_too_many_points_in_all():
    mark = {"kind": "stroke", "view": "back", "width": 5, "points": [[1, 1]] * 15_000}
    msg = bad({"format": "hipmap.drawing/1", "marks": [mark] * 20})
    assert "points in all" in msg


def test_fifty_megabyte_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.hipmap.json"
    with open(path, "wb") as fh:
        fh.write(b'{"format": "hipmap.drawing/1", "pad": "')
        fh.write(b"x" * (50 * 1024 * 1024))
        fh.write(b'"}')
    with pytest.raises(InputError, match="larger than"):
        document.load(path)


def test_deeply_nested_json_is_a_clean_error():
    assert "nested too deeply" in bad("[" * 100_000 + "]" * 100_000)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        document.load(tmp_path / "nope.json")
    with pytest.raises(InputError, match="directory"):
        document.load(tmp_path)


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "d.hipmap.json"
    document.save(Document(), path)
    document.save(document.loads(json.dumps(CONTRACT_EXAMPLE)), path)
    assert [p.name for p in tmp_path.iterdir()] == ["d.hipmap.json"]
    assert len(document.load(path).marks) == 2


# ---------------------------------------------------------------- fuzzing

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
json_values = st.recursive(json_scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=6), kids, max_size=4)),
    max_leaves=20)
points = st.lists(st.one_of(
    st.tuples(st.floats(-50, 700), st.floats(-50, 1050)).map(list), json_values),
    max_size=6)
marks = st.one_of(
    st.fixed_dictionaries({
        "kind": st.sampled_from(["stroke", "region", "blob"]),
        "view": st.sampled_from(["front", "back", "right_side", "left_side", "top"]),
        "width": st.one_of(st.floats(-5, 300), json_scalars),
        "points": points,
        "intensity": st.one_of(st.integers(-2, 12), json_scalars),
    }),
    st.fixed_dictionaries({
        "kind": st.just("region"),
        "region": st.sampled_from(["right.groin", "left.buttock", "right.knee", 3]),
        "quality": st.sampled_from(["burning", "dull_ache", "itchy", None]),
        "coverage": st.one_of(st.floats(-1, 2), st.none()),
    }),
    json_values,
)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["hipmap.drawing/1", "hipmap.drawing/1.2", "hipmap.drawing/9",
                                 None, 7])},
    optional={"marks": st.one_of(st.lists(marks, max_size=5), json_values),
              "answers": st.one_of(st.dictionaries(st.sampled_from(
                  ["age", "worse_sitting", "leg_weakness", "duration_days", "bogus"]),
                  json_scalars, max_size=4), json_values),
              "patient": json_values, "recorded_at": json_values, "extra": json_values})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_random_documents_give_a_valid_document_or_a_clean_error(obj):
    try:
        doc = document.from_json(obj)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    for m in doc.marks:
        assert 0 <= m.intensity <= 10
        if isinstance(m, Stroke):
            assert m.width > 0 and all(math.isfinite(v) for p in m.points for v in p)
    assert document.loads(doc.dumps()).to_json() == doc.to_json()


# ------------------------------------------------- what a saved region mark keeps (mutants)

def test_a_region_marks_quality_and_part_coverage_are_saved_under_the_contract_keys():
    mark = RegionMark("right.lateral_hip", 5, quality="shooting", coverage=0.5)
    out = mark.to_json()
    assert out["quality"] == "shooting"
    assert out["coverage"] == 0.5
    # and they come back on reading, so a saved drawing reopens as it was painted
    back = document.from_json(doc_of(marks=[out])).marks[0]
    assert (back.quality, back.coverage) == ("shooting", 0.5)


def test_a_whole_region_mark_is_saved_without_a_coverage_key():
    # 1.0 is the contract's default (the whole region): only a part is written out
    assert "coverage" not in RegionMark("right.groin", 5).to_json()


def test_a_drawing_whose_ink_is_exactly_at_the_limit_still_opens(monkeypatch):
    d = doc_of()
    ink = document.stroke_ink(document.from_json(d).marks[0])
    monkeypatch.setattr(document, "MAX_INK", ink)  # the limit is "more than", not "as much as"
    assert len(document.from_json(doc_of()).marks) == 2
    monkeypatch.setattr(document, "MAX_INK", ink * 0.999)
    with pytest.raises(InputError, match="paint more than the limit"):
        document.from_json(doc_of())


def test_the_too_many_points_message_names_the_limit():
    n = document.MAX_POINTS_PER_STROKE + 1
    stroke = {"kind": "stroke", "view": "back", "width": 10, "points": [[1.0, 1.0]] * n}
    msg = bad(doc_of(marks=[stroke]))
    assert str(document.MAX_POINTS_PER_STROKE) in msg and str(n) in msg


def test_an_overlong_recorded_at_is_refused():
    # a valid time with (needlessly) many fractional digits, exactly as long as allowed
    ok = "2026-11-25T10:30:00." + "1" * (document.MAX_RECORDED_AT - 26) + "+00:00"
    assert len(ok) == document.MAX_RECORDED_AT
    assert document.from_json(doc_of(recorded_at=ok)).recorded_at == ok
    longer = ok.replace(".", ".1")
    assert "recorded_at" in bad(doc_of(recorded_at=longer))


def test_a_bad_patient_field_is_named_by_its_path_when_the_app_checks_an_edit():
    with pytest.raises(InputError) as err:
        document.validate_patient({"id": "P-1", "note": "bell\x07"})
    assert err.value.path == "$.patient.note"


def test_a_file_that_grows_past_the_limit_while_read_is_seen_as_too_large(tmp_path,
                                                                           monkeypatch):
    """The size is checked before reading; a file that grows in between (a copy still being
    written) must still read as over the limit, never as a silently cut-off file."""
    limit = 1 << 20  # one full read chunk: the growth is only seen by reading once more
    path = tmp_path / "growing.hipmap.json"
    path.write_bytes(b" " * limit)
    real_stat = document.os.stat

    def stat_then_grow(p, *a, **k):
        st = real_stat(p, *a, **k)
        with open(path, "ab") as f:
            f.write(b"more")
        return st

    monkeypatch.setattr(document.os, "stat", stat_then_grow)
    assert len(document.read_file_bytes(path, limit)) == limit + 1


def test_an_unreadable_file_name_gets_a_reason_not_an_empty_message():
    with pytest.raises(InputError) as err:
        document.read_file_bytes("bad\x00name.hipmap.json", 1000)
    assert isinstance(err.value.message, str) and err.value.message.strip()
    assert "None" not in str(err.value)


def test_a_saved_file_keeps_accents_as_written_not_as_escapes(tmp_path):
    doc = Document(marks=[RegionMark("left.groin", 4)], patient={"id": "Zoë Ñúñez"})
    text = doc.dumps()
    assert '"id": "Zoë Ñúñez"' in text and "\\u" not in text
    path = tmp_path / "d.hipmap.json"
    document.save(doc, path)
    assert "Zoë Ñúñez" in path.read_text(encoding="utf-8")
    assert document.load(path).patient == {"id": "Zoë Ñúñez"}


def test_a_marks_unknown_keys_are_kept_apart_from_the_ones_hipmap_reads():
    region = {"kind": "region", "region": "left.groin", "intensity": 4, "quality": "sharp",
              "coverage": 0.5, "pen": "stylus"}
    stroke = {"kind": "stroke", "view": "back", "width": 5, "points": [[1, 1]],
              "intensity": 3, "quality": "burning", "pressure": [0.4]}
    r, s = document.from_json(doc_of(marks=[region, stroke])).marks
    assert r.extra == {"pen": "stylus"} and s.extra == {"pressure": [0.4]}
    assert r.to_json() == region and s.to_json() == stroke


def test_a_number_too_large_for_a_float_is_out_of_range_not_a_crash():
    from hipmap.core.document import validate_answers

    with pytest.raises(InputError) as err:
        validate_answers({"age": 10 ** 400})
    assert err.value.one_line() == "at $.answers.age: is out of range"


def test_long_values_in_messages_are_cut_to_forty_characters():
    view = "v" * 60
    msg = bad(doc_of(marks=[{"kind": "stroke", "view": view, "width": 5, "points": [[1, 1]]}]))
    assert f'unknown view "{"v" * 36}...;' in msg and len('"' + "v" * 36 + "...") == 40


def test_each_json_type_is_named_in_words():
    from hipmap.core.document import _type

    assert [_type(v) for v in ({}, [], "x", True, 1, 1.5, None)] == [
        "an object", "a list", "a string", "a boolean", "a number", "a number", "null"]
    assert "must be a list of marks, not a boolean" in bad(doc_of(marks=True))


def test_a_file_is_saved_into_folders_that_do_not_exist_yet(tmp_path):
    target = tmp_path / "a" / "b" / "c.json"
    document.atomic_write_text(target, '{"x": 1}')
    assert target.read_text() == '{"x": 1}'


def test_a_save_that_would_write_broken_json_writes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "d.hipmap.json"
    path.write_text("the old drawing")
    monkeypatch.setattr(Document, "dumps", lambda self: '{"format": "hipmap.drawing/1", ')
    with pytest.raises(ValueError, match="not valid"):
        document.save(Document(), path)
    assert path.read_text() == "the old drawing"
