"""The registry: each fact it records about an activation checked against an independent source, the lists
derived from it, the keyword-only records that refuse a bad value, and the Swish module."""

import dataclasses
import pathlib
import re

import numpy as np
import pytest
import torch
from scipy.optimize import minimize_scalar
from torch import nn


from activation_lab import functions, registry
from activation_lab.plots import OKABE_ITO
from activation_lab.registry import (
    ACTIVATION_TYPES,
    ACTIVATIONS,
    COLORS,
    ONE_KINK_TYPES,
    Activation,
    Parameter,
    Swish,
    get_activation,
)

NAMES = list(ACTIVATIONS)
ELEMENTWISE = [name for name in NAMES if ACTIVATIONS[name].elementwise]
WITH_MODULE = [name for name in NAMES if ACTIVATIONS[name].module_factory is not None]
REFERENCES_BIB = pathlib.Path(__file__).resolve().parents[1] / "references.bib"


# --- Records: keyword-only, validated, read-only -------------------------------------------------------------------

def test_a_record_cannot_be_built_from_positional_arguments():
    relu = ACTIVATIONS["relu"]
    fields = [getattr(relu, field.name) for field in dataclasses.fields(Activation)]
    with pytest.raises(TypeError):
        Activation(*fields)
    with pytest.raises(TypeError):
        Parameter(0.01, 0.0, 1.0)


def test_a_record_built_from_keywords_gets_the_defaults():
    record = Activation(name="half", label="Half", forward=functions.identity, derivative=functions.identity_derivative,
                        module_factory=None, formula="f(z) = z", output_range=(-np.inf, np.inf), monotonic=True,
                        smoothness="C∞", zero_centred=True, saturates="none", color="black")
    assert (record.kinks, record.piecewise_linear, record.gain, record.elementwise) == ((), False, None, True)
    assert dict(record.parameters) == {} and record.module_type is None


@pytest.mark.parametrize(("field", "value"), [("smoothness", "C2"), ("smoothness", "smooth"), ("saturates", "left"),
                                              ("saturates", None), ("color", "red"), ("color", "#0072B2")])
def test_a_value_outside_the_vocabulary_is_refused_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"relu: {field} must be one of"):
        dataclasses.replace(ACTIVATIONS["relu"], **{field: value})


def test_registry_and_records_are_read_only():
    with pytest.raises(TypeError):
        ACTIVATIONS["relu"] = ACTIVATIONS["tanh"]
    with pytest.raises(TypeError):
        del ACTIVATIONS["relu"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACTIVATIONS["relu"].gain = 1.0
    with pytest.raises(TypeError):
        ACTIVATIONS["leaky_relu"].parameters["negative_slope"] = Parameter(default=0.2)


def test_get_activation_returns_the_record():
    assert get_activation("relu") is ACTIVATIONS["relu"]


def test_get_activation_lists_the_names_for_a_misspelt_one():
    with pytest.raises(ValueError, match="rleu") as error:
        get_activation("rleu")
    assert all(repr(name) in str(error.value) for name in NAMES)


def test_get_activation_rejects_a_non_string():
    with pytest.raises(TypeError, match="name"):
        get_activation(3)


@pytest.mark.parametrize("name", NAMES)
def test_formula_and_label_are_non_empty_strings(name):
    record = ACTIVATIONS[name]
    assert isinstance(record.formula, str) and record.formula.strip()
    assert isinstance(record.label, str) and record.label.strip()


@pytest.mark.parametrize("name", NAMES)
def test_parameter_defaults_lie_within_their_range(name):
    for parameter_name, spec in ACTIVATIONS[name].parameters.items():
        if spec.low is not None and spec.high is not None:
            assert spec.low <= spec.default <= spec.high, parameter_name
        if spec.choices:
            assert spec.default in spec.choices, parameter_name


@pytest.mark.parametrize("name", [name for name in NAMES if ACTIVATIONS[name].references])
def test_references_are_in_the_bibliography(name):
    keys = re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", REFERENCES_BIB.read_text(encoding="utf-8"), re.MULTILINE)
    assert set(ACTIVATIONS[name].references) <= set(keys)


def test_every_colour_is_an_okabe_ito_colour():
    assert set(COLORS) == set(OKABE_ITO)
    assert {record.color for record in ACTIVATIONS.values()} <= set(OKABE_ITO)


# --- Modules -------------------------------------------------------------------------------------------------------

# calculate_gain knows "linear", not "identity"; every other name is passed as it is.
GAIN_NAME = {"identity": "linear"}


@pytest.mark.parametrize("name", NAMES)
def test_gain_is_torchs_where_torch_defines_one(name):
    try:
        expected = nn.init.calculate_gain(GAIN_NAME.get(name, name), 0.01 if name == "leaky_relu" else None)
    except ValueError:
        expected = None
    gain = ACTIVATIONS[name].gain
    if expected is None:
        assert gain is None
    else:
        assert gain == pytest.approx(expected, rel=1e-15)


def test_step_has_no_module():
    with pytest.raises(ValueError, match="step"):
        ACTIVATIONS["step"].module()
    assert ACTIVATIONS["step"].module_type is None


@pytest.mark.parametrize("name", WITH_MODULE)
def test_module_rejects_an_unknown_parameter_by_name(name):
    with pytest.raises(TypeError, match="bogus"):
        ACTIVATIONS[name].module(bogus=1)


@pytest.mark.parametrize("name", WITH_MODULE)
def test_module_type_is_the_public_class_of_the_module(name):
    record = ACTIVATIONS[name]
    assert isinstance(record.module(), record.module_type)
    assert record.module_type.__module__.startswith(("torch.nn.modules.", "activation_lab."))
    assert not record.module_type.__name__.startswith("_")


def test_prelu_module_is_a_private_subclass_whose_type_is_nn_prelu():
    record = ACTIVATIONS["prelu"]
    module = record.module(weight=0.4)
    assert type(module) is not nn.PReLU and record.module_type is nn.PReLU
    assert module.weight.tolist() == [pytest.approx(0.4)]


def test_activation_types_are_the_module_types_of_elementwise_records_but_identity():
    expected = {ACTIVATIONS[name].module_type for name in WITH_MODULE if name in ELEMENTWISE and name != "identity"}
    assert set(ACTIVATION_TYPES) == expected and len(ACTIVATION_TYPES) == len(expected)
    assert nn.PReLU in ACTIVATION_TYPES and type(ACTIVATIONS["prelu"].module()) not in ACTIVATION_TYPES
    assert Swish in ACTIVATION_TYPES
    assert nn.Identity not in ACTIVATION_TYPES and nn.Softmax not in ACTIVATION_TYPES


def test_one_kink_types_are_the_rectifiers_with_one_kink_at_zero():
    assert ONE_KINK_TYPES == (nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.RReLU)


# --- Swish, the package's own module -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 3.0])
def test_swish_module_computes_functions_swish_and_its_derivative(beta, dtype):
    x = torch.linspace(-8.0, 8.0, 161, dtype=dtype, requires_grad=True)
    y = Swish(beta)(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    assert y.dtype == dtype
    tolerance = {"rtol": 1e-5, "atol": 1e-6} if dtype == torch.float32 else {"rtol": 1e-12, "atol": 1e-14}
    z = x.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), functions.swish(z, beta), **tolerance)
    np.testing.assert_allclose(grad.numpy(), functions.swish_derivative(z, beta), **tolerance)


def test_swish_module_with_beta_one_is_silu_and_shows_its_beta():
    x = torch.linspace(-5.0, 5.0, 51)
    torch.testing.assert_close(Swish()(x), nn.SiLU()(x), rtol=1e-15, atol=1e-15)
    assert repr(Swish(2)) == "Swish(beta=2.0)"
    assert ACTIVATIONS["swish"].module(beta=2.5).beta == 2.5


# --- The facts, checked against the functions ----------------------------------------------------------------------

@pytest.mark.parametrize("name", [name for name in ELEMENTWISE if ACTIVATIONS[name].monotonic])
def test_range_ends_are_the_limits_where_monotonic(name):
    record = ACTIVATIONS[name]
    limits = record.forward(np.array([-np.inf, np.inf]), **record.defaults)
    assert tuple(limits) == pytest.approx(record.output_range, rel=1e-12)


NON_MONOTONIC = [name for name in ELEMENTWISE if not ACTIVATIONS[name].monotonic]


def lowest_value(name) -> float:
    record = ACTIVATIONS[name]
    result = minimize_scalar(lambda z: float(record.forward(z, **record.defaults)), bounds=(-5.0, 0.0),
                             method="bounded", options={"xatol": 1e-10})
    return float(result.fun)


@pytest.mark.parametrize("name", NON_MONOTONIC)
def test_range_of_a_function_that_dips_starts_at_its_minimum(name):
    record = ACTIVATIONS[name]
    assert record.output_range[0] == pytest.approx(lowest_value(name), abs=1e-9)
    assert record.forward(np.inf, **record.defaults) == record.output_range[1]


@pytest.mark.parametrize(("constant", "name", "published"), [("GELU_MINIMUM", "gelu", -0.16997),
                                                             ("SILU_MINIMUM", "silu", -0.27846),
                                                             ("MISH_MINIMUM", "mish", -0.30884)])
def test_pinned_minima_are_scipys_and_the_published_values(constant, name, published):
    value = getattr(registry, constant)
    assert value == pytest.approx(lowest_value(name), abs=1e-9)
    assert value == ACTIVATIONS[name].output_range[0]
    assert value == pytest.approx(published, abs=1e-5)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_monotonic_is_what_the_sign_of_the_derivative_says(name):
    record = ACTIVATIONS[name]
    has_negative_slope = (record.derivative(np.linspace(-10.0, 10.0, 2001), **record.defaults) < 0).any()
    assert has_negative_slope == (not record.monotonic)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturation_is_where_the_derivative_tends_to_zero(name):
    record = ACTIVATIONS[name]
    slope_left, slope_right = record.derivative(np.array([-np.inf, np.inf]), **record.defaults)
    saturates = {(True, True): "both", (True, False): "negative", (False, True): "positive", (False, False): "none"}
    assert saturates[(slope_left == 0.0, slope_right == 0.0)] == record.saturates


# E[f(Z)] for a standard normal Z, by the trapezoidal rule: 0 for a zero-centred activation (for SELU by design).
NORMAL = np.linspace(-12.0, 12.0, 240_001)
DENSITY = np.exp(-NORMAL**2 / 2) / np.sqrt(2 * np.pi)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_centred_means_a_zero_mean_output_for_a_standard_normal_input(name):
    record = ACTIVATIONS[name]
    mean = np.trapezoid(record.forward(NORMAL, **record.defaults) * DENSITY, NORMAL)
    assert (abs(mean) < 1e-6) == record.zero_centred, f"E[f(Z)] = {mean}"


CAN_DIE = {"step", "hardtanh", "relu", "relu6", "squared_relu"}


def test_can_die_exactly_where_the_derivative_is_zero_on_a_half_line():
    assert {name for name, record in ACTIVATIONS.items() if record.can_die} == CAN_DIE


# Kinks and smoothness from samples every 0.001 on [-8, 8]. A jump of f (the step), of f' (at a kink of a C0
# record) or of f'' (C1) shows as a change between two neighbouring samples ten times larger than the changes
# on either side of it; where a function is smooth, neighbouring changes are nearly equal.
FINE = np.linspace(-8.0, 8.0, 16_001)
MIDDLE = (FINE[:-1] + FINE[1:]) / 2
# Where the second derivative of each C1 record jumps (its first derivative is continuous: no kinks).
SECOND_DERIVATIVE_JUMPS = {"softsign": (0.0,), "elu": (0.0,), "celu": (0.0,), "squared_relu": (0.0,)}


def rounded(points) -> set:
    return {round(float(point), 2) + 0.0 for point in points}


def jump_points(x, values) -> set:
    """Where ``values``, sampled at ``x``, jumps: a change above 1e-6 and ten times those beside it."""
    change = np.abs(np.diff(values))
    beside = np.maximum(np.r_[0.0, change[:-1]], np.r_[change[1:], 0.0])
    at = np.flatnonzero((change > 1e-6) & (change > 10 * beside))
    return rounded((x[at] + x[at + 1]) / 2)


def test_every_c1_record_says_where_its_second_derivative_jumps():
    assert set(SECOND_DERIVATIVE_JUMPS) == {name for name in ELEMENTWISE if ACTIVATIONS[name].smoothness == "C1"}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_kinks_and_smoothness_are_where_the_function_and_its_derivatives_jump(name):
    record = ACTIVATIONS[name]
    f = record.forward(FINE, **record.defaults)
    slope = record.derivative(FINE, **record.defaults)
    kinks = rounded(record.kinks)
    if record.smoothness == "discontinuous":
        assert kinks and jump_points(FINE, f) == kinks
        return
    assert jump_points(FINE, f) == set()
    assert jump_points(FINE, slope) == kinks
    assert bool(kinks) == (record.smoothness == "C0")
    if record.smoothness != "C0":
        curvature = np.diff(slope) / np.diff(FINE)
        assert jump_points(MIDDLE, curvature) == rounded(SECOND_DERIVATIVE_JUMPS.get(name, ()))


def test_elu_is_only_c0_away_from_alpha_one():
    h = 1e-6
    left = (functions.elu(0.0, alpha=2.0) - functions.elu(-h, alpha=2.0)) / h
    right = (functions.elu(h, alpha=2.0) - functions.elu(0.0, alpha=2.0)) / h
    assert abs(left - right) > 0.5


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_piecewise_linear_means_a_constant_derivative_between_kinks(name):
    record = ACTIVATIONS[name]
    slope = record.derivative(FINE, **record.defaults)
    near_a_kink = np.zeros(len(FINE) - 1, dtype=bool)
    for kink in record.kinks:
        near_a_kink |= (FINE[:-1] <= kink + 1e-9) & (FINE[1:] >= kink - 1e-9)
    changes = np.diff(slope)[~near_a_kink]
    assert (changes == 0).all() == record.piecewise_linear
