"""The book's furniture: the intro's tour, citations, the table of contents and the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import activation_lab

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]+)`")


def bib_keys() -> set[str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", text, re.M))


def page_texts() -> dict[str, str]:
    pages = {}
    for path in sorted((ROOT / "chapters").iterdir()):
        if path.suffix == ".md":
            pages[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            pages[path.name] = "\n".join("".join(cell["source"]) for cell in cells)
    return pages


def test_intro_tour_names_every_public_name():
    intro = (ROOT / "chapters" / "intro.md").read_text(encoding="utf-8")
    missing = [name for name in activation_lab.__all__ if f"`{name}" not in intro]
    assert not missing, f"add these to the tour in chapters/intro.md: {missing}"


def test_every_citation_is_in_references_bib():
    keys = bib_keys()
    for page, text in page_texts().items():
        for group in CITE.findall(text):
            for key in group.split(","):
                assert key.strip() in keys, f"{page} cites {key.strip()!r}, which references.bib lacks"


def test_registry_references_are_in_references_bib():
    keys = bib_keys()
    for record in activation_lab.ACTIVATIONS.values():
        assert all(key in keys for key in record.references), record.name


def test_toc_files_exist():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for entry in re.findall(r"(?:root|file):\s*(\S+)", toc):
        candidates = [ROOT / f"{entry}{suffix}" for suffix in (".md", ".ipynb")]
        assert any(path.exists() for path in candidates), f"_toc.yml lists {entry}, which does not exist"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    assert [line.strip() for line in first_block.strip().splitlines()] == ["make test", "make book"]


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test\n") < ci.index("make book") < ci.index("make test-site")


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith(("#", "-")):
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_binder_pins_match_the_book_pins():
    book, binder = _pins(ROOT / "requirements.txt"), _pins(ROOT / "binder" / "requirements.txt")
    assert binder.pop("torch") == book["torch"] + "+cpu"
    assert binder and all(book.get(name) == version for name, version in binder.items()), binder
