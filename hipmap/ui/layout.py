"""The clinician window's responsive layout: a first window that fits the screen it opens on,
and a right-hand column that folds into tabs when the window is small.

* :func:`fitted_geometry` — the window's first size: the default, or the size the user left
  it at, never larger than the screen's *available* area (the screen minus the task bar or
  dock), centred on it.
* :class:`AssessmentColumn` — the assessment (urgency, ask next, ranking, cause), the list of
  all questions and the evidence. On a large window the assessment sits above the tabs
  *All questions* | *Evidence & sources* (a splitter between them); on a window narrower
  than :data:`COMPACT_WIDTH` or lower than :data:`COMPACT_HEIGHT` all three become tabs
  (*Assessment* first), so each gets the whole height: on a 1366×768 laptop the question
  list shows ten questions instead of two, with the red-flag banner across the top.

The assessment scrolls (it never squeezes its texts); switching the layout never changes the
selected tab's page, the selected cause or a scroll position.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hipmap.i18n import _

#: the window's size on a screen large enough for it
DEFAULT_SIZE = (1440, 900)
#: below either of these the right-hand column becomes tabs
COMPACT_WIDTH, COMPACT_HEIGHT = 1600, 940
#: the smallest screen the window is laid out for (smaller screens get scroll bars)
MIN_SCREEN = (1280, 720)
#: the least height the questions and evidence get below the assessment (wide layout)
MIN_TABS_HEIGHT = 380


def fitted_geometry(available: QRect, wanted: QSize | None = None,
                    frame: QMargins | None = None, *, at: QRect | None = None) -> QRect:
    """Where the window goes on a screen whose free area is ``available``: ``wanted`` (the
    default size when None) shrunk to fit with its ``frame`` (title bar, borders), centred —
    or, when ``at`` (a remembered geometry) lies wholly on the free area, left there."""
    frame = frame or QMargins()
    want = wanted if wanted is not None and wanted.isValid() else QSize(*DEFAULT_SIZE)
    room = available.marginsRemoved(frame)
    size = want.boundedTo(room.size())
    rect = QRect(0, 0, size.width(), size.height())
    if at is not None and room.contains(QRect(at.topLeft(), size)):
        rect.moveTopLeft(at.topLeft())
    else:
        rect.moveCenter(room.center())
    return rect


def fit_window(win: QWidget, available: QRect | None = None, *, wanted: QSize | None = None,
               at: QRect | None = None) -> QRect:
    """Size and place ``win`` on ``available`` (its screen's free area when None): ``wanted``
    (default: :data:`DEFAULT_SIZE`) shrunk to fit with the window's frame, centred unless
    ``at`` fits as it is. Returns the geometry set."""
    if available is None:
        screen = win.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
    g, f = win.geometry(), win.frameGeometry()
    frame = QMargins(g.left() - f.left(), g.top() - f.top(), f.right() - g.right(),
                     f.bottom() - g.bottom())
    if frame.isNull():  # not yet shown: room for a usual title bar and border
        frame = QMargins(2, 32, 2, 2)
    rect = fitted_geometry(available, wanted, frame, at=at)
    win.setGeometry(rect)
    return rect


def place_window(win: QWidget, saved: object = None) -> None:
    """The window's first place: where the user left it (``saved``: a ``saveGeometry()``),
    else the default size — never larger than the screen's free area."""
    restored = isinstance(saved, QByteArray | bytes) and win.restoreGeometry(saved)
    if not (win.isMaximized() or win.isFullScreen()):
        fit_window(win, wanted=win.size() if restored else None,
                   at=win.geometry() if restored else None)


def is_compact(size: QSize) -> bool:
    """Whether a window of ``size`` folds its right-hand column into tabs."""
    return size.width() < COMPACT_WIDTH or size.height() < COMPACT_HEIGHT


class AssessmentColumn(QWidget):
    """The right-hand column: assessment, questions and evidence (see the module's text)."""

    #: emitted with True when the column folds into tabs, False when it unfolds
    compact_changed = Signal(bool)

    def __init__(self, assessment: QWidget, questions: QWidget, evidence: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment, self.questions, self.evidence = assessment, questions, evidence
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # the assessment scrolls rather than squeezing its wrapped texts
        self.assessment_scroll = QScrollArea()
        self.assessment_scroll.setObjectName("assessmentScroll")
        self.assessment_scroll.setWidget(assessment)
        self.assessment_scroll.setWidgetResizable(True)
        self.assessment_scroll.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.assessment_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.assessment_scroll.setAccessibleName(_("Assessment"))
        self.tabs = QTabWidget()
        self.tabs.addTab(questions, _("All questions"))
        self.tabs.addTab(evidence, _("Evidence && sources"))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.assessment_scroll)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 400])
        lay.addWidget(self.splitter)
        #: the user moved the splitter (or a remembered layout was restored): keep it
        self.user_sizes = False
        self.splitter.splitterMoved.connect(lambda *_a: setattr(self, "user_sizes", True))
        built = getattr(assessment, "chart_built", None)
        if built is not None:  # the chart is taller than its placeholder: split again
            built.connect(lambda: QTimer.singleShot(0, self.balance))
        self.compact = False
        self._state = self.splitter.saveState()
        self._fit_tabs()

    def minimumSizeHint(self) -> QSize:  # the tabs may be short: everything in them scrolls
        return QSize(self.minimumWidth(), 240)

    def set_compact(self, compact: bool, *, page: QWidget | None = None) -> None:
        """Fold the assessment into the tabs (first, *Assessment*) or unfold it above them;
        the page shown stays shown (``page``: show this one when folding)."""
        if compact == self.compact:
            return
        current = self.tabs.currentWidget()
        if compact and page is not None:
            current = self.assessment_scroll if page is self.assessment else page
        self.tabs.blockSignals(True)
        if compact:
            self._state = self.splitter.saveState()  # the split, for when it unfolds
            self.tabs.insertTab(0, self.assessment_scroll, _("Assessment"))
            self.splitter.hide()
            self.layout().addWidget(self.tabs)
        else:
            self.tabs.removeTab(self.tabs.indexOf(self.assessment_scroll))
            self.splitter.insertWidget(0, self.assessment_scroll)
            self.splitter.addWidget(self.tabs)
            self.splitter.restoreState(self._state)  # the split as it was
            self.splitter.show()
            self.assessment_scroll.show()  # a tab page that was not the current one is hidden
            if current is self.assessment_scroll:
                current = self.questions
        self.tabs.setCurrentWidget(current)
        self._fit_tabs()
        self.balance()
        self.tabs.blockSignals(False)
        self.compact = compact
        self.compact_changed.emit(compact)

    def follow(self, window: QWidget) -> None:
        """Fold and unfold with ``window``'s size from now on (a small window starts on the
        assessment: the urgency and the red-flag questions first)."""
        self.set_compact(is_compact(window.size()), page=self.assessment)
        window.installEventFilter(self)
        self._window = window

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.Resize and obj is getattr(self, "_window", None):
            self.set_compact(is_compact(obj.size()))
        return super().eventFilter(obj, ev)

    def balance(self) -> None:
        """Give the assessment the height it needs, leaving the tabs at least
        :data:`MIN_TABS_HEIGHT` (five questions or more) — unless the user chose the split."""
        if self.compact or self.user_sizes:
            return
        h = self.splitter.height()
        if h <= 0:
            return
        need = self.assessment.heightForWidth(self.assessment_scroll.viewport().width())
        if need <= 0:
            need = self.assessment.sizeHint().height()
        top = max(min(need + 2, h - MIN_TABS_HEIGHT), h // 3)
        self.splitter.setSizes([top, h - top])

    def resizeEvent(self, ev: QResizeEvent) -> None:
        super().resizeEvent(ev)
        self.balance()

    def _fit_tabs(self) -> None:
        """The column is never narrower than its tabs' names (no scroll arrows, nothing
        elided) nor than a question's row with its answers, in a longer language too."""
        bar = self.tabs.tabBar()
        need = sum(bar.tabSizeHint(i).width() for i in range(bar.count())) + 6
        inner = self.questions.widget() if isinstance(self.questions, QScrollArea) else None
        if inner is not None:
            scroll = self.questions.verticalScrollBar().sizeHint().width()
            need = max(need, inner.minimumSizeHint().width() + scroll
                       + 2 * self.questions.frameWidth() + 8)
        self.setMinimumWidth(max(380, need))

    def changeEvent(self, ev: QEvent) -> None:
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_tabs()

    def splitter_state(self) -> QByteArray:
        """The split between the assessment and the tabs, to remember (folded: as it was
        before folding)."""
        return self._state if self.compact else self.splitter.saveState()

    def show_page(self, page: QWidget) -> None:
        """Bring ``page`` (the assessment, the questions or the evidence) into view."""
        if page is self.assessment:
            page = self.assessment_scroll
        if self.tabs.indexOf(page) >= 0:
            self.tabs.setCurrentWidget(page)

    def page_visible(self, page: QWidget) -> bool:
        """Whether ``page`` can be seen without switching tabs."""
        if page is self.assessment or page is self.assessment_scroll:
            return not self.compact or self.tabs.currentWidget() is self.assessment_scroll
        return self.tabs.currentWidget() is page
