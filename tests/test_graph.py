"""Движок вычислительного графа (backprop_course.graph) и упражнения ноутбука 06.

- градиенты графа совпадают с Network.gradients на случайных сетях для каждой пары активация × функция потерь
  из bp.LOSSES[...].outputs и bp.ACTIVATIONS, а градиенты узлов сумм (умноженные на N) — с τ;
- каждая операция — с центральными разностями;
- повторный backward() не удваивает градиенты промежуточных узлов; на развилке градиенты складываются;
- понятные ошибки на плохих аргументах;
- проверки упражнений: верный ответ проходит, каждая узнаваемая ошибка получает своё сообщение.
"""
import math

import numpy as np
import pytest

import backprop as bp
from backprop_course import exercises as ex
from backprop_course import graph
from backprop_course.graph import Value

HIDDEN = [a for a, record in bp.ACTIVATIONS.items() if not record.output_only]
PAIRS = [(loss, output, hidden) for loss, record in bp.LOSSES.items() for output in record.outputs
         for hidden in HIDDEN]


def random_case(loss, output, hidden, seed, sizes=(3, 4, 3), n=5, biases=True):
    rng = np.random.default_rng(seed)
    acts = [hidden] * (len(sizes) - 2) + [output]
    weights = [rng.normal(size=(m, k)) for k, m in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(scale=0.5, size=(m, 1)) for m in sizes[1:]] if biases else None
    net = bp.Network.from_weights(weights, bs, activations=acts, loss=loss)
    X = rng.normal(size=(sizes[0], n))
    if output == "softmax":
        A = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], n)]
    else:
        A = rng.uniform(size=(sizes[-1], n))
    return net, X, A


@pytest.mark.parametrize("loss, output, hidden", PAIRS, ids=[f"{h}-{o}-{l}" for l, o, h in PAIRS])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_graph_equals_network_gradients(loss, output, hidden, seed):
    net, X, A = random_case(loss, output, hidden, seed)
    dW, db = net.gradients(X, A)
    g = graph.network_graph(net, X, A)
    g.loss.backward()
    gW, gb = g.gradients()
    assert abs(g.loss.data - net.loss(X, A)) < 1e-12 * max(1.0, abs(g.loss.data))
    for mine, module in zip(gW + gb, dW + db):
        assert mine.shape == module.shape
        assert bp.relative_error(mine, module) < 1e-12
    # градиент узла взвешенной суммы — это τ слоя, делённое на N (E — среднее по примерам)
    for adjoint, tau in zip(g.sum_gradients(), net.tau_terms(X, A)):
        assert bp.relative_error(adjoint * X.shape[1], tau) < 1e-12


def test_graph_deeper_network_without_biases():
    net, X, A = random_case("mse", "sigmoid", "tanh", seed=3, sizes=(2, 3, 4, 2), biases=False)
    dW, db = net.gradients(X, A)
    gW, gb = graph.graph_gradients(net, X, A)
    assert db is None and gb is None
    assert max(bp.relative_error(a, b) for a, b in zip(gW, dW)) < 1e-12


def test_graph_equals_finite_differences_on_a_network():
    net, X, A = random_case("cross_entropy", "softmax", "relu", seed=4)
    num_W, num_b = bp.numerical_gradients(net, X, A)
    gW, gb = graph.graph_gradients(net, X, A)
    assert max(bp.relative_error(a, b) for a, b in zip(gW + gb, num_W + num_b)) < 1e-7


OPS = {
    "+": lambda x, y: x + y, "−": lambda x, y: x - y, "×": lambda x, y: x * y, "/": lambda x, y: x / y,
    "степень": lambda x, y: x ** 3 * y ** -2, "exp": lambda x, y: (x * y).exp(), "ln": lambda x, y: (x * x + y * y).log(),
    "tanh": lambda x, y: (x * y).tanh(), "σ": lambda x, y: (x - y).sigmoid(), "ReLU": lambda x, y: (x - y).relu() * y,
    "max": lambda x, y: x.max(y) * y, "константы": lambda x, y: 2 - x / 3 + 1 / y - (-x) * 0.5,
}


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("point", [(0.7, -1.3), (-0.4, 0.9), (1.9, 0.6)])
def test_each_operation_against_central_differences(op, point):
    fn, eps = OPS[op], 1e-6
    x, y = Value(point[0]), Value(point[1])
    fn(x, y).backward()

    def f(a, b):
        return fn(Value(a), Value(b)).data

    num_x = (f(point[0] + eps, point[1]) - f(point[0] - eps, point[1])) / (2 * eps)
    num_y = (f(point[0], point[1] + eps) - f(point[0], point[1] - eps)) / (2 * eps)
    assert abs(x.grad - num_x) < 1e-6 * max(1.0, abs(num_x)), (x.grad, num_x)
    assert abs(y.grad - num_y) < 1e-6 * max(1.0, abs(num_y)), (y.grad, num_y)


def test_local_derivatives_use_the_output_like_the_derivation():
    x = Value(0.8)
    s = x.sigmoid()
    s.backward()
    assert x.grad == pytest.approx(s.data * (1 - s.data), rel=1e-15)
    x = Value(0.8)
    t = x.tanh()
    t.backward()
    assert x.grad == pytest.approx(1 - t.data ** 2, rel=1e-15)


def test_gradients_add_at_a_fork():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = x * y + x                              # x используется дважды
    z.backward()
    assert x.grad == y.data + 1 == 4.0 and y.grad == 2.0
    a = Value(1.5)
    f = a * a.exp()
    f.backward()
    assert a.grad == pytest.approx(math.exp(1.5) * 2.5, rel=1e-14)


def test_backward_twice_does_not_double_count_intermediate_nodes():
    """Ловушка micrograd (PR #102): у промежуточных узлов градиент считается заново, листья копят, как в PyTorch."""
    x, y = Value(0.5, "x"), Value(-1.2, "y")
    h = (x * y).tanh()                         # промежуточный узел
    f = h * h + x
    f.backward()
    once = (x.grad, y.grad, h.grad)
    f.backward()
    assert h.grad == once[2]                   # промежуточный — тот же
    # листья — вдвое (до округления в последнем знаке), а не втрое, как дала бы ловушка micrograd
    assert (x.grad, y.grad) == (pytest.approx(2 * once[0], rel=1e-14), pytest.approx(2 * once[1], rel=1e-14))
    f.zero_grad()
    assert x.grad == y.grad == h.grad == f.grad == 0.0
    f.backward()
    assert (x.grad, y.grad, h.grad) == pytest.approx(once, rel=1e-14)


def test_backward_twice_on_a_network_graph_matches_twice_the_gradient():
    net, X, A = random_case("mse", "sigmoid", "sigmoid", seed=5)
    g = graph.network_graph(net, X, A)
    g.loss.backward()
    first = g.gradients()
    taus = g.sum_gradients()
    g.loss.backward()
    second = g.gradients()
    assert all(np.allclose(b, 2 * a, rtol=1e-14, atol=0) for a, b in zip(first[0] + first[1], second[0] + second[1]))
    assert all(np.array_equal(a, b) for a, b in zip(taus, g.sum_gradients()))


def test_operation_counter_counts_forward_nodes_and_backward_contributions():
    with graph.OperationCounter() as count:
        x, y = Value(1.0), Value(2.0)
        f = (x * y + x).tanh()                 # три операции: ×, +, tanh
        assert count.forward == 3
        f.backward()
    assert count.backward == 2 + 2 + 1         # × и + отдают двум входам, tanh — одному
    x * y                                       # вне with не считается
    assert count.forward == 3


def test_topological_order_puts_inputs_first():
    x = Value(1.0)
    f = (x * 2 + x).exp()
    order = f.topological_order()
    assert order[-1] is f and order.index(x) < order.index(f.parents[0])
    assert len(order) == len({id(n) for n in order})


@pytest.mark.parametrize("make, error, message", [
    (lambda: Value("1"), TypeError, "data: ожидается конечное число"),
    (lambda: Value(float("nan")), TypeError, "data: ожидается конечное число"),
    (lambda: Value(True), TypeError, "data: ожидается конечное число"),
    (lambda: Value(1.0, label=3), TypeError, "label: ожидается строка"),
    (lambda: Value(1.0) + "a", TypeError, "операнд: ожидается Value или число"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "k: ожидается число"),
    (lambda: Value(0.0) ** -1, ValueError, "степень"),
    (lambda: Value(-2.0) ** 0.5, ValueError, "степень"),
    (lambda: Value(0.0).log(), ValueError, "ln: ожидается положительное число"),
    (lambda: Value(800.0).exp(), ValueError, "exp: e^800"),
    (lambda: graph.network_graph("сеть", np.zeros((2, 1)), np.zeros((1, 1))), TypeError, "net: ожидается сеть"),
    (lambda: graph.network_graph(bp.Network([2, 2, 1], seed=0), np.zeros((3, 1)), np.zeros((1, 1))),
     ValueError, "X: ожидается 2 строк"),
])
def test_bad_arguments_raise_russian_errors(make, error, message):
    with pytest.raises(error, match=message.replace("^", r"\^")):
        make()


def test_draw_graph_rejects_non_values_and_big_graphs():
    from backprop_course import plots as bpl
    with pytest.raises(TypeError, match="root: ожидается узел graph.Value"):
        bpl.draw_graph(1.0)
    x = Value(1.0)
    f = x
    for _ in range(40):
        f = f * 1.01 + x
    with pytest.raises(ValueError, match="узлов"):
        bpl.draw_graph(f)


def test_draw_graph_draws_every_node_with_value_and_gradient():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from backprop_course import plots as bpl
    x, y = Value(2.0, "x"), Value(-1.0, "y")
    f = x * y + x
    f.label = "f"
    f.backward()
    ax = bpl.draw_graph(f)
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("$x$\n2") for t in texts) and "∇ 0" in texts       # ∂f/∂x = y + 1 = 0
    assert "∇ 2" in texts and sum(t.startswith("∇") for t in texts) == 4   # x, y, ×, f
    plt.close("all")


# ----- упражнения ноутбука 06 -----

REFERENCES = {
    "exp_backward": (ex.check_exp_backward, lambda x, out, grad_out: out * grad_out),
    "tanh_backward": (ex.check_tanh_backward, lambda x, out, grad_out: (1 - out ** 2) * grad_out),
    "fork_gradient": (ex.check_fork_gradient, lambda x: math.exp(x) + x * math.exp(x)),
}


@pytest.mark.parametrize("exercise", list(REFERENCES))
def test_reference_answers_pass(exercise, capsys):
    check, answer = REFERENCES[exercise]
    check(answer)
    assert capsys.readouterr().out.startswith("Верно!")
    assert ex.exercise_message(answer, exercise) is None


GRAPH_MISTAKES = {
    "exp: нет grad_out": ("exp_backward", lambda x, out, g: out, "забыт градиент сверху grad_out"),
    "exp: нет e^x": ("exp_backward", lambda x, out, g: g, "забыта локальная производная"),
    "exp: x вместо e^x": ("exp_backward", lambda x, out, g: g * x, "(e^x)' = e^x, а не x"),
    "exp: дважды": ("exp_backward", lambda x, out, g: g * math.exp(out), "экспонента взята дважды"),
    "exp: производная ln": ("exp_backward", lambda x, out, g: g / x, "это производная ln x"),
    "tanh: нет grad_out": ("tanh_backward", lambda x, out, g: 1 - out ** 2, "забыт градиент сверху grad_out"),
    "tanh: вход вместо выхода": ("tanh_backward", lambda x, out, g: g * (1 - x ** 2), "подставлен вход x"),
    "tanh: дважды": ("tanh_backward", lambda x, out, g: g * (1 - math.tanh(out) ** 2), "tanh взят дважды"),
    "tanh: производная σ": ("tanh_backward", lambda x, out, g: g * out * (1 - out), "производная сигмоиды"),
    "tanh: нет квадрата": ("tanh_backward", lambda x, out, g: g * (1 - out), "забыт квадрат"),
    "развилка: только ×": ("fork_gradient", lambda x: math.exp(x), "учтён только путь через левый вход умножения"),
    "развилка: только exp": ("fork_gradient", lambda x: x * math.exp(x), "учтён только путь через узел exp"),
    "развилка: произведение": ("fork_gradient", lambda x: math.exp(x) * x * math.exp(x), "вклады путей перемножены"),
    "развилка: потерян e^x": ("fork_gradient", lambda x: math.exp(x) + x, "производная e^x потеряна"),
}


@pytest.mark.parametrize("case", list(GRAPH_MISTAKES))
def test_each_recognised_mistake_gets_its_message(case):
    exercise, fn, expected = GRAPH_MISTAKES[case]
    message = ex.exercise_message(fn, exercise)
    assert message is not None and expected in message and "Что попробовать" in message, message
    check = REFERENCES[exercise][0]
    with pytest.raises(AssertionError, match="неверно"):
        check(fn)


@pytest.mark.parametrize("fn, expected", [
    (None, "ожидается функция"),
    (Ellipsis, "ждёт функцию, получено ... (Ellipsis)"),
    (lambda x, out, g: None, "ничего не вернула"),
    (lambda x, out, g: ..., "ответ ещё не написан"),
    (lambda x, out, g: (out, g), "вернула кортеж"),
    (lambda x, out, g: float("nan"), "NaN или inf"),
    (lambda x, out, g: 1 / 0, "упала с ошибкой ZeroDivisionError"),
    (lambda x, out, g: out * g + 0.1, "числа не совпадают с верным ответом"),
])
def test_bad_answers_get_a_message_not_a_traceback(fn, expected):
    message = ex.exercise_message(fn, "exp_backward")
    assert message is not None and expected in message, message


def test_unknown_graph_exercise():
    with pytest.raises(ValueError, match="exercise: ожидается одно из"):
        ex.exercise_message(lambda x: x, "sigmoid_backward")
