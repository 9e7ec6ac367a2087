"""Generated sequences, the next-token MLP, the tiny decoder, recurrent networks and the step-wise training loop."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from activation_lab import blocks, sequences as S

VARIANTS = ["relu", "gelu", "silu", "squared_relu", "reglu", "geglu", "swiglu"]


# Data


def test_selective_copy_follows_its_rule_where_no_noise_replaced_a_token():
    tokens = S.selective_copy_sequence(2000, vocab_size=16, choices=4, noise=0.0, seed=3)
    for t in range(5, len(tokens)):
        assert tokens[t] == tokens[t - 2 - tokens[t - 1] % 4]
    assert tokens.dtype == np.int64 and tokens.min() >= 0 and tokens.max() < 16


def test_modular_sum_follows_its_rule():
    tokens = S.modular_sum_sequence(500, vocab_size=11, lag=4, noise=0.0, seed=2)
    assert all(tokens[t] == (tokens[t - 1] + tokens[t - 4]) % 11 for t in range(4, 500))


def test_noise_replaces_about_the_requested_share_and_seeds_repeat():
    clean = S.selective_copy_sequence(20_000, noise=0.0, seed=5)
    noisy = S.selective_copy_sequence(20_000, noise=0.2, seed=5)
    rule = np.array([noisy[t] == noisy[t - 2 - noisy[t - 1] % 4] for t in range(5, len(noisy))])
    # A uniform token matches the rule by chance 1/16 of the time.
    assert rule.mean() == pytest.approx(0.8 + 0.2 / 16, abs=0.01)
    assert np.array_equal(noisy, S.selective_copy_sequence(20_000, noise=0.2, seed=5))
    assert not np.array_equal(noisy, S.selective_copy_sequence(20_000, noise=0.2, seed=6))
    assert not np.array_equal(clean, noisy)


def test_noise_floor_is_the_entropy_of_the_rule_plus_uniform_noise():
    assert S.noise_floor(16, 0.0) == 0.0
    assert S.noise_floor(16, 1.0) == pytest.approx(math.log(16), rel=1e-15)
    p = np.full(16, 0.2 / 16)
    p[0] += 0.8
    assert S.noise_floor(16, 0.2) == pytest.approx(-(p * np.log(p)).sum(), rel=1e-14)


def test_the_floor_is_reached_by_the_rule_itself():
    tokens = S.selective_copy_sequence(50_000, noise=0.2, seed=9)
    rule = tokens[7:] == np.array([tokens[t - 2 - tokens[t - 1] % 4] for t in range(7, len(tokens))])
    p_rule = 0.8 + 0.2 / 16
    empirical = -np.mean(np.where(rule, math.log(p_rule), math.log(0.2 / 16)))
    assert empirical == pytest.approx(S.noise_floor(16, 0.2), abs=0.02)


@pytest.mark.parametrize(("function", "arguments", "error", "name"), [
    (S.selective_copy_sequence, {"length": 0}, ValueError, "length"),
    (S.selective_copy_sequence, {"length": 10, "noise": 1.5}, ValueError, "noise"),
    (S.selective_copy_sequence, {"length": 10, "noise": "0.1"}, TypeError, "noise"),
    (S.selective_copy_sequence, {"length": 10, "vocab_size": 1}, ValueError, "vocab_size"),
    (S.selective_copy_sequence, {"length": 10, "choices": 2.0}, TypeError, "choices"),
    (S.modular_sum_sequence, {"length": 10, "lag": 1}, ValueError, "lag"),
    (S.noise_floor, {"vocab_size": 16, "noise": -0.1}, ValueError, "noise"),
])
def test_generators_name_a_bad_argument(function, arguments, error, name):
    with pytest.raises(error, match=name):
        function(**arguments)


def test_windowed_and_chunked_data():
    data = S.windowed_data(np.arange(10), np.arange(5), context=4)
    assert data.x_train.shape == (6, 4) and data.y_train.tolist() == [4, 5, 6, 7, 8, 9]
    assert data.x_val.tolist() == [[0, 1, 2, 3]] and data.y_val.tolist() == [4]
    chunks = S.chunked_data(np.arange(10), np.arange(5), length=3)
    assert chunks.x_train.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert chunks.y_train.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert chunks.x_train.dtype == torch.int64


def test_windowed_data_rejects_short_or_non_integer_sequences():
    with pytest.raises(ValueError, match="train_tokens"):
        S.windowed_data(np.arange(3), np.arange(10), context=4)
    with pytest.raises(TypeError, match="val_tokens"):
        S.windowed_data(np.arange(10), np.linspace(0, 1, 10), context=4)
    with pytest.raises(ValueError, match="context"):
        S.windowed_data(np.arange(10), np.arange(10), context=0)


def test_delayed_recall_data():
    data = S.delayed_recall_data(50, 20, length=6, symbols=3, seed=1)
    assert data.x_train.shape == (50, 6, 4) and data.x_val.shape == (20, 6, 4)
    assert torch.equal(data.x_train[:, 0, :3].argmax(dim=1), data.y_train)
    assert (data.x_train[:, -1, 3] == 1).all() and (data.x_train[:, :-1, 3] == 0).all()
    assert (data.x_train.sum(dim=2) == 1).all()
    assert data.x_train.dtype == torch.float64
    again = S.delayed_recall_data(50, 20, length=6, symbols=3, seed=1)
    assert torch.equal(again.x_train, data.x_train)


# Models and their parameter counts


@pytest.mark.parametrize("name", VARIANTS)
def test_next_token_mlp_parameters_match_the_formula_and_each_other(name):
    hidden = blocks.matched_hidden(48, name)
    model = S.make_next_token_mlp(16, 6, 8, hidden, name, seed=0)
    counted = sum(p.numel() for p in model.parameters())
    assert counted == S.next_token_mlp_parameters(16, 6, 8, hidden, name)
    assert counted == S.next_token_mlp_parameters(16, 6, 8, 48, "relu")
    assert model(torch.zeros(3, 6, dtype=torch.long)).shape == (3, 16)


@pytest.mark.parametrize("name", VARIANTS)
def test_decoder_parameters_match_the_formula(name):
    hidden = blocks.matched_hidden(48, name)
    model = S.make_decoder(16, 10, 16, 2, 2, hidden, name, seed=0)
    counted = sum(p.numel() for p in model.parameters())
    assert counted == S.decoder_parameters(16, 10, 16, 2, hidden, name)
    assert counted == S.decoder_parameters(16, 10, 16, 2, 48, "relu")


def test_a_token_never_sees_the_future():
    model = S.make_decoder(16, 12, 16, 4, 2, 32, "swiglu", seed=3)
    tokens = torch.randint(0, 16, (5, 12), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        before = model(tokens)
        for t in range(12):
            changed = tokens.clone()
            changed[:, t] = (changed[:, t] + 1) % 16
            after = model(changed)
            assert torch.equal(after[:, :t], before[:, :t]), f"positions before {t} saw token {t}"
            assert not torch.equal(after[:, t], before[:, t])


def test_attention_weights_are_zero_above_the_diagonal_and_rows_sum_to_one():
    attention = S.CausalSelfAttention(8, 2, 6).double()
    weights, _ = attention.attention_weights(torch.randn(3, 6, 8, dtype=torch.float64))
    assert weights.shape == (3, 2, 6, 6)
    assert (weights.triu(diagonal=1) == 0).all()
    torch.testing.assert_close(weights.sum(dim=-1), torch.ones(3, 2, 6, dtype=torch.float64))


def test_decoder_takes_shorter_sequences_and_refuses_longer_ones():
    model = S.make_decoder(8, 6, 8, 2, 1, 8, seed=0)
    assert model(torch.zeros(2, 4, dtype=torch.long)).shape == (2, 4, 8)
    with pytest.raises(ValueError, match="tokens"):
        model(torch.zeros(2, 7, dtype=torch.long))
    with pytest.raises(ValueError, match="heads"):
        S.CausalSelfAttention(10, 3, 4)


def test_next_token_mlp_refuses_the_wrong_window():
    model = S.make_next_token_mlp(8, 4, 2, 8, seed=0)
    with pytest.raises(ValueError, match="tokens"):
        model(torch.zeros(2, 5, dtype=torch.long))


@pytest.mark.parametrize("builder", [
    lambda seed: S.make_next_token_mlp(16, 6, 8, 32, "swiglu", seed=seed),
    lambda seed: S.make_decoder(16, 8, 16, 2, 1, 32, "gelu", seed=seed),
    lambda seed: S.make_recurrent("lstm", 3, 8, 2, seed=seed),
])
def test_builders_are_deterministic_per_seed(builder):
    a, b, c = builder(4), builder(4), builder(5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))
    assert next(a.parameters()).dtype == torch.float64


def test_builders_leave_the_global_generator_alone():
    torch.manual_seed(11)
    expected = torch.rand(3)
    torch.manual_seed(11)
    S.make_decoder(8, 4, 8, 2, 1, 8, seed=0)
    assert torch.equal(torch.rand(3), expected)


# Recurrent networks


def test_recurrent_kinds():
    for kind in S.RECURRENT_KINDS:
        model = S.make_recurrent(kind, 5, 6, 3, seed=0)
        assert model(torch.zeros(4, 7, 5)).shape == (4, 3)
    irnn = S.make_recurrent("irnn", 5, 6, 3, seed=0).recurrent
    assert torch.equal(irnn.weight_hh_l0, torch.eye(6, dtype=torch.float64))
    assert (irnn.bias_hh_l0 == 0).all() and (irnn.bias_ih_l0 == 0).all()
    assert S.make_recurrent("relu", 5, 6, 3, seed=0).recurrent.nonlinearity == "relu"
    with pytest.raises(ValueError, match="kind"):
        S.make_recurrent("elman", 5, 6, 3)


def test_input_gradient_norms_vanish_for_a_contracting_network_and_not_for_the_irnn():
    x = S.delayed_recall_data(2, 30, length=60, symbols=3, seed=2).x_val
    relu = S.input_gradient_norms(S.make_recurrent("relu", 4, 16, 3, seed=0), x)
    irnn = S.input_gradient_norms(S.make_recurrent("irnn", 4, 16, 3, seed=0), x)
    assert relu.shape == (60,) and relu[0] < 1e-6 * relu[-1]
    assert irnn[0] > 0.1 * irnn[-1]
    with pytest.raises(ValueError, match="x"):
        S.input_gradient_norms(S.make_recurrent("gru", 4, 16, 3), torch.zeros(3, 4))


# Training


def small_task():
    train = S.selective_copy_sequence(3000, noise=0.1, seed=1)
    val = S.selective_copy_sequence(600, noise=0.1, seed=2)
    return S.windowed_data(train, val, context=6)


def test_training_lowers_the_loss_and_repeats_exactly():
    data = small_task()
    runs = []
    for _ in range(2):
        model = S.make_next_token_mlp(16, 6, 8, 32, "swiglu", seed=0)
        runs.append(S.train_by_steps(model, data, steps=60, batch_size=64, lr=0.01, seed=3, record_every=20))
    first, second = runs
    assert first.step == [0, 20, 40, 60]
    assert first.val_loss == second.val_loss and first.train_loss[1:] == second.train_loss[1:]
    assert first.val_loss[-1] < first.val_loss[0] - 0.2
    assert math.isnan(first.train_loss[0])
    assert 0.0 <= first.val_accuracy[-1] <= 1.0


def test_training_batch_order_depends_on_the_seed():
    data = small_task()
    histories = [S.train_by_steps(S.make_next_token_mlp(16, 6, 8, 32, seed=0), data, steps=10, seed=seed)
                 for seed in (1, 2)]
    assert histories[0].val_loss[-1] != histories[1].val_loss[-1]


def test_training_a_decoder_and_a_recurrent_network_with_clipping():
    chunks = S.chunked_data(S.selective_copy_sequence(2000, seed=1), S.selective_copy_sequence(400, seed=2), 10)
    decoder = S.make_decoder(16, 10, 16, 2, 1, 32, "gelu", seed=0)
    history = S.train_by_steps(decoder, chunks, steps=20, batch_size=16, lr=0.01, seed=0)
    assert history.val_loss[-1] < history.val_loss[0]
    recall = S.delayed_recall_data(256, 64, length=5, symbols=3, seed=0)
    model = S.make_recurrent("gru", 4, 8, 3, seed=0)
    model.train(False)
    history = S.train_by_steps(model, recall, steps=5, batch_size=32, seed=0, max_grad_norm=1.0)
    assert len(history.val_loss) == 2 and not model.training


@pytest.mark.parametrize(("arguments", "error", "name"), [
    ({"steps": 0}, ValueError, "steps"),
    ({"steps": 5, "batch_size": 0}, ValueError, "batch_size"),
    ({"steps": 5, "lr": -1.0}, ValueError, "lr"),
    ({"steps": 5, "record_every": 0}, ValueError, "record_every"),
    ({"steps": 5, "max_grad_norm": 0.0}, ValueError, "max_grad_norm"),
])
def test_training_names_a_bad_argument(arguments, error, name):
    model = S.make_next_token_mlp(16, 6, 8, 8, seed=0)
    with pytest.raises(error, match=name):
        S.train_by_steps(model, small_task(), **arguments)


def test_training_refuses_data_without_tensors_and_a_non_model():
    with pytest.raises(TypeError, match="data"):
        S.train_by_steps(S.make_next_token_mlp(16, 6, 8, 8), {"x_train": 1}, steps=1)
    with pytest.raises(TypeError, match="model"):
        S.train_by_steps(nn.ReLU, small_task(), steps=1)
