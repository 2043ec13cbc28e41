"""Ноутбук 05: каждое утверждение текста — о числах, которые ноутбук печатает (nbval следит, что напечатанное
воспроизводится кодом, а эти тесты — что текст с напечатанным согласен).

Разброс по разбиениям и авторов набора проверяет tests/test_digits.py.
"""
import re

import numpy as np
import pytest

from notebook_files import cell_source, load_cells, planted


@pytest.fixture(scope="module")
def cells():
    return load_cells("05_digits.ipynb")


def _printed(cells, code_start):
    found = [c for c in cells if c["cell_type"] == "code" and cell_source(c).startswith(code_start)]
    assert len(found) == 1, f"ожидалась одна код-ячейка, начинающаяся с {code_start!r}"
    return "".join("".join(o["text"]) for o in found[0]["outputs"] if o["output_type"] == "stream")


def _markdown(cells, start):
    found = [cell_source(c) for c in cells if c["cell_type"] == "markdown" and cell_source(c).startswith(start)]
    assert len(found) == 1, f"ожидалась одна markdown-ячейка, начинающаяся с {start!r}"
    return found[0]


def test_learning_curves_prose(cells):
    """Раздел 4: плато доли верных к 10-й эпохе, растущий разрыв E, скачки, две разные E."""
    printed = _printed(cells, 'E_train, E_test = curves["E, обучение"]')
    rows = {int(e): tuple(map(float, v)) for e, *v in
            re.findall(r"после эпохи\s+(\d+): E обучение ([\d.]+), E тест ([\d.]+), доля верных на тесте ([\d.]+)", printed)}
    low, high = map(float, re.search(r"последние 20 эпох: от ([\d.]+) до ([\d.]+)", printed).groups())
    assert low <= rows[10][2] <= high                          # «выходит на плато уже за первые десять эпох»
    gaps = [rows[e][1] - rows[e][0] for e in (10, 25, 50)]
    assert gaps[0] < gaps[1] < gaps[2], gaps                   # «разрыв между кривыми растёт»
    assert rows[50][0] < rows[25][0] < rows[10][0]             # «на обучении падает всё время»
    jumps = [tuple(map(float, r)) for r in re.findall(r"E на обучении ×([\d.]+), на тесте ×([\d.]+)", printed)]
    assert len(jumps) >= 2, printed                            # «скачки» во множественном числе
    for train_ratio, test_ratio in jumps:                      # «на тесте в те же эпохи — слабее»
        assert train_ratio >= 1.5 and 1 < test_ratio < train_ratio, jumps
    progress, full = map(float, re.search(r"эпохи\) ([\d.e-]+), E на всех обучающих после эпохи ([\d.e-]+)",
                                          printed).groups())
    assert progress != full and abs(progress - full) / full < 0.5   # «немного различаются»
    text = _markdown(cells, "Что видно на графиках и в числах выше:")
    assert "скачки функции потерь вверх" in text and "на\n  тесте в те же эпохи — слабее" in text and "разные $E$" in text
    stored = "".join("".join(o["text"]) for c in cells if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if o["output_type"] == "stream")
    assert f"E: {np.float64(1.104):.4g} → {progress:.4g}" in stored or f"→ {progress:.4g}" in stored


def test_mistakes_and_weights_prose(cells):
    """Разделы 6–7: у части ошибок вероятность далека от 1; выученная часть весов больше начальной;
    края картинок пустые, верх и низ — нет; веса пустых пикселей не меняются."""
    ratio = float(re.search(r"‖ΔV‖ / ‖V_start‖ = ([\d.]+)", _printed(cells, "delta = V - V_start")).group(1))
    assert ratio > 1                                           # «Выученная часть больше начальной»
    ink = _printed(cells, "ink = X_train.mean(axis=1)")
    columns = [float(v) for v in re.search(r"столбцов слева направо: \[([^\]]+)\]", ink).group(1).split()]
    rows = [float(v) for v in re.search(r"строк сверху вниз:\s+\[([^\]]+)\]", ink).group(1).split()]
    assert max(columns[0], columns[-1]) < 0.1 * np.mean(columns[2:6])        # «бледные левый и правый края»
    assert min(rows[0], rows[-1]) > 0.8 * np.mean(rows[1:-1])                 # «верх и низ — примерно столько же»
    assert "наибольшее |ΔV| у их весов: 0.0" in ink                          # «не меняются вовсе»


def test_exercise_3_expected_result(cells):
    printed = _printed(cells, "# ### BEGIN SOLUTION\nshare_from_M")
    share, section3 = re.search(r"по матрице: ([\d.]+), в разделе 3: ([\d.]+)", printed).groups()
    assert share == section3                                   # «до последнего знака»


def test_planted_wrong_claim_is_caught(cells):
    """Текст, который утверждает «одиночный скачок», тест не пропускает."""
    with pytest.raises(AssertionError):
        test_learning_curves_prose(planted(cells, "скачки функции потерь вверх", "одиночный скачок функции потерь"))
