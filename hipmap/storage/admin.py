"""Looking after the record: integrity check, portable backup and restore, PostgreSQL roles.

The backup (``hipmap.backup/1``) is gzip-compressed JSON Lines: a header, one line per
patient, visit, revision and journal entry (every column, times in UTC ISO 8601 with
microseconds), and an end line with the counts. It does not depend on the backend: a backup
of an SQLite file restores into PostgreSQL and back, identical. The file is written 0600
and atomically (a crash leaves no half backup under the name).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, and_, func, insert, select, text

from hipmap.i18n import _
from hipmap.storage import schema as s
from hipmap.storage.errors import BadRecordInput
from hipmap.storage.store import Store, iso

BACKUP_FORMAT = "hipmap.backup/1"
BATCH = 500


# ----------------------------------------------------------------------------- check

def check(store: Store) -> tuple[list[str], dict[str, Any]]:
    """Problems found (empty when sound) and what was checked."""
    from hipmap.storage.migrate import current_revision

    problems: list[str] = []
    v, r = s.visits.c, s.revisions.c
    with store._tx() as conn:
        revision = current_revision(conn)
        head = s.HEAD
        if revision != head:
            problems.append(f"schema is {revision}, this hipmap expects {head}")
        if store.backend == "sqlite":
            for (msg,) in conn.exec_driver_sql("PRAGMA integrity_check").all():
                if msg != "ok":
                    problems.append(f"sqlite integrity: {msg}")
            for row in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
                problems.append(f"sqlite foreign key: table {row[0]} row {row[1]} refers to "
                                f"a missing {row[2]}")
        # Every visit points at a stored revision, and its versions run 1..version.
        for row in conn.execute(
                select(v.id, v.version, func.count(r.id), func.min(r.version),
                       func.max(r.version))
                .select_from(s.visits.outerjoin(s.revisions, r.visit_id == v.id))
                .group_by(v.id, v.version)):
            vid, ver, n, lo, hi = row
            if n != ver or lo != 1 or hi != ver:
                problems.append(f"visit {vid} is at version {ver} but has revisions "
                                f"{lo}..{hi} ({n} stored)")
        orphans = conn.execute(select(func.count()).select_from(s.revisions).where(
            ~r.visit_id.in_(select(v.id)))).scalar_one()
        if orphans:
            problems.append(f"{orphans} revisions belong to no visit")
        # Every current drawing reads as a document; the list columns match it.
        stmt = (select(v.id, v.urgency, v.top_cause, r.document, r.assessment)
                .join(s.revisions, and_(r.visit_id == v.id, r.version == v.version))
                .order_by(v.id))
        n_docs = 0
        for row in conn.execution_options(yield_per=200).execute(stmt):
            n_docs += 1
            try:
                doc = json.loads(row.document)
                if not str(doc.get("format", "")).startswith("hipmap.drawing/"):
                    raise ValueError("no hipmap.drawing format")
            except (ValueError, AttributeError) as exc:
                problems.append(f"visit {row.id}: its drawing is not a hipmap document ({exc})")
            if row.assessment:
                from hipmap.storage.store import summary_of

                try:
                    want = summary_of(json.loads(row.assessment))
                except (ValueError, AttributeError):
                    problems.append(f"visit {row.id}: its assessment is not JSON")
                    continue
                if (want["urgency"], want["top_cause"]) != (row.urgency, row.top_cause):
                    problems.append(f"visit {row.id}: urgency/top cause "
                                    f"{row.urgency}/{row.top_cause} differ from its assessment "
                                    f"{want['urgency']}/{want['top_cause']}")
        counts = {t: int(conn.execute(select(func.count()).select_from(
            s.metadata.tables[t])).scalar_one()) for t in s.TABLES}
    return problems, {"schema": revision, "documents": n_docs, **counts}


# ----------------------------------------------------------------------------- backup

def _row_json(table: Table, row: Any) -> dict[str, Any]:
    out = {}
    for col in table.columns:
        val = getattr(row, col.name)
        out[col.name] = iso(val, precise=True) if isinstance(val, datetime) else val
    return out


def backup(store: Store, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write every patient, visit, revision and journal entry to ``path``; returns counts."""
    import hipmap

    out = Path(path)
    if not out.parent.is_dir():
        raise BadRecordInput(_("{out}: the folder does not exist").format(out=out))
    if out.is_dir():
        raise BadRecordInput(_("{out}: is a folder; give a file name").format(out=out))
    counts = {t: 0 for t in s.TABLES}
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb",
                                                       compresslevel=6, mtime=0) as gz:
            def emit(obj: dict[str, Any]) -> None:
                gz.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(
                    "utf-8") + b"\n")

            with _snapshot(store) as conn:
                from hipmap.storage.migrate import current_revision

                emit({"format": BACKUP_FORMAT, "schema": current_revision(conn),
                      "hipmap": hipmap.__version__, "backend": store.backend,
                      "created_at": iso(datetime.now(UTC), precise=True)})
                for name in s.TABLES:
                    table = s.metadata.tables[name]
                    stmt = select(table).order_by(*table.primary_key.columns)
                    for row in conn.execution_options(yield_per=BATCH).execute(stmt):
                        emit({name: _row_json(table, row)})
                        counts[name] += 1
            emit({"end": counts})
            gz.flush()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return counts


@contextlib.contextmanager
def _snapshot(store: Store) -> Iterator[Any]:
    """A read transaction that sees one consistent state of the whole record."""
    from sqlalchemy.exc import SQLAlchemyError

    from hipmap.storage.engine import translate

    try:
        with store.engine.connect() as conn:
            if store.backend == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
    except SQLAlchemyError as exc:
        raise translate(exc, store.url) from exc


def _open_backup(path: Path) -> IO[bytes]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - returned to the caller
    except FileNotFoundError:
        raise BadRecordInput(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise BadRecordInput(_("{path}: is a folder, not a backup").format(path=path)) from None
    except PermissionError:
        raise BadRecordInput(_("{path}: permission denied").format(path=path)) from None
    if fh.read(2) == b"\x1f\x8b":
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    fh.seek(0)
    return fh


def _read_backup(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_backup(path) as fh:
        try:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    raise BadRecordInput(_("{path}: line {n} is not JSON: not a hipmap backup, or "
                                           "damaged").format(path=path, n=n)) from None
                if not isinstance(obj, dict) or len(obj) < 1:
                    raise BadRecordInput(_("{path}: line {n} is not a backup record").format(
                        path=path, n=n))
                yield n, obj
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise BadRecordInput(_("{path}: the backup is damaged or cut short ({reason})").format(
                path=path, reason=exc)
                                 ) from None
        except UnicodeDecodeError:
            raise BadRecordInput(_("{path}: not a hipmap backup (not UTF-8)").format(
                path=path)) from None


def restore(store: Store, path: str | os.PathLike[str]) -> dict[str, int]:
    """Load a backup into this (empty) database, all or nothing; returns counts."""
    from sqlalchemy.exc import SQLAlchemyError

    from hipmap.storage.engine import translate
    from hipmap.storage.migrate import known_revisions

    src = Path(path)
    rows = _read_backup(src)
    first = next(rows, None)
    if first is None or first[1].get("format") != BACKUP_FORMAT:
        raise BadRecordInput(_("{src}: not a hipmap backup (expected {format} on the first "
                               "line)").format(src=src, format=BACKUP_FORMAT))
    header = first[1]
    if header.get("schema") not in known_revisions(store.migrations):
        raise BadRecordInput(_("{src}: the backup has schema {schema}, which this hipmap does not "
                               "know (a newer hipmap wrote it)").format(
                                   src=src, schema=header.get('schema')))
    counts = {t: 0 for t in s.TABLES}
    try:
        with store._tx(write=True) as conn:
            present = {t: int(conn.execute(select(func.count()).select_from(
                s.metadata.tables[t])).scalar_one()) for t in s.TABLES}
            if any(present.values()):
                raise BadRecordInput(
                    _("the database {where} is not empty ({patients} patients, {visits} visits): "
                      "restore goes into an empty database only; nothing was changed").format(
                          where=store.where, patients=present["patients"],
                          visits=present["visits"]))
            pending: dict[str, list[dict[str, Any]]] = {t: [] for t in s.TABLES}
            end = None
            for n, obj in rows:
                if end is not None:
                    raise BadRecordInput(_("{src}: line {n} comes after the end of the "
                                           "backup").format(src=src, n=n))
                if "end" in obj:
                    end = obj["end"]
                    continue
                name, data = next(iter(obj.items())) if len(obj) == 1 else (None, None)
                if name not in pending or not isinstance(data, dict):
                    raise BadRecordInput(_("{src}: line {n} is not a patient, visit, revision or "
                                           "journal record").format(src=src, n=n))
                pending[name].append(_row_values(s.metadata.tables[name], data, src, n))
                counts[name] += 1
                if len(pending[name]) >= BATCH:
                    _flush(conn, pending, upto=name)
            _flush(conn, pending, upto=None)
            if end is None:
                raise BadRecordInput(_("{src}: the backup is cut short (no end line): nothing was "
                                       "restored").format(src=src))
            if {k: end.get(k) for k in s.TABLES} != counts:
                raise BadRecordInput(_("{src}: the backup says {end} but holds {counts}: nothing "
                                       "was restored").format(src=src, end=end, counts=counts))
            if store.backend == "postgresql":
                for name in ("visits", "revisions"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {name}"))
    except SQLAlchemyError as exc:
        raise translate(exc, store.url) from exc
    return counts


def _flush(conn: Any, pending: dict[str, list[dict[str, Any]]], upto: str | None) -> None:
    """Insert queued rows in table order (patients before visits before revisions ...)."""
    for name in s.TABLES:
        if pending[name]:
            conn.execute(insert(s.metadata.tables[name]), pending[name])
            pending[name] = []
        if name == upto:
            break


def _row_values(table: Table, data: dict[str, Any], src: Path, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        val = data.get(col.name)
        if val is not None and isinstance(col.type, s.UTCDateTime):
            try:
                val = datetime.fromisoformat(str(val).replace("Z", "+00:00"))
            except ValueError:
                raise BadRecordInput(_("{src}: line {n}: {name} is not a date-time").format(
                    src=src, n=n, name=col.name)
                                     ) from None
        out[col.name] = val
    unknown = set(data) - set(out)
    if unknown:
        raise BadRecordInput(_("{src}: line {n}: unknown columns {unknown}").format(
            src=src, n=n, unknown=sorted(unknown)))
    return out


# ----------------------------------------------------------------------------- self-test

def self_test(url: str | None = None) -> str:
    """Open (a temporary SQLite record unless ``url``), write a visit, save a second version,
    read both back and check the inbox; one line on success, :class:`StorageError` or
    ``AssertionError`` otherwise. For the frozen app's self-test: it proves the driver, the
    migrations and the record work inside the bundle."""
    from hipmap.storage.store import open_store

    doc = ('{"format": "hipmap.drawing/1", "patient": {"id": "SELF-TEST"}, "marks": '
           '[{"kind": "region", "region": "right.groin", "intensity": 4}], "answers": {}, '
           '"x_kept": true}\n')
    with tempfile.TemporaryDirectory(prefix="hipmap-selftest-") as d, \
            open_store(url or f"sqlite:///{d}/record.db", user="self-test") as store:
        ref = store.add_visit(doc)
        assert store.save_visit(ref.visit, doc, expected_version=ref.version) == 2
        assert store.get_visit(ref.visit).document == doc
        assert [r.version for r in store.revisions(ref.visit)] == [1, 2]
        kiosk = store.submit_kiosk(doc.replace('"SELF-TEST"', '"K"'))
        assert kiosk in [i.visit for i in store.inbox()]
        return (f"record OK: {store.backend} schema {store.schema_revision()}, visit "
                f"{ref.visit} at version 2, inbox {len(store.inbox())}")
