"""A small, deterministic training loop and a runner that repeats it over seeds.

Example:
    >>> import activation_lab as al
    >>> data = al.xor_data(n=16, seed=0)
    >>> histories = al.run_seeds(lambda seed: al.make_mlp([2, 4, 2], seed=seed), data, seeds=(0, 1), epochs=2)
    >>> al.stack_histories(histories, "val_accuracy").shape
    (2, 3)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_builder, check_int, check_model, check_seeds, loss_function, model_mode
from .data import Dataset
from .functions._checks import check_real

__all__ = ["History", "train", "evaluate", "run_seeds", "stack_histories"]

OPTIMIZERS = ("sgd", "adam")


@dataclass
class History:
    """Per-epoch record of a training run. Index 0 is the untrained model.

    ``seconds`` is wall-clock time since the start: it varies between runs and
    machines, so print it only through :func:`~activation_lab.timing.format_duration`.
    :func:`train` fills one; every list has one entry per recorded epoch.

    Attributes:
        epoch: the epochs at which metrics were recorded, starting at 0.
        train_loss: mean loss on the training set.
        train_accuracy: accuracy on the training set (NaN for the ``"mse"`` loss).
        val_loss: mean loss on the validation set.
        val_accuracy: accuracy on the validation set (NaN for the ``"mse"`` loss).
        seconds: wall-clock seconds since training started.
        extra: further per-epoch values by name, from ``train``'s ``on_epoch_end``.
        steps: per-step values by name, from ``train``'s ``on_step_end``: one entry
            per gradient step, the first for step 1 (empty without a callback).

    Example:
        >>> from activation_lab.training import History
        >>> history = History(epoch=[0, 1, 2], val_accuracy=[0.5, 0.8, 0.9])
        >>> history.epochs_to_reach("val_accuracy", 0.8)
        1
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    extra: dict[str, list] = field(default_factory=dict)
    steps: dict[str, list] = field(default_factory=dict)

    def metric(self, name: str) -> list:
        """The per-epoch values of ``name``: a field such as ``"val_accuracy"`` or a key of ``extra``.

        A key of ``extra`` wins over a field of the same name.

        Args:
            name: ``"epoch"``, ``"train_loss"``, ``"train_accuracy"``, ``"val_loss"``,
                ``"val_accuracy"``, ``"seconds"`` or a key of ``extra``.

        Returns:
            The list itself (not a copy).

        Raises:
            ValueError: for any other name; the message lists the extra metrics.

        Example:
            >>> from activation_lab.training import History
            >>> history = History(epoch=[0, 1], val_loss=[0.7, 0.5], extra={"dead": [0.0, 0.1]})
            >>> history.metric("val_loss"), history.metric("dead")
            ([0.7, 0.5], [0.0, 0.1])
        """
        if name in self.extra:
            return self.extra[name]
        if name in ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds"):
            return getattr(self, name)
        raise ValueError(f"unknown metric {name!r}; extra metrics are {sorted(self.extra)}")

    def epochs_to_reach(self, metric: str, target: float, *, higher_is_better: bool = True) -> int | None:
        """First epoch at which ``metric`` reaches ``target`` (falls to it, for a loss); None if never.

        Only recorded epochs are looked at, so with ``record_every > 1`` the answer
        is the first recorded epoch at or past the target.

        Args:
            metric: a name that :meth:`metric` accepts.
            target: the value to reach.
            higher_is_better: ``True`` (default) looks for ``value >= target``;
                ``False``, for a loss, looks for ``value <= target``.

        Returns:
            The epoch number, or ``None`` if the metric never gets there.

        Example:
            >>> from activation_lab.training import History
            >>> history = History(epoch=[0, 1, 2], val_loss=[0.7, 0.5, 0.4], val_accuracy=[0.5, 0.8, 0.9])
            >>> history.epochs_to_reach("val_loss", 0.45, higher_is_better=False)
            2
            >>> history.epochs_to_reach("val_accuracy", 0.95) is None
            True
        """
        for epoch, value in zip(self.epoch, self.metric(metric)):
            if (value >= target) if higher_is_better else (value <= target):
                return epoch
        return None


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy") -> tuple[float, float]:
    """Mean loss and accuracy (NaN for ``"mse"``) of ``model`` on ``(x, y)``, in eval mode.

    The model's train/eval mode is restored afterwards, and no gradient is recorded.
    Accuracy compares ``argmax`` of the output with the labels.

    Args:
        model: a network mapping ``x`` to one score per class.
        x: the inputs, in the model's dtype.
        y: the int64 labels for ``"cross_entropy"``; the targets for ``"mse"``.
        loss: ``"cross_entropy"`` (default) or ``"mse"``.

    Returns:
        A pair of floats ``(loss, accuracy)``.

    Example:
        >>> import torch
        >>> from activation_lab.networks import make_mlp
        >>> from activation_lab.training import evaluate
        >>> model = make_mlp([2, 2], init="he", seed=0)  # zero biases: zero inputs score 0, 0
        >>> x = torch.zeros(4, 2, dtype=torch.float64)
        >>> loss, accuracy = evaluate(model, x, torch.tensor([0, 1, 1, 1]))
        >>> round(loss, 4), accuracy  # log 2; a tie goes to class 0
        (0.6931, 0.25)
    """
    criterion = loss_function(loss)
    with model_mode(check_model(model), training=False):
        output = model(x)
        value = float(criterion(output, y))
        accuracy = float((output.argmax(dim=1) == y).double().mean()) if loss == "cross_entropy" else float("nan")
    return value, accuracy


def _make_optimizer(name: str, parameters, lr: float, momentum: float, weight_decay: float) -> torch.optim.Optimizer:
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        if momentum:
            raise ValueError("momentum applies to optimizer='sgd'; Adam has its own (betas)")
        return torch.optim.Adam(parameters, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")


def _check_step_options(momentum, weight_decay, warmup_steps, clip_norm) -> tuple[float, float, int, float | None]:
    momentum = check_real(momentum, "momentum")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
    weight_decay = check_real(weight_decay, "weight_decay")
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be non-negative, got {weight_decay}")
    warmup_steps = check_int(warmup_steps, "warmup_steps", minimum=0)
    if clip_norm is not None:
        clip_norm = check_real(clip_norm, "clip_norm", positive=True)
    return momentum, weight_decay, warmup_steps, clip_norm


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
    weight_decay: float = 0.0,
    warmup_steps: int = 0,
    clip_norm: float | None = None,
    on_step_end: Callable[[nn.Module, int, torch.optim.Optimizer], dict] | None = None,
) -> History:
    r"""Train ``model`` in place with mini-batch gradient descent and return its :class:`History`.

    Batches are shuffled by a generator seeded with ``seed``, so the same model,
    data and seed give the same history. The model's train/eval mode is restored. ``batch_size=None`` trains on the full
    training set each step. ``on_epoch_end(model, epoch)`` may return a dict of
    values, appended to ``history.extra`` (e.g. a probe's dead-unit fraction).
    Metrics are recorded at epoch 0, every ``record_every`` epochs and at the end;
    evaluating is most of the cost for tiny networks, so recording less is faster.
    The last four options default to plain training: with ``warmup_steps=k`` the
    learning rate of step :math:`t` is :math:`\eta \min(1, t / k)`; ``clip_norm``
    rescales the gradient so that its norm over all parameters is at most that;
    ``weight_decay`` is the optimizer's own (an L2 term added to the gradient).

    Args:
        model: the network to train; its parameters must be in the data's dtype.
        data: a :class:`~activation_lab.data.Dataset`.
        epochs: the number of passes over the training set, 0 or more (default 20).
        lr: the learning rate, positive (default 0.1).
        optimizer: ``"sgd"`` (default) or ``"adam"``.
        momentum: SGD's momentum (default 0.0); Adam takes none.
        batch_size: the mini-batch size (default 64), or ``None`` for full batches.
        loss: ``"cross_entropy"`` (default) or ``"mse"``.
        seed: seeds the batch order (default 0); the weights come from ``model``.
        on_epoch_end: optional ``f(model, epoch) -> dict | None``, called at every
            recorded epoch, 0 included.
        record_every: record metrics every this many epochs (default 1).
        weight_decay: the optimizer's weight decay, 0 or more (default 0.0).
        warmup_steps: steps over which the learning rate rises linearly to ``lr``
            (default 0: no warmup).
        clip_norm: the largest gradient norm allowed, or ``None`` (default) for no
            clipping (``torch.nn.utils.clip_grad_norm_``).
        on_step_end: optional ``f(model, step, optimizer) -> dict | None``, called
            after every gradient step (``step`` counts from 1); its values go to
            ``history.steps``. It may change the model and the optimizer's state.

    Returns:
        The :class:`History` of the run, epoch 0 first.

    Raises:
        TypeError: if ``model`` is not a module or ``data`` not a ``Dataset``.
        ValueError: for a bad ``epochs``, ``lr``, ``record_every``, ``batch_size``,
            ``momentum``, ``weight_decay``, ``warmup_steps`` or ``clip_norm``,
            optimizer or loss name, momentum with Adam, or a model whose dtype
            differs from the data's.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=16, seed=0)
        >>> history = al.train(al.make_mlp([2, 4, 2], seed=0), data, epochs=2, seed=0)
        >>> history.epoch
        [0, 1, 2]
        >>> again = al.train(al.make_mlp([2, 4, 2], seed=0), data, epochs=2, seed=0)
        >>> again.train_loss == history.train_loss
        True
        >>> al.train(al.make_mlp([2, 4, 2], seed=0), data, epochs=5, record_every=2).epoch
        [0, 2, 4, 5]
        >>> rates = lambda model, step, optimizer: {"lr": optimizer.param_groups[0]["lr"]}
        >>> al.train(al.make_mlp([2, 4, 2], seed=0), data, epochs=3, batch_size=4, lr=1.0,
        ...          warmup_steps=5, on_step_end=rates).steps["lr"]
        [0.2, 0.4, 0.6, 0.8, 1.0, 1.0]
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
    if loss == "mse" and not data.y_train.is_floating_point():
        raise ValueError("loss='mse' needs float targets shaped like the model's output; this data set has "
                         "integer class labels, which go with loss='cross_entropy'")
    momentum, weight_decay, warmup_steps, clip_norm = _check_step_options(momentum, weight_decay, warmup_steps,
                                                                          clip_norm)
    if on_step_end is not None and not callable(on_step_end):
        raise TypeError(f"on_step_end must be a function or None, got {type(on_step_end).__name__}")
    opt = _make_optimizer(optimizer, model.parameters(), float(lr), momentum, weight_decay)
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
    steps_done = 0
    with model_mode(model, training=True):
        for epoch in range(1, epochs + 1):
            order = torch.randperm(n, generator=generator)
            for begin in range(0, n, step):
                batch = order[begin : begin + step]
                steps_done += 1
                if warmup_steps:
                    for group in opt.param_groups:
                        group["lr"] = float(lr) * min(1.0, steps_done / warmup_steps)
                opt.zero_grad()
                criterion(model(data.x_train[batch]), data.y_train[batch]).backward()
                if clip_norm is not None:
                    nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
                opt.step()
                if on_step_end is not None:
                    for key, value in (on_step_end(model, steps_done, opt) or {}).items():
                        history.steps.setdefault(key, []).append(value)
            if epoch % record_every == 0 or epoch == epochs:
                record(epoch)
    return history


def run_seeds(
    build_model: Callable[[int], nn.Module],
    data: Dataset,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    **train_options,
) -> list[History]:
    """Train ``build_model(seed)`` once per seed (the seed also orders the batches).

    Args:
        build_model: a function from a seed to a new, untrained model.
        data: a :class:`~activation_lab.data.Dataset`, shared by every run.
        seeds: non-negative ints, one run each (default 0 to 4).
        train_options: keyword arguments for :func:`train` other than ``seed``.

    Returns:
        A list of :class:`History`, one per seed, in the order of ``seeds``.

    Raises:
        TypeError: if ``build_model`` is a module rather than a function, or
            ``seeds`` not a sequence of ints.
        ValueError: if ``seeds`` is empty or holds a negative int.

    Example:
        >>> from activation_lab.data import xor_data
        >>> from activation_lab.networks import make_mlp
        >>> from activation_lab.training import run_seeds
        >>> histories = run_seeds(lambda seed: make_mlp([2, 4, 2], seed=seed), xor_data(n=16), seeds=(0, 1), epochs=1)
        >>> len(histories), histories[0].epoch
        (2, [0, 1])
    """
    check_builder(build_model)
    check_seeds(seeds)
    return [train(build_model(seed), data, seed=seed, **train_options) for seed in seeds]


def stack_histories(histories: Sequence[History], metric: str) -> np.ndarray:
    """A ``(runs, epochs + 1)`` array of one metric, for plotting a mean with its spread.

    With ``record_every > 1`` the second axis has one entry per recorded epoch.

    Args:
        histories: the runs, e.g. from :func:`run_seeds`, all recorded at the same epochs.
        metric: a name that :meth:`History.metric` accepts.

    Returns:
        A float64 NumPy array, one row per run.

    Raises:
        ValueError: if ``histories`` is empty or the metric is unknown.

    Example:
        >>> from activation_lab.training import History, stack_histories
        >>> runs = [History(epoch=[0, 1], val_accuracy=[0.5, 0.75]), History(epoch=[0, 1], val_accuracy=[0.5, 1.0])]
        >>> stack_histories(runs, "val_accuracy")
        array([[0.5 , 0.75],
               [0.5 , 1.  ]])
    """
    if len(histories) == 0:
        raise ValueError("histories must not be empty")
    return np.array([h.metric(metric) for h in histories], dtype=float)
