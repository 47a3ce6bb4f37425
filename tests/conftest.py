from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    from claimledger.nlp.load import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def extract(nlp):
    """claimledger.extract with the pipeline loaded once for the session."""
    from claimledger import extract as _extract

    return _extract


def by_text(doc, fragment: str):
    """The quote whose text contains ``fragment`` (exactly one)."""
    found = [q for q in doc.quotes if fragment in q.text]
    assert len(found) == 1, f"{fragment!r} in {[q.text for q in doc.quotes]}"
    return found[0]


def who(quote) -> str | None:
    sp = quote.speaker
    return sp.name or sp.description if sp else None


def _pg_admin_url() -> str | None:
    import os

    url = os.environ.get("CLAIMLEDGER_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                "CLAIMLEDGER_TEST_PG_URL is not set: run the suite with `make test`, which starts PostgreSQL"
            )
        pytest.skip("no PostgreSQL test server (run `make test` to start one)")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh, empty database of each backend: the same tests run against both."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    import uuid

    import sqlalchemy as sa

    admin = _pg_admin_url()
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()
