"""Least privilege on a PostgreSQL server: the roles hipmap's users log in through.

- ``hipmap_clinician``: reads and writes patients and visits, appends revisions (never
  changes or deletes one), keeps the recovery journal.
- ``hipmap_kiosk``: may only call ``hipmap_submit_kiosk()`` — it creates a submission and
  returns its number. No privilege on any table: a kiosk cannot read a patient, a visit or
  even its own submission.

Both are group roles (NOLOGIN); each person or kiosk logs in as its own role that is a
member, so every revision records who saved it (``revisions.db_user`` is the login role)::

    CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE hipmap_clinician;
    CREATE ROLE kiosk1 LOGIN PASSWORD '...' IN ROLE hipmap_kiosk;

The schema owner (who ran ``hipmap db upgrade``) keeps every right; run this SQL as that
owner or a superuser, after ``hipmap db upgrade``.
"""

from __future__ import annotations

CLINICIAN = "hipmap_clinician"
KIOSK = "hipmap_kiosk"
KIOSK_FUNCTION = ("hipmap_submit_kiosk(text, text, timestamptz, text, text, text, text, "
                  "text, text, text, text, text)")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def roles_sql(database: str, schema: str = "public") -> str:
    """The SQL that creates the two roles (if missing) and grants exactly their rights on
    ``database`` / ``schema``. Idempotent: running it again changes nothing."""
    db, sc = _ident(database), _ident(schema)
    return f"""\
-- hipmap roles for database {database}, schema {schema} (idempotent)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CLINICIAN}') THEN
        CREATE ROLE {CLINICIAN} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{KIOSK}') THEN
        CREATE ROLE {KIOSK} NOLOGIN;
    END IF;
END $$;
GRANT CONNECT ON DATABASE {db} TO {CLINICIAN}, {KIOSK};
GRANT USAGE ON SCHEMA {sc} TO {CLINICIAN}, {KIOSK};
-- clinicians: read and write the record; revisions are append-only
GRANT SELECT, INSERT, UPDATE ON {sc}.patients, {sc}.visits TO {CLINICIAN};
GRANT SELECT, INSERT ON {sc}.revisions TO {CLINICIAN};
GRANT SELECT, INSERT, UPDATE, DELETE ON {sc}.journal TO {CLINICIAN};
GRANT SELECT ON {sc}.alembic_version TO {CLINICIAN};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {sc} TO {CLINICIAN};
GRANT EXECUTE ON FUNCTION {sc}.{KIOSK_FUNCTION} TO {CLINICIAN}, {KIOSK};
GRANT EXECUTE ON FUNCTION {sc}.hipmap_schema_revision() TO {CLINICIAN}, {KIOSK};
-- the kiosk: no table at all (its submissions go through hipmap_submit_kiosk)
REVOKE ALL ON ALL TABLES IN SCHEMA {sc} FROM {KIOSK};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {sc} FROM {KIOSK};
"""
