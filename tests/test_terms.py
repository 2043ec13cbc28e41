"""Термины курса (COURSE.md, «Терминология») и согласование числа с существительным — в каждом ноутбуке
и в сообщениях модулей (tools/check_terms.py)."""
from pathlib import Path

import pytest

from tools import check_terms

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOURCES = [ROOT / "src" / "backprop.py"] + sorted((ROOT / "src" / "backprop_course").glob("*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_uses_the_course_terms(path):
    problems = check_terms.check_notebook(path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_module_messages_use_the_course_terms(path):
    problems = check_terms.check_text(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("planted", [
    "Инициализация Глоро делает веса меньше.", "веса по Ксавье", "точность на тесте 98%",
    "сеть дошла за 1042 эпох", "медиана 134 эпох", "в 4 раз меньше", "в 10 раза больше", "сеть 2–3–1",
    "ошибка $E$ падает", "смещение $b_j$ скрытого нейрона",
])
def test_planted_forbidden_forms_are_found(planted):
    assert check_terms.check_text(planted), planted


@pytest.mark.parametrize("fine", [
    "инициализация Глорота (Xavier)", "доля верных ответов 98%", "с полной точностью", "в точности",
    "неточностями", "за 1042 эпохи", "медиана 134 эпохи", "за 1000 эпох", "в 4 раза", "в 10 раз",
    "сеть 2-3-1", "функция потерь $E$", "$b^{\\text{in}}_j$", "∂E/∂b_in_1", "ошибка выходного нейрона",
])
def test_correct_forms_pass(fine):
    assert check_terms.check_text(fine) == [], fine
