"""Гонка на XOR (ноутбук 07): исходная постановка, сотни сетей сразу.

Сеть 2-3-1 исходного ноутбука (σ, квадратичная функция потерь, полный пакет, веса U(−1, 1) от
np.random.RandomState(зерно)) учится для каждого зерна и каждого варианта (оптимизатор, η, смещения).
По одной через Network.fit это сотни тысяч эпох; здесь все сети — столбцы одного массива, а шаг делает
тот же код оптимизаторов (bp.SGD, bp.Momentum, bp.Adam). Что получаются те же числа, что у Network.fit,
проверяет tests/test_optimizers.py. Настройки гонки — cfg.XOR_RACE и cfg.XOR_OPTIMIZERS.
"""
import numpy as np

import backprop as bp

from . import checks
from . import datasets as ds
from .settings import XOR_QUALITY, XOR_RACE


def original_xor_weights(seed):
    """Начальные веса исходного ноутбука для зерна seed: [V (3, 2), W (1, 3)], U(−1, 1) от RandomState(seed).

    При seed = cfg.XOR_ORIGINAL["legacy_seed"] = 1 — ровно веса исходного ноутбука (np.random.seed(1))."""
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

