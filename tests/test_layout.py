"""Устройство кода курса: одно имя на вещь, одно место на заботу.

- каждый ноутбук импортирует модули курса под одними и теми же именами (backprop_course.ALIASES);
- ни один модуль не лезет в чужие закрытые имена (`_forward`, `_loss` …);
- у двух модулей нет открытых функций с одним именем;
- README перечисляет каждый модуль пакета;
- данные входят в пакет и читаются через importlib.resources.
"""
import ast
import json
from pathlib import Path

import pytest

import backprop_course

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
MODULES = [SRC / "backprop.py"] + sorted((SRC / "backprop_course").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def notebook_code(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def course_imports(code):
    """[(полное имя модуля, имя в ноутбуке)] для каждого импорта модулей курса."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [(a.name, a.asname or a.name) for a in node.names if a.name.split(".")[0].startswith("backprop")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("backprop"):
            found += [(f"{node.module}.{a.name}", a.asname or a.name) for a in node.names]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_uses_the_course_aliases(path):
    imports = course_imports(notebook_code(path))
    assert ("backprop", "bp") in imports, f"{path.name}: нет import backprop as bp"
    wrong = [(module, alias) for module, alias in imports if backprop_course.ALIASES.get(module) != alias]
    assert not wrong, (f"{path.name}: модули курса импортируются под именами из backprop_course.ALIASES "
                       f"{backprop_course.ALIASES}; не так: {wrong}")


def test_alias_check_notices_a_wrong_alias():
    assert course_imports("from backprop_course import datasets as bd\nimport backprop as bp") == [
        ("backprop_course.datasets", "bd"), ("backprop", "bp")]


def private_names_used(tree):
    """Закрытые имена, к которым обращаются через чужой объект: obj._name, где obj — не self и не cls."""
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))}


def names_defined(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


@pytest.mark.parametrize("path", MODULES + sorted((ROOT / "tools").glob("*.py")), ids=lambda p: p.name)
def test_no_module_uses_private_names_of_another(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = private_names_used(tree) - names_defined(tree)
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for a in node.names if a.name.startswith("_")}
    assert not foreign | imported, f"{path.name} обращается к закрытым именам другого модуля: {foreign | imported}"


def test_private_name_check_notices_a_foreign_private_name():
    tree = ast.parse("def f(net):\n    return net._forward(1)\n")
    assert private_names_used(tree) - names_defined(tree) == {"_forward"}


def test_no_two_public_functions_share_a_name():
    seen = {}
    for path in MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(path.name)
    twice = {name: files for name, files in seen.items() if len(files) > 1}
    assert not twice, f"одно имя — одна функция: {twice}"


def test_readme_lists_every_module_once():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Что внутри", 1)[1].split("\n## ", 1)[0]
    for path in MODULES:
        name = "src/backprop.py" if path.name == "backprop.py" else f"backprop_course/{path.name}"
        assert section.count(f"`{name}`") == 1, f"README, «Что внутри»: строка о `{name}`"


def test_aliases_name_real_modules():
    import importlib
    for module in backprop_course.ALIASES:
        importlib.import_module(module)


def test_wheel_ships_the_data_and_loads_it_without_the_checkout(tmp_path):
    """Обычная установка (колесо, не редактируемая): цифры для ноутбука 05 лежат внутри пакета.

    Колесо — zip-архив; положив его в PYTHONPATH, импортируем модули прямо из архива в чистом процессе
    из чужой папки: файлы репозитория недоступны, доступно только то, что вошло в колесо.
    """
    import subprocess
    import sys
    import zipfile
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob("backprop_course-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "backprop.py" in names and "backprop_course/data/digits.csv.gz" in names, names
    code = ("import backprop_course.datasets as ds, backprop; "
            "X, labels, A = ds.load_digits(); print(X.shape, A.shape, backprop.__file__, ds.__file__)")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(wheel)!r}); {code}"],
                         cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert out.startswith("(64, 1797) (10, 1797)") and out.count(str(wheel)) == 2, out
