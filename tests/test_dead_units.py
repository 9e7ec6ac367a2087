"""Dead-unit probes, checked on networks whose dead units are known by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import hooks_left, inputs, one_thread, state, unchanged  # noqa: F401  (one_thread is autouse)

from activation_lab.data import digits_data
from activation_lab.dead_units import born_dead_probability, dead_unit_report
from activation_lab.networks import make_mlp

BIG = 100.0


def layer_with_dead(dead: list[int], units: int = 6, features: int = 3) -> nn.Sequential:
    """Linear + ReLU whose units in ``dead`` have a bias of -100 (never on) and the rest +100 (always on)."""
    model = nn.Sequential(nn.Linear(features, units), nn.ReLU())
    with torch.no_grad():
        model[0].weight.copy_(torch.randn(units, features, generator=torch.Generator().manual_seed(1)))
        model[0].bias.fill_(BIG)
        model[0].bias[dead] = -BIG
    return model


# Known answers ------------------------------------------------------------------------------------------------------

def test_units_with_a_large_negative_bias_are_dead_and_the_others_alive():
    report = dead_unit_report(layer_with_dead([0, 2]), inputs())
    assert report.layers == ("1 (ReLU)",)
    assert report.units.tolist() == [6]
    assert report.dead.tolist() == [2]
    assert report.dead_masks[0].tolist() == [True, False, True, False, False, False]
    np.testing.assert_allclose(report.dead_fraction, [2 / 6])
    assert report.overall_dead_fraction == pytest.approx(2 / 6)
    np.testing.assert_array_equal(report.activity[0], [0, 1, 0, 1, 1, 1])
    assert report.inputs == 50


def test_activity_and_peak_match_the_pre_activations_computed_by_hand():
    model = make_mlp([3, 7, 5, 2], "relu", seed=3)
    x = inputs(40)
    report = dead_unit_report(model, x)
    first = model[0](x)
    second = model[2](torch.relu(first))
    for index, pre in enumerate([first, second]):
        np.testing.assert_allclose(report.activity[index], (pre > 0).double().mean(dim=0).numpy())
        np.testing.assert_allclose(report.peak[index], pre.max(dim=0).values.detach().numpy(), rtol=1e-6)
        assert report.dead_fraction[index] == float(((pre > 0).sum(dim=0) == 0).double().mean())
    assert report.dead.sum() > 0


def test_a_unit_can_be_dead_on_one_data_set_and_alive_on_another():
    model = nn.Sequential(nn.Linear(2, 1), nn.ReLU())
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, 0.0]]))
        model[0].bias.zero_()
    negative = -inputs(30, 2).abs()
    mixed = inputs(30, 2)
    assert dead_unit_report(model, negative).dead.tolist() == [1]
    assert dead_unit_report(model, mixed).dead.tolist() == [0]
    assert dead_unit_report(model, mixed).activity[0][0] == pytest.approx(float((mixed[:, 0] > 0).double().mean()))


def test_sparse_units_are_alive_but_rarely_on():
    model = nn.Sequential(nn.Linear(1, 3), nn.ReLU())
    x = torch.arange(100.0).reshape(-1, 1)  # 0 .. 99
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.copy_(torch.tensor([-200.0, -94.5, -49.5]))  # dead; on for 5 inputs; on for 50
    report = dead_unit_report(model, x)
    np.testing.assert_allclose(report.activity[0], [0.0, 0.05, 0.5])
    assert report.dead.tolist() == [1]
    np.testing.assert_allclose(report.sparse_fraction(), [1 / 3])
    np.testing.assert_allclose(report.sparse_fraction(below=0.6), [2 / 3])
    np.testing.assert_allclose(report.peak[0], [-101.0, 4.5, 49.5])


def test_threshold_moves_the_line_between_on_and_off():
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU())
    x = torch.linspace(0.0, 1.0, 11).reshape(-1, 1)
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.5], [1.0]]))
        model[0].bias.copy_(torch.tensor([0.0, -1.05]))  # peaks at 0.5 and at -0.05
    assert dead_unit_report(model, x).dead_masks[0].tolist() == [False, True]
    assert dead_unit_report(model, x, threshold=0.5).dead_masks[0].tolist() == [True, True]
    assert dead_unit_report(model, x, threshold=-0.1).dead_masks[0].tolist() == [False, False]
    assert dead_unit_report(model, x, threshold=0.25).threshold == 0.25


def test_leaky_relu_layers_are_probed_too():
    model = layer_with_dead([1])
    model[1] = nn.LeakyReLU(0.01)
    assert dead_unit_report(model, inputs()).dead.tolist() == [1]


def test_dead_units_get_exactly_zero_gradient_on_their_incoming_weights():
    model = nn.Sequential(*layer_with_dead([0, 3]), nn.Linear(6, 2))
    x, y = inputs(), torch.randint(0, 2, (50,), generator=torch.Generator().manual_seed(0))
    nn.functional.cross_entropy(model(x), y).backward()
    dead = dead_unit_report(model, x).dead_masks[0]
    assert torch.all(model[0].weight.grad[dead] == 0) and torch.all(model[0].bias.grad[dead] == 0)
    assert torch.all(model[0].weight.grad[~dead].abs().sum(dim=1) > 0)


# Convolutions, shared modules, unit axis ------------------------------------------------------------------------------

def test_convolution_channels_are_units_observed_at_every_position():
    model = nn.Sequential(nn.Conv2d(1, 3, kernel_size=3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 36, 2))
    x = torch.randn(10, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        model[0].bias.copy_(torch.tensor([0.0, -BIG, 0.0]))
    report = dead_unit_report(model, x)
    assert report.units.tolist() == [3]
    assert report.dead_masks[0].tolist() == [False, True, False]
    pre = model[0](x)
    np.testing.assert_allclose(report.activity[0], (pre > 0).double().mean(dim=(0, 2, 3)).numpy())


class SharedActivation(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.first = nn.Linear(3, 4)
        self.second = nn.Linear(4, 5)
        self.relu = nn.ReLU()
        with torch.no_grad():
            self.second.bias.fill_(-BIG)

    def forward(self, x):
        return self.relu(self.second(self.relu(self.first(x))))


def test_a_module_called_twice_counts_as_two_layers():
    report = dead_unit_report(SharedActivation(), inputs())
    assert report.layers == ("relu (ReLU)", "relu (ReLU, call 2)")
    assert report.units.tolist() == [4, 5]
    assert report.dead.tolist()[1] == 5


def test_unit_dim_minus_one_for_token_sequences():
    model = layer_with_dead([2], units=4)
    x = torch.randn(6, 7, 3, generator=torch.Generator().manual_seed(0))  # batch, tokens, features
    report = dead_unit_report(model, x, unit_dim=-1)
    assert report.units.tolist() == [4]
    assert report.dead_masks[0].tolist() == [False, False, True, False]


# Inputs: Tensor, Dataset, DataLoader -----------------------------------------------------------------------------------

def test_tensor_dataset_and_data_loaders_give_the_same_report():
    model = make_mlp([64, 16, 16, 10], "relu", bias=-0.3, seed=0)
    data = digits_data()
    reference = dead_unit_report(model, data.x_train)
    loaders = [
        data,
        DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=100),
        DataLoader(data.x_train, batch_size=33),
        [data.x_train[:500], data.x_train[500:]],
    ]
    for source in loaders:
        report = dead_unit_report(model, source)
        assert report.inputs == len(data.x_train)
        for expected, got in zip(reference.activity, report.activity):
            np.testing.assert_allclose(got, expected)
    small_batches = dead_unit_report(model, data.x_train, batch_size=7)
    np.testing.assert_allclose(np.concatenate(small_batches.activity), np.concatenate(reference.activity))
    assert reference.dead.sum() > 0


# The model is left as it was -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("training", [True, False])
def test_hooks_removed_mode_restored_parameters_and_buffers_unchanged(training):
    model = make_mlp([64, 16, 16, 10], "relu", batch_norm=True, seed=0)
    model.train(training)
    before = state(model)
    dead_unit_report(model, digits_data().x_train)
    assert hooks_left(model) == 0
    assert all(module.training is training for module in model.modules())
    assert unchanged(model, before)


def test_hooks_are_removed_even_when_the_forward_pass_fails():
    model = layer_with_dead([0])
    with pytest.raises(RuntimeError):
        dead_unit_report(model, torch.zeros(4, 5))  # wrong number of features
    assert hooks_left(model) == 0
    assert model.training


def test_existing_user_hooks_are_kept():
    model = layer_with_dead([0])
    calls = []
    model[1].register_forward_pre_hook(lambda module, inputs: calls.append(1))
    dead_unit_report(model, inputs(), batch_size=20)
    assert len(calls) == 3 and len(model[1]._forward_pre_hooks) == 1


# Diverged models and the printed table -------------------------------------------------------------------------------

def test_non_finite_pre_activations_give_nan_not_dead():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 3), nn.ReLU())
    with torch.no_grad():
        model[2].weight[1, 0] = float("nan")
    report = dead_unit_report(model, inputs())
    assert report.finite.tolist() == [True, False]
    assert np.isnan(report.activity[1][1]) and np.isnan(report.peak[1][1])
    assert np.isnan(report.dead_fraction[1]) and not np.isnan(report.dead_fraction[0])
    assert math.isnan(report.overall_dead_fraction)
    assert "n/a" in str(report)


def test_infinite_pre_activations_are_flagged_too():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    with torch.no_grad():
        model[0].bias.copy_(torch.tensor([-float("inf"), float("inf")]))
    report = dead_unit_report(model, inputs())
    assert np.isnan(report.activity[0]).all() and np.isnan(report.dead_fraction[0])


def test_in_place_relu_is_probed_before_it_overwrites_its_input():
    model = layer_with_dead([1, 2])
    model[1] = nn.ReLU(inplace=True)
    report = dead_unit_report(model, inputs())
    assert report.dead.tolist() == [2]
    assert (report.peak[0][[1, 2]] < 0).all()


def test_str_is_a_per_layer_table_with_a_total():
    text = str(dead_unit_report(make_mlp([3, 4, 4, 2], "relu", bias=-BIG, seed=0), inputs()))
    lines = text.splitlines()
    assert lines[0].split() == ["layer", "units", "dead", "dead", "%", "sparse", "%"]
    assert lines[1].split()[:4] == ["1", "(ReLU)", "4", "4"]
    assert lines[3].split()[:5] == ["all", "layers", "8", "8", "100.0%"]
    assert "on all 50 inputs" in lines[4]


# Errors ---------------------------------------------------------------------------------------------------------------

def test_errors_name_the_argument():
    model = layer_with_dead([0])
    with pytest.raises(TypeError, match="model"):
        dead_unit_report("not a model", inputs())
    with pytest.raises(ValueError, match="no activation modules"):
        dead_unit_report(nn.Linear(3, 2), inputs())
    with pytest.raises(TypeError, match="threshold"):
        dead_unit_report(model, inputs(), threshold="0")
    with pytest.raises(TypeError, match="threshold"):
        dead_unit_report(model, inputs(), threshold=True)
    with pytest.raises(ValueError, match="threshold"):
        dead_unit_report(model, inputs(), threshold=float("nan"))
    with pytest.raises(ValueError, match="batch_size"):
        dead_unit_report(model, inputs(), batch_size=0)
    with pytest.raises(TypeError, match="unit_dim"):
        dead_unit_report(model, inputs(), unit_dim=1.0)
    with pytest.raises(ValueError, match="unit_dim"):
        dead_unit_report(model, inputs(), unit_dim=0)
    with pytest.raises(ValueError, match="unit_dim"):
        dead_unit_report(model, inputs(), unit_dim=5)
    with pytest.raises(TypeError, match="data"):
        dead_unit_report(model, inputs().numpy())
    with pytest.raises(TypeError, match="data"):
        dead_unit_report(model, 3)
    with pytest.raises(TypeError, match="batch"):
        dead_unit_report(model, [inputs().numpy()])
    with pytest.raises(ValueError, match="no inputs"):
        dead_unit_report(model, torch.zeros(0, 3))
    with pytest.raises(ValueError, match="below"):
        dead_unit_report(model, inputs()).sparse_fraction(below=0)


def test_functional_relu_is_not_found():
    class Functional(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = nn.Linear(3, 2)

        def forward(self, x):
            return torch.relu(self.linear(x))

    with pytest.raises(ValueError, match="F.relu"):
        dead_unit_report(Functional(), inputs())


# Born dead at initialization --------------------------------------------------------------------------------------------

def test_born_dead_width_one_follows_one_minus_two_to_the_minus_depth():
    # One positive input, one unit per layer, zero bias: each layer stays alive with probability 1/2.
    x = torch.ones(1, 1)
    measured = born_dead_probability(x, width=1, depth=4, networks=20000, seed=0)
    np.testing.assert_allclose(measured, 1 - 0.5 ** np.arange(1, 5), atol=0.015)


def test_born_dead_probability_grows_with_depth_and_falls_with_width():
    x = digits_data().x_train[:50]
    narrow = born_dead_probability(x, width=2, depth=12, networks=100, seed=1)
    wide = born_dead_probability(x, width=16, depth=12, networks=100, seed=1)
    assert np.all(np.diff(narrow) >= 0) and np.all(np.diff(wide) >= 0)
    assert narrow[-1] > 0.5 > wide[-1]
    np.testing.assert_array_equal(narrow, born_dead_probability(x, width=2, depth=12, networks=100, seed=1))
    assert born_dead_probability(x, width=4, depth=2, bias=-BIG, networks=10)[0] == 1.0
    assert born_dead_probability(x, width=4, depth=1, bias=BIG, networks=10)[0] == 0.0


def test_born_dead_probability_errors():
    x = inputs()
    with pytest.raises(TypeError, match="x"):
        born_dead_probability(x.numpy(), 2, 3)
    with pytest.raises(ValueError, match="x"):
        born_dead_probability(x[0], 2, 3)
    with pytest.raises(ValueError, match="width"):
        born_dead_probability(x, 0, 3)
    with pytest.raises(TypeError, match="depth"):
        born_dead_probability(x, 2, 3.0)
    with pytest.raises(ValueError, match="networks"):
        born_dead_probability(x, 2, 3, networks=0)
    with pytest.raises(ValueError, match="bias"):
        born_dead_probability(x, 2, 3, bias=float("inf"))
    with pytest.raises(ValueError, match="seed"):
        born_dead_probability(x, 2, 3, seed=-1)
