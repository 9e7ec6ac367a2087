"""The NumPy activations and their derivatives.

One harness, driven by the registry, checks every elementwise record against PyTorch: the forward
values against the record's torch module, the derivative against autograd, on a grid that holds 0,
every kink, far points, both infinities and NaN, in float32 and float64. The places where the
package knowingly differs from PyTorch are listed once, in DEVIATIONS. Then the conventions every
function keeps (dtype, shape, input untouched, errors naming the argument), softmax, the closed
forms of swish and hard-swish, and RReLU's random slopes.
"""

import inspect
import math
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.special import lambertw


from activation_lab import functions
from activation_lab.registry import ACTIVATIONS

INF = math.inf
NAN = math.nan
ELEMENTWISE = [name for name, record in ACTIVATIONS.items() if record.elementwise]
DTYPES = [np.float32, np.float64]
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-6}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
ROLES = ("forward", "derivative")


@contextmanager
def strict():
    """Any warning, floating-point faults included, is an error (underflow to 0 is the right answer)."""
    with warnings.catch_warnings(), np.errstate(divide="raise", over="raise", invalid="raise", under="ignore"):
        warnings.simplefilter("error")
        yield


# --- The cases: every elementwise record at its defaults, and parameters away from them ----------------------------

# (name, parameters, the kinks those parameters put elsewhere). swish with beta = 0 is x / 2: torch's
# x * sigmoid(0 * x) is NaN at both infinities, so it is checked on its own below.
NON_DEFAULT = [
    ("step", {"value_at_zero": 0.5}, ()),
    ("step", {"value_at_zero": 1.0}, ()),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}, (-2.0, 3.0)),
    ("leaky_relu", {"negative_slope": 0.2}, ()),
    ("leaky_relu", {"negative_slope": 0.0}, ()),
    ("prelu", {"weight": 0.1}, ()),
    ("prelu", {"weight": 0.0}, ()),
    ("rrelu", {"lower": 0.1, "upper": 0.3}, ()),
    ("rrelu", {"lower": 0.0, "upper": 0.0}, ()),
    ("elu", {"alpha": 0.5}, ()),
    ("elu", {"alpha": 2.0}, ()),
    ("celu", {"alpha": 0.5}, ()),
    ("celu", {"alpha": 2.0}, ()),
    ("gelu", {"approximate": "tanh"}, ()),
    ("swish", {"beta": 0.5}, ()),
    ("swish", {"beta": 2.0}, ()),
    ("swish", {"beta": 10.0}, ()),
    ("softplus", {"beta": 2.0, "threshold": 5.0}, (2.5,)),  # the switch to x at beta * x = threshold
]
CASES = [(name, ACTIVATIONS[name].defaults, ACTIVATIONS[name].kinks) for name in ELEMENTWISE] + NON_DEFAULT


def case_id(case) -> str:
    name, params = case[0], case[1]
    return name + "".join(f"-{key}={value}" for key, value in params.items())


# Zeros of both signs, far points, softplus's default switch at 20, every kink of every record.
SPECIAL = [0.0, -0.0, 1e4, -1e4, 20.0, *sorted({k for record in ACTIVATIONS.values() for k in record.kinks})]
RANDOM = np.random.default_rng(20240601).standard_normal(200) * 5.0
EDGES = {"-inf": -INF, "+inf": INF, "nan": NAN}


def grid(kinks=()) -> np.ndarray:
    return np.concatenate([RANDOM, SPECIAL, kinks, list(EDGES.values())])


def heaviside(value_at_zero):
    return lambda t: torch.heaviside(t, torch.tensor(value_at_zero, dtype=t.dtype))


# Records without a torch module: the torch function that stands in for it, and their derivative. The
# step is flat wherever it has a derivative and the package says 0 at the jump; torch.heaviside has no
# autograd formula, so the oracle for its derivative is 0.
NO_MODULE = {"step": (lambda params: heaviside(params["value_at_zero"]), lambda t: torch.zeros_like(t))}


def torch_values(name, params, x):
    """PyTorch's forward values and autograd derivative at ``x`` (NumPy in, NumPy of x's dtype out)."""
    record = ACTIVATIONS[name]
    t = torch.tensor(x, requires_grad=True)
    if record.module_factory is None:
        function, derivative = NO_MODULE[name]
        with torch.no_grad():
            return function(params)(t).numpy(), derivative(t.detach()).numpy()
    module = record.module(**params).to(t.dtype).eval()  # eval: RReLU uses its mean slope, as the NumPy pair
    values = module(t)
    (grad,) = torch.autograd.grad(values.sum(), t)
    return values.detach().numpy(), grad.numpy()


# --- Where the package knowingly differs from PyTorch, and why ----------------------------------------------------

NAN_STAYS_NAN = ("NaN in, NaN out: torch's backward of a piecewise function takes one branch at NaN (relu' is 1 "
                 "there, leaky_relu' the slope); the package returns NaN")
LIMIT = "torch computes inf * 0 or inf / inf there and gives NaN; the package returns the limit"

# (record, role, input) -> (what the package gives, why). The harness expects the listed value wherever
# torch gives NaN at an infinity, or a number at NaN; any other difference fails, and so does an entry
# that no case needs any more (test_every_deviation_is_still_needed).
DEVIATIONS = {
    ("step", "forward", "nan"): (NAN, "torch.heaviside gives 0 at NaN (NaN > 0 is false); the package returns NaN"),
    **{(name, "derivative", "nan"): (NAN, NAN_STAYS_NAN) for name in [
        "identity", "step", "hardsigmoid", "hardtanh", "relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu",
        "selu", "celu", "hardswish"]},
    ("softsign", "forward", "-inf"): (-1.0, LIMIT),
    ("softsign", "forward", "+inf"): (1.0, LIMIT),
    ("softsign", "derivative", "-inf"): (0.0, LIMIT),
    ("softsign", "derivative", "+inf"): (0.0, LIMIT),
    # A zero slope times -inf: torch gives NaN, the limit of 0 * z is 0.
    ("leaky_relu", "forward", "-inf"): (0.0, LIMIT),
    ("prelu", "forward", "-inf"): (0.0, LIMIT),
    ("rrelu", "forward", "-inf"): (0.0, LIMIT),
    ("hardswish", "forward", "-inf"): (0.0, LIMIT),
    ("gelu", "forward", "+inf"): (INF, "torch's float32 gelu gives NaN at +inf; the package returns +inf"),
    **{(name, "forward", "-inf"): (0.0, LIMIT) for name in ["gelu", "silu", "swish", "mish"]},
    **{(name, "derivative", "-inf"): (0.0, LIMIT) for name in ["gelu", "silu", "swish", "mish"]},
    **{(name, "derivative", "+inf"): (1.0, LIMIT) for name in ["gelu", "silu", "swish", "mish"]},
}

# (record, role, dtype) -> (tolerance, why), where the package is the more exact of the two.
LOOSER_TOLERANCE = {
    ("hardsigmoid", "derivative", np.float64): (
        TOLERANCE[np.float32], "torch's float64 hardsigmoid backward multiplies by 1/6 rounded to float32 "
                               "(0.16666667163...); the package uses 1/6 in float64"),
}


def deviating(name, role, x, theirs) -> tuple[np.ndarray, list]:
    """Torch's values with the listed deviations put in, and the keys of the deviations that applied."""
    expected, applied = theirs.copy(), []
    for where, point in EDGES.items():
        key = (name, role, where)
        at = np.isnan(x) if where == "nan" else (x == point)
        replace = at & (np.isnan(theirs) != (where == "nan"))
        if key in DEVIATIONS and replace.any():
            expected[replace] = DEVIATIONS[key][0]
            applied.append(key)
    return expected, applied


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward_and_derivative_match_torch(case, dtype):
    name, params, kinks = case
    record = ACTIVATIONS[name]
    x = grid(kinks).astype(dtype)
    original = x.copy()
    with strict():
        ours = {"forward": record.forward(x, **params), "derivative": record.derivative(x, **params)}
    np.testing.assert_array_equal(x, original)
    theirs = dict(zip(ROLES, torch_values(name, params, x)))
    for role in ROLES:
        assert ours[role].dtype == dtype, role
        expected, _ = deviating(name, role, x, theirs[role])
        tolerance = LOOSER_TOLERANCE.get((name, role, dtype), (TOLERANCE[dtype],))[0]
        np.testing.assert_allclose(ours[role], expected, equal_nan=True, err_msg=role, **tolerance)


def test_every_deviation_is_still_needed():
    applied = set()
    for name, params, kinks in CASES:
        for dtype in DTYPES:
            x = grid(kinks).astype(dtype)
            for role, theirs in zip(ROLES, torch_values(name, params, x)):
                applied.update(deviating(name, role, x, theirs)[1])
    assert applied == set(DEVIATIONS)


@pytest.mark.parametrize(("name", "role", "dtype"), list(LOOSER_TOLERANCE))
def test_every_looser_tolerance_is_still_needed(name, role, dtype):
    record = ACTIVATIONS[name]
    x = grid(record.kinks).astype(dtype)
    theirs = dict(zip(ROLES, torch_values(name, record.defaults, x)))[role]
    ours = getattr(record, role)(x, **record.defaults)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(ours, deviating(name, role, x, theirs)[0], equal_nan=True, **TOLERANCE[dtype])


def test_every_record_without_a_module_has_a_torch_stand_in():
    assert {name for name in ELEMENTWISE if ACTIVATIONS[name].module_factory is None} == set(NO_MODULE)


def test_every_parameter_is_moved_away_from_its_default_by_some_case():
    moved = {(name, key) for name, params, _ in NON_DEFAULT for key in params
             if params[key] != ACTIVATIONS[name].defaults[key]}
    assert moved == {(name, key) for name in ELEMENTWISE for key in ACTIVATIONS[name].parameters}


def test_every_public_function_is_a_records_forward_or_derivative():
    in_registry = {getattr(record, role) for record in ACTIVATIONS.values() for role in ROLES}
    public = {getattr(functions, name) for name in functions.__all__ if callable(getattr(functions, name))}
    assert public == in_registry


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_record_defaults_are_the_functions_defaults(name):
    record = ACTIVATIONS[name]
    for function in (record.forward, record.derivative):
        signature = inspect.signature(function).parameters
        for key, default in record.defaults.items():
            assert key in signature, f"{function.__name__} takes no {key}"
            if signature[key].default is not inspect.Parameter.empty:
                assert signature[key].default == default, f"{function.__name__}({key}=...)"


# --- Checks independent of PyTorch ----------------------------------------------------------------------------------

GRID = np.arange(-7.95, 8.0, 0.1)  # 0.05 away from every kink, and every kink is an integer
H = 1e-6


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_derivative_matches_central_difference(case):
    name, params, _ = case
    record = ACTIVATIONS[name]
    numeric = (record.forward(GRID + H, **params) - record.forward(GRID - H, **params)) / (2 * H)
    np.testing.assert_allclose(record.derivative(GRID, **params), numeric, rtol=1e-6, atol=1e-8)


FLOAT_ARRAYS = hnp.arrays(np.float64, hnp.array_shapes(max_dims=1, min_side=1, max_side=40),
                          elements=st.floats(-50.0, 50.0))


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=40, deadline=None)
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


# --- Conventions every function keeps -------------------------------------------------------------------------------

FUNCTIONS = [
    pytest.param(getattr(record, role), record.defaults, id=f"{name}.{role}")
    for name, record in ACTIVATIONS.items()
    for role in ROLES
]
ELEMENTWISE_FUNCTIONS = [param for param in FUNCTIONS if param.id.split(".")[0] in ELEMENTWISE]


@pytest.mark.parametrize(("function", "params"), ELEMENTWISE_FUNCTIONS)
def test_floating_dtype_is_kept(function, params):
    for dtype in (np.float16, np.float32, np.float64):
        assert function(np.array([-1.5, 0.0, 2.0], dtype=dtype), **params).dtype == dtype


# Inputs of even length: a function that takes its inputs in pairs or groups accepts them too.
@pytest.mark.parametrize(("function", "params"), FUNCTIONS)
def test_integer_and_bool_input_gives_float64(function, params):
    for x in ([-2, 0, 3, 1], [True, False, True, True], np.array([1, 2], dtype=np.int8)):
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


BAD_X = ["1.0", None, b"1", np.array([1.0 + 2.0j]), np.array([1, "a"], dtype=object), [[1.0, 2.0], [3.0]]]


@pytest.mark.parametrize(("function", "params"), FUNCTIONS)
def test_bad_input_raises_type_error_naming_x(function, params):
    for x in BAD_X:
        with pytest.raises(TypeError, match=r"^x must"):
            function(x, **params)


NUMERIC_PARAMETERS = [(name, key) for name in ELEMENTWISE for key, spec in ACTIVATIONS[name].parameters.items()
                      if not spec.choices]


@pytest.mark.parametrize(("name", "key"), NUMERIC_PARAMETERS, ids=[f"{n}-{k}" for n, k in NUMERIC_PARAMETERS])
def test_a_numeric_parameter_that_is_text_or_nan_is_refused_by_name(name, key):
    record = ACTIVATIONS[name]
    for function in (record.forward, record.derivative):
        for value, error in (("0.5", TypeError), (NAN, ValueError)):
            with pytest.raises(error, match=rf"^{key}\b"):
                function(np.array([1.0, -1.0]), **{**record.defaults, key: value})


X3 = np.linspace(-2.0, 2.0, 60).reshape(4, 3, 5)
BAD_PARAMETERS = [
    ("leaky_relu", X3, {"negative_slope": True}, TypeError, "negative_slope"),
    ("elu", X3, {"alpha": None}, TypeError, "alpha"),
    ("softmax", X3, {"dim": 1.0}, TypeError, "dim"),
    ("softplus", X3, {"beta": -1.0}, ValueError, "beta"),
    ("softplus", X3, {"beta": 0}, ValueError, "beta"),
    ("softplus", X3, {"threshold": INF}, ValueError, "threshold"),
    ("gelu", X3, {"approximate": "fast"}, ValueError, "approximate"),
    ("celu", X3, {"alpha": 0.0}, ValueError, "alpha"),
    ("leaky_relu", X3, {"negative_slope": -INF}, ValueError, "negative_slope"),
    ("hardtanh", X3, {"min_val": 1.0, "max_val": 1.0}, ValueError, "min_val"),
    ("hardtanh", X3, {"min_val": 2.0, "max_val": -2.0}, ValueError, "min_val"),
    ("swish", X3, {"beta": -0.5}, ValueError, "beta"),
    ("swish", X3, {"beta": True}, TypeError, "beta"),
    ("rrelu", X3, {"lower": 0.4, "upper": 0.2}, ValueError, "lower"),
    ("rrelu", X3, {"lower": -0.1}, ValueError, "lower"),
    ("softmax", X3, {"dim": 3}, ValueError, "dim"),
    ("softmax", X3, {"dim": -4}, ValueError, "dim"),
    ("softmax", np.float64(1.0), {}, ValueError, "x"),
    ("softmax", 1.0, {}, ValueError, "x"),
    ("prelu", X3, {"weight": [0.1, 0.2]}, ValueError, "weight"),
    ("prelu", X3, {"weight": [[0.1, 0.2, 0.3]]}, ValueError, "weight"),
    ("prelu", X3[0, 0], {"weight": [0.1, 0.2, 0.3]}, ValueError, "weight"),
    ("prelu", X3, {"weight": None}, TypeError, "weight"),
]


@pytest.mark.parametrize(("name", "x", "params", "error", "argument"), BAD_PARAMETERS)
def test_bad_parameter_raises_naming_it(name, x, params, error, argument):
    record = ACTIVATIONS[name]
    for function in (record.forward, record.derivative):
        with pytest.raises(error, match=rf"\b{argument}\b"):
            function(x, **{**record.defaults, **params})


# --- PReLU with one slope per channel -----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_per_channel_matches_torch(dtype):
    weight = np.array([0.1, 0.5, 2.0])
    x = (np.random.default_rng(1).standard_normal((4, 3, 5)) * 5.0).astype(dtype)
    x[0, :, 0] = 0.0
    t = torch.tensor(x, requires_grad=True)
    expected = F.prelu(t, torch.tensor(weight, dtype=TORCH_DTYPE[dtype]))
    (expected_grad,) = torch.autograd.grad(expected.sum(), t)
    np.testing.assert_allclose(functions.prelu(x, weight), expected.detach().numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(functions.prelu_derivative(x, weight), expected_grad.numpy(), **TOLERANCE[dtype])


# --- RReLU in training: random slopes ------------------------------------------------------------------------------

NEGATIVE = -np.linspace(0.5, 5.0, 1000)


def test_rrelu_training_draws_each_slope_within_lower_and_upper():
    y = functions.rrelu(NEGATIVE, 0.1, 0.3, training=True, rng=np.random.default_rng(0))
    slopes = y / NEGATIVE
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert len(np.unique(slopes)) > 900  # one draw per element, not one for all
    assert slopes.mean() == pytest.approx(0.2, abs=0.01)


def test_rrelu_training_leaves_the_non_negative_side_and_nan_alone():
    x = np.array([0.0, 2.5, 100.0, NAN, -INF])
    y = functions.rrelu(x, 0.0, 0.5, training=True, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(y[:3], x[:3])
    assert np.isnan(y[3]) and y[4] <= 0.0


def test_rrelu_training_repeats_with_the_same_generator_seed():
    draw = lambda seed: functions.rrelu(NEGATIVE, training=True, rng=np.random.default_rng(seed))  # noqa: E731
    np.testing.assert_array_equal(draw(7), draw(7))
    assert not np.array_equal(draw(7), draw(8))


def test_rrelu_training_with_equal_bounds_is_leaky_relu():
    x = np.array([-3.0, -0.5, 0.0, 2.0])
    y = functions.rrelu(x, 0.2, 0.2, training=True, rng=np.random.default_rng(0))
    np.testing.assert_allclose(y, functions.leaky_relu(x, 0.2), rtol=1e-15)


def test_rrelu_training_keeps_float32():
    x = NEGATIVE.astype(np.float32)
    assert functions.rrelu(x, training=True, rng=np.random.default_rng(0)).dtype == np.float32


@pytest.mark.parametrize(("options", "error", "argument"), [
    ({"training": True}, TypeError, "rng"),
    ({"training": True, "rng": 0}, TypeError, "rng"),
    ({"training": True, "rng": np.random.RandomState(0)}, TypeError, "rng"),
    ({"training": "yes"}, TypeError, "training"),
    ({"training": 1}, TypeError, "training"),
])
def test_rrelu_training_needs_a_bool_and_a_generator(options, error, argument):
    with pytest.raises(error, match=rf"^{argument}\b"):
        functions.rrelu(NEGATIVE, **options)


# --- Softmax ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("shape", "dim"), [(shape, dim) for shape in [(3, 5), (2, 3, 4)] for dim in (0, 1, -1)])
def test_softmax_matches_torch_and_sums_to_one(shape, dim, dtype):
    x = (np.random.default_rng(3).standard_normal(shape) * 5.0).astype(dtype)
    result = functions.softmax(x, dim=dim)
    assert result.dtype == dtype
    assert result.shape == shape
    np.testing.assert_allclose(result, F.softmax(torch.tensor(x), dim=dim).numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(result.sum(axis=dim), 1.0, rtol=TOLERANCE[dtype]["rtol"])


def test_softmax_ignores_a_constant_shift_and_does_not_overflow():
    x = np.array([1.0, -2.0, 0.5, 3.0])
    with strict():
        shifted = functions.softmax(x + 1000.0)
    np.testing.assert_allclose(shifted, functions.softmax(x), rtol=1e-12)
    np.testing.assert_allclose(functions.softmax(x - 1000.0), functions.softmax(x), rtol=1e-12)
    assert functions.softmax([1000.0, 1000.0]).tolist() == [0.5, 0.5]


def test_nan_propagates_through_softmax_and_its_jacobian_without_warnings():
    for function in (functions.softmax, functions.softmax_jacobian):
        with strict():
            result = function(np.array([[NAN, 1.0], [1.0, 2.0]]))
        assert np.isnan(result[0]).all() and not np.isnan(result[1]).any(), function.__name__


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_jacobian_matches_autograd(dtype):
    x = (np.random.default_rng(4).standard_normal(5) * 3.0).astype(dtype)
    expected = torch.autograd.functional.jacobian(lambda t: F.softmax(t, dim=0), torch.tensor(x))
    result = functions.softmax_jacobian(x)
    assert result.shape == (5, 5)
    assert result.dtype == dtype
    np.testing.assert_allclose(result, expected.numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(result.sum(axis=1), 0.0, atol=TOLERANCE[dtype]["atol"])


def test_softmax_jacobian_of_a_batch_has_one_matrix_per_row():
    x = np.random.default_rng(5).standard_normal((2, 4))
    result = functions.softmax_jacobian(x)
    assert result.shape == (2, 4, 4)
    for row, matrix in zip(x, result):
        expected = torch.autograd.functional.jacobian(lambda t: F.softmax(t, dim=0), torch.tensor(row))
        np.testing.assert_allclose(matrix, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_softmax_jacobian_along_dim_0_moves_that_dim_last():
    x = np.random.default_rng(6).standard_normal((4, 2))
    np.testing.assert_allclose(functions.softmax_jacobian(x, dim=0), functions.softmax_jacobian(x.T), rtol=1e-15)


# --- Swish and hard-swish: closed forms ----------------------------------------------------------------------------

W = float(lambertw(1.0 / math.e).real)  # W(1/e) = 0.2784645...
POINTS = grid()[:-3]  # the finite points of the harness's grid


def test_swish_with_beta_one_is_silu():
    np.testing.assert_allclose(functions.swish(POINTS, 1.0), functions.silu(POINTS), rtol=1e-15, atol=0)
    np.testing.assert_allclose(functions.swish_derivative(POINTS, 1.0), functions.silu_derivative(POINTS),
                               rtol=1e-15, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_swish_with_beta_zero_is_half_the_identity_even_at_infinities_and_nan(dtype):
    x = np.concatenate([POINTS, [-INF, INF, NAN]]).astype(dtype)
    with strict():
        values, slopes = functions.swish(x, 0.0), functions.swish_derivative(x, 0.0)
    assert values.dtype == slopes.dtype == dtype
    np.testing.assert_array_equal(values, x / 2)
    np.testing.assert_array_equal(slopes, np.where(np.isnan(x), NAN, 0.5))


@pytest.mark.parametrize("beta", [0.5, 1.0, 4.0, 50.0])
def test_swish_minimum_is_minus_lambert_w_over_beta(beta):
    # f'(x) = 0 gives x = -(1 + W(1/e)) / beta and f = -W(1/e) / beta (chapter 5, exercise).
    x_star = -(1.0 + W) / beta
    assert functions.swish_derivative(np.array(x_star), beta) == pytest.approx(0.0, abs=1e-12)
    assert functions.swish(np.array(x_star), beta) == pytest.approx(-W / beta, rel=1e-12)
    values = functions.swish(np.linspace(-10.0 / beta, 0.0, 200_001), beta)
    assert values.min() == pytest.approx(-W / beta, rel=1e-8)


@pytest.mark.parametrize("beta", [1.0, 10.0, 100.0])
def test_swish_approaches_relu_with_a_gap_of_w_over_beta(beta):
    x = np.linspace(-20.0, 20.0, 400_001)
    gap = np.abs(functions.swish(x, beta) - functions.relu(x)).max()
    assert gap == pytest.approx(W / beta, rel=1e-6)


def test_hardswish_is_zero_below_minus_three_and_the_identity_above_three():
    x = np.array([-100.0, -3.5, -3.0, 3.0, 3.5, 100.0])
    np.testing.assert_array_equal(functions.hardswish(x), [0.0, 0.0, 0.0, 3.0, 3.5, 100.0])


def test_hardswish_minimum_is_minus_three_eighths_at_minus_one_and_a_half():
    x = np.linspace(-3.0, 0.0, 300_001)
    values = functions.hardswish(x)
    assert values.min() == pytest.approx(-0.375, rel=1e-12)
    assert x[values.argmin()] == pytest.approx(-1.5, abs=1e-5)
