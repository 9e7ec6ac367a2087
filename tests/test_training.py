"""The training loop, evaluate, the runner over seeds and stacking histories."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers import state, unchanged

from activation_lab import Dataset, History, evaluate, make_mlp, run_seeds, sine_data, stack_histories, train, xor_data

XOR = xor_data(n=120, noise=0.2, seed=0)
METRICS = ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds"]


def _model(seed=0, **options):
    return make_mlp([2, 8, 2], "relu", seed=seed, **options)


def _fit(seed=0, model_seed=0, **options):
    options = {"epochs": 3, "lr": 0.3, "batch_size": 16, **options}
    return train(_model(model_seed), XOR, seed=seed, **options)


@pytest.mark.parametrize("epochs", [0, 1, 4])
def test_history_has_one_entry_per_epoch_plus_the_untrained_model(epochs):
    history = _fit(epochs=epochs)
    assert isinstance(history, History)
    assert history.epoch == list(range(epochs + 1))
    assert all(len(getattr(history, metric)) == epochs + 1 for metric in METRICS)


def test_epoch_zero_is_the_untrained_model():
    model = _model()
    expected = evaluate(model, XOR.x_train, XOR.y_train)
    history = train(model, XOR, epochs=2, lr=0.3)
    assert (history.train_loss[0], history.train_accuracy[0]) == expected
    assert history.train_loss[-1] != history.train_loss[0]


def test_epoch_zero_with_no_training_leaves_parameters_alone():
    model = _model()
    before = state(model)
    train(model, XOR, epochs=0)
    assert unchanged(model, before)


def test_seconds_never_decrease():
    seconds = _fit().seconds
    assert seconds == sorted(seconds) and seconds[0] >= 0


def test_same_seed_gives_identical_history():
    first, second = _fit(seed=4), _fit(seed=4)
    for metric in ["train_loss", "train_accuracy", "val_loss", "val_accuracy"]:
        assert getattr(first, metric) == getattr(second, metric)


def test_different_seed_orders_batches_differently():
    first, second = _fit(seed=0), _fit(seed=1)
    assert first.train_loss[0] == second.train_loss[0]
    assert first.train_loss[1:] != second.train_loss[1:]


@pytest.mark.parametrize(("optimizer", "lr"), [("sgd", 0.5), ("adam", 0.05)])
def test_loss_decreases_on_xor(optimizer, lr):
    history = _fit(optimizer=optimizer, lr=lr, epochs=5)
    assert history.train_loss[-1] < 0.7 * history.train_loss[0]
    assert history.val_accuracy[-1] > history.val_accuracy[0]


def test_momentum_changes_sgd():
    assert _fit(momentum=0.9).train_loss != _fit(momentum=0.0).train_loss


def test_full_batch_takes_one_step_per_epoch():
    full = _fit(batch_size=None, epochs=2)
    whole = _fit(batch_size=len(XOR.x_train), epochs=2)
    small = _fit(batch_size=16, epochs=2)
    assert full.train_loss == whole.train_loss
    assert full.train_loss[-1] < full.train_loss[0]
    assert full.train_loss != small.train_loss


def test_full_batch_does_not_depend_on_seed():
    assert _fit(batch_size=None, seed=0).train_loss == pytest.approx(_fit(batch_size=None, seed=1).train_loss, rel=1e-5)


def test_mse_regression_on_sine_has_nan_accuracy():
    x, y = sine_data(n=32)
    data = Dataset(x, y, x, y)
    history = train(make_mlp([1, 16, 1], "tanh", seed=0), data, epochs=5, lr=0.05, optimizer="adam",
                    loss="mse", batch_size=8)
    assert all(math.isnan(value) for value in history.train_accuracy + history.val_accuracy)
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.train_loss == history.val_loss


def test_on_epoch_end_values_land_in_extra():
    seen = []

    def probe(model, epoch):
        seen.append((type(model), epoch))
        return {"epoch_squared": epoch**2, "bias_norm": model[0].bias.detach().norm().item()}

    history = _fit(epochs=3, on_epoch_end=probe)
    assert seen == [(nn.Sequential, epoch) for epoch in range(4)]
    assert history.extra["epoch_squared"] == [0, 1, 4, 9]
    assert len(history.extra["bias_norm"]) == 4 and len(set(history.extra["bias_norm"])) > 1


def test_on_epoch_end_may_return_none():
    assert _fit(epochs=2, on_epoch_end=lambda model, epoch: None).extra == {}


@pytest.mark.parametrize(("target", "expected"), [(0.5, 1), (0.7, 1), (0.75, 3), (0.0, 0), (0.95, None)])
def test_epochs_to_reach_returns_first_epoch_reaching_target(target, expected):
    history = History(epoch=[0, 1, 2, 3], val_accuracy=[0.4, 0.7, 0.6, 0.9])
    assert history.epochs_to_reach("val_accuracy", target) == expected


def test_epochs_to_reach_on_a_real_run():
    history = _fit(optimizer="adam", lr=0.05, epochs=5)
    epoch = history.epochs_to_reach("train_accuracy", 0.9)
    assert epoch is not None and history.train_accuracy[epoch] >= 0.9
    assert all(value < 0.9 for value in history.train_accuracy[:epoch])


@pytest.mark.parametrize("was_training", [True, False])
def test_evaluate_restores_mode(was_training):
    model = _model(batch_norm=True).train(was_training)
    evaluate(model, XOR.x_val, XOR.y_val)
    assert model.training is was_training
    assert all(module.training is was_training for module in model.modules())


def test_evaluate_changes_no_parameter_or_running_statistic():
    model = _model(batch_norm=True).train()
    before = {name: value.clone() for name, value in model.state_dict().items()}
    evaluate(model, XOR.x_val, XOR.y_val)
    assert all(torch.equal(before[name], value) for name, value in model.state_dict().items())


def test_evaluate_loss_and_accuracy_on_known_logits():
    x = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [0.0, 2.0]])
    y = torch.tensor([0, 1, 1, 1])
    loss, accuracy = evaluate(nn.Identity(), x, y)
    assert accuracy == 0.75
    assert loss == pytest.approx(nn.functional.cross_entropy(x, y).item())


def test_train_leaves_the_model_trained_in_place():
    model = _model()
    before = state(model)
    train(model, XOR, epochs=1)
    assert not unchanged(model, before)


def test_run_seeds_returns_one_history_per_seed_and_uses_it():
    seen = []

    def build(seed):
        seen.append(seed)
        return _model(seed)

    histories = run_seeds(build, XOR, seeds=[3, 5, 8], epochs=2, lr=0.3, batch_size=16)
    assert seen == [3, 5, 8]
    assert len(histories) == 3 and all(len(h.epoch) == 3 for h in histories)
    assert histories[1].train_loss == train(_model(5), XOR, seed=5, epochs=2, lr=0.3, batch_size=16).train_loss
    assert histories[0].train_loss != histories[1].train_loss


def test_stack_histories_has_shape_runs_by_epochs_plus_one():
    histories = [_fit(seed=seed, epochs=3) for seed in (0, 1)]
    stacked = stack_histories(histories, "val_loss")
    assert stacked.shape == (2, 4) and stacked.dtype == np.float64
    assert stacked[1].tolist() == histories[1].val_loss


def test_stack_histories_works_for_extra_metrics():
    histories = [History(epoch=[0, 1], extra={"dead": [0.0, 0.25]}), History(epoch=[0, 1], extra={"dead": [0.1, 0.5]})]
    assert stack_histories(histories, "dead").tolist() == [[0.0, 0.25], [0.1, 0.5]]


@pytest.mark.parametrize(("histories", "metric"), [([], "val_loss"), ([History()], "loss"), ([History()], "extra")])
def test_stack_histories_rejects_empty_input_and_unknown_metrics(histories, metric):
    with pytest.raises(ValueError, match="histories|metric"):
        stack_histories(histories, metric)


@pytest.mark.parametrize(("model", "data", "match"), [
    ("model", XOR, "model must be"),
    (None, XOR, "model must be"),
    (make_mlp([2, 2]), (XOR.x_train, XOR.y_train), "data must be"),
    (make_mlp([2, 2]), None, "data must be"),
])
def test_bad_model_or_data_raises_type_error(model, data, match):
    with pytest.raises(TypeError, match=match):
        train(model, data)


@pytest.mark.parametrize(("option", "value"), [
    ("epochs", -1), ("epochs", 1.5), ("epochs", True), ("epochs", "3"),
    ("lr", 0), ("lr", -0.1), ("lr", "0.1"), ("lr", True), ("lr", None),
    ("batch_size", 0), ("batch_size", 8.0), ("batch_size", True), ("batch_size", -4),
])
def test_bad_training_options_raise_value_error(option, value):
    with pytest.raises(ValueError, match=option):
        train(_model(), XOR, **{option: value})


@pytest.mark.parametrize(("option", "value"), [("optimizer", "rmsprop"), ("optimizer", "SGD"), ("loss", "hinge"),
                                               ("loss", "nll")])
def test_unknown_optimizer_or_loss_raises_before_training(option, value):
    model = _model()
    before = state(model)
    with pytest.raises(ValueError, match=option):
        train(model, XOR, epochs=1, **{option: value})
    assert unchanged(model, before)


def test_run_seeds_rejects_a_non_callable_and_no_seeds():
    with pytest.raises(TypeError, match="build_model"):
        run_seeds("mlp", XOR)
    with pytest.raises(ValueError, match="seeds"):
        run_seeds(_model, XOR, seeds=[])


def test_epochs_to_reach_a_falling_loss_and_an_extra_metric():
    history = History(epoch=[0, 1, 2], train_loss=[2.0, 1.0, 0.5], extra={"dead": [0.0, 0.2, 0.4]})
    assert history.epochs_to_reach("train_loss", 0.9, higher_is_better=False) == 2
    assert history.epochs_to_reach("train_loss", 3.0, higher_is_better=False) == 0
    assert history.epochs_to_reach("dead", 0.3) == 2
    with pytest.raises(ValueError, match="unknown metric"):
        history.epochs_to_reach("nonsense", 1.0)


@pytest.mark.parametrize("was_training", [True, False])
def test_train_restores_the_models_mode(was_training):
    model = make_mlp([2, 4, 2], seed=0).train(was_training)
    train(model, xor_data(n=40), epochs=1)
    assert model.training is was_training


def test_momentum_with_adam_is_rejected():
    with pytest.raises(ValueError, match="momentum"):
        train(make_mlp([2, 4, 2], seed=0), xor_data(n=40), epochs=1, optimizer="adam", momentum=0.9)


def test_run_seeds_rejects_a_model_instance():
    with pytest.raises(TypeError, match="build_model"):
        run_seeds(make_mlp([2, 4, 2], seed=0), xor_data(n=40), epochs=1)


def test_record_every_keeps_epoch_zero_the_multiples_and_the_last():
    history = train(make_mlp([2, 4, 2], seed=0), xor_data(n=40), epochs=7, record_every=3)
    assert history.epoch == [0, 3, 6, 7]
    dense = train(make_mlp([2, 4, 2], seed=0), xor_data(n=40), epochs=7)
    assert history.val_loss == [dense.val_loss[e] for e in history.epoch]


@pytest.mark.parametrize("record_every", [0, -1, 1.5, True])
def test_bad_record_every_is_rejected(record_every):
    with pytest.raises(ValueError, match="record_every"):
        train(make_mlp([2, 4, 2], seed=0), xor_data(n=40), epochs=1, record_every=record_every)


def test_mse_on_class_labels_is_refused_before_training():
    model = _model()
    before = state(model)
    with pytest.raises(ValueError, match="loss='mse' needs float targets"):
        train(model, XOR, epochs=1, loss="mse")
    assert unchanged(model, before)


def test_train_refuses_a_model_and_data_of_different_dtypes():
    data = xor_data(n=40, dtype=torch.float32)
    with pytest.raises(ValueError, match="float64 but data.x_train is torch.float32"):
        train(make_mlp([2, 4, 2], seed=0), data, epochs=1)


# Weight decay, warmup, gradient clipping and the per-step callback.

def _lr_per_step(**options):
    rates = lambda model, step, optimizer: {"lr": optimizer.param_groups[0]["lr"], "step": step}  # noqa: E731
    return _fit(on_step_end=rates, **options).steps


def _sgd_by_hand(epochs: int, **sgd_options) -> nn.Module:
    """The model _fit trains, trained instead by a plain SGD loop written out here (lr 0.3, batches of 16, seed 0)."""
    model = _model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3, **sgd_options)
    generator = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        order = torch.randperm(len(XOR.x_train), generator=generator)
        for begin in range(0, len(order), 16):
            batch = order[begin:begin + 16]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(XOR.x_train[batch]), XOR.y_train[batch]).backward()
            optimizer.step()
    return model


def test_defaults_reproduce_plain_sgd_written_by_hand():
    history = _fit(epochs=2)
    model = _sgd_by_hand(epochs=2)
    assert history.train_loss[-1] == evaluate(model, XOR.x_train, XOR.y_train)[0]


def test_on_step_end_is_called_once_per_step_counting_from_one():
    steps = _lr_per_step(epochs=2)["step"]
    per_epoch = math.ceil(len(XOR.x_train) / 16)
    assert steps == list(range(1, 2 * per_epoch + 1))


def test_warmup_rises_linearly_then_stays_at_lr():
    rates = _lr_per_step(epochs=2, warmup_steps=5)["lr"]
    assert rates[:5] == pytest.approx([0.06, 0.12, 0.18, 0.24, 0.3])
    assert all(rate == 0.3 for rate in rates[5:])


def test_no_warmup_keeps_lr_constant_and_no_callback_leaves_steps_empty():
    assert set(_lr_per_step(epochs=1)["lr"]) == {0.3}
    assert _fit(epochs=1).steps == {}


def test_warmup_changes_training_and_zero_warmup_does_not():
    assert _fit(warmup_steps=10).train_loss != _fit().train_loss
    assert _fit(warmup_steps=0).train_loss == _fit().train_loss


def test_clipping_bounds_the_gradient_norm_seen_by_the_optimizer():
    norms = []

    def norm_after_clipping(model, step, optimizer):
        # The gradient is still in .grad after the step: the clipped one the optimizer used.
        norms.append(float(torch.linalg.vector_norm(torch.cat([p.grad.flatten() for p in model.parameters()]))))

    _fit(lr=1.0, clip_norm=0.05, on_step_end=norm_after_clipping)
    assert max(norms) <= 0.05 * (1 + 1e-9)
    assert _fit(clip_norm=1e6).train_loss == _fit().train_loss   # a bound never reached changes nothing


def test_weight_decay_matches_torch_and_shrinks_weights():
    decayed = _model()
    train(decayed, XOR, epochs=3, lr=0.3, batch_size=16, weight_decay=0.1)
    plain = _model()
    train(plain, XOR, epochs=3, lr=0.3, batch_size=16)
    norm = lambda model: float(sum(p.detach().pow(2).sum() for p in model.parameters()))  # noqa: E731
    assert norm(decayed) < norm(plain)
    by_hand = _sgd_by_hand(epochs=3, weight_decay=0.1)
    assert all(torch.equal(a, b) for a, b in zip(decayed.parameters(), by_hand.parameters()))


def test_adam_takes_weight_decay_and_the_callback_sees_its_state():
    seen = []
    _fit(optimizer="adam", lr=0.01, weight_decay=0.01,
         on_step_end=lambda model, step, optimizer: seen.append(len(optimizer.state)))
    assert seen[0] == len(list(_model().parameters()))


def test_on_step_end_may_change_the_model():
    def zero_first_bias(model, step, optimizer):
        with torch.no_grad():
            model[0].bias.zero_()

    model = _model()
    train(model, XOR, epochs=1, lr=0.3, on_step_end=zero_first_bias)
    assert torch.count_nonzero(model[0].bias) == 0


@pytest.mark.parametrize(("option", "value", "error"), [
    ("weight_decay", -0.1, ValueError), ("weight_decay", float("nan"), ValueError), ("weight_decay", "0", TypeError),
    ("warmup_steps", -1, ValueError), ("warmup_steps", 2.5, TypeError), ("warmup_steps", True, TypeError),
    ("clip_norm", 0.0, ValueError), ("clip_norm", -1.0, ValueError), ("clip_norm", float("inf"), ValueError),
    ("clip_norm", "1", TypeError), ("momentum", 1.0, ValueError), ("momentum", -0.5, ValueError),
    ("on_step_end", 3, TypeError),
])
def test_bad_step_options_raise_naming_the_argument(option, value, error):
    model = _model()
    before = state(model)
    with pytest.raises(error, match=option):
        train(model, XOR, epochs=1, **{option: value})
    assert unchanged(model, before)
