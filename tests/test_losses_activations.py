"""Активации и функции ошибки (ноутбук 04): градиенты каждой допустимой пары против конечных разностей,
понятный отказ для недопустимых пар, перекрёстная энтропия учит XOR быстрее квадратичной ошибки."""
import itertools

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds, settings as cfg

# Пары (выход, функция потерь) и активации скрытых слоёв берутся из записей модуля: новая активация
# или функция потерь сразу попадает в проверку градиентов. test_registry_is_what_the_course_teaches
# следит, что записи — те, о которых говорит ноутбук 04.
HIDDEN = [name for name, act in bp.ACTIVATIONS.items() if not act.output_only]
OUTPUT_LOSS = [(output, name) for name, loss in bp.LOSSES.items() for output in loss.outputs]


def is_allowed(output, loss):
    try:
        bp.Network([2, 3], activations=[output], loss=loss)
    except ValueError:
        return False
    return True


def test_allowed_pairs_are_exactly_the_registered_ones():
    pairs = [(a, loss) for a, loss in itertools.product(bp.ACTIVATIONS, bp.LOSSES) if is_allowed(a, loss)]
    assert sorted(pairs) == sorted(OUTPUT_LOSS)


def test_registry_is_what_the_course_teaches():
    assert sorted(HIDDEN) == ["linear", "relu", "sigmoid", "tanh"]
    assert sorted(OUTPUT_LOSS) == sorted([("sigmoid", "mse"), ("tanh", "mse"), ("relu", "mse"), ("linear", "mse"),
                                          ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy")])
    for name, act in bp.ACTIVATIONS.items():
        assert act.name == name and callable(act.fn) and callable(act.init)
        assert act.output_only == (act.derivative is None), name    # без производной — только на выходе
    for name, loss in bp.LOSSES.items():
        assert loss.name == name and callable(loss.fn) and callable(loss.tau_out)
        assert set(loss.outputs) <= set(bp.ACTIVATIONS), name


def make_targets(rng, output, loss, shape):
    """Ответы из области значений выхода: для softmax — распределения (столбец в сумме 1)."""
    if output == "softmax":
        return rng.dirichlet(np.ones(shape[0]), size=shape[1]).T
    if output == "sigmoid":
        return rng.uniform(size=shape)
    if output == "tanh":
        return rng.uniform(-1, 1, size=shape)
    return rng.normal(size=shape)


def case(hidden, output, loss, n_weight_layers, seed, n_samples=6):
    rng = np.random.default_rng(seed)
    sizes = [3] + [4] * (n_weight_layers - 1) + [3]
    acts = list(hidden)[: n_weight_layers - 1] + [output]
    net = bp.Network(sizes, seed=seed, activations=acts, loss=loss)
    net.biases = [rng.normal(0, 0.5, size=b.shape) for b in net.biases]   # ненулевые смещения тоже проверяем
    if output == "relu":
        net.biases[-1] += 1.0     # выход ReLU не «мёртвый»: иначе градиент нулевой и проверять нечего
    X = rng.normal(size=(3, n_samples))
    return net, X, make_targets(rng, output, loss, (3, n_samples))


GRID = [(hidden, output, loss, depth)
        for depth in (1, 2, 3, 4)
        for hidden in (HIDDEN if depth > 1 else ["-"])
        for output, loss in OUTPUT_LOSS]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("hidden, output, loss, depth", GRID)
def test_gradients_match_finite_differences(hidden, output, loss, depth, seed):
    # depth — число слоёв весов; все скрытые слои с активацией hidden. Верный градиент в float64 даёт
    # относительную ошибку порядка 1e-10; ошибка в формуле τ — порядка 1e-2 и больше.
    net, X, A = case([hidden] * 3, output, loss, depth, seed)
    outputs = net.forward(X)
    for k, W in enumerate(net.weights):
        if net.activations[k] == "relu":   # излом ReLU дальше шага разностей ε = 1e-5
            s = W @ outputs[k] + net.biases[k]
            assert np.abs(s).min() > 1e-3, "точка слишком близко к излому ReLU: возьмите другое зерно"
    dW, db = net.gradients(X, A)
    nW, nb = bp.numerical_gradients(net, X, A)
    assert sum(np.abs(g).sum() for g in dW) > 1e-3, "градиент почти нулевой: проверка была бы пустой"
    for k in range(depth):
        assert bp.relative_error(dW[k], nW[k]) < 1e-7, f"веса слоя {k + 1}"
        assert bp.relative_error(db[k], nb[k]) < 1e-7, f"смещения слоя {k + 1}"


@pytest.mark.parametrize("output, loss", [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"),
                                          ("tanh", "mse")])
def test_mixed_hidden_activations(output, loss):
    net, X, A = case(["relu", "tanh", "sigmoid"], output, loss, 4, seed=3)
    assert net.activations == ["relu", "tanh", "sigmoid", output]
    dW, db = net.gradients(X, A)
    nW, nb = bp.numerical_gradients(net, X, A)
    for k in range(4):
        assert bp.relative_error(dW[k], nW[k]) < 1e-7 and bp.relative_error(db[k], nb[k]) < 1e-7


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_cross_entropy_tau_out_is_y_minus_a(output):
    # Вывод ноутбука 04: множитель σ' (и якобиан softmax) сокращается, τ_out = Y − A.
    net, X, A = case(["tanh"], output, "cross_entropy", 2, seed=5)
    Y = net.predict_proba(X)
    _, tau_out = net.tau_terms(X, A)
    np.testing.assert_allclose(tau_out, Y - A)
    # τ_out = ∂E_n/∂SY: сверяем с разностями по взвешенной сумме выходного слоя напрямую.
    hidden = net.forward(X)[1]
    S = net.weights[1] @ hidden + net.biases[1]
    f = bp.ACTIVATIONS[output].fn
    eps = 1e-6
    for i in range(S.shape[0]):
        d = np.zeros_like(S)
        d[i] = eps
        E_plus = per_sample_ce(f(S + d), A, output)
        E_minus = per_sample_ce(f(S - d), A, output)
        np.testing.assert_allclose((E_plus - E_minus) / (2 * eps), tau_out[i], rtol=1e-6, atol=1e-9)


def per_sample_ce(Y, A, output):
    if output == "softmax":
        return -np.sum(A * np.log(Y), axis=0)
    return -np.sum(A * np.log(Y) + (1 - A) * np.log(1 - Y), axis=0)


# ----- недопустимые сочетания: понятный отказ -----------------------------------------------------

@pytest.mark.parametrize("activations, loss, words", [
    (["tanh", "tanh"], "cross_entropy", r"выходной слой должен быть одним из \['sigmoid', 'softmax'\]"),
    (["sigmoid", "relu"], "cross_entropy", r"выходной слой должен быть одним из \['sigmoid', 'softmax'\]"),
    (["sigmoid", "linear"], "cross_entropy", r"выходной слой должен быть одним из \['sigmoid', 'softmax'\]"),
    (["sigmoid", "softmax"], "mse", "loss='mse': выходной слой должен быть одним из"),
    (["softmax", "softmax"], "cross_entropy", "softmax допустим только в выходном слое"),
    (["softmax", "sigmoid"], "mse", "softmax допустим только в выходном слое"),
    (["Tanh", "sigmoid"], "mse", "неизвестная активация 'Tanh'"),
    (["sigmoid"], "mse", "ожидается 2 имён"),
    (["sigmoid", "sigmoid"], "log_loss", "loss: ожидается одно из"),
])
def test_invalid_combinations_are_rejected(activations, loss, words):
    with pytest.raises(ValueError, match=words):
        bp.Network([2, 3, 2], activations=activations, loss=loss)
    with pytest.raises(ValueError, match=words):
        bp.Network.from_weights([np.ones((3, 2)), np.ones((2, 3))], activations=activations, loss=loss)


@pytest.mark.parametrize("output, A, words", [
    ("sigmoid", [[0.0, 1.5]], r"ответы должны лежать в \[0, 1\]"),
    ("sigmoid", [[-0.1, 1.0]], r"ответы должны лежать в \[0, 1\]"),
    ("softmax", [[1.0, 1.0], [1.0, 0.0]], "сумма столбца должна быть 1"),
    ("softmax", [[0.5, 0.0], [0.0, 0.0]], "сумма столбца должна быть 1"),
])
def test_cross_entropy_targets_are_checked(output, A, words):
    n_out = np.shape(A)[0]
    net = bp.Network([2, 3, n_out], seed=0, activations=["tanh", output], loss="cross_entropy")
    before = [W.copy() for W in net.weights]
    X = np.array([[0.0, 1.0], [1.0, 0.0]])
    for call in (lambda: net.fit(X, A, epochs=1, learning_rate=1.0, progress=False),
                 lambda: net.gradients(X, A), lambda: net.loss(X, A)):
        with pytest.raises(ValueError, match=words):
            call()
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


# ----- перекрёстная энтропия против квадратичной ошибки на XOR ------------------------------------

XOR_RATE, XOR_TOLERANCE, XOR_MAX_EPOCHS = (cfg.XOR_LOSSES[k] for k in ("learning_rate", "tolerance", "epochs"))


def epochs_to_learn(net, X, A):
    """Критерий ноутбука 04: номер первой эпохи, после которой все выходы ближе 0.1 к ответам,
    max_n |Y_n − a_n| < 0.1 (одинаковый для обеих ошибок: значения E у них несравнимы)."""
    reached = []

    def check(net, epoch, loss):
        if not reached and np.abs(net.predict_proba(X) - A).max() < XOR_TOLERANCE:
            reached.append(epoch + 1)

    net.fit(X, A, epochs=XOR_MAX_EPOCHS, learning_rate=XOR_RATE, progress=False, callback=check)
    return reached[0] if reached else None


@pytest.mark.parametrize("seed", range(10))
def test_cross_entropy_learns_xor_faster_from_the_same_start(seed):
    X, A = ds.xor()
    start = bp.Network([2, 3, 1], seed=seed)
    mse = bp.Network.from_weights(start.weights, start.biases, loss="mse")
    ce = bp.Network.from_weights(start.weights, start.biases, loss="cross_entropy")
    for a, b in zip(mse.weights + mse.biases, ce.weights + ce.biases):
        assert np.array_equal(a, b)                       # один и тот же старт
    n_mse, n_ce = epochs_to_learn(mse, X, A), epochs_to_learn(ce, X, A)
    assert n_ce is not None, "перекрёстная энтропия не выучила XOR"
    assert n_mse is None or n_ce < n_mse, f"перекрёстная энтропия: {n_ce} эпох, квадратичная: {n_mse}"


def test_saturated_wrong_output_stalls_only_squared_error():
    # Один нейрон, вход 1, ответ 0, старт w = b = 2: Y = σ(4) ≈ 0.98 — уверенно неверно.
    # Квадратичная ошибка: τ_out = (Y − a) Y (1 − Y) ≈ 0.02, сеть почти стоит; энтропия: τ_out = Y − a ≈ 0.98.
    X, A = np.ones((1, 1)), np.zeros((1, 1))
    outs = {}
    for loss in ("mse", "cross_entropy"):
        net = bp.Network.from_weights([[[2.0]]], [[[2.0]]], activations="sigmoid", loss=loss)
        net.fit(X, A, epochs=30, learning_rate=0.15, progress=False)
        outs[loss] = net.predict_proba(X)[0, 0]
    assert outs["mse"] > 0.95 and outs["cross_entropy"] < 0.5
