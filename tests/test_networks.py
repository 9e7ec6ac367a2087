"""make_mlp's structure, seeding and initialization, initialize_'s schemes, and the digits CNN."""

import math

import pytest
import torch
from torch import nn

from helpers import state, unchanged

from activation_lab.dead_units import dead_unit_report
from activation_lab.networks import INIT_SCHEMES, init_std, initialize_, linear_layers, make_digits_cnn, make_mlp
from activation_lab.probes import activation_modules

WIDE = [512, 256]


def _types(model):
    return [type(module) for module in model]


@pytest.mark.parametrize(("widths", "expected"), [
    ([2, 3], [nn.Linear]),
    ([2, 8, 3], [nn.Linear, nn.ReLU, nn.Linear]),
    ([2, 8, 8, 8, 3], [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]),
])
def test_linear_and_activation_alternate_with_none_after_the_last_layer(widths, expected):
    assert _types(make_mlp(widths)) == expected


def test_linear_layers_have_the_requested_widths():
    layers = linear_layers(make_mlp([2, 16, 8, 3]))
    assert [(layer.in_features, layer.out_features) for layer in layers] == [(2, 16), (16, 8), (8, 3)]


def test_batch_norm_sits_before_each_hidden_activation():
    model = make_mlp([2, 16, 8, 3], "tanh", batch_norm=True)
    assert _types(model) == [nn.Linear, nn.BatchNorm1d, nn.Tanh, nn.Linear, nn.BatchNorm1d, nn.Tanh, nn.Linear]
    assert [model[1].num_features, model[4].num_features] == [16, 8]


def test_activation_none_gives_only_linear_layers():
    assert _types(make_mlp([2, 16, 8, 3], activation=None)) == [nn.Linear] * 3


@pytest.mark.parametrize(("name", "module"), [("relu", nn.ReLU), ("tanh", nn.Tanh), ("sigmoid", nn.Sigmoid),
                                              ("gelu", nn.GELU), ("identity", nn.Identity)])
def test_activation_name_picks_the_torch_module(name, module):
    assert isinstance(make_mlp([2, 4, 2], name)[1], module)


def test_activation_params_reach_the_module():
    model = make_mlp([2, 4, 4, 2], "leaky_relu", negative_slope=0.2)
    assert [model[1].negative_slope, model[3].negative_slope] == [0.2, 0.2]


def test_activation_class_and_factory_are_accepted():
    from_class = make_mlp([2, 4, 2], nn.LeakyReLU, negative_slope=0.3)
    from_factory = make_mlp([2, 4, 2], lambda: nn.ELU(alpha=0.5))
    assert from_class[1].negative_slope == 0.3
    assert isinstance(from_factory[1], nn.ELU) and from_factory[1].alpha == 0.5


def test_each_hidden_layer_gets_its_own_activation_module():
    model = make_mlp([2, 4, 4, 2], "prelu")
    assert model[1] is not model[3]


def test_make_mlp_output_has_the_last_width():
    assert make_mlp([3, 5, 7])(torch.zeros(4, 3)).shape == (4, 7)


@pytest.mark.parametrize("init", INIT_SCHEMES)
def test_same_seed_gives_identical_weights(init):
    first, second = make_mlp([4, 8, 2], init=init, seed=5), make_mlp([4, 8, 2], init=init, seed=5)
    assert unchanged(second, state(first))


@pytest.mark.parametrize("init", INIT_SCHEMES)
def test_different_seeds_give_different_weights(init):
    first, second = make_mlp([4, 8, 2], init=init, seed=0), make_mlp([4, 8, 2], init=init, seed=1)
    assert not torch.equal(linear_layers(first)[0].weight, linear_layers(second)[0].weight)


@pytest.mark.parametrize("init", INIT_SCHEMES)
def test_seed_leaves_the_global_torch_rng_alone(init):
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    make_mlp([4, 8, 2], "prelu", init=init, seed=7, batch_norm=True)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_without_seed_the_global_rng_decides():
    torch.manual_seed(9)
    first = make_mlp([4, 8, 2])
    torch.manual_seed(9)
    second = make_mlp([4, 8, 2])
    assert unchanged(second, state(first))


@pytest.mark.parametrize(("scheme", "std"), [
    ("he", math.sqrt(2 / 512)),
    ("xavier", math.sqrt(2 / (512 + 256))),
    ("lecun", math.sqrt(1 / 512)),
])
def test_scheme_draws_weights_with_its_std(scheme, std):
    weight = make_mlp(WIDE, init=scheme, seed=0)[0].weight
    assert weight.mean().item() == pytest.approx(0.0, abs=0.02 * std)
    assert weight.std().item() == pytest.approx(std, rel=0.02)
    assert init_std(scheme, 512, 256) == pytest.approx(std)


@pytest.mark.parametrize("gain", [0.5, 2.0, 3])
def test_gain_scales_the_std(gain):
    plain = make_mlp(WIDE, init="he", seed=0)[0].weight.std().item()
    scaled = make_mlp(WIDE, init="he", gain=gain, seed=0)[0].weight.std().item()
    assert scaled / plain == pytest.approx(gain, rel=1e-4)


def test_default_scheme_keeps_pytorch_weights():
    weight = make_mlp(WIDE, init="default", seed=0)[0].weight
    # PyTorch draws U(-1/sqrt(fan_in), 1/sqrt(fan_in)): std 1/sqrt(3 fan_in), not He's sqrt(2 / fan_in)
    assert weight.abs().max().item() <= 1 / math.sqrt(512)
    assert weight.std().item() == pytest.approx(1 / math.sqrt(3 * 512), rel=0.02)


@pytest.mark.parametrize("scheme", ["he", "xavier", "lecun"])
def test_schemes_zero_the_biases(scheme):
    model = make_mlp([4, 8, 8, 2], init=scheme, seed=0)
    assert all(torch.all(layer.bias == 0) for layer in linear_layers(model))


def test_default_scheme_keeps_pytorch_biases():
    model = make_mlp([4, 8, 2], init="default", seed=0)
    before = state(model)
    initialize_(model, "default")
    assert unchanged(model, before)
    assert all(torch.any(layer.bias != 0) for layer in linear_layers(model))


@pytest.mark.parametrize("scheme", INIT_SCHEMES)
def test_bias_number_sets_every_bias(scheme):
    model = make_mlp([4, 8, 8, 2], init=scheme, bias=0.1, seed=0)
    assert all(torch.all(layer.bias == torch.tensor(0.1)) for layer in linear_layers(model))


def test_initialize_changes_the_model_in_place_and_returns_it():
    model = make_mlp([4, 8, 2], seed=0)
    weight = model[0].weight
    before = weight.detach().clone()
    result = initialize_(model, "he", generator=torch.Generator().manual_seed(1))
    assert result is model
    assert model[0].weight is weight
    assert not torch.equal(weight, before)


def test_initialize_with_equal_generators_gives_equal_weights():
    first = initialize_(make_mlp([4, 8, 2]), "xavier", generator=torch.Generator().manual_seed(2))
    second = initialize_(make_mlp([4, 8, 2]), "xavier", generator=torch.Generator().manual_seed(2))
    assert unchanged(second, state(first))


def test_initialize_skips_layers_without_bias():
    model = nn.Sequential(nn.Linear(4, 4, bias=False), nn.ReLU(), nn.Linear(4, 2))
    initialize_(model, "he", bias=0.5)
    assert model[0].bias is None
    assert torch.all(model[2].bias == 0.5)


@pytest.mark.parametrize("scheme", ["default", "kaiming", ""])
def test_init_std_rejects_schemes_without_a_std(scheme):
    with pytest.raises(ValueError, match="scheme"):
        init_std(scheme, 4, 4)


@pytest.mark.parametrize(("widths", "error"), [
    ("24", TypeError), (24, TypeError), (None, TypeError), ({2, 3}, TypeError),
    ([], ValueError), ([2], ValueError), ([2, 0], ValueError), ([2, -1, 2], ValueError),
    ([2, 3.0], ValueError), ([2, True], ValueError),
])
def test_bad_widths_raise(widths, error):
    with pytest.raises(error, match="widths"):
        make_mlp(widths)


@pytest.mark.parametrize("call", [lambda: make_mlp([2, 2], init="kaiming"),
                                  lambda: initialize_(nn.Linear(2, 2), "Xavier")])
def test_unknown_scheme_raises(call):
    with pytest.raises(ValueError, match="scheme must be one of"):
        call()


@pytest.mark.parametrize("gain", [0, -1.0, math.nan, "2", True, None])
def test_bad_gain_raises(gain):
    with pytest.raises(ValueError, match="gain"):
        make_mlp([2, 2], init="he", gain=gain)


@pytest.mark.parametrize("bias", ["0.1", True, [0.1]])
def test_bad_bias_raises(bias):
    with pytest.raises(TypeError, match="bias"):
        initialize_(nn.Linear(2, 2), "he", bias=bias)


def test_initialize_rejects_a_non_module():
    with pytest.raises(TypeError, match="model"):
        initialize_([nn.Linear(2, 2)], "he")


def test_unknown_activation_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'rellu'.*relu.*tanh"):
        make_mlp([2, 4, 2], "rellu")


def test_activation_without_a_torch_module_raises():
    with pytest.raises(ValueError, match="no torch.nn module"):
        make_mlp([2, 4, 2], "step")


def test_wrong_activation_params_raise_at_once():
    with pytest.raises(TypeError, match="negative_slope"):
        make_mlp([2, 2], "leaky_relu", alpha=0.2)


@pytest.mark.parametrize("activation", [3, 0.5, ["relu"], b"relu"])
def test_bad_activation_type_raises(activation):
    with pytest.raises(TypeError, match="activation must be"):
        make_mlp([2, 4, 2], activation)


def test_a_module_instance_as_activation_is_rejected_with_advice():
    with pytest.raises(TypeError, match="pass ReLU"):
        make_mlp([2, 4, 2], nn.ReLU())


def test_gain_is_refused_with_pytorchs_default_initialization():
    with pytest.raises(ValueError, match="gain must be 1 with scheme='default'"):
        make_mlp([2, 4, 2], gain=2.0)
    assert make_mlp([2, 4, 2], gain=1.0, seed=0)[0].weight.shape == (4, 2)


def test_activation_parameters_without_an_activation_are_refused():
    with pytest.raises(TypeError, match=r"activation=None takes no activation parameters, got \['negative_slope'\]"):
        make_mlp([2, 4, 2], None, negative_slope=0.1)


@pytest.mark.parametrize("gain", [math.inf, math.nan])
def test_non_finite_gain_is_rejected(gain):
    with pytest.raises(ValueError, match="gain"):
        make_mlp([2, 4, 2], init="he", gain=gain)


def test_linear_layers_rejects_a_non_module():
    with pytest.raises(TypeError, match="model"):
        linear_layers([nn.Linear(2, 2)])


# The digits CNN


def test_cnn_maps_flat_digits_to_ten_scores_with_two_activation_layers():
    model = make_digits_cnn("elu", channels=(4, 6), seed=0, alpha=0.5)
    x = torch.randn(5, 64)
    assert model(x).shape == (5, 10)
    activations = activation_modules(model)
    assert len(activations) == 2 and all(isinstance(m, nn.ELU) and m.alpha == 0.5 for m in activations)
    assert list(dead_unit_report(model, x).units) == [4, 6]


def test_cnn_seed_fixes_the_weights_without_touching_the_global_generator():
    state = torch.random.get_rng_state()
    a, b = make_digits_cnn(seed=1), make_digits_cnn(seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    c = make_digits_cnn(seed=2)
    assert not torch.equal(next(a.parameters()), next(c.parameters()))


def test_cnn_dtype_argument_sets_the_parameters_dtype():
    assert all(p.dtype == torch.float32 for p in make_digits_cnn(seed=0, dtype=torch.float32).parameters())
    assert all(p.dtype == torch.float64 for p in make_digits_cnn(seed=0).parameters())
    assert torch.get_default_dtype() == torch.float64


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"activation": "rleu"}, ValueError), ({"activation": "step"}, ValueError), ({"channels": (4,)}, ValueError),
    ({"channels": (4, 0)}, ValueError), ({"channels": "48"}, ValueError), ({"channels": (4, 2.0)}, ValueError),
    ({"bogus": 1.0}, TypeError), ({"dtype": torch.int64}, ValueError),
])
def test_cnn_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        make_digits_cnn(**kwargs)
