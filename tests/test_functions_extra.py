"""swish (with beta) and hardswish, checked against PyTorch, autograd and their closed forms."""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import lambertw

import activation_lab as al

INF = math.inf
NAN = math.nan
DTYPES = [np.float32, np.float64]
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-6}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
BETAS = [0.0, 0.5, 1.0, 2.0, 10.0]
# Zeros of both signs, hard-swish's kinks and points just beside them, far points.
SPECIAL = [0.0, -0.0, 3.0, -3.0, 2.999, 3.001, -2.999, -3.001, 1e4, -1e4, -1.5]
POINTS = np.concatenate([np.random.default_rng(7).standard_normal(200) * 5.0, SPECIAL])
W = float(lambertw(1.0 / math.e).real)  # W(1/e) = 0.2784645...


def torch_swish(t, beta):
    return t * torch.sigmoid(beta * t)


def through_torch(function, x, **params):
    t = torch.tensor(x, requires_grad=True)
    y = function(t, **params)
    (grad,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), grad.numpy()


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
            result = function(*args, **kwargs)
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("beta", BETAS)
def test_swish_and_its_derivative_match_torch(beta, dtype):
    x = POINTS.astype(dtype)
    expected, expected_grad = through_torch(torch_swish, x, beta=beta)
    result, slope = al.functions.swish(x, beta), al.functions.swish_derivative(x, beta)
    assert result.dtype == dtype and slope.dtype == dtype
    np.testing.assert_allclose(result, expected, **TOLERANCE[dtype])
    np.testing.assert_allclose(slope, expected_grad, **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_hardswish_and_its_derivative_match_torch(dtype):
    x = POINTS.astype(dtype)
    expected, expected_grad = through_torch(F.hardswish, x)
    result, slope = al.functions.hardswish(x), al.functions.hardswish_derivative(x)
    assert result.dtype == dtype and slope.dtype == dtype
    np.testing.assert_allclose(result, expected, **TOLERANCE[dtype])
    np.testing.assert_allclose(slope, expected_grad, **TOLERANCE[dtype])


@pytest.mark.parametrize(("kink", "slope"), [(-3.0, 0.0), (3.0, 1.0), (0.0, 0.5), (-0.0, 0.5)])
def test_hardswish_derivative_at_the_kinks_follows_torch(kink, slope):
    assert al.functions.hardswish_derivative(np.array([kink]))[0] == slope
    assert through_torch(F.hardswish, np.array([kink]))[1][0] == slope


def test_swish_with_beta_one_is_silu():
    np.testing.assert_allclose(al.functions.swish(POINTS, 1.0), al.functions.silu(POINTS), rtol=1e-15, atol=0)
    np.testing.assert_allclose(al.functions.swish_derivative(POINTS, 1.0), al.functions.silu_derivative(POINTS), rtol=1e-15, atol=0)


def test_swish_with_beta_zero_is_half_the_identity():
    np.testing.assert_array_equal(al.functions.swish(POINTS, 0.0), POINTS / 2)
    np.testing.assert_array_equal(al.functions.swish_derivative(POINTS, 0.0), np.full_like(POINTS, 0.5))


@pytest.mark.parametrize("beta", [0.5, 1.0, 4.0, 50.0])
def test_swish_minimum_is_minus_lambert_w_over_beta(beta):
    # f'(x) = 0 gives x = -(1 + W(1/e)) / beta and f = -W(1/e) / beta (chapter 5, exercise).
    x_star = -(1.0 + W) / beta
    assert al.functions.swish_derivative(np.array(x_star), beta) == pytest.approx(0.0, abs=1e-12)
    assert al.functions.swish(np.array(x_star), beta) == pytest.approx(-W / beta, rel=1e-12)
    grid = np.linspace(-10.0 / beta, 0.0, 200_001)
    assert al.functions.swish(grid, beta).min() == pytest.approx(-W / beta, rel=1e-8)


@pytest.mark.parametrize("beta", [1.0, 10.0, 100.0])
def test_swish_approaches_relu_with_a_gap_of_w_over_beta(beta):
    grid = np.linspace(-20.0, 20.0, 400_001)
    gap = np.abs(al.functions.swish(grid, beta) - al.functions.relu(grid)).max()
    assert gap == pytest.approx(W / beta, rel=1e-6)


def test_hardswish_is_zero_below_minus_three_and_the_identity_above_three():
    x = np.array([-100.0, -3.5, -3.0, 3.0, 3.5, 100.0])
    np.testing.assert_array_equal(al.functions.hardswish(x), [0.0, 0.0, 0.0, 3.0, 3.5, 100.0])


def test_hardswish_minimum_is_minus_three_eighths_at_minus_one_and_a_half():
    grid = np.linspace(-3.0, 0.0, 300_001)
    values = al.functions.hardswish(grid)
    assert values.min() == pytest.approx(-0.375, rel=1e-12)
    assert grid[values.argmin()] == pytest.approx(-1.5, abs=1e-5)


GRID = np.arange(-7.95, 8.0, 0.1)  # 0.05 away from every kink


@pytest.mark.parametrize(("function", "derivative", "params"), [
    (al.functions.swish, al.functions.swish_derivative, {"beta": 0.7}),
    (al.functions.swish, al.functions.swish_derivative, {"beta": 3.0}),
    (al.functions.hardswish, al.functions.hardswish_derivative, {}),
])
def test_derivative_matches_central_difference(function, derivative, params):
    h = 1e-6
    numeric = (function(GRID + h, **params) - function(GRID - h, **params)) / (2 * h)
    np.testing.assert_allclose(derivative(GRID, **params), numeric, rtol=1e-6, atol=1e-8)


# (function, params, f(-inf), f(+inf)): the mathematical limits, with no warnings.
LIMITS = [
    (al.functions.swish, {"beta": 1.0}, 0.0, INF),
    (al.functions.swish, {"beta": 0.0}, -INF, INF),
    (al.functions.swish, {"beta": 10.0}, 0.0, INF),
    (al.functions.swish_derivative, {"beta": 1.0}, 0.0, 1.0),
    (al.functions.swish_derivative, {"beta": 0.0}, 0.5, 0.5),
    (al.functions.hardswish, {}, 0.0, INF),
    (al.functions.hardswish_derivative, {}, 0.0, 1.0),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("function", "params", "low", "high"), LIMITS)
def test_infinities_give_the_limits_without_warnings(function, params, low, high, dtype):
    result, warned = quietly(function, np.array([-INF, INF], dtype=dtype), **params)
    assert result.tolist() == [low, high]
    assert warned == []


FUNCTIONS = [
    (al.functions.swish, {"beta": 1.0}), (al.functions.swish, {"beta": 0.0}), (al.functions.swish_derivative, {"beta": 2.0}),
    (al.functions.swish_derivative, {"beta": 0.0}), (al.functions.hardswish, {}), (al.functions.hardswish_derivative, {}),
]
IDS = [f"{f.__name__}-{p}" for f, p in FUNCTIONS]


@pytest.mark.parametrize(("function", "params"), FUNCTIONS, ids=IDS)
def test_nan_propagates_without_warnings(function, params):
    result, warned = quietly(function, np.array([NAN, 0.5, -0.5, -4.0]), **params)
    assert np.isnan(result[0]) and not np.isnan(result[1:]).any()
    assert warned == []


@pytest.mark.parametrize(("function", "params"), FUNCTIONS, ids=IDS)
def test_dtype_shape_and_input_are_kept(function, params):
    for dtype in (np.float16, np.float32, np.float64):
        assert function(np.array([-1.5, 0.0, 2.0], dtype=dtype), **params).dtype == dtype
    assert function([1, 2, 3], **params).dtype == np.float64
    assert function(True, **params).shape == ()
    for shape in [(0,), (2, 3, 4)]:
        assert function(np.ones(shape), **params).shape == shape
    x = np.random.default_rng(1).normal(size=(3, 4))
    original = x.copy()
    result = function(x, **params)
    np.testing.assert_array_equal(x, original)
    assert not np.shares_memory(result, x)


BAD_X = ["1.0", None, b"1", np.array([1.0 + 2.0j]), np.array([1, "a"], dtype=object), [[1.0, 2.0], [3.0]]]


@pytest.mark.parametrize(("function", "params"), FUNCTIONS, ids=IDS)
def test_bad_input_raises_type_error_naming_x(function, params):
    for x in BAD_X:
        with pytest.raises(TypeError, match=r"^x must"):
            function(x, **params)


@pytest.mark.parametrize("function", [al.functions.swish, al.functions.swish_derivative])
@pytest.mark.parametrize(("beta", "error"), [("1", TypeError), (True, TypeError), (None, TypeError),
                                             (-0.5, ValueError), (NAN, ValueError), (INF, ValueError)])
def test_bad_beta_raises_naming_it(function, beta, error):
    with pytest.raises(error, match=r"\bbeta\b"):
        function(np.array([1.0, -1.0]), beta)
