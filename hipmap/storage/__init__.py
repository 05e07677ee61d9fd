"""The clinic record: patients, visits and their history in SQLite or PostgreSQL (Qt-free).

See :mod:`hipmap.storage.store` for the API and ``README.md`` ("The clinic record").
"""

from hipmap.storage.errors import (
    BadRecordInput,
    DatabaseUnavailable,
    NotFound,
    SchemaError,
    StorageError,
    VersionConflict,
)
from hipmap.storage.store import (
    CheckIn,
    InboxItem,
    JournalEntry,
    Patient,
    Revision,
    Store,
    Visit,
    VisitRef,
    VisitSummary,
    open_store,
    upgrade_schema,
)

__all__ = [
    "BadRecordInput",
    "CheckIn",
    "DatabaseUnavailable",
    "InboxItem",
    "JournalEntry",
    "NotFound",
    "Patient",
    "Revision",
    "SchemaError",
    "StorageError",
    "Store",
    "VersionConflict",
    "Visit",
    "VisitRef",
    "VisitSummary",
    "open_store",
    "upgrade_schema",
]
