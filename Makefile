# Introducción a la virtualización: the project's front door. `make help` lists the targets.
#
# `make` creates .venv, installs the pinned requirements and builds the site and the handout
# into site/. The build goes to a temporary folder first and replaces site/ only when it
# succeeds, so a mistake never destroys the last good site.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE := site
BUILD_TMP := .site-build

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# Reproducible dates (handout cover, PDF metadata): the last commit's, or a fixed fallback.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1767225600)

.DEFAULT_GOAL := all
.PHONY: all site pdf serve check test lint audit bench offline clean help python-version

help: ## Show this help
	@echo "Uso: make [objetivo]"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null || { \
	  echo "Error: se necesita Python >= 3.11.5 (encontrado: $$($(PYTHON) --version 2>&1))." >&2; \
	  echo "Instálalo o indica otro intérprete: make PYTHON=python3.12" >&2; exit 1; }

# The virtualenv is rebuilt only when a requirements file changes.
$(BIN)/.installed: requirements.txt | python-version
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(BIN)/.installed-dev: requirements-dev.txt $(BIN)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

all: site ## Create .venv, install and build the site and the handout into site/

site: $(BIN)/.installed ## Build the site strictly (with the PDF handout) into site/
	@rm -rf $(BUILD_TMP)
	$(BIN)/mkdocs build --strict --quiet --site-dir $(BUILD_TMP)
	@rm -rf $(SITE) && mv $(BUILD_TMP) $(SITE)
	@echo "Sitio generado en $(SITE)/"

serve: $(BIN)/.installed ## Live preview on http://127.0.0.1:8000 (PDF off; PDF=1 turns it on)
	VIRTCURSO_PDF=$(if $(PDF),true,false) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: $(BIN)/.installed ## Validate data/ (schema and semantic checks) without building
	PYTHONPATH=hooks $(BIN)/python -m virtcurso check

test: $(BIN)/.installed-dev ## Run the whole test suite (builds the site in a temp folder)
	$(BIN)/python -m pytest

clean: ## Remove site/, build leftovers and caches (keeps .venv)
	rm -rf $(SITE) $(BUILD_TMP) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
