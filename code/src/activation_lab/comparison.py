"""Activations compared on the same footing: a table from the registry, a runner over seeds, depth.

- :func:`comparison_table` turns registry records into rows (range, monotonic,
  smoothness, zero-centred, negative-side gradient, whether units can die), and
  :func:`comparison_markdown` renders them for ``IPython.display.Markdown``.
- :func:`compare_activations` trains the same network once per activation and
  seed (through :func:`~activation_lab.training.run_seeds`) and keeps the
  histories, the trained models and the final metrics; :func:`versus_reference`
  says which differences from a reference are larger than the seed-to-seed noise.
- :func:`signal_propagation` follows the mean and variance of activations
  through a deep, untrained stack, the setting of the SELU fixed point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from .data import Dataset
from .dead_units import dead_unit_report
from .networks import INIT_SCHEMES, initialize_
from .probes import activation_modules
from .registry import ACTIVATIONS, get_activation
from .reproducibility import building_in
from .sweeps import summarize
from .timing import compare_timings
from .verdicts import interval_verdict, paired_interval
from .training import History, run_seeds, stack_histories

__all__ = [
    "comparison_table",
    "comparison_markdown",
    "formula_markdown",
    "relative_cost",
    "Comparison",
    "compare_activations",
    "versus_reference",
    "make_digits_cnn",
    "SignalTrace",
    "signal_propagation",
]

# f' is sampled on [-4, 0) for the "negative-side gradient" column; a unit "can die"
# when f' is exactly 0 on all of [-4, -2]: pre-activations there get no gradient at all.
_NEGATIVE_SIDE = np.linspace(-4.0, 0.0, 401)[:-1]
_DEATH_ZONE = np.linspace(-4.0, -2.0, 201)
DROPOUT_KINDS = ("dropout", "alpha_dropout")


def _check_names(names, *, elementwise: bool = False) -> list[str]:
    if names is None:
        return [name for name, record in ACTIVATIONS.items() if record.elementwise or not elementwise]
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"names must be a sequence of registry names, got {type(names).__name__}")
    if len(names) == 0:
        raise ValueError("names must not be empty")
    if len(set(names)) != len(names):
        raise ValueError(f"names must not repeat, got {list(names)}")
    for name in names:
        record = get_activation(name)
        if elementwise and not record.elementwise:
            raise ValueError(f"{name!r} is not elementwise, so it has no row in the comparison table")
    return list(names)


def comparison_table(names: Sequence[str] | None = None, *, cost: Mapping[str, float] | None = None) -> list[dict]:
    r"""One row per registry entry, with each function at its default parameters.

    Each row holds ``activation``, ``label``, ``formula`` (LaTeX), ``range`` (low, high),
    ``monotonic``, ``smoothness`` (one of ``SMOOTHNESS``), ``zero_centred``, ``negative_gradient`` (min and max of
    :math:`f'` on :math:`[-4, 0)`) and ``can_die`` (:math:`f' = 0` on all of
    :math:`[-4, -2]`, so a unit whose inputs all land there never learns again).
    With ``cost`` (name -> time relative to ReLU, e.g. from :func:`relative_cost`)
    each row also gets ``cost`` (None where the mapping has no entry).
    """
    rows = []
    chosen = _check_names(names, elementwise=True)
    if cost is not None:
        if not isinstance(cost, Mapping):
            raise TypeError(f"cost must be a mapping from name to relative time, got {type(cost).__name__}")
        for name, value in cost.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (value > 0 and math.isfinite(value)):
                raise ValueError(f"cost[{name!r}] must be a positive finite number, got {value!r}")
    for name in chosen:
        record = ACTIVATIONS[name]
        slope = record.derivative(_NEGATIVE_SIDE, **record.defaults)
        row = {
            "activation": name,
            "label": record.label,
            "formula": record.formula,
            "range": tuple(float(v) for v in record.output_range),
            "monotonic": record.monotonic,
            "smoothness": record.smoothness,
            "zero_centred": record.zero_centred,
            "negative_gradient": (float(slope.min()) + 0.0, float(slope.max()) + 0.0),
            "can_die": bool(np.all(record.derivative(_DEATH_ZONE, **record.defaults) == 0.0)),
        }
        if cost is not None:
            row["cost"] = None if name not in cost else float(cost[name])
        rows.append(row)
    return rows


def _number(value: float, digits: int = 3) -> str:
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value + 0.0:.{digits}g}"
    return text.replace("-", "−")


def comparison_markdown(rows: Sequence[Mapping]) -> str:
    """A Markdown table of :func:`comparison_table` rows (formulas as inline math)."""
    if isinstance(rows, Mapping) or not isinstance(rows, Sequence) or len(rows) == 0:
        raise ValueError("rows must be a non-empty list of rows from comparison_table")
    required = {"label", "formula", "range", "monotonic", "smoothness", "zero_centred", "negative_gradient", "can_die"}
    for index, row in enumerate(rows):
        missing = required - set(row)
        if missing:
            raise ValueError(f"rows[{index}] lacks the comparison_table fields {sorted(missing)}")
    with_cost = any("cost" in row for row in rows)
    header = ["activation", "formula", "range", "monotonic", "smoothness", "zero-centred",
              "f′ on [−4, 0)", "units can die"] + (["cost vs ReLU"] if with_cost else [])
    yes_no = lambda flag: "yes" if flag else "no"  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        low, high = row["negative_gradient"]
        low, high = _number(low, 2), _number(high, 2)
        slope = low if low == high else f"{low} to {high}"
        cells = [row["label"], f"${row['formula']}$", f"{_number(row['range'][0])} to {_number(row['range'][1])}",
                 yes_no(row["monotonic"]), row["smoothness"], yes_no(row["zero_centred"]), slope,
                 yes_no(row["can_die"])]
        if with_cost:
            cells.append("n/a" if row.get("cost") is None else f"{row['cost']:.1f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def formula_markdown(name: str) -> str:
    """A registry entry's formula as display math, followed by its parameters (default and explorer range)."""
    record = get_activation(name)
    text = f"**{record.label}**\n\n$$\n{record.formula}\n$$"
    parts = []
    for parameter, spec in record.parameters.items():
        if spec.choices:
            parts.append(f"`{parameter}` = `{spec.default}` (one of {', '.join(f'`{c}`' for c in spec.choices)})")
        else:
            parts.append(f"`{parameter}` = {spec.default:g} (explorer range {spec.low:g} to {spec.high:g})")
    if parts:
        text += "\n\nParameters: " + "; ".join(parts) + "."
    return text


def relative_cost(names: Sequence[str], *, size: int = 1_000_000, repeats: int = 7, seed: int = 0) -> dict[str, float]:
    """Time of one forward and backward pass of each ``torch.nn`` module over ``size`` numbers, as a ratio to ReLU's.

    Built on :func:`~activation_lab.timing.compare_timings`: ReLU and the others run
    in interleaved rounds, and each ratio is the median over rounds, so a slow
    moment of the machine hits all of them alike. Ratios still vary between runs
    and machines: show them in a figure, not as printed digits. ``relu`` is
    always included (first, unless named elsewhere in ``names``) and is 1.0.
    """
    chosen = _check_names(names)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive int, got {repeats!r}")
    if "relu" not in chosen:
        chosen = ["relu", *chosen]
    x = torch.randn(size, generator=torch.Generator().manual_seed(int(seed))).requires_grad_(True)
    upstream = torch.ones(size)

    def forward_and_backward(module: nn.Module) -> Callable[[], None]:
        def call() -> None:
            module(x).backward(upstream)
            x.grad = None
            module.zero_grad(set_to_none=True)
        return call

    calls = {name: forward_and_backward(ACTIVATIONS[name].module()) for name in chosen}
    others = {name: call for name, call in calls.items() if name != "relu"}
    ratios = compare_timings(others, calls["relu"], repeats=repeats, warmup=1)[2] if others else {}
    return {name: 1.0 if name == "relu" else ratios[name] for name in chosen}


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare_activations`.

    ``histories[name]`` and ``models[name]`` hold one entry per seed (the models
    trained); ``records`` one dict per (activation, seed) with the final
    ``train_loss``, ``train_accuracy``, ``val_loss``, ``val_accuracy``,
    ``dead_fraction`` (units never on for any training input; NaN without
    activation layers) and ``seconds_per_epoch`` (wall clock: volatile).
    """

    names: tuple[str, ...]
    seeds: tuple[int, ...]
    histories: Mapping[str, list[History]]
    models: Mapping[str, list[nn.Module]]
    records: list[dict]

    def curves(self, name: str, metric: str) -> np.ndarray:
        """A ``(seeds, epochs + 1)`` array of one history metric, e.g. ``"val_accuracy"``."""
        if name not in self.histories:
            raise ValueError(f"no runs for {name!r}; compared {list(self.names)}")
        return stack_histories(self.histories[name], metric)

    def summary(self, metric: str) -> list[dict]:
        """Mean, std, min, max and n of a final metric per activation."""
        return summarize(self.records, "activation", metric)

    def versus(self, metric: str, reference: str = "relu", *, confidence: float = 0.95) -> list[dict]:
        """:func:`versus_reference` on these records."""
        return versus_reference(self.records, metric, reference, confidence=confidence)

    def results_markdown(self, metric: str = "val_accuracy", reference: str = "relu", *,
                         confidence: float = 0.95, digits: int = 3) -> str:
        """A Markdown table, one row per activation: ``metric`` as mean ± sd and min to max, the paired
        difference from ``reference`` with its confidence interval and verdict, the final
        validation loss and the dead-unit fraction (both means over seeds).
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
                  f"({confidence:.0%} interval)", "verdict", "validation loss, mean", "dead units, mean"]
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
    """Train ``build_model(name, seed)`` for every activation name and seed; keep everything.

    Every activation sees the same seeds, so (for a builder that seeds its weights)
    the same initial weights and the same order of batches: differences come from
    the activation alone. ``train_options`` go to :func:`~activation_lab.training.train`
    (``epochs``, ``lr``, ``optimizer``, ``batch_size``, ``on_epoch_end``...).
    """
    chosen = _check_names(names)
    if not callable(build_model):
        raise TypeError(f"build_model must be a callable (name, seed) -> nn.Module, got {type(build_model).__name__}")
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be an activation_lab.Dataset, got {type(data).__name__}")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise ValueError(f"seeds must be a non-empty sequence of ints, got {seeds!r}")
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
    when the interval contains 0, else ``"higher"`` or ``"lower"``. With many
    activations, expect about ``1 - confidence`` of true ties to be flagged by chance.
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
    with torch.random.fork_rng(enabled=seed is not None, devices=[]), building_in(dtype):
        if seed is not None:
            torch.manual_seed(int(seed))
        return nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, first, 3, padding=1), record.module(**activation_params), nn.MaxPool2d(2),
            nn.Conv2d(first, second, 3, padding=1), record.module(**activation_params), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(4 * second, 10),
        )


@dataclass(frozen=True)
class SignalTrace:
    """Mean and variance of the activations after each of ``len(mean)`` layers (index 0 is layer 1)."""

    mean: np.ndarray
    variance: np.ndarray


@torch.no_grad()
def signal_propagation(
    activation: str,
    *,
    depth: int = 64,
    width: int = 128,
    batch: int = 512,
    init: str = "lecun",
    gain: float = 1.0,
    dropout: str | None = None,
    rate: float = 0.1,
    seed: int = 0,
    dtype: torch.dtype | None = None,
) -> SignalTrace:
    r"""Push standard normal inputs through ``depth`` untrained blocks ``x -> f(W x)`` [-> dropout].

    Weights are drawn by :func:`~activation_lab.networks.initialize_` with ``init``
    and ``gain`` (``"lecun"``: :math:`\mathrm{std} = 1/\sqrt{\text{width}}`), with no biases.
    ``dropout`` adds ``nn.Dropout`` or ``nn.AlphaDropout`` at ``rate`` after each
    activation, active as in training. Returns the mean and variance over all
    units and inputs after each block, computed in ``dtype`` (``None``: the package's).
    """
    record = get_activation(activation)
    for value, label in ((depth, "depth"), (width, "width"), (batch, "batch")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{label} must be a positive int, got {value!r}")
    if init not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, got {init!r}")
    if dropout is not None and dropout not in DROPOUT_KINDS:
        raise ValueError(f"dropout must be None or one of {DROPOUT_KINDS}, got {dropout!r}")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be a number in [0, 1), got {rate!r}")
    generator = torch.Generator().manual_seed(int(seed))
    blocks = []
    with torch.random.fork_rng(devices=[]), building_in(dtype):
        torch.manual_seed(int(seed))
        for _ in range(depth):
            layers = [nn.Linear(width, width, bias=False), record.module()]
            if dropout == "dropout":
                layers.append(nn.Dropout(rate))
            elif dropout == "alpha_dropout":
                layers.append(nn.AlphaDropout(rate))
            blocks.append(nn.Sequential(*layers))
        model = nn.Sequential(*blocks)
        initialize_(model, init, gain=gain, generator=generator)
        x = torch.randn(batch, width, generator=generator)
        model.train()
        means, variances = [], []
        for block in model:
            x = block(x)
            means.append(float(x.mean()))
            variances.append(float(x.var(unbiased=False)))
    return SignalTrace(np.array(means), np.array(variances))
