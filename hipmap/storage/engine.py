"""Database URLs and engines: the embedded SQLite file by default, PostgreSQL for a clinic.

SQLite: a file in the per-user data folder (folder 0700, file 0600), WAL journal, foreign keys
on, a busy timeout, ``synchronous=FULL`` (a committed save survives a power cut), and
``BEGIN IMMEDIATE`` for writes so concurrent writers queue instead of failing half-way.
PostgreSQL: psycopg 3; everything in the URL's query (``sslmode``, ``sslrootcert``,
``connect_timeout`` ...) goes to libpq unchanged; a password comes from the URL, ``PGPASSWORD``
or ``~/.pgpass`` and is never printed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

from hipmap.i18n import _
from hipmap.storage.errors import BadRecordInput, DatabaseUnavailable, StorageError

DEFAULT_FILE = "hipmap.db"
SQLITE_BUSY_MS = 30_000
PAGE_SIZE = 16384
EXAMPLES = "sqlite:///PATH.db or postgresql+psycopg://USER@HOST:PORT/DATABASE"


def default_path() -> Path:
    from hipmap.paths import data_dir

    return data_dir() / DEFAULT_FILE


def parse_url(url: str | None) -> tuple[URL, bool]:
    """The URL to use and whether it is the embedded default. ``None``/empty: the default."""
    if not url:
        return make_url(f"sqlite:///{default_path()}"), True
    try:
        u = make_url(url.strip())
    except Exception:
        raise BadRecordInput(_("--db / HIPMAP_DB is not a database URL (expected "
                               "{examples})").format(examples=EXAMPLES)) from None
    backend, _sep, driver = u.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return u.set(drivername="sqlite"), False
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return u.set(drivername="postgresql+psycopg"), False
    raise BadRecordInput(_("--db: hipmap works with SQLite and PostgreSQL (psycopg 3), not "
                           "{driver} (expected {examples})").format(
                               driver=repr(u.drivername), examples=EXAMPLES))


def describe(u: URL) -> str:
    """Where the database is, for messages: the file, or user@host:port/database. No secret."""
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    host = u.host or u.query.get("host") or "localhost (socket)"
    if isinstance(host, tuple):
        host = ",".join(host)
    port = f":{u.port}" if u.port else ""
    user = f"{u.username}@" if u.username else ""
    return f"{user}{host}{port}/{u.database or ''}"


def ensure_private_dir(path: Path) -> None:
    """Create the folder (and missing parents) readable by this user only (0700)."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) != 0o700:
        path.chmod(0o700)


def ensure_private_file(path: Path, *, enforce: bool) -> None:
    """Create the database file 0600 if it is new; ``enforce``: also tighten an existing one."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        enforce = True
    if enforce and os.name == "posix" and stat.S_IMODE(path.stat().st_mode) != 0o600:
        path.chmod(0o600)


def make_engine(u: URL, *, default: bool = False, pool_size: int | None = None) -> Engine:
    if u.get_backend_name() == "sqlite":
        return _sqlite_engine(u, default)
    return _postgresql_engine(u, pool_size)


def _sqlite_engine(u: URL, default: bool) -> Engine:
    db = u.database or ""
    kwargs: dict[str, Any] = {}
    if db in ("", ":memory:"):
        kwargs["poolclass"] = StaticPool
    else:
        path = Path(db).expanduser()
        if default:
            ensure_private_dir(path.parent)
        elif not path.parent.is_dir():
            raise BadRecordInput(_("{path}: the folder for the database does not exist").format(
                path=path))
        if path.is_dir():
            raise BadRecordInput(_("{path}: is a folder, not a database file").format(path=path))
        try:
            ensure_private_file(path, enforce=default)
        except PermissionError:
            raise DatabaseUnavailable(_("{path}: permission denied").format(path=path)) from None
        u = u.set(database=str(path))
    engine = create_engine(u, connect_args={"timeout": SQLITE_BUSY_MS / 1000,
                                            "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # hipmap issues BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if db not in ("", ":memory:"):
            # Drawings are 10-600 KB: big pages mean fewer overflow pages per save. Takes
            # effect only when the file is new (before WAL and the first table).
            cur.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {_synchronous()}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _synchronous() -> str:
    """FULL (default): a committed save survives a power cut. ``HIPMAP_SQLITE_SYNCHRONOUS=
    NORMAL`` trades that (never the file's integrity) for ~2x faster autosaves."""
    value = os.environ.get("HIPMAP_SQLITE_SYNCHRONOUS", "FULL").upper()
    return value if value in ("NORMAL", "FULL", "EXTRA") else "FULL"


def _postgresql_engine(u: URL, pool_size: int | None) -> Engine:
    connect_args: dict[str, Any] = {"application_name": "hipmap"}
    if "connect_timeout" not in u.query:
        connect_args["connect_timeout"] = 10
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if pool_size:
        kwargs.update(pool_size=pool_size, max_overflow=0)
    return create_engine(u, connect_args=connect_args, **kwargs)


# ----------------------------------------------------------------------------- errors

def one_line(exc: BaseException, u: URL) -> str:
    """The driver's message on one line, without SQL, parameters or the password."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    keep = []
    for ln in lines:
        if ln.startswith(("LINE ", "CONTEXT:", "[SQL:", "(Background on", "QUERY:")):
            break
        keep.append(ln)
    msg = " ".join(keep) or type(orig).__name__
    if u.password:
        msg = msg.replace(str(u.password), "***")
    if len(msg) > 300:
        msg = msg[:297] + "..."
    return msg


def translate(exc: BaseException, u: URL, *, connecting: bool = False) -> StorageError:
    """A database error as one line that says where and what failed."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, StorageError):
        return exc
    where = describe(u)
    msg = one_line(exc, u)
    sqlite = u.get_backend_name() == "sqlite"
    if sqlite and "file is not a database" in msg:
        return BadRecordInput(_("{where}: this file is not an SQLite database").format(where=where))
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError) or connecting:
        what = _("cannot open the database") if connecting else _("the database failed")
        if not sqlite and connecting:
            what = "cannot connect to the database server"
        return DatabaseUnavailable(_("{what} {where}: {msg}").format(
            what=what, where=where, msg=msg))
    if isinstance(exc, sa_exc.ProgrammingError) and "permission denied" in msg:
        return StorageError(_("the database {where} refused: {msg} (this database user may not do "
                              "that; see 'hipmap db roles')").format(where=where, msg=msg))
    if isinstance(exc, sa_exc.DBAPIError):
        return StorageError(_("the database {where} refused: {msg}").format(where=where, msg=msg))
    return StorageError(_("{where}: {__name__}: {msg}").format(
        where=where, __name__=type(exc).__name__, msg=msg))
