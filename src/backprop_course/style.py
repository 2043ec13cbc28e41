"""Стиль курса: крупные шрифты и цвета рисунков, компактные PNG в ноутбуке, показ исходного кода модуля.

    style.use_course_style()       # первая ячейка каждого ноутбука
    style.show_source(bp.Network.backward)
"""
import textwrap

import matplotlib.pyplot as plt
import numpy as np

COURSE_STYLE = {
    "figure.figsize": (8, 5),
    "figure.dpi": 72,            # PNG в ноутбуке остаётся маленьким
    "savefig.dpi": 72,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "legend.fontsize": 12,
    "lines.linewidth": 2.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
CLASS_COLORS = ("#1f77b4", "#d62728")   # класс 0 — синий, класс 1 — красный
BOUNDARY_CMAP = "RdBu_r"

TEST_MARKER = "^"                       # тестовые точки — треугольники
NEURON_CMAP = "PuOr_r"                  # выходы скрытых нейронов


def use_course_style():
    """Включить стиль курса (крупные шрифты, сетка, умеренный dpi) для всех следующих рисунков.

    В Jupyter рисунки сохраняются как PNG с палитрой (use_compact_png): ноутбук в 3-4 раза меньше.
    """
    plt.rcParams.update(COURSE_STYLE)
    use_compact_png()


class SourceCode:
    """Исходный код как выход ячейки: в Jupyter и на сайте — блок кода Markdown с подсветкой, в тексте — сам код.

    В ноутбуке хранится только текст: подсветку делает тот, кто показывает (JupyterLab, nbconvert), так
    что сохранённый выход не зависит от версии подсветчика.
    """

    def __init__(self, code):
        self.code = code

    def __repr__(self):
        return self.code.rstrip("\n")

    def _repr_markdown_(self):
        return f"```python\n{self.code.rstrip()}\n```"


def show_source(obj):
    """Исходный код функции или метода модуля: в ноутбуке тот же код, что работает."""
    import inspect
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isclass(obj) or inspect.ismodule(obj)):
        raise TypeError(f"obj: ожидается функция, метод, класс или модуль, получено {type(obj).__name__}")
    return SourceCode(textwrap.dedent(inspect.getsource(obj)))


def compact_png(fig, colors=32):
    """PNG рисунка с палитрой из colors цветов (как у инлайн-бэкенда: bbox_inches="tight", dpi рисунка).

    Графики курса состоят из немногих цветов, а палитра уменьшает файл в 3–4 раза: сохранённые
    ноутбуки остаются маленькими. Возвращает байты PNG.
    """
    import io
    from PIL import Image
    if isinstance(colors, (bool, np.bool_)) or not isinstance(colors, (int, np.integer)) or not 2 <= colors <= 256:
        raise ValueError(f"colors: ожидается целое число от 2 до 256, получено {colors!r}")
    raw = io.BytesIO()
    fig.canvas.print_figure(raw, format="png", dpi=fig.dpi, bbox_inches="tight",
                            facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    raw.seek(0)
    image = Image.open(raw).convert("RGB").quantize(colors=colors, method=Image.Quantize.FASTOCTREE,
                                                    dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue()


def use_compact_png(colors=32):
    """В Jupyter показывать рисунки matplotlib как PNG с палитрой (compact_png). Вне IPython ничего не делает.

    Вызывайте после use_course_style(); %config InlineBackend.figure_formats = ... отменит это.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure
    compact_png(Figure(figsize=(1, 1)), colors)          # проверить colors сразу, а не при первом рисунке
    plt.close(plt.figure())   # загрузить инлайн-бэкенд сейчас: при загрузке он ставит свой формат PNG
    shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: compact_png(fig, colors))
    return True
