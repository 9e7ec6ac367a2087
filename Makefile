# Two commands for a newcomer: `make test` and `make book`. Both create .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHAPTERS ?= $(sort $(wildcard chapters/*.ipynb))

.PHONY: install test book lab execute clean

install: $(STAMP)

$(STAMP): requirements.txt code/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

book: $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

# Re-run chapters in fresh kernels and store their outputs: after any change to code/.
# One chapter: make execute CHAPTERS=chapters/03_relu.ipynb
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.store_widget_state=False $(CHAPTERS)

clean:
	rm -rf _build
