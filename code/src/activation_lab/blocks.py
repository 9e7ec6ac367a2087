r"""Feed-forward blocks built from any activation of the registry, gated or not, and maxout networks.

- :class:`FeedForward`, a transformer's feed-forward block :math:`W_2\,f(W_1 x)` for any
  activation of the registry, gated or not, with :func:`feed_forward_parameters` and
  :func:`matched_hidden` for comparisons at an equal parameter count;
- :func:`make_maxout_mlp`, an MLP whose hidden units are maxout units.
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from ._shared import check_int, seeded
from .registry import get_activation
from .reproducibility import _check_dtype, get_dtype
from .torch_activations import Maxout

__all__ = [
    "FeedForward",
    "inputs_per_output",
    "feed_forward_parameters",
    "matched_hidden",
    "make_maxout_mlp",
]


def inputs_per_output(activation: nn.Module) -> int:
    """How many inputs an activation module consumes per output: 2 for a gated unit, ``pieces`` for maxout, else 1.

    Example:
        >>> from activation_lab.torch_activations import SwiGLU
        >>> inputs_per_output(nn.ReLU()), inputs_per_output(SwiGLU()), inputs_per_output(Maxout(3))
        (1, 2, 3)
    """
    if not isinstance(activation, nn.Module):
        raise TypeError(f"activation must be a torch.nn.Module, got {type(activation).__name__}")
    if isinstance(activation, nn.GLU):
        return 2
    return int(getattr(activation, "inputs_per_output", 1))


def _activation_module(activation: str, params: dict) -> nn.Module:
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a registry name, got {type(activation).__name__}")
    return get_activation(activation).module(**params)


class FeedForward(nn.Module):
    r"""A transformer's feed-forward block, :math:`\mathrm{FF}(x) = W_2\, f(W_1 x)`, for any registry activation.

    With a gated activation (``"glu"``, ``"reglu"``, ``"geglu"``, ``"swiglu"``) :math:`W_1`
    has ``2 * hidden`` rows, the value and the gate, so :math:`\mathrm{FF}(x) = W_2\,(Ux
    \odot f(Vx))` as in Shazeer (2020); with ``"maxout"`` it has ``pieces * hidden`` rows.
    No biases by default, as in Shazeer's blocks.

    Args:
        d_model: width of the input and output.
        hidden: number of hidden units (outputs of the activation).
        activation: a name in the registry (default ``"relu"``).
        bias: give both linear layers a bias (default False).
        activation_params: the activation's parameters, e.g. ``approximate="tanh"``.

    Shape:
        - Input: ``(*, d_model)``.
        - Output: ``(*, d_model)``.

    Example:
        >>> block = FeedForward(8, 16, "swiglu")
        >>> block.up.weight.shape, block.down.weight.shape, block(torch.zeros(3, 8)).shape
        (torch.Size([32, 8]), torch.Size([8, 16]), torch.Size([3, 8]))
    """

    def __init__(self, d_model: int, hidden: int, activation: str = "relu", *, bias: bool = False,
                 **activation_params):
        super().__init__()
        d_model, hidden = check_int(d_model, "d_model"), check_int(hidden, "hidden")
        if not isinstance(bias, bool):
            raise TypeError(f"bias must be a bool, got {type(bias).__name__}")
        self.activation_name = activation
        self.activation = _activation_module(activation, activation_params)
        self.up = nn.Linear(d_model, inputs_per_output(self.activation) * hidden, bias=bias)
        self.down = nn.Linear(hidden, d_model, bias=bias)

    def hidden_units(self, x: torch.Tensor) -> torch.Tensor:
        """The activation's outputs :math:`f(W_1 x)`, the ``hidden`` numbers that :math:`W_2` reads."""
        return self.activation(self.up(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(self.hidden_units(x))


def _fan(activation: str, params: dict) -> int:
    return inputs_per_output(_activation_module(activation, params))


def feed_forward_parameters(d_model: int, hidden: int, activation: str = "relu", *, bias: bool = False,
                            **activation_params) -> int:
    r"""Parameters of a :class:`FeedForward` block, from the formula :math:`(k + 1)\,d\,m` (+ :math:`k m + d` biases).

    :math:`d` is ``d_model``, :math:`m` is ``hidden`` and :math:`k` the activation's inputs
    per output (1, 2 for a gated unit, ``pieces`` for maxout).

    Example:
        >>> feed_forward_parameters(48, 192, "relu"), feed_forward_parameters(48, 128, "swiglu")
        (18432, 18432)
    """
    d_model, hidden = check_int(d_model, "d_model"), check_int(hidden, "hidden")
    fan = _fan(activation, activation_params)
    return (fan + 1) * d_model * hidden + ((fan * hidden + d_model) if bias else 0)


def matched_hidden(hidden: int, activation: str, **activation_params) -> int:
    r"""The hidden width that gives ``activation`` the parameters of a plain block with ``hidden`` units.

    A plain block has :math:`2 d m` weights and one with :math:`k` inputs per output has
    :math:`(k + 1)\,d\,m'`, so :math:`m' = 2m / (k + 1)`: :math:`2m/3` for a gated unit.
    The counts are equal when :math:`2m` divides by :math:`k + 1`; otherwise the nearest width.

    Example:
        >>> matched_hidden(192, "relu"), matched_hidden(192, "swiglu"), matched_hidden(192, "maxout", pieces=3)
        (192, 128, 96)
    """
    hidden = check_int(hidden, "hidden")
    return max(1, round(2 * hidden / (_fan(activation, activation_params) + 1)))


def make_maxout_mlp(widths: Sequence[int], pieces: int = 2, *, seed: int | None = None,
                    dtype: torch.dtype | None = None) -> nn.Sequential:
    r"""An MLP whose hidden units are maxout units: ``Linear(n, k m) -> Maxout(k) -> ... -> Linear``.

    Each hidden layer of width :math:`m` has :math:`k` times the weights of a plain layer of
    that width. PyTorch's default initialization.

    Args:
        widths: layer sizes from input to output, e.g. ``[64, 32, 32, 10]``.
        pieces: affine pieces per unit :math:`k` (default 2).
        seed: seeds the weights, so the same seed gives the same network.
        dtype: the parameters' dtype; ``None`` uses the package's (float64 by default).

    Example:
        >>> model = make_maxout_mlp([4, 3, 2], pieces=2, seed=0)
        >>> [tuple(layer.weight.shape) for layer in model if isinstance(layer, nn.Linear)]
        [(6, 4), (2, 3)]
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of ints, got {type(widths).__name__}")
    if len(widths) < 2 or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"widths must hold at least two positive ints, got {list(widths)}")
    pieces = check_int(pieces, "pieces", minimum=1)
    dtype = get_dtype() if dtype is None else _check_dtype(dtype)
    layers: list[nn.Module] = []
    with seeded(seed, dtype):
        for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
            if index < len(widths) - 2:
                layers += [nn.Linear(fan_in, pieces * fan_out, dtype=dtype), Maxout(pieces)]
            else:
                layers.append(nn.Linear(fan_in, fan_out, dtype=dtype))
    return nn.Sequential(*layers)
