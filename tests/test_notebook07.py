"""Ноутбук 07 и модули говорят одно и то же: числа в тексте — это числа, которые напечатали ячейки
(их воспроизводимость сверяет nbval), а главные утверждения пересчитываются здесь заново.

- гонка на XOR: сколько зёрен дошло, медианы, зерно 1 (что это те же эпохи, что у Network.fit, — в
  tests/test_optimizers.py);
- λ и эпоха выбраны по проверочной части и совпадают с cfg.DIGITS07_CHOSEN; тест — один раз;
- распорядок отладки: числа каждого шага;
- цифры: средняя доля верных ответов на десяти разбиениях не ниже 98 % (пересчёт с нуля); сравнение с
  ноутбуком 05 — по его сохранённому выводу.
О времени ни текст, ни тесты чисел не утверждают: время печатает ячейка с NBVAL_IGNORE_OUTPUT, а цель «одно
обучение быстрее 10 с» меряет benchmarks/digits_practice.py.
"""
import math
import re

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds
from backprop_course import settings as cfg
from backprop_course import text
from notebook_files import NOTEBOOKS, cell_source, load_cells

NOTEBOOK = NOTEBOOKS / "07_training_in_practice.ipynb"


@pytest.fixture(scope="module")
def cells():
    return load_cells(NOTEBOOK.name)


def markdown(cells):
    return "\n".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")


def prose(cells):
    """Markdown без заметок преподавателя, одной строкой пробелов: переносы строк не мешают искать фразы."""
    return " ".join(" ".join(cell_source(c).split()) for c in cells
                    if c["cell_type"] == "markdown" and "instructor" not in c["metadata"].get("tags", []))


def notes(cells):
    return " ".join(" ".join(cell_source(c).split()) for c in cells if "instructor" in c["metadata"].get("tags", []))


def output_of(cells, fragment):
    """Сохранённый текстовый вывод единственной ячейки кода, в которой есть fragment."""
    found = [c for c in cells if c["cell_type"] == "code" and fragment in cell_source(c)]
    assert len(found) == 1, f"ожидалась одна ячейка кода с {fragment!r}, найдено {len(found)}"
    return "".join("".join(o.get("text", "")) for o in found[0]["outputs"] if o["output_type"] == "stream")


# ----- раздел 1: импульс и гонка ---------------------------------------------------------------------------

def test_momentum_sums_told_in_prose(cells):
    beta = 0.9
    assert round(1 / (1 - beta)) == 10 and "при $\\beta = 0.9$ шаг в 10 раз больше" in prose(cells)
    out = output_of(cells, "momentum = bp.Momentum(beta=0.9)")
    v_const = sum(beta ** k for k in range(50))                      # 1 + β + … + β^49
    v_alt = sum(beta ** k * (-1) ** k for k in range(50))            # последний g = +1, до него −1, …
    assert f"постоянный g = 1  : скорость v после 50 шагов = {v_const:+.3f}" in out
    assert f"знак g чередуется : скорость v после 50 шагов = {v_alt:+.3f}" in out
    assert f"1 / (1 + β) = {1 / (1 + beta):.3f}" in out


RACE_LINE = re.compile(r"(без смещений|со смещениями)\s+(градиентный спуск|импульс|Adam)\s+дошли\s+(\d+)"
                       r"(?:, медиана (\d+) эпох\w*, от (\d+) до (\d+))?")


@pytest.fixture(scope="module")
def race(cells):
    out = output_of(cells, "race = dict(zip(runs, rc.xor_race")
    found = {(m[1] == "со смещениями", m[2]): (int(m[3]), int(m[4]) if m[4] else None)
             for m in RACE_LINE.finditer(out)}
    assert len(found) == 6, out
    seed1 = out.split("веса исходного ноутбука):")[1]
    return found, seed1


def test_race_prose_is_the_printed_race(cells, race):
    found, seed1 = race
    text_ = prose(cells)
    gd, mom, adam = "градиентный спуск", "импульс", "Adam"
    assert f"дошёл лишь у {found[False, gd][0]} зерна из 100" in text_
    assert "градиентный спуск — не дошла" in seed1 and "не дошёл вовсе" in text_
    assert f"Импульс дошёл у {found[False, mom][0]} зёрен, Adam — у {found[False, adam][0]}" in text_
    reached, median = found[True, gd]
    assert f"градиентный спуск со смещениями дошёл у {reached} зёрен, медиана — {text.count(median, *text.EPOCHS)}" \
        in text_
    reached_m, median_m = found[True, mom]
    assert reached_m == max(r for r, _ in found.values()) and median_m == min(m for _, m in found.values() if m)
    assert reached_m == reached                                       # «так же надёжен»
    assert f"{reached_m} зёрен из 100, медиана {median_m} эпох — {text.times(round(median / median_m))} меньше" \
        in text_
    assert re.search(r"импульс со смещениями — (\d+)", seed1)[1] == "165" and "хватило 165 эпох" in text_
    reached_a, median_a = found[True, adam]
    assert f"почти так же быстр (медиана {median_a} эпох), но не дошли {100 - reached_a} зёрен из 100" in text_
    assert 100 - reached_a > max(100 - reached, 100 - reached_m)      # «больше, чем у двух других»
    assert f"быстрый пик и {100 - reached_a} неудач" in notes(cells)
    summary = " ".join(cell_source([c for c in cells if cell_source(c).startswith("## Итоги")][0]).split())
    assert f"дошёл у {reached_m} зёрен из 100 с медианой {median_m} эпох" in summary
    assert f"не дошёл у {100 - reached_a} зёрен" in summary
    assert f"не хватило 10 000 эпох у {100 - found[False, gd][0]} зёрен" in summary


def test_race_settings_told_in_prose(cells):
    text_ = prose(cells)
    optimizers = cfg.XOR_OPTIMIZERS
    assert optimizers["градиентный спуск"][1] == cfg.XOR_ORIGINAL["fit"]["learning_rate"] == 4
    assert optimizers["импульс"] == (bp.Momentum(beta=0.9), 4.0) and optimizers["Adam"] == (bp.Adam(), 0.1)
    assert "градиентный спуск с шагом исходного ноутбука $\\eta = 4$, импульс $\\beta = 0.9$ с тем же $\\eta$ и Adam " \
           "с $\\eta = 0.1$" in text_
    assert cfg.XOR_RACE == {"seeds": 100, "max_epochs": 10_000} and "не дольше 10 000 эпох" in text_
    assert 80_000 // 8 == cfg.XOR_RACE["max_epochs"] and "восьмой части исходных 80 000" in text_
    assert "Это 600 сетей" in text_ and 3 * 2 * cfg.XOR_RACE["seeds"] == 600


# ----- раздел 2: L2 и ранняя остановка ---------------------------------------------------------------------

LAMBDA_LINE = re.compile(r"λ = (\S+)\s*: E на проверке — наименьшая ([\d.]+) после эпохи\s+(\d+), в конце ([\d.]+); "
                         r"E на обучении в конце ([\d.]+)")


@pytest.fixture(scope="module")
def lambdas(cells):
    out = output_of(cells, "chosen_lam = min(curves")
    found = {float(m[1]): (m[2], int(m[3]), m[4], m[5]) for m in LAMBDA_LINE.finditer(out)}
    assert sorted(found) == sorted(cfg.DIGITS07_LAMBDAS), out
    return found, out


def test_choice_is_made_on_validation_and_recorded_in_settings(lambdas):
    found, out = lambdas
    best = min(found, key=lambda lam: float(found[lam][0]))
    assert best == cfg.DIGITS07_CHOSEN["weight_decay"] and found[best][1] == cfg.DIGITS07_CHOSEN["epochs"]
    assert f"выбрано по проверочной части: λ = {best:g}, число эпох {cfg.DIGITS07_CHOSEN['epochs']}" in out


def test_l2_prose_is_the_printed_curves(cells, lambdas):
    found, _ = lambdas
    text_ = prose(cells)
    low0, epoch0, end0, train0 = found[0.0]
    assert float(end0) > float(low0)                                  # на проверке к концу снова выше
    assert f"падает до {train0}, а на проверке наименьшая — после эпохи {epoch0} ({low0}), к сотой она снова выше ({end0})" \
        in text_
    assert f"ранняя остановка взяла бы эпоху {epoch0}" in text_
    low, epoch, end, train = found[1e-4]
    assert float(train) > float(train0) and float(end) < float(end0)
    assert f"держит $E$ на обучении выше ({train} к сотой эпохе), а на проверке к концу ниже ({end})" in text_
    strong = found[1e-2]
    assert all(float(strong[0]) > float(v[0]) and float(strong[3]) > float(v[3]) for k, v in found.items() if k != 1e-2)
    assert f"выше всех и на обучении ({strong[3]})" in text_
    assert f"после эпохи {epoch}, но разница с $\\lambda = 0$ и остановкой на эпохе {epoch0} — в третьем знаке ({low} " \
           f"против {low0})" in text_
    assert abs(float(low) - float(low0)) < 0.005


def test_l2_check_and_split_told_in_prose(cells):
    out = output_of(cells, "bp.numerical_gradients(net_check")
    errors = [float(e) for e in re.findall(r"\d\.\de-\d+", out)]
    assert len(errors) == 4 and max(errors) < 1e-9 and "Погрешность порядка $10^{-10}$" in prose(cells)
    out = output_of(cells, "X_rest, A_rest, X_test, A_test = ds.split")
    assert "проверочная  часть:  269 примеров (15%)" in out and "тестовая     часть:  450 примеров (25%)" in out
    assert cfg.DIGITS07_VALIDATION == 0.2 and "пятая часть — **проверочная**" in prose(cells)


def test_test_is_opened_once_and_compared_with_notebook05(cells):
    code = [cell_source(c) for c in cells if c["cell_type"] == "code"]
    uses = [src for src in code if re.search(r"X_test\b", src)]
    assert len(uses) == 2 and "ds.split(X, A, **cfg.DIGITS_SPLIT" in uses[0]     # разбиение и одна проверка
    out = output_of(cells, "net.fit(X_rest, A_rest, epochs=chosen_epochs")
    assert re.fullmatch(r"доля верных ответов на тесте: 0\.\d{4} \(\d+ из 450\)\n", out)
    nb05 = "".join("".join(o.get("text", "")) for c in load_cells("05_digits.ipynb") if c["cell_type"] == "code"
                   for o in c.get("outputs", []) if o["output_type"] == "stream")
    right05 = re.search(r"доля верных ответов на тесте:\s+(0\.\d{4}) \((\d+) из 450\)", nb05)
    assert f"В ноутбуке 05 на том же тесте было {right05[2]} из 450 ({right05[1]})" in prose(cells)


# ----- раздел 3: распорядок отладки ------------------------------------------------------------------------

def test_gradient_check_step(cells):
    out = output_of(cells, "ex.buggy_gradients(net_small")
    good, bad = out.strip().split("\n")
    assert all(float(e) < 1e-8 for e in re.findall(r"\d\.\de-\d+", good))
    first, second = (float(e) for e in re.findall(r"\d\.\de[-+]\d+", bad))
    assert f"{first:.2f}" == "0.68" and second < 1e-8
    assert "в первом слое — 0.68, а второй слой чист" in prose(cells)


def test_initial_loss_step(cells):
    out = output_of(cells, "net0.loss(X_train, A_train)")
    counts = [int(n) for n in re.search(r"обучающей части: \[([\d ]+)\]", out)[1].split()]
    assert f"от {min(counts)} до {max(counts)} примеров каждой цифры" in prose(cells)
    ok = float(re.search(r"исправная сеть:\s+E = ([\d.]+)", out)[1])
    broken = float(re.search(r"не поделили на 16\): E = ([\d.]+)", out)[1])
    assert f"ln 10 = {math.log(10):.4f}" in out
    assert f"$E = {ok:.2f}$ — того же порядка, что $\\ln 10$" in prose(cells) and 1 < ok / math.log(10) < 1.5
    assert round(broken / ok) == 10 and broken / ok < 10 and "почти в 10 раз больше" in prose(cells)


def test_tiny_batch_step(cells):
    out = output_of(cells, "X_tiny, A_tiny = X_train[:, :32]")
    good, bad = out.strip().split("\n")
    E_good = re.search(r"E = ([\d.]+), верно 32 из 32", good)[1]
    right_bad = re.search(r"верно (\d+) из 32", bad)[1]
    assert f"запомнила все 32 примера ($E = {E_good}$), сломанная за те же 200 эпох — только {right_bad} из 32" \
        in prose(cells)
    net = bp.Network(**cfg.DIGITS07_NETWORK)
    weights = sum(W.size for W in net.weights)
    assert 9000 < weights < 10_000 and "У сети больше 9000 весов" in prose(cells)


def test_learning_rate_sweep_step(cells):
    out = output_of(cells, "etas = 10.0 ** np.arange(-5, 0.51, 0.5)")
    sweep = {float(eta): float(E) for eta, E in re.findall(r"η = (\S+): E после 5 эпох = ([\d.]+)", out)}
    assert len(sweep) == 12
    valley = sorted(eta for eta, E in sweep.items() if E < 1)
    assert math.isclose(valley[0], 1e-3) and math.isclose(valley[-1], 1e-1)
    assert all(1e-3 <= eta <= 1e-1 for eta in valley)
    assert all(abs(E - math.log(10)) < 0.1 for eta, E in sweep.items() if eta >= 1)
    assert all(E > math.log(10) for eta, E in sweep.items() if eta <= 1.01e-4)
    text_ = prose(cells)
    assert "Долина, где $E$ после 5 эпох меньше 1, — от $10^{-3}$ до $10^{-1}$" in text_
    assert "При $\\eta \\le 10^{-4}$ $E$ за 5 эпох не опустилась ниже $\\ln 10$" in text_
    assert 1e-3 < cfg.DIGITS07_FIT["learning_rate"] < 1e-1 and "у сети для цифр это $\\eta = 0.003$" in text_


def test_layer_norms_step(cells):
    out = output_of(cells, "norms.append([np.linalg.norm(d) for d in dW])")
    sig, tanh = out.split("tanh   :")
    norms = {name: [float(x) for x in re.search(r"после эпохи 20: \[([^\]]+)\]", part)[1].split()]
             for name, part in (("sigmoid", sig), ("tanh", tanh))}
    ratio = round(norms["sigmoid"][-1] / norms["sigmoid"][0])
    assert ratio >= 10 and f"градиент первого слоя в {ratio} раза меньше" in " ".join(prose(cells).split())
    assert max(norms["tanh"]) / min(norms["tanh"]) < 10                 # «одного порядка»
    E_sig = float(re.search(r"после 20 = ([\d.]+)", sig)[1])
    assert abs(E_sig - math.log(10)) < 0.05 and "доля верных на проверке 0.1004" in sig
    assert float(re.search(r"после 20 = ([\d.]+)", tanh)[1]) < 0.2


def test_dead_relu_step(cells):
    out = output_of(cells, "def dead_relus(net, X):")
    healthy, broken, final = out.strip().split("\n")
    dead_healthy = re.search(r"после 20 эпох (\d+) из 128", healthy)[1]
    dead_broken = re.search(r"после 20 эпох (\d+) из 128", broken)[1]
    dead_final = re.search(r"мёртвых (\d+) из 128", final)[1]
    text_ = prose(cells)
    assert f"мертвы {dead_broken} нейронов из 128, и сеть угадывает" in text_ and int(dead_broken) > 120
    assert "доля верных на проверке 0.1004" in broken
    assert f"({dead_healthy} после 20 эпох, {dead_final} у сети раздела 2 после обучения)" in text_


# ----- раздел 4: десять разбиений --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def splits():
    """Доля верных на тесте каждого разбиения — пересчёт с нуля по cfg."""
    X, _, A = ds.load_digits()
    accuracy = []
    for seed in cfg.DIGITS07_SPLITS:
        X_tr, A_tr, X_te, A_te = ds.split(X, A, test_fraction=cfg.DIGITS_SPLIT["test_fraction"], seed=seed,
                                          stratify=True)
        net = bp.Network(**cfg.DIGITS07_NETWORK)
        net.fit(X_tr, A_tr, epochs=cfg.DIGITS07_CHOSEN["epochs"], **cfg.DIGITS07_FIT,
                weight_decay=cfg.DIGITS07_CHOSEN["weight_decay"], progress=False)
        accuracy.append(ds.accuracy(net, X_te, A_te))
    return np.array(accuracy)


def test_digits_mean_accuracy_over_ten_splits_is_at_least_98_percent(splits):
    accuracy = splits
    assert len(accuracy) == 10 and accuracy.mean() >= 0.98, accuracy


def test_notebook_prints_the_same_ten_splits(cells, splits):
    accuracy = splits
    out = output_of(cells, "for seed in cfg.DIGITS07_SPLITS:")
    for seed, acc in zip(cfg.DIGITS07_SPLITS, accuracy):
        assert f"зерно {seed:2d}: {acc:.4f}" in out
    summary = (f"среднее {accuracy.mean():.4f}, разброс (стандартное отклонение) {accuracy.std():.4f}, "
               f"от {accuracy.min():.4f} до {accuracy.max():.4f}")
    assert summary in out
    text_ = prose(cells)
    assert (f"на десяти разбиениях — {accuracy.mean():.4f}, разброс (стандартное отклонение) — {accuracy.std():.4f}, "
            f"от {accuracy.min():.4f} до {accuracy.max():.4f}") in text_
    assert f"средняя доля верных ответов на десяти разбиениях — {accuracy.mean():.4f}" in text_


def test_comparison_with_notebook05_is_its_stored_output(cells, splits):
    accuracy = splits
    nb05 = "".join("".join(o.get("text", "")) for c in load_cells("05_digits.ipynb") if c["cell_type"] == "code"
                   for o in c.get("outputs", []) if o["output_type"] == "stream")
    found = re.search(r"от (0\.\d+) до (0\.\d+), среднее (0\.\d+)", nb05)
    seeds05 = [int(s) for s in re.findall(r"зерно\s+(\d+):", nb05)]
    assert seeds05 == list(cfg.DIGITS07_SPLITS)                      # те же разбиения, те же тесты
    assert f"было в среднем {found[3]}, от {found[1]} до {found[2]}" in prose(cells)
    assert 0.003 < accuracy.mean() - float(found[3]) < 0.007 and "Разница средних — полпроцента" in prose(cells)
    assert accuracy.max() - accuracy.min() > accuracy.mean() - float(found[3])   # «того же порядка, что разброс»


def test_timing_cell_is_not_compared_and_says_why(cells):
    timing = [c for c in cells if c["cell_type"] == "code" and "min(seconds)" in cell_source(c)]
    assert len(timing) == 1
    first, why = cell_source(timing[0]).splitlines()[:2]
    assert first == "# NBVAL_IGNORE_OUTPUT" and why.startswith("# время")


# ----- упражнения, рисунки, итоги --------------------------------------------------------------------------

def test_exercises_are_folded_and_checked(cells):
    answers = [c for c in cells if c["cell_type"] == "code" and "# ### BEGIN SOLUTION" in cell_source(c)]
    assert len(answers) == 4
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") is True for c in answers)
    checks = ("check_momentum_step", "check_l2_gradient", "check_adam_first_step")
    for c, check in zip(answers, checks):
        assert f"ex.{check}(" in cell_source(c)
        printed = "".join("".join(o["text"]) for o in c["outputs"] if o["output_type"] == "stream")
        assert printed.startswith("Верно!")


def test_open_exercise_expected_result_is_its_output(cells):
    out = output_of(cells, "by_accuracy = int(np.argmax(")
    rows = re.findall(r"эпоха по доле верных\s+(\d+) \(та же доля [\d.]+ ещё в (\d+) эпох\w*\), по E\s+(\d+)", out)
    assert len(rows) == 4 and all(a != e for a, _, e in rows)
    a0, ties0, e0 = rows[0]
    expected = notes(cells)
    assert f"у всех четырёх $\\lambda$ разные (при $\\lambda = 0$ — {a0} и {e0})" in expected
    assert f"при $\\lambda = 0$ — ещё {ties0}" in expected
    assert "один пример проверочной части — это 0.0037 доли верных" in out and "это 0.0037 доли верных" in expected


def test_at_least_four_figures_and_small_file(cells):
    figures = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    assert figures >= 4
    assert NOTEBOOK.stat().st_size < 400 * 1024


def test_notebook_uses_the_shared_settings(cells):
    code = "\n".join(cell_source(c) for c in cells if c["cell_type"] == "code")
    assert "bp.Network(**cfg.DIGITS07_NETWORK)" in code and "**cfg.DIGITS07_FIT" in code
    assert "rc.xor_race(" in code and "cfg.XOR_OPTIMIZERS" in code


def test_summary_closes_the_notebook(cells):
    last = [cell_source(c) for c in cells if c["cell_type"] == "markdown"
            and "instructor" not in c["metadata"].get("tags", [])][-1]      # заметка докладчика — после итогов
    assert last.startswith("## Итоги") and "\\boxed" in last
    assert "\\beta v + g" in last and "\\lambda \\, w_{ji}" in last
