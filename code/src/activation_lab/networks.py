"""Building and initializing the small networks the chapters experiment on: MLPs and a digits CNN.

Example:
    >>> from activation_lab.networks import make_mlp
    >>> make_mlp([2, 16, 16, 2], "relu", seed=0)
    Sequential(
      (0): Linear(in_features=2, out_features=16, bias=True)
      (1): ReLU()
      (2): Linear(in_features=16, out_features=16, bias=True)
      (3): ReLU()
      (4): Linear(in_features=16, out_features=2, bias=True)
    )
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch
from torch import nn

from ._shared import check_model, seeded
from .registry import get_activation
from .reproducibility import _check_dtype, get_dtype

__all__ = ["make_mlp", "Residual", "make_digits_cnn", "initialize_", "INIT_SCHEMES", "linear_layers", "init_std"]

INIT_SCHEMES = ("default", "he", "xavier", "lecun")
"""Weight initializations by name. ``he``: std = sqrt(2 / fan_in) (He et al. 2015);
``xavier``: std = sqrt(2 / (fan_in + fan_out)) (Glorot & Bengio 2010); ``lecun``:
std = sqrt(1 / fan_in) (LeCun et al. 1998); ``default``: PyTorch's own."""


def init_std(scheme: str, fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    r"""Standard deviation of the normal weights a scheme draws, times ``gain``.

    ``he`` gives :math:`\sqrt{2 / \text{fan\_in}}`, ``xavier``
    :math:`\sqrt{2 / (\text{fan\_in} + \text{fan\_out})}` and ``lecun``
    :math:`\sqrt{1 / \text{fan\_in}}` (see :data:`INIT_SCHEMES`).

    Args:
        scheme: ``"he"``, ``"xavier"`` or ``"lecun"``; ``"default"`` has no
            single std and raises.
        fan_in: the number of inputs of the layer.
        fan_out: the number of outputs of the layer (only ``xavier`` uses it).
        gain: a factor on the std (default 1.0), e.g. a registry record's ``gain``.

    Returns:
        The standard deviation, a float.

    Raises:
        ValueError: for any other scheme.

    Example:
        >>> from activation_lab.networks import init_std
        >>> init_std("he", fan_in=50, fan_out=10)
        0.2
        >>> round(init_std("xavier", fan_in=50, fan_out=50), 4), init_std("lecun", 100, 1, gain=2.0)
        (0.1414, 0.2)
    """
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
    """The ``nn.Linear`` layers of a model, in the order ``model.modules()`` visits them.

    Args:
        model: any ``torch.nn.Module``.

    Returns:
        A list of the model's ``nn.Linear`` layers (the layers themselves, not copies).

    Raises:
        TypeError: if ``model`` is not a ``torch.nn.Module``.

    Example:
        >>> from activation_lab.networks import linear_layers, make_mlp
        >>> [(layer.in_features, layer.out_features) for layer in linear_layers(make_mlp([2, 16, 16, 2]))]
        [(2, 16), (16, 16), (16, 2)]
    """
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
    underscore marks the in-place change, as in ``torch.nn.init``. Only
    ``nn.Linear`` layers change; convolutions keep their weights.

    Args:
        model: the network to change.
        scheme: one of :data:`INIT_SCHEMES` (default ``"he"``); ``"default"``
            keeps PyTorch's weights (and ignores ``gain``).
        gain: a positive factor on the std (default 1.0).
        bias: ``None`` (default) or the number every bias is set to.
        generator: a ``torch.Generator`` to draw from (default: PyTorch's global one).

    Returns:
        ``model`` itself, changed in place.

    Raises:
        ValueError: for an unknown scheme or a gain that is not positive and finite.
        TypeError: if ``bias`` is neither a number nor ``None``.

    Example:
        >>> import torch
        >>> from activation_lab.networks import initialize_, make_mlp
        >>> model = make_mlp([1000, 500], activation=None, seed=0)
        >>> model = initialize_(model, "he", generator=torch.Generator().manual_seed(0))
        >>> round(model[0].weight.std().item(), 3), model[0].bias.abs().max().item()
        (0.045, 0.0)
        >>> initialize_(make_mlp([2, 3, 1], seed=0), "xavier", bias=0.5)[0].bias.tolist()
        [0.5, 0.5, 0.5]
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    if isinstance(gain, bool) or not isinstance(gain, (int, float)) or not 0 < gain < math.inf:
        raise ValueError(f"gain must be a positive finite number, got {gain!r}")
    if scheme == "default" and gain != 1.0:
        raise ValueError(f"gain scales the {INIT_SCHEMES[1:]} schemes; PyTorch's default initialization "
                         f"has none, so gain must be 1 with scheme='default', got {gain!r}")
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
    residual: bool = False,
    seed: int | None = None,
    dtype: torch.dtype | None = None,
    **activation_params,
) -> nn.Sequential:
    """A multilayer perceptron ``Linear -> [BatchNorm] -> activation -> ... -> Linear``.

    The output layer has no activation: it returns logits (or regression values).
    Each hidden layer gets its own activation module, so parametric ones (PReLU)
    learn one slope per layer.

    Args:
        widths: layer sizes from input to output, e.g. ``[2, 16, 16, 2]``.
        activation: a name in :data:`~activation_lab.registry.ACTIVATIONS` (default
            ``"relu"``), an ``nn.Module`` class, a factory returning a module, or
            ``None`` for a purely linear network.
        init: the weight initialization, one of :data:`INIT_SCHEMES`, passed to
            :func:`initialize_` (default ``"default"`` keeps PyTorch's).
        gain: passed to :func:`initialize_` (default 1.0).
        bias: passed to :func:`initialize_` (default ``None``: zero biases, except
            under ``init="default"``, which keeps PyTorch's).
        batch_norm: insert ``nn.BatchNorm1d`` before each hidden activation
            (default False).
        residual: wrap each hidden layer whose input and output widths agree in a
            :class:`Residual` block, ``h -> h + f(W h + b)`` (default False); a
            layer that changes the width (usually the first) stays plain.
        seed: seeds the weights, so the same seed gives the same network
            (default ``None``: PyTorch's global generator as it stands).
        dtype: the parameters' dtype; ``None`` uses the package's (float64 unless
            :func:`~activation_lab.reproducibility.set_dtype` changed it).
        activation_params: e.g. ``negative_slope=0.1`` for ``"leaky_relu"``
            (ignored when ``activation`` is ``None``).

    Returns:
        An ``nn.Sequential`` whose parameters are in ``dtype``.

    Raises:
        TypeError: if ``widths`` is not a sequence, ``activation`` is a module
            instance rather than a class or factory, or a registry activation
            does not take one of ``activation_params``.
        ValueError: if ``widths`` holds fewer than two positive ints, or
            ``activation`` is a name the registry lacks or one without a module.

    Example:
        >>> import torch
        >>> from activation_lab.networks import make_mlp
        >>> model = make_mlp([3, 4, 1], "leaky_relu", negative_slope=0.1, batch_norm=True, seed=0)
        >>> [type(layer).__name__ for layer in model], model[2].negative_slope
        (['Linear', 'BatchNorm1d', 'LeakyReLU', 'Linear'], 0.1)
        >>> model[0].weight.dtype
        torch.float64
        >>> torch.equal(make_mlp([2, 4, 1], seed=0)[0].weight, make_mlp([2, 4, 1], seed=0)[0].weight)
        True
        >>> [type(layer).__name__ for layer in make_mlp([2, 8, 8, 8, 1], "relu", residual=True, seed=0)]
        ['Linear', 'ReLU', 'Residual', 'Residual', 'Linear']
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of ints, got {type(widths).__name__}")
    if len(widths) < 2 or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"widths must hold at least two positive ints, got {list(widths)}")
    dtype = get_dtype() if dtype is None else _check_dtype(dtype)
    if activation is None and activation_params:
        raise TypeError(f"activation=None takes no activation parameters, got {sorted(activation_params)}")
    factory = None if activation is None else _activation_factory(activation, activation_params)
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(int(seed))
    if not isinstance(residual, bool):
        raise TypeError(f"residual must be a bool, got {type(residual).__name__}")
    layers: list[nn.Module] = []
    with seeded(seed, dtype):
        for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
            block = [nn.Linear(fan_in, fan_out, dtype=dtype)]
            if index < len(widths) - 2:
                if batch_norm:
                    block.append(nn.BatchNorm1d(fan_out, dtype=dtype))
                if factory is not None:
                    block.append(factory().to(dtype))  # parametric activations (PReLU) too
                if residual and fan_in == fan_out:
                    block = [Residual(nn.Sequential(*block))]
            layers.extend(block)
    model = nn.Sequential(*layers)
    return initialize_(model, init, gain=gain, bias=bias, generator=generator)


class Residual(nn.Module):
    r"""A skip connection around a block: :math:`h \mapsto h + \mathrm{block}(h)`.

    The identity path carries the signal, and its gradient, past the block unchanged,
    which is what lets very deep networks train (He et al. 2016).

    Args:
        block: a module whose output has its input's shape.

    Shape:
        - Input: ``(batch, width)``.
        - Output: ``(batch, width)``.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> skip = Residual(nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
        >>> with torch.no_grad():
        ...     _ = skip.block[0].weight.zero_(), skip.block[0].bias.zero_()
        >>> skip(torch.tensor([[1.0, -2.0]])).tolist()
        [[1.0, -2.0]]
    """

    def __init__(self, block: nn.Module):
        super().__init__()
        if not isinstance(block, nn.Module):
            raise TypeError(f"block must be a torch.nn.Module, got {type(block).__name__}")
        self.block = block

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.block(h)


def make_digits_cnn(activation: str = "relu", *, channels: tuple[int, int] = (8, 16), seed: int | None = None,
                    dtype: torch.dtype | None = None, **activation_params) -> nn.Sequential:
    """A small CNN for the 8x8 digits: ``conv3x3 -> f -> pool -> conv3x3 -> f -> pool -> linear``.

    It takes the flat 64-pixel rows of :func:`~activation_lab.data.digits_data` and
    reshapes them to ``1 x 8 x 8`` itself. ``seed`` fixes the initial weights; ``dtype``
    (``None``: the package's) is the parameters' dtype. The weights are PyTorch's
    own initialization.

    Args:
        activation: a registry name with a ``torch.nn`` module (default ``"relu"``).
        channels: the two convolutions' output channels (default ``(8, 16)``).
        seed: seeds the initial weights; ``None`` (default) draws from PyTorch's
            global generator as it stands.
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for the
            package's dtype.
        activation_params: parameters of the activation, e.g. ``negative_slope=0.1``.

    Returns:
        An ``nn.Sequential`` that maps a batch ``(N, 64)`` to 10 logits ``(N, 10)``.

    Raises:
        ValueError: for an unknown activation, one without a module, or
            ``channels`` that are not two positive ints.
        TypeError: for a parameter the activation does not take.

    Example:
        >>> import torch
        >>> from activation_lab.networks import make_digits_cnn
        >>> model = make_digits_cnn("relu", seed=0)
        >>> model(torch.zeros(5, 64, dtype=torch.float64)).shape
        torch.Size([5, 10])
        >>> model[8]
        Linear(in_features=64, out_features=10, bias=True)
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
