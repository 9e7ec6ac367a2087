"""activation_lab: the tested code behind the course on activation functions.

Modules, one concern each:

- :mod:`activation_lab.functions`: NumPy activations and their derivatives.
- :mod:`activation_lab.registry`: :data:`ACTIVATIONS`, one record per activation.
- :mod:`activation_lab.reproducibility`: :func:`reproducible`, seeds, threads and the dtype in one call.
- :mod:`activation_lab.verdicts`: intervals over seeds and the verdict words computed from them.
- :mod:`activation_lab.data`: generated and shipped data sets, split and standardized.
- :mod:`activation_lab.networks`: :func:`make_mlp` and initialization by name.
- :mod:`activation_lab.training`: a deterministic training loop and a runner over seeds.
- :mod:`activation_lab.plots`: the course's plotting style and figure helpers.
- :mod:`activation_lab.probes`: per-layer activations, gradients and update ratios.
- :mod:`activation_lab.dead_units`: which units are dead on a data set, per layer.
- :mod:`activation_lab.sweeps`: an experiment over a grid of settings and seeds, summarized.
- :mod:`activation_lab.approximation`: sums of ReLU hinges fitted to a 1-D target.
- :mod:`activation_lab.comparison`: activations side by side: a table from the registry, runs over seeds.
- :mod:`activation_lab.regions`: linear regions of a ReLU network on a 2-D input, counted on a grid.
- :mod:`activation_lab.timing`: medians of repeated timings and ratios to a reference.
- :mod:`activation_lab.widgets`: live controls for Jupyter, Binder and Colab.
"""

from . import functions, reproducibility, verdicts
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
from .functions import hardswish, hardswish_derivative, swish, swish_derivative
from .approximation import HingeFit, fit_hinges, hinge_basis
from .comparison import (
    Comparison,
    SignalTrace,
    compare_activations,
    comparison_markdown,
    comparison_table,
    formula_markdown,
    make_digits_cnn,
    relative_cost,
    signal_propagation,
    versus_reference,
)
from .data import Dataset, digits_data, moons_data, sine_data, xor_data
from .dead_units import DeadUnitReport, born_dead_probability, dead_unit_fraction, dead_unit_report, unit_activity
from .networks import INIT_SCHEMES, init_std, initialize_, linear_layers, make_mlp
from .plots import OKABE_ITO, color_for, linestyle_for, plot_activation, plot_decision_boundary, plot_mean_spread, use_style
from .plots import neuron_surface, plot_neuron
from .plots import plot_layer_histograms
from .plots import distinct_styles, plot_against_relu, plot_per_seed
from .plots import annotate_nan_runs
from .probes import (
    ACTIVATION_TYPES,
    GRADIENT_TARGETS,
    SATURATION_THRESHOLD,
    LayerStats,
    activation_modules,
    activation_stats,
    gradient_norms_by_layer,
    gradient_norms_over_seeds,
    saturated_fraction_by_layer,
    update_ratios,
    weight_snapshot,
)
from .registry import ACTIVATIONS, Activation, Parameter, get_activation
from .reproducibility import reproducible
from .sweeps import group_values, summarize, summary_table, sweep
from .training import History, evaluate, run_seeds, stack_histories, train
from .plots import plot_regions
from .regions import (
    PIECEWISE_LINEAR_TYPES,
    RegionMap,
    activation_patterns,
    count_linear_regions,
    region_count_bounds,
    region_ids,
    region_map,
)
from .timing import Timing, compare_timings, format_duration, time_call
from .widgets import MAX_STATIC_FRAMES, Explorer, dropdown, explorer, slider

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
    "SATURATION_THRESHOLD", "saturated_fraction_by_layer", "GRADIENT_TARGETS", "gradient_norms_over_seeds",
    "plot_layer_histograms",
    "DeadUnitReport", "unit_activity", "dead_unit_report", "dead_unit_fraction", "born_dead_probability",
    "sweep", "summarize", "group_values", "summary_table",
    "neuron_surface", "plot_neuron",
    "HingeFit", "hinge_basis", "fit_hinges",
    "comparison_table", "comparison_markdown", "formula_markdown", "relative_cost", "Comparison",
    "compare_activations", "versus_reference", "make_digits_cnn", "SignalTrace", "signal_propagation",
    "plot_against_relu", "plot_per_seed", "distinct_styles",
    "annotate_nan_runs",
    "PIECEWISE_LINEAR_TYPES", "RegionMap", "activation_patterns", "region_ids", "region_map",
    "count_linear_regions", "region_count_bounds", "plot_regions",
    "Timing", "time_call", "compare_timings", "format_duration",
    "explorer", "slider", "dropdown", "Explorer", "MAX_STATIC_FRAMES",
]
