"""The kiosk's window: full screen, frameless, on top, locked down; the idle reset; the PIN.

* No menu, no dialog, no file, no recent list: the window holds one :class:`KioskFlow` (one
  patient) and nothing else; the record is only ever written to (``submit_kiosk``).
* Escape, Alt+F4, Ctrl+Q, Ctrl+W and the window manager's close do nothing. Leaving takes the
  staff PIN (the small "Staff" button in the top-left corner); five wrong tries lock the PIN
  pad for five minutes, kept on disk (hipmap.kiosk_config).
* 90 s without a touch: "Are you still there?" with a 15 s countdown, then everything is
  cleared — the flow (model, undo stack, widgets) is thrown away and a new one built, the
  language goes back to the kiosk's own. The same happens after sending (the thank-you screen
  is a fresh, empty flow) and on "Start again".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from hipmap.core.document import Document
from hipmap.i18n import _, ngettext, set_language
from hipmap.kiosk_config import KioskConfig, PinGuard
from hipmap.ui.kiosk.flow import KioskFlow
from hipmap.ui.kiosk.style import stylesheet
from hipmap.ui.kiosk.widgets import DIGITS, Keypad, Notice, button, countdown_text, label

IDLE_SECONDS = 90
COUNTDOWN_SECONDS = 15
THANKS_SECONDS = 20
BUILD_AFTER_MS = 150

#: input that counts as "someone is there"
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.TouchBegin,
             QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.TabletMove,
             QEvent.Type.KeyPress, QEvent.Type.Wheel}
#: keys that would leave or close a normal window
_BLOCKED = (QKeySequence("Ctrl+Q"), QKeySequence("Ctrl+W"), QKeySequence("Alt+F4"),
            QKeySequence("Ctrl+F4"), QKeySequence("Escape"), QKeySequence("Meta+Q"),
            QKeySequence("Ctrl+Shift+Q"))


class _Guard(QObject):
    """Installed on the application: swallows the leaving keys before any widget sees them
    and tells the window about every touch, click and key (the idle timer)."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        t = ev.type()
        if t in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            combo = QKeySequence(ev.keyCombination())  # type: ignore[attr-defined]
            if any(combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch
                   for k in _BLOCKED):
                self.window.blocked.append(combo.toString())
                ev.accept()
                return True
        if t in _ACTIVITY:
            self.window.touched()
        return False


def _locked_text(seconds: float) -> str:
    n = max(1, round(seconds / 60))
    return ngettext("Too many wrong tries. Try again in {n} minute.",
                    "Too many wrong tries. Try again in {n} minutes.", n).format(n=n)


def _build_soon(flow: KioskFlow) -> None:
    from shiboken6 import isValid

    if isValid(flow):
        flow.ensure_built()


class KioskWindow(QWidget):
    """``submit(document, checkin_fields, patient_language)`` stores one submission and
    returns its visit number. ``fullscreen=False`` keeps the size given (tests, screenshots)."""

    new_flow = Signal(object)

    def __init__(self, config: KioskConfig, submit: Callable[[Document, dict[str, str]], int],
                 *, home_language: str = "en", fullscreen: bool = True, atlas: Any = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("kiosk")
        self.setWindowTitle("hipmap")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.config = config
        self.submit = submit
        self.home_language = home_language
        self.fullscreen = fullscreen
        self.atlas = atlas
        self.guard = PinGuard(config, clock=clock)
        self.unlocked = False
        self.large = False
        self.blocked: list[str] = []  # what the lockdown swallowed (tests)
        self.sent_visits: list[int] = []
        self.setStyleSheet(stylesheet(False))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.flow: KioskFlow | None = None
        self._lay = lay
        self.staff = button("", "staff", self.ask_pin)
        self.staff.setParent(self)
        self.staff.setFlat(True)
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff.setStyleSheet("QPushButton { background: transparent; color: #4a4a4a; "
                                 "font-size: 14pt; min-width: 80px; }")
        self._build_notices()
        # idle: 90 s, then the countdown
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_SECONDS * 1000)
        self.idle.timeout.connect(self.ask_still_there)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._count_down)
        self.countdown_left = 0.0
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_SECONDS * 1000)
        self.thanks_timer.timeout.connect(lambda: self.new_patient("language"))
        self._app_guard = _Guard(self)
        QApplication.instance().installEventFilter(self._app_guard)
        self.new_patient("language")

    # ================================================================== patients
    def new_patient(self, start: str = "language", tell_desk: bool = False) -> KioskFlow:
        """Forget the patient: a new flow (model, undo stack, widgets), the home language."""
        set_language(self.home_language)
        self.tick.stop()
        self.still_there.hide()
        old = self.flow
        if old is not None:
            self._lay.removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        flow = KioskFlow(self.config, self.submit, home_language=self.home_language,
                         atlas=self.atlas, start=start, large=self.large,
                         on_large=self.set_large, tell_desk=tell_desk)
        flow.sent.connect(self._sent)
        flow.restart.connect(lambda: self.new_patient("language"))
        self.flow = flow
        self._lay.addWidget(flow)
        if self.isVisible():
            flow.show()
        self.staff.setText(_("Staff"))
        self.staff.setAccessibleName(_("Staff only: leave the kiosk"))
        self.staff.adjustSize()
        self.staff.move(8, 8)
        self.staff.raise_()
        self.pin_notice.raise_()
        self.still_there.raise_()
        self._retranslate_notices()
        if start == "thanks":
            self.thanks_timer.start()
        else:
            self.thanks_timer.stop()
        self.idle.start()
        # the rest of the flow is built just after the welcome screen has been painted (a
        # language tapped before that builds it at once)
        QTimer.singleShot(BUILD_AFTER_MS, lambda: _build_soon(flow))
        self.new_flow.emit(flow)
        return flow

    def _sent(self, visit: int) -> None:
        self.sent_visits.append(visit)
        flags = bool(self.flow and self.flow.sent_with_flags)
        self.new_patient("thanks", tell_desk=flags)

    def set_large(self, on: bool) -> None:
        self.large = on
        self.setStyleSheet(stylesheet(on))

    # ================================================================== idle
    def touched(self) -> None:
        if not self.still_there.isVisible():
            self.idle.start()

    def ask_still_there(self) -> None:
        flow = self.flow
        if flow is not None and flow.step == "language":
            self.idle.start()  # nobody there and nothing entered: nothing to clear
            return
        self.countdown_left = COUNTDOWN_SECONDS
        self._count_text()
        self.still_there.open()
        self.tick.start()

    def _count_down(self) -> None:
        self.countdown_left -= 1
        if self.countdown_left <= 0:
            self.tick.stop()
            self.new_patient("language")
            return
        self._count_text()

    def _count_text(self) -> None:
        n = int(countdown_text(self.countdown_left))
        self.still_text.setText(ngettext(
            "Are you still there? If you do not tap, everything will be cleared in {n} second.",
            "Are you still there? If you do not tap, everything will be cleared in {n} seconds.",
            n).format(n=n))

    def _still_here(self) -> None:
        self.tick.stop()
        self.still_there.hide()
        self.idle.start()

    # ================================================================== the PIN
    def _build_notices(self) -> None:
        self.still_there = Notice(self, "still_there")
        self.still_text = label("", "heading")
        self.still_text.setObjectName("still_text")
        self.still_there.body.addWidget(self.still_text)
        self.still_button = button("", "still_here", self._still_here, primary=True)
        self.still_there.body.addWidget(self.still_button)
        self.pin_notice = Notice(self, "pin_notice")
        self.pin_text = label("", "heading")
        self.pin_text.setObjectName("pin_text")
        self.pin_notice.body.addWidget(self.pin_text)
        self.pin_field = label("", "field")
        self.pin_field.setObjectName("pin_field")
        self.pin_notice.body.addWidget(self.pin_field)
        self.pin_pad = Keypad(DIGITS, "pin_pad")
        self.pin_pad.typed.connect(self._pin_typed)
        self.pin_pad.erased.connect(self._pin_erased)
        self.pin_notice.body.addWidget(self.pin_pad, 0, Qt.AlignmentFlag.AlignHCenter)
        h = QHBoxLayout()
        self.pin_cancel = button("", "pin_cancel", self.close_pin)
        self.pin_ok = button("", "pin_ok", self.try_pin, primary=True)
        h.addWidget(self.pin_cancel)
        h.addWidget(self.pin_ok)
        self.pin_notice.body.addLayout(h)
        self._pin = ""

    def _retranslate_notices(self) -> None:
        self.still_button.setText(_("Yes, I am here"))
        self.still_button.setAccessibleName(self.still_button.text())
        self.pin_cancel.setText(_("Cancel"))
        self.pin_cancel.setAccessibleName(self.pin_cancel.text())
        self.pin_ok.setText(_("Leave the kiosk"))
        self.pin_ok.setAccessibleName(self.pin_ok.text())

    def ask_pin(self) -> None:
        self._pin = ""
        self._pin_shown()
        locked = self.guard.locked_for()
        if self.config.pin is None:
            self.pin_text.setText(_("This kiosk has no staff PIN yet. Set one with: hipmap "
                                    "kiosk set-pin"))
        elif locked > 0:
            self.pin_text.setText(_locked_text(locked))
        else:
            self.pin_text.setText(_("Staff only: type the PIN to leave the kiosk."))
        self.pin_notice.open()

    def _pin_shown(self) -> None:
        self.pin_field.setText("●" * len(self._pin) or " ")

    def _pin_typed(self, ch: str) -> None:
        if len(self._pin) < 12:
            self._pin += ch
        self._pin_shown()

    def _pin_erased(self) -> None:
        self._pin = self._pin[:-1]
        self._pin_shown()

    def close_pin(self) -> None:
        self._pin = ""
        self._pin_shown()
        self.pin_notice.hide()

    def try_pin(self) -> bool:
        """True (and the window closes) when the PIN is right and not locked out."""
        pin, self._pin = self._pin, ""
        self._pin_shown()
        if self.config.pin is None:
            return False
        result = self.guard.check(pin)
        if result.ok:
            self.unlocked = True
            self.pin_notice.hide()
            self.close()
            return True
        if result.locked_for > 0:
            self.pin_text.setText(_locked_text(result.locked_for))
        else:
            self.pin_text.setText(ngettext("That PIN is not right. {n} try left.",
                                           "That PIN is not right. {n} tries left.",
                                           result.tries_left).format(n=result.tries_left))
        return False

    # ================================================================== lockdown
    def closeEvent(self, ev) -> None:
        if self.unlocked:
            QApplication.instance().removeEventFilter(self._app_guard)
            self.idle.stop()
            self.tick.stop()
            self.thanks_timer.stop()
            ev.accept()
            return
        self.blocked.append("close")
        ev.ignore()

    def keyPressEvent(self, ev) -> None:
        ev.accept()  # nothing reaches a parent or the system

    def changeEvent(self, ev) -> None:
        super().changeEvent(ev)
        if ev.type() == QEvent.Type.WindowStateChange and self.fullscreen and \
                not self.unlocked and not self.isFullScreen():
            QTimer.singleShot(0, self.showFullScreen)  # minimised or restored: back

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self.staff.move(8, 8)
        self.staff.raise_()
        for n in (self.still_there, self.pin_notice):
            n.resize_to_parent()

    def start(self) -> None:
        if self.fullscreen:
            # the whole screen even without a window manager to honour "full screen" (a
            # Linux kiosk session that runs hipmap alone)
            screen = self.screen() or QApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.show()
        self.raise_()
        self.activateWindow()
