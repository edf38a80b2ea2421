# Two commands matter: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo bench lint check clean backup restore restore-drill

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content

# The development server and one background worker (jobs: runs, imports, notices); Ctrl-C stops both.
run: demo
	$(BIN)/python manage.py devserver $(HOST):$(PORT)

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
	rm -rf $(VENV) db.sqlite3 media private_media static test-output
