"""Issue 12 through a consultation: the window keeps its place (finding 2), every question
it offers can be answered where it is offered (finding 4), a new drawing starts clean
(finding 5)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from guihelpers import drag, vertical_line
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from hipmap.core.ids import ANSWERS
from hipmap.knowledge.matcher import Question
from hipmap.ui.tools.state import DEFAULT_INTENSITY, DEFAULT_TOOL


def _sciatica(win) -> None:
    va = win.atlas.view("back")
    bx, by = va.regions["right.buttock"].geom.representative_point().coords[0]
    tx, ty = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]
    drag(win.canvas, "back", [(bx, by), *vertical_line(tx, by + 30, ty + 120)])
    win.editor.set_answer("leg_pain_worse_than_back", True)


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _choose_cause(win, qtbot, cause: str) -> None:
    """As a user does: the Cause list."""
    combo = win.assessment_panel.cause_combo
    win.column.show_page(win.assessment_panel)
    combo.setCurrentIndex(combo.findData(cause))
    assert win.assessment_panel.selected == cause


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_answering_never_switches_tabs_and_keeps_the_cause_and_the_scroll(make_window, qtbot,
                                                                        size):
    win = make_window(size=size)
    _sciatica(win)
    _choose_cause(win, qtbot, "lumbar_radiculopathy")
    assert win.tabs.currentWidget() is win.evidence  # choosing a cause shows why
    win.column.show_page(win.questions)
    _settle()
    bar = win.questions.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    assert place > 0
    # a question in view, answered with the mouse
    vp = win.questions.viewport()
    row = next(r for r in win.questions.rows.values()
               if r.kind == "bool" and QRect(QPoint(0, 0), vp.size()).contains(
                   QRect(r.mapTo(vp, QPoint(0, 0)), r.size()))
               and r.answer not in win.model.answers)
    for value in (True, False):
        qtbot.mouseClick(row.buttons[value], Qt.MouseButton.LeftButton)
        _settle()
        assert win.model.answers[row.answer] is value
        assert win.tabs.currentWidget() is win.questions, "the answer switched the tab"
        assert bar.value() == place, "the answer moved the list"
        assert win.assessment_panel.selected == "lumbar_radiculopathy"
        assert win.assessment_panel.cause_combo.currentData() == "lumbar_radiculopathy"


def test_the_evidence_keeps_its_place_when_an_answer_rewords_it(make_window, qtbot):
    win = make_window(size=(1920, 1080))
    _sciatica(win)
    for aid in win.model.assessment().unscreened:  # screened: Ask next offers what separates
        win.editor.set_answer(aid, False)
    _choose_cause(win, qtbot, "lumbar_radiculopathy")
    _settle()
    bar = win.evidence.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    before = win.evidence.toPlainText()
    # answered from Ask next, which stays in view above the tabs
    yes = next(b for b in win.assessment_panel.ask_buttons if b.text() == "Yes")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    _settle()
    assert win.tabs.currentWidget() is win.evidence
    assert win.evidence.toPlainText() != before  # the evidence did change with the answer
    assert abs(bar.value() - place) <= 2
    # a different cause starts at its top
    _choose_cause(win, qtbot, "piriformis_syndrome")
    _settle()
    assert bar.value() == 0


def test_every_question_ask_next_can_offer_is_answerable_in_place(make_window, qtbot):
    """Finding 4: Ask next offered "How old are you?" with no control. Every answer of the
    contract, offered in Ask next, has its control there and sets the one answer."""
    win = make_window(size=(1920, 1080))
    panel = win.assessment_panel
    for aid, (kind, _group, _text) in ANSWERS.items():
        a = replace(win.model.assessment(),
                    next_questions=(Question(answer=aid, why="test", kind="separates"),))
        panel.set_assessment(a)
        _settle()
        if kind == "bool":
            yes = [b for b in panel.ask_buttons if b.text() == "Yes"]
            assert len(yes) == 1 and yes[0].isVisible(), aid
            qtbot.mouseClick(yes[0], Qt.MouseButton.LeftButton)
            assert win.model.answers.get(aid) is True, aid
        else:
            spin = panel.ask_spins[aid]
            assert spin.isVisible(), aid
            spin.setValue(7)
            ok = [b for b in panel.ask_buttons if b.text() == "Set"]
            qtbot.mouseClick(ok[0], Qt.MouseButton.LeftButton)
            assert win.model.answers.get(aid) == 7, aid
            assert win.questions.rows[aid].spin.value() == 7, aid
    # age is one field: the header shows what Ask next set
    assert win.patient_header.age.value() == 7


def test_new_means_new_tool_intensity_and_quality(make_window, dialogs):
    """Finding 5: after intensity 7 and "shooting" for one patient, File > New and a
    ticked region for the next is tagged with the defaults, not "shooting"."""
    win = make_window()
    panel = win.tools_panel
    panel.intensity_spin.setValue(7)
    panel.quality_buttons["shooting"].click()
    panel.tool_buttons["eraser"].click()
    assert (win.tools.intensity, win.tools.quality, win.tools.tool) == (7, "shooting",
                                                                         "eraser")
    win.region_list.select_region("right.lateral_hip")  # selected, not ticked
    assert win.region_list.intensity.value() == 7
    dialogs.save_answer = "discard"
    win.menu_actions.new.trigger()
    assert (win.tools.intensity, win.tools.quality, win.tools.tool) == (
        DEFAULT_INTENSITY, None, DEFAULT_TOOL)
    # the panels show it too
    assert panel.intensity_spin.value() == DEFAULT_INTENSITY
    assert panel.quality_buttons[None].isChecked()
    assert panel.tool_buttons[DEFAULT_TOOL].isChecked()
    win.region_list.set_ticked("right.lateral_hip", True)
    (mark,) = win.model.marks.values()
    assert mark.intensity == DEFAULT_INTENSITY and mark.quality is None
    win.stack.setClean()
