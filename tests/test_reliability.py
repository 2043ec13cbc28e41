"""Модуль не ошибается молча: проверки с независимыми эталонами и крайние случаи.

Эталоны здесь не берут ничего из модуля, кроме проверяемого: исходный цикл со своей сигмоидой через e^(−s),
свой прямой проход и свои конечные разности. Крайние случаи — те, на которых ошибка в коде давала бы
правдоподобное, но неверное число: насыщение, огромные логиты, Y = 0.5 ровно, расходящееся обучение.
"""
import math

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds, settings as cfg


# ----- независимые эталоны -----------------------------------------------------------------------

def exp_sigmoid(s):
    return 1.0 / (1.0 + np.exp(-s))


def test_module_reproduces_the_original_loop_with_its_own_sigmoid():
    """Цикл исходного ноутбука как есть (σ через e^(−s), сумма градиентов, шаг 1, err = y − out, +=)
    и модуль с learning_rate = 4 (E — среднее по 4 примерам) дают те же веса."""
    X, A = ds.xor()
    legacy = np.random.RandomState(cfg.XOR_ORIGINAL["legacy_seed"])
    w1 = 2 * legacy.random_sample((3, 2)) - 1
    w2 = 2 * legacy.random_sample((1, 3)) - 1
    net = bp.Network.from_weights([w1, w2])
    net.fit(X, A, epochs=3000, learning_rate=4, progress=False)
    for _ in range(3000):
        hide = exp_sigmoid(w1 @ X)
        out = exp_sigmoid(w2 @ hide)
        err = A - out
        e_out = err * out * (1 - out)
        e_hide = (w2.T @ e_out) * hide * (1 - hide)
        w2 += e_out @ hide.T
        w1 += e_hide @ X.T
    np.testing.assert_allclose(net.weights[0], w1, atol=1e-12)
    np.testing.assert_allclose(net.weights[1], w2, atol=1e-12)


ACTS = {"sigmoid": exp_sigmoid, "tanh": np.tanh, "linear": lambda s: s}


def own_loss(weights, biases, hidden, output, loss, X, A):
    """Свой прямой проход и своя функция потерь — без единой строки модуля."""
    out = X
    for k, (W, b) in enumerate(zip(weights, biases)):
        s = W @ out + b
        if k < len(weights) - 1:
            out = ACTS[hidden](s)
        elif output == "softmax":
            e = np.exp(s - s.max(axis=0))
            out = e / e.sum(axis=0)
        else:
            out = ACTS[output](s)
    n = X.shape[1]
    if loss == "mse":
        return 0.5 * np.sum((out - A) ** 2) / n
    if output == "softmax":
        return -np.sum(A * np.log(out)) / n
    return -np.sum(A * np.log(out) + (1 - A) * np.log(1 - out)) / n


def own_finite_differences(net, X, A, hidden, output, loss, eps=1e-5):
    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    grads = []
    for P in weights + biases:
        G = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + eps
            plus = own_loss(weights, biases, hidden, output, loss, X, A)
            P[idx] = old - eps
            minus = own_loss(weights, biases, hidden, output, loss, X, A)
            P[idx] = old
            G[idx] = (plus - minus) / (2 * eps)
        grads.append(G)
    return grads


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh"])
@pytest.mark.parametrize("output, loss", [("sigmoid", "mse"), ("linear", "mse"), ("sigmoid", "cross_entropy"),
                                          ("softmax", "cross_entropy")])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_gradients_match_finite_differences_written_here(hidden, output, loss, depth):
    rng = np.random.default_rng(depth)
    sizes = [3] + [4] * depth + [3]
    net = bp.Network(sizes, seed=depth, activations=[hidden] * depth + [output], loss=loss)
    net.biases = [rng.normal(0, 0.5, size=b.shape) for b in net.biases]
    X = rng.normal(size=(3, 5))
    A = rng.dirichlet(np.ones(3), size=5).T if output == "softmax" else rng.uniform(size=(3, 5))
    dW, db = net.gradients(X, A)
    numeric = own_finite_differences(net, X, A, hidden, output, loss)
    for analytic, estimate in zip(dW + db, numeric):
        err = np.linalg.norm(analytic - estimate) / (np.linalg.norm(analytic) + np.linalg.norm(estimate))
        assert err < 1e-7, (hidden, output, loss, depth, err)


# ----- крайние случаи ----------------------------------------------------------------------------

def test_sigmoid_is_accurate_in_both_tails():
    for s in (-700.0, -100.0, -40.0, -36.0, -30.0, -5.0, 0.0, 5.0, 36.0, 40.0):
        true = math.exp(s) / (1 + math.exp(s)) if s < 0 else 1 / (1 + math.exp(-s))
        got = float(bp.sigmoid(np.array([s]))[0])
        assert got == pytest.approx(true, rel=1e-14, abs=0), s
    assert bp.sigmoid(np.array([-1000.0]))[0] == 0.0 and bp.sigmoid(np.array([1000.0]))[0] == 1.0


def test_softmax_survives_huge_logits():
    Y = bp.softmax(np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]]))
    np.testing.assert_allclose(Y, [[1, 0], [0, 0], [0, 1]], atol=1e-300)
    assert np.isfinite(Y).all()


@pytest.mark.parametrize("logit", [40.0, 100.0, 800.0])
def test_cross_entropy_is_exact_at_saturation(logit):
    """σ(S) округляется до 1, но E = ln(1 + e^S) − a S считается по S: E(S = 40, a = 0) = 40, а не 708."""
    net = bp.Network.from_weights([[[logit]]], loss="cross_entropy")
    E = net.loss([[1.0]], [[0.0]])
    assert E == pytest.approx(logit + math.log1p(math.exp(-logit)), rel=1e-15)
    dW, _ = net.gradients([[1.0]], [[0.0]])
    num, _ = bp.numerical_gradients(net, [[1.0]], [[0.0]])
    assert dW[0][0, 0] == pytest.approx(1.0) and num[0][0, 0] == pytest.approx(1.0, rel=1e-6)


def test_softmax_cross_entropy_is_exact_for_a_large_logit_gap():
    net = bp.Network.from_weights([[[400.0], [-400.0]]], activations="softmax", loss="cross_entropy")
    E = net.loss([[1.0]], [[0.0], [1.0]])           # правильный класс получил логит на 800 меньше
    assert E == pytest.approx(800.0, rel=1e-15)


def test_predict_at_exactly_one_half_is_class_0():
    net = bp.Network.from_weights([np.zeros((1, 2))], [np.zeros((1, 1))])
    assert net.predict_proba(np.ones((2, 3)))[0, 0] == 0.5
    assert net.predict(np.ones((2, 3))).tolist() == [0, 0, 0]


def test_non_finite_results_raise_instead_of_returning():
    linear = bp.Network.from_weights([np.full((3, 2), 1e200), np.full((1, 3), 1e200)],
                                     activations=["linear", "linear"])
    big = np.full((2, 1), 1e200)
    for call in (lambda: linear.forward(big), lambda: linear.predict(big), lambda: linear.loss(big, [[0.0]]),
                 lambda: linear.gradients(big, [[0.0]])):
        with pytest.raises(ValueError, match="inf или NaN|слишком велики"):
            call()
    net = bp.Network([2, 1], seed=0, activations="linear")
    with pytest.raises(ValueError, match="слишком велики"):
        net.loss(np.ones((2, 1)), [[1e200]])


def test_divergence_stops_fit_and_leaves_the_net_before_the_bad_step():
    X = np.array([[1.0, 2.0, 3.0]])
    A = np.array([[2.0, 4.0, 6.0]])
    net = bp.Network.from_weights([[[0.5]]], [[[0.0]]], activations="linear")
    seen = []
    with pytest.raises(ValueError, match=r"обучение разошлось на эпохе \d+.*Уменьшите learning_rate"):
        net.fit(X, A, epochs=1000, learning_rate=50.0, progress=False,
                callback=lambda n, epoch, E: seen.append((n.weights[0].copy(), n.biases[0].copy())))
    assert len(seen) < 1000 and np.isfinite(net.loss(X, A))
    # сеть — та, при которой E ещё было конечным: веса после предпоследней записанной эпохи
    W, b = seen[-2]
    assert np.array_equal(net.weights[0], W) and np.array_equal(net.biases[0], b)


def test_callback_that_is_not_callable_is_refused_before_training():
    net = bp.Network([2, 3, 1], seed=0)
    before = [W.copy() for W in net.weights]
    with pytest.raises(TypeError, match="callback"):
        net.fit(*ds.xor(), epochs=3, learning_rate=0.5, progress=False, callback=5)
    assert all(np.array_equal(W, V) for W, V in zip(before, net.weights))


@pytest.mark.parametrize("call, words", [
    (lambda: bp.Network([2, 10**12, 1]), "ГиБ памяти"),
    (lambda: bp.Network([2, 3, 1]).fit(*ds.xor(), epochs=10**12, learning_rate=1.0), "epochs"),
    (lambda: bp.Network(5), "layer_sizes: ожидается список"),
    (lambda: bp.Network([2, 3, 1], activations=None), "activations: ожидается имя"),
    (lambda: bp.Network([2, 3, 1], seed="abc"), "seed: ожидается целое"),
    (lambda: bp.Network([2, 1], activations="softmax", loss="cross_entropy"), "не меньше 2 нейронов"),
    (lambda: bp.numerical_gradients(bp.Network([2, 1], seed=0), *ds.xor(), eps=0), "eps"),
    (lambda: bp.numerical_gradients(bp.Network([2, 1], seed=0), *ds.xor(), eps=float("inf")), "eps"),
    (lambda: bp.numerical_gradients(bp.Network([2, 1], seed=0), *ds.xor(), eps=None), "eps"),
    (lambda: bp.relative_error(np.ones((3, 1)), np.ones((1, 3))), "одной формы"),
    (lambda: bp.relative_error(np.nan, 1.0), "NaN"),
    (lambda: ds.confusion_matrix([0], [-1]), "predicted: метки"),
    (lambda: ds.confusion_matrix([10], [0]), "true: метки"),
    (lambda: ds.confusion_matrix([0.5], [0]), "true: ожидается одномерный массив целых"),
    (lambda: ds.accuracy(bp.Network([2, 1], seed=0), np.ones((2, 3)), np.ones((3, 1))), "ожидается форма"),
    (lambda: bp.Network([2, 1], seed=0).loss(np.ones((2, 3)), np.ones(3)), r"a.reshape\(1, -1\)"),
    (lambda: bp.Network.from_weights([[[1.0, 2.0], [3.0]]]), "неровный список"),
    (lambda: bp.Network.from_weights([[[10**400]]]), "вне диапазона float64"),
])
def test_odd_calls_get_a_clear_message(call, words):
    with pytest.raises((TypeError, ValueError), match=words):
        call()


# ----- воспроизводимость -------------------------------------------------------------------------

def test_copy_with_a_seed_trains_the_same_way_every_time():
    X, A = cfg.boundary_data("moons", n_train=40, n_test=10)[:2]
    net = cfg.boundary_network("moons")
    histories = [net.copy(seed=3).fit(X, A, epochs=3, learning_rate=1.0, batch_size=1, progress=False)
                 for _ in range(5)]
    assert all(np.array_equal(h, histories[0]) for h in histories)
    unseeded = [net.copy().fit(X, A, epochs=3, learning_rate=1.0, batch_size=1, progress=False) for _ in range(3)]
    assert all(np.array_equal(h, unseeded[0]) for h in unseeded)      # копия берёт состояние генератора
    again = bp.Network.from_weights(net.weights, net.biases, net.activations, net.loss_name, seed=3)
    assert np.array_equal(again.fit(X, A, epochs=3, learning_rate=1.0, batch_size=1, progress=False), histories[0])
