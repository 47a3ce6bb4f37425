"""The ledger keeps what extraction gave and it used to drop: a document's language and the name
and description of a claimant without a speaker (the blogger, a reader comment's handle).

A stored document read back is now the extracted one (``Document.to_dict`` equal), and the
numbers listing shows "riverguy (reader comment)" or "blogger" where it showed "commentary".

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _new_columns() -> dict[str, list[sa.Column]]:
    # Written out rather than taken from the schema module: a revision stays what it was. New
    # objects on each call: a Column is bound to the table it is added to.
    return {
        "documents": [sa.Column("language", sa.String(8), nullable=True)],
        "numbers": [
            sa.Column("claimant_name", sa.Text(), nullable=True),
            sa.Column("claimant_description", sa.Text(), nullable=True),
        ],
    }


_NUMBERS_VIEW = """
        SELECT d.id AS doc_id, n.idx, n.text AS expression, n.low, n.high, n.approximate, n.unit,
               n.counts, n.category, n.claimant_type,
               COALESCE(s.name, ds.description, {claimant}) AS claimant,
               n.speaker_id,
               n.section, substr(d.text, n.sentence_start + 1, n.sentence_end - n.sentence_start)
               AS sentence, d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM numbers n JOIN documents d ON d.seq = n.doc_seq
        LEFT JOIN speakers s ON s.id = n.speaker_id
        LEFT JOIN doc_speakers ds ON ds.doc_seq = n.doc_seq AND ds.local_id = n.local_speaker
        WHERE d.is_current"""
_CLAIMANT_0007 = (
    "n.claimant_name || ' (' || n.claimant_description || ')', "
    "n.claimant_name, n.claimant_description, n.claimant_type"
)


def _replace_view(claimant: str) -> None:
    op.execute("DROP VIEW IF EXISTS numbers_view")
    op.execute(f"CREATE VIEW numbers_view AS {_NUMBERS_VIEW.format(claimant=claimant)}")


def upgrade() -> None:
    # 0001 creates the tables from the current schema module, so a new database has the columns
    # already; only ledgers made before this revision need them added.
    inspector = sa.inspect(op.get_bind())
    for table, columns in _new_columns().items():
        have = {c["name"] for c in inspector.get_columns(table)}
        for column in columns:
            if column.name not in have:
                op.add_column(table, column)
    _replace_view(_CLAIMANT_0007)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS numbers_view")
    for table, columns in _new_columns().items():
        for column in columns:
            op.drop_column(table, column.name)
    _replace_view("n.claimant_type")
