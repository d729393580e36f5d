# The front door: `make demo` runs the platform with demo content, `make test` passes the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/trafficking
MANAGE := $(BIN)/python manage.py

.PHONY: help demo serve test test-sqlite test-postgres lint check bench messages system-test-deps clean iiif-validate viewers

help:
	@echo "make demo   set up and run the platform with demo content on http://$(HOST):$(PORT)/"
	@echo "make test   set up and run lint, checks and the whole suite on SQLite and PostgreSQL"
	@echo "make bench  print benchmark figures"

# --- set-up -------------------------------------------------------------------------------
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.runtime: requirements.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The IIIF viewers, copied from npm into a git-ignored static folder (served like any static
# file; never from a CDN). Source-map comments are dropped: the maps are not shipped, and
# collectstatic's manifest storage fails on a reference to a missing file.
VIEWERS := static/vendor
$(VIEWERS)/.built: node_modules/.installed
	rm -rf $(VIEWERS)
	mkdir -p $(VIEWERS)/openseadragon $(VIEWERS)/mirador
	sed '/^\/\/# sourceMappingURL=/d' node_modules/openseadragon/build/openseadragon/openseadragon.min.js \
		> $(VIEWERS)/openseadragon/openseadragon.min.js
	cp node_modules/openseadragon/LICENSE.txt $(VIEWERS)/openseadragon/
	sed '/^\/\/# sourceMappingURL=/d' node_modules/mirador/dist/mirador.min.js > $(VIEWERS)/mirador/mirador.min.js
	cp node_modules/mirador/LICENSE $(VIEWERS)/mirador/
	@touch $@

viewers: $(VIEWERS)/.built

# WeasyPrint's Debian libraries and font, named by a file each package installs.
WEASYPRINT_LIBS := /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 \
	/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0 /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

system-test-deps:
	@scripts/system-packages.sh chromium msgfmt espeak-ng lame /usr/share/hunspell/sv_SE.dic
	@scripts/system-packages.sh $(WEASYPRINT_LIBS)

messages: $(VENV)/.runtime
	@scripts/system-packages.sh msgfmt
	@$(MANAGE) compilemessages -v0 --ignore=.venv --ignore=node_modules

# --- demo ---------------------------------------------------------------------------------
demo: export DJANGO_SETTINGS_MODULE = config.settings.dev
demo: export DEBUG ?= false
demo: export SITE_URL = http://$(HOST):$(PORT)
demo: $(VENV)/.runtime messages viewers
	$(MANAGE) migrate --no-input
	@scripts/system-packages.sh $(WEASYPRINT_LIBS)  # printed labels (admin, build_labels)
	@scripts/system-packages.sh espeak-ng lame  # the demo testimony's spoken recording
	@scripts/system-packages.sh /usr/share/hunspell/sv_SE.dic  # Swedish compounds in search
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --no-input -v0
	@$(MAKE) --no-print-directory serve

serve: export DJANGO_SETTINGS_MODULE = config.settings.dev
serve: export DEBUG ?= false
serve:
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/   (English: http://$(HOST):$(PORT)/en/)"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   user admin, password $$(cat var/demo-admin-password)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	@$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--no-control-socket --access-logfile - --graceful-timeout 5

# --- quality ------------------------------------------------------------------------------
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(VENV)/.dev
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

test: $(VENV)/.dev node_modules/.installed viewers system-test-deps messages lint check test-sqlite test-postgres

test-sqlite: $(VENV)/.dev
	@echo "== tests on SQLite"
	$(BIN)/pytest

test-postgres: $(VENV)/.dev
	@echo "== tests on PostgreSQL ($(PG_TEST_URL))"
	@scripts/ensure-postgres.sh $(PG_TEST_URL); status=$$?; \
	if [ $$status -eq 0 ]; then DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest; \
	elif [ $$status -eq 2 ]; then echo "PostgreSQL run skipped (not in CI)."; \
	else exit 1; fi

bench: $(VENV)/.runtime messages
	@scripts/system-packages.sh wrk nginx spawn-fcgi /usr/lib/iipimage-server/iipsrv.fcgi
	$(BIN)/python -m benchmarks.run

# --- IIIF validator -----------------------------------------------------------------------
# The official Image API validator has old dependencies: it gets its own virtualenv, kept
# out of the project's lock files. python-magic needs libmagic, which Debian's `file` brings.
IIIF_VALIDATOR_VENV := var/iiif-validator-venv

$(IIIF_VALIDATOR_VENV)/bin/iiif-validate.py:
	@scripts/system-packages.sh file
	$(PYTHON) -m venv $(IIIF_VALIDATOR_VENV)
	$(IIIF_VALIDATOR_VENV)/bin/pip install --quiet --disable-pip-version-check \
		iiif-validator==1.0.5 bottle==0.13.4 python-magic==0.4.27 lxml==6.1.3 pillow==12.0.0
	@touch $@

iiif-validate: $(VENV)/.runtime $(IIIF_VALIDATOR_VENV)/bin/iiif-validate.py
	$(BIN)/python -m tests.iiif.live_validator

clean:
	rm -rf $(VENV) node_modules var $(VIEWERS)
