"""activation_lab: the tested code behind the course on activation functions.

Modules, one concern each:

- :mod:`activation_lab.functions`: NumPy activations and their derivatives.
- :mod:`activation_lab.registry`: :data:`ACTIVATIONS`, one record per activation.
- :mod:`activation_lab.reproducibility`: :func:`reproducible`, seeds and threads in one call.
"""

from . import functions
from .functions import (
    SELU_ALPHA,
    SELU_SCALE,
    celu,
    celu_derivative,
    elu,
    elu_derivative,
    gelu,
    gelu_derivative,
    hardtanh,
    hardtanh_derivative,
    identity,
    identity_derivative,
    leaky_relu,
    leaky_relu_derivative,
    mish,
    mish_derivative,
    prelu,
    prelu_derivative,
    relu,
    relu6,
    relu6_derivative,
    relu_derivative,
    selu,
    selu_derivative,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
    softmax,
    softmax_jacobian,
    softplus,
    softplus_derivative,
    step,
    step_derivative,
    tanh,
    tanh_derivative,
)
from .registry import ACTIVATIONS, Activation, Parameter, get_activation
from .reproducibility import reproducible

__version__ = "0.1.0"

__all__ = [*functions.__all__, "ACTIVATIONS", "Activation", "Parameter", "get_activation", "reproducible"]
