"""Watching the inbox without Qt: the app polls ``poll()`` from a timer, or runs ``wait()`` in
a thread and posts a signal when it returns True.

PostgreSQL: a connection of its own that LISTENs on ``hipmap_inbox`` (the schema's trigger
notifies when a kiosk submission arrives, is opened or is given its patient).
SQLite: ``PRAGMA data_version`` on a connection of its own changes whenever another
connection commits; only then is the inbox's signature (count and ids of unopened kiosk
submissions) read again, so ``poll()`` is True only when the inbox itself changed.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipmap.storage.store import Store

INBOX_SIGNATURE = ("SELECT count(*), coalesce(sum(id), 0), coalesce(max(id), 0) FROM visits "
                   "WHERE source = 'kiosk' AND opened_at IS NULL")


class InboxWatcher:
    """``poll()`` → True when the inbox changed since the last call (never blocks);
    ``wait(timeout)`` → blocks until it changes (True) or the timeout passes (False).
    ``error`` holds the last connection problem (one line), or None."""

    error: str | None = None

    def poll(self) -> bool:
        raise NotImplementedError

    def wait(self, timeout: float) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> InboxWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SQLiteInboxWatcher(InboxWatcher):
    def __init__(self, store: Store, interval: float) -> None:
        self.interval = interval
        self._store = store
        path = store.url.database or ""
        self._memory = path in ("", ":memory:")
        self._conn: sqlite3.Connection | None = None
        if not self._memory:
            self._conn = sqlite3.connect(path, timeout=30, isolation_level=None,
                                         check_same_thread=False)
        self._version = self._data_version()
        self._sig = self._signature()

    def _data_version(self) -> int:
        if self._conn is None:
            return 0
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _signature(self) -> tuple[Any, ...]:
        if self._conn is None:
            from sqlalchemy import text

            with self._store.engine.connect() as c:
                return tuple(c.execute(text(INBOX_SIGNATURE)).one())
        return tuple(self._conn.execute(INBOX_SIGNATURE).fetchone())

    def poll(self) -> bool:
        try:
            version = self._data_version()
            if version == self._version and not self._memory:
                return False
            self._version = version
            sig = self._signature()
            self.error = None
        except sqlite3.Error as exc:
            self.error = f"the inbox cannot be read: {exc}"
            return False
        if sig != self._sig:
            self._sig = sig
            return True
        return False

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.poll():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.interval, left))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PostgresInboxWatcher(InboxWatcher):
    CHANNEL = "hipmap_inbox"

    def __init__(self, store: Store) -> None:
        self._conninfo = store.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        self._store = store
        self._conn: Any = None
        self._connect()

    def _connect(self) -> None:
        import psycopg

        self._conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10,
                                     application_name="hipmap-inbox")
        self._conn.execute(f"LISTEN {self.CHANNEL}")

    def _drain(self, timeout: float) -> bool:
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._connect()
                self.error = None
                return True  # (re)connected: what happened meanwhile is unknown
            got = False
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                got = True
            if got:  # take whatever else is already there
                for _ in self._conn.notifies(timeout=0.0):
                    pass
            self.error = None
            return got
        except psycopg.Error as exc:
            from hipmap.storage.engine import one_line

            self.error = f"the inbox cannot be watched: {one_line(exc, self._store.url)}"
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            return False

    def poll(self) -> bool:
        return self._drain(0.0)

    def wait(self, timeout: float) -> bool:
        return self._drain(max(0.0, timeout))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def make_inbox_watcher(store: Store, interval: float = 0.5) -> InboxWatcher:
    if store.backend == "postgresql":
        import psycopg

        try:
            return PostgresInboxWatcher(store)
        except psycopg.Error as exc:
            from hipmap.storage.engine import translate

            raise translate(exc, store.url, connecting=True) from exc
    return SQLiteInboxWatcher(store, interval)
