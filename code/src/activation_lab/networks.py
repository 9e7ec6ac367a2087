"""Building and initializing the small networks the chapters experiment on: MLPs and a digits CNN."""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch
from torch import nn

from ._shared import check_model, seeded
from .registry import get_activation
from .reproducibility import _check_dtype, get_dtype

__all__ = ["make_mlp", "make_digits_cnn", "initialize_", "INIT_SCHEMES", "linear_layers", "init_std"]

INIT_SCHEMES = ("default", "he", "xavier", "lecun")
"""Weight initializations by name. ``he``: std = sqrt(2 / fan_in) (He et al. 2015);
``xavier``: std = sqrt(2 / (fan_in + fan_out)) (Glorot & Bengio 2010); ``lecun``:
std = sqrt(1 / fan_in) (LeCun et al. 1998); ``default``: PyTorch's own."""


def init_std(scheme: str, fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    """Standard deviation of the normal weights a scheme draws, times ``gain``."""
    if scheme == "he":
        base = math.sqrt(2.0 / fan_in)
    elif scheme == "xavier":
        base = math.sqrt(2.0 / (fan_in + fan_out))
    elif scheme == "lecun":
        base = math.sqrt(1.0 / fan_in)
    else:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES[1:]} to have a std, got {scheme!r}")
    return gain * base


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """The ``nn.Linear`` layers of a model, in the order ``model.modules()`` visits them."""
    return [module for module in check_model(model).modules() if isinstance(module, nn.Linear)]


def initialize_(
    model: nn.Module,
    scheme: str = "he",
    *,
    gain: float = 1.0,
    bias: float | None = None,
    generator: torch.Generator | None = None,
) -> nn.Module:
    """Re-draw every linear layer's weights in place: normal with :func:`init_std`.

    ``bias=None`` zeroes the biases (PyTorch's own values are kept under
    ``scheme="default"``); a number sets every bias to it. The trailing
    underscore marks the in-place change, as in ``torch.nn.init``. Returns ``model``.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    if isinstance(gain, bool) or not isinstance(gain, (int, float)) or not 0 < gain < math.inf:
        raise ValueError(f"gain must be a positive finite number, got {gain!r}")
    if bias is not None and (isinstance(bias, bool) or not isinstance(bias, (int, float))):
        raise TypeError(f"bias must be a number or None, got {type(bias).__name__}")
    with torch.no_grad():
        for layer in linear_layers(model):
            if scheme != "default":
                std = init_std(scheme, layer.in_features, layer.out_features, gain)
                layer.weight.normal_(0.0, std, generator=generator)
            if layer.bias is not None and (bias is not None or scheme != "default"):
                layer.bias.fill_(0.0 if bias is None else bias)
    return model


def _activation_factory(activation, params: dict) -> Callable[[], nn.Module]:
    if isinstance(activation, str):
        record = get_activation(activation)
        record.module(**params)  # fail now, with the registry's message, if params are wrong
        return lambda: record.module(**params)
    if isinstance(activation, type) and issubclass(activation, nn.Module):
        return lambda: activation(**params)
    if isinstance(activation, nn.Module):
        raise TypeError(f"activation must be a class or factory, not a module instance ({activation!r}): "
                        f"pass {type(activation).__name__} so that each layer gets its own module")
    if callable(activation):
        return activation
    raise TypeError(f"activation must be a registry name, an nn.Module class or a factory, got {activation!r}")


def make_mlp(
    widths: Sequence[int],
    activation: str | type[nn.Module] | Callable[[], nn.Module] | None = "relu",
    *,
    init: str = "default",
    gain: float = 1.0,
    bias: float | None = None,
    batch_norm: bool = False,
    seed: int | None = None,
    dtype: torch.dtype | None = None,
    **activation_params,
) -> nn.Sequential:
    """A multilayer perceptron ``Linear -> [BatchNorm] -> activation -> ... -> Linear``.

    Args:
        widths: layer sizes from input to output, e.g. ``[2, 16, 16, 2]``.
        activation: a name in :data:`ACTIVATIONS`, an ``nn.Module`` class, a
            factory returning a module, or ``None`` for a purely linear network.
        init, gain, bias: passed to :func:`initialize_` (``"default"`` keeps PyTorch's).
        batch_norm: insert ``nn.BatchNorm1d`` before each hidden activation.
        seed: seeds the weights, so the same seed gives the same network.
        dtype: the parameters' dtype; ``None`` uses the package's (float64 unless
            :func:`~activation_lab.reproducibility.set_dtype` changed it).
        activation_params: e.g. ``negative_slope=0.1`` for ``"leaky_relu"``.
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of ints, got {type(widths).__name__}")
    if len(widths) < 2 or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"widths must hold at least two positive ints, got {list(widths)}")
    dtype = get_dtype() if dtype is None else _check_dtype(dtype)
    factory = None if activation is None else _activation_factory(activation, activation_params)
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(int(seed))
    layers: list[nn.Module] = []
    with seeded(seed, dtype):
        for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Linear(fan_in, fan_out, dtype=dtype))
            if index < len(widths) - 2:
                if batch_norm:
                    layers.append(nn.BatchNorm1d(fan_out, dtype=dtype))
                if factory is not None:
                    layers.append(factory().to(dtype))  # parametric activations (PReLU) too
    model = nn.Sequential(*layers)
    return initialize_(model, init, gain=gain, bias=bias, generator=generator)


def make_digits_cnn(activation: str = "relu", *, channels: tuple[int, int] = (8, 16), seed: int | None = None,
                    dtype: torch.dtype | None = None, **activation_params) -> nn.Sequential:
    """A small CNN for the 8x8 digits: ``conv3x3 -> f -> pool -> conv3x3 -> f -> pool -> linear``.

    It takes the flat 64-pixel rows of :func:`~activation_lab.data.digits_data` and
    reshapes them to ``1 x 8 x 8`` itself. ``seed`` fixes the initial weights; ``dtype``
    (``None``: the package's) is the parameters' dtype.
    """
    record = get_activation(activation)
    record.module(**activation_params)  # fail now, with the registry's message, if params are wrong
    if (not isinstance(channels, (tuple, list)) or len(channels) != 2
            or not all(isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in channels)):
        raise ValueError(f"channels must be two positive ints, got {channels!r}")
    first, second = channels
    with seeded(seed, dtype):
        return nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, first, 3, padding=1), record.module(**activation_params), nn.MaxPool2d(2),
            nn.Conv2d(first, second, 3, padding=1), record.module(**activation_params), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(4 * second, 10),
        )
