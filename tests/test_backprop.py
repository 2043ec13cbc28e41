"""Модуль backprop: верность исходному ноутбуку, градиенты против конечных разностей, плохой вход."""
import warnings

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds


def seed_matrices():
    """Начальные матрицы исходного ноутбука: np.random.seed(1), w1 (3, 2), w2 (1, 3)."""
    np.random.seed(1)
    w1 = 2 * np.random.random((3, 2)) - 1
    w2 = 2 * np.random.random((1, 3)) - 1
    return w1, w2


def test_reproduces_original_notebook():
    # Исходный шаг: w += 1 · (сумма по 4 примерам). У нас E — среднее, поэтому η = 4 · 1.
    X, A = ds.xor()
    net = bp.Network.from_weights(seed_matrices(), biases=None)
    history = net.fit(X, A, epochs=80_000, learning_rate=4.0, progress=False)
    assert np.array_equal(np.round(net.predict_proba(X), 4), [[0.0288, 0.9774, 0.9774, 0.0317]])
    assert history.shape == (80_000,) and history[-1] < history[0]


def test_fit_step_is_the_original_update():
    # Один шаг fit совпадает с циклом исходного ноутбука (знак и масштаб градиента).
    X, A = ds.xor()
    w1, w2 = seed_matrices()
    net = bp.Network.from_weights([w1, w2])
    net.fit(X, A, epochs=1, learning_rate=4.0, progress=False)
    hide = bp.sigmoid(w1 @ X)
    out = bp.sigmoid(w2 @ hide)
    e_out = (A - out) * out * (1 - out)
    e_hide = (w2.T @ e_out) * hide * (1 - hide)
    np.testing.assert_allclose(net.weights[1], w2 + e_out @ hide.T, rtol=1e-12)
    np.testing.assert_allclose(net.weights[0], w1 + e_hide @ X.T, rtol=1e-12)


def test_tau_terms_match_notation_table():
    # τ_out = (Y − A) Y (1 − Y), τ_in = (W.T τ_out) X (1 − X), dW = τ_out hidden.T / N — таблица обозначений.
    rng = np.random.default_rng(0)
    net = bp.Network([2, 3, 1], seed=1)
    X, A = rng.normal(size=(2, 5)), rng.uniform(size=(1, 5))
    _, hidden, Y = net.forward(X)
    tau_in, tau_out = net.tau_terms(X, A)
    W = net.weights[1]
    np.testing.assert_allclose(tau_out, (Y - A) * Y * (1 - Y))
    np.testing.assert_allclose(tau_in, (W.T @ tau_out) * hidden * (1 - hidden))
    (dV, dW), (dbj, dbi) = net.gradients(X, A)
    np.testing.assert_allclose(dW, tau_out @ hidden.T / 5)
    np.testing.assert_allclose(dV, tau_in @ X.T / 5)
    np.testing.assert_allclose(dbi, tau_out.sum(axis=1, keepdims=True) / 5)
    np.testing.assert_allclose(net.loss(X, A), 0.5 * np.sum((Y - A) ** 2) / 5)


def random_case(seed, n_weight_layers, biases, n_samples):
    rng = np.random.default_rng(seed)
    sizes = list(rng.integers(1, 6, size=n_weight_layers + 1))
    net = bp.Network(sizes, seed=seed)
    if biases:
        net.biases = [rng.normal(0, 0.5, size=b.shape) for b in net.biases]
    else:
        net = bp.Network.from_weights(net.weights, biases=None)
    X = rng.normal(size=(sizes[0], n_samples))
    A = rng.uniform(size=(sizes[-1], n_samples))
    return net, X, A


@pytest.mark.parametrize("n_samples", [1, 7])
@pytest.mark.parametrize("biases", [True, False])
@pytest.mark.parametrize("n_weight_layers", [1, 2, 3, 4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_finite_differences(seed, n_weight_layers, biases, n_samples):
    # Относительная ошибка верного градиента в float64 — порядка 1e-10; 1e-3 означала бы ошибку в формулах.
    net, X, A = random_case(seed, n_weight_layers, biases, n_samples)
    dW, db = net.gradients(X, A)
    nW, nb = bp.numerical_gradients(net, X, A)
    assert len(dW) == n_weight_layers
    for k in range(n_weight_layers):
        assert dW[k].shape == net.weights[k].shape
        assert bp.relative_error(dW[k], nW[k]) < 1e-7, f"слой {k}"
    if biases:
        for k in range(n_weight_layers):
            assert db[k].shape == net.biases[k].shape
            assert bp.relative_error(db[k], nb[k]) < 1e-7, f"смещения слоя {k}"
    else:
        assert db is None and nb is None


def test_gradient_check_notices_a_wrong_formula():
    # Проверка не тавтологична: без множителя σ' в τ_in разности сразу видят ошибку.
    net, X, A = random_case(3, 2, True, 7)
    nW, _ = bp.numerical_gradients(net, X, A)
    outputs = net.forward(X)
    tau_out = (outputs[2] - A) * outputs[2] * (1 - outputs[2])
    wrong_tau_in = net.weights[1].T @ tau_out
    assert bp.relative_error(wrong_tau_in @ X.T / 7, nW[0]) > 1e-2


def test_sigmoid_is_stable_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # потеря порядка у e^(−1000) — норма
            s = bp.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert s[0] == 0.0 and s[1] == 0.5 and s[2] == 1.0        # σ(−1000) ≈ 5e-435 — меньше любого float64


def test_shapes_and_predictions():
    net = bp.Network([2, 4, 3], seed=0)
    assert [W.shape for W in net.weights] == [(4, 2), (3, 4)]
    assert [b.shape for b in net.biases] == [(4, 1), (3, 1)]
    X = np.random.default_rng(0).normal(size=(2, 6))
    outputs = net.forward(X)
    assert [o.shape for o in outputs] == [(2, 6), (4, 6), (3, 6)]
    assert np.array_equal(net.predict(X), net.predict_proba(X).argmax(axis=0))
    one = bp.Network([2, 3, 1], seed=0)
    assert np.array_equal(one.predict(X), (one.predict_proba(X)[0] > 0.5).astype(int))
    assert one.predict(X).shape == (6,)


def test_seed_makes_networks_reproducible():
    a, b, c = bp.Network([3, 5, 2], seed=7), bp.Network([3, 5, 2], seed=7), bp.Network([3, 5, 2], seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_from_weights_copies():
    w1, w2 = seed_matrices()
    b = [np.zeros((3, 1)), np.zeros((1, 1))]
    net = bp.Network.from_weights([w1, w2], b)
    net.fit(*ds.xor(), epochs=3, learning_rate=1.0, progress=False)
    fresh = seed_matrices()
    assert np.array_equal(w1, fresh[0]) and np.array_equal(w2, fresh[1]) and not b[0].any()
    assert not np.array_equal(net.weights[0], w1) and net.biases[0].any()


def test_fit_does_not_modify_inputs_and_minibatches_work():
    rng = np.random.default_rng(0)
    X, A = rng.normal(size=(2, 50)), rng.integers(0, 2, size=(1, 50)).astype(float)
    X0, A0 = X.copy(), A.copy()
    net = bp.Network([2, 4, 1], seed=0)
    seen = []
    history = net.fit(X, A, epochs=20, learning_rate=2.0, batch_size=16, progress=False,
                      callback=lambda n, epoch, loss: seen.append((epoch, loss)))
    assert np.array_equal(X, X0) and np.array_equal(A, A0)
    assert history.shape == (20,) and [e for e, _ in seen] == list(range(20))
    assert history[-1] < history[0]


def test_fit_shows_progress_bar_that_can_be_turned_off(capsys):
    X, A = ds.xor()
    bp.Network([2, 3, 1], seed=0).fit(X, A, epochs=50, learning_rate=1.0, progress=False)
    assert capsys.readouterr() == ("", "")
    history = bp.Network([2, 3, 1], seed=0).fit(X, A, epochs=50, learning_rate=1.0, progress=True)
    out, err = capsys.readouterr()
    assert "50/50" in err
    # итог печатается обычным текстом: его видно и там, где виджет полосы не показывается
    assert out == f"обучение: 50 эпох, E: {history[0]:.4g} → {history[-1]:.4g}\n"


def test_improved_setting_learns_xor():
    X, A = ds.xor()
    net = bp.Network([2, 3, 1], seed=0)
    net.fit(X, A, epochs=1000, learning_rate=20.0, progress=False)
    assert np.array_equal(net.predict(X), [0, 1, 1, 0])


# ----- плохой вход: понятная ошибка, сеть не меняется -------------------------------------------

def snapshot(net):
    return [W.copy() for W in net.weights] + [b.copy() for b in net.biases]


GOOD_X = np.array([[0.0, 1.0], [1.0, 0.0]])
GOOD_A = np.array([[1.0, 0.0]])


@pytest.mark.parametrize("X, A, error, words", [
    (np.ones((3, 2)), GOOD_A, ValueError, "ожидается 2 строк"),
    (GOOD_X, np.ones((2, 2)), ValueError, "ожидается 1 строк"),
    (np.ones((2, 3)), GOOD_A, ValueError, "разное число примеров"),
    (np.array([[np.nan, 1.0], [1.0, 0.0]]), GOOD_A, ValueError, "NaN или inf"),
    (GOOD_X, np.array([[np.inf, 0.0]]), ValueError, "NaN или inf"),
    (np.ones(2), GOOD_A, ValueError, "двумерный"),
    (np.array([["a", "b"], ["c", "d"]]), GOOD_A, TypeError, "числовой"),
    (GOOD_X, np.array([[None, 1]], dtype=object), TypeError, "числовой"),
])
def test_bad_data_raises_before_any_change(X, A, error, words):
    net = bp.Network([2, 3, 1], seed=0)
    before = snapshot(net)
    X_before = X.copy()
    for call in (lambda: net.fit(X, A, epochs=1, learning_rate=1.0, progress=False),
                 lambda: net.gradients(X, A), lambda: net.loss(X, A), lambda: net.tau_terms(X, A),
                 lambda: bp.numerical_gradients(net, X, A)):
        with pytest.raises(error, match=words):
            call()
    assert all(np.array_equal(x, y) for x, y in zip(before, snapshot(net)))
    assert np.array_equal(X, X_before, equal_nan=X.dtype.kind == "f")


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(epochs=0, learning_rate=1.0), ValueError, "epochs: ожидается целое число от 1"),
    (dict(epochs=10**12, learning_rate=1.0), ValueError, "epochs: ожидается целое число от 1 до"),
    (dict(epochs=10**400, learning_rate=1.0), ValueError, "epochs: ожидается целое число от 1 до"),
    (dict(epochs=2.5, learning_rate=1.0), TypeError, "epochs: ожидается целое число"),
    (dict(epochs=True, learning_rate=1.0), TypeError, "epochs"),
    (dict(epochs=None, learning_rate=1.0), TypeError, "epochs"),
    (dict(epochs=5, learning_rate=0.0), ValueError, "learning_rate: ожидается положительное"),
    (dict(epochs=5, learning_rate=-1.0), ValueError, "learning_rate"),
    (dict(epochs=5, learning_rate=float("nan")), ValueError, "learning_rate"),
    (dict(epochs=5, learning_rate=10**400), ValueError, "learning_rate"),
    (dict(epochs=5, learning_rate="0.1"), TypeError, "learning_rate: ожидается число"),
    (dict(epochs=5, learning_rate=1.0, batch_size=3), ValueError, "batch_size: ожидается целое число от 1 до 2"),
    (dict(epochs=5, learning_rate=1.0, batch_size=0), ValueError, "batch_size"),
    (dict(epochs=5, learning_rate=1.0, progress="да"), TypeError, "progress: ожидается True или False"),
    (dict(epochs=5, learning_rate=1.0, callback=5), TypeError, "callback: ожидается функция"),
])
def test_bad_training_arguments(kwargs, error, words):
    net = bp.Network([2, 3, 1], seed=0)
    before = snapshot(net)
    with pytest.raises(error, match=words):
        net.fit(GOOD_X, GOOD_A, **{"progress": False, **kwargs})
    assert all(np.array_equal(x, y) for x, y in zip(before, snapshot(net)))


@pytest.mark.parametrize("sizes, words", [
    ([3], "хотя бы два размера"),
    ([], "хотя бы два размера"),
    ([2, 0, 1], "не меньше 1"),
    ([2, -3, 1], "не меньше 1"),
    ([2, 2.5, 1], "целое"),
])
def test_bad_layer_sizes(sizes, words):
    with pytest.raises(ValueError, match=words):
        bp.Network(sizes)


def test_weights_that_do_not_chain_and_bad_biases():
    w1, w2 = seed_matrices()
    with pytest.raises(ValueError, match=r"не стыкуется .* ожидается 3 столбцов"):
        bp.Network.from_weights([w1, np.ones((1, 2))])
    with pytest.raises(ValueError, match=r"biases\[1\]: ожидается форма \(1, 1\)"):
        bp.Network.from_weights([w1, w2], [np.zeros((3, 1)), np.zeros((3, 1))])
    with pytest.raises(ValueError, match=r"biases\[0\]: ожидается форма \(3, 1\)"):
        bp.Network.from_weights([w1, w2], [np.zeros(3), np.zeros((1, 1))])
    with pytest.raises(ValueError, match="ожидается 2 столбцов смещений"):
        bp.Network.from_weights([w1, w2], [np.zeros((3, 1))])
    with pytest.raises(ValueError, match="NaN или inf"):
        bp.Network.from_weights([w1, np.full((1, 3), np.nan)])
    with pytest.raises(TypeError, match="числовой"):
        bp.Network.from_weights([w1, np.array([["x", "y", "z"]])])


def test_bad_activation_and_loss_names():
    with pytest.raises(ValueError, match="неизвестная активация"):
        bp.Network([2, 2, 1], activations="step")
    with pytest.raises(ValueError, match="loss"):
        bp.Network([2, 2, 1], loss="hinge")
    with pytest.raises(ValueError, match="softmax допустим только в выходном"):
        bp.Network([2, 2, 2], activations=["softmax", "softmax"], loss="cross_entropy")
