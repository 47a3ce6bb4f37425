"""Alembic environment: runs on the connection the ledger hands over (no URL in a config file)."""

from __future__ import annotations

from alembic import context

from claimledger.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
