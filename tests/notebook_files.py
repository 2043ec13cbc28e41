"""Чтение сохранённых ноутбуков для тестов, которые сверяют текст ноутбука с модулем."""
import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def load_cells(name):
    """Ячейки notebooks/<name> как словари nbformat (с сохранёнными выходами)."""
    with open(NOTEBOOKS / name, encoding="utf-8") as f:
        return json.load(f)["cells"]


def cell_source(cell):
    """Текст ячейки одной строкой (nbformat хранит его строкой или списком строк)."""
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def planted(cells, old, new):
    """Копия ячеек, где в одной markdown-ячейке текст old заменён на new: проверка, что тест текста не слеп."""
    import copy
    planted_cells = copy.deepcopy(cells)
    hits = [c for c in planted_cells if c["cell_type"] == "markdown" and old in cell_source(c)]
    assert len(hits) == 1, f"{old!r} должно встречаться в тексте ровно в одной ячейке, найдено {len(hits)}"
    hits[0]["source"] = cell_source(hits[0]).replace(old, new, 1)
    return planted_cells
