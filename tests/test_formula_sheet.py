"""Шпаргалка notebooks/formulas.md не расходится ни с ноутбуками, ни с кодом (tools/formula_sheet.py)."""
import numpy as np
import pytest

import backprop as bp
from backprop_course import datasets as ds
from tools import check_math, formula_sheet


def test_every_formula_is_written_so_in_its_notebook():
    missing = formula_sheet.missing_formulas()
    assert not missing, "формулы шпаргалки, которых нет в ноутбуке дословно:\n" + "\n".join(
        f"  {nb}: {tex}" for nb, tex in missing)


def test_a_formula_changed_in_a_notebook_is_noticed(monkeypatch):
    original = formula_sheet.notebook_markdown

    def planted(name):                       # в ноутбуке 01 поменяли знак в τ_out
        return original(name).replace(r"(Y_i - a_i)\, Y_i (1 - Y_i)", r"(a_i - Y_i)\, Y_i (1 - Y_i)")

    monkeypatch.setattr(formula_sheet, "notebook_markdown", planted)
    assert any(r"\tau^{\text{out}}_i = (Y_i - a_i)" in tex for _, tex in formula_sheet.missing_formulas())


def test_every_code_name_exists():
    X, A = ds.xor()
    scope = {"bp": bp, "net": bp.Network([2, 3, 1], seed=0), "X": X, "A": A, "np": np}
    for _, _, rows in formula_sheet.SHEET:
        for _, _, code in rows:
            if code:
                name = code.split("(")[0]           # вызов проверяем по имени: fit не запускаем
                assert eval(name, scope) is not None, code   # noqa: S307 — выражения из нашего же списка


def test_the_committed_sheet_is_generated():
    assert formula_sheet.main(["--check"]) == 0, "выполните python -m tools.formula_sheet"


def test_sheet_formulas_render():
    text = formula_sheet.OUTPUT.read_text(encoding="utf-8")
    formulas = check_math.extract(text)[0]
    assert len(formulas) >= 2 * sum(len(rows) for _, _, rows in formula_sheet.SHEET)
    assert check_math.check_markdown(text) == []


@pytest.mark.parametrize("number", ["01", "02", "04", "05"])
def test_sheet_covers_the_notebooks_with_derivations(number):
    assert any(notebook.startswith(number) for _, notebook, _ in formula_sheet.SHEET)
