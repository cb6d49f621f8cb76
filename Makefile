# Solozère — everyday commands. `make help` lists them.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000
MANIFEST := whitenoise.storage.CompressedManifestStaticFilesStorage
LIGHTHOUSE := lighthouse@13.5.0

.DEFAULT_GOAL := help
.PHONY: help install run serve db test reliability chromium lint format messages communes vendor superuser bench lighthouse

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the dependencies

db: install ## Migrate and load the real Lozère data into a new database, never over edits (SQLite unless DATABASE_URL says otherwise)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_shipped_data

run: db ## Set everything up and serve the site on http://127.0.0.1:8000
	DEBUG=true $(MANAGE) runserver $(HOST)

serve: db ## Serve as in production: gunicorn, compressed hashed static files, DEBUG off
	STATICFILES_BACKEND=$(MANIFEST) $(MANAGE) collectstatic --no-input --verbosity 0
	STATICFILES_BACKEND=$(MANIFEST) WHITENOISE_USE_FINDERS=false \
		$(VENV)/bin/gunicorn solozere.wsgi --bind $(HOST) --workers 3 --access-logfile -

chromium: ## Install Debian's Chromium for the browser tests if it is missing
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

test: install chromium ## Run the test suite, browser tests included, on every core (set DATABASE_URL for PostgreSQL)
	$(PY) -m pytest -n auto -m "not reliability" --screenshot only-on-failure --output test-results

reliability: install ## Run the production stack under load and faults (its own PostgreSQL and gunicorn), and the hostile-input fuzzing three times deeper
	$(PY) -m pytest -m reliability --timeout 900
	FUZZ_DEPTH=3 $(PY) -m pytest -n auto --timeout 900 tests/reliability/test_bad_input*.py

bench: install ## Measure 100 and 20,000 places on PostgreSQL (BENCH_DATABASE_URL); write bench/results.md
	$(PY) -W ignore -m bench.run

lighthouse: db chromium ## Lighthouse (npm, pinned, into .lighthouse/) on the home page, a search and a place page, mobile, slow 4G; write bench/results.md
	@test -f .lighthouse/.$(LIGHTHOUSE) || { npm install --prefix .lighthouse --no-save --no-audit --no-fund $(LIGHTHOUSE) && touch .lighthouse/.$(LIGHTHOUSE); }
	STATICFILES_BACKEND=$(MANIFEST) $(MANAGE) collectstatic --no-input --verbosity 0
	$(PY) -m bench.lighthouse

lint: install ## Lint, check formatting and check that no migration is missing
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install ## Format and sort imports
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Update the catalogues (English to translate; French filled with its own text) and compile them (needs GNU gettext)
	$(MANAGE) makemessages -l en -l fr --ignore=$(VENV) --ignore=staticfiles --ignore=bench
	@# French strings are their own translation, so gettext finds them in the first catalogue it
	@# reads; an untranslated string is looked for in every app's, three times slower.
	msgen -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=$(VENV)

communes: install ## Rebuild fixtures/epci.json and communes.json from data/lozere/*.csv, and the borders maps draw
	$(MANAGE) import_communes data/lozere
	$(MANAGE) export_fixtures epci communes
	$(MANAGE) draw_borders

vendor: ## Copy the pinned third-party front-end files from npm into static/
	$(PYTHON) scripts/vendor_static.py

superuser: install ## Create an operator account for /admin/
	$(MANAGE) createsuperuser
