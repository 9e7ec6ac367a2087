"""A pytest plugin (loaded by pytest.ini) for every test and doctest: each runs as a chapter
does after ``activation_lab.reproducible()``, on one thread and with the package's dtype as
PyTorch's default, and then the thread count and both dtypes are put back, so no test leaks
its settings into the next. (On two busy cores PyTorch's second thread makes small operations
tens of times slower.)"""

import pytest
import torch


@pytest.fixture(autouse=True)
def _as_in_a_chapter():
    from activation_lab.reproducibility import get_dtype, set_dtype

    threads, torch_default, package = torch.get_num_threads(), torch.get_default_dtype(), get_dtype()
    torch.set_num_threads(1)
    torch.set_default_dtype(package)
    yield
    set_dtype(package)
    torch.set_default_dtype(torch_default)
    torch.set_num_threads(threads)
