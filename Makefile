# Two commands for a newcomer: `make test` and `make book`. Both create .venv on first use.
# PYTHON: the first of python3.11, python3.12, python3.13, python3 that is Python 3.11 or newer;
# override with `make PYTHON=/path/to/python3 test`. A change of interpreter rebuilds .venv.
PYTHON ?= $(shell for candidate in python3.11 python3.12 python3.13 python3; do \
  $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$candidate; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INTERPRETER_FILE := $(VENV)/.interpreter
INTERPRETER = $(shell $(PYTHON) -c 'import os, sys; print(os.path.realpath(sys.executable), sys.version.split()[0])' 2>/dev/null)
CHAPTERS ?= $(sort $(wildcard chapters/*.ipynb))

.PHONY: install unit test test-portable book pdf test-site lab execute clean check-python FORCE

check-python:
	@test -n "$(PYTHON)" || { echo "No Python 3.11 or newer found: install one, or run make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is older than Python 3.11"; exit 1; }

# Rewritten only when the interpreter differs from the one that built .venv, which is then rebuilt.
$(INTERPRETER_FILE): check-python FORCE
	@echo '$(INTERPRETER)' | cmp -s - $@ 2>/dev/null || { rm -rf $(VENV); mkdir -p $(VENV); echo '$(INTERPRETER)' > $@; }

install: $(STAMP)

$(STAMP): requirements.txt code/pyproject.toml $(INTERPRETER_FILE)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# The fast part of `make test`: unit tests and doctests of activation_lab, no chapter executed.
unit: $(STAMP)
	$(BIN)/python -m pytest tests code/src/activation_lab

test: $(STAMP)
	$(BIN)/python -m pytest

# nbval strict on every chapter under three CPU-kernel configurations of this machine
# (native, AVX2-only, baseline x86-64), imitating other readers' CPUs; fails naming each
# configuration and cell whose output differs. One chapter: make test-portable CHAPTERS=...
test-portable: $(STAMP)
	$(BIN)/python tests/portability/kernel_matrix.py $(if $(filter command line,$(origin CHAPTERS)),$(CHAPTERS))

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PDF := _build/latex/activation-functions-course.pdf
book: $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going
	if [ -f $(PDF) ]; then cp $(PDF) _build/html/; fi

# The whole book as one PDF through XeLaTeX, with Debian's TeX packages (installed when
# missing, as root or with sudo). The site links to it once `make book` has copied it in.
TEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
  texlive-fonts-extra-links texlive-xetex fonts-freefont-otf tex-gyre lmodern
pdf: $(STAMP)
	command -v xelatex >/dev/null && command -v latexmk >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(TEX_PACKAGES))
	$(BIN)/jupyter-book build . --builder pdflatex -n -W --keep-going
	if [ -d _build/html ]; then cp $(PDF) _build/html/; fi

# The built site in a real browser: Debian's Chromium, driven by Playwright (whose own
# browser download is not used), with the axe-core accessibility engine from npm. Installs
# Chromium (as root, or with sudo) and axe-core (into .cache/axe) when they are missing.
AXE_CORE := axe-core@4.10.3
test-site: $(STAMP)
	command -v chromium >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	test -f .cache/axe/node_modules/axe-core/axe.min.js || npm install --no-save --no-audit --no-fund --prefix .cache/axe $(AXE_CORE)
	test -f $(PDF) || $(MAKE) pdf
	test -f _build/html/index.html || $(MAKE) book
	cp $(PDF) _build/html/
	$(BIN)/python -m pytest tests/browser -o addopts="-p no:cacheprovider" -q

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

# Re-run chapters in fresh kernels and store their outputs: after any change to code/.
# One chapter: make execute CHAPTERS=chapters/03_relu.ipynb
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
	  --ExecutePreprocessor.record_timing=False $(CHAPTERS)
	$(BIN)/python code/scripts/drop_widget_state.py $(CHAPTERS)

clean:
	rm -rf _build
