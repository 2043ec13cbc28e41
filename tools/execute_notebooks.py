"""Выполнить ноутбуки сверху вниз в новом ядре и сохранить выходы (так, как их потом сравнит nbval).

    python tools/execute_notebooks.py notebooks/01_*.ipynb   # без аргументов — все notebooks/*.ipynb

Потоки \\r (полоса прогресса в терминальном виде) склеиваются в одну строку, время ячеек не пишется;
OPENBLAS_NUM_THREADS=1 и без MPLBACKEND — те же условия, что у тестов (tests/conftest.py).
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, kernel_name="python3", timeout=600, coalesce_streams=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ.pop("MPLBACKEND", None)
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        seconds = execute(p.resolve())
        print(f"{p}: {seconds:.1f} s, {p.stat().st_size / 1024:.0f} KB")
