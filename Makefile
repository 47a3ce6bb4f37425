# Set-up and everyday tasks. `make demo` and `make test` bootstrap .venv on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval clean

$(STAMP): pyproject.toml requirements.lock requirements-bootstrap.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-bootstrap.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

DEMO_DB ?= claimledger-demo.db

# Extract the bundled examples into an embedded SQLite ledger and print it.
demo: $(STAMP)
	$(VENV)/bin/claimledger extract examples/ --format text
	$(VENV)/bin/claimledger ingest examples/ --db $(DEMO_DB)
	$(VENV)/bin/claimledger speakers --db $(DEMO_DB)
	$(VENV)/bin/claimledger quotes --db $(DEMO_DB)
	$(VENV)/bin/claimledger numbers --db $(DEMO_DB)
	$(VENV)/bin/claimledger track flood-displacement --db $(DEMO_DB) --chart docs/flood-displacement.svg

# PostgreSQL tests need a server: scripts/with-postgres.sh starts a throwaway one and stops it after.
# Browser tests need Chromium: scripts/with-chromium.sh installs Debian's package when missing.
test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	bash scripts/with-postgres.sh bash scripts/with-chromium.sh $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

eval: $(STAMP)
	$(VENV)/bin/claimledger eval ../shared/gold

bench: $(STAMP)
	$(PY) bench/throughput.py
	$(PY) bench/ledger.py

# Regenerate the hash-pinned lock after changing dependencies in pyproject.toml.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
