"""Issue 7 in the clinician window: no reassurance before the red-flag screening, red-flag
questions first and answerable in place, one age field, a ranking driven by the knowledge base
with `other` in grey, honest percentages. Screenshots kept in tests/screenshots/."""

from __future__ import annotations

from guihelpers import drag, save_screenshot, vertical_line
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGroupBox

from hipmap.core.document import RegionMark
from hipmap.core.ids import ANSWER_GROUPS, ANSWERS, OTHER, RED_FLAG_ANSWERS
from hipmap.knowledge.texts import OTHER_COLOR, cause_color, percent_text
from hipmap.model.edits import AddMarks
from hipmap.ui.assessment import MAX_BARS

NO_FLAGS = {a: a == "can_bear_weight" for a in RED_FLAG_ANSWERS}


def _paint_leg(win) -> None:
    """One stroke down the back of the leg (issue 7: this alone used to show self-care)."""
    x, y = win.atlas.view("back").regions["right.posterior_thigh"].geom.representative_point() \
        .coords[0]
    win.tools.set(intensity=6, quality="dull_ache")
    drag(win.canvas, "back", vertical_line(x, y - 120, y + 120))


def test_one_stroke_is_not_reassured_until_the_red_flag_questions_are_answered(make_window,
                                                                                qtbot):
    win = make_window(size=(1366, 768))
    _paint_leg(win)
    win.editor.set_answer("duration_days", 3)
    a = win.model.assessment()
    assert a.screening == "incomplete"
    box = win.assessment_panel.urgency
    assert "Red-flag screening incomplete" in box.text()
    assert "Ask about:" in box.text()
    assert "self-care" not in box.text().lower()
    assert box.property("verdictStyle") == "neutral"
    assert "#e9ecef" in box.styleSheet() and "#2e7d32" not in box.styleSheet()
    save_screenshot(win, "screening_incomplete_1366")
    # the first Ask-next questions are the unscreened red-flag questions
    ask = win.model.assessment().next_questions
    assert ask[0].kind == "red_flag" and ask[0].answer == a.unscreened[0]
    assert win.questions.rows[ask[0].answer].tag.isVisibleTo(win.questions.rows[ask[0].answer])
    # answer every red-flag question "no" (the leg can bear weight): now self-care, green
    for aid, value in NO_FLAGS.items():
        win.editor.set_answer(aid, value)
    assert "Conservative self-care" in box.text()
    assert box.property("verdictStyle") == "self_care"


def test_red_flag_questions_answer_in_one_click_from_ask_next(make_window, qtbot):
    win = make_window()
    _paint_leg(win)
    first = win.model.assessment().unscreened[0]
    yes = [b for b in win.assessment_panel.ask_buttons
           if b.text() == "No" and ANSWERS[first][2] in b.accessibleName()]
    assert yes
    qtbot.mouseClick(yes[0], Qt.MouseButton.LeftButton)
    assert win.model.answers[first] is False
    assert first not in win.model.assessment().unscreened


def test_a_number_offered_in_ask_next_is_answered_in_place(make_window, qtbot):
    """Issue 12 finding 4: Ask next offered 'How old are you?' with no control to answer."""
    win = make_window()
    from dataclasses import replace

    from hipmap.knowledge.matcher import Question

    a = replace(win.model.assessment(),
                next_questions=(Question(answer="age", why="test", kind="separates"),))
    win.assessment_panel.set_assessment(a)
    spin = win.assessment_panel.ask_spins["age"]
    spin.setValue(71)
    setb = [b for b in win.assessment_panel.ask_buttons if b.text() == "Set"]
    qtbot.mouseClick(setb[0], Qt.MouseButton.LeftButton)
    assert win.model.answers["age"] == 71
    assert win.patient_header.age.value() == 71
    assert win.questions.rows["age"].spin.value() == 71


def test_the_age_is_one_field_in_the_header_and_the_questions(make_window):
    win = make_window()
    win.patient_header.age.setValue(58)
    assert win.model.answers["age"] == 58 and win.model.patient["age"] == 58
    assert win.questions.rows["age"].spin.value() == 58
    win.questions.rows["age"].spin.setValue(61)
    assert win.patient_header.age.value() == 61
    assert win.model.answers["age"] == 61 and win.model.patient["age"] == 61
    win.menu_actions.undo.trigger()
    assert win.patient_header.age.value() == win.questions.rows["age"].spin.value()
    # a document with the age in the patient header only shows it in both places
    from hipmap.core.document import Document

    win.model.load(Document([], {}, patient={"id": "P-1", "age": 47}))
    assert win.patient_header.age.value() == 47
    assert win.questions.rows["age"].spin.value() == 47


def test_the_question_panel_starts_with_the_red_flags_and_asks_about_weight_bearing(
        make_window):
    win = make_window()
    boxes = [b for b in win.questions.findChildren(QGroupBox)]
    assert boxes[0].title() == ANSWER_GROUPS["red_flags"]
    assert set(win.questions.rows) == set(ANSWERS)
    row = win.questions.rows["can_bear_weight"]
    assert row.label.text() == "Can you stand and walk on the painful leg?"
    assert row.parent() is boxes[0]


def test_the_ranking_chart_has_every_cause_and_other_in_grey(make_window):
    win = make_window()
    _paint_leg(win)
    chart = win.assessment_panel.chart
    a = win.model.assessment()
    ranked = [r.cause for r in a.ranking]
    n = len(chart.order)
    # the best causes in order, and `other` always on the chart
    assert OTHER in chart.order
    assert [c for c in chart.order if c != OTHER] == [c for c in ranked if c != OTHER][
        :len([c for c in chart.order if c != OTHER])]
    assert n == min(MAX_BARS, len(win.kb.causes) + 1)
    brushes = chart.bars.opts["brushes"]
    assert QColor(brushes[chart.order.index(OTHER)]).name() == OTHER_COLOR
    for j, c in enumerate(chart.order):
        assert QColor(brushes[j]).name() == cause_color(win.kb, c)
    scores = dict((r.cause, r.score) for r in a.ranking)
    texts = [t.toPlainText() for t in chart.texts]
    assert texts == [percent_text(scores[c]) for c in chart.order]
    assert not any(t in ("100 %", "0 %") for t in texts)
    # every cause can still be chosen, and the rest are summarised under the chart
    combo = win.assessment_panel.cause_combo
    assert {combo.itemData(i) for i in range(1, combo.count())} == set(ranked)
    if len(ranked) > n:
        assert f"{len(ranked) - n} more cause" in win.assessment_panel.chart_note.text()


def test_evidence_says_each_effect_in_words(make_window):
    win = make_window()
    _paint_leg(win)
    top = win.model.assessment().ranking[0].cause
    win.assessment_panel.select(top)
    html = win.evidence.toHtml()
    assert "times more likely" in html or "times less likely" in html
    win.assessment_panel.select(OTHER)  # `other` can be selected and explained
    assert "none of the listed causes" in win.evidence.toHtml().lower()


def test_a_fracture_flag_in_the_clinician_window(make_window):
    """An older adult after a fall with groin and outer-hip pain: emergency, fracture."""
    win = make_window(size=(1366, 768))
    win.editor.push(AddMarks("Tick", [RegionMark("left.groin", 8, "sharp"),
                                      RegionMark("left.lateral_hip", 7, "sharp")]))
    win.patient_header.age.setValue(81)
    win.editor.set_answer("major_trauma", True)
    a = win.model.assessment()
    assert {f.id: f.urgency for f in a.red_flags}["fracture"] == "emergency"
    assert win.banner.isVisible() and "broken hip" in win.banner.text.text()
    assert "EMERGENCY" in win.assessment_panel.urgency.text()
    img = QImage(str(save_screenshot(win, "fracture_flag_1366")))
    y = win.banner.mapTo(win, win.banner.rect().center()).y()
    assert img.pixelColor(img.width() - 20, y).name() == "#b00020"


def test_the_chart_always_shows_other_even_when_it_ranks_last():
    from hipmap.knowledge.matcher import Ranked
    from hipmap.ui.assessment import chart_rows

    ranking = [Ranked(cause=f"c{i}", score=0.1, log_score=0.0) for i in range(14)]
    ranking.append(Ranked(cause=OTHER, score=0.001, log_score=0.0))
    rows = [r.cause for r in chart_rows(ranking)]
    assert len(rows) == MAX_BARS and rows[-1] == OTHER and rows[:-1] == [
        f"c{i}" for i in range(MAX_BARS - 1)]
    top = [Ranked(cause=OTHER, score=0.5, log_score=0.0), *ranking[:14]]
    assert [r.cause for r in chart_rows(top)] == [OTHER] + [f"c{i}" for i in range(7)]


def test_with_nothing_recorded_the_chart_says_its_bars_are_no_finding(make_window):
    """The bars of an empty drawing are the causes' base rates: the title says so until a
    stroke or an answer makes them a ranking of this patient."""
    from hipmap.core.document import RegionMark
    from hipmap.model.edits import AddMarks

    win = make_window(size=(1366, 768))
    title = win.assessment_panel.chart_title
    assert "base rates only" in title.text() and "not a finding" in title.text()
    empty_height = title.heightForWidth(title.width())
    win.editor.push(AddMarks("x", [RegionMark("right.groin", 6)]))
    assert title.text() == "<b>Differential</b> — best first (click a bar to see why)"
    # one line like the usual title: a second one pushed the Cause row out of a laptop's
    # window with the record bar
    assert empty_height == title.heightForWidth(title.width())
    win.editor.stack.undo()
    assert "not a finding" in title.text()
    win.editor.set_answer("worse_sitting", True)  # an answer alone is something recorded
    assert "best first" in title.text()
