"""Ноутбук 07: сколько секунд идёт одно обучение на цифрах с его настройками, гонка на XOR и доля верных
ответов на десяти разбиениях.

    OPENBLAS_NUM_THREADS=1 python benchmarks/digits_practice.py

Настройки — cfg.DIGITS07_NETWORK, DIGITS07_FIT, DIGITS07_CHOSEN, DIGITS07_SPLITS и XOR_RACE из
backprop_course.settings (те же, что в ноутбуке и в tests/test_notebook07.py). Замер — только net.fit (без загрузки
и без полосы прогресса) на каждом разбиении. Цели из задачи: одно обучение меньше 10 с, средняя доля верных на
десяти разбиениях не меньше 98 %.
"""
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import backprop as bp  # noqa: E402
from backprop_course import datasets as ds, race as rc, settings as cfg  # noqa: E402

LIMIT_SECONDS = 10.0


def main():
    X, _, A = ds.load_digits()
    accuracy, seconds = [], []
    for seed in cfg.DIGITS07_SPLITS:
        X_tr, A_tr, X_te, A_te = ds.split(X, A, test_fraction=cfg.DIGITS_SPLIT["test_fraction"], seed=seed,
                                          stratify=True)
        net = bp.Network(**cfg.DIGITS07_NETWORK)
        start = time.perf_counter()
        net.fit(X_tr, A_tr, epochs=cfg.DIGITS07_CHOSEN["epochs"], **cfg.DIGITS07_FIT,
                weight_decay=cfg.DIGITS07_CHOSEN["weight_decay"], progress=False)
        seconds.append(time.perf_counter() - start)
        accuracy.append(ds.accuracy(net, X_te, A_te))
    accuracy = np.array(accuracy)
    print(f"настройки: {cfg.DIGITS07_NETWORK}, {cfg.DIGITS07_FIT}, {cfg.DIGITS07_CHOSEN}")
    print(f"обучение на одном разбиении: от {min(seconds):.2f} до {max(seconds):.2f} с, медиана {np.median(seconds):.2f} с")
    print(f"доля верных на тесте, зёрна {list(cfg.DIGITS07_SPLITS)}: {np.round(accuracy, 4)}")
    print(f"  среднее {accuracy.mean():.4f}, стандартное отклонение {accuracy.std():.4f}, "
          f"от {accuracy.min():.4f} до {accuracy.max():.4f}")

    runs = [(opt, lr, biases) for biases in (False, True) for opt, lr in cfg.XOR_OPTIMIZERS.values()]
    start = time.perf_counter()
    rc.xor_race(runs)
    print(f"гонка на XOR ({len(runs)} вариантов × {cfg.XOR_RACE['seeds']} зёрен, до {cfg.XOR_RACE['max_epochs']} "
          f"эпох): {time.perf_counter() - start:.2f} с")

    ok = max(seconds) < LIMIT_SECONDS and accuracy.mean() >= 0.98
    print("цель достигнута" if ok else "ЦЕЛЬ НЕ ДОСТИГНУТА")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
