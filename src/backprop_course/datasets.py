"""Наборы данных курса, их разбиение и доля верных ответов.

Наборы генерируются кодом с зерном (XOR, луны, окружности, спирали) или лежат в пакете (цифры 8×8):
загрузок из сети нет. Все функции отдают примеры по столбцам, как модуль backprop:
X формы (n_features, n_samples), A формы (n_outputs, n_samples).

    xor, moons, circles, spirals, load_digits  — наборы (TITLES — их названия по-русски)
    split                                      — разбиение на обучение и тест
    labels_of, one_hot                         — ответы A ⇄ метки классов
    accuracy, confusion_matrix                 — доля верных ответов и матрица ошибок
"""
import gzip
from importlib import resources

import numpy as np

from . import checks


def xor():
    """Четыре точки XOR: X формы (2, 4), A формы (1, 4) = [[0, 1, 1, 0]]."""
    X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
    A = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, A


TITLES = {"xor": "XOR", "moons": "две луны", "circles": "две окружности", "spirals": "две спирали",
          "digits": "цифры 8×8"}


# ---------------------------------------------------------------------------
# Двумерные наборы для ноутбука 03: два класса на плоскости, шум — параметр, всё с зерном.
# Масштаб у всех один: размер фигур порядка 1, шум noise — стандартное отклонение гауссова
# шума в тех же единицах (для спиралей — в долях внешнего радиуса, он равен 1).
# Классы поровну (при нечётном n у класса 0 на пример больше), столбцы перемешаны.
# ---------------------------------------------------------------------------

def moons(n_samples=1000, noise=0.1, seed=None):
    """Две луны: полуокружности радиуса 1, вложенные друг в друга.

    Класс 0: (cos t − 0.5, sin t − 0.25), класс 1: (0.5 − cos t, 0.25 − sin t), t ∈ [0, π] — как
    в sklearn.datasets.make_moons, но сдвинуто так, что центр картинки в нуле.
    Возвращает X формы (2, n_samples) и A формы (1, n_samples) с ответами 0/1.
    """
    n_samples, noise, rng = _check_common(n_samples, noise, seed)
    n0 = n_samples - n_samples // 2
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n_samples - n0)
    X = np.hstack([np.vstack([np.cos(t0) - 0.5, np.sin(t0) - 0.25]),
                   np.vstack([0.5 - np.cos(t1), 0.25 - np.sin(t1)])])
    return _finish(X, n0, noise, rng)


def circles(n_samples=1000, noise=0.1, radius_ratio=0.5, seed=None):
    """Две окружности с общим центром: класс 0 — радиус 1, класс 1 — радиус radius_ratio ∈ (0, 1).

    Возвращает X формы (2, n_samples) и A формы (1, n_samples) с ответами 0/1.
    """
    n_samples, noise, rng = _check_common(n_samples, noise, seed)
    radius_ratio = checks.number("radius_ratio", radius_ratio, low=0.0, high=1.0, low_open=True, high_open=True,
                                 what="отношение радиусов внутренней и внешней окружности")
    n0 = n_samples - n_samples // 2
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    radius = np.where(np.arange(n_samples) < n0, 1.0, float(radius_ratio))
    X = radius * np.vstack([np.cos(angle), np.sin(angle)])
    return _finish(X, n0, noise, rng)


def spirals(n_samples=1000, noise=0.05, turns=1.5, seed=None):
    """Две спирали Архимеда, по turns оборотов каждая, вторая повёрнута на π; внешний радиус 1.

    Точка спирали: r = u, угол 2π·turns·u (+ π для класса 1), где u = √(равномерное на [0, 1]) —
    так точки ложатся вдоль спирали примерно равномерно, а не сгущаются в центре.
    noise — стандартное отклонение шума в долях внешнего радиуса.
    Возвращает X формы (2, n_samples) и A формы (1, n_samples) с ответами 0/1.
    """
    n_samples, noise, rng = _check_common(n_samples, noise, seed)
    turns = checks.number("turns", turns, low=0.0, high=100.0, low_open=True, what="число оборотов спирали")
    n0 = n_samples - n_samples // 2
    u = np.sqrt(rng.uniform(0.0, 1.0, n_samples))
    angle = 2 * np.pi * float(turns) * u + np.where(np.arange(n_samples) < n0, 0.0, np.pi)
    X = u * np.vstack([np.cos(angle), np.sin(angle)])
    return _finish(X, n0, noise, rng)


def _check_common(n_samples, noise, seed):
    n_samples = checks.integer("n_samples", n_samples, low=2, high=checks.MAX_SAMPLES, what="хотя бы по примеру на класс")
    noise = checks.number("noise", noise, low=0.0, what="стандартное отклонение шума")
    return n_samples, noise, np.random.default_rng(checks.seed(seed))


def _finish(X, n0, noise, rng):
    """Добавить шум, приписать ответы (первые n0 столбцов — класс 0) и перемешать столбцы."""
    n = X.shape[1]
    X = X + noise * rng.standard_normal(X.shape)
    A = (np.arange(n) >= n0).astype(float).reshape(1, n)
    order = rng.permutation(n)
    return X[:, order], A[:, order]


# ---------------------------------------------------------------------------
# Рукописные цифры 8×8 (ноутбук 05): файл лежит в пакете, backprop_course/data/digits.csv.gz.
# ---------------------------------------------------------------------------

DIGITS_FILE = "digits.csv.gz"
N_PIXELS, N_CLASSES = 64, 10


def load_digits():
    """Цифры 8×8: (X, labels, A).

    X      — яркости формы (64, 1797), поделены на 16, то есть лежат в [0, 1]; столбец — картинка 8×8
             построчно (картинка: X[:, n].reshape(8, 8));
    labels — цифры формы (1797,), целые 0–9;
    A      — правильные ответы one-hot формы (10, 1797): A[labels[n], n] = 1, остальное 0.
    Это тестовая часть набора UCI «Optical Recognition of Handwritten Digits» (E. Alpaydin, C. Kaynak, 1998)
    в том виде, в каком его поставляет scikit-learn; происхождение и лицензия — в data/README.md пакета.
    Каждая строка файла — 64 яркости пикселей (0–16, построчно) и последним столбцом — цифра.
    """
    with resources.files(__package__).joinpath("data", DIGITS_FILE).open("rb") as raw, \
            gzip.open(raw, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    if table.ndim != 2 or table.shape[1] != N_PIXELS + 1:
        raise ValueError(f"{DIGITS_FILE}: ожидается {N_PIXELS + 1} столбцов (пиксели и цифра), форма {table.shape}")
    X = table[:, :N_PIXELS].T / 16.0
    labels = table[:, N_PIXELS].astype(int)
    return X, labels, one_hot(labels)


def digits_file_size():
    """Размер файла с цифрами в байтах (он лежит в пакете)."""
    with resources.files(__package__).joinpath("data", DIGITS_FILE).open("rb") as f:
        return len(f.read())


# ---------------------------------------------------------------------------
# Ответы и метки, разбиение, доля верных ответов.
# ---------------------------------------------------------------------------

def one_hot(labels, n_classes=N_CLASSES):
    """Метки формы (n,) → ответы формы (n_classes, n) с единицей в строке метки каждого столбца."""
    n_classes = checks.integer("n_classes", n_classes, low=2, high=10**4)
    labels = checks.labels("labels", labels, n_classes)
    A = np.zeros((n_classes, labels.size))
    A[labels, np.arange(labels.size)] = 1.0
    return A


def labels_of(A):
    """Метки классов формы (n_samples,) по ответам A формы (n_outputs, n_samples), как их читает net.predict:
    один выход — ответы 0/1 (метка — сам ответ), несколько выходов — номер строки с наибольшим ответом."""
    A = checks.array("A", A)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"A: ожидаются ответы формы (n_outputs, n_samples), получена форма {A.shape} "
                         f"(ответы одного выхода: A.reshape(1, -1))")
    return (A[0] > 0.5).astype(int) if A.shape[0] == 1 else A.argmax(axis=0)


def split(X, A, test_fraction=0.25, seed=None, stratify=False):
    """Случайно разделить примеры (столбцы) на обучающие и тестовые: X_train, A_train, X_test, A_test.

    X формы (n_features, n), A формы (n_outputs, n); test_fraction ∈ (0, 1) — доля тестовых примеров.
    stratify=False — в тест идут round(test_fraction · n) случайных примеров (хотя бы по одному в каждой
    части), порядок случайный; stratify=True — доля test_fraction каждого класса (labels_of(A)), порядок
    примеров прежний. Одно и то же зерно — одно и то же разбиение.
    """
    X, A = checks.array("X", X), checks.array("A", A)
    if X.ndim != 2 or A.ndim != 2:
        raise ValueError(f"X и A: ожидаются двумерные массивы, примеры по столбцам; получены формы "
                         f"{X.shape} и {A.shape} (ответы одного выхода: A.reshape(1, -1))")
    if X.shape[1] != A.shape[1]:
        raise ValueError(f"X и A: разное число примеров (столбцов): {X.shape[1]} и {A.shape[1]}")
    n = X.shape[1]
    if n < 2:
        raise ValueError(f"X: чтобы разделить, нужно хотя бы 2 примера (столбца), получено {n}")
    test_fraction = checks.number("test_fraction", test_fraction, low=0.0, high=1.0, low_open=True, high_open=True,
                                  what="доля тестовых примеров")
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(f"stratify: ожидается True или False, получено {stratify!r:.60}")
    rng = np.random.default_rng(checks.seed(seed))
    if stratify:
        labels = labels_of(A)
        test = np.sort(np.concatenate([
            rng.permutation(np.flatnonzero(labels == c))[:int(round(test_fraction * np.sum(labels == c)))]
            for c in np.unique(labels)]))
        train = np.setdiff1d(np.arange(n), test)
    else:
        n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    return X[:, train], A[:, train], X[:, test], A[:, test]


def accuracy(net, X, A):
    """Доля верных ответов сети, число от 0 до 1: net.predict(X) против labels_of(A).

    A — правильные ответы в той же форме, что для обучения: (1, n) с 0/1 или one-hot (n_classes, n).
    """
    net = checks.network("net", net)
    A = checks.array("A", A)
    n_outputs = net.layer_sizes[-1]
    if A.ndim != 2 or A.shape[0] != n_outputs:
        raise ValueError(f"A: ожидается форма (n_outputs, n_samples) = ({n_outputs}, n_samples), как у ответов "
                         f"для обучения этой сети; получена форма {A.shape}"
                         + (" (ответы одного выхода: A.reshape(1, -1))" if n_outputs == 1 else ""))
    labels = labels_of(A)
    predicted = net.predict(X)
    if predicted.shape != labels.shape:
        raise ValueError(f"X и A: разное число примеров: {predicted.size} и {labels.size}")
    return float(np.mean(predicted == labels))


def confusion_matrix(true, predicted, n_classes=N_CLASSES):
    """Матрица ошибок формы (n_classes, n_classes): M[t, p] — сколько примеров класса t сеть назвала p."""
    n_classes = checks.integer("n_classes", n_classes, low=2, high=10**4)
    true, predicted = checks.labels("true", true, n_classes), checks.labels("predicted", predicted, n_classes)
    if true.shape != predicted.shape:
        raise ValueError(f"true и predicted: ожидаются одномерные массивы одной длины, формы {true.shape} "
                         f"и {predicted.shape}")
    M = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(M, (true, predicted), 1)
    return M
