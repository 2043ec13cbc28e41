"""Ползунки для занятия: при каждом изменении сеть обучается заново, граница решения перерисовывается.

    knob = show_boundary_knob("moons")      # в ноутбуке: ползунки и рисунок под ними

Рисунок выводится обычным выходом ячейки (PNG) с display_id, а ползунки только обновляют его.
Поэтому без виджетов — в сохранённом ноутбуке, на статическом сайте, под nbval — виден рисунок для
настроек по умолчанию, а не ошибка. Текст виджета (text/plain) постоянный: KNOB_TEXT.
"""
import functools
import time

import numpy as np
from matplotlib.figure import Figure

from . import datasets as ds
from . import plots as bpl
from . import settings as cfg
from . import text

HIDDEN_SIZES = (1, 2, 3, 4, 8, 16, 32)
EPOCH_CHOICES = (10, 20, 30, 60, 100, 200, 300, 500, 1000)
NOISE_CHOICES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
BATCH_SIZE = 32
KNOB_TEXT = "Ползунки: данные, шум, нейроны, слои, η, эпохи (двигаются в Jupyter; ниже рисунок)"
NO_WIDGETS_TEXT = ("ipywidgets не установлен: ползунков нет, показан рисунок для настроек по умолчанию "
                   "(pip install ipywidgets)")


def train_and_draw(name="moons", hidden=8, layers=1, learning_rate=2.0, epochs=60, noise=None,
                   batch_size=BATCH_SIZE, seed=None):
    """Обучить сеть [2, hidden × layers, 1] на наборе name и нарисовать результат.

    noise=None — шум из cfg.TRAINING[name]; seed=None — зерно оттуда же. Слева граница решения
    (обучающие точки и тестовые треугольники, доли верных в заголовке), справа функция потерь E по эпохам.
    Возвращает (рисунок, сеть, история E). Рисунок не регистрируется в pyplot: его показывают display(fig).
    """
    for what, value in (("hidden", hidden), ("layers", layers)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{what}: ожидается целое положительное число, получено {value!r}")
    data = {} if noise is None else {"noise": noise}
    X_train, A_train, X_test, A_test = cfg.boundary_data(name, seed=seed, **data)
    net = cfg.boundary_network(name, hidden=[int(hidden)] * int(layers), seed=seed)
    history = net.fit(X_train, A_train, epochs, learning_rate, batch_size=batch_size, progress=False)

    fig = Figure(figsize=(13, 5.2), layout="constrained")
    ax_boundary, ax_loss = fig.subplots(1, 2, width_ratios=[1.1, 1])
    sizes = "-".join(str(n) for n in net.layer_sizes)
    bpl.plot_decision_boundary(net, X_train, A_train, ax=ax_boundary, X_test=X_test, labels_test=A_test,
                               resolution=150, title=f"{ds.TITLES[name]}, сеть {sizes}",
                               show_accuracy=True, max_points=400)
    bpl.plot_losses({f"η = {learning_rate:g}": history}, ax=ax_loss,
                    title=f"функция потерь E: {text.count(epochs, *text.EPOCHS)}, пакеты по {batch_size}")
    return fig, net, history


class BoundaryKnob:
    """Ползунки (набор данных, шум, скрытые нейроны, слои, скорость обучения η, эпохи) и рисунок.

    show() выводит ползунки и рисунок; каждое изменение ползунка заново обучает сеть (train_and_draw)
    и заменяет рисунок на месте. Смена набора данных ставит подобранные для него настройки
    (cfg.TRAINING[name]) и обучает сеть заново один раз.
    """

    def __init__(self, name="moons", seed=None):
        if name not in cfg.TRAINING:
            raise ValueError(f"name: неизвестный набор {name!r}, ожидается один из {list(cfg.TRAINING)}")
        self.seed = seed
        self.handle = None            # DisplayHandle рисунка, появляется в show()
        self.redraws = 0              # сколько раз обучали заново (для тестов и любопытных)
        self._holding = False
        self.settings = self._defaults(name)
        try:
            import ipywidgets
        except ImportError:
            self.widgets = None
            self.controls = None
            return
        self.widgets = ipywidgets
        style = {"description_width": "150px"}
        layout = ipywidgets.Layout(width="520px")
        s = self.settings
        self.dataset = ipywidgets.Dropdown(options=[(ds.TITLES[k], k) for k in cfg.TRAINING],
                                           value=name, description="данные", style=style, layout=layout)
        self.noise = ipywidgets.SelectionSlider(options=_with(NOISE_CHOICES, s["noise"]), value=s["noise"],
                                                description="шум", style=style, layout=layout,
                                                continuous_update=False)
        self.hidden = ipywidgets.SelectionSlider(options=_with(HIDDEN_SIZES, s["hidden"]), value=s["hidden"],
                                                 description="нейронов в слое", style=style, layout=layout,
                                                 continuous_update=False)
        self.layers = ipywidgets.ToggleButtons(options=[1, 2], value=s["layers"], description="скрытых слоёв",
                                               style=style)
        self.learning_rate = ipywidgets.FloatLogSlider(value=s["learning_rate"], base=10, min=-2, max=3,
                                                       step=0.1, description="скорость η", style=style,
                                                       layout=layout, continuous_update=False,
                                                       readout_format=".3g")
        self.epochs = ipywidgets.SelectionSlider(options=_with(EPOCH_CHOICES, s["epochs"]), value=s["epochs"],
                                                 description="эпох", style=style, layout=layout,
                                                 continuous_update=False)
        self.status = ipywidgets.Label(value="")
        for w in (self.noise, self.hidden, self.layers, self.learning_rate, self.epochs):
            w.observe(self._on_change, names="value")
        self.dataset.observe(self._on_dataset, names="value")
        self.controls = KnobBox([self.dataset, self.noise, self.hidden, self.layers, self.learning_rate,
                                 self.epochs, self.status])

    def _defaults(self, name):
        t = cfg.TRAINING[name]
        return {"name": name, "noise": t["data"]["noise"], "hidden": t["hidden"][0], "layers": len(t["hidden"]),
                "learning_rate": t["fit"]["learning_rate"], "epochs": t["fit"]["epochs"]}

    def figure(self):
        """Обучить сеть с текущими настройками и вернуть рисунок."""
        s = self.settings
        fig, _, _ = train_and_draw(s["name"], hidden=s["hidden"], layers=s["layers"],
                                   learning_rate=s["learning_rate"], epochs=s["epochs"], noise=s["noise"],
                                   seed=self.seed)
        return fig

    def show(self):
        """Вывести ползунки (если есть ipywidgets) и рисунок с настройками по умолчанию."""
        from IPython.display import display
        if self.controls is None:
            print(NO_WIDGETS_TEXT)
        else:
            display(self.controls)
        self.handle = display(self.figure(), display_id=True)
        return self

    def redraw(self):
        """Переобучить и заменить рисунок (тот же выход ячейки: display_id)."""
        self.redraws += 1
        if self.controls is not None:
            self.status.value = "обучаю…"
        start = time.perf_counter()
        fig = self.figure()
        if self.handle is not None:
            self.handle.update(fig)
        if self.controls is not None:
            self.status.value = f"готово за {time.perf_counter() - start:.1f} с"

    def _read_controls(self):
        self.settings = {"name": self.dataset.value, "noise": self.noise.value, "hidden": self.hidden.value,
                         "layers": self.layers.value, "learning_rate": float(self.learning_rate.value),
                         "epochs": self.epochs.value}

    def _on_change(self, change):
        if self._holding:
            return
        self._read_controls()
        self.redraw()

    def _on_dataset(self, change):
        s = self._defaults(change["new"])
        self._holding = True          # пять ползунков меняются разом — обучаем заново один раз, в конце
        try:
            self.noise.options = _with(NOISE_CHOICES, s["noise"])
            self.noise.value = s["noise"]
            self.hidden.value = s["hidden"]
            self.layers.value = s["layers"]
            self.learning_rate.value = s["learning_rate"]
            self.epochs.value = s["epochs"]
        finally:
            self._holding = False
        self._read_controls()
        self.redraw()


def show_boundary_knob(name="moons", seed=None):
    """Показать ползунки и рисунок (см. BoundaryKnob); возвращает объект BoundaryKnob."""
    return BoundaryKnob(name, seed=seed).show()


def _with(choices, value):
    """Варианты ползунка, в которых наверняка есть value."""
    return tuple(sorted(set(choices) | {value}))


@functools.lru_cache(maxsize=None)
def _knob_box_class():
    import ipywidgets

    class _KnobBox(ipywidgets.VBox):
        """VBox с постоянным текстовым видом: его сохраняет ноутбук и сравнивает nbval."""

        def __repr__(self):
            return KNOB_TEXT

    return _KnobBox


def KnobBox(children):
    """Столбец ползунков; text/plain у него — KNOB_TEXT (короче 110 знаков, иначе ipywidgets обрежет)."""
    return _knob_box_class()(children)
