"""Documents keep their provenance (WARC file and offset, JSON Lines line, fetched URL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the tables from the current schema module, so a new database has the column
    # already; only ledgers made before this revision need it added.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}
    if "provenance" not in columns:
        op.add_column("documents", sa.Column("provenance", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("documents", "provenance")
