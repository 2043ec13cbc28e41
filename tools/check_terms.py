"""Термины и согласование в тексте ноутбуков: запрещённые формы из ../shared/design/COURSE.md (Терминология).

    python -m tools.check_terms notebooks/*.ipynb     # строка на каждую находку; код выхода 1, если они есть

Проверяются текст markdown-ячеек, код (подписи рисунков, печать) и сохранённые текстовые выходы.
Правила — RULES: регулярное выражение и что написать вместо. Согласование числа и существительного
проверяется там, где падеж известен: «за N эпох(и)», «медиана N эпох(и)», «в N раз(а)».
"""
import json
import re
import sys
from pathlib import Path

from backprop_course import text

RULES = [
    (re.compile(r"Глоро(?!т)|Ксавье"), "инициализация Глорота (Xavier)"),
    # «точность» в смысле accuracy: рядом «на тесте», «на обучении», «сети» или подпись рисунка; «с полной
    # точностью», «в точности» (precision, exactly) — законные
    (re.compile(r"[Тт]очност[ьиюея]\w*(?=[,:\"']? *(?:на |сети|обучени|тест|\)|,? *обучение))"),
     "«доля верных ответов» (accuracy); «точность» — это и precision"),
    (re.compile(r"[Оо]шибк[аиуео]\w* \$?E\b"), "«функция потерь E» (ошибка — это τ нейрона)"),
    (re.compile(r"(?<![\w^])b_(?:\{[ij0-9]\}|[ij0-9])(?![a-zа-я])"),
     "смещение с отметкой слоя: b^{\\text{in}}_j, b^{\\text{out}}_i"),
    (re.compile(r"\b\d+–\d+(–\d+)+\b"), "размеры слоёв через дефис: 2-3-1"),
    (re.compile(r"\bNumpy\b"), "NumPy"),
]
AGREEMENT = [
    (re.compile(r"\b(?:за|медиана|понадобилось|нужно|нужна)\s+(\d+)\s+(эпох[аи]?)\b"), text.EPOCHS),
    (re.compile(r"\bв\s+(\d+)\s+(раза?)\b"), ("раз", "раза", "раз")),
]


def check_text(source):
    """Находки в тексте: список строк «что не так: отрывок»."""
    found = []
    for pattern, advice in RULES:
        for m in pattern.finditer(source):
            found.append(f"{advice}: …{_excerpt(source, m)}…")
    for pattern, forms in AGREEMENT:
        for m in pattern.finditer(source):
            expected = text.plural(int(m[1]), *forms)
            if m[2] != expected:
                found.append(f"согласование: «{m[1]} {expected}», а не «{m[1]} {m[2]}»: …{_excerpt(source, m)}…")
    return found


def _excerpt(source, m):
    return source[max(0, m.start() - 30):m.end() + 20].replace("\n", " ")


def cell_texts(cell):
    """Текст ячейки и её сохранённых текстовых выходов."""
    texts = ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]]
    for out in cell.get("outputs", []):
        texts.append("".join(out.get("text", "")))
        for kind in ("text/plain", "text/markdown"):
            value = out.get("data", {}).get(kind, "")
            texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def check_notebook(path):
    """Находки в ноутбуке: «ячейка N: …»."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [f"ячейка {k}: {problem}" for k, cell in enumerate(cells) for part in cell_texts(cell)
            for problem in check_text(part)]


def main(argv=None):
    paths = (argv if argv is not None else sys.argv[1:]) or sorted(Path("notebooks").glob("*.ipynb"))
    bad = 0
    for path in paths:
        for problem in check_notebook(path):
            print(f"{Path(path).name}: {problem}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
