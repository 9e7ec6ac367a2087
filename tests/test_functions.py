"""The NumPy activations and their derivatives, checked against PyTorch and against their conventions."""

import math
import pathlib
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import activation_lab as al
from activation_lab import ACTIVATIONS

INF = math.inf
NAN = math.nan
ELEMENTWISE = [name for name, record in ACTIVATIONS.items() if record.elementwise]
DTYPES = [np.float32, np.float64]
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-6}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}


def _heaviside(t, value_at_zero):
    return torch.heaviside(t, torch.tensor(value_at_zero, dtype=t.dtype))


def _prelu(t, weight):
    return F.prelu(t, torch.as_tensor(weight, dtype=t.dtype).reshape(-1))


# The oracle for each record: the torch function with the same name and parameters.
TORCH = {
    "identity": torch.nn.Identity(),
    "step": _heaviside,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "hardtanh": F.hardtanh,
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": F.leaky_relu,
    "prelu": _prelu,
    "elu": F.elu,
    "selu": F.selu,
    "celu": F.celu,
    "gelu": F.gelu,
    "silu": F.silu,
    "softplus": F.softplus,
    "mish": F.mish,
}

CASES = [(name, ACTIVATIONS[name].defaults) for name in ELEMENTWISE] + [
    ("step", {"value_at_zero": 0.5}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"weight": 0.1}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("celu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),
]
# torch.heaviside has no autograd formula, so the step's derivative is checked on its own.
DIFFERENTIABLE = [case for case in CASES if case[0] != "step"]


def case_id(case):
    name, params = case
    return name + "".join(f"-{key}={value}" for key, value in params.items())


# Zeros of both signs, far points, every kink (hardtanh's default and custom bounds,
# relu6's 6) and softplus's switch to x (beta * x == threshold for both parameter sets).
SPECIAL = [0.0, -0.0, 1e4, -1e4, 6.0, -1.0, 1.0, -2.0, 3.0, 2.5, 20.0]
POINTS = np.concatenate([np.random.default_rng(20240601).standard_normal(200) * 5.0, SPECIAL])


def torch_forward(name, x, params):
    with torch.no_grad():
        return TORCH[name](torch.tensor(x), **params).numpy()


def torch_derivative(name, x, params):
    t = torch.tensor(x, requires_grad=True)
    (grad,) = torch.autograd.grad(TORCH[name](t, **params).sum(), t)
    return grad.numpy()


def call_recording_warnings(function, *args, **kwargs):
    """Return the result and the messages of any warnings, floating-point faults included."""
    # Underflow to 0 is the right answer (exp(-1000) is 0), so it is not a fault here.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
            result = function(*args, **kwargs)
    return result, [str(warning.message) for warning in caught]


def test_every_elementwise_record_has_a_torch_oracle():
    assert set(ELEMENTWISE) == set(TORCH)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward_matches_torch(case, dtype):
    name, params = case
    x = POINTS.astype(dtype)
    result = ACTIVATIONS[name].forward(x, **params)
    assert result.dtype == dtype
    np.testing.assert_allclose(result, torch_forward(name, x, params), **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=case_id)
def test_derivative_matches_autograd(case, dtype):
    name, params = case
    x = POINTS.astype(dtype)
    result = ACTIVATIONS[name].derivative(x, **params)
    assert result.dtype == dtype
    np.testing.assert_allclose(result, torch_derivative(name, x, params), **TOLERANCE[dtype])


@pytest.mark.parametrize("value_at_zero", [0.0, 0.5, 1.0])
def test_step_derivative_is_zero_everywhere(value_at_zero):
    assert np.array_equal(al.functions.step_derivative(POINTS, value_at_zero), np.zeros_like(POINTS))


PRELU_WEIGHT = np.array([0.1, 0.5, 2.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_per_channel_matches_torch(dtype):
    x = (np.random.default_rng(1).standard_normal((4, 3, 5)) * 5.0).astype(dtype)
    x[0, :, 0] = 0.0
    weight = torch.tensor(PRELU_WEIGHT, dtype=torch.float64 if dtype == np.float64 else torch.float32)
    t = torch.tensor(x, requires_grad=True)
    expected = F.prelu(t, weight)
    (expected_grad,) = torch.autograd.grad(expected.sum(), t)
    np.testing.assert_allclose(al.functions.prelu(x, PRELU_WEIGHT), expected.detach().numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(al.functions.prelu_derivative(x, PRELU_WEIGHT), expected_grad.numpy(), **TOLERANCE[dtype])


ZERO_KINKS = [
    ("relu", {}, 0.0),
    ("relu6", {}, 0.0),
    ("leaky_relu", {"negative_slope": 0.2}, 0.2),
    ("prelu", {"weight": 0.25}, 0.25),
    ("elu", {"alpha": 2.0}, 2.0),
    ("selu", {}, al.functions.SELU_SCALE * al.functions.SELU_ALPHA),
    ("celu", {"alpha": 2.0}, 1.0),
]
KINKS = [(name, params, zero, slope) for name, params, slope in ZERO_KINKS for zero in (0.0, -0.0)] + [
    ("relu6", {}, 6.0, 0.0),
    ("hardtanh", {}, -1.0, 0.0),
    ("hardtanh", {}, 1.0, 0.0),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}, -2.0, 0.0),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}, 3.0, 0.0),
]


@pytest.mark.parametrize(
    ("name", "params", "kink", "slope"), KINKS, ids=[f"{case_id(kink[:2])}-at-{kink[2]}" for kink in KINKS]
)
def test_derivative_at_a_kink_follows_torch(name, params, kink, slope):
    x = np.array([kink])
    assert ACTIVATIONS[name].derivative(x, **params)[0] == pytest.approx(slope, rel=1e-15)
    assert torch_derivative(name, x, params)[0] == pytest.approx(slope, rel=1e-15)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_nan_propagates_through_forward_and_derivative_without_warnings(case):
    # torch is no oracle here: its relu, elu and hardtanh backward give 1 at NaN, heaviside gives 0.
    name, params = case
    record = ACTIVATIONS[name]
    for function in (record.forward, record.derivative):
        result, warned = call_recording_warnings(function, np.array([NAN, 0.5, -0.5]), **params)
        assert np.isnan(result[0]), function.__name__
        assert not np.isnan(result[1:]).any(), function.__name__
        assert warned == [], f"{function.__name__} warns on NaN input"


def test_nan_propagates_through_softmax_and_its_jacobian_without_warnings():
    for function in (al.functions.softmax, al.functions.softmax_jacobian):
        result, warned = call_recording_warnings(function, np.array([[NAN, 1.0], [1.0, 2.0]]))
        assert np.isnan(result[0]).all() and not np.isnan(result[1]).any(), function.__name__
        assert warned == [], f"{function.__name__} warns on NaN input"


S_A = al.functions.SELU_SCALE * al.functions.SELU_ALPHA
# (name, params, f(-inf), f(+inf), f'(-inf), f'(+inf)): the mathematical limits.
LIMITS = [
    ("identity", {}, -INF, INF, 1.0, 1.0),
    ("step", {"value_at_zero": 0.5}, 0.0, 1.0, 0.0, 0.0),
    ("sigmoid", {}, 0.0, 1.0, 0.0, 0.0),
    ("tanh", {}, -1.0, 1.0, 0.0, 0.0),
    ("hardtanh", {}, -1.0, 1.0, 0.0, 0.0),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}, -2.0, 3.0, 0.0, 0.0),
    ("relu", {}, 0.0, INF, 0.0, 1.0),
    ("relu6", {}, 0.0, 6.0, 0.0, 0.0),
    ("leaky_relu", {"negative_slope": 0.2}, -INF, INF, 0.2, 1.0),
    # A slope of 0 is inside the registry's range [0, 1]; the limit is then relu's.
    ("leaky_relu", {"negative_slope": 0.0}, 0.0, INF, 0.0, 1.0),
    ("prelu", {"weight": 0.25}, -INF, INF, 0.25, 1.0),
    ("prelu", {"weight": 0.0}, 0.0, INF, 0.0, 1.0),
    ("elu", {"alpha": 1.0}, -1.0, INF, 0.0, 1.0),
    ("elu", {"alpha": 2.0}, -2.0, INF, 0.0, 1.0),
    ("selu", {}, -S_A, INF, 0.0, al.functions.SELU_SCALE),
    ("celu", {"alpha": 0.5}, -0.5, INF, 0.0, 1.0),
    ("gelu", {"approximate": "none"}, 0.0, INF, 0.0, 1.0),
    ("gelu", {"approximate": "tanh"}, 0.0, INF, 0.0, 1.0),
    ("silu", {}, 0.0, INF, 0.0, 1.0),
    ("softplus", {}, 0.0, INF, 0.0, 1.0),
    ("softplus", {"beta": 2.0, "threshold": 5.0}, 0.0, INF, 0.0, 1.0),
    ("mish", {}, 0.0, INF, 0.0, 1.0),
]


def test_every_elementwise_record_has_its_limits_listed():
    assert {row[0] for row in LIMITS} == set(ELEMENTWISE)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("name", "params", "low", "high", "slope_low", "slope_high"), LIMITS, ids=[case_id(row[:2]) for row in LIMITS]
)
def test_infinities_give_the_limits_without_warnings(name, params, low, high, slope_low, slope_high, dtype):
    # torch gives NaN for gelu, silu and mish at -inf (-inf * 0) and for their gradients at both ends.
    record = ACTIVATIONS[name]
    x = np.array([-INF, INF], dtype=dtype)
    for function, expected in [(record.forward, [low, high]), (record.derivative, [slope_low, slope_high])]:
        result, warned = call_recording_warnings(function, x, **params)
        np.testing.assert_allclose(result, expected, rtol=1e-7, atol=0, err_msg=function.__name__)
        assert warned == [], f"{function.__name__} warns at an infinity"


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=case_id)
def test_infinities_agree_with_torch_wherever_torch_gives_a_number(case):
    name, params = case
    x = np.array([-INF, INF])
    record = ACTIVATIONS[name]
    for ours, theirs in [
        (record.forward(x, **params), torch_forward(name, x, params)),
        (record.derivative(x, **params), torch_derivative(name, x, params)),
    ]:
        known = ~np.isnan(theirs)
        np.testing.assert_array_equal(ours[known], theirs[known])


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_saturates_exactly_without_warnings(dtype):
    x = np.array([-1000.0, 1000.0], dtype=dtype)
    for function, expected in [(al.functions.sigmoid, [0.0, 1.0]), (al.functions.sigmoid_derivative, [0.0, 0.0])]:
        result, warned = call_recording_warnings(function, x)
        assert result.tolist() == expected
        assert warned == []


FUNCTIONS = [
    pytest.param(getattr(ACTIVATIONS[name], role), ACTIVATIONS[name].defaults, id=f"{name}.{role}")
    for name in ACTIVATIONS
    for role in ("forward", "derivative")
]
ELEMENTWISE_FUNCTIONS = [param for param in FUNCTIONS if param.id.split(".")[0] in ELEMENTWISE]


@pytest.mark.parametrize(("function", "params"), ELEMENTWISE_FUNCTIONS)
def test_floating_dtype_is_kept(function, params):
    for dtype in (np.float16, np.float32, np.float64):
        assert function(np.array([-1.5, 0.0, 2.0], dtype=dtype), **params).dtype == dtype


@pytest.mark.parametrize(("function", "params"), FUNCTIONS)
def test_integer_and_bool_input_gives_float64(function, params):
    for x in ([-2, 0, 3], [True, False, True], np.array([1, 2], dtype=np.int8)):
        assert function(x, **params).dtype == np.float64, x


@pytest.mark.parametrize(("function", "params"), ELEMENTWISE_FUNCTIONS)
def test_scalar_input_gives_a_0d_array(function, params):
    scalars = [(2, np.float64), (-1.5, np.float64), (True, np.float64), (np.float32(0.5), np.float32)]
    for x, dtype in [*scalars, (np.array(3.0), np.float64), (np.array(3.0, dtype=np.float32), np.float32)]:
        result = function(x, **params)
        assert (result.shape, result.dtype) == ((), dtype), repr(x)


@pytest.mark.parametrize(("function", "params"), ELEMENTWISE_FUNCTIONS)
def test_shape_is_kept(function, params):
    for shape in [(0,), (7,), (2, 3, 4)]:
        assert function(np.ones(shape), **params).shape == shape


@pytest.mark.parametrize(("function", "params"), FUNCTIONS)
def test_input_is_neither_modified_nor_shared(function, params):
    for dtype in DTYPES:
        x = np.random.default_rng(2).normal(size=(3, 4)).astype(dtype)
        x[0, 0] = 0.0
        original = x.copy()
        result = function(x, **params)
        np.testing.assert_array_equal(x, original)
        assert not np.shares_memory(result, x)


# Softmax


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("shape", "dim"), [(shape, dim) for shape in [(3, 5), (2, 3, 4)] for dim in (0, 1, -1)])
def test_softmax_matches_torch_and_sums_to_one(shape, dim, dtype):
    x = (np.random.default_rng(3).standard_normal(shape) * 5.0).astype(dtype)
    result = al.functions.softmax(x, dim=dim)
    assert result.dtype == dtype
    assert result.shape == shape
    np.testing.assert_allclose(result, F.softmax(torch.tensor(x), dim=dim).numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(result.sum(axis=dim), 1.0, rtol=TOLERANCE[dtype]["rtol"])


def test_softmax_ignores_a_constant_shift_and_does_not_overflow():
    x = np.array([1.0, -2.0, 0.5, 3.0])
    shifted, warned = call_recording_warnings(al.functions.softmax, x + 1000.0)
    assert warned == []
    np.testing.assert_allclose(shifted, al.functions.softmax(x), rtol=1e-12)
    np.testing.assert_allclose(al.functions.softmax(x - 1000.0), al.functions.softmax(x), rtol=1e-12)
    assert al.functions.softmax([1000.0, 1000.0]).tolist() == [0.5, 0.5]


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_jacobian_matches_autograd(dtype):
    x = (np.random.default_rng(4).standard_normal(5) * 3.0).astype(dtype)
    expected = torch.autograd.functional.jacobian(lambda t: F.softmax(t, dim=0), torch.tensor(x))
    result = al.functions.softmax_jacobian(x)
    assert result.shape == (5, 5)
    assert result.dtype == dtype
    np.testing.assert_allclose(result, expected.numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(result.sum(axis=1), 0.0, atol=TOLERANCE[dtype]["atol"])


def test_softmax_jacobian_of_a_batch_has_one_matrix_per_row():
    x = np.random.default_rng(5).standard_normal((2, 4))
    result = al.functions.softmax_jacobian(x)
    assert result.shape == (2, 4, 4)
    for row, matrix in zip(x, result):
        expected = torch.autograd.functional.jacobian(lambda t: F.softmax(t, dim=0), torch.tensor(row))
        np.testing.assert_allclose(matrix, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_softmax_jacobian_along_dim_0_moves_that_dim_last():
    x = np.random.default_rng(6).standard_normal((4, 2))
    np.testing.assert_allclose(al.functions.softmax_jacobian(x, dim=0), al.functions.softmax_jacobian(x.T), rtol=1e-15)


# Derivatives checked independently of their formulas


GRID = np.arange(-7.95, 8.0, 0.1)  # 0.05 away from every kink, and every kink is an integer
H = 1e-6


def central_difference(function, x, **params):
    return (function(x + H, **params) - function(x - H, **params)) / (2 * H)


def test_sigmoid_derivative_is_s_times_one_minus_s():
    s = al.functions.sigmoid(GRID)
    np.testing.assert_allclose(al.functions.sigmoid_derivative(GRID), s * (1 - s), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        al.functions.sigmoid_derivative(GRID), central_difference(al.functions.sigmoid, GRID), rtol=1e-7, atol=1e-9
    )


def test_tanh_derivative_is_one_minus_tanh_squared():
    t = al.functions.tanh(GRID)
    np.testing.assert_allclose(al.functions.tanh_derivative(GRID), 1 - t**2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(al.functions.tanh_derivative(GRID), central_difference(al.functions.tanh, GRID), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_derivative_matches_central_difference(case):
    name, params = case
    record = ACTIVATIONS[name]
    np.testing.assert_allclose(
        record.derivative(GRID, **params), central_difference(record.forward, GRID, **params), rtol=1e-6, atol=1e-8
    )


# Bad input

BAD_X = ["1.0", None, b"1", np.array([1.0 + 2.0j]), np.array([1, "a"], dtype=object), [[1.0, 2.0], [3.0]]]


@pytest.mark.parametrize(("function", "params"), FUNCTIONS)
def test_bad_input_raises_type_error_naming_x(function, params):
    for x in BAD_X:
        with pytest.raises(TypeError, match=r"^x must"):
            function(x, **params)


X3 = np.linspace(-2.0, 2.0, 60).reshape(4, 3, 5)
BAD_PARAMETERS = [
    ("leaky_relu", X3, {"negative_slope": "0.1"}, TypeError, "negative_slope"),
    ("leaky_relu", X3, {"negative_slope": True}, TypeError, "negative_slope"),
    ("elu", X3, {"alpha": None}, TypeError, "alpha"),
    ("celu", X3, {"alpha": None}, TypeError, "alpha"),
    ("step", X3, {"value_at_zero": "half"}, TypeError, "value_at_zero"),
    ("softmax", X3, {"dim": 1.0}, TypeError, "dim"),
    ("softplus", X3, {"beta": -1.0}, ValueError, "beta"),
    ("softplus", X3, {"beta": 0}, ValueError, "beta"),
    ("softplus", X3, {"threshold": INF}, ValueError, "threshold"),
    ("gelu", X3, {"approximate": "fast"}, ValueError, "approximate"),
    ("celu", X3, {"alpha": 0.0}, ValueError, "alpha"),
    ("elu", X3, {"alpha": NAN}, ValueError, "alpha"),
    ("leaky_relu", X3, {"negative_slope": -INF}, ValueError, "negative_slope"),
    ("hardtanh", X3, {"min_val": 1.0, "max_val": 1.0}, ValueError, "min_val"),
    ("hardtanh", X3, {"min_val": 2.0, "max_val": -2.0}, ValueError, "min_val"),
    ("hardtanh", X3, {"max_val": NAN}, ValueError, "max_val"),
    ("softmax", X3, {"dim": 3}, ValueError, "dim"),
    ("softmax", X3, {"dim": -4}, ValueError, "dim"),
    ("softmax", np.float64(1.0), {}, ValueError, "x"),
    ("softmax", 1.0, {}, ValueError, "x"),
    ("prelu", X3, {"weight": [0.1, 0.2]}, ValueError, "weight"),
    ("prelu", X3, {"weight": [[0.1, 0.2, 0.3]]}, ValueError, "weight"),
    ("prelu", X3[0, 0], {"weight": [0.1, 0.2, 0.3]}, ValueError, "weight"),
    ("prelu", X3, {"weight": None}, TypeError, "weight"),
    ("prelu", X3, {"weight": "0.25"}, TypeError, "weight"),
]


@pytest.mark.parametrize(("name", "x", "params", "error", "argument"), BAD_PARAMETERS)
def test_bad_parameter_raises_naming_it(name, x, params, error, argument):
    record = ACTIVATIONS[name]
    for function in (record.forward, record.derivative):
        with pytest.raises(error, match=rf"\b{argument}\b"):
            function(x, **{**record.defaults, **params})


# Properties

FLOAT_ARRAYS = hnp.arrays(
    np.float64, hnp.array_shapes(max_dims=1, min_side=1, max_side=40), elements=st.floats(-50.0, 50.0)
)


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=60, deadline=None)
@given(x=FLOAT_ARRAYS)
def test_output_stays_in_range_and_keeps_order_where_monotonic(name, x):
    record = ACTIVATIONS[name]
    low, high = record.output_range
    x = np.sort(x)
    y = record.forward(x, **record.defaults)
    assert (y >= low - 1e-12).all() and (y <= high + 1e-12).all()
    if record.monotonic:
        assert (np.diff(y) >= 0).all()
        assert (record.derivative(x, **record.defaults) >= 0).all()


# The package's source


PACKAGE = pathlib.Path(al.__file__).parent


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_source_compiles_without_escape_sequence_warnings(path):
    # A backslash in a non-raw docstring (like "x\,\Phi") warns today and is slated to become an error.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
