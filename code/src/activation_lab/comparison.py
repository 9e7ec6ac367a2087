"""Activations compared on the same footing: the same network trained once per activation and seed.

:func:`compare_activations` trains the same network once per activation and
seed (through :func:`~activation_lab.training.run_seeds`) and keeps the
histories, the trained models and the final metrics; :func:`versus_reference`
says which differences from a reference are larger than the seed-to-seed noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_names, check_seeds
from .data import Dataset
from .dead_units import dead_unit_report
from .probes import activation_modules
from .registry import ACTIVATIONS
from .sweeps import summarize
from .verdicts import interval_verdict, paired_interval
from .training import History, run_seeds, stack_histories

__all__ = ["Comparison", "compare_activations", "versus_reference"]


@dataclass(frozen=True)
class Comparison:
    r"""The result of :func:`compare_activations`.

    ``histories[name]`` and ``models[name]`` hold one entry per seed (the models
    trained); ``records`` one dict per (activation, seed) with the final
    ``train_loss``, ``train_accuracy``, ``val_loss``, ``val_accuracy``,
    ``dead_fraction`` (units whose pre-activation is never positive on any training
    input: dead for ReLU, merely silent for an activation whose slope below 0 is not
    zero, such as leaky ReLU, ELU or tanh; NaN without
    activation layers) and ``seconds_per_epoch`` (wall clock: volatile).

    Attributes:
        names: the activations compared, in the order given.
        seeds: the seeds every activation was trained with.
        histories: per activation, one :class:`~activation_lab.training.History` per seed.
        models: per activation, the trained models, one per seed.
        records: one dict per (activation, seed), activation by activation.

    Example:
        >>> import activation_lab as al
        >>> def build(name, seed):
        ...     return al.make_mlp([2, 4, 2], name, seed=seed)
        >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
        ...                                     seeds=(0, 1), epochs=1, lr=0.5)
        >>> comparison.names, comparison.seeds, len(comparison.models["tanh"])
        (('relu', 'tanh'), (0, 1), 2)
        >>> sorted(comparison.records[0])
        ['activation', 'dead_fraction', 'seconds_per_epoch', 'seed', 'train_accuracy', 'train_loss', 'val_accuracy', 'val_loss']
    """

    names: tuple[str, ...]
    seeds: tuple[int, ...]
    histories: Mapping[str, list[History]]
    models: Mapping[str, list[nn.Module]]
    records: list[dict]

    def curves(self, name: str, metric: str) -> np.ndarray:
        r"""A ``(seeds, epochs + 1)`` array of one history metric, e.g. ``"val_accuracy"``.

        Args:
            name: one of the activations compared.
            metric: a :class:`~activation_lab.training.History` field or ``extra`` key.

        Returns:
            One row per seed, one column per recorded epoch (epoch 0 first), ready
            for :func:`~activation_lab.plots.plot_mean_spread`.

        Shape:
            - output: ``(len(seeds), epochs + 1)``.

        Example:
            >>> import activation_lab as al
            >>> def build(name, seed):
            ...     return al.make_mlp([2, 4, 2], name, seed=seed)
            >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
            ...                                     seeds=(0, 1), epochs=1, lr=0.5)
            >>> comparison.curves("tanh", "val_loss").round(2)
            array([[0.68, 0.69],
                   [0.72, 0.75]])
        """
        if name not in self.histories:
            raise ValueError(f"no runs for {name!r}; compared {list(self.names)}")
        return stack_histories(self.histories[name], metric)

    def summary(self, metric: str) -> list[dict]:
        r"""Mean, std, min, max and n of a final metric per activation.

        :func:`~activation_lab.sweeps.summarize` of :attr:`records` by ``"activation"``.

        Args:
            metric: a field of the records, e.g. ``"val_loss"``.

        Returns:
            One dict per activation: ``activation``, ``mean``, ``std`` (ddof=1),
            ``min``, ``max``, ``n`` and ``n_nan``.

        Example:
            >>> import activation_lab as al
            >>> def build(name, seed):
            ...     return al.make_mlp([2, 4, 2], name, seed=seed)
            >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
            ...                                     seeds=(0, 1), epochs=1, lr=0.5)
            >>> [(row["activation"], round(row["mean"], 2), row["n"]) for row in comparison.summary("val_loss")]
            [('relu', 0.7, 2), ('tanh', 0.72, 2)]
        """
        return summarize(self.records, "activation", metric)

    def versus(self, metric: str, reference: str = "relu", *, confidence: float = 0.95) -> list[dict]:
        r""":func:`versus_reference` on these records.

        Args:
            metric: a field of the records, e.g. ``"val_accuracy"``.
            reference: the activation the others are compared with (default ``"relu"``).
            confidence: the interval's confidence level (default 0.95).

        Returns:
            One dict per activation, as :func:`versus_reference` returns.

        Example:
            >>> import activation_lab as al
            >>> def build(name, seed):
            ...     return al.make_mlp([2, 4, 2], name, seed=seed)
            >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
            ...                                     seeds=(0, 1), epochs=1, lr=0.5)
            >>> [(row["activation"], row["verdict"]) for row in comparison.versus("val_loss")]
            [('relu', 'reference'), ('tanh', 'within noise')]
        """
        return versus_reference(self.records, metric, reference, confidence=confidence)

    def results_markdown(self, metric: str = "val_accuracy", reference: str = "relu", *,
                         confidence: float = 0.95, digits: int = 3) -> str:
        r"""A Markdown table, one row per activation: ``metric`` as mean ± sd and min to max, the paired
        difference from ``reference`` with its confidence interval and verdict, the final
        validation loss and the dead-unit fraction (both means over seeds).

        Minus signs are written as U+2212 (−); a dead-unit fraction is "n/a" for
        models without activation layers.

        Args:
            metric: the record field compared (default ``"val_accuracy"``).
            reference: the activation the others are compared with (default ``"relu"``).
            confidence: the interval's confidence level (default 0.95).
            digits: decimals shown for the metric and the loss (default 3).

        Returns:
            The table as one string, header and separator first.

        Example:
            >>> import activation_lab as al
            >>> def build(name, seed):
            ...     return al.make_mlp([2, 4, 2], name, seed=seed)
            >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
            ...                                     seeds=(0, 1), epochs=1, lr=0.5)
            >>> table = comparison.results_markdown("val_loss", digits=2)
            >>> print(table.splitlines()[0])
            | activation | validation loss, mean ± sd | min to max | difference from ReLU (95% interval) | verdict | validation loss, mean | never-positive units, mean |
            >>> print(table.splitlines()[3])
            | Tanh | 0.72 ± 0.04 | 0.69 to 0.75 | +0.02 (−0.26 to +0.31) | within noise | 0.72 | 0.0 % |
        """
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
            raise ValueError(f"digits must be a positive int, got {digits!r}")
        versus = {row["activation"]: row for row in self.versus(metric, reference, confidence=confidence)}
        loss = {row["activation"]: row["mean"] for row in self.summary("val_loss")}
        dead = {row["activation"]: row["mean"] for row in self.summary("dead_fraction")}
        spread = {row["activation"]: row for row in self.summary(metric)}
        fixed = lambda v: f"{v + 0.0:.{digits}f}".replace("-", "−")  # noqa: E731
        signed = lambda v: ("+" if v + 0.0 >= 0 else "") + fixed(v)  # noqa: E731
        label = ACTIVATIONS[reference].label if reference in ACTIVATIONS else reference
        shown = metric.replace("val_", "validation ").replace("train_", "training ").replace("_", " ")
        header = ["activation", f"{shown}, mean ± sd", "min to max", f"difference from {label} "
                  f"({confidence:.0%} interval)", "verdict", "validation loss, mean", "never-positive units, mean"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name in self.names:
            row, stats_ = versus[name], spread[name]
            difference = "—" if name == reference else (
                f"{signed(row['difference'])} ({signed(row['low'])} to {signed(row['high'])})")
            dead_text = "n/a" if math.isnan(dead[name]) else f"{100 * dead[name]:.1f} %"
            lines.append("| " + " | ".join([
                ACTIVATIONS[name].label if name in ACTIVATIONS else name,
                f"{fixed(row['mean'])} ± {fixed(row['std'])}", f"{fixed(stats_['min'])} to {fixed(stats_['max'])}",
                difference, row["verdict"], fixed(loss[name]), dead_text]) + " |")
        return "\n".join(lines)


def _dead_fraction(model: nn.Module, data: Dataset) -> float:
    if not activation_modules(model):
        return float("nan")
    return float(dead_unit_report(model, data).overall_dead_fraction)


def compare_activations(
    names: Sequence[str],
    build_model: Callable[[str, int], nn.Module],
    data: Dataset,
    *,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    **train_options,
) -> Comparison:
    r"""Train ``build_model(name, seed)`` for every activation name and seed; keep everything.

    Every activation sees the same seeds, so (for a builder that seeds its weights)
    the same initial weights and the same order of batches: differences come from
    the activation alone. ``train_options`` go to :func:`~activation_lab.training.train`
    (``epochs``, ``lr``, ``optimizer``, ``batch_size``, ``on_epoch_end``...).
    After training, each model's dead-unit fraction on the training inputs is
    measured with :func:`~activation_lab.dead_units.dead_unit_report` (a unit
    whose pre-activation is never above 0, whatever the activation).

    Args:
        names: registry names of the activations to compare, none repeated.
        build_model: a function ``(name, seed) -> nn.Module`` that builds a new model.
        data: the :class:`~activation_lab.data.Dataset` every run trains on.
        seeds: the seeds, the same for every activation (default ``(0, 1, 2, 3, 4)``).
        train_options: keyword arguments for :func:`~activation_lab.training.train`.

    Returns:
        A :class:`Comparison` holding the histories, the trained models and one
        record per (activation, seed).

    Example:
        >>> import activation_lab as al
        >>> def build(name, seed):
        ...     return al.make_mlp([2, 4, 2], name, seed=seed)
        >>> comparison = al.compare_activations(["relu", "tanh"], build, al.xor_data(n=40),
        ...                                     seeds=(0, 1), epochs=1, lr=0.5)
        >>> [(r["activation"], r["seed"], round(r["val_loss"], 2)) for r in comparison.records]
        [('relu', 0, 0.69), ('relu', 1, 0.7), ('tanh', 0, 0.69), ('tanh', 1, 0.75)]
    """
    chosen = check_names(names)
    if not callable(build_model):
        raise TypeError(f"build_model must be a callable (name, seed) -> nn.Module, got {type(build_model).__name__}")
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be an activation_lab.Dataset, got {type(data).__name__}")
    check_seeds(seeds)
    histories, models, records = {}, {}, []
    for name in chosen:
        built: list[nn.Module] = []

        def build(seed: int, name: str = name) -> nn.Module:
            model = build_model(name, seed)
            if not isinstance(model, nn.Module):
                raise TypeError(f"build_model must return a torch.nn.Module, got {type(model).__name__}")
            built.append(model)
            return model

        runs = run_seeds(build, data, seeds, **train_options)
        histories[name], models[name] = runs, built
        for seed, model, history in zip(seeds, built, runs):
            epochs = len(history.epoch) - 1
            records.append({
                "activation": name,
                "seed": seed,
                "train_loss": history.train_loss[-1],
                "train_accuracy": history.train_accuracy[-1],
                "val_loss": history.val_loss[-1],
                "val_accuracy": history.val_accuracy[-1],
                "dead_fraction": _dead_fraction(model, data),
                "seconds_per_epoch": (history.seconds[-1] - history.seconds[0]) / epochs if epochs else float("nan"),
            })
    return Comparison(tuple(chosen), tuple(seeds), histories, models, records)


def versus_reference(records: Sequence[Mapping], metric: str, reference: str = "relu", *,
                     confidence: float = 0.95) -> list[dict]:
    r"""Per activation, the mean paired difference of ``metric`` from ``reference`` and its confidence interval.

    Runs are paired by seed: :math:`d_s = m_{a,s} - m_{\mathrm{ref},s}`, with a Student-t
    interval :math:`\bar d \pm t_{n-1}\, s_d / \sqrt{n}`. ``verdict`` is ``"within noise"``
    when the interval contains 0, else ``"higher"`` or ``"lower"`` (the reference's own
    row says ``"reference"``). With many
    activations, expect about ``1 - confidence`` of true ties to be flagged by chance.
    The interval comes from :func:`~activation_lab.verdicts.paired_interval` and the
    word from :func:`~activation_lab.verdicts.interval_verdict`.

    Args:
        records: dicts with at least ``"activation"``, ``"seed"`` and ``metric``, such as
            :attr:`Comparison.records`; every activation needs the reference's seeds.
        metric: the field compared.
        reference: the activation the others are compared with (default ``"relu"``).
        confidence: the interval's confidence level, strictly between 0 and 1 (default 0.95).

    Returns:
        One dict per activation, in order of first appearance: ``activation``,
        ``mean`` and ``std`` (ddof=1) of ``metric`` over seeds, ``difference`` (the
        mean paired difference), ``low`` and ``high`` (the interval) and ``verdict``.

    Example:
        >>> import activation_lab as al
        >>> records = [{"activation": name, "seed": seed, "acc": acc}
        ...            for name, accs in [("relu", [0.80, 0.82, 0.81]), ("tanh", [0.70, 0.73, 0.71])]
        ...            for seed, acc in enumerate(accs)]
        >>> for row in al.versus_reference(records, "acc"):
        ...     print(row["activation"], round(row["difference"], 3), row["verdict"])
        relu 0.0 reference
        tanh -0.097 lower
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    if not records:
        raise ValueError("records must not be empty")
    for field in ("activation", "seed", metric):
        if field not in records[0]:
            raise ValueError(f"records have no field {field!r}; fields are {sorted(records[0])}")
    values: dict[str, dict[int, float]] = {}
    for record in records:
        values.setdefault(record["activation"], {})[record["seed"]] = float(record[metric])
    if reference not in values:
        raise ValueError(f"reference {reference!r} is not among the activations {list(values)}")
    base = values[reference]
    rows = []
    for name, by_seed in values.items():
        if set(by_seed) != set(base):
            raise ValueError(f"{name!r} was run with seeds {sorted(by_seed)}, the reference with {sorted(base)}")
        if len(base) < 2:
            raise ValueError("a confidence interval needs at least two seeds")
        seeds = sorted(base)
        own = np.array([by_seed[s] for s in seeds])
        diff = own - np.array([base[s] for s in seeds])
        _, low, high = paired_interval(own, [base[s] for s in seeds], confidence)
        verdict = "reference" if name == reference else interval_verdict(float(low), float(high))
        rows.append({"activation": name, "mean": float(own.mean()), "std": float(own.std(ddof=1)),
                     "difference": float(diff.mean()), "low": float(low), "high": float(high), "verdict": verdict})
    return rows


