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
