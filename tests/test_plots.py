"""Рисунки backprop_course.plots: что нарисовано (число точек, линий, панелей, заголовки) и понятные ошибки."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import backprop as bp  # noqa: E402
from backprop_course import datasets as ds, settings as cfg  # noqa: E402
from backprop_course import plots as bpl, style  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def moons():
    X, A = ds.moons(60, noise=0.1, seed=0)
    X_tr, A_tr, X_te, A_te = ds.split(X, A, test_fraction=1 / 3, seed=0)
    net = cfg.boundary_network("moons", hidden=[2], seed=2)
    net.fit(X_tr, A_tr, epochs=300, learning_rate=2.0, batch_size=8, progress=False)
    return net, X_tr, A_tr, X_te, A_te


def scatter_sizes(ax):
    """Число точек в каждом scatter осей, по порядку рисования."""
    return [len(c.get_offsets()) for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection)]


def test_plot_decision_boundary_old_call_still_works():
    X, A = ds.xor()
    net = bp.Network([2, 3, 1], seed=0)
    ax = bpl.plot_decision_boundary(net, X, A)
    assert scatter_sizes(ax) == [2, 2]


def test_plot_decision_boundary_marks_test_points_and_accuracy(moons):
    net, X_tr, A_tr, X_te, A_te = moons
    ax = bpl.plot_decision_boundary(net, X_tr, A_tr, X_test=X_te, labels_test=A_te, title="луны",
                                    show_accuracy=True, legend=True)
    assert sum(scatter_sizes(ax)) == 60
    markers = [c.get_paths()[0].vertices.shape for c in ax.collections
               if isinstance(c, matplotlib.collections.PathCollection)]
    assert markers[0] != markers[2]                         # тестовые точки — другой маркер
    title = ax.get_title()
    assert title.startswith("луны\n")
    assert f"обучение {ds.accuracy(net, X_tr, A_tr):.1%}" in title
    assert f"тест {ds.accuracy(net, X_te, A_te):.1%}" in title
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "класс 0", "класс 1", "класс 0, тест", "класс 1, тест"]


def test_max_points_limits_drawing_not_accuracy(moons):
    net, X_tr, A_tr, X_te, A_te = moons
    ax = bpl.plot_decision_boundary(net, X_tr, A_tr, X_test=X_te, labels_test=A_te, show_accuracy=True,
                                    max_points=5)
    assert sum(scatter_sizes(ax)) == 10
    assert f"обучение {ds.accuracy(net, X_tr, A_tr):.1%}" in ax.get_title()


def boundary_lines(ax):
    return [c for c in ax.collections if isinstance(c, matplotlib.contour.QuadContourSet) and not c.filled]


def test_boundary_line_only_when_it_exists():
    X, A = ds.xor()
    constant = bp.Network.from_weights([[[0.0, 0.0]]], [[[3.0]]])   # Y = σ(3) везде: границы нет
    assert boundary_lines(bpl.plot_decision_boundary(constant, X, A)) == []
    tilted = bp.Network.from_weights([[[1.0, 0.0]]], [[[-0.5]]])    # граница — прямая I_1 = 0.5
    (line,) = boundary_lines(bpl.plot_decision_boundary(tilted, X, A))
    np.testing.assert_allclose(line.get_paths()[0].vertices[:, 0], 0.5, atol=0.01)


@pytest.mark.parametrize("X, labels, message", [
    (np.zeros((3, 4)), np.zeros(4), r"X: ожидается форма \(2, n_samples\)"),
    (np.zeros((2, 4)), np.zeros(3), "labels: ожидается 4 меток"),
    (np.zeros((2, 2)), np.array([0, 2]), "labels: ожидаются метки 0 и 1"),
])
def test_points_bad_arguments(X, labels, message):
    with pytest.raises(ValueError, match=message):
        bpl.plot_points(X, labels)


def test_points_test_labels_required_and_max_points_checked():
    X, A = ds.xor()
    with pytest.raises(ValueError, match="labels_test: нужны метки"):
        bpl.plot_points(X, A, X_test=X)
    with pytest.raises(ValueError, match="max_points: ожидается целое положительное"):
        bpl.plot_points(X, A, max_points=0)


def test_plot_hidden_neurons(moons):
    net, X_tr, A_tr, _, _ = moons
    axes = bpl.plot_hidden_neurons(net, X_tr, A_tr)
    assert len(axes) == 2
    assert [ax.get_title() for ax in axes] == ["$X_{1}$ = tanh$(SX_{1})$", "$X_{2}$ = tanh$(SX_{2})$"]
    with pytest.raises(ValueError, match="layer: ожидается номер слоя от 1 до 2"):
        bpl.plot_hidden_neurons(net, X_tr, A_tr, layer=3)
    _, three = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="axes: ожидается 2 осей"):
        bpl.plot_hidden_neurons(net, X_tr, A_tr, axes=three)


def test_plot_hidden_space_2d_shows_hidden_outputs(moons):
    net, X_tr, A_tr, _, _ = moons
    ax = bpl.plot_hidden_space(net, X_tr, A_tr, title="скрытое")
    H = net.forward(X_tr)[1]
    drawn = np.vstack([c.get_offsets() for c in ax.collections
                       if isinstance(c, matplotlib.collections.PathCollection)])
    np.testing.assert_allclose(np.sort(drawn[:, 0]), np.sort(H[0]))
    assert ax.get_title() == "скрытое" and ax.get_xlabel() == "$X_1$"


def test_plot_hidden_space_3d_and_bad_nets():
    X, A = ds.circles(60, seed=0)
    net3 = cfg.boundary_network("circles", hidden=[3], seed=0)
    ax = bpl.plot_hidden_space(net3, X, A)
    assert ax.name == "3d"
    with pytest.raises(ValueError, match="трёхмерные оси"):
        bpl.plot_hidden_space(net3, X, A, ax=plt.figure().add_subplot())
    with pytest.raises(ValueError, match=r"ожидается сеть \[n, 2, 1\] или \[n, 3, 1\]"):
        bpl.plot_hidden_space(cfg.boundary_network("circles", hidden=[8]), X, A)


def test_plot_neuron_lines_pass_where_the_neuron_switches(moons):
    net, X_tr, A_tr, _, _ = moons
    ax = bpl.plot_decision_boundary(net, X_tr, A_tr)
    before = len(ax.lines)
    bpl.plot_neuron_lines(net, ax)
    lines = ax.lines[before:]
    assert len(lines) == 2
    for line, v, b in zip(lines, net.weights[0], net.biases[0][:, 0]):
        xs, ys = line.get_data()
        np.testing.assert_allclose(v[0] * xs + v[1] * ys + b, 0.0, atol=1e-9)   # SX_j = 0 на прямой
    with pytest.raises(ValueError, match="только у слоя 1"):
        bpl.plot_neuron_lines(net, ax, layer=2)


def test_snapshots_and_frames(moons):
    _, X_tr, A_tr, _, _ = moons
    net = cfg.boundary_network("moons", hidden=[4], seed=0)
    snaps = bpl.Snapshots(net, epochs=[0, 1, 5])
    net.fit(X_tr, A_tr, epochs=5, learning_rate=2.0, progress=False, callback=snaps)
    assert [epoch for epoch, _ in snaps.frames] == [0, 1, 5]
    assert all(np.array_equal(W, V) for W, V in zip(snaps.frames[-1][1].weights, net.weights))
    assert not np.array_equal(snaps.frames[0][1].weights[0], net.weights[0])    # копия, а не та же сеть
    fig = bpl.plot_boundary_frames(snaps.frames, X_tr, A_tr, ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(fig.axes) == 5 and len(visible) == 4 and len(bars) == 1      # 3 кадра, пустая панель, одна шкала
    assert visible[2].get_title().startswith("эпоха 5\nобучение")
    with pytest.raises(ValueError, match="frames: нет ни одного кадра"):
        bpl.plot_boundary_frames([], X_tr, A_tr)
    with pytest.raises(ValueError, match="epochs: ожидается непустой список"):
        bpl.Snapshots(net, [])


def test_plot_accuracy_spread():
    ax = bpl.plot_accuracy_spread([1, 2], [[0.9, 1.0], [0.8, 1.0]], [[0.8, 0.85], [0.7, 0.9]])
    assert len(ax.lines) == 4                       # две выборки теста, два средних
    assert np.allclose(ax.lines[-1].get_ydata(), [0.75, 0.875])
    with pytest.raises(ValueError, match="одной формы"):
        bpl.plot_accuracy_spread([1, 2], [[0.9, 1.0]], [[0.8, 0.85], [0.7, 0.9]])
    with pytest.raises(ValueError, match="от 0 до 1"):
        bpl.plot_accuracy_spread([1, 2], [[90, 100]], [[80, 85]])


def test_compact_png_is_a_crisp_small_palette_png(moons):
    """PNG в style.PNG_SCALE раз крупнее показа (чёткий на проекторе), с палитрой и вдвое меньше полноцветного."""
    net, X_tr, A_tr, X_te, A_te = moons
    fig = plt.figure(figsize=(6, 5))
    bpl.plot_decision_boundary(net, X_tr, A_tr, ax=fig.add_subplot(), X_test=X_te, labels_test=A_te)
    raw = io.BytesIO()
    fig.savefig(raw, format="png", bbox_inches="tight", dpi=fig.dpi * style.PNG_SCALE)
    data, shown = style.compact_png(fig)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "P"
    assert len(image.getcolors()) <= style.PNG_COLORS
    assert image.size == Image.open(raw).size
    assert (shown["width"], shown["height"]) == (image.width // style.PNG_SCALE, image.height // style.PNG_SCALE)
    assert len(data) < len(raw.getvalue()) / 2
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)     # белый фон остался белым, без оттенка
    with pytest.raises(ValueError, match="colors: ожидается целое число от 2 до 256"):
        style.compact_png(fig, colors=1000)
    with pytest.raises(ValueError, match="scale: ожидается целое число от 1 до 4"):
        style.compact_png(fig, scale=0)
    plt.close(fig)


def test_use_compact_png_outside_ipython_does_nothing():
    assert style.use_compact_png() is False


def test_plot_losses_draws_each_history_in_epoch_order():
    histories = {"a": np.array([4.0, 2.0, 1.0]), "b": np.array([3.0, 3.0, 0.5, 0.25])}
    ax = bpl.plot_losses(histories)
    for line, (label, history) in zip(ax.lines, histories.items()):
        assert line.get_label() == label
        assert line.get_xdata().tolist() == list(range(1, len(history) + 1))     # эпохи с 1
        assert line.get_ydata().tolist() == history.tolist()                     # по порядку, не задом наперёд
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "эпоха"
    with pytest.raises(ValueError, match="больше 0"):
        bpl.plot_losses({"нуль": np.array([1.0, 0.0])})
    with pytest.raises(TypeError, match="histories"):
        bpl.plot_losses([1.0, 2.0])
    plt.close("all")


def test_decision_boundary_colours_class_1_like_its_points():
    """Заливка: где сеть уверена в классе 1 — цвет класса 1 (красный), где в классе 0 — синий."""
    net = bp.Network.from_weights([[[10.0, 0.0]]], [[[0.0]]])       # Y = σ(10 I_1): класс 1 справа
    X = np.array([[-1.0, 1.0], [0.0, 0.0]])
    ax = bpl.plot_decision_boundary(net, X, [0, 1])
    fill = ax.collections[0]
    cmap, norm = fill.get_cmap(), fill.norm
    red, _, blue, _ = cmap(norm(0.95))
    assert red > blue, "высокая вероятность класса 1 должна быть красной, как точки класса 1"
    red, _, blue, _ = cmap(norm(0.05))
    assert blue > red
    plt.close("all")


def test_every_boundary_fill_has_its_scale(moons):
    """Заливка выхода Y всегда со шкалой: своей у одиночной панели, общей у нескольких."""
    net, X_tr, A_tr, _, _ = moons
    ax = bpl.plot_decision_boundary(net, X_tr, A_tr)
    bars = [a for a in ax.figure.axes if a.get_label() == "<colorbar>"]
    assert len(bars) == 1 and bars[0].get_ylabel() == "выход сети $Y$"
    assert [t.get_text() for t in bars[0].get_yticklabels()] == ["0.0", "0.5", "1.0"]
    fig, axes = plt.subplots(1, 2)
    for a in axes:
        bpl.plot_decision_boundary(net, X_tr, A_tr, ax=a, colorbar=False)
    assert not [a for a in fig.axes if a.get_label() == "<colorbar>"]
    bpl.boundary_colorbar(axes)
    assert len([a for a in fig.axes if a.get_label() == "<colorbar>"]) == 1
    with pytest.raises(ValueError, match="нужны оси"):
        bpl.boundary_colorbar([])


def test_draw_backward_shows_the_modules_values_in_the_shared_colours():
    """Над нейроном — его выход (синий), под ним — его τ (киноварь): числа из net.forward и net.tau_terms;
    те же цвета стоят в тексте ноутбуков 01 и 02 у формул (\\color{…})."""
    V, W = np.array([[0.5, -1.0], [1.0, 0.5]]), np.array([[1.0, -1.0]])
    net = bp.Network.from_weights([V, W], biases=[np.zeros((2, 1)), np.zeros((1, 1))])
    x, a = np.array([[1.0], [1.0]]), np.array([[0.0]])
    ax = bpl.draw_backward(net, x, a)
    texts = {t.get_text(): t.get_color() for t in ax.texts}
    _, hidden, Y = net.forward(x)
    tau_in, tau_out = net.tau_terms(x, a)
    for value in [hidden[0, 0], hidden[1, 0], Y[0, 0]]:
        assert texts[f"{value:.4f}"] == bpl.FORWARD_COLOR
    assert texts[rf"$\tau^{{\mathrm{{out}}}}_{{1}} = {tau_out[0, 0]:.4f}$"] == bpl.BACKWARD_COLOR
    assert texts[rf"$\tau^{{\mathrm{{in}}}}_{{2}} = {tau_in[1, 0]:.4f}$"] == bpl.BACKWARD_COLOR
    assert "−1" in texts                                   # значения весов, с настоящим минусом
    with pytest.raises(ValueError, match="один пример"):
        bpl.draw_backward(net, np.ones((2, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="одним скрытым слоем"):
        bpl.draw_backward(bp.Network([2, 2, 2, 1], seed=0), x, a)
    from notebook_files import cell_source, load_cells
    for name in ("01_xor_derivation.ipynb", "02_gradient_check.ipynb"):
        cells = load_cells(name)
        k = next(i for i, c in enumerate(cells) if "<!-- backward-figure -->" in cell_source(c))
        text = cell_source(cells[k])
        assert rf"\color{{{bpl.FORWARD_COLOR}}}" in text and rf"\color{{{bpl.BACKWARD_COLOR}}}" in text, name
        nearby = [cell_source(c) for c in cells[k - 1:k + 2] if c["cell_type"] == "code"]
        assert any("bpl.draw_backward(" in s for s in nearby), name
