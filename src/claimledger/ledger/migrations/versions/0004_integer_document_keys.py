"""The tables of a document's rows (sections, speakers, quotes, numbers, anonymous sources) refer
to it by ``documents.seq`` (column ``doc_seq``) instead of its sha256 id.

Keys in ingestion order make each new document's rows land at the end of every index instead of
at random places: fewer pages written per document as the ledger grows. The views still show
``doc_id``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from importlib import import_module

import sqlalchemy as sa
from alembic import op

from claimledger.ledger.schema import VIEWS, metadata

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("sections", "doc_speakers", "quotes", "numbers", "anonymous_sources")


def _columns(table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)]


def _set_aside(bind: sa.engine.Connection, name: str) -> str:
    """Rename a table out of the way, with its indexes and primary key dropped (their names are
    taken by the table that replaces it)."""
    insp = sa.inspect(bind)
    for ix in insp.get_indexes(name):
        if ix["name"] is not None:  # an unnamed (expression) index cannot be dropped by name
            op.drop_index(ix["name"], table_name=name)
    pk = insp.get_pk_constraint(name).get("name")
    if pk and bind.dialect.name != "sqlite":
        op.drop_constraint(pk, name, type_="primary")
    old = f"{name}_old"
    op.rename_table(name, old)
    return old


def _old_table(bind: sa.engine.Connection, name: str) -> sa.Table:
    """A table as revision 0003 defined it: the current one keyed by ``doc_id`` instead."""
    md = sa.MetaData()
    sa.Table("documents", md, autoload_with=bind)
    current = metadata.tables[name]
    doc_id = sa.Column(
        "doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    table = sa.Table(name, md, doc_id, *(c._copy() for c in current.columns if c.name != "doc_seq"))
    for ix in current.indexes:
        sa.Index(ix.name, *(table.c[c.name] for c in ix.columns), unique=ix.unique)
    return table


def _copy_rows(name: str, old: str, key: str, value: str, join: str) -> None:
    cols = [c for c in _columns(old) if c not in ("doc_id", "doc_seq")]
    into = ", ".join(f'"{c}"' for c in cols)
    values = ", ".join(f'o."{c}"' for c in cols)
    op.execute(
        f"INSERT INTO {name} ({key}, {into}) SELECT {value}, {values} FROM {old} o JOIN documents d ON {join}"
    )


def upgrade() -> None:
    bind = op.get_bind()
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    # Revision 0001 creates the tables from the current schema module: a new database is keyed
    # by doc_seq already.
    for name in _TABLES:
        if "doc_id" not in _columns(name):
            continue
        old = _set_aside(bind, name)
        metadata.tables[name].create(bind)
        _copy_rows(name, old, "doc_seq", "d.seq", "d.id = o.doc_id")
        op.drop_table(old)
    if bind.dialect.name != "sqlite":
        # SQLite cannot make a column NOT NULL without rebuilding its table; the writer numbers
        # every document there.
        op.alter_column("documents", "seq", nullable=False)
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    bind = op.get_bind()
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    if bind.dialect.name != "sqlite":
        op.alter_column("documents", "seq", nullable=True)
    for name in _TABLES:
        old = _set_aside(bind, name)
        _old_table(bind, name).create(bind)
        _copy_rows(name, old, "doc_id", "d.id", "d.seq = o.doc_seq")
        op.drop_table(old)
    # The views as revision 0003 made them (its module name is not an identifier).
    views_0003 = import_module("claimledger.ledger.migrations.versions.0003_text_once").VIEWS_0003
    for name, sql in views_0003.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")
