"""The linear-region counter: known answers on hand-built networks, bounds, and errors."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers import hooks_left, linear, state, unchanged

from activation_lab.networks import linear_layers, make_mlp
from activation_lab.regions import (
    activation_patterns,
    count_linear_regions,
    region_count_bounds,
    region_ids,
    region_map,
)
from activation_lab.registry import ACTIVATIONS, Swish


def one_layer_net(weight, bias, activation=nn.ReLU) -> nn.Sequential:
    """A 2 -> k -> 1 network whose hidden units compute activation(weight @ x + bias)."""
    hidden = linear(weight, bias)
    return nn.Sequential(hidden, activation(), nn.Linear(hidden.out_features, 1))


def tangent_lines(k: int, radius: float = 0.5) -> nn.Sequential:
    """k units whose kinks are lines tangent to a circle: in general position, crossing inside |x| < 2."""
    angles = np.arange(k) * np.pi / k
    normals = np.column_stack([np.cos(angles), np.sin(angles)])
    return one_layer_net(normals, -radius * np.ones(k))


def test_a_single_relu_unit_splits_the_plane_in_two():
    model = one_layer_net([[1.0, 0.0]], [-0.2])
    assert count_linear_regions(model, -1.0, 1.0, 64) == 2


def test_a_unit_whose_kink_misses_the_box_adds_no_region():
    model = one_layer_net([[1.0, 0.0]], [-5.0])
    assert count_linear_regions(model, -1.0, 1.0, 64) == 1


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_k_lines_in_general_position_give_one_plus_k_plus_k_choose_2(k):
    expected = 1 + k + math.comb(k, 2)
    assert count_linear_regions(tangent_lines(k), -2.0, 2.0, 401) == expected
    assert region_count_bounds([k]) == (expected, expected)


def test_lines_through_one_point_give_two_regions_per_line():
    # Zero biases: every kink passes through the origin, cutting the plane into 2k wedges.
    k = 4
    angles = np.arange(k) * np.pi / k
    model = one_layer_net(np.column_stack([np.cos(angles), np.sin(angles)]), np.zeros(k))
    assert count_linear_regions(model, -1.0, 1.0, 201) == 2 * k


@pytest.mark.parametrize("activation", [None, "identity"])
def test_a_purely_linear_network_has_one_region(activation):
    model = make_mlp([2, 8, 8, 1], activation, seed=0)
    assert count_linear_regions(model, -3.0, 3.0, 64) == 1
    assert activation_patterns(model, torch.zeros(5, 2)).shape == (5, 0)


def test_patterns_match_a_hand_computation_through_two_layers():
    model = make_mlp([2, 5, 4, 1], "relu", seed=3)
    points = torch.randn(300, 2, generator=torch.Generator().manual_seed(0))
    first, second = linear_layers(model)[:2]
    with torch.no_grad():
        z1 = points @ first.weight.T + first.bias
        z2 = torch.relu(z1) @ second.weight.T + second.bias
    expected = torch.cat([z1 > 0, z2 > 0], dim=1).numpy()
    np.testing.assert_array_equal(activation_patterns(model, points), expected)


@pytest.mark.parametrize("activation", [nn.LeakyReLU, nn.RReLU, lambda: ACTIVATIONS["prelu"].module()],
                         ids=["leaky_relu", "rrelu", "prelu"])
def test_the_other_one_kink_rectifiers_have_the_same_patterns_as_relu(activation):
    weight, bias = [[1.0, 2.0], [-1.0, 0.5], [0.3, -1.0]], [0.1, -0.2, 0.0]
    points = np.random.default_rng(0).uniform(-1, 1, size=(200, 2)).astype(np.float32)
    relu = activation_patterns(one_layer_net(weight, bias), points)
    np.testing.assert_array_equal(activation_patterns(one_layer_net(weight, bias, activation), points), relu)


def test_region_ids_group_equal_patterns_and_count_from_zero_in_order_of_appearance():
    model = tangent_lines(3)
    points = torch.from_numpy(np.random.default_rng(1).uniform(-2, 2, size=(500, 2)).astype(np.float32))
    ids = region_ids(model, points)
    patterns = activation_patterns(model, points)
    assert ids[0] == 0
    first_seen = [int(np.flatnonzero(ids == i)[0]) for i in range(ids.max() + 1)]
    assert first_seen == sorted(first_seen)
    for i in range(len(points)):
        same = (patterns == patterns[i]).all(axis=1)
        np.testing.assert_array_equal(ids == ids[i], same)


def test_more_than_64_units_are_told_apart():
    model = make_mlp([2, 70, 70, 1], "relu", seed=0)
    points = torch.from_numpy(np.random.default_rng(2).uniform(-3, 3, size=(2000, 2)).astype(np.float32))
    patterns = activation_patterns(model, points)
    assert region_ids(model, points).max() + 1 == len(np.unique(patterns, axis=0))


def test_chunks_do_not_change_the_patterns():
    model = make_mlp([2, 6, 6, 1], "relu", seed=1)
    points = torch.rand(101, 2) * 4 - 2
    np.testing.assert_array_equal(activation_patterns(model, points, chunk=7), activation_patterns(model, points))


def test_a_finer_nested_grid_never_finds_fewer_regions():
    model = make_mlp([2, 16, 16, 1], "relu", seed=2)
    coarse = count_linear_regions(model, -2.0, 2.0, 50)
    fine = count_linear_regions(model, -2.0, 2.0, 99)  # holds every point of the coarse grid
    assert fine >= coarse


def test_region_map_lays_the_grid_out_for_pcolormesh():
    model = one_layer_net([[1.0, 0.0]], [0.0])  # kink along x1 = 0
    grid = region_map(model, -1.0, 1.0, 11)
    assert grid.ids.shape == (11, 11) and grid.count == 2
    np.testing.assert_allclose(grid.x1, np.linspace(-1, 1, 11))
    left, right = grid.ids[:, 0], grid.ids[:, -1]  # columns follow x1
    assert len(set(left)) == 1 and len(set(right)) == 1 and left[0] != right[0]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_counts_at_init_stay_within_the_upper_bound(depth):
    widths = [6] * depth
    for seed in range(3):
        model = make_mlp([2, *widths, 1], "relu", seed=seed)
        assert count_linear_regions(model, -3.0, 3.0, 200) <= region_count_bounds(widths)[1]


def test_the_model_is_left_as_it_was():
    model = make_mlp([2, 8, 8, 1], "relu", batch_norm=True, seed=0)
    model.train()
    before = state(model)
    count_linear_regions(model, -1.0, 1.0, 20)
    assert model.training and hooks_left(model) == 0
    assert unchanged(model, before)


@pytest.mark.parametrize(("widths", "expected"), [
    ([1], (2, 2)),
    ([5], (16, 16)),
    ([3, 3], (7, 49)),        # Montufar's product is 1 * 7; it never beats the first layer's 7 here
    ([4, 4], (44, 121)),      # floor(4/2)^2 * (1 + 4 + 6) = 44
    ([1, 4], (2, 10)),        # after one unit the image is a line: 4 units cut it into 5 pieces
    ([2, 2, 2], (4, 64)),
])
def test_bounds_have_known_values(widths, expected):
    assert region_count_bounds(widths) == expected


def test_bounds_in_one_dimension_are_one_plus_n_per_layer():
    assert region_count_bounds([3, 5], input_dim=1) == (3 * 6, 4 * 6)


@pytest.mark.parametrize("activation", [nn.Tanh, nn.Softsign, nn.Hardsigmoid, nn.Hardswish, nn.Hardtanh, nn.ReLU6,
                                        nn.SELU, nn.GELU, Swish])
def test_an_activation_without_one_kink_at_zero_is_refused_by_name(activation):
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 4), activation(), nn.Linear(4, 1))
    with pytest.raises(ValueError, match=rf"one kink at 0 .*model has \['{activation.__name__}'\]"):
        count_linear_regions(model)


@pytest.mark.parametrize(("model", "error", "match"), [
    ("not a model", TypeError, "model"),
    (nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)), ValueError, "2-D input"),
])
def test_bad_models_are_refused(model, error, match):
    with pytest.raises(error, match=match):
        count_linear_regions(model)


@pytest.mark.parametrize(("points", "error"), [
    ([[0.0, 0.0]], TypeError),
    (torch.zeros(4, 3), ValueError),
    (torch.zeros(4), ValueError),
    (torch.zeros(4, 2, dtype=torch.int64), TypeError),
    (torch.zeros(0, 2), ValueError),
])
def test_bad_points_are_refused(points, error):
    with pytest.raises(error):
        activation_patterns(tangent_lines(2), points)


@pytest.mark.parametrize(("low", "high", "resolution", "error"), [
    (1.0, -1.0, 10, ValueError),
    (0.0, 0.0, 10, ValueError),
    (-1.0, 1.0, 1, ValueError),
    (-1.0, 1.0, 10.0, ValueError),
    ("a", 1.0, 10, TypeError),
    (-1.0, math.inf, 10, TypeError),
])
def test_bad_boxes_are_refused(low, high, resolution, error):
    with pytest.raises(error):
        region_map(tangent_lines(2), low, high, resolution)


@pytest.mark.parametrize(("widths", "input_dim", "error"), [
    ([], 2, ValueError),
    ([0, 3], 2, ValueError),
    ([2.5], 2, ValueError),
    ("44", 2, TypeError),
    ([4], 0, ValueError),
])
def test_bad_bound_arguments_are_refused(widths, input_dim, error):
    with pytest.raises(error):
        region_count_bounds(widths, input_dim)


def test_bad_chunk_is_refused():
    with pytest.raises(ValueError):
        activation_patterns(tangent_lines(2), torch.zeros(3, 2), chunk=0)
