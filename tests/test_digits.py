"""Рукописные цифры (ноутбук 05): файл в репозитории, загрузка без сети, разбиение, точность на тесте."""
import hashlib
import json
import re
import socket
from pathlib import Path

import numpy as np
import pytest

import backprop_digits as bd

ROOT = Path(__file__).resolve().parents[1]
# Файл — байт в байт sklearn/datasets/data/digits.csv.gz (scikit-learn 1.9.1), см. data/README.md.
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


@pytest.fixture(scope="module")
def digits():
    return bd.load_digits()


def test_data_file_is_the_documented_one():
    assert bd.DATA_FILE == ROOT / "data" / "digits.csv.gz"
    assert hashlib.sha256(bd.DATA_FILE.read_bytes()).hexdigest() == DIGITS_SHA256
    note = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
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
    X, labels, A = bd.load_digits()
    assert X.shape == (64, 1797)


def test_missing_file_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="data/digits.csv.gz"):
        bd.load_digits(tmp_path / "nope.csv.gz")


def test_split_is_fixed_stratified_and_disjoint(digits):
    _, labels, _ = digits
    train, test = bd.train_test_split(labels)
    again_train, again_test = bd.train_test_split(labels)
    assert np.array_equal(train, again_train) and np.array_equal(test, again_test)
    assert np.intersect1d(train, test).size == 0 and train.size + test.size == 1797
    assert test.size == 450
    for c, count in enumerate(CLASS_COUNTS):
        assert np.sum(labels[test] == c) == round(0.25 * count)
    other_train, _ = bd.train_test_split(labels, seed=bd.SPLIT["seed"] + 1)
    assert not np.array_equal(train, other_train)
    with pytest.raises(ValueError, match="test_fraction"):
        bd.train_test_split(labels, test_fraction=1.0)


def test_one_hot_and_confusion_matrix():
    assert np.array_equal(bd.one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match="0..9"):
        bd.one_hot(np.array([10]))
    with pytest.raises(ValueError, match="целых меток"):
        bd.one_hot(np.array([0.5]))
    M = bd.confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), 3)
    assert np.array_equal(M, [[1, 1, 0], [0, 1, 0], [0, 0, 1]])


def test_settings_reach_97_percent_on_the_held_out_split(digits):
    # Те же настройки, что в ноутбуке 05 (bd.NETWORK, bd.FIT, bd.SPLIT). Время обучения — в
    # benchmarks/digits_training.py.
    X, labels, A = digits
    train, test = bd.train_test_split(labels)
    net = bd.make_network()
    history = net.fit(X[:, train], A[:, train], **bd.FIT, progress=False)
    assert history[-1] < history[0]
    assert bd.accuracy(net, X[:, test], labels[test]) >= 0.97


def test_notebook_uses_the_shared_settings():
    nb = json.loads((ROOT / "notebooks" / "05_digits.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "bd.make_network()" in code and "**bd.FIT" in code and "bd.train_test_split(labels)" in code


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
    note = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "43 человека" in note and "другие 13" in note and "30" in note
    prose = "".join("".join(c["source"]) for c in notebook05()["cells"] if c["cell_type"] == "markdown")
    assert "43 человека; эту часть (1797 картинок) — 13 из них" in prose
    assert "написали 13 человек" in prose
