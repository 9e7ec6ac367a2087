"""Probes on hand-built networks whose answers are known, against autograd, and signals through depth."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers import hooks_left, inputs, linear, state, unchanged

from activation_lab import functions
from activation_lab.data import xor_data
from activation_lab.networks import linear_layers, make_mlp
from activation_lab.probes import (
    SATURATION_THRESHOLD,
    activation_modules,
    activation_stats,
    gradient_norms_by_layer,
    gradient_norms_over_seeds,
    saturated_fraction_by_layer,
    UpdateRatioRecorder,
    saturation_mask,
    signal_propagation,
    update_ratios,
    weight_snapshot,
)
from activation_lab.registry import ACTIVATIONS, Swish
from activation_lab.training import train


# --- activation_modules --------------------------------------------------------------------

def test_activation_modules_in_order_and_only_activations():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    assert [type(m) for m in activation_modules(model)] == [nn.Tanh, nn.ReLU]


def test_activation_modules_finds_the_newer_activations_but_not_identity_or_softmax():
    prelu = ACTIVATIONS["prelu"].module()
    model = nn.Sequential(nn.Linear(2, 2), nn.Identity(), nn.Softsign(), nn.Hardsigmoid(), nn.RReLU(), Swish(2.0),
                          prelu, nn.Hardswish(), nn.Softmax(dim=-1))
    assert [type(m) for m in activation_modules(model)] == [nn.Softsign, nn.Hardsigmoid, nn.RReLU, Swish, type(prelu),
                                                             nn.Hardswish]


def test_activation_modules_rejects_a_non_module():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        activation_modules([nn.ReLU()])


# --- activation_stats ---------------------------------------------------------------------

def test_relu_stats_on_known_weights():
    # z = [x1 - x2, x1 + x2, -x1]; on the batch below half of the six outputs are exactly zero
    model = nn.Sequential(linear([[1.0, -1.0], [1.0, 1.0], [-1.0, 0.0]]), nn.ReLU())
    x = torch.tensor([[2.0, 1.0], [-1.0, 3.0]])
    (stats,) = activation_stats(model, x)
    np.testing.assert_allclose(stats.pre, [[1.0, 3.0, -2.0], [-4.0, 2.0, 1.0]])
    np.testing.assert_allclose(stats.post, [[1.0, 3.0, 0.0], [0.0, 2.0, 1.0]])
    assert stats.index == 0 and stats.kind == "ReLU"
    assert stats.zero_fraction == pytest.approx(2 / 6)
    assert stats.mean == pytest.approx(7 / 6)
    assert stats.std == pytest.approx(np.std([1, 3, 0, 0, 2, 1]))
    assert math.isnan(stats.saturated_fraction)


def test_saturated_fraction_for_tanh_and_sigmoid():
    # identity weights: the pre-activations are the inputs themselves
    big = math.atanh(SATURATION_THRESHOLD) + 0.01     # just past the threshold
    small = math.atanh(SATURATION_THRESHOLD) - 0.01   # just inside
    x = torch.tensor([[big, -big, small, 0.0]])
    model = nn.Sequential(linear(np.eye(4)), nn.Tanh(), linear(np.eye(4) * 10.0), nn.Sigmoid())
    tanh_stats, sigmoid_stats = activation_stats(model, x)
    assert tanh_stats.saturated_fraction == pytest.approx(0.5)
    # sigmoid sees 10 * tanh(...) = [9.7+, -9.7+, 9.7-, 0]: three of four beyond logit(0.97) = 3.48
    assert sigmoid_stats.saturated_fraction == pytest.approx(0.75)
    np.testing.assert_allclose(saturated_fraction_by_layer(model, x), [0.5, 0.75])


def test_saturated_fraction_by_layer_threshold_and_nan_for_relu():
    model = nn.Sequential(linear(np.eye(3)), nn.Tanh(), linear(np.eye(3)), nn.ReLU())
    x = torch.tensor([[0.1, 1.0, 3.0]])  # tanh: 0.0997, 0.762, 0.995
    fractions = saturated_fraction_by_layer(model, x, threshold=0.75)
    assert fractions[0] == pytest.approx(2 / 3)
    assert math.isnan(fractions[1])
    with pytest.raises(ValueError, match="threshold"):
        saturated_fraction_by_layer(model, x, threshold=0.4)
    with pytest.raises(TypeError, match="threshold"):
        saturated_fraction_by_layer(model, x, threshold="high")


def test_inplace_activation_reports_its_true_input():
    model = nn.Sequential(linear([[1.0], [-1.0]]), nn.ReLU(inplace=True))
    (stats,) = activation_stats(model, torch.tensor([[2.0]]))
    np.testing.assert_allclose(stats.pre, [[2.0, -2.0]])
    np.testing.assert_allclose(stats.post, [[2.0, 0.0]])


@pytest.mark.parametrize("start_in_training", [True, False])
def test_activation_stats_leaves_model_untouched(start_in_training):
    model = make_mlp([3, 4, 4, 2], "tanh", batch_norm=True, seed=0)
    model.train(start_in_training)
    before, rng = state(model), torch.get_rng_state()
    stats = activation_stats(model, inputs(8, 3, seed=1), training=True)
    assert len(stats) == 2
    assert model.training is start_in_training
    assert hooks_left(model) == 0
    assert torch.equal(torch.get_rng_state(), rng)
    assert unchanged(model, before)


def test_mixed_modes_of_submodules_are_restored():
    model = make_mlp([3, 4, 2], "tanh", batch_norm=True, seed=0).train()
    model[1].eval()  # a frozen batch norm inside a model that trains
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    activation_stats(model, x)
    activation_stats(model, x, training=True)
    gradient_norms_by_layer(model, x, y)
    assert model.training and model[0].training and not model[1].training


def test_activation_stats_runs_in_eval_mode_by_default():
    model = nn.Sequential(nn.Linear(3, 50), nn.Dropout(0.5), nn.ReLU())
    model.train()
    x = torch.randn(4, 3)
    (stats,) = activation_stats(model, x)
    with torch.no_grad():
        expected = model[0](x).numpy()
    np.testing.assert_allclose(stats.pre, expected, rtol=1e-6)  # no dropout zeros
    assert model.training


def test_activation_stats_without_activations_and_bad_input():
    assert activation_stats(nn.Linear(2, 2), torch.zeros(1, 2)) == []
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        activation_stats(nn.Linear(2, 2), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="non-empty batch"):
        activation_stats(nn.Linear(2, 2), torch.zeros(0, 2))
    with pytest.raises(TypeError, match="model"):
        activation_stats("model", torch.zeros(1, 2))


# --- gradient_norms_by_layer --------------------------------------------------------------

def test_one_linear_layer_against_a_hand_computation():
    # L = mean((W x + b - y)^2) over N x K entries, so dL/dW = 2/(N K) (z - y)^T x and dL/dz = 2/(N K) (z - y)
    w, b = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.1, -0.2])
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -1.0]])
    y = np.array([[0.0, 1.0], [2.0, -1.0], [1.0, 1.0]])
    residual = x @ w.T + b - y
    scale = 2.0 / residual.size
    model = linear(w, b)
    args = (torch.tensor(x), torch.tensor(y), "mse")
    (weights,) = gradient_norms_by_layer(model, *args)
    (outputs,) = gradient_norms_by_layer(model, *args, of="outputs")
    assert weights == pytest.approx(np.linalg.norm(scale * residual.T @ x), rel=1e-5)
    assert outputs == pytest.approx(np.linalg.norm(scale * residual), rel=1e-5)


def test_deep_network_against_autograd():
    model = make_mlp([5, 7, 6, 3], "tanh", init="xavier", seed=3)
    generator = torch.Generator().manual_seed(0)
    x, y = torch.randn(11, 5, generator=generator), torch.randint(0, 3, (11,), generator=generator)
    layers = linear_layers(model)
    outputs = []
    h = x
    for module in model:
        h = module(h)
        if isinstance(module, nn.Linear):
            h.retain_grad()
            outputs.append(h)
    nn.functional.cross_entropy(h, y).backward()
    expected_weights = [float(layer.weight.grad.norm()) for layer in layers]
    expected_outputs = [float(z.grad.norm()) for z in outputs]
    model.zero_grad(set_to_none=True)
    np.testing.assert_allclose(gradient_norms_by_layer(model, x, y), expected_weights, rtol=1e-5)
    np.testing.assert_allclose(gradient_norms_by_layer(model, x, y, of="outputs"), expected_outputs, rtol=1e-5)


def test_chain_of_sigmoids_follows_the_chain_rule():
    # a 1-unit chain z_{l+1} = w * sigmoid(z_l): dL/dz_l = dL/dz_{l+1} * w * sigmoid'(z_l)
    w = 2.0
    model = nn.Sequential(linear([[1.0]]), nn.Sigmoid(), linear([[w]]), nn.Sigmoid(), linear([[w]]))
    x, y = torch.tensor([[0.3]]), torch.tensor([[1.0]])
    z1 = 0.3
    z2 = w * functions.sigmoid(z1)
    z3 = w * functions.sigmoid(z2)
    d3 = 2.0 * (z3 - 1.0)
    d2 = d3 * w * functions.sigmoid_derivative(z2)
    d1 = d2 * w * functions.sigmoid_derivative(z1)
    norms = gradient_norms_by_layer(model, x, y, "mse", of="outputs")
    np.testing.assert_allclose(norms, np.abs([d1, d2, d3]), rtol=1e-5)


def test_gradient_probe_restores_grads_mode_buffers_and_hooks():
    model = make_mlp([3, 4, 2], "relu", batch_norm=True, seed=0)
    model.train()
    marker = torch.full_like(model[0].weight, 7.0)
    model[0].weight.grad = marker.clone()
    running = model[1].running_mean.clone()
    x, y = torch.randn(6, 3), torch.tensor([0, 1, 0, 1, 1, 0])
    for of in ("weights", "outputs"):
        gradient_norms_by_layer(model, x, y, of=of)
        assert torch.equal(model[0].weight.grad, marker)
        assert all(p.grad is None for name, p in model.named_parameters() if name != "0.weight")
        assert torch.equal(model[1].running_mean, running)
        assert model.training and hooks_left(model) == 0


def test_gradient_probe_works_under_no_grad_and_in_eval_mode():
    model = make_mlp([3, 4, 2], "sigmoid", seed=0).eval()
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    expected = gradient_norms_by_layer(model, x, y)
    with torch.no_grad():
        np.testing.assert_allclose(gradient_norms_by_layer(model, x, y), expected)
    assert not model.training


def test_frozen_layer_reports_nan():
    model = make_mlp([3, 4, 2], "relu", seed=0)
    for p in model[0].parameters():
        p.requires_grad_(False)
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    for of in ("weights", "outputs"):
        norms = gradient_norms_by_layer(model, x, y, of=of)
        assert math.isnan(norms[0]) and norms[1] > 0


def test_gradient_probe_rejects_bad_input():
    model = make_mlp([3, 4, 2], "relu", seed=0)
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    with pytest.raises(ValueError, match="same number of examples"):
        gradient_norms_by_layer(model, x, y[:4])
    with pytest.raises(ValueError, match="loss must be"):
        gradient_norms_by_layer(model, x, y, "hinge")
    with pytest.raises(ValueError, match="of must be one of"):
        gradient_norms_by_layer(model, x, y, of="biases")
    with pytest.raises(ValueError, match="no nn.Linear"):
        gradient_norms_by_layer(nn.Sequential(nn.Tanh()), x, y)
    with pytest.raises(TypeError, match="y must be a torch.Tensor"):
        gradient_norms_by_layer(model, x, [0, 1, 1, 0, 1])
    with pytest.raises(TypeError, match="model"):
        gradient_norms_by_layer(None, x, y)


# --- gradient_norms_over_seeds ------------------------------------------------------------

def test_over_seeds_rows_match_single_calls():
    x, y = torch.randn(9, 4, generator=torch.Generator().manual_seed(2)), torch.arange(9) % 3
    build = lambda seed: make_mlp([4, 5, 5, 3], "tanh", init="xavier", seed=seed)  # noqa: E731
    table = gradient_norms_over_seeds(build, x, y, seeds=[4, 7])
    assert table.shape == (2, 3)
    np.testing.assert_array_equal(table[1], gradient_norms_by_layer(build(7), x, y))
    outputs = gradient_norms_over_seeds(build, x, y, seeds=[4], of="outputs")
    np.testing.assert_array_equal(outputs[0], gradient_norms_by_layer(build(4), x, y, of="outputs"))
    assert not np.array_equal(table[0], table[1])


def test_over_seeds_rejects_bad_input():
    x, y = torch.randn(4, 2), torch.tensor([0, 1, 0, 1])
    with pytest.raises(TypeError, match="build_model"):
        gradient_norms_over_seeds(make_mlp([2, 2]), x, y)
    with pytest.raises(ValueError, match="seeds must not be empty"):
        gradient_norms_over_seeds(lambda s: make_mlp([2, 2]), x, y, seeds=[])
    with pytest.raises(TypeError, match="seeds"):
        gradient_norms_over_seeds(lambda s: make_mlp([2, 2]), x, y, seeds="01")
    with pytest.raises(ValueError, match="different depths"):
        gradient_norms_over_seeds(lambda s: make_mlp([2] * (s + 2)), x, y, seeds=[0, 1])


# --- weight_snapshot and update_ratios ----------------------------------------------------

def test_update_ratio_of_a_known_update():
    model = nn.Sequential(linear([[3.0, 4.0]]), nn.ReLU(), linear([[1.0]]))
    before = weight_snapshot(model)
    with torch.no_grad():
        model[0].weight += torch.tensor([[0.3, 0.4]])  # ||dW|| = 0.5, ||W|| = 5
    np.testing.assert_allclose(update_ratios(before, model), [0.1, 0.0], rtol=1e-6)


def test_snapshot_is_a_copy():
    model = nn.Sequential(linear([[1.0, 2.0]]))
    before = weight_snapshot(model)
    with torch.no_grad():
        model[0].weight.mul_(3.0)
    assert torch.equal(before[0], torch.tensor([[1.0, 2.0]]))
    assert not before[0].requires_grad
    np.testing.assert_allclose(update_ratios(before, model), [2.0], rtol=1e-6)


def test_update_ratios_after_training_are_positive_and_model_untouched():
    data = xor_data(n=40, seed=0)
    model = make_mlp([2, 8, 2], "tanh", seed=0)
    before = weight_snapshot(model)
    train(model, data, epochs=2, lr=0.1, seed=0)
    after = state(model)
    ratios = update_ratios(before, model)
    assert ratios.shape == (2,) and np.all(ratios > 0)
    assert unchanged(model, after)


def test_update_ratio_of_a_zero_snapshot_is_nan():
    model = nn.Sequential(linear([[0.0, 0.0]]))
    before = weight_snapshot(model)
    with torch.no_grad():
        model[0].weight += 1.0
    assert math.isnan(update_ratios(before, model)[0])


def test_update_ratios_rejects_mismatches():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(ValueError, match="holds 1 weights"):
        update_ratios([torch.zeros(3, 2)], model)
    with pytest.raises(ValueError, match="does not match"):
        update_ratios([torch.zeros(2, 3), torch.zeros(1, 3)], model)
    with pytest.raises(TypeError, match="list of tensors"):
        update_ratios(torch.zeros(3, 2), model)
    with pytest.raises(TypeError, match="hold tensors"):
        update_ratios([np.zeros((3, 2)), np.zeros((1, 3))], model)
    with pytest.raises(TypeError, match="model"):
        weight_snapshot("model")


def test_tiny_gradients_do_not_underflow_to_zero():
    # float32 squares of 1e-25 underflow; the norm of a 64-entry gradient of 1e-25 each is 8e-25, not 0
    model = nn.Sequential(linear(np.full((1, 64), 1e-25)), nn.Tanh(), linear([[1.0]]))
    x, y = torch.ones(1, 64), torch.zeros(1, 1)
    norms = gradient_norms_by_layer(model, x, y, "mse")
    # z1 = 64e-25, z2 = tanh(z1) ~ 6.4e-24, dL/dz1 = 2 z2 * 1 * tanh'(z1) ~ 1.28e-23 in each of 64 weights
    assert norms[0] == pytest.approx(8 * 2 * 6.4e-24, rel=1e-4, abs=0)
    outputs = gradient_norms_by_layer(model, x, y, "mse", of="outputs")
    assert outputs[0] == pytest.approx(2 * 6.4e-24, rel=1e-4, abs=0)


# --- signal_propagation -------------------------------------------------------------------

def test_relu_with_lecun_init_halves_the_second_moment_each_layer():
    trace = signal_propagation("relu", depth=3, width=512, batch=1024, seed=0)
    second_moment = trace.variance + trace.mean**2
    # Each layer's random weights scale the signal by a few per cent more or less than on average.
    np.testing.assert_allclose(second_moment, [0.5, 0.25, 0.125], rtol=0.12)
    np.testing.assert_allclose(second_moment[1:] / second_moment[:-1], 0.5, rtol=0.08)
    # First layer: relu of a standard normal has mean 1/sqrt(2 pi) and variance 1/2 - 1/(2 pi).
    assert trace.mean[0] == pytest.approx(1 / math.sqrt(2 * math.pi), rel=0.02)
    assert trace.variance[0] == pytest.approx(0.5 - 1 / (2 * math.pi), rel=0.03)


def test_selu_with_lecun_init_stays_near_zero_mean_unit_variance():
    trace = signal_propagation("selu", depth=32, width=256, batch=256, seed=1)
    assert trace.mean.shape == trace.variance.shape == (32,)
    assert np.abs(trace.mean).max() < 0.1
    assert np.abs(trace.variance - 1.0).max() < 0.15


def test_selu_with_he_init_blows_up_and_alpha_dropout_keeps_the_fixed_point():
    assert signal_propagation("selu", depth=32, batch=256, init="he", seed=0).variance[-1] > 10.0
    alpha = signal_propagation("selu", depth=32, batch=256, dropout="alpha_dropout", rate=0.1, seed=0)
    plain = signal_propagation("selu", depth=32, batch=256, dropout="dropout", rate=0.1, seed=0)
    assert abs(alpha.variance[-8:].mean() - 1.0) < 0.15
    assert plain.variance[-8:].mean() > 1.3


def test_signal_propagation_is_seeded_and_leaves_the_global_generator_and_dtype_alone():
    state = torch.random.get_rng_state()
    a = signal_propagation("tanh", depth=4, dropout="dropout", seed=3)
    b = signal_propagation("tanh", depth=4, dropout="dropout", seed=3)
    assert torch.equal(torch.random.get_rng_state(), state)
    np.testing.assert_array_equal(a.variance, b.variance)
    np.testing.assert_array_equal(a.mean, b.mean)
    assert not np.array_equal(signal_propagation("tanh", depth=4, seed=4).variance, a.variance)
    # float32 draws other random numbers than float64, from the same seed: the same statistics, not the same values.
    single = signal_propagation("tanh", depth=4, seed=3, dtype=torch.float32)
    np.testing.assert_allclose(single.variance, signal_propagation("tanh", depth=4, seed=3).variance, rtol=0.15)
    assert torch.get_default_dtype() == torch.float64


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"depth": 0}, ValueError, "depth"), ({"width": 2.5}, TypeError, "width"), ({"batch": True}, TypeError, "batch"),
    ({"init": "orthogonal"}, ValueError, "init"), ({"dropout": "gaussian"}, ValueError, "dropout"),
    ({"rate": 1.0}, ValueError, "rate"), ({"rate": -0.1}, ValueError, "rate"), ({"seed": -1}, ValueError, "seed"),
    ({"seed": 0.5}, TypeError, "seed"), ({"activation": "step"}, ValueError, "step"),
])
def test_signal_propagation_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        signal_propagation(**{"activation": "selu", **kwargs})


# --- UpdateRatioRecorder ---------------------------------------------------------------------

def _step_hook_count() -> int:
    from torch.optim import optimizer as optim_module
    return len(optim_module._global_optimizer_pre_hooks) + len(optim_module._global_optimizer_post_hooks)


def test_update_ratio_recorder_matches_a_hand_computed_sgd_step():
    model = make_mlp([3, 4, 2], "tanh", init="xavier", seed=0)
    x, y = inputs(8, 3, seed=1).to(torch.float64), torch.tensor([0, 1] * 4)
    lr = 0.1
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    recorder = UpdateRatioRecorder(model)
    before = [layer.weight.detach().clone() for layer in linear_layers(model)]
    with recorder:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        grads = [layer.weight.grad.detach().clone() for layer in linear_layers(model)]
        optimizer.step()
    expected = [lr * float(g.norm()) / float(w.norm()) for g, w in zip(grads, before)]
    assert recorder.steps.shape == (1, 2)
    np.testing.assert_allclose(recorder.steps[0], expected, rtol=1e-12)


def test_update_ratio_recorder_counts_every_step_of_train_and_its_epochs_match_update_ratios():
    data = xor_data(n=40)
    model = make_mlp([2, 8, 8, 2], "relu", init="he", seed=0)
    start = weight_snapshot(model)
    recorder = UpdateRatioRecorder(model)
    with recorder:
        history = train(model, data, epochs=3, batch_size=6, lr=0.05, momentum=0.9, on_epoch_end=recorder)
    assert recorder.steps.shape == (3 * math.ceil(20 / 6), 3)
    assert recorder.epochs.shape == (4, 3)
    np.testing.assert_array_equal(recorder.epochs[0], np.zeros(3))
    np.testing.assert_array_equal(np.array(history.extra["update_ratio"]), recorder.epochs)
    one_epoch = make_mlp([2, 8, 8, 2], "relu", init="he", seed=0)
    alone = UpdateRatioRecorder(one_epoch)
    train(one_epoch, data, epochs=1, batch_size=6, lr=0.05, momentum=0.9, on_epoch_end=alone)
    np.testing.assert_allclose(alone.epochs[1], update_ratios(start, one_epoch), rtol=1e-6)


def test_update_ratio_recorder_ignores_other_optimizers_and_stops_outside_its_block():
    model, other = make_mlp([2, 3, 2], seed=0), make_mlp([2, 3, 2], seed=1)
    x, y = inputs(6, 2).to(torch.float64), torch.tensor([0, 1, 0, 1, 0, 1])
    hooks = _step_hook_count()
    recorder = UpdateRatioRecorder(model)

    def step(net):
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
        optimizer.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()

    with recorder:
        assert _step_hook_count() == hooks + 2
        step(other)
        step(model)
    step(model)
    assert recorder.steps.shape == (1, 2)
    assert _step_hook_count() == hooks


def test_update_ratio_recorder_leaves_the_model_alone_and_checks_its_arguments():
    model = make_mlp([2, 3, 2], seed=0)
    before = state(model)
    recorder = UpdateRatioRecorder(model)
    assert recorder.steps.shape == (0, 2) and recorder.epochs.shape == (0, 2)
    assert recorder(model, 0)["update_ratio"].tolist() == [0.0, 0.0]
    assert unchanged(model, before)
    with pytest.raises(ValueError, match="model is not the model"):
        recorder(make_mlp([2, 3, 2], seed=0), 1)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        UpdateRatioRecorder("a model")
    with pytest.raises(ValueError, match="no nn.Linear"):
        UpdateRatioRecorder(nn.Sequential(nn.ReLU()))
    with recorder, pytest.raises(RuntimeError, match="already recording"):
        recorder.__enter__()


def test_update_ratio_recorder_reports_nan_for_an_all_zero_weight():
    model = make_mlp([2, 3, 2], seed=0)
    with torch.no_grad():
        model[0].weight.zero_()
    recorder = UpdateRatioRecorder(model)
    ratios = recorder(model, 0)["update_ratio"]
    assert math.isnan(ratios[0]) and ratios[1] == 0.0


# --- saturation_mask -------------------------------------------------------------------------

def test_saturation_mask_marks_tanh_and_sigmoid_units_beyond_the_threshold():
    # pre-activations x and 4x: tanh(2.4) = 0.984 is past 0.97, sigmoid(-3) = 0.047 is not below 0.03
    x = torch.tensor([[-3.0], [0.0], [0.6], [3.0]], dtype=torch.float64)
    for module, expected in ((nn.Tanh(), [[True, True], [False, False], [False, True], [True, True]]),
                             (nn.Sigmoid(), [[False, True], [False, False], [False, False], [False, True]])):
        model = nn.Sequential(linear([[1.0], [4.0]]).double(), module)
        np.testing.assert_array_equal(saturation_mask(model, x, layer=0), np.array(expected))


def test_saturation_mask_agrees_with_the_saturated_fraction():
    model = make_mlp([2, 8, 8, 2], "tanh", init="xavier", gain=4.0, seed=0)
    x = xor_data(n=40).x_train
    fractions = saturated_fraction_by_layer(model, x)
    for layer, fraction in enumerate(fractions):
        assert saturation_mask(model, x, layer).mean() == pytest.approx(fraction)


def test_saturation_mask_refuses_other_activations_and_bad_arguments():
    x = xor_data(n=40).x_train
    with pytest.raises(ValueError, match="Tanh and Sigmoid"):
        saturation_mask(make_mlp([2, 4, 2], "relu", seed=0), x, layer=0)
    tanh = make_mlp([2, 4, 2], "tanh", seed=0)
    with pytest.raises(ValueError, match="layer must be below"):
        saturation_mask(tanh, x, layer=1)
    with pytest.raises(TypeError, match="layer must be an int"):
        saturation_mask(tanh, x, layer=0.0)
    with pytest.raises(ValueError, match="threshold"):
        saturation_mask(tanh, x, layer=0, threshold=0.4)
