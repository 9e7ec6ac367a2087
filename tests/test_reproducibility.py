"""reproducible(): one call seeds Python, NumPy and PyTorch and fixes the thread count."""

import random

import numpy as np
import pytest
import torch


from activation_lab.networks import make_digits_cnn, make_mlp
from activation_lab.reproducibility import DEFAULT_DTYPE, building_in, get_dtype, reproducible, set_dtype


@pytest.fixture(autouse=True)
def restore_thread_count():
    # reproducible() changes a process-wide setting; later tests must not inherit it.
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def draw_from_every_generator():
    return torch.randn(4).tolist(), np.random.rand(4).tolist(), [random.random() for _ in range(4)]


def test_same_seed_repeats_every_generator():
    reproducible(7)
    first = draw_from_every_generator()
    reproducible(7)
    assert draw_from_every_generator() == first


def test_another_seed_changes_every_generator():
    reproducible(7)
    first = draw_from_every_generator()
    reproducible(8)
    for before, after in zip(first, draw_from_every_generator()):
        assert before != after


def test_returned_generator_repeats_its_first_draw():
    first = reproducible(3)
    second = reproducible(3)
    assert isinstance(first, np.random.Generator)
    assert first.random() == second.random()
    assert reproducible(4).random() != reproducible(3).random()


def test_thread_count_defaults_to_one():
    torch.set_num_threads(2)
    reproducible(0)
    assert torch.get_num_threads() == 1


def test_thread_count_follows_the_argument():
    reproducible(0, threads=2)
    assert torch.get_num_threads() == 2


def seed_or_fail(seed):
    try:
        reproducible(seed)
    except Exception as error:  # any exception at all means the seed was refused
        pytest.fail(f"reproducible({seed!r}) raised {error!r}")


def test_numpy_integer_seed_is_accepted():
    # reproducible() itself lets np.integer through its type check.
    seed_or_fail(np.int64(5))
    first = draw_from_every_generator()
    reproducible(5)
    assert draw_from_every_generator() == first


def test_largest_32_bit_seed_is_accepted():
    seed_or_fail(2**32 - 1)
    first = draw_from_every_generator()
    seed_or_fail(2**32 - 1)
    assert draw_from_every_generator() == first


def test_seed_beyond_32_bits_is_rejected_before_anything_is_seeded():
    random.seed(7)
    expected = random.random()
    random.seed(7)
    with pytest.raises(ValueError, match=r"seed must be in \[0, 2\*\*32\)"):
        reproducible(2**32)
    assert random.random() == expected


@pytest.mark.parametrize(
    ("arguments", "error", "argument"),
    [
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"seed": "0"}, TypeError, "seed"),
        ({"seed": True}, TypeError, "seed"),
        ({"seed": None}, TypeError, "seed"),
        ({"threads": 0}, ValueError, "threads"),
        ({"threads": -2}, ValueError, "threads"),
        ({"threads": 1.0}, TypeError, "threads"),
        ({"threads": True}, TypeError, "threads"),
    ],
    ids=repr,
)
def test_bad_argument_raises_naming_it(arguments, error, argument):
    with pytest.raises(error, match=rf"^{argument}\b"):
        reproducible(**arguments)


# --- one dtype for every experiment -------------------------------------------------------


def test_package_dtype_is_float64_and_reproducible_makes_it_torchs_default():
    assert DEFAULT_DTYPE == get_dtype() == torch.float64
    torch.set_default_dtype(torch.float32)
    reproducible(0)
    assert torch.get_default_dtype() == torch.float64
    assert torch.randn(3).dtype == torch.float64


def test_reproducible_dtype_argument_changes_the_package_dtype():
    reproducible(0, dtype=torch.float32)
    assert get_dtype() == torch.get_default_dtype() == torch.float32
    assert make_mlp([2, 3, 2], seed=0)[0].weight.dtype == torch.float32


def test_set_dtype_returns_the_previous_one():
    assert set_dtype(torch.float32) == torch.float64
    assert set_dtype(torch.float64) == torch.float32


@pytest.mark.parametrize("bad, error", [("float64", TypeError), (np.float64, TypeError), (torch.float16, ValueError),
                                        (torch.int32, ValueError)])
def test_bad_dtype_names_the_argument(bad, error):
    with pytest.raises(error, match="dtype must be torch.float32 or torch.float64"):
        set_dtype(bad)
    with pytest.raises(error, match="dtype"):
        reproducible(0, dtype=bad)
    assert get_dtype() == torch.float64  # a refused call changes nothing


def test_building_in_restores_torchs_default_even_after_an_error():
    torch.set_default_dtype(torch.float32)
    with pytest.raises(RuntimeError):
        with building_in(torch.float64) as dtype:
            assert dtype == torch.get_default_dtype() == torch.float64
            raise RuntimeError("inside")
    assert torch.get_default_dtype() == torch.float32


@pytest.mark.parametrize("build", [lambda: make_mlp([4, 8, 3], "prelu", seed=5),
                                   lambda: make_mlp([4, 8, 3], "relu", batch_norm=True, seed=5),
                                   lambda: make_digits_cnn("relu", seed=5)])
def test_seeded_networks_do_not_depend_on_torchs_default_dtype(build):
    torch.set_default_dtype(torch.float32)
    first = build()
    torch.set_default_dtype(torch.float64)
    second = build()
    for a, b in zip(first.state_dict().values(), second.state_dict().values()):
        assert a.dtype == b.dtype
        assert torch.equal(a, b)
    assert all(p.dtype == torch.float64 for p in first.parameters())
