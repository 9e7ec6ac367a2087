"""The package as a whole: its top-level names, its list of modules, and source that compiles cleanly."""

import pathlib
import re
import warnings

import pytest

import activation_lab as al

PACKAGE = pathlib.Path(al.__file__).parent
PUBLIC_MODULES = sorted(path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()
                        if not path.name.startswith("_") and (path.suffix == ".py" or (path / "__init__.py").exists()))


def test_every_top_level_name_exists_once():
    namespace = {}
    exec("from activation_lab import *", namespace)  # fails on a name in __all__ that does not exist
    assert len(al.__all__) == len(set(al.__all__))
    assert set(namespace) - {"__builtins__"} == set(al.__all__)


def test_every_public_module_is_reachable_and_listed_in_the_package_docstring():
    listed = re.findall(r":mod:`~activation_lab\.(\w+)`", al.__doc__)
    assert sorted(listed) == PUBLIC_MODULES
    assert all(hasattr(al, name) for name in PUBLIC_MODULES)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_source_compiles_without_escape_sequence_warnings(path):
    # A backslash in a non-raw docstring (like "x\,\Phi") warns today and is slated to become an error.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
