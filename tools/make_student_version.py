"""Версия ноутбука для студентов: ответы в упражнениях заменены заготовками, выходы стёрты.

    python -m tools.make_student_version notebooks/02_gradient_check.ipynb [OUT.ipynb]

OUT по умолчанию — build/student/<имя ноутбука>: вне notebooks/, поэтому nbval эту версию не запускает
(а build/ в .gitignore). В ячейках кода ответ стоит между строками

    # ### BEGIN SOLUTION
    tau_out = (Y - A) * Y * (1 - Y)
    # ### END SOLUTION

Блок заменяется заготовкой с тем же отступом: последнее присваивание блока превращается в
`tau_out = ...  # ваш код`. Функция студента тогда возвращает `...`, и проверка check_... отвечает
понятным сообщением по-русски, а не трассировкой из глубины numpy. Ячейки с ответами в версии
преподавателя свёрнуты (metadata jupyter.source_hidden); в версии для студентов они развёрнуты.
"""
import ast
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "# ### BEGIN SOLUTION"
END = "# ### END SOLUTION"
STUB_COMMENT = "# ваш код"
NOTE = ("**Версия для студента.** Ответы в упражнениях убраны: замените `...` в строках «" + STUB_COMMENT
        + "» своим кодом и выполните ячейку — проверка `check_...` скажет, верно ли и что исправить.")


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
    body = f"{target} = ...  {STUB_COMMENT}" if target else f"...  {STUB_COMMENT}"
    return " " * indent + body


def strip_solutions(source, where):
    """Исходный текст ячейки без ответов; ValueError, если маркеры не парные."""
    out, block = [], None
    for number, line in enumerate(source.split("\n"), 1):
        mark = line.strip()
        if mark == BEGIN:
            if block is not None:
                raise ValueError(f"{where}, строка {number}: второй {BEGIN!r} без {END!r}")
            block = []
        elif mark == END:
            if block is None:
                raise ValueError(f"{where}, строка {number}: {END!r} без {BEGIN!r}")
            out.append(stub_for(block))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ValueError(f"{where}: {BEGIN!r} без {END!r}")
    return "\n".join(out)


def make_student_version(nb):
    """Новый ноутбук: без ответов и выходов, с пометкой для студента в начале. Возвращает (nb, число ответов)."""
    nb = nbformat.from_dict(nb)
    removed = 0
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        answers = sum(line.strip() == BEGIN for line in cell.source.split("\n"))
        removed += answers
        cell.source = strip_solutions(cell.source, f"ячейка {k}")
        if answers:
            # в версии преподавателя ячейка с ответом свёрнута; заготовку студент должен видеть
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if cell.metadata.get("jupyter") == {}:
                del cell.metadata["jupyter"]
        cell.outputs = []
        cell.execution_count = None
    nb.cells.insert(1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0,
                    nbformat.v4.new_markdown_cell(NOTE))
    nbformat.validate(nb)
    return nb, removed


def main(argv):
    if not 1 <= len(argv) <= 2:
        sys.exit("использование: python -m tools.make_student_version НОУТБУК.ipynb [ВЫХОД.ipynb]")
    source = Path(argv[0])
    target = Path(argv[1]) if len(argv) == 2 else ROOT / "build" / "student" / source.name
    if target.resolve() == source.resolve():
        sys.exit("выход совпадает со входом: версия для студента перезаписала бы ноутбук с ответами")
    try:
        nb, removed = make_student_version(nbformat.read(source, as_version=4))
    except ValueError as err:
        sys.exit(f"{source}: {err}")
    if not removed:
        sys.exit(f"{source}: нет ни одного блока {BEGIN!r} … {END!r} — нечего убирать")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    print(f"{target}: убрано ответов: {removed}")


if __name__ == "__main__":
    main(sys.argv[1:])
