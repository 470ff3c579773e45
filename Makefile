# The same commands as the README and .ci/run. `make run` and `make test` create .venv if needed.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: lock model run test test-fast lint typecheck format readme evaluate measure clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

run: $(BIN)/python            ## install berita and clean seeds/ into warehouse/
	$(BIN)/pip install -c constraints.txt -e . && $(BIN)/berita run

test: $(BIN)/python           ## install test dependencies and run every test (CI runs exactly this)
	$(BIN)/pip install -c constraints.txt -e ".[test]" && $(BIN)/python -m pytest

test-fast:                    ## skip the tests that start Prefect
	$(BIN)/python -m pytest -m "not slow"

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck:
	$(BIN)/python -m mypy

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

readme:                       ## regenerate the README's column and rule tables from the code
	$(BIN)/python scripts/update_readme.py

evaluate:                     ## body precision/recall and metadata accuracy on the golden seeds
	$(BIN)/berita evaluate tests/golden/seeds.json

measure:                      ## first-run and warm timings of `berita run` (medians)
	$(BIN)/python scripts/measure_run.py

clean:
	rm -rf warehouse build *.egg-info .mypy_cache .ruff_cache .hypothesis

lock:                         ## re-solve constraints.txt for Python 3.11 to 3.13 (UPGRADE=1 to take new releases)
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -c constraints.txt "uv==0.13.9"
	.venv-lock/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o constraints.txt

model:                        ## retrain the shipped line model from ../shared/realpages and the corpus
	$(BIN)/berita train --pages ../shared/realpages --output src/berita/line_model.json --evaluate
