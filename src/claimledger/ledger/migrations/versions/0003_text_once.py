"""A document's text is stored once: sections and number sentences become offsets into it, and
SQLite's full-text index reads the text from ``documents`` instead of keeping a copy.

- ``documents.seq``: an explicit integer key (ingestion order) for the full-text index; a
  table's implicit SQLite rowid may change on VACUUM, so it cannot be the key.
- ``sections.text`` dropped (``sections_view`` shows it); ``numbers.sentence`` replaced by
  ``sentence_start``/``sentence_end`` (``numbers_view`` shows the sentence).
- SQLite: ``documents_fts`` becomes an external-content FTS5 table over ``documents``. It
  indexes every stored version; searches keep the current ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
# Deletions and edits by hand keep the index right. New documents are indexed by the ledger's
# writer itself, in one statement per transaction: an insert trigger costs twice as much.
_TRIGGERS = {
    "documents_fts_delete": """AFTER DELETE ON documents WHEN old.seq IS NOT NULL BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    "documents_fts_update": """AFTER UPDATE OF seq, title, text ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, text)
        SELECT 'delete', old.seq, old.title, old.text WHERE old.seq IS NOT NULL;
        INSERT INTO documents_fts (rowid, title, text)
        SELECT new.seq, new.title, new.text WHERE new.seq IS NOT NULL;
    END""",
}
# The views as this revision made them (revision 0004 keys the claim tables by documents.seq).
VIEWS_0003 = {
    "quotes_view": """
        SELECT q.doc_id, q.idx, q.kind, q.text AS quote, q.cue, q.section,
               s.name AS speaker, s.type AS speaker_type, q.speaker_id,
               d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM quotes q JOIN documents d ON d.id = q.doc_id
        LEFT JOIN speakers s ON s.id = q.speaker_id
        WHERE d.is_current""",
    "numbers_view": """
        SELECT n.doc_id, n.idx, n.text AS expression, n.low, n.high, n.approximate, n.unit,
               n.counts, n.category, n.claimant_type,
               COALESCE(s.name, ds.description, n.claimant_type) AS claimant, n.speaker_id,
               n.section, substr(d.text, n.sentence_start + 1, n.sentence_end - n.sentence_start)
               AS sentence, d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM numbers n JOIN documents d ON d.id = n.doc_id
        LEFT JOIN speakers s ON s.id = n.speaker_id
        LEFT JOIN doc_speakers ds ON ds.doc_id = n.doc_id AND ds.local_id = n.local_speaker
        WHERE d.is_current""",
    "speakers_view": """
        SELECT s.id, s.name, s.type, s.aliases, s.roles, s.affiliations,
               COALESCE(c.documents, 0) AS documents, COALESCE(c.quotes, 0) AS quotes
        FROM speakers s LEFT JOIN (
            SELECT speaker_id, COUNT(DISTINCT doc_id) AS documents, COUNT(*) AS quotes
            FROM quotes GROUP BY speaker_id
        ) c ON c.speaker_id = s.id""",
    "sections_view": """
        SELECT s.doc_id, s.idx, s.kind, s.start, s."end",
               substr(d.text, s.start + 1, s."end" - s.start) AS text
        FROM sections s JOIN documents d ON d.id = s.doc_id""",
}
# numbers_view as revision 0002 left it, for the downgrade.
_NUMBERS_VIEW_0002 = """
        SELECT n.doc_id, n.idx, n.text AS expression, n.low, n.high, n.approximate, n.unit,
               n.counts, n.category, n.claimant_type,
               COALESCE(s.name, ds.description, n.claimant_type) AS claimant, n.speaker_id,
               n.section, n.sentence, d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM numbers n JOIN documents d ON d.id = n.doc_id
        LEFT JOIN speakers s ON s.id = n.speaker_id
        LEFT JOIN doc_speakers ds ON ds.doc_id = n.doc_id AND ds.local_id = n.local_speaker
        WHERE d.is_current"""


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _drop_views() -> None:
    for name in VIEWS_0003:
        op.execute(f"DROP VIEW IF EXISTS {name}")


def _sentence_spans(bind: sa.engine.Connection) -> list[dict]:
    """Offsets of each number's stored sentence, found in its document's text around the number."""
    rows = bind.execute(
        sa.text(
            'SELECT n.doc_id, n.idx, n.start, n."end", n.sentence, d.text '
            "FROM numbers n JOIN documents d ON d.id = n.doc_id"
        )
    )
    spans = []
    for doc_id, idx, start, end, sentence, text in rows:
        lo = text.rfind(sentence, 0, start + len(sentence)) if sentence else -1
        if lo < 0 or lo + len(sentence) < end:
            lo, hi = start, end  # not found (edited by hand): the number's own span
        else:
            hi = lo + len(sentence)
        spans.append({"d": doc_id, "i": idx, "lo": lo, "hi": hi})
    return spans


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # Revision 0001 creates the tables from the current schema module, so a new database has the
    # new columns already: each step checks what is there.
    _drop_views()
    documents = _columns("documents")
    if "seq" not in documents:
        op.add_column("documents", sa.Column("seq", sa.Integer(), nullable=True))
        if not sqlite:
            op.execute("CREATE SEQUENCE IF NOT EXISTS documents_seq")
        op.execute(
            "UPDATE documents SET seq = o.n FROM (SELECT id, row_number() OVER (ORDER BY ingested_at, id) "
            "AS n FROM documents) AS o WHERE o.id = documents.id"
        )
        if not sqlite:
            op.execute("SELECT setval('documents_seq', coalesce(max(seq), 0) + 1, false) FROM documents")
        op.create_index("ix_documents_seq", "documents", ["seq"], unique=True)
    if "text" in _columns("sections"):
        op.execute("ALTER TABLE sections DROP COLUMN text")
    if "sentence" in _columns("numbers"):
        spans = _sentence_spans(bind)
        op.add_column("numbers", sa.Column("sentence_start", sa.Integer(), nullable=True))
        op.add_column("numbers", sa.Column("sentence_end", sa.Integer(), nullable=True))
        if spans:
            bind.execute(
                sa.text(
                    "UPDATE numbers SET sentence_start = :lo, sentence_end = :hi "
                    "WHERE doc_id = :d AND idx = :i"
                ),
                spans,
            )
        op.execute("ALTER TABLE numbers DROP COLUMN sentence")
    if "doc_id" in _columns("quotes"):  # a new database gets its views from revision 0004
        for name, sql in VIEWS_0003.items():
            op.execute(f"CREATE VIEW {name} AS {sql}")
    if sqlite:
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            f"title, text, content = 'documents', content_rowid = 'seq', {_TOKENIZE})"
        )
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _drop_views()
    if sqlite:
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.add_column("numbers", sa.Column("sentence", sa.Text(), nullable=True))
    op.execute(
        "UPDATE numbers SET sentence = (SELECT substr(d.text, numbers.sentence_start + 1, "
        "numbers.sentence_end - numbers.sentence_start) FROM documents d WHERE d.id = numbers.doc_id)"
    )
    op.execute("ALTER TABLE numbers DROP COLUMN sentence_start")
    op.execute("ALTER TABLE numbers DROP COLUMN sentence_end")
    op.add_column("sections", sa.Column("text", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE sections SET text = (SELECT substr(d.text, sections.start + 1, "
        'sections."end" - sections.start) FROM documents d WHERE d.id = sections.doc_id)'
    )
    op.drop_index("ix_documents_seq", "documents")
    op.execute("ALTER TABLE documents DROP COLUMN seq")
    if not sqlite:
        op.execute("DROP SEQUENCE IF EXISTS documents_seq")
    for name, sql in VIEWS_0003.items():
        if name != "sections_view":
            op.execute(f"CREATE VIEW {name} AS {_NUMBERS_VIEW_0002 if name == 'numbers_view' else sql}")
    if sqlite:
        op.execute(
            f"CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, body, {_TOKENIZE})"
        )
        op.execute(
            "INSERT INTO documents_fts (doc_id, title, body) "
            "SELECT id, coalesce(title, ''), text FROM documents WHERE is_current"
        )
