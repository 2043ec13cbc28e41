"""Оптимизаторы и L2-регуляризация модуля backprop (ноутбук 07).

Шаг каждого оптимизатора сверяется с вычислением вручную: по числам и по градиентам net.gradients,
шаг за шагом, без кода оптимизаторов. L2: градиент gradients + l2_gradients против конечных разностей
функции E + λ/2 Σ‖W‖², смещения не штрафуются. Гонка на XOR (rc.xor_race) — те же эпохи, что у Network.fit.
Проверки аргументов: понятный отказ по-русски до любых изменений сети.
"""
import math

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds
from backprop_course import exercises as ex
from backprop_course import settings as cfg
from backprop_course import race as rc


def small_net(seed=0, biases=True, activations=("tanh", "sigmoid"), loss="mse"):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(3, 2)), rng.normal(size=(1, 3))]
    b = [rng.normal(scale=0.5, size=(3, 1)), rng.normal(scale=0.5, size=(1, 1))] if biases else None
    return bp.Network.from_weights(weights, b, activations=list(activations), loss=loss)


def params(net):
    return [P.copy() for P in net.weights + (net.biases or [])]


# ----- шаг каждого оптимизатора: числа вручную ----------------------------------------------------------

def test_momentum_update_by_hand():
    # v ← β v + g = 0.9 · 0.5 + 2 = 2.45;  w ← w − η v = 1 − 0.1 · 2.45 = 0.755
    state = {"v": [np.array([0.5])]}
    new = bp.Momentum(beta=0.9).update([np.array([1.0])], [np.array([2.0])], state, 0.1)
    assert np.allclose(new[0], [0.755]) and np.allclose(state["v"][0], [2.45])


def test_adam_first_two_steps_by_hand():
    # t = 1: m = 0.1 g, s = 0.001 g², m̂ = g, ŝ = g² — шаг η g / (|g| + ε) ≈ η по знаку g
    opt = bp.Adam()
    w, g = np.array([1.0, -2.0]), np.array([4.0, -0.001])
    state = opt.start([w])
    w1 = opt.update([w], [g], state, 0.01)[0]
    assert np.allclose(w1, w - 0.01 * g / (np.abs(g) + 1e-8))
    assert np.allclose(np.abs(w1 - w), 0.01, rtol=1e-4)           # каждый вес — на η
    # t = 2, g2: m = 0.9 · 0.1 g + 0.1 g2, s = 0.999 · 0.001 g² + 0.001 g2²
    g2 = np.array([1.0, 3.0])
    m = 0.9 * 0.1 * g + 0.1 * g2
    s = 0.999 * 0.001 * g ** 2 + 0.001 * g2 ** 2
    m_hat, s_hat = m / (1 - 0.9 ** 2), s / (1 - 0.999 ** 2)
    w2 = opt.update([w1], [g2], state, 0.01)[0]
    assert np.allclose(w2, w1 - 0.01 * m_hat / (np.sqrt(s_hat) + 1e-8), rtol=1e-12, atol=0)
    assert state["t"] == 2


def test_sgd_update_by_hand():
    new = bp.SGD().update([np.array([[1.0, 2.0]])], [np.array([[0.5, -1.0]])], {}, 0.2)
    assert np.array_equal(new[0], [[0.9, 2.2]])


def test_updates_make_new_arrays_and_keep_the_old_ones():
    """fit возвращает сеть на шаг назад при расхождении: старые массивы параметров не должны меняться."""
    for opt in (bp.SGD(), bp.Momentum(), bp.Adam()):
        w, g = np.ones((2, 2)), np.full((2, 2), 0.5)
        state = opt.start([w])
        new = opt.update([w], [g], state, 0.1)
        assert new[0] is not w and np.array_equal(w, np.ones((2, 2)))


# ----- шаг fit против вычисления по net.gradients ------------------------------------------------------

def hand_training(net, X, A, steps, learning_rate, rule, weight_decay=0.0):
    """Полный пакет, шаг за шагом по net.gradients: rule(k, параметры, градиенты, память) -> новые параметры."""
    net = net.copy()
    memory = {}
    for k in range(1, steps + 1):
        dW, db = net.gradients(X, A)
        grads = [d + weight_decay * W for d, W in zip(dW, net.weights)] + (db or [])
        new = rule(k, params(net), grads, memory, learning_rate)
        n = len(net.weights)
        net = bp.Network.from_weights(new[:n], new[n:] if net.biases is not None else None,
                                      activations=net.activations, loss=net.loss_name)
    return params(net)


def sgd_rule(k, P, G, memory, lr):
    return [p - lr * g for p, g in zip(P, G)]


def momentum_rule(beta):
    def rule(k, P, G, memory, lr):
        v = memory.setdefault("v", [np.zeros_like(p) for p in P])
        memory["v"] = [beta * vk + g for vk, g in zip(v, G)]
        return [p - lr * vk for p, vk in zip(P, memory["v"])]
    return rule


def adam_rule(beta1=0.9, beta2=0.999, eps=1e-8):
    def rule(k, P, G, memory, lr):
        m = memory.setdefault("m", [np.zeros_like(p) for p in P])
        s = memory.setdefault("s", [np.zeros_like(p) for p in P])
        memory["m"] = [beta1 * mk + (1 - beta1) * g for mk, g in zip(m, G)]
        memory["s"] = [beta2 * sk + (1 - beta2) * g * g for sk, g in zip(s, G)]
        return [p - lr * (mk / (1 - beta1 ** k)) / (np.sqrt(sk / (1 - beta2 ** k)) + eps)
                for p, mk, sk in zip(P, memory["m"], memory["s"])]
    return rule


CASES = {
    "SGD": (bp.SGD(), sgd_rule, 0.5),
    "Momentum": (bp.Momentum(beta=0.8), momentum_rule(0.8), 0.5),
    "Adam": (bp.Adam(beta1=0.85, beta2=0.99, eps=1e-6), adam_rule(0.85, 0.99, 1e-6), 0.05),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
@pytest.mark.parametrize("biases", [True, False])
def test_fit_steps_are_the_hand_computation(name, weight_decay, biases):
    opt, rule, lr = CASES[name]
    X, A = ds.xor()
    net = small_net(biases=biases)
    expected = hand_training(net, X, A, 5, lr, rule, weight_decay)
    trained = net.copy()
    trained.fit(X, A, epochs=5, learning_rate=lr, optimizer=opt, weight_decay=weight_decay, progress=False)
    for got, want in zip(params(trained), expected):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_sgd_record_is_plain_gradient_descent_bit_for_bit():
    X, A = ds.xor()
    a, b = small_net(), small_net()
    ha = a.fit(X, A, epochs=50, learning_rate=2.0, progress=False)
    hb = b.fit(X, A, epochs=50, learning_rate=2.0, optimizer=bp.SGD(), progress=False)
    assert np.array_equal(ha, hb) and all(np.array_equal(p, q) for p, q in zip(params(a), params(b)))


def test_momentum_with_beta_zero_is_gradient_descent():
    X, A = ds.xor()
    a, b = small_net(), small_net()
    a.fit(X, A, epochs=20, learning_rate=1.0, progress=False)
    b.fit(X, A, epochs=20, learning_rate=1.0, optimizer=bp.Momentum(beta=0.0), progress=False)
    for p, q in zip(params(a), params(b)):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_optimizer_state_starts_from_zero_in_each_fit_call():
    """Два вызова fit по одной эпохе с импульсом — это два первых шага, а не два шага подряд с памятью."""
    X, A = ds.xor()
    net = small_net()
    twice = net.copy()
    twice.fit(X, A, epochs=1, learning_rate=0.5, optimizer=bp.Momentum(), progress=False)
    twice.fit(X, A, epochs=1, learning_rate=0.5, optimizer=bp.Momentum(), progress=False)
    expected = hand_training(net, X, A, 1, 0.5, sgd_rule)
    after_one = bp.Network.from_weights(expected[:2], expected[2:], activations=net.activations, loss=net.loss_name)
    expected = hand_training(after_one, X, A, 1, 0.5, sgd_rule)
    for got, want in zip(params(twice), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_minibatches_with_optimizer_use_the_network_generator():
    X, A = ds.moons(60, seed=0)
    a = bp.Network([2, 5, 1], seed=3)
    b = bp.Network([2, 5, 1], seed=3)
    ha = a.fit(X, A, epochs=3, learning_rate=0.01, batch_size=7, optimizer=bp.Adam(), progress=False)
    hb = b.fit(X, A, epochs=3, learning_rate=0.01, batch_size=7, optimizer=bp.Adam(), progress=False)
    assert np.array_equal(ha, hb) and ha[-1] < ha[0]


# ----- L2 ------------------------------------------------------------------------------------------------

L2_NETS = {
    "σ, mse": dict(activations=("sigmoid", "sigmoid"), loss="mse"),
    "tanh, перекрёстная энтропия": dict(activations=("tanh", "sigmoid"), loss="cross_entropy"),
}


@pytest.mark.parametrize("name", list(L2_NETS))
@pytest.mark.parametrize("weight_decay", [1e-3, 0.3])
def test_l2_gradient_against_finite_differences(name, weight_decay):
    rng = np.random.default_rng(5)
    net = small_net(seed=2, **L2_NETS[name])
    X, A = rng.normal(size=(2, 6)), rng.uniform(size=(1, 6))
    dW, db = net.gradients(X, A)
    l2 = bp.l2_gradients(net, weight_decay)
    num_dW, num_db = bp.numerical_gradients(net, X, A, weight_decay=weight_decay)
    for d, g, n in zip(dW, l2, num_dW):
        assert bp.relative_error(d + g, n) < 1e-8            # ∂E/∂w = τ X + λ w
    for d, n in zip(db, num_db):
        assert bp.relative_error(d, n) < 1e-8                # смещения без штрафа


def test_l2_penalty_is_half_lambda_sum_of_squared_weights_without_biases():
    net = small_net()
    expected = 0.5 * 0.2 * sum(float((W ** 2).sum()) for W in net.weights)
    assert math.isclose(bp.l2_penalty(net, 0.2), expected)
    X, A = ds.xor()
    assert math.isclose(net.loss(X, A, weight_decay=0.2), net.loss(X, A) + expected)
    assert net.loss(X, A, weight_decay=0.0) == net.loss(X, A)
    net.biases[0] += 100.0                                   # смещения не входят в штраф
    assert math.isclose(bp.l2_penalty(net, 0.2), expected)


def test_fit_history_with_weight_decay_is_the_penalised_loss():
    X, A = ds.xor()
    net = small_net()
    before = net.loss(X, A, weight_decay=0.05)
    history = net.copy().fit(X, A, epochs=3, learning_rate=1.0, weight_decay=0.05, progress=False)
    assert math.isclose(history[0], before, rel_tol=1e-12)


def test_weight_decay_shrinks_weights_not_biases_when_the_data_gradient_is_zero():
    """Сеть, у которой градиент E равен 0 (A = её собственный выход): шаг — только (1 − ηλ) w."""
    X, _ = ds.xor()
    net = small_net(loss="mse")
    A = net.predict_proba(X)
    before = params(net)
    net.fit(X, A, epochs=1, learning_rate=0.5, weight_decay=0.2, progress=False)
    for got, W in zip(net.weights, before[:2]):
        np.testing.assert_allclose(got, (1 - 0.5 * 0.2) * W, rtol=1e-12)
    for got, b in zip(net.biases, before[2:]):
        np.testing.assert_allclose(got, b, rtol=1e-12)


# ----- проверки аргументов --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    ({"optimizer": bp.Adam}, r"bp.Adam\(\), а не bp.Adam"),
    ({"optimizer": "adam"}, "optimizer: ожидается bp.SGD"),
    ({"optimizer": 0.9}, "optimizer: ожидается"),
    ({"weight_decay": -1e-3}, "weight_decay: ожидается число λ ≥ 0"),
    ({"weight_decay": float("nan")}, "weight_decay"),
    ({"weight_decay": True}, "weight_decay: ожидается число"),
    ({"weight_decay": "1e-4"}, "weight_decay: ожидается число"),
])
def test_fit_refuses_bad_optimizer_or_weight_decay_before_training(kwargs, words):
    X, A = ds.xor()
    net = small_net()
    before = params(net)
    with pytest.raises((TypeError, ValueError), match=words):
        net.fit(X, A, epochs=2, learning_rate=0.5, progress=False, **kwargs)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net)))


@pytest.mark.parametrize("make, words", [
    (lambda: bp.Momentum(beta=1.0), "beta: ожидается число от 0"),
    (lambda: bp.Momentum(beta=-0.1), "beta: ожидается число от 0"),
    (lambda: bp.Momentum(beta="0.9"), "beta: ожидается число"),
    (lambda: bp.Adam(beta1=1.5), "beta1"),
    (lambda: bp.Adam(beta2=1.0), "beta2"),
    (lambda: bp.Adam(eps=0.0), "eps: ожидается положительное"),
    (lambda: bp.Adam(eps=float("inf")), "eps"),
    (lambda: bp.l2_penalty("net", 0.1), "net: ожидается сеть"),
    (lambda: bp.l2_gradients(small_net(), -1), "weight_decay"),
    (lambda: small_net().loss(*ds.xor(), weight_decay=-2), "weight_decay"),
    (lambda: bp.numerical_gradients(small_net(), *ds.xor(), weight_decay=None), "weight_decay"),
])
def test_odd_optimizer_arguments_get_a_clear_message(make, words):
    with pytest.raises((TypeError, ValueError), match=words):
        make()


def test_records_are_immutable_and_print_their_settings():
    opt = bp.Momentum(beta=0.5)
    with pytest.raises(Exception):
        opt.beta = 0.9
    assert repr(opt) == "Momentum(beta=0.5)" and isinstance(opt.beta, float)
    assert repr(bp.Adam()) == "Adam(beta1=0.9, beta2=0.999, eps=1e-08)"


def test_divergence_with_an_optimizer_leaves_the_net_before_the_bad_step():
    X = np.array([[1.0, 2.0, 3.0]])
    A = np.array([[2.0, 4.0, 6.0]])
    net = bp.Network.from_weights([[[0.5]]], [[[0.0]]], activations="linear")
    with pytest.raises(ValueError, match="обучение разошлось"):
        net.fit(X, A, epochs=1000, learning_rate=50.0, optimizer=bp.Momentum(), progress=False)
    assert np.isfinite(net.loss(X, A))


# ----- гонка на XOR: массивами — те же эпохи, что у Network.fit -------------------------------------------

def epochs_with_fit(seed, optimizer, learning_rate, biases, max_epochs):
    V, W = rc.original_xor_weights(seed)
    net = bp.Network.from_weights([V, W], [np.zeros((3, 1)), np.zeros((1, 1))] if biases else None)
    X, A = ds.xor()
    found = []

    class Reached(Exception):
        pass

    def check(n, epoch, loss):
        error = np.abs(n.predict_proba(X) - A)
        if error.mean() <= cfg.XOR_QUALITY and error.max() < 0.5:
            found.append(epoch + 1)
            raise Reached

    try:
        net.fit(X, A, epochs=max_epochs, learning_rate=learning_rate, optimizer=optimizer, progress=False,
                callback=check)
    except Reached:
        pass
    return found[0] if found else -1


def test_race_counts_the_same_epochs_as_network_fit():
    seeds = [5, 28, 42, 77]
    runs = [(opt, lr, biases) for biases in (False, True) for opt, lr in cfg.XOR_OPTIMIZERS.values()]
    race = rc.xor_race(runs, seeds=seeds, max_epochs=3000)
    reached = 0
    for (opt, lr, biases), got in zip(runs, race):
        want = [epochs_with_fit(s, opt, lr, biases, 3000) for s in seeds]
        assert list(got) == want, (opt, biases)
        reached += sum(w > 0 for w in want)
    assert reached >= 12                                     # сравнение не только «не дошли»


def test_original_weights_are_the_seed_notebooks():
    V, W = rc.original_xor_weights(cfg.XOR_ORIGINAL["legacy_seed"])
    np.random.seed(1)                                        # как в исходном ноутбуке
    assert np.array_equal(V, 2 * np.random.random((3, 2)) - 1) and np.array_equal(W, 2 * np.random.random((1, 3)) - 1)


def test_race_refuses_odd_runs():
    with pytest.raises(TypeError, match="runs\\[0\\]"):
        rc.xor_race([("adam", 0.1, True)])
    with pytest.raises(ValueError, match="η"):
        rc.xor_race([(bp.SGD(), -1.0, True)])
    with pytest.raises(ValueError, match="max_epochs"):
        rc.xor_race([(bp.SGD(), 1.0, True)], max_epochs=0)


# ----- упражнения ноутбука 07: типичные ошибки узнаются ---------------------------------------------------

MISTAKES = {
    "без скорости": ("momentum_step", lambda w, v, g, lr, beta: w - lr * g, "шаг градиентного спуска"),
    "без β": ("momentum_step", lambda w, v, g, lr, beta: w - lr * (v + g), "забыт множитель β"),
    "среднее": ("momentum_step", lambda w, v, g, lr, beta: w - lr * (beta * v + (1 - beta) * g),
                "скользящее среднее"),
    "η только у g": ("momentum_step", lambda w, v, g, lr, beta: w - (beta * v + lr * g), "η умножает только g"),
    "знак": ("momentum_step", lambda w, v, g, lr, beta: w + lr * (beta * v + g), "неверный знак"),
    "без штрафа": ("l2_gradient", lambda t, h, W, lam: t @ h.T / h.shape[1], "член λ W потерян"),
    "λ/2": ("l2_gradient", lambda t, h, W, lam: t @ h.T / h.shape[1] + lam / 2 * W, "у вас λ/2"),
    "λ W / N": ("l2_gradient", lambda t, h, W, lam: (t @ h.T + lam * W) / h.shape[1], "разделён на число примеров"),
    "L1": ("l2_gradient", lambda t, h, W, lam: t @ h.T / h.shape[1] + lam * np.sign(W), "L1"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_notebook07_mistakes_get_their_own_message(mistake):
    exercise, fn, phrase = MISTAKES[mistake]
    with pytest.raises(ex.CheckFailed) as info:
        getattr(ex, f"check_{exercise}")(fn)
    assert phrase in str(info.value) and "Что попробовать" in str(info.value)


@pytest.mark.parametrize("option", [1, 3, 4])
def test_adam_prediction_wrong_options_are_explained(option):
    with pytest.raises(ex.CheckFailed, match=f"вариант {option} неверен"):
        ex.check_adam_first_step(option)


def test_adam_prediction_is_what_adam_does():
    """Вариант 2: первый шаг сдвигает и вес с g = 0.001, и вес с g = 100 почти ровно на η = 0.01."""
    opt = bp.Adam()
    w, g = np.zeros(2), np.array([0.001, 100.0])
    step = w - opt.update([w], [g], opt.start([w]), 0.01)[0]
    assert np.allclose(step, 0.01, rtol=1e-4)
