"""Dead-unit probes, checked on networks whose dead units are known by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import hooks_left, inputs, state, unchanged

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


# Dormancy scores, dead for good, removing and recycling units, asymmetric initialization --------------------------

from activation_lab.dead_units import (  # noqa: E402
    dead_since, dormancy_scores, randomized_asymmetric_init_, recycle_dormant_, redo, transitions, without_units)
from activation_lab.networks import Residual, initialize_  # noqa: E402
from activation_lab.training import train  # noqa: E402


def mlp_with_dead(seed: int = 0) -> tuple[nn.Sequential, torch.Tensor]:
    """A 3-8-8-2 ReLU MLP with units 1 and 5 of the first hidden layer and unit 0 of the second dead on its inputs."""
    model = make_mlp([3, 8, 8, 2], "relu", seed=seed)
    with torch.no_grad():
        model[0].bias[[1, 5]] = -BIG
        model[2].bias[0] = -BIG
    return model, inputs(60)


def test_dormancy_scores_match_mean_absolute_outputs_computed_by_hand():
    model = make_mlp([3, 7, 5, 2], "leaky_relu", seed=4)
    x = inputs(40)
    first = nn.functional.leaky_relu(model[0](x))
    second = nn.functional.leaky_relu(model[2](first))
    for scores, h in zip(dormancy_scores(model, x, batch_size=7), [first, second]):
        mean_abs = h.abs().mean(dim=0).detach().numpy()
        np.testing.assert_allclose(scores, mean_abs / mean_abs.mean(), rtol=1e-12)
        assert scores.mean() == pytest.approx(1.0)


def test_a_zero_score_marks_exactly_the_dead_relu_units():
    model, x = mlp_with_dead()
    scores = dormancy_scores(model, x)
    for score, mask in zip(scores, dead_unit_report(model, x).dead_masks):
        np.testing.assert_array_equal(score == 0.0, mask)
    assert [int((s == 0).sum()) for s in scores] == [2, 1]


def test_a_layer_with_no_output_scores_zero_and_a_diverged_one_nan():
    dead = layer_with_dead(list(range(6)))
    np.testing.assert_array_equal(dormancy_scores(dead, inputs())[0], np.zeros(6))
    x = inputs(5)
    x[2, 0] = float("inf")
    assert np.isnan(dormancy_scores(make_mlp([3, 4, 2], "relu", seed=0), x)[0]).all()


def test_dormancy_scores_leave_the_model_alone_and_count_a_shared_module_twice():
    relu = nn.ReLU()
    model = nn.Sequential(nn.Linear(3, 4), relu, nn.Linear(4, 4), relu)
    before = state(model)
    model.train()
    assert len(dormancy_scores(model, inputs())) == 2
    assert unchanged(model, before) and model.training and hooks_left(model) == 0


def test_dormancy_scores_refuse_bad_arguments():
    with pytest.raises(TypeError, match="model"):
        dormancy_scores("model", inputs())
    with pytest.raises(ValueError, match="no activation"):
        dormancy_scores(nn.Linear(3, 2), inputs())
    with pytest.raises(ValueError, match="batch_size"):
        dormancy_scores(make_mlp([3, 4, 2], seed=0), inputs(), batch_size=0)


def test_dead_since_and_transitions_on_a_hand_made_history():
    masks = np.array([[False, False, True, True],
                      [True, False, True, False],
                      [True, False, False, True],
                      [True, True, True, True]])
    np.testing.assert_array_equal(dead_since(masks), [1, 3, 3, 2])
    deaths, revivals = transitions(masks)
    np.testing.assert_array_equal(deaths, [1, 1, 2])
    np.testing.assert_array_equal(revivals, [1, 1, 0])
    np.testing.assert_array_equal(dead_since(~masks[-1:]), [1, 1, 1, 1])   # alive at the only probe


def test_dead_since_means_dead_at_every_later_probe():
    masks = np.random.default_rng(0).random((30, 50)) < 0.8
    since = dead_since(masks)
    for unit in range(50):
        later = masks[since[unit]:, unit]
        assert later.all()
        assert since[unit] == 0 or not masks[since[unit] - 1, unit]


@pytest.mark.parametrize("masks", [np.zeros((0, 3), dtype=bool), np.zeros(3, dtype=bool), np.zeros((2, 3)),
                                   [[0, 1], [1, 0]]])
def test_dead_since_and_transitions_refuse_masks_that_are_not_2d_booleans(masks):
    for function in (dead_since, transitions):
        with pytest.raises(ValueError, match="masks"):
            function(masks)


def test_removing_dead_units_changes_nothing_and_removing_live_ones_does():
    model, x = mlp_with_dead()
    before = state(model)
    dead = dead_unit_report(model, x).dead_masks
    copy = without_units(model, dead)
    assert copy is not model and unchanged(model, before)
    assert torch.equal(copy(x), model(x))
    assert torch.count_nonzero(copy[2].weight[:, dead[0]]) == 0
    live = [np.eye(8, dtype=bool)[2], np.zeros(8, dtype=bool)]   # unit 2 of layer 1 is on for some inputs
    assert not torch.equal(without_units(model, live)(x), model(x))


def test_without_units_works_with_batch_norm_and_refuses_other_structures():
    model = make_mlp([3, 4, 2], "relu", batch_norm=True, seed=0).eval()
    mask = [np.array([True, False, False, False])]
    assert torch.count_nonzero(without_units(model, mask)[3].weight[:, 0]) == 0
    with pytest.raises(ValueError, match="Residual"):
        without_units(make_mlp([3, 4, 4, 2], "relu", residual=True, seed=0), [np.zeros(4, dtype=bool)] * 2)
    with pytest.raises(ValueError, match="nn.Sequential"):
        without_units(Residual(nn.Sequential(nn.Linear(4, 4), nn.ReLU())), [np.zeros(4, dtype=bool)])
    with pytest.raises(ValueError, match="no Linear layer after"):
        without_units(nn.Sequential(nn.Linear(3, 4), nn.ReLU()), [np.zeros(4, dtype=bool)])


@pytest.mark.parametrize(("masks", "error"), [
    ([np.zeros(8, dtype=bool)], ValueError), ([np.zeros(8), np.zeros(8)], ValueError),
    ([np.zeros(7, dtype=bool), np.zeros(8, dtype=bool)], ValueError), (np.zeros((2, 8), dtype=bool), TypeError),
])
def test_without_units_checks_its_masks(masks, error):
    with pytest.raises(error, match="masks"):
        without_units(mlp_with_dead()[0], masks)


def test_recycling_revives_dead_units_without_changing_the_output():
    model, x = mlp_with_dead()
    before = {name: value.clone() for name, value in state(model).items()}
    output = model(x)
    counts = recycle_dormant_(model, x, generator=torch.Generator().manual_seed(0))
    assert counts.tolist() == [2, 1]
    assert torch.equal(model(x), output)                       # outgoing weights are zero
    assert dead_unit_report(model, x).dead.tolist() == [0, 0]  # fresh incoming weights, zero bias
    recycled, kept = [1, 5], [0, 2, 3, 4, 6, 7]
    assert torch.count_nonzero(model[0].bias[recycled]) == 0
    assert torch.count_nonzero(model[2].weight[:, recycled]) == 0
    assert torch.count_nonzero(model[4].weight[:, 0]) == 0
    bound = 1 / math.sqrt(3)
    assert model[0].weight[recycled].abs().max() <= bound
    assert not torch.equal(model[0].weight[recycled], before["0.weight"][recycled])
    assert torch.equal(model[0].weight[kept], before["0.weight"][kept])
    assert torch.count_nonzero(model[2].weight[0]) == 8 - 2    # recycled unit 0 of layer 2: new row, zeros from 1 and 5
    assert torch.equal(model[2].weight[1:, kept], before["2.weight"][1:, kept])
    assert torch.equal(model[4].weight[:, 1:], before["4.weight"][:, 1:])


def test_recycling_draws_from_the_scheme_and_a_threshold_above_zero_takes_weak_units_too():
    model, x = mlp_with_dead()
    scores = dormancy_scores(model, x)
    tau = float(np.sort(scores[0])[3])                     # the two dead units and the two weakest live ones
    counts = recycle_dormant_(model, x, tau=tau, scheme="he", generator=torch.Generator().manual_seed(0))
    assert counts[0] == 4
    x_big = inputs(5000, 8, seed=3)
    layer = initialize_(make_mlp([1000, 2000], activation=None, seed=0), "he", generator=torch.Generator().manual_seed(1))
    big = nn.Sequential(layer[0], nn.ReLU(), nn.Linear(2000, 1))
    with torch.no_grad():
        big[0].bias.fill_(-BIG)                            # every unit dead
    recycle_dormant_(big, x_big.repeat(1, 125), scheme="he", generator=torch.Generator().manual_seed(0))
    assert big[0].weight.std().item() == pytest.approx(math.sqrt(2 / 1000), rel=0.01)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_recycling_zeroes_the_optimizer_state_of_the_recycled_weights(optimizer):
    model, x = mlp_with_dead()
    opt = (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), lr=0.1))
    nn.functional.cross_entropy(model(x), torch.zeros(len(x), dtype=torch.long)).backward()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.grad.add_(1.0)                       # nonzero state everywhere, dead units included
    opt.step()
    recycle_dormant_(model, x, optimizer=opt, generator=torch.Generator().manual_seed(0))
    for parameter, index in [(model[0].weight, (torch.tensor([1, 5]),)), (model[0].bias, (torch.tensor([1, 5]),)),
                             (model[2].weight, (slice(None), torch.tensor([1, 5])))]:
        buffers = [v for v in opt.state[parameter].values() if isinstance(v, torch.Tensor) and v.shape == parameter.shape]
        assert buffers and all(torch.count_nonzero(b[index]) == 0 for b in buffers)
        assert all(torch.count_nonzero(b) > 0 for b in buffers)        # the other entries keep theirs


def test_recycling_refuses_bad_arguments():
    model, x = mlp_with_dead()
    with pytest.raises(ValueError, match="tau"):
        recycle_dormant_(model, x, tau=-0.1)
    with pytest.raises(ValueError, match="scheme"):
        recycle_dormant_(model, x, scheme="orthogonal")
    with pytest.raises(TypeError, match="optimizer"):
        recycle_dormant_(model, x, optimizer="adam")
    with pytest.raises(ValueError, match="plain MLP"):
        recycle_dormant_(make_mlp([3, 4, 4, 2], "relu", residual=True, seed=0), x)


def test_redo_recycles_on_its_schedule_only_and_repeats_with_its_seed():
    data = digits_data()

    def fit():
        model = make_mlp([64, 16, 16, 10], "relu", bias=-0.3, seed=0)
        return model, train(model, data, epochs=1, lr=0.1, on_step_end=redo(data.x_train, every=5, seed=1))

    (model, history), (again, repeat) = fit(), fit()
    recycled = history.steps["recycled"]
    assert len(recycled) == math.ceil(len(data.x_train) / 64)
    assert all(count == 0 for step, count in enumerate(recycled, start=1) if step % 5)
    assert recycled[4] > 0
    assert recycled == repeat.steps["recycled"] and all(torch.equal(a, b) for a, b in zip(model.parameters(), again.parameters()))
    with pytest.raises(ValueError, match="every"):
        redo(data.x_train, every=0)


def test_asymmetric_init_follows_its_recipe():
    model = make_mlp([5, 4, 3, 2], "relu", seed=0)
    output_before = model[4].weight.clone()
    randomized_asymmetric_init_(model, generator=torch.Generator().manual_seed(7))
    generator = torch.Generator().manual_seed(7)
    for linear in (model[0], model[2]):
        units, fan_in = linear.out_features, linear.in_features
        variance = (2 / fan_in - 0.5 / (fan_in + 1)) * (fan_in + 1) / fan_in
        params = torch.randn(units, fan_in + 1, generator=generator, dtype=torch.float64) * math.sqrt(variance)
        chosen = torch.randint(fan_in + 1, (units,), generator=generator)
        positive = torch.rand(units, generator=generator, dtype=torch.float64).sqrt()
        params[torch.arange(units), chosen] = positive
        assert torch.equal(linear.weight, params[:, :fan_in]) and torch.equal(linear.bias, params[:, fan_in])
        assert ((positive > 0) & (positive <= 1)).all()
    assert torch.equal(model[4].weight, output_before)


def test_asymmetric_init_keeps_the_mean_square_of_he_and_makes_narrow_deep_networks_die_less_often():
    wide = randomized_asymmetric_init_(make_mlp([200, 3000, 2], seed=0), generator=torch.Generator().manual_seed(0))
    params = torch.cat([wide[0].weight, wide[0].bias[:, None]], dim=1).detach()
    assert params.pow(2).mean().item() == pytest.approx(2 / 200, rel=0.02)
    x = digits_data().x_train[:128]

    def born_dead(initialize):
        count = 0
        for seed in range(200):
            model = initialize(make_mlp([64] + [3] * 8 + [10], "relu", seed=seed), seed)
            count += bool((dead_unit_report(model, x).dead == 3).any())
        return count

    he = born_dead(lambda model, seed: initialize_(model, "he", generator=torch.Generator().manual_seed(seed)))
    rai = born_dead(lambda model, seed: randomized_asymmetric_init_(model, generator=torch.Generator().manual_seed(seed)))
    assert rai < he / 2
