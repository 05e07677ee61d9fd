"""The one wording of every surface (hipmap.knowledge.texts), exactly: percentages, coverage,
numbers, effects, lists, the red-flag 'ask about' line, cause and region names with the
patient's side, and the patient header."""

from __future__ import annotations

import dataclasses
import math

import pytest

from hipmap.core.ids import OTHER
from hipmap.knowledge import texts as t
from hipmap.knowledge.base import CauseTable, load_knowledge

KB = load_knowledge()


@pytest.mark.parametrize("fraction, text", [
    (0, "0%"), (0.0001, "<1%"), (0.00499, "<1%"), (0.005, "<1%"), (0.0051, "1%"),
    (0.125, "12%"), (0.126, "13%"), (1, "100%")])
def test_coverage_text(fraction, text):
    assert t.coverage_text(fraction) == text


@pytest.mark.parametrize("value, text", [
    (7, "7"), (7.0, "7"), (6.5, "6.5"), (6.333, "6.33"), (0, "0"), (-2, "-2"),
    (1e16, "1e+16"), (58.25, "58.25")])
def test_number_text(value, text):
    assert t.number_text(value) == text


@pytest.mark.parametrize("effect, text", [
    (0.01, "makes it slightly more likely"), (-0.01, "makes it slightly less likely"),
    (math.log(2.34), "makes it 2.3 times more likely"),
    (-math.log(2.34), "makes it 2.3 times less likely"),
    (math.log(12.4), "makes it 12 times more likely"),
    (math.log(1.05), "makes it 1.1 times more likely")])
def test_effect_text(effect, text):
    assert t.effect_text(effect) == text


def test_lists_read_as_sentences():
    assert t.list_text(["a", "b", "c"]) == "a, b, c"
    assert t.or_text([]) == "" and t.or_text(["a"]) == "a"
    assert t.or_text(["a", "b"]) == "a or b" and t.or_text(["a", "b", "c"]) == "a, b or c"
    assert t.and_text(["a"]) == "a" and t.and_text(["a", "b", "c"]) == "a, b and c"


def test_the_ask_about_line_names_three_topics_and_counts_the_rest():
    assert t.screening_text(["bowel_bladder"]) == "Ask about: bladder or bowel control."
    assert t.screening_text(["bowel_bladder", "fever_chills", "weight_loss"]) == (
        "Ask about: bladder or bowel control, fever or chills, unexplained weight loss.")
    assert t.screening_text(["bowel_bladder", "fever_chills", "weight_loss", "night_pain",
                             "osteoporosis"]) == (
        "Ask about: bladder or bowel control, fever or chills, unexplained weight loss and "
        "2 more.")
    assert t.screening_text(["new_question_id"], limit=1) == "Ask about: new question id."
    assert set(t.RED_FLAG_TOPICS) == set(__import__("hipmap.core.ids").core.ids
                                         .RED_FLAG_ANSWERS)


def test_answer_statements_complete_you_said():
    assert t.answer_statement("worse_sitting", True) == "it is worse when sitting for a long time"
    assert t.answer_statement("worse_sitting", False) == "it is not worse when sitting"
    assert t.answer_statement("some_new_answer", True) == "some new answer"
    assert t.answer_statement("some_new_answer", False) == "not some new answer"


def test_cause_names_short_names_labels_and_colours():
    assert t.cause_name(KB, "hip_osteoarthritis") == "Hip osteoarthritis (intra-articular hip pain)"
    assert t.cause_name(KB, OTHER) == "Other: none of the listed causes fits well"
    assert t.cause_name(KB, "made_up") == "made_up"
    assert t.cause_short(KB, "hip_osteoarthritis") == "Hip OA"
    assert t.cause_short(KB, OTHER) == "Other" and t.cause_short(KB, "made_up") == "made_up"
    hip = KB.causes["hip_osteoarthritis"]
    bare = dataclasses.replace(hip, short_name="")
    assert t.short_name(bare) == "Hip osteoarthritis" and t.short_name(None) == "Other"
    assert t.cause_label(hip) == "hip osteoarthritis"
    assert t.cause_label(KB.causes["sacroiliac_joint_pain"]) == "sacroiliac joint pain"
    acronym = dataclasses.replace(hip, name="SI joint pain (test)")
    assert t.cause_label(acronym) == "SI joint pain"
    assert t.cause_color(KB, "hip_osteoarthritis") == hip.color
    assert t.cause_color(KB, OTHER) == t.OTHER_COLOR == t.cause_color(KB, "made_up")
    table = CauseTable({c.id: (dataclasses.replace(c, color="") if i == 1 else c)
                        for i, c in enumerate(KB.causes.values())})
    kb = dataclasses.replace(KB, causes=table)
    second = list(table)[1]
    assert t.cause_color(kb, second) == t.FALLBACK_COLORS[1]


def test_region_names_and_the_patient_s_side():
    assert t.region_name("ischial") == "sitting bone"
    assert t.region_name("right.ischial") == "sitting bone"
    assert t.region_name("left.ischial", full=True) == "sitting bone (lower inner buttock)"
    assert t.region_name("right.new_region") == "new_region"
    assert t.region_label("right.ischial") == "RIGHT sitting bone (lower inner buttock)"
    assert t.region_label("left.groin", full=False) == "LEFT groin and front of the hip"
    assert t.region_label("both.groin", full=False) == "BOTH groin and front of the hip"


def test_questions_qualities_groups_and_the_patient_header():
    assert t.question_text("age") == "How old are you?"
    assert t.quality_text("tingling") == "tingling (pins and needles)"
    assert t.answer_group_text("red_flags") == "Red flags"
    assert [t.patient_key_text(k) for k in ("id", "age", "sex", "ward")] == [
        "id", "age", "sex", "ward"]
    assert t.patient_value_text("sex", "female") == "female"
    assert t.patient_value_text("sex", "male") == "male"
    assert t.patient_value_text("sex", "x") == "x" and t.patient_value_text("age", 58) == "58"
    assert t.sentence("hip pain") == "Hip pain" and t.sentence("") == ""


def test_region_label_names_the_patients_left_side_in_capitals():
    assert t.region_label("left.groin").startswith("LEFT ")
    assert t.region_label("right.groin").startswith("RIGHT ")
    assert t.region_label("left.groin", full=False) == "LEFT " + t.region_name("groin")


def test_the_screening_line_starts_with_a_capital_when_one_topic_is_left_over():
    line = t.screening_text(["bowel_bladder", "fever_chills", "weight_loss", "night_pain"])
    assert line.startswith("Ask about: ") and line.endswith(" and 1 more.")
