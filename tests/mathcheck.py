"""Проверка формул в markdown-ячейках ноутбуков: чистый Python, без браузера и node.

Ловит то, из-за чего формула не отрисуется в Jupyter (MathJax 2) или на GitHub:
  * незакрытые $ и $$, формулу $...$ на нескольких строках, перенос строки \\\\ внутри $...$;
  * $$...$$ не отдельным абзацем (нужна пустая строка до и после);
  * несбалансированные { }, \\left без \\right, \\begin{...} без \\end{...} или с другим именем;
  * команду не из списка KNOWN_COMMANDS (команды MathJax 2, которые курс использует, и частые другие),
    неизвестное окружение, команду без обязательного аргумента (\\frac{a});
  * двойной индекс x_1_2, двойную степень x^1^2, & и \\\\ вне окружения, знаки % и # в формуле.

    python tests/mathcheck.py notebooks/*.ipynb     # строка на каждую проблему, код выхода 1

Списки команд намеренно короткие: новая команда, которой нет в MathJax 2, должна попасть сюда
осознанно (проверьте её в Jupyter и /work/shared/tools/check-math, затем добавьте в KNOWN_COMMANDS).
"""
import json
import re
import sys
from dataclasses import dataclass

GREEK = """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
Upsilon Phi Psi Omega"""
SYMBOLS = """cdot times div pm mp odot otimes oplus circ ast star bullet le leq ge geq ne neq approx sim simeq
equiv propto ll gg in notin ni subset subseteq supset supseteq cup cap setminus to rightarrow leftarrow
Rightarrow Leftarrow Leftrightarrow leftrightarrow longrightarrow longleftarrow Longrightarrow mapsto gets
implies iff uparrow downarrow mid parallel perp top bot intercal forall exists nabla partial infty
emptyset varnothing ell hbar prime angle ldots cdots vdots ddots dots colon
sum prod int iint oint lim limsup liminf max min sup inf arg exp log ln lg sin cos tan tanh sinh cosh
det dim ker Pr
langle rangle lvert rvert lVert rVert lfloor rfloor lceil rceil vert Vert
quad qquad displaystyle textstyle scriptstyle limits nolimits notag nonumber"""
# команда: число обязательных аргументов
WITH_ARGUMENTS = {
    "frac": 2, "dfrac": 2, "tfrac": 2, "binom": 2, "overset": 2, "underset": 2, "stackrel": 2,
    "sqrt": 1, "mathrm": 1, "mathbf": 1, "mathit": 1, "mathsf": 1, "mathtt": 1, "mathcal": 1,
    "mathbb": 1, "boldsymbol": 1, "operatorname": 1, "hat": 1, "bar": 1, "tilde": 1, "vec": 1,
    "dot": 1, "ddot": 1, "overline": 1, "underline": 1, "widehat": 1, "widetilde": 1,
    "overbrace": 1, "underbrace": 1, "boxed": 1, "tag": 1,
}
TEXT_ARGUMENT = {"text", "textrm", "textbf", "textit", "mbox"}      # аргумент — обычный текст
SIZED_DELIMITERS = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr"}
KNOWN_COMMANDS = (set(GREEK.split()) | set(SYMBOLS.split()) | set(WITH_ARGUMENTS) | TEXT_ARGUMENT
                  | SIZED_DELIMITERS | {"left", "right", "middle", "begin", "end"})
CONTROL_SYMBOLS = set("\\,;:! {}|%&_#$")         # \\ \, \; \: \! \␣ \{ \} \| \% \& \_ \# \$
DELIMITERS = {"(", ")", "[", "]", "|", ".", "/", "\\{", "\\}", "\\|", "\\langle", "\\rangle", "\\lvert",
              "\\rvert", "\\lVert", "\\rVert", "\\lfloor", "\\rfloor", "\\lceil", "\\rceil", "\\vert", "\\Vert"}
# окружение: можно ли в нём & (выравнивание по столбцам)
ENVIRONMENTS = {"aligned": True, "align": True, "align*": True, "alignedat": True, "split": True,
                "cases": True, "matrix": True, "pmatrix": True, "bmatrix": True, "Bmatrix": True,
                "vmatrix": True, "Vmatrix": True, "array": True, "gathered": False, "gather": False,
                "gather*": False, "equation": False, "equation*": False}
ENVIRONMENT_ARGUMENTS = {"array": 1, "alignedat": 1}


@dataclass
class Formula:
    tex: str
    display: bool
    line: int          # номер строки ячейки, где формула начинается (с 1)


class TexError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------
# Извлечение формул из markdown
# ---------------------------------------------------------------------------------------------------

def _blank_code(markdown):
    """Заменить пробелами блоки кода ``` / ~~~, `код` и HTML-комментарии: доллары в них — не формулы."""
    lines, fence = [], None
    for line in markdown.split("\n"):
        m = re.match(r"\s*(`{3,}|~{3,})", line)
        if fence is None and m:
            fence = m.group(1)
            lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines.append("")
        else:
            lines.append(line)
    text = "\n".join(lines)
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"<!--.*?-->", blank, text, flags=re.S)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", blank, text, flags=re.S)


def extract(markdown):
    """Формулы ячейки и проблемы разметки: (список Formula, список строк с проблемами)."""
    text = _blank_code(markdown)
    formulas, problems = [], []
    line_of = lambda pos: text.count("\n", 0, pos) + 1
    i = 0
    while i < len(text):
        if text[i] == "\\":                      # \$ — просто знак доллара
            i += 2
            continue
        if text[i] != "$":
            i += 1
            continue
        display = text.startswith("$$", i)
        opener = "$$" if display else "$"
        start = i + len(opener)
        end = _find_closing(text, start, opener)
        if end is None:
            problems.append(f"строка {line_of(i)}: не закрыта формула {opener}…{opener}")
            break
        tex = text[start:end]
        where = f"строка {line_of(i)}: {opener}{_short(tex)}{opener}"
        if not tex.strip():
            problems.append(f"{where}: пустая формула")
        if display:
            before = text[:i].rsplit("\n", 2)
            after = text[end + 2:].split("\n", 2)
            own_paragraph = (before[-1].strip() == "" and (len(before) < 2 or before[-2].strip() == "")
                             and after[0].strip() == "" and (len(after) < 2 or after[1].strip() == ""))
            if not own_paragraph:
                problems.append(f"{where}: $$…$$ должна стоять отдельным абзацем (пустая строка до и после)")
        else:
            if "\n" in tex:
                problems.append(f"{where}: формула $…$ на нескольких строках — запишите её в одну строку "
                                f"или сделайте выключной $$…$$")
            if "\\\\" in tex:
                problems.append(f"{where}: перенос \\\\ внутри $…$ не работает — строки сольются; "
                                f"нужна $$\\begin{{aligned}} … \\\\ … \\end{{aligned}}$$")
        formulas.append(Formula(tex, display, line_of(i)))
        i = end + len(opener)
    return formulas, problems


def _find_closing(text, pos, opener):
    while pos < len(text):
        if text[pos] == "\\":
            pos += 2
        elif text.startswith(opener, pos) and (opener == "$$" or not text.startswith("$$", pos)):
            return pos
        elif opener == "$" and text.startswith("$$", pos):
            return None                          # $$ внутри $…$: скорее всего, забыт закрывающий $
        else:
            pos += 1
    return None


def _short(tex, limit=60):
    tex = " ".join(tex.split())
    return tex if len(tex) <= limit else tex[:limit - 1] + "…"


# ---------------------------------------------------------------------------------------------------
# Разбор одной формулы (рекурсивный спуск по токенам TeX)
# ---------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|\s+|.", re.S)


class _Parser:
    def __init__(self, tex):
        self.tokens = _TOKEN.findall(tex)
        self.pos = 0

    def peek(self, skip_space=True):
        while skip_space and self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        tok = self.peek()
        self.pos += 1
        return tok

    def sequence(self, until, env=None):
        """Атомы до закрывающего токена until ('}', '\\right', '\\end' или None — конец формулы)."""
        sub, sup = False, False                  # у текущего атома уже есть индекс / степень
        while True:
            tok = self.peek()
            if tok is None:
                if until is None:
                    return
                raise TexError({"}": "не хватает закрывающей }", "\\right": "\\left без \\right",
                                "\\end": f"\\begin{{{env}}} без \\end{{{env}}}"}[until])
            if tok == "}":
                if until == "}":
                    self.take()
                    return
                raise TexError("лишняя закрывающая }" if until is None else
                               "\\left без \\right внутри { }" if until == "\\right" else
                               f"лишняя }} внутри \\begin{{{env}}}")
            if tok == "\\right":
                if until != "\\right":
                    raise TexError("\\right без \\left")
                self.take()
                self.delimiter("\\right")
                return
            if tok == "\\end":
                self.take()
                name = self.braced_name("\\end")
                if until != "\\end":
                    raise TexError(f"\\end{{{name}}} без \\begin{{{name}}}")
                if name != env:
                    raise TexError(f"\\begin{{{env}}} закрыто \\end{{{name}}}")
                return
            if tok in ("^", "_"):
                self.take()
                if (tok == "_" and sub) or (tok == "^" and sup):
                    raise TexError("двойной индекс: x_1_2 — нужны скобки x_{1,2}" if tok == "_"
                                   else "двойная степень: x^1^2 — нужны скобки")
                sub, sup = sub or tok == "_", sup or tok == "^"
                self.argument(tok)
                continue
            if tok == "'":                       # штрих не начинает новый атом
                self.take()
                continue
            self.take()
            sub, sup = False, False
            self.atom(tok, env)

    def atom(self, tok, env):
        if tok == "{":
            self.sequence("}")
        elif tok == "&":
            if not ENVIRONMENTS.get(env, False):
                raise TexError("& вне окружения с выравниванием (aligned, cases, matrix…)")
        elif tok == "\\\\":
            if env is None:
                raise TexError("\\\\ вне окружения: строки не разобьются — нужно \\begin{aligned} … \\end{aligned}")
        elif tok in ("%", "#"):
            raise TexError(f"знак {tok} в формуле: нужно \\{tok}")
        elif tok == "\\begin":
            name = self.braced_name("\\begin")
            if name not in ENVIRONMENTS:
                raise TexError(f"неизвестное окружение {name!r}; известны: {', '.join(sorted(ENVIRONMENTS))}")
            for _ in range(ENVIRONMENT_ARGUMENTS.get(name, 0)):
                self.argument(f"\\begin{{{name}}}", text=True)
            self.sequence("\\end", env=name)
        elif tok == "\\left":
            self.delimiter("\\left")
            self.sequence("\\right")              # & и \\ внутри \left … \right не работают
        elif tok in ("\\middle",) or tok[1:] in SIZED_DELIMITERS:
            self.delimiter(tok)
        elif len(tok) <= 2 and tok.startswith("\\"):       # \, \; \{ … или одинокий \ в конце
            if tok[1:] not in CONTROL_SYMBOLS:
                raise TexError(f"неизвестная команда {tok}")
        elif tok.startswith("\\"):
            name = tok[1:]
            if name not in KNOWN_COMMANDS:
                raise TexError(f"неизвестная команда {tok} (нет в списке KNOWN_COMMANDS tests/mathcheck.py)")
            if name == "sqrt" and self.peek() == "[":
                self.bracket_option(tok)
            if name in TEXT_ARGUMENT:
                self.argument(tok, text=True)
            for _ in range(WITH_ARGUMENTS.get(name, 0)):
                self.argument(tok)

    def argument(self, owner, text=False):
        tok = self.peek()
        if tok is None or tok in ("}", "&", "\\\\", "^", "_", "\\end", "\\right"):
            raise TexError(f"нет аргумента у {owner}")
        self.take()
        if tok == "{":
            if text:
                self.text_group()
            else:
                self.sequence("}")
        elif tok.startswith("\\") and not text:
            self.atom(tok, None)

    def text_group(self):
        """Текст в \\text{...}: команды внутри не проверяем, только скобки."""
        depth = 1
        while depth:
            if self.pos >= len(self.tokens):
                raise TexError("не хватает закрывающей } в \\text{…}")
            tok = self.tokens[self.pos]
            self.pos += 1
            depth += {"{": 1, "}": -1}.get(tok, 0)

    def braced_name(self, owner):
        if self.take() != "{":
            raise TexError(f"после {owner} ожидается {{имя}}")
        name = ""
        while True:
            tok = self.take()
            if tok is None:
                raise TexError(f"не закрыто имя окружения после {owner}")
            if tok == "}":
                return name
            name += tok

    def bracket_option(self, owner):
        self.take()
        while (tok := self.take()) != "]":
            if tok is None:
                raise TexError(f"не закрыт [ … ] у {owner}")

    def delimiter(self, owner):
        tok = self.take()
        if tok not in DELIMITERS:
            raise TexError(f"после {owner} ожидается скобка, например ( или \\{{, получено {tok!r}")


def check_formula(tex):
    """Проблемы одной формулы (без $): пустой список — формула разбирается."""
    try:
        _Parser(tex).sequence(None)
    except TexError as e:
        return [str(e)]
    return []


def check_markdown(markdown):
    """Все проблемы одной markdown-ячейки."""
    formulas, problems = extract(markdown)
    for f in formulas:
        opener = "$$" if f.display else "$"
        problems += [f"строка {f.line}: {opener}{_short(f.tex)}{opener}: {p}" for p in check_formula(f.tex)]
    return problems


def check_notebook(path):
    """Проблемы всех markdown-ячеек ноутбука: строки вида 'cell N: ...'."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            problems += [f"cell {i}: {p}" for p in check_markdown(source)]
    return problems


def formulas_in_notebook(path):
    """Все формулы markdown-ячеек ноутбука (для счёта и для отладки)."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            found += extract(source)[0]
    return found


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("использование: python tests/mathcheck.py NOTEBOOK.ipynb...")
    bad = 0
    for nb_path in sys.argv[1:]:
        for p in check_notebook(nb_path):
            bad += 1
            print(f"{nb_path}: {p}")
    print(f"ноутбуков: {len(sys.argv) - 1}, проблем: {bad}")
    sys.exit(1 if bad else 0)
