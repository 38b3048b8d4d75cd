# The README's two commands. Both work on a fresh machine with Python 3.11, pip and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= steepest-tour

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[plot,examples]"
	touch $@

$(VENV)/.dev-installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.demo-installed
	$(BIN)/steepest tour --out $(OUT)

test: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks examples tools
	OPENBLAS_NUM_THREADS=1 MPLBACKEND=Agg HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -q

bench: $(VENV)/.dev-installed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OUT) build src/*.egg-info
