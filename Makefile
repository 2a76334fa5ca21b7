# The two commands of the README: `make run` and `make test`. Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LANGS := ar en es fr ru zh
# Two test processes (pytest-xdist): the suite on two cores; tests that share an expensive
# fixture (a built wheel, a generated corpus) stay on one: xdist groups them by file.
PYTEST_ARGS ?= -n 2 --dist loadfile
PACK := fieldkit/data/starter-pack.json
CATALOGS := $(foreach l,$(LANGS),fieldkit/locales/$(l)/LC_MESSAGES/fieldkit.mo)

.PHONY: run test setup system system-test qt-system venv pack catalogs extract update-catalogs check-catalogs lint bench screenshots wheel dist dist-test clean

run: setup
	$(PY) -m fieldkit gui

test: setup system-test $(VENV)/bin/sqlcipher4
	$(PY) -m ruff check fieldkit ui tests bench scripts
	$(PY) -m mypy
	$(PY) -m fieldkit content validate content
	$(MAKE) --no-print-directory check-catalogs
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

setup: system venv qt-system pack catalogs

# A SQLCipher 4 shell, for the test that opens a profile with it.
$(VENV)/bin/sqlcipher4: scripts/build_sqlcipher_shell.sh | $(STAMP) system-test
	scripts/build_sqlcipher_shell.sh $@

# System packages: only the missing pieces of scripts/system-packages.txt, one
# package each (as root with apt; otherwise the exact apt command is printed).
system:
	@$(PYTHON) scripts/system_packages.py --for run

system-test:
	@$(PYTHON) scripts/system_packages.py --for test

# The libraries Qt's platform plugins lack, read from the plugins with ldd.
qt-system: $(STAMP)
	@$(PYTHON) scripts/system_packages.py --qt $(VENV)

venv: $(STAMP)

$(STAMP): pyproject.toml | system
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

# The wheel: its build backend (packaging/fieldkit_build.py) builds the starter pack and
# compiles the catalogs, so the wheel works without the source tree.
wheel: setup
	rm -f dist/fieldkit-*.whl
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist .

# The frozen one-folder app (dist/fieldkit/) from the wheel, with the desktop entry,
# AppStream metadata and hicolor icons under dist/fieldkit/share/.
DIST_VENV := build/dist-venv
dist: wheel system-test
	test -x $(DIST_VENV)/bin/python || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install -q --upgrade pip
	$(DIST_VENV)/bin/python -m pip install -q --force-reinstall --no-deps dist/fieldkit-*.whl
	$(DIST_VENV)/bin/python -m pip install -q "$$(ls dist/fieldkit-*.whl)[gui,dist]"
	$(DIST_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/fieldkit.spec
	scripts/desktop_files.sh dist/fieldkit/share
	@du -sh dist/fieldkit | sed 's/^/frozen app: /'

# The frozen app's smoke test (slow: not part of `make test`).
dist-test: dist system-test
	FIELDKIT_FROZEN=dist/fieldkit/fieldkit $(PY) -m pytest -q -p no:cacheprovider -rs tests/setup/test_frozen.py

clean:
	rm -rf build dist *.egg-info $(PACK) fieldkit/locales
