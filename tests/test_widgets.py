"""Ползунки backprop_widgets: рисунок есть и без виджетов, ползунки заново обучают сеть и обновляют его на месте,
текст виджета для nbval постоянный."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from backprop_course import datasets as ds, settings as cfg  # noqa: E402
from backprop_course import widgets as bw  # noqa: E402

pytest.importorskip("ipywidgets")


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, obj):
        self.updates.append(obj)


@pytest.fixture
def shown(monkeypatch):
    """Подменить IPython.display.display: записывать, что и как показано."""
    calls = []

    def display(obj, display_id=None):
        calls.append((obj, display_id))
        return FakeHandle() if display_id else None

    monkeypatch.setattr("IPython.display.display", display)
    return calls


def test_train_and_draw_uses_the_settings():
    before = plt.get_fignums()
    fig, net, history = bw.train_and_draw("moons", hidden=3, layers=2, learning_rate=1.0, epochs=5)
    assert isinstance(fig, Figure) and plt.get_fignums() == before       # pyplot рисунок не держит
    assert net.layer_sizes == [2, 3, 3, 1] and history.shape == (5,)
    boundary, loss, bar = fig.axes
    assert bar.get_label() == "<colorbar>" and bar.get_ylabel() == "выход сети $Y$"      # шкала заливки
    X_tr, A_tr, X_te, A_te = cfg.boundary_data("moons")
    assert boundary.get_title() == (f"две луны, сеть 2-3-3-1\nобучение {ds.accuracy(net, X_tr, A_tr):.1%}, "
                                    f"тест {ds.accuracy(net, X_te, A_te):.1%}")
    assert loss.get_title() == "функция потерь E: 5 эпох, пакеты по 32"
    with pytest.raises(ValueError, match="hidden: ожидается целое положительное"):
        bw.train_and_draw("moons", hidden=0)
    with pytest.raises(ValueError, match="неизвестный набор"):
        bw.train_and_draw("squares")


def test_noise_changes_the_data():
    _, clean, _ = bw.train_and_draw("circles", epochs=1, noise=0.0)
    _, noisy, _ = bw.train_and_draw("circles", epochs=1, noise=0.3)
    assert clean.layer_sizes == noisy.layer_sizes
    assert not (clean.weights[0] == noisy.weights[0]).all()              # данные другие — шаг другой


def test_widget_text_is_fixed_and_short():
    knob = bw.BoundaryKnob("moons")
    bundle = knob.controls._repr_mimebundle_()
    assert bundle["text/plain"] == bw.KNOB_TEXT and len(bw.KNOB_TEXT) < 110   # длиннее ipywidgets обрежет
    assert "application/vnd.jupyter.widget-view+json" in bundle              # во фронтенде — живые ползунки
    assert knob.hidden.value == 8 and knob.epochs.value == 60 and knob.learning_rate.value == 2.0


def test_show_draws_the_default_figure_below_the_sliders(shown):
    knob = bw.show_boundary_knob("moons")
    (controls, no_id), (fig, display_id) = shown
    assert controls is knob.controls and no_id is None
    assert isinstance(fig, Figure) and display_id is True
    expected, _, _ = bw.train_and_draw("moons")                               # настройки cfg.TRAINING
    assert fig.axes[0].get_title() == expected.axes[0].get_title()


def test_slider_retrains_and_replaces_the_figure(shown):
    knob = bw.show_boundary_knob("moons")
    knob.hidden.value = 2
    assert knob.redraws == 1 and knob.settings["hidden"] == 2
    (fig,) = knob.handle.updates
    assert "сеть 2-2-1" in fig.axes[0].get_title()
    assert knob.status.value.startswith("готово за")
    knob.learning_rate.value = 0.5
    assert knob.redraws == 2 and fig.axes[1].get_legend().get_texts()[0].get_text() == "η = 2"
    assert knob.handle.updates[-1].axes[1].get_legend().get_texts()[0].get_text() == "η = 0.5"


def test_changing_the_dataset_sets_its_settings_and_retrains_once(shown):
    knob = bw.show_boundary_knob("moons")
    knob.dataset.value = "spirals"
    assert knob.redraws == 1
    t = cfg.TRAINING["spirals"]
    assert knob.settings == {"name": "spirals", "noise": t["data"]["noise"], "hidden": t["hidden"][0],
                             "layers": len(t["hidden"]), "learning_rate": t["fit"]["learning_rate"],
                             "epochs": t["fit"]["epochs"]}
    assert "сеть 2-8-8-1" in knob.handle.updates[-1].axes[0].get_title()


def test_without_ipywidgets_the_figure_is_still_shown(shown, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)                      # import ipywidgets → ImportError
    knob = bw.show_boundary_knob("circles")
    assert knob.controls is None
    assert capsys.readouterr().out.strip() == bw.NO_WIDGETS_TEXT
    ((fig, display_id),) = shown
    assert isinstance(fig, Figure) and display_id is True


def test_unknown_dataset():
    with pytest.raises(ValueError, match="неизвестный набор 'xor'"):
        bw.BoundaryKnob("xor")
