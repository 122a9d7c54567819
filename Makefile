# Set-up and everyday commands. `make run` and `make test` do all set-up themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Test processes (pytest-xdist); `make test TEST_WORKERS=0` runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: run test test-fast lint format translations extract-messages clean bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# A random secret key, written once and kept in the git-ignored instance/ folder.
instance/config.py:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(f"SECRET_KEY = {secrets.token_hex(32)!r}")' > $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d app/translations --statistics 2>&1 | tail -n 1

run: $(VENV)/.installed instance/config.py translations
	$(FLASK) db upgrade
	$(FLASK) municipalities seed
	$(FLASK) courses sync
	$(FLASK) demo seed --if-empty
	@echo
	@$(FLASK) demo logins
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed translations
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# Everything but the slow kinds: browser, deploy, fuzz and property tests (markers in pyproject).
test-fast: $(VENV)/.dev-installed translations
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not slow"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the message catalogues after changing UI strings; then translate app/translations/en.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations

# The benchmark (never part of `make test`): gunicorn with 2 workers loaded over HTTP at Dalarna's
# and national scale, on SQLite and PostgreSQL; prints and writes docs/PERFORMANCE.md.
bench: $(VENV)/.installed instance/config.py translations
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
