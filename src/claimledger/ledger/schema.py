"""The ledger's tables, in SQLAlchemy Core. One schema for SQLite and PostgreSQL.

The SQLite file is plain: every table and view can be read with ``sqlite3``, Datasette or
DuckDB as it is. Offsets (``start``/``end``) are Python string indexes into
``documents.text``. JSON columns hold lists (aliases, roles, mentions, errors). A document is
known to people by ``documents.id`` (the sha256 of its text) and to the other tables by
``documents.seq`` (``doc_seq``), an integer in ingestion order; the views show ``doc_id``.

A document's text is stored once: sections and the sentences around numbers are kept as offsets
into it (``sections_view`` and ``numbers_view`` show their text), and SQLite's full-text index
reads it from ``documents`` (an external-content FTS5 table keyed by ``documents.seq``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    func,
    literal_column,
)
from sqlalchemy.sql.elements import ColumnElement

metadata = MetaData()


def _document_key() -> Column:
    """A row's document, by its integer key: rows are appended in ingestion order, where a key of
    random sha256 ids would put every document's rows in random places of each table's index."""
    return Column(
        "doc_seq",
        Integer,
        ForeignKey("documents.seq", ondelete="CASCADE"),
        primary_key=True,
        comment="the document (documents.seq)",
    )


def _claim_columns() -> list[Column]:
    """Key and span of a claim (quote or number): its document, its place, its text and offsets."""
    return [
        _document_key(),
        Column("idx", Integer, primary_key=True),
        Column("text", Text, nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    ]


documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True, comment="sha256 of the normalised text"),
    Column("source", Text, nullable=False, comment="path or URL as given"),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10), comment="YYYY-MM-DD"),
    Column("language", String(8), comment='language analysed as: "en", "ru", "uk", "und"'),
    Column("outlet", Text, comment="site or outlet name, when known"),
    Column("status", String(10), nullable=False),
    Column("errors", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False, comment="1, 2, … for changed texts at one source"),
    Column("supersedes", String(64), comment="id of the previous version at the same source"),
    Column("is_current", Boolean, nullable=False),
    Column("cluster_id", String(64), comment="near-duplicate cluster (syndicated copies)"),
    Column("signature", LargeBinary, comment="MinHash of the article text"),
    Column("extractor", Text, nullable=False, comment="claimledger and pipeline versions"),
    Column("provenance", JSON(none_as_null=True), comment="WARC file and offset, JSON line, fetched URL"),
    Column("ingested_at", String(32), nullable=False),
    # The integer key that the other tables and SQLite's full-text index use (a table's implicit
    # rowid may change on VACUUM). Numbered by the writer in ingestion order (from a sequence on
    # PostgreSQL).
    Column(
        "seq",
        Integer,
        Sequence("documents_seq"),
        nullable=False,
        comment="ingestion order; the key of the document's rows in the other tables",
    ),
)
Index("ix_documents_seq", documents.c.seq, unique=True)
Index("ix_documents_source", documents.c.source)
Index("ix_documents_cluster", documents.c.cluster_id)
Index("ix_documents_published", documents.c.published)
# What the joins from a claim to its document read (current? which month?), without the row:
# its text comes first and pushes these columns into overflow pages (migration 0007).
Index("ix_documents_current", documents.c.seq, documents.c.is_current, documents.c.published)

sections = Table(
    "sections",
    metadata,
    _document_key(),
    Column("idx", Integer, primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

speakers = Table(
    "speakers",
    metadata,
    Column("id", String(200), primary_key=True, comment="canonical speaker across documents"),
    Column("name", Text),
    Column("type", String(14), nullable=False),
    Column("block_key", String(200), comment="normalised key used to find merge candidates"),
    Column("aliases", JSON, nullable=False),
    Column("roles", JSON, nullable=False, comment="[[role, first date], …]"),
    Column("affiliations", JSON, nullable=False),
    Column("evidence", JSON, nullable=False, comment="why spellings were merged"),
    Column("description", Text),
)
Index("ix_speakers_block", speakers.c.block_key)


def speaker_sort_name() -> ColumnElement[str]:
    """What speakers are listed by: the name, else the description ("a senior official"). The ''
    is a literal, not a parameter, so that queries ordered by it can use ``ix_speakers_sort``."""
    return func.coalesce(speakers.c.name, speakers.c.description, literal_column("''"))


# A page of the speaker listing walks this index in order and stops after the page.
Index("ix_speakers_sort", speaker_sort_name(), speakers.c.id)

doc_speakers = Table(
    "doc_speakers",
    metadata,
    _document_key(),
    Column("local_id", String(16), primary_key=True, comment="s1, s2, … within the document"),
    Column("speaker_id", String(200), ForeignKey("speakers.id"), nullable=False),
    Column("name", Text),
    Column("type", String(14), nullable=False),
    Column("description", Text),
    Column("role", Text),
    Column("affiliation", Text),
    Column("mentions", JSON, nullable=False),
)
Index("ix_doc_speakers_speaker", doc_speakers.c.speaker_id)

quotes = Table(
    "quotes",
    metadata,
    *_claim_columns(),
    Column("kind", String(8), nullable=False),
    Column("cue", Text),
    Column("section", String(12), nullable=False),
    Column("local_speaker", String(16)),
    Column("speaker_id", String(200), ForeignKey("speakers.id")),
)
Index("ix_quotes_speaker", quotes.c.speaker_id)

numbers = Table(
    "numbers",
    metadata,
    *_claim_columns(),
    Column("low", Float),
    Column("high", Float),
    Column("approximate", Boolean, nullable=False),
    Column("unit", Text),
    Column("counts", Text),
    Column("category", String(20)),
    Column("claimant_type", String(14), nullable=False),
    Column("local_speaker", String(16)),
    Column("speaker_id", String(200), ForeignKey("speakers.id")),
    # A claimant without a speaker (commentary): whose text it is, e.g. a commenter's handle.
    Column("claimant_name", Text),
    Column("claimant_description", Text, comment='"blogger", "reader comment"'),
    Column("hedge", Text),
    Column("section", String(12), nullable=False),
    Column("sentence_start", Integer, comment="offsets of the sentence that holds the number"),
    Column("sentence_end", Integer),
)
Index("ix_numbers_category", numbers.c.category)
# The documents that state a number too start from its words (migration 0008).
Index("ix_numbers_text", numbers.c.text)

anonymous_sources = Table(
    "anonymous_sources",
    metadata,
    _document_key(),
    Column("idx", Integer, primary_key=True),
    Column("local_speaker", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("reason", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(64), primary_key=True, comment="id of the cluster's first document"),
    Column("size", Integer, nullable=False),
    Column("first_seen", String(32), nullable=False),
)

trackers = Table(
    "trackers",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("title", Text, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("code", String(10), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", String(32), nullable=False),
)


def claimant_label() -> ColumnElement[str]:
    """Who claims a number, as people read it (``Claimant.label``): the speaker's name, else the
    speaker's description, else a commentary claimant's "name (description)", name or description,
    else the claimant type. For queries that outer-join ``speakers`` and ``doc_speakers``."""
    n, s, ds = numbers.c, speakers.c, doc_speakers.c
    return func.coalesce(
        s.name,
        ds.description,
        n.claimant_name + " (" + n.claimant_description + ")",
        n.claimant_name,
        n.claimant_description,
        n.claimant_type,
    )


def sentence_text() -> ColumnElement[str]:
    """The sentence of a number, cut from its document's text (SQL ``substr`` counts characters
    from 1, offsets count code points from 0), for queries that join ``numbers`` and ``documents``."""
    n, d = numbers.c, documents.c
    return func.substr(d.text, n.sentence_start + 1, n.sentence_end - n.sentence_start)


# Views for people: one row per quote / number with who, where and when, and sections with text.
VIEWS = {
    "quotes_view": """
        SELECT d.id AS doc_id, q.idx, q.kind, q.text AS quote, q.cue, q.section,
               s.name AS speaker, s.type AS speaker_type, q.speaker_id,
               d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM quotes q JOIN documents d ON d.seq = q.doc_seq
        LEFT JOIN speakers s ON s.id = q.speaker_id
        WHERE d.is_current""",
    "numbers_view": """
        SELECT d.id AS doc_id, n.idx, n.text AS expression, n.low, n.high, n.approximate, n.unit,
               n.counts, n.category, n.claimant_type,
               COALESCE(s.name, ds.description, n.claimant_name || ' (' || n.claimant_description || ')',
                        n.claimant_name, n.claimant_description, n.claimant_type) AS claimant,
               n.speaker_id,
               n.section, substr(d.text, n.sentence_start + 1, n.sentence_end - n.sentence_start)
               AS sentence, d.title, d.url, d.source, d.published, d.outlet, d.cluster_id
        FROM numbers n JOIN documents d ON d.seq = n.doc_seq
        LEFT JOIN speakers s ON s.id = n.speaker_id
        LEFT JOIN doc_speakers ds ON ds.doc_seq = n.doc_seq AND ds.local_id = n.local_speaker
        WHERE d.is_current""",
    "speakers_view": """
        SELECT s.id, s.name, s.type, s.aliases, s.roles, s.affiliations,
               COALESCE(c.documents, 0) AS documents, COALESCE(c.quotes, 0) AS quotes
        FROM speakers s LEFT JOIN (
            SELECT speaker_id, COUNT(DISTINCT doc_seq) AS documents, COUNT(*) AS quotes
            FROM quotes GROUP BY speaker_id
        ) c ON c.speaker_id = s.id""",
    "sections_view": """
        SELECT d.id AS doc_id, s.idx, s.kind, s.start, s."end",
               substr(d.text, s.start + 1, s."end" - s.start) AS text
        FROM sections s JOIN documents d ON d.seq = s.doc_seq""",
}
