"""activation_lab: the tested code behind the course on activation functions.

Modules, one job each (``al.<module>.<name>`` reaches every public name):

- :mod:`~activation_lab.functions`: NumPy activations and their derivatives, named like ``torch.nn.functional``.
- :mod:`~activation_lab.registry`: :data:`ACTIVATIONS`, one record per activation, and the lists derived from it.
- :mod:`~activation_lab.torch_activations`: ``torch.nn`` modules of the activations PyTorch lacks (squared ReLU, ReGLU, GeGLU, SwiGLU, maxout).
- :mod:`~activation_lab.tables`: the registry's facts as rows and Markdown.
- :mod:`~activation_lab.reproducibility`: :func:`reproducible`, seeds, threads and the dtype in one call.
- :mod:`~activation_lab.data`: generated and shipped data sets, split and standardized.
- :mod:`~activation_lab.networks`: :func:`make_mlp`, a digits CNN and initialization by name.
- :mod:`~activation_lab.blocks`: a transformer's feed-forward block for any activation, gated or not, its parameter count, maxout MLPs.
- :mod:`~activation_lab.sequences`: generated token sequences, a next-token MLP, a tiny decoder, recurrent networks, a training loop by steps.
- :mod:`~activation_lab.training`: a deterministic training loop and a runner over seeds.
- :mod:`~activation_lab.probes`: per-layer activations, gradients, update ratios and signal propagation.
- :mod:`~activation_lab.dead_units`: which units are dead on a data set, per layer.
- :mod:`~activation_lab.regions`: linear regions of a ReLU network on a 2-D input, counted on a grid.
- :mod:`~activation_lab.approximation`: sums of ReLU hinges fitted to a 1-D target.
- :mod:`~activation_lab.sweeps`: an experiment over a grid of settings and seeds, summarized.
- :mod:`~activation_lab.comparison`: the same network trained per activation and seed, compared with a reference.
- :mod:`~activation_lab.verdicts`: intervals over seeds and the verdict words computed from them.
- :mod:`~activation_lab.timing`: medians of repeated timings and ratios to a reference.
- :mod:`~activation_lab.plots`: the course's plotting style and figure helpers.
- :mod:`~activation_lab.widgets`: live controls with a static twin, a progress bar, a function's source.
- :mod:`~activation_lab.exercises`: checkers that run a reader's code against the package and say where it is wrong.

The names below, the ones the chapters use most, are also reachable as ``al.<name>``.
"""

from . import (
    approximation,
    blocks,
    comparison,
    data,
    dead_units,
    exercises,
    functions,
    networks,
    plots,
    probes,
    regions,
    registry,
    reproducibility,
    sequences,
    sweeps,
    tables,
    timing,
    torch_activations,
    training,
    verdicts,
    widgets,
)
from .comparison import compare_activations, versus_reference
from .data import Dataset, digits_data, moons_data, sine_data, xor_data
from .dead_units import dead_unit_report
from .networks import initialize_, linear_layers, make_digits_cnn, make_mlp
from .plots import OKABE_ITO, color_for, linestyle_for, plot_mean_spread, use_style
from .probes import activation_stats, gradient_norms_over_seeds
from .registry import ACTIVATIONS, Activation, get_activation
from .reproducibility import reproducible
from .sweeps import group_values, summarize, summary_table, sweep
from .training import History, evaluate, run_seeds, stack_histories, train
from .verdicts import interval_verdict, mean_interval, paired_interval
from .widgets import dropdown, explorer, show_source, slider

__version__ = "0.2.0"

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "reproducible",
    "Dataset", "xor_data", "moons_data", "digits_data", "sine_data",
    "make_mlp", "make_digits_cnn", "initialize_", "linear_layers",
    "History", "train", "evaluate", "run_seeds", "stack_histories",
    "activation_stats", "gradient_norms_over_seeds", "dead_unit_report",
    "sweep", "summarize", "group_values", "summary_table",
    "compare_activations", "versus_reference",
    "mean_interval", "paired_interval", "interval_verdict",
    "OKABE_ITO", "use_style", "color_for", "linestyle_for", "plot_mean_spread",
    "explorer", "slider", "dropdown", "show_source",
]
