# The verbs a newcomer needs. `make run` and `make test` work from a fresh clone.
PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run dev test lint check verify clean-db

# The virtualenv is rebuilt whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The interface's translations (locale/<language>/LC_MESSAGES/django.po, committed), compiled
# into the .mo files Django reads (git-ignored), again whenever a .po file changes. msgfmt is
# GNU gettext's (Debian's `gettext` package).
MESSAGES := $(wildcard locale/*/LC_MESSAGES/django.po coe_kz/django_locale/*/LC_MESSAGES/django.po)
%.mo: %.po
	msgfmt --check-format --output-file=$@ $<

install: $(VENV)/.installed $(MESSAGES:.po=.mo)

# The secret key of `make run`: made once, then reused (a new key would log every editor
# out). Git-ignored, readable by its owner only.
SECRET_KEY_FILE := .secret_key
$(SECRET_KEY_FILE): | $(VENV)/.installed
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp
	mv $@.tmp $@

# The production settings, given what they require (they have no defaults), as shell
# assignments (not `env` arguments: the key stays out of process lists). HTTPS_ONLY=0:
# the site is served over plain http, where a browser would not send Secure cookies back.
RUN_ENV = DJANGO_SETTINGS_MODULE=coe_kz.settings.prod \
	SECRET_KEY="$$(cat $(SECRET_KEY_FILE))" \
	ALLOWED_HOSTS=127.0.0.1,localhost \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	HTTPS_ONLY=0
DEV_ENV = DJANGO_SETTINGS_MODULE=coe_kz.settings.dev

## run: the site as its users meet it: production settings (DEBUG off), gunicorn
##      (gunicorn.conf.py), whitenoise, on 127.0.0.1:$(PORT), after migrate and seed
run: install $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput
	$(RUN_ENV) PORT=$(PORT) exec $(BIN)/gunicorn -c gunicorn.conf.py coe_kz.wsgi

## dev: the developer's server: runserver with DEBUG on, after migrate and seed
dev: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed
	$(DEV_ENV) exec $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL is set)
test: install
	$(BIN)/pytest

## lint: ruff, and import-linter's layer contracts (pyproject.toml), as CI runs them
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## check: Django's system checks and no missing migrations
check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## verify: migrate, load the curated data if the database has none, and check the whole
##         database against the rules of the data (exit 1 on any breach)
verify: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed
	$(DEV_ENV) $(BIN)/python manage.py verify

## clean-db: delete the local SQLite database (the curated data reloads on the next `make run`
##           or `make dev`; the secret key stays)
clean-db:
	rm -f db.sqlite3
