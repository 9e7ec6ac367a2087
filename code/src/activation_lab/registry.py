r"""One record per activation: the NumPy pair, the torch module, the formula and the facts.

Chapters draw tables, plots, colours and initialization gains from :data:`ACTIVATIONS`,
and the package derives from it which torch modules count as activations
(:data:`ACTIVATION_TYPES`) and which have one kink at 0 (:data:`ONE_KINK_TYPES`), so a
fact about an activation is written in exactly one place.

Example:
    >>> record = get_activation("relu")
    >>> record.formula, record.output_range, record.smoothness, record.can_die
    ('f(z) = \\max(0, z)', (0.0, inf), 'C0', True)
    >>> record.forward([-1.0, 2.0])
    array([0., 2.])
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Literal, Mapping, get_args

import numpy as np
import torch
from torch import nn

from . import functions as F
from .torch_activations import GeGLU, Maxout, ReGLU, SquaredReLU, SwiGLU

__all__ = [
    "Activation",
    "Parameter",
    "ACTIVATIONS",
    "ACTIVATION_TYPES",
    "ONE_KINK_TYPES",
    "SMOOTHNESS",
    "SATURATION",
    "COLORS",
    "get_activation",
]

Smoothness = Literal["discontinuous", "C0", "C1", "C∞"]
Saturation = Literal["none", "negative", "positive", "both"]
Color = Literal["black", "orange", "sky blue", "bluish green", "yellow", "blue", "vermillion", "reddish purple"]

SMOOTHNESS: tuple[str, ...] = get_args(Smoothness)
"""How smooth a function is on the whole real line: ``"C0"`` continuous with a kink (the
derivative jumps), ``"C1"`` a continuous derivative whose own derivative jumps, ``"C∞"``
derivatives of every order. ``"discontinuous"`` is the step."""

SATURATION: tuple[str, ...] = get_args(Saturation)
r"""Where the derivative tends to 0: on neither side, as :math:`z \to -\infty`, as
:math:`z \to +\infty`, or on both sides (the tables print it as "saturates")."""

COLORS: tuple[str, ...] = get_args(Color)
"""The names of the Okabe & Ito (2008) colours a record may take (hex values in
:data:`activation_lab.plots.OKABE_ITO`)."""

# f' is sampled on [-4, -2]: a unit "can die" when f' is exactly 0 on all of it, so
# pre-activations there get no gradient at all.
_DEATH_ZONE = np.linspace(-4.0, -2.0, 201)

# Lowest values of the functions with one dip below 0, found once with
# scipy.optimize.minimize_scalar on [-5, 0] (xatol 1e-10) and pinned by tests/test_registry.py.
GELU_MINIMUM = -0.16997120747990363
SILU_MINIMUM = -0.2784645427610738
MISH_MINIMUM = -0.30884341301725043


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A tunable argument of an activation: its default and a sensible range for sliders.

    Numeric parameters give ``low`` and ``high`` (the explorer's slider range);
    string parameters give ``choices`` instead (GELU's ``approximate``). All
    arguments are keyword-only and the record is frozen.

    Attributes:
        default: the value the function uses when the argument is not given,
            the same as in ``torch.nn.functional``.
        low: the lower end of the slider range (``None`` for a string parameter).
        high: the upper end of the slider range (``None`` for a string parameter).
        choices: the allowed strings of a string parameter (empty for a number).

    Example:
        >>> Parameter(default=0.01, low=0.0, high=1.0).default
        0.01
        >>> get_activation("gelu").parameters["approximate"].choices
        ('none', 'tanh')
    """

    default: float | str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Activation:
    r"""Everything the course knows about one activation function.

    ``forward`` and ``derivative`` are the NumPy functions; :meth:`module` builds
    the equivalent ``torch.nn`` module (``module_factory`` is ``None`` where PyTorch
    has none); ``gain`` is ``torch.nn.init.calculate_gain``'s value where it defines
    one. Properties describe the function at its default parameters (ELU is C1 only
    at ``alpha=1``, its default; with another alpha its derivative jumps at 0).
    All arguments are keyword-only; the record is frozen and checks
    ``smoothness``, ``saturates`` and ``color`` against :data:`SMOOTHNESS`,
    :data:`SATURATION` and :data:`COLORS` (``ValueError`` otherwise).

    Attributes:
        name: the key in :data:`ACTIVATIONS`, as in ``torch.nn.functional``.
        label: the name to print in tables and legends.
        forward: the NumPy function, e.g. :func:`~activation_lab.functions.relu`.
        derivative: its derivative (for softmax, the Jacobian).
        module_factory: a callable taking the parameters as keywords and returning
            the ``torch.nn`` module, or ``None`` where PyTorch has none.
        formula: the formula in LaTeX, without dollar signs.
        output_range: ``(low, high)``, the bounds of the function's values
            (``-inf`` and ``inf`` where unbounded).
        monotonic: whether the function never decreases.
        smoothness: one of :data:`SMOOTHNESS`.
        zero_centred: whether the outputs average about 0 when the inputs do (tanh,
            SELU); taking both signs is not enough (leaky ReLU is not zero-centred).
        saturates: where :math:`f'` tends to 0, one of :data:`SATURATION`.
        color: its Okabe-Ito colour, one of :data:`COLORS`.
        kinks: where the derivative jumps (default none).
        piecewise_linear: whether the function is affine between its kinks
            (default False).
        gain: ``torch.nn.init.calculate_gain``'s value, ``None`` where it defines none.
        elementwise: whether each output depends on one input only (default True;
            False for softmax).
        parameters: a read-only mapping from argument name to :class:`Parameter`.
        references: keys of ``references.bib``, the work that introduced it first.

    Example:
        >>> record = get_activation("leaky_relu")
        >>> record.defaults, record.kinks, record.piecewise_linear
        ({'negative_slope': 0.01}, (0.0,), True)
        >>> get_activation("relu").can_die, record.can_die
        (True, False)
    """

    name: str
    label: str
    forward: Callable
    derivative: Callable
    module_factory: Callable[..., nn.Module] | None
    formula: str
    output_range: tuple[float, float]
    monotonic: bool
    smoothness: Smoothness
    zero_centred: bool
    saturates: Saturation
    color: Color
    kinks: tuple[float, ...] = ()
    piecewise_linear: bool = False
    gain: float | None = None
    elementwise: bool = True
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    references: tuple[str, ...] = ()  # keys of references.bib, the work that introduced it first

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        for value, allowed, label in ((self.smoothness, SMOOTHNESS, "smoothness"),
                                      (self.saturates, SATURATION, "saturates"), (self.color, COLORS, "color")):
            if value not in allowed:
                raise ValueError(f"{self.name}: {label} must be one of {allowed}, got {value!r}")

    @property
    def smooth(self) -> bool:
        """Whether the function is infinitely differentiable everywhere (``smoothness == "C∞"``).

        ELU and CELU are only C1, so they are not smooth in this sense.

        Returns:
            A bool.

        Example:
            >>> get_activation("gelu").smooth, get_activation("elu").smooth
            (True, False)
        """
        return self.smoothness == "C∞"

    @property
    def defaults(self) -> dict:
        """The default value of each parameter, ready to pass as keyword arguments.

        Returns:
            A new dict from parameter name to default (empty without parameters).

        Example:
            >>> get_activation("softplus").defaults
            {'beta': 1.0, 'threshold': 20.0}
            >>> get_activation("relu").defaults
            {}
        """
        return {name: spec.default for name, spec in self.parameters.items()}

    @functools.cached_property
    def can_die(self) -> bool:
        r"""Whether a unit can die: :math:`f'` is exactly 0 on all of :math:`[-4, -2]`.

        A unit whose inputs all land there gets no gradient and never learns again
        (ReLU, ReLU6, hardtanh...). The derivative is sampled at 201 points, at the
        default parameters; a function that is not elementwise (softmax) never
        counts. Computed once per record, then cached.

        Returns:
            A bool.

        Example:
            >>> get_activation("relu").can_die, get_activation("elu").can_die
            (True, False)
        """
        return self.elementwise and bool(np.all(self.derivative(_DEATH_ZONE, **self.defaults) == 0.0))

    def module(self, **params) -> nn.Module:
        """Build the ``torch.nn`` module, with the defaults unless ``params`` override them.

        Args:
            params: parameters by name, e.g. ``negative_slope=0.2``; each must be
                one of the record's :attr:`parameters`.

        Returns:
            A new ``torch.nn.Module`` on each call.

        Raises:
            ValueError: if the record has no module (the step).
            TypeError: if a name in ``params`` is not one of the record's parameters.

        Example:
            >>> get_activation("leaky_relu").module(negative_slope=0.2)
            LeakyReLU(negative_slope=0.2)
            >>> get_activation("relu").module(alpha=1.0)
            Traceback (most recent call last):
            ...
            TypeError: 'relu' takes parameters [], got ['alpha']
        """
        if self.module_factory is None:
            raise ValueError(f"{self.name!r} has no torch.nn module (its gradient is zero almost everywhere)")
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise TypeError(f"{self.name!r} takes parameters {sorted(self.parameters)}, got {sorted(unknown)}")
        return self.module_factory(**{**self.defaults, **params})

    @property
    def module_type(self) -> type[nn.Module] | None:
        """The ``torch.nn`` class of :meth:`module`, as probes match modules against it.

        For PReLU, whose module is a thin subclass, it is ``nn.PReLU``; where
        PyTorch has no class (swish) it is the package's own.

        Returns:
            A subclass of ``torch.nn.Module``, or ``None`` for a record without a module.

        Example:
            >>> get_activation("prelu").module_type
            <class 'torch.nn.modules.activation.PReLU'>
            >>> get_activation("swish").module_type
            <class 'activation_lab.registry.Swish'>
            >>> get_activation("step").module_type is None
            True
        """
        if self.module_factory is None:
            return None
        built = type(self.module())
        return next((cls for cls in built.__mro__ if cls.__module__.startswith("torch.nn.modules")
                     and cls is not nn.Module), built)


class _PReLUWithSlope(nn.PReLU):
    """``nn.PReLU`` whose initial slope is called ``weight``, as in ``F.prelu``."""

    def __init__(self, weight: float = 0.25):
        super().__init__(num_parameters=1, init=float(weight))


class Swish(nn.Module):
    r"""Swish with a fixed slope, :math:`f(z) = z\,\sigma(\beta z)`; ``beta=1`` is ``nn.SiLU``.

    PyTorch has no swish module with a slope, so the registry builds this one; the
    slope is fixed, not learned.

    Args:
        beta: the slope :math:`\beta` (default 1.0).

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> Swish(beta=2.0)
        Swish(beta=2.0)
        >>> Swish(beta=2.0)(torch.tensor([0.0, 1.0], dtype=torch.float64)).round(decimals=4).tolist()
        [0.0, 0.8808]
    """

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = float(beta)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Apply :math:`z\,\sigma(\beta z)` elementwise.

        Args:
            z: a floating tensor of any shape.

        Returns:
            A new tensor of ``z``'s shape and dtype.

        Example:
            >>> z = torch.tensor([-1.0, 1.0], dtype=torch.float64)
            >>> Swish(beta=1.0).forward(z).round(decimals=4).tolist()
            [-0.2689, 0.7311]
        """
        return z * torch.sigmoid(self.beta * z)

    def extra_repr(self) -> str:
        """The slope as ``torch.nn`` prints it inside the module's repr.

        Returns:
            A string such as ``"beta=2.0"``.

        Example:
            >>> Swish(beta=2.0).extra_repr()
            'beta=2.0'
        """
        return f"beta={self.beta}"


class _SoftmaxLastDim(nn.Softmax):
    def __init__(self):
        super().__init__(dim=-1)


_INF = math.inf
_GELU = {"approximate": Parameter(default="none", choices=("none", "tanh"))}
_ALPHA = {"alpha": Parameter(default=1.0, low=0.1, high=3.0)}

_RECORDS = [
    Activation(
        name="identity", label="Identity", forward=F.identity, derivative=F.identity_derivative,
        module_factory=nn.Identity, formula=r"f(z) = z", output_range=(-_INF, _INF), monotonic=True,
        smoothness="C∞", zero_centred=True, saturates="none", color="black", piecewise_linear=True, gain=1.0,
    ),
    Activation(
        name="step", label="Step (Heaviside)", forward=F.step, derivative=F.step_derivative, module_factory=None,
        formula=r"f(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}", output_range=(0.0, 1.0),
        monotonic=True, smoothness="discontinuous", zero_centred=False, saturates="both", color="black",
        kinks=(0.0,), piecewise_linear=True, parameters={"value_at_zero": Parameter(default=0.0, low=0.0, high=1.0)},
        references=("rosenblatt1958perceptron",),
    ),
    Activation(
        name="sigmoid", label="Sigmoid", forward=F.sigmoid, derivative=F.sigmoid_derivative,
        module_factory=nn.Sigmoid, formula=r"\sigma(z) = \frac{1}{1 + e^{-z}}", output_range=(0.0, 1.0),
        monotonic=True, smoothness="C∞", zero_centred=False, saturates="both", color="vermillion", gain=1.0,
    ),
    Activation(
        name="hardsigmoid", label="Hard sigmoid", forward=F.hardsigmoid, derivative=F.hardsigmoid_derivative,
        module_factory=nn.Hardsigmoid, formula=r"f(z) = \min(\max(z/6 + 1/2, 0), 1)", output_range=(0.0, 1.0),
        monotonic=True, smoothness="C0", zero_centred=False, saturates="both", color="orange",
        kinks=(-3.0, 3.0), piecewise_linear=True, references=("howard2019searching",),
    ),
    Activation(
        name="tanh", label="Tanh", forward=F.tanh, derivative=F.tanh_derivative, module_factory=nn.Tanh,
        formula=r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", output_range=(-1.0, 1.0), monotonic=True,
        smoothness="C∞", zero_centred=True, saturates="both", color="bluish green", gain=5.0 / 3.0,
        references=("lecun2012efficient",),
    ),
    Activation(
        name="hardtanh", label="Hardtanh", forward=F.hardtanh, derivative=F.hardtanh_derivative,
        module_factory=nn.Hardtanh, formula=r"f(z) = \min(\max(z, a), b)", output_range=(-1.0, 1.0),
        monotonic=True, smoothness="C0", zero_centred=True, saturates="both", color="orange",
        kinks=(-1.0, 1.0), piecewise_linear=True,
        parameters={"min_val": Parameter(default=-1.0, low=-3.0, high=0.0),
                    "max_val": Parameter(default=1.0, low=0.5, high=6.0)},
    ),
    Activation(
        name="softsign", label="Softsign", forward=F.softsign, derivative=F.softsign_derivative,
        module_factory=nn.Softsign, formula=r"f(z) = \frac{z}{1 + |z|}", output_range=(-1.0, 1.0),
        monotonic=True, smoothness="C1", zero_centred=True, saturates="both", color="sky blue",
        references=("bergstra2009quadratic",),
    ),
    Activation(
        name="softmax", label="Softmax", forward=F.softmax, derivative=F.softmax_jacobian,
        module_factory=_SoftmaxLastDim, formula=r"f(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", output_range=(0.0, 1.0),
        monotonic=True, smoothness="C∞", zero_centred=False, saturates="both", color="sky blue",
        elementwise=False, references=("bridle1990probabilistic",),
    ),
    Activation(
        name="relu", label="ReLU", forward=F.relu, derivative=F.relu_derivative, module_factory=nn.ReLU,
        formula=r"f(z) = \max(0, z)", output_range=(0.0, _INF), monotonic=True, smoothness="C0",
        zero_centred=False, saturates="negative", color="blue", kinks=(0.0,), piecewise_linear=True,
        gain=math.sqrt(2.0), references=("nair2010rectified",),
    ),
    Activation(
        name="relu6", label="ReLU6", forward=F.relu6, derivative=F.relu6_derivative, module_factory=nn.ReLU6,
        formula=r"f(z) = \min(\max(0, z), 6)", output_range=(0.0, 6.0), monotonic=True, smoothness="C0",
        zero_centred=False, saturates="both", color="vermillion", kinks=(0.0, 6.0), piecewise_linear=True,
        references=("sandler2018mobilenetv2",),
    ),
    Activation(
        name="leaky_relu", label="Leaky ReLU", forward=F.leaky_relu, derivative=F.leaky_relu_derivative,
        module_factory=nn.LeakyReLU, formula=r"f(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}",
        output_range=(-_INF, _INF), monotonic=True, smoothness="C0", zero_centred=False, saturates="none",
        color="orange", kinks=(0.0,), piecewise_linear=True, gain=math.sqrt(2.0 / (1.0 + 0.01**2)),
        parameters={"negative_slope": Parameter(default=0.01, low=0.0, high=1.0)}, references=("maas2013rectifier",),
    ),
    Activation(
        name="prelu", label="PReLU", forward=F.prelu, derivative=F.prelu_derivative, module_factory=_PReLUWithSlope,
        formula=r"f(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases},\ a \text{ learned}",
        output_range=(-_INF, _INF), monotonic=True, smoothness="C0", zero_centred=False, saturates="none",
        color="yellow", kinks=(0.0,), piecewise_linear=True,
        parameters={"weight": Parameter(default=0.25, low=0.0, high=1.0)}, references=("he2015delving",),
    ),
    Activation(
        name="rrelu", label="RReLU", forward=F.rrelu, derivative=F.rrelu_derivative, module_factory=nn.RReLU,
        formula=r"f(z) = \begin{cases} z & z \ge 0 \\ a z & z < 0 \end{cases},\ "
                r"a \sim U(l, u) \text{ in training}, \tfrac{l + u}{2} \text{ in evaluation}",
        output_range=(-_INF, _INF), monotonic=True, smoothness="C0", zero_centred=False, saturates="none",
        color="bluish green", kinks=(0.0,), piecewise_linear=True,
        # Slider ranges that meet at 0.3, so no setting has lower > upper.
        parameters={"lower": Parameter(default=1.0 / 8.0, low=0.0, high=0.3),
                    "upper": Parameter(default=1.0 / 3.0, low=0.3, high=1.0)},
        references=("xu2015empirical",),
    ),
    Activation(
        name="elu", label="ELU", forward=F.elu, derivative=F.elu_derivative, module_factory=nn.ELU,
        formula=r"f(z) = \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        output_range=(-1.0, _INF), monotonic=True, smoothness="C1", zero_centred=False, saturates="negative",
        color="reddish purple", parameters=_ALPHA, references=("clevert2016fast",),
    ),
    Activation(
        name="selu", label="SELU", forward=F.selu, derivative=F.selu_derivative, module_factory=nn.SELU,
        formula=r"f(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        output_range=(-F.SELU_SCALE * F.SELU_ALPHA, _INF), monotonic=True, smoothness="C0", zero_centred=True,
        saturates="negative", color="bluish green", kinks=(0.0,), gain=0.75, references=("klambauer2017self",),
    ),
    Activation(
        name="celu", label="CELU", forward=F.celu, derivative=F.celu_derivative, module_factory=nn.CELU,
        formula=r"f(z) = \max(0, z) + \min(0, \alpha (e^{z/\alpha} - 1))", output_range=(-1.0, _INF),
        monotonic=True, smoothness="C1", zero_centred=False, saturates="negative", color="blue",
        parameters=_ALPHA, references=("barron2017continuously",),
    ),
    Activation(
        name="gelu", label="GELU", forward=F.gelu, derivative=F.gelu_derivative, module_factory=nn.GELU,
        formula=r"f(z) = z\,\Phi(z)", output_range=(GELU_MINIMUM, _INF), monotonic=False, smoothness="C∞",
        zero_centred=False, saturates="negative", color="sky blue", parameters=_GELU,
        references=("hendrycks2016gaussian",),
    ),
    Activation(
        name="silu", label="SiLU (swish)", forward=F.silu, derivative=F.silu_derivative, module_factory=nn.SiLU,
        formula=r"f(z) = z\,\sigma(z)", output_range=(SILU_MINIMUM, _INF), monotonic=False, smoothness="C∞",
        zero_centred=False, saturates="negative", color="orange",
        references=("hendrycks2016gaussian", "elfwing2018sigmoid", "ramachandran2017searching"),
    ),
    Activation(
        name="swish", label="Swish (β)", forward=F.swish, derivative=F.swish_derivative, module_factory=Swish,
        formula=r"f(z) = z\,\sigma(\beta z)", output_range=(SILU_MINIMUM, _INF), monotonic=False,
        smoothness="C∞", zero_centred=False, saturates="negative", color="black",
        parameters={"beta": Parameter(default=1.0, low=0.0, high=10.0)}, references=("ramachandran2017searching",),
    ),
    Activation(
        name="hardswish", label="Hard-swish", forward=F.hardswish, derivative=F.hardswish_derivative,
        module_factory=nn.Hardswish, formula=r"f(z) = z\,\frac{\min(\max(z + 3, 0), 6)}{6}",
        output_range=(-0.375, _INF), monotonic=False, smoothness="C0", zero_centred=False, saturates="negative",
        color="sky blue", kinks=(-3.0, 3.0), references=("howard2019searching",),
    ),
    Activation(
        name="softplus", label="Softplus", forward=F.softplus, derivative=F.softplus_derivative,
        module_factory=nn.Softplus, formula=r"f(z) = \tfrac{1}{\beta}\log\left(1 + e^{\beta z}\right)",
        output_range=(0.0, _INF), monotonic=True, smoothness="C∞", zero_centred=False, saturates="negative",
        color="reddish purple",
        parameters={"beta": Parameter(default=1.0, low=0.25, high=10.0),
                    "threshold": Parameter(default=20.0, low=1.0, high=40.0)},
        references=("dugas2001incorporating",),
    ),
    Activation(
        name="mish", label="Mish", forward=F.mish, derivative=F.mish_derivative, module_factory=nn.Mish,
        formula=r"f(z) = z \tanh\left(\log(1 + e^{z})\right)", output_range=(MISH_MINIMUM, _INF), monotonic=False,
        smoothness="C∞", zero_centred=False, saturates="negative", color="vermillion", references=("misra2019mish",),
    ),
    Activation(
        name="squared_relu", label="Squared ReLU", forward=F.squared_relu, derivative=F.squared_relu_derivative,
        module_factory=SquaredReLU, formula=r"f(z) = \max(0, z)^2", output_range=(0.0, _INF), monotonic=True,
        smoothness="C1", zero_centred=False, saturates="negative", color="reddish purple",
        references=("so2021primer",),
    ),
    # Gated units take a value half u and a gate half z and return u * f(z); each gate keeps the
    # colour of its activation. Odd in u, so their outputs are centred on 0 when u is. The gate
    # closes as z -> -inf, where both derivatives tend to 0: "negative" saturation.
    Activation(
        name="glu", label="GLU", forward=F.glu, derivative=F.glu_derivative, module_factory=nn.GLU,
        formula=r"f(u, z) = u \odot \sigma(z)", output_range=(-_INF, _INF), monotonic=False, smoothness="C∞",
        zero_centred=True, saturates="negative", color="vermillion", elementwise=False,
        references=("dauphin2017language",),
    ),
    Activation(
        name="reglu", label="ReGLU", forward=F.reglu, derivative=F.reglu_derivative, module_factory=ReGLU,
        formula=r"f(u, z) = u \odot \max(0, z)", output_range=(-_INF, _INF), monotonic=False, smoothness="C0",
        zero_centred=True, saturates="negative", color="blue", elementwise=False, references=("shazeer2020glu",),
    ),
    Activation(
        name="geglu", label="GeGLU", forward=F.geglu, derivative=F.geglu_derivative, module_factory=GeGLU,
        formula=r"f(u, z) = u \odot z\,\Phi(z)", output_range=(-_INF, _INF), monotonic=False, smoothness="C∞",
        zero_centred=True, saturates="negative", color="sky blue", elementwise=False, parameters=_GELU,
        references=("shazeer2020glu",),
    ),
    Activation(
        name="swiglu", label="SwiGLU", forward=F.swiglu, derivative=F.swiglu_derivative, module_factory=SwiGLU,
        formula=r"f(u, z) = u \odot z\,\sigma(z)", output_range=(-_INF, _INF), monotonic=False,
        smoothness="C∞", zero_centred=True, saturates="negative", color="orange", elementwise=False,
        references=("shazeer2020glu",),
    ),
    # Maxout's inputs are k affine pieces per unit; it keeps the largest, so it is piecewise linear
    # and non-decreasing in each input, and its gradient is 1 for the winning piece.
    Activation(
        name="maxout", label="Maxout", forward=F.maxout, derivative=F.maxout_derivative, module_factory=Maxout,
        formula=r"f(z)_i = \max_{j \le k} z_{i,j}", output_range=(-_INF, _INF), monotonic=True, smoothness="C0",
        zero_centred=False, saturates="none", color="bluish green", piecewise_linear=True, elementwise=False,
        parameters={"pieces": Parameter(default=2, low=2, high=6)}, references=("goodfellow2013maxout",),
    ),
]

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({record.name: record for record in _RECORDS})
"""Read-only mapping from a name (as in ``torch.nn.functional``) to its :class:`Activation`."""

ACTIVATION_TYPES: tuple[type[nn.Module], ...] = tuple(
    record.module_type for record in _RECORDS
    if record.module_factory is not None and record.elementwise and record.name != "identity"
)
"""The module classes that probes treat as hidden-layer activations: every elementwise
record's module except ``nn.Identity``."""

ONE_KINK_TYPES: tuple[type[nn.Module], ...] = tuple(
    record.module_type for record in _RECORDS
    if record.module_factory is not None and record.piecewise_linear and record.kinks == (0.0,)
)
"""Piecewise-linear activation modules with a single kink at 0 (ReLU, leaky ReLU, PReLU,
RReLU in evaluation): a unit's on/off state at a point is the sign of its pre-activation."""


def get_activation(name: str) -> Activation:
    """Look up a record by name, with a helpful error for a misspelt one.

    Args:
        name: a key of :data:`ACTIVATIONS`, spelt as in ``torch.nn.functional``
            (``"leaky_relu"``, ``"gelu"``...).

    Returns:
        The :class:`Activation` record.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: if no record has that name; the message lists the names.

    Example:
        >>> get_activation("gelu").label
        'GELU'
        >>> get_activation("rectifier")
        Traceback (most recent call last):
        ...
        ValueError: unknown activation 'rectifier'; expected one of [...]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}") from None
