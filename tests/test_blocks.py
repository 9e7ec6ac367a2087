"""Gated units, maxout and squared ReLU (NumPy functions and torch modules) and the feed-forward blocks built on them."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import activation_lab as al
from activation_lab import blocks, functions
from activation_lab.torch_activations import GeGLU, Maxout, ReGLU, SquaredReLU, SwiGLU

GATED = ["glu", "reglu", "geglu", "swiglu"]
GATE_FUNCTION = {"glu": torch.sigmoid, "reglu": F.relu, "geglu": F.gelu, "swiglu": F.silu}
DTYPES = [np.float32, np.float64]
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-6}, np.float64: {"rtol": 1e-12, "atol": 1e-14}}


def torch_gated(name, t, dim=-1):
    value, gate = t.chunk(2, dim=dim)
    return value * GATE_FUNCTION[name](gate)


def torch_maxout(t, pieces, dim=-1):
    return t.unflatten(dim, (-1, pieces)).amax(dim=dim if dim < 0 else dim + 1)


def value_and_gradient(function, x):
    t = torch.tensor(x, requires_grad=True)
    out = function(t)
    (gradient,) = torch.autograd.grad(out.sum(), t)
    return out.detach().numpy(), gradient.numpy()


# Values by hand


def test_gated_units_by_hand():
    x = np.array([[2.0, 3.0, 0.0, -1.0]])  # values (2, 3), gates (0, -1)
    sigmoid_minus_one = 1.0 / (1.0 + math.e)
    np.testing.assert_allclose(functions.glu(x), [[1.0, 3.0 * sigmoid_minus_one]], rtol=1e-15)
    np.testing.assert_array_equal(functions.reglu(x), [[0.0, 0.0]])
    np.testing.assert_allclose(functions.swiglu(x), [[0.0, -3.0 * sigmoid_minus_one]], rtol=1e-15)
    np.testing.assert_allclose(functions.geglu([1.0, 2.0]), [2.0 * 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))],
                               rtol=1e-15)


def test_gated_derivatives_by_hand():
    # d(u f(z))/du = f(z), d(u f(z))/dz = u f'(z); for ReGLU at u = 3, z = 2: (2, 3).
    np.testing.assert_array_equal(functions.reglu_derivative([3.0, 2.0]), [2.0, 3.0])
    np.testing.assert_array_equal(functions.reglu_derivative([3.0, -2.0]), [0.0, 0.0])
    np.testing.assert_allclose(functions.glu_derivative([4.0, 0.0]), [0.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(functions.swiglu_derivative([2.0, 0.0]), [0.0, 1.0], rtol=1e-15)


def test_maxout_by_hand_and_ties_share_the_gradient():
    np.testing.assert_array_equal(functions.maxout([[1.0, -2.0, 5.0, 7.0, 7.0, 0.0]], pieces=3), [[5.0, 7.0]])
    np.testing.assert_array_equal(functions.maxout_derivative([1.0, 1.0, 2.0, -1.0]), [0.5, 0.5, 1.0, 0.0])


def test_squared_relu_by_hand():
    np.testing.assert_array_equal(functions.squared_relu([-3.0, 0.0, 0.5, 4.0]), [0.0, 0.0, 0.25, 16.0])
    np.testing.assert_array_equal(functions.squared_relu_derivative([-3.0, 0.0, 0.5, 4.0]), [0.0, 0.0, 1.0, 8.0])


# Against torch and autograd


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [-1, 0, 1])
@pytest.mark.parametrize("name", GATED)
def test_gated_functions_match_torch_and_autograd(name, dim, dtype):
    x = (np.random.default_rng(0).standard_normal((4, 6)) * 3.0).astype(dtype)
    expected, gradient = value_and_gradient(lambda t: torch_gated(name, t, dim), x)
    forward, derivative = getattr(functions, name), getattr(functions, f"{name}_derivative")
    result = forward(x, dim=dim)
    assert result.dtype == dtype and result.shape == expected.shape
    np.testing.assert_allclose(result, expected, **TOLERANCE[dtype])
    np.testing.assert_allclose(derivative(x, dim=dim), gradient, **TOLERANCE[dtype])


def test_geglu_tanh_approximation_matches_torch():
    x = np.random.default_rng(1).standard_normal((3, 8)) * 3.0
    value, gate = torch.tensor(x).chunk(2, dim=-1)
    expected = (value * F.gelu(gate, approximate="tanh")).numpy()
    np.testing.assert_allclose(functions.geglu(x, approximate="tanh"), expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("pieces", "dim"), [(2, -1), (3, -1), (2, 0), (4, 1)])
def test_maxout_matches_torch_and_autograd(pieces, dim, dtype):
    x = (np.random.default_rng(2).standard_normal((4, 12)) * 3.0).astype(dtype)
    expected, gradient = value_and_gradient(lambda t: torch_maxout(t, pieces, dim), x)
    np.testing.assert_allclose(functions.maxout(x, pieces, dim), expected, **TOLERANCE[dtype])
    np.testing.assert_allclose(functions.maxout_derivative(x, pieces, dim), gradient, **TOLERANCE[dtype])


def test_maxout_derivative_with_ties_matches_autograd():
    x = np.array([[1.0, 1.0, 2.0, 2.0, 2.0, 0.0]])
    _, gradient = value_and_gradient(lambda t: torch_maxout(t, 3), x)
    np.testing.assert_allclose(functions.maxout_derivative(x, pieces=3), gradient, rtol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
def test_squared_relu_matches_torch_and_autograd(dtype):
    x = (np.random.default_rng(3).standard_normal(50) * 4.0).astype(dtype)
    x[0] = 0.0
    expected, gradient = value_and_gradient(lambda t: torch.square(F.relu(t)), x)
    np.testing.assert_allclose(functions.squared_relu(x), expected, **TOLERANCE[dtype])
    np.testing.assert_allclose(functions.squared_relu_derivative(x), gradient, **TOLERANCE[dtype])


@pytest.mark.parametrize(("name", "module"), [("reglu", ReGLU()), ("geglu", GeGLU()), ("swiglu", SwiGLU()),
                                              ("glu", nn.GLU()), ("maxout", Maxout(2)),
                                              ("squared_relu", SquaredReLU())])
def test_modules_compute_the_registry_forward(name, module):
    x = np.random.default_rng(4).standard_normal((3, 8)) * 3.0
    with torch.no_grad():
        expected = module(torch.tensor(x)).numpy()
    np.testing.assert_allclose(al.get_activation(name).forward(x), expected, rtol=1e-12, atol=1e-14)


def test_registry_records_of_the_new_activations():
    for name in GATED + ["maxout"]:
        assert not al.ACTIVATIONS[name].elementwise
    assert al.ACTIVATIONS["squared_relu"].elementwise and al.ACTIVATIONS["squared_relu"].can_die
    assert al.ACTIVATIONS["maxout"].piecewise_linear and al.ACTIVATIONS["maxout"].defaults == {"pieces": 2}
    assert al.get_activation("geglu").module(approximate="tanh").approximate == "tanh"
    assert SquaredReLU in al.registry.ACTIVATION_TYPES


# Edge cases: zeros, infinities, NaN


def test_gated_units_at_zero_and_infinities():
    # A shut gate gives 0 even for an infinite value; an open one passes it.
    assert functions.reglu([np.inf, -1.0]).tolist() == [0.0]
    assert functions.reglu([-np.inf, 2.0]).tolist() == [-np.inf]
    assert functions.glu([np.inf, -np.inf]).tolist() == [0.0]
    assert functions.glu([3.0, np.inf]).tolist() == [3.0]
    assert functions.swiglu([2.0, np.inf]).tolist() == [np.inf]
    assert functions.reglu_derivative([np.inf, -1.0]).tolist() == [0.0, 0.0]
    assert functions.glu([0.0, 0.0]).tolist() == [0.0]
    assert functions.swiglu_derivative([-0.0, 0.0]).tolist() == [0.0, 0.0]


def test_nan_in_either_half_gives_nan_without_warnings():
    with np.errstate(all="raise"):
        for name in GATED:
            assert np.isnan(getattr(functions, name)([np.nan, 1.0])).all()
            assert np.isnan(getattr(functions, name)([1.0, np.nan])).all()
            assert np.isnan(getattr(functions, f"{name}_derivative")([1.0, np.nan])).all()
        assert np.isnan(functions.maxout([np.nan, 1.0, 2.0, 3.0])).tolist() == [True, False]
        assert np.isnan(functions.maxout_derivative([np.nan, 1.0, 2.0, 3.0])).tolist() == [True, True, False, False]


def test_maxout_and_squared_relu_at_infinities():
    assert functions.maxout([-np.inf, -np.inf]).tolist() == [-np.inf]
    assert functions.maxout_derivative([-np.inf, -np.inf]).tolist() == [0.5, 0.5]
    assert functions.squared_relu([-np.inf, np.inf]).tolist() == [0.0, np.inf]
    assert functions.squared_relu_derivative([-np.inf, np.inf]).tolist() == [0.0, np.inf]


def test_float32_is_kept_and_integers_become_float64():
    for function in (functions.glu, functions.reglu, functions.swiglu, functions.geglu, functions.maxout,
                     functions.glu_derivative, functions.maxout_derivative):
        assert function(np.ones(4, dtype=np.float32)).dtype == np.float32
        assert function([1, 2, 3, 4]).dtype == np.float64
    with np.errstate(over="raise"):
        assert functions.squared_relu(np.array([1e30], dtype=np.float32)).tolist() == [np.inf]


def test_input_is_not_modified():
    x = np.random.default_rng(5).standard_normal((2, 6))
    original = x.copy()
    for function in (functions.glu, functions.swiglu_derivative, functions.maxout, functions.maxout_derivative):
        result = function(x)
        np.testing.assert_array_equal(x, original)
        assert not np.shares_memory(result, x)


# Bad input


@pytest.mark.parametrize("function", [functions.glu, functions.reglu, functions.geglu, functions.swiglu,
                                      functions.glu_derivative, functions.swiglu_derivative])
def test_gated_bad_input_names_the_argument(function):
    with pytest.raises(TypeError, match=r"^x must"):
        function("1.0")
    with pytest.raises(ValueError, match=r"^x must have an even size"):
        function([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^x must have at least one dimension"):
        function(1.0)
    with pytest.raises(TypeError, match=r"^dim must be an int"):
        function([1.0, 2.0], dim=0.5)
    with pytest.raises(ValueError, match=r"^dim must be in"):
        function([1.0, 2.0], dim=1)


def test_geglu_rejects_an_unknown_approximation():
    with pytest.raises(ValueError, match="approximate"):
        functions.geglu([1.0, 2.0], approximate="fast")


def test_maxout_bad_input_names_the_argument():
    with pytest.raises(ValueError, match=r"^x must have a size divisible by pieces=3"):
        functions.maxout([1.0, 2.0, 3.0, 4.0], pieces=3)
    with pytest.raises(TypeError, match=r"^pieces must be an int"):
        functions.maxout([1.0, 2.0], pieces=2.0)
    with pytest.raises(ValueError, match=r"^pieces must be at least 1"):
        functions.maxout([1.0, 2.0], pieces=0)
    with pytest.raises(TypeError, match=r"^pieces"):
        Maxout(pieces="2")
    with pytest.raises(ValueError, match=r"^x must have a size divisible"):
        Maxout(pieces=3)(torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r"^x must have an even size"):
        SwiGLU()(torch.zeros(2, 3))
    with pytest.raises(TypeError, match=r"^dim"):
        ReGLU(dim=None)
    with pytest.raises(ValueError, match="approximate"):
        GeGLU(approximate="fast")


# Maxout represents ReLU, leaky ReLU and |z| exactly


@pytest.mark.parametrize(("slopes", "reference"), [
    ((1.0, 0.0), functions.relu),
    ((1.0, 0.2), lambda z: functions.leaky_relu(z, 0.2)),
    ((1.0, -1.0), np.abs),
])
def test_maxout_of_two_lines_through_the_origin_is_relu_leaky_relu_or_abs(slopes, reference):
    z = np.linspace(-5.0, 5.0, 1001)
    pieces = np.stack([slopes[0] * z, slopes[1] * z], axis=-1).reshape(-1)
    np.testing.assert_array_equal(functions.maxout(pieces), reference(z))


# The feed-forward block


@pytest.mark.parametrize("name", ["relu", "gelu", "silu", "squared_relu", "glu", "reglu", "geglu", "swiglu"])
def test_feed_forward_parameters_match_the_formula(name):
    block = blocks.FeedForward(12, blocks.matched_hidden(36, name), name)
    counted = sum(p.numel() for p in block.parameters())
    assert counted == blocks.feed_forward_parameters(12, blocks.matched_hidden(36, name), name) == 2 * 12 * 36


def test_feed_forward_with_bias_and_maxout_count_their_parameters():
    for name, params in [("relu", {}), ("swiglu", {}), ("maxout", {"pieces": 3})]:
        block = blocks.FeedForward(10, 7, name, bias=True, **params)
        assert sum(p.numel() for p in block.parameters()) == blocks.feed_forward_parameters(10, 7, name, bias=True,
                                                                                            **params)


def test_matched_hidden_is_two_thirds_for_a_gated_unit():
    assert blocks.matched_hidden(96, "relu") == 96
    assert blocks.matched_hidden(96, "swiglu") == 64
    assert blocks.matched_hidden(90, "maxout", pieces=2) == 60
    assert blocks.matched_hidden(90, "maxout", pieces=4) == 36


def test_feed_forward_computes_w2_f_w1_x():
    torch.manual_seed(0)
    block = blocks.FeedForward(5, 4, "swiglu").double()
    x = torch.randn(3, 5, dtype=torch.float64)
    up = x @ block.up.weight.T
    expected = (up[:, :4] * F.silu(up[:, 4:])) @ block.down.weight.T
    torch.testing.assert_close(block(x), expected, rtol=1e-12, atol=1e-14)
    assert block.hidden_units(x).shape == (3, 4)


def test_inputs_per_output():
    assert blocks.inputs_per_output(nn.Tanh()) == 1
    assert blocks.inputs_per_output(nn.GLU()) == 2
    assert blocks.inputs_per_output(GeGLU()) == 2
    assert blocks.inputs_per_output(Maxout(5)) == 5
    with pytest.raises(TypeError, match="activation"):
        blocks.inputs_per_output("relu")


def test_feed_forward_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="d_model"):
        blocks.FeedForward(0, 4)
    with pytest.raises(TypeError, match="hidden"):
        blocks.FeedForward(4, 2.5)
    with pytest.raises(TypeError, match="bias"):
        blocks.FeedForward(4, 4, bias=1)
    with pytest.raises(ValueError, match="unknown activation"):
        blocks.FeedForward(4, 4, "rleu")
    with pytest.raises(TypeError, match="activation"):
        blocks.FeedForward(4, 4, nn.ReLU)


# Maxout networks


def test_maxout_mlp_shapes_parameters_and_seed():
    model = blocks.make_maxout_mlp([64, 32, 32, 10], pieces=3, seed=1)
    assert [tuple(m.weight.shape) for m in model if isinstance(m, nn.Linear)] == [(96, 64), (96, 32), (10, 32)]
    assert model(torch.zeros(5, 64)).shape == (5, 10)
    again = blocks.make_maxout_mlp([64, 32, 32, 10], pieces=3, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), again.parameters()))
    assert next(model.parameters()).dtype == torch.float64
    assert next(blocks.make_maxout_mlp([2, 2], dtype=torch.float32).parameters()).dtype == torch.float32


def test_maxout_mlp_rejects_bad_widths():
    with pytest.raises(ValueError, match="widths"):
        blocks.make_maxout_mlp([4])
    with pytest.raises(TypeError, match="widths"):
        blocks.make_maxout_mlp("4,2")
    with pytest.raises(ValueError, match="pieces"):
        blocks.make_maxout_mlp([4, 2], pieces=0)
