# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make demo   install, migrate, load the demo district, serve http://127.0.0.1:8000 (with the worker
#               that runs web imports in the background; Ctrl+C stops both)
#   make test   install what the tests need, run the whole suite
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
TARGETS ?= 20000

.PHONY: demo test install install-dev migrate seed lint format clean messages browser pdf-font

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo --targets $(TARGETS) --if-empty

demo: seed
	-@$(MAKE) --no-print-directory pdf-font || echo "(PDFs will name a CID font instead of embedding one)"
	$(PY) manage.py collectstatic --no-input -v 0
	@echo ""
	@echo "Fairspot demo district is ready: http://$(HOST)/"
	@echo "  joint-meeting office:   office / fairspot-demo"
	@echo "  department admin (市场监管): market / fairspot-demo"
	@echo "  system administrator:  admin / fairspot-demo  (Django admin at /admin/)"
	@echo "    then a two-step code: authenticator key FAIRSPOTDEMOADMINTOTPKEYDEMOONLY,"
	@echo "    or run: $(PY) manage.py demo_totp"
	@echo ""
	@echo "Starting the background worker (web imports) and the web server; Ctrl+C stops both."
	@# a second TERM stops an import mid-way (rolled back, its job marked failed) instead of awaiting its end
	@trap 'kill $$worker 2>/dev/null && sleep 1 && kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PY) manage.py db_worker & worker=$$!; \
	$(PY) manage.py runserver $(HOST)

test: install-dev browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The end-to-end tests drive Debian's chromium (Playwright from PyPI, no browser download).
browser: pdf-font
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk \
	  || { echo "FATAL: could not install chromium (run as root, or install it yourself)" >&2; exit 1; }; }

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static

# Re-extract and compile the message catalogues (needs GNU gettext); commit both .po and .mo.
messages: install-dev
	cd fairspot && ../$(PY) ../manage.py makemessages -l zh_Hans --ignore "draw/*" --ignore "*/tests/*"
	cd fairspot && ../$(PY) ../manage.py compilemessages -l zh_Hans

# The Chinese font embedded in PDFs (FAIRSPOT_PDF_FONT_FILE): Debian's fonts-wqy-microhei.
pdf-font:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  echo "installing Debian's fonts-wqy-microhei (the Chinese font embedded in PDFs)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei \
	  || { echo "FATAL: could not install fonts-wqy-microhei (run as root, or install it yourself)" >&2; exit 1; }; }
