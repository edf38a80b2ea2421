# Two commands matter: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages migrate demo bench lint check clean backup restore restore-drill

# The portal's own translations (portal/locale), compiled from the .po files; the .mo are not
# committed. Needs GNU gettext's msgfmt (Debian: apt-get install gettext).
PO_FILES := $(wildcard portal/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages

messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	@msgfmt --check-format -o $@ $<

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content

# Quiet, so that the demo accounts stay on the screen: a line per step, the accounts table,
# then the server's address (`make migrate` and `make demo` show everything). The development
# server runs beside one background worker (jobs: runs, imports, notices); Ctrl-C stops both.
run: install
	@echo "准备数据库……"
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@echo "载入演示内容……"
	@$(BIN)/python manage.py load_demo_content
	@DJANGO_RUNSERVER_HIDE_WARNING=true $(BIN)/python manage.py devserver --skip-checks $(HOST):$(PORT)

# axe-core for the accessibility checks; only the test browser ever loads it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (CI installs Node.js)"; fi

test: install node_modules/.installed
	$(BIN)/python -m pytest

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .

bench: install
	bash bench/run.sh

# Backups (README, Operations): the database (pg_dump) and both media stores, from the
# environment the site runs with (DATABASE_URL, MEDIA_ROOT/PRIVATE_MEDIA_ROOT or the S3 buckets).
backup: install
	$(BIN)/python scripts/backup.py

# make restore BACKUP=backups/<timestamp> RESTORE_DATABASE_URL=postgres://…/<new database>
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp> RESTORE_DATABASE_URL=postgres://…/<new database>"; exit 2; }
	$(BIN)/python scripts/restore.py "$(BACKUP)" $(if $(RESTORE_DATABASE_URL),--database-url "$(RESTORE_DATABASE_URL)")

# Restore a backup (default: the latest) into a scratch database and directory, check, drop.
restore-drill: install
	$(BIN)/python scripts/restore.py "$(or $(BACKUP),$(lastword $(sort $(wildcard backups/*))))" --drill

clean:
	rm -rf $(VENV) db.sqlite3 cache media private_media static test-output
