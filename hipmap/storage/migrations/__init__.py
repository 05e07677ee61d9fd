"""Alembic migrations of the clinic record, shipped in the package (see ``migrate.py``)."""
