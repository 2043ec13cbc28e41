"""Проверка формул в markdown-ячейках ноутбуков: отрисует ли их MathJax (Jupyter, сайт курса, GitHub).

    python -m tools.check_math notebooks/*.ipynb     # строка на каждую сломанную формулу, код выхода 1

Формулы находит markdown-it-py с плагином dollarmath (как их видит markdown: код, блоки кода, HTML-комментарии
и \\$ — не формулы). Синтаксис TeX проверяет сам MathJax: его TeX-парсер из npm-пакета mathjax-full@3
(tools/check_math.js, пакеты TeX как у MathJax 2 сайта), один запуск node на все формулы. Здесь, в Python,
только правила разметки, которых MathJax не видит:
  * $…$ на нескольких строках;
  * перенос \\\\ вне окружения (aligned, cases…), в том числе в $…$: MathJax 2 его пропускает, строки
    сливаются в одну (так в исходном ноутбуке несколько уравнений слились в одной $…$);
  * $$…$$ не отдельным абзацем, одинокий $ (не закрыта формула; знак доллара — \\$), пустая формула;
  * % в формуле: для TeX это начало комментария, остаток формулы пропадает (нужно \\%).
Нужны пакеты markdown-it-py и mdit-py-plugins и node (Node.js) с npm: пакеты npm ставятся сами
(tools/web_packages.py).
"""
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from tools import web_packages

PARSER_JS = Path(__file__).resolve().parent / "check_math.js"
INLINE, DISPLAY = {"math_inline"}, {"math_inline_double", "math_block", "math_block_label", "amsmath"}

# Как Jupyter: формула $…$ может начинаться с пробела или цифры; таблицы GFM.
_md = (MarkdownIt("commonmark").enable("table")
       .use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
       .use(amsmath_plugin))
_md.disable("text_join")          # экранированный \$ остаётся отдельным токеном и не путается с формулой

# Ошибки MathJax по-русски (id ошибки -> текст; {cmd} — команда из сообщения MathJax).
MESSAGES = {
    "MissingCloseBrace": "не хватает закрывающей }",
    "ExtraCloseMissingOpen": "лишняя закрывающая } (или не хватает открывающей {)",
    "MissingArgFor": "нет аргумента у {cmd}",
    "MissingScript": "нет индекса или степени после _ или ^",
    "UndefinedControlSequence": "неизвестная команда {cmd}",
    "UnknownEnv": "неизвестное окружение",
    "EnvBadEnd": "окружение закрыто другим \\end",
    "EnvMissingEnd": "окружение без \\end",
    "MissingBeginExtraEnd": "\\end без \\begin",
    "DoubleSubscripts": "двойной индекс: x_1_2 — нужны скобки x_{1,2}",
    "DoubleExponent": "двойная степень: x^1^2 — нужны скобки",
    "Misplaced": "знак не на месте (& — только в окружении с выравниванием: aligned, cases, matrix…)",
    "ExtraLeftMissingRight": "\\left без \\right",
    "MissingLeftExtraRight": "\\right без \\left",
    "MisplacedLimits": "\\limits — только после оператора (\\sum, \\int, \\lim…)",
    "CantUseHash1": "знак # в формуле: нужно \\#",
}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.S)


class CheckMathError(RuntimeError):
    pass


@dataclass
class Formula:
    tex: str
    display: bool
    line: int          # номер строки markdown, где формула начинается (с 1)

    def __str__(self):
        opener = "$$" if self.display else "$"
        short = " ".join(self.tex.split())
        short = short if len(short) <= 60 else short[:59] + "…"
        return f"строка {self.line}: {opener}{short}{opener}"


def _inline_parts(token):
    """(строка с 1, дочерний токен) для каждого токена строки markdown."""
    line = token.map[0] + 1 if token.map else 1
    for child in token.children or []:
        yield line, child
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        else:
            line += child.content.count("\n")


def extract(markdown):
    """Формулы markdown-текста и проблемы разметки: (список Formula, список строк «строка N: …»).

    Синтаксис TeX здесь не проверяется — это делает check_markdown (MathJax).
    """
    formulas, problems = [], []
    for token in _md.parse(markdown):
        if token.type in DISPLAY:            # выключная формула отдельным абзацем
            formulas.append(Formula(token.content, True, token.map[0] + 1))
            continue
        if token.type != "inline":
            continue
        for line, child in _inline_parts(token):
            if child.type in INLINE | DISPLAY:
                formula = Formula(child.content, child.type not in INLINE, line)
                formulas.append(formula)
                if child.type == "math_inline_double":
                    problems.append(f"{formula}: $$…$$ должна стоять отдельным абзацем (пустая строка до и после)")
            elif child.type == "text" and "$" in child.content:
                opener = "$$" if "$$" in child.content else "$"
                problems.append(f"строка {line}: не закрыта формула {opener}…{opener} "
                                f"(знак доллара в тексте пишите \\$)")
    for formula in formulas:
        problems += [f"{formula}: {p}" for p in structure_problems(formula)]
    return formulas, problems


def structure_problems(formula):
    """Ошибки формулы, которые MathJax не считает ошибками, а отрисовывает не так, как задумано."""
    tex, problems = formula.tex, []
    tokens = _TOKEN.findall(tex)
    if not tex.strip():
        problems.append("пустая формула")
    if not formula.display and "\n" in tex:
        problems.append("формула $…$ на нескольких строках — запишите её в одну строку или сделайте "
                        "выключной $$…$$")
    if "%" in tokens:
        problems.append("знак % в формуле начинает комментарий TeX, остаток формулы пропадёт: нужно \\%")
    depth, top_level_break = 0, False            # \\ вне окружений и вне { } (в \substack{…} можно)
    for tok in tokens:
        depth += {"\\begin": 1, "\\end": -1, "{": 1, "}": -1}.get(tok, 0)
        top_level_break |= tok == "\\\\" and depth <= 0
    if top_level_break and not formula.display:
        problems.append("перенос \\\\ внутри $…$ не работает — строки сольются; "
                        "нужна $$\\begin{aligned} … \\\\ … \\end{aligned}$$")
    elif top_level_break:
        problems.append("\\\\ вне окружения: строки не разобьются — нужно \\begin{aligned} … \\end{aligned}")
    return problems


def tex_errors(formulas):
    """Ошибки MathJax для списка Formula (один запуск node): None — формула разбирается, иначе текст."""
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise CheckMathError("нужен node (Node.js): формулы разбирает MathJax (tools/check_math.js)")
    try:
        modules = web_packages.ensure()
    except web_packages.NpmError as err:
        raise CheckMathError(str(err)) from err
    result = subprocess.run([node, str(PARSER_JS)], capture_output=True, text=True, encoding="utf-8",
                            input=json.dumps([[f.tex, f.display] for f in formulas]),
                            env={**os.environ, "MATHJAX_FULL": str(modules / "mathjax-full")})
    if result.returncode != 0:
        raise CheckMathError(f"tools/check_math.js упал:\n{result.stderr.strip()[-2000:]}")
    return [None if err is None else _message(err) for err in json.loads(result.stdout)]


def _message(err):
    """Сообщение MathJax по-русски (если перевод есть) и в оригинале — его можно искать в интернете."""
    template = MESSAGES.get(err["id"])
    if template is None:
        return f"MathJax: {err['message']}"
    commands = re.findall(r"\\[A-Za-z]+", err["message"])
    return f"{template.replace('{cmd}', commands[-1] if commands else '')} (MathJax: {err['message']})"


def check_markdowns(texts):
    """Все проблемы каждого markdown-текста из списка: [[строка, …], …] (один запуск node на всё)."""
    extracted = [extract(text) for text in texts]
    flat = [f for formulas, _ in extracted for f in formulas]
    errors = iter(tex_errors(flat))
    results = []
    for formulas, problems in extracted:
        problems = list(problems)
        for formula in formulas:
            err = next(errors)
            if err:
                problems.append(f"{formula}: {err}")
        results.append(sorted(problems, key=_line_of))
    return results


def check_markdown(text):
    """Все проблемы одного markdown-текста."""
    return check_markdowns([text])[0]


def _line_of(problem):
    match = re.match(r"строка (\d+)", problem)
    return int(match.group(1)) if match else 0


def markdown_cells(path):
    """[(номер ячейки, текст)] markdown-ячеек ноутбука."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return [(i, c["source"] if isinstance(c["source"], str) else "".join(c["source"]))
            for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def check_notebooks(paths):
    """Проблемы формул ноутбуков: {путь: ["ячейка N: строка M: $…$: что не так", …]}."""
    cells = {path: markdown_cells(path) for path in paths}
    texts = [text for found in cells.values() for _, text in found]
    results = iter(check_markdowns(texts))
    return {path: [f"ячейка {i}: {p}" for i, _ in found for p in next(results)] for path, found in cells.items()}


def count_formulas(paths):
    return sum(len(extract(text)[0]) for path in paths for _, text in markdown_cells(path))


def main(argv=None):
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("использование: python -m tools.check_math НОУТБУК.ipynb…", file=sys.stderr)
        return 2
    try:
        found = check_notebooks(paths)
    except CheckMathError as err:
        print(f"check_math: {err}", file=sys.stderr)
        return 2
    bad = 0
    for path, problems in found.items():
        for problem in problems:
            bad += 1
            print(f"{path}: {problem}")
    print(f"ноутбуков: {len(paths)}, формул: {count_formulas(paths)}, проблем: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
