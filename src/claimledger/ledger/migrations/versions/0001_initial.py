"""The initial ledger schema: tables, people-friendly views, and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

from claimledger.ledger.schema import VIEWS, metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # The initial revision creates the schema as first released; later revisions alter it with op.*.
    metadata.create_all(bind)
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "doc_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"
        )
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    metadata.drop_all(bind)
