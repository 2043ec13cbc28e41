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


def test_figure_fits_as_fragment_else_own_screen_with_its_lead_in():
    small = notebook(new_markdown_cell("## Граница"), figure_cell("plt.show()"))
    assert ssm.slide_types(small) == ["slide", "fragment"]
    full = notebook(new_markdown_cell("## Тема"), paragraph(4), paragraph(4),
                    new_markdown_cell("Нарисуем кривую ошибки:"), figure_cell())
    # рисунок не помещается под текстом: новый экран, подводка уходит вместе с ним
    assert ssm.slide_types(full) == ["slide", "-", "-", "subslide", "fragment"]
    no_lead = notebook(new_markdown_cell("## Тема"), paragraph(4), paragraph(4), paragraph(4), figure_cell())
    assert ssm.slide_types(no_lead)[-2:] == ["-", "subslide"]


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
    assert [c.metadata.slideshow.slide_type for c in nb.cells] == ["slide", "-", "slide", "fragment"]
    assert nb.metadata.rise == ssm.RISE_SETTINGS
    assert ssm.apply(nb) is False and ssm.mismatches(nb) == []
    for old, new in zip(before.cells, nb.cells):
        assert old.source == new.source and old.get("outputs") == new.get("outputs")
        assert {k: v for k, v in new.metadata.items() if k != "slideshow"} == old.metadata


def test_cli_check_reports_stale_notebook(tmp_path, capsys):
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(notebook(new_markdown_cell("# Курс"), new_markdown_cell("## Тема")), path)
    assert ssm.main(["--check", str(path)]) == 1
    assert "python -m tools.set_slide_metadata" in capsys.readouterr().out
    assert ssm.main([str(path)]) == 0
    assert ssm.main(["--check", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert ssm.main([str(path)]) == 0 and path.read_text(encoding="utf-8") == text   # файл не переписан
