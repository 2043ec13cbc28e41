"""Наборы данных курса: генерируются кодом, с зерном, без загрузок из сети.

Все функции возвращают (X, A): X формы (n_features, n_samples), A формы (n_outputs, n_samples) —
примеры по столбцам, как в модуле backprop.
"""
import numpy as np


def xor():
    """Четыре точки XOR: X формы (2, 4), A формы (1, 4) = [[0, 1, 1, 0]]."""
    X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
    A = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, A


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
    if isinstance(radius_ratio, (bool, np.bool_)) or not isinstance(radius_ratio, (int, float, np.number)) \
            or not 0 < radius_ratio < 1:
        raise ValueError(f"radius_ratio: ожидается число строго между 0 и 1 "
                         f"(отношение радиусов внутренней и внешней окружности), получено {radius_ratio!r}")
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
    if isinstance(turns, (bool, np.bool_)) or not isinstance(turns, (int, float, np.number)) \
            or not np.isfinite(turns) or turns <= 0:
        raise ValueError(f"turns: ожидается положительное число оборотов спирали, получено {turns!r}")
    n0 = n_samples - n_samples // 2
    u = np.sqrt(rng.uniform(0.0, 1.0, n_samples))
    angle = 2 * np.pi * float(turns) * u + np.where(np.arange(n_samples) < n0, 0.0, np.pi)
    X = u * np.vstack([np.cos(angle), np.sin(angle)])
    return _finish(X, n0, noise, rng)


def train_test_split(X, A, test_fraction=0.25, seed=None):
    """Случайно разделить примеры (столбцы) на обучающие и тестовые.

    X формы (n_features, n), A формы (n_outputs, n); test_fraction ∈ (0, 1) — доля тестовых примеров
    (их round(test_fraction · n), но хотя бы по одному в каждой части).
    Возвращает X_train, A_train, X_test, A_test — примеры по столбцам.
    """
    X, A = np.asarray(X), np.asarray(A)
    if X.ndim != 2 or A.ndim != 2:
        raise ValueError(f"X и A: ожидаются двумерные массивы, примеры по столбцам; получены формы "
                         f"{X.shape} и {A.shape} (ответы одного выхода: A.reshape(1, -1))")
    if X.shape[1] != A.shape[1]:
        raise ValueError(f"X и A: разное число примеров (столбцов): {X.shape[1]} и {A.shape[1]}")
    n = X.shape[1]
    if n < 2:
        raise ValueError(f"X: чтобы разделить, нужно хотя бы 2 примера (столбца), получено {n}")
    if isinstance(test_fraction, (bool, np.bool_)) or not isinstance(test_fraction, (int, float, np.number)) \
            or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: ожидается доля строго между 0 и 1, получено {test_fraction!r}")
    n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[:, train], A[:, train], X[:, test], A[:, test]


def _check_common(n_samples, noise, seed):
    if isinstance(n_samples, (bool, np.bool_)) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"n_samples: ожидается целое число не меньше 2 (по примеру на класс), "
                         f"получено {n_samples!r}")
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, (int, float, np.number)) \
            or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise: ожидается неотрицательное число (стандартное отклонение шума), "
                         f"получено {noise!r}")
    return int(n_samples), float(noise), np.random.default_rng(seed)


def _finish(X, n0, noise, rng):
    """Добавить шум, приписать ответы (первые n0 столбцов — класс 0) и перемешать столбцы."""
    n = X.shape[1]
    X = X + noise * rng.standard_normal(X.shape)
    A = (np.arange(n) >= n0).astype(float).reshape(1, n)
    order = rng.permutation(n)
    return X[:, order], A[:, order]


def accuracy(net, X, A):
    """Доля верных ответов сети: net.predict(X) сравнивается с ответами A формы (1, n) (0/1)."""
    A = np.asarray(A)
    labels = A.reshape(-1) if A.ndim == 2 and A.shape[0] == 1 else A
    if labels.ndim != 1:
        raise ValueError(f"A: ожидается форма (1, n_samples) с ответами 0/1, получена {A.shape}")
    predicted = net.predict(X)
    if predicted.shape != labels.shape:
        raise ValueError(f"X и A: разное число примеров: {predicted.size} и {labels.size}")
    return float(np.mean(predicted == labels))


# ---------------------------------------------------------------------------
# Подобранные настройки ноутбука 03 — в одном месте: их же проверяет tests/test_notebook03.py,
# поэтому ноутбук и тест не могут разойтись. 1000 обучающих и 500 тестовых точек.
# Сеть: скрытые слои tanh, выход σ, ошибка E — средний квадрат (как в выводе ноутбука 01).
# ---------------------------------------------------------------------------

DATASETS = {"moons": moons, "circles": circles, "spirals": spirals}
DATASET_TITLES = {"moons": "две луны", "circles": "две окружности", "spirals": "две спирали"}
N_TRAIN, N_TEST = 1000, 500
TRAINING = {
    "moons": {"data": {"noise": 0.1}, "seed": 0, "hidden": [8],
              "fit": {"epochs": 60, "learning_rate": 2.0, "batch_size": 32}},
    "circles": {"data": {"noise": 0.1, "radius_ratio": 0.5}, "seed": 0, "hidden": [8],
                "fit": {"epochs": 60, "learning_rate": 2.0, "batch_size": 32}},
    "spirals": {"data": {"noise": 0.05, "turns": 1.5}, "seed": 0, "hidden": [8, 8],
                "fit": {"epochs": 300, "learning_rate": 2.0, "batch_size": 32}},
}


def split_dataset(name, n_train=N_TRAIN, n_test=N_TEST, seed=None, **data):
    """Набор name из DATASETS с параметрами TRAINING[name]["data"] (их можно переопределить в data),
    разделённый на n_train обучающих и n_test тестовых точек.

    seed=None — зерно из TRAINING[name]. Возвращает X_train (2, n_train), A_train (1, n_train),
    X_test (2, n_test), A_test (1, n_test).
    """
    if name not in DATASETS:
        raise ValueError(f"name: неизвестный набор {name!r}, ожидается один из {list(DATASETS)}")
    for what, n in (("n_train", n_train), ("n_test", n_test)):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{what}: ожидается целое положительное число, получено {n!r}")
    seed = TRAINING[name]["seed"] if seed is None else seed
    X, A = DATASETS[name](n_train + n_test, seed=seed, **{**TRAINING[name]["data"], **data})
    return train_test_split(X, A, test_fraction=n_test / (n_train + n_test), seed=seed)


def make_network(name, hidden=None, seed=None):
    """Необученная сеть для набора name: 2 входа, скрытые слои tanh размеров hidden, выход σ.

    hidden=None и seed=None — значения из TRAINING[name]. Обучение: net.fit(X, A, **TRAINING[name]["fit"]).
    """
    import backprop as bp
    if name not in TRAINING:
        raise ValueError(f"name: неизвестный набор {name!r}, ожидается один из {list(TRAINING)}")
    hidden = list(TRAINING[name]["hidden"] if hidden is None else hidden)
    seed = TRAINING[name]["seed"] if seed is None else seed
    return bp.Network([2, *hidden, 1], seed=seed, activations=["tanh"] * len(hidden) + ["sigmoid"])
