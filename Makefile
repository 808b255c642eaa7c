# The two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := run
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-header --allow-unsafe --no-emit-index-url --no-emit-find-links

.PHONY: run test lint bench lock clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.12 is required (python3.12 on PATH, or pyenv with .python-version)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime packages only: what a server needs.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Test and lint packages on top.
$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.dev
	bash scripts/test.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.runtime
	$(BIN)/python bench/cluster_bench.py
	$(BIN)/python bench/link_bench.py

# Re-pin every transitive version after editing requirements.in or requirements-dev.in.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) instance/consult.db
