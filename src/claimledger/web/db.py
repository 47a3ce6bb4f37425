"""Read-only database access for ``serve``, with a time limit on every statement.

SQLite is opened as ``file:…?mode=ro`` (the web process cannot write it) and a progress handler
interrupts a statement that runs past ``web_sql_timeout_s``. PostgreSQL sessions are read-only
(``default_transaction_read_only``) with ``statement_timeout`` set, so the server enforces both.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool

from ..ledger.store import database_url

# The progress handler runs every this many SQLite virtual-machine instructions (~0.1 ms each batch).
_PROGRESS_STEPS = 5_000
#: An execution option (seconds) that gives a connection's statements another time limit than the
#: engine's, for work bounded by the server rather than by the request (SQLite; PostgreSQL keeps
#: its ``statement_timeout``).
TIME_LIMIT_OPTION = "claimledger_time_limit_s"


class QueryTimeout(Exception):
    """A read query ran over ``web_sql_timeout_s`` and was stopped."""


class _TimedConnection(sqlite3.Connection):
    """A SQLite connection that carries the deadline its progress handler checks."""

    deadline: float = float("inf")


def _sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///")).expanduser().resolve()


def readonly_engine(db: str, timeout_s: float) -> Engine:
    """An engine that can only read ``db`` (a SQLite path or a SQLAlchemy URL)."""
    url = database_url(db)
    if url.startswith("sqlite:"):
        path = _sqlite_file(url)
        if not path.is_file():
            raise FileNotFoundError(f"no ledger at {path}; create it with `claimledger ingest`")
        uri = f"file:{quote(str(path))}?mode=ro"

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=_TimedConnection)
            conn.execute("PRAGMA busy_timeout=2000")
            # Returning true aborts the statement with "interrupted".
            conn.set_progress_handler(lambda: time.monotonic() > conn.deadline, _PROGRESS_STEPS)
            return conn

        engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=8, max_overflow=8)

        @event.listens_for(engine, "before_cursor_execute")
        def _arm(conn: Connection, *_args: Any) -> None:
            limit = conn.get_execution_options().get(TIME_LIMIT_OPTION, timeout_s)
            conn.connection.dbapi_connection.deadline = time.monotonic() + limit  # type: ignore[union-attr]

        return engine
    ms = max(1, int(timeout_s * 1000))
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={ms} -c default_transaction_read_only=on"},
    )


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for one request's reads; a statement over the time limit raises QueryTimeout."""
    try:
        with engine.connect() as conn:
            yield conn
    except OperationalError as exc:
        text = str(exc.orig).lower()
        if "interrupted" in text or "statement timeout" in text or "canceling statement" in text:
            raise QueryTimeout(str(exc.orig)) from exc
        raise
