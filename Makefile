# The two commands: `make run` (set up everything and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-chat-stock test-postgres prod-check lint translations compile-translations venv deps dev-deps bench clean screenshots assets check-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt $(VENV)/.deps
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

venv: $(BIN)/python
deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

compile-translations: deps
	$(BIN)/pybabel compile -d translations

run: deps compile-translations
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed demo --if-empty
	$(BIN)/python wsgi.py

lint: dev-deps
	$(BIN)/ruff check .

# The chat suite runs a second time on python-socketio's stock manager (CHAT_LEAN_FANOUT=0), so
# the fenced lean path (app/core/fanout.py) always has its fallback proven beside it. CI runs
# that second pass beside the PostgreSQL suite instead (`make test CHAT_STOCK_PASS=0`, then
# `make test-chat-stock`), off the longest path.
CHAT_STOCK_PASS ?= 1
test: dev-deps compile-translations lint
	$(BIN)/pytest
ifeq ($(CHAT_STOCK_PASS),1)
	$(MAKE) --no-print-directory -o dev-deps -o compile-translations test-chat-stock
endif

test-chat-stock: dev-deps compile-translations
	CHAT_LEAN_FANOUT=0 $(BIN)/pytest tests/chat -m "not browser"

# The database-facing tests again, on PostgreSQL (browser and multi-process journeys, and tests
# marked one_database, run once, in `make test`).
test-postgres: dev-deps compile-translations
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -m "not browser and not multiprocess and not one_database"

# The README's production shape run for real (README, "The check"): nginx (and openssl for its
# test certificate, installed from Debian's packages if missing) in front of two gunicorn + eventlet processes on a fresh
# PostgreSQL database and Redis, and a Chromium journey through it (tests/prod/).
prod-check: dev-deps compile-translations
	@{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null && command -v openssl >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl; }
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest tests/prod --prod-check

translations: deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations
	$(BIN)/pybabel compile -d translations

bench: dev-deps
	$(BIN)/python bench/chat_fanout.py
	$(BIN)/python bench/search_bench.py

# The browser code that needs npm packages (assets/, pinned in assets/package-lock.json), bundled
# by esbuild into static/js/coedit.bundle.js. The bundle is committed, so `make run` needs no
# Node; run this after changing assets/ and commit the result. `check-assets` (CI) rebuilds in
# memory and fails if the committed bundle differs. Install scripts are skipped: esbuild finds
# its binary in its optional platform package without them.
assets:
	cd assets && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs

check-assets:
	cd assets && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs --check

# The main pages of the demo at 390 and 1280 px as PNGs in screenshots/ (tools/screenshots.py).
screenshots: dev-deps compile-translations
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) instance
