"""The timing helpers: exact answers under a fake clock, formats the sanitizer rewrites, relative cost, and errors."""

import configparser
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest


from activation_lab import timing
from activation_lab.timing import Timing, compare_timings, format_duration, relative_cost, time_call

ROOT = Path(__file__).resolve().parents[1]


def sanitizer_regexes() -> list[re.Pattern]:
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [re.compile(config[section]["regex"]) for section in config.sections()]


def sanitize(text: str) -> str:
    for regex in sanitizer_regexes():
        text = regex.sub("X", text)
    return text


class FakeClock:
    """A clock that only moves when a timed function says so."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def work(self, seconds: float):
        def run():
            self.now += seconds
        return run


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(timing, "_clock", fake)
    return fake


def test_time_call_reports_seconds_per_call(clock):
    result = time_call(clock.work(0.25), repeats=5, warmup=3, number=4)
    assert result.seconds == (0.25,) * 5
    assert result.median == 0.25 and result.best == 0.25
    assert result.per_element(1000) == pytest.approx(0.25e-3)


def test_warmup_runs_are_not_timed_and_every_call_is_made():
    calls = []
    result = time_call(lambda: calls.append(1), repeats=3, warmup=2, number=5)
    assert len(calls) == 2 + 3 * 5
    assert len(result.seconds) == 3 and all(s >= 0 for s in result.seconds)


def test_time_call_sees_real_time_pass():
    result = time_call(lambda: time.sleep(0.002), repeats=3, warmup=0)
    assert result.median >= 0.002


def test_ratios_are_medians_of_same_round_ratios(clock):
    durations = iter([1.0, 3.0, 2.0, 4.0, 1.0, 5.0])  # (reference, candidate) per round

    def step():
        clock.now += next(durations)

    timings, reference, ratios = compare_timings({"candidate": step}, step, repeats=3, warmup=0)
    assert reference.seconds == (1.0, 2.0, 1.0)
    assert timings["candidate"].seconds == (3.0, 4.0, 5.0)
    assert ratios == {"candidate": 3.0}  # median of 3, 2 and 5


def test_compare_timings_interleaves_in_a_fixed_order(clock):
    order = []

    def note(name):
        def run():
            order.append(name)
            clock.now += 1.0
        return run

    compare_timings({"a": note("a"), "b": note("b")}, note("ref"), repeats=2, warmup=1)
    assert order == ["ref", "a", "b"] * 3


def test_a_reference_too_fast_to_measure_is_refused(clock):
    with pytest.raises(ValueError, match="number"):
        compare_timings({"f": clock.work(1.0)}, lambda: None, repeats=2)


def test_compare_timings_finds_a_known_ratio(clock):
    _, reference, ratios = compare_timings({"double": clock.work(2e-3), "same": clock.work(1e-3)},
                                           clock.work(1e-3), repeats=4, number=3)
    assert reference.median == pytest.approx(1e-3)
    assert ratios["double"] == pytest.approx(2.0) and ratios["same"] == pytest.approx(1.0)


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0 ns"),
    (1e-10, "0.100 ns"),
    (1.234e-9, "1.23 ns"),
    (5e-7, "500 ns"),
    (3.2e-5, "32.0 \u00b5s"),
    (0.0123456, "12.3 ms"),
    (0.0009999, "1.00 ms"),   # 999.9 us would round to 1000 us
    (0.99996, "1.00 s"),
    (12.3456, "12.3 s"),
    (1234.5, "1230 s"),
    (np.float32(0.5), "500 ms"),
])
def test_format_duration_known_strings(seconds, text):
    assert format_duration(seconds) == text


def test_format_duration_digits():
    assert format_duration(0.0123456, digits=1) == "10 ms"
    assert format_duration(0.0123456, digits=5) == "12.346 ms"


@pytest.mark.parametrize("seconds", [0, 3e-10, 4.2e-9, 7.77e-6, 0.5e-3, 0.3, 2.0, 99.0, 12345.0])
def test_the_sanitizer_rewrites_every_formatted_duration(seconds):
    line = f"relu forward: {format_duration(seconds)} per call, copy {format_duration(seconds / 3)}."
    assert sanitize(line) == "relu forward: X per call, copy X."


def test_timing_str_sanitizes_to_a_constant(clock):
    assert sanitize(str(time_call(clock.work(0.0042), repeats=3))) == "median X over 3 runs"


@pytest.mark.parametrize(("value", "error"), [
    (-1.0, ValueError), (math.nan, ValueError), (math.inf, ValueError), ("1 ms", TypeError), (True, TypeError),
])
def test_format_duration_refuses_bad_input(value, error):
    with pytest.raises(error):
        format_duration(value)


def test_format_duration_refuses_bad_digits():
    with pytest.raises(ValueError):
        format_duration(1.0, digits=0)


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"repeats": 0}, ValueError),
    ({"warmup": -1}, ValueError),
    ({"number": 0}, ValueError),
    ({"repeats": 2.0}, TypeError),
])
def test_bad_counts_are_refused(kwargs, error):
    with pytest.raises(error):
        time_call(lambda: None, **kwargs)
    with pytest.raises(error):
        compare_timings({"f": lambda: None}, lambda: None, **kwargs)


def test_non_callables_are_refused():
    with pytest.raises(TypeError):
        time_call(42)
    with pytest.raises(TypeError):
        compare_timings({"f": 42}, lambda: None)
    with pytest.raises(TypeError):
        compare_timings({"f": lambda: None}, None)
    with pytest.raises(ValueError):
        compare_timings({}, lambda: None)


def test_per_element_refuses_a_bad_count():
    with pytest.raises(ValueError):
        Timing((1.0,)).per_element(0)


# relative_cost: real timings, so only what holds on any machine


def test_relative_cost_is_one_for_relu_and_positive_for_the_rest():
    cost = relative_cost(["gelu", "elu"], size=1000, repeats=2)
    assert list(cost) == ["relu", "gelu", "elu"]
    assert cost["relu"] == 1.0
    assert all(value > 0 and math.isfinite(value) for value in cost.values())


def test_relative_cost_keeps_relu_where_it_is_named_and_times_a_parametric_module():
    cost = relative_cost(["prelu", "relu", "swish"], size=1000, repeats=1)
    assert list(cost) == ["prelu", "relu", "swish"] and cost["relu"] == 1.0
    assert relative_cost(["relu"], size=10, repeats=1) == {"relu": 1.0}



@pytest.mark.parametrize(("names", "options", "error"), [
    (["step"], {}, ValueError), (["rleu"], {}, ValueError), (["relu"], {"size": 0}, ValueError),
    (["relu"], {"size": 10.0}, ValueError), (["relu"], {"repeats": 0}, ValueError), ("relu", {}, TypeError),
])
def test_relative_cost_rejects_bad_arguments(names, options, error):
    with pytest.raises(error):
        relative_cost(names, **options)
