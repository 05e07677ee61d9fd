"""The record's tables (SQLAlchemy Core). The migrations in ``migrations/versions`` create
exactly these; ``tests/storage/test_migrations.py`` checks that they agree.

- ``patients``: the clinic's patient id (as typed at the desk), an optional name, date of
  birth and sex.
- ``visits``: one per consultation or kiosk submission: patient (none yet for a kiosk
  submission), ``recorded_at``, ``source`` (``clinician`` | ``kiosk``), ``version`` (optimistic
  locking), a summary of the current assessment (urgency, top cause, red flags, knowledge
  version) for lists and the inbox, when and by whom a clinician first opened it, and the
  kiosk check-in identification.
- ``revisions``: append-only, one row per saved version of a visit — the drawing document
  exactly as given (unknown keys kept), the assessment snapshot, when, who, on which
  workstation and as which database user. A visit's drawing IS its current revision's
  document: ``(visits.id, visits.version)`` is a (deferred) foreign key to
  ``(revisions.visit_id, revisions.version)``, so no visit can point at a version that was
  not stored, and no drawing is ever overwritten — a save appends.
- ``journal``: the recovery journal of a stored visit, one slot per visit and workstation
  (the unsaved edits since ``base_version``), for the app's crash recovery.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

from hipmap.core.ids import URGENCIES as _URGENCIES

#: The newest migration (``migrations/versions``). Knowing it without importing Alembic
#: keeps every record command's start-up short; a test checks it against the scripts.
HEAD = "0001"

#: where a visit came from; the urgencies a visit's summary may hold (the contract's)
SOURCES = ("clinician", "kiosk")
URGENCIES = _URGENCIES


def _one_of(values: tuple[str, ...]) -> str:
    """SQL for a list of allowed texts: "('a', 'b')"."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC: ``timestamptz`` on PostgreSQL, naive UTC text on SQLite; always
    read back as an aware UTC ``datetime``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        # SQLite: the text SQLAlchemy's DATETIME writes ("2026-11-25 10:30:00.000000", which
        # sorts as time does), read with one C call (a 10,000-visit list is 2x faster).
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(26))
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value + "+00:00")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING)

patients = Table(
    "patients", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200)),
    Column("birth_date", String(10)),
    Column("sex", String(20)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(128)),
)

visits = Table(
    "visits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("patient_id", String(64), ForeignKey("patients.id"), index=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("source", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("urgency", String(32)),
    Column("top_cause", String(64)),
    Column("red_flags", Text),  # JSON list of red-flag ids
    Column("knowledge_version", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(128)),
    Column("updated_on", String(128)),  # workstation
    Column("opened_at", UTCDateTime),
    Column("opened_by", String(128)),
    Column("checkin_code", String(32)),
    Column("checkin_birth_date", String(10)),
    Column("checkin_initials", String(8)),
    CheckConstraint(f"source IN {_one_of(SOURCES)}", name="source"),
    CheckConstraint("version >= 1", name="version"),
    CheckConstraint("source = 'kiosk' OR patient_id IS NOT NULL", name="patient"),
    CheckConstraint(f"urgency IS NULL OR urgency IN {_one_of(URGENCIES)}", name="urgency"),
    ForeignKeyConstraint(["id", "version"], ["revisions.visit_id", "revisions.version"],
                         name="fk_visits_current_revision", deferrable=True,
                         initially="DEFERRED", use_alter=True),
    Index("ix_visits_recorded_at_id", "recorded_at", "id"),
    Index("ix_visits_inbox", "created_at", "id", sqlite_where=text("source = 'kiosk'"),
          postgresql_where=text("source = 'kiosk'")),
)

revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("visit_id", Integer, ForeignKey("visits.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("saved_by", String(128)),
    Column("workstation", String(128)),
    Column("db_user", String(128)),
    Column("action", String(16), nullable=False),  # add | update | submit
    Column("document", Text, nullable=False),
    Column("assessment", Text),
    UniqueConstraint("visit_id", "version"),
)

journal = Table(
    "journal", metadata,
    Column("visit_id", Integer, ForeignKey("visits.id"), primary_key=True),
    Column("workstation", String(128), primary_key=True),
    Column("saved_by", String(128)),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("payload", Text, nullable=False),
)

TABLES = ("patients", "visits", "revisions", "journal")
