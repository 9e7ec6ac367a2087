"""The package's private shared module: argument checks and their messages, model mode and state kept
or restored, seeded construction, and losses by name."""

import pytest
import torch
from torch import nn

from helpers import inputs, state, unchanged

from activation_lab._shared import (
    LOSSES,
    check_batch,
    check_builder,
    check_int,
    check_model,
    check_names,
    check_seeds,
    loss_function,
    model_mode,
    seeded,
    untouched,
)
from activation_lab.registry import ACTIVATIONS


def model_with_frozen_norm() -> nn.Sequential:
    """A model in train mode whose batch norm was put in eval mode on its own (a frozen batch norm)."""
    with seeded(0):
        model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).train()
    model[1].eval()
    return model


def modes(model: nn.Module) -> list[bool]:
    return [module.training for module in model.modules()]


# --- model_mode ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("training", [True, False])
def test_model_mode_sets_every_submodule_and_restores_each_ones_own_mode(training):
    model = model_with_frozen_norm()
    before = modes(model)
    assert before == [True, True, False, True, True]
    with model_mode(model, training) as inside:
        assert inside is model
        assert modes(model) == [training] * 5
    assert modes(model) == before


def test_model_mode_none_keeps_the_modes_inside():
    model = model_with_frozen_norm()
    with model_mode(model, None):
        assert modes(model) == [True, True, False, True, True]
    assert modes(model) == [True, True, False, True, True]


def test_model_mode_restores_the_modes_after_an_error():
    model = model_with_frozen_norm()
    with pytest.raises(RuntimeError, match="inside"):
        with model_mode(model, False):
            raise RuntimeError("inside")
    assert modes(model) == [True, True, False, True, True]


# --- untouched ---------------------------------------------------------------------------------------------------------

def test_untouched_puts_back_buffers_modes_and_the_global_random_state():
    model = model_with_frozen_norm()
    before, rng = state(model), torch.random.get_rng_state()
    with untouched(model, training=True):
        model(inputs(8, 3))  # updates the batch norm's running statistics and step count
        torch.randn(5)  # draws from the global generator
        assert not unchanged(model, before)
    assert unchanged(model, before)
    assert torch.equal(torch.random.get_rng_state(), rng)
    assert modes(model) == [True, True, False, True, True]


def test_untouched_restores_even_after_an_error():
    model = model_with_frozen_norm()
    before, rng = state(model), torch.random.get_rng_state()
    with pytest.raises(RuntimeError):
        with untouched(model, training=True):
            model(inputs(8, 3))
            torch.rand(3)
            raise RuntimeError("inside")
    assert unchanged(model, before) and torch.equal(torch.random.get_rng_state(), rng)


# --- seeded ------------------------------------------------------------------------------------------------------------

def build(seed, dtype=None) -> nn.Module:
    with seeded(seed, dtype):
        return nn.Sequential(nn.Linear(4, 8), nn.PReLU(), nn.Linear(8, 2))


def test_seeded_gives_identical_networks_for_one_seed_and_others_for_another():
    first = state(build(3))
    assert unchanged(build(3), first)
    assert not unchanged(build(4), first)


def test_seeded_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    rng = torch.random.get_rng_state()
    build(3)
    assert torch.equal(torch.random.get_rng_state(), rng)


def test_seeded_none_draws_from_the_global_generator():
    torch.manual_seed(9)
    first = state(build(None))
    assert not torch.equal(torch.random.get_rng_state(), torch.manual_seed(9).get_state())
    torch.manual_seed(9)
    assert unchanged(build(None), first)


def test_seeded_builds_in_the_dtype_and_restores_the_default():
    assert all(p.dtype == torch.float32 for p in build(0, torch.float32).parameters())
    assert all(p.dtype == torch.float64 for p in build(0).parameters())
    assert torch.get_default_dtype() == torch.float64
    with pytest.raises(ValueError, match="dtype"):
        build(0, torch.int32)


# --- losses -------------------------------------------------------------------------------------------------------------

def test_loss_function_by_name():
    assert LOSSES == ("cross_entropy", "mse")
    assert isinstance(loss_function("cross_entropy"), nn.CrossEntropyLoss)
    assert isinstance(loss_function("mse"), nn.MSELoss)


@pytest.mark.parametrize("name", ["hinge", "MSE", "", None])
def test_an_unknown_loss_is_refused_with_the_known_ones(name):
    with pytest.raises(ValueError, match=r"^loss must be one of \('cross_entropy', 'mse'\), got"):
        loss_function(name)


# --- argument checks and their messages ------------------------------------------------------------------------------

def test_check_model():
    model = nn.Linear(2, 2)
    assert check_model(model) is model
    with pytest.raises(TypeError, match=r"^model must be a torch.nn.Module, got list$"):
        check_model([model])


def test_check_batch():
    x = torch.zeros(3, 2)
    assert check_batch(x) is x
    with pytest.raises(TypeError, match=r"^y must be a torch.Tensor, got list$"):
        check_batch([0.0], "y")
    with pytest.raises(ValueError, match=r"^x must hold a non-empty batch .*got shape \(0, 2\)$"):
        check_batch(torch.zeros(0, 2))
    with pytest.raises(ValueError, match=r"got shape \(\)$"):
        check_batch(torch.tensor(1.0))


def test_check_int():
    assert check_int(3, "depth") == 3 and type(check_int(torch.tensor(3).item(), "depth")) is int
    assert check_int(0, "seed", minimum=0) == 0
    for value in (2.0, "3", True, None):
        with pytest.raises(TypeError, match=r"^depth must be an int, got "):
            check_int(value, "depth")
    with pytest.raises(ValueError, match=r"^depth must be at least 1, got 0$"):
        check_int(0, "depth")


def test_check_seeds():
    assert check_seeds((0, 1, 2)) == [0, 1, 2]
    with pytest.raises(TypeError, match=r"^seeds must be a sequence of ints, got str$"):
        check_seeds("012")
    with pytest.raises(TypeError, match=r"^seeds must be a sequence of ints, got int$"):
        check_seeds(3)
    with pytest.raises(ValueError, match=r"^seeds must not be empty$"):
        check_seeds([])
    with pytest.raises(TypeError, match=r"^each seed must be an int, got float$"):
        check_seeds([0, 1.0])
    with pytest.raises(ValueError, match=r"^each seed must be at least 0, got -1$"):
        check_seeds([-1])


def test_check_builder():
    check_builder(lambda seed: nn.Linear(2, 2))
    with pytest.raises(TypeError, match=r"^build_model must be a function taking a seed .*got Linear$"):
        check_builder(nn.Linear(2, 2))
    with pytest.raises(TypeError, match=r"taking a name and a seed .*got str$"):
        check_builder("mlp", "a name and a seed")


def test_check_names():
    assert check_names(None) == list(ACTIVATIONS)
    assert check_names(None, elementwise=True) == [name for name, r in ACTIVATIONS.items() if r.elementwise]
    assert check_names(("relu", "tanh")) == ["relu", "tanh"]
    assert check_names(["softmax"]) == ["softmax"]
    with pytest.raises(ValueError, match=r"^'softmax' is not elementwise"):
        check_names(["relu", "softmax"], elementwise=True)
    with pytest.raises(TypeError, match=r"^names must be a sequence of registry names, got str$"):
        check_names("relu")
    with pytest.raises(ValueError, match=r"^names must not be empty$"):
        check_names([])
    with pytest.raises(ValueError, match=r"^names must not repeat, got \['relu', 'relu'\]$"):
        check_names(["relu", "relu"])
    with pytest.raises(ValueError, match=r"^unknown activation 'rleu'"):
        check_names(["rleu"])

