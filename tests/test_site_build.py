"""Сайт курса без браузера: оглавление берёт строки «о чём» из той же таблицы, что README."""
from pathlib import Path

from tools import build_site

ROOT = Path(__file__).resolve().parents[1]


def test_index_lines_come_from_the_readme_table():
    rows = build_site.readme_notebooks()
    on_disk = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert set(rows) == on_disk, f"README.md: таблица ноутбуков и notebooks/ расходятся: {set(rows) ^ on_disk}"
    assert all(title and about for title, about in rows.values())


def test_readme_table_is_read_after_its_marker(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Курс\n\n| a | [не та](notebooks/00_x.ipynb) | таблица выше метки |\n\n"
                      "<!-- notebooks: список -->\n| № | ноутбук | о чём |\n| --- | --- | --- |\n"
                      "| 01 | [Вывод](notebooks/01_a.ipynb) | вывод $\\tau$ \\| и пример |\n\nтекст после\n",
                      encoding="utf-8")
    assert build_site.readme_notebooks(readme) == {"01_a.ipynb": ("Вывод", "вывод $\\tau$ | и пример")}
    assert build_site.readme_notebooks(tmp_path / "нет.md") == {}
