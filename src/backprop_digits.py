"""Рукописные цифры 8×8 для ноутбука 05: загрузка без сети, разбиение на обучение и тест, настройки обучения.

Данные — data/digits.csv.gz в корне репозитория: 1 797 изображений 8×8, 10 классов (цифры 0–9).
Это тестовая часть набора UCI «Optical Recognition of Handwritten Digits» (E. Alpaydin, C. Kaynak, 1998)
в том виде, в каком его поставляет scikit-learn; происхождение и лицензия — в data/README.md.
Каждая строка файла — 64 яркости пикселей (0–16, построчно) и последним столбцом — цифра.

Все функции возвращают примеры по столбцам, как модуль backprop: X формы (64, n_samples).
"""
import gzip
from pathlib import Path

import numpy as np

import backprop as bp

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "digits.csv.gz"
N_SAMPLES, N_PIXELS, N_CLASSES = 1797, 64, 10

# Единственное место, где заданы настройки обучения: их берут и ноутбук 05, и tests/test_digits.py,
# и benchmarks/digits_training.py. Сеть и обучение выбраны по средней точности на разбиениях с зёрнами
# 0–5. Точность зависит от разбиения: при зерне 0 она у всех опробованных сетей колеблется по эпохам
# около 96.5 %, при зёрнах 1–5 — 97.5–99 %; ноутбук 05 показывает разброс по 11 разбиениям.
# Основное разбиение — зерно 1.
SPLIT = {"test_fraction": 0.25, "seed": 1}
NETWORK = {"layer_sizes": [64, 32, 10], "activations": ["tanh", "softmax"], "loss": "cross_entropy",
           "seed": 0}
FIT = {"epochs": 50, "learning_rate": 0.1, "batch_size": 8}


def load_digits(path=None):
    """Весь набор: (X, labels, A).

    X      — яркости формы (64, 1797), поделены на 16, то есть лежат в [0, 1]; столбец — картинка 8×8
             построчно (картинка: X[:, n].reshape(8, 8));
    labels — цифры формы (1797,), целые 0–9;
    A      — правильные ответы one-hot формы (10, 1797): A[labels[n], n] = 1, остальное 0.
    """
    path = DATA_FILE if path is None else Path(path)
    if not path.exists():
        raise FileNotFoundError(f"нет файла с цифрами {path}: он лежит в репозитории, data/digits.csv.gz")
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    if table.ndim != 2 or table.shape[1] != N_PIXELS + 1:
        raise ValueError(f"{path}: ожидается {N_PIXELS + 1} столбцов (пиксели и цифра), форма {table.shape}")
    X = table[:, :N_PIXELS].T / 16.0
    labels = table[:, N_PIXELS].astype(int)
    return X, labels, one_hot(labels)


def one_hot(labels, n_classes=N_CLASSES):
    """Метки формы (n,) → матрица формы (n_classes, n) с единицей в строке метки каждого столбца."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"labels: ожидается одномерный массив целых меток, форма {labels.shape}, "
                         f"dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels: метки должны лежать в 0..{n_classes - 1}")
    A = np.zeros((n_classes, labels.size))
    A[labels, np.arange(labels.size)] = 1.0
    return A


def train_test_split(labels, test_fraction=SPLIT["test_fraction"], seed=SPLIT["seed"]):
    """Номера примеров (train_idx, test_idx): в тест идёт доля test_fraction каждого класса.

    Разбиение по классам (стратифицированное) и с зерном: одно и то же при каждом запуске.
    Номера отсортированы; X[:, train_idx] — обучающие столбцы.
    """
    labels = np.asarray(labels)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: ожидается число строго между 0 и 1, получено {test_fraction!r}")
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        test.append(rng.permutation(idx)[:int(round(test_fraction * idx.size))])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(labels.size), test)
    return train, test


def make_network():
    """Новая сеть с настройками NETWORK (те же веса при каждом вызове: зерно фиксировано)."""
    s = NETWORK
    return bp.Network(s["layer_sizes"], seed=s["seed"], activations=s["activations"], loss=s["loss"])


def accuracy(net, X, labels):
    """Доля верно распознанных примеров, число от 0 до 1."""
    return float(np.mean(net.predict(X) == np.asarray(labels)))


def confusion_matrix(true, predicted, n_classes=N_CLASSES):
    """Матрица ошибок формы (n_classes, n_classes): M[t, p] — сколько примеров класса t сеть назвала p."""
    true, predicted = np.asarray(true), np.asarray(predicted)
    if true.shape != predicted.shape or true.ndim != 1:
        raise ValueError(f"true и predicted: ожидаются одномерные массивы одной длины, формы {true.shape} "
                         f"и {predicted.shape}")
    M = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(M, (true, predicted), 1)
    return M


def show_digits(images, titles=None, ncols=10, cmap="gray_r", size=1.0, vmin=0.0, vmax=1.0, fontsize=11):
    """Сетка картинок 8×8: images формы (64, n) — столбцы, как X. Возвращает рисунок.

    titles — подписи над картинками (список строк длины n) или None; fontsize — их размер шрифта.
    """
    import matplotlib.pyplot as plt
    images = np.asarray(images, dtype=float)
    if images.ndim != 2 or images.shape[0] != N_PIXELS:
        raise ValueError(f"images: ожидается форма (64, n) — картинки по столбцам, получена {images.shape}")
    n = images.shape[1]
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    title_lines = max((str(t).count("\n") + 1 for t in titles), default=0) if titles is not None else 0
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * (1 + 0.3 * title_lines)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            ax.imshow(images[:, k].reshape(8, 8), cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[k], fontsize=fontsize)
    return fig
