"""Alembic migrations of the ledger schema (run automatically when a ledger is opened)."""
