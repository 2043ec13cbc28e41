"""Сколько длится «Run all» каждого ноутбука: выполнение в новом ядре, как в JupyterLab (файлы не меняются).

    .venv/bin/python benchmarks/notebooks.py                  # все notebooks/*.ipynb
    .venv/bin/python benchmarks/notebooks.py notebooks/01_*.ipynb --repeat 3

Печатает время каждого запуска и наименьшее: на загруженной машине меньшее честнее (его меньше всего
исказили чужие процессы). Цели курса: 01–06 — меньше 15 с, 07 — меньше 20 с.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET = {"07": 20.0}          # по умолчанию 15 с


def run_all(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")       # как у тестов и tools.execute_notebooks
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    slow = 0
    for path in paths:
        times = [run_all(path) for _ in range(args.repeat)]
        target = TARGET.get(path.name[:2], 15.0)
        verdict = "в норме" if min(times) < target else "ДОЛЬШЕ ЦЕЛИ"
        slow += min(times) >= target
        print(f"{path.name:40} " + " ".join(f"{t:5.1f}" for t in times) + f"  наименьшее {min(times):5.1f} с "
              f"(цель < {target:g} с): {verdict}", flush=True)
    print(f"загрузка машины (1/5/15 мин): {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
