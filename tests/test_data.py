"""The data sets: shapes, dtypes, seeds, the split, standardization and argument checks."""

import functools
import math

import numpy as np
import pytest
import torch
from sklearn.datasets import make_moons


from activation_lab import Dataset, digits_data, moons_data, sine_data, xor_data
from activation_lab.reproducibility import set_dtype

CLASSIFICATION = {
    "xor": lambda **kw: xor_data(n=200, **kw),
    "moons": lambda **kw: moons_data(n=200, **kw),
    "digits": lambda **kw: digits_data(**kw),
}


@functools.lru_cache(maxsize=None)
def _data(name, seed=0):
    return CLASSIFICATION[name](seed=seed)


def _parts(data):
    return [data.x_train, data.y_train, data.x_val, data.y_val]


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_sets_have_float64_inputs_and_int64_labels(name):
    data = _data(name)
    assert isinstance(data, Dataset)
    assert data.x_train.dtype == torch.float64 and data.x_val.dtype == torch.float64
    assert data.y_train.dtype == torch.int64 and data.y_val.dtype == torch.int64


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_dtype_argument_and_package_setting_choose_the_input_dtype(name):
    explicit = CLASSIFICATION[name](dtype=torch.float32)
    assert explicit.x_train.dtype == explicit.x_val.dtype == torch.float32
    # The same numbers, rounded once: float32 data is the float64 data cast, not a different draw.
    assert torch.equal(explicit.x_train, _data(name).x_train.float())
    previous = set_dtype(torch.float32)
    try:
        assert CLASSIFICATION[name]().x_train.dtype == torch.float32
    finally:
        set_dtype(previous)


@pytest.mark.parametrize("bad, error", [("float64", TypeError), (torch.int64, ValueError), (torch.float16, ValueError)])
def test_bad_dtype_is_rejected_with_its_name(bad, error):
    with pytest.raises(error, match="dtype"):
        digits_data(dtype=bad)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_inputs_are_2d_and_labels_1d_with_matching_lengths(name):
    data = _data(name)
    assert data.x_train.ndim == 2 and data.x_val.ndim == 2
    assert data.y_train.shape == (len(data.x_train),)
    assert data.y_val.shape == (len(data.x_val),)
    assert data.x_val.shape[1] == data.x_train.shape[1] == data.n_features


@pytest.mark.parametrize(("name", "features", "classes"), [("xor", 2, 2), ("moons", 2, 2), ("digits", 64, 10)])
def test_feature_and_class_counts(name, features, classes):
    data = _data(name)
    assert data.n_features == features
    assert data.n_classes == classes
    labels = torch.cat([data.y_train, data.y_val])
    assert set(labels.tolist()) == set(range(classes))


def test_digits_has_1797_samples_in_all():
    data = digits_data()
    assert len(data.x_train) + len(data.x_val) == 1797


@pytest.mark.parametrize(("n", "val_fraction", "n_val"),
                         [(200, 0.5, 100), (200, 0.25, 50), (400, 0.1, 40), (10, 0.33, 3)])
def test_split_sizes_follow_val_fraction(n, val_fraction, n_val):
    data = xor_data(n=n, val_fraction=val_fraction)
    assert len(data.x_val) == n_val
    assert len(data.x_train) == n - n_val


def test_digits_split_sizes_follow_val_fraction():
    data = digits_data(val_fraction=0.2)
    assert (len(data.x_train), len(data.x_val)) == (1438, 359)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_train_and_val_rows_are_disjoint_and_never_repeat(name):
    data = _data(name)
    train_rows = {tuple(row) for row in data.x_train.tolist()}
    val_rows = {tuple(row) for row in data.x_val.tolist()}
    assert not train_rows & val_rows
    assert len(train_rows) + len(val_rows) == len(data.x_train) + len(data.x_val)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_same_seed_gives_identical_data(name):
    first, second = CLASSIFICATION[name](seed=3), CLASSIFICATION[name](seed=3)
    for a, b in zip(_parts(first), _parts(second)):
        assert torch.equal(a, b)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_another_seed_gives_different_data(name):
    first, second = _data(name, 0), _data(name, 1)
    assert not torch.equal(first.x_train, second.x_train)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_training_part_is_standardized(name):
    x = _data(name).x_train.double()
    std = x.std(dim=0, unbiased=False)
    varying = std > 1e-6
    assert varying.sum() >= 2
    assert torch.allclose(x.mean(dim=0), torch.zeros(x.shape[1], dtype=x.dtype), atol=1e-5)
    assert torch.allclose(std[varying], torch.ones(int(varying.sum()), dtype=x.dtype), atol=1e-4)


def test_constant_digit_pixels_become_zero_not_nan():
    data = _data("digits")
    constant = data.x_train.std(dim=0) == 0
    assert constant.any()
    assert torch.all(data.x_train[:, constant] == 0)
    assert torch.isfinite(data.x_val).all()


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_validation_part_uses_training_statistics(name):
    x_val = _data(name).x_val.double()
    # standardized with its own statistics, every column mean would vanish
    assert x_val.mean(dim=0).abs().max() > 1e-3


@pytest.mark.parametrize("column", [0, 1])
def test_moons_both_parts_share_the_training_parts_affine_map(column):
    data = moons_data(n=200, noise=0.2, seed=0)
    raw = np.sort(make_moons(n_samples=200, noise=0.2, random_state=0)[0][:, column])
    scaled = torch.cat([data.x_train[:, column], data.x_val[:, column]]).double().numpy()
    order = np.argsort(scaled)
    in_train = (np.arange(len(scaled)) < len(data.x_train))[order]
    slope, intercept = np.polyfit(raw, scaled[order], 1)
    assert np.allclose(slope * raw + intercept, scaled[order], atol=1e-5)
    raw_train = raw[in_train]
    assert slope == pytest.approx(1 / raw_train.std(), rel=1e-5)
    assert intercept == pytest.approx(-raw_train.mean() / raw_train.std(), abs=1e-5)


def test_xor_labels_follow_the_sign_rule_without_noise():
    data = xor_data(n=200, noise=0.0, seed=4)
    for x, y in [(data.x_train, data.y_train), (data.x_val, data.y_val)]:
        signs_differ = (x[:, 0] > 0) != (x[:, 1] > 0)
        assert torch.equal(signs_differ.long(), y)


def test_xor_without_noise_has_exactly_four_points():
    data = xor_data(n=200, noise=0.0)
    points = {tuple(row) for row in torch.cat([data.x_train, data.x_val]).tolist()}
    assert len(points) == 4


def test_xor_labels_mostly_follow_the_sign_rule_with_small_noise():
    data = xor_data(n=400, noise=0.3)
    signs_differ = ((data.x_train[:, 0] > 0) != (data.x_train[:, 1] > 0)).long()
    assert (signs_differ == data.y_train).float().mean() > 0.95


def test_noise_spreads_xor_points():
    quiet, noisy = xor_data(noise=0.0), xor_data(noise=0.5)
    assert len(set(noisy.x_train[:, 0].tolist())) > len(set(quiet.x_train[:, 0].tolist()))


@pytest.mark.parametrize("val_fraction", [0.9, 0.8])
def test_large_val_fraction_on_the_smallest_set_keeps_a_training_part(val_fraction):
    data = xor_data(n=4, val_fraction=val_fraction)
    assert len(data.x_train) >= 1
    assert torch.isfinite(data.x_val).all()


@pytest.mark.parametrize("n", [2, 5, 200])
def test_sine_data_shapes_and_dtype(n):
    x, y = sine_data(n=n)
    assert x.shape == y.shape == (n, 1)
    assert x.dtype == y.dtype == torch.float64
    assert sine_data(n=n, dtype=torch.float32)[0].dtype == torch.float32


def test_sine_data_spans_low_to_high_evenly():
    x, _ = sine_data(n=5, low=-1.0, high=3.0)
    assert x.flatten().tolist() == [-1.0, 0.0, 1.0, 2.0, 3.0]


def test_sine_data_default_interval_is_minus_pi_to_pi():
    x, _ = sine_data()
    assert x[0].item() == pytest.approx(-math.pi, rel=1e-6)
    assert x[-1].item() == pytest.approx(math.pi, rel=1e-6)


def test_sine_data_values_are_the_sine():
    _, y = sine_data(n=5, low=0.0, high=2 * math.pi)
    assert np.allclose(y.flatten().numpy(), [0.0, 1.0, 0.0, -1.0, 0.0], atol=1e-6)


@pytest.mark.parametrize("function", [xor_data, moons_data, sine_data])
@pytest.mark.parametrize("n", ["10", 10.0, True, None])
def test_non_int_n_raises_type_error(function, n):
    with pytest.raises(TypeError, match="n must be an int"):
        function(n=n)


@pytest.mark.parametrize(("function", "n"), [(xor_data, 3), (moons_data, 0), (sine_data, 1), (sine_data, -5)])
def test_too_small_n_raises_value_error(function, n):
    with pytest.raises(ValueError, match="n must be at least"):
        function(n=n)


def test_numpy_int_n_is_accepted():
    assert len(xor_data(n=np.int64(20)).x_train) == 10


@pytest.mark.parametrize("function", [xor_data, moons_data])
@pytest.mark.parametrize(("noise", "error"),
                         [(-0.1, ValueError), ("0.1", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_noise_raises(function, noise, error):
    with pytest.raises(error, match="noise"):
        function(noise=noise)


@pytest.mark.parametrize("function", [xor_data, moons_data, digits_data])
@pytest.mark.parametrize(("val_fraction", "error"),
                         [(0.0, ValueError), (1.0, ValueError), (-0.2, ValueError), (1.5, ValueError),
                          (0, ValueError), ("0.5", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_val_fraction_raises(function, val_fraction, error):
    with pytest.raises(error, match="val_fraction"):
        function(val_fraction=val_fraction)


@pytest.mark.parametrize(("low", "high"), [(1.0, 0.0), (1.0, 1.0), (-math.inf, 0.0), (0.0, math.inf), (math.nan, 1.0)])
def test_bad_sine_interval_raises_value_error(low, high):
    with pytest.raises(ValueError, match="low|high"):
        sine_data(low=low, high=high)


@pytest.mark.parametrize(("low", "high"), [("0", 1.0), (0.0, None)])
def test_non_number_sine_bounds_raise_type_error_naming_them(low, high):
    with pytest.raises(TypeError, match="low|high"):
        sine_data(low=low, high=high)


@pytest.mark.parametrize("function", [xor_data, moons_data, digits_data])
@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (1.5, TypeError), ("0", TypeError), (True, TypeError)])
def test_bad_seed_raises_naming_it(function, seed, error):
    with pytest.raises(error, match="^seed"):
        function(seed=seed)


def test_n_classes_counts_the_labels_of_both_splits():
    x = torch.zeros(3, 2)
    data = Dataset(x, torch.tensor([0, 1, 1]), x, torch.tensor([0, 2, 1]))
    assert data.n_classes == 3


# A test part on request: cut from the training images, standardized with the training statistics,
# leaving the default splits (and so every stored chapter output) as they were.

def test_no_test_part_unless_asked():
    data = _data("digits")
    assert data.x_test is None and data.y_test is None
    for a, b in zip(_parts(data), _parts(digits_data(test_fraction=None))):
        assert torch.equal(a, b)


def test_test_part_is_cut_from_the_training_images_and_standardized_with_theirs():
    from sklearn.datasets import load_digits

    data = digits_data(val_fraction=0.2, test_fraction=0.2, seed=3)
    raw = load_digits()
    order = np.random.default_rng(3).permutation(len(raw.target))
    val, test, train = order[:359], order[359:718], order[718:]
    mean, std = raw.data[train].mean(axis=0), raw.data[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    for x, y, rows in [(data.x_train, data.y_train, train), (data.x_val, data.y_val, val), (data.x_test, data.y_test, test)]:
        assert torch.allclose(x, torch.from_numpy((raw.data[rows] - mean) / std))
        assert torch.equal(y, torch.from_numpy(raw.target[rows].astype(np.int64)))
    assert torch.equal(data.y_val, digits_data(val_fraction=0.2, seed=3).y_val)  # the same validation images


def test_three_parts_are_disjoint_and_cover_every_image():
    data = digits_data(val_fraction=0.25, test_fraction=0.1)
    rows = torch.cat([data.x_train, data.x_val, data.x_test])
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (1168, 449, 180)
    assert len(torch.unique(rows, dim=0)) == 1797
    assert data.x_test.dtype == torch.float64 and data.y_test.dtype == torch.int64


def test_n_classes_counts_the_test_labels_too():
    x = torch.zeros(2, 3, dtype=torch.float64)
    data = Dataset(x, torch.tensor([0, 1]), x, torch.tensor([1, 0]), x, torch.tensor([5, 0]))
    assert data.n_classes == 6


def test_dataset_wants_test_inputs_and_labels_together():
    x = torch.zeros(2, 3, dtype=torch.float64)
    with pytest.raises(ValueError, match="together"):
        Dataset(x, torch.tensor([0, 1]), x, torch.tensor([1, 0]), x_test=x)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(test_fraction=0.0), ValueError, "test_fraction"), (dict(test_fraction=1.0), ValueError, "test_fraction"),
    (dict(test_fraction="0.2"), TypeError, "test_fraction"), (dict(test_fraction=True), TypeError, "test_fraction"),
    (dict(val_fraction=0.5, test_fraction=0.5), ValueError, "val_fraction \\+ test_fraction"),
])
def test_bad_test_fraction_is_refused_by_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        digits_data(**kwargs)


def test_a_dataset_with_a_test_part_trains_and_evaluates():
    import activation_lab as al

    data = digits_data(val_fraction=0.2, test_fraction=0.2)
    model = al.make_mlp([64, 16, 10], seed=0)
    history = al.train(model, data, epochs=1, lr=0.1, seed=0)
    loss, accuracy = al.evaluate(model, data.x_test, data.y_test)
    assert len(history.val_accuracy) == 2 and 0.0 <= accuracy <= 1.0 and math.isfinite(loss)
