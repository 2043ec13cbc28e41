"""Формулы во всех ноутбуках notebooks/*.ipynb разбираются (tests/mathcheck.py), а сломанные — ловятся."""
from pathlib import Path

import pytest

import mathcheck

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_formula_in_notebook_renders(path):
    problems = mathcheck.check_notebook(path)
    assert not problems, f"{path.name}: формулы, которые не отрисуются:\n" + "\n".join(problems)


def test_notebook01_formulas_are_found():
    # защита от «проверили ноль формул»: в выводе ноутбука 01 их много, и выключных с aligned тоже
    formulas = mathcheck.formulas_in_notebook(Path(__file__).resolve().parents[1] / "notebooks"
                                              / "01_xor_derivation.ipynb")
    assert len(formulas) > 100
    assert sum(f.display and r"\begin{aligned}" in f.tex for f in formulas) >= 8


GOOD = [
    r"$$\frac{\partial E}{\partial w_{ji}} = \tau^{\text{out}}_i \, X_j$$",
    "$$\\begin{aligned} SX_j &= \\sum_{s} v_{sj} I_s + b_j, \\\\ X_j &= \\sigma(SX_j) \\end{aligned}$$",
    r"Текст $\tau^{\text{in}}_j = \Bigl(\sum_{i} \tau^{\text{out}}_i \, w_{ji}\Bigr) X_j (1 - X_j)$ и дальше.",
    r"$W^{\mathsf{T}} \tau^{\text{out}} \odot \mathbf{X}$, $\left\{ a \right\}$, $\sqrt[3]{x}$, $x_1^2$",
    r"$$f(x) = \begin{cases} 1 & x > 0, \\ 0 & x \le 0. \end{cases}$$",
    "Код `a $ b` и цена \\$5 — не формулы.\n\n```python\nx = '$'\n```",
]


@pytest.mark.parametrize("markdown", GOOD)
def test_good_formulas_pass(markdown):
    assert mathcheck.check_markdown(markdown) == []


BAD = [
    (r"$\frac{a}{b$", "не хватает закрывающей }"),
    (r"$a}$", "лишняя закрывающая }"),
    (r"$\frac{a}$", "нет аргумента у \\frac"),
    (r"$\tau_{out_i}^$", "нет аргумента у ^"),
    (r"$\foo x$", "неизвестная команда \\foo"),
    (r"$\sigmoid(x)$", "неизвестная команда \\sigmoid"),
    (r"$$\begin{aligned} a &= b \end{align}$$", "закрыто \\end{align}"),
    (r"$$\begin{aligned} a &= b$$", "без \\end{aligned}"),
    (r"$$a \end{aligned}$$", "без \\begin{aligned}"),
    (r"$$\begin{eqnarray} a \end{eqnarray}$$", "неизвестное окружение"),
    (r"$x_1_2$", "двойной индекс"),
    (r"$x^1^2$", "двойная степень"),
    (r"$a & b$", "& вне окружения"),
    (r"$\left( a$", "\\left без \\right"),
    (r"$a \right)$", "\\right без \\left"),
    (r"$50% + 1$", "знак %"),
    # исходный ноутбук: несколько уравнений в одной $…$ через \\ — сливаются в строку
    (r"$\frac{\partial E}{\partial Y_{i}} = Y_{i} - a_{i} \\ \frac{\partial Y_{i}}{\partial SY_{i}} = Y_{i}$",
     "перенос \\\\ внутри $…$"),
    ("$a +\nb$", "на нескольких строках"),
    (r"Цена $5 и ничего больше", "не закрыта формула $…$"),
    (r"$$a + b", "не закрыта формула $$…$$"),
    ("Текст\n$$a + b$$\nтекст", "отдельным абзацем"),
    (r"$$a \\ b$$", "\\\\ вне окружения"),
    (r"$$ $$", "пустая формула"),
]


@pytest.mark.parametrize("markdown, message", BAD, ids=[b[1] for b in BAD])
def test_broken_formulas_are_caught(markdown, message):
    problems = mathcheck.check_markdown(markdown)
    assert problems, f"не поймана ошибка в {markdown!r}"
    assert any(message in p for p in problems), f"ожидалось «{message}», получено {problems}"


def test_problem_names_cell_and_line(tmp_path):
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Всё хорошо: $a_1$."),
                                         nbformat.v4.new_code_cell("x = '$\\\\frac{'"),
                                         nbformat.v4.new_markdown_cell("строка 1\n\nи $\\frac{a}{b$ тут")])
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    assert mathcheck.check_notebook(path) == ["cell 2: строка 3: $\\frac{a}{b$: не хватает закрывающей }"]
