"""Одинаковые условия для тестов и для ноутбуков под nbval (ядра наследуют это окружение) и сравнение
рисунков под nbval. Файл в корне: он действует и на tests/, и на notebooks/, даже если запустить
один ноутбук (pytest notebooks/03_decision_boundaries.ipynb)."""
import os

import warnings

import nbval.plugin

from backprop_course.style import renderer_versions
from tests.figures import same_figure

# Число потоков BLAS меняет последние знаки матричных произведений: сохранённые выходы ноутбуков
# получены с одним потоком (tools/execute_notebooks.py), так и проверяем.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
# С MPLBACKEND=Agg ядро не выводит рисунки, и nbval сообщил бы о пропавших выходах.
os.environ.pop("MPLBACKEND", None)

_compare_outputs = nbval.plugin.IPyNbCell.compare_outputs
_warned = set()


def _compare_outputs_and_figures(self, test, ref, skip_compare=None):
    """То, что сравнивает nbval, и вдобавок рисунки (tests/figures.py): по порядку, с малым допуском —
    если версии, которыми рисуют, те же, что при сохранении (метаданные ноутбука, tools/execute_notebooks.py)."""
    if not _compare_outputs(self, test, ref, skip_compare):
        return False
    made_with = self.parent.nb.metadata.get("backprop_course", {}).get("figures_made_with")
    if made_with != renderer_versions():
        # Другие версии рисуют те же рисунки чуть иначе: сравнивать пиксели бессмысленно. Рисунки
        # проверяют тогда только тесты tests/test_plots.py (что нарисовано, а не как).
        if self.parent.fspath.basename not in _warned:
            _warned.add(self.parent.fspath.basename)
            warnings.warn(f"{self.parent.fspath.basename}: рисунки не сравниваются — сохранены с {made_with}, "
                          f"сейчас {renderer_versions()}")
        return True
    pngs = [[out["data"]["image/png"] for out in outputs if "image/png" in out.get("data", {})]
            for outputs in (ref, test)]
    if len(pngs[0]) != len(pngs[1]):
        self.comparison_traceback.append(f"рисунков было {len(pngs[0])}, стало {len(pngs[1])}")
        return False
    for k, (stored, fresh) in enumerate(zip(*pngs)):
        same, why = same_figure(stored, fresh)
        if not same:
            self.comparison_traceback.append(f"рисунок {k + 1} ячейки не совпал с сохранённым: {why}")
            return False
    return True


nbval.plugin.IPyNbCell.compare_outputs = _compare_outputs_and_figures
