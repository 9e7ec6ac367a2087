"""plot_layer_histograms: one histogram per layer as a heat map, with known bin fractions."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from activation_lab import plot_layer_histograms


def image_rows(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def test_rows_hold_each_layers_bin_fractions(ax):
    layers = [np.array([0.1, 0.2, 0.9, 0.6]), np.array([[0.7, 0.8], [0.9, 0.95]])]
    plot_layer_histograms(ax, layers, value_range=(0.0, 1.0), bins=2, colorbar=False)
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.5], [0.0, 1.0]])
    assert ax.images[0].get_extent() == [0.0, 1.0, 0.5, 2.5]  # layer l is the row centred on y = l


def test_values_outside_the_range_count_in_the_edge_bins(ax):
    plot_layer_histograms(ax, [np.array([-5.0, -1.0, 0.9, 5.0])], value_range=(-1.0, 1.0), bins=4, colorbar=False)
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.0, 0.0, 0.5]])


def test_colour_scale_and_colorbar(ax):
    plot_layer_histograms(ax, [np.zeros(3)], value_range=(-1.0, 1.0), gamma=0.3, vmax=0.25)
    norm = ax.images[0].norm
    assert (norm.vmin, norm.vmax, norm.gamma) == (0.0, 0.25, 0.3)
    assert len(ax.figure.axes) == 2  # the colorbar has its own axes
    _, other = plt.subplots()
    plot_layer_histograms(other, [np.zeros(3)], value_range=(-1.0, 1.0), colorbar=False, title="t")
    assert len(other.figure.axes) == 1 and other.get_title() == "t"


def test_accepts_a_2d_array_and_leaves_it_alone(ax):
    values = np.array([[0.0, 1.0], [1.0, 1.0]])
    copy = values.copy()
    assert plot_layer_histograms(ax, values, value_range=(0.0, 1.0), bins=2, colorbar=False) is ax
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.5], [0.0, 1.0]])
    np.testing.assert_array_equal(values, copy)


@pytest.mark.parametrize("values, error", [
    (np.zeros(4), TypeError),
    ("layers", TypeError),
    ([], ValueError),
    ([np.zeros(0)], ValueError),
])
def test_rejects_bad_values(ax, values, error):
    with pytest.raises(error, match="values"):
        plot_layer_histograms(ax, values, value_range=(0.0, 1.0))


@pytest.mark.parametrize("options, match", [
    ({"value_range": (1.0, 0.0)}, "value_range"),
    ({"value_range": (0.0, np.inf)}, "value_range"),
    ({"value_range": (0.0, 1.0), "bins": 1}, "bins"),
    ({"value_range": (0.0, 1.0), "gamma": 0.0}, "gamma"),
    ({"value_range": (0.0, 1.0), "vmax": 1.5}, "vmax"),
])
def test_rejects_bad_options(ax, options, match):
    with pytest.raises(ValueError, match=match):
        plot_layer_histograms(ax, [np.zeros(3)], **options)
