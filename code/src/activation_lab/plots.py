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

from .registry import ACTIVATIONS, get_activation

__all__ = [
    "OKABE_ITO",
    "use_style",
    "color_for",
    "linestyle_for",
    "plot_activation",
    "plot_mean_spread",
    "plot_decision_boundary",
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

_CYCLE = ["blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "black", "yellow"]
_FIXED = {"relu": "blue", "sigmoid": "vermillion", "tanh": "bluish green", "step": "black", "identity": "black",
          "leaky_relu": "orange", "elu": "reddish purple", "gelu": "sky blue", "silu": "orange",
          "selu": "bluish green", "softplus": "reddish purple", "mish": "vermillion"}
_STYLES = ["-", "--", "-.", ":"]


def use_style() -> None:
    """Set matplotlib's defaults for the course: small PNGs, readable fonts, the palette."""
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
    """The colour an activation keeps throughout the course."""
    if name in _FIXED:
        return OKABE_ITO[_FIXED[name]]
    names = sorted(ACTIVATIONS)
    index = names.index(name) if name in names else sum(map(ord, name))
    return OKABE_ITO[_CYCLE[index % len(_CYCLE)]]


def linestyle_for(index: int) -> str:
    """A line style to pair with a colour, so curves differ in more than hue."""
    return _STYLES[index % len(_STYLES)]


def plot_activation(ax, name: str, x=None, *, derivative: bool = True, label: str | None = None, **params):
    """Draw ``f`` (solid) and ``f'`` (dashed) of a registry entry on ``ax``; returns ``ax``."""
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
    ax.set_xlabel("pre-activation $x$")
    ax.set_ylabel("$f(x)$ and $f'(x)$" if derivative else "$f(x)$")
    return ax


def plot_mean_spread(ax, x: Sequence[float], runs: np.ndarray, *, label: str, color: str | None = None,
                     linestyle: str = "-", spread: str = "minmax", log: bool = False):
    """Plot the mean over runs (rows of ``runs``) with a shaded band: min-max or +-1 std.

    With ``log=True`` the mean and band are taken over log10 values (geometric mean),
    which is what a log-scale axis needs.
    """
    values = np.asarray(runs, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"runs must be 2-D (runs x points), got shape {values.shape}")
    if spread not in ("minmax", "std"):
        raise ValueError(f"spread must be 'minmax' or 'std', got {spread!r}")
    work = np.log10(values) if log else values
    centre = work.mean(axis=0)
    if spread == "minmax":
        low, high = work.min(axis=0), work.max(axis=0)
    else:
        low, high = centre - work.std(axis=0), centre + work.std(axis=0)
    if log:
        centre, low, high = 10**centre, 10**low, 10**high
        ax.set_yscale("log")
    (line,) = ax.plot(x, centre, color=color, ls=linestyle, lw=2, label=label)
    ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, lw=0)
    return ax


def plot_decision_boundary(ax, model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, *,
                           resolution: int = 200, margin: float = 0.5, title: str | None = None):
    """Shade the class a 2-class model predicts over the plane, with the data on top.

    Classes differ by marker shape as well as colour. The model is evaluated
    in eval mode under ``torch.no_grad`` and its mode restored.
    """
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {tuple(x.shape)}")
    low = x.min(dim=0).values.numpy() - margin
    high = x.max(dim=0).values.numpy() + margin
    g0, g1 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = torch.from_numpy(np.column_stack([g0.ravel(), g1.ravel()]).astype(np.float32))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        predicted = model(grid).argmax(dim=1).numpy().reshape(g0.shape)
    model.train(was_training)
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
