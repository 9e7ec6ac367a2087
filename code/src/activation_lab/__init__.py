"""activation_lab: the tested code behind the course on activation functions.

Modules, one concern each:

- :mod:`activation_lab.functions`: NumPy activations and their derivatives.
- :mod:`activation_lab.registry`: :data:`ACTIVATIONS`, one record per activation.
- :mod:`activation_lab.reproducibility`: :func:`reproducible`, seeds and threads in one call.
- :mod:`activation_lab.data`: generated and shipped data sets, split and standardized.
- :mod:`activation_lab.networks`: :func:`make_mlp` and initialization by name.
- :mod:`activation_lab.training`: a deterministic training loop and a runner over seeds.
- :mod:`activation_lab.plots`: the course's plotting style and figure helpers.
- :mod:`activation_lab.probes`: per-layer activations, gradients and update ratios.
- :mod:`activation_lab.widgets`: live controls for Jupyter, Binder and Colab.
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
from .data import Dataset, digits_data, moons_data, sine_data, xor_data
from .networks import INIT_SCHEMES, init_std, initialize_, linear_layers, make_mlp
from .plots import OKABE_ITO, color_for, linestyle_for, plot_activation, plot_decision_boundary, plot_mean_spread, use_style
from .probes import (
    ACTIVATION_TYPES,
    LayerStats,
    activation_modules,
    activation_stats,
    gradient_norms_by_layer,
    update_ratios,
    weight_snapshot,
)
from .registry import ACTIVATIONS, Activation, Parameter, get_activation
from .reproducibility import reproducible
from .training import History, evaluate, run_seeds, stack_histories, train
from .widgets import dropdown, explorer, slider

__version__ = "0.1.0"

__all__ = [
    *functions.__all__,
    "ACTIVATIONS", "Activation", "Parameter", "get_activation",
    "reproducible",
    "Dataset", "xor_data", "moons_data", "digits_data", "sine_data",
    "make_mlp", "initialize_", "INIT_SCHEMES", "init_std", "linear_layers",
    "History", "train", "evaluate", "run_seeds", "stack_histories",
    "OKABE_ITO", "use_style", "color_for", "linestyle_for", "plot_activation", "plot_mean_spread",
    "plot_decision_boundary",
    "ACTIVATION_TYPES", "LayerStats", "activation_modules", "activation_stats", "gradient_norms_by_layer",
    "weight_snapshot", "update_ratios",
    "explorer", "slider", "dropdown",
]
