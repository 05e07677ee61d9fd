"""The clinic record's API, shared by the command line, the app and the kiosk (Qt-free).

    store = open_store()                       # the embedded default, or a URL / HIPMAP_DB
    ref = store.add_visit(doc, patient="P-0042")
    store.save_visit(ref.visit, doc2, expected_version=ref.version)   # VersionConflict if stale
    store.list_visits(patient="P-0042"); store.inbox(); store.watch_inbox().wait(5)

Every method opens its own short transaction, so one ``Store`` may be shared by threads.
Errors are :mod:`hipmap.storage.errors` (one line each); nothing else escapes.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import socket
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, func, insert, select, text, update
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from hipmap.core.document import Document, loads
from hipmap.core.errors import InputError
from hipmap.i18n import _

if TYPE_CHECKING:
    from typing import TypeAlias

    from hipmap.knowledge.assessment import Assessment

    #: what a visit stores as its assessment: the typed one, or its contract JSON
    Snapshot: TypeAlias = Assessment | Mapping[str, Any]
from hipmap.storage import schema as s
from hipmap.storage.engine import describe, make_engine, parse_url, translate
from hipmap.storage.errors import (
    BadRecordInput,
    Change,
    NotFound,
    SchemaError,
    StorageError,
    VersionConflict,
)
from hipmap.storage.migrate import MIGRATIONS

_ID_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None, *, precise: bool = False) -> str | None:
    """UTC ISO 8601 with a Z; seconds unless ``precise``."""
    if dt is None:
        return None
    dt = dt.astimezone(UTC)
    if precise:
        return dt.isoformat().replace("+00:00", "Z")
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> datetime:
    """An ISO 8601 date or date-time; a time without a zone is taken as UTC."""
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        d = date.fromisoformat(value)
        dt = datetime(d.year, d.month, d.day)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def patient_id(value: Any) -> str:
    """A patient id as stored: a string of 1-64 printable characters (numbers become text)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadRecordInput(_("a patient id must be text such as P-0042"))
    pid = str(value).strip()
    if not _ID_RE.match(pid):
        raise BadRecordInput(_("patient id {patient} must be 1 to 64 printable characters").format(
            patient=json.dumps(pid)[:70]))
    return pid


def visit_id(value: Any) -> int:
    try:
        vid = int(str(value).strip())
    except ValueError:
        raise BadRecordInput(_("{value} is not a visit number").format(
            value=repr(str(value)[:40]))) from None
    if not 1 <= vid < 2**31:
        raise BadRecordInput(_("{vid} is not a visit number").format(vid=vid))
    return vid


# ----------------------------------------------------------------------------- values

@dataclass(frozen=True)
class Patient:
    id: str
    name: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    created_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "birth_date": self.birth_date,
                "sex": self.sex, "created_at": iso(self.created_at)}


@dataclass(frozen=True)
class VisitRef:
    patient: str | None
    visit: int
    version: int

    def to_json(self) -> dict[str, Any]:
        return {"patient": self.patient, "visit": self.visit, "version": self.version}


@dataclass(frozen=True)
class CheckIn:
    """How a kiosk submission is matched to a patient at the desk: a check-in code, or date
    of birth and initials — whatever the clinic configures, and nothing more."""

    code: str | None = None
    birth_date: str | None = None
    initials: str | None = None

    def __post_init__(self) -> None:
        if self.code is not None and not re.fullmatch(r"[A-Za-z0-9-]{1,32}", self.code):
            raise BadRecordInput(_("a check-in code is 1 to 32 letters, digits or dashes"))
        if self.birth_date is not None:
            try:
                date.fromisoformat(self.birth_date)
            except ValueError:
                raise BadRecordInput(_("a date of birth is YYYY-MM-DD")) from None
        if self.initials is not None and not re.fullmatch(r"[^\W\d_]{1,8}", self.initials):
            raise BadRecordInput(_("initials are 1 to 8 letters"))

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in (("code", self.code), ("birth_date", self.birth_date),
                                  ("initials", self.initials)) if v is not None}


@dataclass(frozen=True)
class VisitSummary:
    visit: int
    patient: str | None
    recorded_at: datetime
    source: str
    urgency: str | None
    top_cause: str | None
    version: int
    red_flags: list[dict[str, Any]] = field(default_factory=list)
    updated_at: datetime | None = None
    updated_by: str | None = None
    updated_on: str | None = None
    opened_at: datetime | None = None
    opened_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"visit": self.visit, "patient": self.patient,
                "recorded_at": iso(self.recorded_at), "source": self.source,
                "urgency": self.urgency, "top_cause": self.top_cause, "version": self.version}


@dataclass(frozen=True)
class Visit(VisitSummary):
    document: str = ""
    assessment: dict[str, Any] | None = None
    knowledge_version: str | None = None
    created_at: datetime | None = None
    checkin: CheckIn | None = None


@dataclass(frozen=True)
class Revision:
    visit: int
    version: int
    saved_at: datetime
    saved_by: str | None
    workstation: str | None
    db_user: str | None
    action: str

    def to_json(self) -> dict[str, Any]:
        return {"visit": self.visit, "version": self.version,
                "saved_at": iso(self.saved_at, precise=True), "saved_by": self.saved_by,
                "workstation": self.workstation, "db_user": self.db_user,
                "action": self.action}


@dataclass(frozen=True)
class InboxItem:
    visit: int
    recorded_at: datetime
    submitted_at: datetime
    urgency: str | None
    red_flags: list[dict[str, Any]]
    checkin: CheckIn | None
    patient: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"visit": self.visit, "source": "kiosk", "recorded_at": iso(self.recorded_at),
                "submitted_at": iso(self.submitted_at), "urgency": self.urgency,
                "red_flags": self.red_flags,
                "checkin": self.checkin.to_json() if self.checkin else {},
                "patient": self.patient}


@dataclass(frozen=True)
class JournalEntry:
    visit: int
    workstation: str
    saved_by: str | None
    saved_at: datetime
    base_version: int
    payload: str


@dataclass(frozen=True)
class _Prepared:
    doc: Document | None
    text: str
    assessment: dict[str, Any]


def summary_of(assessment: dict[str, Any]) -> dict[str, Any]:
    """The columns a list or the inbox shows, taken from an assessment."""
    urgency = assessment.get("urgency")
    ranking = assessment.get("ranking") or []
    top = None
    if ranking and not assessment.get("nothing_recorded"):
        top = ranking[0].get("cause")
    flags = [{k: f[k] for k in ("id", "urgency", "message") if k in f}
             for f in assessment.get("red_flags") or [] if isinstance(f, dict) and "id" in f]
    kv = assessment.get("knowledge_version") or (assessment.get("knowledge_base") or {}
                                                 ).get("version")
    return {"urgency": urgency if urgency in s.URGENCIES else None, "top_cause": top,
            "red_flags": json.dumps(flags, ensure_ascii=False),
            "knowledge_version": str(kv) if kv is not None else None}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ----------------------------------------------------------------------------- the store

class Store:
    """One clinic record (a database). Create with :func:`open_store`."""

    def __init__(self, engine: Engine, url: URL, *, user: str | None = None,
                 workstation: str | None = None, migrations: Path = MIGRATIONS) -> None:
        self.engine = engine
        self.url = url
        self.backend = engine.dialect.name  # "sqlite" | "postgresql"
        self.migrations = migrations
        self.user = user or os.environ.get("HIPMAP_USER") or _login_name()
        self.workstation = workstation or socket.gethostname() or "unknown"
        self._db_user: str | None = None

    # ------------------------------------------------------------------ plumbing
    @property
    def where(self) -> str:
        """The database, for messages (never with a password)."""
        return describe(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write and self.backend == "sqlite":
                    conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    yield conn
        except (StorageError, InputError):
            raise
        except SQLAlchemyError as exc:
            raise translate(exc, self.url) from exc

    def _insert(self) -> Any:
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert

    def _who(self, conn: Connection) -> str | None:
        if self.backend != "postgresql":
            return None
        if self._db_user is None:
            self._db_user = conn.execute(text("SELECT session_user")).scalar()
        return self._db_user

    def _prepare(self, document: Document | str | bytes, assessment: Snapshot | None,
                 validated: bool, source_name: str = "<input>") -> _Prepared:
        doc: Document | None
        if isinstance(document, Document):
            doc, text_ = document, document.dumps()
        elif isinstance(document, str | bytes):
            text_ = document.decode("utf-8-sig") if isinstance(document, bytes) \
                else document.removeprefix("\ufeff")
            doc = None if validated and assessment is not None else loads(
                document, source=source_name)
        else:
            raise TypeError("document must be a Document, str or bytes")
        if assessment is None:
            from hipmap.knowledge.assessment import assess

            assert doc is not None
            assessment = assess(doc)
        # the snapshot is the contract's JSON (given as such by a caller that has it already)
        snapshot = dict(assessment) if isinstance(assessment, Mapping) else assessment.to_json()
        return _Prepared(doc, text_, snapshot)

    # ------------------------------------------------------------------ patients
    def _ensure_patient(self, conn: Connection, pid: str,
                        header: dict[str, Any] | None = None) -> None:
        header = header or {}

        def field_(key: str, limit: int) -> str | None:
            v = header.get(key)
            return v[:limit] if isinstance(v, str) and v.strip() else None

        stmt = self._insert()(s.patients).values(
            id=pid, name=field_("name", 200), birth_date=field_("birth_date", 10),
            sex=field_("sex", 20), created_at=now(), created_by=self.user)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))

    def open_patient(self, pid: Any, *, name: str | None = None,
                     birth_date: str | None = None, sex: str | None = None) -> Patient:
        """The patient with this id, created if new (with the details given)."""
        pid = patient_id(pid)
        if birth_date is not None:
            try:
                date.fromisoformat(birth_date)
            except ValueError:
                raise BadRecordInput(_("a date of birth is YYYY-MM-DD")) from None
        with self._tx(write=True) as conn:
            self._ensure_patient(conn, pid, {"name": name, "birth_date": birth_date,
                                             "sex": sex})
            row = conn.execute(select(s.patients).where(s.patients.c.id == pid)).one()
            updates = {k: v for k, v in (("name", name), ("birth_date", birth_date),
                                         ("sex", sex)) if v and getattr(row, k) != v}
            if updates:
                conn.execute(update(s.patients).where(s.patients.c.id == pid).values(
                    **updates))
                row = conn.execute(select(s.patients).where(s.patients.c.id == pid)).one()
        return _patient(row)

    def get_patient(self, pid: Any) -> Patient | None:
        pid = patient_id(pid)
        with self._tx() as conn:
            row = conn.execute(select(s.patients).where(s.patients.c.id == pid)).first()
        return _patient(row) if row else None

    def search_patients(self, query: str, limit: int = 20) -> list[Patient]:
        """Patients whose id starts with, or whose name contains, ``query`` (any case)."""
        q = query.strip()
        if not q:
            return []
        p = s.patients.c
        stmt = (select(s.patients)
                .where(p.id.istartswith(q, autoescape=True)
                       | p.name.icontains(q, autoescape=True))
                .order_by(p.id).limit(limit))
        with self._tx() as conn:
            return [_patient(r) for r in conn.execute(stmt)]

    def recent_patients(self, limit: int = 10) -> list[Patient]:
        """The patients whose visits changed most recently, newest first."""
        last = (select(s.visits.c.patient_id, func.max(s.visits.c.updated_at).label("last"))
                .where(s.visits.c.patient_id.is_not(None))
                .group_by(s.visits.c.patient_id).subquery())
        stmt = (select(s.patients).join(last, last.c.patient_id == s.patients.c.id)
                .order_by(last.c.last.desc(), s.patients.c.id).limit(limit))
        with self._tx() as conn:
            return [_patient(r) for r in conn.execute(stmt)]

    # ------------------------------------------------------------------ visits
    def add_visit(self, document: Document | str | bytes, *, patient: Any = None,
                  assessment: Snapshot | None = None,
                  recorded_at: datetime | None = None, validated: bool = False,
                  source_name: str = "<input>") -> VisitRef:
        """Store a drawing as a new visit (version 1) of ``patient`` — else of the document's
        ``patient.id`` — creating the patient if new (the document is stored as given).
        ``assessment`` defaults to assessing the document now; ``validated`` (with an
        assessment): the text is the app's own, already valid."""
        p = self._prepare(document, assessment, validated, source_name)
        doc_pid = _doc_patient(p.doc)
        if patient is None and doc_pid is None:
            raise BadRecordInput(_("no patient: give --patient ID, or a patient.id in the "
                                 "document"))
        # The contract: --patient wins over the document's own patient.id.
        pid = patient_id(patient if patient is not None else doc_pid)
        when = recorded_at or _doc_time(p.doc) or now()
        # The header's details (name, sex ...) only when it is about this patient.
        header = p.doc.patient if p.doc and (doc_pid is None or str(doc_pid) == pid) else None
        with self._tx(write=True) as conn:
            self._ensure_patient(conn, pid, header)
            vid = self._insert_visit(conn, p, pid=pid, source="clinician", when=when,
                                     action="add")
        return VisitRef(pid, vid, 1)

    def _insert_visit(self, conn: Connection, p: _Prepared, *, pid: str | None, source: str,
                      when: datetime, action: str, checkin: CheckIn | None = None) -> int:
        t = now()
        res = conn.execute(insert(s.visits).values(
            patient_id=pid, recorded_at=when, source=source, version=1, created_at=t,
            updated_at=t, updated_by=self.user, updated_on=self.workstation,
            checkin_code=checkin.code if checkin else None,
            checkin_birth_date=checkin.birth_date if checkin else None,
            checkin_initials=checkin.initials if checkin else None,
            **summary_of(p.assessment)))
        vid = int(res.inserted_primary_key[0])
        conn.execute(insert(s.revisions).values(
            visit_id=vid, version=1, saved_at=t, saved_by=self.user,
            workstation=self.workstation, db_user=self._who(conn), action=action,
            document=p.text, assessment=_dumps(p.assessment)))
        return vid

    def save_visit(self, visit: Any, document: Document | str | bytes, *,
                   expected_version: int, assessment: Snapshot | None = None,
                   validated: bool = False, source_name: str = "<input>") -> int:
        """Save a new version of the visit's drawing if it is still at ``expected_version``;
        returns the new version. Raises :class:`VersionConflict` (who, when, both documents)
        when someone saved it in between; nothing is overwritten — every version stays in
        ``revisions``."""
        vid = visit_id(visit)
        p = self._prepare(document, assessment, validated, source_name)
        doc_pid = _doc_patient(p.doc)
        summary = summary_of(p.assessment)
        assessment_json = _dumps(p.assessment)
        with self._tx(write=True) as conn:
            row = conn.execute(_SAVE_READ, {"b_id": vid}).first()
            if row is None:
                raise NotFound(_("there is no visit {vid} in {where}").format(
                    vid=vid, where=self.where))
            if row.version != expected_version:
                theirs = conn.execute(_REVISION_DOC, {"b_id": vid, "b_version": row.version}
                                      ).scalar_one()
                raise VersionConflict(vid, expected_version,
                                      Change(row.version, row.updated_by, row.updated_on,
                                             row.updated_at), theirs=theirs, mine=p.text)
            pid = row.patient_id
            if pid is None and doc_pid is not None:  # a kiosk submission gets its patient
                pid = patient_id(doc_pid)
                self._ensure_patient(conn, pid, p.doc.patient if p.doc else None)
            new = expected_version + 1
            t = now()
            conn.execute(_INSERT_REVISION, {
                "visit_id": vid, "version": new, "saved_at": t, "saved_by": self.user,
                "workstation": self.workstation, "db_user": self._who(conn), "action": "update",
                "document": p.text, "assessment": assessment_json})
            done = conn.execute(_SAVE_UPDATE, {
                "b_id": vid, "b_expected": expected_version, "b_version": new, "b_patient": pid,
                "b_at": t, "b_by": self.user, "b_on": self.workstation,
                **{f"b_{k}": val for k, val in summary.items()}})
            if done.rowcount != 1:  # cannot happen under the row lock; never save blind
                raise StorageError(_("visit {vid} changed while saving: nothing saved").format(
                    vid=vid))
        return new

    def assign_patient(self, visit: Any, patient: Any) -> None:
        """Give a kiosk submission its patient (created if new)."""
        vid, pid = visit_id(visit), patient_id(patient)
        with self._tx(write=True) as conn:
            cur = conn.execute(select(s.visits.c.patient_id).where(s.visits.c.id == vid)
                               ).first()
            if cur is None:
                raise NotFound(_("there is no visit {vid} in {where}").format(
                    vid=vid, where=self.where))
            if cur.patient_id not in (None, pid):
                raise BadRecordInput(_("visit {vid} already belongs to {patient_id}").format(
                    vid=vid, patient_id=cur.patient_id))
            self._ensure_patient(conn, pid)
            conn.execute(update(s.visits).where(s.visits.c.id == vid).values(patient_id=pid))

    def get_visit(self, visit: Any) -> Visit:
        vid = visit_id(visit)
        v, r = s.visits.c, s.revisions.c
        stmt = (select(s.visits, r.document, r.assessment)
                .join(s.revisions, and_(r.visit_id == v.id, r.version == v.version))
                .where(v.id == vid))
        with self._tx() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(_("there is no visit {vid} in {where}").format(
                vid=vid, where=self.where))
        return _visit(row)

    def list_visits(self, patient: Any = None, *, limit: int | None = None,
                    oldest_first: bool = False) -> list[VisitSummary]:
        """Visits newest first (``recorded_at``, then visit number), optionally of one
        patient."""
        v = s.visits.c
        order = (v.recorded_at.asc(), v.id.asc()) if oldest_first else \
            (v.recorded_at.desc(), v.id.desc())
        stmt = select(*_SUMMARY_COLS).order_by(*order)
        if patient is not None:
            stmt = stmt.where(v.patient_id == patient_id(patient))
        if limit:
            stmt = stmt.limit(limit)
        with self._tx() as conn:
            return [_summary(r) for r in conn.execute(stmt)]

    def visits_with_assessments(self, patient: Any) -> list[tuple[VisitSummary,
                                                                  dict[str, Any] | None]]:
        """A patient's visits, oldest first, each with its current assessment snapshot."""
        pid = patient_id(patient)
        v, r = s.visits.c, s.revisions.c
        stmt = (select(*_SUMMARY_COLS, r.assessment)
                .join(s.revisions, and_(r.visit_id == v.id, r.version == v.version))
                .where(v.patient_id == pid).order_by(v.recorded_at, v.id))
        with self._tx() as conn:
            rows = conn.execute(stmt).all()
        return [(_summary(row), json.loads(row.assessment) if row.assessment else None)
                for row in rows]

    def visit_documents(self, patient: Any) -> list[tuple[VisitSummary, str,
                                                          dict[str, Any] | None]]:
        """A patient's visits, oldest first, each with its current document and assessment."""
        pid = patient_id(patient)
        v, r = s.visits.c, s.revisions.c
        stmt = (select(*_SUMMARY_COLS, r.document, r.assessment)
                .join(s.revisions, and_(r.visit_id == v.id, r.version == v.version))
                .where(v.patient_id == pid).order_by(v.recorded_at, v.id))
        with self._tx() as conn:
            rows = conn.execute(stmt).all()
        return [(_summary(row), row.document,
                 json.loads(row.assessment) if row.assessment else None) for row in rows]

    def revisions(self, visit: Any) -> list[Revision]:
        """Every saved version of a visit, oldest first (who, where, when)."""
        vid = visit_id(visit)
        r = s.revisions.c
        stmt = (select(r.visit_id, r.version, r.saved_at, r.saved_by, r.workstation,
                       r.db_user, r.action).where(r.visit_id == vid).order_by(r.version))
        with self._tx() as conn:
            return [Revision(row.visit_id, row.version, row.saved_at, row.saved_by,
                             row.workstation, row.db_user, row.action)
                    for row in conn.execute(stmt)]

    def revision_document(self, visit: Any, version: int) -> str:
        vid = visit_id(visit)
        r = s.revisions.c
        with self._tx() as conn:
            doc = conn.execute(select(r.document).where(
                r.visit_id == vid, r.version == int(version))).scalar()
        if doc is None:
            raise NotFound(_("visit {vid} has no version {version}").format(
                vid=vid, version=version))
        return doc

    def mark_opened(self, visit: Any, *, by: str | None = None) -> bool:
        """Record that a clinician opened the visit (it leaves the inbox). True the first
        time."""
        vid = visit_id(visit)
        v = s.visits.c
        with self._tx(write=True) as conn:
            done = conn.execute(update(s.visits).where(v.id == vid, v.opened_at.is_(None))
                                .values(opened_at=now(), opened_by=by or self.user))
            if done.rowcount == 0 and conn.execute(
                    select(v.id).where(v.id == vid)).first() is None:
                raise NotFound(_("there is no visit {vid} in {where}").format(
                    vid=vid, where=self.where))
        return done.rowcount == 1

    # ------------------------------------------------------------------ the kiosk
    def submit_kiosk(self, document: Document | str | bytes, *,
                     checkin: CheckIn | None = None,
                     assessment: Snapshot | None = None,
                     recorded_at: datetime | None = None) -> int:
        """Store a kiosk submission (source ``kiosk``, no patient yet) for the inbox; returns
        its visit number. On PostgreSQL it goes through ``hipmap_submit_kiosk()``, the one
        thing the kiosk role may do."""
        p = self._prepare(document, assessment, False)
        when = recorded_at or _doc_time(p.doc) or now()
        if self.backend == "postgresql":
            summary = summary_of(p.assessment)
            with self._tx() as conn:
                return int(conn.execute(text(
                    "SELECT hipmap_submit_kiosk(:doc, :a, :rec, :urg, :top, :flags, :kv, "
                    ":code, :dob, :ini, :by, :ws)"), {
                        "doc": p.text, "a": _dumps(p.assessment), "rec": when,
                        "urg": summary["urgency"], "top": summary["top_cause"],
                        "flags": summary["red_flags"], "kv": summary["knowledge_version"],
                        "code": checkin.code if checkin else None,
                        "dob": checkin.birth_date if checkin else None,
                        "ini": checkin.initials if checkin else None,
                        "by": self.user, "ws": self.workstation}).scalar_one())
        with self._tx(write=True) as conn:
            return self._insert_visit(conn, p, pid=None, source="kiosk", when=when,
                                      action="submit", checkin=checkin)

    def inbox(self) -> list[InboxItem]:
        """Kiosk submissions no clinician has opened yet, oldest first."""
        v = s.visits.c
        stmt = (select(v.id, v.recorded_at, v.created_at, v.urgency, v.red_flags,
                       v.checkin_code, v.checkin_birth_date, v.checkin_initials, v.patient_id)
                .where(v.source == "kiosk", v.opened_at.is_(None))
                .order_by(v.created_at, v.id))
        with self._tx() as conn:
            rows = conn.execute(stmt).all()
        return [InboxItem(r.id, r.recorded_at, r.created_at, r.urgency,
                          json.loads(r.red_flags) if r.red_flags else [], _checkin(r),
                          r.patient_id) for r in rows]

    def watch_inbox(self, interval: float = 0.5) -> Any:
        """A watcher: ``poll()`` says (at once) whether the inbox changed since the last
        call; ``wait(timeout)`` blocks until it does. PostgreSQL: LISTEN/NOTIFY; SQLite:
        ``PRAGMA data_version``. Close it when done."""
        from hipmap.storage.watch import make_inbox_watcher

        return make_inbox_watcher(self, interval)

    # ------------------------------------------------------------------ the journal
    def journal_put(self, visit: Any, payload: str, *, base_version: int) -> None:
        """Keep this workstation's unsaved edits of a stored visit (the recovery journal)."""
        vid = visit_id(visit)
        values = {"visit_id": vid, "workstation": self.workstation, "saved_by": self.user,
                  "saved_at": now(), "base_version": base_version, "payload": payload}
        stmt = self._insert()(s.journal).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["visit_id", "workstation"],
            set_={k: values[k] for k in ("saved_by", "saved_at", "base_version", "payload")})
        with self._tx(write=True) as conn:
            conn.execute(stmt)

    def journal_get(self, visit: Any) -> JournalEntry | None:
        vid = visit_id(visit)
        j = s.journal.c
        with self._tx() as conn:
            row = conn.execute(select(s.journal).where(
                j.visit_id == vid, j.workstation == self.workstation)).first()
        return JournalEntry(row.visit_id, row.workstation, row.saved_by, row.saved_at,
                            row.base_version, row.payload) if row else None

    def journal_pending(self) -> list[JournalEntry]:
        """This workstation's journal entries (visits with unsaved edits after a crash)."""
        j = s.journal.c
        with self._tx() as conn:
            rows = conn.execute(select(s.journal).where(j.workstation == self.workstation)
                                .order_by(j.saved_at)).all()
        return [JournalEntry(r.visit_id, r.workstation, r.saved_by, r.saved_at,
                             r.base_version, r.payload) for r in rows]

    def journal_clear(self, visit: Any) -> None:
        vid = visit_id(visit)
        j = s.journal.c
        with self._tx(write=True) as conn:
            conn.execute(s.journal.delete().where(j.visit_id == vid,
                                                  j.workstation == self.workstation))

    # ------------------------------------------------------------------ the database
    def counts(self) -> dict[str, int]:
        with self._tx() as conn:
            return {t: int(conn.execute(select(func.count()).select_from(
                s.metadata.tables[t])).scalar_one()) for t in s.TABLES}

    def schema_revision(self) -> str | None:
        from hipmap.storage.migrate import current_revision

        with self._tx() as conn:
            return current_revision(conn)


# The autosave path's statements, built once (constructing them costs ~1 ms per save).
_SAVE_READ = (select(s.visits.c.version, s.visits.c.patient_id, s.visits.c.updated_by,
                     s.visits.c.updated_on, s.visits.c.updated_at)
              .where(s.visits.c.id == bindparam("b_id")).with_for_update())
_REVISION_DOC = select(s.revisions.c.document).where(
    s.revisions.c.visit_id == bindparam("b_id"), s.revisions.c.version == bindparam("b_version"))
_INSERT_REVISION = insert(s.revisions)
_SAVE_UPDATE = (update(s.visits)
                .where(s.visits.c.id == bindparam("b_id"),
                       s.visits.c.version == bindparam("b_expected"))
                .values(version=bindparam("b_version"), patient_id=bindparam("b_patient"),
                        updated_at=bindparam("b_at"), updated_by=bindparam("b_by"),
                        updated_on=bindparam("b_on"), urgency=bindparam("b_urgency"),
                        top_cause=bindparam("b_top_cause"), red_flags=bindparam("b_red_flags"),
                        knowledge_version=bindparam("b_knowledge_version")))

_SUMMARY_COLS = (s.visits.c.id, s.visits.c.patient_id, s.visits.c.recorded_at,
                 s.visits.c.source, s.visits.c.urgency, s.visits.c.top_cause,
                 s.visits.c.version, s.visits.c.red_flags, s.visits.c.updated_at,
                 s.visits.c.updated_by, s.visits.c.updated_on, s.visits.c.opened_at,
                 s.visits.c.opened_by)


def _flags(text_: str | None) -> list[dict[str, Any]]:
    return json.loads(text_) if text_ and text_ != "[]" else []


def _summary(r: Any) -> VisitSummary:
    # By position, in _SUMMARY_COLS order: listing 10,000 visits is ~3x faster than by name.
    vid, pid, rec, src, urg, top, ver, flags, upd, by, on, opened, opened_by = r[:13]
    return VisitSummary(vid, pid, rec, src, urg, top, ver, _flags(flags), upd, by, on, opened,
                        opened_by)


def _visit(r: Any) -> Visit:
    return Visit(r.id, r.patient_id, r.recorded_at, r.source, r.urgency, r.top_cause,
                 r.version, json.loads(r.red_flags) if r.red_flags else [], r.updated_at,
                 r.updated_by, r.updated_on, r.opened_at, r.opened_by, document=r.document,
                 assessment=json.loads(r.assessment) if r.assessment else None,
                 knowledge_version=r.knowledge_version, created_at=r.created_at,
                 checkin=_checkin(r))


def _checkin(r: Any) -> CheckIn | None:
    if r.checkin_code is None and r.checkin_birth_date is None and r.checkin_initials is None:
        return None
    return CheckIn(r.checkin_code, r.checkin_birth_date, r.checkin_initials)


def _patient(r: Any) -> Patient:
    return Patient(r.id, r.name, r.birth_date, r.sex, r.created_at)


def _doc_patient(doc: Document | None) -> Any:
    if doc is None or not doc.patient:
        return None
    return doc.patient.get("id")


def _doc_time(doc: Document | None) -> datetime | None:
    if doc is None or not doc.recorded_at:
        return None
    return parse_time(doc.recorded_at)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


# ----------------------------------------------------------------------------- opening

def open_store(url: str | None = None, *, user: str | None = None,
               workstation: str | None = None, check_schema: bool = True,
               migrations: Path = MIGRATIONS, pool_size: int | None = None) -> Store:
    """Open the record at ``url`` (default: ``HIPMAP_DB``, else the embedded SQLite file).

    SQLite is created and upgraded here on first use. A PostgreSQL server is never upgraded
    here: an older (or missing) schema raises :class:`SchemaError` saying to run
    ``hipmap db upgrade``. ``check_schema=False`` skips the check (for ``db upgrade``).
    """
    if url is None:
        url = os.environ.get("HIPMAP_DB") or None
    u, default = parse_url(url)
    engine = make_engine(u, default=default, pool_size=pool_size)
    store = Store(engine, u, user=user, workstation=workstation, migrations=migrations)
    try:
        if check_schema:
            ensure_schema(store)
        else:
            with engine.connect():
                pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise translate(exc, u, connecting=True) from exc
    except BaseException:
        engine.dispose()
        raise
    return store


def ensure_schema(store: Store) -> None:
    """SQLite: create or upgrade the schema now. PostgreSQL: refuse an old or missing one."""
    from hipmap.storage.migrate import current_revision

    head = s.HEAD if store.migrations == MIGRATIONS else _head(store.migrations)
    with store.engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
    if current == head:
        return
    known = _known(store.migrations)
    if current is not None and current not in known:
        raise SchemaError(_("the database {where} was written by a newer hipmap (schema "
                            "{current}; this hipmap knows up to {head}): update hipmap").format(
                                where=store.where, current=current, head=head))
    if store.backend == "sqlite":
        upgrade_schema(store)
        return
    if current is None:
        raise SchemaError(_("the database {where} has no hipmap schema yet: run 'hipmap db "
                            "upgrade' with this --db as its owner").format(where=store.where))
    raise SchemaError(_("the database {where} has an older hipmap schema ({current}; this hipmap "
                        "needs {head}): ask its administrator to run 'hipmap db upgrade'").format(
                            where=store.where, current=current, head=head))


def upgrade_schema(store: Store, target: str = "head") -> tuple[str | None, str | None]:
    """Create or upgrade the schema; returns (before, after)."""
    from hipmap.storage.migrate import current_revision, upgrade

    try:
        with store.engine.connect() as conn:
            if store.backend == "sqlite":
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                before = current_revision(conn)
                if before is not None and before not in _known(store.migrations):
                    raise SchemaError(_("the database {where} was written by a newer hipmap "
                                        "(schema {before}): update hipmap").format(
                                            where=store.where, before=before))
                upgrade(conn, target, store.migrations)
                after = current_revision(conn)
    except SQLAlchemyError as exc:
        raise translate(exc, store.url) from exc
    return before, after


def _head(location: Path) -> str:
    from hipmap.storage.migrate import script_head

    return script_head(location)


def _known(location: Path) -> Sequence[str]:
    from hipmap.storage.migrate import known_revisions

    return known_revisions(location)
