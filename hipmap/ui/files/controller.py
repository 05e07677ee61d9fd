"""The file controller: new, open, save, save as, recent files, the recovery journal and PNG
export for one window's drawing.

It owns no widget: it asks its questions through the callables of :mod:`.dialogs`, reports
through :attr:`FileController.message` (the status bar) and :attr:`changed` (the title), and
reads and writes drawings through a :class:`~hipmap.model.store.DocumentStore` (files now:
:class:`~hipmap.model.store.FileDocumentStore`), so the clinic record can take the place of
files without a widget changing.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from hipmap.core.errors import InputError
from hipmap.core.ids import VIEWS
from hipmap.i18n import _, ngettext
from hipmap.model.store import SUFFIX
from hipmap.ui.files import dialogs

if TYPE_CHECKING:
    from collections.abc import Callable

    from hipmap.core.document import Document
    from hipmap.model.drawing import DrawingModel
    from hipmap.model.journal import Recorder
    from hipmap.model.store import DocumentStore, Version


class SettingsRecentList:
    """The store's recent references kept in the app's settings (key ``recent``)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def load(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def store(self, refs: list[str]) -> None:
        self.settings.setValue("recent", list(refs))


def file_filter() -> str:
    return ";;".join((_("hipmap drawings (*.hipmap.json)"), _("JSON files (*.json)"),
                      _("All files (*)")))


class FileController(QObject):
    """Everything about where the window's drawing comes from and goes to."""

    #: a status-bar message and how long to show it (ms, 0: until replaced)
    message = Signal(str, int)
    #: the recovery journal cannot be written (its reason) or works again (None)
    journal_problem = Signal(object)
    #: the file, the modified state or the recovered state changed (the title follows)
    changed = Signal()

    def __init__(self, parent: QWidget, model: DrawingModel, stack: QUndoStack, *,
                 store: DocumentStore,
                 ask_save: dialogs.AskSave | None = None,
                 ask_recover: dialogs.AskRecover | None = None,
                 ask_yes_no: dialogs.AskYesNo | None = None,
                 show_error: dialogs.ShowError | None = None,
                 dermatomes: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        from hipmap.model.journal import Recorder

        self.parent_widget = parent
        self.model = model
        self.stack = stack
        self.store = store
        self.ask_save = ask_save or (lambda: dialogs.ask_save(parent))
        self.ask_recover = ask_recover or (lambda o: dialogs.ask_recover(parent, o))
        self.ask_yes_no = ask_yes_no or (lambda t, m: dialogs.ask_yes_no(parent, t, m))
        self.show_error = show_error or (lambda t, m: dialogs.show_error(parent, t, m))
        self.dermatomes = dermatomes
        #: the clinic record sets these (hipmap.ui.record): a conflict it can resolve with
        #: its dialog (True: resolved, the drawing is saved or replaced), and whether the
        #: open drawing is saved by itself (a visit: closing saves it without asking)
        self.resolve_conflict: Callable[[Exception], bool] | None = None
        self.autosaves: Callable[[str | None], bool] = lambda _ref: False
        #: the reference (a path) of the drawing, and its version as it was read or saved
        self.current_path: str | None = None
        self.version: Version | None = None
        self._recovered = False
        self.session_started = False  # crashed drawings were offered (files may open)
        # the recovery journal: every edit is on disk (fsync) before the edit's handler
        # returns; its lock dies with the process, so a crash leaves an orphan to offer
        self.journals = store.journals
        self.recorder: Recorder = Recorder(model, self.journals,
                                           on_error=self.journal_problem.emit)
        stack.cleanChanged.connect(self._state_changed)
        stack.indexChanged.connect(self._state_changed)

    # ------------------------------------------------------------------ state
    def is_modified(self) -> bool:
        return self._recovered or not self.stack.isClean()

    def display_name(self) -> str:
        return self.store.name(self.current_path) if self.current_path else _("Untitled")

    def _state_changed(self, *_args: object) -> None:
        try:
            modified = self.is_modified()
        except RuntimeError:  # the undo stack is being destroyed with its window
            return
        self.recorder.set_file(self.current_path)
        self.recorder.set_modified(modified)
        self.changed.emit()

    def flush_recovery(self) -> None:
        """The journal is written synchronously; kept for the error hook and benchmarks."""
        self.recorder.set_modified(self.is_modified())

    def close(self) -> None:
        """The window closed properly: nothing to recover."""
        self.recorder.close(discard=True)

    # ------------------------------------------------------------------ documents
    def load_document(self, doc: Document, path: str | None, *, recovered: bool = False,
                      version: Version | None = None) -> None:
        self.model.load(doc)  # refuses (InputError) before any change
        self.recorder.set_file(path)
        self.stack.clear()
        self.stack.setClean()
        self.current_path = path
        self.version = version
        self._recovered = recovered
        self._state_changed()

    def new_document(self) -> bool:
        if not self.maybe_save():
            return False
        from hipmap.core.document import Document

        self.load_document(Document(), None)
        return True

    def open_file(self, path: str | None = None) -> bool:
        if not self.maybe_save():
            return False
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self.parent_widget, _("Open a pain drawing"), self._last_dir(), file_filter())
            if not path:
                return False
        try:
            stored = self.store.open(str(path))
            # a drawing too costly to assess is refused here, the window's drawing untouched
            self.load_document(stored.document, stored.ref, version=stored.version)
        except InputError as exc:
            self.show_error(_("Cannot open this file"), exc.one_line() if exc.source
                            else exc.with_source(str(path)).one_line())
            return False
        self.message.emit(_("Opened {path}").format(path=path), 4000)
        return True

    def save(self) -> bool:
        if self.current_path is None:
            return self.save_as()
        return self._save_to(self.current_path, expected=self.version)

    def save_as(self, path: str | None = None) -> bool:
        if path is None:
            start = self.current_path or os.path.join(self._last_dir(),
                                                      self.suggested_stem() + SUFFIX)
            path, _filter = QFileDialog.getSaveFileName(
                self.parent_widget, _("Save the pain drawing"), start, file_filter())
            if not path:
                return False
        if not path.endswith(".json"):
            path += SUFFIX
        return self._save_to(path, expected=self.version if path == self.current_path
                             else None)

    def _save_to(self, path: str, *, expected: Version | None) -> bool:
        from hipmap.model.store import VersionConflict

        if self.model.recorded_at is None:  # the record says when it was drawn
            from hipmap.model.journal import now_utc

            self.model.set_recorded_at(now_utc())
        try:
            stored = self.store.save(self.model.document(), path, expected=expected)
        except VersionConflict as exc:
            if self.resolve_conflict is not None and self.resolve_conflict(exc):
                return True
            self.show_error(_("Cannot save"), _(
                "{name} was changed by someone else since it was opened here; nothing was "
                "written. Use File > Save As to keep this drawing too.").format(
                    name=self.store.name(path)))
            return False
        except InputError as exc:
            self.show_error(_("Cannot save"), exc.one_line())
            return False
        except OSError as exc:
            self.show_error(_("Cannot save"), f"{path}: {exc.strerror or exc}")
            return False
        self.saved_elsewhere(stored.ref, stored.version, clean=True)
        self.message.emit(_("Saved {path}").format(path=path), 4000)
        return True

    def saved_elsewhere(self, ref: str, version: Version | None, *, clean: bool) -> None:
        """The drawing was saved by someone else than :meth:`save` (the record's autosave,
        in the background): ``clean`` when nothing was edited since the saved snapshot."""
        self.current_path = ref
        self.version = version
        if clean:
            self._recovered = False
            self.stack.setClean()
            self.recorder.saved(ref)
        self._state_changed()

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
        if self.autosaves(self.current_path) and self.save():
            return True  # a visit of the record: saved like every change, without asking
        answer = self.ask_save()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def export_png(self, path: str | None = None) -> bool:
        from hipmap.ui.render import render_document_image

        if path is None:
            base = Path(self.current_path).name.removesuffix(SUFFIX) if self.current_path \
                else self.suggested_stem()
            path, _filter = QFileDialog.getSaveFileName(
                self.parent_widget, _("Export PNG"),
                os.path.join(self._last_dir(), base + ".png"), _("PNG images (*.png)"))
            if not path:
                return False
        from hipmap.core.output import check_target, verify_png, write_bytes
        from hipmap.ui.render import png_bytes

        try:
            check_target(path)
            img = render_document_image(self.model.document(), views=VIEWS,
                                        dermatomes=self.dermatomes())
            write_bytes(path, png_bytes(img), verify=verify_png)
        except InputError as exc:
            self.show_error(_("Cannot export"), exc.one_line())
            return False
        self.message.emit(_("Exported {path}").format(path=path), 4000)
        return True

    # ------------------------------------------------------------------ recent files
    def suggested_stem(self) -> str:
        """The name offered for a drawing not yet saved: the patient's id and the day it
        was drawn, ``P-0042_2026-12-01`` (``pain-drawing_2026-12-01`` without an id)."""
        patient = self.model.patient or {}
        return suggested_stem(patient.get("id"), self.model.recorded_at)

    def _last_dir(self) -> str:
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def recent_files(self) -> list[str]:
        return self.store.recent()

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        files = self.recent_files()
        if not files:
            a = menu.addAction(_("(none)"))
            a.setEnabled(False)
        for i, p in enumerate(files, start=1):
            a = menu.addAction(f"&{i} {self.store.name(p)}")
            a.setToolTip(p)
            a.triggered.connect(lambda _c=False, pp=p: self.open_file(pp))

    # ------------------------------------------------------------------ recovery
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
            self.message.emit(ngettext(
                "{n} unsaved drawing from an earlier session is kept in File > Recovered "
                "Drawings.",
                "{n} unsaved drawings from an earlier session are kept in File > Recovered "
                "Drawings.", later).format(n=later), 10000)
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
            self.show_error(_("Cannot recover the drawing"),
                            _("Another hipmap window is using this recovered drawing."))
            return False
        try:
            doc, file, _modified, _kept = replay(claim.entries())
        except (InputError, OSError) as exc:
            claim.release()
            msg = exc.one_line() if isinstance(exc, InputError) else str(exc)
            self.show_error(_("Cannot recover the drawing"), msg)
            return False
        version = None
        recovered_version = getattr(self.store, "recovered_version", None)
        if file and recovered_version is not None:  # a visit: the version it started from
            version = recovered_version(file, claim.entries())
        try:
            self.load_document(doc, file, recovered=True, version=version)
        except InputError as exc:  # (a journal of a drawing too costly to assess)
            claim.release()
            self.show_error(_("Cannot recover the drawing"), exc.one_line())
            return False
        if self.recorder.last_error is None:
            claim.discard()
        else:  # our own journal could not take it: keep the orphan on disk
            claim.release()
        self.message.emit(_("Recovered an unsaved drawing from an earlier session. Save it "
                            "to keep it."), 8000)
        return True

    def fill_recovered_menu(self, menu: QMenu) -> None:
        menu.clear()
        orphans = self.journals.orphans()
        if not orphans:
            a = menu.addAction(_("(none)"))
            a.setEnabled(False)
        for o in orphans:
            text = o.describe()
            sub = menu.addMenu(text)
            sub.addAction(_("Open"), lambda r=o.ref: self.maybe_save() and self.restore_orphan(r))
            sub.addAction(_("Delete…"), lambda r=o.ref, d=text: self.delete_orphan(r, d))

    def delete_orphan(self, ref: str, description: str = "") -> bool:
        if not self.ask_yes_no(_("Delete the recovered drawing?"),
                               _("{drawing}\n\nThis unsaved drawing will be deleted for good.")
                               .format(drawing=description)):
            return False
        claim = self.journals.claim(ref)
        if claim is None:
            return False
        claim.discard()
        return True


def suggested_stem(patient_id: object, recorded_at: str | None,
                   today: date | None = None) -> str:
    """``P-0042_2026-12-01``: a patient id made safe for a file name on every system
    (letters, digits, ``-``, ``_`` and ``.`` kept, anything else a ``-``), then the date
    the drawing was made (``recorded_at``), else ``today`` (default: the local date)."""
    pid = re.sub(r"[^\w.-]+", "-", str(patient_id or ""), flags=re.ASCII).strip("-._")[:60]
    day = (recorded_at or "")[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        day = (today or date.today()).isoformat()
    if not pid:
        # TRANSLATORS: the start of the file name of a drawing without a patient id
        pid = re.sub(r"[^\w.-]+", "-", _("pain-drawing")).strip("-._") or "pain-drawing"
    return f"{pid}_{day}"
