# Two commands for a newcomer: `make test` and `make book`. Both create .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHAPTERS ?= $(sort $(wildcard chapters/*.ipynb))

.PHONY: install test test-portable book test-site lab execute clean

# Live widget state is useless on the static site (explorers carry an HTML twin) and
# would make the page load the widget manager from a CDN, so it is not stored.
define DROP_WIDGET_STATE
import sys, nbformat
for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    if notebook.metadata.pop("widgets", None) is not None:
        nbformat.write(notebook, path)
endef
export DROP_WIDGET_STATE

install: $(STAMP)

$(STAMP): requirements.txt code/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# nbval strict on every chapter under three CPU-kernel configurations of this machine
# (native, AVX2-only, baseline x86-64), imitating other readers' CPUs; fails naming each
# configuration and cell whose output differs. One chapter: make test-portable CHAPTERS=...
test-portable: $(STAMP)
	$(BIN)/python tests/portability/kernel_matrix.py $(if $(filter command line,$(origin CHAPTERS)),$(CHAPTERS))

book: $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going

# The built site in a real browser: Debian's Chromium, driven by Playwright (whose own
# browser download is not used). Installs Chromium when it is missing (needs root).
test-site: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python -m pytest tests/browser -o addopts="-p no:cacheprovider" -q

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

# Re-run chapters in fresh kernels and store their outputs: after any change to code/.
# One chapter: make execute CHAPTERS=chapters/03_relu.ipynb
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
	  --ExecutePreprocessor.record_timing=False $(CHAPTERS)
	$(BIN)/python -c "$$DROP_WIDGET_STATE" $(CHAPTERS)

clean:
	rm -rf _build
