# make check: what CI checks, plus formatting and lint. Uses .venv when there is one.
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python)

.PHONY: check test run format bench

check:
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest

test:
	$(PYTHON) -m pytest

# the CI-sized benchmark (the 100 k tier, a few minutes); not part of the tests. Writes benchmarks/RESULTS.md
bench:
	$(PYTHON) -m benchmarks.run --tier 100k

run:
	$(PYTHON) -m streamlit run app.py

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
