"""The clinician window: tools | region list | canvas | assessment, with the red-flag banner
across the top. Everything the user does is an undoable edit on one DrawingModel."""

from __future__ import annotations

import html
import os
from collections.abc import Callable
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
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import hipmap
from hipmap.core.errors import InputError
from hipmap.core.ids import VIEWS
from hipmap.paths import data_dir

if TYPE_CHECKING:  # the parts below load after the first frame (see MainWindow._finish)
    from hipmap.core.document import Document
    from hipmap.drawing import Change
    from hipmap.geometry.atlas import Atlas
    from hipmap.knowledge.base import KnowledgeBase
    from hipmap.model.journal import Orphan

SUFFIX = ".hipmap.json"
MENU_TITLES = ("&File", "&Edit", "&Tools", "&View", "&Help")
FILTER = "hipmap drawings (*.hipmap.json);;JSON files (*.json);;All files (*)"
MAX_RECENT = 8

AskSave = Callable[[], str]  # -> "save" | "discard" | "cancel"
#: told one orphaned drawing (patient, time, marks, file) -> "restore" | "later"
#: (a bool is read as restore / later)
AskRecover = Callable[["Orphan"], "str | bool"]
AskYesNo = Callable[[str, str], bool]
ShowError = Callable[[str, str], None]


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
                 kb: KnowledgeBase | None = None, ask_save: AskSave | None = None,
                 ask_recover: AskRecover | None = None, show_error: ShowError | None = None,
                 ask_yes_no: AskYesNo | None = None,
                 lazy_chart: bool = True, progressive: bool = False) -> None:
        """``progressive``: show the diagram at once and build the rest after the first
        frame (what ``hipmap`` does); otherwise the window is complete on return."""
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.db = db
        self.ask_save: AskSave = ask_save or self._ask_save_dialog
        self.ask_recover: AskRecover = ask_recover or self._ask_recover_dialog
        self.show_error: ShowError = show_error or self._show_error_dialog
        self.ask_yes_no: AskYesNo = ask_yes_no or self._ask_yes_no_dialog
        self.current_path: str | None = None
        self._recovered = False
        self.is_ready = False
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.setWindowTitle("hipmap")
        if progressive:
            from hipmap.ui.preview import DiagramPreview, loading_layout

            for title in MENU_TITLES:  # so the diagram does not jump when they arrive
                self.menuBar().addMenu(title).setEnabled(False)
            self.setCentralWidget(loading_layout())
            self._preview = self.centralWidget().findChild(DiagramPreview)
            geom = self.settings.value("window/geometry")
            if geom is None or not self.restoreGeometry(geom):
                self.resize(1440, 900)
            self.statusBar().showMessage("Loading…")
            self._pending = (atlas, kb, lazy_chart)
            self._preview.installEventFilter(self)
        else:
            self._finish(atlas, kb, lazy_chart)

    def _finish(self, atlas: Atlas | None, kb: KnowledgeBase | None, lazy_chart: bool) -> None:
        """Everything that needs the geometry stack and the knowledge base."""
        from hipmap.drawing import DrawingModel
        from hipmap.geometry.atlas import load_atlas
        from hipmap.knowledge.base import load_knowledge
        from hipmap.model.journal import FileJournalStore, Recorder
        from hipmap.ui.commands import Editor
        from hipmap.ui.tools import ToolState

        self.atlas = atlas or load_atlas()
        self.kb = kb or load_knowledge()

        self.model = DrawingModel(atlas=self.atlas)
        self.model.stamp_new_drawings = True
        # the recovery journal: every edit is on disk (fsync) before the edit's handler
        # returns; its lock dies with the process, so a crash leaves an orphan to offer
        self.journals = FileJournalStore(self.data_dir / "recovery")
        self.recorder = Recorder(self.model, self.journals, on_error=self._journal_error)
        self.editor = Editor(self.model)
        self.editor.stack.setParent(self)
        self.stack = self.editor.stack
        self.tools = ToolState()

        self._build_ui()
        self._build_menus()
        self.model.subscribe(self._on_change)
        self.stack.cleanChanged.connect(self._update_title)
        self.stack.indexChanged.connect(self._update_title)
        self.refresh_assessment()
        self._restore_settings()
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
        from hipmap.ui.assessment_panel import AssessmentPanel, EvidenceView
        from hipmap.ui.canvas import MODE_NAMES, BodyCanvas
        from hipmap.ui.panels import PatientHeader, QuestionsPanel, RedFlagBanner, RegionList
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
        tl.addWidget(QLabel("Views:"))
        self.mode_buttons: dict[str, QToolButton] = {}
        for mode, name in MODE_NAMES.items():
            b = QToolButton()
            b.setText(name)
            b.setCheckable(True)
            b.setAutoExclusive(True)
            b.setAccessibleName(f"Show {name.replace('&&', 'and')} views")
            b.clicked.connect(lambda _c=False, m=mode: self.canvas.set_mode(m))
            tl.addWidget(b)
            self.mode_buttons[mode] = b
        self.dermatome_check = QCheckBox("Dermatomes")
        self.dermatome_check.setAccessibleName("Show the dermatome overlay L1 to S2")
        self.dermatome_check.setToolTip("Show the L1–S2 dermatomes over the diagram (D)")
        self.dermatome_check.toggled.connect(lambda on: self.canvas.set_dermatomes(on))
        tl.addSpacing(8)
        tl.addWidget(self.dermatome_check)
        tl.addSpacing(8)
        for text, tip, fn in (("−", "Zoom out (-)", lambda: self.canvas.zoom_by(0.8)),
                              ("Fit", "Fit the views (0)", lambda: self.canvas.fit()),
                              ("+", "Zoom in (+)", lambda: self.canvas.zoom_by(1.25))):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.clicked.connect(fn)
            tl.addWidget(b)
        outer.addWidget(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(0)
        self.tools_panel = ToolsPanel(self.tools)
        self.tools_panel.clear_view_requested.connect(self.clear_view)
        self.tools_panel.clear_all_requested.connect(self.clear_all)
        ll.addWidget(self.tools_panel)
        title = QLabel("  <b>Regions</b> — arrows, Space ticks")
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
        self.canvas.message.connect(lambda m: self.statusBar().showMessage(m, 4000))
        self.canvas.mode_changed.connect(self._mode_changed)
        self.splitter.addWidget(self.canvas)

        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        self.assessment_panel = AssessmentPanel(self.kb)
        self.assessment_panel.cause_selected.connect(self._cause_selected)
        self.assessment_panel.territory_toggled.connect(
            lambda _on: self._cause_selected(self.assessment_panel.selected))
        self.assessment_panel.answer_clicked.connect(self.editor.set_answer)
        right.addWidget(self.assessment_panel)
        self.tabs = QTabWidget()
        self.evidence = EvidenceView()
        self.questions = QuestionsPanel(self.editor)
        self.tabs.addTab(self.questions, "All questions")
        self.tabs.addTab(self.evidence, "Evidence && sources")
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 0)
        right.setStretchFactor(1, 1)
        right.setSizes([480, 400])
        right.setMinimumWidth(380)
        self.right_splitter = right
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([275, 760, 410])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Paint where it hurts. RIGHT and LEFT are the patient's "
                                     "own sides.")
        self._mode_changed(self.canvas.mode)

    def _build_menus(self) -> None:
        from hipmap.ui.canvas import MODE_NAMES
        from hipmap.ui.tools import TOOL_HELP, TOOL_KEYS, TOOLS

        mb = self.menuBar()
        mb.clear()  # the first frame shows the menu titles only
        f = mb.addMenu("&File")
        self.act_new = self._action(f, "&New", self.new_document, QKeySequence.StandardKey.New)
        self.act_open = self._action(f, "&Open…", lambda: self.open_file(),
                                     QKeySequence.StandardKey.Open)
        self.recent_menu = f.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recovered_menu = f.addMenu("Recovered &Drawings")
        self.recovered_menu.aboutToShow.connect(self._fill_recovered)
        f.addSeparator()
        self.act_save = self._action(f, "&Save", self.save, QKeySequence.StandardKey.Save)
        self.act_save_as = self._action(f, "Save &As…", lambda: self.save_as(),
                                        QKeySequence.StandardKey.SaveAs)
        f.addSeparator()
        self._action(f, "&Export PNG…", lambda: self.export_png(), "Ctrl+E")
        self._action(f, "&Print…", self.print_dialog, QKeySequence.StandardKey.Print)
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        e = mb.addMenu("&Edit")
        self.act_undo = self.stack.createUndoAction(self, "Undo")
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_redo = self.stack.createRedoAction(self, "Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        e.addAction(self.act_undo)
        e.addAction(self.act_redo)
        e.addSeparator()
        self._action(e, "Clear &View", self.clear_view, "Ctrl+Shift+Backspace")
        self._action(e, "Clear &All Marks", self.clear_all)

        t = mb.addMenu("&Tools")
        group = QActionGroup(self)
        self.tool_actions: dict[str, QAction] = {}
        for key, name in TOOLS.items():
            a = self._action(t, name, lambda _c=False, k=key: self.tools.set(tool=k),
                             TOOL_KEYS[key])
            a.setCheckable(True)
            a.setStatusTip(TOOL_HELP[key])
            group.addAction(a)
            self.tool_actions[key] = a
        t.addSeparator()
        self._action(t, "Smaller Brush", lambda: self.tools.set(
            width=max(4.0, self.tools.width - 4)), "[")
        self._action(t, "Larger Brush", lambda: self.tools.set(
            width=min(60.0, self.tools.width + 4)), "]")
        self.tools.changed.connect(lambda: self.tool_actions[self.tools.tool].setChecked(True))
        self.tool_actions[self.tools.tool].setChecked(True)

        v = mb.addMenu("&View")
        self.mode_actions: dict[str, QAction] = {}
        mgroup = QActionGroup(self)
        for i, (mode, name) in enumerate(MODE_NAMES.items(), start=1):
            a = self._action(v, name, lambda _c=False, m=mode: self.canvas.set_mode(m),
                             f"Ctrl+{i}")
            a.setCheckable(True)
            mgroup.addAction(a)
            self.mode_actions[mode] = a
        v.addSeparator()
        self.act_dermatomes = self._action(v, "&Dermatomes (L1–S2)",
                                           lambda on: self.dermatome_check.setChecked(on), "D")
        self.act_dermatomes.setCheckable(True)
        self.dermatome_check.toggled.connect(self.act_dermatomes.setChecked)
        v.addSeparator()
        self._action(v, "Zoom &In", lambda: self.canvas.zoom_by(1.25),
                     QKeySequence.StandardKey.ZoomIn)
        self._action(v, "Zoom &Out", lambda: self.canvas.zoom_by(0.8),
                     QKeySequence.StandardKey.ZoomOut)
        self._action(v, "&Fit Views", self.canvas.fit, "Ctrl+0")
        self._mode_changed(self.canvas.mode)

        h = mb.addMenu("&Help")
        self._action(h, "&About hipmap", self.show_about)

    def _action(self, menu: Any, text: str, slot: Callable[..., Any],
                shortcut: Any = None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _mode_changed(self, mode: str) -> None:
        if mode in getattr(self, "mode_buttons", {}):
            self.mode_buttons[mode].setChecked(True)
        if mode in getattr(self, "mode_actions", {}):
            self.mode_actions[mode].setChecked(True)

    # ================================================================== model -> UI
    def _on_change(self, change: Change) -> None:
        self.refresh_assessment()

    def refresh_assessment(self) -> dict[str, Any]:
        a = self.model.assessment()
        self.assessment_panel.set_assessment(a)
        self.banner.set_flags(a["red_flags"])
        self.questions.set_next_questions(a["next_questions"])
        if self.assessment_panel.selected:
            self.evidence.setHtml(self.assessment_panel.evidence_html(
                self.assessment_panel.selected))
        return a

    def _cause_selected(self, cause: str | None) -> None:
        from hipmap.ui.assessment_panel import territory_weights

        show = cause is not None and self.assessment_panel.territory_check.isChecked()
        self.canvas.set_territory(territory_weights(self.kb, cause) if show and cause else {})
        if cause:
            self.evidence.setHtml(self.assessment_panel.evidence_html(cause))
            if self.tabs.currentWidget() is not self.evidence:
                self.tabs.setCurrentWidget(self.evidence)
        else:
            self.evidence.clear()

    def _update_title(self, *_args: object) -> None:
        name = Path(self.current_path).name if self.current_path else "Untitled"
        self.setWindowTitle(f"{name}[*] — hipmap")
        self.setWindowModified(self.is_modified())
        if hasattr(self, "recorder"):
            self.recorder.set_file(self.current_path)
            self.recorder.set_modified(self.is_modified())

    def is_modified(self) -> bool:
        return self._recovered or not self.stack.isClean()

    # ================================================================== edits
    def clear_view(self) -> None:
        from hipmap.drawing import RemoveMarks

        view = self.canvas.active_view
        ids = self.model.stroke_ids(view)
        if ids:
            self.editor.push(RemoveMarks(f"Clear {view.replace('_', ' ')} view", ids=ids))
        else:
            self.statusBar().showMessage(f"Nothing painted on the {view.replace('_', ' ')} "
                                         "view.", 3000)

    def clear_all(self) -> None:
        from hipmap.drawing import RemoveMarks

        ids = list(self.model.marks)
        if ids:
            self.editor.push(RemoveMarks("Clear All", ids=ids))

    # ================================================================== files
    def _load_document(self, doc: Document, path: str | None, *,
                       recovered: bool = False) -> None:
        self.model.load(doc)  # refuses (InputError) before any change
        self.recorder.set_file(path)
        self.stack.clear()
        self.stack.setClean()
        self.current_path = path
        self._recovered = recovered
        self._update_title()

    def new_document(self) -> bool:
        if not self.maybe_save():
            return False
        from hipmap.core.document import Document

        self._load_document(Document(), None)
        return True

    def open_file(self, path: str | None = None) -> bool:
        if not self.maybe_save():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open a pain drawing",
                                                  self._last_dir(), FILTER)
            if not path:
                return False
        try:
            from hipmap.core.document import load

            doc = load(path)
            self._load_document(doc, str(path))  # a drawing too costly to assess: refused
        except InputError as exc:
            self.show_error("Cannot open this file", exc.with_source(str(path)).one_line()
                            if not exc.source else exc.one_line())
            return False
        self._add_recent(str(path))
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        if self.current_path is None:
            return self.save_as()
        return self._save_to(self.current_path)

    def save_as(self, path: str | None = None) -> bool:
        if path is None:
            start = self.current_path or os.path.join(self._last_dir(), "pain-drawing" + SUFFIX)
            path, _ = QFileDialog.getSaveFileName(self, "Save the pain drawing", start, FILTER)
            if not path:
                return False
        if not path.endswith(".json"):
            path += SUFFIX
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        try:
            from hipmap.core.document import save
            from hipmap.core.output import check_target

            if self.model.recorded_at is None:  # the record says when it was drawn
                from hipmap.model.journal import now_utc

                self.model.set_recorded_at(now_utc())
            check_target(path)
            save(self.model.document(), path)
        except InputError as exc:
            self.show_error("Cannot save", exc.one_line())
            return False
        except OSError as exc:
            self.show_error("Cannot save", f"{path}: {exc.strerror or exc}")
            return False
        self.current_path = path
        self._recovered = False
        self.stack.setClean()
        self.recorder.saved(path)
        self._add_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
        answer = self.ask_save()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def export_png(self, path: str | None = None) -> bool:
        from hipmap.ui.render import render_document_image

        if path is None:
            base = Path(self.current_path).name.removesuffix(SUFFIX) if self.current_path \
                else "pain-drawing"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export PNG", os.path.join(self._last_dir(), base + ".png"),
                "PNG images (*.png)")
            if not path:
                return False
        from hipmap.core.output import check_target, verify_png, write_bytes
        from hipmap.ui.render import png_bytes

        try:
            check_target(path)
            img = render_document_image(self.model.document(), views=VIEWS,
                                        dermatomes=self.canvas.dermatomes)
            write_bytes(path, png_bytes(img), verify=verify_png)
        except InputError as exc:
            self.show_error("Cannot export", exc.one_line())
            return False
        self.statusBar().showMessage(f"Exported {path}", 4000)
        return True

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: Any) -> int:
        """Print the clinical report — the same document as ``hipmap report`` — with the
        patient id, the date and page x of y on every page. Returns the page count."""
        from PySide6.QtGui import QPageLayout

        from hipmap.ui.report import MARGINS_MM, paint_report

        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
        doc = self.model.document()
        return paint_report(doc, printer, self.model.assessment())

    def _last_dir(self) -> str:
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        items = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *items][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            a = self.recent_menu.addAction("(none)")
            a.setEnabled(False)
        for i, p in enumerate(files, start=1):
            a = self.recent_menu.addAction(f"&{i} {Path(p).name}")
            a.setToolTip(p)
            a.triggered.connect(lambda _c=False, pp=p: self.open_file(pp))

    # ================================================================== recovery
    def _journal_error(self, error: str | None) -> None:
        """Say so, and keep saying so, while the recovery journal cannot be written."""
        if error:
            self.statusBar().showMessage(
                f"Warning: the automatic recovery copy could not be saved ({error}). "
                "Save your drawing with File > Save As somewhere else.")
            self.statusBar().setStyleSheet("QStatusBar { background: #ffe08a; }")
        elif self.statusBar().styleSheet():
            self.statusBar().setStyleSheet("")
            self.statusBar().clearMessage()

    def flush_recovery(self) -> None:
        """The journal is written synchronously; kept for the error hook and benchmarks."""
        self.recorder.set_modified(self.is_modified())

    def start_session(self, open_path: str | None = None) -> None:
        """What the app does when the window is ready: offer every drawing a crashed window
        left behind FIRST, then open the file it was started with (a double-click)."""
        self.offer_recovery()
        self.session_started = True
        if open_path:
            self.open_file(open_path)  # a broken file shows one clear message; the app stays

    def offer_recovery(self) -> bool:
        """After a crash: offer each orphaned drawing (patient, time). One can be restored
        into this window; the others stay in File > Recovered Drawings. True if restored."""
        restored = False
        later = 0
        for orphan in self.journals.orphans():
            if orphan.kept:
                later += 1
                continue
            if restored:
                self._keep_orphan(orphan.ref)
                later += 1
                continue
            answer = self.ask_recover(orphan)
            if answer is True or answer == "restore":
                restored = self.restore_orphan(orphan.ref)
            else:
                self._keep_orphan(orphan.ref)
                later += 1
        if later:
            self.statusBar().showMessage(
                f"{later} unsaved drawing{'s' * (later != 1)} from an earlier session "
                f"{'are' if later != 1 else 'is'} kept in File > Recovered Drawings.", 10000)
        return restored

    def _keep_orphan(self, ref: str) -> None:
        claim = self.journals.claim(ref)
        if claim is not None:
            try:
                claim.keep()
            except OSError:
                pass
            finally:
                claim.release()

    def restore_orphan(self, ref: str) -> bool:
        """Load an orphaned drawing into this window; its journal is deleted only once this
        window's own journal holds the drawing."""
        from hipmap.model.journal import replay

        claim = self.journals.claim(ref)
        if claim is None:
            self.show_error("Cannot recover the drawing",
                            "Another hipmap window is using this recovered drawing.")
            return False
        try:
            doc, file, _modified, _kept = replay(claim.entries())
        except (InputError, OSError) as exc:
            claim.release()
            msg = exc.one_line() if isinstance(exc, InputError) else str(exc)
            self.show_error("Cannot recover the drawing", msg)
            return False
        try:
            self._load_document(doc, file, recovered=True)
        except InputError as exc:  # (a journal of a drawing too costly to assess)
            claim.release()
            self.show_error("Cannot recover the drawing", exc.one_line())
            return False
        if self.recorder.last_error is None:
            claim.discard()
        else:  # our own journal could not take it: keep the orphan on disk
            claim.release()
        self.statusBar().showMessage("Recovered an unsaved drawing from an earlier session. "
                                     "Save it to keep it.", 8000)
        return True

    def _fill_recovered(self) -> None:
        menu = self.recovered_menu
        menu.clear()
        orphans = self.journals.orphans()
        if not orphans:
            a = menu.addAction("(none)")
            a.setEnabled(False)
        for o in orphans:
            text = o.describe()
            sub = menu.addMenu(text)
            sub.addAction("Open", lambda r=o.ref: self.maybe_save() and self.restore_orphan(r))
            sub.addAction("Delete…", lambda r=o.ref, d=text: self.delete_orphan(r, d))

    def delete_orphan(self, ref: str, description: str = "") -> bool:
        if not self.ask_yes_no("Delete the recovered drawing?",
                               f"{description}\n\nThis unsaved drawing will be deleted for good."):
            return False
        claim = self.journals.claim(ref)
        if claim is None:
            return False
        claim.discard()
        return True

    # ================================================================== dialogs
    def _ask_save_dialog(self) -> str:
        r = QMessageBox.question(
            self, "Unsaved changes", "The drawing has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(r, "cancel")

    def _ask_recover_dialog(self, orphan: Orphan) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recover drawing?")
        box.setText("hipmap did not close properly. This drawing was not saved:")
        box.setInformativeText(orphan.describe())
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later (keep it in File > Recovered Drawings)",
                      QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return "restore" if box.clickedButton() is restore else "later"

    def _ask_yes_no_dialog(self, title: str, text: str) -> bool:
        r = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                 | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return r == QMessageBox.StandardButton.Yes

    def _show_error_dialog(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def about_text(self) -> str:
        kb = self.kb
        unverified = kb.unverified_sources()
        sources = "".join(
            f"<li>{html.escape(s.citation)}"
            + ("" if s.verified else " <b>[UNVERIFIED]</b>") + "</li>"
            for s in sorted(kb.sources.values(), key=lambda s: s.id))
        return (
            f"<h2>hipmap {html.escape(hipmap.__version__)}</h2>"
            "<p>Paint where it hurts, from hip to knee; see the regions, the candidate "
            "causes with their evidence, and the red flags.</p>"
            "<p><b>hipmap supports clinical judgement; it does not diagnose.</b></p>"
            f"<p>{html.escape(kb.disclaimer)}</p>"
            "<p>Licence: MIT.</p>"
            f"<p>Knowledge base version {html.escape(kb.version)}, {len(kb.sources)} sources"
            f" ({len(unverified)} not yet verified)."
            f"<br>Storage: {html.escape(self.db or 'files (.hipmap.json) and a recovery journal')}"
            f"<br>Recovery journals: {html.escape(str(self.journals.folder))}</p>"
            f"<details><summary>Sources</summary><ol>{sources}</ol></details>")

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About hipmap")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text().split("<details>")[0])
        box.setDetailedText("\n".join(
            f"- {s.citation}{'' if s.verified else ' [UNVERIFIED]'}"
            for s in sorted(self.kb.sources.values(), key=lambda s: s.id)))
        box.exec()

    # ================================================================== settings
    def _restore_settings(self) -> None:
        from hipmap.ui.canvas import VIEW_MODES

        s = self.settings
        geom = s.value("window/geometry")
        if geom is not None:
            self.restoreGeometry(geom)
        else:
            self.resize(1440, 900)
        state = s.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        state = s.value("window/right_splitter")
        if state is not None:
            self.right_splitter.restoreState(state)
        mode = s.value("view/mode")
        if isinstance(mode, str) and mode in VIEW_MODES:
            self.canvas.set_mode(mode)
        self.dermatome_check.setChecked(str(s.value("view/dermatomes", "false")) == "true")

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/right_splitter", self.right_splitter.saveState())
        s.setValue("view/mode", self.canvas.mode)
        s.setValue("view/dermatomes", "true" if self.canvas.dermatomes else "false")
        s.sync()

    def closeEvent(self, ev: QCloseEvent) -> None:
        if not self.is_ready:  # closed while loading: nothing to save yet
            ev.accept()
            return
        if not self.maybe_save():
            ev.ignore()
            return
        self.save_settings()
        self.recorder.close(discard=True)  # closed properly: nothing to recover
        ev.accept()
