"""Подобранные настройки всех ноутбуков — в одном месте: их берут и ноутбуки, и тесты, и benchmarks/,
поэтому настройка в тексте и настройка в проверке не могут разойтись.

Сети строятся прямо из словарей: bp.Network(**DIGITS_NETWORK); для ноутбука 03 — boundary_network(name).
"""
import backprop as bp

from . import checks
from . import datasets as ds

# ---------------------------------------------------------------------------
# Ноутбук 01: XOR. Исходная настройка — как в исходном ноутбуке (без смещений, веса U(−1, 1) от
# np.random.seed(1), шаг 1 на сумме градиентов = η 4 на среднем); улучшенная — смещения, Глорот, η = 20.
# ---------------------------------------------------------------------------

XOR_ORIGINAL = {"legacy_seed": 1, "fit": {"epochs": 80_000, "learning_rate": 4}}
XOR_IMPROVED = {"seed": 0, "learning_rate": 20, "max_epochs": 1000}     # сеть 2-3-1
XOR_QUALITY = 0.026          # качество исходной сети: среднее |Y − a| после 80 000 эпох (печаталось 0.026)
XOR_SEEDS = 30               # сколько зёрен пробует ноутбук 01 для каждого из 8 сочетаний (раздел 10)

# ---------------------------------------------------------------------------
# Ноутбук 04: перекрёстная энтропия против квадратичной ошибки на XOR, один и тот же старт.
# «Выучила» — все четыре выхода ближе к ответам, чем tolerance.
# ---------------------------------------------------------------------------

XOR_LOSSES = {"learning_rate": 5.0, "tolerance": 0.1, "epochs": 1000, "seeds": 20}

# ---------------------------------------------------------------------------
# Ноутбук 03: границы решения. 1000 обучающих и 500 тестовых точек. Сеть: скрытые слои tanh,
# выход σ, функция потерь — средний квадрат (как в выводе ноутбука 01).
# ---------------------------------------------------------------------------

BOUNDARY_SETS = {"moons": ds.moons, "circles": ds.circles, "spirals": ds.spirals}
N_TRAIN, N_TEST = 1000, 500
TRAINING = {
    "moons": {"data": {"noise": 0.1}, "seed": 0, "hidden": [8],
              "fit": {"epochs": 60, "learning_rate": 2.0, "batch_size": 32}},
    "circles": {"data": {"noise": 0.1, "radius_ratio": 0.5}, "seed": 0, "hidden": [8],
                "fit": {"epochs": 60, "learning_rate": 2.0, "batch_size": 32}},
    "spirals": {"data": {"noise": 0.05, "turns": 1.5}, "seed": 0, "hidden": [8, 8],
                "fit": {"epochs": 300, "learning_rate": 2.0, "batch_size": 32}},
}
# Раздел 3: сколько нужно скрытых нейронов. 40 зашумлённых точек лун (тестовых 1000) — и, чтобы вывод не
# зависел от одной случайной выборки, тот же опыт на выборках с зёрнами данных 0 … draws − 1.
CAPACITY = {"data": {"n_train": 40, "n_test": 1000, "noise": 0.3}, "sizes": [1, 2, 3, 8, 32], "draws": 5,
            "fit": {"epochs": 2500, "learning_rate": 6.0}}


def boundary_data(name, n_train=N_TRAIN, n_test=N_TEST, seed=None, **data):
    """Набор name ("moons", "circles", "spirals") с параметрами TRAINING[name]["data"] (их можно
    переопределить в data), разделённый на n_train обучающих и n_test тестовых точек.

    seed=None — зерно из TRAINING[name]. Возвращает X_train (2, n_train), A_train (1, n_train),
    X_test (2, n_test), A_test (1, n_test).
    """
    if not isinstance(name, str) or name not in TRAINING:
        raise ValueError(f"name: неизвестный набор {name!r}, ожидается один из {list(TRAINING)}")
    n_train = checks.integer("n_train", n_train, low=1, high=checks.MAX_SAMPLES)
    n_test = checks.integer("n_test", n_test, low=1, high=checks.MAX_SAMPLES)
    seed = TRAINING[name]["seed"] if seed is None else seed
    X, A = BOUNDARY_SETS[name](n_train + n_test, seed=seed, **{**TRAINING[name]["data"], **data})
    return ds.split(X, A, test_fraction=n_test / (n_train + n_test), seed=seed)


def boundary_network(name, hidden=None, seed=None):
    """Необученная сеть для набора name: 2 входа, скрытые слои tanh размеров hidden, выход σ.

    hidden=None и seed=None — значения из TRAINING[name]. Обучение: net.fit(X, A, **TRAINING[name]["fit"]).
    """
    if not isinstance(name, str) or name not in TRAINING:
        raise ValueError(f"name: неизвестный набор {name!r}, ожидается один из {list(TRAINING)}")
    hidden = TRAINING[name]["hidden"] if hidden is None else hidden
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden: ожидается список размеров скрытых слоёв, например [8] или [8, 8]; "
                        f"получено {hidden!r:.60}")
    hidden = [checks.integer("hidden", h, low=1, high=4096, what="нейронов в скрытом слое") for h in hidden]
    seed = TRAINING[name]["seed"] if seed is None else seed
    return bp.Network([2, *hidden, 1], seed=seed, activations=["tanh"] * len(hidden) + ["sigmoid"])


# ---------------------------------------------------------------------------
# Ноутбук 05: цифры 8×8. Сеть и обучение выбраны по средней доле верных ответов на разбиениях с
# зёрнами 0–5. Она зависит от разбиения: при зерне 0 у всех опробованных сетей колеблется по эпохам
# около 96.5 %, при зёрнах 1–5 — 97.5–99 %; ноутбук 05 показывает разброс по 11 разбиениям.
# Основное разбиение — зерно 1, по классам: ds.split(X, A, **DIGITS_SPLIT, stratify=True).
# ---------------------------------------------------------------------------

DIGITS_SPLIT = {"test_fraction": 0.25, "seed": 1}
DIGITS_NETWORK = {"layer_sizes": [64, 32, 10], "activations": ["tanh", "softmax"], "loss": "cross_entropy",
                  "seed": 0}
DIGITS_FIT = {"epochs": 50, "learning_rate": 0.1, "batch_size": 8}


# ---------------------------------------------------------------------------
# Ноутбук 07: обучение на практике — оптимизаторы, L2 и ранняя остановка, отладка.
#
# Гонка на XOR: исходная постановка (сеть 2-3-1, σ, квадратичная функция потерь, полный пакет, веса U(−1, 1)
# от np.random.RandomState(зерно), как у исходного ноутбука при зерне 1) со смещениями и без. До качества
# исходной (cfg.XOR_QUALITY) за XOR_RACE["max_epochs"] эпох: градиентный спуск с шагом исходного ноутбука,
# импульс с тем же η, Adam со своим η (у Adam каждый вес сдвигается за шаг примерно на η).
# Учит их race.xor_race — все сети сразу, массивами, тем же кодом оптимизаторов (bp.SGD, bp.Momentum, bp.Adam);
# что это те же числа, что у Network.fit, проверяет tests/test_optimizers.py.
# ---------------------------------------------------------------------------

XOR_RACE = {"seeds": 100, "max_epochs": 10_000}
XOR_OPTIMIZERS = {                                   # подпись -> (оптимизатор, шаг η)
    "градиентный спуск": (bp.SGD(), 4.0),
    "импульс": (bp.Momentum(beta=0.9), 4.0),
    "Adam": (bp.Adam(), 0.1),
}


# ---------------------------------------------------------------------------
# Ноутбук 07, цифры. Сеть, оптимизатор, η и размер пакета выбраны по доле верных ответов на проверочных
# частях (20 % обучающей части) разбиений с зёрнами 0, 2–10 — их тестовые части при этом не открывались.
# Разбиение — как в ноутбуке 05: ds.split(X, A, **DIGITS_SPLIT, stratify=True); из обучающей части так же
# откладывается проверочная, доля DIGITS07_VALIDATION. λ и число эпох ноутбук выбирает сам, по минимуму функции
# потерь E на проверочной части среди DIGITS07_LAMBDAS и эпох 1…DIGITS07_MAX_EPOCHS; DIGITS07_CHOSEN — этот
# выбор (его сверяет tests/test_notebook07.py). Затем сеть учится заново на всей обучающей части и проверяется
# на тесте — один раз. Те же настройки — на десяти других разбиениях DIGITS07_SPLITS (те же, что в разделе 8
# ноутбука 05): обучение на обучающей части, доля верных на тестовой.
# ---------------------------------------------------------------------------

DIGITS07_NETWORK = {"layer_sizes": [64, 128, 10], "activations": ["relu", "softmax"], "loss": "cross_entropy",
                    "seed": 0}
DIGITS07_FIT = {"learning_rate": 3e-3, "batch_size": 64, "optimizer": bp.Adam()}
DIGITS07_VALIDATION = 0.2             # доля обучающей части, отложенная для проверки
DIGITS07_LAMBDAS = (0.0, 1e-4, 1e-3, 1e-2)
DIGITS07_MAX_EPOCHS = 100
DIGITS07_CHOSEN = {"weight_decay": 1e-4, "epochs": 93}
DIGITS07_SPLITS = (0, 2, 3, 4, 5, 6, 7, 8, 9, 10)

