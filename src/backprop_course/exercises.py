"""Упражнения ноутбука 02: проверки check_... для формул студента и намеренно сломанные выводы.

Студент пишет функции в обозначениях курса (примеры — столбцы; E — среднее по примерам, как в backprop):
    my_tau_out(Y, A)              -> τ_out формы (n_out, N), по столбцу на пример
    my_tau_in(W, tau_out, hidden) -> τ_in формы (n_hidden, N)
    my_grad_W(tau_out, hidden)    -> ∂E/∂W формы (n_out, n_hidden), среднее по N примерам
и вызывает check_tau_out(my_tau_out) и т. д. Проверка запускает функцию на нескольких сетях с зерном,
сравнивает с модулем backprop и при ошибке поднимает AssertionError с объяснением по-русски: что не так
и что попробовать. Если всё верно — печатает «Верно!».
"""
import traceback

import numpy as np

import backprop as bp

from . import datasets as ds

TOLERANCE = 1e-8   # относительная ошибка, ниже которой ответ считается совпавшим с модулем

# Сети для проверки: (n_in, n_hidden, n_out, N). Первая квадратная (n_hidden = n_out): на ней W вместо W.T
# не падает с ошибкой формы, а даёт неверные числа — и проверка узнаёт эту ошибку. Вторая прямоугольная,
# третья — 2-3-1, как в задаче XOR.
CASES = ((2, 3, 3, 4), (3, 4, 2, 5), (2, 3, 1, 4))


def make_case(n_in, n_hidden, n_out, n_samples, seed):
    """Случайная сеть с σ и смещениями, данные и всё, что посчитал модуль backprop: словарь массивов."""
    rng = np.random.default_rng(seed)
    V = rng.normal(size=(n_hidden, n_in))
    W = rng.normal(size=(n_out, n_hidden))
    biases = [rng.normal(scale=0.5, size=(n_hidden, 1)), rng.normal(scale=0.5, size=(n_out, 1))]
    X = rng.normal(size=(n_in, n_samples))
    A = rng.uniform(size=(n_out, n_samples))
    net = bp.Network.from_weights([V, W], biases)
    outputs = net.forward(X)
    tau_in, tau_out = net.backward(outputs, A)
    (dV, dW), _ = net.gradients(X, A)
    return {"net": net, "X": X, "A": A, "V": V, "W": W, "hidden": outputs[1], "Y": outputs[2],
            "tau_in": tau_in, "tau_out": tau_out, "dV": dV, "dW": dW}


def _cases():
    return [make_case(*sizes, seed=k) for k, sizes in enumerate(CASES)]


# ---------------------------------------------------------------------------
# Что проверяем в каждом упражнении: входы, ответ модуля, типичные ошибки с их объяснением.
# ---------------------------------------------------------------------------

class _Exercise:
    what = ""          # название величины в сообщениях
    formula = ""       # верная формула для подсказки
    args = ()          # имена входов функции студента

    def expected(self, c):
        raise NotImplementedError

    def mistakes(self, c):
        """Список (неверный ответ, объяснение): с чем совпадает ответ при типичной ошибке."""
        return []

    def scale_message(self, ratio, c):
        """Объяснение, если ответ — ответ модуля, умноженный на ratio; None — нет объяснения."""
        return None

    def shape_message(self, got, c):
        """Объяснение неверной формы got."""
        return None

    error_hint = ""    # подсказка, если функция упала


class _TauOut(_Exercise):
    what = "τ_out"
    formula = "τ_out_i = (Y_i − a_i) · Y_i · (1 − Y_i), для всех примеров сразу — поэлементно"
    args = ("Y", "A")
    error_hint = ("Y и A — массивы numpy одной формы (n_out, N); формула поэлементная: операции -, * "
                  "(без @ и без циклов по индексам)")

    def expected(self, c):
        return c["tau_out"]

    def mistakes(self, c):
        Y, A = c["Y"], c["A"]
        s = bp.sigmoid(Y)
        return [
            (Y - A, "забыт множитель σ'(SY_i) = Y_i (1 − Y_i). Ваш ответ равен Y − A, то есть ∂E/∂Y_i, "
                    "а τ_out_i = ∂E/∂SY_i: по цепному правилу нужен ещё множитель ∂Y_i/∂SY_i.\n"
                    "Что попробовать: умножьте (Y − A) поэлементно на Y * (1 − Y)."),
            (A - Y, "забыт множитель σ'(SY_i) = Y_i (1 − Y_i), и знак перевёрнут: у вас a − Y.\n"
                    "Что попробовать: (Y − A), умноженное поэлементно на Y * (1 − Y)."),
            ((Y - A) * s * (1 - s), "σ' посчитана как σ(Y)(1 − σ(Y)), но Y уже равно σ(SY): производная, "
                                    "выраженная через выход, — это Y (1 − Y), без повторного σ.\n"
                                    "Что попробовать: множитель Y * (1 − Y)."),
            ((Y - A) * Y, "σ' неполная: у вас множитель Y, а σ'(SY) = Y (1 − Y).\n"
                          "Что попробовать: добавьте множитель (1 − Y)."),
            ((Y - A) * (1 - Y), "σ' неполная: у вас множитель (1 − Y), а σ'(SY) = Y (1 − Y).\n"
                                "Что попробовать: добавьте множитель Y."),
        ]

    def scale_message(self, ratio, c):
        n = c["Y"].shape[1]
        if np.isclose(ratio, -1):
            return _SIGN_TAU_OUT
        if np.isclose(ratio, 1 / n):
            return (f"τ разделено на число примеров N = {n}. τ считается для каждого примера отдельно; "
                    "делить на N нужно только в градиенте (E — среднее по примерам).\n"
                    "Что попробовать: уберите деление на N.")
        return None

    def shape_message(self, got, c):
        return _tau_shape_message(got, c["tau_out"].shape, "выходной нейрон i", "Y и A")


class _TauIn(_Exercise):
    what = "τ_in"
    formula = "τ_in_j = (Σ_i τ_out_i w_ji) · X_j · (1 − X_j), где W[i, j] = w_ji"
    args = ("W", "tau_out", "hidden")
    error_hint = ("W формы (n_out, n_hidden), W[i, j] = w_ji; tau_out формы (n_out, N); hidden формы "
                  "(n_hidden, N). Сумма Σ_i τ_out_i w_ji по выходным нейронам i — матричное произведение "
                  "с транспонированной W (оператор @, не поэлементное *); множитель X_j (1 − X_j) — "
                  "поэлементный")

    def expected(self, c):
        return c["tau_in"]

    def mistakes(self, c):
        W, tau_out, hidden = c["W"], c["tau_out"], c["hidden"]
        d = hidden * (1 - hidden)
        back = W.T @ tau_out
        found = [
            (back, "забыт множитель σ'(SX_j) = X_j (1 − X_j). Ваш ответ — Σ_i τ_out_i w_ji, то есть ∂E/∂X_j, "
                   "а τ_in_j = ∂E/∂SX_j: нужен ещё множитель ∂X_j/∂SX_j.\n"
                   "Что попробовать: умножьте поэлементно на hidden * (1 − hidden)."),
            (-back, "забыт множитель σ'(SX_j) = X_j (1 − X_j), и знак перевёрнут.\n"
                    "Что попробовать: (W.T @ tau_out) * hidden * (1 − hidden), без минуса."),
            (back * d * d, "множитель X_j (1 − X_j) взят дважды.\nЧто попробовать: оставьте один."),
        ]
        if W.shape[0] == W.shape[1]:         # квадратная W: W @ tau_out не падает, но это другие числа
            transposed = ("W вместо W.T. В сумме Σ_i τ_out_i w_ji суммируют по i — по строкам W "
                          "(W[i, j] = w_ji), это W.T @ tau_out. Numpy ошибку не заметил, потому что здесь W "
                          "квадратная (n_out = n_hidden); на прямоугольной W вышла бы ошибка формы.")
            found += [((W @ tau_out) * d, transposed + "\nЧто попробовать: W.T @ tau_out."),
                      (W @ tau_out, transposed + " Кроме того, забыт множитель σ'(SX_j) = X_j (1 − X_j).\n"
                                                 "Что попробовать: (W.T @ tau_out) * hidden * (1 − hidden).")]
        return found

    def scale_message(self, ratio, c):
        n = c["hidden"].shape[1]
        if np.isclose(ratio, -1):
            return ("неверный знак: τ_in_j = (Σ_i τ_out_i w_ji) · X_j (1 − X_j), без минуса. Минус "
                    "появляется только в шаге спуска w ← w − η ∂E/∂w, а не в τ.\n"
                    "Что попробовать: уберите минус (или проверьте знак в своей τ_out).")
        if np.isclose(ratio, 1 / n):
            return (f"τ_in разделено на число примеров N = {n}: τ считается для каждого примера отдельно, "
                    "делить на N нужно только в градиенте.\nЧто попробовать: уберите деление на N.")
        return None

    def shape_message(self, got, c):
        return _tau_shape_message(got, c["tau_in"].shape, "скрытый нейрон j", "tau_out и hidden")


class _GradW(_Exercise):
    what = "∂E/∂W"
    formula = ("∂E/∂w_ji = τ_out_i X_j, усреднённое по N примерам (E — среднее): "
               "dW[i, j] = (1/N) Σ_n tau_out[i, n] · hidden[j, n]")
    args = ("tau_out", "hidden")
    error_hint = ("tau_out формы (n_out, N), hidden формы (n_hidden, N); ответ формы (n_out, n_hidden) — "
                  "сумма по примерам n, то есть матричное произведение tau_out @ hidden.T, делённое на N")

    def expected(self, c):
        return c["dW"]

    def mistakes(self, c):
        tau_out, hidden = c["tau_out"], c["hidden"]
        product_of_means = tau_out.mean(axis=1, keepdims=True) @ hidden.mean(axis=1, keepdims=True).T
        return [(product_of_means,
                 "вы перемножили средние: mean(τ_out) · mean(X). Усреднять нужно произведения "
                 "τ_out_i X_j по примерам, а среднее произведения не равно произведению средних.\n"
                 "Что попробовать: tau_out @ hidden.T (сумма произведений по примерам), затем / N.")]

    def scale_message(self, ratio, c):
        n_out, n = c["tau_out"].shape
        n_hidden = c["hidden"].shape[0]
        if np.isclose(ratio, n):
            return (f"забыли усреднить по примерам: ваш ответ в N = {n} раз больше. E в модуле — среднее по "
                    "примерам, поэтому и градиент — среднее: сумму по примерам надо разделить на N.\n"
                    "Что попробовать: разделите на N = hidden.shape[1] (число столбцов-примеров).")
        if np.isclose(ratio, -1):
            return _SIGN_GRAD
        if np.isclose(ratio, -n):
            return (f"неверный знак, и забыли усреднить по примерам (ответ в −{n} раз больше).\n"
                    "Что попробовать: tau_out @ hidden.T без минуса, делённое на N = hidden.shape[1].")
        if np.isclose(ratio, 1 / n):
            return (f"ответ в N = {n} раз меньше: вы разделили на N дважды (или τ уже было средним).\n"
                    "Что попробовать: разделите сумму по примерам на N один раз.")
        for m, what in ((n_out, "число выходных нейронов n_out"), (n_hidden, "число скрытых нейронов n_hidden")):
            if m != n and np.isclose(ratio, n / m):
                return (f"разделили не на то: на {what} = {m}, а нужно на число примеров N = {n}.\n"
                        "Что попробовать: разделите на hidden.shape[1] — примеры это столбцы.")
        return None

    def shape_message(self, got, c):
        n_out, n = c["tau_out"].shape
        n_hidden = c["hidden"].shape[0]
        exp = (n_out, n_hidden)
        if got == (n_hidden, n_out):
            return _TRANSPOSED_GRAD.format(got=got, exp=exp)
        if got in ((n_out, n_out), (n_hidden, n_hidden), (n, n)):
            return (f"форма {got}, ожидается (n_out, n_hidden) = {exp}: одна строка на выходной нейрон i, "
                    "один столбец на скрытый нейрон j. Похоже, в произведении перепутаны сомножители или "
                    "транспонирование.\nЧто попробовать: tau_out @ hidden.T — сумма по примерам n.")
        if len(got) < 2:
            return (f"получен {len(got)}-мерный ответ формы {got}, ожидается матрица {exp}. Похоже, сумма или "
                    "среднее взяты без axis, или перемножены векторы.\n"
                    "Что попробовать: tau_out @ hidden.T — это матрица (n_out, n_hidden).")
        return None


_SIGN_TAU_OUT = ("неверный знак: τ_out_i = (Y_i − a_i) · Y_i (1 − Y_i), а у вас, похоже, (a_i − Y_i). С таким "
                 "знаком шаг w ← w − η ∂E/∂w увеличивал бы ошибку.\nЧто попробовать: (Y − A), а не (A − Y).")
_SIGN_GRAD = ("неверный знак: ∂E/∂w_ji = +τ_out_i X_j. Минус появляется только в шаге спуска "
              "w ← w − η ∂E/∂w, а не в самом градиенте.\nЧто попробовать: уберите минус.")
_TRANSPOSED_GRAD = ("градиент транспонирован: форма {got}, ожидается (n_out, n_hidden) = {exp}, как у W: "
                    "W[i, j] = w_ji — строка i (выходной нейрон), столбец j (скрытый нейрон).\n"
                    "Что попробовать: tau_out @ hidden.T вместо hidden @ tau_out.T.")


def _tau_shape_message(got, exp, row, inputs):
    if got == exp[::-1]:
        return (f"ответ транспонирован: форма {got}, ожидается {exp} — строка на {row}, столбец на пример.\n"
                f"Что попробовать: не транспонируйте (.T) ни ответ, ни {inputs} — они уже в нужной форме.")
    if got == (exp[0], 1) or got == (exp[0],):
        return (f"форма {got}: похоже, вы сложили или усреднили по примерам. τ считается для каждого "
                f"примера отдельно — ожидается форма {exp}, по столбцу на пример; усредняют только градиент.\n"
                "Что попробовать: уберите .sum() / .mean() по оси примеров.")
    if len(got) < 2:
        return (f"получен {len(got)}-мерный ответ формы {got}, ожидается двумерный массив {exp} — строка на "
                f"{row}, столбец на пример.\nЧто попробовать: не используйте .sum() / .mean() без axis и "
                ".ravel(); сохраняйте форму входов.")
    return None


_EXERCISES = {"tau_out": _TauOut(), "tau_in": _TauIn(), "grad_W": _GradW()}


# ---------------------------------------------------------------------------
# Общий ход проверки: вызвать, разобрать ответ, сравнить, объяснить.
# ---------------------------------------------------------------------------

def _name(fn):
    return getattr(fn, "__name__", repr(fn))


def _check_function(fn, exercise, param):
    """Текст ошибки для fn, если fn не функция, иначе None."""
    if callable(fn):
        return None
    if fn is None or fn is Ellipsis:
        got = "None" if fn is None else "... (Ellipsis)"
    else:
        got = f"{type(fn).__name__}"
    return (f"{param}: ожидается функция, получено {got}.\n"
            f"Что попробовать: передайте саму функцию, без скобок и аргументов: "
            f"check_{exercise}(my_{exercise}), а не check_{exercise}(my_{exercise}(...)).")


def _describe_case(c, args):
    return ", ".join(f"{a} форма {c[a].shape}" for a in args)


def _call(fn, exercise, c):
    """(ответ, None) или (None, текст ошибки) — без трассировки из глубины numpy."""
    inputs = {a: c[a].copy() for a in exercise.args}
    try:
        result = fn(*inputs.values())
    except Exception as exc:   # noqa: BLE001 — любую ошибку студента переводим в понятный текст
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
        own = [f for f in frames if "site-packages" not in f.filename and "numpy" not in f.filename]
        where = f"\nСтрока в вашей функции: {own[-1].line}" if own and own[-1].line else ""
        return None, (f"{_name(fn)} упала с ошибкой {type(exc).__name__}: {exc}{where}\n"
                      f"Входы: {_describe_case(c, exercise.args)}.\n"
                      f"Что попробовать: {exercise.error_hint}.")
    for a in exercise.args:
        if not np.array_equal(inputs[a], c[a]):
            return None, (f"{_name(fn)} изменила свой вход {a} на месте (например, {a} -= ... или "
                          f"{a}[...] = ...), "
                          "а входы нужны дальше в обратном проходе.\nЧто попробовать: записывайте результат в "
                          f"новый массив: diff = {a} - ..., а не {a} -= ....")
    return result, None


def _as_answer(fn, result, c, exercise):
    """(массив float64, None) или (None, текст ошибки) для того, что вернула функция студента."""
    name = _name(fn)
    if result is None:
        return None, (f"{name} ничего не вернула (None).\n"
                      "Что попробовать: последней строкой функции напишите return с ответом.")
    if result is Ellipsis:
        return None, (f"{name} вернула ... (Ellipsis): ответ ещё не написан.\n"
                      f"Что попробовать: замените ... в строке «# ваш код» своей формулой: {exercise.formula}.")
    if isinstance(result, tuple):
        return None, (f"{name} вернула кортеж из {len(result)} элементов, а ожидается один массив "
                      f"{exercise.what}.\n"
                      "Что попробовать: верните только ответ (return tau, а не return tau, что-то ещё).")
    try:
        arr = np.asarray(result)
    except Exception:   # noqa: BLE001 — например, списки разной длины
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        kind = type(result).__name__ if arr is None else f"{type(result).__name__} с dtype {arr.dtype}"
        return None, (f"{name} вернула {kind}, а ожидается массив numpy чисел {exercise.what}.\n"
                      "Что попробовать: считайте ответ операциями numpy над входами (это массивы).")
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        return None, (f"{name} вернула массив {arr.dtype}: точности не хватит для сравнения.\n"
                      "Что попробовать: не переводите в float32 — считайте в float64, как входы.")
    expected = exercise.expected(c)
    if arr.shape != expected.shape:
        explained = exercise.shape_message(arr.shape, c)
        return None, (f"{name}: неверная форма ответа — " + (explained or (
            f"получена {arr.shape}, ожидается {expected.shape}.\n"
            f"Что попробовать: сверьте формы. Входы: {_describe_case(c, exercise.args)}; "
            f"формула: {exercise.formula}.")))
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        return None, (f"{name} вернула NaN или inf.\n"
                      "Что попробовать: проверьте деления и степени; формуле хватает +, −, * и @.")
    return arr, None


def _diagnose(fn, arr, c, exercise):
    """None, если ответ совпал с модулем, иначе текст с объяснением ошибки."""
    expected = exercise.expected(c)
    error = bp.relative_error(arr, expected)
    if error < TOLERANCE:
        return None
    name = _name(fn)
    for wrong, explanation in exercise.mistakes(c):
        if wrong.shape == arr.shape and bp.relative_error(arr, wrong) < TOLERANCE:
            return f"{name}: неверно — {explanation}"
    if expected.shape[0] == expected.shape[1] and bp.relative_error(arr, expected.T) < TOLERANCE:
        return f"{name}: неверно — ответ транспонирован: у квадратной матрицы форма совпала, но строки и " \
            "столбцы переставлены.\n" + (
            "Что попробовать: tau_out @ hidden.T вместо hidden @ tau_out.T." if exercise.what == "∂E/∂W"
            else "Что попробовать: не транспонируйте (.T) ни ответ, ни входы.")
    denom = float(np.sum(expected * expected))
    ratio = float(np.sum(arr * expected)) / denom if denom else 0.0
    if ratio and bp.relative_error(arr, ratio * expected) < TOLERANCE:
        explained = exercise.scale_message(ratio, c)
        if explained:
            return f"{name}: неверно — {explained}"
        return (f"{name}: неверно — ответ равен верному, умноженному на {ratio:.4g}.\n"
                f"Что попробовать: ищите лишний или потерянный множитель; формула: {exercise.formula}.")
    idx = np.unravel_index(np.argmax(np.abs(arr - expected)), arr.shape)
    return (f"{name}: неверно — числа не совпадают с модулем backprop (относительная ошибка {error:.1e}).\n"
            f"Сильнее всего расходится элемент {tuple(int(k) for k in idx)}: у вас {arr[idx]:.6f}, "
            f"ожидается {expected[idx]:.6f}. Входы: {_describe_case(c, exercise.args)}.\n"
            f"Что попробовать: сверьте с формулой {exercise.formula}.")


def exercise_message(fn, exercise):
    """Текст ошибки функции fn в упражнении exercise ('tau_out', 'tau_in', 'grad_W') или None, если верно."""
    spec = _EXERCISES[exercise]
    problem = _check_function(fn, exercise, "check_" + exercise)
    if problem:
        return problem
    for c in _cases():
        result, problem = _call(fn, spec, c)
        if problem:
            return problem
        arr, problem = _as_answer(fn, result, c, spec)
        if problem:
            return problem
        problem = _diagnose(fn, arr, c, spec)
        if problem:
            return problem
    return None


def _check(fn, exercise, done):
    __tracebackhide__ = True   # IPython не показывает служебные кадры в трассировке
    message = exercise_message(fn, exercise)
    if message:
        raise AssertionError(message)
    sizes = ", ".join("-".join(str(k) for k in sizes[:3]) for sizes in CASES)
    print(f"Верно! {_name(fn)} совпадает с модулем backprop на {len(CASES)} сетях ({sizes}). {done}")


def check_tau_out(my_tau_out):
    """Проверить my_tau_out(Y, A) -> τ_out формы (n_out, N). Неверно — AssertionError с подсказкой."""
    __tracebackhide__ = True
    _check(my_tau_out, "tau_out", "Ошибки выходных нейронов найдены.")


def check_tau_in(my_tau_in):
    """Проверить my_tau_in(W, tau_out, hidden) -> τ_in формы (n_hidden, N)."""
    __tracebackhide__ = True
    _check(my_tau_in, "tau_in", "Ошибка распространилась назад, на скрытый слой.")


def check_grad_W(my_grad_W):
    """Проверить my_grad_W(tau_out, hidden) -> ∂E/∂W формы (n_out, n_hidden), среднее по примерам."""
    __tracebackhide__ = True
    _check(my_grad_W, "grad_W", "Градиент слоя готов.")


def check_backprop(my_tau_out, my_tau_in, my_grad_W, seed=0):
    """Собрать обратный проход сети 2-3-1 (XOR) из функций студента и сверить с конечными разностями.

    ∂E/∂W = my_grad_W(τ_out, X_j), ∂E/∂V = my_grad_W(τ_in, I_s) — та же формула для второго слоя.
    """
    __tracebackhide__ = True
    for fn, exercise in ((my_tau_out, "tau_out"), (my_tau_in, "tau_in"), (my_grad_W, "grad_W")):
        message = exercise_message(fn, exercise)
        if message:
            raise AssertionError(message)
    X, A = ds.xor()
    rng = np.random.default_rng(seed)
    net = bp.Network.from_weights([rng.normal(size=(3, 2)), rng.normal(size=(1, 3))],
                                  [rng.normal(scale=0.5, size=(3, 1)), rng.normal(scale=0.5, size=(1, 1))])
    I, hidden, Y = net.forward(X)
    tau_out = my_tau_out(Y, A)
    tau_in = my_tau_in(net.weights[1], tau_out, hidden)
    mine = [my_grad_W(tau_in, I), my_grad_W(tau_out, hidden)]
    numeric, _ = bp.numerical_gradients(net, X, A)
    errors = [bp.relative_error(m, n) for m, n in zip(mine, numeric)]
    if max(errors) > 1e-7:
        raise AssertionError(f"Ваш обратный проход расходится с конечными разностями: относительная ошибка "
                             f"∂E/∂V {errors[0]:.1e}, ∂E/∂W {errors[1]:.1e}.\n"
                             "Что попробовать: my_grad_W(tau_in, X) должна давать ∂E/∂V той же формулой.")
    print(f"Верно! Ваш обратный проход для сети 2-3-1 на XOR сходится с конечными разностями: "
          f"относительная ошибка ∂E/∂v_sj {errors[0]:.0e}, ∂E/∂w_ji {errors[1]:.0e}.")


# ---------------------------------------------------------------------------
# Намеренно сломанные выводы: как проверка конечными разностями ловит ошибку.
# ---------------------------------------------------------------------------

BUGS = {
    None: "верный вывод",
    "sign": "знак: (a − Y) вместо (Y − a)",
    "no_sigma_out": "забыт σ' в τ_out",
    "no_sigma_in": "забыт σ' в τ_in",
    "transposed": "W вместо W.T в τ_in",
}


def buggy_gradients(net, X, A, bug=None):
    """(dW, db) как у net.gradients для сети с одним скрытым слоем (σ, mse, со смещениями), но с ошибкой.

    bug — ключ BUGS: None (верно), "sign", "no_sigma_out", "no_sigma_in", "transposed".
    """
    if bug not in BUGS:
        raise ValueError(f"bug: ожидается одно из {list(BUGS)}, получено {bug!r}")
    if len(net.weights) != 2 or net.biases is None or net.activations != ["sigmoid"] * 2 \
            or net.loss_name != "mse":
        raise ValueError("buggy_gradients: нужна сеть с одним скрытым слоем, σ, loss='mse' и смещениями")
    V, W = net.weights
    I, hidden, Y = net.forward(X)
    n = I.shape[1]
    if bug == "sign":
        tau_out = (A - Y) * Y * (1 - Y)              # ошибка: знак
    elif bug == "no_sigma_out":
        tau_out = Y - A                              # ошибка: нет σ'(SY) = Y (1 − Y)
    else:
        tau_out = (Y - A) * Y * (1 - Y)
    if bug == "transposed":
        back = W @ tau_out                           # ошибка: W вместо W.T
    else:
        back = W.T @ tau_out                         # Σ_i τ_out_i w_ji
    if bug == "no_sigma_in":
        tau_in = back                                # ошибка: нет σ'(SX) = X (1 − X)
    else:
        tau_in = back * hidden * (1 - hidden)
    dW = [tau_in @ I.T / n, tau_out @ hidden.T / n]
    db = [tau_in.sum(axis=1, keepdims=True) / n, tau_out.sum(axis=1, keepdims=True) / n]
    return dW, db


# ---------------------------------------------------------------------------
# Таблица «обратный проход против конечных разностей» (pandas не нужен).
# ---------------------------------------------------------------------------

def worst_relative_error(analytic, numeric):
    """Наибольшая по элементам относительная ошибка |g − ĝ| / (|g| + |ĝ|) для массивов одной формы."""
    a = np.asarray(analytic, dtype=float).ravel()
    b = np.asarray(numeric, dtype=float).ravel()
    return max(bp.relative_error(p, q) for p, q in zip(a, b))


def comparison_table(labels, analytic, numeric, codes=None, header="величина", title=None):
    """Markdown-таблица: подпись, (код), значение обратного прохода, оценка разностями, отн. ошибка.

    analytic, numeric — массивы одной формы, обходятся по строкам (C-порядок), как labels и codes;
    title — строка над таблицей.
    """
    from IPython.display import Markdown
    a = np.asarray(analytic, dtype=float).ravel()
    b = np.asarray(numeric, dtype=float).ravel()
    if a.shape != b.shape or len(labels) != a.size or (codes is not None and len(codes) != a.size):
        raise ValueError(f"comparison_table: ожидается по {a.size} подписей и значений, получено "
                         f"labels {len(labels)}, analytic {a.size}, numeric {b.size}")
    cols = [header] + (["в коде"] if codes is not None else []) + \
        ["обратный проход", "конечные разности", "отн. ошибка"]
    lines = ([f"**{title}**", ""] if title else []) + ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for k, label in enumerate(labels):
        code = [f"`{codes[k]}`"] if codes is not None else []
        cells = [label] + code + [f"{a[k]:+.8f}", f"{b[k]:+.8f}", f"{bp.relative_error(a[k], b[k]):.1e}"]
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))


# ===========================================================================
# Ноутбук 06: вычислительный граф — обратный шаг узла и градиент на развилке.
# Раздел самодостаточен: свои классы и помощники, от кода выше берёт только импорты (np).
# Студент пишет функции от чисел (float) и вызывает check_...(функция):
#     my_exp_backward(x, out, grad_out)  -> вклад узла out = e^x в градиент входа x
#     my_tanh_backward(x, out, grad_out) -> вклад узла out = tanh(x) в градиент входа x
#     my_fork_gradient(x)                -> ∂f/∂x для f = x · e^x: узел x используется дважды
# Верный ответ считает движок graph.Value; ответ с типичной ошибкой узнаётся и объясняется.
# ===========================================================================

GRAPH_POINTS = ((-2.0, 1.3), (-0.5, -0.7), (0.3, 2.5), (1.5, 0.4))   # (x, grad_out): x ≠ 0, grad_out ≠ ±1
GRAPH_TOLERANCE = 1e-9      # относительная погрешность, ниже которой ответ совпал с графом


class _NodeExercise:
    """Упражнение на узел графа: входы, верный ответ (движком graph) и узнаваемые ошибки."""
    what = ""           # что возвращает функция студента
    formula = ""        # верная формула для подсказки
    args = ("x", "out", "grad_out")
    done = ""           # что проверено — в сообщении «Верно!»

    def case(self, x, grad_out):
        raise NotImplementedError

    def mistakes(self, c):
        """Список (неверный ответ, объяснение) для входов c."""
        return []


def _graph_upstream(node, grad_out):
    """Градиент входов узла node при ∂E/∂node = grad_out: корень E = node · grad_out, затем backward()."""
    root = node * grad_out
    root.backward()


class _ExpBackward(_NodeExercise):
    what = "вклад узла out = e^x в градиент x"
    formula = "вклад = (e^x)' · grad_out; e^x уже посчитана — это выход узла out"
    done = "Узел exp передаёт градиент назад: локальная производная e^x, умноженная на градиент сверху."

    def case(self, x, grad_out):
        from .graph import Value
        node = Value(x, "x")
        out = node.exp()
        _graph_upstream(out, grad_out)
        return {"x": x, "out": out.data, "grad_out": grad_out, "expected": node.grad}

    def mistakes(self, c):
        x, out, g = c["x"], c["out"], c["grad_out"]
        return [
            (out, "забыт градиент сверху grad_out. Ваш ответ — локальная производная e^x, а по цепному "
                  "правилу её нужно умножить на ∂E/∂out, пришедший в узел от его потребителей.\n"
                  "Что попробовать: out * grad_out."),
            (g, "забыта локальная производная: вы передали градиент сверху как есть, будто узел — сложение.\n"
                "Что попробовать: умножьте grad_out на (e^x)' = e^x = out."),
            (g * x, "(e^x)' = e^x, а не x: множителем должен быть выход узла, а не вход.\n"
                    "Что попробовать: out * grad_out."),
            (g * np.exp(out), "экспонента взята дважды: out уже равен e^x, а у вас e^(e^x).\n"
                              "Что попробовать: out * grad_out, без повторного exp."),
            (g / x, "это производная ln x (1/x), а не e^x.\nЧто попробовать: out * grad_out."),
        ]


class _TanhBackward(_NodeExercise):
    what = "вклад узла out = tanh(x) в градиент x"
    formula = "вклад = tanh'(x) · grad_out; tanh'(x) выразите через выход узла out = tanh(x)"
    done = "Узел tanh передаёт градиент назад, и производная выражена через выход, как σ' в τ."

    def case(self, x, grad_out):
        from .graph import Value
        node = Value(x, "x")
        out = node.tanh()
        _graph_upstream(out, grad_out)
        return {"x": x, "out": out.data, "grad_out": grad_out, "expected": node.grad}

    def mistakes(self, c):
        x, out, g = c["x"], c["out"], c["grad_out"]
        return [
            (1 - out ** 2, "забыт градиент сверху grad_out: локальную производную 1 − out² нужно умножить "
                           "на ∂E/∂out.\nЧто попробовать: (1 - out**2) * grad_out."),
            (g * (1 - x ** 2), "в производную подставлен вход x, а не выход: tanh'(x) = 1 − tanh²(x) = 1 − out².\n"
                               "Что попробовать: (1 - out**2) * grad_out."),
            (g * (1 - np.tanh(out) ** 2), "tanh взят дважды: out уже равен tanh(x).\n"
                                          "Что попробовать: (1 - out**2) * grad_out."),
            (g * out * (1 - out), "это производная сигмоиды σ(1 − σ), а у tanh производная 1 − tanh².\n"
                                  "Что попробовать: (1 - out**2) * grad_out."),
            (g * (1 - out), "забыт квадрат: tanh'(x) = 1 − out², а не 1 − out.\n"
                            "Что попробовать: (1 - out**2) * grad_out."),
        ]


class _ForkGradient(_NodeExercise):
    what = "∂f/∂x для f = x · e^x"
    formula = "∂f/∂x — сумма вкладов двух путей: через левый вход умножения и через узел exp"
    args = ("x",)
    done = "На развилке вклады всех путей сложились — так граф и получает сумму Σ_i τ_out_i w_ji в τ_in_j."

    def case(self, x, grad_out):
        from .graph import Value
        node = Value(x, "x")
        f = node * node.exp()                   # x входит в граф дважды: в умножение и в exp
        f.backward()
        return {"x": x, "expected": node.grad}

    def mistakes(self, c):
        x = c["x"]
        e = np.exp(x)
        only = ("учтён только путь {path}, второй потерян. Так бывает, если градиент узла присваивают (=), "
                "а не прибавляют (+=): второй потребитель затирает вклад первого. У узла x два потребителя — "
                "узел × и узел exp, и вклады обоих путей складываются.\n"
                "Что попробовать: e^x + x · e^x.")
        return [
            (e, only.format(path="через левый вход умножения (∂f/∂x = e^x при постоянном e^x)")),
            (x * e, only.format(path="через узел exp (x · e^x)")),
            (e * x * e, "вклады путей перемножены, а их нужно сложить: по цепному правилу вдоль одного пути "
                        "производные перемножаются, а на развилке вклады разных путей складываются.\n"
                        "Что попробовать: e^x + x · e^x."),
            (e + x, "производная e^x потеряна на пути через exp: вклад этого пути — x · (e^x)' = x · e^x, а не x.\n"
                    "Что попробовать: e^x + x · e^x."),
        ]


_GRAPH_EXERCISES = {"exp_backward": _ExpBackward(), "tanh_backward": _TanhBackward(),
                    "fork_gradient": _ForkGradient()}


def _graph_fn_name(fn):
    return getattr(fn, "__name__", repr(fn))


def _graph_answer(fn, spec, c):
    """(число, None) или (None, текст ошибки) для вызова функции студента на входах c."""
    name = _graph_fn_name(fn)
    inputs = ", ".join(f"{a} = {c[a]:.4g}" for a in spec.args)
    try:
        result = fn(*(c[a] for a in spec.args))
    except Exception as exc:   # noqa: BLE001 — любую ошибку студента переводим в понятный текст
        return None, (f"{name} упала с ошибкой {type(exc).__name__}: {exc}\nВходы: {inputs} (числа float).\n"
                      f"Что попробовать: считайте по формуле {spec.formula}; подойдут math.exp, np.exp, **.")
    if result is None:
        return None, f"{name} ничего не вернула (None).\nЧто попробовать: последней строкой напишите return с ответом."
    if result is Ellipsis:
        return None, (f"{name} вернула ... (Ellipsis): ответ ещё не написан.\n"
                      f"Что попробовать: замените ... своей формулой: {spec.formula}.")
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.reshape(()).item()
    if isinstance(result, (bool, np.bool_)) or not isinstance(result, (int, float, np.integer, np.floating)):
        return None, (f"{name} вернула {type(result).__name__}, а ожидается одно число — {spec.what}.\n"
                      "Что попробовать: верните число (float), а не кортеж, список или узел Value.")
    if not np.isfinite(result):
        return None, f"{name} вернула {result}, а ожидается конечное число.\nЧто попробовать: {spec.formula}."
    return float(result), None


def _graph_close(a, b):
    return abs(a - b) <= GRAPH_TOLERANCE * (abs(a) + abs(b))


def graph_exercise_message(fn, exercise):
    """Текст ошибки функции fn в упражнении exercise ('exp_backward', 'tanh_backward', 'fork_gradient')
    или None, если ответ совпал с движком graph во всех точках GRAPH_POINTS."""
    if exercise not in _GRAPH_EXERCISES:
        raise ValueError(f"exercise: ожидается одно из {list(_GRAPH_EXERCISES)}, получено {exercise!r:.60}")
    spec = _GRAPH_EXERCISES[exercise]
    if not callable(fn):
        got = "... (Ellipsis)" if fn is Ellipsis else type(fn).__name__
        return (f"check_{exercise}: ожидается функция, получено {got}.\nЧто попробовать: передайте саму функцию, "
                f"без скобок: check_{exercise}(my_{exercise}), а не check_{exercise}(my_{exercise}(...)).")
    name = _graph_fn_name(fn)
    for x, grad_out in GRAPH_POINTS:
        c = spec.case(x, grad_out)
        got, problem = _graph_answer(fn, spec, c)
        if problem:
            return problem
        if _graph_close(got, c["expected"]):
            continue
        for wrong, explanation in spec.mistakes(c):
            if _graph_close(got, wrong):
                return f"{name}: неверно — {explanation}"
        inputs = ", ".join(f"{a} = {c[a]:.4g}" for a in spec.args)
        return (f"{name}: неверно — при {inputs} у вас {got:.6g}, граф даёт {c['expected']:.6g}.\n"
                f"Что попробовать: сверьте с формулой {spec.formula}.")
    return None


def _graph_check(fn, exercise):
    __tracebackhide__ = True
    message = graph_exercise_message(fn, exercise)
    if message:
        raise AssertionError(message)
    print(f"Верно! {_graph_fn_name(fn)} совпадает с графом (graph.Value) в {len(GRAPH_POINTS)} точках "
          f"x = {', '.join(f'{x:g}' for x, _ in GRAPH_POINTS)}. {_GRAPH_EXERCISES[exercise].done}")


def check_exp_backward(my_exp_backward):
    """Проверить my_exp_backward(x, out, grad_out) -> вклад узла out = e^x в x.grad (число)."""
    __tracebackhide__ = True
    _graph_check(my_exp_backward, "exp_backward")


def check_tanh_backward(my_tanh_backward):
    """Проверить my_tanh_backward(x, out, grad_out) -> вклад узла out = tanh(x) в x.grad (число)."""
    __tracebackhide__ = True
    _graph_check(my_tanh_backward, "tanh_backward")


def check_fork_gradient(my_fork_gradient):
    """Проверить my_fork_gradient(x) -> ∂f/∂x для f = x · e^x (число)."""
    __tracebackhide__ = True
    _graph_check(my_fork_gradient, "fork_gradient")
