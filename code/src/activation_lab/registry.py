"""One record per activation: the NumPy pair, the torch module, the formula and the facts.

Chapters draw tables, plots and initialization gains from :data:`ACTIVATIONS`, so
a fact about an activation is written in exactly one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

from scipy.optimize import minimize_scalar
from torch import nn

from . import functions as F

__all__ = ["Activation", "Parameter", "ACTIVATIONS", "SMOOTHNESS", "get_activation"]

SMOOTHNESS = ("discontinuous", "C0", "C1", "C∞")
"""How smooth a function is on the whole real line: ``"C0"`` continuous with a kink (the
derivative jumps), ``"C1"`` a continuous derivative whose own derivative jumps, ``"C∞"``
derivatives of every order. ``"discontinuous"`` is the step."""


@dataclass(frozen=True)
class Parameter:
    """A tunable argument of an activation: its default and a sensible range for sliders."""

    default: float | str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activation:
    """Everything the course knows about one activation function.

    ``forward`` and ``derivative`` are the NumPy functions; ``module(**params)``
    builds the equivalent ``torch.nn`` module (``None`` where PyTorch has none);
    ``gain`` is ``torch.nn.init.calculate_gain``'s value where it defines one.
    Properties describe the function at its default parameters (ELU is C1 only at
    ``alpha=1``, its default; with another alpha its derivative jumps at 0).
    """

    name: str
    label: str
    forward: Callable
    derivative: Callable
    module_factory: Callable[..., nn.Module] | None
    formula: str
    output_range: tuple[float, float]
    monotonic: bool
    smoothness: str  # one of SMOOTHNESS: how many derivatives are continuous at the default parameters
    zero_centred: bool
    saturates: str  # "none", "negative", "positive" or "both"
    gain: float | None = None
    elementwise: bool = True
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    references: tuple[str, ...] = ()  # keys of references.bib, the work that introduced it first

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        if self.smoothness not in SMOOTHNESS:
            raise ValueError(f"{self.name}: smoothness must be one of {SMOOTHNESS}, got {self.smoothness!r}")

    @property
    def smooth(self) -> bool:
        """Infinitely differentiable everywhere (``smoothness == "C∞"``); ELU and CELU are only C1."""
        return self.smoothness == "C∞"

    @property
    def defaults(self) -> dict:
        """The default value of each parameter, ready to pass as keyword arguments."""
        return {name: spec.default for name, spec in self.parameters.items()}

    def module(self, **params) -> nn.Module:
        """Build the ``torch.nn`` module, with the defaults unless ``params`` override them."""
        if self.module_factory is None:
            raise ValueError(f"{self.name!r} has no torch.nn module (its gradient is zero almost everywhere)")
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise TypeError(f"{self.name!r} takes parameters {sorted(self.parameters)}, got {sorted(unknown)}")
        return self.module_factory(**{**self.defaults, **params})


class _PReLUWithSlope(nn.PReLU):
    """``nn.PReLU`` whose initial slope is called ``weight``, as in ``F.prelu``."""

    def __init__(self, weight: float = 0.25):
        super().__init__(num_parameters=1, init=float(weight))


_INF = math.inf


def _minimum(function: Callable) -> float:
    """The lowest value of a function with one dip on [-5, 0] (gelu, silu, mish)."""
    return float(minimize_scalar(function, bounds=(-5.0, 0.0), method="bounded", options={"xatol": 1e-10}).fun)


_GELU = {"approximate": Parameter("none", choices=("none", "tanh"))}

_RECORDS = [
    Activation(
        "identity", "Identity", F.identity, F.identity_derivative, nn.Identity,
        r"f(z) = z", (-_INF, _INF), True, "C∞", True, "none", gain=1.0,
    ),
    Activation(
        "step", "Step (Heaviside)", F.step, F.step_derivative, None,
        r"f(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}", (0.0, 1.0),
        True, "discontinuous", False, "both",
        parameters={"value_at_zero": Parameter(0.0, 0.0, 1.0)}, references=("rosenblatt1958perceptron",),
    ),
    Activation(
        "sigmoid", "Sigmoid", F.sigmoid, F.sigmoid_derivative, nn.Sigmoid,
        r"\sigma(z) = \frac{1}{1 + e^{-z}}", (0.0, 1.0), True, "C∞", False, "both", gain=1.0,
    ),
    Activation(
        "tanh", "Tanh", F.tanh, F.tanh_derivative, nn.Tanh,
        r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", (-1.0, 1.0), True, "C∞", True, "both",
        gain=5.0 / 3.0, references=("lecun2012efficient",),
    ),
    Activation(
        "hardtanh", "Hardtanh", F.hardtanh, F.hardtanh_derivative, nn.Hardtanh,
        r"f(z) = \min(\max(z, a), b)", (-1.0, 1.0), True, "C0", True, "both",
        parameters={"min_val": Parameter(-1.0, -3.0, 0.0), "max_val": Parameter(1.0, 0.5, 6.0)},
    ),
    Activation(
        "softmax", "Softmax", F.softmax, F.softmax_jacobian, lambda: nn.Softmax(dim=-1),
        r"f(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", (0.0, 1.0), True, "C∞", False, "both",
        elementwise=False, references=("bridle1990probabilistic",),
    ),
    Activation(
        "relu", "ReLU", F.relu, F.relu_derivative, nn.ReLU,
        r"f(z) = \max(0, z)", (0.0, _INF), True, "C0", False, "negative", gain=math.sqrt(2.0),
        references=("nair2010rectified",),
    ),
    Activation(
        "relu6", "ReLU6", F.relu6, F.relu6_derivative, nn.ReLU6,
        r"f(z) = \min(\max(0, z), 6)", (0.0, 6.0), True, "C0", False, "both",
        references=("sandler2018mobilenetv2",),
    ),
    Activation(
        "leaky_relu", "Leaky ReLU", F.leaky_relu, F.leaky_relu_derivative, nn.LeakyReLU,
        r"f(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}", (-_INF, _INF),
        True, "C0", False, "none", gain=math.sqrt(2.0 / (1.0 + 0.01**2)),
        parameters={"negative_slope": Parameter(0.01, 0.0, 1.0)}, references=("maas2013rectifier",),
    ),
    Activation(
        "prelu", "PReLU", F.prelu, F.prelu_derivative, _PReLUWithSlope,
        r"f(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases},\ a \text{ learned}",
        (-_INF, _INF), True, "C0", False, "none",
        parameters={"weight": Parameter(0.25, 0.0, 1.0)}, references=("he2015delving",),
    ),
    Activation(
        "elu", "ELU", F.elu, F.elu_derivative, nn.ELU,
        r"f(z) = \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}", (-1.0, _INF),
        True, "C1", False, "negative",
        parameters={"alpha": Parameter(1.0, 0.1, 3.0)}, references=("clevert2016fast",),
    ),
    Activation(
        "selu", "SELU", F.selu, F.selu_derivative, nn.SELU,
        r"f(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        (-F.SELU_SCALE * F.SELU_ALPHA, _INF), True, "C0", True, "negative", gain=0.75,
        references=("klambauer2017self",),
    ),
    Activation(
        "celu", "CELU", F.celu, F.celu_derivative, nn.CELU,
        r"f(z) = \max(0, z) + \min(0, \alpha (e^{z/\alpha} - 1))", (-1.0, _INF),
        True, "C1", False, "negative",
        parameters={"alpha": Parameter(1.0, 0.1, 3.0)}, references=("barron2017continuously",),
    ),
    Activation(
        "gelu", "GELU", F.gelu, F.gelu_derivative, nn.GELU,
        r"f(z) = z\,\Phi(z)", (_minimum(F.gelu), _INF), False, "C∞", False, "negative",
        parameters=_GELU, references=("hendrycks2016gaussian",),
    ),
    Activation(
        "silu", "SiLU (swish)", F.silu, F.silu_derivative, nn.SiLU,
        r"f(z) = z\,\sigma(z)", (_minimum(F.silu), _INF), False, "C∞", False, "negative",
        references=("hendrycks2016gaussian", "elfwing2018sigmoid", "ramachandran2017searching"),
    ),
    Activation(
        "softplus", "Softplus", F.softplus, F.softplus_derivative, nn.Softplus,
        r"f(z) = \tfrac{1}{\beta}\log\left(1 + e^{\beta z}\right)", (0.0, _INF), True, "C∞", False, "negative",
        parameters={"beta": Parameter(1.0, 0.25, 10.0), "threshold": Parameter(20.0, 1.0, 40.0)},
        references=("dugas2001incorporating",),
    ),
    Activation(
        "mish", "Mish", F.mish, F.mish_derivative, nn.Mish,
        r"f(z) = z \tanh\left(\log(1 + e^{z})\right)", (_minimum(F.mish), _INF), False, "C∞", False, "negative",
        references=("misra2019mish",),
    ),
]

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({record.name: record for record in _RECORDS})
"""Read-only mapping from a name (as in ``torch.nn.functional``) to its :class:`Activation`."""


def get_activation(name: str) -> Activation:
    """Look up a record by name, with a helpful error for a misspelt one."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}") from None
