"""Where drawings come from and go to: the document-store seam — Qt-free.

A window never opens or writes a file itself: it asks a :class:`DocumentStore` to ``open``
a reference, to ``save`` a drawing with the version it read (a stale save is a
:class:`VersionConflict`, never a silent overwrite), for the ``recent`` references, and for
its recovery ``journals``. :class:`FileDocumentStore` keeps drawings as ``.hipmap.json``
files; the clinic record plugs in behind the same protocol (a reference is then a visit,
its version the visit's version) without a widget changing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hipmap.core.document import Document
    from hipmap.model.journal import JournalStore

#: A store's token for "the drawing as it was read": a file's size and modification time,
#: a visit's version number. Compared, never interpreted, by the window.
Version = str | int

SUFFIX = ".hipmap.json"
MAX_RECENT = 8


class VersionConflict(Exception):
    """The drawing changed in the store since it was read: saving would overwrite someone
    else's work. Nothing was written."""

    def __init__(self, ref: str, expected: Version | None, found: Version | None) -> None:
        super().__init__(f"{ref}: changed since it was opened (read {expected}, now {found})")
        self.ref, self.expected, self.found = ref, expected, found


@dataclass(frozen=True)
class Stored:
    """A drawing as the store has it: the reference to save it back to and its version."""

    document: Document
    ref: str
    version: Version | None
    name: str  #: what a title bar or a menu shows


class DocumentStore(Protocol):
    """What a window needs from wherever drawings live."""

    #: the recovery journals of this store's windows
    journals: JournalStore

    def open(self, ref: str) -> Stored:
        """Read a drawing. Bad input raises :class:`~hipmap.core.errors.InputError`."""
        ...

    def save(self, doc: Document, ref: str, *, expected: Version | None) -> Stored:
        """Write ``doc`` to ``ref`` if the drawing there is still at version ``expected``
        (``None``: a new drawing, or "save as" — overwrite what is there). Raises
        :class:`VersionConflict` (nothing written) or InputError (one line)."""
        ...

    def recent(self) -> list[str]:
        """References opened or saved lately, newest first."""
        ...

    def name(self, ref: str) -> str:
        """A reference as a person reads it (a file name, "visit 12")."""
        ...


class RecentList(Protocol):
    """Where a store keeps its recent references (the app: its settings)."""

    def load(self) -> list[str]: ...
    def store(self, refs: list[str]) -> None: ...


@dataclass
class JsonRecentList:
    """Recent references in a small JSON file (used when there are no app settings)."""

    path: Path

    def load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [str(x) for x in data if isinstance(x, str)] if isinstance(data, list) else []

    def store(self, refs: list[str]) -> None:
        from hipmap.core.document import atomic_write_text

        atomic_write_text(self.path, json.dumps(refs, ensure_ascii=False))


class FileDocumentStore:
    """Drawings as ``.hipmap.json`` files; a reference is a path; the version is the file's
    size and modification time, so a file changed by another program (or another window)
    since it was opened is a conflict, not something to overwrite."""

    def __init__(self, journals: JournalStore, recent: RecentList) -> None:
        self.journals = journals
        self._recent = recent

    # ------------------------------------------------------------------ reading
    def open(self, ref: str) -> Stored:
        from hipmap.core.document import load

        doc = load(ref)
        stored = Stored(doc, str(ref), file_version(ref), self.name(ref))
        self.remember(str(ref))
        return stored

    # ------------------------------------------------------------------ writing
    def save(self, doc: Document, ref: str, *, expected: Version | None) -> Stored:
        from hipmap.core.document import save
        from hipmap.core.output import check_target

        path = str(ref)
        check_target(path)
        if expected is not None:
            found = file_version(path)
            if found != expected:
                raise VersionConflict(path, expected, found)
        save(doc, path)  # a disk that refuses it: InputError, the old file untouched
        self.remember(path)
        return Stored(doc, path, file_version(path), self.name(path))

    # ------------------------------------------------------------------ recent
    def recent(self) -> list[str]:
        return self._recent.load()[:MAX_RECENT]

    def remember(self, ref: str) -> None:
        refs = [ref, *(r for r in self._recent.load() if r != ref)][:MAX_RECENT]
        self._recent.store(refs)

    def forget(self, ref: str) -> None:
        self._recent.store([r for r in self._recent.load() if r != ref])

    def name(self, ref: str) -> str:
        return Path(ref).name


def file_version(path: str | os.PathLike[str]) -> str | None:
    """The file's size and modification time (ns): changes whenever its content is
    rewritten. None when there is no file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"
