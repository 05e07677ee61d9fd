"""The guided patient flow: one step per screen, always with Back and "Start again".

language -> where does it hurt (the body map, front and back) -> how strong (faces 0-10) ->
what it feels like -> the red-flag screening questions that matter (the assessment's
``unscreened``, in order) -> a few plain questions chosen by ``next_questions`` -> check your
answers -> who you are (the clinic's check-in) -> send.

One :class:`KioskFlow` holds one patient: its own model, undo stack and widgets. The window
throws it away and builds a new one for the next patient, so nothing of one patient can stay
in a widget, the model or the undo stack. The patient never sees a ranking, a cause, an
urgency or a question's reason (those name causes): only the questions, and — when an answer
is a red flag — the clinic's instruction to go to the desk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.document import Document
from hipmap.i18n import LANGUAGES, _, language, set_language
from hipmap.kiosk_config import KioskConfig
from hipmap.model.drawing import Change, ChangeKind, DrawingModel
from hipmap.model.edits import ReplaceMarks
from hipmap.ui.commands import Editor
from hipmap.ui.kiosk import texts
from hipmap.ui.kiosk.widgets import (
    DIGITS,
    LETTERS,
    Keypad,
    Notice,
    PictureButton,
    SidePills,
    SideStrip,
    TitleCover,
    button,
    label,
    paint_face,
    paint_quality,
    patient_picture,
    set_chosen,
)
from hipmap.ui.tools import ToolState


def RESTYLE() -> str:
    return _("How strong and what it feels like")


#: how many plain questions (chosen by next_questions) after the red-flag ones
PLAIN_QUESTIONS = 4
BRUSH_WIDTH = 28.0  # a finger is wider than a mouse


class Picture(QWidget):
    """A picture scaled to fit whatever room it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.pixmap = QPixmap()
        self.setMinimumSize(200, 200)

    def set_image(self, pixmap: QPixmap) -> None:
        self.pixmap = pixmap
        self._scaled = QPixmap()
        self.update()

    def clear(self) -> None:
        self.set_image(QPixmap())

    def paintEvent(self, ev) -> None:
        if self.pixmap.isNull():
            return
        size = self.pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if getattr(self, "_scaled", QPixmap()).size() != size:  # scaled once per size
            self._scaled = self.pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation)
        p = QPainter(self)
        p.drawPixmap((self.width() - size.width()) // 2, (self.height() - size.height()) // 2,
                     self._scaled)
        p.end()


class KioskFlow(QWidget):
    """One patient's way through the kiosk. ``submit(document, checkin_fields)`` stores the
    submission and returns its visit number (it raises to say it could not)."""

    step_changed = Signal(str)
    sent = Signal(int)  #: the visit number the record gave the submission
    restart = Signal()  #: the patient asked to start again
    red_flag_raised = Signal()

    def __init__(self, config: KioskConfig, submit: Callable[[Document, dict[str, str]], int],
                 *, home_language: str, atlas: Any = None, start: str = "language",
                 large: bool = False, on_large: Callable[[bool], None] | None = None,
                 tell_desk: bool = False) -> None:
        super().__init__()
        self.setObjectName("kiosk_flow")
        self.config = config
        self.submit = submit
        self.home_language = home_language
        # the model, the body map and the later screens are built once the welcome screen is
        # on show (ensure_built): the welcome screen appears at once, and the numpy/shapely
        # imports and the atlas come while nobody is touching yet
        self.model: DrawingModel | None = None
        self.stack = QUndoStack(self)
        self.editor: Editor | None = None
        self.tools: ToolState | None = None
        self._atlas = atlas
        self.strength: int | None = None
        self.quality: str | None = None
        self.quality_chosen = False
        self.choices: dict[str, str] = {}  # answer id -> yes / no / unsure
        self.path: list[str] = ["language"] if start == "language" else [start]
        self.pos = 0
        self.checkin: dict[str, str] = {"code": "", "day": "", "month": "", "year": "",
                                        "initials": ""}
        self.active_field = "day"
        self.flags_seen: set[str] = set()
        self.failed: str | None = None  # why the last send failed
        self.sent_with_flags = False
        self._check_key: object = None
        #: the thank-you screen after a submission with a red flag keeps the instruction
        self.tell_desk = tell_desk
        self.large = large
        self._on_large = on_large
        self._bindings: list[tuple[Callable[[str], None], Callable[[], str]]] = []
        self.pages: dict[str, QWidget] = {}
        self.page_headings: dict[str, Callable[[], str]] = {}
        self._build()
        if start != "language":
            self.ensure_built()
        self.retranslate()
        self._show(self.path[0])

    @property
    def built(self) -> bool:
        return self.model is not None

    def ensure_built(self) -> None:
        """Build the model and every screen after the welcome (idempotent)."""
        if self.model is not None:
            return
        from hipmap.ui.canvas import BodyCanvas  # noqa: F401 - the heavy part, here

        n = len(self._bindings)
        self.model = DrawingModel()
        self.model.stamp_new_drawings = True
        self.editor = Editor(self.model, self.stack)
        self.tools = ToolState()
        self.tools.set(width=BRUSH_WIDTH)
        self._page_where(self._atlas)
        self._page_strength()
        self._page_feel()
        self._page_question()
        self._page_check()
        self._page_code()
        self._page_birth()
        self._page_initials()
        self._page_thanks()
        self.model.subscribe(self._on_model)
        self.model.assessment()  # loads the knowledge base now, not on the first question
        for setter, text in self._bindings[n:]:
            setter(text())
        self.notice.raise_()
        self._orient()

    # ================================================================== building
    def _bind(self, setter: Callable[[str], None], text: Callable[[], str]) -> None:
        self._bindings.append((setter, text))

    def _bind_button(self, b: QPushButton, text: Callable[[], str]) -> None:
        def set_both(t: str) -> None:
            b.setText(t)
            b.setAccessibleName(t)
        self._bind(set_both, text)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 16)
        outer.setSpacing(12)
        # the top bar: the large-text switch, Start again
        top = QHBoxLayout()
        top.addSpacing(96)  # the window's Staff button sits in this corner
        self.heading = label("", "title")
        self.heading.setObjectName("heading")
        top.addWidget(self.heading, 1)
        self.large_button = button("", "large_text", self._toggle_large, checkable=True)
        self.large_button.setChecked(self.large)
        self._bind_button(self.large_button, lambda: _("Bigger text"))
        top.addWidget(self.large_button)
        self.restart_button = button("", "start_again", self.ask_start_again)
        self._bind_button(self.restart_button, lambda: _("Start again"))
        top.addWidget(self.restart_button)
        outer.addLayout(top)
        # the red-flag instruction: stays on every step once an answer raised a flag
        self.alert = QFrame()
        self.alert.setObjectName("alert")
        a = QHBoxLayout(self.alert)
        a.setContentsMargins(20, 10, 20, 10)
        self.alert_text = label("", "heading")
        self.alert_text.setObjectName("alert_text")
        a.addWidget(self.alert_text)
        self.alert.hide()
        outer.addWidget(self.alert)
        self.pages_stack = QStackedWidget()
        outer.addWidget(self.pages_stack, 1)
        # the bottom bar: Back, a hint, Next
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        self.back_button = button("", "back", self.back)
        self._bind_button(self.back_button, lambda: "← " + _("Back"))
        bottom.addWidget(self.back_button)
        self.hint = label("", "muted", align=Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("hint")
        bottom.addWidget(self.hint, 1)
        self.next_button = button("", "next", self.next, primary=True)
        bottom.addWidget(self.next_button)
        outer.addLayout(bottom)

        self._page_language()
        self.notice = Notice(self, "notice")
        self.notice_text = label("", "heading")
        self.notice_text.setObjectName("notice_text")
        self.notice.body.addWidget(self.notice_text)
        self.notice_buttons = QHBoxLayout()
        self.notice.body.addLayout(self.notice_buttons)

    def _add_page(self, key: str, heading: Callable[[], str] | None = None,
                  intro: Callable[[], str] | None = None) -> QVBoxLayout:
        page = QWidget()
        page.setObjectName(f"page_{key}")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(14)
        self.page_headings[key] = heading or (lambda: "")
        if intro is not None:
            i = label("")
            i.setObjectName(f"{key}_intro")
            i.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            self._bind(i.setText, intro)
            v.addWidget(i)
        self.pages[key] = page
        self.pages_stack.addWidget(page)
        return v

    def _page_language(self) -> None:
        v = self._add_page("language", lambda: _("Welcome"),
                           lambda: _("Tell us where it hurts, before you see the clinician. It "
                                     "takes about three minutes. Please choose your language."))
        v.addStretch(1)
        h = QHBoxLayout()
        h.setSpacing(30)
        for code, name in LANGUAGES.items():
            b = button(name, f"language_{code}", lambda code=code: self.choose_language(code),
                       primary=True)
            b.setMinimumHeight(120)
            b.setMinimumWidth(260)
            h.addWidget(b)
        v.addLayout(h)
        v.addStretch(2)

    def _page_where(self, atlas: Any) -> None:
        v = self._add_page("where", lambda: _("Where does it hurt?"),
                           lambda: _("Touch the picture where it hurts. Paint with your "
                                     "finger, or tap a part of the body."))
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._where_body = body
        left = QVBoxLayout()
        left.setSpacing(0)
        from hipmap.ui.canvas import BodyCanvas

        self.canvas = BodyCanvas(self.editor, self.tools, atlas)
        self.canvas.setObjectName("body_map")
        self.canvas.setAccessibleName(_("Picture of your body: touch where it hurts"))
        self.canvas.setMinimumSize(QSize(300, 240))
        self.canvas.message.connect(self._say)
        self.sides = SideStrip(self.canvas)
        self.title_cover = TitleCover(self.canvas)
        self.pills = SidePills(self.canvas)
        left.addWidget(self.sides)
        left.addWidget(self.canvas, 1)
        body.addLayout(left, 1)
        tools = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._where_tools = tools
        tools.setSpacing(14)
        self.paint_button = button("", "tool_paint", lambda: self._tool("brush"),
                                   checkable=True)
        self._bind_button(self.paint_button, lambda: _("Paint"))
        self.tap_button = button("", "tool_tap", lambda: self._tool("tap"), checkable=True)
        self._bind_button(self.tap_button, lambda: _("Tap a part"))
        self.undo_button = button("", "undo", self.undo)
        self._bind_button(self.undo_button, lambda: "↶ " + _("Undo"))
        self.stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        for b in (self.paint_button, self.tap_button, self.undo_button):
            tools.addWidget(b)
        tools.addStretch(1)
        body.addLayout(tools)
        v.addLayout(body, 1)
        self._tool("brush")

    def _page_strength(self) -> None:
        v = self._add_page("strength", lambda: _("How strong is the pain?"),
                           lambda: _("Pick a face. 0 is no pain. 10 is the worst pain you can "
                                     "think of."))
        grid = QGridLayout()
        grid.setSpacing(8)
        self.face_buttons: list[PictureButton] = []
        for n in range(11):
            b = PictureButton(str(n), f"strength_{n}",
                              lambda p, r, n=n: paint_face(p, r, n), picture=64)
            b.clicked.connect(lambda _c=False, n=n: self.choose_strength(n))
            self.face_buttons.append(b)
        for i, b in enumerate(self.face_buttons):  # 0-5 above, 6-10 below
            b.setMaximumHeight(260)
            grid.addWidget(b, i // 6, i % 6)
        v.addLayout(grid, 3)
        v.addStretch(1)

    def _page_feel(self) -> None:
        v = self._add_page("feel", lambda: _("What does the pain feel like?"),
                           lambda: _("Pick the one that fits best."))
        grid = QGridLayout()
        grid.setSpacing(12)
        self.quality_buttons: dict[str | None, PictureButton] = {}
        for i, (q, _word) in enumerate([*texts.QUALITIES.items(), (None, "")]):
            b = PictureButton("", f"feel_{q or 'unsure'}",
                              lambda p, r, q=q: paint_quality(p, r, q), picture=80)
            b.clicked.connect(lambda _c=False, q=q: self.choose_quality(q))
            b.setMaximumHeight(300)
            grid.addWidget(b, i // 4, i % 4)
            self.quality_buttons[q] = b
            if q is None:
                self._bind(b.set_words, lambda: _("I am not sure"))
            else:
                self._bind(b.set_words, lambda q=q: _(texts.QUALITIES[q]))
        v.addLayout(grid, 3)
        v.addStretch(1)

    def _page_question(self) -> None:
        v = self._add_page("question")
        v.addStretch(1)
        self.question_text = label("", "title", align=Qt.AlignmentFlag.AlignCenter)
        self.question_text.setObjectName("question_text")
        v.addWidget(self.question_text)
        v.addSpacing(30)
        h = QHBoxLayout()
        h.setSpacing(24)
        self.answer_buttons: dict[str, QPushButton] = {}
        for key, word, _value in texts.CHOICES:
            b = button("", f"answer_{key}", lambda key=key: self.answer(key))
            b.setProperty("role", "answer")
            b.setMinimumWidth(180)
            self._bind_button(b, lambda word=word: _(word))
            h.addWidget(b)
            self.answer_buttons[key] = b
        v.addLayout(h)
        v.addStretch(2)

    def _page_check(self) -> None:
        v = self._add_page("check", lambda: _("Please check your answers"),
                           lambda: _("If something is wrong, tap Back to change it."))
        h = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._check_body = h
        h.setSpacing(20)
        self.check_picture = Picture()
        self.check_picture.setObjectName("check_picture")
        h.addWidget(self.check_picture, 1)
        self.check_list = QWidget()
        self.check_list.setObjectName("check_list")
        self.check_rows = QVBoxLayout(self.check_list)
        self.check_rows.setSpacing(10)
        scroll = QScrollArea()
        scroll.setObjectName("check_scroll")
        scroll.setWidget(self.check_list)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        QScroller.grabGesture(scroll.viewport(),
                              QScroller.ScrollerGestureType.TouchGesture)
        h.addWidget(scroll, 1)
        v.addLayout(h, 1)

    def _field(self, name: str) -> QPushButton:
        f = button("", f"field_{name}", lambda: self._activate(name))
        f.setProperty("role", "field")
        return f

    def _page_code(self) -> None:
        v = self._add_page("code", lambda: _("Your check-in code"),
                           lambda: _("Type the code you got at the reception desk."))
        self.code_field = self._field("code")
        self.code_pad = Keypad(DIGITS, "code_pad")
        self.code_pad.typed.connect(lambda ch: self._type("code", ch, 12))
        self.code_pad.erased.connect(lambda: self._erase("code"))
        v.addLayout(_beside(self.code_field, self.code_pad), 1)

    def _page_birth(self) -> None:
        v = self._add_page("birth", lambda: _("Your date of birth"),
                           lambda: _("Tap a box, then type the numbers."))
        h = QHBoxLayout()
        h.setSpacing(12)
        self.birth_fields: dict[str, QPushButton] = {}
        self.birth_labels: dict[str, QLabel] = {}
        for name, words in (("day", lambda: _("Day")), ("month", lambda: _("Month")),
                            ("year", lambda: _("Year"))):
            col = QVBoxLayout()
            lab = label("", "muted", align=Qt.AlignmentFlag.AlignCenter)
            self._bind(lab.setText, words)
            col.addWidget(lab)
            f = self._field(name)
            col.addWidget(f)
            h.addLayout(col)
            self.birth_fields[name] = f
            self.birth_labels[name] = lab
        fields = QWidget()
        fields.setLayout(h)
        self.birth_pad = Keypad(DIGITS, "birth_pad")
        self.birth_pad.typed.connect(self._type_birth)
        self.birth_pad.erased.connect(lambda: self._erase(self.active_field))
        v.addLayout(_beside(fields, self.birth_pad), 1)

    def _page_initials(self) -> None:
        v = self._add_page("initials", lambda: _("Your initials"),
                           lambda: _("The first letter of your first name and of your last "
                                     "name."))
        self.initials_field = self._field("initials")
        self.letters_pad = Keypad(LETTERS, "letters_pad")
        self.letters_pad.typed.connect(lambda ch: self._type("initials", ch, 4))
        self.letters_pad.erased.connect(lambda: self._erase("initials"))
        v.addLayout(_beside(self.initials_field, self.letters_pad), 1)

    def _page_thanks(self) -> None:
        v = self._add_page("thanks", lambda: _("Thank you"))
        v.addStretch(1)
        t = label("", "title", align=Qt.AlignmentFlag.AlignCenter)
        t.setObjectName("thanks_heading")
        self._bind(t.setText, lambda: _("Your answers have been sent."))
        v.addWidget(t)
        s = label("", "heading", align=Qt.AlignmentFlag.AlignCenter)
        s.setObjectName("thanks_text")
        self._bind(s.setText, lambda: _("Please take a seat. We will call you soon."))
        v.addWidget(s)
        v.addStretch(2)

    # ================================================================== language, size
    def retranslate(self) -> None:
        for setter, text in self._bindings:
            setter(text())
        self.alert_text.setText(self.red_flag_text())
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        if self.path:
            self._refresh(self.path[self.pos])

    def choose_language(self, code: str) -> None:
        self.ensure_built()
        set_language(code)
        self.retranslate()
        self.next()

    def red_flag_text(self) -> str:
        return self.config.red_flag_instruction(language(), _(texts.RED_FLAG_DEFAULT))

    def _toggle_large(self) -> None:
        self.large = self.large_button.isChecked()
        if self._on_large is not None:
            self._on_large(self.large)

    # ================================================================== the steps
    @property
    def step(self) -> str:
        return self.path[self.pos]

    def _show(self, key: str) -> None:
        page = "question" if key.startswith("q:") else key
        self._refresh(key)
        self.pages_stack.setCurrentWidget(self.pages[page])
        self.step_changed.emit(key)

    def _refresh(self, key: str) -> None:
        """Texts and buttons of the step ``key`` from the current state."""
        first = key == "language"
        self.back_button.setVisible(not first and key != "thanks")
        self.restart_button.setVisible(not first and key != "thanks")
        self.next_button.setVisible(key not in ("language", "thanks") and not key.startswith("q:"))
        page = "question" if key.startswith("q:") else key
        self.heading.setText(self._step_title(key) or self.page_headings[page]())
        self.hint.setText("")
        self.next_button.setText(_("Send") if key in ("code", "initials") else
                                 _("Next") + " →")
        self.next_button.setAccessibleName(self.next_button.text())
        self.next_button.setEnabled(True)
        self._update_alert()
        if key == "where":
            self.next_button.setEnabled(bool(self.model.marks))
            if not self.model.marks:
                self.hint.setText(_("Touch the picture first."))
        elif key == "strength":
            for n, b in enumerate(self.face_buttons):
                set_chosen(b, n == self.strength)
                b.set_words({0: _("0 No pain"), 5: _("5 Bad"),
                             10: _("10 Worst pain")}.get(n, str(n)))
            self.next_button.setEnabled(self.strength is not None)
            if self.strength is None:
                self.hint.setText(_("Pick a face first."))
        elif key == "feel":
            for q, b in self.quality_buttons.items():
                set_chosen(b, self.quality_chosen and q == self.quality)
        elif key.startswith("q:"):
            aid = key[2:]
            self.question_text.setText(texts.question(aid))
            self.question_text.setAccessibleName(texts.question(aid))
            for k, b in self.answer_buttons.items():
                set_chosen(b, self.choices.get(aid) == k)
                b.setAccessibleDescription(_("chosen") if self.choices.get(aid) == k else "")
        elif key == "check":
            self._fill_check()
            self.next_button.setText(_("This is right") + " →")
            self.next_button.setAccessibleName(self.next_button.text())
        elif key == "code":
            self._show_field(self.code_field, self.checkin["code"], True)
            self.next_button.setEnabled(bool(self.checkin["code"]))
        elif key == "birth":
            for name, f in self.birth_fields.items():
                self._show_field(f, self.checkin[name], name == self.active_field)
            self.next_button.setEnabled(self._birth_date() is not None)
        elif key == "initials":
            self._show_field(self.initials_field, self.checkin["initials"], True)
            self.next_button.setEnabled(bool(self.checkin["initials"]))

    def _step_title(self, key: str) -> str:
        if key.startswith("q:"):
            n = sum(1 for k in self.path[: self.pos + 1] if k.startswith("q:"))
            return _("Question {n}").format(n=n)
        return ""

    def next(self) -> None:
        key = self.step
        if key == "where" and not self.model.marks:
            return
        if key == "strength" and self.strength is None:
            return
        if key in ("strength", "feel"):
            self._restyle()
            # the drawing and its feeling can raise a red flag on their own (pain down both
            # legs with a nerve-type feeling): the instruction comes now, then the next step
            if self._announce_new_red_flags():
                return
        if key == "check":
            nxt = "code" if self.config.identify == "code" else "birth"
        elif key == "birth":
            if self._birth_date() is None:
                return
            nxt = "initials"
        elif key in ("code", "initials"):
            self.send()
            return
        elif key == "language":
            nxt = "where"
        elif key == "where":
            nxt = "strength"
        elif key == "strength":
            nxt = "feel"
        else:  # feel or a question: the next question, if any, else check
            if self.pos + 1 < len(self.path) and self.path[self.pos + 1].startswith("q:"):
                self.pos += 1
                self._show(self.path[self.pos])
                return
            q = self.next_question()
            nxt = f"q:{q}" if q else "check"
        del self.path[self.pos + 1:]
        self.path.append(nxt)
        self.pos += 1
        self._show(nxt)

    def back(self) -> None:
        if self.pos > 0:
            self.pos -= 1
            self._show(self.path[self.pos])

    def go_to(self, key: str) -> None:
        """Jump to a step already on the way (tests, screenshots)."""
        self.pos = self.path.index(key)
        self._show(key)

    # ================================================================== questions
    def next_question(self) -> str | None:
        """The red-flag questions that still matter first (``unscreened``, most important
        first), then up to PLAIN_QUESTIONS chosen by ``next_questions``; never one already
        on the way, never a clinician's test or a number."""
        asked = {k[2:] for k in self.path if k.startswith("q:")}
        a = self.model.assessment()
        for aid in a.unscreened:
            if aid not in asked and texts.askable(aid):
                return aid
        plain = sum(1 for k in asked if k not in a.unscreened
                    and k not in _RED_FLAG_ANSWERS)
        if plain >= PLAIN_QUESTIONS:
            return None
        for q in a.next_questions:
            if q.kind != "red_flag" and texts.askable(q.answer) and q.answer not in asked \
                    and q.answer not in self.model.answers:
                return q.answer
        return None

    def answer(self, key: str) -> None:
        aid = self.step[2:]
        value = next(v for k, _w, v in texts.CHOICES if k == key)
        self.choices[aid] = key
        self.editor.set_answer(aid, value)
        if not self._announce_new_red_flags():
            self.next()

    def _announce_new_red_flags(self) -> bool:
        flags = {f.id for f in self.model.assessment().red_flags}
        new = flags - self.flags_seen
        self.flags_seen |= flags
        self._update_alert()
        if not new:
            return False
        self.red_flag_raised.emit()
        self.show_notice(self.red_flag_text(),
                         [(_("OK, I understand"), "notice_ok", self._after_red_flag)])
        return True

    def _after_red_flag(self) -> None:
        self.close_notice()
        self.next()

    def _update_alert(self) -> None:
        raised = self.tell_desk or (self.model is not None and bool(self.model.marks or
                                                                    self.model.answers)
                                    and bool(self.model.assessment().red_flags))
        self.alert_text.setText(self.red_flag_text())
        self.alert.setVisible(raised)

    # ================================================================== answers
    def _tool(self, tool: str) -> None:
        self.tools.set(tool=tool)
        self.paint_button.setChecked(tool == "brush")
        self.tap_button.setChecked(tool == "tap")

    def _say(self, text: str) -> None:
        self.hint.setText(text)

    def choose_strength(self, n: int) -> None:
        self.strength = n
        self.tools.set(intensity=n)
        self._refresh("strength")

    def choose_quality(self, q: str | None) -> None:
        self.quality, self.quality_chosen = q, True
        self.tools.set(quality=q)
        self._refresh("feel")

    def undo(self) -> None:
        """Undo the last stroke or tap. Giving every mark the strength and feeling chosen is
        not something the patient did on this screen: it is undone on the way (and done
        again when they go on)."""
        while self.stack.canUndo() and self.stack.undoText() == RESTYLE():
            self.stack.undo()
        self.stack.undo()

    def _restyle(self) -> None:
        """Every painted mark gets the strength and feeling chosen (one undoable edit)."""
        if self.strength is None:
            return
        ids = list(self.model.marks)
        old = [self.model.marks[i] for i in ids]
        new = [dataclasses.replace(m, intensity=float(self.strength), quality=self.quality)
               for m in old]
        if new != old:
            self.editor.push(ReplaceMarks(RESTYLE(), remove=ids, add=new))

    def _on_model(self, change: Change) -> None:
        if change.kind is ChangeKind.MARKS and self.step == "where":
            self._refresh("where")

    # ================================================================== check
    def _fill_check(self) -> None:
        """The drawing and every answer; rebuilt only when they changed (coming back from
        the check-in shows the same screen at once)."""
        marks = list(self.model.marks.values())
        rows = self._check_rows()
        key = (tuple(marks), tuple(rows), language())
        if key == self._check_key:
            return
        self._check_key = key
        while self.check_rows.count():
            item = self.check_rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.check_picture.set_image(QPixmap.fromImage(patient_picture(marks)))
        self.check_picture.setAccessibleName(_("Your picture, with where it hurts"))
        for question, answer in rows:
            r = QFrame()
            r.setObjectName("panel")
            h = QHBoxLayout(r)
            h.setContentsMargins(14, 8, 14, 8)
            q = label(question)
            a = label(answer, "heading", wrap=False, align=Qt.AlignmentFlag.AlignRight)
            a.setMinimumWidth(200)
            h.addWidget(q, 1)
            h.addWidget(a)
            self.check_rows.addWidget(r)
        self.check_rows.addStretch(1)

    def _check_rows(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        if self.strength is not None:
            rows.append((_("How strong"), _("{n} out of 10").format(n=self.strength)))
        rows.append((_("It feels"), _(texts.QUALITIES[self.quality]) if self.quality
                     else _("I am not sure")))
        for k in self.path:
            if k.startswith("q:"):
                aid = k[2:]
                rows.append((texts.question(aid),
                             texts.choice_word(self.choices.get(aid, "unsure"))))
        return rows

    # ================================================================== check-in
    def _show_field(self, f: QPushButton, value: str, active: bool) -> None:
        f.setText(value or " ")
        f.setAccessibleName(value or _("empty"))
        set_chosen(f, active, "active")

    def _activate(self, name: str) -> None:
        if name in self.birth_fields:
            self.active_field = name
            self._refresh(self.step)

    def _type(self, name: str, ch: str, limit: int) -> None:
        if len(self.checkin[name]) < limit:
            self.checkin[name] += ch
        self._refresh(self.step)

    def _erase(self, name: str) -> None:
        self.checkin[name] = self.checkin[name][:-1]
        self._refresh(self.step)

    def _type_birth(self, ch: str) -> None:
        limit = {"day": 2, "month": 2, "year": 4}
        name = self.active_field
        if len(self.checkin[name]) >= limit[name]:
            return
        self.checkin[name] += ch
        if len(self.checkin[name]) == limit[name] and name != "year":
            self.active_field = "month" if name == "day" else "year"
        self._refresh(self.step)

    def _birth_date(self) -> str | None:
        import datetime as dt

        c = self.checkin
        try:
            d = dt.date(int(c["year"]), int(c["month"]), int(c["day"]))
        except ValueError:
            return None
        if len(c["year"]) != 4 or d > dt.date.today() or d.year < 1900:
            return None
        return d.isoformat()

    def checkin_fields(self) -> dict[str, str]:
        if self.config.identify == "code":
            return {"code": self.checkin["code"]}
        return {"birth_date": self._birth_date() or "", "initials": self.checkin["initials"]}

    # ================================================================== sending
    def document(self) -> Document:
        doc = self.model.document()
        doc.extra["kiosk"] = {"language": language()}
        return doc

    def send(self) -> None:
        try:
            doc = self.document()
            visit = self.submit(doc, self.checkin_fields())
        except Exception as exc:  # the database is away, a check-in the record refuses
            self.failed = f"{type(exc).__name__}: {exc}"
            self.show_notice(_("Sorry, your answers could not be sent. Please tell the "
                               "reception desk. Your answers are kept."),
                             [(_("Try again"), "notice_retry", self._retry),
                              (_("Back"), "notice_back", self.close_notice)])
            return
        self.sent_with_flags = bool(self.model.assessment().red_flags)
        self.sent.emit(visit)

    def _retry(self) -> None:
        self.close_notice()
        self.send()

    # ================================================================== notices
    def show_notice(self, text: str, buttons: list[tuple[str, str, Callable[[], None]]]) -> None:
        self.notice_text.setText(text)
        while self.notice_buttons.count():
            item = self.notice_buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, (words, name, act) in enumerate(buttons):
            self.notice_buttons.addWidget(button(words, name, act, primary=i == 0))
        self.notice.open()

    def close_notice(self) -> None:
        self.notice.hide()

    def ask_start_again(self) -> None:
        self.show_notice(_("Start again? Everything you entered will be cleared."),
                         [(_("Yes, start again"), "notice_restart", self._start_again),
                          (_("No, go on"), "notice_cancel", self.close_notice)])

    def _start_again(self) -> None:
        self.close_notice()
        self.restart.emit()  # the window builds a fresh flow

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self.notice.resize_to_parent()
        self._orient()

    def _orient(self) -> None:
        if not self.built:
            return
        portrait = self.height() > self.width()
        # portrait: the tools in a row under the body map, which gets the whole width
        self._where_body.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                      else QBoxLayout.Direction.LeftToRight)
        self._where_tools.setDirection(QBoxLayout.Direction.LeftToRight if portrait
                                       else QBoxLayout.Direction.TopToBottom)
        self._check_body.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                      else QBoxLayout.Direction.LeftToRight)


def _beside(field: QWidget, pad: QWidget) -> QHBoxLayout:
    """What is typed on the left, the keys on the right (fits a landscape screen's height)."""
    h = QHBoxLayout()
    h.setSpacing(40)
    col = QVBoxLayout()
    col.addWidget(field)
    col.addStretch(1)
    h.addLayout(col, 1)
    h.addWidget(pad, 0, Qt.AlignmentFlag.AlignTop)
    return h


def _red_flag_answers() -> frozenset[str]:
    from hipmap.core.ids import RED_FLAG_ANSWERS

    return frozenset(RED_FLAG_ANSWERS)


_RED_FLAG_ANSWERS = _red_flag_answers()
