r"""Generated token sequences and the small sequence models trained on them, with their training loop.

Data, generated from a seed (nothing is downloaded):

- :func:`selective_copy_sequence`: the previous token decides which earlier token comes next;
- :func:`modular_sum_sequence`: the next token is the sum of two earlier ones modulo the vocabulary;
- :func:`noise_floor`: the lowest loss any model can reach on either;
- :func:`windowed_data` and :func:`chunked_data`: training and validation tensors from two sequences;
- :func:`delayed_recall_data`: remember the first symbol of a sequence until its end.

Models (``torch.nn`` only) and their parameter counts from the formula:

- :class:`NextTokenMLP` (after Bengio et al. 2003): embeddings of a fixed window of tokens,
  one feed-forward block, logits for the next token;
- :class:`TinyDecoder`: a decoder-only transformer with causal self-attention;
- :func:`make_recurrent`: tanh, ReLU and identity-initialized ReLU (IRNN) networks, LSTM and GRU.

:func:`train_by_steps` trains any of them with Adam for a number of steps, the batch order
fixed by a seed; :func:`input_gradient_norms` measures how much a recurrent network's output
depends on each time step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._shared import check_int, check_model, model_mode, seeded
from .blocks import FeedForward, feed_forward_parameters
from .functions._checks import check_real
from .reproducibility import _check_dtype, get_dtype

__all__ = [
    "selective_copy_sequence",
    "modular_sum_sequence",
    "noise_floor",
    "TokenData",
    "windowed_data",
    "chunked_data",
    "delayed_recall_data",
    "NextTokenMLP",
    "next_token_mlp_parameters",
    "CausalSelfAttention",
    "DecoderBlock",
    "TinyDecoder",
    "decoder_parameters",
    "make_next_token_mlp",
    "make_decoder",
    "RECURRENT_KINDS",
    "RecurrentClassifier",
    "make_recurrent",
    "StepHistory",
    "train_by_steps",
    "input_gradient_norms",
]


# Data


def _check_noise(noise) -> float:
    noise = check_real(noise, "noise")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must lie in [0, 1], got {noise}")
    return noise


def _check_sequence_args(length, vocab_size, noise) -> tuple[int, int, float]:
    length = check_int(length, "length")
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    return length, vocab_size, _check_noise(noise)


def selective_copy_sequence(length: int, *, vocab_size: int = 16, choices: int = 4, noise: float = 0.2,
                            seed: int = 0) -> np.ndarray:
    r"""A token sequence in which the previous token picks which earlier token is copied next.

    :math:`x_t = x_{t - 2 - (x_{t-1} \bmod c)}` with :math:`c` = ``choices``: the last token
    points back 2 to :math:`c + 1` places. With probability ``noise`` the token is instead
    uniform over the vocabulary, which keeps every context possible. The first :math:`c + 1`
    tokens are uniform.

    Args:
        length: number of tokens.
        vocab_size: number of distinct tokens :math:`V` (default 16).
        choices: how many earlier positions the pointer can select (default 4).
        noise: probability of a uniform token instead of the rule's (default 0.2).
        seed: seeds the generator; the same seed gives the same sequence.

    Returns:
        An int64 array of ``length`` tokens in ``[0, vocab_size)``.

    Example:
        >>> selective_copy_sequence(12, noise=0.0, seed=1)
        array([ 7,  8, 12, 15,  0, 15,  8, 15, 15,  0, 15,  8])
    """
    length, vocab_size, noise = _check_sequence_args(length, vocab_size, noise)
    choices = check_int(choices, "choices")
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, vocab_size, length)
    replaced = rng.random(length) < noise
    for t in range(choices + 1, length):
        if not replaced[t]:
            tokens[t] = tokens[t - 2 - tokens[t - 1] % choices]
    return tokens.astype(np.int64)


def modular_sum_sequence(length: int, *, vocab_size: int = 16, lag: int = 6, noise: float = 0.2,
                         seed: int = 0) -> np.ndarray:
    r"""A token sequence with :math:`x_t = (x_{t-1} + x_{t-\ell}) \bmod V`, :math:`\ell` = ``lag``.

    With probability ``noise`` the token is instead uniform over the vocabulary. The first
    :math:`\ell` tokens are uniform.

    Args:
        length: number of tokens.
        vocab_size: number of distinct tokens :math:`V` (default 16).
        lag: how far back the second term is (default 6, at least 2).
        noise: probability of a uniform token instead of the rule's (default 0.2).
        seed: seeds the generator.

    Returns:
        An int64 array of ``length`` tokens in ``[0, vocab_size)``.

    Example:
        >>> modular_sum_sequence(8, vocab_size=10, lag=2, noise=0.0, seed=0)
        array([8, 6, 4, 0, 4, 4, 8, 2])
    """
    length, vocab_size, noise = _check_sequence_args(length, vocab_size, noise)
    lag = check_int(lag, "lag", minimum=2)
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, vocab_size, length)
    replaced = rng.random(length) < noise
    for t in range(lag, length):
        if not replaced[t]:
            tokens[t] = (tokens[t - 1] + tokens[t - lag]) % vocab_size
    return tokens.astype(np.int64)


def noise_floor(vocab_size: int, noise: float) -> float:
    r"""The lowest expected cross-entropy (nats) on a sequence whose rule is replaced by uniform noise with probability :math:`\varepsilon`.

    A model that knows the rule gives the rule's token probability
    :math:`p = 1 - \varepsilon + \varepsilon/V` and every other token :math:`\varepsilon/V`,
    so the floor is :math:`-p \ln p - (V - 1)\frac{\varepsilon}{V}\ln\frac{\varepsilon}{V}`.

    Example:
        >>> round(noise_floor(16, 0.2), 4), round(noise_floor(16, 1.0), 4) == round(math.log(16), 4)
        (0.9903, True)
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    noise = _check_noise(noise)
    other = noise / vocab_size
    rule = 1.0 - noise + other
    return -rule * math.log(rule) - ((vocab_size - 1) * other * math.log(other) if other > 0 else 0.0)


@dataclass(frozen=True)
class TokenData:
    """Training and validation tensors of token ids (int64): inputs ``x_*`` and next-token targets ``y_*``."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor


def _check_tokens(tokens, name: str) -> np.ndarray:
    array = np.asarray(tokens)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise TypeError(f"{name} must be a 1-D array of integer token ids, got dtype {array.dtype} "
                        f"and shape {array.shape}")
    return array.astype(np.int64)


def _windows(tokens: np.ndarray, context: int, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    if len(tokens) <= context:
        raise ValueError(f"{name} must be longer than context={context}, got {len(tokens)} tokens")
    index = np.arange(len(tokens) - context)[:, None] + np.arange(context + 1)
    windows = torch.from_numpy(tokens[index])
    return windows[:, :context].contiguous(), windows[:, context].contiguous()


def windowed_data(train_tokens, val_tokens, context: int) -> TokenData:
    """Every window of ``context`` tokens and the token after it, from a training and a validation sequence.

    Example:
        >>> data = windowed_data(np.arange(6), np.arange(4), context=3)
        >>> data.x_train.tolist(), data.y_train.tolist()
        ([[0, 1, 2], [1, 2, 3], [2, 3, 4]], [3, 4, 5])
    """
    context = check_int(context, "context")
    x_train, y_train = _windows(_check_tokens(train_tokens, "train_tokens"), context, "train_tokens")
    x_val, y_val = _windows(_check_tokens(val_tokens, "val_tokens"), context, "val_tokens")
    return TokenData(x_train, y_train, x_val, y_val)


def _chunks(tokens: np.ndarray, length: int, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    count = (len(tokens) - 1) // length
    if count < 1:
        raise ValueError(f"{name} must hold more than length={length} tokens, got {len(tokens)}")
    used = torch.from_numpy(tokens[: count * length + 1])
    return used[:-1].reshape(count, length).contiguous(), used[1:].reshape(count, length).contiguous()


def chunked_data(train_tokens, val_tokens, length: int) -> TokenData:
    """Non-overlapping chunks of ``length`` tokens and, position by position, the token after each.

    The targets are the inputs shifted by one, as a decoder is trained: position ``t``
    of a chunk predicts token ``t + 1``.

    Example:
        >>> data = chunked_data(np.arange(7), np.arange(4), length=3)
        >>> data.x_train.tolist(), data.y_train.tolist()
        ([[0, 1, 2], [3, 4, 5]], [[1, 2, 3], [4, 5, 6]])
    """
    length = check_int(length, "length")
    x_train, y_train = _chunks(_check_tokens(train_tokens, "train_tokens"), length, "train_tokens")
    x_val, y_val = _chunks(_check_tokens(val_tokens, "val_tokens"), length, "val_tokens")
    return TokenData(x_train, y_train, x_val, y_val)


def delayed_recall_data(n_train: int, n_val: int, *, length: int = 10, symbols: int = 4, seed: int = 0,
                        dtype: torch.dtype | None = None) -> TokenData:
    r"""Sequences whose first symbol must be recalled at the end: a memory test for recurrent networks.

    Each sequence is ``length`` one-hot vectors of size ``symbols + 1``: a symbol at
    :math:`t = 0`, random distractor symbols after it, and at the last step a separate
    query channel set to 1. The target is the first symbol, so chance accuracy is
    :math:`1/\text{symbols}`.

    Returns:
        :class:`TokenData` with floating inputs ``(n, length, symbols + 1)`` (``dtype``,
        the package's by default) and int64 targets ``(n,)``.

    Example:
        >>> data = delayed_recall_data(5, 3, length=4, symbols=2)
        >>> tuple(data.x_train.shape), bool((data.x_train[:, 0, :2].argmax(1) == data.y_train).all())
        ((5, 4, 3), True)
    """
    n_train, n_val = check_int(n_train, "n_train"), check_int(n_val, "n_val")
    length, symbols = check_int(length, "length", minimum=2), check_int(symbols, "symbols", minimum=2)
    dtype = get_dtype() if dtype is None else _check_dtype(dtype)
    generator = torch.Generator().manual_seed(int(seed))
    tokens = torch.randint(0, symbols, (n_train + n_val, length), generator=generator)
    x = F.one_hot(tokens, symbols + 1).to(dtype)
    x[:, -1] = 0.0
    x[:, -1, symbols] = 1.0
    y = tokens[:, 0].contiguous()
    return TokenData(x[:n_train], y[:n_train], x[n_train:], y[n_train:])


# Models


class NextTokenMLP(nn.Module):
    r"""A next-token model over a fixed window: embeddings, one feed-forward block, logits.

    The ``context`` tokens are embedded (``embedding_dim`` numbers each) and concatenated
    into :math:`x` of width :math:`d` = ``context * embedding_dim``; then
    :math:`x + \mathrm{FF}(\mathrm{LN}(x))` with the block of :class:`~activation_lab.blocks.FeedForward`,
    and a linear layer to the logits. Like Bengio et al. (2003), a shared embedding and a
    direct path from the embeddings to the output.

    Shape:
        - Input: ``(N, context)`` token ids.
        - Output: ``(N, vocab_size)`` logits for the next token.

    Example:
        >>> model = NextTokenMLP(16, 4, 8, 96, "relu")
        >>> model(torch.zeros(2, 4, dtype=torch.long)).shape
        torch.Size([2, 16])
    """

    def __init__(self, vocab_size: int, context: int, embedding_dim: int, hidden: int, activation: str = "relu",
                 **activation_params):
        super().__init__()
        vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
        self.context = check_int(context, "context")
        width = self.context * check_int(embedding_dim, "embedding_dim")
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.norm = nn.LayerNorm(width)
        self.feed_forward = FeedForward(width, hidden, activation, **activation_params)
        self.readout = nn.Linear(width, vocab_size)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.ndim != 2 or tokens.shape[1] != self.context:
            raise ValueError(f"tokens must have shape (N, {self.context}), got {tuple(tokens.shape)}")
        x = self.embedding(tokens).flatten(1)
        return self.readout(x + self.feed_forward(self.norm(x)))


def next_token_mlp_parameters(vocab_size: int, context: int, embedding_dim: int, hidden: int,
                              activation: str = "relu", **activation_params) -> int:
    r"""Parameters of a :class:`NextTokenMLP`, from the formula :math:`Ve + 2d + \mathrm{FF} + dV + V`, :math:`d = ce`.

    Example:
        >>> next_token_mlp_parameters(16, 6, 8, 96, "relu") == next_token_mlp_parameters(16, 6, 8, 64, "swiglu")
        True
    """
    width = check_int(context, "context") * check_int(embedding_dim, "embedding_dim")
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    ff = feed_forward_parameters(width, hidden, activation, **activation_params)
    return vocab_size * embedding_dim + 2 * width + ff + width * vocab_size + vocab_size


class CausalSelfAttention(nn.Module):
    r"""Multi-head self-attention in which position :math:`t` attends only to positions :math:`s \le t`.

    Scores :math:`q_t \cdot k_s / \sqrt{d_h}` for :math:`s > t` are set to :math:`-\infty`
    before the softmax, by a lower-triangular boolean ``mask`` (a buffer), so their
    weights are exactly 0: a token never sees the future.

    Shape:
        - Input: ``(N, T, d_model)`` with ``T <= context``.
        - Output: ``(N, T, d_model)``.

    Example:
        >>> CausalSelfAttention(8, 2, 4).mask.int()
        tensor([[1, 0, 0, 0],
                [1, 1, 0, 0],
                [1, 1, 1, 0],
                [1, 1, 1, 1]], dtype=torch.int32)
    """

    def __init__(self, d_model: int, heads: int, context: int):
        super().__init__()
        d_model, self.heads = check_int(d_model, "d_model"), check_int(heads, "heads")
        if d_model % heads:
            raise ValueError(f"d_model must be divisible by heads, got d_model={d_model}, heads={heads}")
        self.query_key_value = nn.Linear(d_model, 3 * d_model, bias=False)
        self.output = nn.Linear(d_model, d_model, bias=False)
        context = check_int(context, "context")
        self.register_buffer("mask", torch.ones(context, context, dtype=torch.bool).tril(), persistent=False)

    def attention_weights(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The weights ``(N, heads, T, T)`` (row ``t``: how much position ``t`` takes from each ``s``) and the values."""
        n, length, width = x.shape
        if length > self.mask.shape[0]:
            raise ValueError(f"x has {length} positions, more than the context {self.mask.shape[0]}")
        q, k, v = self.query_key_value(x).view(n, length, 3, self.heads, width // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(width // self.heads)
        scores = scores.masked_fill(~self.mask[:length, :length], float("-inf"))
        return scores.softmax(dim=-1), v

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights, v = self.attention_weights(x)
        return self.output((weights @ v).transpose(1, 2).flatten(2))


class DecoderBlock(nn.Module):
    r"""A pre-norm decoder block: :math:`x + \mathrm{Attn}(\mathrm{LN}(x))`, then :math:`x + \mathrm{FF}(\mathrm{LN}(x))`."""

    def __init__(self, d_model: int, heads: int, context: int, hidden: int, activation: str = "relu",
                 **activation_params):
        super().__init__()
        self.attention_norm = nn.LayerNorm(d_model)
        self.attention = CausalSelfAttention(d_model, heads, context)
        self.feed_forward_norm = nn.LayerNorm(d_model)
        self.feed_forward = FeedForward(d_model, hidden, activation, **activation_params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.attention_norm(x))
        return x + self.feed_forward(self.feed_forward_norm(x))


class TinyDecoder(nn.Module):
    r"""A decoder-only transformer: token and learned position embeddings, ``layers`` :class:`DecoderBlock`\ s, logits.

    Shape:
        - Input: ``(N, T)`` token ids, ``T <= context``.
        - Output: ``(N, T, vocab_size)``: at position ``t``, logits for token ``t + 1``.

    Example:
        >>> model = TinyDecoder(16, context=8, d_model=16, heads=2, layers=1, hidden=32)
        >>> model(torch.zeros(3, 8, dtype=torch.long)).shape
        torch.Size([3, 8, 16])
    """

    def __init__(self, vocab_size: int, context: int, d_model: int, heads: int, layers: int, hidden: int,
                 activation: str = "relu", **activation_params):
        super().__init__()
        vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
        self.context = check_int(context, "context")
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Embedding(context, d_model)
        self.blocks = nn.Sequential(*[DecoderBlock(d_model, heads, context, hidden, activation, **activation_params)
                                      for _ in range(check_int(layers, "layers"))])
        self.norm = nn.LayerNorm(d_model)
        self.readout = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.ndim != 2 or tokens.shape[1] > self.context:
            raise ValueError(f"tokens must have shape (N, T) with T <= {self.context}, got {tuple(tokens.shape)}")
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.token_embedding(tokens) + self.position_embedding(positions)
        return self.readout(self.norm(self.blocks(x)))


def decoder_parameters(vocab_size: int, context: int, d_model: int, layers: int, hidden: int,
                       activation: str = "relu", **activation_params) -> int:
    r"""Parameters of a :class:`TinyDecoder`, from the formula
    :math:`(V + T)\,d + L\,(4d^2 + 4d + \mathrm{FF}) + 2d + dV`.

    Per layer: query, key, value and output matrices (:math:`4d^2`), two layer norms
    (:math:`4d`) and the feed-forward block; heads do not change the count.

    Example:
        >>> decoder_parameters(32, 32, 48, 2, 192, "relu"), decoder_parameters(32, 32, 48, 2, 128, "swiglu")
        (60384, 60384)
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    context, d_model, layers = check_int(context, "context"), check_int(d_model, "d_model"), check_int(layers, "layers")
    ff = feed_forward_parameters(d_model, hidden, activation, **activation_params)
    return (vocab_size + context) * d_model + layers * (4 * d_model**2 + 4 * d_model + ff) + 2 * d_model \
        + d_model * vocab_size


def make_next_token_mlp(vocab_size: int, context: int, embedding_dim: int, hidden: int, activation: str = "relu",
                        *, seed: int | None = None, dtype: torch.dtype | None = None,
                        **activation_params) -> NextTokenMLP:
    """A :class:`NextTokenMLP` whose initial weights are fixed by ``seed``, in ``dtype`` (the package's by default)."""
    with seeded(seed, dtype):
        return NextTokenMLP(vocab_size, context, embedding_dim, hidden, activation, **activation_params)


def make_decoder(vocab_size: int, context: int, d_model: int, heads: int, layers: int, hidden: int,
                 activation: str = "relu", *, seed: int | None = None, dtype: torch.dtype | None = None,
                 **activation_params) -> TinyDecoder:
    """A :class:`TinyDecoder` whose initial weights are fixed by ``seed``, in ``dtype`` (the package's by default)."""
    with seeded(seed, dtype):
        return TinyDecoder(vocab_size, context, d_model, heads, layers, hidden, activation, **activation_params)


RECURRENT_KINDS = ("tanh", "relu", "irnn", "lstm", "gru")
"""Recurrent networks by name: ``torch.nn.RNN`` with tanh or ReLU at PyTorch's initialization,
``irnn`` (ReLU with an identity recurrent matrix and zero biases, Le et al. 2015), LSTM, GRU."""


class RecurrentClassifier(nn.Module):
    """A one-layer recurrent network read out by a linear layer from its last hidden state.

    Shape:
        - Input: ``(N, T, n_inputs)``.
        - Output: ``(N, n_outputs)``.
    """

    def __init__(self, kind: str, n_inputs: int, hidden: int, n_outputs: int):
        super().__init__()
        if kind not in RECURRENT_KINDS:
            raise ValueError(f"kind must be one of {RECURRENT_KINDS}, got {kind!r}")
        self.kind = kind
        n_inputs, hidden = check_int(n_inputs, "n_inputs"), check_int(hidden, "hidden")
        if kind == "lstm":
            self.recurrent = nn.LSTM(n_inputs, hidden, batch_first=True)
        elif kind == "gru":
            self.recurrent = nn.GRU(n_inputs, hidden, batch_first=True)
        else:
            self.recurrent = nn.RNN(n_inputs, hidden, batch_first=True, nonlinearity="tanh" if kind == "tanh" else "relu")
        if kind == "irnn":
            with torch.no_grad():
                self.recurrent.weight_hh_l0.copy_(torch.eye(hidden))
                self.recurrent.bias_hh_l0.zero_()
                self.recurrent.bias_ih_l0.zero_()
        self.readout = nn.Linear(hidden, check_int(n_outputs, "n_outputs"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        states, _ = self.recurrent(x)
        return self.readout(states[:, -1])


def make_recurrent(kind: str, n_inputs: int, hidden: int, n_outputs: int, *, seed: int | None = None,
                   dtype: torch.dtype | None = None) -> RecurrentClassifier:
    """A :class:`RecurrentClassifier` of one of :data:`RECURRENT_KINDS`, initial weights fixed by ``seed``.

    Example:
        >>> model = make_recurrent("irnn", 3, 4, 2, seed=0)
        >>> torch.equal(model.recurrent.weight_hh_l0, torch.eye(4, dtype=model.recurrent.weight_hh_l0.dtype))
        True
    """
    with seeded(seed, dtype):
        return RecurrentClassifier(kind, n_inputs, hidden, n_outputs)


# Training


@dataclass
class StepHistory:
    """Losses of a run of :func:`train_by_steps`: at each recorded step (0 is the untrained model),
    the validation loss and accuracy, and the mean training loss of the batches since the last record."""

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)


def _loss_and_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    logits = model(x)
    flat = logits.reshape(-1, logits.shape[-1])
    return float(F.cross_entropy(flat, y.reshape(-1))), float((flat.argmax(dim=1) == y.reshape(-1)).double().mean())


def train_by_steps(model: nn.Module, data, *, steps: int, batch_size: int = 128, lr: float = 0.01, seed: int = 0,
                   record_every: int | None = None, max_grad_norm: float | None = None) -> StepHistory:
    """Train ``model`` in place with Adam on cross-entropy for ``steps`` mini-batches; return its :class:`StepHistory`.

    The batches walk through a random order of the training examples drawn from a
    generator seeded with ``seed`` (a new order after each pass), so the same model, data
    and seed give the same run. Logits ``(N, C)`` or ``(N, T, C)`` are compared with
    targets ``(N,)`` or ``(N, T)``. ``max_grad_norm`` clips the gradient norm (recurrent
    networks need it); the model's train/eval mode is restored.

    Args:
        model: a ``torch.nn.Module``.
        data: anything with ``x_train``, ``y_train``, ``x_val``, ``y_val`` (:class:`TokenData`).
        steps: number of optimizer steps.
        batch_size: examples per step (default 128).
        lr: Adam's learning rate (default 0.01).
        seed: orders the batches.
        record_every: record every this many steps (default: only at 0 and at the end).
        max_grad_norm: clip the gradient to this norm before each step (default: no clipping).
    """
    check_model(model)
    steps, batch_size = check_int(steps, "steps"), check_int(batch_size, "batch_size")
    lr = check_real(lr, "lr", positive=True)
    record_every = steps if record_every is None else check_int(record_every, "record_every")
    if max_grad_norm is not None:
        max_grad_norm = check_real(max_grad_norm, "max_grad_norm", positive=True)
    for name in ("x_train", "y_train", "x_val", "y_val"):
        if not isinstance(getattr(data, name, None), torch.Tensor):
            raise TypeError(f"data must have a tensor {name} (a TokenData), got {type(data).__name__}")
    # Fused Adam: the same update as the for-loop version in one kernel, several times faster on tiny models.
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=True)
    generator = torch.Generator().manual_seed(int(seed))
    n = len(data.x_train)
    order, position = torch.randperm(n, generator=generator), 0
    history, losses = StepHistory(), []

    def record(step: int) -> None:
        with torch.no_grad(), model_mode(model, training=False):
            val_loss, val_accuracy = _loss_and_accuracy(model, data.x_val, data.y_val)
        history.step.append(step)
        history.train_loss.append(float(np.mean(losses)) if losses else float("nan"))
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_accuracy)
        losses.clear()

    record(0)
    with model_mode(model, training=True):
        for step in range(1, steps + 1):
            if position + batch_size > n:
                order, position = torch.randperm(n, generator=generator), 0
            batch = order[position: position + batch_size]
            position += batch_size
            logits = model(data.x_train[batch])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), data.y_train[batch].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            if max_grad_norm is not None:
                nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
            optimizer.step()
            losses.append(loss.item())
            if step % record_every == 0 or step == steps:
                record(step)
    return history


def input_gradient_norms(model: nn.Module, x: torch.Tensor) -> np.ndarray:
    r"""How much a sequence model's output depends on each time step: :math:`\lVert \partial (\sum \text{outputs}) / \partial x_t \rVert`.

    Averaged over the batch, for each ``t``; a network whose gradients vanish through
    time gives tiny values at early steps, one whose gradients explode gives huge ones.

    Args:
        model: maps ``(N, T, n_inputs)`` to outputs of any shape.
        x: a batch ``(N, T, n_inputs)``.

    Returns:
        An array of ``T`` norms, one per time step.
    """
    check_model(model)
    if not isinstance(x, torch.Tensor) or x.ndim != 3:
        raise ValueError(f"x must be a tensor of shape (N, T, n_inputs), got {getattr(x, 'shape', type(x).__name__)}")
    inputs = x.detach().clone().requires_grad_(True)
    with model_mode(model, training=False):
        (gradient,) = torch.autograd.grad(model(inputs).sum(), inputs)
    return gradient.norm(dim=2).mean(dim=0).detach().numpy()
