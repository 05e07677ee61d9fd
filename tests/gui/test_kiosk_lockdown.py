"""The kiosk is locked down: no way out without the staff PIN, no way to another patient's
data, and nothing of one patient left for the next (idle reset, Start again, after sending)."""

from __future__ import annotations

import gc

import pytest
from kioskhelpers import PIN, all_texts, make_kiosk, visible_texts
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenuBar, QMessageBox

from hipmap.i18n import language, set_language
from hipmap.kiosk_config import LOCKOUT_SECONDS, MAX_TRIES, KioskConfig
from hipmap.ui.kiosk.selftest import drive_flow
from hipmap.ui.kiosk.touch import drag, tap


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("keys", [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
])
def test_escape_keys_do_nothing(qtbot, tmp_path, keys):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_en"))
    key, mod = keys
    target = QApplication.focusWidget() or win
    QTest.keyClick(target, key, mod)
    QTest.keyClick(f.canvas, key, mod)
    assert win.isVisible() and win.flow is f and f.step == "where"
    assert win.blocked, "the key was not swallowed by the kiosk's guard"


def test_the_window_manager_close_does_nothing(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    win.close()
    ev = QCloseEvent()
    QApplication.sendEvent(win, ev)
    assert not ev.isAccepted()
    assert win.isVisible() and "close" in win.blocked


def test_the_window_is_frameless_on_top_and_has_no_menu_or_dialog(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    flags = win.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert id(win) in before
    drive_flow(win)  # the whole way through: still nothing else
    assert not win.findChildren(QMenuBar)
    assert not win.findChildren(QFileDialog) and not win.findChildren(QMessageBox)
    # no window, dialog or menu opened by the flow (another test's window may linger)
    assert [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and id(w) not in before] == []


def test_fullscreen_comes_back_when_the_window_is_minimised(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    win.fullscreen = True
    win.showFullScreen()
    win.showMinimized()
    qtbot.waitUntil(win.isFullScreen, timeout=2000)


def test_the_right_pin_leaves_the_kiosk(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    tap(win.staff)
    assert win.pin_notice.isVisible()
    for ch in PIN:
        tap(win.pin_pad.keys[ch])
    assert win.pin_field.text() == "●" * len(PIN)  # never the digits themselves
    tap(win.pin_ok)
    assert win.unlocked and not win.isVisible()


def test_five_wrong_pins_lock_it_for_five_minutes_even_after_a_restart(qtbot, tmp_path):
    clock = Clock()
    win, _rec = make_kiosk(qtbot, tmp_path, clock=clock)
    for i in range(MAX_TRIES):
        tap(win.staff)
        for ch in "1111":
            tap(win.pin_pad.keys[ch])
        tap(win.pin_ok)
        assert win.isVisible()
        if i < MAX_TRIES - 1:
            assert f"{MAX_TRIES - 1 - i} " in win.pin_text.text()
    assert "Too many wrong tries" in win.pin_text.text()
    for ch in PIN:  # now even the right one is refused
        tap(win.pin_pad.keys[ch])
    tap(win.pin_ok)
    assert win.isVisible() and not win.unlocked
    # a restart: a new window reading the same settings folder is still locked
    win2, _rec = make_kiosk(qtbot, tmp_path / "again", clock=clock)
    win2.config = KioskConfig.load(tmp_path / "kiosk-settings")
    from hipmap.kiosk_config import PinGuard

    win2.guard = PinGuard(win2.config, clock=clock)
    assert win2.guard.locked_for() == pytest.approx(LOCKOUT_SECONDS)
    tap(win2.staff)
    for ch in PIN:
        tap(win2.pin_pad.keys[ch])
    tap(win2.pin_ok)
    assert win2.isVisible()
    clock.now += LOCKOUT_SECONDS + 1  # five minutes later the right PIN works
    tap(win2.staff)
    for ch in PIN:
        tap(win2.pin_pad.keys[ch])
    tap(win2.pin_ok)
    assert win2.unlocked


def _patient_on_screen(win, code: str = "9753"):
    """A patient half-way: a drawing, strength, a feeling, answers, a typed code."""
    f = win.flow
    tap(f.findChild(type(f.next_button), "language_es"))
    canvas = f.canvas
    pt = canvas.atlas.view("front").regions["left.anterior_thigh"].geom.representative_point()
    drag(canvas.viewport(), [canvas.viewport_point("front", pt.x, pt.y + d) for d in (-20, 0, 20)])
    tap(f.next_button)
    tap(f.face_buttons[9])
    tap(f.next_button)
    tap(f.quality_buttons["burning"])
    tap(f.next_button)
    while f.step.startswith("q:"):
        tap(f.answer_buttons["no"])
    tap(f.next_button)
    for ch in code:
        tap(f.code_pad.keys[ch])
    assert f.step == "code" and f.model.marks and f.stack.count()
    return f


def _assert_fresh(win, old, code: str) -> None:
    new = win.flow
    assert new is not old
    new.ensure_built()
    assert not new.model.marks and not new.model.answers and new.stack.count() == 0
    assert new.strength is None and new.quality is None and not new.choices
    assert new.checkin["code"] == "" and language() == "en"
    texts = " ".join(all_texts(win))
    assert code not in texts
    from PySide6.QtWidgets import QPushButton

    assert not [b.objectName() for b in win.findChildren(QPushButton)
                if b.property("chosen") is True]  # no face, feeling or answer still chosen
    for aid in old.choices:  # no question the last patient answered
        from hipmap.ui.kiosk.texts import QUESTIONS

        assert QUESTIONS[aid] not in texts
    # the old flow (its model, its widgets) is gone from memory, not merely hidden
    old_ref = [old]
    del old
    qtbot_wait_deleted(old_ref)


def qtbot_wait_deleted(ref: list) -> None:
    from shiboken6 import isValid

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    assert not isValid(ref[0]), "the previous patient's widgets still exist"
    ref.clear()
    gc.collect()


def test_left_alone_it_asks_then_clears_everything(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    old = _patient_on_screen(win)
    win.idle.setInterval(50)
    win.tick.setInterval(20)
    win.idle.start()
    qtbot.waitUntil(win.still_there.isVisible, timeout=3000)
    assert "15" in win.still_text.text()
    qtbot.waitUntil(lambda: win.flow is not old, timeout=3000)
    assert win.flow.step == "language" and not win.still_there.isVisible()
    _assert_fresh(win, old, "9753")


def test_a_touch_during_the_countdown_keeps_the_patient(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = _patient_on_screen(win)
    win.ask_still_there()
    tap(win.still_button)
    assert not win.still_there.isVisible() and win.flow is f and f.checkin["code"] == "9753"


def test_start_again_clears_everything(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    old = _patient_on_screen(win)
    tap(old.restart_button)
    tap(old.notice.findChild(type(old.next_button), "notice_cancel"))
    assert win.flow is old  # "No, go on" keeps it
    tap(old.restart_button)
    tap(old.notice.findChild(type(old.next_button), "notice_restart"))
    _assert_fresh(win, old, "9753")


def test_after_sending_nothing_of_the_patient_is_visible(qtbot, tmp_path):
    win, rec = make_kiosk(qtbot, tmp_path)
    old = _patient_on_screen(win, code="8642")
    tap(old.next_button)  # Send
    assert len(rec.submitted) == 1 and win.flow.step == "thanks"
    assert not any("8642" in t for t in visible_texts(win))
    _assert_fresh(win, old, "8642")
    # and the thank-you screen goes back to the welcome by itself
    win.thanks_timer.setInterval(20)
    win.thanks_timer.start()
    qtbot.waitUntil(lambda: win.flow.step == "language", timeout=2000)
