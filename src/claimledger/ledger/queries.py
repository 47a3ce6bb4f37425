"""Read-side queries of the web app, in SQLAlchemy Core over the ledger's tables.

Every listing is keyset-paginated: it returns at most ``limit`` rows and an opaque cursor for
the rows after the last one (:mod:`claimledger.ledger.cursor`), or ``None`` on the last page. Only
current document versions are listed; a document id of an old version still opens.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Double,
    Select,
    Text,
    and_,
    case,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    true,
    tuple_,
)
from sqlalchemy.engine import Connection

from ..model import AnonymousSource, Claimant, Document, ErrorItem, NumberClaim, Quote, Section, Speaker
from . import cursor as cur
from . import schema as t
from .outlets import outlet_name

D, Q, N, S = t.documents.c, t.quotes.c, t.numbers.c, t.speakers.c
# The FTS5 table is created by the migration, not declared in the metadata.
_FTS = table("documents_fts", column("rowid"))
# Snippet markers: control characters that normalised text never holds, turned into <mark> or [ ].
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
_LIKE_ESCAPE = "\\"


@dataclass(slots=True)
class Page:
    """One page of a listing: its rows and the cursor of the next page (``None`` on the last)."""

    items: list[dict[str, Any]]
    next: str | None = None


@dataclass(slots=True)
class Filters:
    """Filters shared by the document, search, quote and number listings (``None`` = any)."""

    speaker: str | None = None  # a speaker id, or words of a name or alias
    category: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    outlet: str | None = None
    claimant: str | None = None  # numbers: claimant type or words of the claimant's name

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, clean(value) or None)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """User text without control characters (FTS5 rejects NUL; PostgreSQL rejects NUL in any string)."""
    return _CONTROL.sub(" ", text).strip()


def _like(words: str) -> str:
    """A LIKE pattern for a substring, with the pattern characters of the user's text escaped."""
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _published() -> ColumnElement[str]:
    # Undated documents sort after dated ones in a newest-first listing.
    return func.coalesce(D.published, "")


def _newest_first(conn: Connection) -> Any:
    """``published`` newest first, undated last, in both dialects (SQLite puts NULL last in DESC)."""
    return D.published.desc() if conn.dialect.name == "sqlite" else D.published.desc().nulls_last()


def _after_published(p: str | None, tail: ColumnElement[bool]) -> ColumnElement[bool]:
    """Rows after one published on ``p`` (None: undated) in newest-first order; ``tail`` breaks ties."""
    if p is None:
        return and_(D.published.is_(None), tail)
    return or_(D.published < p, D.published.is_(None), and_(D.published == p, tail))


_DAY_OR_NONE = (str, type(None))
# Documents in the first batch of a claim listing (see _claims_page).
_FIRST_BATCH = 32


def _speaker_match(speaker_col: ColumnElement[Any], words: str) -> ColumnElement[bool]:
    """A speaker column that is this speaker id, or a speaker whose name or alias holds ``words``."""
    named = select(S.id).where(
        or_(
            func.lower(S.name).like(_like(words), escape=_LIKE_ESCAPE),
            func.lower(func.cast(S.aliases, Text)).like(_like(words), escape=_LIKE_ESCAPE),
        )
    )
    return or_(speaker_col == words, speaker_col.in_(named))


def _document_filters(f: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [D.is_current.is_(True)]
    if f.since:
        where.append(D.published >= f.since)
    if f.until:
        where.append(D.published <= f.until)
    if f.outlet:
        where.append(func.lower(D.outlet).like(_like(f.outlet), escape=_LIKE_ESCAPE))
    if f.speaker:
        where.append(exists().where(Q.doc_seq == D.seq, _speaker_match(Q.speaker_id, f.speaker)))
    if f.category:
        where.append(exists().where(N.doc_seq == D.seq, N.category == f.category))
    return where


def _desc_keyset(keys: Sequence[ColumnElement[Any]], after: Sequence[Any], asc_last: bool = False):
    """Rows after ``after`` in ``ORDER BY keys DESC`` (the last key ascending when ``asc_last``)."""
    clauses = []
    for i, k in enumerate(keys):
        last = i == len(keys) - 1
        step = k > after[i] if last and asc_last else k < after[i]
        clauses.append(and_(*[keys[j] == after[j] for j in range(i)], step))
    return or_(*clauses)


def _dicts(result: Any) -> list[dict[str, Any]]:
    """A result's rows as dicts, fetched in one call (zip with the keys: a third of the cost of
    ``dict(row._mapping)`` per row, which counts on a page of a thousand claims)."""
    keys = list(result.keys())
    return [dict(zip(keys, r, strict=True)) for r in result.all()]


def _page(rows: list[dict[str, Any]], limit: int, kind: str, key: Any) -> Page:
    """Trim the look-ahead row and make the cursor from the last row kept."""
    if len(rows) <= limit:
        return Page(rows)
    rows = rows[:limit]
    return Page(rows, cur.encode(kind, key(rows[-1])))


def _with_claimants(joined: Any) -> Any:
    """``joined`` (numbers with their documents) with the speaker tables that
    :func:`~claimledger.ledger.schema.claimant_label` reads."""
    ds = t.doc_speakers.c
    return joined.outerjoin(t.speakers, S.id == N.speaker_id).outerjoin(
        t.doc_speakers, and_(ds.doc_seq == N.doc_seq, ds.local_id == N.local_speaker)
    )


# -- documents --------------------------------------------------------------------------------------

_DOC_LIST_COLUMNS = (D.id, D.source, D.title, D.url, D.published, D.outlet, D.status, D.cluster_id, D.version)


def documents(conn: Connection, f: Filters, limit: int, after: str | None = None) -> Page:
    """Current documents, newest publication date first (undated last)."""
    stmt = select(*_DOC_LIST_COLUMNS).where(*_document_filters(f))
    if after:
        p, i = cur.decode("documents", after, (_DAY_OR_NONE, str))
        stmt = stmt.where(_after_published(p, D.id < i))
    stmt = stmt.order_by(_newest_first(conn), D.id.desc()).limit(limit + 1)
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return _page(rows, limit, "documents", lambda r: [r["published"], r["id"]])


_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')


def search_terms(text: str) -> list[list[str]]:
    """The terms of a search: each word alone, and each ``"quoted phrase"`` as one term (its words
    in order); a quotation mark left open is dropped."""
    terms = []
    for phrase, word in _TERM.findall(clean(text)):
        parts = [word] if word else phrase.split()
        if parts:
            terms.append(parts)
    return terms


#: Orders of search results: most recently stored first, most relevant first, newest published first.
SEARCH_ORDERS = ("stored", "relevance", "date")


def search(
    conn: Connection, text: str, f: Filters, limit: int, after: str | None = None, order: str = "stored"
) -> Page:
    """Documents matching every word of ``text`` (a ``"quoted phrase"`` as a phrase), with a snippet,
    most recently stored first (``order`` "stored"), most relevant first ("relevance": BM25 in
    SQLite, ``ts_rank`` in PostgreSQL) or newest published first ("date", undated last).

    The user's words are quoted for FTS5 (never FTS syntax); PostgreSQL uses
    ``websearch_to_tsquery``. Ordering by ingestion (the FTS rowid) lets a page stop after
    ``limit`` matches however common the words are; the other orders rank every match first.
    """
    words = clean(text).split()
    terms = search_terms(text)
    if not terms:
        return Page([])
    kind = "search" if order == "stored" else f"search-{order}"
    if conn.dialect.name == "sqlite":
        # Each term an FTS5 string: a word, or a phrase whose words must be adjacent, in order.
        match = " ".join('"' + " ".join(t) + '"' for t in terms)
        snippet = func.snippet(literal_column("documents_fts"), 1, HIT_OPEN, HIT_CLOSE, "…", 16)
        key = _FTS.c.rowid
        score: ColumnElement[Any] = func.bm25(literal_column("documents_fts"))  # lower is more relevant
        rank_cols = (score.label("r"),) if order == "relevance" else ()
        stmt = (
            select(*_DOC_LIST_COLUMNS, snippet.label("snippet"), key.label("k"), *rank_cols)
            .select_from(_FTS.join(t.documents, D.seq == _FTS.c.rowid))
            .where(literal_column("documents_fts").op("MATCH")(match), *_document_filters(f))
        )
        if order == "relevance":
            if after:
                r, k = cur.decode(kind, after, ((float, int), int))
                stmt = stmt.where(or_(score > r, and_(score == r, key < k)))
            stmt = stmt.order_by(score, key.desc())
            keyfn = lambda r: [r["r"], r["k"]]  # noqa: E731
        elif order == "date":
            stmt, keyfn = _by_date(conn, stmt, kind, after)
        else:
            if after:
                (k,) = cur.decode(kind, after, (int,))
                stmt = stmt.where(key < k)
            stmt = stmt.order_by(key.desc())
            keyfn = lambda r: [r["k"]]  # noqa: E731
    else:
        tsq = func.websearch_to_tsquery("english", " ".join(words))
        snippet = func.ts_headline(
            "english", D.text, tsq, f"StartSel={HIT_OPEN},StopSel={HIT_CLOSE},MaxWords=30,MinWords=12"
        )
        k1 = D.ingested_at
        # Higher is more relevant. ts_rank is a float4: as a double, the value a cursor carries
        # compares equal to the one in SQL.
        score = cast(func.ts_rank(literal_column("tsv"), tsq), Double)
        rank_cols = (score.label("r"),) if order == "relevance" else ()
        stmt = select(*_DOC_LIST_COLUMNS, snippet.label("snippet"), k1.label("k"), *rank_cols).where(
            literal_column("tsv").op("@@")(tsq), *_document_filters(f)
        )
        if order == "relevance":
            if after:
                r, i = cur.decode(kind, after, ((float, int), str))
                stmt = stmt.where(_desc_keyset([score, D.id], [r, i]))
            stmt = stmt.order_by(score.desc(), D.id.desc())
            keyfn = lambda r: [r["r"], r["id"]]  # noqa: E731
        elif order == "date":
            stmt, keyfn = _by_date(conn, stmt, kind, after)
        else:
            if after:
                k, i = cur.decode(kind, after, (str, str))
                stmt = stmt.where(_desc_keyset([k1, D.id], [k, i]))
            stmt = stmt.order_by(k1.desc(), D.id.desc())
            keyfn = lambda r: [r["k"], r["id"]]  # noqa: E731
    rows = [dict(r._mapping) for r in conn.execute(stmt.limit(limit + 1))]
    page = _page(rows, limit, kind, keyfn)
    for r in page.items:
        r.pop("k", None)
        r.pop("r", None)
    return page


#: Matches a result total counts at most: past it a page says "more than"; the count stays a few
#: milliseconds however common the words and however large the ledger.
TOTAL_CAP = 1000


def total(conn: Connection, text: str | None, f: Filters, cap: int | None = None) -> int:
    """How many current documents match ``text`` (every word; none: every document) and ``f``,
    counted up to ``cap`` (:data:`TOTAL_CAP`) + 1: a result above ``cap`` means "more than ``cap``"."""
    cap = TOTAL_CAP if cap is None else cap
    terms = search_terms(text) if text else []
    stmt: Select[Any] = select(literal_column("1")).where(*_document_filters(f))
    if terms and conn.dialect.name == "sqlite":
        match = " ".join('"' + " ".join(t) + '"' for t in terms)
        stmt = stmt.select_from(_FTS.join(t.documents, D.seq == _FTS.c.rowid)).where(
            literal_column("documents_fts").op("MATCH")(match)
        )
    elif terms:
        tsq = func.websearch_to_tsquery("english", " ".join(clean(text or "").split()))
        stmt = stmt.select_from(t.documents).where(literal_column("tsv").op("@@")(tsq))
    else:
        stmt = stmt.select_from(t.documents)
    return conn.execute(select(func.count()).select_from(stmt.limit(cap + 1).subquery())).scalar_one()


def _by_date(conn: Connection, stmt: Select, kind: str, after: str | None) -> tuple[Select, Any]:
    """``stmt`` newest published first (undated last), then by id, after the cursor ``after``."""
    if after:
        p, i = cur.decode(kind, after, (_DAY_OR_NONE, str))
        stmt = stmt.where(_after_published(p, D.id < i))
    return stmt.order_by(_newest_first(conn), D.id.desc()), lambda r: [r["published"], r["id"]]


# -- one document -----------------------------------------------------------------------------------


@dataclass(slots=True)
class StoredDocument:
    """A document rebuilt from the ledger, with what the ledger knows about it beyond the contract."""

    doc: Document
    outlet: str | None
    cluster_id: str | None
    version: int
    is_current: bool
    supersedes: str | None
    ingested_at: str
    #: local speaker id (s1, s2, …) -> canonical speaker id across documents
    canonical: dict[str, str]
    copies: list[dict[str, Any]]

    def ledger_info(self) -> dict[str, Any]:
        """The ``ledger`` object the API adds beside the contract's fields."""
        return {
            "outlet": self.outlet,
            "cluster_id": self.cluster_id,
            "version": self.version,
            "is_current": self.is_current,
            "supersedes": self.supersedes,
            "ingested_at": self.ingested_at,
            "speakers": self.canonical,
            "copies": self.copies,
        }


def _rows(conn: Connection, tbl: Any, seq: int) -> Sequence[Any]:
    return conn.execute(select(tbl).where(tbl.c.doc_seq == seq).order_by(tbl.c.idx)).all()


def document(conn: Connection, doc_id: str) -> StoredDocument | None:
    """One document with its sections, speakers, quotes, numbers, anonymous sources and copies."""
    if _CONTROL.search(doc_id):  # no id holds one; PostgreSQL would reject the string
        return None
    # Named columns: not the MinHash signature, and new columns do not change what is read.
    row = conn.execute(
        select(
            D.id,
            D.source,
            D.url,
            D.title,
            D.published,
            D.language,
            D.outlet,
            D.status,
            D.errors,
            D.text,
            D.version,
            D.supersedes,
            D.is_current,
            D.cluster_id,
            D.provenance,
            D.ingested_at,
            D.seq,
        ).where(D.id == doc_id)
    ).first()
    if row is None:
        return None
    doc = Document(
        id=row.id,
        source=row.source,
        text=row.text,
        title=row.title,
        url=row.url,
        published=row.published,
        language=row.language or "und",
        status=row.status,
        errors=[ErrorItem(e["code"], e["message"]) for e in row.errors or []],
        provenance=dict(row.provenance or {}),
    )
    doc.sections = [
        Section(s.kind, s.start, s.end, doc.text[s.start : s.end]) for s in _rows(conn, t.sections, row.seq)
    ]
    ds = conn.execute(
        select(t.doc_speakers).where(t.doc_speakers.c.doc_seq == row.seq).order_by(t.doc_speakers.c.local_id)
    ).all()
    speakers = {
        s.local_id: Speaker(
            s.local_id,
            s.name,
            s.type,
            s.description,
            s.role,
            s.affiliation,
            [tuple(m) for m in s.mentions or []],
        )
        for s in ds
    }
    # Local ids sort s1, s10, s2 as text: order them by number for a stable, readable list.
    doc.speakers = sorted(speakers.values(), key=lambda s: (len(s.id), s.id))
    doc.quotes = [
        Quote(q.text, q.start, q.end, q.kind, q.cue, speakers.get(q.local_speaker), q.section)
        for q in _rows(conn, t.quotes, row.seq)
    ]
    doc.numbers = [
        NumberClaim(
            n.text,
            n.start,
            n.end,
            n.low,
            n.high,
            bool(n.approximate),
            n.unit,
            n.counts,
            n.category,
            Claimant(n.claimant_type, speakers.get(n.local_speaker), n.claimant_name, n.claimant_description),
            n.hedge,
            n.section,
        )
        for n in _rows(conn, t.numbers, row.seq)
    ]
    doc.anonymous_sources = [
        AnonymousSource(a.local_speaker, a.description, a.reason, a.start, a.end)
        for a in _rows(conn, t.anonymous_sources, row.seq)
    ]
    copies: list[dict[str, Any]] = []
    if row.cluster_id:
        copies = [
            dict(r._mapping)
            for r in conn.execute(
                select(D.id, D.source, D.title, D.url, D.published, D.outlet)
                .where(D.cluster_id == row.cluster_id, D.id != doc_id, D.is_current.is_(True))
                .order_by(D.ingested_at)
                .limit(100)
            )
        ]
    return StoredDocument(
        doc=doc,
        outlet=row.outlet,
        cluster_id=row.cluster_id,
        version=row.version,
        is_current=bool(row.is_current),
        supersedes=row.supersedes,
        ingested_at=row.ingested_at,
        canonical={s.local_id: s.speaker_id for s in ds},
        copies=copies,
    )


# -- quotes and numbers -----------------------------------------------------------------------------


def _claims_page(
    conn: Connection,
    stmt: Select,
    kind: str,
    claim: Any,
    limit: int,
    after: str | None,
    doc_where: list[ColumnElement[bool]] | None = None,
) -> Page:
    """Claims of the newest documents first (undated last); within a document, in text order.

    With ``doc_where`` (no claim-level filter), documents are walked newest first by their date
    index and their claims fetched in batches: one SQL query over the join would sort every claim
    of the ledger to return one page (150 ms at 10,000 documents; about 1 ms this way). A batch
    starts small, the next holds about the documents still needed, and each fetches only the
    claims still missing, so that a page of 1,000 claims reads (and cuts sentences for) about as
    many claims as it returns, not the claims of 1,000 documents.
    """
    key = (_DAY_OR_NONE, str, int)
    start = cur.decode(kind, after, key) if after else None
    order = (_newest_first(conn), D.id.desc(), claim.idx)
    keyfn = lambda r: [r["published"], r["doc_id"], r["idx"]]  # noqa: E731
    if doc_where is None:
        if start:
            p, d, i = start
            stmt = stmt.where(_after_published(p, or_(D.id < d, and_(D.id == d, claim.idx > i))))
        rows = _dicts(conn.execute(stmt.order_by(*order).limit(limit + 1)))
        return _page(rows, limit, kind, keyfn)
    rows = []
    p, d, i = start if start else (None, None, -1)
    inclusive = d is not None  # the cursor's own document may have claims left after idx i
    size = min(limit + 1, _FIRST_BATCH)
    seen = 0  # documents walked so far
    while len(rows) <= limit:
        docs = select(D.id, D.seq, D.published).where(*doc_where)
        if d is not None:
            docs = docs.where(_after_published(p, D.id <= d if inclusive else D.id < d))
        batch = conn.execute(docs.order_by(_newest_first(conn), D.id.desc()).limit(size)).all()
        if not batch:
            break
        claims = stmt.where(claim.doc_seq.in_([b.seq for b in batch]))
        if inclusive:
            claims = claims.where(or_(D.id != d, claim.idx > i))
        rows += _dicts(conn.execute(claims.order_by(*order).limit(limit + 1 - len(rows))))
        p, d, inclusive = batch[-1].published, batch[-1].id, False
        if len(batch) < size:
            break
        # The next batch: about the documents still needed at the claims per document seen so far
        # (a quarter more), else twice as many. Each claim of a batch is read and sorted before
        # the limit applies, so doubling read about twice the claims a page of 1,000 returns.
        seen += len(batch)
        needed = math.ceil((limit + 1 - len(rows)) * seen / len(rows) * 1.25) if rows else 2 * size
        size = max(1, min(needed, 2 * size, limit + 1))
    return _page(rows, limit, kind, keyfn)


#: Sortable columns of the claim and speaker listings (``sort=<name>`` ascending, ``sort=-<name>``
#: descending); anything else is refused before a query is built.
QUOTE_SORTS = ("date", "speaker", "quote", "kind", "document")
NUMBER_SORTS = ("date", "expression", "value", "counts", "category", "claimant", "document")
SPEAKER_SORTS = ("name", "type", "documents", "quotes")
#: Characters of a text column that a sort compares: the cursor carries the value, and must stay short.
_SORT_CHARS = 80


def sort_pattern(names: Sequence[str]) -> str:
    """The regular expression of a ``sort`` parameter over ``names`` (empty: the default order, as
    an empty form field means)."""
    return "^(-?(" + "|".join(names) + "))?$"


def _text_key(col: Any) -> ColumnElement[str]:
    """A text column as a sort compares it: case-folded (ASCII in SQLite), its first characters."""
    return func.lower(func.substr(col, 1, _SORT_CHARS))


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of a sorted listing. NULLs (of a ``nullable`` key) come last in either direction;
    ``zero`` is what they compare as, and gives the key's type (text or number) to the cursor."""

    expr: ColumnElement[Any]
    zero: str | int = 0
    nullable: bool = False


def _sort_keys(spec: Sequence[SortKey], desc: bool) -> list[ColumnElement[Any]]:
    keys: list[ColumnElement[Any]] = []
    for k in spec:
        if k.nullable:
            # 0 for a value, 1 for NULL ascending (the other way round descending): NULLs last.
            keys.append(case((k.expr.is_(None), 0 if desc else 1), else_=1 if desc else 0))
            keys.append(func.coalesce(k.expr, k.zero))
        else:
            keys.append(k.expr)
    return keys


def _cursor_types(spec: Sequence[SortKey]) -> tuple[type | tuple[type, ...], ...]:
    types: list[type | tuple[type, ...]] = []
    for k in spec:
        types += [int] if k.nullable else []
        types.append(str if isinstance(k.zero, str) else (int, float))
    return tuple(types)


def _sorted_page(
    conn: Connection,
    stmt: Select,
    kind: str,
    spec: Sequence[SortKey],
    desc: bool,
    limit: int,
    after: str | None,
) -> tuple[list[tuple[Any, ...]], str | None]:
    """The sort keys of a page of ``stmt`` (with the same joins and filters) in ``spec``'s order
    (every key descending with ``desc``), after the cursor ``after``, and the next page's cursor.

    Only the keys are sorted, and the cursor's key is one row-value comparison; the rows' other
    columns (a number's sentence, cut from its document's text) are read for the page alone."""
    keys = _sort_keys(spec, desc)
    ids = stmt.with_only_columns(*(k.label(f"k{i}") for i, k in enumerate(keys)))
    if after:
        at = tuple_(*(literal(v) for v in cur.decode(kind, after, _cursor_types(spec))))
        ids = ids.where(tuple_(*keys) < at if desc else tuple_(*keys) > at)
    ids = ids.order_by(*(k.desc() if desc else k for k in keys)).limit(limit + 1)
    found = [tuple(r) for r in conn.execute(ids).all()]
    if len(found) <= limit:
        return found, None
    return found[:limit], cur.encode(kind, list(found[limit - 1]))


def _sorted_claims(
    conn: Connection,
    stmt: Select,
    kind: str,
    claim: Any,
    sort: str,
    by: dict[str, SortKey],
    limit: int,
    after: str | None,
) -> Page:
    """Claims of ``stmt`` sorted by the column ``sort`` names (one of ``by``; ``-name``
    descending), then by stored document and text order (the other way round descending)."""
    spec = [by[sort.lstrip("-")], SortKey(claim.doc_seq), SortKey(claim.idx)]
    found, nxt = _sorted_page(conn, stmt, f"{kind}:{sort}", spec, sort.startswith("-"), limit, after)
    if not found:
        return Page([])
    ids = [(k[-2], k[-1]) for k in found]
    # The documents' seq too, so that SQLite looks the rows up by key rather than scanning the table.
    pick = and_(claim.doc_seq.in_({s for s, _ in ids}), tuple_(claim.doc_seq, claim.idx).in_(ids))
    rows = _dicts(conn.execute(stmt.add_columns(claim.doc_seq.label("_seq")).where(pick)))
    at = {k: i for i, k in enumerate(ids)}
    rows.sort(key=lambda r: at[(r["_seq"], r["idx"])])
    for r in rows:
        del r["_seq"]
    return Page(rows, nxt)


def quotes(
    conn: Connection, f: Filters, limit: int, after: str | None = None, sort: str | None = None
) -> Page:
    """Quotes of current documents with their speakers and documents, newest document first, or
    sorted by one of :data:`QUOTE_SORTS` (``sort``; ``-date`` is the default order)."""
    doc_where = _document_filters(Filters(since=f.since, until=f.until, outlet=f.outlet))
    stmt = (
        select(
            D.id.label("doc_id"),
            Q.idx,
            Q.text,
            Q.start,
            Q.end,
            Q.kind,
            Q.cue,
            Q.section,
            Q.speaker_id,
            S.name.label("speaker"),
            S.type.label("speaker_type"),
            D.title,
            D.url,
            D.published,
            D.outlet,
        )
        .select_from(
            t.quotes.join(t.documents, D.seq == Q.doc_seq).outerjoin(t.speakers, S.id == Q.speaker_id)
        )
        .where(*doc_where)
    )
    if f.speaker:
        stmt = stmt.where(_speaker_match(Q.speaker_id, f.speaker))
    if sort and sort != "-date":
        by = {
            "date": SortKey(D.published, zero="", nullable=True),
            # As the table shows the speaker: the name, else the id. Names are short: compared whole.
            "speaker": SortKey(func.coalesce(S.name, Q.speaker_id), zero="", nullable=True),
            "quote": SortKey(_text_key(Q.text), zero=""),
            "kind": SortKey(Q.kind, zero=""),
            "document": SortKey(_text_key(D.title), zero="", nullable=True),
        }
        return _sorted_claims(conn, stmt, "quotes", Q, sort, by, limit, after)
    return _claims_page(conn, stmt, "quotes", Q, limit, after, None if f.speaker else doc_where)


def numbers(
    conn: Connection, f: Filters, limit: int, after: str | None = None, sort: str | None = None
) -> Page:
    """Numeric claims of current documents: range, what is counted, category and claimant; newest
    document first, or sorted by one of :data:`NUMBER_SORTS` (``sort``; the value is the lower
    bound, else the upper one)."""
    doc_where = _document_filters(Filters(since=f.since, until=f.until, outlet=f.outlet))
    claimant = t.claimant_label()
    stmt = (
        select(
            D.id.label("doc_id"),
            N.idx,
            N.text,
            N.start,
            N.end,
            N.low,
            N.high,
            N.approximate,
            N.unit,
            N.counts,
            N.category,
            N.claimant_type,
            claimant.label("claimant"),
            N.speaker_id,
            N.hedge,
            N.section,
            t.sentence_text().label("sentence"),
            D.title,
            D.url,
            D.published,
            D.outlet,
        )
        .select_from(
            _with_claimants(t.numbers.join(t.documents, D.seq == N.doc_seq))
        )
        .where(*doc_where)
    )
    if f.category:
        stmt = stmt.where(N.category == f.category)
    if f.speaker:
        stmt = stmt.where(_speaker_match(N.speaker_id, f.speaker))
    if f.claimant:
        stmt = stmt.where(
            or_(
                N.claimant_type == f.claimant,
                func.lower(claimant).like(_like(f.claimant), escape=_LIKE_ESCAPE),
            )
        )
    if sort and sort != "-date":
        by = {
            "date": SortKey(D.published, zero="", nullable=True),
            "expression": SortKey(_text_key(N.text), zero=""),
            "value": SortKey(func.coalesce(N.low, N.high), nullable=True),
            "counts": SortKey(_text_key(N.counts), zero="", nullable=True),
            "category": SortKey(N.category, zero="", nullable=True),
            "claimant": SortKey(_text_key(claimant), zero=""),  # the claimant type at least
            "document": SortKey(_text_key(D.title), zero="", nullable=True),
        }
        page = _sorted_claims(conn, stmt, "numbers", N, sort, by, limit, after)
    else:
        narrow = bool(f.category or f.speaker or f.claimant)
        page = _claims_page(conn, stmt, "numbers", N, limit, after, None if narrow else doc_where)
    for r in page.items:
        r["approximate"] = bool(r["approximate"])
    return page


def categories(conn: Connection) -> list[str]:
    """Number categories present in the ledger (for filter menus), in order.

    A loose index scan: from each category to the next one in ``ix_numbers_category``, one index
    lookup per category, where ``SELECT DISTINCT`` reads every entry (1.6 ms at 5,000 documents
    and growing with them, against 0.02 ms) on every search and numbers page.
    """
    later = t.numbers.alias("later")
    walk = select(func.min(N.category).label("category")).cte("categories", recursive=True)
    following = select(func.min(later.c.category)).where(later.c.category > walk.c.category)
    walk = walk.union_all(select(following.scalar_subquery()).where(walk.c.category.is_not(None)))
    return list(conn.execute(select(walk.c.category).where(walk.c.category.is_not(None))).scalars())


# -- speakers ---------------------------------------------------------------------------------------

_SPEAKER_COLUMNS = (S.id, S.name, S.type, S.aliases, S.roles, S.affiliations, S.description)


def _counts(speaker_id: ColumnElement[str]) -> tuple[Any, Any]:
    n_quotes = select(func.count()).where(Q.speaker_id == speaker_id).scalar_subquery()
    n_docs = select(func.count(func.distinct(Q.doc_seq))).where(Q.speaker_id == speaker_id).scalar_subquery()
    return n_quotes.label("quotes"), n_docs.label("documents")


def speakers(
    conn: Connection,
    words: str | None,
    kind: str | None,
    limit: int,
    after: str | None = None,
    sort: str | None = None,
) -> Page:
    """Speakers who have at least one quote, by name (or sorted by one of :data:`SPEAKER_SORTS`,
    ``sort``); ``words`` match a name or an alias.

    The page's ids are chosen first, walking ``ix_speakers_sort`` in order, and the quote counts
    made for them only: with the counts in the same query, SQLite counts the quotes of every
    speaker before it sorts and cuts (65 ms at 5,000 documents for a page of 50; 1 ms now).
    """
    # People and organisations by name; unnamed speakers by their description ("a senior official").
    name = t.speaker_sort_name()
    ids = select(S.id, name.label("sort_name")).where(exists().where(Q.speaker_id == S.id))
    if words:
        ids = ids.where(_speaker_match(S.id, words))
    if kind:
        ids = ids.where(S.type == kind)
    if sort and sort != "name":
        return _sorted_speakers(conn, ids, sort, limit, after)
    if after:
        n, i = cur.decode("speakers", after, (str, str))
        ids = ids.where(or_(name > n, and_(name == n, S.id > i)))
    page = ids.order_by(name, S.id).limit(limit + 1).subquery()
    stmt = (
        select(*_SPEAKER_COLUMNS, *_counts(S.id))
        .select_from(t.speakers.join(page, page.c.id == S.id))
        .order_by(page.c.sort_name, S.id)
    )
    rows = _dicts(conn.execute(stmt))
    return _page(rows, limit, "speakers", lambda r: [r["name"] or r["description"] or "", r["id"]])


def _sorted_speakers(conn: Connection, ids: Select, sort: str, limit: int, after: str | None) -> Page:
    """Speakers of ``ids`` sorted by ``sort``, then by name. Sorting by a count counts the quotes
    of every speaker listed (tens of milliseconds at 5,000 documents): only when asked for."""
    name = t.speaker_sort_name()
    n_quotes, n_docs = _counts(S.id)
    by = {
        "name": SortKey(name, zero=""),
        "type": SortKey(S.type, zero="", nullable=True),
        "documents": SortKey(n_docs.element),
        "quotes": SortKey(n_quotes.element),
    }
    spec = [by[sort.lstrip("-")], SortKey(name, zero=""), SortKey(S.id, zero="")]
    found, nxt = _sorted_page(conn, ids, f"speakers:{sort}", spec, sort.startswith("-"), limit, after)
    order = {k[-1]: i for i, k in enumerate(found)}
    rows = _dicts(conn.execute(select(*_SPEAKER_COLUMNS, *_counts(S.id)).where(S.id.in_(list(order)))))
    rows.sort(key=lambda r: order[r["id"]])
    return Page(rows, nxt)


def speaker(conn: Connection, speaker_id: str, limit: int) -> dict[str, Any] | None:
    """One speaker with its counts and its appearances (role, affiliation, description per document)."""
    if _CONTROL.search(speaker_id):
        return None
    row = conn.execute(select(*_SPEAKER_COLUMNS, *_counts(S.id)).where(S.id == speaker_id)).first()
    if row is None:
        return None
    ds = t.doc_speakers.c
    seen = conn.execute(
        select(
            D.id.label("doc_id"),
            *(ds.local_id, ds.name, ds.role, ds.affiliation, ds.description, D.title, D.published),
        )
        .select_from(t.doc_speakers.join(t.documents, D.seq == ds.doc_seq))
        .where(ds.speaker_id == speaker_id, D.is_current.is_(True))
        .order_by(_published(), D.id)
        .limit(limit)
    ).all()
    return {**dict(row._mapping), "appearances": [dict(r._mapping) for r in seen]}


# -- trackers ---------------------------------------------------------------------------------------


def ledger_stamp(conn: Connection) -> tuple[int, int | None]:
    """What identifies the ledger's content: documents are never deleted, and every change (a new
    document, a new version, a speaker or cluster it updates) stores a document, which adds one to
    the count and (usually) raises the largest ``seq``. As two scalar subqueries, SQLite counts
    with its row-count shortcut and finds the largest ``seq`` in the index (0.2 ms at 5,000
    documents; one query with both aggregates scans the index, 0.8 ms)."""
    count = select(func.count()).select_from(t.documents).scalar_subquery()
    row = conn.execute(select(count, select(func.max(D.seq)).scalar_subquery())).one()
    return int(row[0]), row[1]


def tracker_rows(
    conn: Connection, categories_: Sequence[str], limit: int, min_value: float | None = None
) -> list[dict[str, Any]]:
    """Number rows of the given categories in the shape :func:`claimledger.ledger.trackers.timeline` takes.

    ``quote_id`` carries the number's anchor in the document view (``n<idx>``), so each point can
    link to its sentence. ``min_value`` leaves out, in SQL, the figures a tracker with that
    ``min_value`` would ignore (see :func:`claimledger.ledger.trackers.matches`).
    """
    page = numbers_for_categories(conn, categories_, limit, min_value)
    return [
        {
            "published": r["published"],
            "low": r["low"],
            "high": r["high"],
            "approximate": bool(r["approximate"]),
            "text": r["text"],
            "counts": r["counts"],
            "category": r["category"],
            "claimant_name": r["claimant"],
            "claimant_type": r["claimant_type"],
            # The outlet's name, else the URL's host: never a file path (``source``).
            "outlet": outlet_name(r["outlet"], r["url"]),
            "document": r["doc_id"],
            "cluster": r["cluster_id"] or r["doc_id"],
            "sentence": r["sentence"],
            "quote_id": f"n{r['idx']}",
        }
        for r in page
    ]


def numbers_for_categories(
    conn: Connection, categories_: Sequence[str], limit: int, min_value: float | None = None
) -> list[dict[str, Any]]:
    """Every number of current documents in ``categories_`` (at most ``limit``), for trackers.

    Only figures with a value: with ``min_value``, one of their bounds at least that.
    """
    valued = or_(N.low >= min_value, N.high >= min_value) if min_value is not None else or_(
        N.low.is_not(None), N.high.is_not(None)
    )
    stmt = (
        select(
            D.id.label("doc_id"),
            N.idx,
            N.text,
            N.low,
            N.high,
            N.approximate,
            N.counts,
            N.category,
            N.claimant_type,
            t.claimant_label().label("claimant"),
            t.sentence_text().label("sentence"),
            D.published,
            D.outlet,
            D.url,
            D.cluster_id,
        )
        .select_from(
            _with_claimants(t.numbers.join(t.documents, D.seq == N.doc_seq))
        )
        .where(D.is_current.is_(True), N.category.in_(list(categories_)) if categories_ else true(), valued)
        .limit(limit)
    )
    # Fetched in one call, then converted: the time limit counts the statement, not Python's work.
    return _dicts(conn.execute(stmt))


# -- one claim and its provenance -------------------------------------------------------------------

#: Documents listed as carrying the same claim, at most.
PROVENANCE_LIMIT = 100


def claim(conn: Connection, doc_id: str, kind: str, idx: int) -> dict[str, Any] | None:
    """One quote (``kind`` "quotes") or number ("numbers") of a document, with the document's
    facts, the speaker as the document names them, the document's text and cluster."""
    if _CONTROL.search(doc_id):
        return None
    ds = t.doc_speakers.c
    doc_cols = (
        D.id.label("doc_id"),
        D.seq.label("doc_seq"),
        D.title,
        D.url,
        D.source,
        D.published,
        D.outlet,
        D.cluster_id,
        D.is_current,
        D.text.label("doc_text"),
    )
    who = (
        ds.name.label("speaker_name"),
        ds.description.label("speaker_description"),
        ds.role.label("speaker_role"),
        ds.affiliation.label("speaker_affiliation"),
    )
    if kind == "quotes":
        c = Q
        cols: tuple[Any, ...] = (
            Q.idx, Q.text, Q.start, Q.end, Q.kind, Q.cue, Q.section, Q.speaker_id,
            S.name.label("speaker"), S.type.label("speaker_type"),
        )  # fmt: skip
        tbl = t.quotes
    else:
        c = N
        claimant = t.claimant_label()
        cols = (
            N.idx, N.text, N.start, N.end, N.low, N.high, N.approximate, N.unit, N.counts, N.category,
            N.claimant_type, claimant.label("claimant"), N.speaker_id, N.hedge, N.section,
            N.sentence_start, N.sentence_end,
        )  # fmt: skip
        tbl = t.numbers
    row = conn.execute(
        select(*cols, *doc_cols, *who)
        .select_from(
            tbl.join(t.documents, D.seq == c.doc_seq)
            .outerjoin(t.speakers, S.id == c.speaker_id)
            .outerjoin(t.doc_speakers, and_(ds.doc_seq == c.doc_seq, ds.local_id == c.local_speaker))
        )
        .where(D.id == doc_id, c.idx == idx)
    ).first()
    if row is None:
        return None
    out = dict(row._mapping)
    if kind == "numbers":
        out["approximate"] = bool(out["approximate"])
    out["is_current"] = bool(out["is_current"])
    # The same speaker's other claims in this document.
    out["same_speaker"] = (
        _dicts(
            conn.execute(
                select(c.idx, c.text)
                .where(c.doc_seq == out["doc_seq"], c.speaker_id == out["speaker_id"], c.idx != idx)
                .order_by(c.idx)
                .limit(PROVENANCE_LIMIT)
            )
        )
        if out["speaker_id"]
        else []
    )
    return out


def provenance(conn: Connection, kind: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The current documents that carry the same claim as ``row`` (from :func:`claim`), its own
    document included, earliest published first (undated last, then by ingestion).

    The same claim is the same words: in a syndicated copy (same cluster), or by the same speaker
    anywhere; a number also counts when another document states the same words and value in the
    same category. Each condition walks an index (cluster, speaker, category), never every claim.
    """
    c = Q if kind == "quotes" else N
    tbl = t.quotes if kind == "quotes" else t.numbers
    where: list[ColumnElement[bool]] = [c.doc_seq == row["doc_seq"]]
    if row["cluster_id"]:
        where.append(c.doc_seq.in_(select(D.seq).where(D.cluster_id == row["cluster_id"])))
    if row["speaker_id"]:
        where.append(c.speaker_id == row["speaker_id"])
    same = [c.text == row["text"]]
    if kind == "numbers":
        if row["category"]:
            where.append(N.category == row["category"])
        for col in (N.low, N.high):
            value = row[col.name]
            same.append(col.is_(None) if value is None else col == value)
    stmt = (
        select(
            D.id.label("doc_id"),
            func.min(c.idx).label("idx"),
            D.title,
            D.url,
            D.source,
            D.published,
            D.outlet,
            D.ingested_at,
        )
        .select_from(tbl.join(t.documents, D.seq == c.doc_seq))
        .where(or_(*where), *same, or_(D.is_current.is_(True), D.id == row["doc_id"]))
        .group_by(D.id, D.title, D.url, D.source, D.published, D.outlet, D.ingested_at)
        .order_by(D.published.is_(None), D.published, D.ingested_at, D.id)
        .limit(PROVENANCE_LIMIT)
    )
    return _dicts(conn.execute(stmt))


# -- facets -----------------------------------------------------------------------------------------

#: Values listed per facet, the most frequent first.
FACET_VALUES = 8


def claim_facets(conn: Connection, kind: str, f: Filters, top: int = FACET_VALUES) -> dict[str, Any]:
    """The number of quotes (``kind`` "quotes") or numbers matching ``f`` — the same filters as
    :func:`quotes` / :func:`numbers` — and their most frequent values per facet: speaker and kind
    of quote, category and claimant type of a number, outlet and month of publication."""
    c = Q if kind == "quotes" else N
    tbl = t.quotes if kind == "quotes" else t.numbers
    joined: Any = tbl.join(t.documents, D.seq == c.doc_seq)
    doc_where = _document_filters(Filters(since=f.since, until=f.until, outlet=f.outlet))
    where = list(doc_where)
    if f.speaker:
        where.append(_speaker_match(c.speaker_id, f.speaker))
    if kind == "numbers":
        if f.category:
            where.append(N.category == f.category)
        if f.claimant:
            joined = _with_claimants(joined)
            claimant = t.claimant_label()
            where.append(
                or_(
                    N.claimant_type == f.claimant,
                    func.lower(claimant).like(_like(f.claimant), escape=_LIKE_ESCAPE),
                )
            )
    n = func.count().label("n")
    month = func.substr(D.published, 1, 7)
    # The facets with few values (kind of quote; category and claimant type of a number; month)
    # are counted together in one pass, grouped by all of them, and the total is their sum: each
    # counted alone read every matching claim again (four passes over 40,000 claims at 5,000
    # documents). The speaker facet (thousands of values) is its own query.
    small: dict[str, Any] = (
        {"kind": Q.kind} if kind == "quotes" else {"category": N.category, "claimant type": N.claimant_type}
    )
    small["month"] = month
    groups = conn.execute(
        select(*(col.label(name) for name, col in small.items()), n)
        .select_from(joined)
        .where(*where)
        # Month first: grouped by category first, SQLite walks the category index and looks up
        # each number's row (65 ms at 5,000 documents) rather than reading them in order (49 ms).
        .group_by(month, *(col for name, col in small.items() if name != "month"))
    ).all()
    total = sum(g.n for g in groups)
    facets: dict[str, list[dict[str, Any]]] = {}
    if kind == "quotes":
        # The top speakers by id, then their names: a name per quote made the grouping 3 times
        # slower. Documents as a list (``IN``), not a join: joined, SQLite walks the speaker index
        # and looks up each quote's row and document (52 ms at 5,000 documents, 22 ms this way).
        top_ids = (
            select(Q.speaker_id.label("value"), n)
            .where(Q.doc_seq.in_(select(D.seq).where(*doc_where)), *where[len(doc_where) :])
            .where(Q.speaker_id.is_not(None))
            .group_by(Q.speaker_id)
            .order_by(n.desc(), Q.speaker_id)
            .limit(top)
            .subquery()
        )
        label = select(S.name).where(S.id == top_ids.c.value).scalar_subquery()
        facets["speaker"] = _dicts(
            conn.execute(
                select(top_ids.c.value, label.label("label"), top_ids.c.n).order_by(
                    top_ids.c.n.desc(), top_ids.c.value
                )
            )
        )
    for i, name in enumerate(small):
        counts: dict[Any, int] = {}
        for g in groups:
            if g[i] is not None:
                counts[g[i]] = counts.get(g[i], 0) + g.n
        # Most frequent first, then by value (as SQL orders text: by code point).
        ranked = sorted(counts.items(), key=lambda vn: (-vn[1], vn[0]))[:top]
        facets[name] = [{"value": v, "n": c} for v, c in ranked]
    # Outlets may be many: their own pass, like the speakers (grouped with the small facets, they
    # would multiply the groups).
    outlets = (
        select(D.outlet.label("value"), n)
        .select_from(joined)
        .where(*where, D.outlet.is_not(None))
        .group_by(D.outlet)
        .order_by(n.desc(), D.outlet)
        .limit(top)
    )
    month_counts = facets.pop("month")
    facets["outlet"] = _dicts(conn.execute(outlets))
    facets["month"] = month_counts
    return {"total": total, "facets": facets}
