"""The registry's facts as table rows and Markdown: what each row copies and computes, and how it is written."""

import math

import pytest

from activation_lab import functions
from activation_lab.registry import ACTIVATIONS
from activation_lab.tables import comparison_markdown, comparison_table, formula_markdown

ELEMENTWISE = [name for name, record in ACTIVATIONS.items() if record.elementwise]


def test_default_table_has_one_row_per_elementwise_entry_in_registry_order():
    assert [row["activation"] for row in comparison_table()] == ELEMENTWISE


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_row_copies_the_registry_facts(name):
    (row,) = comparison_table([name])
    record = ACTIVATIONS[name]
    assert (row["label"], row["formula"], row["range"]) == (record.label, record.formula, record.output_range)
    assert (row["monotonic"], row["smoothness"], row["zero_centred"], row["saturates"], row["can_die"]) == (
        record.monotonic, record.smoothness, record.zero_centred, record.saturates, record.can_die)
    assert "cost" not in row


@pytest.mark.parametrize(("name", "low", "high"), [
    ("relu", 0.0, 0.0),
    ("leaky_relu", 0.01, 0.01),
    ("prelu", 0.25, 0.25),
    ("rrelu", (1 / 8 + 1 / 3) / 2, (1 / 8 + 1 / 3) / 2),
    ("hardsigmoid", 0.0, 1 / 6),
    ("elu", math.exp(-4.0), math.exp(-0.01)),
    ("softsign", 1 / 25, 1 / 1.01**2),
    ("sigmoid", float(functions.sigmoid_derivative(-4.0)), float(functions.sigmoid_derivative(-0.01))),
])
def test_negative_gradient_is_the_range_of_the_derivative_on_minus_four_to_zero(name, low, high):
    (row,) = comparison_table([name])
    assert row["negative_gradient"] == pytest.approx((low, high), rel=1e-12)


def test_silu_negative_gradient_dips_below_zero_at_its_known_minimum():
    (row,) = comparison_table(["silu"])
    # silu' is smallest at x = -2.3994 (where silu'' = 0): about -0.0998.
    assert row["negative_gradient"][0] == pytest.approx(-0.0998, abs=2e-4)


def test_cost_adds_a_column_with_none_where_unknown():
    rows = comparison_table(["relu", "gelu"], cost={"relu": 1.0, "gelu": 2.5})
    assert [row["cost"] for row in rows] == [1.0, 2.5]
    rows = comparison_table(["relu", "gelu"], cost={"relu": 1.0})
    assert [row["cost"] for row in rows] == [1.0, None]


@pytest.mark.parametrize(("names", "cost", "error", "match"), [
    (["rleu"], None, ValueError, "rleu"),
    (["softmax"], None, ValueError, "elementwise"),
    ("relu", None, TypeError, "names"),
    ([], None, ValueError, "names"),
    (["relu", "relu"], None, ValueError, "repeat"),
    (["relu"], [1.0], TypeError, "cost"),
    (["relu"], {"relu": 0.0}, ValueError, "cost"),
    (["relu"], {"relu": math.nan}, ValueError, "cost"),
    (["relu"], {"relu": "1"}, ValueError, "cost"),
    (["relu"], {"rleu": 1.0}, ValueError, "unknown activation 'rleu'"),
])
def test_table_rejects_bad_arguments(names, cost, error, match):
    with pytest.raises(error, match=match):
        comparison_table(names, cost=cost)


def test_markdown_has_a_header_a_rule_and_one_line_per_row():
    rows = comparison_table(["relu", "elu", "gelu", "hardtanh", "leaky_relu"])
    lines = comparison_markdown(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[0] == ("| activation | formula | range | monotonic | smoothness | zero-centred | f′ → 0 | "
                        "f′ on [−4, 0) | units can die |")
    assert lines[1] == "|" + "---|" * 9
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    assert lines[2] == "| ReLU | $f(z) = \\max(0, z)$ | 0 to ∞ | yes | C0 | no | as z → −∞ | 0 | yes |"
    assert "| −1 to ∞ |" in lines[3] and "0.018 to 0.99" in lines[3] and "| C1 |" in lines[3]
    assert "| −0.17 to ∞ | no | C∞ |" in lines[4]
    assert "| −1 to 1 | yes | C0 | yes | both sides | 0 to 1 | yes |" in lines[5]
    assert lines[6].endswith("| nowhere | 0.01 | no |")


def test_markdown_shows_cost_only_when_given():
    rows = comparison_table(["relu", "gelu", "elu"], cost={"relu": 1.0, "gelu": 2.25})
    lines = comparison_markdown(rows).splitlines()
    assert lines[0].endswith("| cost vs ReLU |")
    assert lines[2].endswith("| 1.0× |") and lines[3].endswith("| 2.2× |") and lines[4].endswith("| n/a |")


@pytest.mark.parametrize("rows", [[], {}, [{"label": "ReLU"}]])
def test_markdown_rejects_what_is_not_table_rows(rows):
    with pytest.raises(ValueError, match="rows"):
        comparison_markdown(rows)


def test_formula_markdown_shows_the_formula_and_every_parameter():
    text = formula_markdown("softplus")
    assert text.startswith("**Softplus**") and f"$$\n{ACTIVATIONS['softplus'].formula}\n$$" in text
    assert "`beta` = 1 (explorer range 0.25 to 10)" in text and "`threshold` = 20" in text
    assert "`approximate` = `none` (one of `none`, `tanh`)" in formula_markdown("gelu")
    assert "Parameters" not in formula_markdown("relu")
    with pytest.raises(ValueError, match="rleu"):
        formula_markdown("rleu")
