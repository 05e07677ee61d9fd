"""Schema migrations with Alembic, configured in code (no alembic.ini at run time).

The scripts live in ``hipmap/storage/migrations`` inside the package (and the frozen app).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from hipmap.i18n import _

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _require(location: Path) -> None:
    if not (location / "env.py").is_file():
        from hipmap.storage.errors import StorageError

        raise StorageError(_("this hipmap build lacks its database migrations ({location}): "
                             "reinstall hipmap").format(location=location))


def script_head(location: Path = MIGRATIONS) -> str:
    """The newest revision among the scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    _require(location)
    heads = ScriptDirectory(str(location)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {heads}")
    return heads[0]


def known_revisions(location: Path = MIGRATIONS) -> list[str]:
    """Every revision among the scripts, oldest first."""
    from alembic.script import ScriptDirectory

    _require(location)
    return [s.revision for s in reversed(list(ScriptDirectory(str(location)).walk_revisions()))]


def current_revision(conn: Connection) -> str | None:
    """The schema revision stored in the database; ``None`` when it has no hipmap schema."""
    if conn.dialect.name == "postgresql":
        # A role without table privileges (the kiosk) reads it through a function.
        fn = conn.execute(text("SELECT to_regprocedure('hipmap_schema_revision()')")).scalar()
        if fn is not None:
            return conn.execute(text("SELECT hipmap_schema_revision()")).scalar()
        if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return None
    elif not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(conn: Connection, target: str = "head", location: Path = MIGRATIONS) -> None:
    """Run the migrations up to ``target`` inside the caller's transaction on ``conn``."""
    from alembic import command
    from alembic.config import Config

    _require(location)
    if conn.dialect.name == "postgresql":
        # Two workstations running `db upgrade` at once: the second waits, then finds
        # nothing to do.
        conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    attributes: dict[str, Any] = cfg.attributes
    attributes["connection"] = conn
    command.upgrade(cfg, target)
