"""The :class:`Ledger`: documents and their claims in SQLite (default) or PostgreSQL.

Ingestion is one transaction per document and idempotent by content hash: the same text twice
changes nothing; a changed text at the same source becomes a new version and the old one is
kept (``is_current`` false). A run killed at any moment leaves either the whole document or
nothing of it, so re-running completes the rest.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Engine,
    bindparam,
    create_engine,
    event,
    false,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from .. import errors
from .._version import __version__
from ..model import Document, ErrorItem
from ..output import QueryRows
from ..settings import Settings
from . import queries
from . import schema as t
from .dedup import NearDuplicateIndex, signatures
from .resolve import CanonicalSpeaker, SpeakerRecord, resolve_into, speaker_key
from .writer import (
    Rows,
    Statements,
    WriterProcess,
    WriterProcessError,
    exit_with_parent,
    sqlite_pragmas,
    write_rows,
)

log = logging.getLogger(__name__)

DEFAULT_DB = "claimledger.db"
#: Documents per transaction from which ingestion is a bulk load: signatures are computed ahead
#: in a helper process and transactions are written beside the next one's preparation (``_Writing``).
_BULK_MIN = 100
# JSON columns as SQLAlchemy's JSON type would store them, by one encoder: json.dumps with options
# builds a new one per call (2.4 µs against 1.4 µs for a speaker's list of roles).
_json = json.JSONEncoder(ensure_ascii=False).encode
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s")


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ingesting one document did: ``ingested``, ``unchanged``, ``version`` or ``failed``."""

    source: str
    doc_id: str | None
    outcome: str
    cluster_id: str | None = None
    code: str | None = None
    message: str | None = None


def database_url(db: str | Path) -> str:
    """``--db`` as given: a SQLAlchemy URL, or a path to a SQLite file."""
    s = str(db)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).expanduser()}"


class LedgerError(Exception):
    """The ledger cannot be opened as asked; ``item`` says why and what to do.

    ``usage`` is true when the fix is in the command itself (a mistyped ``--db``), so that the
    command line can exit with its usage code.
    """

    def __init__(self, item: ErrorItem, *, usage: bool = False) -> None:
        super().__init__(f"{item.code}: {item.message}")
        self.item = item
        self.usage = usage


def reason(exc: BaseException) -> str:
    """The useful line of a database error: the driver's own message, without SQLAlchemy's SQL
    echo and "Background on this error" link."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def display_db(db: str | Path) -> str:
    """``--db`` as it may be shown: a URL without its password."""
    s = str(db)
    if "://" not in s:
        return s
    try:
        return make_url(s).render_as_string(hide_password=True)
    except ArgumentError:
        return s


# A colon before the first slash: SQLite's ``file:`` and ``:memory:`` forms, or a URL without ``//``.
_NOT_A_PATH = re.compile(r"^[^/\\]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")


def check_db(db: str | Path) -> None:
    """Refuse a ``--db`` that is neither a file path nor a database URL, before anything is created.

    ``'::::'``, ``file::memory:?cache=shared`` and ``:memory:`` would otherwise become oddly named
    files (or a ledger lost when the command ends).
    """
    s = str(db)

    def bad(why: str) -> LedgerError:
        return LedgerError(errors.BAD_DB.item(value=s, reason=why), usage=True)

    if not s.strip():
        raise bad("it is empty")
    if "://" in s:
        try:
            url = make_url(s)
        except ArgumentError as exc:
            raise bad(f"not a valid URL: {exc}") from exc
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            raise bad("an in-memory database is lost when the command ends")
        return
    if _NOT_A_PATH.match(s) and not _DRIVE.match(s):
        raise bad("a colon before the first slash is URL or SQLite URI syntax")


def sqlite_file(db: str | Path) -> Path | None:
    """The file of a SQLite ledger (``None`` for another database or an in-memory one)."""
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def require_ledger(db: str | Path) -> None:
    """Raise :class:`LedgerError` when ``db`` names a SQLite file that does not exist: reading
    must never create a ledger at a mistyped path."""
    check_db(db)
    path = sqlite_file(db)
    if path is not None and not path.is_file():
        raise LedgerError(errors.NO_LEDGER.item(path=str(db)), usage=True)


def _readonly_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite opened with ``mode=ro``, PostgreSQL read-only sessions.

    Reading then needs no write access to the file or its folder.
    """
    path = sqlite_file(url)
    if path is None:
        return create_engine(url, connect_args={"options": "-c default_transaction_read_only=on"})
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    wal = path.with_name(path.name + "-wal")

    def open_(address: str) -> sqlite3.Connection:
        return sqlite3.connect(address, uri=True, isolation_level=None, check_same_thread=False)

    def connect() -> sqlite3.Connection:
        conn = open_(uri)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            if wal.exists():
                raise
            # A WAL-mode ledger in a folder we cannot write: SQLite cannot create the shared-memory
            # file it reads through. With no write-ahead log beside it nobody is writing it, so it
            # is read as an immutable file (SQLite's documented way for read-only media).
            conn = open_(uri + "&immutable=1")
        conn.execute("PRAGMA busy_timeout=10000")
        return conn

    return create_engine("sqlite://", creator=connect, poolclass=QueuePool)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("claimledger_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class _Checkpointer:
    """Copies the SQLite write-ahead log into the database file in a background thread.

    A passive checkpoint from a connection of its own never blocks the writer or the readers, so
    copying and syncing pages (the cost that grows with the database) overlaps the next
    transaction instead of lengthening this one. Woken after each commit; wake-ups coalesce.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="claimledger-checkpoint", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    break
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # busy or locked: the next commit wakes it again
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            conn.close()

    def close(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join()


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence around a span (within its line), for people reading a number's context."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    for m in _SENTENCE_END.finditer(text, lo, start):
        lo = m.end()
    stop = _SENTENCE_END.search(text, end, hi)
    hi = stop.start() + 1 if stop else hi
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


class Ledger:
    """A ledger database. ``Ledger("claimledger.db")`` or ``Ledger("postgresql+psycopg://…")``."""

    def __init__(
        self,
        db: str | Path = DEFAULT_DB,
        *,
        settings: Settings | None = None,
        migrate: bool = True,
        readonly: bool = False,
    ):
        """Open (or create) the ledger at ``db`` and bring its schema up to date.

        ``readonly=True`` opens an existing ledger for reading only: nothing is created or
        migrated, so a read-only file in a read-only folder can be read. It raises
        :class:`LedgerError` when there is no ledger at ``db`` or its schema is older than this
        code (run a write command, e.g. ``claimledger upgrade``, to bring it up to date).
        """
        self.url = database_url(db)
        self.settings = settings or Settings.from_env()
        self.readonly = readonly
        if readonly:
            require_ledger(db)
        self.engine: Engine = _readonly_engine(self.url) if readonly else create_engine(self.url, future=True)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            if not readonly:
                event.listen(self.engine, "connect", sqlite_pragmas)
            # pysqlite does not begin a transaction before DDL; take over so that a migration
            # killed half-way rolls back whole (SQLAlchemy's documented SQLite recipe). Writes
            # take the write lock at once; reads begin deferred and never wait for a writer.
            event.listen(self.engine, "begin", _sqlite_begin)
        if readonly:
            self._check_revision(display_db(db))
        elif migrate:
            self.migrate()
        self._index: NearDuplicateIndex | None = None
        self._prepare_statements()
        pipeline = f"{self.settings.pipeline} {self.settings.pipeline_version}"
        self._extractor = f"claimledger {__version__}; {pipeline}"
        self._cluster_of: dict[str, str] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._pool_failed = False
        self._checkpointer: _Checkpointer | None = None
        self._writer: WriterProcess | None = None
        self._writer_failed = False

    def _prepare_statements(self) -> None:
        """Statements built once: building SQLAlchemy constructs per row is the slow part of ingest."""
        d = t.documents.c
        self._q_known = select(d.id, d.version).where(
            (d.id == bindparam("id")) | ((d.source == bindparam("source")) & d.is_current)
        )
        self._q_known_many = select(d.id, d.version, d.source, d.is_current).where(
            d.id.in_(bindparam("ids", expanding=True))
            | (d.source.in_(bindparam("sources", expanding=True)) & d.is_current)
        )
        self._q_retire = (
            update(t.documents).where(d.source == bindparam("b_source")).values(is_current=false())
        )
        self._q_speakers_by_key = select(t.speakers).where(
            t.speakers.c.block_key.in_(bindparam("keys", expanding=True))
        )
        upsert_insert = sqlite_insert if self.dialect == "sqlite" else pg_insert
        ins = upsert_insert(t.clusters)
        self._q_cluster = ins.on_conflict_do_update(
            index_elements=[t.clusters.c.id], set_={"size": t.clusters.c.size + ins.excluded.size}
        )
        sp = upsert_insert(t.speakers)
        self._q_speaker_upsert = sp.on_conflict_do_update(
            index_elements=[t.speakers.c.id],
            set_={
                k: sp.excluded[k]
                for k in (
                    "name",
                    "type",
                    "block_key",
                    "aliases",
                    "roles",
                    "affiliations",
                    "evidence",
                    "description",
                )
            },
        )
        # SQLite: the statements SQLAlchemy compiles, run with rows encoded as the driver's tuples
        # (see _encode); PostgreSQL runs the statements themselves.
        self._raw: dict[str, tuple[str, list[str], dict[str, bool]]] = {}
        if self.dialect == "sqlite":
            statements = [(tb, insert(tb)) for tb in (t.documents, *_CLAIM_TABLES)]
            statements += [(t.clusters, self._q_cluster), (t.speakers, self._q_speaker_upsert)]
            for table, stmt in statements:
                compiled = stmt.compile(
                    dialect=self.engine.dialect, column_keys=[c.name for c in table.columns]
                )
                json_cols = {c.name: c.type.none_as_null for c in table.columns if isinstance(c.type, JSON)}
                self._raw[table.name] = (str(compiled), list(compiled.positiontup or []), json_cols)
            # write_rows adds the number of the transaction's first document to the first column.
            if any(self._raw[tb.name][1][0] != "doc_seq" for tb in _CLAIM_TABLES):
                raise RuntimeError("the claim tables' first column must be doc_seq")
            self._sql = Statements(
                retire=str(self._q_retire.compile(dialect=self.engine.dialect)),
                documents=self._raw["documents"][0],
                seq_column=self._raw["documents"][1].index("seq"),
                clusters=self._raw["clusters"][0],
                speakers=self._raw["speakers"][0],
                claims={tb.name: self._raw[tb.name][0] for tb in _CLAIM_TABLES},
            )

    # -- schema ------------------------------------------------------------------------------
    def _alembic(self, conn: Connection | None) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("claimledger.ledger") / "migrations"))
        cfg.attributes["connection"] = conn
        return cfg

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (on SQLite, ``BEGIN IMMEDIATE``: the write lock from the start)."""
        with self.engine.connect() as conn:
            conn.execution_options(claimledger_write=True)
            with conn.begin():
                yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest revision (no-op when it is already there)."""
        with self._write() as conn:
            cfg = self._alembic(conn)
            head = ScriptDirectory.from_config(cfg).get_current_head()
            if MigrationContext.configure(conn).get_current_revision() != head:
                command.upgrade(cfg, "head")

    def _check_revision(self, db: str) -> None:
        """Refuse to read a ledger whose schema this code does not know (readers never migrate)."""
        try:
            found = self.schema_revision()
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise LedgerError(errors.LEDGER_UNAVAILABLE.item(db=db, reason=reason(exc))) from exc
        script = ScriptDirectory.from_config(self._alembic(None))
        head = script.get_current_head()
        if found == head:
            return
        self.engine.dispose()
        if found is None:
            why = "it is not a claimledger ledger (it has no schema revision)"
        elif found in {r.revision for r in script.walk_revisions()}:
            raise LedgerError(errors.LEDGER_OUTDATED.item(db=db, found=found, head=head))
        else:
            why = f"its schema revision {found} is newer than this claimledger; upgrade claimledger"
        raise LedgerError(errors.LEDGER_UNAVAILABLE.item(db=db, reason=why))

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self._close_writer()
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingestion ---------------------------------------------------------------------------
    def _near_duplicates(self) -> NearDuplicateIndex:
        if self._index is None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.documents.c.id, t.documents.c.signature, t.documents.c.cluster_id).where(
                        t.documents.c.signature.is_not(None)
                    )
                ).all()
            self._index = NearDuplicateIndex.from_signatures((r.id, r.signature) for r in rows)
            self._cluster_of = {r.id: r.cluster_id for r in rows}
        return self._index

    def ingest(self, doc: Document, *, outlet: str | None = None) -> IngestResult:
        """Store one extracted document and its claims in one transaction."""
        return self.ingest_many([doc], outlet=outlet)[0]

    def ingest_many(
        self, docs: Iterable[Document], *, outlet: str | None = None, per_transaction: int = 1
    ) -> list[IngestResult]:
        """Store documents; each transaction holds ``per_transaction`` whole documents (1 by default).

        A transaction never holds part of a document, so a crash loses at most the documents of
        the transaction under way, never half of one; bulk loads may group documents for speed.
        """
        results: list[IngestResult] = []
        bulk = per_transaction >= _BULK_MIN
        signer = self._signer() if bulk else None
        # Bulk loads run three stages side by side: the next transaction's MinHash signatures are
        # computed in a helper process, this one's rows are prepared here, and the previous one
        # is written by a writer thread: into a SQLite file through the writer process (see
        # writer.py), into PostgreSQL by the thread itself (the server does the work).
        ahead: tuple[list[Document], Future[list[bytes]] | None] | None = None
        writing = _Writing(self) if bulk else None
        commit = writing.commit if writing else self._commit
        try:
            for failed, pending in _transactions(docs, per_transaction):
                results.extend(self._failed(d) for d in failed)
                if not pending:
                    continue
                future = self._sign_ahead(pending) if signer else None
                if ahead is not None:
                    results.extend(commit(*ahead, outlet))
                ahead = (pending, future)
            if ahead is not None:
                results.extend(commit(*ahead, outlet))
            if writing:
                results.extend(writing.drain())
        except BaseException:
            # Prepared transactions are dropped: the near-duplicate index is rebuilt from what
            # was committed.
            self._index, self._cluster_of = None, {}
            raise
        finally:
            if writing:
                writing.close()
        return results

    def _signer(self) -> ProcessPoolExecutor | None:
        if self._pool is None and (os.cpu_count() or 1) > 1 and not self._pool_failed:
            # Forked, not spawned: spawning would re-import the caller's main module, which a
            # library must not require to be guarded. The child only computes signatures.
            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("fork"), initializer=exit_with_parent
            )
        return self._pool

    def _sign_ahead(self, docs: list[Document]) -> Future[list[bytes]] | None:
        try:
            return self._pool.submit(signatures, [_article(d) for d in docs]) if self._pool else None
        except (BrokenProcessPool, RuntimeError, OSError) as exc:
            self._no_signer(exc)
            return None

    def _no_signer(self, exc: BaseException) -> None:
        log.warning("the signing helper process failed (%s); signing in the writer from now on", exc)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool, self._pool_failed = None, True

    def _failed(self, doc: Document) -> IngestResult:
        err = doc.errors[0] if doc.errors else None
        code, message = (err.code, err.message) if err else ("CL-E099", doc.status)
        self.record_failure(doc.source, code, message)
        return IngestResult(doc.source, doc.id or None, "failed", None, code, message)

    def _commit(
        self, docs: list[Document], sigs: Future[list[bytes]] | None, outlet: str | None
    ) -> list[IngestResult]:
        """Write whole documents in one transaction: rows are gathered per table and inserted
        with one statement each at the end (the per-statement overhead dominates otherwise)."""
        index = self._near_duplicates()
        results: list[IngestResult] = []
        batch = _Batch()
        try:
            batch.sigs = self._signatures(docs, sigs)
            with self._write() as conn:
                self._prepare(conn, docs, outlet, index, batch, results)
                self._flush(conn, batch)
            self._after_commit()
        except BaseException:
            self._index, self._cluster_of = None, {}
            raise
        return results

    def _sqlite_path(self) -> str | None:
        """The SQLite file (``None``: PostgreSQL or an in-memory database)."""
        if self.dialect != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            return None
        return self.engine.url.database

    def _after_commit(self) -> None:
        if (path := self._sqlite_path()) is None:
            return
        if self._checkpointer is None:
            self._checkpointer = _Checkpointer(path)
        self._checkpointer.poke()

    def _signatures(self, docs: list[Document], ahead: Future[list[bytes]] | None) -> list[bytes]:
        if ahead is not None:
            try:
                return ahead.result()
            except BrokenProcessPool as exc:  # the helper died (killed, out of memory): sign here
                self._no_signer(exc)
        return signatures([_article(d) for d in docs])

    def _prepare(
        self,
        conn: Connection,
        docs: list[Document],
        outlet: str | None,
        index: NearDuplicateIndex,
        batch: _Batch,
        results: list[IngestResult],
    ) -> None:
        """Gather the rows of a transaction's new documents into ``batch`` (not flushed).

        ``conn`` reads what is stored; it writes only when one source comes twice in ``docs``
        (the first text is flushed so that the second becomes its next version).
        """
        # What is stored already, for the whole batch in one query.
        known = conn.execute(
            self._q_known_many, {"ids": [d.id for d in docs], "sources": [d.source for d in docs]}
        ).all()
        by_id = {r.id: r for r in known}
        current_at: dict[str, list[Any]] = defaultdict(list)
        for r in known:
            if r.is_current:
                current_at[r.source].append(r)
        # The stored speakers of the whole batch in one query, not one per document.
        batch.keys = {
            k for d in docs for s in d.speakers if (k := speaker_key(_speaker_record(d, s))) is not None
        }
        self._fetch_speakers(conn, batch, batch.keys)
        for i, doc in enumerate(docs):
            if doc.id in batch.ids:
                results.append(IngestResult(doc.source, doc.id, "unchanged"))
                continue
            if doc.source in batch.sources:  # a second text at the same source: version it
                self._flush(conn, batch)
                rows = conn.execute(self._q_known, {"id": doc.id, "source": doc.source}).all()
            else:
                same = [by_id[doc.id]] if doc.id in by_id else []
                rows = same + [r for r in current_at[doc.source] if r.id != doc.id]
            if any(r.id == doc.id for r in rows):
                results.append(IngestResult(doc.source, doc.id, "unchanged"))
                continue
            previous = max(rows, key=lambda r: r.version, default=None)
            sig = batch.sigs[i]
            cluster = self._cluster_for(index, doc.id, sig)
            self._gather(conn, batch, doc, sig, cluster, previous, outlet)
            # Copies within one batch must find each other: the index learns the document now
            # and is rebuilt from the database if the transaction fails.
            index.add(doc.id, sig)
            self._cluster_of[doc.id] = cluster
            results.append(IngestResult(doc.source, doc.id, "version" if previous else "ingested", cluster))

    def _cluster_for(self, index: NearDuplicateIndex, doc_id: str, sig: bytes) -> str:
        found = next((d for d in index.query(sig) if d != doc_id), None)
        return self._cluster_of.get(found, found) if found is not None else doc_id

    def _gather(
        self,
        conn: Connection,
        batch: _Batch,
        doc: Document,
        sig: bytes,
        cluster: str,
        previous: Any,
        outlet: str | None,
    ) -> None:
        now = _now()
        if previous is not None:
            batch.retire.append({"b_source": doc.source})
        host = urlparse(doc.url).hostname if doc.url else None
        batch.ids.add(doc.id)
        batch.sources.add(doc.source)
        batch.rows[t.documents].append(
            {
                "id": doc.id,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "published": doc.published,
                "language": doc.language,
                "outlet": outlet or host,
                "status": doc.status,
                "errors": [e.to_dict() for e in doc.errors],
                "text": doc.text,
                "version": previous.version + 1 if previous else 1,
                "supersedes": previous.id if previous else None,
                "is_current": True,
                "cluster_id": cluster,
                "signature": sig,
                "extractor": self._extractor,
                "provenance": doc.provenance or None,
                "ingested_at": now,
            }
        )
        # Copies within one batch each add one to their cluster's size.
        batch.clusters.setdefault(cluster, {"id": cluster, "size": 0, "first_seen": now})["size"] += 1
        canon = self._resolve_speakers(conn, batch, doc)
        # Rows name their document by its id until the flush numbers the documents (doc_seq).
        r = batch.rows
        r[t.sections] += [
            {"doc_seq": doc.id, "idx": i, "kind": s.kind, "start": s.start, "end": s.end}
            for i, s in enumerate(doc.sections)
        ]
        r[t.doc_speakers] += [
            {
                "doc_seq": doc.id,
                "local_id": s.id,
                "speaker_id": canon[s.id],
                "name": s.name,
                "type": s.type,
                "description": s.description,
                "role": s.role,
                "affiliation": s.affiliation,
                "mentions": [list(m) for m in s.mentions],
            }
            for s in doc.speakers
        ]
        r[t.quotes] += [
            {
                "doc_seq": doc.id,
                "idx": i,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "kind": q.kind,
                "cue": q.cue,
                "section": q.section,
                "local_speaker": q.speaker.id if q.speaker else None,
                "speaker_id": canon.get(q.speaker.id) if q.speaker else None,
            }
            for i, q in enumerate(doc.quotes)
        ]
        for i, n in enumerate(doc.numbers):
            lo, hi = _sentence(doc.text, n.start, n.end)
            r[t.numbers].append(
                {
                    "doc_seq": doc.id,
                    "idx": i,
                    "text": n.text,
                    "start": n.start,
                    "end": n.end,
                    "low": n.low,
                    "high": n.high,
                    "approximate": n.approximate,
                    "unit": n.unit,
                    "counts": n.counts,
                    "category": n.category,
                    "claimant_type": n.claimant.type,
                    "local_speaker": n.claimant.speaker.id if n.claimant.speaker else None,
                    "speaker_id": canon.get(n.claimant.speaker.id) if n.claimant.speaker else None,
                    "claimant_name": None if n.claimant.speaker else n.claimant.name,
                    "claimant_description": None if n.claimant.speaker else n.claimant.description,
                    "hedge": n.hedge,
                    "section": n.section,
                    "sentence_start": lo,
                    "sentence_end": hi,
                }
            )
        r[t.anonymous_sources] += [
            {
                "doc_seq": doc.id,
                "idx": i,
                "local_speaker": a.speaker_id,
                "description": a.description,
                "reason": a.reason,
                "start": a.start,
                "end": a.end,
            }
            for i, a in enumerate(doc.anonymous_sources)
        ]

    def _flush(self, conn: Connection | None, batch: _Batch) -> None:
        """Insert what the batch gathered, parents before children (foreign keys are checked).

        ``conn`` holds the write transaction; ``None`` (SQLite files, bulk loads) hands the rows to
        the writer process, which writes them in a transaction of its own.
        """
        if self.dialect == "sqlite":
            rows = self._encode(batch)
            if conn is None:
                assert self._writer is not None, "no writer process"
                self._writer.write(rows)
            else:
                raw = conn.connection.driver_connection  # executemany: sqlite3's own, not DB-API's
                assert isinstance(raw, sqlite3.Connection), "the sqlite3 driver's connection"
                write_rows(raw, self._sql, rows)
            batch.clear()
            return
        assert conn is not None
        if batch.retire:  # older versions first, so that the new ones stay current
            conn.execute(self._q_retire, batch.retire)
        docs = batch.rows[t.documents]
        if docs:
            seqs = conn.execute(
                text("SELECT nextval('documents_seq') FROM generate_series(1, :n)"), {"n": len(docs)}
            ).scalars()
            for d, seq in zip(docs, seqs, strict=True):
                d["seq"] = seq
            conn.execute(insert(t.documents), docs)
        if batch.clusters:
            conn.execute(self._q_cluster, list(batch.clusters.values()))
        if batch.speakers:
            conn.execute(self._q_speaker_upsert, list(batch.speakers.values()))
        seq_of = {d["id"]: d["seq"] for d in docs}
        for table in _CLAIM_TABLES:
            if batch.rows[table]:
                for r in batch.rows[table]:
                    r["doc_seq"] = seq_of[r["doc_seq"]]
                conn.execute(insert(table), batch.rows[table])
        batch.clear()

    def _encode(self, batch: _Batch) -> Rows:
        """SQLite: move the batch's rows into ``batch.encoded`` as the driver's tuples.

        SQLAlchemy's per-row parameter processing costs more than the insert itself, so the rows
        go to ``executemany`` ready; a bulk load encodes them before the writer stage. The
        statements are the ones SQLAlchemy compiles for the tables, so the two paths cannot drift.
        A document's rows name it by its place in the transaction (see writer.write_rows).
        """
        enc = batch.encoded
        enc.retire += [(r["b_source"],) for r in batch.retire]
        batch.retire.clear()
        docs = batch.rows.pop(t.documents, [])
        place = {d["id"]: len(enc.documents) + i for i, d in enumerate(docs)}
        for d in docs:
            d["seq"] = place[d["id"]]
        enc.documents += self._tuples("documents", docs)
        enc.clusters += self._tuples("clusters", list(batch.clusters.values()))
        enc.speakers += self._tuples("speakers", list(batch.speakers.values()))
        batch.clusters.clear()
        batch.speakers.clear()
        for table in _CLAIM_TABLES:
            if rows := batch.rows.pop(table, None):
                for r in rows:
                    r["doc_seq"] = place[r["doc_seq"]]
                enc.claims.setdefault(table.name, []).extend(self._tuples(table.name, rows))
        return enc

    def _writer_process(self) -> WriterProcess | None:
        """The process that writes bulk loads into a SQLite file (started on first use); ``None``
        for PostgreSQL and in-memory databases, or if it cannot be started (written here then)."""
        if self._writer is not None and not self._writer.alive():  # killed between loads: replace it
            self._close_writer()
        if self._writer is None and not self._writer_failed and (path := self._sqlite_path()):
            try:
                self._writer = WriterProcess(path, self._sql)
            except (OSError, WriterProcessError) as exc:
                log.warning("no writer process (%s); bulk loads are written by a thread", exc)
                self._writer_failed = True
        return self._writer

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _tuples(self, name: str, rows: list[dict]) -> list[tuple]:
        _sql, cols, json_cols = self._raw[name]
        for r in rows:
            for c, none_as_null in json_cols.items():
                v = r[c]
                r[c] = None if v is None and none_as_null else _json(v)
        return list(map(itemgetter(*cols), rows))

    def _resolve_speakers(self, conn: Connection, batch: _Batch, doc: Document) -> dict[str, str]:
        """Canonical speaker id of each of the document's speakers, with the rows to upsert.

        Named people and organisations are matched against the stored speakers (and those of the
        batch so far) that share their blocking key; unnamed, document and unknown speakers are
        never merged across documents.
        """
        records = [_speaker_record(doc, s) for s in doc.speakers]
        keys = {r.key: speaker_key(r) for r in records}
        self._fetch_speakers(conn, batch, keys.values())
        out: dict[str, str] = {}
        for sp, rec in zip(doc.speakers, records, strict=True):
            key = keys[rec.key]
            if key is None:
                cid = f"{sp.type[0]}#{rec.key}"
                batch.speakers[cid] = {
                    "id": cid,
                    "name": sp.name,
                    "type": sp.type,
                    "block_key": None,
                    "aliases": [],
                    "roles": [[sp.role, doc.published]] if sp.role else [],
                    "affiliations": [],
                    "evidence": [],
                    "description": sp.description,
                }
                out[sp.id] = cid
                continue
            resolved = resolve_into(list(batch.canon[key].values()), [rec])
            c = next(x for x in resolved if rec.key in x.records)
            out[sp.id] = c.id
            # Kept as the database would return it (no record list): the next document of the
            # batch then resolves exactly as if it were ingested in a transaction of its own.
            stored = replace(c, records=[])
            if batch.canon[key].get(c.id) == stored:  # a speaker seen before, nothing new: no write
                continue
            batch.canon[key][c.id] = stored
            batch.speakers[c.id] = {
                "id": c.id,
                "name": c.name,
                "type": c.type,
                "block_key": key,
                "aliases": c.aliases,
                "roles": [list(x) for x in c.roles],
                "affiliations": [list(x) for x in c.affiliations],
                "evidence": c.evidence,
                "description": None,
            }
        return out

    def _fetch_speakers(self, conn: Connection, batch: _Batch, keys: Iterable[str | None]) -> None:
        """Load the stored canonical speakers of the blocking keys the batch has not seen yet."""
        missing = sorted({k for k in keys if k and k not in batch.canon})
        if missing:
            for k in missing:
                batch.canon[k] = {}
            for row in conn.execute(self._q_speakers_by_key, {"keys": missing}):
                batch.canon[row.block_key][row.id] = _canonical(row)

    def record_failure(self, source: str, code: str, message: str) -> None:
        with self._write() as conn:
            conn.execute(insert(t.failures).values(source=source, code=code, message=message, at=_now()))

    # -- queries -----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table (documents counted with their old versions)."""
        names = [
            "documents",
            "sections",
            "speakers",
            "doc_speakers",
            "quotes",
            "numbers",
            "anonymous_sources",
            "clusters",
            "failures",
        ]
        with self.engine.connect() as conn:
            return {
                n: conn.execute(select(func.count()).select_from(t.metadata.tables[n])).scalar_one()
                for n in names
            }

    def _rows(self, sql: str, params: Mapping[str, Any]) -> QueryRows:
        with self.engine.connect() as conn:
            result = conn.execute(text(sql), dict(params))
            return QueryRows((dict(r._mapping) for r in result), list(result.keys()))

    def columns(self, name: str) -> list[str]:
        """The column names of a table or view, in order (also when it has no rows)."""
        if name not in t.metadata.tables and name not in t.VIEWS:
            raise ValueError(f"no table or view named {name!r}")
        with self.engine.connect() as conn:
            return list(conn.execute(text(f"SELECT * FROM {name} WHERE 1=0")).keys())

    def count(self, name: str) -> int:
        """Rows in a table or view (the views hold current documents only)."""
        if name not in t.metadata.tables and name not in t.VIEWS:
            raise ValueError(f"no table or view named {name!r}")
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()

    def quotes(
        self,
        speaker: str | None = None,
        since: str | None = None,
        limit: int = 1000,
        *,
        until: str | None = None,
        outlet: str | None = None,
    ) -> QueryRows:
        """Quotes of current documents, newest first; ``speaker`` matches name, alias or id.

        ``speaker_description`` is the document's description of its speaker ("a nurse who asked
        not to be named"): the only way to tell anonymous speakers apart.
        """
        sql = (
            "SELECT v.*, ds.description AS speaker_description FROM quotes_view v "
            "JOIN documents d ON d.id = v.doc_id JOIN quotes q ON q.doc_seq = d.seq AND q.idx = v.idx "
            "LEFT JOIN doc_speakers ds ON ds.doc_seq = q.doc_seq AND ds.local_id = q.local_speaker WHERE 1=1"
        )
        where, params = _filters(speaker=speaker, since=since, until=until, outlet=outlet)
        sql += where + " ORDER BY v.published DESC, v.doc_id, v.idx LIMIT :limit"
        return self._rows(sql, params | {"limit": limit})

    def numbers(
        self,
        category: str | None = None,
        since: str | None = None,
        limit: int = 1000,
        *,
        until: str | None = None,
        value: float | None = None,
        claimant: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
    ) -> QueryRows:
        """Numeric claims of current documents, newest first.

        ``value`` keeps the numbers whose range contains it: ``low <= value <= high`` for a closed
        range, and for an open one ("at least 45", "up to 100") the bound equal to it. With
        ``value`` the order is oldest first (published date, then ingestion order): the order in
        which the figure spread. ``claimant`` matches the claimant's name or type (``article``,
        ``commentary``); ``speaker`` a speaker's name, alias or id; ``outlet`` the outlet or source.
        """
        sql = "SELECT v.* FROM numbers_view v JOIN documents d ON d.id = v.doc_id WHERE 1=1"
        where, params = _filters(
            speaker=speaker, since=since, until=until, outlet=outlet, claimant=claimant, value=value
        )
        if category:
            where += " AND v.category = :cat"
            params["cat"] = category
        order = (
            "(v.published IS NULL), v.published, d.seq, v.idx"
            if value is not None
            else "v.published DESC, v.doc_id, v.idx"
        )
        return self._rows(f"{sql}{where} ORDER BY {order} LIMIT :limit", params | {"limit": limit})

    def figure(self, value: float, limit: int = 1000, **filters: Any) -> QueryRows:
        """One figure followed across documents: :meth:`numbers` with ``value``, oldest first, each
        row with its ``role`` and, for a syndicated copy, the document it copies (``copy_of``).

        Roles: ``first claim`` (the earliest), ``repeated`` (another document, independent of
        the earlier ones), ``syndicated copy`` (a near-duplicate of an earlier document: the same
        cluster), ``same document`` (the figure again in a document already listed), and
        ``within range`` for a wider range that only contains the figure ("tens of thousands",
        "between 70,000 and 90,000"): listed, never taken for a claim of the figure itself.
        """
        rows = self.numbers(value=value, limit=limit, **filters)
        seen_docs: set[str] = set()
        first_of_cluster: dict[str, str] = {}
        for r in rows:
            cluster = r["cluster_id"] or r["doc_id"]
            if not _states(value, r["low"], r["high"]):
                role, copy_of = "within range", None
                r["role"], r["copy_of"] = role, copy_of
                continue
            if not seen_docs:
                role, copy_of = "first claim", None
            elif r["doc_id"] in seen_docs:
                role, copy_of = "same document", None
            elif cluster in first_of_cluster:
                role, copy_of = "syndicated copy", first_of_cluster[cluster]
            else:
                role, copy_of = "repeated", None
            seen_docs.add(r["doc_id"])
            first_of_cluster.setdefault(cluster, r["doc_id"])
            r["role"] = role
            r["copy_of"] = copy_of
        return QueryRows(rows, ["role", "copy_of", *rows.columns])

    def speakers(self, query: str | None = None, limit: int = 1000) -> QueryRows:
        """Speakers who have quotes, most quoted first, with aliases, roles and affiliations as lists."""
        sql = (
            "SELECT v.*, s.description FROM speakers_view v JOIN speakers s ON s.id = v.id "
            "WHERE v.quotes > 0"
        )
        params: dict[str, Any] = {"limit": limit}
        if query:
            sql += " AND (lower(v.name) LIKE :like OR lower(CAST(v.aliases AS TEXT)) LIKE :like)"
            params["like"] = f"%{query.lower()}%"
        sql += " ORDER BY v.quotes DESC, v.name LIMIT :limit"
        rows = self._rows(sql, params)
        for r in rows:  # SQLite returns JSON columns of a view as text, PostgreSQL as values
            for k in ("aliases", "roles", "affiliations"):
                if isinstance(r.get(k), str):
                    r[k] = json.loads(r[k])
        return rows

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over current documents, through :func:`.queries.search` (the web's
        search): the same words and phrases match, in the same order.

        Results are ranked by relevance (bm25 / ts_rank) when at most ``search_rank_limit``
        documents match; a query that matches more (a very common word) lists the most recently
        stored matches first, because ranking every match would cost time in proportion to the
        whole corpus. Snippets are one line and mark the hits with ``[`` and ``]``.
        """
        cap = self.settings.search_rank_limit
        with self.engine.connect() as conn:
            order = "stored" if queries.total(conn, query, queries.Filters(), cap) > cap else "relevance"
            page = queries.search(conn, query, queries.Filters(), limit, order=order)
        marks = str.maketrans({queries.HIT_OPEN: "[", queries.HIT_CLOSE: "]"})
        return [
            {
                "doc_id": r["id"],
                "title": r["title"],
                "source": r["source"],
                "published": r["published"],
                "snippet": " ".join((r["snippet"] or "").translate(marks).split()),  # one line
            }
            for r in page.items
        ]

    def document(self, doc_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).first()
            return dict(row._mapping) if row else None

    def cluster_members(self, cluster_id: str) -> list[dict]:
        return self._rows(
            "SELECT id, source, title, published, outlet FROM documents WHERE cluster_id = :c "
            "ORDER BY ingested_at",
            {"c": cluster_id},
        )

    def table(self, name: str) -> Iterator[dict]:
        """Every row of one table or view, for exports."""
        if name not in t.metadata.tables and name not in t.VIEWS:
            raise ValueError(f"no table or view named {name!r}")
        with self.engine.connect() as conn:
            for r in conn.execute(text(f"SELECT * FROM {name}")):
                yield dict(r._mapping)


def _filters(
    *,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    claimant: str | None = None,
    value: float | None = None,
) -> tuple[str, dict[str, Any]]:
    """SQL conditions (on a view aliased ``v``) and their parameters, for the listing filters."""
    where, params = "", dict[str, Any]()
    if speaker:
        where += (
            " AND (v.speaker_id = :sp OR v.speaker_id IN (SELECT id FROM speakers "
            "WHERE lower(name) LIKE :sp_like OR lower(CAST(aliases AS TEXT)) LIKE :sp_like))"
        )
        params |= {"sp": speaker, "sp_like": f"%{speaker.lower()}%"}
    if claimant:
        where += " AND (lower(v.claimant) LIKE :cl_like OR v.claimant_type = :cl)"
        params |= {"cl": claimant.lower(), "cl_like": f"%{claimant.lower()}%"}
    if outlet:
        where += " AND (lower(v.outlet) LIKE :out OR lower(v.source) LIKE :out)"
        params["out"] = f"%{outlet.lower()}%"
    if since:
        where += " AND v.published >= :since"
        params["since"] = since
    if until:
        where += " AND v.published <= :until"
        params["until"] = until
    if value is not None:
        where += (
            " AND ((v.low <= :value AND v.high >= :value) OR (v.high IS NULL AND v.low = :value)"
            " OR (v.low IS NULL AND v.high = :value))"
        )
        params["value"] = value
    return where, params


@dataclass
class _Batch:
    """Rows gathered for one transaction, and the speakers it has resolved so far."""

    rows: dict = field(default_factory=lambda: defaultdict(list))
    clusters: dict[str, dict] = field(default_factory=dict)
    speakers: dict[str, dict] = field(default_factory=dict)
    canon: dict[str, dict[str, CanonicalSpeaker]] = field(default_factory=dict)
    retire: list[dict] = field(default_factory=list)  # sources whose current version is replaced
    keys: set[str] = field(default_factory=set)  # blocking keys of the documents' speakers
    encoded: Rows = field(default_factory=Rows)  # SQLite rows ready to insert
    sigs: list[bytes] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def clear(self) -> None:
        """Forget the gathered rows (written); keep the speakers resolved so far."""
        self.rows.clear()
        self.encoded = Rows()
        self.retire.clear()
        self.clusters.clear()
        self.speakers.clear()
        self.sources.clear()


class _Writing:
    """The writer stage of a bulk load: one thread writes prepared transactions, one at a time
    (for a SQLite file it hands them to the writer process and waits for its commit).

    While transaction N is written, N+1 is prepared from what is committed, which is right
    except for what N changes: N's speakers are carried over as N leaves them (exactly what the
    database will return), and a transaction that shares a document or a source with N, or
    holds one source twice, waits for N to be written first. Results are returned only once
    their transaction is committed.

    Each stage keeps one connection for the whole load (the writer process keeps its own for the
    ledger's life): SQLite empties a connection's page cache when another connection has written
    since its last transaction, so a writer that took whichever pooled connection came next would
    read its indexes from the file again.
    """

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="claimledger-writer")
        self._reader: Connection | None = None
        self._writer: Connection | None = None
        self._future: Future[None] | None = None
        self._results: list[IngestResult] = []
        self._ids: set[str] = set()
        self._sources: set[str] = set()
        self._canon: dict[str, dict[str, CanonicalSpeaker]] = {}

    def commit(
        self, docs: list[Document], sigs: Future[list[bytes]] | None, outlet: str | None
    ) -> list[IngestResult]:
        """Prepare ``docs`` and hand them to the writer; the results of transactions written by now."""
        ledger = self._ledger
        done: list[IngestResult] = []
        repeated = len({d.source for d in docs}) < len(docs)
        if repeated or any(d.id in self._ids or d.source in self._sources for d in docs):
            done += self.drain()
        if repeated:  # versions within one transaction need its write connection
            return done + ledger._commit(docs, sigs, outlet)
        batch = _Batch(canon={k: dict(v) for k, v in self._canon.items()})
        batch.sigs = ledger._signatures(docs, sigs)
        results: list[IngestResult] = []
        if self._reader is None:
            self._reader = ledger.engine.connect()
        with self._reader.begin():  # a read transaction: what is committed now
            ledger._prepare(self._reader, docs, outlet, ledger._near_duplicates(), batch, results)
        if ledger.dialect == "sqlite":
            ledger._encode(batch)
        done += self.drain()
        self._ids = set(batch.ids)
        self._sources = set(batch.sources)
        self._canon = {k: dict(batch.canon[k]) for k in batch.keys}
        self._results = results
        self._future = self._thread.submit(self._write, batch)
        return done

    def _write(self, batch: _Batch) -> None:
        ledger = self._ledger
        if ledger._writer_process() is not None:
            try:
                ledger._flush(None, batch)
            except WriterProcessError:
                ledger._close_writer()  # the next transaction starts another
                raise
        else:
            if self._writer is None:
                self._writer = ledger.engine.connect()
                self._writer.execution_options(claimledger_write=True)
            with self._writer.begin():
                ledger._flush(self._writer, batch)
        ledger._after_commit()

    def drain(self) -> list[IngestResult]:
        """Wait for the transaction being written; its results (its error is raised here)."""
        future, results = self._future, self._results
        self._future, self._results = None, []
        self._ids, self._sources, self._canon = set(), set(), {}
        if future is not None:
            future.result()
        return results

    def close(self) -> None:
        """Wait for the write under way, whatever its outcome, stop the thread, return connections."""
        if self._future is not None:
            wait([self._future])
        self._thread.shutdown()
        for conn in (self._reader, self._writer):
            if conn is not None:
                conn.close()


_CLAIM_TABLES = (t.sections, t.doc_speakers, t.quotes, t.numbers, t.anonymous_sources)


def _transactions(docs: Iterable[Document], size: int) -> Iterator[tuple[list[Document], list[Document]]]:
    """(documents that failed extraction, documents to store) in groups of ``size`` to store."""
    failed: list[Document] = []
    pending: list[Document] = []
    for doc in docs:
        if doc.status in ("failed", "skipped") or not doc.text:
            failed.append(doc)
            continue
        pending.append(doc)
        if len(pending) >= size:
            yield failed, pending
            failed, pending = [], []
    if failed or pending:
        yield failed, pending


def _article(doc: Document) -> str:
    """The text a document's near-duplicate signature is made of: headline and body only."""
    return "\n".join(s.text for s in doc.sections if s.kind in ("headline", "body")) or doc.text


def _speaker_record(doc: Document, s: Any) -> SpeakerRecord:
    return SpeakerRecord(
        key=f"{doc.id}:{s.id}",
        name=s.name,
        type=s.type,
        role=s.role,
        affiliation=s.affiliation,
        description=s.description,
        published=doc.published,
    )


def _canonical(row: Any) -> CanonicalSpeaker:
    return CanonicalSpeaker(
        id=row.id,
        name=row.name or "",
        type=row.type,
        aliases=list(row.aliases or []),
        roles=[tuple(r) for r in row.roles or []],
        affiliations=[tuple(a) for a in row.affiliations or []],
        records=[],
        evidence=list(row.evidence or []),
    )


def _states(value: float, low: float | None, high: float | None) -> bool:
    """Does a number with range ``low``–``high`` state ``value`` itself: exactly, or as the bound
    of an open range ("more than 80,000", "up to 80,000")?"""
    ends = {x for x in (low, high) if x is not None}
    return ends == {value}
