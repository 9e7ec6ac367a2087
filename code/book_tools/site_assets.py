"""Sphinx extension for the site's assets: MathJax served locally, no script twice, and
bibliographies and navigation toggles that pass an accessibility audit.

MathJax 3 comes from the ``django-static-mathjax`` wheel on PyPI (a plain copy of
the MathJax distribution; Django is not needed). At build time the files a page can
load are copied into ``_static/mathjax`` and ``mathjax_path`` points there, so the
site typesets math with the network cut and no reader's visit reaches a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import mathjax  # the django-static-mathjax distribution

# What tex-chtml.js loads on demand: TeX extensions, CHTML fonts, the menu and a11y.
_NEEDED = ("tex-chtml.js", "input", "output", "ui", "a11y", "adaptors")


def _mathjax_root() -> Path:
    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _use_local_mathjax(app, config) -> None:
    config.mathjax_path = "mathjax/tex-chtml.js"


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    source = _mathjax_root()
    for name in _NEEDED:
        path = source / name
        if not path.exists():
            continue
        if path.is_dir():
            shutil.copytree(path, target / name, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)


def _drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Include each script once. sphinx-thebe's set-up runs twice under Jupyter Book 1,
    which declares its ``const THEBE_JS_URL`` twice and makes the browser report an error."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # An inline script is registered once with filename None and once with ""; same script.
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _accessible_citation_lists(app, pagename, templatename, context, doctree) -> None:
    """docutils writes a bibliography as ``<div role="list">`` holding ``role="doc-biblioentry"``
    entries: a list without list items (WCAG's aria-required-children) of a role ARIA 1.2
    deprecates. Each entry becomes a list item, which is what it is."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


_UNNAMED_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
_NAMED_TOGGLE = ('<summary aria-label="Show or hide this chapter\'s sections">'
                 '<span class="toctree-toggle" role="presentation">')


def _name_navigation_toggles(app, exception) -> None:
    """The theme's sidebar opens a chapter's nested pages with a ``<summary>`` that holds only an
    icon, so a screen reader announces nothing (axe's summary-name rule). Give it a name."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _UNNAMED_TOGGLE in text:
            page.write_text(text.replace(_UNNAMED_TOGGLE, _NAMED_TOGGLE), encoding="utf-8")


def setup(app):
    if not (_mathjax_root() / "tex-chtml.js").exists():
        raise RuntimeError("MathJax's files are missing: install django-static-mathjax (see requirements.txt)")
    app.connect("config-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _name_navigation_toggles)
    app.connect("html-page-context", _drop_repeated_scripts, priority=900)  # after the themes add theirs
    app.connect("html-page-context", _accessible_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
