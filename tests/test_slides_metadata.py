"""Разметка слайдов (tools/set_slide_metadata.py): правила работают, и каждый ноутбук курса размечен по ним."""
import base64
import copy
import io
from pathlib import Path

import nbformat
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import set_slide_metadata as ssm

ROOT = Path(__file__).resolve().parents[1]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_slide_rules(path):
    nb = nbformat.read(path, as_version=4)
    bad = ssm.mismatches(nb)
    assert not bad, (f"{path.name}: разметка слайдов не по правилам (ячейка, записано, должно быть): {bad[:8]}; "
                     f"исправьте командой  python -m tools.set_slide_metadata notebooks/{path.name}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_a_talk(path):
    """Несколько тем (слайды по горизонтали), и ни один слайд из нескольких ячеек не выходит за бюджет."""
    nb = nbformat.read(path, as_version=4)
    types = ssm.slide_types(nb)
    assert types.count("slide") >= 2, f"{path.name}: меньше двух тем — нет заголовков ## ?"
    for screen in screens(nb.cells, types):
        if len(screen) > 1:
            assert sum(ssm.estimate_height(c) for c in screen) <= ssm.SLIDE_BUDGET


def screens(cells, types):
    """Ячейки по экранам (slide/subslide начинают новый экран; skip/notes не видны)."""
    out = []
    for cell, kind in zip(cells, types):
        if kind in ("skip", "notes"):
            continue
        if kind in ("slide", "subslide") or not out:
            out.append([])
        out[-1].append(cell)
    return out


def png_output(width_in, height_in, dpi=72):
    """Выход ячейки с настоящим PNG заданного размера (рисунок matplotlib)."""
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)      # без pyplot: общий backend не трогаем
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return new_output("display_data", data={"image/png": base64.b64encode(buf.getvalue()).decode(),
                                            "text/plain": "<Figure size 576x360 with 1 Axes>"})


def figure_cell(code="plt.plot(x)\nplt.show()"):
    cell = new_code_cell(code)
    cell.outputs = [png_output(8, 5)]
    return cell


def paragraph(lines=1):
    """Абзац текста примерно в lines строк на слайде."""
    return new_markdown_cell(" ".join(["слово"] * (12 * lines)))


def notebook(*cells):
    return new_notebook(cells=list(cells))


def test_headings_start_slides_and_subslides():
    nb = notebook(new_code_cell("import numpy as np"), new_markdown_cell("# Курс"), paragraph(),
                  new_markdown_cell("## Тема\n\nтекст"), new_markdown_cell("### Шаг\n\nтекст"),
                  new_markdown_cell("#### Мелкий шаг"), new_markdown_cell("Текст без заголовка"))
    assert ssm.slide_types(nb) == ["slide", "slide", "-", "slide", "subslide", "subslide", "-"]


def test_heading_needs_a_space_and_may_follow_blank_lines_or_anchors():
    nb = notebook(new_markdown_cell("# Курс"), new_markdown_cell("#хештег, не заголовок"),
                  new_markdown_cell("\n\n## Тема после пустых строк"),
                  new_markdown_cell("<!-- метка для теста -->\n### Шаг после метки"))
    assert ssm.slide_types(nb) == ["slide", "-", "slide", "subslide"]


def test_png_size_and_figure_height():
    out = png_output(8, 5)
    assert ssm.png_size(out["data"]["image/png"]) == (576, 360)
    # растянутый по ширине слайда рисунок упирается в предельную высоту
    assert ssm.output_height(out) == ssm.FIGURE_MAX_HEIGHT
    wide = png_output(16, 2)
    assert ssm.output_height(wide) == pytest.approx(ssm.CONTENT_WIDTH * 144 / 1152)


def test_long_derivation_is_split_over_screens():
    rows = " \\\\ ".join([r"\frac{\partial E}{\partial w_{ji}} &= \tau^{\text{out}}_i X_j"] * 4)
    derivation = f"Шаг вывода:\n\n$$\\begin{{aligned}} {rows} \\end{{aligned}}$$"
    nb = notebook(new_markdown_cell("## Вывод"), *[new_markdown_cell(derivation) for _ in range(4)])
    types = ssm.slide_types(nb)
    assert types[0] == "slide" and "subslide" in types[1:]
    for screen in screens(nb.cells, types):
        assert sum(ssm.estimate_height(c) for c in screen) <= ssm.SLIDE_BUDGET


def test_every_figure_on_its_own_screen():
    # над рисунком может стоять только заголовок раздела (и короткая подводка); после рисунка — новый экран
    small = notebook(new_markdown_cell("## Граница"), figure_cell("plt.show()"), paragraph())
    assert ssm.slide_types(small) == ["slide", "-", "subslide"]
    full = notebook(new_markdown_cell("## Тема"), paragraph(4), paragraph(4),
                    new_markdown_cell("Нарисуем кривую ошибки:"), figure_cell())
    # рисунок начинает новый экран, подводка уходит вместе с ним
    assert ssm.slide_types(full) == ["slide", "-", "-", "subslide", "-"]
    no_lead = notebook(new_markdown_cell("## Тема"), paragraph(4), figure_cell(), figure_cell())
    assert ssm.slide_types(no_lead) == ["slide", "-", "subslide", "subslide"]


def test_figure_code_is_hidden_on_slides_by_a_tag():
    nb = notebook(new_markdown_cell("## Тема"), figure_cell(), new_code_cell("x = 1"))
    ssm.apply(nb)
    assert ssm.TAG_HIDE_CODE in nb.cells[1].metadata.tags        # рисунок: код скрыт тегом
    assert "tags" not in nb.cells[2].metadata or not nb.cells[2].metadata.tags
    shown = figure_cell()
    shown.metadata["tags"] = [ssm.TAG_SHOW_CODE]                 # автор оставил код рисунка на слайде
    manual = new_code_cell("\n".join(f"x{k} = {k}" for k in range(12)))
    manual.metadata["tags"] = [ssm.TAG_HIDE_CODE]                # и скрыл код без рисунка руками
    nb = notebook(new_markdown_cell("## Тема"), shown, manual)
    ssm.apply(nb)
    assert nb.cells[1].metadata.tags == [ssm.TAG_SHOW_CODE] and not ssm.code_hidden(nb.cells[1])
    assert ssm.code_hidden(nb.cells[2]) and ssm.estimate_height(nb.cells[2]) == ssm.CELL_GAP
    assert ssm.estimate_height(nb.cells[1]) > ssm.estimate_height(figure_cell())


def test_long_code_lines_wrap_in_the_estimate():
    short, long = new_code_cell("x = 1"), new_code_cell("x = 1  # " + "очень " * 40)
    assert ssm.estimate_height(long) - ssm.estimate_height(short) == ssm.CODE_LINE * 2


def test_tags_and_empty_cells():
    hidden = new_code_cell("assert True")
    hidden.metadata["tags"] = ["slides-skip"]
    notes = new_markdown_cell("Напомнить про знак градиента.")
    notes.metadata["tags"] = ["slides-notes"]
    forced = new_markdown_cell("Новая мысль")
    forced.metadata["tags"] = ["slides-new"]
    nb = notebook(hidden, new_markdown_cell("# Курс"), notes, new_code_cell("  \n"), forced)
    assert ssm.slide_types(nb) == ["skip", "slide", "notes", "skip", "subslide"]


def test_apply_is_idempotent_and_touches_only_slide_metadata():
    nb = notebook(new_markdown_cell("# Курс"), paragraph(), new_markdown_cell("## Тема"), figure_cell())
    nb.cells[1].metadata["tags"] = ["keep-me"]
    before = copy.deepcopy(nb)
    assert ssm.apply(nb) is True
    assert [c.metadata.slideshow.slide_type for c in nb.cells] == ["slide", "-", "slide", "-"]
    assert nb.metadata.rise == ssm.RISE_SETTINGS
    assert ssm.apply(nb) is False and ssm.mismatches(nb) == []
    for old, new in zip(before.cells, nb.cells):
        assert old.source == new.source and old.get("outputs") == new.get("outputs")
        assert {k: v for k, v in new.metadata.items() if k not in ("slideshow", "tags")} == \
            {k: v for k, v in old.metadata.items() if k != "tags"}
    assert nb.cells[1].metadata.tags == ["keep-me"] and nb.cells[3].metadata.tags == [ssm.TAG_HIDE_CODE]


def test_cli_check_reports_stale_notebook(tmp_path, capsys):
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(notebook(new_markdown_cell("# Курс"), new_markdown_cell("## Тема")), path)
    assert ssm.main(["--check", str(path)]) == 1
    assert "python -m tools.set_slide_metadata" in capsys.readouterr().out
    assert ssm.main([str(path)]) == 0
    assert ssm.main(["--check", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert ssm.main([str(path)]) == 0 and path.read_text(encoding="utf-8") == text   # файл не переписан


# --- слайды сайта: presentation(nb) ------------------------------------------------------------------------

def view_screens(nb):
    view = ssm.presentation(nb)
    return view, screens(view.cells, [c.metadata.slideshow.slide_type for c in view.cells])


def test_tall_markdown_is_split_between_blocks_with_the_section_heading_above():
    rows = " \\\\ ".join([r"\frac{\partial E}{\partial w_{ji}} &= \tau^{\text{out}}_i X_j"] * 3)
    blocks = [f"Шаг {k} вывода так:\n\n$$\\begin{{aligned}} {rows} \\end{{aligned}}$$" for k in range(5)]
    nb = notebook(new_markdown_cell("## Вывод\n\n" + "\n\n".join(blocks)))
    assert ssm.estimate_height(nb.cells[0]) > ssm.SLIDE_BUDGET
    view, shown = view_screens(nb)
    assert len(shown) >= 2
    for screen in shown:
        assert sum(ssm.estimate_height(c) for c in screen) <= ssm.SLIDE_BUDGET
        # подводка «…так:» не отрывается от своей формулы
        assert not screen[-1].source.rstrip().endswith(":")
    assert "".join(c.source for c in view.cells).replace("\n", "") == nb.cells[0].source.replace("\n", "")
    assert [c.metadata.get(ssm.SUBHEADING_KEY) for c in view.cells] == [None] + ["Вывод"] * (len(view.cells) - 1)
    assert len({c.id for c in view.cells}) == len(view.cells)             # у частей свои id


def test_tall_list_and_table_are_split_by_items_and_rows():
    items = "\n".join(f"{k}. " + "пункт " * 30 for k in range(1, 9))
    table = "| a | b |\n| --- | --- |\n" + "\n".join(f"| строка {k} | значение {k} |" for k in range(30))
    for source in (f"## Список\n\n{items}", f"## Таблица\n\n{table}"):
        view, shown = view_screens(notebook(new_markdown_cell(source)))
        assert len(shown) >= 2
        for screen in shown:
            assert sum(ssm.estimate_height(c) for c in screen) <= ssm.SLIDE_BUDGET
    assert all(c.source.count("| --- | --- |") == 1 for c in view.cells)   # шапка таблицы на каждом слайде


def test_tall_code_cell_is_split_into_code_and_outputs():
    cell = new_code_cell("\n\n".join(f"def f{k}(x):\n    y = x + {k}\n    return y" for k in range(12))
                         + "\nprint(f0(1))")
    cell.outputs = [new_output("stream", name="stdout", text="".join(f"строка {k}\n" for k in range(40))),
                    png_output(8, 5)]
    cell.metadata["tags"] = [ssm.TAG_SHOW_CODE]              # код рисунка показан — и режется по инструкциям
    view, shown = view_screens(notebook(new_markdown_cell("## Код"), cell))
    parts = view.cells[1:]
    assert len(parts) >= 4
    assert "".join(p.source for p in parts if not ssm.code_hidden(p)).replace("\n", "") == \
        cell.source.replace("\n", "")                                   # весь код показан, по частям
    assert sum(len(o.get("text", "")) for p in parts for o in p.outputs) == len(cell.outputs[0].text)
    figure = [p for p in parts if ssm.has_figure(p)]
    assert len(figure) == 1 and ssm.code_hidden(figure[0])
    for screen in shown:
        assert sum(ssm.estimate_height(c) for c in screen) <= ssm.SLIDE_BUDGET
    assert all(p.metadata.get(ssm.SUBHEADING_KEY) == "Код" for p in parts[1:])


def test_code_is_split_between_statements_not_inside_them():
    source = 'def f(x):\n    """Строка\n\n    документации."""\n    y = g(x,\n          1)\n    return y'
    units = ssm.code_statements(source.splitlines())
    assert ["\n".join(u) for u in units] == ["def f(x):", '    """Строка\n\n    документации."""',
                                              "    y = g(x,\n          1)", "    return y"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_site_slides_fit_and_carry_a_heading(path):
    """На слайдах сайта каждый экран (кроме одного неделимого блока) помещается по оценке, у каждого экрана
    есть заголовок — свой или заголовок раздела."""
    nb = nbformat.read(path, as_version=4)
    view, shown = view_screens(nb)
    widgets = ssm.widget_state(view)
    for screen in shown:
        assert ssm.heading_level(screen[0]) or screen[0].metadata.get(ssm.SUBHEADING_KEY) or screen is shown[0], \
            f"{path.name}: экран без заголовка: {screen[0].source[:60]!r}"
        if len(screen) > 1:
            assert sum(ssm.estimate_height(c, widgets) for c in screen) <= ssm.SLIDE_BUDGET, screen[0].source[:60]


def test_sections_without_notes():
    notes = new_markdown_cell("Спросить класс: что будет без σ′?")
    notes.metadata["tags"] = [ssm.TAG_NOTES]
    nb = notebook(new_markdown_cell("# Курс"), new_markdown_cell("## Есть заметка"), paragraph(), notes,
                  new_markdown_cell("## Нет заметки"), paragraph(), new_markdown_cell("### Подраздел"))
    assert ssm.sections_without_notes(nb) == ["Нет заметки"]


def test_heading_inside_a_cell_starts_a_new_topic_on_site_slides():
    nb = notebook(new_markdown_cell("# Курс"), new_markdown_cell("Конец темы 8.\n\n## 9. Новая тема\n\nТекст."))
    view = ssm.presentation(nb)
    assert [c.metadata.slideshow.slide_type for c in view.cells] == ["slide", "-", "slide"]
    assert view.cells[2].source.startswith("## 9.") and ssm.sections_without_notes(nb) == ["9. Новая тема"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_section_has_speaker_notes(path):
    """В каждом разделе `##` есть заметка докладчика (ячейка markdown с тегами instructor и slides-notes): что
    сказать, что спросить у класса, где ручка. На слайдах она видна только в окне докладчика (клавиша S)."""
    missing = ssm.sections_without_notes(nbformat.read(path, as_version=4))
    assert not missing, (f"{path.name}: нет заметки докладчика (тег {ssm.TAG_NOTES}) в разделах: "
                         + "; ".join(f"«{m}»" for m in missing))
