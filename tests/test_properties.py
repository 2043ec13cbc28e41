"""Свойства открытых функций модуля backprop и наборов данных на случайных аргументах (hypothesis).

Для каждой функции один аргумент заменяется «странным» значением: None, bool, числа numpy, NaN и inf,
огромные целые (10**400), строки, неровные списки, массивы не той формы. Что бы ни пришло:
- либо вызов удался, и всё, что он вернул, — конечные числа;
- либо он поднял TypeError или ValueError с сообщением по-русски, в котором названо имя аргумента;
- сеть после вызова та же (веса, смещения и состояние генератора), а переданные массивы не изменились.
MemoryError, ZeroDivisionError, IndexError, предупреждения numpy и чужие сообщения — провал.
"""
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backprop as bp
from backprop_course import datasets as ds

# derandomize: одни и те же примеры при каждом запуске; database=None: ничего не пишем на диск
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True, database=None)

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12), st.just(10**400), st.just(-(10**400)), st.just(10**12),
    st.floats(allow_nan=True, allow_infinity=True, width=64), st.text(max_size=3),
    st.sampled_from([np.int64(3), np.float64(np.nan), np.bool_(True), np.float32(0.5), np.int8(-1)]),
    st.sampled_from([[], [[1.0, 2.0], [3.0]], [[1, 2], [3, 4]], [[None, 1.0]], [["a", "b"]], [1e308, 1e308],
                     np.zeros((0, 4)), np.ones((2, 4)), np.ones((1, 4)), np.full((2, 4), np.inf),
                     np.ones((4,)), np.ones((2, 4, 1)), np.array([[1 + 2j, 0, 0, 0]] * 2), np.array(object()),
                     (2, 3, 1), [2, 3, 1], [2, 10**12, 1], [3, 1], {"a": 1}, object(), lambda *a: None]),
)

X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
A = np.array([[0.0, 1.0, 1.0, 0.0]])


def finite(value):
    """Всё, что вернула функция, — конечные числа (вложенные списки, кортежи, массивы, числа)."""
    if isinstance(value, bp.Network):
        return all(np.isfinite(W).all() for W in value.weights + (value.biases or []))
    if isinstance(value, (list, tuple)):
        return all(finite(v) for v in value)
    if value is None or isinstance(value, str):
        return True
    arr = np.asarray(value)
    return arr.dtype.kind in "biuf" and bool(np.isfinite(arr).all())


def state(net):
    return ([W.copy() for W in net.weights], None if net.biases is None else [b.copy() for b in net.biases],
            str(net.rng.bit_generator.state))


def same_state(a, b):
    weights_a, biases_a, rng_a = a
    weights_b, biases_b, rng_b = b
    return (all(np.array_equal(x, y) for x, y in zip(weights_a, weights_b)) and rng_a == rng_b
            and (biases_a is None) == (biases_b is None)
            and (biases_a is None or all(np.array_equal(x, y) for x, y in zip(biases_a, biases_b))))


def copies(values):
    """Глубокие копии массивов среди аргументов — чтобы заметить, если функция их изменила."""
    return [np.array(v, copy=True) if isinstance(v, np.ndarray) else None for v in values]


def check_call(call, kwargs, name, net=None):
    """Вызов с одним странным аргументом name: успех с конечным результатом или понятная ошибка."""
    before = state(net) if net is not None else None
    saved = copies(kwargs.values())
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # предупреждение numpy — тоже провал
        try:
            result = call(**kwargs)
        except (TypeError, ValueError) as err:
            message = str(err)
            assert re.search("[а-яё]", message, re.I), f"{name}: сообщение не по-русски: {message}"
            assert name.split("[")[0] in message or "X и A" in message or "a и b" in message \
                or "true и predicted" in message or "names, train, test" in message, \
                f"в сообщении не названо имя аргумента {name}: {message}"
        else:
            assert finite(result), f"{name}={kwargs[name]!r:.60}: результат не конечный: {result!r:.200}"
    if net is not None:
        assert same_state(before, state(net)), f"{name}={kwargs[name]!r:.60}: вызов изменил сеть"
    for value, copy in zip(kwargs.values(), saved):
        if copy is not None and value.dtype.kind in "biufc":
            assert np.array_equal(value, copy, equal_nan=True), f"{name}: вызов изменил переданный массив"


def small_net(seed=0):
    return bp.Network([2, 3, 1], seed=seed)


# ----- конструкторы ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["layer_sizes", "seed", "activations", "loss"])
@SETTINGS
@given(value=ODD)
def test_network_constructor(name, value):
    kwargs = {"layer_sizes": [2, 3, 1], "seed": 0, "activations": "sigmoid", "loss": "mse", name: value}
    check_call(bp.Network, kwargs, name)


@pytest.mark.parametrize("name", ["weights", "biases", "activations", "loss", "seed"])
@SETTINGS
@given(value=ODD)
def test_from_weights(name, value):
    net = small_net()
    kwargs = {"weights": net.weights, "biases": net.biases, "activations": "sigmoid", "loss": "mse",
              "seed": 1, name: value}
    check_call(bp.Network.from_weights, kwargs, name)


# ----- методы сети: сеть не меняется, кроме удачного fit -----------------------------------------

@pytest.mark.parametrize("method", ["forward", "predict", "predict_proba"])
@SETTINGS
@given(value=ODD)
def test_forward_methods(method, value):
    net = small_net()
    check_call(getattr(net, method), {"X": value}, "X", net)


@pytest.mark.parametrize("method", ["loss", "gradients", "tau_terms"])
@pytest.mark.parametrize("name", ["X", "A"])
@SETTINGS
@given(value=ODD)
def test_loss_and_gradients(method, name, value):
    net = small_net()
    kwargs = {"X": X, "A": A, name: value}
    check_call(getattr(net, method), kwargs, name, net)


@pytest.mark.parametrize("name", ["outputs", "A"])
@SETTINGS
@given(value=ODD)
def test_backward(name, value):
    net = small_net()
    kwargs = {"outputs": net.forward(X), "A": A, name: value}
    check_call(net.backward, kwargs, name, net)


@pytest.mark.parametrize("name", ["X", "A", "epochs", "learning_rate", "batch_size", "progress", "callback"])
@SETTINGS
@given(value=ODD)
def test_fit_refuses_before_training(name, value):
    net = small_net()
    kwargs = {"X": X, "A": A, "epochs": 2, "learning_rate": 0.5, "batch_size": None, "progress": False,
              "callback": None, name: value}
    before = state(net)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            history = net.fit(**kwargs)
    except (TypeError, ValueError) as err:
        assert re.search("[а-яё]", str(err), re.I) and (name in str(err) or "X и A" in str(err)), str(err)
        assert same_state(before, state(net)), f"{name}={value!r:.60}: отказ после того, как сеть изменилась"
    else:
        assert finite(history) and finite(net)


@SETTINGS
@given(value=ODD)
def test_copy_seed(value):
    net = small_net()
    check_call(net.copy, {"seed": value}, "seed", net)


# ----- функции модуля -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["X", "A", "eps"])
@SETTINGS
@given(value=ODD)
def test_numerical_gradients(name, value):
    net = small_net()
    kwargs = {"net": net, "X": X, "A": A, "eps": 1e-5, name: value}
    check_call(bp.numerical_gradients, kwargs, name, net)


@pytest.mark.parametrize("name", ["a", "b"])
@SETTINGS
@given(value=ODD)
def test_relative_error(name, value):
    kwargs = {"a": np.ones((2, 4)), "b": np.ones((2, 4)), name: value}
    check_call(bp.relative_error, kwargs, name)


# ----- наборы данных ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [ds.moons, ds.circles, ds.spirals], ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", ["n_samples", "noise", "seed"])
@SETTINGS
@given(value=ODD)
def test_generators(make, name, value):
    check_call(make, {"n_samples": 20, "noise": 0.1, "seed": 0, name: value}, name)


@pytest.mark.parametrize("name", ["X", "A", "test_fraction", "seed", "stratify"])
@SETTINGS
@given(value=ODD)
def test_split(name, value):
    check_call(ds.split, {"X": X, "A": A, "test_fraction": 0.5, "seed": 0, "stratify": False, name: value}, name)


@pytest.mark.parametrize("name", ["X", "A"])
@SETTINGS
@given(value=ODD)
def test_accuracy(name, value):
    net = small_net()
    check_call(ds.accuracy, {"net": net, "X": X, "A": A, name: value}, name, net)


@pytest.mark.parametrize("name", ["true", "predicted", "n_classes"])
@SETTINGS
@given(value=ODD)
def test_confusion_matrix(name, value):
    kwargs = {"true": np.array([0, 1, 2]), "predicted": np.array([0, 2, 2]), "n_classes": 3, name: value}
    check_call(ds.confusion_matrix, kwargs, name)


@pytest.mark.parametrize("name", ["labels", "n_classes"])
@SETTINGS
@given(value=ODD)
def test_one_hot(name, value):
    check_call(ds.one_hot, {"labels": np.array([0, 2, 1]), "n_classes": 3, name: value}, name)


@SETTINGS
@given(value=ODD)
def test_labels_of(value):
    check_call(ds.labels_of, {"A": value}, "A")


# ----- верные вызовы: конечные числа -------------------------------------------------------------

@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
       scale=st.sampled_from([1e-3, 1.0, 30.0, 1e3]),
       output_loss=st.sampled_from([("sigmoid", "mse"), ("sigmoid", "cross_entropy"), ("tanh", "mse"),
                                    ("linear", "mse"), ("relu", "mse"), ("softmax", "cross_entropy")]),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu", "linear"]), seed=st.integers(0, 10))
def test_valid_calls_return_finite_numbers(sizes, scale, output_loss, hidden, seed):
    """Входы и веса от 1e-3 до 1e3 (σ и softmax насыщены): E, τ, градиенты и их оценки — конечные числа."""
    output, loss = output_loss
    if output == "softmax" and sizes[-1] < 2:
        sizes = sizes[:-1] + [2]
    rng = np.random.default_rng(seed)
    net = bp.Network(sizes, seed=seed, activations=[hidden] * (len(sizes) - 2) + [output], loss=loss)
    net.weights = [W * scale for W in net.weights]
    Xs = rng.normal(scale=scale, size=(sizes[0], 5))
    if output == "softmax":
        As = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], 5)]
    elif output in ("sigmoid",):
        As = rng.uniform(size=(sizes[-1], 5))
    else:
        As = rng.normal(size=(sizes[-1], 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            results = [net.loss(Xs, As), net.gradients(Xs, As), net.tau_terms(Xs, As), net.predict(Xs)]
        except ValueError as err:                        # допустимо только понятное «слишком велики»
            assert "слишком велики" in str(err), str(err)
            return
    assert finite(results)
