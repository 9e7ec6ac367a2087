"""Verdict words from intervals: each boundary, bad input, and the ledger's vocabulary."""

import math

import pytest

from activation_lab.verdicts import LEDGER_WORDS, interval_verdict, is_fragile, ledger_verdict, ratio_verdict


@pytest.mark.parametrize("low, high, word", [(0.1, 0.2, "higher"), (-0.2, -0.1, "lower"), (-0.1, 0.1, "within noise"),
                                             (0.0, 0.1, "within noise"), (-0.1, 0.0, "within noise"),
                                             (0.0, 0.0, "within noise")])
def test_interval_verdict_at_and_around_zero(low, high, word):
    assert interval_verdict(low, high) == word


def test_interval_verdict_against_another_reference():
    assert interval_verdict(0.94, 0.96, reference=0.9) == "higher"
    assert interval_verdict(0.94, 0.96, reference=0.95) == "within noise"


@pytest.mark.parametrize("low, high, word", [(2.01, 3.0, "more than"), (1.0, 1.99, "less than"), (1.5, 2.0, "about"),
                                             (2.0, 2.5, "about")])
def test_ratio_verdict(low, high, word):
    assert ratio_verdict(low, high, 2.0) == word


def test_fragile_only_when_the_interval_barely_clears_the_reference():
    assert is_fragile(0.001, 0.051)          # clears 0 by 0.001, width 0.05
    assert not is_fragile(0.01, 0.05)        # clears by 0.01 = 25 % of the width
    assert not is_fragile(-0.01, 0.05)       # contains 0: within noise, not fragile
    assert is_fragile(-0.051, -0.001)
    assert not is_fragile(0.001, 0.051, margin=0.0)


@pytest.mark.parametrize("call", [lambda: interval_verdict(0.2, 0.1), lambda: interval_verdict(math.nan, 0.1),
                                  lambda: ratio_verdict(1.0, 2.0, factor=0), lambda: is_fragile(0.1, 0.2, margin=1.5),
                                  lambda: ledger_verdict("true")])
def test_bad_values_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("call", [lambda: interval_verdict("0", 1.0), lambda: interval_verdict(0.0, True),
                                  lambda: ledger_verdict("partly", fragile=1)])
def test_bad_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_ledger_words_and_fragile_mark():
    assert LEDGER_WORDS == ("supported", "partly", "depends", "not supported", "not tested")
    assert [ledger_verdict(w) for w in LEDGER_WORDS] == list(LEDGER_WORDS)
    assert ledger_verdict("not supported", fragile=True) == "not supported (fragile)"


def test_mean_interval_matches_scipys_t_interval():
    import numpy as np
    from scipy import stats

    from activation_lab.verdicts import mean_interval

    values = [0.91, 0.95, 0.93, 0.90, 0.96]
    low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    result = mean_interval(values)
    assert result.mean == pytest.approx(np.mean(values))
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))
    wider = mean_interval(values, confidence=0.99)
    assert wider.low < result.low and wider.high > result.high


def test_paired_interval_is_the_interval_of_differences_and_checks_pairing():
    from activation_lab.verdicts import mean_interval, paired_interval

    a, b = [0.9, 0.8, 0.95], [0.85, 0.8, 0.9]
    assert tuple(paired_interval(a, b)) == pytest.approx(tuple(mean_interval([0.05, 0.0, 0.05])))
    with pytest.raises(ValueError, match="pair up"):
        paired_interval(a, b[:2])
    with pytest.raises(ValueError, match="at least two"):
        mean_interval([1.0])
    with pytest.raises(ValueError, match="confidence"):
        mean_interval(a, confidence=1.0)


# Power of the paired design: textbook sample sizes of the paired t-test (Cohen's d = effect / sd,
# two-sided 5 %, power 0.8: 34 pairs for d = 0.5, 10 for d = 1, 199 for d = 0.2), and a simulation
# of the very verdict the chapters compute.

@pytest.mark.parametrize("d, pairs", [(0.2, 199), (0.5, 34), (0.8, 15), (1.0, 10)])
def test_seeds_needed_matches_textbook_paired_t_test_sizes(d, pairs):
    from activation_lab.verdicts import paired_power, seeds_needed

    assert seeds_needed(1.0, d) == pairs
    assert paired_power(1.0, d, pairs) >= 0.8 > paired_power(1.0, d, pairs - 1)


def test_seeds_needed_depends_only_on_the_ratio_and_not_on_the_sign():
    from activation_lab.verdicts import seeds_needed

    assert seeds_needed(0.02, 0.01) == seeds_needed(2.0, 1.0) == seeds_needed(2.0, -1.0)
    assert seeds_needed(1.0, 0.5, power=0.9) > seeds_needed(1.0, 0.5) > seeds_needed(1.0, 0.5, confidence=0.9)


def test_seeds_needed_is_close_to_the_normal_approximation_from_above():
    from scipy import stats

    from activation_lab.verdicts import seeds_needed

    for d in (0.1, 0.3):
        normal = ((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / d) ** 2
        assert normal <= seeds_needed(1.0, d) <= normal + 3


def test_paired_power_agrees_with_a_simulation_of_the_verdict():
    import numpy as np

    from activation_lab.verdicts import interval_verdict, paired_interval, paired_power

    rng = np.random.default_rng(0)
    sd, effect, n, trials = 0.016, 0.01, 8, 4000
    differences = effect + sd * rng.standard_normal((trials, n))
    higher = np.mean([interval_verdict(*paired_interval(row, np.zeros(n))[1:]) == "higher" for row in differences])
    # binomial standard error of the simulated rate is under 0.008
    assert higher == pytest.approx(paired_power(sd, effect, n), abs=0.03)


def test_paired_power_edge_cases():
    from activation_lab.verdicts import paired_power, seeds_needed

    assert paired_power(0.0, 0.01, 2) == 1.0 and seeds_needed(0.0, 0.01) == 2
    assert paired_power(1.0, 1e-6, 2) == pytest.approx(0.025, abs=1e-3)  # a vanishing effect: only the upper 2.5 % tail
    assert paired_power(1.0, 0.5, 40) > paired_power(1.0, 0.5, 20) > paired_power(1.0, 0.5, 10)


@pytest.mark.parametrize("call, error", [
    (lambda p, s: s(-0.1, 0.01), ValueError), (lambda p, s: s(0.1, 0.0), ValueError),
    (lambda p, s: s(0.1, 0.01, power=1.0), ValueError), (lambda p, s: s(0.1, 0.01, confidence=0.0), ValueError),
    (lambda p, s: s(1.0, 1e-4, max_seeds=100), ValueError), (lambda p, s: s(math.nan, 0.01), ValueError),
    (lambda p, s: p(0.1, 0.01, 1), ValueError), (lambda p, s: p(0.1, 0.01, 2.5), TypeError),
    (lambda p, s: s("0.1", 0.01), TypeError), (lambda p, s: s(0.1, True), TypeError),
])
def test_power_functions_refuse_bad_input_by_name(call, error):
    from activation_lab.verdicts import paired_power, seeds_needed

    with pytest.raises(error):
        call(paired_power, seeds_needed)
