# make check: what CI checks, plus formatting and lint. Uses .venv when there is one.
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python)

.PHONY: check test run format

check:
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest

test:
	$(PYTHON) -m pytest

run:
	$(PYTHON) -m streamlit run app.py

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
