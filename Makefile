# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTHON ?= python3
export QUALITYFUND_DATA_DIR ?= $(CURDIR)/var
GUIDE := src/qualityfund/guides/quality-brand-2025.yaml

.PHONY: run test install check-system serve lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

check-system:
	@bash scripts/check-system.sh --install

run: install check-system
	$(BIN)/qualityfund migrate --noinput
	$(BIN)/qualityfund load_guide $(GUIDE)
	$(BIN)/qualityfund seed_demo
	$(BIN)/qualityfund seed_experts
	$(BIN)/qualityfund seed_showcase
	$(BIN)/qualityfund runserver 127.0.0.1:$(PORT) --noreload

test: install check-system
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
