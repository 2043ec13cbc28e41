"""Ноутбук 06 и модули говорят одно и то же: числа в тексте пересчитываются графом и модулем backprop заново.

Градиенты узлов примера 2-2-1 — те же τ, что в ноутбуке 01; узоры узлов; развилка; 24 пары активаций и
функций потерь; счёт операций и прямых проходов; наклоны на рисунке. О времени текст чисел не утверждает:
время меряют на своей машине (ячейка с NBVAL_IGNORE_OUTPUT), а не тест.
"""
import re

import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds
from backprop_course import graph as gr
from backprop_course import settings as cfg
from notebook_files import NOTEBOOKS, cell_source, load_cells, planted

NOTEBOOK = NOTEBOOKS / "06_computational_graph.ipynb"
Value = gr.Value


@pytest.fixture(scope="module")
def cells():
    return load_cells(NOTEBOOK.name)


def markdown(cells):
    return "\n".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")


def output_of(cells, fragment):
    """Сохранённый текстовый вывод единственной ячейки кода, в которой есть fragment."""
    found = [c for c in cells if c["cell_type"] == "code" and fragment in cell_source(c)]
    assert len(found) == 1, f"ожидалась одна ячейка кода с {fragment!r}, найдено {len(found)}"
    return "".join("".join(o.get("text", "")) for o in found[0]["outputs"] if o["output_type"] == "stream")


def worked_example():
    I1, I2 = Value(1.0), Value(1.0)
    v11, v21, v12, v22, w11, w21 = (Value(v) for v in (0.5, -1.0, 1.0, 0.5, 1.0, -1.0))
    SX1, SX2 = v11 * I1 + v21 * I2, v12 * I1 + v22 * I2
    SY1 = w11 * SX1.sigmoid() + w21 * SX2.sigmoid()
    E = 0.5 * (SY1.sigmoid() - 0.0) ** 2
    E.backward()
    return {"SY1": SY1.grad, "SX1": SX1.grad, "SX2": SX2.grad, "w11": w11.grad, "w21": w21.grad, "v11": v11.grad}


def test_worked_example_adjoints_are_the_taus_of_notebook01(cells):
    g = worked_example()
    net = bp.Network.from_weights([np.array([[0.5, -1.0], [1.0, 0.5]]), np.array([[1.0, -1.0]])],
                                  biases=[np.zeros((2, 1)), np.zeros((1, 1))])
    tau_in, tau_out = net.tau_terms(np.ones((2, 1)), np.zeros((1, 1)))
    assert bp.relative_error([g["SY1"], g["SX1"], g["SX2"]], [tau_out[0, 0], *tau_in[:, 0]]) < 1e-15
    shown = [f"{g[k]:.4f}" for k in ("SY1", "SX1", "SX2")]
    assert shown == ["0.0933", "0.0219", "-0.0139"]
    text = markdown(cells)
    assert "равен $0.0933$ — это $\\tau^{\\text{out}}_1$" in text
    assert "равны $0.0219$ и $-0.0139$ — это $\\tau^{\\text{in}}_1$ и $\\tau^{\\text{in}}_2$" in text
    leaves = [f"{g[k]:.4f}" for k in ("w11", "w21", "v11")]
    assert f"${leaves[0]}$, ${leaves[1]}$ и ${leaves[2]}$, как в ноутбуке 01" in text
    # те же числа напечатаны в ноутбуке 01 (раздел «Разбор на числах»)
    nb01 = markdown(load_cells("01_xor_derivation.ipynb"))
    for number in shown + leaves:
        assert number.lstrip("-") in nb01
    out = output_of(cells, "E.backward()\nprint(f\"прямой проход")
    assert f"SY_1 = {shown[0]},  SX_1 = {shown[1]},  SX_2 = {shown[2]}" in out


def test_gate_patterns_told_in_prose(cells):
    grads = {}
    for name, gate in (("+", lambda x, y: x + y), ("×", lambda x, y: x * y), ("max", lambda x, y: x.max(y))):
        x, y = Value(2.0), Value(-1.0)
        (gate(x, y) * 2.0).backward()
        grads[name] = (x.grad, y.grad)
    assert grads == {"+": (2, 2), "×": (-2, 4), "max": (2, 0)}
    text = markdown(cells)
    assert "один и тот же градиент 2" in text and "($-2$)" in text and "($4$)" in text
    out = output_of(cells, "GATES = {")
    assert "∂f/∂x = 2,  ∂f/∂y = 2" in out and "∂f/∂x = -2,  ∂f/∂y = 4" in out and "∂f/∂x = 2,  ∂f/∂y = 0" in out


def test_fork_told_in_prose(cells):
    x, y = Value(2.0), Value(3.0)
    (x * y + x).backward()
    assert x.grad == 4.0
    assert "по второму $1$, всего $4$" in markdown(cells)


def test_number_of_pairs(cells):
    hidden = [a for a, r in bp.ACTIVATIONS.items() if not r.output_only]
    pairs = sum(len(r.outputs) for r in bp.LOSSES.values()) * len(hidden)
    text = markdown(cells)
    assert pairs == 24 and "Все 24 пары совпали" in text and "для всех 24 пар" in text
    assert "пар: 24; наибольшая относительная погрешность меньше 1e-12: True" in output_of(cells, "def random_network")


def count_operations(net, x, a):
    with gr.OperationCounter() as count:
        g = gr.network_graph(net, x, a)
        forward = count.forward
        g.loss.backward()
    return forward, count.backward


@pytest.fixture(scope="module")
def digits():
    net = bp.Network(**cfg.DIGITS_NETWORK)
    X, _, A = ds.load_digits()
    return net, X[:, :1], A[:, :1]


def test_operation_counts_told_in_prose(cells, digits):
    net, x, a = digits
    P = sum(W.size for W in net.weights) + sum(b.size for b in net.biases)
    forward, backward = count_operations(net, x, a)
    ratio = round(2 * P * forward / (forward + backward))
    assert (P, forward, backward, ratio) == (2410, 4820, 9560, 1616)
    assert round((forward + backward) / forward) == 3
    text = markdown(cells)
    assert f"$P = {P}$ параметров" in text
    assert f"{forward} операций вперёд и {backward} назад" in text and "примерно три прямых прохода" in text
    assert f"$2P = {2 * P}$ прямых проходов, они дороже в {ratio} раз" in text
    out = output_of(cells, "def count_operations")
    assert f"прямой проход графа: {forward} операций; обратный: {backward} вкладов" in out
    assert f"2P = {2 * P} прямых проходов" in out and f"разности дороже в {ratio} раз" in out


def test_central_differences_evaluate_E_twice_per_parameter(digits, monkeypatch):
    """«2P прямых проходов»: bp.numerical_gradients действительно считает E 2P раз."""
    net, x, a = digits
    calls = []
    original = bp.Network._loss
    monkeypatch.setattr(bp.Network, "_loss", lambda self, X, A: calls.append(1) or original(self, X, A))
    bp.numerical_gradients(net, x, a)
    assert len(calls) == 2 * 2410


def test_slopes_and_constant_ratio_on_the_figure(cells):
    out = output_of(cells, "slope_bp = np.polyfit")
    slopes = re.search(r"обратное распространение ([\d.]+), центральные разности ([\d.]+)", out)
    assert slopes and round(float(slopes[1])) == 1 and round(float(slopes[2])) == 2
    ratios = [float(r) for r in re.search(r"прямой проход: \[([^\]]+)\]", out)[1].split()]
    assert len(ratios) == 8 and all(2.5 < r < 3.5 for r in ratios)
    text = markdown(cells)
    assert "Наклоны 1 и 2" in text and "около трёх при любом размере сети" in text
    x = np.ones((64, 1)) / 8
    a = np.eye(10)[:, :1]
    for h in (1, 128):
        net = bp.Network([64, h, 10], seed=0, activations=["tanh", "softmax"], loss="cross_entropy")
        f, b = count_operations(net, x, a)
        assert 2.5 < (f + b) / f < 3.5


def test_timing_cell_is_not_compared_and_says_why(cells):
    timing = [c for c in cells if c["cell_type"] == "code" and "time.perf_counter" in cell_source(c)]
    assert len(timing) == 1
    first, why = cell_source(timing[0]).splitlines()[:2]
    assert first == "# NBVAL_IGNORE_OUTPUT" and why.startswith("# время")     # nbval узнаёт метку только одну в строке


def test_exercises_are_folded_and_checked(cells):
    answers = [c for c in cells if c["cell_type"] == "code" and "# ### BEGIN SOLUTION" in cell_source(c)]
    assert len(answers) == 3
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") is True for c in answers)
    others = [c for c in cells if c["cell_type"] == "code" and c not in answers]
    assert not any(c["metadata"].get("jupyter", {}).get("source_hidden") for c in others)
    for c, check in zip(answers, ("check_exp_backward", "check_tanh_backward", "check_fork_gradient")):
        assert f"ex.{check}(" in cell_source(c)
        printed = "".join(o["text"] if isinstance(o["text"], str) else "".join(o["text"]) for o in c["outputs"])
        assert printed.startswith("Верно!")


def test_at_least_three_figures_and_small_file(cells):
    figures = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    assert figures >= 3
    assert NOTEBOOK.stat().st_size < 1024 * 1024


def test_summary_closes_the_notebook(cells):
    last = [cell_source(c) for c in cells if c["cell_type"] == "markdown"
            and "instructor" not in c["metadata"].get("tags", [])][-1]      # заметка докладчика — после итогов
    assert last.startswith("## Итоги") and "\\boxed" in last and "Что дальше" in last
    assert len(re.findall(r"\\tau", last)) >= 3


def test_planted_wrong_number_is_caught(cells, digits):
    with pytest.raises(AssertionError):
        test_operation_counts_told_in_prose(planted(cells, "$P = 2410$", "$P = 2401$"), digits)
