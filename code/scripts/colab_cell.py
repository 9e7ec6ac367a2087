"""Write or refresh the Colab cell at the top of each chapter, from _config.yml.

The cell installs the course's package and myst-nb when, and only when, the chapter runs
on Google Colab; it is hidden on the site (tag ``remove-cell``) and prints nothing, so a
local run stores the same outputs as before. The repository and branch come from
``repository.url`` and ``repository.branch`` in ``_config.yml``, as the launch buttons do:
a publisher who changes them runs ``python code/scripts/colab_cell.py chapters/*.ipynb``.

Usage: python code/scripts/colab_cell.py CHAPTER.ipynb [...]
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TAG = "remove-cell"
MARKER = "# Runs only on Google Colab"
MYST_NB = "myst-nb==1.4.0"


def package_requirement(config_path: Path = ROOT / "_config.yml") -> str:
    """``activation-lab @ git+<repository>@<branch>#subdirectory=code`` from the book's configuration."""
    repository = yaml.safe_load(config_path.read_text(encoding="utf-8"))["repository"]
    url = repository["url"].rstrip("/")
    branch = repository.get("branch", "main")
    return f"activation-lab @ git+{url}@{branch}#subdirectory=code"


def cell_source(requirement: str) -> str:
    return (
        f"{MARKER}, which lacks this course's package and myst-nb: it installs both\n"
        "# from the course's repository. Anywhere else (a laptop, Binder) it does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", '
        f'"{MYST_NB}",\n'
        f'                    "{requirement}"], check=True)\n'
    )


def refresh(path: Path, requirement: str) -> bool:
    """Insert the cell before the first code cell, or update it; True if the file changed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    source = cell_source(requirement).splitlines(keepends=True)
    first_code = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
    cell = cells[first_code]
    if "".join(cell["source"]).startswith(MARKER):
        if cell["source"] == source and TAG in cell["metadata"].get("tags", []):
            return False
        cell["source"] = source
        cell["metadata"].setdefault("tags", [])
        if TAG not in cell["metadata"]["tags"]:
            cell["metadata"]["tags"].append(TAG)
    else:
        cells.insert(first_code, {"cell_type": "code", "execution_count": None, "id": uuid.uuid4().hex[:8],
                                  "metadata": {"tags": [TAG]}, "outputs": [], "source": source})
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


if __name__ == "__main__":
    requirement = package_requirement()
    for name in sys.argv[1:]:
        if refresh(Path(name), requirement):
            print(f"{name}: Colab cell written")
