"""Формулы во всех ноутбуках notebooks/*.ipynb отрисуются (tools/check_math.py: разметка — markdown-it-py,
синтаксис TeX — парсер MathJax), а сломанные — ловятся с понятным сообщением.

Нужен node (Node.js) с npm; без них тест пропускается с подсказкой, а под CI=true падает.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import check_math, web_packages

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _require_node():
    """Без node (или без npm, пока пакеты не поставлены) MathJax не запустить: вне CI — пропуск, в CI — ошибка."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None
               and not (tool == "npm" and web_packages.is_installed())]
    if missing:
        reason = (f"нет {' и '.join(missing)}: формулы разбирает MathJax под Node.js. "
                  "Включить: поставьте Node.js 18+ с npm (Debian: apt-get install nodejs npm).")
        if os.environ.get("CI") == "true":
            pytest.fail(f"в CI проверка формул обязательна, а {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def notebook_problems():
    _require_node()
    return check_math.check_notebooks(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_formula_in_notebook_renders(notebook_problems, path):
    problems = notebook_problems[path]
    assert not problems, f"{path.name}: формулы, которые не отрисуются:\n" + "\n".join(problems)


def test_notebook01_formulas_are_found():
    # защита от «проверили ноль формул»: в выводе ноутбука 01 их много, и выключных с aligned тоже
    formulas = [f for _, text in check_math.markdown_cells(ROOT / "notebooks" / "01_xor_derivation.ipynb")
                for f in check_math.extract(text)[0]]
    assert len(formulas) > 100
    assert sum(f.display and r"\begin{aligned}" in f.tex for f in formulas) >= 8


GOOD = [
    r"$$\frac{\partial E}{\partial w_{ji}} = \tau^{\text{out}}_i \, X_j$$",
    "$$\\begin{aligned} SX_j &= \\sum_{s} v_{sj} I_s + b_j, \\\\ X_j &= \\sigma(SX_j) \\end{aligned}$$",
    r"Текст $\tau^{\text{in}}_j = \Bigl(\sum_{i} \tau^{\text{out}}_i \, w_{ji}\Bigr) X_j (1 - X_j)$ и дальше.",
    r"$W^{\mathsf{T}} \tau^{\text{out}} \odot \mathbf{X}$, $\left\{ a \right\}$, $\sqrt[3]{x}$, $x_1^2$",
    r"$$f(x) = \begin{cases} 1 & x > 0, \\ 0 & x \le 0. \end{cases}$$",
    "Код `a $ b` и цена \\$5 — не формулы.\n\n```python\nx = '$'\n```\n\n<!-- $ в комментарии -->",
    "| формула | смысл |\n| --- | --- |\n| $w_{ji}$ | вес |",
    # то, что прежний самописный разборщик отвергал, а MathJax принимает
    r"$a \not\in B$", r"${a \over b}$", r"$\color{red}{x} + \color{blue} y$", r"$x\phantom{+y}$",
    r"$a\hspace{1em}b$", r"$$E = mc^2 \label{eq:energy}$$", r"см. $\eqref{eq:energy}$", r"$A \xrightarrow{f} B$",
    r"${n \choose k}$", r"${a \atop b}$", r"$\mathop{\rm arg\,max}_x f(x)$", r"$\underbrace{x + y}_{n}$",
    r"$\overset{!}{=}$", r"$\boxed{x}$", r"$$x = 1 \tag{1}$$", r"$\operatorname*{argmax}_x$", r"$\vphantom{X}x$",
    r"$\smash{x}$", r"$\sum_{\substack{i<n \\ j<m}} x_{ij}$", r"$\lVert x \rVert$", r"$\bbox[yellow]{x}$",
    r"$\newcommand{\R}{\mathbb{R}} \R$", r"$\lbrace x \rbrace$", r"$\sum\limits_{i=1}^n i$", r"$\binom{n}{k}$",
    r"$$\begin{array}{cc} a & b \\ c & d \end{array}$$", r"$$\begin{align} a &= b \\ c &= d \end{align}$$",
    r"$$\begin{gather} a \\ b \end{gather}$$", r"$\text{ошибка}_i \mapsto \tanh x$",
]

BAD = [
    (r"$\frac{a}{b$", "не хватает закрывающей }"),
    (r"$a}$", "лишняя закрывающая }"),
    (r"$\frac{a}$", "нет аргумента у \\frac"),
    (r"$\tau_{out_i}^$", "нет индекса или степени"),
    (r"$\foo x$", "неизвестная команда \\foo"),
    (r"$\sigmoid(x)$", "неизвестная команда \\sigmoid"),
    (r"$\cancel{x}$", "неизвестная команда \\cancel"),          # MathJax 2 сайта без расширения cancel
    (r"$\limits$", "\\limits — только после оператора"),
    (r"$$\begin{aligned} a &= b \end{align}$$", "закрыто другим \\end"),
    (r"$$\begin{aligned} a &= b$$", "окружение без \\end"),
    (r"$$a \end{aligned}$$", "\\end без \\begin"),
    (r"$$\begin{eqnarray*x} a \end{eqnarray*x}$$", "неизвестное окружение"),
    (r"$x_1_2$", "двойной индекс"),
    (r"$x^1^2$", "двойная степень"),
    (r"$a & b$", "знак не на месте"),
    (r"$\left( a$", "\\left без \\right"),
    (r"$a \right)$", "\\right без \\left"),
    (r"$50% + 1$", "знак %"),
    (r"$a # b$", "знак #"),
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


@pytest.fixture(scope="module")
def checked():
    """Проблемы каждого примера GOOD и BAD — один запуск MathJax на все."""
    _require_node()
    texts = GOOD + [markdown for markdown, _ in BAD]
    return dict(zip(texts, check_math.check_markdowns(texts)))


@pytest.mark.parametrize("markdown", GOOD)
def test_good_formulas_pass(checked, markdown):
    assert checked[markdown] == []


@pytest.mark.parametrize("markdown, message", BAD, ids=[b[1] for b in BAD])
def test_broken_formulas_are_caught(checked, markdown, message):
    problems = checked[markdown]
    assert problems, f"не поймана ошибка в {markdown!r}"
    assert any(message in p for p in problems), f"ожидалось «{message}», получено {problems}"


def test_extract_gives_formulas_with_lines():
    formulas, problems = check_math.extract("Пусть $a_1$ и\n$$\nb\n$$\n\n$$\n\\frac{1}{2}\n$$")
    assert [(f.tex, f.display, f.line) for f in formulas] == [("a_1", False, 1), ("\nb\n", True, 2),
                                                              ("\n\\frac{1}{2}\n", True, 6)]
    assert problems == ["строка 2: $$b$$: $$…$$ должна стоять отдельным абзацем (пустая строка до и после)"]


def test_command_line_names_notebook_cell_and_line(tmp_path):
    _require_node()
    good = tmp_path / "good.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Всё хорошо: $a_1$.")]), good)
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Всё хорошо: $a_1$."),
                                                   nbformat.v4.new_code_cell("x = '$\\\\frac{'"),
                                                   nbformat.v4.new_markdown_cell("строка 1\n\nи $\\frac{a}{b$ тут")]),
                   broken)
    result = subprocess.run([sys.executable, "-m", "tools.check_math", str(good), str(broken)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{broken}: ячейка 2: строка 3: $\\frac{{a}}{{b$: не хватает закрывающей }} (MathJax: Missing close brace)",
        "ноутбуков: 2, формул: 3, проблем: 1",
    ]
