"""Ноутбук 04: числа и сравнения в тексте — из того же счёта, что и в ячейках.

Каждая проверка считает заново, независимо от сохранённых выходов, и сверяет с текстом markdown-ячейки,
помеченной <!-- ... -->, и с напечатанным: поменяли число в тексте или поведение модуля — тест падает.
"""
import re

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds, settings as cfg
from notebook_files import cell_source, load_cells, planted

NOTEBOOK = "04_losses_activations_depth.ipynb"
RATE, TOLERANCE, EPOCHS, SEEDS = (cfg.XOR_LOSSES[k] for k in ("learning_rate", "tolerance", "epochs", "seeds"))
STEPS = [2.0, 5.0, 10.0, 20.0, 40.0]


@pytest.fixture(scope="module")
def cells():
    return load_cells(NOTEBOOK)


def _marked(cells, marker):
    found = [cell_source(c) for c in cells if c["cell_type"] == "markdown" and f"<!-- {marker} -->" in cell_source(c)]
    assert len(found) == 1, f"ожидалась одна ячейка с <!-- {marker} -->, найдено {len(found)}"
    return found[0]


def _printed(cells, code_start):
    found = [c for c in cells if c["cell_type"] == "code" and cell_source(c).startswith(code_start)]
    assert len(found) == 1, f"ожидалась одна код-ячейка, начинающаяся с {code_start!r}"
    return "".join("".join(o["text"]) for o in found[0]["outputs"] if o["output_type"] == "stream")


def _run(seed, loss, rate):
    """E и max |Y − a| после каждой эпохи; старт — сеть 2-3-1 с этим зерном (одинаковый для обеих функций потерь)."""
    X, A = ds.xor()
    start = bp.Network([2, 3, 1], seed=seed)
    net = bp.Network.from_weights(start.weights, start.biases, loss=loss)
    worst = []
    history = net.fit(X, A, epochs=EPOCHS, learning_rate=rate, progress=False,
                      callback=lambda net, epoch, E: worst.append(np.abs(net.predict_proba(X) - A).max()))
    return history, np.array(worst), np.abs(start.predict_proba(X) - A).max()


def _first(worst):
    below = np.flatnonzero(worst < TOLERANCE)
    return int(below[0]) + 1 if below.size else None


@pytest.fixture(scope="module")
def table():
    return {(loss, rate): [_first(_run(s, loss, rate)[1]) for s in range(SEEDS)]
            for loss in ("mse", "cross_entropy") for rate in STEPS}


def _summary(counts):
    done = [c for c in counts if c is not None]
    return len(done), (np.median(done) if done else None)


def test_start_of_training_is_described(cells):
    """<!-- losses-start -->: E за 60 эпох, и худший выход квадратичной функции потерь удаляется от ответа."""
    text = _marked(cells, "losses-start")
    mse, mse_worst, worst0 = _run(0, "mse", RATE)
    ce, _, _ = _run(0, "cross_entropy", RATE)
    assert f"с {ce[0]:.3f} до {ce[60]:.3f}" in text, text
    assert f"({mse[0]:.3f} → {mse[60]:.3f})" in text, text
    peak = int(mse_worst[:300].argmax()) + 1
    assert mse_worst[:300].max() > worst0 + 0.03
    assert f"ещё\n{peak} эпох" in text or f"ещё {peak} эпох" in text, text
    assert f"растёт с {worst0:.2f} до {mse_worst[:300].max():.2f}" in text, text


def test_step_table_is_the_independent_count(cells, table):
    printed = _printed(cells, 'SEEDS = range(cfg.XOR_LOSSES["seeds"])')
    for (loss, rate), counts in table.items():
        learned, median = _summary(counts)
        pattern = rf"η = {rate:4.1f}: выучила за {EPOCHS} эпох\s+{learned} из {SEEDS}, медиана " + \
                  (rf"{round(median)} эпох" if median is not None else "—")
        assert re.search(pattern, printed), (loss, rate, pattern, printed)


def test_step_prose_says_what_the_table_shows(cells, table):
    """<!-- losses-steps -->: при одном шаге энтропия быстрее; при η = 20 наоборот; у каждой свой лучший шаг."""
    text = _marked(cells, "losses-steps")
    faster = sum((EPOCHS + 1 if ce is None else ce) < (EPOCHS + 1 if mse is None else mse)
                 for ce, mse in zip(table["cross_entropy", RATE], table["mse", RATE]))
    assert f"$\\eta = {RATE:g}$ перекрёстная энтропия быстрее из того же старта в {faster} случаях из {SEEDS}" \
        in text.replace("\n", " "), text
    mse20, ce20 = _summary(table["mse", 20.0]), _summary(table["cross_entropy", 20.0])
    assert f"выучила XOR в {mse20[0]} случаях из {SEEDS} (медиана {mse20[1]:.0f} эпохи)" in text.replace("\n", " ")
    assert f"лишь в {ce20[0]}" in text and ce20[0] < SEEDS // 2

    def best(loss):
        return min(STEPS, key=lambda r: (-_summary(table[loss, r])[0], _summary(table[loss, r])[1] or EPOCHS))

    assert (best("mse"), best("cross_entropy")) == (20.0, 5.0)
    m_mse, m_ce = _summary(table["mse", 20.0])[1], _summary(table["cross_entropy", 5.0])[1]
    assert f"медианы {m_mse:.0f} и {m_ce:.0f} эпох" in text, text
    assert abs(m_mse - m_ce) / m_ce < 0.3                   # «почти поровну»


def test_deep_forward_signal_collapses_for_sigmoid_only(cells):
    """<!-- deep-forward -->: разброс выходов по примерам у σ тает по слоям, у tanh и ReLU — нет; голова не учится."""
    text = _marked(cells, "deep-forward").replace("\n", " ")
    printed = _printed(cells, "# разброс выхода нейрона")
    spreads = {}
    for line in printed.splitlines():
        m = re.match(r"(\S+)\s+разброс по слоям 1–8: (.*)$", line)
        if m:
            spreads[m.group(1)] = [float(v) for v in m.group(2).split()]
    sigma = spreads["σ"]
    assert all(b < a for a, b in zip(sigma, sigma[1:])) and sigma[-1] < 1e-4 * sigma[0], sigma
    for name in ("tanh", "ReLU"):
        assert min(spreads[name]) > 0.2 * max(spreads[name]), spreads[name]
    assert f"от {sigma[0]:.2f} в первом слое до {sigma[-1]:.0e} в восьмом" in text, text
    head = re.search(r"E = ([\d.]+), доля верных ([\d.]+)", printed)
    E, accuracy = float(head.group(1)), float(head.group(2))
    assert abs(E - np.log(2)) < 0.01 and 0.4 <= accuracy <= 0.6, printed        # «около ln 2», «около половины»


def test_product_formula_is_the_modules_recursion(cells):
    """Раздел 7: τ^(1) как произведение D_k W^(k+1)ᵀ … совпадает с модулем, и оценка нормы выполняется."""
    printed = _printed(cells, "# τ^(1) одного примера")
    assert "совпадает с τ^(1) модуля: True" in printed, printed
    actual, bound = map(float, re.search(r"‖τ\^\(1\)‖ = (\S+), оценка сверху (\S+)", printed).groups())
    assert actual <= bound, printed
    # и независимо: на случайной сигмоидной сети 4 слоёв произведение совпадает с tau_terms
    rng = np.random.default_rng(3)
    net = bp.Network([3, 5, 4, 5, 2], seed=3)
    x, a = rng.normal(size=(3, 1)), rng.uniform(size=(2, 1))
    outputs, taus = net.forward(x), net.tau_terms(x, a)
    tau = taus[-1]
    for k in range(len(net.weights) - 1, 0, -1):
        tau = np.diag(outputs[k][:, 0] * (1 - outputs[k][:, 0])) @ net.weights[k].T @ tau
    assert np.allclose(tau, taus[0])


def test_planted_wrong_number_is_caught(cells):
    with pytest.raises(AssertionError):
        test_deep_forward_signal_collapses_for_sigmoid_only(planted(cells, "от 0.18 в первом слое", "от 0.81 в первом слое"))
