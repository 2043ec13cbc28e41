"""Сколько стоит одна эпоха Network.fit против исходного цикла из ноутбука (и PyTorch, если он есть).

    OPENBLAS_NUM_THREADS=1 python benchmarks/speed.py

Та же сеть без смещений, те же данные, те же начальные веса; замеры чередуются, берётся минимум
из нескольких повторов. Печатает таблицу: микросекунды на эпоху и отношение к исходному циклу.
Цели из задачи: fit / исходный цикл ≤ 1.3 на XOR 2-3-1 и ≤ 1.1 на 1000 точках 2-16-1.
"""
import sys
import time

import numpy as np

import backprop as bp

try:
    import torch
except ImportError:
    torch = None

REPEATS = 15


def xor_case():
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
    A = np.array([[0, 1, 1, 0]])
    np.random.seed(1)
    w1 = 2 * np.random.random((3, 2)) - 1
    w2 = 2 * np.random.random((1, 3)) - 1
    return "XOR, 2-3-1, 4 примера", X, A, [w1, w2], 1.0, 20_000


def random_case():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 1000))              # шаг 0.01 на сумму по 1000 примеров: сеть учится, не насыщаясь
    A = (X[0] * X[1] > 0).astype(float)[None, :]
    w1 = rng.uniform(-1, 1, size=(16, 2))
    w2 = rng.uniform(-1, 1, size=(1, 16))
    return "1000 точек, 2-16-1", X, A, [w1, w2], 0.01, 1_000


def original_loop(X, y, weights, learning_rate, epochs):
    """Цикл исходного ноутбука без печати прогресса (градиент — сумма по примерам)."""
    w1, w2 = (W.copy() for W in weights)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    start = time.perf_counter()
    for epoch in range(epochs):
        hide = sigmoid(w1 @ X)
        out = sigmoid(w2 @ hide)
        err = (y - out)
        e_out = err * out * (1 - out)
        e_hide = (w2.T @ e_out) * hide * (1 - hide)
        w2 += learning_rate * (e_out @ hide.T)
        w1 += learning_rate * (e_hide @ X.T)
    return time.perf_counter() - start


def course_fit(X, y, weights, learning_rate, epochs):
    net = bp.Network.from_weights(weights)
    start = time.perf_counter()
    net.fit(X, y, epochs=epochs, learning_rate=learning_rate * X.shape[1], progress=False)  # E — среднее
    return time.perf_counter() - start


def torch_loop(X, y, weights, learning_rate, epochs):
    """Та же сеть в PyTorch на CPU: autograd и SGD, как её написал бы пользователь PyTorch."""
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    params = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in weights]
    opt = torch.optim.SGD(params, lr=learning_rate * X.shape[1])
    start = time.perf_counter()
    for epoch in range(epochs):
        opt.zero_grad()
        out = torch.sigmoid(params[1] @ torch.sigmoid(params[0] @ Xt))
        loss = 0.5 * ((out - yt) ** 2).sum() / Xt.shape[1]
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def main():
    runners = {"исходный цикл": original_loop, "Network.fit": course_fit}
    if torch is not None:
        torch.set_num_threads(1)
        runners["PyTorch (CPU)"] = torch_loop
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, "
          f"torch {torch.__version__ if torch else 'не установлен'}; минимум из {REPEATS} повторов")
    print(f"{'задача':<24}{'код':<16}{'мкс/эпоха':>10}{'к исходному':>13}")
    for name, X, A, weights, learning_rate, epochs in (xor_case(), random_case()):
        best = {key: np.inf for key in runners}
        for _ in range(REPEATS):                      # чередуем, чтобы фоновая нагрузка делилась поровну
            for key, run in runners.items():
                best[key] = min(best[key], run(X, A, weights, learning_rate, epochs) / epochs)
        for key in runners:
            ratio = best[key] / best["исходный цикл"]
            print(f"{name:<24}{key:<16}{best[key] * 1e6:>10.1f}{ratio:>12.2f}x")


if __name__ == "__main__":
    main()
