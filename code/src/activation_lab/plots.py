"""One plotting style for the whole course, with colours a colour-blind reader can tell apart.

Colours come from the Okabe & Ito (2008) palette; each activation keeps one
colour in every chapter, and lines also differ in style so that a figure
printed in grey still reads.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib as mpl
import numpy as np
import torch
from matplotlib.colors import ListedColormap

from ._shared import check_model, model_mode
from .registry import ACTIVATIONS, get_activation

__all__ = [
    "OKABE_ITO",
    "use_style",
    "color_for",
    "linestyle_for",
    "plot_activation",
    "plot_mean_spread",
    "plot_decision_boundary",
    "neuron_surface",
    "plot_neuron",
    "plot_layer_histograms",
    "plot_against_relu",
    "plot_per_seed",
    "plot_regions",
    "annotate_nan_runs",
    "distinct_styles",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
"""The Okabe & Ito (2008) palette: colour name to hex code."""

_CYCLE = ["blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "black", "yellow"]
_STYLES = ["-", "--", "-.", ":"]


def use_style() -> None:
    r"""Set matplotlib's defaults for the course: small PNGs, readable fonts, the palette.

    Changes ``matplotlib.rcParams`` for the rest of the session: figure size and
    resolution, a light grid, no top or right spine, the Okabe-Ito colour cycle,
    10-point text, legends without a frame and the cividis colour map. Inside
    ``matplotlib.rc_context()`` the change lasts only for the block.

    Returns:
        ``None``.

    Example:
        >>> import matplotlib
        >>> import activation_lab as al
        >>> with matplotlib.rc_context():
        ...     al.use_style()
        ...     print(matplotlib.rcParams["image.cmap"], matplotlib.rcParams["figure.dpi"])
        cividis 90.0
    """
    mpl.rcParams.update({
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "figure.facecolor": "white",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[name] for name in _CYCLE]),
        "font.size": 10,
        "legend.frameon": False,
        "image.cmap": "cividis",
    })


def color_for(name: str) -> str:
    r"""The hex colour an activation keeps throughout the course: its registry record's ``color``.

    A name outside the registry (a curve of one's own) gets a palette colour that
    depends only on the name.

    Args:
        name: a registry name, or any other string.

    Returns:
        A hex colour string from :data:`OKABE_ITO`.

    Example:
        >>> import activation_lab as al
        >>> al.color_for("relu") == al.OKABE_ITO["blue"]
        True
        >>> al.color_for("my curve") == al.color_for("my curve")
        True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name in ACTIVATIONS:
        return OKABE_ITO[ACTIVATIONS[name].color]
    return OKABE_ITO[_CYCLE[sum(map(ord, name)) % len(_CYCLE)]]


def linestyle_for(index: int) -> str:
    r"""A line style to pair with a colour, so curves differ in more than hue.

    The four matplotlib styles ``"-"``, ``"--"``, ``"-."`` and ``":"`` in turn.

    Args:
        index: the curve's position; styles repeat every four.

    Returns:
        A matplotlib line style string.

    Example:
        >>> import activation_lab as al
        >>> [al.linestyle_for(i) for i in range(5)]
        ['-', '--', '-.', ':', '-']
    """
    return _STYLES[index % len(_STYLES)]


def plot_activation(ax, name: str, x=None, *, derivative: bool = True, label: str | None = None, **params):
    r"""Draw ``f`` (solid) and ``f'`` (dashed) of a registry entry on ``ax``; returns ``ax``.

    Both curves take the activation's :func:`color_for` colour; thin grey lines
    mark the axes through 0.

    Args:
        ax: a matplotlib ``Axes``.
        name: an elementwise registry name.
        x: the points to draw at (default 801 points from -4 to 4).
        derivative: also draw :math:`f'` (default ``True``).
        label: the legend label (default the registry's label).
        params: override the entry's default parameters, e.g. ``negative_slope=0.2``.

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_activation(ax, "tanh")
        >>> [line.get_label() for line in ax.get_lines()][:2], ax.get_xlabel()
        (['Tanh', 'Tanh, derivative'], 'pre-activation $z$')
        >>> plt.close(fig)
    """
    record = get_activation(name)
    if not record.elementwise:
        raise ValueError(f"{name!r} is not elementwise; plot it another way")
    x = np.linspace(-4.0, 4.0, 801) if x is None else np.asarray(x, dtype=float)
    arguments = {**record.defaults, **params}
    color = color_for(name)
    label = record.label if label is None else label
    ax.plot(x, record.forward(x, **arguments), color=color, lw=2, label=f"{label}")
    if derivative:
        ax.plot(x, record.derivative(x, **arguments), color=color, lw=1.5, ls="--", label=f"{label}, derivative")
    ax.axhline(0, color="0.5", lw=0.6)
    ax.axvline(0, color="0.5", lw=0.6)
    ax.set_xlabel("pre-activation $z$")
    ax.set_ylabel("$f(z)$ and $f'(z)$" if derivative else "$f(z)$")
    return ax


def plot_mean_spread(ax, x: Sequence[float], runs: np.ndarray, *, label: str, color: str | None = None,
                     linestyle: str = "-", spread: str = "minmax", log: bool = False):
    r"""Plot the mean over runs (rows of ``runs``) with a shaded band: min-max or :math:`\pm 1` sample std (ddof=1).

    With ``log=True`` the mean and band are taken over log10 values (geometric mean),
    which is what a log-scale axis needs.

    Args:
        ax: a matplotlib ``Axes``.
        x: the horizontal positions, one per column of ``runs``.
        runs: one row per run (e.g. per seed), one column per point.
        label: the legend label of the mean line.
        color: the line's colour (default the axes' next colour).
        linestyle: the line's style (default ``"-"``).
        spread: ``"minmax"`` (default) or ``"std"``.
        log: average log10 values and set a log y axis (default ``False``);
            every value must then be positive.

    Returns:
        ``ax``.

    Shape:
        - x: ``(points,)``.
        - runs: ``(runs, points)``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> import numpy as np
        >>> fig, ax = plt.subplots()
        >>> runs = np.array([[1.0, 10.0, 100.0], [4.0, 40.0, 400.0]])
        >>> _ = al.plot_mean_spread(ax, [0, 1, 2], runs, label="loss", log=True)
        >>> ax.get_yscale(), ax.get_lines()[0].get_ydata().round(6)
        ('log', array([  2.,  20., 200.]))
        >>> plt.close(fig)
    """
    values = np.asarray(runs, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"runs must be 2-D (runs x points), got shape {values.shape}")
    if spread not in ("minmax", "std"):
        raise ValueError(f"spread must be 'minmax' or 'std', got {spread!r}")
    if log and not np.all(values > 0):
        raise ValueError("runs must be positive for log=True (a log axis cannot show 0 or negatives)")
    work = np.log10(values) if log else values
    centre = work.mean(axis=0)
    if spread == "minmax":
        low, high = work.min(axis=0), work.max(axis=0)
    else:
        spread_ = work.std(axis=0, ddof=1) if len(work) > 1 else np.zeros_like(centre)
        low, high = centre - spread_, centre + spread_
    if log:
        centre, low, high = 10**centre, 10**low, 10**high
        ax.set_yscale("log")
    (line,) = ax.plot(x, centre, color=color, ls=linestyle, lw=2, label=label)
    ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, lw=0)
    return ax


def plot_decision_boundary(ax, model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, *,
                           resolution: int = 200, margin: float = 0.5, title: str | None = None):
    r"""Shade the class a 2-class model predicts over the plane, with the data on top.

    Classes differ by marker shape as well as colour. The model is evaluated
    in eval mode under ``torch.no_grad`` and its mode restored.

    Args:
        ax: a matplotlib ``Axes``.
        model: a classifier on 2-D inputs with two outputs (the class is their argmax).
        x: the points to draw.
        y: their labels, 0 or 1.
        resolution: grid points per axis for the shading (default 200).
        margin: how far the shaded box reaches beyond the data (default 0.5).
        title: the axes' title (default none).

    Returns:
        ``ax``.

    Shape:
        - x: ``(n, 2)``.
        - y: ``(n,)``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_decision_boundary(ax, model, data.x_train, data.y_train, resolution=20)
        >>> ax.get_legend_handles_labels()[1], ax.get_xlabel()
        (['class 0', 'class 1'], '$x_1$ (standardized)')
        >>> plt.close(fig)
    """
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {tuple(x.shape)}")
    low = x.min(dim=0).values.numpy() - margin
    high = x.max(dim=0).values.numpy() + margin
    g0, g1 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    dtype = next(iter(model.parameters()), x).dtype
    grid = torch.from_numpy(np.column_stack([g0.ravel(), g1.ravel()])).to(dtype)
    with model_mode(check_model(model), training=False), torch.no_grad():
        predicted = model(grid).argmax(dim=1).numpy().reshape(g0.shape)
    colors = [OKABE_ITO["sky blue"], OKABE_ITO["orange"]]
    ax.contourf(g0, g1, predicted, levels=[-0.5, 0.5, 1.5], cmap=ListedColormap(colors), alpha=0.35)
    markers = ["o", "^"]
    edge = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    for label in (0, 1):
        points = x[y == label].numpy()
        ax.scatter(points[:, 0], points[:, 1], s=12, marker=markers[label], facecolor="none",
                   edgecolor=edge[label], linewidths=0.8, label=f"class {label}")
    ax.set_xlabel("$x_1$ (standardized)")
    ax.set_ylabel("$x_2$ (standardized)")
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title)
    return ax


# Views of a network: one neuron over a 2-D input, a layer's histograms, its linear regions.


def _check_weight(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def neuron_surface(activation: str, w1: float, w2: float, b: float, *, extent: float = 3.0,
                   resolution: int = 121) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""One neuron, :math:`f(w_1 x_1 + w_2 x_2 + b)`, on a square grid over :math:`[-e, e]^2`.

    Returns ``(x1, x2, pre, out)``, four ``(resolution, resolution)`` float64 arrays:
    the grid coordinates, the pre-activation and the output (the registry's
    ``forward`` at its default parameters).

    Args:
        activation: an elementwise registry name.
        w1: the weight on :math:`x_1`.
        w2: the weight on :math:`x_2`.
        b: the bias.
        extent: :math:`e`, half the square's side (default 3.0).
        resolution: grid points per axis, at least 2 (default 121).

    Returns:
        The tuple ``(x1, x2, pre, out)`` of ``np.meshgrid`` arrays.

    Shape:
        - x1, x2, pre, out: ``(resolution, resolution)``.

    Example:
        >>> import activation_lab as al
        >>> x1, x2, pre, out = al.plots.neuron_surface("relu", 1.0, -1.0, 0.5, resolution=5)
        >>> out.shape, float(out.min()), float(out.max())
        ((5, 5), 0.0, 6.5)
    """
    record = get_activation(activation)
    if not record.elementwise:
        raise ValueError(f"activation must be elementwise; {activation!r} mixes its inputs")
    w1, w2, b = (_check_weight(value, name) for value, name in ((w1, "w1"), (w2, "w2"), (b, "b")))
    extent = _check_weight(extent, "extent")
    if not extent > 0:
        raise ValueError(f"extent must be positive, got {extent}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an int of at least 2, got {resolution!r}")
    axis = np.linspace(-extent, extent, int(resolution))
    x1, x2 = np.meshgrid(axis, axis)
    pre = w1 * x1 + w2 * x2 + b
    return x1, x2, pre, record.forward(pre, **record.defaults)


def plot_neuron(ax, activation: str, w1: float, w2: float, b: float, *, extent: float = 3.0,
                resolution: int = 121, colorbar: bool = True, title: str | None = None,
                value_range: tuple[float, float] | None = None):
    r"""Shade one neuron's output :math:`f(w_1 x_1 + w_2 x_2 + b)` over the plane; returns ``ax``.

    The dashed line is where the pre-activation is 0 (drawn when it crosses the
    square) and the arrow, the weight vector :math:`w` from that line's point
    nearest the origin, points to where the pre-activation grows. Bounded
    activations use their whole range for the colour scale, so panels compare;
    unbounded ones use the panel's own values unless ``value_range=(low, high)``
    fixes the scale (outputs beyond it get the end colours).

    Args:
        ax: a matplotlib ``Axes``.
        activation: an elementwise registry name.
        w1: the weight on :math:`x_1`.
        w2: the weight on :math:`x_2`.
        b: the bias.
        extent: half the square's side (default 3.0).
        resolution: grid points per axis (default 121).
        colorbar: add a colour bar to the figure (default ``True``).
        title: the axes' title (default names the activation, :math:`w` and :math:`b`).
        value_range: ``(low, high)`` for the colour scale (default as described above).

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_neuron(ax, "sigmoid", 1.0, 2.0, 0.0, resolution=21)
        >>> ax.get_title(), len(fig.axes)
        ('Sigmoid, $w=(1, 2)$, $b=0$', 2)
        >>> plt.close(fig)
    """
    x1, x2, pre, out = neuron_surface(activation, w1, w2, b, extent=extent, resolution=resolution)
    if value_range is not None:
        low, high = (_check_weight(value, "value_range") for value in value_range)
        if not high > low:
            raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}")
        out = np.clip(out, low, high)
    else:
        low, high = get_activation(activation).output_range
        low = low if np.isfinite(low) else float(out.min())
        high = high if np.isfinite(high) else float(out.max())
        if not high > low:
            high = low + 1.0
    filled = ax.contourf(x1, x2, out, levels=np.linspace(low, high, 11), cmap="cividis", extend="neither")
    if pre.min() < 0.0 < pre.max():
        ax.contour(x1, x2, pre, levels=[0.0], colors=OKABE_ITO["vermillion"], linestyles="--", linewidths=1.5)
        norm2 = w1 * w1 + w2 * w2
        start = (-b * w1 / norm2, -b * w2 / norm2)
        length = 0.4 * extent / np.sqrt(norm2)
        if max(abs(start[0]), abs(start[1])) <= extent:
            ax.annotate("", xy=(start[0] + w1 * length, start[1] + w2 * length), xytext=start,
                        arrowprops={"arrowstyle": "->", "color": OKABE_ITO["vermillion"], "lw": 1.5})
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    ax.set_xlabel("$x_1$ (unitless)")
    ax.set_ylabel("$x_2$ (unitless)")
    ax.set_title(title if title is not None else f"{get_activation(activation).label}, $w=({w1:g}, {w2:g})$, $b={b:g}$")
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, shrink=0.8, fraction=0.08, ticks=np.linspace(low, high, 3),
                           format="%.3g", label="output (unitless)")
    return ax


def plot_layer_histograms(ax, values: Sequence[np.ndarray], *, value_range: tuple[float, float], bins: int = 40,
                          gamma: float = 0.5, vmax: float = 1.0, colorbar: bool = True, title: str | None = None):
    r"""One histogram per layer as a heat map, in the spirit of Glorot & Bengio (2010), figure 6.

    Row ``l`` (the first layer at the bottom) shows the fraction of ``values[l]``
    in each of ``bins`` equal bins over ``value_range``; values outside the range
    count in the edge bins, so saturation shows as bright edge columns. Colour is
    a power law of the fraction with exponent ``gamma`` (0.5: square root, so that
    sparse bins stay visible), from 0 to ``vmax`` (larger fractions get the top
    colour); keep ``vmax`` fixed across panels that are compared. Returns ``ax``.

    Args:
        ax: a matplotlib ``Axes``.
        values: one array per layer (e.g. each :attr:`LayerStats.post
            <activation_lab.probes.LayerStats.post>`), of any shape.
        value_range: ``(low, high)``, the range the bins cover.
        bins: number of equal bins, at least 2 (default 40).
        gamma: the colour scale's exponent, positive (default 0.5).
        vmax: the fraction that gets the top colour, in (0, 1] (default 1.0).
        colorbar: add a colour bar to the figure (default ``True``).
        title: the axes' title (default none).

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> import numpy as np
        >>> fig, ax = plt.subplots()
        >>> layers = [np.linspace(-1.0, 1.0, 50), np.tanh(np.linspace(-3.0, 3.0, 50))]
        >>> _ = al.plots.plot_layer_histograms(ax, layers, value_range=(-1.0, 1.0), bins=10)
        >>> ax.images[0].get_array().shape, ax.get_ylabel()
        ((2, 10), 'layer')
        >>> plt.close(fig)
    """
    from matplotlib.colors import PowerNorm

    one_per_layer = values.ndim >= 2 if isinstance(values, np.ndarray) else (
        isinstance(values, Sequence) and not isinstance(values, (str, bytes)))
    if not one_per_layer:
        raise TypeError(f"values must be a sequence of arrays, one per layer, got {type(values).__name__}")
    if len(values) == 0:
        raise ValueError("values must hold at least one layer")
    low, high = (float(v) for v in value_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"value_range must be two finite numbers with low < high, got {value_range!r}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins must be an int of at least 2, got {bins!r}")
    if isinstance(gamma, bool) or not isinstance(gamma, (int, float)) or not gamma > 0:
        raise ValueError(f"gamma must be a positive number, got {gamma!r}")
    if isinstance(vmax, bool) or not isinstance(vmax, (int, float)) or not 0 < vmax <= 1:
        raise ValueError(f"vmax must be a fraction in (0, 1], got {vmax!r}")
    edges = np.linspace(low, high, int(bins) + 1)
    rows = []
    for layer, layer_values in enumerate(values):
        flat = np.clip(np.asarray(layer_values, dtype=float).ravel(), low, high)
        if flat.size == 0:
            raise ValueError(f"values[{layer}] is empty")
        rows.append(np.histogram(flat, bins=edges)[0] / flat.size)
    image = ax.imshow(np.array(rows), origin="lower", aspect="auto", interpolation="nearest", cmap="cividis",
                      extent=(low, high, 0.5, len(rows) + 0.5), norm=PowerNorm(gamma, vmin=0.0, vmax=float(vmax)))
    ax.grid(False)
    ax.set_xlabel("activation value (unitless)")
    ax.set_ylabel("layer")
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="fraction of the layer's values")
    return ax


# Functions against ReLU, and values over seeds.

_GREY = "0.55"


def plot_against_relu(ax, name: str, x=None, *, derivative: bool = True, label: str | None = None, **params):
    r"""Draw a registry entry's ``f`` (solid) and ``f'`` (dashed) over ReLU's pair in thin grey; returns ``ax``.

    ``params`` override the entry's defaults (e.g. ``negative_slope=0.2``); the
    legend names them. For ``name="relu"`` only ReLU itself is drawn.

    Args:
        ax: a matplotlib ``Axes``.
        name: an elementwise registry name.
        x: the points to draw at (default 801 points from -4 to 4).
        derivative: also draw the derivatives, ReLU's dotted (default ``True``).
        label: the legend label (default the registry's label and the changed parameters).
        params: override the entry's default parameters.

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_against_relu(ax, "leaky_relu", negative_slope=0.2)
        >>> for line in ax.get_lines()[:4]:
        ...     print(line.get_label())
        ReLU
        ReLU, derivative
        Leaky ReLU, negative_slope=0.2
        Leaky ReLU, negative_slope=0.2, derivative
        >>> plt.close(fig)
    """
    record = get_activation(name)
    x = np.linspace(-4.0, 4.0, 801) if x is None else np.asarray(x, dtype=float)
    if name != "relu":
        ax.plot(x, ACTIVATIONS["relu"].forward(x), color=_GREY, lw=1.0, ls="-", label="ReLU")
        if derivative:
            ax.plot(x, ACTIVATIONS["relu"].derivative(x), color=_GREY, lw=1.0, ls=":", label="ReLU, derivative")
    if label is None:
        shown = {key: value for key, value in params.items() if value != record.defaults.get(key)}
        label = record.label + "".join(f", {key}={value:g}" if isinstance(value, (int, float)) else f", {key}={value}"
                                       for key, value in shown.items())
    return plot_activation(ax, name, x, derivative=derivative, label=label, **params)


def plot_per_seed(ax, values, *, ylabel: str, colors=None, labels=None):
    r"""One column per group: each seed's value as a hollow marker, the mean as a short bar; returns ``ax``.

    ``values`` maps a group (e.g. an activation name) to its per-seed numbers.
    Colours default to :func:`color_for` of the group and labels to the registry
    label where the group is a registry name. Seeds differ by marker shape as well.

    Args:
        ax: a matplotlib ``Axes``.
        values: maps each group to its per-seed numbers, e.g. what
            :func:`~activation_lab.sweeps.group_values` returns.
        ylabel: the y axis label.
        colors: maps a group to a colour, for groups that should not use :func:`color_for`.
        labels: maps a group to its tick label.

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_per_seed(ax, {"relu": [0.9, 0.8], "tanh": [0.7, 0.75]},
        ...                            ylabel="validation accuracy")
        >>> [tick.get_text() for tick in ax.get_xticklabels()], ax.get_ylabel()
        (['ReLU', 'Tanh'], 'validation accuracy')
        >>> plt.close(fig)
    """
    if not hasattr(values, "items") or len(values) == 0:
        raise ValueError("values must be a non-empty mapping from group to per-seed numbers")
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    names = list(values)
    for position, name in enumerate(names):
        points = np.asarray(values[name], dtype=float).ravel()
        if points.size == 0:
            raise ValueError(f"values[{name!r}] is empty")
        color = (colors or {}).get(name) or color_for(name)
        offsets = np.linspace(-0.18, 0.18, points.size) if points.size > 1 else np.zeros(1)
        for index, (offset, point) in enumerate(zip(offsets, points)):
            ax.scatter(position + offset, point, marker=markers[index % len(markers)], s=26,
                       facecolor="none", edgecolor=color, linewidths=1.2, zorder=3)
        ax.plot([position - 0.3, position + 0.3], [points.mean()] * 2, color=color, lw=2.5, zorder=2)
    shown = [(labels or {}).get(name) or (ACTIVATIONS[name].label if name in ACTIVATIONS else str(name))
             for name in names]
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(shown, rotation=30, ha="right")
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylabel(ylabel)
    return ax


def plot_regions(ax, x1: np.ndarray, x2: np.ndarray, ids: np.ndarray, *, title: str | None = None):
    r"""Colour each region of a grid of region ids (e.g. from ``region_map``) and draw its edges; returns ``ax``.

    Neighbouring regions get different colours from the Okabe-Ito palette where
    possible; with many regions colours repeat, and the black edges (grid cells
    whose right or upper neighbour lies in another region) tell regions apart.

    Args:
        ax: a matplotlib ``Axes``.
        x1: the grid's coordinates along the first input.
        x2: the grid's coordinates along the second input.
        ids: the region id of each grid point, rows along ``x2``.
        title: the axes' title (default none).

    Returns:
        ``ax``.

    Shape:
        - x1: ``(columns,)``.
        - x2: ``(rows,)``.
        - ids: ``(rows, columns)``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> regions = al.regions.region_map(model, resolution=32)
        >>> fig, ax = plt.subplots()
        >>> _ = al.plots.plot_regions(ax, regions.x1, regions.x2, regions.ids,
        ...                           title=f"{regions.count} regions")
        >>> ax.get_title(), ax.get_xlabel()
        ('8 regions', '$x_1$ (unitless)')
        >>> plt.close(fig)
    """
    ids = np.asarray(ids)
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    if ids.ndim != 2 or ids.shape != (len(x2), len(x1)):
        raise ValueError(f"ids must have shape (len(x2), len(x1)) = {(len(x2), len(x1))}, got {ids.shape}")
    palette = [OKABE_ITO[name] for name in ("sky blue", "orange", "bluish green", "yellow", "reddish purple",
                                            "blue", "vermillion")]
    # A fixed scramble of the ids, so that regions numbered one after the other do not share a colour.
    shade = (ids.astype(np.int64) * 5 + ids.astype(np.int64) // len(palette)) % len(palette)
    ax.pcolormesh(x1, x2, shade, cmap=ListedColormap(palette), vmin=-0.5, vmax=len(palette) - 0.5,
                  shading="nearest", alpha=0.55, rasterized=True)
    edge = np.zeros(ids.shape, dtype=bool)
    edge[:, :-1] |= ids[:, 1:] != ids[:, :-1]
    edge[:-1, :] |= ids[1:, :] != ids[:-1, :]
    ax.pcolormesh(x1, x2, np.ma.masked_where(~edge, edge.astype(float)), cmap=ListedColormap(["black"]),
                  shading="nearest", rasterized=True)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    ax.set_xlabel("$x_1$ (unitless)")
    ax.set_ylabel("$x_2$ (unitless)")
    if title:
        ax.set_title(title)
    return ax


def annotate_nan_runs(ax, values, *, y: float, label: str = "diverged", fontsize: float = 8):
    r"""Under a :func:`plot_per_seed` column, write ``"k/n <label>"`` where ``k`` of its ``n`` values are NaN.

    ``values`` maps each group to its per-seed numbers, NaN included, in the same
    order as the columns; ``y`` is the height (data units) of the note. Returns ``ax``.
    Columns without a NaN get no note.

    Args:
        ax: the ``Axes`` :func:`plot_per_seed` drew on.
        values: the mapping given to :func:`plot_per_seed`.
        y: the height of the notes, in data units.
        label: the word after the count (default ``"diverged"``).
        fontsize: the notes' font size (default 8).

    Returns:
        ``ax``.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> fig, ax = plt.subplots()
        >>> values = {"relu": [0.9, 0.8, float("nan")], "tanh": [0.7, 0.75, 0.72]}
        >>> _ = al.plots.plot_per_seed(ax, values, ylabel="validation accuracy")
        >>> _ = al.plots.annotate_nan_runs(ax, values, y=0.6)
        >>> [text.get_text() for text in ax.texts]
        ['1/3\ndiverged']
        >>> plt.close(fig)
    """
    if not hasattr(values, "items") or len(values) == 0:
        raise ValueError("values must be a non-empty mapping from group to per-seed numbers")
    for position, points in enumerate(values.values()):
        points = np.asarray(points, dtype=float).ravel()
        missing = int(np.isnan(points).sum())
        if missing:
            ax.annotate(f"{missing}/{points.size}\n{label}", (position, y), ha="center", va="bottom",
                        fontsize=fontsize)
    return ax


def distinct_styles(names) -> dict:
    r"""``{name: {"color": ..., "linestyle": ...}}`` with no two names sharing both.

    Each name keeps its :func:`color_for` colour; names that share a colour get
    different line styles, in the order given (the first gets a solid line).
    At most four names may share one colour.

    Args:
        names: the names to style, none repeated.

    Returns:
        A dict from name to keyword arguments for ``ax.plot``.

    Example:
        >>> import activation_lab as al
        >>> styles = al.plots.distinct_styles(["relu", "celu", "tanh"])
        >>> [style["linestyle"] for style in styles.values()]
        ['-', '--', '-']
        >>> styles["relu"]["color"] == styles["celu"]["color"]
        True
    """
    if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
        raise TypeError(f"names must be a sequence of names, got {type(names).__name__}")
    names = list(names)
    if len(set(names)) != len(names):
        raise ValueError(f"names must not repeat, got {names}")
    used: dict[str, int] = {}
    styles = {}
    for name in names:
        color = color_for(name)
        count = used.get(color, 0)
        if count >= len(_STYLES):
            raise ValueError(f"more than {len(_STYLES)} names share the colour of {name!r}; plot fewer at once")
        styles[name] = {"color": color, "linestyle": _STYLES[count]}
        used[color] = count + 1
    return styles
