"""Ноутбук 03: доли верных на тесте с настройками cfg.TRAINING — теми же, что в ноутбуке.

Требования (1000 обучающих точек, сеть курса, обратное распространение):
две луны (шум 0.1) ≥ 98%; две окружности (шум 0.1, отношение радиусов 0.5) ≥ 97%;
две спирали (по 1.5 оборота, шум 5% внешнего радиуса) ≥ 95%.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from backprop_course import datasets as ds, settings as cfg

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_decision_boundaries.ipynb"
REQUIRED = {"moons": 0.98, "circles": 0.97, "spirals": 0.95}


def train(name):
    """Ровно то, что делает ячейка обучения ноутбука."""
    X_train, A_train, X_test, A_test = cfg.boundary_data(name)
    net = cfg.boundary_network(name)
    net.fit(X_train, A_train, **cfg.TRAINING[name]["fit"], progress=False)
    return net, X_train, A_train, X_test, A_test


def test_settings_match_the_task():
    assert cfg.N_TRAIN == 1000
    assert cfg.TRAINING["moons"]["data"] == {"noise": 0.1}
    assert cfg.TRAINING["circles"]["data"] == {"noise": 0.1, "radius_ratio": 0.5}
    assert cfg.TRAINING["spirals"]["data"] == {"noise": 0.05, "turns": 1.5}
    X, _ = ds.spirals(2000, noise=0.0, turns=1.5, seed=0)
    assert np.hypot(*X).max() == pytest.approx(1.0, abs=0.01)   # шум 0.05 — это 5% внешнего радиуса


@pytest.mark.parametrize("name", list(REQUIRED))
def test_test_accuracy(name):
    net, X_train, A_train, X_test, A_test = train(name)
    assert X_train.shape[1] == 1000
    assert ds.accuracy(net, X_test, A_test) >= REQUIRED[name]


def stored_cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_notebook_trains_with_the_shared_settings():
    """Ячейка обучения ноутбука берёт данные, сеть и настройки из bd — и её сохранённый вывод совпадает с тестом."""
    cell = next(c for c in stored_cells() if c["cell_type"] == "code"
                and 'cfg.TRAINING[name]["fit"]' in "".join(c["source"]) and "nets[name]" in "".join(c["source"]))
    source = "".join(cell["source"])
    assert "cfg.boundary_network(name)" in source
    printed = "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream")
    for name in REQUIRED:
        net, X_train, A_train, X_test, A_test = train(name)
        line = next(s for s in printed.splitlines() if s.startswith(ds.TITLES[name]))
        assert re.search(f"на тесте {ds.accuracy(net, X_test, A_test):.1%}".replace(".", r"\."), line)


def test_notebook_stores_no_warnings_or_errors():
    """Расходящееся обучение (η слишком велика) не оставляет в ноутбуке ни NaN-предупреждений, ни ошибок."""
    for cell in stored_cells():
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), "".join(out["text"])
            assert "nan" not in "".join(out.get("text", [])).lower()


# ---------------------------------------------------------------------------------------------------
# Текст ноутбука и его числа: каждое число и каждое сравнение в тексте — из того же счёта.
# ---------------------------------------------------------------------------------------------------

def _source(cell):
    return "".join(cell["source"])


def _markdown(marker):
    found = [_source(c) for c in stored_cells() if c["cell_type"] == "markdown" and marker in _source(c)]
    assert len(found) == 1, f"ожидалась одна markdown-ячейка с {marker!r}, найдено {len(found)}"
    return found[0]


def _printed(code_start):
    found = [c for c in stored_cells() if c["cell_type"] == "code" and _source(c).startswith(code_start)]
    assert len(found) == 1, f"ожидалась одна код-ячейка, начинающаяся с {code_start!r}"
    return "".join("".join(o["text"]) for o in found[0]["outputs"] if o["output_type"] == "stream")


@pytest.fixture(scope="module")
def capacity():
    """Раздел 3 заново: доли верных на обучении и на тесте, строка — выборка, столбец — размер слоя."""
    cap = cfg.CAPACITY
    train_acc = np.zeros((cap["draws"], len(cap["sizes"])))
    test_acc = np.zeros_like(train_acc)
    for draw in range(cap["draws"]):
        X, A, X_check, A_check = cfg.boundary_data("moons", seed=draw, **cap["data"])
        for k, h in enumerate(cap["sizes"]):
            net = cfg.boundary_network("moons", hidden=[h], seed=0)
            net.fit(X, A, **cap["fit"], progress=False)
            train_acc[draw, k], test_acc[draw, k] = ds.accuracy(net, X, A), ds.accuracy(net, X_check, A_check)
    return train_acc, test_acc


def test_capacity_table_is_the_independent_count(capacity):
    train_acc, test_acc = capacity
    printed = _printed("print(f\"нейронов")
    assert cfg.CAPACITY["draws"] >= 5
    for k, h in enumerate(cfg.CAPACITY["sizes"]):
        tr, te = train_acc[:, k], test_acc[:, k]
        row = (f"{h:8d}   {tr.mean():6.1%} ({tr.min():.1%} – {tr.max():.1%}){'':12}"
               f"{te.mean():.1%} ({te.min():.1%} – {te.max():.1%})")
        assert row in printed, (row, printed)


def test_capacity_prose_says_what_the_numbers_show(capacity):
    """Текст <!-- capacity -->: обучение у 1 нейрона, первая выборка, средние против разброса, разрыв."""
    train_acc, test_acc = capacity
    sizes = cfg.CAPACITY["sizes"]
    col = {h: k for k, h in enumerate(sizes)}
    text = _markdown("<!-- capacity -->") + _markdown("<!-- capacity-test -->")
    # 1 нейрон: меньше всего верных на обучении
    assert train_acc.mean(0).argmin() == col[1]
    assert f"в среднем {train_acc[:, col[1]].mean():.1%}" in text, text
    # первая выборка: 3 нейрона лучше 8 и 32
    first = test_acc[0]
    assert first[col[3]] > max(first[col[8]], first[col[32]])
    assert f"({first[col[3]]:.1%} против {first[col[8]]:.1%} и {first[col[32]]:.1%})" in text, text
    # средние 2–32 нейронов различаются меньше чем на 2 пункта, разброс одной сети — 7–12 пунктов
    means = test_acc.mean(0)[[col[2], col[3], col[8], col[32]]]
    assert 100 * (means.max() - means.min()) < 2, means
    spreads = 100 * (test_acc.max(0) - test_acc.min(0))
    assert f"на {spreads.min():.0f}–{spreads.max():.0f} пунктов" in text, (spreads, text)
    assert spreads.min() > 100 * (means.max() - means.min())          # выборка важнее размера
    # разрыв обучение − тест
    gaps = 100 * (train_acc.mean(0) - test_acc.mean(0))
    assert f"у 1 нейрона в среднем {gaps[col[1]]:.1f} пункта" in text, (gaps, text)
    big = gaps[[col[3], col[8], col[32]]]
    assert f"от {big.min():.1f} до {big.max():.1f}" in text, (gaps, text)
    assert big.min() > gaps[col[1]] + 3
    # 8 и 32 нейрона выучивают «все или почти все» 40 точек
    assert train_acc[:, [col[8], col[32]]].min() >= 0.9


def test_section_2_train_and_test_agree():
    """«Доля верных на тесте почти такая же, как на обучении»: не дальше 1.5 пункта на каждом наборе."""
    printed = _printed("nets = {}")
    for line in printed.strip().splitlines():
        train, test = map(float, re.search(r"обучении ([\d.]+)%, на тесте ([\d.]+)%", line).groups())
        assert abs(train - test) <= 1.5, line


def test_learning_rate_verdicts():
    """Раздел 4: η = 0.2 — E ползёт вниз; 5 — ниже всех; 50 — скачет; 100 — E подскакивает и застывает."""
    X, A, X_test, A_test = cfg.boundary_data("circles")
    curves = {}
    for eta in (0.2, 5, 50, 100):
        curves[eta] = cfg.boundary_network("circles").fit(X, A, epochs=500, learning_rate=eta, progress=False)
    slow, good, big, broken = curves[0.2], curves[5], curves[50], curves[100]
    assert slow[-1] < slow[0] and slow[-1] > 0.1                      # ползёт, 500 эпох не хватает
    assert good[-1] == min(c[-1] for c in curves.values())            # хороша: ниже всех
    assert (np.diff(big) > 0).sum() > 20                              # велика: скачет
    assert broken[-1] > broken[0] and np.ptp(broken[-100:]) < 1e-3     # подскочила и застыла


def test_boundary_frames_plateau_first():
    """Раздел 6: первые 50 эпох доля верных почти не растёт, к концу — почти все точки."""
    printed = _printed("X_train, A_train, X_test, A_test = data[\"spirals\"]")
    acc = {int(e): float(v) for e, v in re.findall(r"после эпохи\s+(\d+): верных на обучении ([\d.]+)%", printed)}
    assert abs(acc[50] - acc[0]) < 2 and acc[300] > 98, acc


def test_noise_exercise_expected_result():
    """Упражнение 3: «доля верных на тесте падает примерно до 90%, и на обучении она не выше»."""
    printed = _printed("# ### BEGIN SOLUTION\nX_noisy")
    train, test = map(float, re.search(r"обучении ([\d.]+)%, на тесте ([\d.]+)%", printed).groups())
    assert 85 <= test <= 93 and train <= test + 1, printed


def test_planted_wrong_number_is_caught(capacity, monkeypatch):
    """Заменим в тексте одно число — тест текста должен упасть."""
    cells = stored_cells()
    for c in cells:
        if c["cell_type"] == "markdown" and "<!-- capacity-test -->" in _source(c):
            c["source"] = _source(c).replace("85.6%", "86.5%", 1)
    monkeypatch.setitem(globals(), "stored_cells", lambda: cells)
    with pytest.raises(AssertionError):
        test_capacity_prose_says_what_the_numbers_show(capacity)


def test_points_drawn_as_the_prose_says():
    """«нарисована часть …, по 250» и «нарисованы по 250»: столько и передаётся max_points."""
    cells = stored_cells()
    for marker, code in [("по 250, чтобы точки не сливались", "fig, axes = plt.subplots(1, 3, figsize=(15, 5.2)"),
                         ("нарисованы по 250 обучающих", "fig, axes = plt.subplots(1, 3, figsize=(15, 5.6)")]:
        assert any(marker in _source(c) for c in cells if c["cell_type"] == "markdown"), marker
        source = next(_source(c) for c in cells if c["cell_type"] == "code" and _source(c).startswith(code))
        assert "max_points=250" in source, source
