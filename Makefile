# newsdesk: `make demo` to try it, `make test` to check it. See README.md.
VENV     := .venv
BIN      := $(VENV)/bin
PYTHON   := $(BIN)/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
PORT     ?= 8000

.PHONY: demo serve test lint audit bench bench-live bench-discussion bench-archive clean-demo lock messages

$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# The browser-side checkers (axe-core, vnu-jar, Lighthouse) come from npm; a
# machine without npm still runs the suite, and the tests that need them skip
# with a reason naming the package.
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: accessibility and HTML-validity checks will be skipped (Debian package: npm)"; fi

demo: $(INSTALLED)
	$(BIN)/newsdesk demo --port $(PORT)

serve: $(INSTALLED)
	$(BIN)/newsdesk serve --port $(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(INSTALLED)
	@$(MAKE) --no-print-directory $(NODE_INSTALLED) || true
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=newsdesk.settings.test $(PYTHON) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=newsdesk.settings.test $(PYTHON) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

audit: $(INSTALLED) $(NODE_INSTALLED)
	$(PYTHON) bench/audit.py

bench: $(INSTALLED)
	$(PYTHON) bench/pages.py

bench-live: $(INSTALLED)
	$(PYTHON) bench/live.py

bench-discussion: $(INSTALLED)
	$(PYTHON) bench/discussion.py

bench-archive: $(INSTALLED)
	$(PYTHON) bench/archive.py

lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

# The interface's catalogues (needs GNU gettext): after changing interface
# text, update them, translate the new entries, then `make messages` again to
# compile (the .mo files ship; newsdesk/editions/tests/test_catalogues.py checks).
messages: $(INSTALLED)
	cd newsdesk && DJANGO_SETTINGS_MODULE=newsdesk.settings.test ../$(BIN)/django-admin makemessages \
		-l en -l ru --no-obsolete --ignore '*/tests/*' --ignore 'demo/*' --ignore '*/migrations/*'
	# English is the source text: every msgstr is its msgid.
	msgen newsdesk/locale/en/LC_MESSAGES/django.po | msgattrib --clear-fuzzy \
		-o newsdesk/locale/en/LC_MESSAGES/django.po
	cd newsdesk && DJANGO_SETTINGS_MODULE=newsdesk.settings.test ../$(BIN)/django-admin compilemessages

clean-demo:
	rm -rf data
