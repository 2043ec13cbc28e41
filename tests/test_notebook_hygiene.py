"""Каждый сохранённый ноутбук — в порядке: его можно открыть, прочитать без запуска и сравнить под nbval.

- размер не больше MAX_KB;
- выполнен сверху вниз одним запуском: номера выполнения 1, 2, 3, … без пропусков и повторов;
- нет потоков с \\r (сотни строк полосы прогресса), нет ошибок, кроме помеченных;
- нет HTML от подсветчика кода (он зависит от версии Pygments) и адресов памяти в тексте;
- kernelspec — как пишет JupyterLab (иначе файл помечается изменённым при открытии);
- состояние виджетов без случайных номеров (tools/execute_notebooks.py нумерует модели по порядку).
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_KB = 1024
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text(value):
    return "".join(value) if isinstance(value, list) else value


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, load(request.param)


def test_size(notebook):
    path, _ = notebook
    assert path.stat().st_size <= MAX_KB * 1024, f"{path.name}: {path.stat().st_size / 1024:.0f} КБ > {MAX_KB} КБ"


def test_executed_top_to_bottom_in_one_run(notebook):
    path, nb = notebook
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), \
        f"{path.name}: номера выполнения {counts}; выполните заново: python -m tools.execute_notebooks {path.name}"


def test_varying_outputs_are_not_stored(notebook):
    """Выход ячейки с # NBVAL_IGNORE_OUTPUT меняется от запуска к запуску: он не хранится, файл не меняется."""
    path, nb = notebook
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and "NBVAL_IGNORE_OUTPUT" in text(cell["source"]):
            assert not cell["outputs"], f"{path.name}, ячейка {k}: выход с пометкой NBVAL_IGNORE_OUTPUT сохранён"


def test_no_carriage_return_streams_no_errors(notebook):
    path, nb = notebook
    for k, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                assert "\r" not in text(out["text"]), f"{path.name}, ячейка {k}: поток с \\r (полоса прогресса)"
            if out["output_type"] == "error":
                tags = cell["metadata"].get("tags", [])
                assert "raises-exception" in tags, f"{path.name}, ячейка {k}: сохранена ошибка {out['ename']}"


def test_no_highlighter_html_and_no_memory_addresses(notebook):
    path, nb = notebook
    for k, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = text(data.get("text/html", ""))
            assert "class=\"highlight\"" not in html and "<style>pre" not in html, \
                f"{path.name}, ячейка {k}: HTML подсветчика (показывайте код через style.show_source)"
            plain = text(data.get("text/plain", ""))
            assert not re.search(r" at 0x[0-9a-f]+", plain), f"{path.name}, ячейка {k}: адрес памяти: {plain[:80]}"


def test_kernelspec_as_jupyterlab_writes_it(notebook):
    path, nb = notebook
    assert nb["metadata"]["kernelspec"] == KERNELSPEC, path.name


def test_figures_record_the_versions_that_drew_them(notebook):
    """Рисунки сравниваются под nbval, только если рисуют те же версии; записаны ли они — и те ли, что в lock."""
    from backprop_course import style
    path, nb = notebook
    made_with = nb["metadata"].get("backprop_course", {}).get("figures_made_with")
    assert made_with is not None, f"{path.name}: выполните python -m tools.execute_notebooks {path.name}"
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for package in ("matplotlib", "pillow"):
        assert f"{package}=={made_with[package]}" in lock, \
            f"{path.name}: рисунки сделаны с {package} {made_with[package]}, которого нет в requirements.lock"
    if made_with != style.renderer_versions():
        pytest.skip(f"здесь другие версии, чем при сохранении рисунков: {style.renderer_versions()}")


def test_widget_state_has_ordinal_ids(notebook):
    path, nb = notebook
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state:
        assert re.fullmatch(r"0{16,}[0-9a-f]{1,16}", model), f"{path.name}: случайный номер модели {model}"
    views = [out["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for cell in nb["cells"] for out in cell.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert set(views) <= set(state), f"{path.name}: выход ссылается на модель, которой нет в состоянии"
    text_state = json.dumps(state)
    assert not re.search(r"\d+(\.\d+)?\s*(it|эп)/s", text_state), f"{path.name}: скорость tqdm в состоянии виджетов"


def test_renumbering_is_stable():
    """Нумерация моделей не зависит от случайных номеров: два разных набора номеров дают один файл."""
    import nbformat

    from tools.execute_notebooks import renumber_widgets

    def make(ids):
        nb = nbformat.v4.new_notebook()
        view = {"model_id": ids[0], "version_major": 2, "version_minor": 0}
        nb.cells = [nbformat.v4.new_code_cell(id="cell", outputs=[nbformat.v4.new_output(
            "display_data", data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "bar"})])]
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
            ids[0]: {"state": {"layout": f"IPY_MODEL_{ids[1]}"}},
            ids[1]: {"state": {}},
            ids[2]: {"state": {"orphan": True}}}, "version_major": 2, "version_minor": 0}}
        renumber_widgets(nb)
        return nbformat.writes(nb)

    first, second = make(["aa11", "bb22", "cc33"]), make(["ff99", "ee88", "dd77"])
    assert first == second and "orphan" not in first and f"IPY_MODEL_{2:032x}" in first
