"""Стиль курса: крупные шрифты и цвета рисунков, компактные PNG в ноутбуке, показ исходного кода модуля.

    style.use_course_style()       # первая ячейка каждого ноутбука
    style.show_source(bp.Network.backward)
"""
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import cycler

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
    # Кривые различаются и цветом, и штрихом: палитра Окабе — Ито различима при дальтонизме, а штрих
    # виден и в чёрно-белой печати. C0…C3 в ноутбуках — эти же цвета. Четвёртый — чёрный, а не киноварь
    # Окабе — Ито: при дейтеранопии киноварь почти сливается с оранжевым (tests/test_colour_blind.py).
    "axes.prop_cycle": cycler(color=["#0072B2", "#E69F00", "#009E73", "#000000"],
                              linestyle=["-", "--", "-.", ":"]),
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


PNG_SCALE = 2       # рисунок хранится в 2 раза крупнее, чем показывается: чёткий на проекторе и на слайде
PNG_COLORS = 64      # палитра PNG: рисунки курса — немного плоских цветов; 64 хватает без ступенек


def compact_png(fig, colors=PNG_COLORS, scale=PNG_SCALE):
    """PNG рисунка: scale × dpi рисунка точек и палитра из colors цветов (bbox_inches="tight", как у Jupyter).

    Возвращает (байты PNG, {"width": …, "height": …}) — размер показа в точках экрана: картинка в scale раз
    чётче, чем показывается, а палитра уменьшает файл в 3–4 раза по сравнению с полноцветным PNG.
    """
    import io
    from PIL import Image
    if isinstance(colors, (bool, np.bool_)) or not isinstance(colors, (int, np.integer)) or not 2 <= colors <= 256:
        raise ValueError(f"colors: ожидается целое число от 2 до 256, получено {colors!r}")
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, np.integer)) or not 1 <= scale <= 4:
        raise ValueError(f"scale: ожидается целое число от 1 до 4, получено {scale!r}")
    raw = io.BytesIO()
    fig.canvas.print_figure(raw, format="png", dpi=fig.dpi * scale, bbox_inches="tight",
                            facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    raw.seek(0)
    image = Image.open(raw).convert("RGB")
    size = {"width": image.width // scale, "height": image.height // scale}
    image = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    # белый фон: ближайший к белому цвет палитры становится чисто белым (иначе палитра даёт фону оттенок)
    palette = np.array(image.getpalette()[:3 * colors]).reshape(-1, 3)
    palette[np.argmin(((255 - palette) ** 2).sum(axis=1))] = 255
    image.putpalette(palette.astype(np.uint8).ravel().tolist())
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue(), size


def renderer_versions():
    """Версии того, что рисует PNG (matplotlib, FreeType, Pillow): при других версиях те же рисунки
    выходят чуть иначе (сглаживание краёв, шрифт), поэтому сохранённые рисунки сравнивают только с теми же."""
    import matplotlib
    import PIL
    from matplotlib import ft2font
    return {"matplotlib": matplotlib.__version__, "freetype": ft2font.__freetype_version__, "pillow": PIL.__version__}


def use_compact_png(colors=PNG_COLORS, scale=PNG_SCALE):
    """В Jupyter показывать рисунки matplotlib как чёткий PNG с палитрой (compact_png). Вне IPython ничего не делает.

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
    compact_png(Figure(figsize=(1, 1)), colors, scale)   # проверить аргументы сразу, а не при первом рисунке
    plt.close(plt.figure())   # загрузить инлайн-бэкенд сейчас: при загрузке он ставит свой формат PNG
    shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: compact_png(fig, colors, scale))
    return True
