"""Shared by the unit tests: figures drawn off-screen, and closed after every test."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    """A fresh matplotlib axes."""
    return plt.subplots()[1]


@pytest.fixture(autouse=True)
def _package_dtype():
    """Each test starts as a chapter does after ``reproducible()``: PyTorch's default dtype is
    the package's (float64), so tensors a test makes itself match the networks it builds.
    Both settings are restored afterwards, so no test leaks a dtype into the next."""
    import torch

    from activation_lab.reproducibility import get_dtype, set_dtype

    torch_default, package = torch.get_default_dtype(), get_dtype()
    torch.set_default_dtype(package)
    yield
    set_dtype(package)
    torch.set_default_dtype(torch_default)
