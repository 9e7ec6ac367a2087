"""The exercise checkers accept the package's own answers and reject typical wrong ones, saying where."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import activation_lab as al
from activation_lab import exercises as check

F = al.functions


def naive_sigmoid_derivative(x):
    s = 1.0 / (1.0 + np.exp(-x))  # exp(800) overflows: inf / inf at -inf is NaN
    return np.exp(-x) / (1.0 + np.exp(-x)) ** 2


def in_place_relu_derivative(x):
    x[x <= 0] = 0.0
    x[x > 0] = 1.0
    return x


@pytest.mark.parametrize("checker, right, wrongs", [
    (check.sigmoid_derivative, F.sigmoid_derivative, [
        (naive_sigmoid_derivative, "x = -inf"),
        (lambda x: F.sigmoid(x), "expected"),  # the function, not its derivative
        (lambda x: F.sigmoid(x) * (1 + F.sigmoid(x)), "expected"),
    ]),
    (check.tanh_derivative, F.tanh_derivative, [
        (lambda x: 1 - np.tanh(x), "expected"),
        (lambda x: np.cosh(x) ** -1, "expected"),
        (lambda x: 1 - np.tanh(x) ** 2 + 1e-3, "expected"),
    ]),
    (check.relu_derivative, F.relu_derivative, [
        (lambda x: (np.asarray(x) > 0).astype(float), "x = nan"),
        (lambda x: (np.asarray(x) >= 0).astype(float), "x = 0"),
        (in_place_relu_derivative, "in place"),
    ]),
    (check.leaky_relu_derivative, F.leaky_relu_derivative, [
        (lambda x, negative_slope=0.01: np.where(x > 0, 1.0, negative_slope), "x = nan"),
        (lambda x, negative_slope=0.01: np.where(np.isnan(x), np.nan, np.where(x >= 0, 1.0, negative_slope)), "x = 0"),
        (lambda x, negative_slope=0.01: np.where(np.isnan(x), np.nan, np.where(x > 0, 1.0, 0.01)), "negative_slope=0.2"),
    ]),
    (check.elu_derivative, F.elu_derivative, [
        (lambda x, alpha=1.0: np.where(x > 0, 1.0, alpha * np.expm1(x)), "expected"),  # ELU itself below 0
        (lambda x, alpha=1.0: np.where(np.isnan(x), np.nan, np.where(x > 0, 1.0, np.exp(x))), "alpha=0.5"),
        (lambda x, alpha=1.0: np.where(np.isnan(x), np.nan, np.where(x >= 0, 1.0, alpha * np.exp(x))), "x = 0"),
    ]),
    (check.softmax, lambda x: F.softmax(x, dim=-1), [
        (lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True), "1000"),
        (lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum(), "expected"),  # normalizes the whole batch
        (lambda x: np.exp(x - x.max(axis=0, keepdims=True)) / np.exp(x - x.max(axis=0, keepdims=True)).sum(
            axis=0, keepdims=True), "expected"),
    ]),
    (check.he_std, lambda fan_in, fan_out: al.networks.init_std("he", fan_in, fan_out), [
        (lambda fan_in, fan_out: math.sqrt(1.0 / fan_in), "expected 1.41421, got 1"),
        (lambda fan_in, fan_out: 2.0 / fan_in, "expected"),
        (lambda fan_in, fan_out: math.sqrt(2.0 / fan_out), "(2, 3)"),
    ]),
    (check.xavier_std, lambda fan_in, fan_out: al.networks.init_std("xavier", fan_in, fan_out), [
        (lambda fan_in, fan_out: math.sqrt(1.0 / (fan_in + fan_out)), "expected"),
        (lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), "(1, 1)"),
        (lambda fan_in, fan_out: math.sqrt(6.0 / (fan_in + fan_out)), "expected"),
    ]),
])
def test_checker_accepts_the_answer_and_rejects_wrong_ones(checker, right, wrongs):
    result = checker(right)
    assert result.passed and bool(result) and "passed all" in str(result)
    for wrong, where in wrongs:
        result = checker(wrong)
        assert not result.passed, f"{checker.__name__} accepted a wrong answer"
        assert result.message.startswith(checker.__name__ + ": ")
        assert where in result.message, result.message


def dead_by_hand(model, x):
    counts, h = [], x
    with torch.no_grad():
        for module in model:
            if isinstance(module, torch.nn.ReLU):
                counts.append(int((h <= 0).all(dim=0).sum()))
            h = module(h)
    return counts


def dead_after_relu(model, x):  # counts outputs that are 0 on one input only: sparse, not dead
    counts, h = [], x
    with torch.no_grad():
        for module in model:
            h = module(h)
            if isinstance(module, torch.nn.ReLU):
                counts.append(int((h == 0).any(dim=0).sum()))
    return counts


def dead_in_eval_mode(model, x):
    model.eval()
    return dead_by_hand(model, x)


def dead_that_trains(model, x):
    with torch.no_grad():
        model[0].bias.add_(1.0)
    return dead_by_hand(model, x)


def test_dead_units_checker():
    assert check.dead_units_per_layer(dead_by_hand).passed
    for wrong, where in ((dead_after_relu, "expected dead units per layer"), (dead_in_eval_mode, "mode"),
                         (dead_that_trains, "parameters"), (lambda model, x: [0], "expected dead units")):
        result = check.dead_units_per_layer(wrong)
        assert not result.passed and where in result.message, result.message


def selu_moments_by_quadrature(mean, variance):
    from scipy.integrate import quad

    std = math.sqrt(variance)

    def moment(power):
        def integrand(t):
            return float(F.selu(mean + std * t)) ** power * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
        return sum(quad(integrand, a, b)[0] for a, b in ((-math.inf, -mean / std), (-mean / std, math.inf)))

    first = moment(1)
    return first, moment(2) - first**2


def test_selu_moments_checker():
    assert check.selu_moments(selu_moments_by_quadrature).passed
    wrongs = [lambda m, v: (0.0, 1.0),                                     # the fixed point everywhere
              lambda m, v: (float(F.selu(m)), v),                          # the function of the mean
              lambda m, v: (selu_moments_by_quadrature(m, v)[0], selu_moments_by_quadrature(m, v)[1] + 0.01),
              lambda m, v: selu_moments_by_quadrature(m, math.sqrt(v))]    # a std taken for the variance
    for wrong in wrongs:
        result = check.selu_moments(wrong)
        assert not result.passed and "expected (" in result.message, result.message


@pytest.mark.parametrize("checker", [check.sigmoid_derivative, check.softmax, check.he_std,
                                     check.dead_units_per_layer, check.selu_moments])
def test_checkers_report_rather_than_raise(checker):
    assert "expected a function" in checker(3.0).message
    broken = checker(lambda *args, **kwargs: 1 / 0)
    assert not broken.passed and "ZeroDivisionError" in broken.message


def split_halves(x):
    value, gate = np.split(np.asarray(x, dtype=float), 2, axis=-1)
    return value, gate


@pytest.mark.parametrize("wrong, where", [
    (lambda x: F.swiglu(np.concatenate(split_halves(x)[::-1], axis=-1)), "expected"),  # halves swapped
    (lambda x: split_halves(x)[0] * F.sigmoid(split_halves(x)[1]), "expected"),          # GLU's gate, not SiLU
    (lambda x: F.silu(split_halves(x)[0] * split_halves(x)[1]), "expected"),              # the gate of the product
    (lambda x: np.asarray(x), "shape"),                                                   # forgot to halve
    (lambda x: 1 / 0, "ZeroDivisionError"),
])
def test_swiglu_checker(wrong, where):
    assert check.swiglu(F.swiglu).passed
    result = check.swiglu(wrong)
    assert not result.passed and where in result.message, result.message


def grouped(x, pieces):
    x = np.asarray(x, dtype=float)
    return x.reshape(*x.shape[:-1], -1, pieces)


@pytest.mark.parametrize("wrong, where", [
    (lambda x, pieces: np.asarray(x).reshape(len(x), pieces, -1).max(axis=1), "pieces=3"),  # interleaved groups
    (lambda x, pieces: grouped(x, pieces).min(axis=-1), "expected"),
    (lambda x, pieces: grouped(x, pieces).mean(axis=-1), "expected"),
    (lambda x, pieces: grouped(x, 2).max(axis=-1), "shape"),                                # ignores pieces
])
def test_maxout_checker(wrong, where):
    assert check.maxout(F.maxout).passed and check.maxout(F.maxout, pieces=2).passed
    result = check.maxout(wrong)
    assert not result.passed and where in result.message, result.message
