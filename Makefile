# The two commands of the README: `make run` and `make test`; `make lock` after a change of
# the dependencies in pyproject.toml.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTHON ?= python3
export QUALITYFUND_DATA_DIR ?= $(CURDIR)/var
GUIDE := src/qualityfund/guides/quality-brand-2025.yaml
LOCK := requirements.lock

.PHONY: run test install check-system serve lint lock

# Exactly the versions of the lock file, each checked against its SHA-256; then the
# project itself, which brings nothing more.
$(BIN)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
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

# The lock file from pyproject.toml (dependencies and the test extra), by pip-tools in a
# throw-away environment. Versions already locked stay unless LOCK_ARGS=--upgrade.
lock:
	tools=$$(mktemp -d) && $(PYTHON) -m venv $$tools && $$tools/bin/pip install -q pip-tools && \
	  $$tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test \
	    --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) -o $(LOCK) pyproject.toml; \
	  status=$$?; rm -rf $$tools; exit $$status
