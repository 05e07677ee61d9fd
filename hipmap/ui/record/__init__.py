"""The clinician window on the clinic record (issue 10): New Visit, Open Patient, the patient
banner, the visit list, autosave off the paint path, the database journal, the conflict
dialog and the live inbox. :func:`attach` wires it into a :class:`MainWindow`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from hipmap.i18n import _
from hipmap.ui.layout import COMPACT_WIDTH
from hipmap.ui.record.session import RecordSession, inbox_order
from hipmap.ui.record.widgets import (
    ConflictDialog,
    OpenPatientDialog,
    RecordBar,
    RecordPanel,
    difference_lines,
)

if TYPE_CHECKING:
    from hipmap.ui.main_window import MainWindow

#: the app's settings key for the database chosen in the app (never with a password)
SETTINGS_KEY = "record/url"
#: whether the Visits and inbox panel is shown (kept between sessions)
PANEL_KEY = "record/panel"


class RecordUI:
    """The record's parts in one window (kept as ``window.record``)."""

    def __init__(self, win: MainWindow, url: str | None, **session_options: Any) -> None:
        self.win = win
        if url is None:  # --db / HIPMAP_DB win; else the database chosen in the app
            saved = win.settings.value(SETTINGS_KEY)
            url = str(saved) if saved else None
        self.session = RecordSession(win, win.files, win.model, url, **session_options)
        s = self.session
        self.bar = RecordBar()
        win.centralWidget().layout().insertWidget(1, self.bar)  # under the red-flag banner
        self.panel = RecordPanel()
        self.dock = QDockWidget(_("Visits and inbox"), win)
        self.dock.setObjectName("recordDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        # On a laptop-sized screen the panel would squeeze the diagram: it starts hidden
        # there (Record > Visits and Inbox shows it; a new kiosk submission shows it too).
        shown = win.settings.value(PANEL_KEY)
        if shown is None:
            self.dock.setVisible(_screen_width(win) >= COMPACT_WIDTH)
        else:
            self.dock.setVisible(str(shown).lower() in ("true", "1"))
        self._inbox_seen: set[int] | None = None  # the submissions listed so far
        # menu: File-like commands of the record, before Help
        self.menu = QMenu(_("&Record"), win)
        self.new_visit = QAction(_("&New Visit"), win)
        self.new_visit.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.open_patient = QAction(_("&Open Patient…"), win)
        self.open_patient.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.show_panel = self.dock.toggleViewAction()
        self.show_panel.setText(_("&Visits and Inbox"))
        self.retry = QAction(_("&Retry the Clinic Record"), win)
        self.database = QAction(_("Clinic &Database…"), win)
        self.history = QAction(_("Patient &History…"), win)
        self.history.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.menu.addActions([self.new_visit, self.open_patient, self.history])
        self.menu.addSeparator()
        self.menu.addActions([self.show_panel, self.retry, self.database])
        bar = win.menuBar()
        actions = bar.actions()
        bar.insertMenu(actions[-1] if actions else None, self.menu)

        self.new_visit.triggered.connect(self.ask_new_visit)
        self.open_patient.triggered.connect(self.ask_open_patient)
        self.retry.triggered.connect(s.retry)
        self.history.triggered.connect(self.show_history)
        self.database.triggered.connect(lambda: self.choose_database())
        self.history_dialog: Any = None
        self.bar.new_visit_requested.connect(self.ask_new_visit)
        self.bar.open_patient_requested.connect(self.ask_open_patient)
        self.bar.retry_requested.connect(s.retry)
        self.panel.visit_requested.connect(s.open_visit)
        self.panel.submission_requested.connect(s.open_submission)
        s.status.connect(lambda text, problem: self.bar.show_status(text, problem=problem))
        s.state_changed.connect(self._state)
        s.visit_changed.connect(self._visit)
        win.files.changed.connect(self._visit)
        s.visits_loaded.connect(lambda v: self.panel.set_visits(
            v, info.visit if (info := s.current()) else None))
        s.inbox_loaded.connect(self._inbox)
        self._state()

    def _state(self) -> None:
        ready = self.session.ready and self.session.error is None
        for a in (self.new_visit, self.open_patient, self.history):
            a.setEnabled(self.session.ready)
        self.bar.new_visit.setEnabled(self.session.ready)
        self.bar.open_patient.setEnabled(self.session.ready)
        self.retry.setEnabled(not ready)

    def _inbox(self, items: list[Any]) -> None:
        """List the inbox; a submission that was not there before (or waiting when the record
        opens) shows the panel on its Inbox tab: a red flag from the kiosk must not wait for
        someone to look."""
        self.panel.set_inbox(items)
        ids = {i.visit for i in items}
        if ids - (self._inbox_seen or set()):  # at start-up too: submissions are waiting
            self.dock.show()
            self.panel.setCurrentIndex(1)
        self._inbox_seen = ids

    def _visit(self) -> None:
        s = self.session
        info = s.current()
        self.bar.show_visit(s.patient if info is not None else None, info)

    # ---------------------------------------------------------------- commands
    def ask_new_visit(self) -> bool:
        if not self.session.ready:
            return False
        if self.session.patient is None or self.session.current() is None:
            pid = self.choose_patient()
            if pid is None:
                return False
            from hipmap.storage.errors import StorageError

            try:
                self.session.patient = self.session.records.store.open_patient(pid)
            except StorageError as exc:
                self.session._fail_now(_("Cannot open the patient"), exc)
                return False
        return self.session.new_visit()

    def ask_open_patient(self) -> bool:
        if not self.session.ready:
            return False
        pid = self.choose_patient()
        return pid is not None and self.session.open_patient(pid)

    def choose_patient(self) -> str | None:
        dlg = OpenPatientDialog(self.session, self.win)
        if dlg.exec() != OpenPatientDialog.DialogCode.Accepted:
            return None
        return dlg.chosen

    def choose_database(self, url: str | bool | None = False) -> bool:
        """Record > Clinic Database. ``url`` (tests): the address typed, password included
        (None: this computer's database); False: ask."""
        from hipmap.storage.credentials import remember, split_password
        from hipmap.storage.errors import StorageError
        from hipmap.ui.record.widgets import DatabaseDialog

        if url is False:
            current = self.session.url
            dlg = DatabaseDialog(split_password(current)[0] if current else None, self.win)
            if dlg.exec() != DatabaseDialog.DialogCode.Accepted:
                return False
            url = dlg.chosen_url()
        settings = self.win.settings
        if url is None:
            settings.remove(SETTINGS_KEY)
            self.session.reconnect(None)
            return True
        try:
            kept = remember(str(url))  # the password leaves the URL here
        except (StorageError, OSError) as exc:
            self.win.files.show_error(_("Cannot use this database"), str(exc))
            return False
        settings.setValue(SETTINGS_KEY, kept.url)
        settings.sync()
        if kept.note:
            self.win.files.message.emit(kept.note, 10000)
        self.session.reconnect(kept.url)
        return True

    def show_history(self) -> Any:
        """Record > Patient History: the open patient's course (asks for a patient when
        none is open)."""
        from hipmap.storage.errors import StorageError
        from hipmap.storage.history import history
        from hipmap.ui.history import HistoryDialog

        s = self.session
        if not s.ready:
            return None
        pid = s.patient.id if s.patient is not None else self.choose_patient()
        if pid is None:
            return None
        store = s.records.store
        try:  # the timeline at once (the visit list is quick) ...
            visits = store.list_visits(pid, oldest_first=True)
        except StorageError as exc:
            s._fail_now(_("Cannot show the history"), exc)
            return None
        if self.history_dialog is None:
            self.history_dialog = HistoryDialog(self.win.kb, self.win.atlas, self.win)
        view = self.history_dialog.view
        info = s.current()
        current = info.visit if info is not None and info.patient == pid else None
        view.set_timeline(pid, visits, current)
        self.history_dialog.show()
        # ... the assessments of every visit (overlay, charts) from the worker; the open
        # visit against the one before it
        s._submit(lambda: history(store, pid),
                  lambda data: view.set_history(data, current=current),
                  lambda exc: s._fail_now(_("Cannot show the history"), exc))
        return self.history_dialog

    def close(self) -> None:
        self.win.settings.setValue(PANEL_KEY, not self.dock.isHidden())
        if self.history_dialog is not None:
            self.history_dialog.close()
        self.session.close()


def _screen_width(win: MainWindow) -> int:
    screen = win.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().width() if screen is not None else 0


def attach(win: MainWindow, url: str | None, **session_options: Any) -> RecordUI:
    """Put the clinic record into the window; it opens (in a thread) once the window is
    ready."""
    ui = RecordUI(win, url, **session_options)
    if win.is_ready:
        ui.session.start()
    else:  # once the window is complete: the panels are never built while SQLAlchemy loads
        win.ready.connect(ui.session.start)
    return ui


__all__ = ["ConflictDialog", "OpenPatientDialog", "RecordBar", "RecordPanel", "RecordSession",
           "RecordUI", "attach", "difference_lines", "inbox_order"]
