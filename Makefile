# Set-up and everyday tasks. `make demo` and `make test` bootstrap .venv on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Two stamps on one .venv: `make demo` installs the runtime (requirements.lock); `make test` adds
# the development tools on top (requirements-dev.lock: pytest, hypothesis, schemathesis,
# Playwright, ruff, mypy), so `make demo` then `make test` upgrades the same environment.
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval lock clean

$(RUNTIME_STAMP): pyproject.toml requirements.lock requirements-bootstrap.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-bootstrap.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(STAMP): $(RUNTIME_STAMP) requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

DEMO_DB ?= claimledger-demo.db

# Extract the bundled examples into an embedded SQLite ledger and print it.
demo: $(RUNTIME_STAMP)
	$(VENV)/bin/claimledger extract examples/ --format text
	$(VENV)/bin/claimledger ingest examples/ --db $(DEMO_DB)
	$(VENV)/bin/claimledger speakers --db $(DEMO_DB)
	$(VENV)/bin/claimledger quotes --db $(DEMO_DB)
	$(VENV)/bin/claimledger numbers --db $(DEMO_DB)
	$(VENV)/bin/claimledger numbers --value 80000 --db $(DEMO_DB)
	$(VENV)/bin/claimledger track flood-displacement --db $(DEMO_DB) --chart docs/flood-displacement.svg

# PostgreSQL tests need a server: scripts/with-postgres.sh starts a throwaway one and stops it after.
# Browser tests need Chromium: scripts/with-chromium.sh finds it or installs Debian's package.
# Where either cannot be had (no apt-get, not root), the scripts say why and those tests skip with
# that reason; with CI=true they fail instead, as do the tests that need ../shared.
test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	bash scripts/with-postgres.sh bash scripts/with-chromium.sh $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

eval: $(RUNTIME_STAMP)
	@test -d ../shared/gold || { echo "make eval scores ../shared/gold (labelled pages), absent here" >&2; exit 2; }
	$(VENV)/bin/claimledger eval ../shared/gold

bench: $(STAMP)
	$(PY) bench/throughput.py
	$(PY) bench/ledger.py

# Regenerate both hash-pinned locks after changing dependencies in pyproject.toml (needs uv:
# `pipx install uv`, or UV=/path/to/uv). Versions already pinned are kept unless pyproject.toml
# asks otherwise; the runtime lock is constrained to the development lock's versions, so that
# `make test` installs nothing over `make demo` but the development tools.
UV ?= uv
LOCK_OPTS := --quiet --generate-hashes --python-version 3.11
lock:
	$(UV) pip compile $(LOCK_OPTS) pyproject.toml --extra dev -o requirements-dev.lock
	$(UV) pip compile $(LOCK_OPTS) pyproject.toml --extra postgres --extra dask -c requirements-dev.lock \
		-o requirements.lock

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
