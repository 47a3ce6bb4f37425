"""An index on the words of a number (``numbers.text``), for the documents that state it too.

A number's page lists the documents with the same words: in its cluster, by its speaker, or in
its category with the same value. Numbers have no speaker index, so that ``OR`` read every number
of the ledger (7 ms at 5,000 documents, growing with the ledger); the same words are required by
every branch, and with this index SQLite starts from them (0.2 ms).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Written out rather than taken from the schema module: a revision stays what it was.
_NAME = "ix_numbers_text"


def upgrade() -> None:
    # 0001 creates the tables (and their indexes) from the current schema module, so a new
    # database has the index already; only ledgers made before this revision need it.
    op.create_index(_NAME, "numbers", ["text"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index(_NAME, table_name="numbers", if_exists=True)
