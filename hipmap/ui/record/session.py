"""The window on the clinic record: opening the database, the open visit, autosave, the
database journal, conflicts and the live inbox.

Nothing here runs on the paint path. A finished stroke only restarts two timers; when they
fire, the drawing is *copied* on the GUI thread (a ``Document``, no serialisation) and a
single worker thread writes it: the database journal a moment after each change (so a crash
on this workstation is offered back from the database at the next start), the visit itself
after a pause in the editing (a new version, nothing overwritten). The recovery journal on
this computer (:mod:`hipmap.model.journal`) keeps every finished stroke in between.

Opening the store (SQLAlchemy costs 0.3–0.6 s to import) happens in the worker too, after
the window is on screen. A database that cannot be reached is one line in the record bar
with a Retry button; the drawing stays in the recovery journals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from hipmap.core.errors import InputError
from hipmap.i18n import _

if TYPE_CHECKING:
    from hipmap.core.document import Document
    from hipmap.model.drawing import DrawingModel
    from hipmap.storage.documents import RecordConflict, RecordDocumentStore
    from hipmap.storage.store import InboxItem, JournalEntry, Patient, VisitSummary
    from hipmap.ui.files import FileController

#: "mine" | "theirs" | "new" | None (decide later)
AskConflict = Callable[["RecordConflict", "Document"], "str | None"]
#: one database journal entry -> "restore" | "later"
AskRecoverVisit = Callable[["JournalEntry"], str]

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "see_clinician": 2, "self_care": 3}


def inbox_order(items: list[InboxItem]) -> list[InboxItem]:
    """Emergencies first, then urgent, then the rest; oldest first within each."""
    return sorted(items, key=lambda i: (URGENCY_ORDER.get(i.urgency or "", 2),
                                        i.submitted_at, i.visit))


class _Watch(QThread):
    """PostgreSQL: waits on LISTEN/NOTIFY in its own thread; ``changed`` when the inbox
    moved."""

    changed = Signal()

    def __init__(self, watcher: Any) -> None:
        super().__init__()
        self.watcher = watcher
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            if self.watcher.wait(1.0):
                self.changed.emit()
            elif self.watcher.error:
                self._stop.wait(2.0)

    def stop(self) -> None:
        self._stop.set()
        self.wait(3000)


class RecordSession(QObject):
    """One window's clinic record."""

    #: the store is open (or could not be): the bar and the menus follow
    state_changed = Signal()
    #: the record bar's status line (text, problem?)
    status = Signal(str, bool)
    #: the open visit or its patient changed: (the visit list, the banner)
    visit_changed = Signal()
    #: the patient's visits, newest first
    visits_loaded = Signal(list)
    #: the inbox, in the order to show it
    inbox_loaded = Signal(list)
    #: (callback, future) from the worker, delivered on the GUI thread
    _finished = Signal(object, object)

    def __init__(self, parent: QObject, files: FileController, model: DrawingModel,
                 url: str | None, *, ask_conflict: AskConflict | None = None,
                 ask_recover_visit: AskRecoverVisit | None = None,
                 autosave_ms: int = 1500, journal_ms: int = 200,
                 inbox_poll_ms: int = 1000) -> None:
        super().__init__(parent)
        self.files = files
        self.model = model
        self.url = url
        self.ask_conflict = ask_conflict
        self.ask_recover_visit = ask_recover_visit
        self.records: RecordDocumentStore | None = None
        self.error: str | None = None
        self.opening = False
        self.patient: Patient | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hipmap-record")
        self._finished.connect(self._deliver)
        self._save_timer = QTimer(self, singleShot=True, interval=autosave_ms)
        self._save_timer.timeout.connect(self.autosave)
        self._journal_timer = QTimer(self, singleShot=True, interval=journal_ms)
        self._journal_timer.timeout.connect(self._journal_now)
        self._inbox_timer = QTimer(self, interval=inbox_poll_ms)
        self._inbox_timer.timeout.connect(self._poll_inbox)
        self._saving = False
        self._save_again = False
        self._paused = False  # a conflict left undecided: no autosave until the next edit
        self._journal_lock = threading.Lock()
        self._journal_doc: tuple[str, Document] | None = None
        self._watcher: Any = None
        self._watch_thread: _Watch | None = None
        self._offered = False
        self._closed = False
        files.stack.indexChanged.connect(self._edited)
        files.autosaves = self.is_visit
        files.resolve_conflict = self._resolve_from_save

    # ================================================================== the worker
    def _submit(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
                failed: Callable[[Exception], None] | None = None) -> Future[Any]:
        fut = self._pool.submit(fn)
        fut.add_done_callback(lambda f: self._finished.emit((done, failed), f))
        return fut

    def _deliver(self, callbacks: tuple[Any, Any], fut: Future[Any]) -> None:
        if self._closed:
            return
        done, failed = callbacks
        exc = fut.exception()
        if exc is None:
            if done is not None:
                done(fut.result())
        elif isinstance(exc, Exception):
            (failed or self._problem)(exc)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until everything queued so far is written (closing, tests)."""
        self._pool.submit(lambda: None).result(timeout)

    # ================================================================== opening
    def start(self) -> None:
        """Open the record in the worker (never on the first frame's path)."""
        if self.opening or self.records is not None:
            return
        self.opening = True
        self.status.emit(_("Opening the clinic record…"), False)
        self._submit(self._open, self._opened, self._open_failed)

    def _open(self) -> tuple[RecordDocumentStore, Any, list[Any]]:
        from hipmap.storage import open_store
        from hipmap.storage.credentials import with_password
        from hipmap.storage.documents import RecordDocumentStore

        # the password (if any) from the keyring, for this connection only
        store = open_store(with_password(self.url) if self.url else None)
        try:
            watcher = store.watch_inbox()
            inbox = store.inbox()
        except BaseException:
            store.close()
            raise
        return RecordDocumentStore(store, self.files.store), watcher, inbox

    def _opened(self, result: tuple[RecordDocumentStore, Any, list[Any]]) -> None:
        records, watcher, inbox = result
        self.opening = False
        self.records = records
        self.error = None
        self.files.store = records  # visits through the record; paths still to files
        self._watcher = watcher
        if records.store.backend == "postgresql":
            self._watch_thread = _Watch(watcher)
            self._watch_thread.changed.connect(self.refresh_inbox)
            self._watch_thread.start()
        else:
            self._inbox_timer.start()
        self.inbox_loaded.emit(inbox_order(inbox))
        self.status.emit(_("Clinic record: {where}").format(where=records.store.where), False)
        self.state_changed.emit()
        if self.files.session_started:
            self.offer_recovery()
        if self.is_visit(self.files.current_path) and self.files.is_modified():
            self._edited()  # edits made while the record was away: save them now

    def _open_failed(self, exc: Exception) -> None:
        self.opening = False
        self._problem(exc)

    def _problem(self, exc: Exception) -> None:
        """The database cannot be reached or refused: one line, the drawing kept."""
        from hipmap.storage.errors import StorageError

        if isinstance(exc, InputError):
            line = exc.one_line()
        elif isinstance(exc, StorageError):
            line = str(exc)
        else:
            line = f"{type(exc).__name__}: {exc}"
        self.error = line
        self.status.emit(_("The clinic record cannot be used: {reason}. Your drawing is kept "
                           "in the recovery journal on this computer.").format(reason=line),
                         True)
        self.state_changed.emit()

    def retry(self) -> None:
        """The record bar's Retry: open the record again, or save what is waiting."""
        if self.records is None:
            self.start()
            return
        self.error = None
        self._paused = False
        self.status.emit(_("Trying the clinic record again…"), False)
        self.state_changed.emit()
        if self.is_visit(self.files.current_path) and self.files.is_modified():
            self.autosave()
        else:
            self.refresh_inbox()

    def reconnect(self, url: str | None) -> None:
        """Another database (Record > Clinic Database): close this one, open that one."""
        if self.opening:
            self.wait_idle()
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.processEvents()
        if self.is_visit(self.files.current_path) and not self.flush():
            return
        self._stop_watching()
        if self.records is not None:
            self.files.store = self.records.files
            self.records.store.close()
            self.records = None
        if self.is_visit(self.files.current_path):  # the visit belongs to the old record
            self.files.current_path = None
            self.files.version = None
        self.patient = None
        self._offered = False
        self.url = url
        self.error = None
        self.visit_changed.emit()
        self.visits_loaded.emit([])
        self.inbox_loaded.emit([])
        self.start()

    def _stop_watching(self) -> None:
        self._inbox_timer.stop()
        if self._watch_thread is not None:
            self._watch_thread.stop()
            self._watch_thread = None
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    @property
    def ready(self) -> bool:
        return self.records is not None

    def close(self) -> None:
        """The window closes: stop watching, write what is queued, close the database."""
        self._closed = True
        self._save_timer.stop()
        self._journal_timer.stop()
        self._pool.shutdown(wait=True)
        self._stop_watching()
        if self.records is not None:
            self.records.store.close()

    # ================================================================== the open visit
    def is_visit(self, ref: str | None) -> bool:
        from hipmap.model.store import SUFFIX

        return bool(ref) and str(ref).startswith("visit:") and not str(ref).endswith(SUFFIX)

    def current(self) -> Any:
        """The open visit's :class:`~hipmap.storage.documents.VisitInfo`, or None."""
        if self.records is None or not self.is_visit(self.files.current_path):
            return None
        return self.records.info(self.files.current_path)

    def _edited(self, *_args: object) -> None:
        """A change of the drawing (the undo stack moved): restart the timers. Nothing
        else happens here — this runs on the stroke's path."""
        if not self.is_visit(self.files.current_path) or self.records is None:
            return
        self._paused = False
        self._journal_timer.start()
        self._save_timer.start()

    def _journal_now(self) -> None:
        ref = self.files.current_path
        if self.records is None or not self.is_visit(ref) or not self.files.is_modified():
            return
        with self._journal_lock:
            queued = self._journal_doc is not None
            self._journal_doc = (ref, self.model.document())  # type: ignore[arg-type]
        if not queued:  # one write queued at a time; it takes the newest drawing
            self._submit(self._write_journal, None, self._journal_failed)

    def _write_journal(self) -> None:
        with self._journal_lock:
            item, self._journal_doc = self._journal_doc, None
        if item is not None and self.records is not None:
            self.records.journal_put(*item)

    def _journal_failed(self, exc: Exception) -> None:
        self._problem(exc)

    def autosave(self) -> None:
        """Save the open visit now, in the worker (the save timer's end)."""
        ref = self.files.current_path
        if (self.records is None or not self.is_visit(ref) or not self.files.is_modified()
                or self._paused):
            return
        if self._saving:
            self._save_again = True
            return
        self._saving = True
        self._save_again = False
        records = self.records
        doc = self.model.document()
        assessment = self.model.assessment()
        index = self.files.stack.index()
        self.status.emit(_("Saving…"), False)

        def work() -> Any:
            stored = records.save(doc, ref, expected=None, assessment=assessment)
            info = records.info(ref)
            patient = None
            if info is not None and info.patient and (
                    self.patient is None or self.patient.id != info.patient):
                patient = records.store.get_patient(info.patient)  # a submission got one
            return stored, patient

        def done(result: Any) -> None:
            stored, patient = result
            self._saving = False
            if patient is not None:
                self.patient = patient
                self.refresh_visits()
            if self.files.current_path == ref:
                self.files.saved_elsewhere(stored.ref, stored.version,
                                           clean=self.files.stack.index() == index)
            self._saved_status(stored.version)
            self.visit_changed.emit()
            if self._save_again or (self.files.current_path == ref
                                    and self.files.is_modified()):
                self._save_timer.start()

        def failed(exc: Exception) -> None:
            from hipmap.storage.documents import RecordConflict

            self._saving = False
            if isinstance(exc, RecordConflict) and self.files.current_path == ref:
                self.resolve(exc)
            else:
                self._problem(exc)

        self._submit(work, done, failed)

    def _saved_status(self, version: int) -> None:
        from datetime import datetime

        self.error = None
        self.status.emit(_("Saved in the clinic record at {time} (version {version})").format(
            time=datetime.now().strftime("%H:%M:%S"), version=version), False)
        self.state_changed.emit()

    def flush(self) -> bool:
        """Before the open visit is left: everything written (False: it could not be)."""
        self._save_timer.stop()
        self._journal_timer.stop()
        if self._saving:
            self.wait_idle()
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.processEvents()  # deliver the save's result
        return self.files.maybe_save()

    # ================================================================== patients, visits
    def search(self, text: str) -> list[Patient]:
        assert self.records is not None
        return self.records.store.search_patients(text)

    def recent_patients(self) -> list[Patient]:
        assert self.records is not None
        return self.records.store.recent_patients()

    def open_patient(self, pid: str, *, name: str | None = None) -> bool:
        """Make ``pid`` the window's patient (created if new): their latest visit opens; a
        patient without visits gets a new one."""
        assert self.records is not None
        if not self.flush():
            return False
        try:
            patient = self.records.store.open_patient(pid, name=name or None)
            visits = self.records.store.list_visits(patient.id, limit=1)
        except Exception as exc:
            self._fail_now(_("Cannot open the patient"), exc)
            return False
        self.patient = patient
        if visits:
            return self.open_visit(visits[0].visit, flushed=True)
        return self.new_visit(flushed=True)

    def new_visit(self, *, flushed: bool = False) -> bool:
        """A new visit of the window's patient, dated now. A drawing that is not a visit yet
        (painted before a patient was chosen) becomes the visit; otherwise it starts
        empty."""
        from hipmap.core.document import Document
        from hipmap.model.journal import now_utc

        assert self.records is not None and self.patient is not None
        if not flushed and not self.flush():
            return False
        keep = not self.is_visit(self.files.current_path) and self.files.current_path is None
        pid = self.patient.id
        header = {"id": pid}
        if keep:
            doc = self.model.document()
            header = {**(doc.patient or {}), "id": pid}
            doc = type(doc)(marks=doc.marks, answers=doc.answers, patient=header,
                            recorded_at=doc.recorded_at or now_utc(), extra=doc.extra)
        else:
            doc = Document(patient=header, recorded_at=now_utc())
        try:
            stored = self.records.add(doc, pid)
        except Exception as exc:
            self._fail_now(_("Cannot start a new visit"), exc)
            return False
        self.files.load_document(doc, stored.ref, version=stored.version)
        self.files.message.emit(_("New visit {visit} for patient {patient}").format(
            visit=stored.ref.partition(":")[2], patient=pid), 5000)
        self._after_open()
        return True

    def open_visit(self, visit: int, *, flushed: bool = False,
                   mark_opened: bool = False) -> bool:
        from hipmap.storage.documents import visit_ref

        assert self.records is not None
        if not flushed and not self.flush():
            return False
        ref = visit_ref(visit)
        try:
            stored = self.records.open(ref)
            if mark_opened:
                self.records.store.mark_opened(visit)
            info = self.records.info(ref)
            if info is not None and info.patient and (
                    self.patient is None or self.patient.id != info.patient):
                self.patient = self.records.store.get_patient(info.patient)
            elif info is not None and not info.patient:
                self.patient = None
            self.files.load_document(stored.document, stored.ref, version=stored.version)
        except Exception as exc:
            self._fail_now(_("Cannot open the visit"), exc)
            return False
        self.files.message.emit(_("Opened {visit}").format(visit=stored.name), 4000)
        self._after_open()
        if mark_opened:
            self.refresh_inbox()
        return True

    def _after_open(self) -> None:
        self.visit_changed.emit()
        self.refresh_visits()
        info = self.current()
        if info is not None:
            self._saved_status(info.version)

    def refresh_visits(self) -> None:
        if self.records is None or self.patient is None:
            self.visits_loaded.emit([])
            return
        store, pid = self.records.store, self.patient.id

        def load() -> list[VisitSummary]:
            return store.list_visits(pid)

        self._submit(load, self.visits_loaded.emit)

    def _fail_now(self, title: str, exc: Exception) -> None:
        from hipmap.storage.errors import DatabaseUnavailable

        msg = exc.one_line() if isinstance(exc, InputError) else str(exc)
        if isinstance(exc, DatabaseUnavailable):
            self._problem(exc)
        self.files.show_error(title, msg)

    def since_last_visit(self) -> dict[str, Any] | None:
        """What changed between the patient's previous visit and the open drawing (for the
        report's "since the last visit"), or None (no earlier visit, no record)."""
        from hipmap.storage.history import changes
        from hipmap.storage.store import iso

        info = self.current()
        if info is None or not info.patient or self.records is None:
            return None
        try:
            visits = self.records.store.visits_with_assessments(info.patient)
        except Exception:
            return None
        order = [v.visit for v, _a in visits]
        if info.visit not in order or order.index(info.visit) == 0:
            return None
        prev, a = visits[order.index(info.visit) - 1]
        before = [{"id": r["id"], "coverage": r.get("coverage"), "intensity": r.get("intensity")}
                  for r in (a or {}).get("regions", [])]
        now = [r.to_json() for r in self.model.assessment().regions]
        return {**changes(before, now, prev.visit), "date": iso(prev.recorded_at)}

    # ================================================================== the inbox
    def _poll_inbox(self) -> None:
        if self._watcher is None:
            return
        if self._watcher.poll():  # SQLite: PRAGMA data_version, its own connection
            self.refresh_inbox()

    def refresh_inbox(self) -> None:
        if self.records is None:
            return
        store = self.records.store
        self._submit(lambda: inbox_order(store.inbox()), self.inbox_loaded.emit)

    def open_submission(self, visit: int) -> bool:
        """Open a kiosk submission: it leaves the inbox (marked opened) and its drawing and
        answers are the window's, to carry on with."""
        return self.open_visit(visit, mark_opened=True)

    # ================================================================== conflicts
    def _resolve_from_save(self, exc: Exception) -> bool:
        from hipmap.storage.documents import RecordConflict

        return isinstance(exc, RecordConflict) and self.resolve(exc)

    def resolve(self, conflict: RecordConflict) -> bool:
        """Someone else saved the visit since this window read it: show both versions and
        do what the clinician chooses. True when the conflict is settled."""
        from hipmap.core.document import loads

        assert self.records is not None
        theirs = loads(conflict.detail.theirs, source=_("their version"))
        choice = (self.ask_conflict or self._ask_conflict_dialog)(conflict, theirs)
        ref = conflict.ref
        records = self.records
        try:
            if choice == "mine":
                stored = records.save_over(self.model.document(), ref,
                                           conflict.detail.current.version,
                                           assessment=self.model.assessment())
                records.journal_clear(ref)
                self.files.saved_elsewhere(stored.ref, stored.version, clean=True)
                self.files.message.emit(_("Your drawing is saved as version {version}; theirs "
                                          "stays in the visit's history.").format(
                                              version=stored.version), 8000)
            elif choice == "theirs":
                records.set_version(ref, conflict.detail.current.version)
                records.journal_clear(ref)
                self.files.load_document(theirs, ref, version=conflict.detail.current.version)
                self.files.message.emit(_("Their version is open; yours was not saved."), 8000)
            elif choice == "new":
                pid = (records.info(ref).patient if records.info(ref) else None) or \
                    (self.patient.id if self.patient else None)
                if pid is None:
                    raise InputError(_("this visit has no patient yet: give it a patient id "
                                       "first"))
                stored = records.add(self.model.document(), pid,
                                     assessment=self.model.assessment())
                records.journal_clear(ref)
                self.files.saved_elsewhere(stored.ref, stored.version, clean=True)
                self.files.message.emit(_("Your drawing is saved as a new visit {visit}; the "
                                          "other visit keeps their version.").format(
                                              visit=stored.ref.partition(":")[2]), 8000)
            else:
                self._paused = True
                self.status.emit(_("Not saved: this visit was changed elsewhere. Your "
                                   "drawing is kept; edit or press Retry to decide."), True)
                return False
        except Exception as exc:
            self._fail_now(_("Cannot save"), exc)
            return False
        self._after_open()
        return True

    def _ask_conflict_dialog(self, conflict: RecordConflict, theirs: Document) -> str | None:
        from hipmap.ui.record.widgets import ConflictDialog

        dlg = ConflictDialog(self.files.parent_widget, self.model.document(), theirs,
                             conflict)
        dlg.exec()
        return dlg.choice

    # ================================================================== crash recovery
    def offer_recovery(self) -> bool:
        """After a crash: visits with unsaved edits in the database journal of this
        workstation (those this computer's own journals hold are offered by those)."""
        if self.records is None or self._offered:
            return False
        self._offered = True
        from hipmap.storage.documents import visit_ref

        try:
            pending = self.records.pending()
        except Exception as exc:
            self._problem(exc)
            return False
        local = {o.file for o in self.files.journals.orphans()}
        local.add(self.files.current_path)
        for entry in pending:
            ref = visit_ref(entry.visit)
            if ref in local:
                continue
            answer = (self.ask_recover_visit or self._ask_recover_dialog)(entry)
            if answer == "restore":
                return self.restore(entry)
        return False

    def restore(self, entry: JournalEntry) -> bool:
        from hipmap.core.document import loads
        from hipmap.storage.documents import visit_ref

        assert self.records is not None
        if not self.flush():
            return False
        ref = visit_ref(entry.visit)
        try:
            self.records.open(ref)  # who the visit belongs to (the banner)
            doc = loads(entry.payload, source=_("the recovery journal"))
            info = self.records.info(ref)
            if info is not None and info.patient:
                self.patient = self.records.store.get_patient(info.patient)
            self.records.set_version(ref, entry.base_version)
            self.files.load_document(doc, ref, recovered=True, version=entry.base_version)
        except Exception as exc:
            self._fail_now(_("Cannot recover the drawing"), exc)
            return False
        self.files.message.emit(_("Recovered the unsaved drawing of visit {visit} from the "
                                  "clinic record.").format(visit=entry.visit), 8000)
        self._after_open()
        self._edited()  # save it (a conflict, if someone saved meanwhile, asks)
        return True

    def _ask_recover_dialog(self, entry: JournalEntry) -> str:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self.files.parent_widget)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Recover drawing?"))
        box.setText(_("hipmap did not close properly. Visit {visit} has changes that were not "
                      "saved (last change {when}).").format(
                          visit=entry.visit,
                          when=entry.saved_at.strftime("%Y-%m-%d %H:%M UTC")))
        restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return "restore" if box.clickedButton() is restore else "later"
