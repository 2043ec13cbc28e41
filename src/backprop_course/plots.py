"""Рисунки курса: подписи по-русски, шрифты крупные — читаются с последней парты.

Цвета и размеры шрифтов — в style (use_course_style); данные — примеры по столбцам, как в backprop.
    plot_losses, plot_accuracy_spread           — кривые обучения; доли верных ответов по выборкам
    plot_points, plot_decision_boundary, ...    — точки на плоскости, граница решения (шкала — boundary_colorbar),
                                                  скрытые нейроны
    Snapshots, plot_boundary_frames             — кадры обучения
    show_digits                                 — картинки 8×8
    draw_network                                — схема сети 2-3-1 в обозначениях курса
    draw_backward                               — один пример: прямой проход и ошибки τ на той же схеме
    draw_graph                                  — вычислительный граф узлов graph.Value: значения и градиенты
"""
import matplotlib.pyplot as plt
import numpy as np

import backprop as bp

from . import checks
from .style import BOUNDARY_CMAP, CLASS_COLORS, NEURON_CMAP, TEST_MARKER

def plot_losses(histories, ax=None, log=True, title="Функция потерь E по эпохам"):
    """Кривые обучения: histories — словарь {подпись: массив E по эпохам}. Возвращает оси.

    Точка t кривой — E после эпохи t (эпохи с 1). log=True — логарифмическая шкала E (нужны E > 0).
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories: ожидается непустой словарь {{подпись: массив E по эпохам}}, "
                        f"получено {type(histories).__name__}")
    histories = {label: checks.array(f"histories[{label!r}]", h, ndim=1) for label, h in histories.items()}
    if log and any((h <= 0).any() for h in histories.values()):
        raise ValueError("histories: на логарифмической шкале E должна быть больше 0 (или log=False)")
    ax = checks.axes("ax", ax)
    if ax is None:
        ax = plt.figure().add_subplot()
    for label, history in histories.items():
        ax.plot(np.arange(1, len(history) + 1), history, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("эпоха")
    ax.set_ylabel("функция потерь E")
    ax.set_title(title)
    ax.legend()
    return ax



BOUNDARY_LEVELS = np.linspace(0, 1, 11)     # заливка выхода Y: 10 полос по 0.1
BOUNDARY_ALPHA = 0.45


def boundary_colorbar(axes, label="выход сети $Y$"):
    """Шкала заливки выхода Y (от 0 до 1, граница — 0.5) для одной или нескольких панелей axes.

    Шкала строится по тем же полосам и цветам, что заливка plot_decision_boundary; возвращает шкалу.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm
    axes = list(np.ravel(axes))
    if not axes:
        raise ValueError("axes: нужны оси (одни или несколько), к которым относится шкала")
    cmap = plt.get_cmap(BOUNDARY_CMAP)
    mappable = ScalarMappable(norm=BoundaryNorm(BOUNDARY_LEVELS, cmap.N), cmap=cmap)
    bar = axes[0].figure.colorbar(mappable, ax=axes, ticks=[0, 0.5, 1], shrink=0.9, pad=0.02, alpha=BOUNDARY_ALPHA)
    bar.set_label(label)
    bar.solids.set_alpha(BOUNDARY_ALPHA)         # цвета шкалы — как у полупрозрачной заливки на белом
    return bar


def plot_decision_boundary(net, X, labels, ax=None, resolution=200, margin=0.25, title=None,
                           X_test=None, labels_test=None, point_size=None, legend=False,
                           show_accuracy=False, max_points=None, colorbar=True):
    """Вероятность класса 1 над плоскостью (заливка), граница Y = 0.5 и точки X формы (2, n) с метками.

    labels — метки 0/1 формы (n,) или (1, n). X_test, labels_test — тестовые точки (рисуются
    треугольниками с чёрной каймой). point_size=None — размер точек по их числу.
    show_accuracy=True — дописать к заголовку долю верных ответов на обучении (и на тесте).
    max_points — рисовать не больше стольких первых обучающих (и тестовых) точек: рисунок легче,
    а доля верных всё равно считается по всем. colorbar=True — шкала заливки справа от осей; у рисунка
    из нескольких панелей лучше colorbar=False и одна общая шкала boundary_colorbar(axes). Возвращает оси.
    """
    net = checks.network("net", net)
    X, labels = _check_points("X", "labels", X, labels)
    if X_test is not None:
        X_test, labels_test = _check_points("X_test", "labels_test", X_test, labels_test)
    resolution = checks.integer("resolution", resolution, low=2, high=2000, what="точек сетки по стороне")
    margin = checks.number("margin", margin, low=0.0, what="поле вокруг точек")
    ax = checks.axes("ax", ax)
    if ax is None:
        ax = plt.figure(figsize=(6, 5.5)).add_subplot()
    every = X if X_test is None else np.hstack([X, X_test])
    lo, hi = every.min(axis=1) - margin, every.max(axis=1) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    P = net.predict_proba(np.vstack([g0.ravel(), g1.ravel()]))[0].reshape(g0.shape)
    ax.contourf(g0, g1, P, levels=BOUNDARY_LEVELS, cmap=BOUNDARY_CMAP, alpha=BOUNDARY_ALPHA)
    if colorbar:
        boundary_colorbar(ax)
    if P.min() < 0.5 < P.max():                 # граница есть, только если Y по обе стороны от 0.5
        ax.contour(g0, g1, P, levels=[0.5], colors="k", linewidths=2)
    plot_points(X, labels, ax=ax, X_test=X_test, labels_test=labels_test, point_size=point_size,
                legend=legend, max_points=max_points)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    if show_accuracy:
        score = f"обучение {np.mean(net.predict(X) == labels):.1%}"
        if X_test is not None:
            score += f", тест {np.mean(net.predict(X_test) == labels_test):.1%}"
        title = f"{title}\n{score}" if title else score
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------
# Точки на плоскости, скрытые нейроны, скрытое пространство, кадры обучения (ноутбуки 01, 03).
# ---------------------------------------------------------------------------

def _check_points(xname, lname, X, labels):
    """X формы (2, n) — точки на плоскости, labels — n меток 0/1 формы (n,) или (1, n)."""
    X = checks.array(xname, X)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"{xname}: ожидается форма (2, n_samples) — точки на плоскости, получена {X.shape}")
    if labels is None:
        raise ValueError(f"{lname}: нужны метки 0/1 для точек {xname}")
    labels = checks.array(lname, labels).ravel()
    if labels.shape != (X.shape[1],):
        raise ValueError(f"{lname}: ожидается {X.shape[1]} меток, получено {labels.size}")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(f"{lname}: ожидаются метки 0 и 1, получены {np.unique(labels)[:5]}")
    return X, labels.astype(int)


def _auto_point_size(n):
    """Много точек — мельче: 60 для 50 точек и меньше, около 13 для 1000."""
    return float(np.clip(60 * np.sqrt(50 / max(n, 1)), 8, 60))


def plot_points(X, labels, ax=None, X_test=None, labels_test=None, point_size=None, legend=True,
                title=None, max_points=None):
    """Точки двух классов: обучающие — кружки, тестовые — треугольники с чёрной каймой. Возвращает оси.

    max_points — рисовать не больше стольких первых точек каждого набора (примеры уже перемешаны).
    """
    X, labels = _check_points("X", "labels", X, labels)
    if X_test is not None:
        X_test, labels_test = _check_points("X_test", "labels_test", X_test, labels_test)
    if max_points is not None:
        if isinstance(max_points, (bool, np.bool_)) or not isinstance(max_points, (int, np.integer)) \
                or max_points < 1:
            raise ValueError(f"max_points: ожидается целое положительное число, получено {max_points!r}")
        X, labels = X[:, :max_points], labels[:max_points]
        if X_test is not None:
            X_test, labels_test = X_test[:, :max_points], labels_test[:max_points]
    if point_size is not None:
        point_size = checks.number("point_size", point_size, low=0.0, low_open=True)
    ax = checks.axes("ax", ax)
    if ax is None:
        ax = plt.figure(figsize=(6, 5.5)).add_subplot()
    size = _auto_point_size(X.shape[1]) if point_size is None else point_size
    for cls, color in enumerate(CLASS_COLORS):
        pts = X[:, labels == cls]
        ax.scatter(pts[0], pts[1], s=size, c=color, edgecolors="white", linewidths=0.6,
                   label=f"класс {cls}")
    if X_test is not None:
        for cls, color in enumerate(CLASS_COLORS):
            pts = X_test[:, labels_test == cls]
            ax.scatter(pts[0], pts[1], s=size * 1.3, c=color, marker=TEST_MARKER, edgecolors="k",
                       linewidths=0.5, label=f"класс {cls}, тест")
    ax.set_xlabel("$I_1$")
    ax.set_ylabel("$I_2$")
    ax.set_aspect("equal")
    ax.grid(False)
    if legend:
        ax.legend(loc="upper right", framealpha=0.9, fontsize=11, markerscale=1.5)
    if title:
        ax.set_title(title)
    return ax


def _plane_grid(X, resolution, margin):
    """Сетка resolution × resolution над точками X формы (2, n): (g0, g1, точки сетки формы (2, r²))."""
    lo, hi = X.min(axis=1) - margin, X.max(axis=1) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return g0, g1, np.vstack([g0.ravel(), g1.ravel()])


def plot_hidden_neurons(net, X, labels, axes=None, layer=1, resolution=150, margin=0.25, points=True):
    """Выход каждого нейрона слоя layer (1 — первый скрытый) как картинка над плоскостью входов.

    Для tanh цвет от −1 до 1, для σ — от 0 до 1; чёрная линия — где нейрон «переключается»
    (SX_j = 0). X формы (2, n), labels — метки 0/1. axes — список осей по одной на нейрон.
    Возвращает список осей.
    """
    net = checks.network("net", net)
    X, labels = _check_points("X", "labels", X, labels)
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)) \
            or not 1 <= layer <= len(net.weights):
        raise ValueError(f"layer: ожидается номер слоя от 1 до {len(net.weights)}, получено {layer!r}")
    resolution = checks.integer("resolution", resolution, low=2, high=2000, what="точек сетки по стороне")
    margin = checks.number("margin", margin, low=0.0, what="поле вокруг точек")
    n_neurons = net.weights[layer - 1].shape[0]
    if axes is None:
        fig, axes = plt.subplots(1, n_neurons, figsize=(4.6 * n_neurons, 4.6), layout="constrained",
                                 squeeze=False)
        axes = axes[0]
    axes = list(np.ravel(axes))
    if len(axes) != n_neurons:
        raise ValueError(f"axes: ожидается {n_neurons} осей (по одной на нейрон слоя {layer}), получено {len(axes)}")
    g0, g1, grid = _plane_grid(X, resolution, margin)
    out = net.forward(grid)[layer]
    act = net.activations[layer - 1]
    lo, hi = _color_limits(bp.ACTIVATIONS[act], out)
    mid = float(bp.ACTIVATIONS[act].fn(np.zeros((1, 1)))[0, 0])     # выход при SX_j = 0
    name = "Y" if layer == len(net.weights) else "X"
    for j, ax in enumerate(axes):
        Z = out[j].reshape(g0.shape)
        image = ax.contourf(g0, g1, Z, levels=np.linspace(lo, hi, 11), cmap=NEURON_CMAP, alpha=0.7)
        if Z.min() < mid < Z.max():
            ax.contour(g0, g1, Z, levels=[mid], colors="k", linewidths=2)
        if points:
            for cls, color in enumerate(CLASS_COLORS):
                pts = X[:, labels == cls]
                ax.scatter(pts[0], pts[1], s=10, c=color, edgecolors="white", linewidths=0.3)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xlabel("$I_1$")
        ax.set_ylabel("$I_2$")
        ax.set_title(f"${name}_{{{j + 1}}}$ = {act}$(S{name}_{{{j + 1}}})$" if name == "X" else f"${name}_{{{j + 1}}}$")
    bar = axes[0].figure.colorbar(image, ax=axes, shrink=0.8, ticks=[lo, mid, hi])
    bar.ax.set_title(f"${name}_j$")           # подпись сверху не наезжает на соседние оси
    return axes


def _color_limits(activation, values):
    """Шкала цвета для выходов слоя: область значений активации, а где она бесконечна — сами значения."""
    lo, hi = activation.limits
    lo = lo if np.isfinite(lo) else float(np.min(values))
    hi = hi if np.isfinite(hi) else float(np.max(values))
    return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)


def plot_hidden_space(net, X, labels, ax=None, resolution=150, title="Скрытое пространство"):
    """Точки X формы (2, n), перенесённые в пространство выходов скрытого слоя сети [2, h, 1], h = 2 или 3.

    Заливка (для h = 2) — выход сети Y над этим пространством, линия (плоскость для h = 3) — граница
    Y = 0.5, то есть Σ_j w_j X_j + b = 0: выходной нейрон делит скрытое пространство прямой.
    Возвращает оси (для h = 3 — трёхмерные).
    """
    net = checks.network("net", net)
    X, labels = _check_points("X", "labels", X, labels)
    resolution = checks.integer("resolution", resolution, low=2, high=2000, what="точек сетки по стороне")
    ax = checks.axes("ax", ax)
    sizes = net.layer_sizes
    if len(sizes) != 3 or sizes[1] not in (2, 3) or sizes[2] != 1:
        raise ValueError(f"net: ожидается сеть [n, 2, 1] или [n, 3, 1] (один скрытый слой из 2 или 3 нейронов "
                         f"и один выход), получена {sizes}")
    H = net.forward(X)[1]
    w = net.weights[1][0]
    b = 0.0 if net.biases is None else float(net.biases[1][0, 0])
    hidden_act = bp.ACTIVATIONS[net.activations[0]]
    limits = _color_limits(hidden_act, H)
    ticks = [limits[0], float(hidden_act.fn(np.zeros((1, 1)))[0, 0]), limits[1]]
    pad = 0.05 * max(1.0, (limits[1] - limits[0]) / 2)        # поля, чтобы точки у края были видны
    lo, hi = limits[0] - pad, limits[1] + pad
    if sizes[1] == 2:
        if ax is None:
            ax = plt.figure(figsize=(6, 5.5)).add_subplot()
        g0, g1 = np.meshgrid(np.linspace(lo, hi, resolution), np.linspace(lo, hi, resolution))
        Hgrid = np.vstack([g0.ravel(), g1.ravel()])
        Y = bp.ACTIVATIONS[net.activations[1]].fn(net.weights[1] @ Hgrid + b)[0].reshape(g0.shape)
        ax.contourf(g0, g1, Y, levels=BOUNDARY_LEVELS, cmap=BOUNDARY_CMAP, alpha=BOUNDARY_ALPHA)
        boundary_colorbar(ax)
        if Y.min() < 0.5 < Y.max():
            ax.contour(g0, g1, Y, levels=[0.5], colors="k", linewidths=2)
        for cls, color in enumerate(CLASS_COLORS):
            pts = H[:, labels == cls]
            ax.scatter(pts[0], pts[1], s=_auto_point_size(H.shape[1]), c=color, edgecolors="white",
                       linewidths=0.6, label=f"класс {cls}")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.grid(False)
    else:
        if ax is None:
            ax = plt.figure(figsize=(6.5, 6)).add_subplot(projection="3d")
        if getattr(ax, "name", "") != "3d":
            raise ValueError("ax: для трёх скрытых нейронов нужны трёхмерные оси (projection='3d')")
        for cls, color in enumerate(CLASS_COLORS):
            pts = H[:, labels == cls]
            ax.scatter(pts[0], pts[1], pts[2], s=12, c=color, label=f"класс {cls}", depthshade=False)
        k = int(np.argmax(np.abs(w)))             # плоскость w·X + b = 0 решаем относительно X_k
        others = [i for i in range(3) if i != k]
        p, q = np.meshgrid(np.linspace(lo, hi, 12), np.linspace(lo, hi, 12))
        r = -(w[others[0]] * p + w[others[1]] * q + b) / w[k]
        r = np.where((r >= lo) & (r <= hi), r, np.nan)
        coords = [None] * 3
        coords[others[0]], coords[others[1]], coords[k] = p, q, r
        ax.plot_surface(*coords, color="0.3", alpha=0.25, linewidth=0)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_zlim(lo, hi)
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_zticks(ticks)
        ax.set_zlabel("$X_3$")
        ax.view_init(elev=25, azim=-35)
        ax.set_box_aspect(None, zoom=1.25)        # куб крупнее: у трёхмерных осей большие пустые поля
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.labelpad = 10                    # подписи осей не наезжают на числа шкалы
    ax.set_xlabel("$X_1$")
    ax.set_ylabel("$X_2$")
    if title:
        ax.set_title(title)
    return ax


class Snapshots:
    """callback для Network.fit: копии сети после выбранных эпох — кадры того, как учится граница.

    snaps = Snapshots(net, [0, 10, 100]); net.fit(..., callback=snaps); snaps.frames — список
    (эпоха, копия сети); эпоха 0 — сеть до обучения.
    """

    def __init__(self, net, epochs):
        net = checks.network("net", net)
        if isinstance(epochs, (str, bytes)) or not hasattr(epochs, "__iter__"):
            raise TypeError(f"epochs: ожидается непустой список неотрицательных номеров эпох, получено {epochs!r:.60}")
        epochs = sorted({checks.integer("epochs", e, low=0) for e in epochs})
        if not epochs:
            raise ValueError(f"epochs: ожидается непустой список неотрицательных номеров эпох, получено {epochs}")
        self.epochs = set(epochs)
        self.frames = [(0, net.copy())] if 0 in self.epochs else []

    def __call__(self, net, epoch, loss):
        if epoch + 1 in self.epochs:          # epoch — номер с нуля: после него пройдено epoch + 1 эпох
            self.frames.append((epoch + 1, net.copy()))


def plot_boundary_frames(frames, X, labels, ncols=3, resolution=120, panel_size=4.2, max_points=None,
                         point_size=8):
    """Полоса кадров: граница решения после каждой эпохи из frames = [(эпоха, сеть), ...].

    X формы (2, n), labels — метки 0/1 (обычно обучающие точки); в заголовке — эпоха и доля верных
    по всем точкам; max_points — сколько из них рисовать, point_size — их размер. Возвращает рисунок.
    """
    X, labels = _check_points("X", "labels", X, labels)
    frames = list(frames)
    if not frames:
        raise ValueError("frames: нет ни одного кадра (эпоха, сеть)")
    for frame in frames:
        if not (isinstance(frame, tuple) and len(frame) == 2 and isinstance(frame[1], bp.Network)):
            raise TypeError(f"frames: ожидается список пар (эпоха, сеть), как Snapshots.frames; получено {frame!r:.60}")
    resolution = checks.integer("resolution", resolution, low=2, high=2000, what="точек сетки по стороне")
    panel_size = checks.number("panel_size", panel_size, low=0.5, high=20.0, what="дюймов")
    if isinstance(ncols, (bool, np.bool_)) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols: ожидается целое положительное число, получено {ncols!r}")
    ncols = min(ncols, len(frames))
    nrows = -(-len(frames) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size * ncols, panel_size * nrows),
                             layout="constrained", squeeze=False)
    for ax, (epoch, net) in zip(axes.flat, frames):
        plot_decision_boundary(net, X, labels, ax=ax, resolution=resolution, point_size=point_size,
                               title=f"эпоха {epoch}", show_accuracy=True, max_points=max_points,
                               colorbar=False)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.flat[len(frames):]:
        ax.set_visible(False)
    boundary_colorbar(axes.flat[:len(frames)])
    return fig


def plot_neuron_lines(net, ax, layer=1, **style):
    """Прямые SX_j = Σ_s v_sj I_s + b^in_j = 0 нейронов первого скрытого слоя на плоскости входов.

    На такой прямой нейрон «переключается»: по одну сторону tanh(SX_j) > 0, по другую < 0.
    Рисует в пределах осей ax (нарисуйте точки или границу раньше). Возвращает оси.
    """
    net = checks.network("net", net)
    if checks.axes("ax", ax) is None:
        raise TypeError("ax: ожидаются оси matplotlib, на которых уже нарисованы точки или граница")
    if net.layer_sizes[0] != 2:
        raise ValueError(f"net: прямые на плоскости есть только у сети с 2 входами, у этой {net.layer_sizes[0]}")
    if layer != 1:
        raise ValueError(f"layer: прямые на плоскости входов есть только у слоя 1, получено {layer!r}")
    V = net.weights[0]
    b = np.zeros(V.shape[0]) if net.biases is None else net.biases[0][:, 0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    style = {"color": "0.15", "linestyle": "--", "linewidth": 2, **style}
    for j, ((v1, v2), bj) in enumerate(zip(V, b)):
        # v1·I_1 + v2·I_2 + b = 0: решаем относительно той координаты, при которой коэффициент больше
        if abs(v2) >= abs(v1):
            xs = np.array([x0, x1])
            ys = -(v1 * xs + bj) / v2
        else:
            ys = np.array([y0, y1])
            xs = -(v2 * ys + bj) / v1
        ax.plot(xs, ys, label="$SX_j = 0$" if j == 0 else None, **style)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def plot_accuracy_spread(names, train, test, ax=None, title="Доля верных ответов", xlabel=None):
    """Доли верных на обучении и на тесте по вариантам names на нескольких выборках данных.

    train, test — массивы формы (выборок, len(names)): строка — одна выборка. Тонкие линии — тест на каждой
    выборке (видно, как сильно результат зависит от выборки), толстые — средние по выборкам.
    """
    names = list(names)
    train, test = checks.array("train", train), checks.array("test", test)
    if not names or train.ndim != 2 or train.shape[1] != len(names) or test.shape != train.shape:
        raise ValueError(f"train, test: ожидаются массивы одной формы (выборок, {len(names)}), получено "
                         f"{train.shape} и {test.shape}")
    if min(train.min(), test.min()) < 0 or max(train.max(), test.max()) > 1:
        raise ValueError("train, test: доли верных ответов — числа от 0 до 1")
    ax = checks.axes("ax", ax)
    if ax is None:
        ax = plt.figure().add_subplot()
    x = np.arange(len(names))
    for k, row in enumerate(test):
        ax.plot(x, row, color="C1", ls="-", lw=1, alpha=0.45, marker="o", ms=4,
                label="тест, каждая выборка" if k == 0 else None)
    ax.plot(x, train.mean(axis=0), color="C0", ls="-", lw=3, marker="o", label="обучение, среднее")
    ax.plot(x, test.mean(axis=0), color="C1", ls="--", lw=3, marker="s", label="тест, среднее")
    ax.set_xticks(x, [str(n) for n in names])
    ax.set_ylim(min(train.min(), test.min()) - 0.15, 1.01)     # место внизу — для легенды
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylabel("верных ответов")
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.legend(loc="lower right", fontsize=12)
    ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------
# Картинки 8×8 (ноутбук 05).
# ---------------------------------------------------------------------------

def show_digits(images, titles=None, ncols=10, cmap="gray_r", size=1.0, vmin=0.0, vmax=1.0, fontsize=11,
                colorbar=None):
    """Сетка картинок 8×8: images формы (64, n) — столбцы, как X. Возвращает рисунок.

    titles — подписи над картинками (список строк длины n) или None; fontsize — их размер шрифта.
    colorbar — подпись шкалы цвета справа (для картинок, где цвет — число: веса, их изменения) или None.
    """
    images = checks.array("images", images)
    if images.ndim != 2 or images.shape[0] != 64 or images.shape[1] == 0:
        raise ValueError(f"images: ожидается форма (64, n) — картинки по столбцам, получена {images.shape}")
    n = images.shape[1]
    if titles is not None and (isinstance(titles, str) or len(titles) != n):
        raise ValueError(f"titles: ожидается список из {n} подписей (по одной на картинку) или None")
    ncols = max(1, min(checks.integer("ncols", ncols, low=1, high=100), n))
    size = checks.number("size", size, low=0.1, high=10.0, what="дюймов на картинку")
    nrows = -(-n // ncols)
    title_lines = max((str(t).count("\n") + 1 for t in titles), default=0) if titles is not None else 0
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * (1 + 0.3 * title_lines)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            image = ax.imshow(images[:, k].reshape(8, 8), cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[k], fontsize=fontsize)
    if colorbar is not None:
        fig.colorbar(image, ax=axes, shrink=0.9, pad=0.02, label=str(colorbar))
    return fig


# ---------------------------------------------------------------------------
# Схема сети в обозначениях курса, со смещениями (ноутбук 01).
# ---------------------------------------------------------------------------

def draw_network(layer_sizes=(2, 3, 1), ax=None, title=None):
    """Схема сети вход → скрытый слой → выход в обозначениях курса, со смещениями. Возвращает оси.

    layer_sizes — три размера слоёв. Кружки — нейроны I_s, X_j, Y_i; сплошные линии — веса v_sj, w_ji;
    смещение — вес от входа, всегда равного 1: у скрытого и выходного слоя свой узел «1» (квадрат)
    и пунктир к каждому нейрону с подписью b^in_j или b^out_i. Подпись веса стоит у того конца линии,
    где сходится меньше линий, — так подписи не наползают друг на друга.
    """
    sizes = list(layer_sizes)
    if len(sizes) != 3 or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in sizes):
        raise ValueError(f"layer_sizes: ожидаются три целых размера слоёв (вход, скрытый, выход), "
                         f"получено {layer_sizes!r}")
    if ax is None:
        fig = plt.figure(figsize=(10, 6))
        ax = fig.add_axes((0, 0, 1, 0.92 if title else 1))
    dx, dy, r = 4.0, 1.8, 0.38
    pos = [[(k * dx, dy * ((n - 1) / 2 - q)) for q in range(n)] for k, n in enumerate(sizes)]
    top = max(y for layer in pos for _, y in layer)
    low = min(y for layer in pos for _, y in layer) - r
    label_box = dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.9)

    def edge(p0, p1, t, label, **line):
        ax.plot([p0[0], p1[0]], [p0[1], p1[1]], color="0.55", zorder=1, **line)
        ax.text(p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1]), label, ha="center",
                va="center", fontsize=15, zorder=3, bbox=label_box)

    for k, (weight, bias) in enumerate([("v", r"b^{\text{in}}"), ("w", r"b^{\text{out}}")]):
        # у начала линии сходятся sizes[k + 1] линий, у конца — sizes[k] и ещё пунктир смещения
        t = 0.25 if sizes[k + 1] < sizes[k] + 1 else 0.7
        for s, p0 in enumerate(pos[k]):
            for j, p1 in enumerate(pos[k + 1]):
                edge(p0, p1, t, f"${weight}_{{{s + 1}{j + 1}}}$", lw=1.5)
        bx, by = (k + 0.3) * dx, top + 1.0                 # узел «1» над промежутком между слоями
        ax.add_patch(plt.Rectangle((bx - 0.3, by - 0.3), 0.6, 0.6, fc="#eeeeee", ec="0.3", lw=1.5, zorder=2))
        ax.text(bx, by, "1", ha="center", va="center", fontsize=18, zorder=4)
        for j, p1 in enumerate(pos[k + 1]):
            edge((bx, by), p1, 0.8 if sizes[k + 1] > 1 else 0.6, f"${bias}_{{{j + 1}}}$", lw=1.3, ls="--")
    colors = ["#e8f0fa", "#fdf3e1", "#fbe4e4"]
    for k, (layer, name) in enumerate(zip(pos, "IXY")):
        for q, (x, y) in enumerate(layer):
            ax.add_patch(plt.Circle((x, y), r, fc=colors[k], ec="0.2", lw=2, zorder=2))
            ax.text(x, y, f"${name}_{{{q + 1}}}$", ha="center", va="center", fontsize=22, zorder=4)
    for q, (x, y) in enumerate(pos[2]):
        ax.annotate(f"$a_{{{q + 1}}}$", xy=(x + r, y), xytext=(x + 1.7, y), fontsize=20,
                    ha="center", va="center", arrowprops=dict(arrowstyle="<->", color="0.3", lw=1.5))
        ax.text(x + 1.0, y + 0.2, "сравнить", ha="center", va="bottom", fontsize=14, color="0.3")
    x, y = pos[2][-1]
    ax.text(x + 1.0, y - 0.75, "ошибка\n$E = \\frac{1}{2}\\sum_i (Y_i - a_i)^2$", ha="center", va="top",
            fontsize=15)
    for k, text in enumerate(("входы $I_s$", "скрытый слой\n$X_j = \\sigma(SX_j)$",
                              "выход\n$Y_i = \\sigma(SY_i)$")):
        ax.text(k * dx, low - 0.2, text, ha="center", va="top", fontsize=16)
    ax.set_xlim(-0.6, 2 * dx + 2.4)
    ax.set_ylim(low - 1.0, top + 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax



FORWARD_COLOR = "#0072B2"      # прямой проход: взвешенные суммы и выходы (синий Окабе — Ито)
BACKWARD_COLOR = "#D55E00"     # обратный проход: ошибки нейронов τ (киноварь Окабе — Ито)


def draw_backward(net, x, a, ax=None, title=None, weight_values=None):
    """Один пример на схеме сети с одним скрытым слоем: прямой проход слева направо, τ — справа налево.

    net — bp.Network из трёх слоёв; x формы (n_in, 1), a формы (n_out, 1). Над нейроном — его выход
    (цвет FORWARD_COLOR), под нейроном — его ошибка τ (цвет BACKWARD_COLOR, те же цвета в тексте
    ноутбуков: \\color{#0072B2}, \\color{#D55E00}). У весов — их значения (weight_values=True; по умолчанию —
    если весов не больше восьми, иначе подписи слились бы). Смещения не рисуются.
    Возвращает оси.
    """
    net = checks.network("net", net)
    sizes = net.layer_sizes
    if len(sizes) != 3:
        raise ValueError(f"net: ожидается сеть с одним скрытым слоем (три размера слоёв), получена {sizes}")
    x = checks.array("x", x)
    a = checks.array("a", a)
    if x.shape != (sizes[0], 1) or a.shape != (sizes[2], 1):
        raise ValueError(f"x, a: ожидается один пример — столбцы формы ({sizes[0]}, 1) и ({sizes[2]}, 1), "
                         f"получено {x.shape} и {a.shape}")
    outputs = net.forward(x)
    taus = net.tau_terms(x, a)
    if weight_values is None:
        weight_values = sum(W.size for W in net.weights) <= 8
    ax = checks.axes("ax", ax)
    if ax is None:
        fig = plt.figure(figsize=(12, 3 + 1.6 * max(sizes)))
        ax = fig.add_axes((0, 0, 1, 0.9 if title else 1))
    dx, dy, r = 4.6, 2.2, 0.42
    pos = [[(k * dx, dy * ((n - 1) / 2 - q)) for q in range(n)] for k, n in enumerate(sizes)]
    top = max(y for layer in pos for _, y in layer)
    low = min(y for layer in pos for _, y in layer)
    box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9)
    for k in range(2):
        t = 0.3 if sizes[k + 1] <= sizes[k] else 0.7
        for s, p0 in enumerate(pos[k]):
            for j, p1 in enumerate(pos[k + 1]):
                ax.plot([p0[0], p1[0]], [p0[1], p1[1]], color="0.6", ls="-", lw=1.5, zorder=1)
                if weight_values:                  # у большой сети подписи весов слились бы в кашу
                    ax.text(p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1]),
                            f"{net.weights[k][j, s]:g}".replace("-", "−"), ha="center", va="center",
                            fontsize=14, zorder=3, bbox=box, color="0.25")
    fills = ["#e8f0fa", "#fdf3e1", "#fbe4e4"]
    names = ["I", "X", "Y"]
    tau_names = [None, r"\tau^{\mathrm{in}}", r"\tau^{\mathrm{out}}"]
    for k, layer in enumerate(pos):
        for q, (px, py) in enumerate(layer):
            ax.add_patch(plt.Circle((px, py), r, fc=fills[k], ec="0.2", lw=2, zorder=2))
            ax.text(px, py, f"${names[k]}_{{{q + 1}}}$", ha="center", va="center", fontsize=20, zorder=4)
            value = f"{outputs[k][q, 0]:.4g}" if k == 0 else f"{outputs[k][q, 0]:.4f}"
            ax.text(px, py + r + 0.12, value.replace("-", "−"), ha="center", va="bottom", fontsize=15,
                    color=FORWARD_COLOR, fontweight="bold", zorder=4, bbox=box)
            if tau_names[k]:
                ax.text(px, py - r - 0.12, f"${tau_names[k]}_{{{q + 1}}} = {taus[k - 1][q, 0]:.4f}$", ha="center",
                        va="top", fontsize=15, color=BACKWARD_COLOR, zorder=4, bbox=box)
    for q, (px, py) in enumerate(pos[2]):
        ax.text(px + r + 0.35, py, f"$a_{{{q + 1}}} = {a[q, 0]:.4g}$", ha="left", va="center", fontsize=16)
    arrow_y, back_y = top + 1.35, low - 1.45
    ax.annotate("", xy=(2 * dx, arrow_y), xytext=(0, arrow_y),
                arrowprops=dict(arrowstyle="-|>", color=FORWARD_COLOR, lw=2.5, mutation_scale=22))
    ax.text(dx, arrow_y + 0.15, "прямой проход: $SX_j$, $X_j$, $SY_i$, $Y_i$", ha="center", va="bottom",
            fontsize=15, color=FORWARD_COLOR)
    ax.annotate("", xy=(0, back_y), xytext=(2 * dx, back_y),
                arrowprops=dict(arrowstyle="-|>", color=BACKWARD_COLOR, lw=2.5, mutation_scale=22))
    ax.text(dx, back_y - 0.15, r"обратный проход: $\tau^{\mathrm{out}}_i$, затем $\tau^{\mathrm{in}}_j$",
            ha="center", va="top", fontsize=15, color=BACKWARD_COLOR)
    ax.set_xlim(-1.0, 2 * dx + 2.2)
    ax.set_ylim(back_y - 1.0, arrow_y + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_graph(root, ax=None, title=None, gradients=True):
    """Вычислительный граф узлов graph.Value с корнем root: слева направо от листьев к корню. Возвращает оси.

    В рамке узла — подпись (или операция) и значение прямого прохода; под рамкой — градиент ∇ = ∂root/∂узел
    (gradients=False — без градиентов, например до backward()). Константы — серые, без градиента.
    Столбец узла — длина самого длинного пути от листьев; лист стоит на столбец левее своего первого
    потребителя. На своём рисунке (ax=None) под графом — подпись, что есть что.
    """
    from .graph import Value
    if not isinstance(root, Value):
        raise TypeError(f"root: ожидается узел graph.Value, получено {type(root).__name__}")
    if not isinstance(gradients, (bool, np.bool_)):
        raise TypeError(f"gradients: ожидается True или False, получено {gradients!r:.60}")
    ax = checks.axes("ax", ax)
    order = root.topological_order()
    if len(order) > 60:
        raise ValueError(f"root: в графе {len(order)} узлов — рисунок читается до 60 узлов; нарисуйте граф поменьше")
    index = {id(node): k for k, node in enumerate(order)}
    children = {id(node): [] for node in order}
    column = {}
    for node in order:                          # по порядку: входы узла уже получили столбец
        column[id(node)] = 1 + max((column[id(p)] for p in node.parents), default=-1)
        for p in node.parents:
            children[id(p)].append(node)
    for node in order:
        if not node.parents and children[id(node)]:
            column[id(node)] = min(column[id(c)] for c in children[id(node)]) - 1
    n_cols = max(column.values()) + 1
    y = {id(root): 0.0}
    for col in range(n_cols - 2, -1, -1):       # справа налево: узел напротив своих потребителей
        nodes = [node for node in order if column[id(node)] == col and id(node) != id(root)]
        wanted = {}
        for node in nodes:
            ys = [y[id(c)] + 0.5 * (c.parents.index(node) - (len(c.parents) - 1) / 2)
                  for c in children[id(node)] if id(c) in y]
            wanted[id(node)] = float(np.mean(ys)) if ys else 0.0
        nodes.sort(key=lambda node: (wanted[id(node)], index[id(node)]))
        placed = []
        for node in nodes:
            placed.append(max(wanted[id(node)], placed[-1] + 1.0) if placed else wanted[id(node)])
        shift = np.mean([wanted[id(node)] for node in nodes]) - np.mean(placed) if nodes else 0.0
        for node, pos in zip(nodes, placed):
            y[id(node)] = pos + shift
    dx, dy = 1.9, 1.25
    own = ax is None
    if own:
        height = max(y.values()) - min(y.values())
        fig = plt.figure(figsize=(max(4.0, dx * n_cols + 0.6), max(2.6, dy * height + 2.2)))
        ax = fig.add_subplot()
    boxes = {}
    for node in order:
        x0, y0 = dx * column[id(node)], -dy * y[id(node)]
        const = node.op == "const"
        name = f"${node.label}$" if node.label and not const else (node.label if const else node.op)
        if node.parents and node.label:
            name += f"  ({node.op})"
        text = name if const else f"{name}\n{node.data:.4g}"
        boxes[id(node)] = ax.text(
            x0, y0, text, ha="center", va="center", fontsize=14 if not const else 13, zorder=3,
            bbox=dict(boxstyle="round,pad=0.3", fc="#eeeeee" if const else ("#fdf3e1" if node.parents else "#e8f0fa"),
                      ec="0.5" if const else "0.2", lw=1.2 if const else 1.6))
        if gradients and not const:
            ax.text(x0, y0 - 0.5, f"∇ {node.grad:.4g}", ha="center", va="top", fontsize=14, color="#D55E00",
                    fontweight="bold", zorder=3)
    for node in order:
        for p in node.parents:
            ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=2,
                        xycoords=boxes[id(node)], textcoords=boxes[id(p)],
                        arrowprops=dict(arrowstyle="-|>", color="0.45", lw=1.4, shrinkA=2, shrinkB=2,
                                        patchA=boxes[id(p)].get_bbox_patch(), patchB=boxes[id(node)].get_bbox_patch()))
    ys = [-dy * v for v in y.values()]
    ax.set_xlim(-0.9, dx * (n_cols - 1) + 0.9)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 0.7)
    ax.axis("off")
    if gradients and own:                       # на общем рисунке из нескольких графов подпись делает вызывающий
        who = root.label or "f"
        ax.text(0.0, 0.0, f"в рамке — значение, под рамкой ∇ — градиент ∂{who}/∂узел", transform=ax.transAxes,
                fontsize=13, color="0.3", va="top")
    if title:
        ax.set_title(title)
    return ax
