"""One notation on every page (chapters/notation.md): flag the old uses that can be detected.

Input x, pre-activation z, activation h = f(z), loss \\mathcal{L} (L is the depth), weight
scale g (sigma is only the sigmoid), activity p_j of a unit (a_j was used for two things).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "chapters").glob("*.md"))

OLD_USES = {
    r"\\sigma_\{?w\b|\bsigma_w\b": "the weight scale is g, not sigma_w (sigma is the sigmoid)",
    r"\ba_j\b|\ba_\{j\}": "a unit's activity is p_j",
    r"\\partial L\b|\\nabla_?\{?[A-Za-z]*\}? ?L\b": "the loss is \\mathcal{L}; L is the depth",
    r"\$x\$ is the pre-activation|pre-activation \$x\$|pre-activation \$x\^": "the pre-activation is z; x is the input",
}


def texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for each markdown cell, code cell and text output of a page."""
    if path.suffix == ".md":
        return [(path.name, path.read_text(encoding="utf-8"))]
    found = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        found.append((f"{path.name} cell {index}", text))
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                found.append((f"{path.name} cell {index} output", "".join(output["text"])))
    return found


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_page_uses_the_notation_table(path):
    problems = [f"{where}: {match.group(0)!r}: {why}"
                for where, text in texts(path) for pattern, why in OLD_USES.items()
                for match in re.finditer(pattern, text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text, flagged", [
    (r"weights of std $\sigma_w / \sqrt{n}$", True), ("balanced at sigma_w = 1.41", True),
    (r"activity $a_j$ of unit $j$", True), (r"$\partial L / \partial W$", True),
    (r"$\partial \mathcal{L} / \partial W$", False), (r"gain $g = \sqrt{2}$", False),
    ("the pre-activation $z$", False), ("$x$ is the pre-activation", True), (r"$\sigma(z)$", False),
])
def test_the_patterns_flag_old_uses_and_pass_new_ones(text, flagged):
    assert any(re.search(pattern, text) for pattern in OLD_USES) == flagged
