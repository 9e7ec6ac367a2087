"""One neuron over a 2-D input: the grid it is evaluated on and the figure drawn from it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from activation_lab import ACTIVATIONS
from activation_lab.plots import neuron_surface, plot_neuron


def test_surface_grid_and_pre_activation_are_the_weighted_sum():
    x1, x2, pre, _ = neuron_surface("relu", 2.0, -1.0, 0.5, extent=2.0, resolution=5)
    assert x1.shape == x2.shape == pre.shape == (5, 5)
    assert (x1[0, 0], x2[0, 0], x1[-1, -1], x2[-1, -1]) == (-2.0, -2.0, 2.0, 2.0)
    np.testing.assert_allclose(pre, 2.0 * x1 - x2 + 0.5, rtol=0, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"])
def test_surface_output_matches_torch(name):
    _, _, pre, out = neuron_surface(name, 1.5, 0.7, -0.3, resolution=31)
    record = ACTIVATIONS[name]
    expected = record.module()(torch.from_numpy(pre)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-12)


def test_step_neuron_is_one_exactly_on_the_positive_side():
    _, _, pre, out = neuron_surface("step", 1.0, 1.0, -1.0, resolution=41)
    np.testing.assert_array_equal(out, (pre > 0).astype(float))


def test_plot_draws_filled_output_boundary_arrow_and_colorbar(ax):
    assert plot_neuron(ax, "sigmoid", 1.0, 1.0, 0.0) is ax
    assert len(ax.figure.axes) == 2  # the panel and its colour bar
    filled, boundary = ax.collections
    np.testing.assert_allclose([filled.levels[0], filled.levels[-1]], [0.0, 1.0])
    np.testing.assert_array_equal(boundary.levels, [0.0])
    assert len(ax.texts) == 1  # the arrow along w
    assert "Sigmoid" in ax.get_title()


def test_unbounded_activation_uses_the_data_range(ax):
    plot_neuron(ax, "relu", 1.0, 0.0, 0.0, extent=2.0, colorbar=False)
    levels = ax.collections[0].levels
    np.testing.assert_allclose([levels[0], levels[-1]], [0.0, 2.0])
    assert len(ax.figure.axes) == 1


def test_no_boundary_or_arrow_when_the_pre_activation_keeps_one_sign(ax):
    plot_neuron(ax, "tanh", 1.0, 0.0, 10.0, colorbar=False, title="shifted")
    assert len(ax.collections) == 1 and len(ax.texts) == 0
    assert ax.get_title() == "shifted"


def test_a_constant_neuron_draws_without_warnings(ax):
    # pytest.ini turns warnings into errors, so a contour warning would fail here
    plot_neuron(ax, "relu", 0.0, 0.0, 0.0)
    plot_neuron(ax, "step", 0.0, 0.0, -1.0, colorbar=False)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("softmax", 1.0, 1.0, 0.0), {}, ValueError, "^activation must be elementwise"),
        (("relux", 1.0, 1.0, 0.0), {}, ValueError, "unknown activation"),
        (("relu", "1", 1.0, 0.0), {}, TypeError, "^w1 must be a real number"),
        (("relu", 1.0, True, 0.0), {}, TypeError, "^w2 must be a real number"),
        (("relu", 1.0, 1.0, np.nan), {}, ValueError, "^b must be finite"),
        (("relu", 1.0, 1.0, 0.0), {"extent": 0.0}, ValueError, "^extent must be positive"),
        (("relu", 1.0, 1.0, 0.0), {"resolution": 1}, ValueError, "^resolution must be an int"),
        (("relu", 1.0, 1.0, 0.0), {"resolution": 10.0}, ValueError, "^resolution must be an int"),
    ],
)
def test_bad_arguments_raise_naming_them(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        neuron_surface(*args, **kwargs)


def test_value_range_fixes_the_colour_scale_and_clips(ax):
    plot_neuron(ax, "relu", 3.0, 0.0, 0.0, value_range=(0.0, 4.0), colorbar=False)
    filled = ax.collections[0]
    np.testing.assert_allclose([filled.levels[0], filled.levels[-1]], [0.0, 4.0])


@pytest.mark.parametrize("value_range", [(1.0, 1.0), (2.0, 0.0), (0.0, np.inf)])
def test_bad_value_range_raises(ax, value_range):
    with pytest.raises(ValueError, match="^value_range must"):
        plot_neuron(ax, "relu", 1.0, 0.0, 0.0, value_range=value_range)
