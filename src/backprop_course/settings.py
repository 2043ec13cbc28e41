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
# xor_race учит все сети всех вариантов сразу — массивами (зерно — строка), тем же кодом оптимизаторов
# (bp.SGD, bp.Momentum, bp.Adam); что это те же числа, что у Network.fit, проверяет tests/test_optimizers.py.
# ---------------------------------------------------------------------------

XOR_RACE = {"seeds": 100, "max_epochs": 10_000}
XOR_OPTIMIZERS = {                                   # подпись -> (оптимизатор, шаг η)
    "градиентный спуск": (bp.SGD(), 4.0),
    "импульс": (bp.Momentum(beta=0.9), 4.0),
    "Adam": (bp.Adam(), 0.1),
}


def original_xor_weights(seed):
    """Начальные веса исходного ноутбука для зерна seed: [V (3, 2), W (1, 3)], U(−1, 1) от RandomState(seed).

    При seed = cfg.XOR_ORIGINAL["legacy_seed"] = 1 — ровно веса исходного ноутбука (np.random.seed(1))."""
    import numpy as np
    legacy = np.random.RandomState(checks.integer("seed", seed, low=0, high=2**32 - 1))
    V = 2 * legacy.random_sample((3, 2)) - 1
    W = 2 * legacy.random_sample((1, 3)) - 1
    return [V, W]


def xor_race(runs, seeds=range(XOR_RACE["seeds"]), max_epochs=XOR_RACE["max_epochs"], threshold=XOR_QUALITY):
    """Эпох до качества исходной сети для каждого варианта и зерна: список массивов, по одному на вариант.

    runs — список (оптимизатор, η, смещения True/False); сети — исходная постановка (original_xor_weights,
    смещения сначала 0). «Дошла за t эпох»: после шага эпохи t среднее |Y − a| ≤ threshold и все 4 ответа
    верны (|Y − a| < 0.5), как в ноутбуке 01. Не дошла за max_epochs — в массиве −1.
    Все сети учатся одновременно: параметры сети — столбец θ = (v, w, b^in, b^out) массива (13, сети); у сетей
    без смещений градиент по смещениям обнуляется, и они остаются нулями при любом оптимизаторе.
    """
    import numpy as np
    runs = list(runs)
    for k, run in enumerate(runs):
        if not (isinstance(run, tuple) and len(run) == 3 and isinstance(run[0], bp.Optimizer)
                and isinstance(run[2], (bool, np.bool_))):
            raise TypeError(f"runs[{k}]: ожидается (оптимизатор bp.SGD()/bp.Momentum()/bp.Adam(), η, True/False), "
                            f"получено {run!r:.80}")
        checks.number(f"runs[{k}]: η", run[1], low=0.0, low_open=True)
    seeds = [checks.integer("seeds", s, low=0, high=2**32 - 1) for s in seeds]
    max_epochs = checks.integer("max_epochs", max_epochs, low=1, high=10**6)
    threshold = checks.number("threshold", threshold, low=0.0, high=0.5, low_open=True)
    if not runs or not seeds:
        raise ValueError("runs и seeds: нужен хотя бы один вариант и одно зерно")

    X, A = ds.xor()                                            # X (2, 4), A (1, 4)
    a = A.T                                                    # (4, 1): пример — строка, сеть — столбец
    start = np.array([np.concatenate([V.ravel(), W.ravel(), np.zeros(4)])
                      for V, W in map(original_xor_weights, seeds)]).T            # (13, зёрна)
    # θ (13, варианты, зёрна): столбец — одна сеть; v_sj — строки 0–5 (V[j, s] — строка 2j + s), w_j1 — 6–8,
    # b^in_j — 9–11, b^out_1 — 12. Сети — последняя ось: все операции идут по длинным строкам.
    # варианты с одним оптимизатором и η (со смещениями и без) — подряд: один шаг оптимизатора на всю группу
    groups = {}
    for r, (opt, learning_rate, _) in enumerate(runs):
        groups.setdefault((opt, float(learning_rate)), []).append(r)
    order = [r for members in groups.values() for r in members]
    blocks, first = [], 0
    for (opt, learning_rate), members in groups.items():
        block = slice(first, first + len(members))
        blocks.append((opt, learning_rate, block))
        first += len(members)
    theta = np.repeat(start[:, None, :], len(runs), axis=1)
    bias_mask = np.ones((13, len(runs), 1))
    for position, r in enumerate(order):
        if not runs[r][2]:
            bias_mask[9:, position] = 0.0                      # у этих сетей смещений нет: их градиент — 0
    bias_mask = np.broadcast_to(bias_mask, theta.shape).reshape(13, -1) / X.shape[1]   # и среднее по 4 примерам
    states = [opt.start([theta[:, block]]) for opt, _, block in blocks]
    flat = theta.reshape(13, -1)                               # вид на θ: (13, сети)
    reached = np.full(flat.shape[1], -1)
    x0, x1 = X[0][:, None], X[1][:, None]                      # (4, 1)

    def sigmoid(s):                                            # σ на месте: s больше не нужна
        np.exp(np.negative(s, out=s), out=s)
        s += 1.0
        return np.reciprocal(s, out=s)

    with np.errstate(over="ignore"):
        for epoch in range(max_epochs + 1):
            V0, V1, W, b_in = flat[0:6:2, None], flat[1:6:2, None], flat[6:9, None], flat[9:12, None]
            hidden = sigmoid(V0 * x0 + V1 * x1 + b_in)                             # X_j: (3, 4, сети)
            Y = sigmoid((W * hidden).sum(axis=0) + flat[12])                       # Y: (4, сети)
            if epoch:
                error = np.abs(Y - a)
                done = (error.max(axis=0) < 0.5) & (error.sum(axis=0) <= 4 * threshold) & (reached < 0)
                reached[done] = epoch
                if epoch == max_epochs or (reached > 0).all():
                    break
            tau_out = (Y - a) * Y * (1 - Y)                                        # (4, сети)
            tau_in = W * tau_out * hidden * (1 - hidden)                           # (3, 4, сети)
            grad = np.empty_like(flat)
            grad[0:6:2] = (tau_in * x0).sum(axis=1)                                # ∂E/∂v_1j = Σ_n τ_in_j I_1
            grad[1:6:2] = (tau_in * x1).sum(axis=1)
            grad[6:9] = (tau_out * hidden).sum(axis=1)                             # ∂E/∂w_j1 = Σ_n τ_out X_j
            grad[9:12] = tau_in.sum(axis=1)
            grad[12] = tau_out.sum(axis=0)
            grad *= bias_mask
            grad = grad.reshape(theta.shape)
            for (opt, learning_rate, block), state in zip(blocks, states):
                theta[:, block] = opt.update([theta[:, block]], [grad[:, block]], state, learning_rate)[0]
    reached = reached.reshape(len(runs), -1)
    result = [None] * len(runs)
    for position, r in enumerate(order):
        result[r] = reached[position]
    return result


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

