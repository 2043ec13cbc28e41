"""Проверки упражнений всех ноутбуков (backprop_course.exercises): верный ответ проходит, каждая узнаваемая
ошибка получает своё сообщение, мусор на входе даёт CheckFailed (AssertionError) с понятным текстом, а не
ошибку из numpy; в Jupyter ошибка показывается без трассировки."""
import re

import numpy as np
import pytest

import backprop as bp
from backprop_course import exercises as ex


ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ----- верные ответы (как в ноутбуке) -----

def ref_tau_out(Y, A):
    return (Y - A) * Y * (1 - Y)


def ref_tau_in(W, tau_out, hidden):
    return (W.T @ tau_out) * hidden * (1 - hidden)


def ref_grad_W(tau_out, hidden):
    return tau_out @ hidden.T / hidden.shape[1]


def ref_softmax(SY):
    e = np.exp(SY - SY.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


CHECKERS = {name: getattr(ex, "check_" + name) for name in ex.EXERCISES}
REFERENCES = {
    "hand_tau_out": -0.1314, "hand_tau_in": [-0.0309, 0.0258],                          # 01, вручную
    "tau_out": ref_tau_out, "tau_in": ref_tau_in, "grad_W": ref_grad_W,                  # 02
    "tau_in_tanh": lambda W, t, h: (W.T @ t) * (1 - h ** 2), "boundary_prediction": 2,   # 03
    "tau_out_softmax": lambda SY, A: ref_softmax(SY) - A,                                # 04
    "tau_in_relu": lambda W, t, h: (W.T @ t) * (h > 0),
    "accuracy": lambda Y, A: np.mean(Y.argmax(axis=0) == A.argmax(axis=0)),              # 05
    "confusion_row": lambda labels, predicted, digit: np.bincount(predicted[labels == digit], minlength=10),
    "exp_backward": lambda x, out, grad_out: out * grad_out,                              # 06
    "tanh_backward": lambda x, out, grad_out: (1 - out ** 2) * grad_out,
    "fork_gradient": lambda x: np.exp(x) + x * np.exp(x),
    "momentum_step": lambda w, v, g, learning_rate, beta: w - learning_rate * (beta * v + g),        # 07
    "l2_gradient": lambda tau_out, hidden, W, weight_decay: ref_grad_W(tau_out, hidden) + weight_decay * W,
    "adam_first_step": 2,
}


def test_every_check_has_a_reference_and_a_notebook():
    assert set(REFERENCES) == set(ex.EXERCISES)
    assert {e.notebook for e in ex.EXERCISES.values()} == {"01", "02", "03", "04", "05", "06", "07"}


@pytest.mark.parametrize("exercise", list(CHECKERS))
def test_reference_answer_passes(exercise, capsys):
    CHECKERS[exercise](REFERENCES[exercise])
    out = capsys.readouterr().out
    assert out.startswith("Верно! ") and len(out) > 40
    if ex.EXERCISES[exercise].args:
        assert ("ref_" in out or "<lambda>" in out) and "совпадает" in out


def test_check_backprop_passes_reference(capsys):
    ex.check_backprop(ref_tau_out, ref_tau_in, ref_grad_W)
    out = capsys.readouterr().out
    assert out.startswith("Верно!") and "конечными разностями" in out


def test_check_backprop_stops_on_first_wrong_piece():
    with pytest.raises(AssertionError, match="забыт множитель σ'\\(SX_j\\)"):
        ex.check_backprop(ref_tau_out, lambda W, t, h: W.T @ t, ref_grad_W)


# ----- типичные ошибки: по тесту на каждую, со своим сообщением -----

def N(h):
    return h.shape[1]


MISTAKES = {
    # τ_out(Y, A)
    "tau_out: знак": ("tau_out", lambda Y, A: (A - Y) * Y * (1 - Y), "неверный знак: τ_out_i"),
    "tau_out: нет σ'": ("tau_out", lambda Y, A: Y - A, "забыт множитель σ'(SY_i) = Y_i (1 − Y_i). Ваш ответ"),
    "tau_out: нет σ' и знак": ("tau_out", lambda Y, A: A - Y, "и знак перевёрнут"),
    "tau_out: σ(Y) вместо Y": ("tau_out", lambda Y, A: (Y - A) * bp.sigmoid(Y) * (1 - bp.sigmoid(Y)),
                               "σ' посчитана как σ(Y)(1 − σ(Y))"),
    "tau_out: половина σ'": ("tau_out", lambda Y, A: (Y - A) * Y, "σ' неполная"),
    "tau_out: транспонирован": ("tau_out", lambda Y, A: ((Y - A) * Y * (1 - Y)).T, "ответ транспонирован"),
    "tau_out: среднее по примерам": ("tau_out", lambda Y, A: ((Y - A) * Y * (1 - Y)).mean(axis=1, keepdims=True),
                                     "сложили или усреднили по примерам"),
    "tau_out: поделено на N": ("tau_out", lambda Y, A: (Y - A) * Y * (1 - Y) / Y.shape[1],
                               "τ разделено на число примеров"),
    "tau_out: скаляр": ("tau_out", lambda Y, A: float(np.sum((Y - A) * Y * (1 - Y))), "0-мерный"),
    # τ_in(W, tau_out, hidden)
    "tau_in: нет σ'": ("tau_in", lambda W, t, h: W.T @ t, "забыт множитель σ'(SX_j) = X_j (1 − X_j). Ваш ответ"),
    "tau_in: знак": ("tau_in", lambda W, t, h: -(W.T @ t) * h * (1 - h), "неверный знак: τ_in_j"),
    "tau_in: W вместо W.T": ("tau_in", lambda W, t, h: (W @ t) * h * (1 - h), "W вместо W.T"),
    "tau_in: W вместо W.T и нет σ'": ("tau_in", lambda W, t, h: W @ t, "Кроме того, забыт множитель σ'"),
    "tau_in: транспонирован": ("tau_in", lambda W, t, h: ((W.T @ t) * h * (1 - h)).T, "ответ транспонирован"),
    "tau_in: * вместо @": ("tau_in", lambda W, t, h: (W.T * t) * h * (1 - h), "матричное произведение"),
    "tau_in: σ' дважды": ("tau_in", lambda W, t, h: (W.T @ t) * (h * (1 - h)) ** 2, "взят дважды"),
    # ∂E/∂W(tau_out, hidden)
    "grad: нет усреднения": ("grad_W", lambda t, h: t @ h.T, "забыли усреднить по примерам"),
    "grad: знак": ("grad_W", lambda t, h: -t @ h.T / N(h), "неверный знак: ∂E/∂w_ji"),
    "grad: знак и нет усреднения": ("grad_W", lambda t, h: -t @ h.T, "неверный знак, и забыли усреднить"),
    "grad: транспонирован (квадратная W)": ("grad_W", lambda t, h: h @ t.T / N(h), "у квадратной матрицы"),
    "grad: транспонирован (форма)": ("grad_W", lambda t, h: t @ h.T / N(h) if t.shape[0] == h.shape[0]
                                     else h @ t.T / N(h), "градиент транспонирован: форма (4, 2)"),
    "grad: делим не на N": ("grad_W", lambda t, h: t @ h.T / t.shape[0], "разделили не на то"),
    "grad: делим на N дважды": ("grad_W", lambda t, h: t @ h.T / N(h) ** 2, "разделили на N дважды"),
    "grad: произведение средних": ("grad_W", lambda t, h: t.mean(axis=1, keepdims=True) @ h.mean(axis=1,
                                                                                               keepdims=True).T,
                                   "перемножили средние"),
    "grad: вектор": ("grad_W", lambda t, h: (t @ h.T).sum(axis=1) / N(h), "1-мерный"),
}

HAND = ex.HAND_V, ex.HAND_W
MISTAKES.update({
    # 01: τ_out_1 вручную (пример (1, 0), ответ 1)
    "hand_tau_out: нет σ'": ("hand_tau_out", -0.5271, "забыт множитель σ'(SY_1)"),
    "hand_tau_out: a − Y": ("hand_tau_out", 0.5271, "и знак перевёрнут"),
    "hand_tau_out: знак": ("hand_tau_out", 0.1314, "неверный знак"),
    "hand_tau_out: пример раздела 7": ("hand_tau_out", 0.0933, "примера из раздела 7"),
    "hand_tau_out: σ(Y)": ("hand_tau_out", -0.1247, "σ' посчитана как σ(Y_1)"),
    "hand_tau_out: нет σ скрытого": ("hand_tau_out", -0.1463, "пропущена σ скрытого слоя"),
    "hand_tau_out: нет σ выхода": ("hand_tau_out", 0.1335, "пропущена σ выходного нейрона"),
    "hand_tau_out: индексы V": ("hand_tau_out", -0.1000, "перепутаны индексы весов"),
    # 01: τ_in вручную
    "hand_tau_in: нет σ'": ("hand_tau_in", [-0.1314, 0.1314], "забыт множитель σ'(SX_j)"),
    "hand_tau_in: σ' выхода": ("hand_tau_in", [-0.0328, 0.0328], "производная выходного нейрона"),
    "hand_tau_in: нет w": ("hand_tau_in", [-0.0309, -0.0258], "пропущен вес связи"),
    "hand_tau_in: порядок": ("hand_tau_in", [0.0258, -0.0309], "в обратном порядке"),
    "hand_tau_in: пример раздела 7": ("hand_tau_in", [0.0219, -0.0139], "примера из раздела 7"),
    "hand_tau_in: τ_out без σ'": ("hand_tau_in", [-0.1239, 0.1036], "вместо τ_out_1 взято Y_1 − a_1"),
    "hand_tau_in: знак": ("hand_tau_in", np.array([[0.0309], [-0.0258]]), "оба знака перевёрнуты"),
    "hand_tau_in: три числа": ("hand_tau_in", [0.1, 0.2, 0.3], "ожидаются два числа"),
    # 03: τ_in с tanh
    "tanh: σ'": ("tau_in_tanh", lambda W, t, h: (W.T @ t) * h * (1 - h), "взята производная σ"),
    "tanh: нет производной": ("tau_in_tanh", lambda W, t, h: W.T @ t, "забыт множитель tanh'"),
    "tanh: tanh дважды": ("tau_in_tanh", lambda W, t, h: (W.T @ t) * (1 - np.tanh(h) ** 2), "tanh применён второй раз"),
    "tanh: (1 − X)²": ("tau_in_tanh", lambda W, t, h: (W.T @ t) * (1 - h) ** 2, "(1 − X_j)² вместо 1 − X_j²"),
    "tanh: производная дважды": ("tau_in_tanh", lambda W, t, h: (W.T @ t) * (1 - h ** 2) ** 2, "взят дважды"),
    "tanh: W вместо W.T": ("tau_in_tanh", lambda W, t, h: (W @ t) * (1 - h ** 2), "W вместо W.T"),
    "tanh: знак": ("tau_in_tanh", lambda W, t, h: -(W.T @ t) * (1 - h ** 2), "неверный знак"),
    "tanh: транспонирован": ("tau_in_tanh", lambda W, t, h: ((W.T @ t) * (1 - h ** 2)).T, "ответ транспонирован"),
    # 03: предсказание
    "граница: вариант 1": ("boundary_prediction", 1, "вариант 1 неверен — переобучение"),
    "граница: вариант 3": ("boundary_prediction", 3, "вариант 3 неверен — сеть учится"),
    "граница: не номер": ("boundary_prediction", "2", "ожидается номер варианта"),
    # 04: softmax
    "softmax: нет softmax": ("tau_out_softmax", lambda SY, A: SY - A, "забыт softmax"),
    "softmax: σ": ("tau_out_softmax", lambda SY, A: bp.sigmoid(SY) - A, "взята сигмоида"),
    "softmax: по строкам": ("tau_out_softmax", lambda SY, A: ref_softmax(SY.T).T - A, "по строкам (axis=1)"),
    "softmax: не вычтено A": ("tau_out_softmax", lambda SY, A: ref_softmax(SY), "забыто вычесть"),
    "softmax: лишний Y(1 − Y)": ("tau_out_softmax", lambda SY, A: (ref_softmax(SY) - A) * ref_softmax(SY)
                                 * (1 - ref_softmax(SY)), "лишний множитель Y (1 − Y)"),
    "softmax: знак": ("tau_out_softmax", lambda SY, A: A - ref_softmax(SY), "неверный знак"),
    "softmax: поделено на N": ("tau_out_softmax", lambda SY, A: (ref_softmax(SY) - A) / SY.shape[1],
                               "τ разделено на число примеров"),
    "softmax: переполнение": ("tau_out_softmax", lambda SY, A: np.exp(SY) / np.exp(SY).sum(axis=0) - A,
                              "вычтите из каждого столбца SY его максимум"),
    "softmax: транспонирован": ("tau_out_softmax", lambda SY, A: (ref_softmax(SY) - A).T, "ответ транспонирован"),
    # 04: τ_in с ReLU
    "relu: нет производной": ("tau_in_relu", lambda W, t, h: W.T @ t, "забыт множитель ReLU'"),
    "relu: hidden >= 0": ("tau_in_relu", lambda W, t, h: (W.T @ t) * (h >= 0), "hidden >= 0"),
    "relu: умножено на выход": ("tau_in_relu", lambda W, t, h: (W.T @ t) * h, "умножено на сам выход"),
    "relu: σ'": ("tau_in_relu", lambda W, t, h: (W.T @ t) * h * (1 - h), "взята производная σ"),
    "relu: tanh'": ("tau_in_relu", lambda W, t, h: (W.T @ t) * (1 - h ** 2), "взята производная tanh"),
    "relu: W вместо W.T": ("tau_in_relu", lambda W, t, h: (W @ t) * (h > 0), "W вместо W.T"),
    "relu: знак": ("tau_in_relu", lambda W, t, h: -(W.T @ t) * (h > 0), "неверный знак"),
    # 05: доля верных
    "accuracy: доля ошибок": ("accuracy", lambda Y, A: np.mean(Y.argmax(0) != A.argmax(0)), "доля ошибок"),
    "accuracy: ось 1": ("accuracy", lambda Y, A: np.mean(Y.argmax(1) == A.argmax(1)), "по оси 1"),
    "accuracy: поэлементно": ("accuracy", lambda Y, A: np.mean((Y > 0.5) == A), "совпавшие нули"),
    "accuracy: номер против one-hot": ("accuracy", lambda Y, A: np.mean(Y.argmax(0) == A), "со всем столбцом"),
    "accuracy: число": ("accuracy", lambda Y, A: np.sum(Y.argmax(0) == A.argmax(0)), "число верных ответов"),
    "accuracy: проценты": ("accuracy", lambda Y, A: 100 * np.mean(Y.argmax(0) == A.argmax(0)), "это проценты"),
    "accuracy: по примерам": ("accuracy", lambda Y, A: Y.argmax(0) == A.argmax(0), "ответ по одному на пример"),
    # 05: строка матрицы ошибок
    "row: столбец": ("confusion_row", lambda l, p, d: np.bincount(l[p == d], minlength=10), "это столбец"),
    "row: без диагонали": ("confusion_row", lambda l, p, d: np.bincount(p[(l == d) & (p != d)], minlength=10),
                           "на месте digit стоит 0"),
    "row: без отбора": ("confusion_row", lambda l, p, d: np.bincount(p, minlength=10), "без отбора"),
    "row: доли": ("confusion_row", lambda l, p, d: np.bincount(p[l == d], minlength=10) / np.sum(l == d),
                  "это доли"),
    "row: без minlength": ("confusion_row", lambda l, p, d: np.bincount(p[l == d]), "minlength=10"),
})


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_typical_mistake_gets_its_own_message(mistake):
    exercise, fn, phrase = MISTAKES[mistake]
    with pytest.raises(ex.CheckFailed) as info:
        CHECKERS[exercise](fn)
    message = str(info.value)
    assert phrase in message
    assert "Что попробовать" in message
    assert "числа не совпадают" not in message      # не общий ответ, а узнанная ошибка
    if not ex.EXERCISES[exercise].reveal:           # ответ — сами числа: их сообщение не выдаёт
        assert "1314" not in message and "0309" not in message and "0258" not in message


def test_unrecognised_wrong_answer_names_the_worst_element():
    with pytest.raises(AssertionError, match=r"числа не совпадают.*\n.*элемент \(\d+, \d+\)") as info:
        ex.check_tau_out(lambda Y, A: (Y - A) * Y * (1 - Y) + 0.01 * Y)
    assert "τ_out_i = (Y_i − a_i)" in str(info.value)


# ----- мусор на входе: понятный AssertionError, а не трассировка из numpy -----

GARBAGE = {
    "вернула None": (lambda Y, A: None, "ничего не вернула (None)"),
    "вернула ...": (lambda Y, A: ..., "ответ ещё не написан"),
    "вернула строку": (lambda Y, A: "tau", "ожидается массив numpy чисел"),
    "вернула список разной длины": (lambda Y, A: [[1.0], [1.0, 2.0]], "ожидается массив numpy чисел"),
    "вернула список None": (lambda Y, A: [None, None], "dtype object"),
    "вернула кортеж": (lambda Y, A: (Y - A, Y), "кортеж из 2 элементов"),
    "float32": (lambda Y, A: ((Y - A) * Y * (1 - Y)).astype(np.float32), "float32"),
    "NaN": (lambda Y, A: (Y - A) * Y * (1 - Y) / 0.0, "NaN или inf"),
    "изменила вход": (lambda Y, A: Y.__isub__(A) * 0, "изменила свой вход Y на месте"),
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_garbage_answer_gives_clear_assertion(case):
    fn, phrase = GARBAGE[case]
    with np.errstate(all="ignore"), pytest.raises(AssertionError) as info:
        ex.check_tau_out(fn)
    assert phrase in str(info.value) and "Что попробовать" in str(info.value)


@pytest.mark.parametrize("not_a_function", [None, ..., np.zeros((1, 4)), "my_tau_out"])
def test_checker_wants_a_function(not_a_function):
    phrase = "ответ ещё не написан" if not_a_function is ... else "ожидается функция"
    with pytest.raises(AssertionError, match=phrase):
        ex.check_tau_out(not_a_function)


@pytest.mark.parametrize("exercise", list(CHECKERS))
def test_stub_answer_is_not_written_yet(exercise):
    """Заготовка версии для студента: функция возвращает ..., или сам ответ — ...."""
    def stub(*args):
        return ...
    answer = stub if ex.EXERCISES[exercise].args else ...
    with pytest.raises(ex.CheckFailed) as info:
        CHECKERS[exercise](answer)
    assert "ответ ещё не написан" in str(info.value) and "Что попробовать" in str(info.value)


def test_jupyter_shows_only_the_message():
    """IPython показывает вместо трассировки то, что вернул _render_traceback_: само сообщение."""
    with pytest.raises(ex.CheckFailed) as info:
        ex.check_tau_out(lambda Y, A: Y - A)
    lines = info.value._render_traceback_()
    assert [ANSI.sub("", line) for line in lines] == str(info.value).split("\n")
    assert isinstance(info.value, AssertionError) and info.value.__cause__ is None


def test_error_inside_student_function_is_explained_with_its_line():
    def my_tau_out(Y, A):
        tau = Y - B   # noqa: F821 — опечатка студента
        return tau
    with pytest.raises(AssertionError) as info:
        ex.check_tau_out(my_tau_out)
    message = str(info.value)
    assert "упала с ошибкой NameError" in message and "tau = Y - B" in message
    assert info.value.__cause__ is None and info.value.__context__ is None   # без цепочки исключений


def test_ellipsis_stub_names_the_formula_but_not_the_matrix_code():
    def my_tau_in(W, tau_out, hidden):
        tau_in = ...  # ваш код
        return tau_in
    with pytest.raises(AssertionError) as info:
        ex.check_tau_in(my_tau_in)
    assert "«# ваш код»" in str(info.value) and "W.T" not in str(info.value)


# ----- сломанные выводы для раздела «Сломанный вывод» -----

@pytest.fixture(scope="module")
def case():
    return ex.make_case(2, 3, 3, 4, seed=5)


def _errors(net, X, A, bug):
    dW, db = ex.buggy_gradients(net, X, A, bug)
    nW, nb = bp.numerical_gradients(net, X, A)
    # порядок столбцов таблицы в ноутбуке: v_sj, b_j, w_ji, b_i
    return [bp.relative_error(g, n) for g, n in zip([dW[0], db[0], dW[1], db[1]], [nW[0], nb[0], nW[1], nb[1]])]


def test_buggy_gradients_without_bug_is_the_module(case):
    dW, db = ex.buggy_gradients(case["net"], case["X"], case["A"], None)
    mW, mb = case["net"].gradients(case["X"], case["A"])
    for got, want in zip(dW + db, mW + mb):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert max(_errors(case["net"], case["X"], case["A"], None)) < 1e-8


def test_sign_bug_gives_relative_error_one_everywhere(case):
    np.testing.assert_allclose(_errors(case["net"], case["X"], case["A"], "sign"), 1.0, atol=1e-8)


def test_sigma_dropped_in_tau_out_breaks_both_layers(case):
    assert min(_errors(case["net"], case["X"], case["A"], "no_sigma_out")) > 1e-2


@pytest.mark.parametrize("bug", ["no_sigma_in", "transposed"])
def test_hidden_layer_bug_leaves_output_layer_clean(case, bug):
    hidden_v, hidden_b, out_w, out_b = _errors(case["net"], case["X"], case["A"], bug)
    assert min(hidden_v, hidden_b) > 1e-2
    assert max(out_w, out_b) < 1e-8


def test_transposed_bug_fails_on_rectangular_W():
    c = ex.make_case(2, 3, 2, 4, seed=1)
    with pytest.raises(ValueError):
        ex.buggy_gradients(c["net"], c["X"], c["A"], "transposed")


def test_buggy_gradients_rejects_unknown_bug_and_unsupported_net(case):
    with pytest.raises(ValueError, match="bug: ожидается одно из"):
        ex.buggy_gradients(case["net"], case["X"], case["A"], "typo")
    no_bias = bp.Network.from_weights(case["net"].weights)
    with pytest.raises(ValueError, match="и смещениями"):
        ex.buggy_gradients(no_bias, case["X"], case["A"], None)


# ----- таблица сравнения -----

def test_comparison_table_rows_and_errors():
    table = ex.comparison_table(["i = 1", "i = 2"], np.array([[1.0], [2.0]]), np.array([[1.0], [-2.0]]),
                                codes=["W[0, 0]", "W[1, 0]"], title="τ")
    lines = table.data.splitlines()
    assert lines[0] == "**τ**" and len(lines) == 2 + 2 + 2
    assert lines[-2].endswith("| 0.0e+00 |") and lines[-1].endswith("| 1.0e+00 |")
    assert ex.worst_relative_error([1.0, 2.0], [1.0, -2.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="comparison_table"):
        ex.comparison_table(["i = 1"], np.ones(2), np.ones(2))
