"""Версия ноутбуков для студентов: без ответов, без заметок преподавателя, без выходов.

    python -m tools.make_student_version                      # все notebooks/NN_*.ipynb -> notebooks/student/
    python -m tools.make_student_version НОУТБУК.ipynb [ВЫХОД.ipynb]   # один ноутбук

Папка notebooks/student/ лежит внутри notebooks/, поэтому её открывает та же команда, что и курс
(`jupyter lab notebooks/`); в git она не попадает (.gitignore), nbval её не собирает (norecursedirs в
pyproject.toml). Повторный запуск на тех же ноутбуках даёт те же файлы байт в байт.

Что делает с ноутбуком (версия преподавателя — закоммиченные ноутбуки — не меняется):

- ответ в ячейке кода стоит между строками `# ### BEGIN SOLUTION` и `# ### END SOLUTION`; блок заменяется
  заготовкой с тем же отступом: последнее присваивание блока — `tau_out = ...  # ваш код`, а если
  присваивания нет — `pass  # ваш код`. Функция студента тогда возвращает `...`, и проверка check_...
  отвечает «ответ ещё не написан» с подсказкой;
- ячейка с тегом `instructor` (заметка преподавателя, ожидаемый результат упражнения) удаляется;
- у ячейки с `metadata.student.source` текст заменяется этим (в 02 так код `buggy_gradients`, где видны все
  ответы, заменён строками с ошибками);
- выходы, номера выполнения и состояние виджетов стираются; свёрнутые ячейки разворачиваются;
- в начало добавляется пометка для студента.

Напоследок инструмент проверяет, что ни одна строка ответа не осталась в файле (например, в другой ячейке).
"""
import ast
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT_DIR = NOTEBOOKS / "student"
BEGIN = "# ### BEGIN SOLUTION"
END = "# ### END SOLUTION"
STUB_COMMENT = "# ваш код"
INSTRUCTOR_TAG = "instructor"
NOTE_ID = "student-note"
NOTE = ("**Версия для студента.** Ответы в упражнениях убраны: замените `...` в строках «" + STUB_COMMENT
        + "» своим кодом и выполните ячейку — проверка `check_...` скажет, верно ли и что исправить. "
        "Пока ответа нет, она отвечает «ответ ещё не написан» и подсказывает, с чего начать.")


def stub_for(block):
    """Строка-заготовка вместо строк ответа block (список строк с общим отступом)."""
    indent = min((len(line) - len(line.lstrip()) for line in block if line.strip()), default=0)
    code = textwrap.dedent("\n".join(block))
    target = None
    try:
        for node in ast.parse(code).body:
            if isinstance(node, ast.Assign):
                target = ast.unparse(node.targets[-1])
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                target = ast.unparse(node.target)
    except SyntaxError:
        target = None
    body = f"{target} = ...  {STUB_COMMENT}" if target else f"pass  {STUB_COMMENT}"
    return " " * indent + body


def solution_blocks(source, where):
    """Блоки ответа ячейки: список списков строк; ValueError, если маркеры не парные."""
    blocks, block = [], None
    for number, line in enumerate(source.split("\n"), 1):
        mark = line.strip()
        if mark == BEGIN:
            if block is not None:
                raise ValueError(f"{where}, строка {number}: второй {BEGIN!r} без {END!r}")
            block = []
        elif mark == END:
            if block is None:
                raise ValueError(f"{where}, строка {number}: {END!r} без {BEGIN!r}")
            blocks.append(block)
            block = None
        elif block is not None:
            block.append(line)
    if block is not None:
        raise ValueError(f"{where}: {BEGIN!r} без {END!r}")
    return blocks


def strip_solutions(source, where):
    """Исходный текст ячейки без ответов; ValueError, если маркеры не парные."""
    solution_blocks(source, where)              # проверка маркеров
    out, block = [], None
    for line in source.split("\n"):
        mark = line.strip()
        if mark == BEGIN:
            block = []
        elif mark == END:
            out.append(stub_for(block))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return "\n".join(out)


def answer_lines(nb):
    """Строки ответов ноутбука (без пробелов, не короче 8 знаков): их не должно быть в версии для студента."""
    found = set()
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for block in solution_blocks(cell.source, f"ячейка {k}"):
                for line in block:
                    code = "".join(line.split("#")[0].split())
                    if len(code) >= 8:
                        found.add(code)
    return found


def make_student_version(nb):
    """Новый ноутбук для студента. Возвращает (nb, число ответов); ValueError, если маркеры не парные или
    строка ответа осталась где-то ещё."""
    nb = nbformat.from_dict(nb)
    answers = answer_lines(nb)
    removed = 0
    cells = []
    for k, cell in enumerate(nb.cells):
        if INSTRUCTOR_TAG in cell.metadata.get("tags", []):
            continue
        student = cell.metadata.pop("student", {})
        if "source" in student:
            cell.source = student["source"]
        if cell.cell_type == "code":
            blocks = len(solution_blocks(cell.source, f"ячейка {k}"))
            removed += blocks
            cell.source = strip_solutions(cell.source, f"ячейка {k}")
            cell.outputs = []
            cell.execution_count = None
        # в версии преподавателя ответы и заметки свёрнуты; студент видит всё
        cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        if cell.metadata.get("jupyter") == {}:
            del cell.metadata["jupyter"]
        cells.append(cell)
    note = nbformat.v4.new_markdown_cell(NOTE)
    note.id = NOTE_ID
    cells.insert(1 if cells and cells[0].cell_type == "markdown" else 0, note)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    text = "".join(nbformat.writes(nb).split())
    left = sorted(a for a in answers if a in text)
    if left:
        raise ValueError(f"строка ответа осталась вне блока {BEGIN!r} … {END!r}: {left[0]!r}")
    return nb, removed


def build(source, target):
    """Записать версию для студента ноутбука source в target; возвращает число убранных ответов."""
    if Path(target).resolve() == Path(source).resolve():
        raise ValueError("выход совпадает со входом: версия для студента перезаписала бы ноутбук с ответами")
    try:
        nb, removed = make_student_version(nbformat.read(source, as_version=4))
    except ValueError as err:
        raise ValueError(f"{source}: {err}") from None
    if not removed:
        raise ValueError(f"{source}: нет ни одного блока {BEGIN!r} … {END!r} — нечего убирать")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return removed


def build_all(out_dir=OUT_DIR, notebooks=NOTEBOOKS):
    """Версии для студента всех notebooks/NN_*.ipynb в out_dir; старые файлы out_dir удаляются.

    Возвращает {путь: число убранных ответов}."""
    out_dir = Path(out_dir)
    sources = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    built = {}
    for source in sources:
        built[out_dir / source.name] = build(source, out_dir / source.name)
    for stale in out_dir.glob("*.ipynb"):
        if stale not in built:
            stale.unlink()
    return built


def main(argv):
    if len(argv) > 2:
        sys.exit("использование: python -m tools.make_student_version [НОУТБУК.ipynb [ВЫХОД.ipynb]]")
    try:
        if not argv:
            built = build_all()
        else:
            source = Path(argv[0])
            target = Path(argv[1]) if len(argv) == 2 else OUT_DIR / source.name
            built = {target: build(source, target)}
    except ValueError as err:
        sys.exit(str(err))
    for target, removed in built.items():
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: убрано ответов: {removed}")
    if not argv:
        print("Открыть: .venv/bin/jupyter lab --allow-root notebooks/  (папка student/)")


if __name__ == "__main__":
    main(sys.argv[1:])
