"""Run nbval strict on every chapter under several CPU-kernel configurations of one machine.

A stored output must not depend on which SIMD width, BLAS code path or NumPy dispatch
the reader's CPU happens to take. Environment variables make one machine take the
code paths of others; this script runs the chapters once per configuration and fails
naming each configuration and cell whose output differs from the stored one.

Usage: python tests/portability/kernel_matrix.py [--config NAME ...] [chapter.ipynb ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFIGURATIONS: dict[str, dict[str, str]] = {
    "native": {},
    "avx2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "NPY_DISABLE_CPU_FEATURES": "X86_V4",
        "OPENBLAS_CORETYPE": "Haswell",
    },
    "baseline": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4",
        "OPENBLAS_CORETYPE": "Prescott",
    },
}
"""Each configuration's variables. ``native`` clears all of them, so that a variable
set in the caller's shell cannot leak into the reference run."""

MATRIX_VARIABLES = sorted({name for variables in CONFIGURATIONS.values() for name in variables})


def environment(config: str) -> dict[str, str]:
    """The caller's environment with exactly ``config``'s kernel variables set."""
    env = {name: value for name, value in os.environ.items() if name not in MATRIX_VARIABLES}
    env.update(CONFIGURATIONS[config])
    return env


def failing_cells(report: Path) -> list[str]:
    """``chapter::Cell N`` for each failed or errored test case in a JUnit XML report."""
    failures = []
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            chapter = case.get("classname", "?")
            if chapter.endswith(".ipynb"):  # pytest writes "chapters.01_x.ipynb" for chapters/01_x.ipynb
                chapter = chapter[: -len(".ipynb")].replace(".", "/") + ".ipynb"
            failures.append(f"{chapter}::{case.get('name')}")
    return failures


def run(config: str, chapters: list[str], workdir: Path) -> tuple[int, list[str], float]:
    report = workdir / f"{config}.xml"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"--junitxml={report}", *chapters]
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=environment(config), check=False)
    seconds = time.perf_counter() - start
    if not report.exists():
        return completed.returncode or 1, [f"{config}: pytest wrote no report (exit {completed.returncode})"], seconds
    return completed.returncode, failing_cells(report), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", action="append", choices=sorted(CONFIGURATIONS),
                        help="run only this configuration (repeatable); default: all")
    parser.add_argument("chapters", nargs="*", help="notebooks to check; default: every chapter")
    args = parser.parse_args(argv)
    configs = args.config or list(CONFIGURATIONS)
    chapters = args.chapters or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb"))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for config in configs:
            print(f"\n=== configuration {config}: {CONFIGURATIONS[config] or 'no variables'}", flush=True)
            results[config] = run(config, chapters, Path(tmp))
    print("\n=== kernel matrix summary")
    status = 0
    for config, (code, failures, seconds) in results.items():
        verdict = "passed" if code == 0 else f"FAILED ({len(failures)} cells)"
        print(f"{config:>9}: {verdict} in {seconds:.0f} s")
        for failure in failures:
            print(f"           {config}: {failure}")
        status = status or code
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
