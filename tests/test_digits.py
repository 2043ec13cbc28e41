"""Рукописные цифры (ноутбук 05): файл в пакете, загрузка без сети, разбиение, точность на тесте."""
import hashlib
import json
import re
import socket
from pathlib import Path

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds, settings as cfg

ROOT = Path(__file__).resolve().parents[1]
# Файл — байт в байт sklearn/datasets/data/digits.csv.gz (scikit-learn 1.9.1), см. backprop_course/data/README.md.
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


@pytest.fixture(scope="module")
def digits():
    return ds.load_digits()


def test_data_file_is_the_documented_one():
    from importlib import resources
    data = resources.files("backprop_course") / "data"
    assert hashlib.sha256((data / ds.DIGITS_FILE).read_bytes()).hexdigest() == DIGITS_SHA256
    assert ds.digits_file_size() == len((data / ds.DIGITS_FILE).read_bytes())
    note = (data / "README.md").read_text(encoding="utf-8")
    assert "Optical Recognition of Handwritten Digits" in note and "CC BY 4.0" in note


def test_shapes_labels_and_scaling(digits):
    X, labels, A = digits
    assert X.shape == (64, 1797) and labels.shape == (1797,) and A.shape == (10, 1797)
    assert labels.dtype.kind == "i" and np.bincount(labels).tolist() == CLASS_COUNTS
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.allclose(X * 16, np.round(X * 16))             # яркости 0..16, поделённые на 16
    assert np.array_equal(A.argmax(axis=0), labels) and np.array_equal(A.sum(axis=0), np.ones(1797))
    assert labels[0] == 0 and X[:, 0].reshape(8, 8)[3, 3] == 0.0   # первая картинка — ноль с дыркой


def test_loads_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("загрузка цифр полезла в сеть")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    X, labels, A = ds.load_digits()
    assert X.shape == (64, 1797)


def test_split_is_fixed_stratified_and_disjoint(digits):
    X, labels, A = digits
    index = np.arange(1797, dtype=float).reshape(1, -1)      # номер примера как признак: видно, кто куда попал
    tr, A_tr, te, A_te = ds.split(index, A, **cfg.DIGITS_SPLIT, stratify=True)
    again_tr, _, again_te, _ = ds.split(index, A, **cfg.DIGITS_SPLIT, stratify=True)
    train, test = tr[0].astype(int), te[0].astype(int)
    assert np.array_equal(tr, again_tr) and np.array_equal(te, again_te)
    assert np.intersect1d(train, test).size == 0 and train.size + test.size == 1797
    assert test.size == 450 and np.array_equal(A_te, A[:, test]) and np.array_equal(A_tr, A[:, train])
    for c, count in enumerate(CLASS_COUNTS):
        assert np.sum(labels[test] == c) == round(0.25 * count)
    other_tr, _, _, _ = ds.split(index, A, test_fraction=0.25, seed=cfg.DIGITS_SPLIT["seed"] + 1, stratify=True)
    assert not np.array_equal(tr, other_tr)
    with pytest.raises(ValueError, match="test_fraction"):
        ds.split(X, A, test_fraction=1.0, stratify=True)


def test_one_hot_and_confusion_matrix():
    assert np.array_equal(ds.one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match="0..9"):
        ds.one_hot(np.array([10]))
    with pytest.raises(ValueError, match="целых меток"):
        ds.one_hot(np.array([0.5]))
    M = ds.confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), 3)
    assert np.array_equal(M, [[1, 1, 0], [0, 1, 0], [0, 0, 1]])


def test_settings_reach_97_percent_on_the_held_out_split(digits):
    # Те же настройки, что в ноутбуке 05 (cfg.DIGITS_NETWORK, cfg.DIGITS_FIT, cfg.DIGITS_SPLIT). Время обучения — в
    # benchmarks/digits_training.py.
    X, labels, A = digits
    X_train, A_train, X_test, A_test = ds.split(X, A, **cfg.DIGITS_SPLIT, stratify=True)
    net = bp.Network(**cfg.DIGITS_NETWORK)
    history = net.fit(X_train, A_train, **cfg.DIGITS_FIT, progress=False)
    assert history[-1] < history[0]
    assert ds.accuracy(net, X_test, A_test) >= 0.97


def test_notebook_uses_the_shared_settings():
    nb = json.loads((ROOT / "notebooks" / "05_digits.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "bp.Network(**cfg.DIGITS_NETWORK)" in code and "**cfg.DIGITS_FIT" in code
    assert "ds.split(X, A, **cfg.DIGITS_SPLIT, stratify=True)" in code


def notebook05():
    return json.loads((ROOT / "notebooks" / "05_digits.ipynb").read_text(encoding="utf-8"))


def test_notebook_spread_prose_matches_its_printed_numbers():
    # Раздел 8 пишет «в среднем около 97–98% цифр» и «бывает и ниже 97%»; nbval следит, что вывод
    # ячейки воспроизводится, а здесь — что проза с ним согласна.
    cells = notebook05()["cells"]
    printed = "".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                      for o in c.get("outputs", []) if o["output_type"] == "stream")
    found = re.search(r"среднее (0\.\d+); ниже 97% на (\d+) разбиениях из (\d+)", printed)
    assert found, "строка о разбросе по разбиениям не найдена в выводе ноутбука 05"
    mean, below, total = float(found[1]), int(found[2]), int(found[3])
    assert 0.97 <= mean <= 0.98 and 1 <= below < total
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "около 97–98% цифр" in prose and "бывает и ниже 97%" in prose


def test_writers_fact_agrees_in_notebook_and_data_note():
    # Файл — тестовая часть UCI: из 43 человек её писали 13 (обучающую часть — другие 30).
    note = (ROOT / "src" / "backprop_course" / "data" / "README.md").read_text(encoding="utf-8")
    assert "43 человека" in note and "другие 13" in note and "30" in note
    prose = "".join("".join(c["source"]) for c in notebook05()["cells"] if c["cell_type"] == "markdown")
    assert "43 человека; эту часть (1797 картинок) — 13 из них" in prose
    assert "написали 13 человек" in prose
