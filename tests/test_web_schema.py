"""The HTTP API against its own OpenAPI document (schemathesis, in-process ASGI).

Every generated request must get an answer that is not a server error and that conforms to the
schema: declared status code, content type and body shape (errors included).

schemathesis needs the schema when the module is collected, so the app is created then, over an
empty ledger in a temporary folder (migrations only, no NLP); a module fixture fills that ledger
with the examples before the first request. (``schemathesis.pytest.from_fixture`` would avoid
this, but its lazy loader fails on pytest 9.)
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claimledger.ledger.store import Ledger
from claimledger.settings import Settings
from claimledger.web.app import create_app
from claimledger.web.security import HostPolicy
from test_web import TOKEN, build_ledger, example_documents

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_DIR = Path(tempfile.mkdtemp(prefix="claimledger-schema-"))
atexit.register(shutil.rmtree, _DIR, True)
_DB = _DIR / "ledger.db"
Ledger(str(_DB), settings=Settings()).close()
# A token, so that POST /ingest is exercised too; small pages, so that generated limits reach the bound.
# schemathesis calls the app as http://testserver, a name it must be told to answer to.
APP = create_app(
    str(_DB), replace(Settings(), web_token=TOKEN, web_page_rows=50), HostPolicy.serving(allow=["testserver"])
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _examples_in_the_ledger(nlp):
    build_ledger(_DB, example_documents())
    yield
    APP.state.service.close()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_schema(case):
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.path == "/api/v1/ingest" else None
    case.call_and_validate(headers=headers, checks=CHECKS)
