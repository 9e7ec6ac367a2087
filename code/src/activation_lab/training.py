"""A small, deterministic training loop and a runner that repeats it over seeds."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_builder, check_model, check_seeds, loss_function, model_mode
from .data import Dataset

__all__ = ["History", "train", "evaluate", "run_seeds", "stack_histories"]

OPTIMIZERS = ("sgd", "adam")


@dataclass
class History:
    """Per-epoch record of a training run. Index 0 is the untrained model.

    ``seconds`` is wall-clock time since the start: it varies between runs and
    machines, so print it only through :func:`~activation_lab.timing.format_duration`.
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    extra: dict[str, list] = field(default_factory=dict)

    def metric(self, name: str) -> list:
        """The per-epoch values of ``name``: a field such as ``"val_accuracy"`` or a key of ``extra``."""
        if name in self.extra:
            return self.extra[name]
        if name in ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds"):
            return getattr(self, name)
        raise ValueError(f"unknown metric {name!r}; extra metrics are {sorted(self.extra)}")

    def epochs_to_reach(self, metric: str, target: float, *, higher_is_better: bool = True) -> int | None:
        """First epoch at which ``metric`` reaches ``target`` (falls to it, for a loss); None if never."""
        for epoch, value in zip(self.epoch, self.metric(metric)):
            if (value >= target) if higher_is_better else (value <= target):
                return epoch
        return None


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy") -> tuple[float, float]:
    """Mean loss and accuracy (NaN for ``"mse"``) of ``model`` on ``(x, y)``, in eval mode.

    The model's train/eval mode is restored afterwards.
    """
    criterion = loss_function(loss)
    with model_mode(check_model(model), training=False):
        output = model(x)
        value = float(criterion(output, y))
        accuracy = float((output.argmax(dim=1) == y).float().mean()) if loss == "cross_entropy" else float("nan")
    return value, accuracy


def _make_optimizer(name: str, parameters, lr: float, momentum: float) -> torch.optim.Optimizer:
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=momentum)
    if name == "adam":
        if momentum:
            raise ValueError("momentum applies to optimizer='sgd'; Adam has its own (betas)")
        return torch.optim.Adam(parameters, lr=lr)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")


def train(
    model: nn.Module,
    data: Dataset,
    *,
    epochs: int = 20,
    lr: float = 0.1,
    optimizer: str = "sgd",
    momentum: float = 0.0,
    batch_size: int | None = 64,
    loss: str = "cross_entropy",
    seed: int = 0,
    on_epoch_end: Callable[[nn.Module, int], dict] | None = None,
    record_every: int = 1,
) -> History:
    """Train ``model`` in place with mini-batch gradient descent and return its :class:`History`.

    Batches are shuffled by a generator seeded with ``seed``, so the same model,
    data and seed give the same history. The model's train/eval mode is restored. ``batch_size=None`` trains on the full
    training set each step. ``on_epoch_end(model, epoch)`` may return a dict of
    values, appended to ``history.extra`` (e.g. a probe's dead-unit fraction).
    Metrics are recorded at epoch 0, every ``record_every`` epochs and at the end;
    evaluating is most of the cost for tiny networks, so recording less is faster.
    """
    check_model(model)
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be an activation_lab.Dataset, got {type(data).__name__}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative int, got {epochs!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(record_every, bool) or not isinstance(record_every, int) or record_every < 1:
        raise ValueError(f"record_every must be a positive int, got {record_every!r}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    parameter = next(iter(model.parameters()), None)
    if parameter is not None and parameter.dtype != data.x_train.dtype:
        raise ValueError(f"model parameters are {parameter.dtype} but data.x_train is {data.x_train.dtype}: "
                         f"build both in one dtype (activation_lab.reproducibility.get_dtype())")
    criterion = loss_function(loss)
    opt = _make_optimizer(optimizer, model.parameters(), float(lr), momentum)
    generator = torch.Generator().manual_seed(int(seed))
    n = len(data.x_train)
    step = n if batch_size is None else batch_size
    history = History()
    start = time.perf_counter()

    def record(epoch: int) -> None:
        train_loss, train_acc = evaluate(model, data.x_train, data.y_train, loss)
        val_loss, val_acc = evaluate(model, data.x_val, data.y_val, loss)
        for name, value in [("epoch", epoch), ("train_loss", train_loss), ("train_accuracy", train_acc),
                            ("val_loss", val_loss), ("val_accuracy", val_acc),
                            ("seconds", time.perf_counter() - start)]:
            getattr(history, name).append(value)
        if on_epoch_end is not None:
            for key, value in (on_epoch_end(model, epoch) or {}).items():
                history.extra.setdefault(key, []).append(value)

    record(0)
    with model_mode(model, training=True):
        for epoch in range(1, epochs + 1):
            order = torch.randperm(n, generator=generator)
            for begin in range(0, n, step):
                batch = order[begin : begin + step]
                opt.zero_grad()
                criterion(model(data.x_train[batch]), data.y_train[batch]).backward()
                opt.step()
            if epoch % record_every == 0 or epoch == epochs:
                record(epoch)
    return history


def run_seeds(
    build_model: Callable[[int], nn.Module],
    data: Dataset,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    **train_options,
) -> list[History]:
    """Train ``build_model(seed)`` once per seed (the seed also orders the batches)."""
    check_builder(build_model)
    check_seeds(seeds)
    return [train(build_model(seed), data, seed=seed, **train_options) for seed in seeds]


def stack_histories(histories: Sequence[History], metric: str) -> np.ndarray:
    """A ``(runs, epochs + 1)`` array of one metric, for plotting a mean with its spread."""
    if len(histories) == 0:
        raise ValueError("histories must not be empty")
    return np.array([h.metric(metric) for h in histories], dtype=float)
