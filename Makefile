# make run   – set up, load the demo data and serve http://127.0.0.1:8000
# make test  – set up and run every test, on SQLite and then on PostgreSQL
# make serve – production mode (gunicorn, task worker) with settings from the environment
# make backup – database and uploaded/signed files to var/backups/portal-YYYYmmdd-HHMMSS.tar.gz
# make restore FILE=… – migrate, then restore that archive into an empty portal (FORCE=1 replaces one in use)
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV := DJANGO_DEBUG=1
PYTEST_ARGS ?=
# Tests run in parallel, one process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in one.
PYTEST_WORKERS ?= auto

.PHONY: run serve test backup restore setup sysdeps venv migrate demo messages lint clean

run: setup
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo_data
	@# The task worker (large exports, dashboard recomputation) runs beside the server and stops with it.
	$(DEV) $(PY) manage.py db_worker --queue-name default & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# Production mode on this machine: settings from the environment or .env (see .env.example),
# gunicorn with WEB_WORKERS processes, whitenoise for static files, the task worker beside it.
# Four processes per core, two threads each: a slow PDF or export holds one thread, not a
# worker's queue, and few threads share a process's interpreter lock. On 2 cores, 8 × 2 gave
# p95 1,2 s at 100 users where 4 × 4 gave 1,8 s and 12 × 1 1,4 s (docs/deploy.md §9).
# One request per connection (--keep-alive 0), as nginx sends them: under overload gthread
# closed idle kept-alive connections just as a client sent its next request on one (reset by peer).
WEB_WORKERS ?= 8
WEB_THREADS ?= 2
BIND ?= 127.0.0.1:8000
serve: setup
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# The worker exits when it loses the database (a PostgreSQL restart): start it again, as systemd would.
	while true; do $(PY) manage.py db_worker --queue-name default; echo "task worker stopped; restarting" >&2; sleep 2; done & \
	worker=$$!; trap 'pkill -P $$worker; kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi --workers $(WEB_WORKERS) --threads $(WEB_THREADS) --keep-alive 0 --bind $(BIND) --access-logfile - --timeout 120

# The Chromium journeys run once, in the PostgreSQL leg when there is one: they test the pages,
# which the two databases serve alike, and they are the slowest part of the suite.
test: setup
	@echo "== Tests on SQLite"
	if scripts/test-postgres --check; then marks="not browser"; else marks=""; fi; \
	env -u DATABASE_URL $(PY) -m pytest -n $(PYTEST_WORKERS) -m "$$marks" $(PYTEST_ARGS)
	scripts/test-postgres $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Backups use the same settings as `make serve` (the environment or .env); prefix DJANGO_DEBUG=1
# for the development database in var/. Restoring checks every SHA-256 and loads all or nothing.
backup: venv
	$(PY) manage.py backup_portal

restore: venv
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/portal-….tar.gz [FORCE=1]" >&2; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore_portal "$(FILE)" $(if $(FORCE),--force)

setup: venv sysdeps

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || { python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

sysdeps:
	@scripts/system-packages

messages: venv
	$(DEV) $(PY) manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf var/db.sqlite3* var/staticfiles
