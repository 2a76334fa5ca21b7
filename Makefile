# The two commands of the README: `make run` and `make test`. Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LANGS := ar en es fr ru zh
PACK := fieldkit/data/starter-pack.json
CATALOGS := $(foreach l,$(LANGS),fieldkit/locales/$(l)/LC_MESSAGES/fieldkit.mo)
# Shared libraries Qt needs even offscreen, and tools the tests read PDFs and databases with.
SYSTEM_LIBS := libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3
APT_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libssl-dev poppler-utils gettext npm

.PHONY: run test setup system venv pack catalogs extract update-catalogs check-catalogs lint bench screenshots wheel clean

run: setup
	$(PY) -m fieldkit gui

test: setup $(VENV)/bin/sqlcipher4
	$(PY) -m ruff check fieldkit ui tests bench scripts
	$(PY) -m mypy
	$(PY) -m fieldkit content validate content
	$(MAKE) --no-print-directory check-catalogs
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

setup: system venv pack catalogs

# A SQLCipher 4 shell, for the test that opens a profile with it.
$(VENV)/bin/sqlcipher4: scripts/build_sqlcipher_shell.sh | $(STAMP)
	scripts/build_sqlcipher_shell.sh $@

# Installs missing system packages when it can (root with apt); otherwise says what is missing.
system:
	@missing=""; \
	for lib in $(SYSTEM_LIBS); do ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	for tool in pdftotext msgfmt npm gcc; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	test -f /usr/include/openssl/evp.h || missing="$$missing openssl-headers"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else echo "please install:$$missing (Debian/Ubuntu: apt-get install $(APT_PACKAGES))"; fi; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

pack: $(PACK)

$(PACK): $(STAMP) $(shell find content -type f 2>/dev/null)
	$(PY) -m fieldkit content build content --out $@

catalogs: $(CATALOGS)

fieldkit/locales/%/LC_MESSAGES/fieldkit.mo: locales/%/LC_MESSAGES/fieldkit.po $(STAMP)
	@mkdir -p $(dir $@)
	$(VENV)/bin/pybabel compile -D fieldkit -i $< -o $@

# Maintainers: after changing UI strings, extract and merge, then translate the .po files.
extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 \
	  --project=Fieldkit --copyright-holder="Fieldkit contributors" --no-location \
	  -o locales/fieldkit.pot fieldkit ui

update-catalogs: extract
	for l in $(LANGS); do \
	  if [ -f locales/$$l/LC_MESSAGES/fieldkit.po ]; then \
	    $(VENV)/bin/pybabel update -D fieldkit -i locales/fieldkit.pot -d locales -l $$l --no-fuzzy-matching --ignore-obsolete; \
	  else $(VENV)/bin/pybabel init -D fieldkit -i locales/fieldkit.pot -d locales -l $$l; fi; \
	done

# Fails on any untranslated or fuzzy message, or a catalog msgfmt rejects.
check-catalogs: $(STAMP)
	$(PY) scripts/check_catalogs.py $(LANGS)

lint: setup
	$(PY) -m ruff check fieldkit ui tests bench scripts

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	$(PY) bench/search.py

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) scripts/render_screens.py screenshots

wheel: setup
	$(PY) -m pip wheel --no-deps -w dist .

clean:
	rm -rf build dist *.egg-info $(PACK) fieldkit/locales
