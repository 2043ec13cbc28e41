"""Упражнения всех ноутбуков: проверки check_... с подсказками по-русски.

Каждая проверка устроена одинаково — это класс-наследник Exercise рядом со своей функцией check_...:
    args      — имена входов функции студента (() — студент даёт само число, массив или номер варианта);
    cases()   — случаи проверки с зерном: словари массивов;
    expected  — верный ответ на случае (его считает модуль backprop или numpy);
    mistakes  — типичные ошибки: (неверный ответ, объяснение и «Что попробовать»);
    scale_message, shape_message, nonfinite_message — объяснения ответа, который отличается от верного
                множителем, формой или содержит NaN/inf.
Проверка вызывает функцию студента на каждом случае, сравнивает с верным ответом и при ошибке поднимает
CheckFailed (это AssertionError): Jupyter показывает только сообщение — что не так и что попробовать, без
трассировки. Верный ответ печатает «Верно!» и что проверено. Заготовка `...` («# ваш код» в версии для
студента) получает ответ «ответ ещё не написан» с подсказкой.

Примеры — столбцы; E — среднее по примерам, как в backprop; W[i, j] = w_ji.
"""
import inspect
import traceback

import numpy as np

import backprop as bp

from . import datasets as ds

TOLERANCE = 1e-8   # относительная погрешность, ниже которой ответ считается совпавшим с модулем


class CheckFailed(AssertionError):
    """Ответ не прошёл проверку. В Jupyter (IPython) показывается только сообщение, без трассировки."""

    def _render_traceback_(self):
        lines = str(self).split("\n")
        return [f"\x1b[1;31m{lines[0]}\x1b[0m"] + lines[1:]


def _fail(message):
    __tracebackhide__ = True
    # from None: без цепочки «During handling of the above exception…»
    raise CheckFailed(message) from None


# ---------------------------------------------------------------------------
# Один образец для всех упражнений.
# ---------------------------------------------------------------------------

class Exercise:
    """Упражнение с проверкой. Наследники задают поля и методы ниже; ход проверки — здесь, один на всех."""
    name = ""          # проверка называется check_<name>, функция студента — my_<name>
    notebook = ""      # номер ноутбука, «01» … «05»
    what = ""          # название величины в сообщениях
    formula = ""       # верная формула для подсказки (формула, а не код ответа)
    args = ()          # имена входов функции студента; () — ответ передают сам, не функцией
    error_hint = ""    # подсказка, если функция студента упала
    reveal = True      # можно ли называть в сообщении ожидаемые числа (нельзя, если ответ — сами числа)
    done = ""          # что значит верный ответ: допечатывается к «Верно!»
    transposed_hint = "не транспонируйте (.T) ни ответ, ни входы."

    def cases(self):
        """Случаи проверки: список словарей с входами args и всем, что нужно expected и mistakes."""
        return [{}]

    def expected(self, c):
        raise NotImplementedError

    def mistakes(self, c):
        """Список (неверный ответ, объяснение): с чем совпадает ответ при типичной ошибке."""
        return []

    def scale_message(self, ratio, c):
        """Объяснение, если ответ — верный, умноженный на ratio; None — нет объяснения."""
        return None

    def shape_message(self, got, c):
        """Объяснение неверной формы got; None — общий текст."""
        return None

    def nonfinite_message(self, c):
        """Объяснение NaN или inf в ответе."""
        return "Что попробовать: проверьте деления и степени; формуле хватает +, −, * и @."

    def close(self, got, want):
        """Совпадает ли ответ got с want (массивы одной формы)."""
        return bp.relative_error(got, want) < TOLERANCE

    def convert(self, arr, c):
        """Ответ студента, приведённый к форме верного (для чисел, посчитанных вручную); по умолчанию как есть."""
        return arr

    def passed(self, answer):
        """Текст после «Верно!»."""
        cases = self.cases()
        if self.args:
            return (f"{_name(answer)} совпадает с верным ответом на {len(cases)} "
                    f"{_plural(len(cases), 'случае', 'случаях', 'случаях')} ({self.describe_cases()}). {self.done}")
        return self.done

    def describe_cases(self):
        return "; ".join(_describe_case(c, self.args, short=True) for c in self.cases())

    def message(self, answer):
        """Текст ошибки для ответа студента или None, если ответ верен."""
        if self.args:
            problem = _check_function(answer, self.name)
            if problem:
                return problem
        for c in self.cases():
            if self.args:
                result, problem = _call(answer, self, c)
                if problem:
                    return problem
            else:
                result = answer
            arr, problem = self.as_answer(answer, result, c)
            if problem:
                return problem
            problem = self.diagnose(answer, arr, c)
            if problem:
                return problem
        return None

    def as_answer(self, answer, result, c):
        """(массив float64, None) или (None, текст ошибки) для того, что дал студент."""
        return _as_answer(self, answer, result, c)

    def diagnose(self, answer, arr, c):
        """None, если ответ совпал с верным, иначе текст с объяснением ошибки."""
        return _diagnose(self, answer, arr, c)

    def check(self, answer):
        __tracebackhide__ = True
        message = self.message(answer)
        if message:
            _fail(message)
        print(f"Верно! {self.passed(answer)}".rstrip())


class ChoiceExercise(Exercise):
    """Упражнение «предскажите»: ответ — номер варианта; у каждого неверного варианта своё объяснение."""
    options = {}       # номер -> объяснение, почему этот вариант неверен (у верного — None)
    right = None       # номер верного варианта

    def as_answer(self, answer, result, c):
        if result is Ellipsis:
            return None, (f"ответ ещё не написан: вместо ... поставьте номер варианта "
                          f"({', '.join(map(str, self.options))}).\nЧто попробовать: {self.formula}")
        if isinstance(result, (bool, np.bool_)) or not isinstance(result, (int, np.integer)) \
                or int(result) not in self.options:
            return None, (f"ожидается номер варианта — целое число из {sorted(self.options)}, получено "
                          f"{result!r}.\nЧто попробовать: напишите, например, prediction = 1.")
        return int(result), None

    def diagnose(self, answer, arr, c):
        if arr == self.right:
            return None
        return f"вариант {arr} неверен — {self.options[arr]}"

    def passed(self, answer):
        return f"Вариант {self.right}. {self.done}"


def _plural(n, one, few, many):
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _name(fn):
    return getattr(fn, "__name__", repr(fn))


def _check_function(fn, exercise):
    """Текст ошибки, если fn не функция, иначе None."""
    if callable(fn):
        return None
    if fn is Ellipsis:
        return (f"ответ ещё не написан: check_{exercise} ждёт функцию, получено ... (Ellipsis).\n"
                f"Что попробовать: допишите функцию my_{exercise} и передайте её: check_{exercise}(my_{exercise}).")
    got = "None" if fn is None else type(fn).__name__
    return (f"check_{exercise}: ожидается функция, получено {got}.\n"
            f"Что попробовать: передайте саму функцию, без скобок и аргументов: "
            f"check_{exercise}(my_{exercise}), а не check_{exercise}(my_{exercise}(...)).")


def _describe_case(c, args, short=False):
    """Входы случая: формы массивов, значения чисел."""
    return ", ".join(f"{a} = {c[a]}" if np.ndim(c[a]) == 0 else f"{a}{'' if short else ' форма'} {np.shape(c[a])}"
                     for a in args)


def _call(fn, exercise, c):
    """(ответ, None) или (None, текст ошибки) — без трассировки из глубины numpy."""
    inputs = {a: (c[a].copy() if isinstance(c[a], np.ndarray) else c[a]) for a in exercise.args}
    try:
        with np.errstate(all="ignore"):          # переполнение объясняет nonfinite_message
            result = fn(*inputs.values())
    except Exception as exc:   # noqa: BLE001 — любую ошибку студента переводим в понятный текст
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
        own = [f for f in frames if "site-packages" not in f.filename and "numpy" not in f.filename]
        where = f"\nСтрока в вашей функции: {own[-1].line}" if own and own[-1].line else ""
        return None, (f"{_name(fn)} упала с ошибкой {type(exc).__name__}: {exc}{where}\n"
                      f"Входы: {_describe_case(c, exercise.args)}.\n"
                      f"Что попробовать: {exercise.error_hint}.")
    for a in exercise.args:
        if isinstance(c[a], np.ndarray) and not np.array_equal(inputs[a], c[a]):
            return None, (f"{_name(fn)} изменила свой вход {a} на месте (например, {a} -= ... или "
                          f"{a}[...] = ...), а входы нужны дальше.\nЧто попробовать: записывайте результат в "
                          f"новый массив: diff = {a} - ..., а не {a} -= ....")
    return result, None


def _as_answer(exercise, answer, result, c):
    name = _name(answer) if exercise.args else "ответ"
    if result is None:
        return None, (f"{name} ничего не вернула (None).\n"
                      "Что попробовать: последней строкой функции напишите return с ответом.")
    if result is Ellipsis:
        where = f"{name} вернула ... (Ellipsis): ответ" if exercise.args else "ответ"
        return None, (f"{where} ещё не написан.\n"
                      f"Что попробовать: замените ... в строке «# ваш код» своим ответом. {exercise.formula}")
    if isinstance(result, tuple) and exercise.args:
        return None, (f"{name} вернула кортеж из {len(result)} элементов, а ожидается один массив "
                      f"{exercise.what}.\n"
                      "Что попробовать: верните только ответ (return tau, а не return tau, что-то ещё).")
    try:
        arr = np.asarray(result)
    except Exception:   # noqa: BLE001 — например, списки разной длины
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        kind = type(result).__name__ if arr is None else f"{type(result).__name__} с dtype {arr.dtype}"
        if exercise.args:
            return None, (f"{name} вернула {kind}, а ожидается массив numpy чисел {exercise.what}.\n"
                          "Что попробовать: считайте ответ операциями numpy над входами (это массивы).")
        return None, (f"ответ: получено {kind}, а ожидаются числа {exercise.what}.\n"
                      "Что попробовать: запишите число (например, -0.1234) или список чисел.")
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        return None, (f"{name}: массив {arr.dtype} — точности не хватит для сравнения.\n"
                      "Что попробовать: не переводите в float32 — считайте в float64, как входы.")
    expected = np.asarray(exercise.expected(c))
    arr = exercise.convert(arr, c)
    if arr.shape != expected.shape:
        explained = exercise.shape_message(arr.shape, c)
        return None, (f"{name}: неверная форма ответа — " + (explained or (
            f"получена {arr.shape}, ожидается {expected.shape}.\n"
            f"Что попробовать: сверьте формы. Входы: {_describe_case(c, exercise.args)}. {exercise.formula}")))
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        return None, f"{name}: в ответе NaN или inf.\n{exercise.nonfinite_message(c)}"
    return arr, None


def _diagnose(exercise, answer, arr, c):
    expected = np.asarray(exercise.expected(c), dtype=float)
    if exercise.close(arr, expected):
        return None
    name = _name(answer) if exercise.args else "ответ"
    for wrong, explanation in exercise.mistakes(c):
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == arr.shape and exercise.close(arr, wrong):
            return f"{name}: неверно — {explanation}"
    if arr.ndim == 2 and expected.shape[0] == expected.shape[1] and exercise.close(arr, expected.T):
        return (f"{name}: неверно — ответ транспонирован: у квадратной матрицы форма совпала, но строки и "
                f"столбцы переставлены.\nЧто попробовать: {exercise.transposed_hint}")
    denom = float(np.sum(expected * expected))
    ratio = float(np.sum(arr * expected)) / denom if denom else 0.0
    if ratio and exercise.close(arr, ratio * expected):
        explained = exercise.scale_message(ratio, c)
        if explained:
            return f"{name}: неверно — {explained}"
    # любое число — «верное, умноженное на что-то»: о множителе говорим только у массивов и не выдаём ответ
    if ratio and arr.size > 1 and exercise.reveal and exercise.close(arr, ratio * expected):
        return (f"{name}: неверно — ответ равен верному, умноженному на {ratio:.4g}.\n"
                f"Что попробовать: ищите лишний или потерянный множитель. {exercise.formula}")
    if not exercise.reveal:
        return (f"{name}: неверно — числа не совпадают с точным ответом, и это не одна из типичных ошибок.\n"
                f"Что попробовать: пересчитайте шаг за шагом. {exercise.formula}")
    if arr.ndim == 0:
        where = f"у вас {float(arr):.6f}, ожидается {float(expected):.6f}"
    else:
        idx = np.unravel_index(np.argmax(np.abs(arr - expected)), arr.shape)
        where = (f"сильнее всего расходится элемент {tuple(int(k) for k in idx)}: у вас {arr[idx]:.6f}, "
                 f"ожидается {expected[idx]:.6f}")
    return (f"{name}: неверно — числа не совпадают с верным ответом (относительная погрешность "
            f"{bp.relative_error(arr, expected):.1e}).\n{where[0].upper() + where[1:]}. "
            f"Входы: {_describe_case(c, exercise.args)}.\nЧто попробовать: сверьте с формулой. {exercise.formula}")


EXERCISES = {}     # имя -> упражнение; check_<имя> проверяет его


def _register(exercise):
    EXERCISES[exercise.name] = exercise
    return exercise


def exercise_message(answer, exercise):
    """Текст ошибки ответа в упражнении exercise (имя из EXERCISES) или None, если ответ верен."""
    if exercise not in EXERCISES:
        raise ValueError(f"exercise: ожидается одно из {list(EXERCISES)}, получено {exercise!r:.60}")
    return EXERCISES[exercise].message(answer)


def _check(name, answer):
    __tracebackhide__ = True
    EXERCISES[name].check(answer)


# ===========================================================================
# Ноутбук 01: τ_out и τ_in одного примера вручную (сеть 2-2-1 из раздела 7, другой пример).
# ===========================================================================

HAND_V = np.array([[0.5, -1.0], [1.0, 0.5]])     # V[j, s] = v_sj, как в разделе 7
HAND_W = np.array([[1.0, -1.0]])                 # W[0, j] = w_j1
HAND_I = np.array([1.0, 0.0])                    # пример (I_1, I_2) = (1, 0)
HAND_A = 1.0                                     # правильный ответ a_1 = 1
HAND_ATOL = 6e-4   # числа, посчитанные вручную до 4 знаков: допуск на округление промежуточных


def _hand_case():
    """Прямой проход и τ сети 2-2-1 для примера HAND_I: словарь чисел (сеть без смещений)."""
    X = bp.sigmoid(HAND_V @ HAND_I)
    Y = float(bp.sigmoid(HAND_W @ X)[0])
    tau_out = (Y - HAND_A) * Y * (1 - Y)
    return {"X": X, "Y": Y, "tau_out": tau_out, "tau_in": tau_out * HAND_W[0] * X * (1 - X)}


def _mse_tau(Y):
    return (Y - HAND_A) * Y * (1 - Y)


class _HandExercise(Exercise):
    reveal = False

    def cases(self):
        return [_hand_case()]

    def close(self, got, want):
        return bool(np.allclose(got, want, rtol=0, atol=HAND_ATOL))

    def convert(self, arr, c):
        want = np.shape(self.expected(c))
        return arr.reshape(want) if arr.size == int(np.prod(want)) else arr


class _HandTauOut(_HandExercise):
    name = "hand_tau_out"
    notebook = "01"
    what = "τ_out_1"
    formula = ("Порядок: SX_j = Σ_s v_sj I_s, X_j = σ(SX_j); SY_1 = Σ_j w_j1 X_j, Y_1 = σ(SY_1); "
               "τ_out_1 = (Y_1 − a_1) · Y_1 (1 − Y_1).")
    done = ("τ_out_1 для примера (1, 0) с ответом 1 посчитано верно (до 4 знаков). Знак минус: выход Y_1 < a_1, "
            "и шаг спуска увеличит SY_1.")

    def expected(self, c):
        return c["tau_out"]

    def mistakes(self, c):
        Y = c["Y"]
        s = bp.sigmoid(Y)
        no_sigma_hidden = _mse_tau(float(bp.sigmoid(HAND_W @ (HAND_V @ HAND_I))[0]))
        no_sigma_out = _mse_tau(float((HAND_W @ c["X"])[0]))
        swapped_v = _mse_tau(float(bp.sigmoid(HAND_W @ bp.sigmoid(HAND_V.T @ HAND_I))[0]))
        return [
            (Y - HAND_A, "забыт множитель σ'(SY_1) = Y_1 (1 − Y_1): у вас Y_1 − a_1, то есть ∂E/∂Y_1.\n"
                         "Что попробовать: умножьте (Y_1 − a_1) на Y_1 (1 − Y_1)."),
            (HAND_A - Y, "забыт множитель Y_1 (1 − Y_1), и знак перевёрнут: у вас a_1 − Y_1.\n"
                         "Что попробовать: (Y_1 − a_1) · Y_1 (1 − Y_1)."),
            (0.0933, "это τ_out_1 примера из раздела 7 (вход (1, 1), ответ 0). Здесь другой пример: вход (1, 0), "
                     "ответ a_1 = 1.\nЧто попробовать: пересчитайте прямой проход с I_1 = 1, I_2 = 0."),
            ((Y - HAND_A) * s * (1 - s), "σ' посчитана как σ(Y_1)(1 − σ(Y_1)), но Y_1 уже равно σ(SY_1): "
                                         "производная через выход — Y_1 (1 − Y_1).\n"
                                         "Что попробовать: множитель Y_1 (1 − Y_1), без второго σ."),
            (no_sigma_hidden, "в прямом проходе пропущена σ скрытого слоя: вы взяли X_j = SX_j.\n"
                              "Что попробовать: X_j = σ(SX_j), а затем SY_1 = Σ_j w_j1 X_j."),
            (no_sigma_out, "в прямом проходе пропущена σ выходного нейрона: вы взяли Y_1 = SY_1.\n"
                           "Что попробовать: Y_1 = σ(SY_1), и только потом τ_out_1."),
            (swapped_v, "перепутаны индексы весов внутреннего слоя: v_sj — вес от входа s к нейрону j, "
                        "в матрице V[j, s]. У вас, похоже, SX_1 = v_11 I_1 + v_12 I_2.\n"
                        "Что попробовать: SX_1 = v_11 I_1 + v_21 I_2 = 0.5 · 1 + (−1) · 0, "
                        "SX_2 = v_12 I_1 + v_22 I_2."),
        ]

    def scale_message(self, ratio, c):
        if np.isclose(ratio, -1, atol=0.01):
            return ("неверный знак: τ_out_1 = (Y_1 − a_1) · Y_1 (1 − Y_1), а у вас, похоже, (a_1 − Y_1).\n"
                    "Что попробовать: здесь a_1 = 1 > Y_1, поэтому τ_out_1 отрицательна.")
        return None

    def shape_message(self, got, c):
        return f"ожидается одно число τ_out_1, получен массив формы {got}.\nЧто попробовать: tau_out_1 = число."


class _HandTauIn(_HandExercise):
    name = "hand_tau_in"
    notebook = "01"
    what = "τ_in_1, τ_in_2"
    formula = ("Выходной нейрон один, поэтому τ_in_j = τ_out_1 · w_j1 · X_j (1 − X_j); ответ — "
               "[τ_in_1, τ_in_2].")
    done = ("τ_in_1 и τ_in_2 посчитаны верно (до 4 знаков). Знаки разные, потому что w_11 = 1, а w_21 = −1: "
            "ошибка выходного нейрона уходит назад с весом связи.")

    def expected(self, c):
        return c["tau_in"]

    def mistakes(self, c):
        t, X, Y, w = c["tau_out"], c["X"], c["Y"], HAND_W[0]
        d = X * (1 - X)
        return [
            (t * w, "забыт множитель σ'(SX_j) = X_j (1 − X_j): у вас τ_out_1 · w_j1, то есть ∂E/∂X_j.\n"
                    "Что попробовать: умножьте каждое на X_j (1 − X_j) своего нейрона."),
            (t * w * Y * (1 - Y), "взята производная выходного нейрона Y_1 (1 − Y_1), а нужна своя для "
                                  "каждого скрытого: X_j (1 − X_j).\nЧто попробовать: τ_in_j = τ_out_1 · w_j1 · "
                                  "X_j (1 − X_j)."),
            (t * d, "пропущен вес связи w_j1: ошибка выходного нейрона уходит к скрытому j с весом w_j1.\n"
                    "Что попробовать: умножьте на w_11 = 1 и w_21 = −1."),
            ((t * w * d)[::-1], "числа верные, но в обратном порядке.\nЧто попробовать: ответ — [τ_in_1, τ_in_2]."),
            (np.array([0.0219, -0.0139]), "это τ_in примера из раздела 7 (вход (1, 1), ответ 0). Здесь вход (1, 0) "
                                          "и ответ a_1 = 1.\nЧто попробовать: пересчитайте прямой проход."),
            ((Y - HAND_A) * w * d, "формула τ_in верна, но вместо τ_out_1 взято Y_1 − a_1 (без σ').\n"
                                   "Что попробовать: сначала τ_out_1 = (Y_1 − a_1) · Y_1 (1 − Y_1), см. упражнение 1."),
        ]

    def scale_message(self, ratio, c):
        if np.isclose(ratio, -1, atol=0.01):
            return ("оба знака перевёрнуты: проверьте знак τ_out_1 (Y_1 − a_1, а не a_1 − Y_1) и не перепутаны ли "
                    "w_11 = 1 и w_21 = −1.\nЧто попробовать: τ_in_j = τ_out_1 · w_j1 · X_j (1 − X_j).")
        return None

    def shape_message(self, got, c):
        return (f"ожидаются два числа [τ_in_1, τ_in_2], получена форма {got}.\n"
                "Что попробовать: tau_in = [τ_in_1, τ_in_2] — список из двух чисел.")


_register(_HandTauOut())
_register(_HandTauIn())


def check_hand_tau_out(tau_out_1):
    """Проверить τ_out_1, посчитанное вручную для примера (1, 0) сети 2-2-1 из раздела 7: одно число."""
    __tracebackhide__ = True
    _check("hand_tau_out", tau_out_1)


def check_hand_tau_in(tau_in):
    """Проверить [τ_in_1, τ_in_2], посчитанные вручную для того же примера: два числа."""
    __tracebackhide__ = True
    _check("hand_tau_in", tau_in)


# ===========================================================================
# Ноутбук 02: τ_out, τ_in и градиент слоя в матричной форме, затем весь обратный проход.
# ===========================================================================

# Сети для проверки: (n_in, n_hidden, n_out, N). Первая квадратная (n_hidden = n_out): на ней W вместо W.T
# не падает с ошибкой формы, а даёт неверные числа — и проверка узнаёт эту ошибку. Вторая прямоугольная,
# третья — 2-3-1, как в задаче XOR.
CASES = ((2, 3, 3, 4), (3, 4, 2, 5), (2, 3, 1, 4))


def make_case(n_in, n_hidden, n_out, n_samples, seed, hidden="sigmoid"):
    """Случайная сеть со смещениями (скрытый слой — активация hidden, выход — σ), данные и всё, что посчитал
    модуль backprop: словарь массивов."""
    rng = np.random.default_rng(seed)
    V = rng.normal(size=(n_hidden, n_in))
    W = rng.normal(size=(n_out, n_hidden))
    biases = [rng.normal(scale=0.5, size=(n_hidden, 1)), rng.normal(scale=0.5, size=(n_out, 1))]
    X = rng.normal(size=(n_in, n_samples))
    A = rng.uniform(size=(n_out, n_samples))
    net = bp.Network.from_weights([V, W], biases, activations=[hidden, "sigmoid"])
    outputs = net.forward(X)
    tau_in, tau_out = net.backward(outputs, A)
    (dV, dW), _ = net.gradients(X, A)
    return {"net": net, "X": X, "A": A, "V": V, "W": W, "hidden": outputs[1], "Y": outputs[2],
            "tau_in": tau_in, "tau_out": tau_out, "dV": dV, "dW": dW}


def _cases(hidden="sigmoid"):
    return [make_case(*sizes, seed=k, hidden=hidden) for k, sizes in enumerate(CASES)]


class _NetExercise(Exercise):
    """Упражнение 02–04 на случайных сетях CASES: верный ответ считает модуль backprop."""
    hidden = "sigmoid"

    def cases(self):
        return _cases(self.hidden)

    def describe_cases(self):
        return ", ".join("-".join(str(k) for k in sizes[:3]) for sizes in CASES)

    def passed(self, answer):
        return (f"{_name(answer)} совпадает с модулем backprop на {len(CASES)} сетях ({self.describe_cases()}). "
                f"{self.done}")


class _TauOut(_NetExercise):
    name = "tau_out"
    notebook = "02"
    what = "τ_out"
    done = "Ошибки выходных нейронов найдены."
    formula = "Формула: τ_out_i = (Y_i − a_i) · Y_i · (1 − Y_i), для всех примеров сразу — поэлементно."
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


class _TauIn(_NetExercise):
    name = "tau_in"
    notebook = "02"
    what = "τ_in"
    done = "Ошибка распространилась назад, на скрытый слой."
    formula = "Формула: τ_in_j = (Σ_i τ_out_i w_ji) · X_j · (1 − X_j), где W[i, j] = w_ji."
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
                          "(W[i, j] = w_ji), это W.T @ tau_out. NumPy ошибку не заметил, потому что здесь W "
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


class _GradW(_NetExercise):
    name = "grad_W"
    notebook = "02"
    what = "∂E/∂W"
    done = "Градиент слоя готов."
    transposed_hint = "tau_out @ hidden.T вместо hidden @ tau_out.T."
    formula = ("Формула: ∂E/∂w_ji = τ_out_i X_j, усреднённое по N примерам (E — среднее): "
               "dW[i, j] = (1/N) Σ_n tau_out[i, n] · hidden[j, n].")
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




_register(_TauOut())
_register(_TauIn())
_register(_GradW())


def check_tau_out(my_tau_out):
    """Проверить my_tau_out(Y, A) -> τ_out формы (n_out, N). Неверно — CheckFailed с подсказкой."""
    __tracebackhide__ = True
    _check("tau_out", my_tau_out)


def check_tau_in(my_tau_in):
    """Проверить my_tau_in(W, tau_out, hidden) -> τ_in формы (n_hidden, N)."""
    __tracebackhide__ = True
    _check("tau_in", my_tau_in)


def check_grad_W(my_grad_W):
    """Проверить my_grad_W(tau_out, hidden) -> ∂E/∂W формы (n_out, n_hidden), среднее по примерам."""
    __tracebackhide__ = True
    _check("grad_W", my_grad_W)


def check_backprop(my_tau_out, my_tau_in, my_grad_W, seed=0):
    """Собрать обратный проход сети 2-3-1 (XOR) из функций студента и сверить с конечными разностями.

    ∂E/∂W = my_grad_W(τ_out, X_j), ∂E/∂V = my_grad_W(τ_in, I_s) — та же формула для второго слоя.
    """
    __tracebackhide__ = True
    for fn, exercise in ((my_tau_out, "tau_out"), (my_tau_in, "tau_in"), (my_grad_W, "grad_W")):
        message = exercise_message(fn, exercise)
        if message:
            _fail(message)
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
        _fail(f"Ваш обратный проход расходится с конечными разностями: относительная погрешность "
              f"∂E/∂V {errors[0]:.1e}, ∂E/∂W {errors[1]:.1e}.\n"
              "Что попробовать: my_grad_W(tau_in, X) должна давать ∂E/∂V той же формулой.")
    print(f"Верно! Ваш обратный проход для сети 2-3-1 на XOR сходится с конечными разностями: "
          f"относительная погрешность ∂E/∂v_sj {errors[0]:.0e}, ∂E/∂w_ji {errors[1]:.0e}.")


# ===========================================================================
# Ноутбук 02, раздел «Сломанный вывод»: намеренно сломанные выводы и таблица сравнения.
# ===========================================================================

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


def show_buggy_lines():
    """Только строки buggy_gradients с ошибками, с условиями ветвей: её код без верных строк.

    Так код показывают в версии для студента: верные строки — ответы упражнений.
    """
    from .style import SourceCode
    lines = inspect.getsource(buggy_gradients).split("\n")
    shown, branch = [], None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("if bug ==", "elif bug ==")):
            branch = line
        elif "# ошибка" in line:
            if branch is not None:
                shown.append(branch)
                branch = None
            shown.append(line)
    return SourceCode("# buggy_gradients: только строки с ошибками; верные строки — ваши упражнения ниже\n"
                      + "\n".join(line[4:] for line in shown) + "\n")


# ---------------------------------------------------------------------------
# Таблица «обратный проход против конечных разностей» (pandas не нужен).
# ---------------------------------------------------------------------------

def worst_relative_error(analytic, numeric):
    """Наибольшая по элементам относительная ошибка |g − ĝ| / (|g| + |ĝ|) для массивов одной формы."""
    a = np.asarray(analytic, dtype=float).ravel()
    b = np.asarray(numeric, dtype=float).ravel()
    return max(bp.relative_error(p, q) for p, q in zip(a, b))


def comparison_table(labels, analytic, numeric, codes=None, header="величина", title=None):
    """Markdown-таблица: подпись, (код), значение обратного прохода, оценка разностями, отн. погрешность.

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
        ["обратный проход", "конечные разности", "отн. погрешность"]
    lines = ([f"**{title}**", ""] if title else []) + ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for k, label in enumerate(labels):
        code = [f"`{codes[k]}`"] if codes is not None else []
        cells = [label] + code + [f"{a[k]:+.8f}", f"{b[k]:+.8f}", f"{bp.relative_error(a[k], b[k]):.1e}"]
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))


# ===========================================================================
# Ноутбук 03: τ_in со скрытым слоем tanh; предсказание — что станет с границей решения.
# ===========================================================================

class _TauInTanh(_NetExercise):
    name = "tau_in_tanh"
    notebook = "03"
    hidden = "tanh"
    what = "τ_in"
    formula = ("Формула: τ_in_j = (Σ_i τ_out_i w_ji) · tanh'(SX_j), и производная выражается через выход: "
               "tanh'(SX_j) = 1 − X_j², где X_j = tanh(SX_j).")
    args = ("W", "tau_out", "hidden")
    error_hint = ("W формы (n_out, n_hidden), W[i, j] = w_ji; tau_out формы (n_out, N); hidden — выходы tanh "
                  "формы (n_hidden, N). Сумма по i — матричное произведение (@), множитель 1 − X_j² — поэлементный")
    done = "Со скрытым слоем tanh меняется только множитель производной."

    def expected(self, c):
        return c["tau_in"]

    def mistakes(self, c):
        W, tau_out, hidden = c["W"], c["tau_out"], c["hidden"]
        back = W.T @ tau_out
        found = [
            (back * hidden * (1 - hidden), "взята производная σ: X_j (1 − X_j). Скрытый слой здесь — tanh, у него "
                                           "своя производная.\nЧто попробовать: tanh'(SX_j) = 1 − X_j², "
                                           "поэлементно: 1 - hidden**2."),
            (back, "забыт множитель tanh'(SX_j): ваш ответ — Σ_i τ_out_i w_ji, то есть ∂E/∂X_j, а τ_in_j = ∂E/∂SX_j.\n"
                   "Что попробовать: умножьте поэлементно на 1 − X_j²."),
            (back * (1 - np.tanh(hidden) ** 2), "tanh применён второй раз: hidden уже равно tanh(SX_j), и "
                                                "производная через выход — 1 − X_j², без ещё одного tanh.\n"
                                                "Что попробовать: 1 - hidden**2."),
            (back * (1 - hidden) ** 2, "(1 − X_j)² вместо 1 − X_j²: квадрат должен стоять у X_j, а не у разности.\n"
                                       "Что попробовать: 1 - hidden**2."),
            (back * (1 + hidden) * (1 - hidden) * (1 - hidden ** 2),
             "множитель 1 − X_j² взят дважды.\nЧто попробовать: оставьте один."),
        ]
        if W.shape[0] == W.shape[1]:
            found.append(((W @ tau_out) * (1 - hidden ** 2),
                          "W вместо W.T: сумма Σ_i τ_out_i w_ji идёт по строкам W (W[i, j] = w_ji). NumPy не заметил, "
                          "потому что здесь W квадратная.\nЧто попробовать: W.T @ tau_out."))
        return found

    def scale_message(self, ratio, c):
        if np.isclose(ratio, -1):
            return ("неверный знак: τ_in_j = (Σ_i τ_out_i w_ji) · (1 − X_j²), без минуса.\n"
                    "Что попробовать: уберите минус.")
        return None

    def shape_message(self, got, c):
        return _tau_shape_message(got, c["tau_in"].shape, "скрытый нейрон j", "tau_out и hidden")


class _BoundaryPrediction(ChoiceExercise):
    name = "boundary_prediction"
    notebook = "03"
    formula = "вспомните, от чего зависит переобучение (раздел 3), и выберите номер варианта."
    right = 2
    options = {
        1: ("переобучение — это соотношение гибкости сети и объёма данных. 32 нейрона обогнули каждую из 40 точек, "
            "но обогнуть каждую из 400 перемешанных шумом точек им уже не по силам.\n"
            "Что попробовать: подумайте, что будет с зазором между обучением и тестом, и выберите снова."),
        2: None,
        3: ("сеть учится и на 400 точках: E — среднее по примерам, поэтому градиент не растёт с числом точек, и "
            "тот же шаг η годится.\nЧто попробовать: выберите между вариантами 1 и 2."),
    }
    done = ("Точек в 10 раз больше: 32 нейронам уже не обогнуть каждую, граница глаже, доли верных на обучении "
            "и на тесте сближаются. Проверьте это в ячейке ниже.")


_register(_TauInTanh())
_register(_BoundaryPrediction())


def check_tau_in_tanh(my_tau_in_tanh):
    """Проверить my_tau_in_tanh(W, tau_out, hidden) -> τ_in формы (n_hidden, N) для скрытого слоя tanh."""
    __tracebackhide__ = True
    _check("tau_in_tanh", my_tau_in_tanh)


def check_boundary_prediction(prediction):
    """Проверить предсказание (номер варианта 1, 2 или 3): сеть 2-32-1 из раздела 3 на 400 точках вместо 40."""
    __tracebackhide__ = True
    _check("boundary_prediction", prediction)


# ===========================================================================
# Ноутбук 04: τ_out для softmax с перекрёстной энтропией; τ_in со скрытым слоем ReLU.
# ===========================================================================

def _softmax_cases():
    """Взвешенные суммы SY и ответы one-hot; в последнем случае суммы огромные (сотни)."""
    found = []
    for k, (n_out, n, scale) in enumerate(((3, 5, 2.0), (4, 6, 2.0), (3, 4, 1000.0))):
        rng = np.random.default_rng(10 + k)
        SY = scale * rng.normal(size=(n_out, n))
        A = np.eye(n_out)[:, rng.integers(n_out, size=n)]
        found.append({"SY": SY, "A": A, "Y": bp.softmax(SY)})
    return found


class _TauOutSoftmax(Exercise):
    name = "tau_out_softmax"
    notebook = "04"
    what = "τ_out"
    formula = ("Формулы: Y_i = e^{SY_i} / Σ_k e^{SY_k} — по столбцу (один пример), затем τ_out_i = ∂E/∂SY_i = "
               "Y_i − a_i.")
    args = ("SY", "A")
    error_hint = ("SY и A — массивы формы (n_out, N), пример — столбец; сумма Σ_k в softmax — по строкам "
                  "одного столбца: axis=0, keepdims=True")
    done = "Softmax с перекрёстной энтропией: множитель производной сократился, τ_out = Y − A."

    def cases(self):
        return _softmax_cases()

    def expected(self, c):
        return c["Y"] - c["A"]

    def mistakes(self, c):
        SY, A, Y = c["SY"], c["A"], c["Y"]
        e = np.exp(SY - SY.max(axis=1, keepdims=True))
        by_rows = e / e.sum(axis=1, keepdims=True)
        return [
            (SY - A, "забыт softmax: у вас SY − A. τ_out_i = Y_i − a_i, где Y — вероятности после softmax.\n"
                     "Что попробовать: сначала Y = softmax(SY) по столбцу, потом Y − A."),
            (bp.sigmoid(SY) - A, "взята сигмоида каждого выхода отдельно, а нужен softmax: выходы столбца должны "
                                 "в сумме давать 1.\nЧто попробовать: Y_i = e^{SY_i} / Σ_k e^{SY_k}, сумма по "
                                 "столбцу (axis=0)."),
            (by_rows - A, "softmax посчитан по строкам (axis=1): вы нормировали один выход по всем примерам. "
                          "Пример — столбец, вероятности классов одного примера — его строки.\n"
                          "Что попробовать: sum(axis=0, keepdims=True)."),
            (Y, "забыто вычесть правильные ответы: у вас Y, а τ_out = Y − A.\nЧто попробовать: вычтите A."),
            ((Y - A) * Y * (1 - Y), "лишний множитель Y (1 − Y): он был у квадратичной функции потерь с σ. С "
                                    "перекрёстной энтропией производная softmax сокращается (раздел 4).\n"
                                    "Что попробовать: τ_out = Y − A без множителя."),
        ]

    def scale_message(self, ratio, c):
        n = c["SY"].shape[1]
        if np.isclose(ratio, -1):
            return "неверный знак: τ_out = Y − A, а у вас A − Y.\nЧто попробовать: Y - A."
        if np.isclose(ratio, 1 / n):
            return (f"τ разделено на число примеров N = {n}: τ считается для каждого примера отдельно, делить "
                    "на N нужно только в градиенте.\nЧто попробовать: уберите деление на N.")
        return None

    def nonfinite_message(self, c):
        big = float(np.abs(c["SY"]).max())
        return (f"Здесь взвешенные суммы доходят до {big:.0f}: e^{{{big:.0f}}} не помещается во float64 (inf), и "
                "inf / inf = NaN.\nЧто попробовать: вычтите из каждого столбца SY его максимум — softmax от этого "
                "не меняется, а e^{…} не больше 1: SY - SY.max(axis=0, keepdims=True).")

    def shape_message(self, got, c):
        return _tau_shape_message(got, c["SY"].shape, "выходной нейрон i", "SY и A")


class _TauInRelu(_NetExercise):
    name = "tau_in_relu"
    notebook = "04"
    hidden = "relu"
    what = "τ_in"
    formula = ("Формула: τ_in_j = (Σ_i τ_out_i w_ji) · ReLU'(SX_j), где ReLU'(SX_j) = 1 при SX_j > 0 и 0 иначе; "
               "через выход: 1 там, где X_j > 0.")
    args = ("W", "tau_out", "hidden")
    error_hint = ("W формы (n_out, n_hidden), W[i, j] = w_ji; tau_out формы (n_out, N); hidden — выходы ReLU "
                  "формы (n_hidden, N). Сумма по i — матричное произведение (@), производная — поэлементная")
    done = "У «выключенных» нейронов (X_j = 0) τ_in_j = 0: через них ошибка назад не проходит."

    def expected(self, c):
        return c["tau_in"]

    def mistakes(self, c):
        W, tau_out, hidden = c["W"], c["tau_out"], c["hidden"]
        back = W.T @ tau_out
        found = [
            (back, "забыт множитель ReLU'(SX_j) (или взято hidden >= 0 — у выхода ReLU это верно всегда). У "
                   "выключенных нейронов (X_j = 0) τ_in_j должна быть 0.\n"
                   "Что попробовать: умножьте поэлементно на (hidden > 0)."),
            (back * hidden, "умножено на сам выход X_j = ReLU(SX_j), а нужна производная: 1 там, где X_j > 0, "
                            "и 0 там, где X_j = 0.\nЧто попробовать: (hidden > 0) вместо hidden."),
            (back * hidden * (1 - hidden), "взята производная σ: X_j (1 − X_j). Скрытый слой здесь — ReLU.\n"
                                           "Что попробовать: производная ReLU — 0 или 1: (hidden > 0)."),
            (back * (1 - hidden ** 2), "взята производная tanh: 1 − X_j². Скрытый слой здесь — ReLU.\n"
                                       "Что попробовать: производная ReLU — 0 или 1: (hidden > 0)."),
        ]
        if W.shape[0] == W.shape[1]:
            found.append(((W @ tau_out) * (hidden > 0),
                          "W вместо W.T: сумма Σ_i τ_out_i w_ji идёт по строкам W (W[i, j] = w_ji). NumPy не заметил, "
                          "потому что здесь W квадратная.\nЧто попробовать: W.T @ tau_out."))
        return found

    def scale_message(self, ratio, c):
        if np.isclose(ratio, -1):
            return "неверный знак: τ_in_j = (Σ_i τ_out_i w_ji) · ReLU'(SX_j), без минуса.\nЧто попробовать: уберите минус."
        return None

    def shape_message(self, got, c):
        return _tau_shape_message(got, c["tau_in"].shape, "скрытый нейрон j", "tau_out и hidden")


_register(_TauOutSoftmax())
_register(_TauInRelu())


def check_tau_out_softmax(my_tau_out_softmax):
    """Проверить my_tau_out_softmax(SY, A) -> τ_out формы (n_out, N): softmax по столбцам и перекрёстная энтропия."""
    __tracebackhide__ = True
    _check("tau_out_softmax", my_tau_out_softmax)


def check_tau_in_relu(my_tau_in_relu):
    """Проверить my_tau_in_relu(W, tau_out, hidden) -> τ_in формы (n_hidden, N) для скрытого слоя ReLU."""
    __tracebackhide__ = True
    _check("tau_in_relu", my_tau_in_relu)


# ===========================================================================
# Ноутбук 05: доля верных ответов по вероятностям; строка матрицы ошибок.
# ===========================================================================

def _digit_cases():
    """Вероятности Y (10, N) и ответы one-hot A: примерно 70% примеров сеть угадывает."""
    found = []
    for k, n in enumerate((20, 37)):
        rng = np.random.default_rng(20 + k)
        Y = bp.softmax(2 * rng.normal(size=(10, n)))
        labels = np.where(rng.uniform(size=n) < 0.7, Y.argmax(axis=0), rng.integers(10, size=n))
        found.append({"Y": Y, "A": np.eye(10)[:, labels], "labels": labels, "predicted": Y.argmax(axis=0)})
    return found


class _Accuracy(Exercise):
    name = "accuracy"
    notebook = "05"
    what = "доля верных ответов"
    formula = ("Ответ сети на примере — номер строки с наибольшей вероятностью в его столбце; доля верных — "
               "число совпадений с правильной цифрой, делённое на число примеров N.")
    args = ("Y", "A")
    error_hint = ("Y — вероятности формы (10, N), A — ответы one-hot формы (10, N); пример — столбец, поэтому "
                  "номер класса ищут по оси 0: argmax(axis=0)")
    done = "Это то же, что ds.accuracy(net, X, A) для Y = net.predict_proba(X)."

    def cases(self):
        return _digit_cases()

    def expected(self, c):
        return np.mean(c["Y"].argmax(axis=0) == c["labels"])

    def mistakes(self, c):
        Y, A, labels = c["Y"], c["A"], c["labels"]
        predicted = Y.argmax(axis=0)
        return [
            (1 - np.mean(predicted == labels), "это доля ошибок, а не верных ответов.\n"
                                               "Что попробовать: считайте совпадения (==), а не расхождения."),
            (np.mean(Y.argmax(axis=1) == A.argmax(axis=1)), "argmax взят по оси 1 — по примерам. Пример — "
                                                            "столбец: номер класса — строка с наибольшей "
                                                            "вероятностью в столбце.\nЧто попробовать: argmax(axis=0)."),
            (np.mean((Y > 0.5) == A), "сравнены все 10 выходов с one-hot поэлементно: совпавшие нули у неверных "
                                      "классов засчитаны как верные ответы.\nЧто попробовать: сравнивайте номера "
                                      "классов: argmax(axis=0) у Y и у A."),
            (np.mean(predicted == A), "номер класса сравнён со всем столбцом one-hot A (numpy растянул массивы).\n"
                                      "Что попробовать: номер правильного класса — A.argmax(axis=0)."),
        ]

    def scale_message(self, ratio, c):
        n = c["Y"].shape[1]
        if np.isclose(ratio, n):
            return (f"это число верных ответов, а не доля: ваш ответ в N = {n} раз больше.\n"
                    "Что попробовать: разделите на число примеров N = Y.shape[1] (или возьмите np.mean).")
        if np.isclose(ratio, 100):
            return "это проценты: ответ в 100 раз больше доли.\nЧто попробовать: верните число от 0 до 1."
        return None

    def shape_message(self, got, c):
        if got == (c["Y"].shape[1],):
            return ("ответ по одному на пример: это совпадения, а нужна их доля — одно число.\n"
                    "Что попробовать: np.mean(...) от массива совпадений.")
        return "ожидается одно число от 0 до 1.\nЧто попробовать: np.mean(...) от массива совпадений."


class _ConfusionRow(Exercise):
    name = "confusion_row"
    notebook = "05"
    what = "строка матрицы ошибок"
    formula = ("Строка digit матрицы ошибок: для примеров, у которых настоящая цифра digit, — сколько раз сеть "
               "ответила 0, 1, …, 9. Десять целых чисел, в сумме — число примеров цифры digit.")
    args = ("labels", "predicted", "digit")
    error_hint = ("labels и predicted — цифры формы (N,), digit — целое число. Выберите примеры с labels == digit "
                  "и посчитайте ответы сети на них: np.bincount(..., minlength=10)")
    done = "Это строка digit матрицы ds.confusion_matrix(labels, predicted)."

    def cases(self):
        found = []
        for c, digit in zip(_digit_cases(), (3, 8)):
            labels, predicted = c["labels"].copy(), c["predicted"].copy()
            labels[:4], predicted[:4] = digit, [digit, digit, (digit + 1) % 10, (digit + 5) % 10]
            predicted[4:6], labels[4:6] = digit, [(digit + 2) % 10, (digit + 2) % 10]
            found.append({"labels": labels, "predicted": predicted, "digit": digit})
        return found

    def expected(self, c):
        return np.bincount(c["predicted"][c["labels"] == c["digit"]], minlength=10)

    def mistakes(self, c):
        labels, predicted, digit = c["labels"], c["predicted"], c["digit"]
        row = self.expected(c)
        only_errors = row.copy()
        only_errors[digit] = 0
        return [
            (np.bincount(labels[predicted == digit], minlength=10),
             "это столбец: вы взяли примеры, которые сеть назвала digit, и посчитали их настоящие цифры. Строка — "
             "настоящая цифра, столбец — ответ сети.\nЧто попробовать: отберите примеры с labels == digit и "
             "посчитайте их predicted."),
            (only_errors, "на месте digit стоит 0: верные ответы тоже входят в строку (это диагональ матрицы).\n"
                          "Что попробовать: не обнуляйте элемент digit."),
            (np.bincount(predicted, minlength=10), "посчитаны ответы сети на всех примерах, без отбора по "
                                                   "настоящей цифре.\nЧто попробовать: сначала predicted[labels "
                                                   "== digit]."),
        ]

    def scale_message(self, ratio, c):
        total = int(self.expected(c).sum())
        if np.isclose(ratio, 1 / total):
            return (f"это доли, а нужно число примеров: ваш ответ в {total} раз меньше (столько примеров цифры).\n"
                    "Что попробовать: не делите на сумму строки.")
        return None

    def shape_message(self, got, c):
        if len(got) == 1 and got[0] < 10:
            return (f"строка длины {got[0]}, а цифр 10: np.bincount считает только до наибольшего встреченного "
                    "числа.\nЧто попробовать: np.bincount(..., minlength=10).")
        return "ожидается массив из 10 чисел — по одному на ответ сети 0–9.\nЧто попробовать: сверьте форму."


_register(_Accuracy())
_register(_ConfusionRow())


def check_accuracy(my_accuracy):
    """Проверить my_accuracy(Y, A) -> доля верных ответов (число от 0 до 1); Y и A формы (10, N)."""
    __tracebackhide__ = True
    _check("accuracy", my_accuracy)


def check_confusion_row(my_confusion_row):
    """Проверить my_confusion_row(labels, predicted, digit) -> строка digit матрицы ошибок, 10 целых чисел."""
    __tracebackhide__ = True
    _check("confusion_row", my_confusion_row)


# ===========================================================================
# Ноутбук 06: вычислительный граф — обратный шаг узла и градиент на развилке.
# Студент пишет функции от чисел (float) и вызывает ex.check_...(функция):
#     my_exp_backward(x, out, grad_out)  -> вклад узла out = e^x в градиент входа x
#     my_tanh_backward(x, out, grad_out) -> вклад узла out = tanh(x) в градиент входа x
#     my_fork_gradient(x)                -> ∂f/∂x для f = x · e^x: узел x используется дважды
# Верный ответ считает движок graph.Value; ответ с типичной ошибкой узнаётся и объясняется.
# ===========================================================================

GRAPH_POINTS = ((-2.0, 1.3), (-0.5, -0.7), (0.3, 2.5), (1.5, 0.4))   # (x, grad_out): x ≠ 0, grad_out ≠ ±1
GRAPH_TOLERANCE = 1e-9      # относительная погрешность, ниже которой ответ совпал с графом


def _graph_upstream(node, grad_out):
    """Градиент входов узла node при ∂E/∂node = grad_out: корень E = node · grad_out, затем backward()."""
    root = node * grad_out
    root.backward()


class _NodeExercise(Exercise):
    """Упражнение на узел графа: случаи — точки GRAPH_POINTS, верный ответ считает движок graph."""
    notebook = "06"
    args = ("x", "out", "grad_out")
    error_hint = "входы — числа float; подойдут math.exp, np.exp и **"

    def node(self, x):
        """(лист x, узел, градиент которого нужен) — граф упражнения."""
        raise NotImplementedError

    def cases(self):
        from .graph import Value
        found = []
        for x, grad_out in GRAPH_POINTS:
            leaf = Value(x, "x")
            out = self.node(leaf)
            _graph_upstream(out, grad_out)
            found.append({"x": x, "out": out.data, "grad_out": grad_out, "expected": leaf.grad})
        return found

    def expected(self, c):
        return np.array(c["expected"])

    def describe_cases(self):
        return "x = " + ", ".join(f"{x:g}" for x, _ in GRAPH_POINTS)

    def close(self, got, want):
        return bool(np.all(np.abs(got - want) <= GRAPH_TOLERANCE * (np.abs(got) + np.abs(want))))


class _ExpBackward(_NodeExercise):
    name = "exp_backward"
    what = "вклад узла out = e^x в градиент x (одно число)"
    formula = "Формула: вклад = (e^x)' · grad_out, а e^x уже посчитана — это выход узла out."
    done = "Узел exp передаёт градиент назад: локальная производная e^x, умноженная на градиент сверху."

    def node(self, x):
        return x.exp()

    def mistakes(self, c):
        x, out, g = c["x"], c["out"], c["grad_out"]
        return [
            (out, "забыт градиент сверху grad_out. Ваш ответ — локальная производная e^x, а по цепному "
                  "правилу её нужно умножить на ∂E/∂out, пришедший в узел от его потребителей.\n"
                  "Что попробовать: умножьте на grad_out."),
            (g, "забыта локальная производная: вы передали градиент сверху как есть, будто узел — сложение.\n"
                "Что попробовать: умножьте grad_out на (e^x)' — она равна выходу узла."),
            (g * x, "(e^x)' = e^x, а не x: множителем должен быть выход узла, а не вход.\n"
                    "Что попробовать: возьмите выход узла out вместо входа x."),
            (g * np.exp(out), "экспонента взята дважды: out уже равен e^x, а у вас e^(e^x).\n"
                              "Что попробовать: используйте out как есть, без повторного exp."),
            (g / x, "это производная ln x (1/x), а не e^x.\nЧто попробовать: производная e^x — сама e^x."),
        ]


class _TanhBackward(_NodeExercise):
    name = "tanh_backward"
    what = "вклад узла out = tanh(x) в градиент x (одно число)"
    formula = "Формула: вклад = tanh'(x) · grad_out, а tanh'(x) выражается через выход узла out = tanh(x)."
    done = "Узел tanh передаёт градиент назад, и производная выражена через выход, как σ' в τ."

    def node(self, x):
        return x.tanh()

    def mistakes(self, c):
        x, out, g = c["x"], c["out"], c["grad_out"]
        return [
            (1 - out ** 2, "забыт градиент сверху grad_out: локальную производную нужно умножить на ∂E/∂out.\n"
                           "Что попробовать: умножьте на grad_out."),
            (g * (1 - x ** 2), "в производную подставлен вход x, а не выход: tanh'(x) = 1 − tanh²(x).\n"
                               "Что попробовать: возьмите выход узла out вместо входа x."),
            (g * (1 - np.tanh(out) ** 2), "tanh взят дважды: out уже равен tanh(x).\n"
                                          "Что попробовать: используйте out как есть."),
            (g * out * (1 - out), "это производная сигмоиды σ(1 − σ), а у tanh производная 1 − tanh².\n"
                                  "Что попробовать: вспомните производную tanh через её значение."),
            (g * (1 - out), "забыт квадрат: tanh'(x) = 1 − tanh²(x), а не 1 − tanh(x).\n"
                            "Что попробовать: возведите выход в квадрат."),
        ]


class _ForkGradient(_NodeExercise):
    name = "fork_gradient"
    what = "∂f/∂x для f = x · e^x (одно число)"
    formula = "Формула: ∂f/∂x — сумма вкладов двух путей: через левый вход умножения и через узел exp."
    args = ("x",)
    done = "На развилке вклады всех путей сложились — так граф и получает сумму Σ_i τ_out_i w_ji в τ_in_j."

    def node(self, x):
        return x * x.exp()                      # x входит в граф дважды: в умножение и в exp

    def cases(self):
        from .graph import Value
        found = []
        for x, _ in GRAPH_POINTS:
            leaf = Value(x, "x")
            self.node(leaf).backward()
            found.append({"x": x, "expected": leaf.grad})
        return found

    def mistakes(self, c):
        x = c["x"]
        e = np.exp(x)
        only = ("учтён только путь {path}, второй потерян. Так бывает, если градиент узла присваивают (=), "
                "а не прибавляют (+=): второй потребитель затирает вклад первого. У узла x два потребителя — "
                "узел × и узел exp, и вклады обоих путей складываются.\n"
                "Что попробовать: сложите вклады двух путей.")
        return [
            (e, only.format(path="через левый вход умножения (∂f/∂x = e^x при постоянном e^x)")),
            (x * e, only.format(path="через узел exp (x · e^x)")),
            (e * x * e, "вклады путей перемножены, а их нужно сложить: по цепному правилу вдоль одного пути "
                        "производные перемножаются, а на развилке вклады разных путей складываются.\n"
                        "Что попробовать: сложите вклады двух путей."),
            (e + x, "производная e^x потеряна на пути через exp: вклад этого пути — x · (e^x)', а не x.\n"
                    "Что попробовать: умножьте x на производную e^x."),
        ]


for _exercise in (_ExpBackward(), _TanhBackward(), _ForkGradient()):
    _register(_exercise)


def check_exp_backward(my_exp_backward):
    """Проверить my_exp_backward(x, out, grad_out) -> вклад узла out = e^x в x.grad (число)."""
    __tracebackhide__ = True
    _check("exp_backward", my_exp_backward)


def check_tanh_backward(my_tanh_backward):
    """Проверить my_tanh_backward(x, out, grad_out) -> вклад узла out = tanh(x) в x.grad (число)."""
    __tracebackhide__ = True
    _check("tanh_backward", my_tanh_backward)


def check_fork_gradient(my_fork_gradient):
    """Проверить my_fork_gradient(x) -> ∂f/∂x для f = x · e^x (число)."""
    __tracebackhide__ = True
    _check("fork_gradient", my_fork_gradient)


# ===========================================================================
# Ноутбук 07: шаг с импульсом вручную; L2-член градиента; первый шаг Adam (предсказание).
# ===========================================================================

MOMENTUM_CASES = (((3, 2), 0.1, 0.9), ((1, 3), 0.5, 0.8), ((4, 4), 2.0, 0.5))   # (форма, η, β)


class _MomentumStep(Exercise):
    name = "momentum_step"
    notebook = "07"
    what = "новые веса w"
    formula = "Формулы шага с импульсом: v ← β v + g, затем w ← w − η v (v — скорость до шага, g = ∂E/∂w)."
    args = ("w", "v", "g", "learning_rate", "beta")
    error_hint = ("w, v, g — массивы одной формы, learning_rate и beta — числа; формулы поэлементные: "
                  "операции +, −, * (без @)")
    done = "Это строки bp.Momentum.update: скорость копит градиенты с весом β, шаг делается по скорости."

    def cases(self):
        found = []
        for k, (shape, learning_rate, beta) in enumerate(MOMENTUM_CASES):
            rng = np.random.default_rng(70 + k)
            found.append({"w": rng.normal(size=shape), "v": rng.normal(size=shape), "g": rng.normal(size=shape),
                          "learning_rate": learning_rate, "beta": beta})
        return found

    def expected(self, c):
        optimizer, state = bp.Momentum(beta=c["beta"]), {"v": [c["v"].copy()]}
        return optimizer.update([c["w"]], [c["g"]], state, c["learning_rate"])[0]

    def mistakes(self, c):
        w, v, g, lr, beta = c["w"], c["v"], c["g"], c["learning_rate"], c["beta"]
        return [
            (w - lr * g, "это шаг градиентного спуска: скорость v не участвует.\n"
                         "Что попробовать: сначала новая скорость β v + g, потом шаг w − η · (новая скорость)."),
            (w - lr * (v + g), "забыт множитель β: старая скорость должна затухать, v ← β v + g.\n"
                               "Что попробовать: умножьте v на beta."),
            (w - lr * v, "шаг сделан по старой скорости: сначала обновите её, v ← β v + g, и шагайте по новой.\n"
                         "Что попробовать: w − η (β v + g)."),
            (w - lr * beta * v, "шаг сделан по старой скорости, умноженной на β: градиент g этого шага потерян.\n"
                                "Что попробовать: новая скорость — β v + g."),
            (w - lr * (beta * v + (1 - beta) * g), "это скользящее среднее, как m в Adam: (1 − β) g. В импульсе "
                                                   "курса градиент входит целиком: v ← β v + g.\n"
                                                   "Что попробовать: уберите множитель (1 − β) у g."),
            (w - (beta * v + lr * g), "η умножает только g: так пишут импульс, когда v хранит сам шаг "
                                      "(v ← β v − η g, w ← w + v). В курсе v — сумма градиентов, и η умножает всю "
                                      "скорость.\nЧто попробовать: w − η (β v + g)."),
            (w + lr * (beta * v + g), "неверный знак: шаг идёт против градиента, w ← w − η v.\n"
                                      "Что попробовать: вычитайте η v, а не прибавляйте."),
        ]

    def shape_message(self, got, c):
        return (f"получена форма {got}, ожидается {c['w'].shape} — как у w: новые веса той же формы.\n"
                "Что попробовать: формулы поэлементные, не используйте @ и .sum().")


class _L2Gradient(_NetExercise):
    name = "l2_gradient"
    notebook = "07"
    what = "∂E_λ/∂W"
    formula = ("Формула: E_λ = E + (λ/2) Σ w², поэтому ∂E_λ/∂w_ji = (1/N) Σ_n τ_out_i X_j + λ w_ji: "
               "dW = tau_out @ hidden.T / N + λ W.")
    args = ("tau_out", "hidden", "W", "weight_decay")
    error_hint = ("tau_out формы (n_out, N), hidden формы (n_hidden, N), W формы (n_out, n_hidden), weight_decay — "
                  "число λ; первое слагаемое — градиент из ноутбука 02, второе — поэлементное λ W")
    done = "Это сумма net.gradients(X, A) и bp.l2_gradients(net, λ) — то, что делает fit(..., weight_decay=λ)."

    def cases(self):
        found = _cases()
        for c, weight_decay in zip(found, (0.05, 0.2, 0.1)):
            c["weight_decay"] = weight_decay
        return found

    def expected(self, c):
        return c["dW"] + c["weight_decay"] * c["W"]

    def mistakes(self, c):
        dW, W, lam = c["dW"], c["W"], c["weight_decay"]
        n = c["hidden"].shape[1]
        return [
            (dW, "это градиент без штрафа: член λ W потерян.\nЧто попробовать: прибавьте weight_decay * W."),
            (lam * W, "это только градиент штрафа: потерян градиент функции потерь τ_out X_j.\n"
                      "Что попробовать: tau_out @ hidden.T / N + λ W."),
            (dW + lam / 2 * W, "производная (λ/2) w² равна λ w: двойка из квадрата сокращает 1/2, а у вас λ/2.\n"
                               "Что попробовать: weight_decay * W без деления на 2."),
            (dW + 2 * lam * W, "у вас 2λ W — это производная λ w², но штраф в курсе (λ/2) Σ w², и его производная — λ w.\n"
                               "Что попробовать: weight_decay * W."),
            (dW - lam * W, "неверный знак у λ W: штраф прибавляется к E, и его градиент тоже прибавляется; "
                           "минус появится только в шаге спуска.\nЧто попробовать: + weight_decay * W."),
            (dW + lam * W / n, f"λ W разделён на число примеров N = {n}: штраф не среднее по примерам, он один "
                               "на всю E.\nЧто попробовать: делите на N только tau_out @ hidden.T."),
            (n * dW + lam * W, f"первое слагаемое не усреднено по примерам (в N = {n} раз больше): E — среднее, "
                               "и её градиент — тоже среднее.\nЧто попробовать: tau_out @ hidden.T / N."),
            (dW + lam * np.sign(W), "λ · sign(w) — это градиент L1-штрафа λ Σ |w|, а здесь L2.\n"
                                    "Что попробовать: weight_decay * W."),
        ]

    def shape_message(self, got, c):
        exp = c["W"].shape
        if got == exp[::-1]:
            return _TRANSPOSED_GRAD.format(got=got, exp=exp)
        return (f"получена форма {got}, ожидается {exp} — как у W.\n"
                "Что попробовать: tau_out @ hidden.T даёт форму W; λ W — той же формы.")


class _AdamFirstStep(ChoiceExercise):
    name = "adam_first_step"
    notebook = "07"
    formula = "подставьте t = 1 и нулевые m, s в формулы Adam и выберите номер варианта."
    right = 2
    options = {
        1: ("так шагает градиентный спуск: w ← w − η g. В Adam на первом шаге m̂ = g и ŝ = g², и шаг "
            "η · g / (|g| + ε) от величины g почти не зависит.\n"
            "Что попробовать: подставьте m̂ = g, ŝ = g² в η m̂ / (√ŝ + ε)."),
        2: None,
        3: ("m и s начинаются с нулей, но поправки 1 − β1^t и 1 − β2^t при t = 1 делят их ровно на (1 − β1) и "
            "(1 − β2): m̂ = g, ŝ = g², и шаг не нулевой.\nЧто попробовать: посчитайте m̂ = (1 − β1) g / (1 − β1)."),
        4: ("без поправок m = 0.1 g и s = 0.001 g² дали бы шаг η · 0.1 g / (0.032 |g|) ≈ 3η, но в Adam есть "
            "поправки на старт с нулей.\nЧто попробовать: учтите деление на 1 − β1^t и 1 − β2^t."),
    }
    done = ("m̂ = g, ŝ = g², шаг η g / (|g| + ε): каждый вес сдвинулся почти ровно на η = 0.01 против знака своего "
            "градиента — и вес с g = 0.001, и вес с g = 100.")


_register(_MomentumStep())
_register(_L2Gradient())
_register(_AdamFirstStep())


def check_momentum_step(my_momentum_step):
    """Проверить my_momentum_step(w, v, g, learning_rate, beta) -> новые веса w после шага с импульсом."""
    __tracebackhide__ = True
    _check("momentum_step", my_momentum_step)


def check_l2_gradient(my_l2_gradient):
    """Проверить my_l2_gradient(tau_out, hidden, W, weight_decay) -> ∂E_λ/∂W формы W (E_λ = E + λ/2 Σ w²)."""
    __tracebackhide__ = True
    _check("l2_gradient", my_l2_gradient)


def check_adam_first_step(prediction):
    """Проверить предсказание (номер варианта 1–4): первый шаг Adam для весов с g = 0.001 и g = 100."""
    __tracebackhide__ = True
    _check("adam_first_step", prediction)
