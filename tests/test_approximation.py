"""Sums of ReLU hinges fitted by least squares, and the networks they are."""

from __future__ import annotations

import numpy as np
import pytest
import torch


import activation_lab as al
from activation_lab.approximation import HingeFit, fit_hinges, hinge_basis


def test_hinge_basis_known_values():
    basis = hinge_basis([-1.0, 0.0, 0.5, 2.0], [0.0, 1.0])
    np.testing.assert_array_equal(basis, [[0.0, 0.0], [0.0, 0.0], [0.5, 0.0], [2.0, 1.0]])
    assert basis.dtype == np.float64


def test_hinge_basis_is_what_relu_units_output():
    x = np.linspace(-2.0, 2.0, 9)
    knots = np.array([-1.0, 0.5])
    layer = torch.nn.Linear(1, 2, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.fill_(1.0)
        layer.bias.copy_(torch.from_numpy(-knots))
        expected = torch.relu(layer(torch.from_numpy(x).reshape(-1, 1))).numpy()
    np.testing.assert_allclose(hinge_basis(x, knots), expected, rtol=0, atol=1e-15)


def test_a_piecewise_linear_target_is_recovered_exactly():
    # f has slope 1 from the left end, turns to slope -1 at 1 and to slope 0.5 at 2.
    x = np.linspace(0.0, 3.0, 61)
    y = 0.3 + x - 2.0 * np.maximum(0.0, x - 1.0) + 1.5 * np.maximum(0.0, x - 2.0)
    fit = fit_hinges(x, y, knots=[0.0, 1.0, 2.0])
    np.testing.assert_allclose(fit.coefficients, [1.0, -2.0, 1.5], atol=1e-12)
    assert fit.intercept == pytest.approx(0.3, abs=1e-12)
    assert fit.max_error < 1e-12 and fit.rms_error < 1e-12


def test_evenly_spaced_knots_start_at_the_left_end():
    x = np.linspace(0.0, 4.0, 41)
    fit = fit_hinges(x, np.sin(x), 4)
    np.testing.assert_allclose(fit.knots, [0.0, 1.0, 2.0, 3.0])
    assert fit.n_units == 4


def test_one_unit_is_the_least_squares_line():
    x = np.linspace(-1.0, 2.0, 50)
    y = x**2
    fit = fit_hinges(x, y, 1)
    slope, intercept = np.polyfit(x, y, 1)
    np.testing.assert_allclose(fit(x), slope * x + intercept, atol=1e-12)


def test_error_never_grows_with_nested_knots_and_shrinks_like_k_to_the_minus_2():
    x, y = al.sine_data(400, 0.0, 1.5 * np.pi)
    fits = [fit_hinges(x, y, k) for k in (1, 2, 4, 8, 16, 32)]
    rms = [fit.rms_error for fit in fits]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(rms, rms[1:]))
    # a smooth target: halving the knot spacing divides the error by about 4
    assert 3.0 < fits[-2].max_error / fits[-1].max_error < 5.0


def test_fit_is_callable_on_new_points():
    x = np.linspace(0.0, 1.0, 21)
    fit = fit_hinges(x, 2.0 * x + 1.0, 3)
    np.testing.assert_allclose(fit([0.25, 0.5]), [1.5, 2.0], atol=1e-12)


def test_to_network_is_a_one_hidden_layer_relu_network_computing_the_fit():
    x, y = al.sine_data(200)
    fit = fit_hinges(x, y, 8)
    model = fit.to_network()
    assert [type(layer) for layer in model] == [torch.nn.Linear, torch.nn.ReLU, torch.nn.Linear]
    assert (model[0].in_features, model[0].out_features, model[2].out_features) == (1, 8, 1)
    with torch.no_grad():
        output = model(x).numpy().ravel()
    np.testing.assert_allclose(output, fit(x), rtol=0, atol=1e-5)


def test_tensor_and_list_inputs_give_the_same_fit_and_are_not_modified():
    x, y = al.sine_data(50)
    x_before, y_before = x.clone(), y.clone()
    from_tensors = fit_hinges(x, y, 4)
    from_lists = fit_hinges(x.ravel().tolist(), y.ravel().tolist(), 4)
    np.testing.assert_array_equal(from_tensors.coefficients, from_lists.coefficients)
    assert torch.equal(x, x_before) and torch.equal(y, y_before)


def test_returns_a_hinge_fit_with_float_errors():
    fit = fit_hinges([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], 2)
    assert isinstance(fit, HingeFit)
    assert isinstance(fit.max_error, float) and isinstance(fit.rms_error, float)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, TypeError, "exactly one of k and knots"),
        ({"k": 2, "knots": [0.0]}, TypeError, "exactly one of k and knots"),
        ({"k": 0}, ValueError, "^k must be at least 1"),
        ({"k": True}, TypeError, "^k must be an int"),
        ({"k": 2.0}, TypeError, "^k must be an int"),
        ({"knots": []}, ValueError, "^knots must hold at least one knot"),
        ({"knots": [0.0, np.nan]}, ValueError, "^knots must hold only finite"),
    ],
)
def test_bad_k_or_knots_raise_naming_them(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_hinges([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], **kwargs)


@pytest.mark.parametrize(
    ("x", "y", "error", "match"),
    [
        ([0.0, 1.0, 2.0], [0.0, 1.0], ValueError, "same length"),
        ([0.0], [1.0], ValueError, "at least 2 points"),
        ([0.0, np.inf], [1.0, 2.0], ValueError, "^x must hold only finite"),
        ("abc", [1.0, 2.0, 3.0], TypeError, "^x must be an array of real numbers"),
        ([0.0, 1.0], None, TypeError, "^y must be an array of real numbers"),
        (np.zeros((3, 2)), np.zeros(6), ValueError, r"^x must be 1-D"),
        ([1.0 + 2.0j, 0.0], [1.0, 2.0], TypeError, "^x must be an array of real numbers"),
        ([1.0, 1.0, 1.0], [0.0, 1.0, 2.0], ValueError, "two distinct values"),
    ],
)
def test_bad_data_raise_naming_the_argument(x, y, error, match):
    with pytest.raises(error, match=match):
        fit_hinges(x, y, 2)
