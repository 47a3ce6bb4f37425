"""Writing a transaction's rows into a SQLite ledger: here, or in a writer process of its own.

A bulk load prepares transaction N+1 while N is written. A writer *thread* shares Python's GIL
with the preparing thread: SQLite releases it for each row it inserts and must win it back for
the next, so the writer spent more than half of its time waiting (a bulk load of 20,000
synthetic documents, bench/synthetic.py: 0.42 ms of CPU against 0.92 ms of wall time per
document). A writer *process* has an
interpreter of its own. It is a fresh interpreter running this file (standard library only),
never a fork: a forked child inherits SQLite's bookkeeping of the parent's open files and locks,
and SQLite forbids using it. The two talk through pickles on the child's stdin and stdout.

Rows arrive encoded as the driver's tuples (see ``Ledger._encode``). A document's rows name it by
its place in the transaction (0, 1, …); :func:`write_rows` numbers the documents after the last
stored one (``documents.seq``, under the write lock) and adds that number.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, fields
from typing import Any, BinaryIO

# New documents go into the full-text index (external content: the text is read from
# ``documents``) in one statement per transaction; deletions and edits by hand use triggers.
FTS_INSERT = (
    "INSERT INTO documents_fts (rowid, title, text) "
    "SELECT seq, title, text FROM documents WHERE seq BETWEEN ? AND ?"
)


def sqlite_pragmas(dbapi_conn: Any, _record: Any = None) -> None:
    """Settings of every connection to a SQLite ledger (a SQLAlchemy ``connect`` listener)."""
    dbapi_conn.isolation_level = None  # transactions are begun explicitly
    cur = dbapi_conn.cursor()
    # New files only (an existing file keeps its page size). Each document dirties index pages
    # wherever its keys land: smaller pages mean fewer bytes written per commit (measured in
    # bench/ledger.py at 100,000 documents: 2 KiB pages ingest about 15 % faster than 4 KiB).
    cur.execute("PRAGMA page_size=2048")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; atomic always (WAL)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: index updates stay in memory as the file grows
    # The ledger's own checkpointer copies the log into the database beside the writer (see
    # store._Checkpointer); SQLite's automatic checkpoint would run inside a commit and make it wait.
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.close()


@dataclass(frozen=True, slots=True)
class Statements:
    """The ledger's insert statements as SQLAlchemy compiles them for SQLite (positional)."""

    retire: str  # parameters: (source,)
    documents: str
    seq_column: int  # where documents.seq is in a document row
    clusters: str
    speakers: str
    claims: dict[str, str]  # table name -> insert; doc_seq first


@dataclass(slots=True)
class Rows:
    """One transaction's rows, as the driver's tuples."""

    retire: list[tuple] = field(default_factory=list)  # sources whose current version is replaced
    documents: list[tuple] = field(default_factory=list)  # seq: the place in the transaction
    clusters: list[tuple] = field(default_factory=list)
    speakers: list[tuple] = field(default_factory=list)
    claims: dict[str, list[tuple]] = field(default_factory=dict)  # first column: the document's place


def write_rows(conn: sqlite3.Connection, sql: Statements, rows: Rows) -> None:
    """Insert one transaction's rows, parents before children; the caller holds the transaction."""
    if rows.retire:  # older versions first, so that the new ones stay current
        conn.executemany(sql.retire, rows.retire)
    first = 0
    if rows.documents:  # numbered after the last stored one: the write lock is held, nothing races
        first = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        k = sql.seq_column
        conn.executemany(sql.documents, [(*r[:k], first + r[k], *r[k + 1 :]) for r in rows.documents])
        conn.execute(FTS_INSERT, (first, first + len(rows.documents) - 1))
    if rows.clusters:
        conn.executemany(sql.clusters, rows.clusters)
    if rows.speakers:
        conn.executemany(sql.speakers, rows.speakers)
    for name, claim_rows in rows.claims.items():
        conn.executemany(sql.claims[name], [(first + r[0], *r[1:]) for r in claim_rows])


def _fields(obj: Statements | Rows) -> tuple:
    """A dataclass as the tuple of its fields (not copied): the child rebuilds it from its own
    copy of this module, run as a script, so pickles must not name the package's classes."""
    return tuple(getattr(obj, f.name) for f in fields(obj))


class WriterProcessError(RuntimeError):
    """The writer process ended or could not be started; its transaction was not acknowledged."""


class WriterProcess:
    """A child interpreter that writes transactions into one SQLite file, one at a time."""

    def __init__(self, path: str, sql: Statements) -> None:
        # The file itself as a script, in isolated mode: the child needs nothing but the standard
        # library, and importing the claimledger package (its NLP pipeline) would cost a second.
        self._proc = subprocess.Popen(
            [sys.executable, "-I", __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Its own session: Ctrl-C reaches the parent, which finishes or abandons the
            # transaction under way and then closes the pipe.
            start_new_session=True,
        )
        self._ask(("open", os.path.abspath(path), _fields(sql)))

    def alive(self) -> bool:
        return self._proc.poll() is None

    def write(self, rows: Rows) -> None:
        """Write and commit ``rows`` in one transaction (its error, if any, is raised here)."""
        self._ask(("write", _fields(rows)))

    def _ask(self, message: tuple) -> None:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            pickle.dump(message, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.flush()
            reply = pickle.load(self._proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            code = self._proc.poll()
            raise WriterProcessError(
                f"the ledger's writer process ended (exit code {code}); "
                "the transaction under way was not acknowledged"
            ) from exc
        if reply is not None:
            raise reply

    def close(self) -> None:
        """Ask the child to finish (it exits when its input closes) and wait for it."""
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):  # a dead child: nothing to tell
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def exit_with_parent(interval: float = 0.2, parent: int | None = None) -> None:
    """End this helper process soon after its parent dies (killed, say).

    An orphan would keep the parent's pipes open (a caller reading its output would never see
    the end) and, for the writer, commit a transaction that no one acknowledged. Exiting abruptly
    is safe: SQLite discards a transaction that was not committed. ``parent`` is the pid the
    process was started by, when known: a parent that died before this call is then noticed too.
    """
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="claimledger-orphan-watch", daemon=True).start()


class _ParentGone(Exception):
    """The parent died while its transaction was being written: roll it back, as if never sent."""


def _serve(inp: BinaryIO, out: BinaryIO) -> None:
    conn: sqlite3.Connection | None = None
    sql: Statements | None = None
    parent = os.getppid()
    exit_with_parent()
    while True:
        try:
            message = pickle.load(inp)
        except Exception:  # closed (or cut short by the parent's death): nothing is under way
            break
        reply: BaseException | None = None
        try:
            if message[0] == "open":
                _, path, statements = message
                sql = Statements(*statements)
                conn = sqlite3.connect(path, check_same_thread=False)
                sqlite_pragmas(conn)
            else:
                assert conn is not None and sql is not None, "write before open"
                conn.execute("BEGIN IMMEDIATE")
                try:
                    write_rows(conn, sql, Rows(*message[1]))
                    # A parent killed meanwhile would never acknowledge these documents, and its
                    # re-run would store them again: commit only for a living parent (the
                    # watch in exit_with_parent may not have noticed yet).
                    if os.getppid() != parent:
                        raise _ParentGone
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except _ParentGone:
            break
        except Exception as exc:  # reported to the parent, which raises it for its transaction
            reply = exc
        if reply is not None and type(reply).__module__ not in ("builtins", "sqlite3"):
            # The parent could not unpickle a class of this script: send its description.
            reply = RuntimeError(f"{type(reply).__name__}: {reply}")
        try:
            pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        except OSError:  # the parent is gone
            break
    if conn is not None:
        conn.close()


def main() -> None:
    """The child's loop: open, then write transactions until the parent closes the pipe."""
    # Replies go to the original stdout; anything printed by accident goes to stderr instead of
    # corrupting them.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
