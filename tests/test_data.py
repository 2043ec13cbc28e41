"""Наборы данных backprop_course.datasets и настройки ноутбука 03: формы, метки, зерно, геометрия без шума, разбиение, понятные ошибки."""
import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds, settings as cfg

GENERATORS = [ds.moons, ds.circles, ds.spirals]


def test_xor():
    X, A = ds.xor()
    assert X.shape == (2, 4) and A.shape == (1, 4)
    assert A.tolist() == [[0.0, 1.0, 1.0, 0.0]]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [2, 7, 100])
def test_shapes_and_balanced_labels(make, n):
    X, A = make(n, seed=0)
    assert X.shape == (2, n) and A.shape == (1, n)
    assert X.dtype == float and A.dtype == float
    assert set(np.unique(A)) == {0.0, 1.0}
    assert A.sum() == n // 2                       # класс 1 — n // 2 примеров, класс 0 — остальные
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", GENERATORS)
def test_seed_repeats_and_differs(make):
    X1, A1 = make(50, seed=3)
    X2, A2 = make(50, seed=3)
    X3, _ = make(50, seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(A1, A2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("make", GENERATORS)
def test_columns_are_shuffled(make):
    _, A = make(200, seed=0)
    # без перемешивания первые 100 были бы классом 0
    assert 0 < A[0, :100].sum() < 100


def test_moons_without_noise_lie_on_half_circles():
    X, A = ds.moons(400, noise=0.0, seed=1)
    c0 = X[:, A[0] == 0] - np.array([[-0.5], [-0.25]])
    c1 = X[:, A[0] == 1] - np.array([[0.5], [0.25]])
    np.testing.assert_allclose(np.hypot(*c0), 1.0)
    np.testing.assert_allclose(np.hypot(*c1), 1.0)
    assert (c0[1] >= -1e-12).all() and (c1[1] <= 1e-12).all()     # верхняя и нижняя половины
    np.testing.assert_allclose(X.mean(axis=1), 0.0, atol=0.1)      # картинка в центре


@pytest.mark.parametrize("ratio", [0.3, 0.5])
def test_circles_without_noise_have_the_two_radii(ratio):
    X, A = ds.circles(300, noise=0.0, radius_ratio=ratio, seed=2)
    r = np.hypot(*X)
    np.testing.assert_allclose(r[A[0] == 0], 1.0)
    np.testing.assert_allclose(r[A[0] == 1], ratio)


def test_spirals_without_noise_follow_the_formula():
    turns = 1.5
    X, A = ds.spirals(500, noise=0.0, turns=turns, seed=5)
    r = np.hypot(*X)
    assert r.max() <= 1.0 + 1e-12 and r.max() > 0.99            # внешний радиус 1
    phase = np.arctan2(X[1], X[0]) - 2 * np.pi * turns * r - np.pi * A[0]
    np.testing.assert_allclose(np.cos(phase), 1.0, atol=1e-9)    # угол 2π·turns·r (+π у класса 1)


@pytest.mark.parametrize("make", GENERATORS)
def test_noise_is_gaussian_with_the_given_std(make):
    clean, _ = make(4000, noise=0.0, seed=7)
    noisy, _ = make(4000, noise=0.2, seed=7)
    # то же зерно: те же точки до шума, шум добавлен после
    assert abs((noisy - clean).std() - 0.2) < 0.01


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("kwargs, word", [
    ({"n_samples": 1}, "n_samples"), ({"n_samples": 10.0}, "n_samples"), ({"n_samples": True}, "n_samples"),
    ({"n_samples": 10**12}, "n_samples"), ({"n_samples": None}, "n_samples"),
    ({"noise": -0.1}, "noise"), ({"noise": float("nan")}, "noise"), ({"noise": "0.1"}, "noise"),
    ({"seed": "abc"}, "seed"), ({"seed": -1}, "seed"),
])
def test_bad_common_arguments(make, kwargs, word):
    # не тот тип — TypeError, не то значение — ValueError; в обоих случаях сказано, что ожидалось
    with pytest.raises((TypeError, ValueError), match=f"{word}: ожидается"):
        make(**kwargs)


@pytest.mark.parametrize("ratio", [0, 1, 1.5, -0.5, "0.5"])
def test_circles_bad_ratio(ratio):
    with pytest.raises((TypeError, ValueError), match="radius_ratio: ожидается .*число"):
        ds.circles(10, radius_ratio=ratio)


@pytest.mark.parametrize("turns", [0, -1, float("inf"), None])
def test_spirals_bad_turns(turns):
    with pytest.raises((TypeError, ValueError), match="turns: ожидается .*число"):
        ds.spirals(10, turns=turns)


# ----- разбиение ------------------------------------------------------------------------------

def test_train_test_split_partitions_the_columns():
    X = np.vstack([np.arange(20.0), -np.arange(20.0)])
    A = (np.arange(20) % 2).reshape(1, 20).astype(float)
    X_tr, A_tr, X_te, A_te = ds.split(X, A, test_fraction=0.25, seed=0)
    assert X_tr.shape == (2, 15) and A_tr.shape == (1, 15)
    assert X_te.shape == (2, 5) and A_te.shape == (1, 5)
    ids = np.concatenate([X_tr[0], X_te[0]])
    assert sorted(ids.tolist()) == list(range(20))               # каждый пример ровно в одной части
    np.testing.assert_array_equal(A_tr[0], X_tr[0] % 2)          # ответы едут вместе со своими столбцами
    np.testing.assert_array_equal(X_te[1], -X_te[0])
    assert not np.array_equal(X_tr[0], np.sort(X_tr[0]))         # перемешано


def test_train_test_split_seed():
    X, A = ds.moons(30, seed=0)
    first = ds.split(X, A, seed=1)
    again = ds.split(X, A, seed=1)
    other = ds.split(X, A, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[2], other[2])


def test_train_test_split_keeps_one_example_in_each_part():
    X, A = ds.moons(3, seed=0)
    _, _, X_te, _ = ds.split(X, A, test_fraction=0.01)
    assert X_te.shape == (2, 1)
    X_tr, _, _, _ = ds.split(X, A, test_fraction=0.99)
    assert X_tr.shape == (2, 1)


@pytest.mark.parametrize("X, A, kwargs, message", [
    (np.zeros(4), np.zeros((1, 4)), {}, "ожидаются двумерные массивы"),
    (np.zeros((2, 4)), np.zeros(4), {}, r"A.reshape\(1, -1\)"),
    (np.zeros((2, 4)), np.zeros((1, 5)), {}, "разное число примеров"),
    (np.zeros((2, 1)), np.zeros((1, 1)), {}, "хотя бы 2 примера"),
    (np.zeros((2, 4)), np.zeros((1, 4)), {"test_fraction": 0}, "test_fraction: ожидается .*доля"),
    (np.zeros((2, 4)), np.zeros((1, 4)), {"test_fraction": 1.0}, "test_fraction: ожидается .*доля"),
    (np.zeros((2, 4)), np.zeros((1, 4)), {"test_fraction": "0.2"}, "test_fraction: ожидается число"),
    (np.zeros((2, 4)), np.zeros((1, 4)), {"seed": 1.5}, "seed: ожидается целое"),
    (np.zeros((2, 4)), np.zeros((1, 4)), {"stratify": "yes"}, "stratify: ожидается True или False"),
    ([[1, 2], [3]], np.zeros((1, 2)), {}, "X: ожидается числовой массив, получен неровный список"),
])
def test_train_test_split_bad_arguments(X, A, kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        ds.split(X, A, **kwargs)


# ----- доля верных, настройки ноутбука 03 --------------------------------------------------------

def test_accuracy_counts_right_answers():
    net = bp.Network.from_weights([[[1.0, 0.0]]], [[[0.0]]])       # Y = σ(I_1): класс 1, если I_1 > 0
    X = np.array([[1.0, -1.0, 2.0, -3.0], [0.0, 0.0, 0.0, 0.0]])
    assert ds.accuracy(net, X, [[1, 0, 0, 0]]) == 0.75
    with pytest.raises(ValueError, match="разное число примеров"):
        ds.accuracy(net, X, [[1, 0, 1]])
    for wrong in (np.array([1, 0, 1, 0]), np.zeros((2, 4)), np.zeros((4, 1))):     # метки, не ответы сети
        with pytest.raises(ValueError, match=r"ожидается форма \(n_outputs, n_samples\) = \(1, n_samples\)"):
            ds.accuracy(net, X, wrong)
    digits_net = bp.Network([2, 3], seed=0, activations="softmax", loss="cross_entropy")
    A3 = ds.one_hot(digits_net.predict(X), 3)                    # one-hot ответы: доля по номеру строки
    assert ds.accuracy(digits_net, X, A3) == 1.0


def test_split_dataset_uses_the_settings():
    for name, settings in cfg.TRAINING.items():
        X_tr, A_tr, X_te, A_te = cfg.boundary_data(name)
        assert X_tr.shape == (2, cfg.N_TRAIN) and A_tr.shape == (1, cfg.N_TRAIN)
        assert X_te.shape == (2, cfg.N_TEST) and A_te.shape == (1, cfg.N_TEST)
        X, A = cfg.BOUNDARY_SETS[name](cfg.N_TRAIN + cfg.N_TEST, seed=settings["seed"], **settings["data"])
        assert sorted(np.concatenate([X_tr[0], X_te[0]])) == sorted(X[0])
    small = cfg.boundary_data("moons", n_train=40, n_test=10, noise=0.3, seed=1)
    assert small[0].shape == (2, 40) and small[2].shape == (2, 10)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "squares"}, "неизвестный набор 'squares'"),
    ({"name": "moons", "n_train": 0}, "n_train: ожидается целое число от 1"),
    ({"name": "moons", "n_test": 2.5}, "n_test: ожидается целое число"),
    ({"name": None}, "неизвестный набор None"),
])
def test_split_dataset_bad_arguments(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        cfg.boundary_data(**kwargs)


def test_make_network():
    net = cfg.boundary_network("spirals")
    assert net.layer_sizes == [2, *cfg.TRAINING["spirals"]["hidden"], 1]
    assert net.activations == ["tanh"] * len(cfg.TRAINING["spirals"]["hidden"]) + ["sigmoid"]
    assert net.loss_name == "mse"
    same = cfg.boundary_network("spirals")
    assert all(np.array_equal(W, V) for W, V in zip(net.weights, same.weights))   # зерно из настроек
    assert cfg.boundary_network("moons", hidden=[3, 2], seed=5).layer_sizes == [2, 3, 2, 1]
    with pytest.raises(ValueError, match="неизвестный набор"):
        cfg.boundary_network("xor")
