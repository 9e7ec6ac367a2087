"""The kernel-matrix runner behind `make test-portable`: its environments and its report parsing."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).parent / "portability" / "kernel_matrix.py"
_spec = importlib.util.spec_from_file_location("kernel_matrix", _PATH)
kernel_matrix = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kernel_matrix)


def test_configurations_are_the_three_of_the_portability_check():
    assert list(kernel_matrix.CONFIGURATIONS) == ["native", "avx2", "baseline"]
    assert kernel_matrix.CONFIGURATIONS["native"] == {}
    assert kernel_matrix.CONFIGURATIONS["baseline"]["ATEN_CPU_CAPABILITY"] == "default"
    assert kernel_matrix.CONFIGURATIONS["avx2"]["NPY_DISABLE_CPU_FEATURES"] == "X86_V4"


def test_native_clears_variables_a_callers_shell_set(monkeypatch):
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Prescott")
    monkeypatch.setenv("UNRELATED_VARIABLE", "kept")
    env = kernel_matrix.environment("native")
    assert "ATEN_CPU_CAPABILITY" not in env and "OPENBLAS_CORETYPE" not in env
    assert env["UNRELATED_VARIABLE"] == "kept"


@pytest.mark.parametrize("config", ["avx2", "baseline"])
def test_each_configuration_sets_exactly_its_own_variables(config, monkeypatch):
    monkeypatch.setenv("MKL_CBWR", "AUTO")  # belongs to baseline only
    env = kernel_matrix.environment(config)
    chosen = {k: v for k, v in env.items() if k in kernel_matrix.MATRIX_VARIABLES}
    assert chosen == kernel_matrix.CONFIGURATIONS[config]


def test_failing_cells_names_chapter_and_cell_from_a_junit_report(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="chapters.03_relu.ipynb" name="Cell 2"/>'
        '<testcase classname="chapters.03_relu.ipynb" name="Cell 28"><failure message="x"/></testcase>'
        '<testcase classname="chapters.04_dying_relu.ipynb" name="Cell 5"><error message="y"/></testcase>'
        "</testsuite></testsuites>"
    )
    assert kernel_matrix.failing_cells(report) == ["chapters/03_relu.ipynb::Cell 28",
                                                   "chapters/04_dying_relu.ipynb::Cell 5"]
