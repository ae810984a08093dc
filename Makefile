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
HANDOUT := descargas/introduccion-virtualizacion.pdf
# ProperDocs gets a venv of its own (inside .venv/, so ignored and removed with it).
PROPERDOCS_VENV := $(VENV)/properdocs
OFFLINE_ZIP := dist/introduccion-virtualizacion-offline.zip

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# Reproducible dates (handout cover, PDF metadata): the last commit's, or a fixed fallback.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1767225600)

.DEFAULT_GOAL := all
.PHONY: all site pdf serve check revisar fuentes test lint audit bench offline clean help python-version \
	properdocs-venv

help: ## Muestra esta ayuda
	@echo "Uso: make [objetivo]"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
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

all: site ## Crea .venv, instala y genera el sitio y el PDF en site/ (por defecto)

site: $(BIN)/.installed ## Genera el sitio en modo estricto (con el PDF) en site/
	@rm -rf $(BUILD_TMP)
	$(BIN)/mkdocs build --strict --site-dir $(BUILD_TMP)
	@rm -rf $(SITE) && mv $(BUILD_TMP) $(SITE)
	@echo "Sitio generado en $(SITE)/"

# The recipe execs the server (scripts/serve.py), which also stops when make is stopped.
PUERTO ?= 8000
serve: $(BIN)/.installed ## Vista previa: http://127.0.0.1:8000/introduccion-virtualizacion/ (PUERTO=8001 cambia el puerto; PDF=1 incluye el PDF)
	@VIRTCURSO_PDF=$(if $(PDF),true,false) exec $(BIN)/python scripts/serve.py $(PUERTO)

# The handout needs every page's HTML, so this is a strict build (PDF on) in a temp folder of
# which only the PDF is kept; the rest of site/ is left as it was.
pdf: $(BIN)/.installed ## Genera solo el folleto PDF en site/descargas/
	@rm -rf $(BUILD_TMP)-pdf
	VIRTCURSO_PDF=true $(BIN)/mkdocs build --strict --site-dir $(BUILD_TMP)-pdf
	@mkdir -p $(dir $(SITE)/$(HANDOUT))
	@mv $(BUILD_TMP)-pdf/$(HANDOUT) $(SITE)/$(HANDOUT) && rm -rf $(BUILD_TMP)-pdf
	@echo "Manual en PDF: $(SITE)/$(HANDOUT)"

check: $(BIN)/.installed ## Valida data/ y las fichas de las prácticas (esquema y reglas) sin generar el sitio
	PYTHONPATH=hooks $(BIN)/python -m virtcurso check

revisar: $(BIN)/.installed ## Revisión rápida de un cambio de texto o datos: datos, ortografía, enlaces y marcadores
	@$(BIN)/python scripts/revisar.py

fuentes: $(BIN)/.installed ## Informe de fuentes por sistema: oficiales, fechas, «por verificar»
	@PYTHONPATH=hooks $(BIN)/python -m virtcurso fuentes

# One pytest process per core (pytest-xdist); a module's tests stay in one process.
test: $(BIN)/.installed-dev ## Pasa todas las pruebas, en paralelo (genera el sitio en una carpeta temporal)
	$(BIN)/python -m pytest -n auto --dist loadscope

lint: $(BIN)/.installed-dev ## Comprobaciones de pre-commit: espacios, ruff, yamllint, actionlint, datos
	@# Every file git tracks or would track (new files too), as long as it still exists.
	@$(BIN)/pre-commit run --files \
	  $$(git ls-files --cached --others --exclude-standard | while read -r f; do [ -e "$$f" ] && echo "$$f"; done)

offline: $(BIN)/.installed ## Zip del sitio que funciona abierto desde el disco, con búsqueda
	$(BIN)/python scripts/offline.py $(OFFLINE_ZIP)

audit: $(BIN)/.installed-dev site ## Lighthouse (4 páginas) y Nu HTML Checker sobre site/ (lento)
	$(BIN)/python scripts/audit.py $(SITE)

bench: $(BIN)/.installed-dev ## Medidas de rendimiento: tabla Markdown de medianas (varios minutos)
	$(BIN)/python scripts/bench.py

# ProperDocs, MkDocs' maintained continuation: the escape hatch tested in tests/test_properdocs.py.
properdocs-venv: $(PROPERDOCS_VENV)/bin/.installed
$(PROPERDOCS_VENV)/bin/.installed: requirements-properdocs.txt requirements.txt | python-version
	@test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements-properdocs.txt
	@touch $@

clean: ## Borra site/, dist/, restos y cachés (conserva .venv)
	rm -rf $(SITE) $(BUILD_TMP) $(BUILD_TMP)-pdf dist .cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
