"""Версия для студентов (tools/make_student_version.py) и упражнения каждого ноутбука.

Версия для студентов каждого ноутбука собирается и выполняется целиком: каждая проверка отвечает «ответ ещё
не написан» с подсказкой и без трассировки, остальные ячейки выполняются без ошибок, и ни одного ответа нет
ни в файле, ни в выходах после выполнения. Версия преподавателя (закоммиченные ноутбуки) проходит каждую
проверку — её выходы сравнивает nbval, а здесь проверено, что это «Верно!».
"""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools import make_student_version as tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHECK = re.compile(r"^ex\.check_\w+\(", re.M)
# Ответы, которых не должно быть в версии для студента даже после выполнения: код ответов и числа,
# которые студент считает сам. Строки блоков ответа инструмент проверяет и сам (answer_lines).
ANSWERS = {
    "01": ["-0.1314", "-0.0309", "0.0258", "(Y_1 - 1) * Y_1 * (1 - Y_1)", "Ожидаемый результат"],
    "02": ["(Y - A) * Y * (1 - Y)", "(W.T @ tau_out) * hidden * (1 - hidden)", "tau_out @ hidden.T / hidden.shape[1]",
           "tau_out @ hidden.T / n", "back = W.T @ tau_out"],
    "03": ["(1 - hidden ** 2)", "prediction = 2", "Ожидаемый результат"],
    "04": ["SY - SY.max(axis=0, keepdims=True))", "(hidden > 0)\n", "Ожидаемый результат"],
    "05": ["Y.argmax(axis=0) == A.argmax(axis=0)", "minlength=10)\n", "np.trace(M) / M.sum()", "Ожидаемый результат"],
    "06": ["out * grad_out", "(1 - out ** 2) * grad_out", "through_multiply + through_exp"],
    "07": ["learning_rate * (beta * v + g)", "/ hidden.shape[1] + weight_decay * W", "prediction = 2",
           "by_accuracy", "Ожидаемый результат"],
}


def _number(path):
    return path.name[:2]


def _text(nb):
    """Всё, что видно в ноутбуке: исходники и выходы (ошибки — вместе с трассировкой)."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts += [out.get("text", ""), out.get("evalue", ""), "\n".join(out.get("traceback", []))]
            parts += [v for v in out.get("data", {}).values() if isinstance(v, str)]
    return ANSI.sub("", "\n".join(parts))


def _check_cells(nb_or_cells):
    cells = getattr(nb_or_cells, "cells", nb_or_cells)
    return [c for c in cells if c.cell_type == "code" and CHECK.search(c.source)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Версии для студентов всех ноутбуков, как их строит команда без аргументов (в папку tmp)."""
    out = tmp_path_factory.mktemp("student")
    made = tool.build_all(out)
    assert sorted(p.name for p in made) == [p.name for p in NOTEBOOKS]
    return out


@pytest.fixture(scope="module")
def executed(built):
    """Версии для студентов, выполненные целиком в ядре (ошибки ячеек сохраняются, а не прерывают)."""
    done = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(built / path.name, as_version=4)
        NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=True,
                       resources={"metadata": {"path": str(built)}}).execute()
        done[_number(path)] = nb
    return done


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_number)
def test_every_notebook_has_three_exercises_two_checked(path):
    """Не меньше трёх упражнений, не меньше двух с проверкой; у остальных — ожидаемый результат для
    преподавателя; ответы и ожидаемые результаты свёрнуты."""
    cells = nbformat.read(path, as_version=4).cells
    start = next(k for k, c in enumerate(cells) if c.source.startswith("## Упражнения"))
    headers = [k for k, c in enumerate(cells) if re.match(r"### Упражнение \d", c.source)]
    assert len(headers) >= 3 and all(k > start for k in headers)
    for first, after in zip(headers, headers[1:] + [len(cells)]):
        block = cells[first:after]
        block = block[:next((k for k, c in enumerate(block) if c.source.startswith("## ")), len(block))]
        checked = any(CHECK.search(c.source) for c in block if c.cell_type == "code")
        notes = [c for c in block if "instructor" in c.metadata.get("tags", [])]
        assert checked or any(c.source.startswith("**Ожидаемый результат.**") for c in notes), block[0].source
        for c in block:
            if "# ### BEGIN SOLUTION" in c.source or c in notes:
                assert c.metadata.get("jupyter", {}).get("source_hidden") is True, c.source
    assert len(_check_cells(cells)) >= 2
    assert any("instructor" in c.metadata.get("tags", []) and "версия преподавателя" in c.source for c in cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_number)
def test_instructor_version_passes_every_check(path):
    for cell in _check_cells(nbformat.read(path, as_version=4).cells):
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert text.startswith("Верно! ") and not [o for o in cell.outputs if o.output_type == "error"], cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_number)
def test_student_file_has_no_answers_notes_or_outputs(built, path):
    nb = nbformat.read(built / path.name, as_version=4)
    text = _text(nb)
    assert "SOLUTION" not in text and "версия преподавателя" not in text and "Для преподавателя" not in text
    for answer in ANSWERS[_number(path)]:
        assert answer not in text, answer
    assert "Версия для студента" in nb.cells[1].source
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        assert "instructor" not in cell.metadata.get("tags", []) and "student" not in cell.metadata
        assert not cell.metadata.get("jupyter", {}).get("source_hidden")
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
    stubs = [c for c in nb.cells if c.cell_type == "code" and "# ваш код" in c.source]
    assert len(stubs) == tool.build(path, built / "again.ipynb")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_number)
def test_every_check_says_not_written_yet_without_traceback(executed, path):
    nb = executed[_number(path)]
    cells = _check_cells(nb)
    assert len(cells) >= 2
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1, cell.source
        err = errors[0]
        assert err.ename == "CheckFailed"
        assert "ответ ещё не написан" in err.evalue and "Что попробовать" in err.evalue, err.evalue
        trace = ANSI.sub("", "\n".join(err.traceback))
        # Jupyter показывает только сообщение: первой строкой — оно само, ни одного кадра трассировки
        assert trace.split("\n") == err.evalue.split("\n"), trace
        assert "File " not in trace and "Traceback" not in trace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_number)
def test_student_version_runs_and_leaks_no_answer(executed, path):
    nb = executed[_number(path)]
    checks = _check_cells(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell not in checks:
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    text = _text(nb)
    for answer in ANSWERS[_number(path)]:
        assert answer not in text, answer
    compact = "".join(text.split())
    for line in tool.answer_lines(nbformat.read(path, as_version=4)):
        assert line not in compact, line


def test_build_is_deterministic_and_cleans_stale_files(built, tmp_path):
    (tmp_path / "old.ipynb").write_text("{}")
    tool.build_all(tmp_path)
    assert not (tmp_path / "old.ipynb").exists()
    for path in NOTEBOOKS:
        assert (tmp_path / path.name).read_bytes() == (built / path.name).read_bytes()


def test_command_line_builds_one_notebook(tmp_path):
    out = tmp_path / "02.ipynb"
    result = subprocess.run([sys.executable, "-m", "tools.make_student_version", str(NOTEBOOKS[1]), str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "убрано ответов: 3" in result.stdout and out.exists()


def test_student_folder_is_served_ignored_and_not_collected():
    assert tool.OUT_DIR == ROOT / "notebooks" / "student"
    assert "notebooks/student/" in (ROOT / ".gitignore").read_text().split("\n")
    assert '"student"' in (ROOT / "pyproject.toml").read_text().split("norecursedirs", 1)[1].split("\n")[0]


def test_tool_refuses_to_overwrite_the_source_and_reports_broken_markers(tmp_path):
    with pytest.raises(SystemExit, match="перезаписала бы"):
        tool.main([str(NOTEBOOKS[1]), str(NOTEBOOKS[1])])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\n# ### BEGIN SOLUTION\ny = 2")])
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    with pytest.raises(SystemExit, match="без '# ### END SOLUTION'"):
        tool.main([str(broken), str(tmp_path / "out.ipynb")])
    assert not (tmp_path / "out.ipynb").exists()


def test_tool_refuses_an_answer_left_outside_its_block(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# ### BEGIN SOLUTION\nanswer = secret_formula(1)\n# ### END SOLUTION"),
        nbformat.v4.new_code_cell("answer = secret_formula(1)   # копия ответа вне блока")])
    with pytest.raises(ValueError, match="строка ответа осталась"):
        tool.make_student_version(nb)


def test_instructor_cells_and_student_source_are_applied():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Заголовок"),
        nbformat.v4.new_markdown_cell("ожидаемый ответ", metadata={"tags": ["instructor"]}),
        nbformat.v4.new_code_cell("show(all_answers)", metadata={"student": {"source": "show(only_bugs)"}}),
        nbformat.v4.new_code_cell("# ### BEGIN SOLUTION\nx = 1\nprint(x)\n# ### END SOLUTION")])
    made, removed = tool.make_student_version(nb)
    assert removed == 1
    assert [c.source for c in made.cells[2:]] == ["show(only_bugs)", "x = ...  # ваш код"]
    assert made.cells[1].id == tool.NOTE_ID


def test_stub_keeps_indentation_and_last_assignment():
    source = ("def f(a):\n    # ### BEGIN SOLUTION\n    b = a + 1\n    c = b * 2\n"
              "    # ### END SOLUTION\n    return c")
    assert tool.strip_solutions(source, "тест") == "def f(a):\n    c = ...  # ваш код\n    return c"
    assert tool.strip_solutions("# ### BEGIN SOLUTION\nprint(1)\n# ### END SOLUTION", "тест") == "pass  # ваш код"
