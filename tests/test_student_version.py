"""Версия ноутбука 02 для студентов (tools/make_student_version.py): ответов нет, и каждая проверка
без ответа останавливается понятным сообщением, а не трассировкой из глубины numpy или модуля."""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools import make_student_version as tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_gradient_check.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# строки ответов в ноутбуке с ответами; в версии для студентов их быть не должно
ANSWERS = ("(Y - A) * Y * (1 - Y)", "(W.T @ tau_out) * hidden * (1 - hidden)",
           "tau_out @ hidden.T / hidden.shape[1]")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Версия для студентов, сделанная из командной строки, как это делает преподаватель."""
    out = tmp_path_factory.mktemp("student") / "02_student.ipynb"
    result = subprocess.run([sys.executable, "-m", "tools.make_student_version", str(NOTEBOOK), str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "убрано ответов: 3" in result.stdout
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def executed(made):
    """Та же версия, выполненная в ядре (ошибки ячеек сохраняются, а не прерывают выполнение).

    Ради скорости — ячейка импортов и раздел упражнений: остальные ячейки инструмент не меняет,
    их выполняет nbval на ноутбуке с ответами.
    """
    nb = nbformat.from_dict(made)
    start = next(k for k, c in enumerate(nb.cells) if c.source.startswith("## Упражнения"))
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    nb.cells = [first_code] + nb.cells[start:]
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and re.search(r"^ex\.check_\w+\(", c.source, re.M)]


def test_answers_are_replaced_by_stubs(made):
    code = "\n".join(c.source for c in made.cells if c.cell_type == "code")
    for answer in ANSWERS:
        assert answer not in code
    assert "SOLUTION" not in code
    for name in ("tau_out", "tau_in", "grad_W"):
        assert f"    {name} = ...  # ваш код\n    return {name}" in code
    assert "Версия для студента" in made.cells[1].source
    # ответы в версии преподавателя свёрнуты, заготовки у студента — нет
    with_answers = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells
                    if c.cell_type == "code" and "# ### BEGIN SOLUTION" in c.source]
    assert len(with_answers) == 3 and all(c.metadata["jupyter"]["source_hidden"] for c in with_answers)
    stubs = [c for c in made.cells if c.cell_type == "code" and "# ваш код" in c.source]
    assert len(stubs) == 3 and not any(c.metadata.get("jupyter", {}).get("source_hidden") for c in stubs)
    assert all(not c.outputs and c.execution_count is None for c in made.cells if c.cell_type == "code")
    assert len(made.cells) == len(nbformat.read(NOTEBOOK, as_version=4).cells) + 1


def test_each_check_stops_with_a_helpful_message(executed):
    cells = check_cells(executed)
    assert len(cells) == 4                              # три упражнения и check_backprop
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1, cell.source
        err = errors[0]
        assert err.ename == "AssertionError"
        assert "ответ ещё не написан" in err.evalue and "Что попробовать" in err.evalue
        trace = ANSI.sub("", "\n".join(err.traceback))
        frames = re.findall(r"^File (\S+?):\d+", trace, re.M)
        # не глубже одной строки проверки: ни numpy, ни backprop.py
        assert frames == [str(ROOT / "src" / "backprop_course" / "exercises.py")], trace
        assert "site-packages" not in trace and "numpy" not in trace


def test_other_cells_run_without_errors(executed):
    checks = check_cells(executed)
    for cell in executed.cells:
        if cell.cell_type == "code" and cell not in checks:
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source


def test_tool_refuses_to_overwrite_the_source_and_reports_broken_markers(tmp_path):
    with pytest.raises(SystemExit, match="перезаписала бы"):
        tool.main([str(NOTEBOOK), str(NOTEBOOK)])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\n# ### BEGIN SOLUTION\ny = 2")])
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    with pytest.raises(SystemExit, match="без '# ### END SOLUTION'"):
        tool.main([str(broken), str(tmp_path / "out.ipynb")])
    assert not (tmp_path / "out.ipynb").exists()


def test_stub_keeps_indentation_and_last_assignment():
    source = ("def f(a):\n    # ### BEGIN SOLUTION\n    b = a + 1\n    c = b * 2\n"
              "    # ### END SOLUTION\n    return c")
    assert tool.strip_solutions(source, "тест") == "def f(a):\n    c = ...  # ваш код\n    return c"
