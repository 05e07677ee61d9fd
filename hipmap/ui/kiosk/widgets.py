"""The kiosk's building blocks: big buttons, the pain faces, the pictograms of what pain feels
like, a number/letter pad, the in-window notice (never a separate dialog), and the labels that
tell a patient which side of the picture is theirs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hipmap.i18n import _, language, pgettext
from hipmap.ui.diagram import QUALITY_STYLE, intensity_color, paint_mark_path
from hipmap.ui.kiosk.style import MIN_TARGET, PALETTE


def label(text: str = "", role: str | None = None, *, wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    w = QLabel(text)
    w.setWordWrap(wrap)
    w.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    w.setTextFormat(Qt.TextFormat.PlainText)  # a patient's input is never markup
    if role:
        w.setProperty("role", role)
    return w


def button(text: str, name: str, on_click: Callable[[], None] | None = None, *,
           primary: bool = False, checkable: bool = False) -> QPushButton:
    """A big button with an accessible name (the text itself unless told otherwise)."""
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(text)
    b.setMinimumSize(MIN_TARGET, MIN_TARGET)
    # the keyboard reaches every button with Tab; a tap does not leave a focus frame that
    # could look like a choice already made
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    b.setCheckable(checkable)
    b.setAutoDefault(False)
    if primary:
        b.setProperty("role", "primary")
    if on_click is not None:
        b.clicked.connect(lambda _checked=False: on_click())
    return b


def set_chosen(b: QPushButton, on: bool, prop: str = "chosen") -> None:
    if bool(b.property(prop)) != on:
        b.setProperty(prop, on)
        b.style().unpolish(b)
        b.style().polish(b)
        b.update()


class _Follow(QObject):
    """Keeps an overlay the size of the viewport it covers."""

    def __init__(self, overlay: QWidget) -> None:
        super().__init__(overlay)
        self.overlay = overlay
        overlay.parentWidget().installEventFilter(self)
        overlay.setGeometry(overlay.parentWidget().rect())

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QEvent.Type.Resize:
            self.overlay.setGeometry(self.overlay.parentWidget().rect())
        return False


# ============================================================================ pictures

def paint_face(p: QPainter, rect: QRectF, level: int) -> None:
    """A face for pain ``level`` 0-10: from a smile to a frown, in the intensity colour the
    drawing uses (so the colour of the painted areas matches the face chosen)."""
    d = min(rect.width(), rect.height())
    c = rect.center()
    r = d / 2 - 2
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#3a2e28"), max(2.0, d / 28)))
    p.setBrush(intensity_color(level) if level > 0 else QColor("#e8f1e4"))
    p.drawEllipse(c, r, r)
    eye = r * 0.12
    for sx in (-1, 1):
        p.setBrush(QColor("#3a2e28"))
        p.drawEllipse(QPointF(c.x() + sx * r * 0.35, c.y() - r * 0.22), eye, eye)
        if level >= 6:  # brows raised in the middle: a face in pain, not an angry one
            tilt = (level - 5) / 5 * r * 0.16
            p.drawLine(QPointF(c.x() + sx * r * 0.58, c.y() - r * 0.42),
                       QPointF(c.x() + sx * r * 0.16, c.y() - r * 0.48 - tilt))
    # the mouth: +1 a smile, -1 a frown
    curve = 1.0 - level / 5.0
    mouth = QPainterPath(QPointF(c.x() - r * 0.45, c.y() + r * 0.38))
    mouth.quadTo(QPointF(c.x(), c.y() + r * 0.38 + curve * r * 0.35),
                 QPointF(c.x() + r * 0.45, c.y() + r * 0.38))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(mouth)
    p.restore()


def paint_quality(p: QPainter, rect: QRectF, quality: str | None) -> None:
    """The quality's pictogram: its pattern as the drawing shows it, and its symbol large
    (the same pattern and symbol the clinician's legend uses)."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(rect.adjusted(2, 2, -2, -2), 10, 10)
    if quality is None:
        p.fillPath(path, QColor("#eeeeee"))
        symbol = "?"
    else:
        paint_mark_path(p, path, 7, quality, alpha=255)
        symbol = QUALITY_STYLE[quality][1]
    p.setPen(QPen(QColor("#555555"), 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    font = QFont()
    font.setPixelSize(max(12, int(rect.height() * 0.5)))
    font.setBold(True)
    p.setFont(font)
    disc = QRectF(0, 0, rect.height() * 0.62, rect.height() * 0.62)
    disc.moveCenter(rect.center())
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 230))
    p.drawEllipse(disc)
    p.setPen(QColor("#1a1a1a"))
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, symbol)
    p.restore()


class PictureButton(QPushButton):
    """A tall button: a picture above its words."""

    def __init__(self, text: str, name: str, paint: Callable[[QPainter, QRectF], None],
                 picture: int = 72) -> None:
        super().__init__()
        self.setObjectName(name)
        self._paint = paint
        self._picture = picture
        self.setAccessibleName(text)
        self.setMinimumSize(MIN_TARGET + 16, picture + 64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.words = text
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_words(self, text: str) -> None:
        self.words = text
        self.setAccessibleName(text)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._picture + 40, self._picture + 80)

    def paintEvent(self, ev) -> None:
        super().paintEvent(ev)  # the style sheet's background (chosen or not)
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        fm = QFontMetricsF(self.font())
        text_h = fm.height() * 2.2
        side = max(24.0, min(r.width(), r.height() - text_h))
        pic = QRectF(0, 0, side, side)
        pic.moveCenter(QPointF(r.center().x(), r.top() + side / 2))
        self._paint(p, pic)
        chosen = bool(self.property("chosen"))
        p.setPen(QColor(PALETTE["on_chosen"] if chosen else PALETTE["on_secondary"]))
        p.setFont(self.font())
        p.drawText(QRectF(r.left(), pic.bottom() + 4, r.width(), r.bottom() - pic.bottom() - 4),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                   | Qt.TextFlag.TextWordWrap, self.words)
        p.end()


# ============================================================================ the pad

class Keypad(QWidget):
    """Big keys that type into the kiosk's own fields (no system keyboard, no text box a
    patient could paste into). ``keys``: the characters, in rows."""

    typed = Signal(str)  # one character
    erased = Signal()

    def __init__(self, rows: Sequence[str], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        grid = QGridLayout(self)
        grid.setSpacing(10)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for r, row in enumerate(rows):
            for c, ch in enumerate(row):
                b = button(ch, f"key_{ch}", lambda ch=ch: self.typed.emit(ch))
                b.setMinimumSize(MIN_TARGET + 8, MIN_TARGET)
                grid.addWidget(b, r, c)
                self.keys[ch] = b
        back = button("⌫", "key_erase", self.erased.emit)
        back.setAccessibleName(_("Delete the last one"))
        back.setMinimumSize(MIN_TARGET + 8, MIN_TARGET)
        last = rows[-1]
        grid.addWidget(back, len(rows) - 1, len(last), 1, max(1, len(rows[0]) - len(last)))
        self.keys["⌫"] = back


DIGITS = ("123", "456", "789", "0")
LETTERS = ("ABCDEFG", "HIJKLMN", "OPQRSTU", "VWXYZ")


# ============================================================================ the notice

class Notice(QFrame):
    """A message over the whole flow (the red-flag instruction, "Are you still there?",
    "Start again?", the staff PIN): part of the window, never a separate dialog."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"QFrame#{name} {{ background: rgba(20, 20, 20, 170); }}")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box = QFrame()
        self.box.setObjectName("panel")
        self.box.setMaximumWidth(1100)
        self.box.setMinimumWidth(320)
        self.body = QVBoxLayout(self.box)
        self.body.setContentsMargins(36, 30, 36, 30)
        self.body.setSpacing(22)
        outer.addWidget(self.box)
        self.hide()

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def resize_to_parent(self) -> None:
        if self.isVisible():
            self.setGeometry(self.parentWidget().rect())


def row(*widgets: QWidget, stretch_first: bool = False) -> QHBoxLayout:
    h = QHBoxLayout()
    h.setSpacing(16)
    if stretch_first:
        h.addStretch(1)
    for w in widgets:
        h.addWidget(w)
    return h


# ============================================================================ which side

def side_words(view: str) -> tuple[str, str]:
    """The two side labels of a view, as (the one on the screen's left, the one on its
    right): the front view is the patient seen from the front, so their RIGHT is on the
    screen's left; from behind it is on the screen's right."""
    right = pgettext("the patient's own side, at the kiosk", "Your\nRIGHT")
    left = pgettext("the patient's own side, at the kiosk", "Your\nLEFT")
    return (right, left) if view == "front" else (left, right)


def view_heading(view: str) -> str:
    return _("You, from the front") if view == "front" else _("You, from behind")


def _view_x(canvas, view: str, x: float, target: QWidget) -> float:
    vp = canvas.viewport()
    return float(target.mapFromGlobal(vp.mapToGlobal(canvas.viewport_point(view, x, 0))).x())


class SideStrip(QWidget):
    """Above the body map, over each figure: whose picture it is ("You, from the front"),
    placed from the canvas' public ``viewport_point`` so it sits over its figure at any size."""

    def __init__(self, canvas) -> None:
        super().__init__()
        self.setObjectName("side_strip")
        self.canvas = canvas
        self.drawn: list[tuple[str, QRectF]] = []
        canvas.zoom_changed.connect(lambda _z: self.update())
        canvas.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.update()
        return False

    def _font(self) -> QFont:
        f = QFont(self.font())
        f.setBold(True)
        return f

    def sizeHint(self) -> QSize:
        return QSize(200, int(QFontMetricsF(self._font()).height() + 6))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self._font()
        views = [v for v in ("front", "back") if self.canvas.groups.get(v) is not None
                 and self.canvas.groups[v].isVisible()]
        if views:  # each heading within its own figure's width (smaller, not below 14 pt)
            g = self.canvas.groups[views[0]]
            room = (_view_x(self.canvas, views[0], g.view.width, self)
                    - _view_x(self.canvas, views[0], 0, self)) - 8
            size = font.pointSizeF() if font.pointSizeF() > 0 else 20.0
            while size > 14 and max(QFontMetricsF(font).horizontalAdvance(view_heading(v))
                                    for v in views) > room:
                size -= 1
                font.setPointSizeF(size)
        p.setFont(font)
        p.setPen(QColor(PALETTE["text"]))
        self.drawn = []
        for view in views:
            g = self.canvas.groups[view]
            cx = _view_x(self.canvas, view, g.view.width / 2, self)
            half = (_view_x(self.canvas, view, g.view.width, self)
                    - _view_x(self.canvas, view, 0, self)) / 2
            text = view_heading(view)
            r = QRectF(cx - half, 0, 2 * half, self.height())
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
            self.drawn.append((text, r))
        p.end()


class SidePills(QWidget):
    """Over the body map: the patient's own sides, big, beside each leg ("Your RIGHT" next to
    the right leg in both views), over the atlas' small RIGHT/LEFT labels. Takes no input."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas.viewport())
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.drawn: list[tuple[str, QRectF]] = []
        canvas.zoom_changed.connect(lambda _z: self.update())
        self._follow = _Follow(self)
        self._cache: tuple[object, QPixmap] | None = None

    def paintEvent(self, ev) -> None:
        """From a cached picture while the view is unchanged: a finger's stroke repaints the
        canvas under the pills many times a second, and laying out their text each time
        would cost more than the ink itself."""
        origin = self.canvas.mapFromScene(QPointF(0, 0))
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), round(self.canvas.transform().m11(), 6),
               origin.x(), origin.y(), language(), self.font().pointSizeF(), ratio)
        if self._cache is None or self._cache[0] != key:
            pix = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            pix.setDevicePixelRatio(ratio)
            pix.fill(Qt.GlobalColor.transparent)
            self._paint_pills(QPainter(pix))
            self._cache = (key, pix)
        p = QPainter(self)
        p.drawPixmap(0, 0, self._cache[1])
        p.end()

    def _paint_pills(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self._fitting_font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        self.drawn = []
        for view in ("front", "back"):
            g = self.canvas.groups.get(view)
            if g is None or not g.isVisible():
                continue
            on_left, on_right = side_words(view)
            for lab in g.view.labels:
                if str(lab["text"]) not in ("RIGHT", "LEFT"):
                    continue
                x, y = float(lab["x"]), float(lab["y"])
                text = on_left if x < g.view.width / 2 else on_right
                lines = text.split("\n")
                w = max(fm.horizontalAdvance(t) for t in lines) + 20
                h = fm.height() * len(lines) + 12
                # the back view's labels a little lower: where the two views meet, its
                # LEFT and the front view's LEFT would otherwise touch on a narrow screen
                at = self.canvas.viewport_point(view, x, y)
                box = QRectF(at.x() - w / 2, at.y() - h / 2 + (0 if view == "front" else h + 8),
                             w, h)
                room = QRectF(self.rect()).adjusted(2, 2, -2, -2)
                if box.left() < room.left():
                    box.moveLeft(room.left())
                if box.right() > room.right():
                    box.moveRight(room.right())
                p.setPen(QPen(QColor(PALETTE["on_primary"]), 2))
                p.setBrush(QColor(PALETTE["primary"]))
                p.drawRoundedRect(box, 12, 12)
                p.setPen(QColor(PALETTE["on_primary"]))
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
                self.drawn.append((text, box))
        p.end()


    def _fitting_font(self) -> QFont:
        """The body text's size, bold — smaller (not below 14 pt) only when a view's two
        labels would otherwise touch (a small screen with the large-text switch on)."""
        font = QFont(self.font())
        font.setBold(True)
        g = self.canvas.groups.get("front")
        if g is None:
            return font
        xs = sorted(float(lab["x"]) for lab in g.view.labels
                    if str(lab["text"]) in ("RIGHT", "LEFT"))
        if len(xs) < 2:
            return font
        room = (xs[-1] - xs[0]) * self.canvas.transform().m11() - 12
        words = [w for pair in (side_words("front"), side_words("back")) for t in pair
                 for w in t.split("\n")]
        size = font.pointSizeF() if font.pointSizeF() > 0 else 20.0
        while size > 14:
            font.setPointSizeF(size)
            if max(QFontMetricsF(font).horizontalAdvance(w) for w in words) + 20 <= room:
                break
            size -= 1
        font.setPointSizeF(max(size, 14))
        return font


class TitleCover(QWidget):
    """Covers the atlas' clinician titles ("FRONT — patient facing you") and its small
    RIGHT/LEFT on the kiosk's body map: the strip above and the pills say them in the
    patient's words."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas.viewport())
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        canvas.zoom_changed.connect(lambda _z: self.update())
        self._follow = _Follow(self)

    def paintEvent(self, ev) -> None:
        p = QPainter(self)
        k = self.canvas.transform().m11()
        for view in ("front", "back"):
            g = self.canvas.groups.get(view)
            if g is None or not g.isVisible():
                continue
            for lab in g.view.labels:
                at = self.canvas.viewport_point(view, float(lab["x"]), float(lab["y"]))
                if float(lab["y"]) < 100:  # the title
                    w, h = g.view.width * k, 36 * k
                elif str(lab["text"]) in ("RIGHT", "LEFT"):  # SidePills says it bigger
                    w, h = 150 * k, 44 * k
                else:
                    continue
                p.fillRect(QRectF(at.x() - w / 2, at.y() - h * 0.75, w, h), QColor("#fbfaf8"))
        p.end()


def countdown_text(seconds: float) -> str:
    return str(max(0, math.ceil(seconds)))


def patient_picture(marks, scale: float = 0.8):  # -> QImage
    """The drawing on the front and back figures, labelled as the body map labels them for a
    patient ("You, from the front", "Your RIGHT" beside the right leg): the check screen's
    picture. The clinician's own labels (the atlas') are not drawn."""
    from PySide6.QtGui import QImage

    from hipmap.geometry.atlas import RENDER_GAP, load_atlas
    from hipmap.ui.diagram import ViewPainter

    atlas = load_atlas()
    views = ("front", "back")
    top = 80.0
    width = RENDER_GAP + sum(atlas.view(v).width + RENDER_GAP for v in views)
    img = QImage(round(width * scale), round((top + 1010) * scale), QImage.Format.Format_ARGB32)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    head = QFont()
    head.setPixelSize(40)
    head.setBold(True)
    pill = QFont()
    pill.setPixelSize(34)
    pill.setBold(True)
    fm = QFontMetricsF(pill)
    x = RENDER_GAP
    for view in views:
        va = atlas.view(view)
        p.save()
        p.translate(x, top)
        ViewPainter(va).paint_body(p)
        ViewPainter(va).paint_marks(p, marks)
        p.restore()
        p.setFont(head)
        p.setPen(QColor(PALETTE["text"]))
        p.drawText(QRectF(x, 0, va.width, top), Qt.AlignmentFlag.AlignCenter, view_heading(view))
        on_left, on_right = side_words(view)
        p.setFont(pill)
        for lab in va.labels:
            if str(lab["text"]) not in ("RIGHT", "LEFT"):
                continue
            text = on_left if float(lab["x"]) < va.width / 2 else on_right
            lines = text.split("\n")
            w = max(fm.horizontalAdvance(t) for t in lines) + 24
            h = fm.height() * len(lines) + 14
            cx = x + float(lab["x"])
            lower = 0 if view == "front" else h + 10  # as on the body map: never touching
            box = QRectF(cx - w / 2, top + float(lab["y"]) - h / 2 + lower, w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(PALETTE["primary"]))
            p.drawRoundedRect(box, 14, 14)
            p.setPen(QColor(PALETTE["on_primary"]))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        x += va.width + RENDER_GAP
    p.end()
    return img
