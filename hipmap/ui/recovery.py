"""Crash recovery: the current drawing written (atomically) after every change.

Serialising a large drawing takes tens of milliseconds, so it runs on a worker thread from
an immutable snapshot; a generation counter makes sure a write queued before :meth:`clear`
can never bring the file back after a clean save or close.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from hipmap.core.document import Document, atomic_write_text, load

META_KEY = "x_hipmap_recovery"
FILE_NAME = "recovery.hipmap.json"


class Recovery:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / FILE_NAME
        self._lock = threading.Lock()
        self._gen = 0
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hipmap-recovery")
        self.last_error: str | None = None

    def exists(self) -> bool:
        return self.path.is_file()

    def write(self, doc: Document, file: str | None) -> None:
        """Queue a write of ``doc`` (a snapshot: its marks are immutable)."""
        snapshot = Document(marks=list(doc.marks), answers=dict(doc.answers),
                            patient=dict(doc.patient) if doc.patient else None,
                            recorded_at=doc.recorded_at,
                            extra={**doc.extra, META_KEY: {"file": file}})
        with self._lock:
            gen = self._gen
        self._pool.submit(self._write, gen, snapshot)

    def _write(self, gen: int, doc: Document) -> None:
        text = doc.dumps()
        with self._lock:
            if gen != self._gen:
                return
            try:
                atomic_write_text(self.path, text)
                self.last_error = None
            except OSError as exc:
                self.last_error = str(exc)

    def flush(self) -> None:
        self._pool.submit(lambda: None).result()

    def clear(self) -> None:
        with self._lock:
            self._gen += 1
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:  # an unusable data folder must never stop the app
                self.last_error = str(exc)

    def read(self) -> tuple[Document, str | None]:
        """The recovered document and the file it belonged to. Raises InputError."""
        doc = load(self.path)
        meta: Any = doc.extra.pop(META_KEY, None)
        file = meta.get("file") if isinstance(meta, dict) else None
        return doc, file if isinstance(file, str) else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
