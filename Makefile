# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# `make run` installs what running needs; the test extras come with `make test`.
RUN_STAMP := $(VENV)/.installed-run
CATALOGS := contest/translations
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install translations messages system-deps ocr-deps lint demo clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(STAMP) translations

# Compiled catalogues are build output, not committed.
translations: $(RUN_STAMP)
	$(BIN)/pybabel compile -d $(CATALOGS) >/dev/null

# Re-extract strings and merge them into the kk/ru/en catalogues (for developers).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching

run: $(RUN_STAMP) translations ocr-deps
	$(BIN)/python -m contest.devserver

# Tesseract and its Kazakh, Russian, English and orientation models (OCR of photos and scans).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd
ocr-deps:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx kaz \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx rus || ! tesseract --list-langs 2>/dev/null | grep -qx eng \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx osd; then \
	  echo "Installing $(OCR_PACKAGES) with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES) >/dev/null; \
	fi

# A ready demo contest in judging (refuses a database that holds real data); prints the accounts.
demo: $(RUN_STAMP) translations
	$(BIN)/flask --app contest db upgrade
	$(BIN)/flask --app contest demo

# Chromium (browser tests) and poppler-utils (PDF to PNG) come from Debian when missing.
system-deps: ocr-deps
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  echo "Installing chromium and poppler-utils with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi
	@if ! command -v strace >/dev/null || ! command -v redis-server >/dev/null; then \
	  echo "Installing strace and redis-server with apt-get (fault tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace redis-server >/dev/null; \
	fi

# The whole suite on SQLite with real Redis, then the database-marked tests on PostgreSQL.
test: install system-deps
	REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q -n 2 --dist loadgroup
	TEST_DATABASE_URL=$(PG_URL) REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q -m postgres -n 2 --dist loadgroup

# The screenshots the README shows that browser tests take (a test run writes them to
# test-artifacts/screenshots/ instead, leaving the checkout as it was).
screenshots: install system-deps
	UPDATE_SCREENSHOTS=1 REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q -m browser \
	  tests/desk/test_browser.py tests/judging/test_browser.py

lint: $(STAMP)
	$(BIN)/ruff check contest tests bench worker.py

clean:
	rm -rf $(VENV) build *.egg-info
