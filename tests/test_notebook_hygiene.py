"""Notebook discipline: what every committed chapter must satisfy before nbval compares it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(/(root|work|tmp|home|Users)/|[A-Za-z]:\\\\Users)")
BANNED_SOURCE = re.compile(r"^\s*[!%]pip\b|\bTODO\b|\bFIXME\b|\bXXX\b", re.M)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


chapter = pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])


@chapter
def test_kernel_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@chapter
def test_executed_top_to_bottom_in_a_fresh_kernel(path):
    counts = [cell["execution_count"] for cell in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), "run the chapter with `make execute` before committing"


@chapter
def test_no_errors_unless_tagged(path):
    for cell in code_cells(load(path)):
        errors = [out for out in cell["outputs"] if out["output_type"] == "error"]
        if errors:
            assert "raises-exception" in tags(cell), f"untagged error {errors[0]['ename']} in:\n{source(cell)}"


@chapter
def test_no_stderr(path):
    for cell in code_cells(load(path)):
        for out in cell["outputs"]:
            is_stderr = out["output_type"] == "stream" and out["name"] == "stderr"
            assert not is_stderr, f"stderr output (a warning?) in:\n{source(cell)}\n{''.join(out['text'])}"


@chapter
def test_no_machine_paths_in_outputs(path):
    for cell in code_cells(load(path)):
        for out in cell["outputs"]:
            blob = json.dumps(out)
            assert not MACHINE_PATH.search(blob), f"a machine path in the output of:\n{source(cell)}"


@chapter
def test_no_pip_or_todo_in_cells(path):
    for cell in load(path)["cells"]:
        assert not BANNED_SOURCE.search(source(cell)), f"!pip, TODO or FIXME in:\n{source(cell)}"


@chapter
def test_every_image_has_alt_text(path):
    for cell in code_cells(load(path)):
        cell_alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt", "")
        for out in cell["outputs"]:
            if "image/png" in out.get("data", {}):
                # An explorer's printed picture carries its own alt text in the output's metadata.
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "") or cell_alt
                assert len(alt) > 20, f"a figure without alt text (metadata mystnb.image.alt) in:\n{source(cell)}"


@chapter
def test_listed_in_toc(path):
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert f"chapters/{path.stem}" in toc


@chapter
def test_seeds_and_threads_fixed_by_one_call(path):
    setup = "\n".join(source(cell) for cell in code_cells(load(path))[:3])
    assert "reproducible(" in setup, "call activation_lab.reproducible in the setup cell"


@chapter
def test_has_exercises_with_solutions_and_summary(path):
    markdown = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert len(re.findall(r"[`:]{3,}\{exercise\}", markdown)) >= 3
    assert len(re.findall(r"[`:]{3,}\{solution\}", markdown)) >= 3
    assert re.search(r"^#+ Summary", markdown, re.M)


@chapter
def test_nbval_compares_every_cell(path):
    # Volatile output is handled by tests/nbval_sanitize.cfg; nothing is skipped or ignored.
    for cell in code_cells(load(path)):
        skipped = {"nbval-ignore-output", "nbval-skip"} & set(tags(cell))
        assert not skipped, f"{sorted(skipped)} on:\n{source(cell)}"


@chapter
def test_glued_values_render_as_plain_numbers_or_text(path):
    # glue() stores repr(value): a NumPy or torch scalar would show as "np.float64(0.5)" in prose.
    for cell in code_cells(load(path)):
        for out in cell["outputs"]:
            for mime, value in out.get("data", {}).items():
                if mime.startswith("application/papermill.record/text/plain"):
                    text = value if isinstance(value, str) else "".join(value)
                    assert not re.search(r"\b(np|numpy)\.\w+\(|tensor\(", text), f"glued {text!r} in:\n{source(cell)}"


@chapter
def test_links_terms_to_the_glossary(path):
    markdown = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    glossary = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8").lower()
    terms = re.findall(r"\{term\}`[^`<]*<([^>]+)>`|\{term\}`([^`<]+)`", markdown)
    assert terms, "link the first use of glossary terms with {term}`...`"
    for pair in terms:
        term = (pair[0] or pair[1]).strip().lower()
        assert f"\n{term}\n" in glossary, f"{term!r} is not defined in chapters/glossary.md"


# The Colab cell: first code cell of every chapter, hidden on the site, silent elsewhere.

def _colab_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("colab_cell", ROOT / "code" / "scripts" / "colab_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_colab_cell(cell_text: str, monkeypatch, on_colab: bool) -> list:
    import subprocess
    import sys
    import types

    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(cell_text, "colab-cell", "exec"), {})
    return calls


@chapter
def test_colab_cell_is_first_hidden_and_matches_the_config(path):
    script = _colab_script()
    first = code_cells(load(path))[0]
    expected = script.cell_source(script.package_requirement())
    assert source(first) == expected, "refresh it with: python code/scripts/colab_cell.py " + path.name
    assert "remove-cell" in tags(first)
    assert first["outputs"] == []


@chapter
def test_colab_cell_installs_only_on_colab(path, monkeypatch):
    import sys

    script = _colab_script()
    cell_text = source(code_cells(load(path))[0])
    assert _run_colab_cell(cell_text, monkeypatch, on_colab=False) == []
    calls = _run_colab_cell(cell_text, monkeypatch, on_colab=True)
    assert len(calls) == 1
    (command,), options = calls[0]
    assert command == [sys.executable, "-m", "pip", "install", "--quiet", script.MYST_NB,
                       script.package_requirement()]
    assert options == {"check": True}


def test_colab_requirement_follows_the_config(tmp_path):
    script = _colab_script()
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/someone/fork/\n  branch: v2\n", encoding="utf-8")
    assert script.package_requirement(config) == "activation-lab @ git+https://github.com/someone/fork@v2#subdirectory=code"
