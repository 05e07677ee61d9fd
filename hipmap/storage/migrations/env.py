"""Alembic environment, run programmatically by ``hipmap.storage.migrate`` (no alembic.ini).

The caller passes an open connection (inside its transaction) in ``config.attributes``.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True,
                  transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
