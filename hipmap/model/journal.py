"""The recovery journal: every edit of a window's drawing, appended to a file the moment it
ends, so that no finished stroke is lost when hipmap dies (issue 9), and made durable on the
disk by a writer thread a few milliseconds later, off the paint path (issue 13).

One journal per window, owned through an OS-level lock that dies with the process: a journal
whose lock can be taken belongs to a window that is gone — an *orphan* — and is offered back
at the next start. Two windows never share a journal, and never touch one another's.

Layers (Qt-free):

* :class:`JournalStore` — where journals live (a small interface: create, list orphans,
  claim, read, keep, discard). :class:`FileJournalStore` keeps them as JSON-lines files in
  the per-user data folder; the clinic record can store them in its database instead.
* :class:`Recorder` — subscribes to a :class:`~hipmap.model.drawing.DrawingModel` and appends one
  small entry per change (a stroke, an erase, a tap, an answer, a patient edit): never the
  whole document, except once when a drawing is opened or saved.
* :func:`replay` — turns a journal's entries back into the document.

Entry kinds (one JSON object per line, ``n`` counts up, ``t`` is UTC):
``base`` (the whole document, when a drawing is opened, created or saved), ``marks`` (ids
removed, ``[id, mark]`` added), ``answer``, ``patient``, ``meta`` (``recorded_at``),
``file`` (the file the drawing belongs to), ``state`` (``modified`` true/false), ``kept``
(the user chose to keep it for later).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hipmap.core.document import Document, from_json
from hipmap.model.drawing import ChangeKind

if TYPE_CHECKING:
    from hipmap.model.drawing import Change, DrawingModel

FORMAT = "hipmap.journal/1"
SUFFIX = ".journal"
#: a journal above this size (and four times its last base) is rewritten from the current
#: drawing: a long session of undo and redo cannot grow it without bound
COMPACT_BYTES = 8 * 1024 * 1024


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ============================================================================ the interface

@dataclass
class Orphan:
    """A journal whose window is gone: what the user needs to decide about it."""

    ref: str
    doc: Document
    file: str | None
    modified: bool
    kept: bool
    started: str
    updated: str
    entries: int

    @property
    def patient_id(self) -> str | None:
        p = self.doc.patient or {}
        return None if p.get("id") is None else str(p["id"])

    def describe(self) -> str:
        """One line for a dialog or a menu: patient, time, marks, file."""
        from hipmap.i18n import _, ngettext

        who = (_("patient {id}").format(id=self.patient_id) if self.patient_id else
               _("no patient id"))
        when = self.updated.replace("T", " ").removesuffix("Z") + " UTC"
        n = len(self.doc.marks)
        what = ngettext("{n} mark", "{n} marks", n).format(n=n)
        if self.doc.answers:
            k = len(self.doc.answers)
            what = _("{marks}, {answers}").format(
                marks=what, answers=ngettext("{n} answer", "{n} answers", k).format(n=k))
        name = Path(self.file).name if self.file else _("never saved")
        return _("{who} — {what} — last change {when} — {file}").format(
            who=who, what=what, when=when, file=name)


class JournalWriter(Protocol):
    ref: str

    def append(self, entry: dict[str, Any]) -> None: ...
    def rewrite(self, entries: list[dict[str, Any]]) -> None: ...
    def size(self) -> int: ...
    def close(self, *, discard: bool) -> None: ...


class Claim(Protocol):
    """An orphan held by this process (no other window can take it meanwhile)."""

    ref: str

    def entries(self) -> list[dict[str, Any]]: ...
    def keep(self) -> None: ...
    def discard(self) -> None: ...
    def release(self) -> None: ...


class JournalStore(Protocol):
    def create(self) -> JournalWriter: ...
    def orphans(self) -> list[Orphan]: ...
    def claim(self, ref: str) -> Claim | None: ...


# ============================================================================ replay

def replay(entries: list[dict[str, Any]]) -> tuple[Document, str | None, bool, bool]:
    """The document a journal describes, with its file, whether it had unsaved changes,
    and whether the user chose to keep it for later. Raises InputError if the drawing in
    it is not a valid document (a damaged journal)."""
    base: dict[str, Any] = {"format": "hipmap.drawing/1"}
    marks: dict[int, dict[str, Any]] = {}
    answers: dict[str, Any] = {}
    patient: Any = None
    recorded_at: Any = None
    file: str | None = None
    modified = kept = False
    for e in entries:
        op = e.get("op")
        if op == "base":
            base = dict(e.get("doc") or {})
            marks = {i: m for i, m in enumerate(base.pop("marks", []) or [], start=1)}
            answers = dict(base.pop("answers", {}) or {})
            patient = base.pop("patient", None)
            recorded_at = base.pop("recorded_at", None)
            file = e.get("file", file)
            modified = bool(e.get("modified", False))
            if e.get("ids"):
                marks = dict(zip(e["ids"], marks.values(), strict=False))
        elif op == "marks":
            for i in e.get("remove", []):
                marks.pop(i, None)
            for i, m in e.get("add", []):
                marks[i] = m
        elif op == "answer":
            if e.get("value") is None:
                answers.pop(e.get("id"), None)
            else:
                answers[e.get("id")] = e["value"]
        elif op == "patient":
            patient = e.get("patient")
        elif op == "meta":
            recorded_at = e.get("recorded_at", recorded_at)
        elif op == "file":
            file = e.get("file")
        elif op == "state":
            modified = bool(e.get("modified"))
        elif op == "kept":
            kept = True
    obj = dict(base)
    if recorded_at is not None:
        obj["recorded_at"] = recorded_at
    if patient is not None:
        obj["patient"] = patient
    obj["marks"] = [marks[i] for i in sorted(marks)]
    obj["answers"] = answers
    return from_json(obj, source="recovery journal"), file, modified, kept


def _orphan(ref: str, entries: list[dict[str, Any]]) -> Orphan:
    doc, file, modified, kept = replay(entries)
    edits = [e for e in entries if e.get("op") != "kept"]  # "kept" is no change of the drawing
    return Orphan(ref=ref, doc=doc, file=file, modified=modified, kept=kept,
                  started=str(edits[0].get("t", "")) if edits else "",
                  updated=str(edits[-1].get("t", "")) if edits else "",
                  entries=len(entries))


# ============================================================================ the recorder

class Recorder:
    """Writes a model's changes to a journal, one small entry per change, written to the file
    before the change's handlers return (the disk sync follows on the journal's own thread).

    The journal is created at the first unsaved change (an idle window leaves no file).
    ``on_error`` is told when an entry cannot be written (the drawing itself is kept).
    """

    def __init__(self, model: DrawingModel, store: JournalStore,
                 on_error: Callable[[str | None], None] | None = None) -> None:
        self.model = model
        self.store = store
        self.on_error = on_error or (lambda _m: None)
        self.writer: JournalWriter | None = None
        self.file: str | None = None
        self.modified = False
        self.last_error: str | None = None
        self._base_size = 0
        self._stale = False  # a write failed: the next change rewrites the whole journal
        self._recorded_at = model.recorded_at
        self._unsubscribe = model.subscribe(self._on_change)

    # ----------------------------------------------------------------- what the window says
    def set_file(self, file: str | None) -> None:
        if file != self.file:
            self.file = file
            if self.writer is not None:
                self._append({"op": "file", "file": file})

    def set_modified(self, modified: bool) -> None:
        """The window's unsaved-changes state (a save or an undo back to it clears it)."""
        if modified == self.modified:
            return
        self.modified = modified
        if modified and self.writer is None:
            self._start()
        elif self.writer is not None:
            if not modified:  # saved: start again from the saved drawing (small journal)
                self._rewrite()
            else:
                self._append({"op": "state", "modified": True})

    def saved(self, file: str) -> None:
        self.file = file
        self.modified = False
        if self.writer is not None:
            self._rewrite()

    def close(self, *, discard: bool = True) -> None:
        self._unsubscribe()
        if self.writer is not None:
            with contextlib.suppress(OSError):
                self.writer.close(discard=discard)
            self.writer = None

    # ----------------------------------------------------------------- model changes
    def _on_change(self, change: Change) -> None:
        if change.kind is ChangeKind.RESET:
            self._recorded_at = self.model.recorded_at
            if self.writer is not None:
                self._rewrite()
            return
        if self.writer is None:
            if not self.modified:
                return  # not yet a change worth keeping (set_modified(True) follows)
            self._start()
            return
        entry = self._entry(change)
        if entry is not None:
            self._append(entry)
        if self.model.recorded_at != self._recorded_at:
            self._recorded_at = self.model.recorded_at
            self._append({"op": "meta", "recorded_at": self._recorded_at})
        if self.writer is not None and self.writer.size() > max(COMPACT_BYTES,
                                                                4 * self._base_size):
            self._rewrite()

    def _entry(self, change: Change) -> dict[str, Any] | None:
        m = self.model
        if change.kind is ChangeKind.MARKS:
            return {"op": "marks", "remove": list(change.removed),
                    "add": [[i, m.marks[i].to_json()] for i in change.added if i in m.marks]}
        if change.kind is ChangeKind.ANSWERS:
            return None if not change.answers else {
                "op": "answer", "id": change.answers[0],
                "value": m.answers.get(change.answers[0])}
        if change.kind is ChangeKind.PATIENT:
            return {"op": "patient", "patient": m.patient}
        if change.kind is ChangeKind.RECORDED_AT:
            return None  # written as "meta" below
        return {"op": "base", **self._base_fields()}

    def _base_fields(self) -> dict[str, Any]:
        doc = self.model.document()
        return {"doc": doc.to_json(), "ids": list(self.model.marks), "file": self.file,
                "modified": self.modified}

    # ----------------------------------------------------------------- writing
    def _start(self) -> None:
        try:
            self.writer = self.store.create()
        except OSError as exc:
            self._failed(exc)
            return
        self._rewrite()

    def _rewrite(self) -> None:
        if self.writer is None:
            return
        entry = {"op": "base", **self._base_fields()}
        self._recorded_at = self.model.recorded_at
        try:
            self.writer.rewrite([_stamp(entry, 0)])
            self._base_size = self.writer.size()
            self._n = 1
            self._ok()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def _append(self, entry: dict[str, Any]) -> None:
        if self.writer is None:
            return
        if self._stale:  # an entry was lost: only a full rewrite makes the journal whole
            self._rewrite()
            return
        try:
            self.writer.append(_stamp(entry, getattr(self, "_n", 1)))
            self._n = getattr(self, "_n", 1) + 1
            self._ok()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def _ok(self) -> None:
        self._stale = False
        if self.last_error is not None:
            self.last_error = None
            self.on_error(None)

    def _failed(self, exc: BaseException) -> None:
        self._stale = True
        self.last_error = str(getattr(exc, "strerror", None) or exc)
        self.on_error(self.last_error)


def _stamp(entry: dict[str, Any], n: int) -> dict[str, Any]:
    return {"n": n, "t": now_utc(), **entry}


def _line(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            + "\n").encode("utf-8")


# ============================================================================ files + locks

class _Lock:
    """An exclusive, non-blocking OS lock on an open file; the OS drops it when the process
    dies (POSIX ``flock``; Windows ``LockFileEx`` via msvcrt on a byte past any content)."""

    WIN_OFFSET = 1 << 30

    @staticmethod
    def acquire(fd: int) -> bool:
        if sys.platform == "win32":
            import msvcrt

            pos = os.lseek(fd, 0, os.SEEK_CUR)
            try:
                os.lseek(fd, _Lock.WIN_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                return False
            finally:
                os.lseek(fd, pos, os.SEEK_SET)
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    @staticmethod
    def release(fd: int) -> None:
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                import msvcrt

                os.lseek(fd, _Lock.WIN_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_UN)


#: fdatasync where there is one: the data and the new length, without the access times
_SYNC = getattr(os, "fdatasync", os.fsync)


def _open_rw(path: Path, *, create: bool) -> int:
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    if create:
        flags |= os.O_CREAT | os.O_EXCL
    return os.open(path, flags, 0o600)


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _read_entries(fd: int) -> list[dict[str, Any]]:
    """Every complete entry; a torn last line (power cut mid-write) is ignored."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    out = []
    for raw in b"".join(chunks).split(b"\n"):
        if not raw.strip():
            continue
        try:
            e = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # a torn or damaged line: the entries around it still count
        if isinstance(e, dict):
            out.append(e)
    return out


class _Syncer:
    """The power-cut half of the journal's guarantee, off the paint path.

    :meth:`FileJournal.append` writes each entry with ``write(2)`` before the stroke's handler
    returns: from then on the entry is in the OS page cache and survives the death of the
    process (``kill -9``, a crash). Making it survive a power cut takes an ``fdatasync``,
    which costs 5–20 ms on a busy disk; this thread does it as soon as an entry is written
    (entries written meanwhile share one sync), so the window never waits for the disk.
    """

    def __init__(self, journal: FileJournal) -> None:
        self._journal = journal
        self._cond = threading.Condition()
        self._written = 0   # entries written (generation)
        self._synced = 0    # entries known to be on the disk
        self._busy_fd = -1  # the descriptor being synced right now (never closed under it)
        self._stop = False
        self.error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="hipmap-journal-sync",
                                        daemon=True)
        self._thread.start()

    def written(self) -> None:
        with self._cond:
            self._written += 1
            self._cond.notify_all()

    def synced_all(self) -> None:
        """Everything written so far is known to be on the disk (a rewrite fsyncs itself)."""
        with self._cond:
            self._synced = self._written
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every entry written so far is on the disk; False on timeout."""
        with self._cond:
            target = self._written
            return self._cond.wait_for(
                lambda: self._synced >= target or self._stop, timeout)

    def release_fd(self, fd: int) -> None:
        """Wait until the thread is not syncing ``fd`` (before the caller closes it)."""
        with self._cond:
            self._cond.wait_for(lambda: self._busy_fd != fd)

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop or self._synced < self._written)
                if self._synced >= self._written:
                    return  # stopping, and nothing left to sync
                target, fd = self._written, self._journal._fd
                self._busy_fd = fd
            try:
                if fd >= 0:
                    _SYNC(fd)
                err = None
            except OSError as exc:
                err = exc
            with self._cond:
                self._busy_fd = -1
                if err is not None:
                    self.error = err
                self._synced = max(self._synced, target)
                self._cond.notify_all()


class FileJournal:
    """This window's journal file, locked for as long as the window lives.

    ``append`` returns once the entry is written to the file (a crash of hipmap loses
    nothing); a background thread makes it durable against a power cut within milliseconds
    (``sync()`` waits for that; ``close`` does it before closing).
    """

    def __init__(self, folder: Path, ref: str, fd: int) -> None:
        self.folder = folder
        self.ref = ref
        self.path = folder / f"{ref}{SUFFIX}"
        self._fd = fd
        self._size = os.fstat(fd).st_size
        self._syncer = _Syncer(self)

    def append(self, entry: dict[str, Any]) -> None:
        err, self._syncer.error = self._syncer.error, None
        if err is not None:  # an earlier entry may not be on the disk: say so, and let the
            raise err        # recorder rewrite the journal whole
        data = _line(entry)
        os.lseek(self._fd, 0, os.SEEK_END)
        view = memoryview(data)
        while view:  # in the file (the OS page cache) before the stroke's handler returns
            view = view[os.write(self._fd, view):]
        self._size += len(data)
        self._syncer.written()  # on the disk a few milliseconds later, off the paint path

    def sync(self, timeout: float | None = None) -> bool:
        """Wait until every appended entry is on the disk (True), or ``timeout`` passes."""
        return self._syncer.wait(timeout)

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        """Replace the content atomically: a new locked file renamed over the old one."""
        data = b"".join(_line(e) for e in entries)
        tmp = self.folder / f".{self.ref}.{uuid.uuid4().hex[:8]}.tmp"
        fd = _open_rw(tmp, create=True)
        try:
            if not _Lock.acquire(fd):
                raise OSError("could not lock the new journal")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.replace(tmp, self.path)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(self.folder)
        old, self._fd = self._fd, fd
        self._syncer.synced_all()
        self._syncer.release_fd(old)
        os.close(old)
        self._size = len(data)

    def size(self) -> int:
        return self._size

    def close(self, *, discard: bool) -> None:
        if self._fd < 0:
            return
        try:
            if discard:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
                self._syncer.synced_all()  # nothing left worth syncing
            self._syncer.stop()  # syncs what is left first
        finally:
            _Lock.release(self._fd)
            os.close(self._fd)
            self._fd = -1


class FileClaim:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.ref = path.name.removesuffix(SUFFIX)
        self._fd = fd

    def entries(self) -> list[dict[str, Any]]:
        return _read_entries(self._fd)

    def keep(self) -> None:
        os.lseek(self._fd, 0, os.SEEK_END)
        os.write(self._fd, _line({"n": -1, "t": now_utc(), "op": "kept"}))
        os.fsync(self._fd)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        _fsync_dir(self.path.parent)
        self.release()

    def release(self) -> None:
        if self._fd >= 0:
            _Lock.release(self._fd)
            os.close(self._fd)
            self._fd = -1


@dataclass
class FileJournalStore:
    """Journals as files in ``folder`` (the per-user data folder's ``recovery``)."""

    folder: Path
    _claims: dict[str, FileClaim] = field(default_factory=dict)

    def create(self) -> FileJournal:
        self.folder.mkdir(parents=True, exist_ok=True)
        ref = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        path = self.folder / f"{ref}{SUFFIX}"
        fd = _open_rw(path, create=True)
        if not _Lock.acquire(fd):
            os.close(fd)
            raise OSError("could not lock the recovery journal")
        _fsync_dir(self.folder)
        return FileJournal(self.folder, ref, fd)

    def _paths(self) -> Iterator[Path]:
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return
        for name in names:
            if name.endswith(SUFFIX) and not name.startswith("."):
                yield self.folder / name

    def claim(self, ref: str) -> FileClaim | None:
        """Take an orphan: None if its window is alive or another window took it."""
        path = self.folder / f"{ref}{SUFFIX}"
        try:
            fd = _open_rw(path, create=False)
        except OSError:
            return None
        if not _Lock.acquire(fd):
            os.close(fd)
            return None
        try:
            st = os.fstat(fd)
            if st.st_nlink == 0:  # deleted (or replaced) since we opened it
                raise OSError
            if os.stat(path).st_ino != st.st_ino:
                raise OSError
        except OSError:
            _Lock.release(fd)
            os.close(fd)
            return None
        return FileClaim(path, fd)

    def orphans(self) -> list[Orphan]:
        """Every journal whose window is gone and that holds unsaved work, oldest first.
        Journals with nothing unsaved (the window died right after a save) are removed."""
        from hipmap.core.errors import InputError

        out = []
        for path in self._paths():
            claim = self.claim(path.name.removesuffix(SUFFIX))
            if claim is None:
                continue
            try:
                entries = claim.entries()
                try:
                    orphan = _orphan(claim.ref, entries) if entries else None
                except InputError:
                    orphan = None  # a damaged journal: keep the file, never offer garbage
                    claim.release()
                    continue
                if orphan is None or not orphan.modified:
                    claim.discard()
                    continue
                out.append(orphan)
            finally:
                claim.release()
        return sorted(out, key=lambda o: o.updated)


__all__ = ["FileJournalStore", "JournalStore", "Orphan", "Recorder", "replay"]
