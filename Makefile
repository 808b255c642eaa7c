# The two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := run

.PHONY: run test bench clean

$(BIN)/activate: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.12 is required (python3.12 on PATH, or pyenv with .python-version)"; exit 2; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

run: $(BIN)/activate
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(BIN)/activate
	bash scripts/test.sh

bench: $(BIN)/activate
	$(BIN)/python bench/cluster_bench.py
	$(BIN)/python bench/link_bench.py

clean:
	rm -rf $(VENV) instance/consult.db
