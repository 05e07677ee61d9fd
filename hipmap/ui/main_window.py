"""The clinician window: tools | region list | canvas | assessment, with the red-flag banner
across the top. Wiring only: the layout, the menus (from :mod:`hipmap.ui.actions`) and the
signals between the feature folders; each part does its own work (the file controller in
:mod:`hipmap.ui.files`, the widgets in their folders). Everything the user does is an
undoable edit on one DrawingModel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hipmap.i18n import _
from hipmap.paths import data_dir
from hipmap.ui.layout import DEFAULT_SIZE, place_window

if TYPE_CHECKING:  # the parts below load after the first frame (see MainWindow._finish)
    from hipmap.geometry.atlas import Atlas
    from hipmap.knowledge.assessment import Assessment
    from hipmap.knowledge.base import KnowledgeBase
    from hipmap.model.drawing import Change
    from hipmap.ui.files import dialogs

__all__ = ["DEFAULT_SIZE", "MainWindow", "default_data_dir"]


def default_data_dir() -> Path:
    if QStandardPaths.isTestModeEnabled():  # tests: Qt's own isolated location
        return Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation))
    return data_dir()


class MainWindow(QMainWindow):
    #: emitted once the window is complete (at once unless ``progressive``)
    ready = Signal()

    def __init__(self, *, settings: QSettings | None = None, data_dir: Path | None = None,
                 db: str | None = None, atlas: Atlas | None = None,
                 kb: KnowledgeBase | None = None, ask_save: dialogs.AskSave | None = None,
                 ask_recover: dialogs.AskRecover | None = None,
                 show_error: dialogs.ShowError | None = None,
                 ask_yes_no: dialogs.AskYesNo | None = None,
                 lazy_chart: bool = True, progressive: bool = False,
                 record: bool | None = None,
                 record_options: dict[str, Any] | None = None) -> None:
        """``progressive``: show the diagram at once and build the rest after the first
        frame (what ``hipmap`` does); otherwise the window is complete on return.
        ``record``: work on the clinic record (``db``, else HIPMAP_DB or the embedded
        SQLite file; default: only when ``db`` is given), opened in a thread."""
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.db = db
        self._record = (db is not None) if record is None else record
        self._record_options = record_options or {}
        self.record: Any = None
        self._dialogs = {"ask_save": ask_save, "ask_recover": ask_recover,
                         "show_error": show_error, "ask_yes_no": ask_yes_no}
        self.is_ready = False
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.setWindowTitle("hipmap")
        if progressive:
            from hipmap.ui.actions import menu_titles
            from hipmap.ui.preview import DiagramPreview, loading_layout

            for title in menu_titles():  # so the diagram does not jump when they arrive
                self.menuBar().addMenu(title).setEnabled(False)
            self.setCentralWidget(loading_layout())
            self._preview = self.centralWidget().findChild(DiagramPreview)
            place_window(self, self.settings.value("window/geometry"))
            self.statusBar().showMessage(_("Loading…"))
            self._pending = (atlas, kb, lazy_chart)
            self._preview.installEventFilter(self)
        else:
            self._finish(atlas, kb, lazy_chart)

    def _finish(self, atlas: Atlas | None, kb: KnowledgeBase | None, lazy_chart: bool) -> None:
        """Everything that needs the geometry stack and the knowledge base."""
        from hipmap.geometry.atlas import load_atlas
        from hipmap.knowledge.base import load_knowledge
        from hipmap.model.drawing import DrawingModel
        from hipmap.model.journal import FileJournalStore
        from hipmap.model.store import FileDocumentStore
        from hipmap.ui.actions import Actions
        from hipmap.ui.commands import Editor
        from hipmap.ui.files import FileController, SettingsRecentList
        from hipmap.ui.tools import ToolState

        self.atlas = atlas or load_atlas()
        self.kb = kb or load_knowledge()
        self.model = DrawingModel(atlas=self.atlas)
        self.model.stamp_new_drawings = True
        self.editor = Editor(self.model)
        self.stack = self.editor.stack
        self.tools = ToolState()
        # where drawings live: files now; the clinic record plugs in behind the same seam
        store = FileDocumentStore(FileJournalStore(self.data_dir / "recovery"),
                                  SettingsRecentList(self.settings))
        self.files = FileController(self, self.model, self.stack, store=store,
                                    dermatomes=lambda: self.canvas.dermatomes,
                                    **self._dialogs)
        # parented after the controller: children go in order, so the controller (which
        # listens to the stack) is gone before the stack says it is being cleared
        self.stack.setParent(self)
        self.files.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        self.files.journal_problem.connect(self._journal_problem)
        self.files.changed.connect(self._update_title)

        self._build_ui()
        self.menu_actions = Actions(self, self.stack)
        self._connect_actions()
        self.model.subscribe(self._on_change)
        if self._record:  # the clinic record (hipmap.ui.record): opened in a thread
            from hipmap.ui.record import attach

            self.record = attach(self, self.db, **self._record_options)
        self.refresh_assessment()
        self._restore_settings()
        self.column.follow(self)  # folds into tabs on a small window, assessment first
        self._update_title()
        self.canvas.setFocus()
        if not lazy_chart:
            self.assessment_panel.build_chart()
        else:  # pyqtgraph costs ~0.25 s to import: load it once the first frame is on screen
            self.canvas.viewport().installEventFilter(self)
        self.statusBar().clearMessage()
        self.is_ready = True
        self.ready.emit()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.Paint and not self.is_ready and obj is self._preview:
            obj.removeEventFilter(self)  # the diagram is on screen: now load the rest
            QTimer.singleShot(10, lambda: self._finish(*self._pending))
        elif (ev.type() == QEvent.Type.Paint and self.is_ready
              and obj is self.canvas.viewport()):
            obj.removeEventFilter(self)
            QTimer.singleShot(30, self.assessment_panel.build_chart)
        return super().eventFilter(obj, ev)

    # ================================================================== layout
    def _build_ui(self) -> None:
        from hipmap.ui.assessment import AssessmentPanel, EvidenceView
        from hipmap.ui.banner import RedFlagBanner
        from hipmap.ui.canvas import BodyCanvas, ViewBar
        from hipmap.ui.layout import AssessmentColumn
        from hipmap.ui.patient import PatientHeader
        from hipmap.ui.questions import QuestionsPanel
        from hipmap.ui.regions import RegionList
        from hipmap.ui.tools import ToolsPanel

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = RedFlagBanner()
        outer.addWidget(self.banner)

        top = QWidget()
        top.setObjectName("topBar")
        top.setStyleSheet("#topBar { background: #eef2f7; border-bottom: 1px solid #c9d3df; }")
        tl = QHBoxLayout(top)
        tl.setContentsMargins(10, 5, 10, 5)
        self.patient_header = PatientHeader(self.editor)
        tl.addWidget(self.patient_header)
        tl.addStretch(1)
        self.view_bar = ViewBar()
        tl.addWidget(self.view_bar)
        outer.addWidget(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(0)
        self.tools_panel = ToolsPanel(self.tools)
        ll.addWidget(self.tools_panel)
        title = QLabel("  " + _("<b>Regions</b> — arrows, Space ticks"))
        title.setMinimumHeight(22)
        ll.addWidget(title)
        self.region_list = RegionList(self.editor, self.tools)
        self.region_list.setMinimumHeight(190)
        ll.addWidget(self.region_list, 1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(left.minimumSizeHint().width() + 14)
        self.splitter.addWidget(scroll)

        self.canvas = BodyCanvas(self.editor, self.tools, self.atlas)
        self.canvas.setMinimumWidth(360)
        self.splitter.addWidget(self.canvas)

        self.assessment_panel = AssessmentPanel(self.kb)
        self.evidence = EvidenceView()
        self.questions = QuestionsPanel(self.editor)
        self.column = AssessmentColumn(self.assessment_panel, self.questions, self.evidence)
        self.tabs = self.column.tabs
        self.right_splitter = self.column.splitter
        self.splitter.addWidget(self.column)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([275, 760, 410])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(_("Paint where it hurts. RIGHT and LEFT are the "
                                       "patient's own sides."))

        # ---- the parts talk through the window
        canvas, panel = self.canvas, self.assessment_panel
        self.view_bar.mode_requested.connect(canvas.set_mode)
        self.view_bar.dermatomes_toggled.connect(canvas.set_dermatomes)
        self.view_bar.zoom_requested.connect(lambda f: canvas.zoom_by(f))
        self.view_bar.fit_requested.connect(canvas.fit)
        self.tools_panel.clear_view_requested.connect(self.clear_view)
        self.tools_panel.clear_all_requested.connect(self.clear_all)
        canvas.message.connect(lambda m: self.statusBar().showMessage(m, 4000))
        canvas.mode_changed.connect(self._mode_changed)
        panel.territory_changed.connect(canvas.set_territory)
        panel.evidence_changed.connect(self.evidence.show_html)
        panel.evidence_refreshed.connect(lambda h: self.evidence.show_html(h, keep_place=True))
        panel.cause_selected.connect(self._cause_selected)
        panel.answer_clicked.connect(self.editor.set_answer)
        self._mode_changed(canvas.mode)

    def _connect_actions(self) -> None:
        act, files, canvas, tools = self.menu_actions, self.files, self.canvas, self.tools
        menus = act.build_menus(self.menuBar())
        self.recent_menu, self.recovered_menu = menus["recent"], menus["recovered"]
        self.recent_menu.aboutToShow.connect(lambda: files.fill_recent_menu(self.recent_menu))
        self.recovered_menu.aboutToShow.connect(
            lambda: files.fill_recovered_menu(self.recovered_menu))
        act.new.triggered.connect(files.new_document)
        act.open.triggered.connect(lambda: files.open_file())
        act.save.triggered.connect(files.save)
        act.save_as.triggered.connect(lambda: files.save_as())
        act.export_png.triggered.connect(lambda: files.export_png())
        act.print.triggered.connect(self.print_dialog)
        act.quit.triggered.connect(self.close)
        act.clear_view.triggered.connect(self.clear_view)
        act.clear_all.triggered.connect(self.clear_all)
        for key, a in act.tools.items():
            a.triggered.connect(lambda _c=False, k=key: tools.set(tool=k))
        act.smaller_brush.triggered.connect(
            lambda: tools.set(width=max(4.0, tools.width - 4)))
        act.larger_brush.triggered.connect(
            lambda: tools.set(width=min(60.0, tools.width + 4)))
        tools.changed.connect(lambda: act.tools[tools.tool].setChecked(True))
        act.tools[tools.tool].setChecked(True)
        for mode, a in act.modes.items():
            a.triggered.connect(lambda _c=False, m=mode: canvas.set_mode(m))
        act.dermatomes.triggered.connect(self.view_bar.set_dermatomes)
        self.view_bar.dermatomes_toggled.connect(act.dermatomes.setChecked)
        act.guides.toggled.connect(canvas.set_guides)
        canvas.guides_changed.connect(act.guides.setChecked)
        act.zoom_in.triggered.connect(lambda: canvas.zoom_by(1.25))
        act.zoom_out.triggered.connect(lambda: canvas.zoom_by(0.8))
        act.fit.triggered.connect(canvas.fit)
        act.about.triggered.connect(self.show_about)
        act.guide.triggered.connect(lambda: self.show_guide().show_guide())
        act.shortcuts.triggered.connect(lambda: self.show_guide().show_shortcuts())
        self._mode_changed(canvas.mode)

    def _mode_changed(self, mode: str) -> None:
        self.view_bar.show_mode(mode)
        if hasattr(self, "menu_actions") and mode in self.menu_actions.modes:
            self.menu_actions.modes[mode].setChecked(True)

    # ================================================================== model -> UI
    def _on_change(self, change: Change) -> None:
        if change.kind.value == "reset":  # another drawing: new means new
            self.tools.reset()
        self.refresh_assessment()

    def refresh_assessment(self) -> Assessment:
        a = self.model.assessment()
        self.assessment_panel.set_assessment(a)
        self.banner.set_flags(a.red_flags)
        self.questions.set_next_questions(a.next_questions)
        return a

    def _cause_selected(self, cause: str | None) -> None:
        """The user chose a cause: show why (an answer that re-ranks never comes here)."""
        if cause:
            self.column.show_page(self.evidence)

    def _update_title(self) -> None:
        self.setWindowTitle(_("{name}[*] — hipmap").format(name=self.files.display_name()))
        self.setWindowModified(self.files.is_modified())

    def _journal_problem(self, error: str | None) -> None:
        """Say so, and keep saying so, while the recovery journal cannot be written."""
        if error:
            self.statusBar().showMessage(
                _("Warning: the automatic recovery copy could not be saved ({error}). Save "
                  "your drawing with File > Save As somewhere else.").format(error=error))
            self.statusBar().setStyleSheet("QStatusBar { background: #ffe08a; }")
        elif self.statusBar().styleSheet():
            self.statusBar().setStyleSheet("")
            self.statusBar().clearMessage()

    # ================================================================== edits
    def clear_view(self) -> None:
        from hipmap.model.edits import RemoveMarks

        view = self.canvas.active_view
        name = {"front": _("front"), "back": _("back"), "right_side": _("right side"),
                "left_side": _("left side")}.get(view, view)
        ids = self.model.stroke_ids(view)
        if ids:
            self.editor.push(RemoveMarks(_("Clear {view} view").format(view=name), ids=ids))
        else:
            self.statusBar().showMessage(
                _("Nothing painted on the {view} view.").format(view=name), 3000)

    def clear_all(self) -> None:
        from hipmap.model.edits import RemoveMarks

        ids = list(self.model.marks)
        if ids:
            self.editor.push(RemoveMarks(_("Clear All"), ids=ids))

    # ================================================================== printing
    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: Any) -> int:
        """Print the clinical report — the same document as ``hipmap report`` — with the
        patient id, the date and page x of y on every page. Returns the page count."""
        from hipmap.ui.report import print_report

        since = self.record.session.since_last_visit() if self.record is not None else None
        return print_report(self.model.document(), printer, self.model.assessment(), since)

    # ================================================================== help
    def show_about(self) -> None:
        from hipmap.ui.help import show_about

        show_about(self, self.kb, storage=self.db, journals=self.files.journals.folder)

    def show_guide(self) -> Any:
        """Help → Guide (one window, kept beside this one)."""
        from hipmap.ui.help.guide import GuideWindow

        self.guide = getattr(self, "guide", None) or GuideWindow(
            self, self.menu_actions.all(), len(self.kb.causes))
        self.guide.show()
        return self.guide

    # ================================================================== settings
    def _restore_settings(self) -> None:
        from hipmap.ui.canvas import VIEW_MODES

        s = self.settings
        if not self.isVisible():  # (progressive: placed once already, and maybe moved since)
            place_window(self, s.value("window/geometry"))
        state = s.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        state = s.value("window/right_splitter")
        if state is not None and self.right_splitter.restoreState(state):
            self.column.user_sizes = True
        mode = s.value("view/mode")
        if isinstance(mode, str) and mode in VIEW_MODES:
            self.canvas.set_mode(mode)
        self.view_bar.set_dermatomes(str(s.value("view/dermatomes", "false")) == "true")
        self.canvas.set_guides(str(s.value("view/guides", "false")) == "true")

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/right_splitter", self.column.splitter_state())
        s.setValue("view/mode", self.canvas.mode)
        s.setValue("view/dermatomes", "true" if self.canvas.dermatomes else "false")
        s.setValue("view/guides", "true" if self.canvas.guides_on else "false")
        s.sync()

    def closeEvent(self, ev: QCloseEvent) -> None:
        if not self.is_ready:  # closed while loading: nothing to save yet
            ev.accept()
            return
        if not self.files.maybe_save():
            ev.ignore()
            return
        self.save_settings()
        self.files.close()  # closed properly: nothing to recover
        if self.record is not None:
            self.record.close()
        ev.accept()
