"""Ноутбук 02 и модуль говорят одно и то же: шкала относительной ошибки, её крайние случаи, упражнение с ReLU,
версия преподавателя со свёрнутыми ответами."""
import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds
from notebook_files import NOTEBOOKS, cell_source, load_cells, planted

NOTEBOOK = NOTEBOOKS / "02_gradient_check.ipynb"


@pytest.fixture(scope="module")
def cells():
    return load_cells(NOTEBOOK.name)


def _markdown_with(cells, text):
    found = [cell_source(c) for c in cells if c["cell_type"] == "markdown" and text in cell_source(c)]
    assert len(found) == 1, f"ожидалась одна markdown-ячейка с {text!r}, найдено {len(found)}"
    return found[0]


def test_threshold_table_matches_module_docstring(cells):
    """Граница «ошибка в формулах» в таблице ноутбука — та же, что в строке документации relative_error."""
    assert "1e-3 и больше — ошибка в формулах" in bp.relative_error.__doc__
    table = _markdown_with(cells, "| $r$ | что это значит |")
    assert "| от $10^{-7}$ до $10^{-3}$ | подозрительно" in table
    assert "| $10^{-3}$ и больше | ошибка в формулах |" in table


def test_relative_error_edge_cases_told_in_prose():
    """r = 1, когда один вектор нулевой; r = 0, когда нулевые оба — например, у слоя «мёртвых» ReLU."""
    g = np.array([0.3, -0.1])
    assert bp.relative_error(g, np.zeros(2)) == 1.0 == bp.relative_error(np.zeros(2), g)
    assert bp.relative_error(np.zeros(2), np.zeros(2)) == 0.0
    X, A = ds.xor()
    dead = bp.Network.from_weights([np.ones((3, 2)), np.ones((1, 3))], [-10 * np.ones((3, 1)), np.zeros((1, 1))],
                                   activations=["relu", "sigmoid"])
    dW, db = dead.gradients(X, A)
    num_dW, num_db = bp.numerical_gradients(dead, X, A)
    for analytic, numeric in [(dW[0], num_dW[0]), (db[0], num_db[0])]:
        assert not analytic.any() and not numeric.any()
        assert bp.relative_error(analytic, numeric) == 0.0


def test_relu_exercise_has_the_answer_it_hints_at(cells):
    """«Что попробовать»: у сети с ReLU на XOR только ∂E/∂b_in «ошибочен» (излом в (0, 0)); сдвиг X лечит."""
    text = _markdown_with(cells, 'activations=["relu", "sigmoid"]')
    assert "X_xor + 0.01" in text and "ds.xor()" in text
    X, A = ds.xor()
    net = bp.Network([2, 3, 1], seed=0, activations=["relu", "sigmoid"])
    assert not net.biases[0].any() and not (net.weights[0] @ X[:, :1]).any()     # SX_j = 0 в точке (0, 0)
    assert bp.ACTIVATIONS["relu"].derivative(np.zeros(1))[0] == 0                           # ReLU'(0) = 0 в модуле

    def errors(X):
        dW, db = net.gradients(X, A)
        num_dW, num_db = bp.numerical_gradients(net, X, A)
        return [bp.relative_error(a, b) for a, b in zip([dW[0], db[0], dW[1], db[1]],
                                                         [num_dW[0], num_db[0], num_dW[1], num_db[1]])]

    v, b_in, w, b_out = errors(X)
    assert b_in >= 1e-3 and max(v, w, b_out) < 1e-7, (v, b_in, w, b_out)
    assert max(errors(X + 0.01)) < 1e-7


def test_reference_answers_are_folded_and_announced(cells):
    """Версия преподавателя: ячейки с ответами свёрнуты, и об этом сказано в начале упражнений."""
    answers = [c for c in cells if c["cell_type"] == "code" and "# ### BEGIN SOLUTION" in cell_source(c)]
    assert len(answers) == 3
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") is True for c in answers)
    others = [c for c in cells if c["cell_type"] == "code" and c not in answers]
    assert not any(c["metadata"].get("jupyter", {}).get("source_hidden") for c in others)
    note = _markdown_with(cells, "**Этот файл — версия преподавателя")
    teacher = _markdown_with(cells, "**Для преподавателя: версия для студентов.**")
    assert "make_student_version" in teacher and "notebooks/student/" in teacher
    tagged = [c for c in cells if "instructor" in c["metadata"].get("tags", [])
              and not cell_source(c).startswith("**Для преподавателя.**")]      # кроме заметок докладчика
    assert {cell_source(c) for c in tagged} == {note, teacher}      # в версии для студентов их нет


# ---------------------------------------------------------------------------------------------------
# Числа в тексте — из того же счёта
# ---------------------------------------------------------------------------------------------------

def _printed(cells, code_start):
    found = [c for c in cells if c["cell_type"] == "code" and cell_source(c).startswith(code_start)]
    assert len(found) == 1, f"ожидалась одна код-ячейка, начинающаяся с {code_start!r}"
    return "".join("".join(o["text"]) for o in found[0]["outputs"] if o["output_type"] == "stream")


def test_truncation_orders_told_in_prose(cells):
    """«уменьшили ε в 10 раз — центральная в 100 раз, вперёд лишь в 10»: напечатанные множители."""
    import re
    printed = _printed(cells, "probe = net.copy()")
    forward, central = map(int, re.search(r"меньше в (\d+) раз \(вперёд\) и в (\d+) раз", printed).groups())
    assert (forward, central) == (10, 100), printed
    text = _markdown_with(cells, "Если вычесть вторую строку из первой")
    assert "примерно в 100 раз" in text and "лишь в 10" in text


def _w11(cells):
    """w_11 сети ноутбука: тот же код, что в её ячейке (rng из первой ячейки, затем V, W)."""
    setup = "\n".join(cell_source(c) for c in cells if c["cell_type"] == "code"
                      and ("rng = np.random.default_rng" in cell_source(c) or cell_source(c).startswith("V = rng.normal")))
    scope = {}
    exec("import numpy as np\nimport backprop as bp\n" + "\n".join(
        line for line in setup.splitlines() if line.startswith(("rng =", "V =", "W ="))), scope)
    return scope["W"][0, 0]


def test_rounding_scale_told_in_prose(cells):
    """<!-- eps-choice -->: множитель |E/E'| и округление сдвига w ± ε при ε = 1e-12."""
    import re
    printed = _printed(cells, "k_f, k_c = err_forward.argmin()")
    ratio = int(re.search(r"\|E / E'\| в этой точке: (\d+)", printed).group(1))
    text = _markdown_with(cells, "<!-- eps-choice -->")
    assert f"у нас он около {ratio}" in text, text
    # «при ε = 1e-12 настоящий шаг отличается от задуманного на стотысячные доли»: вес w_11 сети ноутбука
    w11 = float(_w11(cells))
    shift = abs(((w11 + 1e-12) - w11) / 1e-12 - 1)
    assert 1e-6 < shift < 1e-4, shift
    assert "на стотысячные доли" in text
    measured = {float(m) for m in re.findall(r"наименьшая погрешность \S+ при ε = (\S+)", printed)}
    theory = {float(m) for m in re.findall(r"эпсилон = (\S+)\)", printed)}
    for m, t in zip(sorted(measured), sorted(theory)):
        assert 1.5 < max(m / t, t / m) < 10, (m, t)   # «отличаются в несколько раз — совпадает порядок»


def test_broken_derivations_table_told_in_prose(cells):
    """Таблица сломанных выводов: знак — r = 1 везде; σ' в τ_in и W вместо W.T — выходной слой чист."""
    printed = _printed(cells, "print(f\"{'вывод':30}\"")
    rows = {}
    for line in printed.splitlines()[1:]:
        *title, v1, v2, v3, v4 = line.split()
        rows[" ".join(title)] = [float(v) for v in (v1, v2, v3, v4)]
    assert max(rows["верный вывод"]) < 1e-8
    assert all(abs(v - 1) < 1e-6 for v in rows["знак: (a − Y) вместо (Y − a)"])
    assert min(rows["забыт σ' в τ_out"]) > 0.1
    for bug in ("забыт σ' в τ_in", "W вместо W.T в τ_in"):
        assert min(rows[bug][:2]) > 0.1 and max(rows[bug][2:]) < 1e-8, (bug, rows[bug])


def test_planted_wrong_number_is_caught(cells):
    with pytest.raises(AssertionError):
        test_rounding_scale_told_in_prose(planted(cells, "у нас он около 21", "у нас он около 12"))
