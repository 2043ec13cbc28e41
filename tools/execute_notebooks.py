"""Выполнить ноутбуки сверху вниз в новом ядре и сохранить выходы (так, как их потом сравнит nbval).

    python -m tools.execute_notebooks notebooks/01_*.ipynb   # без аргументов — все notebooks/*.ipynb

Потоки \\r (полоса прогресса в терминальном виде) склеиваются в одну строку, время ячеек не пишется;
OPENBLAS_NUM_THREADS=1 и без MPLBACKEND — те же условия, что у тестов (conftest.py в корне).
У ячеек с пометкой # NBVAL_IGNORE_OUTPUT (их выход меняется от запуска к запуску, например время) выход
не сохраняется. В метаданных ноутбука записаны версии matplotlib, FreeType и Pillow, которыми нарисованы рисунки.
Состояние виджетов (его читает сайт, tools/build_site.py) сохраняется без случайных номеров моделей:
номера заменяются на порядковые, модели, на которые не ссылается ни один выход, отбрасываются. Поэтому
повторное выполнение неизменённого ноутбука оставляет файл байт в байт прежним. Числа записаны так, как их
записал бы JupyterLab (as_javascript_writes): открыть ноутбук и показать его слайдами — не значит изменить файл.
"""
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from backprop_course import style

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(path):
    """Выполнить ноутбук path и записать его на место; возвращает время выполнения в секундах."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, coalesce_streams=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in cell.source:
            cell.outputs = []         # выход меняется от запуска к запуску (время): не храним, чтобы файл не менялся
    renumber_widgets(nb)
    as_javascript_writes(nb)
    # с какими версиями нарисованы рисунки: тесты сравнивают PNG только при тех же (conftest.py)
    nb.metadata["backprop_course"] = {"figures_made_with": style.renderer_versions()}
    nbformat.write(nb, path)
    return seconds


def renumber_widgets(nb):
    """Заменить случайные номера моделей виджетов порядковыми (в порядке появления в выходах) и убрать
    из состояния модели, недостижимые из выходов. Меняет nb на месте."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [out["data"][WIDGET_VIEW] for cell in nb.cells for out in cell.get("outputs", [])
             if WIDGET_VIEW in out.get("data", {})]
    order, queue = [], [v["model_id"] for v in views]
    while queue:                                  # обход в ширину по ссылкам "IPY_MODEL_<номер>"
        model = queue.pop(0)
        if model in order or model not in state:
            continue
        order.append(model)
        queue += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state[model], sort_keys=True))
    new_id = {old: f"{k + 1:032x}" for k, old in enumerate(order)}
    for view in views:
        view["model_id"] = new_id.get(view["model_id"], view["model_id"])
    if not state:
        return
    text = json.dumps({new_id[m]: state[m] for m in order})
    text = re.sub(r"IPY_MODEL_([0-9a-f]+)", lambda m: "IPY_MODEL_" + new_id.get(m.group(1), m.group(1)), text)
    nb.metadata["widgets"][WIDGET_STATE]["state"] = json.loads(text)


def as_javascript_writes(node):
    """Целые числа с плавающей точкой (2.0) — целыми (2), как их пишет JavaScript. JupyterLab сохраняет ноутбук
    из браузера (Alt+R сохраняет его перед показом слайдов), и иначе состояние виджетов менялось бы при каждом
    сохранении: "max": 3.0 -> "max": 3. Меняет node на месте; возвращает node."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
            node[key] = int(value)
        else:
            as_javascript_writes(value)
    return node


if __name__ == "__main__":
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ.pop("MPLBACKEND", None)
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        seconds = execute(p.resolve())
        print(f"{p}: {seconds:.1f} s, {p.stat().st_size / 1024:.0f} KB")
