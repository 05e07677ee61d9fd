"""The patient kiosk's guided flow, driven by a finger (synthetic touch through Qt's input
path): what a patient goes through, what the clinician receives, and what the patient must
never see."""

from __future__ import annotations

import pytest
from kioskhelpers import Recorder, make_kiosk, visible_texts

from hipmap.i18n import _, set_language
from hipmap.knowledge.assessment import assess, headline
from hipmap.knowledge.base import load_knowledge
from hipmap.ui.kiosk.selftest import drive_flow
from hipmap.ui.kiosk.touch import drag, tap


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_patient_completes_the_flow_by_touch_and_the_clinician_gets_it(qtbot, tmp_path, lang):
    win, rec = make_kiosk(qtbot, tmp_path)
    headings: list[str] = []
    seen = drive_flow(win, lang=lang, code="4217",
                      on_step=lambda f: headings.append(f.heading.text()))
    assert seen["steps"] == ["language", "where", "strength", "feel", "check", "code"]
    assert seen["questions"], "no question was asked"
    # in the patient's language on every screen after the choice
    if lang == "es":
        assert "¿Dónde le duele?" in headings and "Where does it hurt?" not in headings
    else:
        assert "Where does it hurt?" in headings
    # what was submitted: the finger's stroke with the strength and feeling chosen,
    # every answer given, the check-in, and the patient's language
    (doc, fields), = rec.submitted
    assert fields == {"code": "4217"}
    (mark,) = doc.marks
    assert mark.view == "back" and mark.intensity == 6 and mark.quality == "dull_ache"
    for aid in seen["questions"]:
        assert doc.answers.get(aid) == (aid == "can_bear_weight"), aid
    assert doc.extra["kiosk"] == {"language": lang}
    a = assess(doc)
    assert "right.posterior_thigh" in {r.id for r in a.regions}
    assert a.screening == "complete"  # every red-flag question that mattered was asked
    # and the next patient starts from nothing
    assert win.flow.step == "thanks" and not win.flow.model.marks


def test_the_red_flag_questions_come_first_in_the_order_the_assessment_gives(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    order: list[tuple[str, tuple[str, ...]]] = []

    def watch(f):
        if f.step.startswith("q:"):
            order.append((f.step[2:], f.model.assessment().unscreened))
    seen = drive_flow(win, on_step=watch)
    kinds = []
    for aid, unscreened in order:
        if unscreened:  # while red-flag questions remain, the one asked is the first of them
            assert aid == unscreened[0], (aid, unscreened)
            kinds.append("red_flag")
        else:
            kinds.append("plain")
    assert kinds == sorted(kinds, key=lambda k: k != "red_flag"), "a plain question came first"
    assert 1 <= kinds.count("plain") <= 4
    assert len(seen["questions"]) == len(set(seen["questions"]))  # none asked twice


def test_back_returns_through_the_steps_and_keeps_the_answers(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_en"))
    canvas = f.canvas
    pt = canvas.atlas.view("front").regions["left.groin"].geom.representative_point()
    drag(canvas.viewport(), [canvas.viewport_point("front", pt.x + d, pt.y) for d in (-9, 0, 9)])
    tap(f.next_button)
    tap(f.face_buttons[8])
    tap(f.next_button)
    assert f.step == "feel"
    tap(f.back_button)
    assert f.step == "strength" and f.strength == 8
    assert f.face_buttons[8].property("chosen") is True
    tap(f.back_button)
    assert f.step == "where" and len(f.model.marks) == 1
    tap(f.undo_button)  # the finger's stroke can be undone
    assert not f.model.marks and not f.next_button.isEnabled()


def test_a_region_can_be_tapped_instead_of_painted(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_en"))
    tap(f.tap_button)
    canvas = f.canvas
    pt = canvas.atlas.view("back").regions["left.buttock"].geom.representative_point()
    tap(canvas.viewport(), canvas.viewport_point("back", pt.x, pt.y))
    assert [getattr(m, "region", None) for m in f.model.marks.values()] == ["left.buttock"]


def test_the_patient_never_sees_a_cause_a_ranking_or_a_verdict(qtbot, tmp_path):
    """Walk every widget's text on every screen (a red flag raised on the way)."""
    kb = load_knowledge()
    forbidden = set()
    for lang in ("en", "es"):
        set_language(lang)
        for c in kb.causes.values():
            forbidden |= {t for t in (c.name, c.short_name, c.plain_name) if t}
            forbidden |= {_(t) for t in (c.name, c.short_name, c.plain_name) if t}
        for level in ("emergency", "urgent", "see_clinician", "self_care"):
            forbidden.add(headline({"urgency": level, "red_flags": [{"id": "x"}]}))
        forbidden.add(headline({"urgency": "see_clinician", "red_flags": [],
                                "screening": "incomplete"}))
        for f in kb.red_flag_rules:
            forbidden.add(_(f.message))
    set_language("en")
    win, _rec = make_kiosk(qtbot, tmp_path)
    shown: list[str] = []

    def look(flow):
        texts = visible_texts(win)
        shown.extend(texts)
        for t in texts:
            assert "%" not in t, t  # no score
            for bad in forbidden:
                assert bad.lower() not in t.lower(), (flow.step, bad, t)

    seen = drive_flow(win, on_step=look,
                      answer=lambda aid: "yes" if aid in ("history_of_cancer", "can_bear_weight")
                      else "no")
    assert "red_flag_notice" in seen
    assert any("reception desk" in t for t in shown)


def test_a_red_flag_answer_shows_the_instruction_at_once_and_the_submission_is_urgent(
        qtbot, tmp_path):
    from hipmap.storage import open_store
    from hipmap.ui.kiosk import record_submitter

    store = open_store(f"sqlite:///{tmp_path / 'record.db'}")
    win, _sub = make_kiosk(qtbot, tmp_path, submit=record_submitter(store, "en"))
    flags_at: list[str] = []

    def answer(aid: str) -> str:
        if aid == "bowel_bladder":
            flags_at.append(aid)
            return "yes"
        return "yes" if aid == "can_bear_weight" else "no"

    seen = drive_flow(win, answer=answer, lang="es", code="77")
    assert flags_at == ["bowel_bladder"]
    assert seen["red_flag_notice"] == "Por favor, avise ahora en recepción."
    # the thank-you screen (a fresh flow) still tells the patient to go to the desk
    assert win.flow.alert.isVisible()
    (item,) = store.inbox()
    assert item.visit == seen["visit"] and item.urgency == "emergency"
    assert item.checkin.code == "77"
    assert [f["id"] for f in item.red_flags] == ["cauda_equina"]
    # the clinician reads the record in the kiosk's home language, not the patient's
    assert item.red_flags[0]["message"].isascii()
    assert '"source": "kiosk"' in _inbox_json(store)
    store.close()


def _inbox_json(store) -> str:
    import json

    return json.dumps([i.to_json() for i in store.inbox()])


def test_the_clinic_wording_of_the_instruction_is_used(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    win.config.red_flag_text = {"en": "Press the red button by the door now."}
    seen = drive_flow(win, answer=lambda aid: "yes" if aid in ("leg_weakness",
                                                               "can_bear_weight") else "no")
    assert seen["red_flag_notice"] == "Press the red button by the door now."


def test_a_failed_send_keeps_everything_and_can_be_retried(qtbot, tmp_path):
    rec = Recorder()
    rec.fail = True
    win, _rec = make_kiosk(qtbot, tmp_path, submit=rec)
    with pytest.raises(RuntimeError, match="submission failed"):
        drive_flow(win, code="12")
    f = win.flow
    assert f.step == "code" and f.notice.isVisible() and f.model.marks
    rec.fail = False
    tap(f.notice.findChild(type(f.next_button), "notice_retry"))
    assert len(rec.submitted) == 1 and win.flow is not f


def test_date_of_birth_and_initials_when_the_clinic_identifies_so(qtbot, tmp_path):
    win, rec = make_kiosk(qtbot, tmp_path, identify="birth")
    seen = drive_flow(win)
    assert seen["steps"][-2:] == ["birth", "initials"]
    assert rec.submitted[0][1] == {"birth_date": "1950-02-01", "initials": "ZZ"}


def test_an_impossible_date_of_birth_cannot_be_sent(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path, identify="birth")
    f = win.flow
    f.ensure_built()
    f.path, f.pos = ["check", "birth"], 1
    f._show("birth")
    for ch in "31021950":  # 31 February
        tap(f.birth_pad.keys[ch])
    assert not f.next_button.isEnabled()
    tap(f.birth_pad.keys["⌫"])
    for _i in range(3):
        tap(f.birth_pad.keys["⌫"])
    for ch in "1990":
        tap(f.birth_pad.keys[ch])
    f._activate("day")
    tap(f.birth_pad.keys["⌫"])
    tap(f.birth_pad.keys["⌫"])
    for ch in "28":
        tap(f.birth_pad.keys[ch])
    assert f.checkin_fields()["birth_date"] == "1990-02-28" and f.next_button.isEnabled()


def _enter_where(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_en"))
    c = f.canvas
    pt = c.atlas.view("back").regions["right.posterior_thigh"].geom.representative_point()
    return f, c, [c.viewport_point("back", pt.x, pt.y + d) for d in range(-30, 31, 10)]


def test_a_mouse_paints_too(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    f, c, pts = _enter_where(qtbot, tmp_path)
    vp = c.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[0])
    for p in pts[1:]:
        QTest.mouseMove(vp, p)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[-1])
    assert len(f.model.marks) == 1 and f.next_button.isEnabled()


def test_a_pen_paints_too(qtbot, tmp_path):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    f, c, pts = _enter_where(qtbot, tmp_path)
    vp = c.viewport()
    pen = QPointingDevice("pen", 7, QPointingDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QPointingDevice.Capability.Position
                          | QPointingDevice.Capability.Pressure, 1, 3)
    kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * (len(pts) - 2) \
        + [QEvent.Type.TabletRelease]
    for kind, p in zip(kinds, pts, strict=True):
        pos = QPointF(p)
        ev = QTabletEvent(kind, pen, pos, QPointF(vp.mapToGlobal(p)), 0.6, 0.0, 0.0, 0.0, 0.0,
                          0.0, Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                          Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease
                          else Qt.MouseButton.LeftButton)
        QApplication.sendEvent(vp, ev)
    assert len(f.model.marks) == 1


def test_a_red_flag_from_the_drawing_alone_shows_the_instruction_after_the_feeling(
        qtbot, tmp_path):
    """Shooting pain below both knees is a red flag (possible cauda equina) before any
    question: the instruction comes as soon as the feeling is chosen."""
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_en"))
    c = f.canvas
    for rid in ("right.posterior_leg", "left.posterior_leg"):
        pt = c.atlas.view("back").regions[rid].geom.representative_point()
        drag(c.viewport(), [c.viewport_point("back", pt.x, pt.y + d) for d in (-20, 0, 20)])
    tap(f.next_button)
    tap(f.face_buttons[7])
    tap(f.next_button)
    assert not f.notice.isVisible()
    tap(f.quality_buttons["shooting"])
    tap(f.next_button)
    assert f.notice.isVisible() and f.notice_text.text() == "Please tell the reception desk now."
    assert f.step == "feel"
    tap(f.notice.findChild(type(f.next_button), "notice_ok"))
    assert f.step.startswith("q:") and f.alert.isVisible()


def test_a_record_that_was_away_at_start_is_used_once_it_is_back(qtbot, tmp_path):
    from hipmap.storage import DatabaseUnavailable, open_store
    from hipmap.ui.kiosk import record_submitter

    url = f"sqlite:///{tmp_path / 'record.db'}"
    attempts = []

    def opener():
        attempts.append(1)
        if len(attempts) == 1:
            raise DatabaseUnavailable("the server is restarting")
        return open_store(url)

    win, _sub = make_kiosk(qtbot, tmp_path, submit=record_submitter(opener, "en"))
    with pytest.raises(RuntimeError, match="server is restarting"):
        drive_flow(win, code="31")
    f = win.flow
    tap(f.notice.findChild(type(f.next_button), "notice_retry"))
    assert win.flow is not f and len(attempts) == 2
    with open_store(url) as store:
        assert [i.checkin.code for i in store.inbox()] == ["31"]
