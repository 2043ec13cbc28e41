"""Проверка аргументов помощников курса: понятная ошибка по-русски до любой работы и любых изменений.

Каждая функция возвращает проверенное значение в удобном виде (int, float, массив) или поднимает
TypeError (не тот тип) или ValueError (не то значение) с тем, что ожидалось.
"""
import numbers

import numpy as np

import backprop as bp

MAX_SAMPLES = 10**7          # больше точек — это гигабайты памяти


def integer(name, value, low=None, high=None, what=""):
    """Целое число (int или целое numpy, не bool) в [low, high]; возвращает int. what — что это, для сообщения."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: ожидается целое число, получено {value!r:.60}")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"от {low} до {high}" if low is not None and high is not None else \
            f"не меньше {low}" if low is not None else f"не больше {high}"
        raise ValueError(f"{name}: ожидается целое число {bounds}{_about(what)}, получено {value!r:.60}")
    return int(value)


def number(name, value, low=None, high=None, low_open=False, high_open=False, what=""):
    """Конечное число (не bool) в промежутке от low до high (границы — включительно, если не *_open)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: ожидается число, получено {value!r:.60}")
    try:
        x = float(value)
    except OverflowError:
        x = float("inf")
    bad = not np.isfinite(x) or (low is not None and (x < low or (low_open and x == low))) \
        or (high is not None and (x > high or (high_open and x == high)))
    if bad:
        left = "" if low is None else ("больше " if low_open else "не меньше ") + f"{low:g}"
        right = "" if high is None else ("меньше " if high_open else "не больше ") + f"{high:g}"
        bounds = " и ".join(part for part in (left, right) if part)
        raise ValueError(f"{name}: ожидается конечное число{', ' + bounds if bounds else ''}{_about(what)}; "
                         f"получено {value!r:.60}")
    return x


def _about(what):
    return f" ({what})" if what else ""


def seed(value):
    """Зерно генератора: None или целое число не меньше 0."""
    return None if value is None else integer("seed", value, low=0)


def network(name, value):
    """Сеть курса (backprop.Network)."""
    if not isinstance(value, bp.Network):
        raise TypeError(f"{name}: ожидается сеть backprop.Network, получено {type(value).__name__}")
    return value


def array(name, value, ndim=None, rows=None):
    """Конечный числовой массив float (копия); ndim и rows — ожидаемые число осей и число строк."""
    try:
        raw = np.asarray(value)
    except ValueError:
        raise TypeError(f"{name}: ожидается числовой массив, получен неровный список: {value!r:.60}") from None
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"{name}: ожидается числовой массив, получен dtype {raw.dtype}: {value!r:.60}")
    arr = raw.astype(float)
    shape = f"({rows}, n)" if rows is not None else f"{ndim}-мерный массив"
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: ожидается {shape}, получена форма {arr.shape}")
    if rows is not None and arr.shape[0] != rows:
        raise ValueError(f"{name}: ожидается форма {shape}, получена {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: содержит NaN или inf, ожидаются конечные числа")
    return arr


def labels(name, value, n_classes=None):
    """Метки классов: одномерный массив целых от 0 до n_classes − 1; возвращает массив int."""
    try:
        arr = np.asarray(value)
    except ValueError:
        raise TypeError(f"{name}: ожидается одномерный массив целых меток, получен неровный список") from None
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"{name}: ожидается одномерный массив целых меток, форма {arr.shape}, dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or (n_classes is not None and arr.max() >= n_classes)):
        top = "" if n_classes is None else f"..{n_classes - 1} (n_classes = {n_classes})"
        raise ValueError(f"{name}: метки должны лежать в 0{top}, получены от {arr.min()} до {arr.max()}")
    return arr.astype(int)


def axes(name, value):
    """Оси matplotlib или None."""
    from matplotlib.axes import Axes
    if value is not None and not isinstance(value, Axes):
        raise TypeError(f"{name}: ожидаются оси matplotlib (plt.subplots()) или None, получено {type(value).__name__}")
    return value
