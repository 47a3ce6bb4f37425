from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
# ../shared holds the labelled real pages (gold/) and the scorer (score.py) used by the quality
# gate. It sits beside the project's own checkout and is absent from a lone clone.
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"
SHARED_MISSING = f"needs {SHARED} (labelled real pages and score.py), absent beside this clone"


def in_ci() -> bool:
    """True when ``CI`` is set (to anything but empty, 0 or false): then nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose prerequisite is missing, with ``reason``; in CI the same is a failure."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: missing prerequisites fail instead of skipping)")
    pytest.skip(reason)


def shared_present() -> bool:
    return (SHARED / "score.py").is_file() and GOLD.is_dir()


def gold_pages() -> list:
    """The gold pages to parametrize a test over; without ../shared, one placeholder, so that the
    test's ``requires_shared`` marker reports it as skipped (or failed in CI) with its reason."""
    if not GOLD.is_dir():
        return [pytest.param(None, id="no-shared")]
    return sorted(GOLD.glob("*.txt"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without ../shared, tests marked ``requires_shared`` are skipped with the reason (reported at
    each test's own line), before any fixture reads ../shared."""
    if shared_present() or in_ci():
        return
    skip = pytest.mark.skip(reason=SHARED_MISSING)
    for item in items:
        if item.get_closest_marker("requires_shared"):
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """In CI a test marked ``requires_shared`` fails when ../shared is absent."""
    if in_ci() and item.get_closest_marker("requires_shared") and not shared_present():
        unavailable(SHARED_MISSING)


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


def _pg_admin_url() -> str:
    url = os.environ.get("CLAIMLEDGER_TEST_PG_URL")
    if not url:
        # scripts/with-postgres.sh says why it could not start a server.
        unavailable(
            os.environ.get("CLAIMLEDGER_TEST_PG_UNAVAILABLE")
            or "no PostgreSQL test server: CLAIMLEDGER_TEST_PG_URL is not set (`make test` starts one)"
        )
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
