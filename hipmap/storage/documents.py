"""The clinic record behind the window's document-store seam (Qt-free).

:class:`RecordDocumentStore` is a :class:`hipmap.model.store.DocumentStore` whose references
are visits (``visit:12``) and whose versions are the visits' version numbers; every other
reference (a path) goes to the file store it wraps, so File > Open / Save As keep working
as import and export of ``.hipmap.json`` files. A stale save raises :class:`RecordConflict`
(the window's ``VersionConflict``, carrying the record's: who saved, when, both drawings).

It may be used from two threads at once (the window's autosave worker and the window
itself): saves of one store are serialised, and the version a save expects is the last
one this store read or wrote — every save in between was its own.

:func:`compare` says what differs between two drawings (regions, answers) for the conflict
dialog.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hipmap.core.document import Document, loads
from hipmap.i18n import _
from hipmap.model.store import Stored
from hipmap.model.store import VersionConflict as DocumentConflict
from hipmap.storage.errors import BadRecordInput, StorageError
from hipmap.storage.errors import VersionConflict as RecordVersionConflict

if TYPE_CHECKING:
    from hipmap.knowledge.assessment import Assessment
    from hipmap.model.journal import JournalStore
    from hipmap.model.store import DocumentStore, Version
    from hipmap.storage.store import JournalEntry, Store

PREFIX = "visit:"


def visit_ref(visit: int) -> str:
    return f"{PREFIX}{int(visit)}"


def parse_ref(ref: str | None) -> int | None:
    """The visit number of a record reference, None for anything else (a path)."""
    if not ref or not ref.startswith(PREFIX):
        return None
    try:
        return int(ref[len(PREFIX):])
    except ValueError:
        return None


class RecordConflict(DocumentConflict):
    """A stale save of a visit: ``detail`` is the record's conflict (who, when, theirs,
    mine)."""

    def __init__(self, ref: str, detail: RecordVersionConflict) -> None:
        super().__init__(ref, detail.expected, detail.current.version)
        self.detail = detail


@dataclass(frozen=True)
class VisitInfo:
    """What the window shows of the visit it has open."""

    visit: int
    patient: str | None
    recorded_at: datetime | None
    source: str
    version: int


class RecordDocumentStore:
    """Visits of a :class:`~hipmap.storage.store.Store` as documents; paths go to ``files``."""

    def __init__(self, store: Store, files: DocumentStore) -> None:
        self.store = store
        self.files = files
        self.journals: JournalStore = files.journals
        self._lock = threading.RLock()
        self._versions: dict[int, int] = {}
        #: the drawing last read or saved, per visit (compared, never serialised again:
        #: writing out 500 strokes costs far more than the save itself)
        self._saved: dict[int, Document] = {}
        self._info: dict[int, VisitInfo] = {}

    # ------------------------------------------------------------------ the seam
    def open(self, ref: str) -> Stored:
        vid = parse_ref(ref)
        if vid is None:
            return self.files.open(ref)
        v = self.store.get_visit(vid)
        doc = loads(v.document, source=self.name(ref))
        with self._lock:
            self._versions[vid] = v.version
            self._saved[vid] = doc
            self._info[vid] = VisitInfo(vid, v.patient, v.recorded_at, v.source, v.version)
        return Stored(doc, ref, v.version, self.name(ref))

    def save(self, doc: Document, ref: str, *, expected: Version | None,
             assessment: Assessment | None = None) -> Stored:
        """Save a new version of the visit. The version expected is the last one this store
        read or wrote (``expected`` only when it has none)."""
        vid = parse_ref(ref)
        if vid is None:
            return self.files.save(doc, ref, expected=expected)
        with self._lock:
            base = self._versions.get(vid)
            if base is None:
                if not isinstance(expected, int):
                    raise BadRecordInput(_("visit {vid}: the version this drawing started "
                                           "from is unknown; open the visit again").format(
                                               vid=vid))
                base = expected
            try:
                new = self.store.save_visit(vid, doc, expected_version=base,
                                            assessment=assessment,
                                            validated=assessment is not None)
            except RecordVersionConflict as exc:
                raise RecordConflict(ref, exc) from exc
            self._versions[vid] = new
            self._saved[vid] = doc
            # saved: this workstation's database journal of the visit has nothing left
            self.store.journal_clear(vid)
            old = self._info.get(vid)
            pid = old.patient if old and old.patient else _patient_of(doc)
            self._info[vid] = VisitInfo(vid, pid, old.recorded_at if old else None,
                                        old.source if old else "clinician", new)
        return Stored(doc, ref, new, self.name(ref))

    def recent(self) -> list[str]:
        return self.files.recent()

    def name(self, ref: str) -> str:
        vid = parse_ref(ref)
        if vid is None:
            return self.files.name(ref)
        info = self._info.get(vid)
        if info is not None and info.patient:
            return _("Visit {visit} — patient {patient}").format(visit=vid,
                                                                 patient=info.patient)
        return _("Visit {visit}").format(visit=vid)

    # ------------------------------------------------------------------ visits
    def add(self, doc: Document, patient: str, *,
            assessment: Assessment | None = None) -> Stored:
        """Store ``doc`` as a new visit of ``patient`` (created if new)."""
        ref = self.store.add_visit(doc, patient=patient, assessment=assessment,
                                   validated=assessment is not None)
        r = visit_ref(ref.visit)
        with self._lock:
            self._versions[ref.visit] = ref.version
            self._saved[ref.visit] = doc
            self._info[ref.visit] = VisitInfo(ref.visit, ref.patient, _when(doc),
                                              "clinician", ref.version)
        return Stored(doc, r, ref.version, self.name(r))

    def save_over(self, doc: Document, ref: str, version: int,
                  assessment: Assessment | None = None) -> Stored:
        """Save ``doc`` as the version after ``version`` (keep mine in a conflict: theirs
        stays in the revisions)."""
        self.set_version(ref, version)
        return self.save(doc, ref, expected=version, assessment=assessment)

    def set_version(self, ref: str, version: int) -> None:
        vid = parse_ref(ref)
        if vid is not None:
            with self._lock:
                self._versions[vid] = int(version)

    def version_of(self, ref: str | None) -> int | None:
        vid = parse_ref(ref)
        return None if vid is None else self._versions.get(vid)

    def info(self, ref: str | None) -> VisitInfo | None:
        vid = parse_ref(ref)
        return None if vid is None else self._info.get(vid)

    # ------------------------------------------------------------------ the journal
    def journal_put(self, ref: str, doc: Document) -> None:
        """Keep this workstation's unsaved drawing of the visit in the database."""
        vid = parse_ref(ref)
        base = self.version_of(ref)
        if vid is None or base is None:
            return
        if self._saved.get(vid) == doc:  # saved already (the save came first)
            return
        self.store.journal_put(vid, doc.dumps(), base_version=base)

    def journal_clear(self, ref: str) -> None:
        vid = parse_ref(ref)
        if vid is not None:
            self.store.journal_clear(vid)

    def pending(self) -> list[JournalEntry]:
        return self.store.journal_pending()

    def recovered_version(self, ref: str, entries: list[dict[str, Any]]) -> int | None:
        """The version a drawing recovered from this computer's journal was based on: the
        database journal's, else the visit's version when the journal started."""
        vid = parse_ref(ref)
        if vid is None:
            return None
        try:
            entry = self.store.journal_get(vid)
            if entry is not None:
                base = entry.base_version
            else:
                started = next((e.get("t") for e in entries if e.get("t")), None)
                base = self._version_at(vid, started)
        except StorageError:
            return None
        if base is not None:
            self.set_version(ref, base)
        return base

    def _version_at(self, vid: int, when: str | None) -> int | None:
        from hipmap.storage.store import parse_time

        revisions = self.store.revisions(vid)
        if not revisions:
            return None
        if when is None:
            return revisions[-1].version
        t = parse_time(when)
        before = [r.version for r in revisions if _utc(r.saved_at) <= t]
        return max(before) if before else revisions[0].version


def _utc(dt: datetime) -> datetime:
    from datetime import UTC

    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _patient_of(doc: Document) -> str | None:
    pid = (doc.patient or {}).get("id")
    return None if pid is None else str(pid)


def _when(doc: Document) -> datetime | None:
    from hipmap.storage.store import parse_time

    try:
        return parse_time(doc.recorded_at) if doc.recorded_at else None
    except ValueError:
        return None


# ============================================================================ what differs

@dataclass(frozen=True)
class Difference:
    """What differs between my drawing and theirs (region ids, answer ids)."""

    only_mine: tuple[str, ...]
    only_theirs: tuple[str, ...]
    intensity: tuple[tuple[str, float, float], ...]  #: region, mine, theirs
    answers: tuple[tuple[str, Any, Any], ...]  #: answer id, mine, theirs
    marks: tuple[int, int]  #: number of marks: mine, theirs

    @property
    def none(self) -> bool:
        return not (self.only_mine or self.only_theirs or self.intensity or self.answers)


def painted_regions(doc: Document) -> dict[str, float]:
    """Region id -> highest intensity painted there."""
    from hipmap.knowledge.assessment import assess

    return {r.id: float(r.intensity) for r in assess(doc).regions}


def compare(mine: Document, theirs: Document) -> Difference:
    a, b = painted_regions(mine), painted_regions(theirs)
    both = sorted(set(a) & set(b))
    keys = sorted(set(mine.answers) | set(theirs.answers))
    return Difference(
        only_mine=tuple(sorted(set(a) - set(b))),
        only_theirs=tuple(sorted(set(b) - set(a))),
        intensity=tuple((r, a[r], b[r]) for r in both if a[r] != b[r]),
        answers=tuple((k, mine.answers.get(k), theirs.answers.get(k)) for k in keys
                      if mine.answers.get(k) != theirs.answers.get(k)),
        marks=(len(mine.marks), len(theirs.marks)))


__all__ = ["PREFIX", "Difference", "RecordConflict", "RecordDocumentStore", "VisitInfo",
           "compare", "parse_ref", "visit_ref"]
