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
