"""The registry: every fact it records about an activation, checked against an independent source."""

import dataclasses
import pathlib
import re

import numpy as np
import pytest
import torch
from torch import nn

import activation_lab as al
from activation_lab import ACTIVATIONS, get_activation

NAMES = list(ACTIVATIONS)
ELEMENTWISE = [name for name in NAMES if ACTIVATIONS[name].elementwise]
WITH_MODULE = [name for name in NAMES if name != "step"]
REFERENCES_BIB = pathlib.Path(__file__).resolve().parents[1] / "references.bib"

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


# Non-default parameters, so that a module ignoring what it is given would show.
MODULE_PARAMS = {
    "hardtanh": {"min_val": -2.0, "max_val": 3.0},
    "leaky_relu": {"negative_slope": 0.2},
    "prelu": {"weight": 0.5},
    "elu": {"alpha": 2.0},
    "celu": {"alpha": 0.5},
    "gelu": {"approximate": "tanh"},
    "softplus": {"beta": 2.0, "threshold": 5.0},
}


@pytest.mark.parametrize("use_defaults", [True, False], ids=["defaults", "custom"])
@pytest.mark.parametrize("name", WITH_MODULE)
def test_module_computes_the_same_as_forward(name, use_defaults):
    record = ACTIVATIONS[name]
    params = {} if use_defaults else MODULE_PARAMS.get(name, {})
    module = record.module(**params)
    assert isinstance(module, nn.Module)
    # In PyTorch's default dtype, which a freshly built module's parameters (PReLU's slope) take.
    x = (np.random.default_rng(0).standard_normal((3, 7)) * 4.0).astype(np.float64)
    x[0, :3] = [0.0, 6.0, -1.0]
    with torch.no_grad():
        expected = module(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(record.forward(x, **{**record.defaults, **params}), expected, rtol=1e-5, atol=1e-6)


def test_step_has_no_module():
    with pytest.raises(ValueError, match="step"):
        ACTIVATIONS["step"].module()


@pytest.mark.parametrize("name", WITH_MODULE)
def test_module_rejects_an_unknown_parameter_by_name(name):
    with pytest.raises(TypeError, match="bogus"):
        ACTIVATIONS[name].module(bogus=1)


def test_get_activation_returns_the_record():
    assert get_activation("relu") is ACTIVATIONS["relu"]
    assert get_activation("relu").name == "relu"


def test_get_activation_lists_the_names_for_a_misspelt_one():
    with pytest.raises(ValueError, match="rleu") as error:
        get_activation("rleu")
    assert all(repr(name) in str(error.value) for name in NAMES)


def test_get_activation_rejects_a_non_string():
    with pytest.raises(TypeError, match="name"):
        get_activation(3)


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        ACTIVATIONS["relu"] = ACTIVATIONS["tanh"]
    with pytest.raises(TypeError):
        del ACTIVATIONS["relu"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACTIVATIONS["relu"].gain = 1.0


def test_keys_are_the_records_names():
    assert all(record.name == name for name, record in ACTIVATIONS.items())


@pytest.mark.parametrize("name", ["gelu", "silu", "mish"])
def test_recorded_minimum_agrees_with_a_dense_grid(name):
    record = ACTIVATIONS[name]
    grid = np.linspace(-5.0, 0.0, 500_001)
    assert record.output_range[0] == pytest.approx(record.forward(grid).min(), abs=1e-6)


@pytest.mark.parametrize(("name", "known_minimum"), [("gelu", -0.16997), ("silu", -0.27846), ("mish", -0.30884)])
def test_recorded_minimum_is_the_published_value(name, known_minimum):
    assert ACTIVATIONS[name].output_range[0] == pytest.approx(known_minimum, abs=1e-5)


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


@pytest.mark.parametrize("name", NAMES)
def test_forward_accepts_its_recorded_parameters(name):
    # A parameter the function does not take would be a TypeError here.
    record = ACTIVATIONS[name]
    x = np.array([[-1.0, 0.5], [2.0, -3.0]])
    assert record.forward(x, **record.defaults).shape == x.shape


@pytest.mark.parametrize("name", [name for name in ELEMENTWISE if ACTIVATIONS[name].monotonic])
def test_range_ends_are_the_limits_where_monotonic(name):
    record = ACTIVATIONS[name]
    limits = record.forward(np.array([-np.inf, np.inf]), **record.defaults)
    assert tuple(limits) == pytest.approx(record.output_range, rel=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_non_monotonic_records_really_dip(name):
    record = ACTIVATIONS[name]
    grid = np.linspace(-10.0, 10.0, 2001)
    has_negative_slope = (record.derivative(grid, **record.defaults) < 0).any()
    assert has_negative_slope == (not record.monotonic)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturation_matches_the_derivative_far_out(name):
    record = ACTIVATIONS[name]
    slope_left, slope_right = record.derivative(np.array([-1e4, 1e4]), **record.defaults)
    saturates = {(True, True): "both", (True, False): "negative", (False, True): "positive", (False, False): "none"}
    assert saturates[(slope_left == 0.0, slope_right == 0.0)] == record.saturates


@pytest.mark.parametrize("name", [name for name in NAMES if ACTIVATIONS[name].references])
def test_references_are_in_the_bibliography(name):
    keys = re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", REFERENCES_BIB.read_text(encoding="utf-8"), re.MULTILINE)
    assert set(ACTIVATIONS[name].references) <= set(keys)


def test_package_exports_the_registry_helpers():
    assert al.ACTIVATIONS is ACTIVATIONS
    assert al.get_activation is get_activation


def _one_sided_derivatives(function, at, params, h=1e-6):
    left = (function(np.array(at), **params) - function(np.array(at - h), **params)) / h
    right = (function(np.array(at + h), **params) - function(np.array(at), **params)) / h
    return float(left), float(right)


# Where each non-C-infinity function changes formula: its derivative (C0) or second derivative (C1) jumps there.
_KINKS = {"relu": 0.0, "relu6": 6.0, "leaky_relu": 0.0, "prelu": 0.0, "hardtanh": 1.0, "selu": 0.0,
          "elu": 0.0, "celu": 0.0}


@pytest.mark.parametrize("name", sorted(_KINKS))
def test_smoothness_is_what_the_one_sided_derivatives_show(name):
    record = ACTIVATIONS[name]
    at = _KINKS[name]
    left, right = _one_sided_derivatives(record.forward, at, record.defaults)
    jump = abs(left - right)
    if record.smoothness == "C0":
        assert jump > 1e-3, f"{name}: f' continuous at {at}, so it is not merely C0"
    else:
        assert record.smoothness == "C1"
        assert jump < 1e-4, f"{name}: f' jumps by {jump} at {at}"
        second_left, second_right = _one_sided_derivatives(record.derivative, at, record.defaults)
        assert abs(second_left - second_right) > 1e-3, f"{name}: f'' continuous at {at}, so more than C1"


def test_elu_is_only_c0_away_from_alpha_one():
    left, right = _one_sided_derivatives(ACTIVATIONS["elu"].forward, 0.0, {"alpha": 2.0})
    assert abs(left - right) > 0.5


def test_smoothness_vocabulary_and_the_smooth_shortcut():
    from activation_lab.registry import SMOOTHNESS

    assert {record.smoothness for record in ACTIVATIONS.values()} <= set(SMOOTHNESS)
    assert [name for name, record in ACTIVATIONS.items() if record.smooth] == [
        "identity", "sigmoid", "tanh", "softmax", "gelu", "silu", "softplus", "mish"]
    assert ACTIVATIONS["silu"].references[0] == "hendrycks2016gaussian"
