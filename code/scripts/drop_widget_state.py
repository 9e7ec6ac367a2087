"""Remove stored ipywidgets state from notebooks after they are executed.

Live widget state is useless on the static site (each explorer carries a pre-rendered
HTML twin) and would make the page load the widget manager from a CDN, so it is not kept.

Usage: python code/scripts/drop_widget_state.py chapters/*.ipynb
"""

import sys

import nbformat


def drop_widget_state(path: str) -> bool:
    """Rewrite ``path`` without ``metadata.widgets``; return whether anything was removed."""
    notebook = nbformat.read(path, as_version=4)
    if notebook.metadata.pop("widgets", None) is None:
        return False
    nbformat.write(notebook, path)
    return True


if __name__ == "__main__":
    for notebook_path in sys.argv[1:]:
        drop_widget_state(notebook_path)
